//! The lock file, `DATA/packs/packs.lock`: which packs are installed, from where, at which commit
//! or checksum, and in which directory. Documented in `docs/distributing-packs.md`.
//!
//! JSON, written whole to a temporary file beside it, synced, then renamed over the old one, so
//! a reader sees the old or the new lock and never half of one. Every command that loads packs
//! reads it; a damaged lock is reported as `FILE:LINE:COLUMN` rather than guessed at.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::source::{Source, SourceKind};
use crate::diag::{Diagnostic, Diagnostics, Pos, io_reason};
use crate::pack::validate::is_kebab;

/// The lock file's name inside the packs directory.
pub const LOCK_FILE: &str = "packs.lock";
/// The lock format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The whole lock file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Version of this layout.
    pub format_version: u32,
    /// The installed packs, sorted by id.
    pub packs: Vec<Locked>,
}

impl Default for Lock {
    fn default() -> Self {
        Lock {
            format_version: FORMAT_VERSION,
            packs: Vec::new(),
        }
    }
}

/// One installed pack.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Locked {
    /// Pack id.
    pub id: String,
    /// Pack version (the manifest's `version`).
    pub version: String,
    /// Pack title.
    pub title: String,
    /// How many questions it has.
    pub questions: usize,
    /// What kind of source it came from.
    pub kind: SourceKind,
    /// The source: an absolute path or a repository URL.
    pub source: String,
    /// The tag, branch or commit asked for, for a git source; `pack update` fetches it again.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The commit installed, for a git source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// SHA-256 of the archive or the file installed, or of a directory's pack files (see the
    /// docs), for other sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// When it was installed or last updated.
    pub installed_at: Timestamp,
    /// Its directory inside the packs directory.
    pub dir: String,
}

impl Locked {
    /// The source as it was given (location and `#REF`).
    pub fn source(&self) -> Source {
        Source {
            kind: self.kind,
            location: self.source.clone(),
            reference: self.reference.clone(),
        }
    }

    /// What exactly is installed, as history records it: `git:COMMIT` or `sha256:HEX`.
    pub fn revision(&self) -> Option<String> {
        match (&self.commit, &self.sha256) {
            (Some(c), _) => Some(format!("git:{c}")),
            (None, Some(s)) => Some(format!("sha256:{s}")),
            (None, None) => None,
        }
    }
}

impl Lock {
    /// The entry of pack `id`.
    pub fn get(&self, id: &str) -> Option<&Locked> {
        self.packs.iter().find(|p| p.id == id)
    }

    /// Reads the lock in `packs_dir`; a missing file is an empty lock.
    pub fn read(packs_dir: &Path) -> Result<Lock, Diagnostics> {
        let path = packs_dir.join(LOCK_FILE);
        let shown = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Lock::default()),
            Err(e) => {
                return Err(
                    Diagnostic::file(&shown, format!("cannot read: {}", io_reason(&e))).into(),
                );
            }
        };
        let repair = "repair it, or remove it and install the packs again";
        let lock: Lock = serde_json::from_slice(&bytes).map_err(|e| {
            let pos = Pos::new(e.line() as u32, e.column() as u32);
            Diagnostics::from(Diagnostic::at(&shown, pos, format!("{e}; {repair}")))
        })?;
        let mut problems = Vec::new();
        if lock.format_version != FORMAT_VERSION {
            problems.push(format!(
                "format_version {} is not {FORMAT_VERSION}, the only one this rehearse reads",
                lock.format_version
            ));
        }
        for (i, p) in lock.packs.iter().enumerate() {
            if !is_kebab(&p.id) || !is_plain_name(&p.dir) {
                problems.push(format!("pack {} has an invalid id or directory", i + 1));
            }
            if lock.packs[..i].iter().any(|q| q.id == p.id) {
                problems.push(format!("pack `{}` is listed twice", p.id));
            }
        }
        if problems.is_empty() {
            Ok(lock)
        } else {
            Err(Diagnostics(
                problems
                    .into_iter()
                    .map(|m| Diagnostic::file(&shown, format!("{m}; {repair}")))
                    .collect(),
            ))
        }
    }

    /// Replaces the lock in `packs_dir` atomically.
    pub fn write(&self, packs_dir: &Path) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        let mut tmp = tempfile::Builder::new()
            .prefix(".lock-")
            .tempfile_in(packs_dir)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(packs_dir.join(LOCK_FILE))
            .map_err(|e| e.error)?;
        Ok(())
    }

    /// The directory of an installed pack.
    pub fn dir_of(packs_dir: &Path, locked: &Locked) -> PathBuf {
        packs_dir.join(&locked.dir)
    }
}

/// A file name that stays inside its directory: no separator, not `.`/`..`, not hidden.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked(id: &str) -> Locked {
        Locked {
            id: id.into(),
            version: "1.0.0".into(),
            title: "T".into(),
            questions: 2,
            kind: SourceKind::Git,
            source: "file:///srv/p.git".into(),
            reference: Some("v1".into()),
            commit: Some("ab".repeat(20)),
            sha256: None,
            installed_at: Timestamp::UNIX_EPOCH,
            dir: format!("{id}-0123456789ab"),
        }
    }

    #[test]
    fn a_lock_round_trips_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Lock::read(dir.path()).unwrap(), Lock::default());
        let lock = Lock {
            format_version: FORMAT_VERSION,
            packs: vec![locked("a"), locked("b")],
        };
        lock.write(dir.path()).unwrap();
        assert_eq!(Lock::read(dir.path()).unwrap(), lock);
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert!(text.contains("\"ref\": \"v1\""), "{text}");
        assert!(!text.contains("sha256"), "{text}");
        assert_eq!(
            lock.packs[0].revision(),
            Some(format!("git:{}", "ab".repeat(20)))
        );
    }

    #[test]
    fn a_damaged_lock_is_located_and_one_pointing_elsewhere_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOCK_FILE),
            "{\"format_version\": 1,\n \"packs\": [}",
        )
        .unwrap();
        let e = Lock::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("packs.lock:2:"), "{e}");
        assert!(e.contains("repair it"), "{e}");
        let mut bad = Lock::default();
        bad.packs.push(locked("a"));
        bad.packs[0].dir = "../../etc".into();
        bad.write(dir.path()).unwrap();
        let e = Lock::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("pack 1 has an invalid id or directory"), "{e}");
    }
}
