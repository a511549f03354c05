//! `rehearse calibrate` end to end: the binary in a temporary home with a clean environment, on
//! small graded files written for these tests (`tests/fixtures/calibrate/`). The scoring engine
//! changes under these tests, so they assert what calibrate itself promises (shape, filters,
//! JSON, exit codes, locations), and thresholds are chosen where no sensible scorer can land on
//! the other side: a blank answer graded strong, a threshold on a dimension nobody graded.

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const INLINE: &str = "tests/fixtures/calibrate/inline.yaml";
const GRADED: &str = "tests/fixtures/calibrate/graded-answers.yaml";
const INVERTED: &str = "tests/fixtures/calibrate/inverted.yaml";
const BROKEN: &str = "tests/fixtures/calibrate/broken.yaml";
const MINI: &str = "tests/fixtures/packs/mini.yaml";

fn calibrate(home: &Path) -> Command {
    let mut cmd = common::rehearse(home);
    cmd.arg("calibrate");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("UTF-8")
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().expect("runs");
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

#[test]
fn text_report_leads_with_the_summary() {
    let home = tempfile::tempdir().unwrap();
    let out = calibrate(home.path()).arg(INLINE).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "calibrate: 7 answers to 2 questions in 1 file");
    assert!(lines[1].starts_with("dimension"), "{text}");
    for (line, dimension) in lines[2..5]
        .iter()
        .zip(["context", "trade-offs", "ownership"])
    {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], dimension, "{text}");
        assert_eq!(
            cells[1], "7",
            "every answer is graded on {dimension}: {text}"
        );
        assert_eq!(
            cells.len(),
            6,
            "answers, spearman, kappa, exact, within 1: {line}"
        );
    }
    // Communication is graded by nobody here, so it is not reported.
    assert!(!text.contains("communication"), "{text}");
    assert!(lines[5].starts_with("gaming answers held low: "), "{text}");
    assert!(lines[5].contains("/2 "), "two gaming answers: {text}");
    assert!(
        lines[6].starts_with("strong answers on top of their question: ")
            && lines[6].ends_with("/2"),
        "{text}"
    );
    assert_eq!(lines[7], "thresholds: met");
    assert!(text.contains("Context-building confusion (rows expected, columns engine):"));
    assert!(!text.to_lowercase().contains("nan"), "{text}");
}

#[test]
fn json_report_is_documented_shape_and_deterministic() {
    let home = tempfile::tempdir().unwrap();
    let first = calibrate(home.path())
        .args([INLINE, "--json"])
        .output()
        .unwrap();
    let second = calibrate(home.path())
        .args([INLINE, "--json"])
        .output()
        .unwrap();
    assert_eq!(first.stdout, second.stdout, "same input, same bytes");
    let report: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["files"], serde_json::json!([INLINE]));
    assert_eq!(report["answers"], 7);
    assert_eq!(report["questions"], 2);
    let dimensions = report["dimensions"].as_array().unwrap();
    let names: Vec<&str> = dimensions
        .iter()
        .map(|d| d["dimension"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["context", "trade-offs", "ownership"]);
    for d in dimensions {
        assert_eq!(d["answers"], 7);
        for measure in ["spearman", "kappa", "exact", "within_one"] {
            assert!(d[measure].is_number() || d[measure].is_null(), "{d}");
        }
        let cells: u64 = d["confusion"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .map(|c| c.as_u64().unwrap())
            .sum();
        assert_eq!(cells, 7, "every answer lands in one cell: {d}");
    }
    assert_eq!(report["gaming"]["total"], 2);
    assert_eq!(report["strong"]["total"], 2);
    let gaming = &report["gaming"];
    assert_eq!(
        gaming["held"].as_u64().unwrap() + gaming["failures"].as_array().unwrap().len() as u64,
        2
    );
    for d in report["disagreements"].as_array().unwrap() {
        assert_ne!(d["expected"], d["got"], "{d}");
        assert!(d["at"].as_str().unwrap().starts_with(INLINE), "{d}");
    }
    assert_eq!(report["missed"], serde_json::json!([]));
    let kinds = report["by_tag"].as_array().unwrap();
    assert_eq!(
        kinds[0]["kind"], "strong",
        "highest expected first: {kinds:?}"
    );
    let counted: u64 = kinds.iter().map(|k| k["answers"].as_u64().unwrap()).sum();
    assert_eq!(counted, 7, "every answer in one kind: {kinds:?}");
    for k in kinds {
        for d in k["dimensions"].as_array().unwrap() {
            for level in ["expected", "engine"] {
                let mean = d[level].as_f64().unwrap();
                assert!((1.0..=4.0).contains(&mean), "{k}");
            }
        }
    }
}

#[test]
fn answers_files_with_expected_levels_resolve_against_the_packs() {
    let home = tempfile::tempdir().unwrap();
    let report = json_of(calibrate(home.path()).args(["--no-builtin", "--bank", MINI, GRADED]));
    assert_eq!(report["answers"], 3);
    assert_eq!(report["gaming"]["total"], 1, "`gaming: true` marks it");
    assert_eq!(report["strong"]["total"], 1);
    let names: Vec<&str> = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dimension"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["context", "trade-offs"]);
    // Without the pack the questions are unknown: located, exit 2.
    calibrate(home.path())
        .args(["--no-builtin", GRADED])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{GRADED}:5:15: unknown question `mini/cache-or-not`"
        )));
}

#[test]
fn thresholds_exit_one_naming_what_missed_and_zero_when_met() {
    let home = tempfile::tempdir().unwrap();
    // A blank answer graded strong and a real one graded absent: no positive correlation.
    let out = calibrate(home.path())
        .args([INVERTED, "--min-spearman", "0.1"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "threshold missed: context Spearman",
        ));
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("threshold missed: context Spearman"),
        "{text}"
    );
    assert!(!text.contains("thresholds: met"), "{text}");

    // Nobody graded communication: a threshold on it cannot be met.
    calibrate(home.path())
        .args([INLINE, "--min", "communication=0.5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "threshold missed: communication Spearman is undefined",
        ));

    // The lowest possible thresholds hold whenever the measures are defined.
    let report = json_of(calibrate(home.path()).args([
        INLINE,
        "--min-spearman",
        "-1",
        "--min-kappa",
        "-1",
        "--min",
        "context=-1",
    ]));
    assert_eq!(report["missed"], serde_json::json!([]));
    calibrate(home.path())
        .args([INLINE, "--min-spearman", "-1", "--min-kappa", "-1"])
        .assert()
        .success();

    // A missed threshold in JSON is listed in the report too.
    let report = json_of(calibrate(home.path()).args([INVERTED, "--min-spearman", "0.1"]));
    assert_eq!(report["missed"][0]["dimension"], "context");
    assert_eq!(report["missed"][0]["measure"], "spearman");
    assert_eq!(report["missed"][0]["required"], 0.1);
}

#[test]
fn bad_threshold_values_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        ["--min-spearman", "2"],
        ["--min", "contxt=0.5"],
        ["--min", "context"],
    ] {
        calibrate(home.path())
            .arg(INLINE)
            .args(args)
            .assert()
            .code(2);
    }
    calibrate(home.path())
        .args([INLINE, "--min", "contxt=0.5"])
        .assert()
        .stderr(predicate::str::contains("did you mean `context`?"));
}

#[test]
fn malformed_files_exit_two_with_their_location() {
    let home = tempfile::tempdir().unwrap();
    calibrate(home.path())
        .arg(BROKEN)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{BROKEN}:5:23: `levels` grades are 0-3"
        )));
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("syntax.yaml", "answers: [\n", "syntax.yaml:"),
        (
            "field.yaml",
            "answers:\n  - question: q\n    levles: {context: 1}\n    text: a\n",
            "field.yaml:3:5: unknown field `levles`",
        ),
        ("empty.yaml", "", "empty.yaml: "),
    ];
    for (name, doc, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, doc).unwrap();
        let out = calibrate(home.path()).arg(&path).assert().code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Problems in several files are all reported, none scored.
    calibrate(home.path())
        .args([BROKEN, "tests/fixtures/calibrate/missing.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(BROKEN))
        .stderr(predicate::str::contains("missing.yaml: cannot read"));
}

#[test]
fn filters_pick_questions_and_kinds() {
    let home = tempfile::tempdir().unwrap();
    let by_kind = stdout_of(calibrate(home.path()).args([INLINE, "--kind", "degradation"]));
    assert!(
        by_kind.starts_with("calibrate: 3 answers to 1 question in 1 file"),
        "{by_kind}"
    );
    let report =
        json_of(calibrate(home.path()).args([INLINE, "--question", "fx-image-cache-choice"]));
    assert_eq!(report["answers"], 4);
    assert_eq!(report["questions"], 1);
    assert_eq!(report["gaming"]["total"], 1);
    for d in report["disagreements"].as_array().unwrap() {
        assert_eq!(d["question"], "fx-image-cache-choice");
    }
    calibrate(home.path())
        .args([INLINE, "--question", "fx-nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--question `fx-nope` matches no answer",
        ));
    calibrate(home.path())
        .args([INLINE, "--kind", "retrospective"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no answer in"));
}

#[test]
fn verbose_lists_every_disagreement() {
    let home = tempfile::tempdir().unwrap();
    let report = json_of(calibrate(home.path()).arg(INLINE));
    let all = report["disagreements"].as_array().unwrap().len();
    let text = stdout_of(calibrate(home.path()).args([INLINE, "--verbose"]));
    assert!(
        text.contains(&format!("largest disagreements ({all} of {all};")),
        "{text}"
    );
    let quoted = text.lines().filter(|l| l.starts_with("      \"")).count();
    assert_eq!(quoted, all, "an excerpt per disagreement: {text}");
}

#[test]
fn text_from_the_file_reaches_the_terminal_sanitised() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.yaml");
    // An escape sequence in the tag and the answer, a bell and a bidi override in the answer,
    // graded so that the answer shows up among the disagreements.
    std::fs::write(
        &path,
        "questions:\n  - {id: fx-q, kind: trade-off, title: T, prompt: Choose A or B.}\n\
         answers:\n  - question: fx-q\n    tag: \"recital\\e[2J\"\n    levels: {context: 3}\n    \
         text: \"\\e]0;owned\\a I would weigh \\u202Eoptions carefully.\"\n  \
         - question: fx-q\n    tag: strong-x\n    levels: {context: 0}\n    text: \"\"\n",
    )
    .unwrap();
    let out = calibrate(home.path())
        .arg(&path)
        .arg("--verbose")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("fx-q recital [2J"),
        "the tag is shown, defused: {text}"
    );
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(!text.contains('\u{202e}'), "{text:?}");
}
