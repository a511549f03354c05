//! The history store across processes: two writer processes at once, and a data directory the
//! writing user may not change. Both re-run this test executable as a child (an ignored test
//! selected by name), so they exercise real separate processes without needing the CLI.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use rehearse::answer::Answer;
use rehearse::history::record::{NewAttempt, PackRef, Source};
use rehearse::history::store;
use serde_json::json;

const CHILD_VAR: &str = "REHEARSE_TEST_CHILD";

fn evaluation(level: u8) -> serde_json::Value {
    let dim = json!({"score": 0.5, "level": level, "label": "Solid", "hits": [], "misses": [],
                     "penalties": []});
    json!({"question": "q", "overall": {"score": 0.5, "level": level, "label": "Solid"},
           "dimensions": {"context": dim, "trade-offs": dim, "ownership": dim,
                          "communication": dim},
           "flags": []})
}

fn attempt(question: &str, secs: i64) -> NewAttempt {
    NewAttempt::new(
        jiff::Timestamp::from_second(1_767_603_600 + secs).unwrap(),
        Source::Practice,
        PackRef::new("core", "1.0.0"),
        question,
        // Several KiB per record, well past a pipe buffer, so a torn write would show.
        Answer::whole(format!("{question} ").repeat(800)),
        &evaluation(3),
        "fnv1a64:0000000000000000",
    )
    .unwrap()
}

/// Runs the ignored test `name` of this executable in a child process with `vars` set.
fn child(exe: &Path, name: &str, vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args([
        "--ignored",
        "--exact",
        name,
        "--nocapture",
        "--test-threads=1",
    ]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

#[test]
#[ignore = "run as a child process by two_writer_processes_never_interleave"]
fn child_writer() {
    let (Ok(dir), Ok(tag)) = (std::env::var("REHEARSE_HOME"), std::env::var(CHILD_VAR)) else {
        return;
    };
    for i in 0..60 {
        store::append(Path::new(&dir), attempt(&format!("{tag}-{i}"), i)).unwrap();
    }
}

#[test]
fn two_writer_processes_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|tag| {
            child(
                &exe,
                "child_writer",
                &[("REHEARSE_HOME", home), (CHILD_VAR, tag)],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let history = store::load(dir.path()).unwrap();
    assert_eq!(history.problems, vec![]);
    let ids: Vec<u64> = history.attempts.iter().map(|a| a.id).collect();
    assert_eq!(ids, (1..=120).collect::<Vec<_>>(), "ids unique and gapless");
    for tag in ["a", "b"] {
        let mine: Vec<&str> = history
            .attempts
            .iter()
            .map(|a| a.question.as_str())
            .filter(|q| q.starts_with(tag))
            .collect();
        let expected: Vec<String> = (0..60).map(|i| format!("{tag}-{i}")).collect();
        assert_eq!(mine, expected, "each writer's records kept, in its order");
    }
}

#[test]
#[ignore = "run as a child process by read_only_data_directory_is_a_clear_error"]
fn child_read_only_append() {
    let Ok(dir) = std::env::var("REHEARSE_HOME") else {
        return;
    };
    if std::env::var(CHILD_VAR).is_err() {
        return;
    }
    match store::append(Path::new(&dir), attempt("late", 99)) {
        Ok(a) => println!("APPENDED {}", a.id),
        Err(e) => println!("ERROR {e}"),
    }
    let loaded = store::load(Path::new(&dir)).unwrap();
    println!("READ {}", loaded.attempts.len());
}

#[test]
fn read_only_data_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store::append(&data, attempt("kept-1", 0)).unwrap();
    store::append(&data, attempt("kept-2", 1)).unwrap();
    let log = store::history_path(&data);
    let before = std::fs::read(&log).unwrap();

    // Root ignores permission bits, so when run as root the child drops to `nobody`; it then
    // needs to reach a copy of this executable and the data through world-readable folders.
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false);
    let exe = dir.path().join("child-test");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    let mode = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    mode(dir.path(), 0o755).unwrap();
    mode(&exe, 0o755).unwrap();
    mode(&data, 0o555).unwrap();
    mode(&log, 0o444).unwrap();

    let mut cmd = child(
        &exe,
        "child_read_only_append",
        &[("REHEARSE_HOME", data.to_str().unwrap()), (CHILD_VAR, "1")],
    );
    if as_root {
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    mode(&data, 0o755).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = format!(
        "ERROR cannot append to {} (it is read-only; make it writable or set REHEARSE_HOME to a \
         writable directory); nothing already recorded was changed",
        log.display()
    );
    assert!(stdout.contains(&expected), "{stdout}");
    assert!(
        stdout.contains("READ 2"),
        "history still readable: {stdout}"
    );
    assert_eq!(
        std::fs::read(&log).unwrap(),
        before,
        "nothing kept was lost"
    );
}
