//! `rehearse drill` with stderr on a terminal: the progress bar is drawn there, then cleared, and
//! the report still goes whole to its file. (Without a terminal no bar is drawn: `tests/drill.rs`
//! checks that stderr stays empty.)
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{Options, spawn_with_options};

/// Long enough for a debug build on a busy machine; a real hang still fails the test.
const TIMEOUT_MS: u64 = 60_000;

#[test]
fn progress_bar_is_drawn_on_a_terminal_and_the_report_is_written() {
    let home = tempfile::tempdir().unwrap();
    let cohort = home.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let answers = std::fs::read_to_string(root.join("tests/fixtures/answers/weak.yaml")).unwrap();
    for i in 0..40 {
        std::fs::write(cohort.join(format!("learner-{i:02}.yaml")), &answers).unwrap();
    }
    let report = home.path().join("report.xml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("REHEARSE_HOME", home.path().join("data"))
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .arg("--no-builtin")
        .arg("--bank")
        .arg(root.join("tests/fixtures/packs/mini.yaml"))
        .arg("drill")
        .arg(&cohort)
        .args(["--format", "junit", "--output"])
        .arg(&report);
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).expect("the binary starts in a pty");
    p.exp_string("answer files graded")
        .unwrap_or_else(|e| panic!("no progress bar: {e}"));
    p.exp_string("80 answers graded, 0 below the thresholds")
        .unwrap_or_else(|e| panic!("no closing line: {e}"));
    match p.process().wait() {
        Ok(WaitStatus::Exited(_, code)) => assert_eq!(code, 0),
        other => panic!("unexpected end: {other:?}"),
    }
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().attribute("tests"), Some("80"));
}
