//! The built-in pack, embedded in the binary at build time so rehearse works from any directory.
//!
//! `build.rs` lists the files of `question-bank/`; they are loaded through the same loader and
//! validator as any pack on disk, so a broken built-in pack fails the test suite, not a user.

use std::sync::OnceLock;

use super::load::{self, MANIFEST, Origin, Pack, RUBRIC_FILE};
use crate::diag::Diagnostics;

mod files {
    include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
}

/// The embedded files as (path, text), manifest first.
pub fn files() -> Vec<(&'static str, &'static str)> {
    let mut files: Vec<_> = files::FILES.to_vec();
    files.sort_by_key(|(path, _)| (!path.ends_with(&format!("/{MANIFEST}")), *path));
    files
}

/// The text of the default rubric (`question-bank/rubric.yaml`), if the bank has one.
pub fn rubric_text() -> Option<&'static str> {
    files::FILES
        .iter()
        .find(|(path, _)| path.ends_with(&format!("/{RUBRIC_FILE}")))
        .map(|(_, text)| *text)
}

/// The built-in pack, loaded once per process.
pub fn pack() -> Result<&'static Pack, &'static Diagnostics> {
    static PACK: OnceLock<Result<Pack, Diagnostics>> = OnceLock::new();
    PACK.get_or_init(|| {
        let files = files()
            .into_iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect();
        load::load_files(files, true, Origin::Builtin, "question-bank")
    })
    .as_ref()
}
