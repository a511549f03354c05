//! Fetching a pack from a git repository with the `git` program.
//!
//! Why the program and not a library: it is already on every machine that has a repository to
//! install from, it reaches every host the user's git reaches (ssh keys, proxies), and it adds no
//! C library or large dependency to the build. Why it is safe to run on a stranger's repository:
//! nothing is ever checked out. The commit is fetched into a fresh bare repository in a temporary
//! directory (`--depth 1`, no tags, no submodules), and its tree is streamed out by `git archive`
//! into the same checks as any archive ([`super::archive`]), so no hook, filter, submodule or
//! working-tree file of the repository comes into play. Each run also sets `core.hooksPath` to
//! `/dev/null`, ignores the user's and the system's git configuration (which could name hooks,
//! filters or an fsmonitor program), allows only the file, git, ssh, http and https transports
//! (not `ext::`, which runs commands), never prompts for a password, and gets a clean
//! environment: `PATH`, `HOME` (for ssh keys), the ssh agent, proxies and certificate paths only.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use super::archive;
use super::escape::clean;
use super::tree::Tree;
use crate::diag::Diagnostics;

/// Environment variables passed through to git; everything else is cleared.
const PASSED_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "SSH_AUTH_SOCK",
    "GIT_SSH_COMMAND",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// A commit fetched from a repository, and its tree.
#[derive(Debug)]
pub struct Fetched {
    /// The full commit id.
    pub commit: String,
    /// The pack's files at that commit.
    pub tree: Tree,
}

/// Why a repository could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` program is not installed.
    #[error("installing from a git repository needs the `git` program, which was not found: {0}")]
    NoGit(String),
    /// git ran and failed; the message is its last line of output.
    #[error("{what}: {message}")]
    Failed {
        /// What was being done, with the URL.
        what: String,
        /// What git said.
        message: String,
    },
}

/// Fetches `reference` (or the default branch) of `url`, using `work` (an empty directory) for
/// the bare repository, and reads the pack from the commit's tree. `shown` names the source in
/// messages about the pack's files.
pub fn fetch(
    url: &str,
    reference: Option<&str>,
    work: &Path,
    shown: &str,
) -> Result<Fetched, FetchError> {
    let url_shown = clean(url);
    git(
        work,
        &["init", "--quiet", "--bare", "."],
        &format!("cannot prepare a repository for {url_shown}"),
    )?;
    let wanted = reference.unwrap_or("HEAD");
    let fetched = git(
        work,
        &[
            "fetch",
            "--quiet",
            "--depth=1",
            "--no-tags",
            "--no-recurse-submodules",
            "--",
            url,
            wanted,
        ],
        &format!("cannot fetch {url_shown}"),
    );
    let commit = match (fetched, reference) {
        (Ok(_), _) => rev_parse(work, "FETCH_HEAD", &url_shown)?,
        // An abbreviated commit id cannot be fetched by name: fetch the branches and tags, then
        // look it up among their history.
        (Err(_), Some(r)) if is_abbreviated_commit(r) => {
            git(
                work,
                &[
                    "fetch",
                    "--quiet",
                    "--no-recurse-submodules",
                    "--",
                    url,
                    "+refs/heads/*:refs/heads/*",
                    "+refs/tags/*:refs/tags/*",
                ],
                &format!("cannot fetch {url_shown}"),
            )?;
            rev_parse(work, r, &url_shown).map_err(|_| no_ref(&url_shown, r))?
        }
        (Err(_), Some(r)) if !exists(work, url)? => {
            return Err(FetchError::Git(GitError::Failed {
                what: format!("cannot fetch {url_shown}"),
                message: format!("no repository there (asked for `{}`)", clean(r)),
            }));
        }
        (Err(_), Some(r)) => return Err(no_ref(&url_shown, r)),
        (Err(e), None) => return Err(e.into()),
    };
    let tree = archive_tree(work, &commit, shown)?;
    Ok(Fetched { commit, tree })
}

/// Why a pack could not be fetched: git failed, or the commit's files are not a pack.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// git failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The commit's tree was refused or is not a valid pack.
    #[error(transparent)]
    Pack(#[from] Diagnostics),
}

fn no_ref(url_shown: &str, r: &str) -> FetchError {
    FetchError::Git(GitError::Failed {
        what: format!("cannot fetch {url_shown}"),
        message: format!(
            "the repository has no tag, branch or commit `{}`; `git ls-remote {url_shown}` lists them",
            clean(r)
        ),
    })
}

/// True when `url` answers as a repository (to tell "no such ref" from "no such repository").
fn exists(work: &Path, url: &str) -> Result<bool, GitError> {
    match git(
        work,
        &["ls-remote", "--quiet", "--exit-code", "--", url, "HEAD"],
        "",
    ) {
        Ok(_) => Ok(true),
        Err(GitError::NoGit(e)) => Err(GitError::NoGit(e)),
        Err(GitError::Failed { message, .. }) => Ok(!message
            .contains("not appear to be a git repository")
            && !message.contains("not found")
            && !message.contains("does not exist")),
    }
}

fn is_abbreviated_commit(r: &str) -> bool {
    (4..40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit())
}

fn rev_parse(work: &Path, what: &str, url_shown: &str) -> Result<String, FetchError> {
    let out = git(
        work,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{what}^{{commit}}"),
        ],
        &format!("cannot read what was fetched from {url_shown}"),
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Streams the commit's tree through `git archive` into the archive checks.
fn archive_tree(work: &Path, commit: &str, shown: &str) -> Result<Tree, FetchError> {
    let mut child = command(work)
        .args(["archive", "--format=tar", commit])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let read = archive::read_tar(stdout, shown);
    // Whether the tree was read in full or refused half-way, the child must not outlive us.
    let _ = child.kill();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(|e| GitError::NoGit(e.to_string()))?;
    let tree = read?;
    if !status.success() && status.code().is_some() {
        return Err(GitError::Failed {
            what: format!("cannot read commit {commit}"),
            message: last_line(&stderr),
        }
        .into());
    }
    Ok(tree)
}

/// `git` with the safety settings of this module, run in `work`.
fn command(work: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.env_clear();
    for name in PASSED_ENV {
        if let Some(v) = std::env::var_os(name) {
            cmd.env(name, v);
        }
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ALLOW_PROTOCOL", "file:git:ssh:http:https")
        .env("LC_ALL", "C")
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "protocol.ext.allow=never",
        ])
        .current_dir(work)
        .stdin(Stdio::null());
    cmd
}

/// Runs git and returns its standard output, or its last line of error output.
fn git(work: &Path, args: &[&str], what: &str) -> Result<Vec<u8>, GitError> {
    let out = command(work)
        .args(args)
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            what: what.to_string(),
            message: last_line(&String::from_utf8_lossy(&out.stderr)),
        })
    }
}

/// What git said went wrong: its first `fatal:` or `error:` line (later lines are advice about
/// access rights), else its last line, without the prefix and made safe to print.
fn last_line(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("fatal: ") || l.starts_with("error: "))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("git failed without a message");
    let line = line
        .trim()
        .trim_start_matches("fatal: ")
        .trim_start_matches("error: ");
    clean(line)
}
