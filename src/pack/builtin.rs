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

/// The built-in pack through the full loader and validator, as `pack validate` would check it.
pub fn pack_checked() -> Result<Pack, Diagnostics> {
    let files = files()
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect();
    load::load_files(files, true, Origin::Builtin, "question-bank")
}

/// The built-in pack, loaded once per process (without re-validation; see
/// [`load::load_trusted`]).
pub fn pack() -> Result<&'static Pack, &'static Diagnostics> {
    static PACK: OnceLock<Result<Pack, Diagnostics>> = OnceLock::new();
    PACK.get_or_init(|| {
        let files = files()
            .into_iter()
            .map(|(path, text)| (path.to_string(), text))
            .collect();
        load::load_trusted(files)
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_pack_passes_full_validation_and_the_fast_path_agrees() {
        let checked = match pack_checked() {
            Ok(p) => p,
            Err(d) => panic!("the embedded built-in pack is invalid:\n{d}"),
        };
        let fast = pack().expect("fast path loads");
        assert_eq!(checked.meta.id, fast.meta.id);
        let ids = |p: &Pack| p.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&checked), ids(fast));
        assert_eq!(checked.question_files, fast.question_files);
        assert!(matches!(
            fast.rubric_file,
            Some(load::RubricSource::Full(_))
        ));
    }
}
