//! `rehearse practice` where no terminal is needed to find the problem: no terminal at all,
//! filters that match nothing, nothing to resume, an unknown question, contradictory flags.
//! Each must say what is wrong, exit 2, and never wait for input.

mod common;

use std::time::Duration;

use common::{fixture, rehearse};
use predicates::prelude::*;

fn practice(home: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = rehearse(home);
    cmd.arg("--no-builtin")
        .arg("--bank")
        .arg(fixture("practice"))
        .arg("practice")
        .timeout(Duration::from_secs(60))
        .write_stdin("");
    cmd
}

#[test]
fn without_a_terminal_it_names_drill_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("needs an interactive terminal"))
        .stderr(predicate::str::contains("rehearse drill"));
    // Nothing was started, so nothing waits to be resumed.
    assert!(!home.path().join("data/journal").exists());
}

#[test]
fn filters_that_match_nothing_say_which_and_what_exists() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .args(["--kind", "system-design", "--tag", "latency"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no question matches --kind system-design",
        ))
        .stderr(predicate::str::contains("--tag latency").not())
        .stderr(predicate::str::contains(
            "kinds: trade-off (1), degradation (1), retrospective (1)",
        ))
        .stderr(predicate::str::contains(
            "tags: architecture (1), caching (1)",
        ));
    practice(home.path())
        .args(["--kind", "degradation", "--level", "mid"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no question matches --kind degradation --level mid together",
        ));
}

#[test]
fn resume_without_a_saved_session_says_so() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .arg("--resume")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "there is no interrupted session to resume",
        ));
}

#[test]
fn an_unknown_question_suggests_the_closest() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .args(["--question", "slow-chekout"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no question `slow-chekout`"))
        .stderr(predicate::str::contains("slow-checkout"));
}

#[test]
fn contradictory_flags_are_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .args(["--resume", "--seed", "4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    practice(home.path())
        .args(["--count", "0"])
        .assert()
        .code(2);
}

#[test]
fn review_with_no_history_has_nothing_due() {
    let home = tempfile::tempdir().unwrap();
    practice(home.path())
        .arg("--review")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Nothing is due for review"));
}

#[test]
fn saved_sessions_are_listed_resumed_by_id_and_discarded() {
    use rehearse::session::plan::Planned;
    use rehearse::session::state::SessionState;

    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    for (id, seed) in [("20260101T090000Z-7", 7), ("20260102T090000Z-8", 8)] {
        let plan = vec![Planned {
            question: "fixture/cache-or-replica".into(),
            follow_up: None,
        }];
        let state = SessionState::new(id.into(), seed, plan);
        rehearse::history::journal::save(&data, id, &state).unwrap();
    }
    practice(home.path())
        .arg("--sessions")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("20260101T090000Z-7"))
        .stdout(predicate::str::contains("20260102T090000Z-8"))
        .stdout(predicate::str::contains("0 of 1"))
        .stdout(predicate::str::contains("fixture/cache-or-replica"));
    // An unknown id names the ones that exist; a known one is found (and then needs a terminal).
    practice(home.path())
        .args(["--resume", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no saved session `nope`"))
        .stderr(predicate::str::contains(
            "20260101T090000Z-7, 20260102T090000Z-8",
        ));
    practice(home.path())
        .args(["--resume", "20260101T090000Z-7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs an interactive terminal"));
    practice(home.path())
        .args(["--discard", "20260101T090000Z-7"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Discarded session 20260101T090000Z-7",
        ));
    let left = rehearse::history::journal::list(&data).unwrap();
    assert_eq!(left, ["20260102T090000Z-8"]);
}

#[test]
fn review_reads_the_time_from_rehearse_now() {
    let home = tempfile::tempdir().unwrap();
    // A weak attempt recorded on 5 January: it comes back for review days later, not at once.
    rehearse(home.path())
        .env("REHEARSE_NOW", "2026-01-05T09:00:00Z")
        .args(["--no-builtin", "--bank"])
        .arg(fixture("practice"))
        .args(["score", "cache-or-replica", "--record", "-"])
        .write_stdin("I would add a cache.\n")
        .assert()
        .code(0);
    practice(home.path())
        .env("REHEARSE_NOW", "2026-01-05T09:10:00Z")
        .arg("--review")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Nothing is due for review"));
    // Months later it is due: review plans a session, which then needs a terminal.
    practice(home.path())
        .env("REHEARSE_NOW", "2026-06-01T09:00:00Z")
        .arg("--review")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs an interactive terminal"));
}
