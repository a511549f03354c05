//! Binary tests of the history commands (`history`, `history show`, `diff`, `progress`,
//! `export`) in a temporary REHEARSE_HOME with a clean environment and a fixed clock and zone.
//! The history is written through the library's store, as practice would write it.

mod common;

use std::path::{Path, PathBuf};

use rehearse::answer::Answer;
use rehearse::history::record::{NewAttempt, PackRef, Source};
use rehearse::history::store;
use serde_json::{Value, json};

const MONDAY_9AM: i64 = 1_767_603_600; // 2026-01-05T09:00:00Z
const DAY: i64 = 86_400;

fn evaluation(levels: [u8; 4], hits: &[&str]) -> Value {
    let names = ["context", "trade-offs", "ownership", "communication"];
    let mut dims = serde_json::Map::new();
    for (name, level) in names.iter().zip(levels) {
        let mine: Vec<Value> = hits
            .iter()
            .filter(|h| h.starts_with(name))
            .map(|h| json!({"criterion": h, "excerpt": "quoted words"}))
            .collect();
        let label = ["Missing", "Emerging", "Solid", "Strong"][usize::from(level) - 1];
        dims.insert(
            (*name).into(),
            json!({"score": f64::from(level) / 4.0, "level": level, "label": label,
                   "hits": mine, "misses": [], "penalties": []}),
        );
    }
    let mean = levels.iter().map(|l| f64::from(*l)).sum::<f64>() / 16.0;
    json!({"question": "q", "overall": {"score": mean, "level": 2, "label": "Emerging"},
           "dimensions": dims, "flags": []})
}

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn record(
        &self,
        question: &str,
        day: i64,
        levels: [u8; 4],
        hits: &[&str],
        steps: &[(&str, &str)],
    ) {
        let mut n = NewAttempt::new(
            jiff::Timestamp::from_second(MONDAY_9AM + day * DAY).unwrap(),
            Source::Practice,
            PackRef::new("mini", "0.1.0"),
            question,
            Answer::by_steps(steps.iter().copied()),
            &evaluation(levels, hits),
            "fnv1a64:00000000000000aa",
        )
        .unwrap();
        n.candidate = Some("Jane Doe".into());
        n.time_taken_secs = Some(754);
        n.hints_used = vec!["first-checks".into()];
        store::append(&self.data(), n).unwrap();
    }

    /// `rehearse ARGS` at 2026-01-09 12:00 UTC (a Friday).
    fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.run_at("2026-01-09T12:00:00Z", args)
    }

    /// `rehearse ARGS` with the clock at `now`.
    fn run_at(&self, now: &str, args: &[&str]) -> assert_cmd::assert::Assert {
        common::rehearse(self.dir.path())
            .env("TZ", "UTC")
            // The attempts are at questions of the mini test pack, so review can see them.
            .args(["--no-builtin", "--bank", "tests/fixtures/packs/mini.yaml"])
            .env("REHEARSE_NOW", now)
            .args(args)
            .assert()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args).success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

/// Three attempts: two at slow-checkout (Mon, Thu), one at another question (Thu).
fn sample() -> Home {
    let h = Home::new();
    h.record(
        "slow-checkout",
        0,
        [1, 2, 2, 3],
        &["communication-structure"],
        &[
            ("first-checks", "Restart the pods. Look at the graphs."),
            ("actions", "Scale up."),
        ],
    );
    h.record(
        "cache-or-not",
        3,
        [3, 3, 3, 3],
        &["context-asks", "trade-offs-costs"],
        &[("clarify", "What is the read ratio?")],
    );
    h.record(
        "slow-checkout",
        3,
        [3, 2, 3, 3],
        &["context-asks-what-changed", "communication-structure"],
        &[
            (
                "first-checks",
                "Ask what changed recently. Look at the graphs.",
            ),
            ("actions", "Scale up."),
        ],
    );
    h
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[test]
fn history_lists_newest_first_and_filters_by_question() {
    let h = sample();
    let text = h.stdout(&["history"]);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "ID  WHEN              QUESTION       SOURCE    CTX  TRD  OWN  COM  OVERALL"
    );
    assert_eq!(
        rows[1],
        " 3  2026-01-08 09:00  slow-checkout  practice    3    2    3    3  Emerging 0.69"
    );
    assert!(
        rows[3].starts_with(" 1  2026-01-05 09:00  slow-checkout"),
        "{text}"
    );
    assert!(text.contains("3 attempts"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour off a terminal");

    let only = h.stdout(&["history", "mini/cache-or-not"]);
    assert!(
        only.contains(" 2  2026-01-08") && !only.contains("checkout"),
        "{only}"
    );

    let json: Value = serde_json::from_str(&h.stdout(&["history", "--json"])).unwrap();
    let ids: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [3, 2, 1]);
    assert_eq!(json[0]["answer"]["parts"][0]["step"], "first-checks");
}

#[test]
fn history_of_an_empty_home_says_how_to_start() {
    let h = Home::new();
    let text = h.stdout(&["history"]);
    assert!(text.starts_with("No attempt is recorded yet."), "{text}");
    assert_eq!(h.stdout(&["history", "--json"]), "[]\n");
}

#[test]
fn history_show_prints_answer_and_feedback() {
    let h = sample();
    let text = h.stdout(&["history", "show", "3"]);
    assert_eq!(
        first_line(&text),
        "Attempt 3 · mini/slow-checkout · 2026-01-08 09:00"
    );
    assert!(
        text.contains("source practice · pack version 0.1.0 · 12 min 34 s"),
        "{text}"
    );
    assert!(text.contains("Hints used: first-checks"), "{text}");
    assert!(
        text.contains("[first-checks]\n  Ask what changed recently. Look at the graphs."),
        "{text}"
    );
    assert!(
        text.contains("Context-building   Solid (3/4, 0.75)"),
        "{text}"
    );
    assert!(text.contains("+ context-asks-what-changed"), "{text}");

    let json: Value = serde_json::from_str(&h.stdout(&["history", "show", "1", "--json"])).unwrap();
    assert_eq!(json["id"], 1);

    h.run(&["history", "show", "9"])
        .code(2)
        .stderr("error: no attempt 9 in the history (attempts are numbered 1 to 3)\n");
}

#[test]
fn damaged_records_are_warned_about_and_the_rest_is_shown() {
    let h = sample();
    let log = store::history_path(&h.data());
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.insert_str(0, "not json at all\n");
    text.push_str("{\"format_version\":1,\"attempt\":{\"id\":4");
    std::fs::write(&log, text).unwrap();
    let out = h.run(&["history"]).success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let p = log.display();
    assert_eq!(
        stderr,
        format!(
            "warning: {p}:1:2: not a JSON record: expected ident (record skipped)\n\
             warning: {p}:5:37: incomplete last record (the write was cut short): not a JSON \
             record: EOF while parsing an object (record skipped)\n"
        )
    );
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("3 attempts"), "{stdout}");
}

#[test]
fn diff_shows_moves_flipped_criteria_and_sentences() {
    let h = sample();
    let text = h.stdout(&["diff", "slow-checkout"]);
    let expected = "\
mini/slow-checkout
                   #1 2026-01-05 09:00      #3 2026-01-08 09:00      CHANGE
Context-building   Missing (1) 0.25         Solid (3) 0.75           up 2
Trade-offs         Emerging (2) 0.50        Emerging (2) 0.50        same
Ownership          Emerging (2) 0.50        Solid (3) 0.75           up 1
Communication      Solid (3) 0.75           Solid (3) 0.75           same

Criteria
  now met: context-asks-what-changed (context)

Answer
[first-checks]
  + Ask what changed recently.
  - Restart the pods.
";
    assert_eq!(text, expected);
    let json: Value =
        serde_json::from_str(&h.stdout(&["diff", "slow-checkout", "--json"])).unwrap();
    assert_eq!(
        (json["before"].as_u64(), json["after"].as_u64()),
        (Some(1), Some(3))
    );
    h.run(&["diff", "cache-or-not"])
        .code(2)
        .stderr("error: only one attempt at `cache-or-not` is recorded; a diff needs two\n");
}

#[test]
fn progress_is_deterministic_for_a_fixed_clock() {
    let h = sample();
    let text = h.stdout(&["progress"]);
    assert_eq!(text, h.stdout(&["progress"]), "same history, same output");
    let expected = "\
Progress: 3 attempts at 2 questions

DIMENSION          NOW                  TREND (one mark per practice day, last 30)
Context-building   ███░  Solid 0.58     ▃▆  <- weakest
Trade-offs         ███░  Solid 0.58     ▅▅
Ownership          ███░  Solid 0.67     ▅▆
Communication      ███░  Solid 0.75     ▆▆

Weakest dimension: Context-building
Streak: 1 day in a row
Due for review: nothing yet
";
    assert_eq!(text, expected);
    // Four days later the streak is broken and both questions are due (their level-3
    // dimensions after 4 days, slow-checkout's trade-offs at level 2 after 2).
    let later = h
        .run_at("2026-01-12T10:00:00Z", &["progress", "--json"])
        .success();
    let json: Value = serde_json::from_slice(&later.get_output().stdout).unwrap();
    assert_eq!(json["streak_days"], 0);
    assert_eq!(json["weakest"], "context");
    assert_eq!(json["dimensions"][0]["trend"][0]["date"], "2026-01-05");
    // 0.58 is Solid by the documented cut-offs (0.5-0.8), whatever the levels averaged.
    assert_eq!(json["dimensions"][0]["current_level"], 3);
    assert_eq!(json["due"], 2);
    assert_eq!(json["due_questions"].as_array().map(Vec::len), Some(2));
    // Without the pack that holds them, the questions are not due: they cannot be practised.
    let builtin_only = common::rehearse(h.dir.path())
        .env("REHEARSE_NOW", "2026-01-12T10:00:00Z")
        .args(["progress", "--json"])
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&builtin_only.get_output().stdout).unwrap();
    assert_eq!(json["due"], 0);
}

#[test]
fn export_csv_and_anonymized_json() {
    let h = sample();
    let csv = h.stdout(&["export", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("id,recorded_at,source,pack,pack_version,question,candidate,"));
    assert_eq!(
        lines[1],
        "1,2026-01-05T09:00:00Z,practice,mini,0.1.0,slow-checkout,Jane Doe,2,0.500,1,0.250,\
         2,0.500,2,0.500,3,0.750,0,1,0,754,9,fnv1a64:00000000000000aa"
    );
    let anon = h.stdout(&["export", "--anonymize"]);
    assert!(!anon.contains("Jane") && !anon.contains("Restart") && !anon.contains("quoted words"));
    let json: Value = serde_json::from_str(&anon).unwrap();
    assert_eq!(json["anonymized"], true);
    assert_eq!(json["attempts"][0]["answer_words"][0]["words"], 7);
    assert!(
        json["attempts"][0]["candidate"]
            .as_str()
            .unwrap()
            .starts_with("candidate-")
    );
    let full: Value = serde_json::from_str(&h.stdout(&["export"])).unwrap();
    assert_eq!(
        full["attempts"][2]["answer"]["parts"][1]["text"],
        "Scale up."
    );
}

#[test]
fn read_only_home_fails_reads_gracefully() {
    // A data directory that is a file: every history command names it instead of panicking.
    let h = Home::new();
    std::fs::write(h.data(), "not a directory").unwrap();
    let out = h.run(&["history"]).code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.starts_with("error: cannot read "), "{stderr}");
    assert!(
        stderr.contains(
            &store::history_path(Path::new(&h.data()))
                .display()
                .to_string()
        )
    );
}

#[test]
fn json_into_a_closed_pipe_prints_no_error() {
    let h = Home::new();
    // Enough attempts that the JSON is far larger than a pipe buffer and the write fails midway.
    for i in 0..40 {
        h.record(
            "slow-checkout",
            i,
            [2, 2, 2, 2],
            &[],
            &[("first-checks", &"words ".repeat(400))],
        );
    }
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    for args in ["history --json", "export", "export --format csv"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("'{}' {args} | head -c 10", bin.display()))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("REHEARSE_HOME", h.data())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args}");
    }
}

#[test]
fn an_old_format_file_is_reported_not_misread() {
    let h = Home::new();
    std::fs::create_dir_all(h.data()).unwrap();
    let log = store::history_path(&h.data());
    std::fs::write(
        &log,
        "{\"format_version\":0,\"question\":\"slow-checkout\",\"score\":0.5}\n",
    )
    .unwrap();
    let out = h.run(&["history"]).success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        format!(
            "warning: {}:1: history format 0 is older than this build reads (1); the record is \
             kept in the file but cannot be shown (record skipped)\n",
            log.display()
        )
    );
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .starts_with("No attempt is recorded yet.")
    );
    // Recording afterwards keeps the old line untouched.
    h.record(
        "slow-checkout",
        0,
        [2, 2, 2, 2],
        &[],
        &[("first-checks", "Look.")],
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("{\"format_version\":0,"));
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn diff_compares_any_two_numbered_attempts() {
    let h = sample();
    h.record(
        "slow-checkout",
        4,
        [4, 2, 3, 3],
        &[],
        &[("first-checks", "Ask what changed recently. Compare p99.")],
    );
    // The default is still the last two (#3 and #4); N M picks #1 and #4, in either order.
    let json = |args: &[&str]| -> (Option<u64>, Option<u64>) {
        let v: Value = serde_json::from_str(&h.stdout(args)).unwrap();
        (v["before"].as_u64(), v["after"].as_u64())
    };
    assert_eq!(
        json(&["diff", "slow-checkout", "--json"]),
        (Some(3), Some(4))
    );
    assert_eq!(
        json(&["diff", "slow-checkout", "1", "4", "--json"]),
        (Some(1), Some(4))
    );
    assert_eq!(
        json(&["diff", "slow-checkout", "4", "1", "--json"]),
        (Some(4), Some(1))
    );
    let text = h.stdout(&["diff", "slow-checkout", "1", "4"]);
    assert!(
        text.contains("#1 2026-01-05 09:00      #4 2026-01-09 09:00"),
        "{text}"
    );
    assert!(
        text.contains("Context-building   Missing (1) 0.25         Strong (4)"),
        "{text}"
    );
    h.run(&["diff", "slow-checkout", "1", "2"]).code(2).stderr(
        "error: attempt 2 is not an attempt at `slow-checkout`; its attempts are 1, 3, 4 \
             (see `rehearse history slow-checkout`)\n",
    );
    h.run(&["diff", "slow-checkout", "3", "3"])
        .code(2)
        .stderr("error: N and M are the same attempt (3); name two\n");
    h.run(&["diff", "slow-checkout", "1"])
        .code(2)
        .stderr(predicates::str::contains("<M>"));
}
