//! Session journals: the state of a practice session in progress, saved after every answer so
//! that Ctrl-C, a crash or a closed laptop costs nothing and `practice` can offer to resume.
//!
//! One file per session, `DATA/journal/ID.json`, replaced atomically (written to a temporary file
//! in the same directory, synced, then renamed over the old one), so a reader sees either the old
//! or the new state, never half of one. The content is whatever the practice module serialises:
//! this module stores and returns it without knowing its shape. A finished session's journal is
//! removed once its attempts are in the history.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Folder of the journals inside the data directory.
pub const JOURNAL_DIR: &str = "journal";

/// Why a journal could not be saved, read or removed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// A session id that would escape the journal folder or is not a plain name.
    #[error("invalid session id {0:?}: use letters, digits, '-' and '_' only")]
    BadId(String),
    /// A file operation failed.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done ("write", "read", "remove").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The journal exists but does not hold what the caller expects (damaged, or from another
    /// version of the session format).
    #[error("cannot read the session journal {}: {source}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The state could not be encoded.
    #[error("cannot encode the session state")]
    Encode(#[from] serde_json::Error),
}

/// The journal file of session `id`.
pub fn journal_path(data_dir: &Path, id: &str) -> Result<PathBuf, JournalError> {
    let plain = !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plain {
        return Err(JournalError::BadId(id.to_string()));
    }
    Ok(data_dir.join(JOURNAL_DIR).join(format!("{id}.json")))
}

/// Saves (or replaces) the journal of session `id` atomically.
pub fn save(data_dir: &Path, id: &str, state: &impl Serialize) -> Result<(), JournalError> {
    let path = journal_path(data_dir, id)?;
    let dir = data_dir.join(JOURNAL_DIR);
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| JournalError::Io {
            action,
            path,
            source,
        }
    };
    let mut bytes = serde_json::to_vec_pretty(state)?;
    bytes.push(b'\n');
    std::fs::create_dir_all(&dir).map_err(io("create", &dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io("write", &path))?;
    tmp.write_all(&bytes)
        .and_then(|()| tmp.as_file().sync_data())
        .map_err(io("write", &path))?;
    tmp.persist(&path)
        .map_err(|e| io("write", &path)(e.error))?;
    Ok(())
}

/// Loads the journal of session `id`; `None` when there is none.
pub fn load<T: DeserializeOwned>(data_dir: &Path, id: &str) -> Result<Option<T>, JournalError> {
    let path = journal_path(data_dir, id)?;
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(JournalError::Io {
                action: "read",
                path,
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| JournalError::Decode { path, source })
}

/// Removes the journal of session `id`; removing one that does not exist is not an error.
pub fn remove(data_dir: &Path, id: &str) -> Result<(), JournalError> {
    let path = journal_path(data_dir, id)?;
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(JournalError::Io {
            action: "remove",
            path,
            source,
        }),
    }
}

/// Ids of the saved journals, sorted, so practice can offer to resume them. Temporary files of
/// an interrupted save are not journals and are left out.
pub fn list(data_dir: &Path) -> Result<Vec<String>, JournalError> {
    let dir = data_dir.join(JOURNAL_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(JournalError::Io {
                action: "read",
                path: dir,
                source,
            });
        }
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?;
            journal_path(data_dir, id).ok().map(|_| id.to_string())
        })
        .collect();
    ids.sort();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn save_load_replace_list_remove() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = BTreeMap::from([("step", 1)]);
        save(dir.path(), "s-1", &state).unwrap();
        state.insert("step", 2);
        save(dir.path(), "s-1", &state).unwrap();
        save(dir.path(), "s-0", &state).unwrap();
        let back: Option<BTreeMap<String, i32>> = load(dir.path(), "s-1").unwrap();
        assert_eq!(back.unwrap()["step"], 2);
        assert_eq!(list(dir.path()).unwrap(), ["s-0", "s-1"]);
        remove(dir.path(), "s-1").unwrap();
        remove(dir.path(), "s-1").unwrap();
        assert_eq!(list(dir.path()).unwrap(), ["s-0"]);
        let gone: Option<BTreeMap<String, i32>> = load(dir.path(), "s-1").unwrap();
        assert_eq!(gone, None);
    }

    #[test]
    fn ids_cannot_escape_the_journal_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["", "../x", "a/b", "a.b"] {
            assert!(matches!(
                save(dir.path(), bad, &1),
                Err(JournalError::BadId(_))
            ));
        }
    }

    #[test]
    fn a_damaged_journal_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), "s", &1).unwrap();
        std::fs::write(journal_path(dir.path(), "s").unwrap(), "{").unwrap();
        let err = load::<i32>(dir.path(), "s").unwrap_err().to_string();
        assert!(err.contains("journal") && err.contains("s.json"), "{err}");
    }
}
