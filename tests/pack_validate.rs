//! `rehearse pack validate` against a folder of broken packs: each must produce exactly the
//! message in its `.expected` file (stderr), exit 2, and never panic.

mod common;

use common::{fixture, rehearse, root};
use predicates::prelude::*;

#[test]
fn every_broken_fixture_gives_its_exact_message() {
    let dir = fixture("broken");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().is_some_and(|e| e == "expected") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected")))
            .unwrap_or_else(|_| panic!("{stem}.expected is missing"));
        let rel = path.strip_prefix(root()).unwrap();
        let h = tempfile::tempdir().unwrap();
        let out = rehearse(h.path())
            .args(["--no-builtin", "pack", "validate"])
            .arg(rel)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{stem}: exit code");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            expected,
            "{stem}: message"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fixtures");
}

#[test]
fn the_builtin_pack_and_the_test_pack_are_valid() {
    let h = tempfile::tempdir().unwrap();
    rehearse(h.path())
        .args([
            "pack",
            "validate",
            "question-bank",
            "tests/fixtures/packs/mini.yaml",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("question-bank: ok, pack `core`"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it_as_yaml() {
    let h = tempfile::tempdir().unwrap();
    let big = h.path().join("big.yaml");
    let mut text =
        String::from("format_version: 1\nid: big\ntitle: Big\nversion: 1.0.0\ndescription: |\n");
    while text.len() <= 4 * 1024 * 1024 {
        text.push_str("  a line of filler text to make the file larger than the limit\n");
    }
    std::fs::write(&big, text).unwrap();
    rehearse(h.path())
        .args(["--no-builtin", "pack", "validate"])
        .arg(&big)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "over the limit of 4 MiB (4194304 bytes)",
        ));
}

#[test]
fn several_paths_report_all_problems_and_the_good_ones() {
    let h = tempfile::tempdir().unwrap();
    rehearse(h.path())
        .args([
            "pack",
            "validate",
            "tests/fixtures/packs/mini.yaml",
            "tests/fixtures/broken/typo-field.yaml",
            "tests/fixtures/broken/unknown-kind.yaml",
        ])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("mini.yaml: ok"))
        .stderr(
            predicates::str::contains("typo-field.yaml:10:5")
                .and(predicates::str::contains("unknown-kind.yaml:11:11"))
                .and(predicates::str::contains("4 problems found")),
        );
}

#[test]
fn a_missing_path_is_an_input_error() {
    let h = tempfile::tempdir().unwrap();
    rehearse(h.path())
        .args(["pack", "validate", "no/such/pack.yaml"])
        .assert()
        .code(2)
        .stderr(
            "no/such/pack.yaml: cannot read: no such file or directory\nerror: 1 problem found\n",
        );
}

#[test]
fn a_directory_pack_with_a_rubric_extension_loads_and_lists() {
    let h = tempfile::tempdir().unwrap();
    rehearse(h.path())
        .args([
            "--no-builtin",
            "--bank",
            "tests/fixtures/packs/extended",
            "list",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "\"qualified_id\": \"extended/queue-or-sync\"",
        ));
}

/// A question that disables one of its own criteria is one the scorer refuses to prepare, so
/// validation refuses it too, at the `disable` entry, instead of passing a pack whose question
/// would be scored without its own rubric.
#[test]
fn a_question_disabling_its_own_criterion_is_refused_as_scoring_refuses_it() {
    let path = fixture("broken").join("disable-own.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let pack: rehearse::model::pack::PackFile =
        rehearse::yaml::parse_typed("disable-own.yaml", &text).unwrap();
    let question = &pack.questions[0];
    let rubric = rehearse::rubric::CompiledRubric::builtin();
    assert!(
        rehearse::rubric::Scorer::new(rubric, question).is_err(),
        "the scorer accepts the question"
    );
    let h = tempfile::tempdir().unwrap();
    rehearse(h.path())
        .args(["--no-builtin", "pack", "validate"])
        .arg(path.strip_prefix(root()).unwrap())
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "tests/fixtures/broken/disable-own.yaml:17:17: cannot disable `names-the-crux`: it is \
             one of this question's own criteria",
        ));
}
