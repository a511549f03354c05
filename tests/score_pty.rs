//! `rehearse score` on a terminal with no answer file: it says how to type the answer and how to
//! end it, instead of waiting on standard input in silence.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{Options, spawn_with_options};

/// Long enough for a debug build on a busy machine; a real hang still fails the test.
const TIMEOUT_MS: u64 = 60_000;

#[test]
fn on_a_terminal_score_prompts_for_the_answer_and_ends_at_ctrl_d() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("REHEARSE_HOME", home.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .arg("--no-builtin")
        .arg("--bank")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini.yaml"))
        .args(["score", "slow-checkout"]);
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).expect("the binary starts in a pty");
    p.exp_string("Type or paste your answer, then press Ctrl-D on a line of its own")
        .expect("a prompt, not a silent wait");
    p.send_line("First I would ask what changed on Monday and look at p99 per endpoint.")
        .unwrap();
    p.send("\x04").unwrap();
    p.flush().unwrap();
    p.exp_string("Context-building")
        .expect("feedback after Ctrl-D");
    p.exp_eof().expect("the program ends");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => assert_eq!(code, 0),
        other => panic!("did not exit normally: {other:?}"),
    }
}
