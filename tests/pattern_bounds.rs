//! Pattern cost is bounded where a pack asks for it: the patterns, alternations, criteria and
//! synonym groups that made scoring super-linear are refused by `pack validate` with a located
//! message, and a huge (refused) synonym group no longer makes loading quadratic.

mod common;

use std::path::Path;

fn validate(dir: &Path, pack: &str) -> (Option<i32>, String) {
    std::fs::write(dir.join("p.yaml"), pack).unwrap();
    let out = common::rehearse(dir)
        .current_dir(dir)
        .args(["--no-builtin", "pack", "validate", "p.yaml"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn pack_with(rubric: &str, criteria: &str) -> String {
    format!(
        "format_version: 1\nid: p\ntitle: P\nversion: 0.1.0\n{rubric}questions:\n  - id: q\n    \
         kind: trade-off\n    title: T\n    prompt: P\n    rubric:\n      criteria:\n{criteria}"
    )
}

fn criterion(id: &str, pattern: &str) -> String {
    format!(
        "        - id: {id}\n          dimension: trade-offs\n          title: T\n          \
         hint: H\n          patterns: [\"{pattern}\"]\n"
    )
}

#[test]
fn a_pattern_too_costly_to_match_is_refused_where_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let long: Vec<&str> = std::iter::repeat_n("a ~12", 299).chain(["b"]).collect();
    let (code, err) = validate(
        tmp.path(),
        &pack_with("", &criterion("long", &long.join(" "))),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("p.yaml:16:"), "{err}");
    assert!(err.contains("over the limit of 60000"), "{err}");

    let branches: Vec<String> = (0..40_000).map(|i| format!("w{i} x")).collect();
    let (code, err) = validate(
        tmp.path(),
        &pack_with("", &criterion("wide", &format!("({})", branches.join("|")))),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("over the limit of 60000"), "{err}");
}

#[test]
fn too_many_criteria_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let many: String = (0..600)
        .map(|i| criterion(&format!("c{i}"), "cache"))
        .collect();
    let (code, err) = validate(tmp.path(), &pack_with("", &many));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("p.yaml:11:7: 600 criteria in one rubric, over the limit of 512"),
        "{err}"
    );
}

/// 12,000 criteria were refused only after every one had been through the schema walk, the
/// typed parse and the semantic checks (13 s in a debug build), and the message pointed at the
/// rubric as a whole with the default rubric's criteria added to the count. Now the list is
/// counted as soon as the file is read: one message, at the `criteria` key, with the number the
/// author wrote, and nothing inside the list is looked at (12,000 misspelt fields would
/// otherwise be 12,000 more messages).
#[test]
fn a_huge_criteria_list_is_refused_before_its_entries_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let many: String = (0..12_000)
        .map(|i| criterion(&format!("c{i}"), "cache").replace("title: T", "titel: T"))
        .collect();
    let indented: String = many.lines().map(|l| format!("{}\n", &l[4..])).collect();
    let rubric = format!("rubric:\n  groups:\n    g: [a]\n  criteria:\n{indented}");
    let (code, err) = validate(tmp.path(), &pack_with(&rubric, &criterion("q1", "cache")));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err.lines().next().unwrap(),
        "p.yaml:8:3: 12000 criteria in one rubric, over the limit of 512; every criterion is \
         matched against every sentence of every answer, so keep the ones that tell answers apart"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
}

/// A group of 64k words made `list` take 57 s: every entry was compared with every earlier one.
/// Such a group is now refused for its size before anything is compiled; a group at the limit
/// loads (its entries deduplicated by hash, not by scanning every earlier one).
#[test]
fn huge_synonym_groups_load_in_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    for (words, refused) in [(65_536, true), (4_096, false)] {
        let group: Vec<String> = (0..words).map(|i| format!("\"w{i}\"")).collect();
        let rubric = format!("rubric:\n  groups:\n    big: [{}]\n", group.join(", "));
        let (code, err) = validate(tmp.path(), &pack_with(&rubric, &criterion("c", "@big")));
        if refused {
            assert_eq!(code, Some(2), "{err}");
            assert!(err.contains("at most 4096 entries"), "{err}");
        } else {
            assert_eq!(code, Some(0), "{err}");
        }
    }
}
