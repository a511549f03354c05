//! Hostile files and streams: devices, FIFOs, huge inputs, symbolic link loops, names that are
//! not UTF-8, a reader that closes the pipe. Each case used to hang, eat memory, grade the same
//! file thousands of times or hide the verdict; each now ends with a clear message and the right
//! exit code.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const MINI: &str = "tests/fixtures/packs/mini.yaml";

fn answers(name: &str) -> String {
    std::fs::read_to_string(common::fixture(&format!("answers/{name}"))).unwrap()
}

fn drill_cmd(dir: &Path) -> assert_cmd::Command {
    let mut cmd = common::rehearse(dir);
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--no-builtin", "--bank"])
        .arg(common::root().join(MINI));
    cmd
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Out {
    let out = cmd.timeout(Duration::from_secs(60)).output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_not_packs() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(common::rehearse(tmp.path()).args(["--bank", "/dev/zero", "list"]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("/dev/zero: is a device, not a regular file"),
        "{}",
        r.stderr
    );

    // A directory pack with a question file that is a link to /dev/zero.
    let pack = tmp.path().join("pack");
    std::fs::create_dir(&pack).unwrap();
    std::fs::write(
        pack.join("pack.yaml"),
        "format_version: 1\nid: p\ntitle: P\nversion: 0.1.0\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", pack.join("z.yaml")).unwrap();
    let r = run(common::rehearse(tmp.path()).current_dir(tmp.path()).args([
        "--no-builtin",
        "pack",
        "validate",
        "pack",
    ]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("z.yaml: is a device"), "{}", r.stderr);

    // A FIFO nobody writes to: reading it would wait forever.
    let fifo = tmp.path().join("f.yaml");
    if mkfifo(&fifo) {
        let r = run(common::rehearse(tmp.path())
            .arg("--bank")
            .arg(&fifo)
            .arg("list"));
        assert_eq!(r.code, Some(2));
        assert!(r.stderr.contains("is a FIFO"), "{}", r.stderr);
        let r = run(drill_cmd(tmp.path()).arg("drill").arg(&fifo));
        assert_eq!(r.code, Some(2));
        assert!(r.stderr.contains("is a FIFO"), "{}", r.stderr);
        let r = run(drill_cmd(tmp.path())
            .args(["score", "cache-or-not", "--answer-file"])
            .arg(&fifo));
        assert_eq!(r.code, Some(2));
        assert!(r.stderr.contains("is a FIFO"), "{}", r.stderr);
    }
}

#[test]
fn sizes_are_reported_as_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.yaml");
    std::fs::write(&big, vec![b'#'; 5_740_064]).unwrap();
    let r = run(common::rehearse(tmp.path())
        .arg("--bank")
        .arg(&big)
        .arg("list"));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("is 5740064 bytes, over the limit of 4 MiB (4194304 bytes)"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_answer_on_stdin_is_bounded_while_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = "word ".repeat(2 * 1024 * 1024 / 5);
    let r = run(drill_cmd(tmp.path())
        .args(["score", "cache-or-not"])
        .write_stdin(huge));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("<stdin>: is larger than 262144 bytes, over the limit of 256 KiB"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_each_file_graded_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    std::fs::write(cohort.join("ada.yaml"), answers("strong.yaml")).unwrap();
    for link in ["l1", "l2", "l3"] {
        std::os::unix::fs::symlink("..", cohort.join(link)).unwrap();
    }
    std::os::unix::fs::symlink("ada.yaml", cohort.join("same.yaml")).unwrap();
    let r =
        run(drill_cmd(tmp.path()).args(["drill", "cohort", "cohort/ada.yaml", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let sources: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    // ada.yaml answers two questions: two results, one file.
    assert_eq!(sources, ["cohort/ada.yaml", "cohort/ada.yaml"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link loop"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_reported() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    std::fs::write(cohort.join("ok.yaml"), answers("strong.yaml")).unwrap();
    let bad: PathBuf = cohort.join(OsStr::from_bytes(b"z\xff.yaml"));
    if std::fs::write(&bad, answers("strong.yaml")).is_err() {
        return;
    }
    let r = run(drill_cmd(tmp.path()).args(["drill", "cohort"]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
}

/// `drill | head -1`: the reader stops after one line; the drill's exit code is still 1 (an
/// answer below the threshold), not the 0 a quiet broken pipe used to give.
#[test]
fn a_closed_pipe_keeps_the_drill_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    for i in 0..60 {
        std::fs::write(cohort.join(format!("w{i:02}.yaml")), answers("weak.yaml")).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let mut child = std::process::Command::new(bin)
        .env_clear()
        .env("HOME", tmp.path())
        .env("REHEARSE_HOME", tmp.path().join("data"))
        .env("NO_COLOR", "1")
        .current_dir(tmp.path())
        .args(["--no-builtin", "--bank"])
        .arg(common::root().join(MINI))
        .args(["drill", "cohort", "--min-level", "4", "--record"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The read end is dropped here: every later write fails with a broken pipe.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Recording went on to the end: 60 files of two answers each.
    assert!(stderr.contains("recorded 120 attempts"), "{stderr}");
    let history = std::fs::read_to_string(tmp.path().join("data/history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 120);
}

/// Ctrl-C while `drill --output` is writing: the half-written temporary file is removed and the
/// exit code is 130, where the process used to die and leave `.tmpXXXXXX` beside the report.
#[cfg(unix)]
#[test]
fn an_interrupted_output_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    for i in 0..800 {
        std::fs::write(cohort.join(format!("s{i:04}.yaml")), answers("strong.yaml")).unwrap();
    }
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let child = std::process::Command::new(bin)
        .env_clear()
        .env("HOME", tmp.path())
        .env("REHEARSE_HOME", tmp.path().join("data"))
        .current_dir(tmp.path())
        .args(["--no-builtin", "--bank"])
        .arg(common::root().join(MINI))
        .args([
            "drill",
            "cohort",
            "--output",
            "out/report.json",
            "--format",
            "json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the temporary file to appear, then interrupt.
    let started = std::time::Instant::now();
    while std::fs::read_dir(&out_dir).unwrap().next().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no output file"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(0) {
        return; // finished before the signal arrived: nothing to clean up
    }
    assert_eq!(out.status.code(), Some(130), "{:?}", out.status);
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
