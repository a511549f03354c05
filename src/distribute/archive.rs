//! Reading a pack from a tar archive (gzip-compressed or not): a `.tar.gz` a mentor publishes, or
//! the tree of a git commit as `git archive` writes it.
//!
//! Nothing is unpacked to disk here: entries are read into a [`Tree`] in memory, and an archive
//! with any entry that would land outside the pack directory (an absolute path, a `..`, a link
//! that points out) or that is not a plain file, directory or link (a device, a FIFO) is refused
//! whole, whatever else it holds. Sizes and entry counts are bounded while reading. When the
//! archive holds one top directory with the manifest in it (`pack-1.0/pack.yaml`), that
//! directory is the pack.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use tar::EntryType;

use super::escape::clean;
use super::tree::{MAX_ENTRIES, MAX_TOTAL_BYTES, Tree, too_large_file, too_large_total};
use crate::diag::{Diagnostic, Diagnostics};
use crate::pack::load::{MANIFEST, is_pack_file};
use crate::yaml::MAX_FILE_BYTES;

/// The two bytes every gzip stream starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads a `.tar.gz` (or plain `.tar`) held in memory. `shown` names the archive in messages.
pub fn read_archive(bytes: &[u8], shown: &str) -> Result<Tree, Diagnostics> {
    if bytes.starts_with(&GZIP_MAGIC) {
        read_tar(flate2::read::GzDecoder::new(bytes), shown)
    } else {
        read_tar(bytes, shown)
    }
}

/// A link found in the archive, resolved once every file has been seen.
struct Link {
    /// Where the link sits, inside the pack.
    path: PathBuf,
    /// What it points to, inside the pack.
    target: PathBuf,
}

/// Reads a tar stream. Every entry is checked; files the loader reads are kept.
pub fn read_tar(reader: impl Read, shown: &str) -> Result<Tree, Diagnostics> {
    let refuse = |message: String| Diagnostics::from(Diagnostic::file(shown, message));
    let bad_archive = |e: std::io::Error| {
        refuse(format!(
            "not a readable tar or .tar.gz archive ({}); make one with `tar czf PACK.tar.gz DIR`",
            clean(&e.to_string())
        ))
    };
    // Counted on the decompressed stream, so a small archive cannot expand without bound.
    let mut archive = tar::Archive::new(reader.take(MAX_TOTAL_BYTES + 1));
    let mut kept: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut links: Vec<Link> = Vec::new();
    let mut problems = Vec::new();
    let mut total = 0u64;
    for (count, entry) in archive.entries().map_err(bad_archive)?.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(refuse(format!(
                "more than {MAX_ENTRIES} entries; a pack is a few dozen files"
            )));
        }
        let mut entry = entry.map_err(bad_archive)?;
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader | EntryType::XHeader) {
            // Metadata for the entries (git archive writes the commit id here), not a file.
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let shown_entry = clean(&String::from_utf8_lossy(&raw));
        let Some(path) = inside(&raw) else {
            return Err(refuse(format!(
                "entry `{shown_entry}` would land outside the pack directory (an absolute path \
                 or `..`); the archive is refused"
            )));
        };
        if path.as_os_str().is_empty() {
            continue;
        }
        let size = entry.header().size().map_err(bad_archive)?;
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(refuse(too_large_total()));
        }
        match kind {
            EntryType::Directory => {
                dirs.insert(path);
            }
            EntryType::Regular | EntryType::Continuous => {
                if is_pack_file(&path) {
                    let name = format!("{shown}/{}", path.display());
                    if size > MAX_FILE_BYTES as u64 {
                        problems.push(Diagnostic::file(name, too_large_file(size)));
                    } else {
                        let mut bytes = Vec::with_capacity(size as usize);
                        entry.read_to_end(&mut bytes).map_err(bad_archive)?;
                        kept.insert(path.clone(), bytes);
                    }
                }
                files.insert(path);
            }
            EntryType::Symlink | EntryType::Link => {
                links.push(link_of(&entry, path, &shown_entry).map_err(refuse)?);
            }
            other => {
                return Err(refuse(format!(
                    "entry `{shown_entry}` is a {}; a pack holds only files, directories and \
                     links between them; the archive is refused",
                    kind_name(other)
                )));
            }
        }
    }
    follow_links(&links, &files, &mut kept, shown, &mut problems).map_err(refuse)?;
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    Ok(Tree::from_files(rooted(kept, &files, &dirs)))
}

/// The link `entry` (at `path`) makes, resolved inside the pack, or why the archive is refused.
fn link_of(
    entry: &tar::Entry<'_, impl Read>,
    path: PathBuf,
    shown_entry: &str,
) -> Result<Link, String> {
    let link = entry
        .link_name_bytes()
        .map(|l| l.into_owned())
        .unwrap_or_default();
    // A symbolic link is relative to its own directory; a hard link to the archive.
    let base = if entry.header().entry_type() == EntryType::Symlink {
        path.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        PathBuf::new()
    };
    let target = match std::str::from_utf8(&link) {
        Ok(l) if !Path::new(l).is_absolute() => resolve(&base, Path::new(l)),
        _ => None,
    };
    match target {
        Some(target) => Ok(Link { path, target }),
        None => Err(format!(
            "link `{shown_entry}` points outside the pack directory (to `{}`); the archive is \
             refused",
            clean(&String::from_utf8_lossy(&link))
        )),
    }
}

/// Follows every link once all files are known: a link must land on a file of the archive, and a
/// pack file that is a link gets its target's bytes. A link to a missing file refuses the
/// archive; a pack file linked to a file that is not one is a problem of that file.
fn follow_links(
    links: &[Link],
    files: &BTreeSet<PathBuf>,
    kept: &mut BTreeMap<PathBuf, Vec<u8>>,
    shown: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    for link in links {
        if !files.contains(&link.target) {
            return Err(format!(
                "link `{}` points to `{}`, which is not a file in the archive; links are followed \
                 only to files of the pack",
                clean(&link.path.display().to_string()),
                clean(&link.target.display().to_string())
            ));
        }
        if is_pack_file(&link.path) {
            match kept.get(&link.target) {
                Some(bytes) => {
                    let bytes = bytes.clone();
                    kept.insert(link.path.clone(), bytes);
                }
                None => problems.push(Diagnostic::file(
                    format!("{shown}/{}", link.path.display()),
                    "a link to a file that is not a pack file (*.yaml); copy the file instead",
                )),
            }
        }
    }
    Ok(())
}

/// The entry's path as a relative path inside the pack, or `None` when it is absolute, climbs
/// out with `..`, or is not UTF-8.
fn inside(raw: &[u8]) -> Option<PathBuf> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut out = PathBuf::new();
    for part in Path::new(text).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// `base` joined with a relative link target, resolving `..` lexically; `None` when it climbs
/// out of the pack.
fn resolve(base: &Path, target: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = base.iter().collect();
    for part in target.components() {
        match part {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// When the archive has no manifest at its top but a single top directory that has one, the
/// pack is that directory (`tar czf pack.tar.gz my-pack/` makes such archives).
fn rooted(
    kept: BTreeMap<PathBuf, Vec<u8>>,
    files: &BTreeSet<PathBuf>,
    dirs: &BTreeSet<PathBuf>,
) -> BTreeMap<PathBuf, Vec<u8>> {
    if files.contains(Path::new(MANIFEST)) {
        return kept;
    }
    let tops: BTreeSet<&std::ffi::OsStr> = files
        .iter()
        .chain(dirs)
        .filter_map(|p| p.iter().next())
        .collect();
    let [top] = tops.into_iter().collect::<Vec<_>>()[..] else {
        return kept;
    };
    let top = PathBuf::from(top);
    if !files.contains(&top.join(MANIFEST)) {
        return kept;
    }
    kept.into_iter()
        .filter_map(|(path, bytes)| {
            let inner = path.strip_prefix(&top).ok()?.to_path_buf();
            // Under the new root, hidden or too-deep paths are not read by the loader either.
            is_pack_file(&inner).then_some((inner, bytes))
        })
        .collect()
}

fn kind_name(kind: EntryType) -> &'static str {
    match kind {
        EntryType::Char => "character device",
        EntryType::Block => "block device",
        EntryType::Fifo => "FIFO",
        EntryType::GNUSparse => "sparse file",
        _ => "special entry",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tar (gzip-compressed when `gz`) with the given entries, written with raw headers so that
    /// paths the `tar` builder would refuse (`../x`, `/etc/x`) can be made.
    pub(crate) fn archive(entries: &[(&str, EntryType, &[u8], Option<&str>)], gz: bool) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut builder = tar::Builder::new(&mut out);
            for (path, kind, content, link) in entries {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(*kind);
                header.set_size(content.len() as u64);
                header.set_mode(0o644);
                let name = header.as_old_mut().name.as_mut();
                name[..path.len()].copy_from_slice(path.as_bytes());
                if let Some(link) = link {
                    let l = header.as_old_mut().linkname.as_mut();
                    l[..link.len()].copy_from_slice(link.as_bytes());
                }
                header.set_cksum();
                builder.append(&header, *content).unwrap();
            }
            builder.finish().unwrap();
        }
        if gz {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&out).unwrap();
            enc.finish().unwrap()
        } else {
            out
        }
    }

    const MINI: &[u8] = include_bytes!("../../tests/fixtures/packs/mini.yaml");

    #[test]
    fn a_top_directory_with_the_manifest_is_the_pack_and_other_files_are_left() {
        let bytes = archive(
            &[
                ("mini-1.0/", EntryType::Directory, b"", None),
                ("mini-1.0/pack.yaml", EntryType::Regular, MINI, None),
                ("mini-1.0/README.md", EntryType::Regular, b"hello", None),
                (
                    "mini-1.0/same.yaml",
                    EntryType::Symlink,
                    b"",
                    Some("pack.yaml"),
                ),
            ],
            true,
        );
        let tree = read_archive(&bytes, "mini.tar.gz").unwrap();
        let expected = Tree::from_files(BTreeMap::from([
            (PathBuf::from("pack.yaml"), MINI.to_vec()),
            (PathBuf::from("same.yaml"), MINI.to_vec()),
        ]));
        assert_eq!(tree, expected);
    }

    #[test]
    fn entries_that_land_outside_are_refused_whole() {
        let cases: &[(&str, EntryType, Option<&str>, &str)] = &[
            (
                "../evil.yaml",
                EntryType::Regular,
                None,
                "would land outside",
            ),
            (
                "/etc/evil.yaml",
                EntryType::Regular,
                None,
                "would land outside",
            ),
            (
                "a/../../evil.yaml",
                EntryType::Regular,
                None,
                "would land outside",
            ),
            (
                "out.yaml",
                EntryType::Symlink,
                Some("../../etc/passwd"),
                "points outside",
            ),
            (
                "out.yaml",
                EntryType::Symlink,
                Some("/etc/passwd"),
                "points outside",
            ),
            ("hard.yaml", EntryType::Link, Some("../x"), "points outside"),
            ("dev.yaml", EntryType::Char, None, "character device"),
            ("fifo", EntryType::Fifo, None, "FIFO"),
            (
                "dangling.yaml",
                EntryType::Symlink,
                Some("nothing.yaml"),
                "not a file in the archive",
            ),
        ];
        for (path, kind, link, expected) in cases {
            let bytes = archive(
                &[
                    ("pack.yaml", EntryType::Regular, MINI, None),
                    (path, *kind, b"", *link),
                ],
                true,
            );
            let e = read_archive(&bytes, "p.tar.gz").unwrap_err().to_string();
            assert!(e.starts_with("p.tar.gz: "), "{path}: {e}");
            assert!(e.contains(expected), "{path}: {e}");
        }
    }

    #[test]
    fn garbage_and_bombs_are_refused_with_a_message() {
        let e = read_archive(b"\x1f\x8bnot really gzip", "x.tar.gz")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a readable tar or .tar.gz archive"), "{e}");
        // 80 MiB of zeros in a file entry compresses to a few KiB.
        let big = vec![0u8; 80 * 1024 * 1024];
        let bytes = archive(&[("big.bin", EntryType::Regular, &big, None)], true);
        assert!(bytes.len() < 1024 * 1024);
        let e = read_archive(&bytes, "bomb.tar.gz").unwrap_err().to_string();
        assert!(e.contains("unpacks to more than 64 MiB"), "{e}");
    }
}
