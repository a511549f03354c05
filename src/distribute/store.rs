//! The installed packs in `DATA/packs/`: fetching a source, installing, updating and removing,
//! and the list every command loads.
//!
//! Each change follows the same order: fetch the source into memory and validate it (nothing
//! on disk has changed yet), take the writer lock (`DATA/packs/.writer`, so two installs cannot
//! interleave), write the new pack to a fresh directory, then replace the lock file, which is the
//! moment the change takes effect, and only then remove the directory it replaced. A failure
//! before the lock is replaced leaves the installed packs and the lock as they were (a stray
//! directory the lock does not name is ignored, and swept by the next change).

use std::fs::File;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::archive;
use super::changes::{self, Changes};
use super::escape::clean;
use super::git::{self, GitError};
use super::lock::{Lock, Locked};
use super::source::{Source, SourceError, SourceKind};
use super::tree::{MAX_TOTAL_BYTES, Tree, sha256_hex};
use crate::diag::{Diagnostic, Diagnostics, io_reason};
use crate::pack::Pack;
use crate::pack::load::{self, BUILTIN_ID, Origin};

/// The folder of installed packs inside the data directory.
pub const PACKS_DIR: &str = "packs";
/// The file whose lock serialises changes to the installed packs.
const WRITER_LOCK: &str = ".writer";
/// Prefix of directories being written; they are not installed packs.
const STAGING_PREFIX: &str = ".staging-";

/// Why an install, update or removal did not happen. Nothing was changed in every case.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SOURCE cannot be used.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// git failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The source's files were refused or are not a valid pack; located problems.
    #[error(transparent)]
    Pack(#[from] Diagnostics),
    /// The pack's id is taken.
    #[error("{0}")]
    Collision(String),
    /// No installed pack has that id.
    #[error("{0}")]
    NotInstalled(String),
    /// The update would replace a pack by another one.
    #[error("{0}")]
    Mismatch(String),
    /// A file operation failed.
    #[error("cannot {action} {}: {reason}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// Why, in words that suggest a fix.
        reason: String,
    },
}

impl StoreError {
    /// As an error for the command line: located problems stay [`Diagnostics`], so they print
    /// one per line with their count.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            StoreError::Pack(d) => anyhow::Error::new(d),
            other => anyhow::Error::new(other),
        }
    }
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |e| StoreError::Io {
        action,
        path,
        reason: io_reason(&e),
    }
}

/// The packs directory inside `data_dir`.
pub fn packs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(PACKS_DIR)
}

/// A source fetched into memory and validated.
#[derive(Debug)]
pub struct Fetched {
    /// The files.
    pub tree: Tree,
    /// The pack they make.
    pub pack: Pack,
    /// The commit, for a git source.
    pub commit: Option<String>,
    /// The archive's or the file's SHA-256, or the directory's digest, for other sources.
    pub sha256: Option<String>,
}

/// Reads `source` into memory and validates it; nothing is written except, for git, to a
/// temporary directory that is removed.
pub fn fetch(source: &Source) -> Result<Fetched, StoreError> {
    let shown = clean(&source.display());
    let (tree, commit, sha256) = match source.kind {
        SourceKind::Directory => {
            let tree = Tree::from_dir(Path::new(&source.location), &shown)?;
            let digest = tree.digest();
            (tree, None, Some(digest))
        }
        SourceKind::File => {
            let tree = Tree::from_file(Path::new(&source.location), &shown)?;
            let digest = tree.digest();
            (tree, None, Some(digest))
        }
        SourceKind::Archive => {
            let bytes = read_archive_file(Path::new(&source.location), &shown)?;
            let tree = archive::read_archive(&bytes, &shown)?;
            (tree, None, Some(sha256_hex(&bytes)))
        }
        SourceKind::Git => {
            let work = tempfile::Builder::new()
                .prefix("rehearse-git-")
                .tempdir()
                .map_err(io("create a temporary directory in", &std::env::temp_dir()))?;
            let fetched = git::fetch(
                &source.location,
                source.reference.as_deref(),
                work.path(),
                &shown,
            )
            .map_err(|e| match e {
                git::FetchError::Git(g) => StoreError::Git(g),
                git::FetchError::Pack(d) => StoreError::Pack(d),
            })?;
            (fetched.tree, Some(fetched.commit), None)
        }
    };
    let pack = tree.load(&shown).map_err(|mut d| {
        d.0 = Diagnostics(d.0).sorted().0;
        d.0.push(Diagnostic::file(
            &shown,
            "not installed: fix the problems above in the pack, then run the command again",
        ));
        d
    })?;
    Ok(Fetched {
        tree,
        pack,
        commit,
        sha256,
    })
}

fn read_archive_file(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostics> {
    use std::io::Read;
    let fail = |e: std::io::Error| {
        Diagnostics::from(Diagnostic::file(
            shown,
            format!("cannot read: {}", io_reason(&e)),
        ))
    };
    let mut bytes = Vec::new();
    File::open(path)
        .map_err(fail)?
        .take(MAX_TOTAL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_TOTAL_BYTES {
        return Err(Diagnostic::file(shown, super::tree::too_large_total()).into());
    }
    Ok(bytes)
}

/// The installed packs' lock, held while they change.
struct Writer {
    dir: PathBuf,
    lock: Lock,
    _file: File,
}

impl Writer {
    /// Creates the packs directory if needed, takes the writer lock and reads the lock file.
    fn open(data_dir: &Path) -> Result<Writer, StoreError> {
        let dir = packs_dir(data_dir);
        std::fs::create_dir_all(&dir).map_err(io("create", &dir))?;
        let path = dir.join(WRITER_LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io("open", &path))?;
        file.lock().map_err(io("lock", &path))?;
        let lock = Lock::read(&dir)?;
        let writer = Writer {
            dir,
            lock,
            _file: file,
        };
        writer.sweep();
        Ok(writer)
    }

    /// Removes directories that earlier changes left half-made (after a crash); they were never
    /// named by the lock, so nothing loads them.
    fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Writes `tree` to a new directory named for the pack and its content; returns the name.
    fn write_pack(&self, id: &str, tree: &Tree) -> Result<String, StoreError> {
        let name = format!("{id}-{}", &tree.digest()[..12]);
        let target = self.dir.join(&name);
        if target.exists() {
            if self.lock.packs.iter().any(|p| p.dir == name) {
                // The same files are installed already (a new commit that changed nothing).
                return Ok(name);
            }
            std::fs::remove_dir_all(&target).map_err(io("replace", &target))?;
        }
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(&self.dir)
            .map_err(io("create a directory in", &self.dir))?;
        tree.write_to(staging.path())
            .map_err(io("write the pack to", staging.path()))?;
        std::fs::rename(staging.path(), &target).map_err(io("create", &target))?;
        Ok(name)
    }

    /// Replaces the lock file with `lock`; on failure removes `new_dir` (not yet named by any
    /// lock) so that nothing changed.
    fn commit(&mut self, lock: Lock, new_dir: Option<&str>) -> Result<(), StoreError> {
        if let Err(e) = lock.write(&self.dir) {
            if let Some(d) = new_dir.filter(|d| !self.lock.packs.iter().any(|p| p.dir == *d)) {
                let _ = std::fs::remove_dir_all(self.dir.join(d));
            }
            return Err(io("write", &self.dir.join(super::lock::LOCK_FILE))(e));
        }
        self.lock = lock;
        Ok(())
    }

    /// Removes an installed pack's directory once no lock entry names it.
    fn remove_dir(&self, name: &str) {
        if !self.lock.packs.iter().any(|p| p.dir == name) {
            let _ = std::fs::remove_dir_all(self.dir.join(name));
        }
    }
}

/// Refuses an id that is the built-in pack's or an installed pack's, naming both.
fn check_free(lock: &Lock, pack: &Pack, shown: &str) -> Result<(), StoreError> {
    let id = &pack.meta.id;
    if id == BUILTIN_ID {
        let builtin = crate::pack::builtin::pack()
            .map(|p| clean(&p.meta.title))
            .unwrap_or_default();
        return Err(StoreError::Collision(format!(
            "pack `{id}` from {shown} has the id of the built-in pack `{BUILTIN_ID}` ({builtin}); \
             the pack's author must give it another id in its pack.yaml"
        )));
    }
    if let Some(installed) = lock.get(id) {
        return Err(StoreError::Collision(format!(
            "pack `{id}` from {shown} has the id of the installed pack `{id}` {} from {}; \
             `rehearse pack update {id}` updates that one, or `rehearse pack remove {id}` removes \
             it first",
            clean(&installed.version),
            clean(&installed.source().display())
        )));
    }
    Ok(())
}

fn entry(source: &Source, fetched: &Fetched, dir: String, now: Timestamp) -> Locked {
    Locked {
        id: fetched.pack.meta.id.clone(),
        version: fetched.pack.meta.version.clone(),
        title: fetched.pack.meta.title.clone(),
        questions: fetched.pack.questions.len(),
        kind: source.kind,
        source: source.location.clone(),
        reference: source.reference.clone(),
        commit: fetched.commit.clone(),
        sha256: fetched.sha256.clone(),
        // Whole seconds: the lock is read by people, and nothing needs finer.
        installed_at: now.round(jiff::Unit::Second).unwrap_or(now),
        dir,
    }
}

/// Installs the pack at `source`. Returns its lock entry and the pack.
pub fn install(
    data_dir: &Path,
    source: &Source,
    now: Timestamp,
) -> Result<(Locked, Pack), StoreError> {
    let shown = clean(&source.display());
    let fetched = fetch(source)?;
    // Checked before taking the lock so a refused id creates nothing, then again under it.
    check_free(&Lock::read(&packs_dir(data_dir))?, &fetched.pack, &shown)?;
    let mut writer = Writer::open(data_dir)?;
    check_free(&writer.lock, &fetched.pack, &shown)?;
    let dir = writer.write_pack(&fetched.pack.meta.id, &fetched.tree)?;
    let locked = entry(source, &fetched, dir.clone(), now);
    let mut lock = writer.lock.clone();
    lock.packs.push(locked.clone());
    lock.packs.sort_by(|a, b| a.id.cmp(&b.id));
    writer.commit(lock, Some(&dir))?;
    Ok((locked, fetched.pack))
}

/// What `pack update` did to one pack.
#[derive(Debug)]
pub struct Updated {
    /// The entry before.
    pub before: Locked,
    /// The entry after (equal to `before` when already up to date).
    pub after: Locked,
    /// What changed in the questions; `None` when the source had not changed.
    pub changes: Option<Changes>,
}

/// Updates the installed pack `id`, or every installed pack. Stops at the first failure; packs
/// updated before it stay updated, the failing one stays as it was.
pub fn update(
    data_dir: &Path,
    id: Option<&str>,
    now: Timestamp,
) -> Result<Vec<Updated>, StoreError> {
    let lock = Lock::read(&packs_dir(data_dir))?;
    let ids: Vec<String> = match id {
        Some(id) => vec![require(&lock, id)?.id.clone()],
        None => lock.packs.iter().map(|p| p.id.clone()).collect(),
    };
    let mut done = Vec::new();
    for id in ids {
        let mut writer = Writer::open(data_dir)?;
        let before = require(&writer.lock, &id)?.clone();
        let source = before.source();
        let fetched = fetch(&source)?;
        if fetched.pack.meta.id != before.id {
            return Err(StoreError::Mismatch(format!(
                "{} now holds pack `{}`, not `{}`; nothing was changed (install it with \
                 `rehearse pack install`, or remove `{}` first)",
                clean(&source.display()),
                fetched.pack.meta.id,
                before.id,
                before.id
            )));
        }
        if fetched.commit == before.commit && fetched.sha256 == before.sha256 {
            done.push(Updated {
                after: before.clone(),
                before,
                changes: None,
            });
            continue;
        }
        let old = load_installed(&writer.dir, &before).ok();
        let changes = changes::compare(old.as_ref(), &fetched.pack);
        let dir = writer.write_pack(&before.id, &fetched.tree)?;
        let after = entry(&source, &fetched, dir.clone(), now);
        let mut lock = writer.lock.clone();
        if let Some(slot) = lock.packs.iter_mut().find(|p| p.id == before.id) {
            *slot = after.clone();
        }
        writer.commit(lock, Some(&dir))?;
        writer.remove_dir(&before.dir);
        done.push(Updated {
            before,
            after,
            changes: Some(changes),
        });
    }
    Ok(done)
}

/// Removes the installed pack `id`; the history is not touched.
pub fn remove(data_dir: &Path, id: &str) -> Result<Locked, StoreError> {
    if id == BUILTIN_ID {
        return Err(StoreError::NotInstalled(format!(
            "`{BUILTIN_ID}` is the built-in pack; it cannot be removed, but `--no-builtin` leaves \
             it out of any command"
        )));
    }
    // Checked before taking the lock, so removing an unknown id creates nothing.
    require(&Lock::read(&packs_dir(data_dir))?, id)?;
    let mut writer = Writer::open(data_dir)?;
    let removed = require(&writer.lock, id)?.clone();
    let mut lock = writer.lock.clone();
    lock.packs.retain(|p| p.id != id);
    writer.commit(lock, None)?;
    writer.remove_dir(&removed.dir);
    Ok(removed)
}

/// The lock entry of `id`, or an error naming the installed ids.
pub fn require<'a>(lock: &'a Lock, id: &str) -> Result<&'a Locked, StoreError> {
    lock.get(id).ok_or_else(|| {
        let ids: Vec<&str> = lock.packs.iter().map(|p| p.id.as_str()).collect();
        let suggestion = crate::yaml::suggest(id, &ids)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        StoreError::NotInstalled(format!(
            "no installed pack `{}`{suggestion}; `rehearse pack list` shows the installed packs",
            clean(id)
        ))
    })
}

/// Reads the lock of the installed packs in `data_dir`.
pub fn read_lock(data_dir: &Path) -> Result<Lock, Diagnostics> {
    Lock::read(&packs_dir(data_dir))
}

/// Loads one installed pack from its directory, marked with what is installed.
pub fn load_installed(packs_dir: &Path, locked: &Locked) -> Result<Pack, Diagnostics> {
    let dir = Lock::dir_of(packs_dir, locked);
    let mut pack = load::load_path(&dir).map_err(|mut d| {
        d.0.push(Diagnostic::file(
            dir.display().to_string(),
            format!(
                "the installed pack `{}` does not load; `rehearse pack update {0}` installs it \
                 again, `rehearse pack remove {0}` removes it",
                locked.id
            ),
        ));
        d
    })?;
    if pack.meta.id != locked.id {
        return Err(Diagnostic::file(
            dir.display().to_string(),
            format!(
                "holds pack `{}`, but the lock says `{}`; `rehearse pack remove {}` and install it again",
                pack.meta.id, locked.id, locked.id
            ),
        )
        .into());
    }
    pack.origin = Origin::Installed {
        path: dir,
        revision: locked.revision(),
    };
    Ok(pack)
}

/// Every installed pack, loaded, in id order. No data directory means none.
pub fn installed_packs(data_dir: Option<&Path>) -> Result<Vec<Pack>, Diagnostics> {
    let Some(data_dir) = data_dir else {
        return Ok(Vec::new());
    };
    let dir = packs_dir(data_dir);
    let lock = Lock::read(&dir)?;
    let mut packs = Vec::new();
    let mut problems = Vec::new();
    for locked in &lock.packs {
        match load_installed(&dir, locked) {
            Ok(p) => packs.push(p),
            Err(d) => problems.extend(d.0),
        }
    }
    if problems.is_empty() {
        Ok(packs)
    } else {
        Err(Diagnostics(problems))
    }
}
