//! Finding the answer files a drill grades: the paths given, with directories searched
//! recursively, sorted so that output never depends on the order a file system lists entries in.
//!
//! A path that cannot be read does not stop the others: it becomes a [`Found`] carrying its
//! problem, sorted among the rest, so reports show it where the file would have been.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, io_reason};

/// Deepest directory level searched. Cohort directories are shallow (a folder per group at
/// most); the bound stops a symlink loop from recursing forever.
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

/// Every answers file under `paths`, sorted by shown path, each listed once. A file named
/// directly is taken whatever its extension; in a directory only `*.yaml` and `*.yml` files
/// count, and hidden entries (`.git`, editor backups) are skipped.
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
                let before = found.len();
                walk(path, 0, &mut found);
                if found.len() == before {
                    found.push(problem(
                        shown,
                        path,
                        "no answer files (*.yaml, *.yml) in this directory; `rehearse template` \
                         writes one"
                            .to_string(),
                    ));
                }
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
    found
}

fn problem(shown: String, path: &Path, message: String) -> Found {
    Found {
        problem: Some(Diagnostic::file(&shown, message)),
        shown,
        path: path.to_path_buf(),
    }
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<Found>) {
    if depth > MAX_DEPTH {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let shown = dir.display().to_string();
            out.push(problem(
                shown,
                dir,
                format!("cannot list: {}", io_reason(&e)),
            ));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                let shown = dir.display().to_string();
                out.push(problem(
                    shown,
                    dir,
                    format!("cannot list: {}", io_reason(&e)),
                ));
                continue;
            }
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, depth + 1, out);
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(Found {
                shown: path.display().to_string(),
                path,
                problem: None,
            });
        }
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
