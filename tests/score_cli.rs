//! Binary tests of `rehearse score` and `rehearse pack test`, run as a user would.

mod common;

use std::path::Path;

use common::{fixture, rehearse};
use serde_json::Value;

const STRONG: &str = "## first-checks
First I would ask what changed on Monday: deploys, config, feature flags. I would not trust the
average; I want p99 per endpoint compared with last week. Is it only between 12:00 and 13:00?

## hypotheses
My hypotheses: the new fraud-check client is slow at its tail, or the connection pool is
exhausted at lunch. Tracing slow requests would confirm or rule out each one.

## actions
If it lines up with Monday's deploy, I roll it back first and watch p99 for fifteen minutes;
that costs us the new client for a day, which is cheaper than slow checkouts.

## people
I would loop in the fraud team and tell support what customers see. Afterwards a blameless
postmortem with owners, and an alert on p99 rather than on the average.
";

fn home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

fn score_json(home: &Path, answer: &Path) -> Vec<u8> {
    let out = rehearse(home)
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "--json", "--answer-file"])
        .arg(answer)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

#[test]
fn score_json_is_the_documented_result_object_and_is_deterministic() {
    let h = home();
    let answer = write(h.path(), "answer.md", STRONG);
    let first = score_json(h.path(), &answer);
    assert_eq!(
        first,
        score_json(h.path(), &answer),
        "byte-identical output"
    );
    let text = String::from_utf8(first).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["question"], "slow-checkout");
    assert_eq!(v["pack"], "mini");
    assert_eq!(v["kind"], "degradation");
    let order = [
        "\"context\"",
        "\"trade-offs\"",
        "\"ownership\"",
        "\"communication\"",
        "\"flags\"",
        "\"next\"",
    ];
    let mut at = 0;
    for key in order {
        at += text[at..]
            .find(key)
            .unwrap_or_else(|| panic!("{key} out of order"));
    }
    let context = &v["dimensions"]["context"];
    assert!(context["level"].as_u64().unwrap() >= 3, "{context}");
    let hits = context["hits"].as_array().unwrap();
    let what_changed = hits
        .iter()
        .find(|h| h["criterion"] == "asks-what-changed")
        .expect("asks what changed is earned");
    assert_eq!(what_changed["step"], "first-checks");
    assert!(
        what_changed["excerpt"]
            .as_str()
            .unwrap()
            .contains("what changed on Monday")
    );
    assert!(v["next"].as_array().unwrap().len() <= 3);
}

#[test]
fn score_reads_stdin_and_prints_feedback_that_quotes_the_answer() {
    let h = home();
    let out = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout"])
        .write_stdin("We should add more servers and a bigger database. It's the DBA's fault.")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Context-building"), "{text}");
    assert!(text.contains("scales-before-diagnosis"), "{text}");
    assert!(text.contains("Next time, add"), "{text}");
    assert!(!text.contains('\u{1b}'), "plain when not a terminal");
}

#[test]
fn score_reports_an_unknown_step_heading_with_its_position() {
    let h = home();
    let answer = write(h.path(), "bad.md", "intro\n\n## frist-checks\ntext\n");
    let out = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "--answer-file"])
        .arg(&answer)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("bad.md:3:4: `frist-checks` is not a step"),
        "{err}"
    );
}

#[test]
fn a_markdown_answer_whose_headings_name_no_step_is_scored_as_text() {
    let h = home();
    let answer = write(
        h.path(),
        "answer.md",
        "## What I want to know first\nWhat shipped on Monday, and is it every checkout?\n\n\
         ## What I would do\nRoll back the Monday release and watch p99 for an hour.\n",
    );
    let out = score_json(h.path(), &answer);
    let json: Value = serde_json::from_slice(&out).expect("JSON");
    let hits: Vec<&str> = json["dimensions"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|d| d["hits"].as_array().unwrap())
        .map(|h| h["criterion"].as_str().unwrap())
        .collect();
    assert!(
        !hits.is_empty(),
        "a Markdown answer earns like text: {json}"
    );
}

#[test]
fn score_rejects_a_missing_file_and_an_unknown_question() {
    let h = home();
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args([
            "score",
            "slow-checkout",
            "--answer-file",
            "/nonexistent/answer.md",
        ])
        .assert()
        .code(2);
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "no-such-question"])
        .write_stdin("text")
        .assert()
        .code(2);
}

const PACK_HEAD: &str = "format_version: 1
id: selftest
title: Self-test pack
version: 1.0.0
questions:
  - id: slow-search
    kind: degradation
    title: Search slow at the tail
    prompt: |
      Since Monday search p99 tripled; no errors, and the average latency is flat.
    model_answer:
      text: |
        First ask what changed on Monday: deploys, config, flags. Do not trust the average;
        compare p99 per endpoint with last week. Hypotheses: a slow dependency or a new query
        shape; tracing slow requests confirms or rules out each. Roll back if it lines up with
        a deploy, tell support, and write a blameless postmortem with an alert on p99.
    examples:
";

fn pack_with_examples(dir: &Path, examples: &str) -> std::path::PathBuf {
    write(dir, "pack.yaml", &format!("{PACK_HEAD}{examples}"))
}

#[test]
fn pack_test_passes_honest_examples_and_every_probe() {
    let h = home();
    let pack = pack_with_examples(
        h.path(),
        "      - label: strong
        text: |
          First I would ask what changed on Monday: deploys, config and feature flags. I would
          not trust the flat average; I want p99 per endpoint, compared with last week, and to
          know whether it is only some queries. My hypotheses are a slow dependency after a
          release or a new query shape without an index; tracing slow requests would confirm
          or rule out each. If it lines up with a deploy I roll it back first and watch p99,
          which costs us the feature for a day. I would loop in the owning team, tell support
          what users see, and afterwards run a blameless postmortem with an alert on p99.
        expect: {context: 4, trade-offs: 3, ownership: 3, communication: 3}
      - label: weak
        text: |
          Add more servers.
        expect: {context: 1, trade-offs: 1, ownership: 1, communication: 1}
",
    );
    let out = rehearse(h.path())
        .args(["pack", "test"])
        .arg(&pack)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("ok    slow-search (2 examples, 5 probes)"),
        "{text}"
    );
    assert!(text.ends_with("1 passed, 0 failed\n"), "{text}");
}

#[test]
fn pack_test_fails_with_a_readable_diff_when_a_grade_is_off() {
    let h = home();
    let pack = pack_with_examples(
        h.path(),
        "      - label: claimed-strong
        text: |
          Add more servers.
        expect: {context: 4, trade-offs: 1, ownership: 1, communication: 1}
",
    );
    let out = rehearse(h.path())
        .args(["pack", "test"])
        .arg(&pack)
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("FAIL  slow-search"), "{text}");
    assert!(
        text.contains("example `claimed-strong` is off by more than one level"),
        "{text}"
    );
    assert!(
        text.contains("context        expected 4 (Strong), got 1"),
        "{text}"
    );
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
}

#[test]
fn pack_test_reports_a_broken_pack_as_an_input_error() {
    let h = home();
    let pack = write(h.path(), "broken.yaml", "format_version: 1\nid: [\n");
    let out = rehearse(h.path())
        .args(["pack", "test"])
        .arg(&pack)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("broken.yaml:"), "{err}");
}

#[test]
fn score_record_keeps_the_attempt_in_the_history() {
    let h = home();
    let answer = write(h.path(), "a.md", STRONG);
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args([
            "score",
            "slow-checkout",
            "--record",
            "--json",
            "--answer-file",
        ])
        .arg(&answer)
        .assert()
        .success()
        .stderr("Recorded as attempt 1 in your history.\n");
    let out = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["history", "--json"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("slow-checkout"), "{text}");
    assert!(text.contains("\"score\""), "source is score: {text}");
}

#[test]
fn pack_test_fails_when_a_fact_is_revealed_by_a_question_it_lists_as_not_asking_for_it() {
    let home = home();
    let pack = write(
        home.path(),
        "coach.yaml",
        r#"format_version: 1
id: coach
title: Coach
version: 1.0.0
questions:
  - id: slow
    kind: degradation
    title: Slow
    prompt: The app is slow.
    facts:
      - id: cpu
        about: Offers service CPU
        asks: ["(traffic|load) ~4 (chang*|grow*)"]
        reveal: The offers service hits 90% CPU at night.
        red_herring: true
        not_asked_by:
          - Has the load grown since Monday?
          - Did the weather change?
"#,
    );
    rehearse(home.path())
        .args(["pack", "test"])
        .arg(&pack)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "fact `cpu` is revealed by \"Has the load grown since Monday?\"",
        ))
        .stdout(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("Did the weather change"),
        ));
}

#[test]
fn score_reads_standard_input_for_a_dash() {
    let h = home();
    let out = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "-", "--json"])
        .write_stdin(STRONG)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["question"], "slow-checkout", "{v}");
    // `--answer-file -` is the same thing, and the two together are a usage error.
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "--answer-file", "-", "--json"])
        .write_stdin(STRONG)
        .assert()
        .success()
        .stdout(String::from_utf8(out.get_output().stdout.clone()).unwrap());
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "-", "--answer-file", "a.md"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
}

#[test]
fn an_empty_answer_is_an_input_error_and_is_never_recorded() {
    let h = home();
    let blank = write(
        h.path(),
        "blank.md",
        "  \n\n## first-checks\n\n## people\n \n",
    );
    for (args, stdin) in [
        (vec!["score", "slow-checkout", "--record"], ""),
        (vec!["score", "slow-checkout", "-", "--record"], " \n\t\n"),
    ] {
        rehearse(h.path())
            .args(["--no-builtin", "--bank"])
            .arg(fixture("packs/mini.yaml"))
            .args(args)
            .write_stdin(stdin)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::starts_with(
                "<stdin>: the answer is empty; write it in a file and pass `--answer-file FILE`",
            ));
    }
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["score", "slow-checkout", "--record", "--answer-file"])
        .arg(&blank)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("blank.md: the answer is empty"));
    assert!(
        !h.path().join("data/history.jsonl").exists(),
        "nothing was recorded"
    );
}

#[test]
fn pack_test_shows_the_levels_found_and_verbose_shows_expected_beside_found() {
    let h = home();
    let pack = pack_with_examples(
        h.path(),
        "      - label: weak
        text: |
          Add more servers.
        expect: {context: 1, trade-offs: 1, ownership: 1, communication: 1}
",
    );
    let run = |verbose: bool| {
        let mut cmd = rehearse(h.path());
        cmd.args(["pack", "test"]).arg(&pack);
        if verbose {
            cmd.arg("--verbose");
        }
        String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
    };
    let plain = run(false);
    assert!(
        plain.contains("levels found per example: context/trade-offs/ownership/communication"),
        "{plain}"
    );
    assert!(
        plain.contains("ok    slow-search (1 example, 5 probes): weak 1/1/1/1"),
        "{plain}"
    );
    assert!(!plain.contains("expected"), "{plain}");
    let verbose = run(true);
    assert!(verbose.contains("      example `weak`\n"), "{verbose}");
    for d in ["context", "trade-offs", "ownership", "communication"] {
        assert!(
            verbose.contains(&format!(
                "        {d:<14} expected 1 Missing   found 1 Missing   score 0.00"
            )),
            "{d}: {verbose}"
        );
    }
}
