//! `rehearse drill` and `rehearse template` end to end: the binary in a temporary directory with
//! a clean environment, graded against the small fixture pack so rubric or built-in content
//! changes do not make these tests brittle. Thresholds are chosen far from the fixture answers'
//! scores: the strong set is detailed, the weak set is a few words long.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::fixture;

const MINI: &str = "tests/fixtures/packs/mini.yaml";

/// `rehearse --no-builtin --bank MINI` run from `dir`, with a clean environment.
fn drill_in(dir: &Path, home: &Path) -> Command {
    let mut cmd = common::rehearse(home);
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("--no-builtin")
        .arg("--bank")
        .arg(common::root().join(MINI));
    cmd
}

fn answers(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("answers/{name}"))).expect("fixture exists")
}

/// A cohort directory `cohort/` under `root` with the given files (relative path, fixture name),
/// created in the order given.
fn cohort(root: &Path, files: &[(&str, &str)]) -> PathBuf {
    let dir = root.join("cohort");
    for (rel, name) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, answers(name)).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn exit_0_when_every_threshold_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cohort(tmp.path(), &[("ada.yaml", "strong.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path())
        .args(["drill", "cohort", "--min-level", "2"])
        .arg("--min")
        .arg("context=2"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("== cohort/ada.yaml (Ada Example) =="));
    assert!(r.stdout.contains("Result: passes the thresholds"));
    assert!(
        r.stdout
            .contains("thresholds: --min-level 2 --min context=2; 2 passed, 0 below")
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(dir.exists());
}

#[test]
fn exit_1_when_an_answer_falls_below() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[("bo.yaml", "weak.yaml"), ("ada.yaml", "strong.yaml")],
    );
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--min-level",
        "2",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r.stdout);
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    // Sorted by path: ada before bo, answers in file order within a file.
    let order: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap(),
                r["question"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("cohort/ada.yaml", "slow-checkout"),
            ("cohort/ada.yaml", "cache-or-not"),
            ("cohort/bo.yaml", "slow-checkout"),
            ("cohort/bo.yaml", "url-shortener"),
        ]
    );
    let bo = &results[2];
    assert_eq!(bo["candidate"], "Bo Example");
    assert_eq!(bo["passed"], false);
    assert_eq!(bo["shortfalls"][0]["measure"], "overall level");
    assert_eq!(doc["summary"]["below_threshold"], 2);
    assert_eq!(doc["summary"]["passed"], 2);
    assert_eq!(doc["errors"], serde_json::json!([]));
}

#[test]
fn exit_2_on_a_broken_file_with_located_problems() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), &[("cy.yaml", "broken-step.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "cohort/cy.yaml"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "cohort/cy.yaml:6:7: unknown step `decison` for question `mini/json-prefs`; did you mean `decision`?"
    ), "{}", r.stderr);
    assert!(r.stderr.contains(
        "cohort/cy.yaml:7:15: unknown question `cache-or-nt`; did you mean `cache-or-not`?"
    ));
    assert!(
        r.stderr
            .ends_with("\nerror: nothing was graded (the problem is above)\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn a_broken_file_in_a_cohort_does_not_stop_the_others_and_2_wins_over_1() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[
            ("a/ada.yaml", "strong.yaml"),
            ("b/bo.yaml", "weak.yaml"),
            ("b/cy.yaml", "broken-step.yaml"),
        ],
    );
    std::fs::write(tmp.path().join("cohort/b/empty.yml"), "").unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "json",
        "--min-level",
        "2",
    ]));
    assert_eq!(r.code, 2, "input errors outrank answers below threshold");
    let doc = json(&r.stdout);
    assert_eq!(doc["results"].as_array().unwrap().len(), 4);
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0]["source"], "cohort/b/cy.yaml");
    assert_eq!(errors[0]["line"], 6);
    assert_eq!(errors[0]["column"], 7);
    assert_eq!(errors[2]["source"], "cohort/b/empty.yml");
    assert_eq!(errors[2]["line"], serde_json::Value::Null);
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["graded_files"], 2);
    assert_eq!(summary["broken_files"], 2);
    assert!(
        r.stderr.contains("cohort/b/empty.yml: file is empty"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with(
            "\nerror: 2 of 4 answers files could not be graded (problems above); the other 2 were \
             graded and reported\n"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_paths_are_input_errors_but_the_rest_is_graded() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), &[("ada.yaml", "strong.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "nowhere.yaml",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("nowhere.yaml: cannot read: no such file or directory")
    );
    assert_eq!(json(&r.stdout)["results"].as_array().unwrap().len(), 2);
}

/// Every format, for a cohort created in `order`, from a root of its own.
fn every_format(order: &[(&str, &str)]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), order);
    ["text", "json", "junit", "markdown"]
        .iter()
        .map(|format| {
            let r = run(drill_in(tmp.path(), tmp.path()).args([
                "drill",
                "cohort",
                "--min-level",
                "2",
                "--format",
                format,
            ]));
            assert_eq!(r.code, 2, "{format}: {}", r.stderr);
            r.stdout
        })
        .collect()
}

#[test]
fn output_is_byte_identical_whatever_the_order_files_are_created_in() {
    let files = [
        ("ada.yaml", "strong.yaml"),
        ("team/bo.yaml", "weak.yaml"),
        ("team/cy.yaml", "broken-step.yaml"),
        ("zed.yaml", "weak.yaml"),
    ];
    let mut reversed = files;
    reversed.reverse();
    let first = every_format(&files);
    let again = every_format(&files);
    let other_order = every_format(&reversed);
    assert_eq!(first, again);
    assert_eq!(first, other_order);
    // No absolute temporary paths leak into any report.
    for out in &first {
        assert!(!out.contains("/tmp"), "{out}");
    }
}

#[test]
fn paths_named_in_any_order_give_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[("a.yaml", "strong.yaml"), ("b.yaml", "weak.yaml")],
    );
    let mut outs = Vec::new();
    for args in [
        ["cohort/a.yaml", "cohort/b.yaml"],
        ["cohort/b.yaml", "cohort/a.yaml"],
    ] {
        let r = run(drill_in(tmp.path(), tmp.path())
            .arg("drill")
            .args(args)
            .args(["--format", "json"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        outs.push(r.stdout);
    }
    assert_eq!(outs[0], outs[1]);
}

#[test]
fn junit_parses_back_with_a_suite_per_file_and_a_case_per_answer() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[
            ("ada.yaml", "strong.yaml"),
            ("bo.yaml", "weak.yaml"),
            ("cy.yaml", "broken-step.yaml"),
        ],
    );
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "junit",
        "--min-level",
        "2",
    ]));
    assert_eq!(r.code, 2);
    let doc = roxmltree::Document::parse(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.stdout));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("5"));
    assert_eq!(root.attribute("failures"), Some("2"));
    assert_eq!(root.attribute("errors"), Some("1"));
    assert!(root.attribute("timestamp").is_none() && root.attribute("time").is_none());
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        ["cohort/ada.yaml", "cohort/bo.yaml", "cohort/cy.yaml"]
    );

    let ada = suites[0];
    let candidate = ada
        .descendants()
        .find(|n| n.has_tag_name("property"))
        .unwrap();
    assert_eq!(candidate.attribute("name"), Some("candidate"));
    assert_eq!(candidate.attribute("value"), Some("Ada Example"));
    let cases: Vec<_> = ada
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].attribute("name"), Some("mini/slow-checkout"));
    assert_eq!(cases[0].attribute("classname"), Some("cohort.ada"));
    assert!(
        cases
            .iter()
            .all(|c| !c.children().any(|n| n.has_tag_name("failure")))
    );

    let bo_failures: Vec<_> = suites[1]
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(bo_failures.len(), 2);
    let failure = bo_failures[0];
    assert_eq!(failure.attribute("type"), Some("below-threshold"));
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .starts_with("overall level 1 (Missing) is below 2 (Emerging)")
    );
    let body = failure.text().unwrap();
    assert!(body.contains("Missed criteria:\n- [context] "), "{body}");

    let error = suites[2]
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert_eq!(error.attribute("type"), Some("input-error"));
    assert!(
        error
            .text()
            .unwrap()
            .contains("cohort/cy.yaml:6:7: unknown step")
    );
}

#[test]
fn markdown_puts_the_summary_first_and_escapes_answers() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[("ada.yaml", "strong.yaml"), ("bo.yaml", "weak.yaml")],
    );
    std::fs::write(
        tmp.path().join("cohort/eve.yaml"),
        "candidate: \"<img src=x> | *Eve*\"\nanswers:\n  - question: json-prefs\n    text: ok\n",
    )
    .unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "markdown",
        "--min-level",
        "2",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let md = &r.stdout;
    assert!(
        md.starts_with("# Drill report\n\n**5 answers** in 3 files.  \n"),
        "{md}"
    );
    let levels = md.find("## Levels").unwrap();
    let hardest = md.find("## Hardest questions").unwrap();
    let silent = md.find("## Rubric criteria that never fired").unwrap();
    let answers = md.find("## Answers").unwrap();
    assert!(levels < hardest && hardest < silent && silent < answers);
    assert!(
        md.contains("### `cohort/eve.yaml` (&lt;img src=x&gt; \\| \\*Eve\\*)"),
        "{md}"
    );
    assert!(md.contains("| `mini/slow-checkout` Checkout slow at lunch, no errors |"));
    assert!(md.contains("**below**: overall level 1 (Missing) is below 2 (Emerging)"));
    assert!(md.contains("<details><summary>mini/url-shortener: "));
}

#[test]
fn text_shows_cohort_sections_for_several_files() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[("ada.yaml", "strong.yaml"), ("bo.yaml", "weak.yaml")],
    );
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "cohort"]));
    assert_eq!(r.code, 0, "no thresholds: nothing can fall below one");
    let text = &r.stdout;
    assert!(text.contains("thresholds: none set"));
    assert!(!text.contains("Result:"));
    let hardest = text.split("Hardest questions\n").nth(1).unwrap_or("");
    assert!(hardest.starts_with("  question  "), "{text}");
    assert!(
        hardest
            .lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("  mini/url-shortener  0."),
        "the hardest first: {text}"
    );
    assert!(text.contains("Rubric criteria that never fired\n"));
    assert!(text.contains("Overall  ["), "feedback as in a session");
    assert!(
        !text.contains('\u{1b}'),
        "NO_COLOR and a pipe mean plain text"
    );
}

#[test]
fn output_file_is_written_whole_and_stdout_stays_empty() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), &[("ada.yaml", "strong.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "junit",
        "--output",
        "reports/drill.xml",
    ]));
    // The directory does not exist: that is an error, not a partial report.
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot write reports/drill.xml"),
        "{}",
        r.stderr
    );
    std::fs::create_dir(tmp.path().join("reports")).unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "junit",
        "--output",
        "reports/drill.xml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("wrote reports/drill.xml: 2 answers graded, 0 below the thresholds")
    );
    let xml = std::fs::read_to_string(tmp.path().join("reports/drill.xml")).unwrap();
    roxmltree::Document::parse(&xml).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("reports"))
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn record_stores_each_graded_answer_in_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), &[("ada.yaml", "strong.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path())
        .env("REHEARSE_NOW", "2026-01-05T09:00:00Z")
        .args(["drill", "cohort", "--record"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("recorded 2 attempts in the history"));
    let log = std::fs::read_to_string(tmp.path().join("data/history.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = log.lines().map(json).collect();
    assert_eq!(lines.len(), 2);
    let attempt = &lines[0]["attempt"];
    assert_eq!(attempt["source"], "drill");
    assert_eq!(attempt["question"], "slow-checkout");
    assert_eq!(attempt["candidate"], "Ada Example");
    assert_eq!(attempt["follow_up"], "provider-green");
    assert_eq!(attempt["pack"]["id"], "mini");
    // The one clock: `REHEARSE_NOW` fixes when drill records, as it does for every command.
    assert_eq!(attempt["recorded_at"], "2026-01-05T09:00:00Z");
}

#[test]
fn bad_threshold_values_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        ["--min-level", "5"],
        ["--min-score", "1.5"],
        ["--min", "contxt=3"],
        ["--min", "context=9"],
    ] {
        let r = run(drill_in(tmp.path(), tmp.path())
            .args(["drill", "x.yaml"])
            .args(args));
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("error: invalid value"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "x.yaml", "--min", "contxt=3"]));
    assert!(r.stderr.contains("did you mean `context`?"), "{}", r.stderr);
}

#[test]
fn template_is_reproducible_with_a_seed_and_grades_once_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let make = |seed: &str| {
        run(drill_in(tmp.path(), tmp.path()).args(["template", "--count", "2", "--seed", seed]))
    };
    let a = make("7");
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, make("7").stdout);
    assert!(a.stdout.contains("# Picked with --count 2 --seed 7"));
    assert_eq!(a.stdout.matches("  - question: ").count(), 2);
    let seeds: Vec<String> = (1..6).map(|s| make(&s.to_string()).stdout).collect();
    assert!(
        seeds.iter().any(|s| *s != a.stdout),
        "different seeds, different picks"
    );

    // Blank, the template loads and grades (every answer at the bottom level).
    std::fs::write(tmp.path().join("mine.yaml"), &a.stdout).unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "mine.yaml", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r.stdout);
    assert_eq!(doc["summary"]["answers"], 2);
    assert_eq!(doc["summary"]["overall"]["levels"]["Missing"], 2);

    // Filled in (answers only), it loads too.
    let mut filled = String::new();
    for line in a.stdout.lines() {
        filled.push_str(line);
        filled.push('\n');
        if line.ends_with(": |") {
            let pad = " ".repeat(line.len() - line.trim_start().len() + 2);
            filled.push_str(&format!(
                "{pad}First I would ask what changed, then decide.\n"
            ));
        }
    }
    std::fs::write(tmp.path().join("mine.yaml"), filled).unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "mine.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn template_by_id_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "template",
        "url-shortener",
        "mini/json-prefs",
        "url-shortener",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  - question: "))
        .collect();
    assert_eq!(ids, ["url-shortener", "json-prefs"]);
    assert!(!r.stdout.contains("Picked with"));

    let r = run(drill_in(tmp.path(), tmp.path()).args(["template", "--kind", "degradation"]));
    assert!(
        r.stdout
            .contains("  - question: slow-checkout\n    # Optional: the questions")
    );
    assert_eq!(r.stdout.matches("  - question: ").count(), 1);

    let r = run(drill_in(tmp.path(), tmp.path()).args(["template", "slow-chekout"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `slow-checkout`?"),
        "{}",
        r.stderr
    );
    let r = run(drill_in(tmp.path(), tmp.path()).args(["template", "--tag", "nothing-has-this"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no question matches those filters"));
}

#[test]
fn schema_for_answer_files() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(drill_in(tmp.path(), tmp.path()).args(["schema", "--answers"]));
    assert_eq!(r.code, 0);
    let schema = json(&r.stdout);
    assert_eq!(schema["title"], "rehearse answers file (format_version 1)");
    assert!(schema["properties"]["answers"].is_object());
    // The pack schema is unchanged without the flag.
    let r = run(drill_in(tmp.path(), tmp.path()).arg("schema"));
    assert!(json(&r.stdout)["properties"]["questions"].is_object());
}

#[test]
fn an_empty_or_missing_directory_says_nothing_was_graded() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    for (paths, last) in [
        (
            vec!["empty"],
            "error: nothing was graded (the problem is above)\n",
        ),
        (
            vec!["empty", "missing"],
            "error: nothing was graded: all 2 answers files have problems (above)\n",
        ),
    ] {
        let r = run(drill_in(tmp.path(), tmp.path()).arg("drill").args(&paths));
        assert_eq!(r.code, 2, "{paths:?}");
        assert!(
            r.stderr
                .starts_with("empty: no answer files (*.yaml, *.yml) in this directory"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.ends_with(last), "{}", r.stderr);
        assert!(!r.stderr.contains("the others were"), "{}", r.stderr);
    }
}

#[test]
fn an_unwritable_output_names_the_path_given_not_a_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(tmp.path(), &[("ada.yaml", "strong.yaml")]);
    let r = run(drill_in(tmp.path(), tmp.path()).args([
        "drill",
        "cohort",
        "--format",
        "junit",
        "--output",
        "no-such-dir/x.xml",
    ]));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: cannot write no-such-dir/x.xml: its directory does not exist\n"
    );
}

#[test]
fn record_and_report_counts_agree_in_number() {
    let tmp = tempfile::tempdir().unwrap();
    // One answer: a file answering a single question.
    let one = answers("strong.yaml");
    let parts: Vec<&str> = one.split("\n  - question:").collect();
    let first = format!("{}\n  - question:{}", parts[0], parts[1]);
    std::fs::create_dir(tmp.path().join("one")).unwrap();
    std::fs::write(tmp.path().join("one/a.yaml"), format!("{first}\n")).unwrap();
    let r =
        run(drill_in(tmp.path(), tmp.path())
            .args(["drill", "one", "--record", "--output", "r.txt"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "wrote r.txt: 1 answer graded, 0 below the thresholds\nrecorded 1 attempt in the history\n"
    );
}

#[test]
fn the_text_report_aligns_the_hardest_questions_and_counts_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    cohort(
        tmp.path(),
        &[("a/ada.yaml", "strong.yaml"), ("b/bo.yaml", "weak.yaml")],
    );
    let r = run(drill_in(tmp.path(), tmp.path()).args(["drill", "cohort"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let table: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| *l != "Hardest questions")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() >= 3, "{}", r.stdout);
    assert!(table[0].trim_start().starts_with("question"), "{table:?}");
    // Every column starts at the same place on every row: the titles (the last column) and the
    // means (right-aligned under their heading) line up with the header.
    let title_at = table[0].find("title").unwrap();
    let mean_end = table[0].find("mean").unwrap() + "mean".len();
    for row in &table[1..] {
        assert_eq!(&row[title_at - 2..title_at], "  ", "{table:?}");
        assert_ne!(&row[title_at..=title_at], " ", "{table:?}");
        assert_eq!(&row[mean_end - 4..mean_end - 3], ".", "{table:?}");
    }
    assert!(!r.stdout.contains(" 1 answers"), "{}", r.stdout);
    assert!(!r.stdout.contains("partial credit 1.00"), "{}", r.stdout);
}
