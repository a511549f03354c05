//! Finding the YAML files under a directory, for pack directories and drills alike.
//!
//! Directories come from strangers, so the walk expects the worst: a symbolic link back to a
//! parent (a loop that would list the same files thousands of times), two names for one file,
//! names that are not UTF-8. Each directory is entered once and each file listed once, both
//! known by device and inode; a link that leads back into the walk is reported, and so is a
//! name that cannot be shown, rather than skipped in silence. Hidden entries (`.git`, editor
//! backups) are skipped; only `*.yaml` and `*.yml` files count.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, io_reason};

/// What a walk found: files (in the order listed, not sorted) and problems worth a message.
#[derive(Debug, Default)]
pub struct Walk {
    /// YAML files, each once however many names lead to it.
    pub files: Vec<PathBuf>,
    /// Loops, unreadable directories and names that are not UTF-8.
    pub problems: Vec<Diagnostic>,
}

/// A file's identity: device and inode where there are such, the path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileId {
    /// Device and inode.
    Inode(u64, u64),
    /// The canonical path, on systems without inodes.
    Path(PathBuf),
}

/// The identity of the file or directory at `path` (symlinks followed), if it can be read.
pub fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId::Path)
    }
}

/// Every YAML file under `dir`, at most `max_depth` directories down (deeper ones are not
/// searched, as `crate::pack::load::is_pack_file` describes for packs).
pub fn yaml_files(dir: &Path, max_depth: usize) -> Walk {
    let mut walk = Walk::default();
    let mut state = State {
        entered: HashSet::new(),
        files: HashSet::new(),
        stack: Vec::new(),
        max_depth,
    };
    state.enter(dir, &mut walk);
    walk
}

struct State {
    /// Directories already entered.
    entered: HashSet<FileId>,
    /// Files already listed.
    files: HashSet<FileId>,
    /// The directories being walked, outermost first, to say where a loop leads.
    stack: Vec<(FileId, PathBuf)>,
    max_depth: usize,
}

impl State {
    fn enter(&mut self, dir: &Path, walk: &mut Walk) {
        let shown = dir.display().to_string();
        let Some(id) = file_id(dir) else {
            walk.problems
                .push(Diagnostic::file(&shown, "cannot read this directory"));
            return;
        };
        if let Some((_, ancestor)) = self.stack.iter().find(|(a, _)| *a == id) {
            walk.problems.push(Diagnostic::file(
                &shown,
                format!(
                    "a symbolic link loop: this is {} again; not searched twice",
                    ancestor.display()
                ),
            ));
            return;
        }
        if !self.entered.insert(id.clone()) {
            // A second name for a directory already searched: its files are listed already.
            return;
        }
        if self.stack.len() > self.max_depth {
            // Deeper directories are not searched, as documented for packs and drills.
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                walk.problems.push(Diagnostic::file(
                    &shown,
                    format!("cannot list: {}", io_reason(&e)),
                ));
                return;
            }
        };
        self.stack.push((id, dir.to_path_buf()));
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => walk.problems.push(Diagnostic::file(
                    &shown,
                    format!("cannot list: {}", io_reason(&e)),
                )),
            }
        }
        // Sorted so that which of two names for one file is kept never depends on the file
        // system's order.
        paths.sort();
        for path in paths {
            let Some(name) = path.file_name() else {
                continue;
            };
            let Some(name) = name.to_str() else {
                walk.problems.push(Diagnostic::file(
                    path.display().to_string(),
                    "this name is not valid UTF-8, so it is not read; rename the file",
                ));
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                self.enter(&path, walk);
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                // A dangling link has no identity: listed, so reading it reports why.
                if file_id(&path).is_none_or(|id| self.files.insert(id)) {
                    walk.files.push(path);
                }
            }
        }
        self.stack.pop();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_back_up_are_reported_once_and_files_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/one.yaml"), "x: 1\n").unwrap();
        for link in ["up1", "up2", "up3"] {
            symlink("..", root.join("a").join(link)).unwrap();
        }
        symlink("one.yaml", root.join("a/same.yaml")).unwrap();
        let walk = yaml_files(root, 16);
        assert_eq!(walk.files, [root.join("a/one.yaml")]);
        assert_eq!(walk.problems.len(), 3, "{:?}", walk.problems);
        assert!(
            walk.problems
                .iter()
                .all(|p| p.message.contains("symbolic link loop")),
            "{:?}",
            walk.problems
        );
    }

    #[test]
    fn names_that_are_not_utf8_are_reported() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.yaml"), "x: 1\n").unwrap();
        let bad = dir.path().join(OsStr::from_bytes(b"z\xff.yaml"));
        if std::fs::write(&bad, "x: 1\n").is_err() {
            return; // a file system that refuses such names cannot have the problem
        }
        let walk = yaml_files(dir.path(), 16);
        assert_eq!(walk.files.len(), 1);
        assert_eq!(walk.problems.len(), 1);
        assert!(walk.problems[0].message.contains("not valid UTF-8"));
    }
}
