//! What a reader sees: coloured output is the plain output plus escape codes and nothing else
//! (no lost padding, no missing space), and feedback is brief unless asked for in full.
//!
//! Each command runs twice, `--color always` and `--color never`, and the coloured run with its
//! escape codes stripped must equal the plain run byte for byte.

mod common;

use std::path::Path;

use common::{fixture, rehearse};

const ANSWER: &str = "\
First I would ask what changed recently: deploys, config, feature flags, and the cache TTL. \
I would not trust the averages; I'd compare p50 with p99 per endpoint, and look at the hour \
boundaries, since the stalls come on the hour. My hypothesis is that many cache keys expire at \
the same moment and the database takes the misses; I would confirm it with the hit ratio per \
second. I'd mitigate by adding jitter to the TTL, then tell the product manager what we know.";

fn run(home: &Path, color: &str, args: &[&str]) -> String {
    let out = rehearse(home)
        .env("REHEARSE_NOW", "2026-01-12T10:00:00Z")
        .args(["--color", color])
        .args(args)
        .output()
        .expect("rehearse runs");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `args` coloured and plain, and checks the coloured run is the plain one painted.
fn same_layout(home: &Path, args: &[&str]) -> String {
    let plain = run(home, "never", args);
    let coloured = run(home, "always", args);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(
        coloured.contains("\u{1b}["),
        "`{}` has no colour under --color always",
        args.join(" ")
    );
    let stripped = String::from_utf8(strip_ansi_escapes::strip(&coloured)).expect("UTF-8");
    assert_eq!(
        stripped,
        plain,
        "`{}`: coloured output, codes stripped, differs from the plain output",
        args.join(" ")
    );
    plain
}

#[test]
fn colour_changes_no_layout_in_score_drill_history_and_progress() {
    let home = tempfile::tempdir().unwrap();
    let answer = home.path().join("answer.txt");
    std::fs::write(&answer, ANSWER).unwrap();
    let answer = answer.to_str().unwrap();

    let score = same_layout(
        home.path(),
        &[
            "score",
            "product-pages-stall-on-the-hour",
            "--answer-file",
            answer,
        ],
    );
    assert!(
        score
            .lines()
            .any(|l| l.starts_with("Context-building [") || l.starts_with("Context-building  [")),
        "the dimension name and its bar are apart: {score}"
    );
    same_layout(
        home.path(),
        &[
            "score",
            "product-pages-stall-on-the-hour",
            "--verbose",
            "--answer-file",
            answer,
        ],
    );

    let bank = fixture("packs/mini.yaml");
    let bank = bank.to_str().unwrap();
    let strong = fixture("answers/strong.yaml");
    let weak = fixture("answers/weak.yaml");
    let drill = [
        "--bank",
        bank,
        "drill",
        strong.to_str().unwrap(),
        weak.to_str().unwrap(),
        "--min-level",
        "3",
    ];
    let report = same_layout(home.path(), &drill);
    assert!(report.contains("Hardest questions"), "{report}");

    // A history to show: two recorded attempts.
    for _ in 0..2 {
        let status = rehearse(home.path())
            .env("REHEARSE_NOW", "2026-01-05T10:00:00Z")
            .args([
                "score",
                "product-pages-stall-on-the-hour",
                "--record",
                "--answer-file",
                answer,
            ])
            .output()
            .unwrap()
            .status;
        assert!(status.success());
    }
    same_layout(home.path(), &["history"]);
    same_layout(home.path(), &["history", "show", "1"]);
    same_layout(home.path(), &["list"]);
    let progress = same_layout(home.path(), &["progress"]);
    assert!(
        progress.contains("core/product-pages-stall-on-the-hour: "),
        "progress names the due question: {progress}"
    );
}

#[test]
fn feedback_leads_with_three_things_and_lists_the_rest_on_request() {
    let home = tempfile::tempdir().unwrap();
    let answer = home.path().join("answer.txt");
    std::fs::write(&answer, "I would restart the servers and see.").unwrap();
    let answer = answer.to_str().unwrap();
    let brief = run(
        home.path(),
        "never",
        &[
            "score",
            "product-pages-stall-on-the-hour",
            "--answer-file",
            answer,
        ],
    );
    let full = run(
        home.path(),
        "never",
        &[
            "score",
            "product-pages-stall-on-the-hour",
            "--verbose",
            "--answer-file",
            answer,
        ],
    );
    let misses = |text: &str| text.lines().filter(|l| l.starts_with("  - ")).count();
    assert_eq!(misses(&brief), 0, "{brief}");
    assert!(misses(&full) > 10, "{full}");
    assert!(brief.contains("Next time, add\n  1. "), "{brief}");
    assert!(
        brief.contains("more things the rubric looks for are not listed here; --verbose shows"),
        "{brief}"
    );
    assert!(brief.lines().count() * 2 < full.lines().count(), "{brief}");

    // The same for drill's text and Markdown reports; JSON is unchanged by --verbose.
    let bank = fixture("packs/mini.yaml");
    let answers = fixture("answers/weak.yaml");
    let drill = |extra: &[&str]| {
        let mut args = vec![
            "--bank",
            bank.to_str().unwrap(),
            "drill",
            answers.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(home.path(), "never", &args)
    };
    let text = drill(&[]);
    let text_full = drill(&["--verbose"]);
    assert!(text.contains("Next time, add"), "{text}");
    assert!(misses(&text) < misses(&text_full), "{text}");
    let md = drill(&["--format", "markdown"]);
    let md_full = drill(&["--format", "markdown", "--verbose"]);
    assert!(md.contains("`--verbose` lists them"), "{md}");
    assert!(md.lines().count() < md_full.lines().count(), "{md}");
    assert_eq!(
        drill(&["--format", "json"]),
        drill(&["--format", "json", "--verbose"])
    );
}
