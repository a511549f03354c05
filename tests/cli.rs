//! Binary tests of the first commands: list, show, schema, completions, man, and the global
//! options, run as a user would in a clean environment.

mod common;

use common::{fixture, rehearse};
use predicates::prelude::*;
use serde_json::Value;

fn home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn list_shows_the_builtin_pack_with_counts_per_kind() {
    let h = home();
    let out = rehearse(h.path()).arg("list").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("ID "), "{text}");
    for kind in ["trade-off", "degradation", "retrospective"] {
        assert!(text.contains(kind), "{kind} missing from\n{text}");
    }
    assert!(text.contains(" questions ("), "{text}");
    // Not a terminal: no escape codes.
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn list_json_has_the_documented_fields_and_filters_apply() {
    let h = home();
    let out = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["list", "--json", "--kind", "degradation"])
        .assert()
        .success();
    let items: Vec<Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], "slow-checkout");
    assert_eq!(item["pack"], "mini");
    assert_eq!(item["kind"], "degradation");
    assert_eq!(item["level"], "senior", "level defaults to senior");
    assert_eq!(item["tags"], serde_json::json!(["payments", "latency"]));
    assert_eq!(item["steps"], 4, "default degradation steps");
    assert_eq!(item["title"], "Checkout slow at lunch, no errors");
}

#[test]
fn list_filters_by_tag_and_level_and_says_when_nothing_matches() {
    let h = home();
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["list", "--level", "staff"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("json-prefs")
                .and(predicate::str::contains("cache-or-not").not()),
        );
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["list", "--tag", "no-such-tag"])
        .assert()
        .success()
        .stdout("No question matches those filters.\n");
}

#[test]
fn rehearse_bank_env_adds_packs_like_bank() {
    let h = home();
    rehearse(h.path())
        .env("REHEARSE_BANK", fixture("packs/mini.yaml"))
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"pack\": \"mini\"")
                .and(predicate::str::contains("\"pack\": \"core\"")),
        );
}

#[test]
fn show_hides_answers_and_facts_unless_revealed() {
    let h = home();
    let hidden = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["show", "slow-checkout"])
        .assert()
        .success();
    let text = String::from_utf8(hidden.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Since Monday checkout p99"));
    assert!(text.contains("1. What would you ask or check first"));
    assert!(text.contains("15 min"));
    assert!(
        !text.contains("fraud-check client"),
        "a hidden fact leaked:\n{text}"
    );
    assert!(
        !text.contains("measure latency from our side"),
        "a model answer leaked"
    );

    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["show", "mini/slow-checkout", "--reveal"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("fraud-check client")
                .and(predicate::str::contains("(red herring)")),
        );

    let json = rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["show", "cache-or-not", "--json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert!(v.get("model_answer").is_none());
    assert_eq!(v["steps"].as_array().unwrap().len(), 4);
}

#[test]
fn show_unknown_id_suggests_the_closest_and_exits_2() {
    let h = home();
    rehearse(h.path())
        .args(["--no-builtin", "--bank"])
        .arg(fixture("packs/mini.yaml"))
        .args(["show", "slow-chekout"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no question `slow-chekout`; did you mean `slow-checkout`?",
        ));
}

#[test]
fn a_broken_bank_is_named_with_its_first_problem_and_the_other_packs_still_work() {
    let h = home();
    // One broken pack in REHEARSE_BANK among others: list, show and practice go on without it,
    // and say so.
    let bank = std::env::join_paths([
        "tests/fixtures/packs/mini.yaml",
        "tests/fixtures/broken/typo-field.yaml",
    ])
    .unwrap();
    let warning = "warning: tests/fixtures/broken/typo-field.yaml: pack not loaded (2 problems; \
                   `rehearse pack validate tests/fixtures/broken/typo-field.yaml` lists them); \
                   going on without it\n  tests/fixtures/broken/typo-field.yaml:10:5: unknown \
                   field `tilte` in questions[0]; did you mean `title`?\n";
    rehearse(h.path())
        .env("REHEARSE_BANK", "tests/fixtures/broken/typo-field.yaml")
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("duplicate-card-charges"))
        .stderr(warning);
    // A pack named with `--bank` was asked for on this command line: its problems are errors.
    rehearse(h.path())
        .arg("--bank")
        .arg("tests/fixtures/broken/typo-field.yaml")
        .arg("list")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "tests/fixtures/broken/typo-field.yaml:10:5: unknown field `tilte` in questions[0]; \
             did you mean `title`?",
        ));
    rehearse(h.path())
        .env("REHEARSE_BANK", &bank)
        .args(["--no-builtin", "show", "slow-checkout"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Checkout slow at lunch"))
        .stderr(predicate::str::contains("typo-field.yaml: pack not loaded"));
    rehearse(h.path())
        .env("REHEARSE_BANK", &bank)
        .args(["--no-builtin", "practice", "--question", "slow-checkout"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo-field.yaml: pack not loaded"))
        .stderr(predicate::str::contains("needs an interactive terminal"));
    // A question that only the broken pack has fails clearly, pointing at that pack.
    rehearse(h.path())
        .env("REHEARSE_BANK", &bank)
        .args(["--no-builtin", "score", "one", "-"])
        .write_stdin("An answer.")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: no question `one` (the pack at tests/fixtures/broken/typo-field.yaml was \
             not loaded because of its problems; `rehearse pack validate \
             tests/fixtures/broken/typo-field.yaml` lists them); `rehearse list` shows every \
             question",
        ));
    // `pack validate` stays strict.
    rehearse(h.path())
        .args(["pack", "validate"])
        .arg("tests/fixtures/packs/mini.yaml")
        .arg("tests/fixtures/broken/typo-field.yaml")
        .assert()
        .code(2);
}

#[test]
fn list_into_a_closed_pipe_prints_no_error() {
    let h = home();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' list | head -1", bin.display()))
        .env("REHEARSE_HOME", h.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn colour_follows_the_flag_not_the_pipe() {
    let h = home();
    rehearse(h.path())
        .args(["--color", "always", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}["));
    rehearse(h.path())
        .env("NO_COLOR", "1")
        .args(["--color", "auto", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn schema_is_json_that_rejects_unknown_fields() {
    let h = home();
    let out = rehearse(h.path()).arg("schema").assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["questions"].is_object());
    let question = &v["$defs"]["Question"];
    assert_eq!(question["additionalProperties"], false);
    assert!(question["properties"]["prompt"]["description"].is_string());
}

#[test]
fn completions_and_man_page_are_generated() {
    let h = home();
    rehearse(h.path())
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_rehearse()"));
    rehearse(h.path())
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH rehearse"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let h = home();
    rehearse(h.path()).arg("no-such-command").assert().code(2);
    rehearse(h.path())
        .args(["list", "--kind", "behavioural"])
        .assert()
        .code(2);
    rehearse(h.path()).arg("--help").assert().success();
}

#[test]
fn man_dir_writes_a_page_per_command_with_exit_status_environment_and_files() {
    let h = home();
    let dir = h.path().join("man1");
    let out = rehearse(h.path())
        .args(["man", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    let listed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for page in [
        "rehearse.1",
        "rehearse-practice.1",
        "rehearse-score.1",
        "rehearse-pack.1",
        "rehearse-pack-validate.1",
        "rehearse-history-show.1",
        "rehearse-drill.1",
    ] {
        let path = dir.join(page);
        assert!(
            listed.contains(&path.display().to_string()),
            "{page}: {listed}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            "REHEARSE_NOW",
        ] {
            assert!(text.contains(section), "{page} lacks {section}");
        }
    }
    // The top page's list of commands points to pages that now exist.
    let top = std::fs::read_to_string(dir.join("rehearse.1")).unwrap();
    assert!(top.contains("rehearse\\-practice(1)"), "{top}");
    let drill = std::fs::read_to_string(dir.join("rehearse-drill.1")).unwrap();
    assert!(
        drill.contains("Examples:"),
        "examples reach the man page too"
    );
    assert!(
        drill.contains(".SH \"GLOBAL OPTIONS\""),
        "global options apart"
    );
}

#[test]
fn help_lists_global_options_apart_and_ends_with_examples() {
    let h = home();
    let out = rehearse(h.path())
        .args(["score", "--help"])
        .assert()
        .success();
    let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let own = help.find("\nOptions:").expect("own options");
    let global = help
        .find("\nGlobal options:")
        .expect("global options heading");
    assert!(own < global, "{help}");
    assert!(!help[own..global].contains("--bank"), "{help}");
    assert!(help[global..].contains("--bank"), "{help}");
    assert!(help.contains("\nExamples:\n  rehearse score "), "{help}");
}

#[test]
fn every_example_in_help_fits_an_80_column_terminal() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, long: &mut Vec<String>, seen: &mut usize) {
        if let Some(after) = cmd.get_after_help() {
            for line in after.to_string().lines() {
                if line.starts_with("  rehearse ") {
                    *seen += 1;
                    if line.chars().count() > 80 {
                        long.push(format!("{}: {line}", cmd.get_name()));
                    }
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, long, seen);
        }
    }
    let (mut long, mut seen) = (Vec::new(), 0);
    walk(&rehearse::cli::Cli::command(), &mut long, &mut seen);
    assert!(seen > 20, "the examples were found ({seen})");
    // clap wraps a longer line at the terminal's edge, breaking the example's comment column.
    assert!(long.is_empty(), "{}", long.join("\n"));
}
