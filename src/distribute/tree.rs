//! A pack's files held in memory between fetching and installing: exactly the files the loader
//! reads, by their path inside the pack, read within fixed limits.
//!
//! Holding them in memory lets an install validate the very bytes it will write, before writing
//! anything, and name every problem by where the file came from (`SOURCE/questions/a.yaml:3:5`)
//! rather than by a temporary directory.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics, io_reason};
use crate::pack::load::{self, MANIFEST, Origin, Pack, is_pack_file};
use crate::yaml::MAX_FILE_BYTES;

/// Most files (of any kind) a source may hold: packs are a few dozen files.
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes a source may unpack to, all files together; stops a decompression bomb early.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// The files of one pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    /// Path inside the pack (ordered as the loader orders paths) to content.
    files: BTreeMap<PathBuf, Vec<u8>>,
    /// A single-file pack: one YAML file holding manifest and questions, stored as `pack.yaml`.
    single: bool,
}

impl Tree {
    /// A directory pack's tree from its files.
    pub fn from_files(files: BTreeMap<PathBuf, Vec<u8>>) -> Tree {
        Tree {
            files,
            single: false,
        }
    }

    /// A single-file pack read from `path`.
    pub fn from_file(path: &Path, shown: &str) -> Result<Tree, Diagnostics> {
        let bytes = read_bounded(path, shown)?;
        Ok(Tree {
            files: BTreeMap::from([(PathBuf::from(MANIFEST), bytes)]),
            single: true,
        })
    }

    /// A directory pack read from disk: the files the loader would read, each a regular file (or
    /// a link to one inside the directory).
    pub fn from_dir(dir: &Path, shown: &str) -> Result<Tree, Diagnostics> {
        let root = dir.canonicalize().map_err(|e| {
            Diagnostics::from(Diagnostic::file(
                shown,
                format!("cannot read: {}", io_reason(&e)),
            ))
        })?;
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        let mut total = 0u64;
        let mut seen = 0usize;
        walk(&root, Path::new(""), &mut |rel, path| {
            seen += 1;
            if seen > MAX_ENTRIES {
                return Err(Diagnostic::file(
                    shown,
                    format!("more than {MAX_ENTRIES} files; a pack is a few dozen files"),
                ));
            }
            if !is_pack_file(rel) {
                return Ok(());
            }
            let name = format!("{shown}/{}", rel.display());
            // A link is followed only to a regular file inside the pack directory.
            let target = match path.canonicalize() {
                Ok(t) if t.starts_with(&root) => t,
                Ok(_) => {
                    problems.push(Diagnostic::file(
                        &name,
                        "a link to a file outside the pack directory; copy the file into the pack",
                    ));
                    return Ok(());
                }
                Err(e) => {
                    problems.push(Diagnostic::file(
                        &name,
                        format!("cannot read: {}", io_reason(&e)),
                    ));
                    return Ok(());
                }
            };
            match read_bounded(&target, &name) {
                Ok(bytes) => {
                    total += bytes.len() as u64;
                    files.insert(rel.to_path_buf(), bytes);
                }
                Err(d) => problems.extend(d.0),
            }
            if total > MAX_TOTAL_BYTES {
                return Err(Diagnostic::file(shown, too_large_total()));
            }
            Ok(())
        })
        .map_err(Diagnostics::from)?;
        if problems.is_empty() {
            Ok(Tree::from_files(files))
        } else {
            Err(Diagnostics(problems).sorted())
        }
    }

    /// Validates the pack the way `pack validate` does, naming files as `SHOWN/path`.
    pub fn load(&self, shown: &str) -> Result<Pack, Diagnostics> {
        if self.single {
            let bytes = self.files.values().next().cloned().unwrap_or_default();
            let origin = Origin::Path(PathBuf::from(shown));
            return load::load_files(vec![(shown.to_string(), bytes)], false, origin, shown);
        }
        if !self.files.contains_key(Path::new(MANIFEST)) {
            return Err(Diagnostic::file(
                shown,
                format!(
                    "not a pack: no {MANIFEST} at its top (or in its only directory); a pack \
                     needs a manifest with format_version, id, title and version (see \
                     docs/pack-format.md)"
                ),
            )
            .into());
        }
        let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(self.files.len());
        for (rel, bytes) in &self.files {
            let name = format!("{shown}/{}", rel.display());
            if rel == Path::new(MANIFEST) {
                files.insert(0, (name, bytes.clone()));
            } else {
                files.push((name, bytes.clone()));
            }
        }
        load::load_files(files, true, Origin::Path(PathBuf::from(shown)), shown)
    }

    /// SHA-256 of the files, as 64 lowercase hex digits. For a single-file pack, of the file
    /// (what `sha256sum FILE` prints); for a directory pack, of each file in load order: its path
    /// (with `/`), a NUL byte, its length in decimal, a NUL byte and its bytes. The same files give
    /// the same digest on every machine.
    pub fn digest(&self) -> String {
        if self.single {
            return sha256_hex(self.files.values().next().map_or(&[][..], Vec::as_slice));
        }
        let mut hash = Sha256::new();
        for (rel, bytes) in &self.files {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            hash.update(rel.join("/").as_bytes());
            hash.update([0]);
            hash.update(bytes.len().to_string().as_bytes());
            hash.update([0]);
            hash.update(bytes);
        }
        hex(&hash.finalize())
    }

    /// Writes the files under `dir` (which exists and is empty).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes)?;
        }
        Ok(())
    }
}

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn too_large_total() -> String {
    format!(
        "unpacks to more than {} MiB; a pack is prose and stays far smaller",
        MAX_TOTAL_BYTES / 1024 / 1024
    )
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`], checking the size while reading so that a
/// device or a file that grows cannot make it read without end.
fn read_bounded(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostics> {
    let fail = |reason: String| Diagnostics::from(Diagnostic::file(shown, reason));
    let meta =
        std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {}", io_reason(&e))))?;
    if !meta.is_file() {
        return Err(fail(
            "not a regular file; a pack holds only regular files".to_string(),
        ));
    }
    let file =
        std::fs::File::open(path).map_err(|e| fail(format!("cannot read: {}", io_reason(&e))))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read: {}", io_reason(&e))))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(too_large_file(meta.len())));
    }
    Ok(bytes)
}

pub(crate) fn too_large_file(size: u64) -> String {
    format!(
        "{size} bytes; a pack file is at most {} MiB",
        MAX_FILE_BYTES / 1024 / 1024
    )
}

/// Visits every entry under `dir` (not following links to directories, skipping names that
/// start with `.`), at most [`load::MAX_DIR_DEPTH`] levels deep, with its path inside the pack.
fn walk(
    dir: &Path,
    rel: &Path,
    visit: &mut dyn FnMut(&Path, &Path) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    if rel.components().count() > load::MAX_DIR_DEPTH {
        return Ok(());
    }
    let io = |e: std::io::Error| {
        Diagnostic::file(
            dir.display().to_string(),
            format!("cannot list: {}", io_reason(&e)),
        )
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let inner = rel.join(&name);
        if entry.file_type().map_err(io)?.is_dir() {
            walk(&path, &inner, visit)?;
        } else {
            visit(&inner, &path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = include_str!("../../tests/fixtures/packs/mini.yaml");

    #[test]
    fn the_digest_depends_on_paths_and_contents_only() {
        let a = Tree::from_files(BTreeMap::from([
            (PathBuf::from("pack.yaml"), b"x".to_vec()),
            (PathBuf::from("q/a.yaml"), b"y".to_vec()),
        ]));
        let mut b = a.clone();
        assert_eq!(a.digest(), b.digest());
        b.files.insert(PathBuf::from("q/a.yaml"), b"z".to_vec());
        assert_ne!(a.digest(), b.digest());
        // Moving a byte from one file's content into its name must change the digest.
        let c = Tree::from_files(BTreeMap::from([(PathBuf::from("ab"), b"".to_vec())]));
        let d = Tree::from_files(BTreeMap::from([(PathBuf::from("a"), b"b".to_vec())]));
        assert_ne!(c.digest(), d.digest());
        assert_eq!(sha256_hex(b"abc").len(), 64);
        assert!(sha256_hex(b"abc").starts_with("ba7816bf"));
    }

    #[test]
    fn a_single_file_pack_loads_and_names_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mini.yaml");
        std::fs::write(&path, MINI.replace("version: 0.1.0", "version: nope")).unwrap();
        let tree = Tree::from_file(&path, "mini.yaml").unwrap();
        let e = tree.load("mini.yaml").unwrap_err().to_string();
        assert!(
            e.starts_with("mini.yaml:6:10: version `nope` is not semver"),
            "{e}"
        );
    }

    #[test]
    fn a_directory_pack_holds_the_files_the_loader_reads_and_no_links_out() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("p");
        std::fs::create_dir_all(pack.join("questions")).unwrap();
        std::fs::create_dir_all(pack.join(".git")).unwrap();
        std::fs::write(pack.join("pack.yaml"), MINI).unwrap();
        std::fs::write(pack.join("README.md"), "not read").unwrap();
        std::fs::write(pack.join(".git/x.yaml"), "not read").unwrap();
        std::fs::write(pack.join("questions/none.yaml"), "questions: []\n").unwrap();
        let tree = Tree::from_dir(&pack, "p").unwrap();
        let names: Vec<_> = tree.files.keys().map(|p| p.display().to_string()).collect();
        assert_eq!(names, ["pack.yaml", "questions/none.yaml"]);
        assert_eq!(tree.load("p").unwrap().questions.len(), 4);

        std::fs::write(dir.path().join("secret.yaml"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.yaml"), pack.join("out.yaml")).unwrap();
        #[cfg(unix)]
        {
            let e = Tree::from_dir(&pack, "p").unwrap_err().to_string();
            assert!(
                e.contains("p/out.yaml: a link to a file outside the pack"),
                "{e}"
            );
        }
    }
}
