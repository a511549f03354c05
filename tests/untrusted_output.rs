//! Escape sequences, C1 controls and bidi overrides planted in a pack, an answers file, its file
//! name and the history go through every printing command and format, coloured and plain, and
//! never reach the output as anything a terminal would obey.

mod common;

use assert_cmd::Command;

/// OSC 52 (write the clipboard), OSC 0 (window title), clear screen, C1 CSI, RLO, BEL, NUL, and
/// colour sequences rehearse never writes (conceal, blink, a 256-colour red), which a terminal
/// obeys like its own under `--color always` (as YAML double-quoted escapes, so the pack file
/// itself is valid YAML).
/// It ends with red and a reset spelled exactly as rehearse spells them: a pack must not be able
/// to paint its own text even with the sequences the safe writer lets through for rehearse.
const ATTACK: &str = r"\e]52;c;ZXZpbA==\a\e]0;pwned\a\e[2J\x9b31m\u202Etxt.exe\e[8mhidden\e[5m\e[38;5;196m\e[31mred\e[0m";

fn evil_pack() -> String {
    format!(
        r#"format_version: 1
id: evil
title: "Evil {ATTACK}"
version: 0.1.0
questions:
  - id: trap
    kind: trade-off
    title: "Cache {ATTACK} or not"
    tags: [caching]
    prompt: "Would you cache it? {ATTACK}"
    steps:
      - id: position
        ask: "Your position {ATTACK}"
    model_answer:
      text: "model {ATTACK}"
    follow_ups:
      - id: f
        ask: "Follow {ATTACK}"
        model_answer: "fm {ATTACK}"
    rubric:
      criteria:
        - id: names-ttl
          dimension: trade-offs
          title: "Names a TTL {ATTACK}"
          hint: "Say how stale {ATTACK}"
          patterns: ["ttl", "stale"]
"#
    )
}

fn evil_answers() -> String {
    format!(
        r#"candidate: "Mallory {ATTACK}"
answers:
  - question: trap
    steps:
      position: "I would cache with a short ttl because prices change rarely, and accept stale
        reads for a minute. {ATTACK} The cost is staleness; the gain is latency."
"#
    )
}

/// Fails when `bytes` holds anything a terminal would act on: C0 controls other than line
/// breaks and tabs, DEL, C1 controls, bidi controls, or (with colour) an escape that is not one
/// of rehearse's own colour sequences.
fn assert_inert(what: &str, bytes: &[u8], color: bool) {
    let text = String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|e| panic!("{what}: output is not UTF-8: {e}"));
    for (i, c) in text.char_indices() {
        let bad = match c {
            '\n' | '\t' => false,
            '\x1b' if color => !common::OWN_SGR.iter().any(|own| text[i..].starts_with(own)),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
            _ => false,
        };
        assert!(
            !bad,
            "{what}: {c:?} at byte {i} reaches the output:\n{}",
            &text[i.saturating_sub(80)..(i + 80).min(text.len())]
        );
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Setup {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        std::fs::write(root.join("evil.yaml"), evil_pack()).unwrap();
        let cohort = root.join("cohort");
        std::fs::create_dir(&cohort).unwrap();
        // The file name carries an escape too: drill prints it in every format.
        std::fs::write(cohort.join("m\x1b]0;x\x07\u{202e}.yaml"), evil_answers()).unwrap();
        Setup { _tmp: tmp, root }
    }

    fn cmd(&self, color: bool) -> Command {
        let mut cmd = common::rehearse(&self.root);
        cmd.current_dir(&self.root)
            .arg("--no-builtin")
            .arg("--bank")
            .arg("evil.yaml")
            .arg("--color")
            .arg(if color { "always" } else { "never" });
        cmd
    }

    fn check(&self, args: &[&str]) {
        let mut outputs = Vec::new();
        for color in [false, true] {
            let out = self.cmd(color).args(args).output().unwrap();
            let what = format!("{args:?} colour {color}");
            assert!(
                out.status.code().is_some_and(|c| c <= 2),
                "{what}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_inert(&format!("{what} stdout"), &out.stdout, color);
            assert_inert(&format!("{what} stderr"), &out.stderr, false);
            outputs.push(out.stdout);
        }
        // Colour adds rehearse's own sequences and nothing else: taking them out of the coloured
        // output gives the plain one, so a pack's `ESC[31m` is shown as `^[[31m` in both.
        let coloured = String::from_utf8_lossy(&outputs[1]);
        let plain = String::from_utf8_lossy(&outputs[0]);
        let uncoloured = common::OWN_SGR
            .iter()
            .fold(coloured.to_string(), |text, own| text.replace(own, ""));
        assert_eq!(
            uncoloured, plain,
            "{args:?}: colour changed more than the colour"
        );
    }
}

#[test]
fn pack_text_is_inert_in_list_show_and_reveal() {
    let s = Setup::new();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["show", "trap"],
        &["show", "trap", "--reveal"],
        &["show", "trap", "--reveal", "--json"],
        &["pack", "validate", "evil.yaml"],
        &["template", "trap"],
    ] {
        s.check(args);
    }
    // Shown, not dropped: the reader can see something was there.
    let out = s.cmd(false).args(["show", "trap"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Cache ^[]52;c;ZXZpbA==^G^[]0;pwned^G^[[2J<U+009B>31m<U+202E>txt.exe^[[8mhidden^[[5m\
             ^[[38;5;196m^[[31mred^[[0m or not"
        ),
        "{text}"
    );
}

#[test]
fn json_keeps_the_data_with_controls_escaped() {
    let s = Setup::new();
    let out = s.cmd(false).args(["list", "--json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r"\u009b31m\u202etxt.exe"), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc[0]["title"],
        "Cache \x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}txt.exe\x1b[8mhidden\x1b[5m\x1b[38;5;196m\x1b[31mred\x1b[0m or not"
    );
}

#[test]
fn validate_does_not_echo_escapes_from_field_names_and_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = "format_version: 1\nid: p\ntitle: P\nversion: 0.1.0\nquestions:\n  - id: q\n    \
                kind: \"trade\\e]0;x\\a\\u202e\"\n    title: T\n    prompt: P\n    \
                \"tit\\e[2Jle\": x\n";
    std::fs::write(tmp.path().join("p.yaml"), pack).unwrap();
    let out = common::rehearse(tmp.path())
        .current_dir(tmp.path())
        .args(["--no-builtin", "pack", "validate", "p.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("tit^[[2Jle"), "{err}");
    assert_inert("validate stderr", err.as_bytes(), false);
}

#[test]
fn drill_reports_are_inert_in_every_format() {
    let s = Setup::new();
    for format in ["text", "markdown", "junit", "json"] {
        s.check(&["drill", "cohort", "--format", format]);
    }
    // --output writes the same safe report to a file.
    s.check(&[
        "drill", "cohort", "--format", "markdown", "--output", "r.md",
    ]);
    let report = std::fs::read(s.root.join("r.md")).unwrap();
    assert_inert("markdown file", &report, false);
    s.check(&["drill", "cohort", "--format", "junit", "--output", "r.xml"]);
    let report = std::fs::read_to_string(s.root.join("r.xml")).unwrap();
    assert_inert("junit file", report.as_bytes(), false);
    roxmltree::Document::parse(&report).expect("the JUnit report stays well-formed XML");
}

#[test]
fn stored_answers_are_inert_in_history_diff_and_export() {
    let s = Setup::new();
    // A second answer that differs, so `diff` prints the lines added and dropped.
    let second = s.root.join("second");
    std::fs::create_dir(&second).unwrap();
    let changed =
        evil_answers().replace("for a minute.", &format!("for a minute. {ATTACK} Again."));
    std::fs::write(second.join("again.yaml"), changed).unwrap();
    for dir in ["cohort", "second"] {
        let out = s
            .cmd(false)
            .args(["drill", dir, "--record"])
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1));
    }
    for args in [
        &["history"][..],
        &["history", "--json"],
        &["history", "show", "1"],
        &["history", "show", "1", "--json"],
        &["diff", "trap"],
        &["diff", "trap", "--json"],
        &["progress"],
        &["export"],
        &["export", "--format", "csv"],
        &["rescore", "--dry-run"],
    ] {
        s.check(args);
    }
}

#[test]
fn score_feedback_is_inert() {
    let s = Setup::new();
    let answer =
        "I would cache with a short ttl \x1b]52;c;eA==\x07 \u{202e} and accept stale reads.";
    for json in [false, true] {
        for color in [false, true] {
            let mut cmd = s.cmd(color);
            cmd.args(["score", "trap"]).write_stdin(answer);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.output().unwrap();
            assert_inert("score", &out.stdout, color);
            assert_inert("score stderr", &out.stderr, false);
        }
    }
}

/// The edge alone keeps text from painting: the questions asked during an investigation are put
/// into `history show` as they were typed, with no cleaning of their own, and a question that
/// spells rehearse's own red and reset, exactly as rehearse writes them, is still shown, not
/// obeyed, under `--color always`.
#[test]
fn text_no_printer_cleans_cannot_paint_even_with_rehearses_own_colours() {
    let s = Setup::new();
    let out = s
        .cmd(false)
        .args(["drill", "cohort", "--record"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1));
    let log = s.root.join("data/history.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    let mut record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    record["attempt"]["answer"]["investigation"] =
        serde_json::json!(["did \x1b[31mthe deploy\x1b[0m change \x1b[8mhidden\x1b[0m?"]);
    std::fs::write(&log, format!("{record}\n")).unwrap();

    s.check(&["history", "show", "1"]);
    let plain = s
        .cmd(false)
        .args(["history", "show", "1"])
        .output()
        .unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.contains("  ? did ^[[31mthe deploy^[[0m change ^[[8mhidden^[[0m?"),
        "{plain}"
    );
    let coloured = s.cmd(true).args(["history", "show", "1"]).output().unwrap();
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    assert!(
        coloured.contains("\x1b[1m"),
        "rehearse still paints: {coloured}"
    );
    assert!(
        coloured.contains("  ? did ^[[31mthe deploy^[[0m change ^[[8mhidden^[[0m?"),
        "{coloured}"
    );
}
