//! Finding the answer files a drill grades: the paths given, with directories searched
//! recursively, sorted so that output never depends on the order a file system lists entries in.
//!
//! A path that cannot be read does not stop the others: it becomes a [`Found`] carrying its
//! problem, sorted among the rest, so reports show it where the file would have been.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, io_reason};

/// Deepest directory level searched. Cohort directories are shallow (a folder per group at
/// most); symbolic link loops are found by the walk, this only bounds honest depth.
const MAX_DEPTH: usize = 16;

/// One answers file to grade, or a path that could not be searched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The path as reports show it: as given, or the directory as given joined with the rest.
    pub shown: String,
    /// The path to read.
    pub path: PathBuf,
    /// Why the path cannot be graded, when it cannot.
    pub problem: Option<Diagnostic>,
}

/// Every answers file under `paths`, sorted by shown path, each listed once, however many names
/// lead to it (the first in sorted order is kept). A file named directly is taken whatever its
/// extension; in a directory only `*.yaml` and `*.yml` files count, and hidden entries (`.git`,
/// editor backups) are skipped. Symbolic link loops and names that are not UTF-8 are problems.
pub fn discover(paths: &[PathBuf]) -> Vec<Found> {
    let mut found = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => found.push(problem(
                shown,
                path,
                format!("cannot read: {}", io_reason(&e)),
            )),
            Ok(meta) if meta.is_dir() => {
                let walk = crate::walk::yaml_files(path, MAX_DEPTH);
                if walk.files.is_empty() && walk.problems.is_empty() {
                    found.push(problem(
                        shown,
                        path,
                        "no answer files (*.yaml, *.yml) in this directory; `rehearse template` \
                         writes one"
                            .to_string(),
                    ));
                }
                found.extend(walk.files.into_iter().map(|path| Found {
                    shown: path.display().to_string(),
                    path,
                    problem: None,
                }));
                found.extend(walk.problems.into_iter().map(|d| Found {
                    shown: d.file.clone(),
                    path: PathBuf::from(&d.file),
                    problem: Some(d),
                }));
            }
            Ok(_) => found.push(Found {
                shown,
                path: path.clone(),
                problem: None,
            }),
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.shown == b.shown);
    // The same file named twice (directly and in a directory, or through a link) is graded once.
    let mut seen = HashSet::new();
    found.retain(|f| {
        f.problem.is_some() || crate::walk::file_id(&f.path).is_none_or(|id| seen.insert(id))
    });
    found
}

fn problem(shown: String, path: &Path, message: String) -> Found {
    Found {
        problem: Some(Diagnostic::file(&shown, message)),
        shown,
        path: path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_searched_recursively_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deep")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "z.yaml",
            "a.yml",
            "b/deep/c.yaml",
            "notes.txt",
            ".hidden.yaml",
            ".git/x.yaml",
        ] {
            std::fs::write(root.join(f), "answers: []\n").unwrap();
        }
        let found = discover(&[
            root.to_path_buf(),
            root.join("z.yaml"),
            root.join("notes.txt"),
        ]);
        let rel: Vec<String> = found
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["a.yml", "b/deep/c.yaml", "notes.txt", "z.yaml"]);
        assert!(found.iter().all(|f| f.problem.is_none()));
    }

    #[test]
    fn unreadable_paths_become_problems_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let found = discover(&[dir.path().join("missing.yaml"), empty]);
        assert_eq!(found.len(), 2);
        let messages: Vec<String> = found
            .iter()
            .map(|f| f.problem.as_ref().unwrap().message.clone())
            .collect();
        assert!(messages[0].contains("no answer files"), "{messages:?}");
        assert!(messages[1].contains("no such file"), "{messages:?}");
    }
}
