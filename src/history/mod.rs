//! History: every scored attempt kept on disk, and what is computed from it (progress, spaced
//! review, answer diffs).
//!
//! [`store`] owns the file (`DATA/history.jsonl`, append-only JSON Lines, documented in
//! `docs/history-format.md`); [`record`] the shape of one attempt; [`journal`] the in-progress
//! session files that let practice resume after Ctrl-C. The data directory is resolved once by
//! [`data_dir`] so every command agrees on where history lives.

pub mod diff;
pub mod journal;
pub mod progress;
pub mod read;
pub mod record;
pub mod rescore;
pub mod review;
pub mod store;

#[cfg(test)]
pub(crate) mod testing;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that overrides the data directory.
pub const HOME_VAR: &str = "REHEARSE_HOME";

/// The platform data directory could not be determined.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a data directory: no home directory is known; set {HOME_VAR}")]
pub struct NoDataDir;

/// Where rehearse keeps its data: `$REHEARSE_HOME` if set and not empty, else the platform data
/// directory (`~/.local/share/rehearse` on Linux, per XDG).
pub fn data_dir() -> Result<PathBuf, NoDataDir> {
    data_dir_from(std::env::var_os(HOME_VAR))
}

/// [`data_dir`] with the variable's value passed in, so it can be tested without touching the
/// process environment.
pub fn data_dir_from(home: Option<OsString>) -> Result<PathBuf, NoDataDir> {
    // An empty value is treated as unset: `REHEARSE_HOME= rehearse` should not write into the
    // current directory by accident.
    if let Some(home) = home.filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().map_err(|_| NoDataDir)?;
    Ok(base.data_dir().join("rehearse"))
}

/// How many recorded attempts are at questions of pack `id`; 0 when the history cannot be read,
/// since this only words a hint (`pack remove`, `pack update`).
pub fn attempts_at_pack(data_dir: &Path, id: &str) -> usize {
    // Counted record by record: a hint must not hold the whole history in memory.
    let mut count = 0;
    let counted = read::each_quietly(data_dir, |a| {
        if a.pack.id == id {
            count += 1;
        }
    });
    if counted.is_ok() { count } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rehearse_home_wins_and_empty_means_unset() {
        assert_eq!(
            data_dir_from(Some("/tmp/x".into())).unwrap(),
            PathBuf::from("/tmp/x")
        );
        // Whatever the platform default is, it ends in the app's own folder.
        if let Ok(d) = data_dir_from(Some(OsString::new())) {
            assert!(d.ends_with("rehearse"), "{}", d.display());
        }
    }
}
