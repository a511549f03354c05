//! `rehearse pack install / list / info / update / remove` as a student and a mentor run them:
//! from local directories, single files, archives the tests build and local bare git
//! repositories (`file://`), never the network.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use common::{fixture, rehearse};
use serde_json::Value;

const MINI: &str = include_str!("fixtures/packs/mini.yaml");
const NOW: &str = "2026-03-02T09:00:00Z";

/// A temporary HOME with the data directory inside.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn rehearse(&self) -> assert_cmd::Command {
        let mut cmd = rehearse(self.path());
        cmd.env("REHEARSE_NOW", NOW);
        cmd
    }

    fn data(&self) -> PathBuf {
        self.path().join("data")
    }

    /// Every file under the data directory with its bytes: what "nothing changed" compares.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries {
                let p = e.unwrap().path();
                if p.is_dir() {
                    out.insert(p.strip_prefix(root).unwrap().to_path_buf(), Vec::new());
                    walk(&p, root, out);
                } else {
                    let bytes = std::fs::read(&p).unwrap();
                    out.insert(p.strip_prefix(root).unwrap().to_path_buf(), bytes);
                }
            }
        }
        walk(&self.data(), &self.data(), &mut out);
        out
    }

    fn lock(&self) -> Value {
        let text = std::fs::read_to_string(self.data().join("packs/packs.lock")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Runs a command that must succeed and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.rehearse().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must exit 2 and returns its stderr.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.rehearse().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }
}

/// A directory pack: the test pack's manifest and questions, with id `id`.
fn dir_pack(parent: &Path, name: &str, id: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pack.yaml"),
        MINI.replace("id: mini\n", &format!("id: {id}\n")),
    )
    .unwrap();
    dir
}

/// `git` for the tests' own repositories, blind to the developer's configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Std::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mentor")
        .env("GIT_AUTHOR_EMAIL", "mentor@example.org")
        .env("GIT_COMMITTER_NAME", "Mentor")
        .env("GIT_COMMITTER_EMAIL", "mentor@example.org")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Commits everything in `work` and pushes it to the bare repository `bare`.
fn commit_and_push(work: &Path, bare: &Path, message: &str) -> String {
    git(work, &["add", "-A"]);
    git(work, &["commit", "-q", "-m", message]);
    git(
        work,
        &["push", "-q", bare.to_str().unwrap(), "HEAD:refs/heads/main"],
    );
    git(work, &["rev-parse", "HEAD"])
}

/// A working repository holding a directory pack, and a bare one it is pushed to.
fn repo(parent: &Path, id: &str) -> (PathBuf, PathBuf, String) {
    let work = dir_pack(parent, "work", id);
    git(&work, &["init", "-q", "-b", "main"]);
    let bare = parent.join("pack.git");
    git(
        parent,
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    let url = format!("file://{}", bare.display());
    commit_and_push(&work, &bare, "first version");
    (work, bare, url)
}

/// Path, content, and for a link its type and target.
type TarEntry<'a> = (&'a str, &'a [u8], Option<(tar::EntryType, &'a str)>);

/// A gzip-compressed tar of `entries` (path, content), each a regular file unless it has a link
/// target; headers written raw so that paths `tar` would refuse can be made.
fn tar_gz(entries: &[TarEntry<'_>]) -> Vec<u8> {
    use std::io::Write;
    let mut raw = Vec::new();
    {
        let mut b = tar::Builder::new(&mut raw);
        for (path, content, link) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(link.map_or(tar::EntryType::Regular, |l| l.0));
            h.set_size(content.len() as u64);
            h.set_mode(0o644);
            h.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            if let Some((_, target)) = link {
                h.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
            }
            h.set_cksum();
            b.append(&h, *content).unwrap();
        }
        b.finish().unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_directory_pack_installs_and_every_command_loads_it_without_bank() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let dir = dir_pack(src.path(), "bootcamp", "bootcamp");
    let out = h.ok(&["pack", "install", dir.to_str().unwrap()]);
    assert!(
        out.starts_with("Installed pack `bootcamp` 0.1.0: Mini test pack (4 questions), from "),
        "{out}"
    );
    assert!(out.contains(" at sha256 "), "{out}");

    // The source can go away: the installed copy is what commands read.
    std::fs::remove_dir_all(&dir).unwrap();
    let list = h.ok(&["list", "--json"]);
    let items: Vec<Value> = serde_json::from_str(&list).unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["qualified_id"] == "bootcamp/slow-checkout"),
        "{list}"
    );
    assert!(
        items.iter().any(|i| i["pack"] == "core"),
        "the built-in pack stays"
    );
    let show = h.ok(&["show", "bootcamp/json-prefs"]);
    assert!(show.contains("Preferences in a JSON column"), "{show}");

    let lock = h.lock();
    let entry = &lock["packs"][0];
    assert_eq!(lock["format_version"], 1);
    assert_eq!(entry["id"], "bootcamp");
    assert_eq!(entry["version"], "0.1.0");
    assert_eq!(entry["kind"], "directory");
    assert_eq!(entry["source"], dir.to_str().unwrap());
    assert_eq!(entry["installed_at"], NOW);
    assert_eq!(entry["sha256"].as_str().unwrap().len(), 64);
    assert!(entry.get("commit").is_none());

    let table = h.ok(&["pack", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "ID        VERSION  QUESTIONS  SOURCE".to_string()
            + &" ".repeat(dir.to_str().unwrap().len() - 6)
            + "  REF"
    );
    assert!(
        lines[1].starts_with("bootcamp  0.1.0    4          /"),
        "{table}"
    );
    assert!(lines[1].ends_with("  -"), "{table}");

    let info = h.ok(&["pack", "info", "bootcamp"]);
    assert!(
        info.starts_with("bootcamp 0.1.0: Mini test pack\n"),
        "{info}"
    );
    assert!(info.contains("\nsource      directory /"), "{info}");
    assert!(
        info.contains(
            "\n4 questions:\n  cache-or-not   trade-off      Cache the product page or not\n"
        ),
        "{info}"
    );
}

#[test]
fn attempts_record_the_installed_revision_and_removal_keeps_them() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("bootcamp.yaml");
    std::fs::write(&file, MINI.replace("id: mini\n", "id: bootcamp\n")).unwrap();
    h.ok(&["pack", "install", file.to_str().unwrap()]);
    let sha = h.lock()["packs"][0]["sha256"].as_str().unwrap().to_string();
    // A single file's checksum is the file's: what `sha256sum` prints.
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(std::fs::read(&file).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha, expected);

    let answer = src.path().join("answer.txt");
    std::fs::write(
        &answer,
        "I would ask how stale a price may be, then compare a cache with a faster query.",
    )
    .unwrap();
    h.ok(&[
        "score",
        "bootcamp/cache-or-not",
        "--record",
        "--answer-file",
        answer.to_str().unwrap(),
    ]);
    let history: Vec<Value> = serde_json::from_str(&h.ok(&["history", "--json"])).unwrap();
    assert_eq!(
        history[0]["pack"],
        serde_json::json!({"id": "bootcamp", "version": "0.1.0", "revision": format!("sha256:{sha}")})
    );

    let out = h.ok(&["pack", "remove", "bootcamp"]);
    assert_eq!(
        out,
        "Removed pack `bootcamp` 0.1.0. 1 attempt at its questions stay in your history (`rehearse history`).\n"
    );
    assert_eq!(h.lock()["packs"], serde_json::json!([]));
    let packs: Vec<_> = std::fs::read_dir(h.data().join("packs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(packs, ["packs.lock"], "the pack's directory is gone");
    let history: Vec<Value> = serde_json::from_str(&h.ok(&["history", "--json"])).unwrap();
    assert_eq!(history.len(), 1, "history is kept");
    let e = h.refused(&["show", "bootcamp/cache-or-not"]);
    assert!(e.contains("no question `bootcamp/cache-or-not`"), "{e}");
}

#[test]
fn an_archive_installs_from_its_top_directory_with_the_archive_checksum() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let manifest = MINI.replace("id: mini\n", "id: archived\n");
    let bytes = tar_gz(&[
        ("archived-1.0/pack.yaml", manifest.as_bytes(), None),
        ("archived-1.0/README.md", b"for authors", None),
    ]);
    let path = src.path().join("archived-1.0.tar.gz");
    std::fs::write(&path, &bytes).unwrap();
    let out = h.ok(&["pack", "install", path.to_str().unwrap()]);
    assert!(out.starts_with("Installed pack `archived` 0.1.0"), "{out}");
    let entry = &h.lock()["packs"][0];
    assert_eq!(entry["kind"], "archive");
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(entry["sha256"], expected);
    let dir = h.data().join("packs").join(entry["dir"].as_str().unwrap());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["pack.yaml"],
        "only what the loader reads is installed"
    );
}

#[test]
fn ids_taken_by_the_builtin_or_an_installed_pack_are_refused_naming_both() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let core = dir_pack(src.path(), "core-clone", "core");
    let e = h.refused(&["pack", "install", core.to_str().unwrap()]);
    assert!(
        e.contains("pack `core` from ")
            && e.contains("has the id of the built-in pack `core` (Core senior backend pack)"),
        "{e}"
    );
    assert!(!h.data().exists(), "nothing was written");

    let first = dir_pack(src.path(), "first", "bootcamp");
    let second = dir_pack(src.path(), "second", "bootcamp");
    h.ok(&["pack", "install", first.to_str().unwrap()]);
    let before = h.snapshot();
    let e = h.refused(&["pack", "install", second.to_str().unwrap()]);
    assert!(
        e.contains(&format!(
            "pack `bootcamp` from {} has the id of the installed pack `bootcamp` 0.1.0 from {}",
            second.display(),
            first.display()
        )),
        "{e}"
    );
    assert!(e.contains("`rehearse pack update bootcamp`"), "{e}");
    assert_eq!(h.snapshot(), before);
}

#[test]
fn broken_sources_exit_2_with_a_clear_message_and_change_nothing() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let s = src.path();
    // One pack installed already: it and the lock must stay exactly as they are.
    let good = dir_pack(s, "good", "good");
    h.ok(&["pack", "install", good.to_str().unwrap()]);
    let before = h.snapshot();
    assert!(before.keys().any(|p| p.ends_with("packs.lock")));

    let not_a_pack = s.join("not-a-pack");
    std::fs::create_dir_all(&not_a_pack).unwrap();
    std::fs::write(not_a_pack.join("notes.md"), "hello").unwrap();
    let invalid = dir_pack(s, "invalid", "invalid");
    std::fs::write(
        invalid.join("pack.yaml"),
        MINI.replace("id: mini\n", "id: invalid\n")
            .replace("kind: retrospective", "kind: retro"),
    )
    .unwrap();
    let bad_archive = s.join("bad.tar.gz");
    std::fs::write(&bad_archive, b"\x1f\x8b\x08 this is not gzip at all").unwrap();
    let traversal = s.join("traversal.tar.gz");
    std::fs::write(
        &traversal,
        tar_gz(&[
            ("pack.yaml", MINI.as_bytes(), None),
            ("../../evil.yaml", b"x", None),
        ]),
    )
    .unwrap();
    let absolute = s.join("absolute.tar.gz");
    std::fs::write(&absolute, tar_gz(&[("/tmp/evil.yaml", b"x", None)])).unwrap();
    let link_out = s.join("link.tar.gz");
    std::fs::write(
        &link_out,
        tar_gz(&[
            ("pack.yaml", MINI.as_bytes(), None),
            (
                "q.yaml",
                b"",
                Some((tar::EntryType::Symlink, "../../../etc/passwd")),
            ),
        ]),
    )
    .unwrap();
    let (_, _, url) = repo(s, "repo-pack");

    let cases: Vec<(String, String)> = vec![
        (
            s.join("missing").display().to_string(),
            format!("{}: no such file or directory", s.join("missing").display()),
        ),
        (
            not_a_pack.display().to_string(),
            format!(
                "{}: not a pack: no pack.yaml at its top",
                not_a_pack.display()
            ),
        ),
        (
            invalid.display().to_string(),
            format!("{}/pack.yaml:", invalid.display()),
        ),
        (
            bad_archive.display().to_string(),
            "not a readable tar or .tar.gz archive".to_string(),
        ),
        (
            traversal.display().to_string(),
            "entry `../../evil.yaml` would land outside the pack directory".to_string(),
        ),
        (
            absolute.display().to_string(),
            "entry `/tmp/evil.yaml` would land outside the pack directory".to_string(),
        ),
        (
            link_out.display().to_string(),
            "link `q.yaml` points outside the pack directory".to_string(),
        ),
        (
            format!("{url}#v9.9.9"),
            format!("cannot fetch {url}: the repository has no tag, branch or commit `v9.9.9`"),
        ),
        (
            format!("file://{}/nothing.git", s.display()),
            format!("cannot fetch file://{}/nothing.git", s.display()),
        ),
        (
            "https://example.org/p.tar.gz".to_string(),
            "download it".to_string(),
        ),
    ];
    for (source, expected) in cases {
        let e = h.refused(&["pack", "install", &source]);
        assert!(
            e.contains(&expected),
            "{source}: expected {expected:?} in\n{e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        assert_eq!(h.snapshot(), before, "{source} changed the data directory");
    }
    // The invalid pack's problems are located, and the command says nothing was installed.
    let e = h.refused(&["pack", "install", invalid.to_str().unwrap()]);
    assert!(e.contains("unknown kind") || e.contains("retro"), "{e}");
    assert!(e.contains("not installed: fix the problems above"), "{e}");
    assert!(
        h.ok(&["list"]).contains("good/"),
        "the installed pack still loads"
    );
}

#[test]
fn a_git_pack_installs_at_a_ref_and_updates_show_what_changed() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let (work, bare, url) = repo(src.path(), "bootcamp");
    let first = git(&work, &["rev-parse", "HEAD"]);
    git(&work, &["tag", "v0.1.0"]);
    git(&work, &["push", "-q", bare.to_str().unwrap(), "v0.1.0"]);

    // Pinned to a tag: updates stay there.
    let out = h.ok(&["pack", "install", &format!("{url}#v0.1.0")]);
    assert!(
        out.contains(&format!("from {url}#v0.1.0 at commit {}", &first[..12])),
        "{out}"
    );
    assert_eq!(h.lock()["packs"][0]["commit"], first);
    assert_eq!(h.lock()["packs"][0]["ref"], "v0.1.0");
    h.ok(&["pack", "remove", "bootcamp"]);

    // Following the default branch.
    h.ok(&["pack", "install", &url]);
    let out = h.ok(&["pack", "update", "bootcamp"]);
    assert_eq!(
        out,
        format!("bootcamp 0.1.0: up to date (commit {}).\n", &first[..12])
    );

    let manifest = std::fs::read_to_string(work.join("pack.yaml"))
        .unwrap()
        .replace("version: 0.1.0", "version: 0.2.0")
        .replace(
            "Would you put a cache in front of it?",
            "Would you put a CDN or a cache in front of it?",
        );
    std::fs::write(work.join("pack.yaml"), manifest).unwrap();
    std::fs::create_dir_all(work.join("questions")).unwrap();
    std::fs::write(
        work.join("questions/more.yaml"),
        "questions:\n  - id: queue-or-cron\n    kind: trade-off\n    title: A queue or a cron job\n    prompt: Reports take an hour to build. Queue them or run them nightly?\n",
    )
    .unwrap();
    let second = commit_and_push(&work, &bare, "second version");
    let out = h.ok(&["pack", "update"]);
    assert_eq!(
        out,
        format!(
            "Updated `bootcamp` 0.1.0 -> 0.2.0 (commit {} -> commit {}).\n  added     queue-or-cron  A queue or a cron job\n  reworded  cache-or-not   Cache the product page or not\n",
            &first[..12],
            &second[..12]
        )
    );
    assert_eq!(h.lock()["packs"][0]["commit"], second);
    assert!(
        h.ok(&["show", "bootcamp/cache-or-not"])
            .contains("a CDN or a cache")
    );
    // The old version's directory is gone; only the new one is installed.
    let dirs: Vec<_> = std::fs::read_dir(h.data().join("packs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bootcamp-"))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
}

#[test]
fn a_failed_update_leaves_the_installed_version_in_place() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let (work, bare, url) = repo(src.path(), "bootcamp");
    h.ok(&["pack", "install", &url]);
    let before = h.snapshot();
    // The mentor pushes a broken version.
    std::fs::write(
        work.join("pack.yaml"),
        MINI.replace("id: mini\n", "id: bootcamp\n")
            .replace("title: Mini test pack", "title: [unclosed"),
    )
    .unwrap();
    commit_and_push(&work, &bare, "broken");
    let e = h.refused(&["pack", "update", "bootcamp"]);
    assert!(e.contains(&format!("{url}/pack.yaml:")), "{e}");
    assert_eq!(h.snapshot(), before);
    // And one that became another pack.
    std::fs::write(
        work.join("pack.yaml"),
        MINI.replace("id: mini\n", "id: other\n"),
    )
    .unwrap();
    commit_and_push(&work, &bare, "renamed");
    let e = h.refused(&["pack", "update", "bootcamp"]);
    assert!(e.contains("now holds pack `other`, not `bootcamp`"), "{e}");
    assert_eq!(h.snapshot(), before);
    let e = h.refused(&["pack", "update", "bootcam"]);
    assert!(
        e.contains("no installed pack `bootcam`; did you mean `bootcamp`?"),
        "{e}"
    );
}

#[test]
fn a_bank_path_with_an_installed_id_takes_its_place_for_the_run() {
    let h = Home::new();
    let src = tempfile::tempdir().unwrap();
    let installed = dir_pack(src.path(), "installed", "mini");
    // On the real clock: the lock records whole seconds.
    rehearse(h.path())
        .args(["pack", "install", installed.to_str().unwrap()])
        .assert()
        .success();
    let at = h.lock()["packs"][0]["installed_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        at.len() == 20 && at.ends_with('Z') && !at.contains('.'),
        "{at}"
    );
    let out = h
        .rehearse()
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.len(), 4, "one copy of the pack, not two");
}

/// The mentor's walk of issue 16, end to end: `pack new` → edit → `pack validate` → `pack test`
/// → commit to a repository → a student's `pack install` → `drill` and `score` on its questions
/// → a new commit with a reworded and an added question → `pack update` shows the changes and
/// keeps the student's history → `rescore` → `pack remove`.
#[test]
fn a_mentors_walk_from_pack_new_to_a_students_update_and_removal() {
    let mentor = Home::new();
    let student = Home::new();
    let src = tempfile::tempdir().unwrap();
    let work = src.path().join("backend-bootcamp");

    // The mentor starts a pack with two kinds.
    let out = mentor.ok(&[
        "pack",
        "new",
        work.to_str().unwrap(),
        "--kind",
        "trade-off",
        "--kind",
        "degradation",
    ]);
    assert!(
        out.starts_with(&format!(
            "Created pack `backend-bootcamp` in {}:\n",
            work.display()
        )),
        "{out}"
    );
    for file in [
        "pack.yaml",
        "questions/trade-off.yaml",
        "questions/degradation.yaml",
        "README.md",
        ".github/workflows/rehearse-pack.yml",
    ] {
        assert!(work.join(file).is_file(), "{file} missing");
    }
    assert!(!work.join("questions/retrospective.yaml").exists());

    // Edits: a real title, and a reworded prompt.
    let manifest = std::fs::read_to_string(work.join("pack.yaml")).unwrap();
    std::fs::write(
        work.join("pack.yaml"),
        manifest.replace(
            "title: Backend bootcamp",
            "title: Backend bootcamp, cohort 12",
        ),
    )
    .unwrap();
    let q = std::fs::read_to_string(work.join("questions/trade-off.yaml")).unwrap();
    std::fs::write(
        work.join("questions/trade-off.yaml"),
        q.replace(
            "What do you recommend?",
            "What do you recommend to the team?",
        ),
    )
    .unwrap();

    let out = mentor.ok(&["--no-builtin", "pack", "validate", work.to_str().unwrap()]);
    assert!(
        out.contains("ok, pack `backend-bootcamp` 0.1.0 with 2 questions"),
        "{out}"
    );
    let out = mentor.ok(&["--no-builtin", "pack", "test", work.to_str().unwrap()]);
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");

    git(&work, &["init", "-q", "-b", "main"]);
    let bare = src.path().join("backend-bootcamp.git");
    git(
        src.path(),
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    let first = commit_and_push(&work, &bare, "v0.1.0");
    let url = format!("file://{}#main", bare.display());

    // The student installs it and practises on it, in a drill and a score.
    let out = student.ok(&["pack", "install", &url]);
    assert!(
        out.starts_with(
            "Installed pack `backend-bootcamp` 0.1.0: Backend bootcamp, cohort 12 (2 questions)"
        ),
        "{out}"
    );
    let answers = src.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "candidate: Ada\nanswers:\n  - question: backend-bootcamp/feature-flags-or-branches\n    text: |\n      I would ask how we compare old and new prices, then merge daily behind a feature flag,\n      because one big merge is riskier than the cost of the flag. I would watch the mismatch rate.\n",
    )
    .unwrap();
    let out = student
        .rehearse()
        .args(["drill", "--record", "--format", "json"])
        .arg(&answers)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["results"].as_array().unwrap().len(), 1);
    let answer = src.path().join("answer.txt");
    std::fs::write(
        &answer,
        "First I would ask what changed on Wednesday and check the background jobs.",
    )
    .unwrap();
    student.ok(&[
        "score",
        "search-slow-after-lunch",
        "--record",
        "--answer-file",
        answer.to_str().unwrap(),
    ]);
    let history: Vec<Value> = serde_json::from_str(&student.ok(&["history", "--json"])).unwrap();
    assert_eq!(history.len(), 2);
    for attempt in &history {
        assert_eq!(attempt["pack"]["id"], "backend-bootcamp");
        assert_eq!(attempt["pack"]["version"], "0.1.0");
        assert_eq!(attempt["pack"]["revision"], format!("git:{first}"));
    }

    // The mentor rewords one question, adds another, bumps the version and pushes.
    let manifest = std::fs::read_to_string(work.join("pack.yaml")).unwrap();
    std::fs::write(
        work.join("pack.yaml"),
        manifest.replace("version: 0.1.0", "version: 0.2.0"),
    )
    .unwrap();
    let q = std::fs::read_to_string(work.join("questions/degradation.yaml")).unwrap();
    std::fs::write(
        work.join("questions/degradation.yaml"),
        q.replace("What do you do?", "What do you do first?"),
    )
    .unwrap();
    std::fs::write(
        work.join("questions/extra.yaml"),
        "questions:\n  - id: queue-or-cron\n    kind: trade-off\n    title: A queue or a nightly job\n    prompt: Reports take an hour to build. Would you queue them or build them nightly?\n",
    )
    .unwrap();
    mentor.ok(&["--no-builtin", "pack", "validate", work.to_str().unwrap()]);
    let second = commit_and_push(&work, &bare, "v0.2.0");

    let out = student.ok(&["pack", "update"]);
    assert_eq!(
        out,
        format!(
            "Updated `backend-bootcamp` 0.1.0 -> 0.2.0 (commit {} -> commit {}).\n  \
             added     queue-or-cron            A queue or a nightly job\n  \
             reworded  search-slow-after-lunch  Search is slow every afternoon, no errors\n  \
             2 attempts at this pack stay in your history; `rehearse rescore` scores them again with this version.\n",
            &first[..12],
            &second[..12]
        )
    );
    let table = student.ok(&["pack", "list"]);
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("backend-bootcamp  0.2.0    3 "),
        "{table}"
    );
    assert!(table.lines().nth(1).unwrap().ends_with("  main"), "{table}");
    assert!(
        student
            .ok(&["show", "search-slow-after-lunch"])
            .contains("What do you do first?")
    );

    // History carries over, and rescore re-scores the attempts with the new version.
    let history: Vec<Value> = serde_json::from_str(&student.ok(&["history", "--json"])).unwrap();
    assert_eq!(history.len(), 2);
    let out = student.ok(&["rescore"]);
    assert!(
        out.ends_with(
            "Rescored 2 attempts; 0 unchanged; 0 at questions no loaded pack has (kept).\n"
        ),
        "{out}"
    );
    let history: Vec<Value> = serde_json::from_str(&student.ok(&["history", "--json"])).unwrap();
    let rescored = &history[0]["rescored"][0]["pack"];
    assert_eq!(rescored["version"], "0.2.0");
    assert_eq!(rescored["revision"], format!("git:{second}"));

    let out = student.ok(&["pack", "remove", "backend-bootcamp"]);
    assert!(
        out.starts_with("Removed pack `backend-bootcamp` 0.2.0. 2 attempts"),
        "{out}"
    );
    assert_eq!(
        student.ok(&["pack", "list"]),
        "No packs installed. `rehearse pack install SOURCE` installs one from a directory, a .tar.gz or a git repository.\n"
    );
    let history: Vec<Value> = serde_json::from_str(&student.ok(&["history", "--json"])).unwrap();
    assert_eq!(history.len(), 2, "history is kept after removal");
}
