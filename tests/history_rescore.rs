//! `rehearse rescore` and `history show` on attempts recorded the way `practice` and
//! `score --record` record them: scored by the real rubric, fingerprinted, appended. Run against
//! the mini test pack in a temporary REHEARSE_HOME with a clean environment.

mod common;

use rehearse::answer::Answer;
use rehearse::history::record::{Source, attempt_for};
use rehearse::history::store;
use rehearse::pack::Bank;
use serde_json::Value;

const MINI: &str = "tests/fixtures/packs/mini.yaml";

fn record(data: &std::path::Path, question: &str, text: &str) -> u64 {
    let bank = Bank::load(&[common::fixture("packs/mini.yaml")], true).unwrap();
    let entry = bank.find(question).unwrap();
    let judge = rehearse::judge::for_pack(entry.pack).unwrap();
    let answer = Answer::whole(text);
    let evaluation = judge.evaluate(entry.question, &answer);
    let attempt = attempt_for(
        jiff::Timestamp::from_second(1_767_603_600).unwrap(),
        Source::Score,
        entry,
        answer,
        &evaluation,
        judge.fingerprint(entry.question).unwrap(),
    )
    .unwrap();
    store::append(data, attempt).unwrap().id
}

fn rehearse(home: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::rehearse(home)
        .env("TZ", "UTC")
        .env("REHEARSE_NOW", "2026-01-09T12:00:00Z")
        .args(["--no-builtin", "--bank", MINI])
        .args(args)
        .assert()
}

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.success().get_output().stdout.clone()).unwrap()
}

const ANSWER: &str = "First I would ask what changed recently: deploys, config, traffic. Then I \
    would check whether the metrics can be trusted and whether it reproduces, before touching \
    anything. I would tell support and the payments team what we know and when we update next.";

#[test]
fn rescore_skips_unchanged_rescoring_changed_and_keeps_orphans() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let fresh = record(&data, "slow-checkout", ANSWER);

    // An attempt made under another rubric, and one at a question the pack no longer has.
    let log = store::history_path(&data);
    let text = std::fs::read_to_string(&log).unwrap();
    let mut old: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    old["attempt"]["id"] = 2.into();
    old["attempt"]["rubric_fingerprint"] = "fnv1a64:0000000000000000".into();
    let mut orphan = old.clone();
    orphan["attempt"]["id"] = 3.into();
    orphan["attempt"]["question"] = "retired-question".into();
    std::fs::write(&log, format!("{text}{old}\n{orphan}\n")).unwrap();

    let dry = stdout(rehearse(home.path(), &["rescore", "--dry-run"]));
    assert!(
        dry.ends_with(
            "Would rescore 1 attempt; 1 unchanged; 1 at questions no loaded pack has (kept).\n"
        ),
        "{dry}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 3);

    let done = stdout(rehearse(home.path(), &["rescore"]));
    let lines: Vec<&str> = done.lines().collect();
    assert!(lines[0].starts_with("#2 mini/slow-checkout  "), "{done}");
    assert_eq!(
        lines[1],
        "#3 mini/retired-question  question is in no loaded pack; kept as it was"
    );
    assert_eq!(
        lines[2],
        "Rescored 1 attempt; 1 unchanged; 1 at questions no loaded pack has (kept)."
    );
    assert_eq!(
        fresh, 1,
        "the freshly recorded attempt matched the current rubric"
    );

    // Once re-scored, attempt 2 carries the current fingerprint: a second run changes nothing.
    let again = stdout(rehearse(home.path(), &["rescore", "--json"]));
    let json: Value = serde_json::from_str(&again).unwrap();
    let statuses: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["unchanged", "unchanged", "question-missing"]);

    // The old scores are still there, and all three attempts are still listed.
    let shown: Value = serde_json::from_str(&stdout(rehearse(
        home.path(),
        &["history", "show", "2", "--json"],
    )))
    .unwrap();
    assert_eq!(shown["rescored"].as_array().unwrap().len(), 1);
    assert_eq!(shown["evaluation"], old["attempt"]["evaluation"]);
    let listed: Value =
        serde_json::from_str(&stdout(rehearse(home.path(), &["history", "--json"]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

#[test]
fn history_show_renders_the_rubric_feedback() {
    if let Ok(d) = std::env::var("DEMO_HOME") {
        record(
            &std::path::Path::new(&d).join("data"),
            "slow-checkout",
            ANSWER,
        );
        record(
            &std::path::Path::new(&d).join("data"),
            "slow-checkout",
            "I would scale up the database and add a cache. Then restart the pods.",
        );
    }
    let home = tempfile::tempdir().unwrap();
    record(&home.path().join("data"), "slow-checkout", ANSWER);
    let text = stdout(rehearse(home.path(), &["history", "show", "1"]));
    assert!(
        text.starts_with("Attempt 1 · mini/slow-checkout · 2026-01-05 09:00\n"),
        "{text}"
    );
    assert!(
        text.contains("\nFeedback\nslow-checkout  (degradation, pack mini)\nOverall  ["),
        "{text}"
    );
    assert!(text.contains("Context-building "), "{text}");
    assert!(!text.contains('\u{1b}'));
}
