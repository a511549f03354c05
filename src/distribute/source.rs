//! Where a pack comes from: what `pack install SOURCE` was given, told apart once and kept in the
//! lock file so `pack update` can fetch it again.
//!
//! A SOURCE with a URL scheme (`https://`, `ssh://`, `git://`, `file://`) or in scp form
//! (`git@host:org/repo.git`) is a git repository, with an optional `#REF` naming a tag, a branch
//! or a commit. Anything else is a local path: a directory pack, a `.tar.gz` (or `.tgz`, `.tar`)
//! archive, or a single-file YAML pack. Local paths are made absolute so that an update works
//! from any directory.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The longest git ref accepted; real tags and branches are far shorter.
const MAX_REF_LEN: usize = 200;

/// What kind of source a pack was installed from. Stored in the lock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A directory with `pack.yaml`.
    Directory,
    /// A single YAML file holding the manifest and the questions.
    File,
    /// A `.tar.gz`, `.tgz` or `.tar` archive of a directory pack.
    Archive,
    /// A git repository whose top directory (or only sub-directory) is a directory pack.
    Git,
}

impl SourceKind {
    /// The id used in the lock file and in `pack list`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Directory => "directory",
            SourceKind::File => "file",
            SourceKind::Archive => "archive",
            SourceKind::Git => "git",
        }
    }
}

/// A parsed SOURCE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// What it is.
    pub kind: SourceKind,
    /// The absolute path of a local source, or the URL of a repository (without `#REF`).
    pub location: String,
    /// The tag, branch or commit asked for (`#REF`); git only.
    pub reference: Option<String>,
}

/// Why a SOURCE cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SourceError {
    /// The local path does not exist or cannot be read.
    #[error("{shown}: {reason}")]
    Unreadable {
        /// The SOURCE as given.
        shown: String,
        /// Why.
        reason: String,
    },
    /// Something about the text itself.
    #[error("{shown}: {reason}")]
    Malformed {
        /// The SOURCE as given.
        shown: String,
        /// Why, and what to write instead.
        reason: String,
    },
}

impl Source {
    /// Tells a SOURCE apart. Local paths are looked at (and made absolute) here.
    pub fn parse(text: &str) -> Result<Source, SourceError> {
        let shown = super::escape::clean(text);
        let malformed = |reason: &str| SourceError::Malformed {
            shown: shown.clone(),
            reason: reason.to_string(),
        };
        if text.trim().is_empty() {
            return Err(malformed(
                "empty source; give a directory, a file or a git URL",
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(malformed("the source contains control characters"));
        }
        if is_remote(text) {
            return Source::git(text, &shown);
        }
        let path = Path::new(text);
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && text.contains('#') => {
                return Err(malformed(
                    "no such file or directory; a #REF needs a git URL, such as \
                     file:///path/to/repo#v1.0.0 for a repository on this machine",
                ));
            }
            Err(e) => {
                return Err(SourceError::Unreadable {
                    shown,
                    reason: crate::diag::io_reason(&e),
                });
            }
        };
        // Through components, so `pack/` and `./pack` are stored as `/abs/pack`.
        let absolute: std::path::PathBuf = std::path::absolute(path)
            .map_err(|e| SourceError::Unreadable {
                shown: shown.clone(),
                reason: crate::diag::io_reason(&e),
            })?
            .components()
            .collect();
        let kind = if meta.is_dir() {
            SourceKind::Directory
        } else if meta.is_file() {
            if is_archive_name(text) {
                SourceKind::Archive
            } else {
                SourceKind::File
            }
        } else {
            return Err(malformed(
                "not a regular file or a directory; a pack is a directory, a YAML file or an archive",
            ));
        };
        Ok(Source {
            kind,
            location: path_text(&absolute, &shown)?,
            reference: None,
        })
    }

    fn git(text: &str, shown: &str) -> Result<Source, SourceError> {
        let malformed = |reason: String| SourceError::Malformed {
            shown: shown.to_string(),
            reason,
        };
        let (url, reference) = match text.rsplit_once('#') {
            Some((url, r)) => (url, Some(r)),
            None => (text, None),
        };
        if let Some(scheme) = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase()) {
            if !["https", "http", "ssh", "git", "file"].contains(&scheme.as_str()) {
                return Err(malformed(format!(
                    "`{scheme}://` is not a source rehearse reads; use a git URL (https, ssh, git \
                     or file) or a local path"
                )));
            }
            if scheme.starts_with("http") && is_archive_name(url) {
                return Err(malformed(
                    "archives are installed from this machine: download it, check its checksum, \
                     then run `rehearse pack install FILE.tar.gz`"
                        .to_string(),
                ));
            }
        }
        if url.starts_with('-') || url.chars().any(char::is_whitespace) {
            return Err(malformed("not a git URL".to_string()));
        }
        if let Some(r) = reference {
            check_ref(r).map_err(malformed)?;
        }
        Ok(Source {
            kind: SourceKind::Git,
            location: url.to_string(),
            reference: reference.map(str::to_string),
        })
    }

    /// The source as `pack list` and messages show it: location, then `#REF` if any.
    pub fn display(&self) -> String {
        match &self.reference {
            Some(r) => format!("{}#{r}", self.location),
            None => self.location.clone(),
        }
    }
}

/// True for a URL with a scheme, or git's scp form `user@host:path`.
fn is_remote(text: &str) -> bool {
    if let Some((scheme, _)) = text.split_once("://") {
        let mut chars = scheme.chars();
        return chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    }
    match text.split_once(':') {
        Some((head, rest)) => {
            !rest.is_empty()
                && !head.contains('/')
                && head
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && !host.is_empty())
        }
        None => false,
    }
}

/// True for names of the archive formats rehearse reads.
pub fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".tar.gz", ".tgz", ".tar"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A git ref safe to hand to `git fetch` as a refspec: no option, no `src:dst`, no revision
/// syntax, only the characters tags and branches are made of.
fn check_ref(r: &str) -> Result<(), String> {
    let ok = !r.is_empty()
        && r.len() <= MAX_REF_LEN
        && !r.starts_with(['-', '/', '.'])
        && !r.ends_with(['/', '.'])
        && !r.contains("..")
        && !r.contains("//")
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`#{}` is not a tag, branch or commit name rehearse accepts (letters, digits, `.`, \
             `_`, `-`, `+` and `/`)",
            super::escape::clean(r)
        ))
    }
}

fn path_text(path: &Path, shown: &str) -> Result<String, SourceError> {
    path.to_str()
        .map(str::to_string)
        .ok_or_else(|| SourceError::Malformed {
            shown: shown.to_string(),
            reason: "the path is not valid UTF-8; move the pack to a path that is".to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(text: &str) -> Source {
        Source::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn urls_and_scp_forms_are_git_with_an_optional_ref() {
        let s = git("https://example.org/bootcamp/pack.git#v1.2.0");
        assert_eq!(s.kind, SourceKind::Git);
        assert_eq!(s.location, "https://example.org/bootcamp/pack.git");
        assert_eq!(s.reference.as_deref(), Some("v1.2.0"));
        assert_eq!(git("git@example.org:org/pack.git").kind, SourceKind::Git);
        assert_eq!(git("file:///srv/pack.git").reference, None);
        assert_eq!(
            git("FILE:///srv/pack.git#main").display(),
            "FILE:///srv/pack.git#main"
        );
    }

    #[test]
    fn refs_that_git_would_read_as_options_or_refspecs_are_refused() {
        for bad in ["-upload-pack=x", "a:b", "a..b", "HEAD~1", "x y", "", "a^"] {
            let text = format!("https://example.org/p.git#{bad}");
            assert!(
                matches!(Source::parse(&text), Err(SourceError::Malformed { .. })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn other_schemes_remote_archives_and_control_characters_are_refused_with_advice() {
        let e = Source::parse("-c core.sshCommand=x@h:p").unwrap_err();
        assert!(e.to_string().contains("not a git URL"), "{e}");
        let e = Source::parse("ftp://example.org/p.git").unwrap_err();
        assert!(e.to_string().contains("`ftp://` is not a source"), "{e}");
        let e = Source::parse("https://example.org/p.tar.gz").unwrap_err();
        assert!(e.to_string().contains("download it"), "{e}");
        let e = Source::parse("pack\u{1b}]0;x\u{7}").unwrap_err();
        assert!(e.to_string().contains("control characters"), "{e}");
        assert!(!e.to_string().contains('\u{1b}'), "{e:?}");
    }

    #[test]
    fn local_paths_are_told_apart_by_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("pack.yaml"), "x").unwrap();
        std::fs::write(d.join("p.tar.gz"), "x").unwrap();
        let parse = |p: &Path| Source::parse(p.to_str().unwrap()).unwrap().kind;
        assert_eq!(parse(d), SourceKind::Directory);
        assert_eq!(parse(&d.join("pack.yaml")), SourceKind::File);
        assert_eq!(parse(&d.join("p.tar.gz")), SourceKind::Archive);
        let missing = d.join("nope");
        let e = Source::parse(missing.to_str().unwrap()).unwrap_err();
        assert!(e.to_string().ends_with("no such file or directory"), "{e}");
        let e = Source::parse(&format!("{}#v1", d.display())).unwrap_err();
        assert!(e.to_string().contains("file:///"), "{e}");
    }
}
