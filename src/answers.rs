//! Answer files: a candidate's written answers to one or more questions, as `rehearse drill`
//! grades them and `rehearse template` scaffolds them.
//!
//! The format (documented in `docs/answers-format.md`) is read exactly like a pack: text checks,
//! a location-aware tree, a schema walk derived from the serde types below (so every unknown,
//! missing or mistyped field is reported at once, with a did-you-mean), then the typed parse, then
//! the checks that need the bank: does each question exist, does each step belong to it, is each
//! answer given exactly once and in exactly one shape. Every problem comes back as
//! `FILE:LINE:COLUMN: message` so a bootcamp grading fifty files can fix them from the log.
//!
//! An entry is one struct with optional `text` and `steps` rather than an untagged enum: serde
//! loses source locations inside untagged enums, and "exactly one of" is easy to check afterwards.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, AnswerPart};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::pack::Kind;
use crate::pack::bank::LookupError;
use crate::pack::{Bank, Entry};
use crate::path;
use crate::yaml::{self, Node, Seg, Value};

/// The answers-file format version this build reads and `rehearse template` writes.
pub const FORMAT_VERSION: u32 = 1;

/// How many known question ids an "unknown question" message lists before pointing at
/// `rehearse list`: enough to spot the right one in a small pack, short enough to read in a log.
const LISTED_IDS: usize = 12;

/// A whole answers file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// Version of the answers format. Optional; when given it must be 1.
    #[serde(default)]
    pub format_version: Option<u32>,
    /// Who wrote the answers. Shown in reports and kept with `--record`; empty means anonymous.
    #[serde(default)]
    pub candidate: Option<String>,
    /// One entry per question answered, each question at most once.
    pub answers: Vec<AnswerEntry>,
}

/// The answer to one question: either `text` (one free-text answer) or `steps` (an answer per
/// step id), never both.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerEntry {
    /// The question answered, as `ID` or `PACK/ID` (as `rehearse list` shows it).
    pub question: String,
    /// The whole answer as one text. Use this or `steps`.
    #[serde(default)]
    pub text: Option<String>,
    /// The answer per step id (`rehearse show ID` lists a question's steps). Steps left out or
    /// left empty count as not answered.
    #[serde(default)]
    pub steps: Option<BTreeMap<String, Option<String>>>,
    /// The answer to the question's first follow-up (only for questions that have follow-ups).
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Degradation scenarios only: the questions you would ask, in order, before stating your
    /// first hypothesis.
    #[serde(default)]
    pub investigation: Option<Vec<String>>,
}

/// The JSON Schema of an answers file, derived from [`AnswersFile`]; the schema walk and
/// `rehearse schema --answers` share it.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(AnswersFile)).unwrap_or(serde_json::Value::Null)
    })
}

/// The schema as editors want it: the derived schema with a title and a pointer to the docs.
pub fn editor_schema() -> serde_json::Value {
    let mut schema = schema().clone();
    if let serde_json::Value::Object(map) = &mut schema {
        map.insert(
            "title".into(),
            "rehearse answers file (format_version 1)".into(),
        );
        map.insert(
            "description".into(),
            "Written answers graded by `rehearse drill`. Reference: docs/answers-format.md".into(),
        );
    }
    schema
}

/// One answer of a loaded file, resolved against the bank.
#[derive(Debug, Clone)]
pub struct Item<'b> {
    /// The question and its pack.
    pub entry: Entry<'b>,
    /// The answer, parts in the question's step order.
    pub answer: Answer,
    /// The id of the follow-up that `answer.follow_up` answers, when one was given.
    pub follow_up_id: Option<String>,
}

/// A loaded and checked answers file.
#[derive(Debug, Clone)]
pub struct Loaded<'b> {
    /// The candidate, when the file names one.
    pub candidate: Option<String>,
    /// The answers, in file order.
    pub items: Vec<Item<'b>>,
}

/// Reads an answers file named `file` (as the user named it) from `bytes`, checking it against
/// `bank`. Every problem found is reported; nothing is returned unless there are none.
pub fn load<'b>(file: &str, bytes: &[u8], bank: &'b Bank) -> Result<Loaded<'b>, Diagnostics> {
    let text = yaml::text_of(file, bytes, "answers: a list of `question:` entries")?;
    let tree = yaml::parse_tree(file, text)?;
    if !matches!(tree.value, Value::Map(_)) {
        return Err(Diagnostic::at(
            file,
            tree.pos,
            "expected a mapping at the top level with `answers:` (a list of answers) and an \
             optional `candidate:`",
        )
        .into());
    }
    check_format_version(file, &tree)?;
    let problems = yaml::check_schema(file, &tree, schema());
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    let parsed: AnswersFile = yaml::parse_typed(file, text)?;
    resolve(file, &tree, parsed, bank)
}

/// `format_version` comes first: a newer file may use fields this build does not know, and
/// reporting those as typos would mislead.
fn check_format_version(file: &str, tree: &Node) -> Result<(), Diagnostic> {
    let Some(node) = tree.get(&path!["format_version"]) else {
        return Ok(());
    };
    match node.value {
        Value::Int(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Value::Int(v) if v > i64::from(FORMAT_VERSION) => Err(Diagnostic::at(
            file,
            node.pos,
            format!(
                "this answers file uses format_version {v}, but this rehearse reads \
                 format_version {FORMAT_VERSION}; it needs a newer rehearse"
            ),
        )),
        _ => Err(Diagnostic::at(
            file,
            node.pos,
            format!(
                "format_version: expected {FORMAT_VERSION}, the only answers format this \
                 rehearse reads"
            ),
        )),
    }
}

/// The checks that need the bank, each located through the tree.
fn resolve<'b>(
    file: &str,
    tree: &Node,
    parsed: AnswersFile,
    bank: &'b Bank,
) -> Result<Loaded<'b>, Diagnostics> {
    let mut problems = Vec::new();
    if parsed.answers.is_empty() {
        problems.push(Diagnostic::at(
            file,
            tree.locate(&path!["answers"]),
            "`answers` is empty; add an entry per question, or run `rehearse template` for a \
             skeleton",
        ));
    }
    // Where each question was first answered, to point a duplicate at its twin.
    let mut first_seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut items = Vec::new();
    for (i, entry) in parsed.answers.into_iter().enumerate() {
        let Some(found) = find_question(file, tree, i, &entry.question, bank, &mut problems) else {
            continue;
        };
        let qualified = found.qualified_id();
        let line = tree.locate(&path!["answers", i]).line;
        if let Some(first) = first_seen.get(&qualified) {
            problems.push(Diagnostic::at(
                file,
                tree.locate(&path!["answers", i, "question"]),
                format!(
                    "question `{qualified}` is answered twice (first at line {first}); keep one \
                     entry per question"
                ),
            ));
            continue;
        }
        first_seen.insert(qualified, line);
        items.push(resolve_entry(file, tree, i, entry, found, &mut problems));
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    let candidate = parsed
        .candidate
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    Ok(Loaded { candidate, items })
}

/// The question entry `i` of a file's `answers` names, or a problem at its `question` naming
/// what exists.
pub(crate) fn find_question<'b>(
    file: &str,
    tree: &Node,
    i: usize,
    question: &str,
    bank: &'b Bank,
    problems: &mut Vec<Diagnostic>,
) -> Option<Entry<'b>> {
    match bank.find(question) {
        Ok(found) => Some(found),
        Err(e) => {
            problems.push(Diagnostic::at(
                file,
                tree.locate(&path!["answers", i, "question"]),
                unknown_question(bank, &e),
            ));
            None
        }
    }
}

/// Entry `i` of a file's `answers` (a tree whose entries have this shape: an answers file, or a
/// calibration file) as an [`Item`] of the question `found`, with every problem of its shape
/// (`text` and `steps`, unknown steps, a follow-up or investigation that does not apply) added
/// to `problems`.
pub(crate) fn resolve_entry<'b>(
    file: &str,
    tree: &Node,
    i: usize,
    entry: AnswerEntry,
    found: Entry<'b>,
    problems: &mut Vec<Diagnostic>,
) -> Item<'b> {
    let mut at = |path: &[Seg], key: bool, message: String| {
        let pos = if key {
            tree.locate_key(path)
        } else {
            tree.locate(path)
        };
        problems.push(Diagnostic::at(file, pos, message));
    };
    let here = |field: &str| path!["answers", i, field];
    let qualified = found.qualified_id();
    let has = |field: &str| tree.get(&here(field)).is_some();
    let steps = found.question.effective_steps();
    let mut parts = Vec::new();
    match (has("text"), has("steps")) {
        (true, true) => at(
            &here("steps"),
            true,
            format!(
                "answer to `{qualified}` has both `text` and `steps`; give one whole answer \
                 as `text` or one answer per step under `steps`, not both"
            ),
        ),
        (false, false) => at(
            &path!["answers", i],
            false,
            format!(
                "answer to `{qualified}` has neither `text` nor `steps`; add `text:` for one \
                 whole answer or `steps:` with one of: {}",
                join_ids(steps.iter().map(|s| s.id.as_str()))
            ),
        ),
        (true, false) => parts.push(AnswerPart {
            step: None,
            text: entry.text.unwrap_or_default(),
        }),
        (false, true) => {
            let given = entry.steps.unwrap_or_default();
            let known: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
            for id in given.keys().filter(|id| !known.contains(&id.as_str())) {
                let mut message = format!("unknown step `{id}` for question `{qualified}`");
                match yaml::suggest(id, &known) {
                    Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
                    None => message.push_str(&format!(
                        "; its steps are: {}",
                        join_ids(known.iter().copied())
                    )),
                }
                at(&path!["answers", i, "steps", id.as_str()], true, message);
            }
            // Parts follow the question's step order, not the file's, so that two files with
            // the same answers in a different order score and print identically.
            for step in &steps {
                if let Some(text) = given.get(&step.id) {
                    parts.push(AnswerPart {
                        step: Some(step.id.clone()),
                        text: text.clone().unwrap_or_default(),
                    });
                }
            }
        }
    }

    let follow_up_id = found.question.follow_ups.first().map(|f| f.id.clone());
    if has("follow_up") && follow_up_id.is_none() {
        at(
            &here("follow_up"),
            true,
            format!("question `{qualified}` has no follow-up question; remove `follow_up`"),
        );
    }
    if has("investigation") && found.question.kind != Kind::Degradation {
        at(
            &here("investigation"),
            true,
            format!(
                "`investigation` is only for degradation scenarios, and `{qualified}` is a \
                 {} question; remove it or fold those questions into your answer",
                found.question.kind
            ),
        );
    }
    let follow_up = entry.follow_up.filter(|_| follow_up_id.is_some());
    Item {
        entry: found,
        follow_up_id: follow_up.as_ref().and(follow_up_id),
        answer: Answer {
            parts,
            follow_up,
            investigation: entry.investigation.unwrap_or_default(),
        }
        .without_invisible(),
    }
}

/// "unknown question" naming what exists: the likely typo first, else a short list.
fn unknown_question(bank: &Bank, error: &LookupError) -> String {
    let mut message = unknown_question_alone(bank, error);
    if matches!(error, LookupError::NotFound { .. }) {
        message.push_str(&bank.skipped_note());
    }
    message
}

fn unknown_question_alone(bank: &Bank, error: &LookupError) -> String {
    match error {
        LookupError::Ambiguous { .. } => error.to_string(),
        LookupError::NotFound { id, .. } => {
            let mut ids: Vec<String> = bank.entries().map(|e| e.qualified_id()).collect();
            ids.sort();
            let bare = id.rsplit('/').next().unwrap_or(id);
            let names: Vec<&str> = bank.entries().map(|e| e.question.id.as_str()).collect();
            if let Some(s) = yaml::suggest(bare, &names) {
                return format!("unknown question `{id}`; did you mean `{s}`?");
            }
            if ids.is_empty() {
                return format!(
                    "unknown question `{id}`; no pack with questions is loaded (check --bank and \
                     --no-builtin)"
                );
            }
            let mut message = format!(
                "unknown question `{id}`; the loaded packs have: {}",
                join_ids(ids.iter().take(LISTED_IDS).map(String::as_str))
            );
            if ids.len() > LISTED_IDS {
                message.push_str(&format!(
                    " and {} more (`rehearse list` shows them all)",
                    ids.len() - LISTED_IDS
                ));
            }
            message
        }
    }
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn mini() -> Bank {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini.yaml");
        Bank::from_packs(vec![
            crate::pack::load::load_path(&path).expect("mini pack loads"),
        ])
    }

    fn errors(doc: &str) -> Vec<String> {
        let bank = mini();
        match load("a.yaml", doc.as_bytes(), &bank) {
            Ok(_) => Vec::new(),
            Err(d) => d.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_step_answer_loads_in_step_order() {
        let bank = mini();
        let doc = "candidate: '  Ada '\nanswers:\n  - question: mini/slow-checkout\n    steps:\n      \
                   people: I tell support.\n      first-checks: |\n        What changed?\n    \
                   follow_up: Measure from our side.\n    investigation: [what changed?]\n";
        let loaded = load("a.yaml", doc.as_bytes(), &bank).unwrap();
        assert_eq!(loaded.candidate.as_deref(), Some("Ada"));
        let item = &loaded.items[0];
        assert_eq!(item.entry.qualified_id(), "mini/slow-checkout");
        let steps: Vec<_> = item
            .answer
            .parts
            .iter()
            .map(|p| p.step.as_deref())
            .collect();
        assert_eq!(steps, [Some("first-checks"), Some("people")]);
        assert_eq!(item.answer.parts[0].text, "What changed?\n");
        assert_eq!(item.follow_up_id.as_deref(), Some("provider-green"));
        assert_eq!(item.answer.investigation, ["what changed?"]);
    }

    #[test]
    fn empty_slots_of_a_template_load_as_blank_answers() {
        let bank = mini();
        let doc = "candidate: \"\"\nanswers:\n  - question: cache-or-not\n    steps:\n      \
                   clarify: |\n\n      options:\n  - question: json-prefs\n    text: |\n\n";
        let loaded = load("a.yaml", doc.as_bytes(), &bank).unwrap();
        assert_eq!(loaded.candidate, None);
        assert!(loaded.items.iter().all(|i| i.answer.is_blank()));
        assert_eq!(loaded.items[0].answer.parts.len(), 2);
    }

    #[test]
    fn unknown_question_suggests_or_lists() {
        let e = errors("answers:\n  - question: slow-chekout\n    text: x\n");
        assert_eq!(
            e,
            ["a.yaml:2:15: unknown question `slow-chekout`; did you mean `slow-checkout`?"]
        );
        let e = errors("answers:\n  - question: zzz\n    text: x\n");
        assert!(
            e[0].contains("the loaded packs have: `mini/cache-or-not`"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_step_names_the_steps_that_exist() {
        let e = errors(
            "answers:\n  - question: cache-or-not\n    steps:\n      optons: x\n      zzz: more\n",
        );
        assert_eq!(
            e,
            [
                "a.yaml:4:7: unknown step `optons` for question `mini/cache-or-not`; did you mean `options`?",
                "a.yaml:5:7: unknown step `zzz` for question `mini/cache-or-not`; its steps are: \
                 `clarify`, `options`, `decision`, `risks`",
            ]
        );
    }

    #[test]
    fn exactly_one_shape_and_one_entry_per_question() {
        let e = errors(
            "answers:\n  - question: json-prefs\n    text: a\n    steps: {decision: b}\n  \
             - question: url-shortener\n  - question: json-prefs\n    text: c\n",
        );
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("a.yaml:4:5: answer to `mini/json-prefs` has both"));
        assert!(e[1].starts_with("a.yaml:5:5: answer to `mini/url-shortener` has neither"));
        assert!(e[2].contains("answered twice (first at line 2)"), "{e:?}");
    }

    #[test]
    fn follow_up_and_investigation_only_where_they_apply() {
        let e = errors(
            "answers:\n  - question: json-prefs\n    text: a\n    follow_up: b\n    \
             investigation: [c]\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("has no follow-up question"));
        assert!(e[1].contains("only for degradation scenarios"));
    }

    #[test]
    fn schema_problems_are_all_reported_with_suggestions() {
        let e = errors("candidat: x\nanswers:\n  - question: json-prefs\n    txt: a\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("a.yaml:1:1: unknown field `candidat`"),
            "{e:?}"
        );
        assert!(e[0].contains("did you mean `candidate`"));
        assert!(e[1].starts_with("a.yaml:4:5: unknown field `txt`"), "{e:?}");
    }

    #[test]
    fn broken_files_are_located_not_panicked_on() {
        let bank = mini();
        for (doc, want) in [
            ("", "empty"),
            ("- a\n- b\n", "expected a mapping"),
            ("answers: [\n", "YAML syntax"),
            ("format_version: 2\nanswers: []\n", "newer rehearse"),
            ("answers: []\n", "`answers` is empty"),
            (
                "answers:\n  - question: json-prefs\n    text: no\n",
                "put the value in quotes",
            ),
        ] {
            let err = load("a.yaml", doc.as_bytes(), &bank).unwrap_err();
            assert!(err.to_string().contains(want), "{doc:?}: {err}");
        }
        let err = load("a.yaml", b"answers:\n\xff", &bank).unwrap_err();
        assert_eq!(err.0[0].pos, Some(Pos::new(2, 1)));
    }

    #[test]
    fn schema_is_derived_and_closed() {
        let s = schema();
        assert_eq!(s["additionalProperties"], serde_json::Value::Bool(false));
        assert!(
            s["required"]
                .as_array()
                .unwrap()
                .contains(&"answers".into())
        );
        assert_eq!(
            editor_schema()["title"],
            "rehearse answers file (format_version 1)"
        );
    }
}
