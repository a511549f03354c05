//! Calibration files: answers graded by people, in one of two shapes of the same YAML format
//! (`docs/calibration-format.md`).
//!
//! - With a top-level `questions:` list, the file is self-contained: its answers refer to those
//!   questions, scored with the default rubric, and grades are usually `levels:` on the 0-3 scale
//!   interviewers use (0 absent .. 3 strong). This is the shape of the public calibration set.
//! - Without it, the file is an answers file (`docs/answers-format.md`) whose entries also carry
//!   `expect:` levels 1-4 (Missing..Strong), resolved against the loaded packs as a drill does.
//!
//! Either way the file goes through the project's YAML reader and the answers file's own checks
//! (unknown questions and steps, `text` or `steps`), so every problem is located as
//! `FILE:LINE:COLUMN`. An entry's `tag` says what kind of answer it is (`strong-terse`,
//! `recital`); gaming and strong answers are recognised from it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::answers::{self, AnswerEntry, Item};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::pack::{Dimension, PackFile, Question};
use crate::pack::load::{Origin, Pack};
use crate::pack::{Bank, validate};
use crate::path;
use crate::rubric::CompiledRubric;
use crate::yaml::{self, Node, Value};

/// The pack id given to a file's own questions; they are shown by their bare ids.
pub const INLINE_PACK: &str = "calibration";

/// Words in a tag that mark an answer written to game the scorer. A tag matches when one of its
/// dash-separated parts, or a run of them, is one of these. `gaming` itself and the spellings
/// mentors reach for first (`offtopic`, `sarcasm`) count too: a set tagged `gaming-sarcasm` or
/// `gaming-offtopic-neighbour` must not have its gaming answers silently left out of the check.
pub const GAMING_TAGS: [&str; 11] = [
    "gaming",
    "recital",
    "buzzword",
    "negated",
    "sarcastic",
    "sarcasm",
    "off-topic",
    "offtopic",
    "echo",
    "keyword-list",
    "repeated",
];

/// A whole calibration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFile {
    /// Version of the answers format. Optional; when given it must be 1.
    #[serde(default)]
    pub format_version: Option<u32>,
    /// Who wrote the answers (as in an answers file); not used by calibration.
    #[serde(default)]
    pub candidate: Option<String>,
    /// Questions defined in this file (id, kind, title, prompt, and any other question field of
    /// the pack format). When present, answers refer to these and not to the loaded packs.
    #[serde(default)]
    pub questions: Option<Vec<Question>>,
    /// The graded answers.
    pub answers: Vec<GradedEntry>,
}

/// One graded answer: an answers-file entry plus its grades.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradedEntry {
    /// The question answered: an id of this file's `questions`, or `ID` / `PACK/ID` of a loaded
    /// pack.
    pub question: String,
    /// What kind of answer this is, such as `strong-terse`, `mid`, `recital`. A tag starting
    /// with `strong` marks a strong answer; one naming a gaming style marks a gaming answer.
    #[serde(default)]
    pub tag: Option<String>,
    /// Marks (or, with `false`, unmarks) a gaming answer whatever its tag says.
    #[serde(default)]
    pub gaming: Option<bool>,
    /// Why the grades are what they are; for people, not used.
    #[serde(default)]
    pub why: Option<String>,
    /// Grades on the 0-3 scale (0 absent, 1 weak, 2 solid, 3 strong), per dimension:
    /// `context`, `tradeoffs` (or `trade-offs`), `ownership`, `communication`. Use this or
    /// `expect`.
    #[serde(default)]
    pub levels: Option<BTreeMap<String, i64>>,
    /// Grades as rehearse levels 1-4 (Missing, Emerging, Solid, Strong), per dimension. Use this
    /// or `levels`.
    #[serde(default)]
    pub expect: Option<BTreeMap<String, i64>>,
    /// The whole answer as one text (Markdown headings and all). Use this or `steps`.
    #[serde(default)]
    pub text: Option<String>,
    /// The answer per step id. Use this or `text`.
    #[serde(default)]
    pub steps: Option<BTreeMap<String, Option<String>>>,
    /// The answer to the question's first follow-up.
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Degradation scenarios only: the questions asked before the first hypothesis.
    #[serde(default)]
    pub investigation: Option<Vec<String>>,
}

/// The JSON Schema of a calibration file, derived from [`CalibrationFile`].
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(CalibrationFile))
            .unwrap_or(serde_json::Value::Null)
    })
}

/// A calibration file read and checked for structure, not yet resolved against questions.
#[derive(Debug)]
pub struct Parsed {
    /// The file as the user named it.
    pub file: String,
    tree: Node,
    value: CalibrationFile,
    /// Each entry's grades, as levels 1-4 per dimension, in entry order.
    expected: Vec<BTreeMap<Dimension, u8>>,
}

impl Parsed {
    /// True when the file defines its own questions (and needs no pack).
    pub fn is_self_contained(&self) -> bool {
        self.value.questions.is_some()
    }
}

/// Reads a calibration file: text checks, tree, schema walk, typed parse, grades. Every
/// structural problem is reported at once.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, Diagnostics> {
    let text = yaml::text_of(
        file,
        bytes,
        "graded answers: `answers:` entries with `question`, `text` and `levels` or `expect`",
    )?;
    let tree = yaml::parse_tree(file, text)?;
    if !matches!(tree.value, Value::Map(_)) {
        return Err(Diagnostic::at(
            file,
            tree.pos,
            "expected a mapping at the top level with `answers:` (graded answers) and optionally \
             `questions:`",
        )
        .into());
    }
    if let Some(node) = tree.get(&path!["format_version"])
        && node.value != Value::Int(i64::from(answers::FORMAT_VERSION))
    {
        return Err(Diagnostic::at(
            file,
            node.pos,
            format!(
                "format_version: expected {}, the only answers format this rehearse reads",
                answers::FORMAT_VERSION
            ),
        )
        .into());
    }
    let problems = yaml::check_schema(file, &tree, schema());
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    let value: CalibrationFile = yaml::parse_typed(file, text)?;
    let mut problems = Vec::new();
    let expected = value
        .answers
        .iter()
        .enumerate()
        .map(|(i, entry)| grades(file, &tree, i, entry, &mut problems))
        .collect();
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    Ok(Parsed {
        file: file.to_string(),
        tree,
        value,
        expected,
    })
}

/// The entry's grades as levels 1-4, or problems located at the offending key or value.
fn grades(
    file: &str,
    tree: &Node,
    i: usize,
    entry: &GradedEntry,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<Dimension, u8> {
    let (field, map, low, high) = match (&entry.levels, &entry.expect) {
        (Some(_), Some(_)) => {
            problems.push(Diagnostic::at(
                file,
                tree.locate_key(&path!["answers", i, "expect"]),
                "an answer has both `levels` (0-3) and `expect` (1-4); keep one",
            ));
            return BTreeMap::new();
        }
        (None, None) => {
            problems.push(Diagnostic::at(
                file,
                tree.locate(&path!["answers", i]),
                "this answer has no grades; add `expect:` with levels 1-4 (Missing..Strong) per \
                 dimension, such as `expect: {context: 3, trade-offs: 2}`, or `levels:` on the \
                 0-3 scale",
            ));
            return BTreeMap::new();
        }
        (Some(levels), None) => ("levels", levels, 0, 3),
        (None, Some(expect)) => ("expect", expect, 1, 4),
    };
    if map.is_empty() {
        problems.push(Diagnostic::at(
            file,
            tree.locate(&path!["answers", i, field]),
            format!("`{field}` is empty; grade at least one dimension"),
        ));
    }
    let mut out = BTreeMap::new();
    for (name, &value) in map {
        let Some(dimension) = dimension_of(name) else {
            let hint = match yaml::suggest(name, &dimension_names()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    let ids = Dimension::ALL.map(Dimension::as_str);
                    let (last, rest) = ids.split_last().expect("there are dimensions");
                    format!("grade {} or {last}", rest.join(", "))
                }
            };
            problems.push(Diagnostic::at(
                file,
                tree.locate_key(&path!["answers", i, field, name.as_str()]),
                format!("unknown dimension `{name}` in `{field}`; {hint}"),
            ));
            continue;
        };
        if !(low..=high).contains(&value) {
            let scale = if field == "levels" {
                "0-3 (0 absent, 1 weak, 2 solid, 3 strong)"
            } else {
                "1-4 (1 Missing, 2 Emerging, 3 Solid, 4 Strong)"
            };
            problems.push(Diagnostic::at(
                file,
                tree.locate(&path!["answers", i, field, name.as_str()]),
                format!("`{field}` grades are {scale}, not {value}"),
            ));
            continue;
        }
        if out.contains_key(&dimension) {
            problems.push(Diagnostic::at(
                file,
                tree.locate_key(&path!["answers", i, field, name.as_str()]),
                format!("`{dimension}` is graded twice in `{field}`"),
            ));
            continue;
        }
        // Both ranges were just checked, so the level fits 1-4.
        let level = if field == "levels" { value + 1 } else { value };
        out.insert(dimension, level as u8);
    }
    out
}

/// How the public calibration set spells `trade-offs`, accepted as well.
const TRADE_OFFS_ALIAS: &str = "tradeoffs";

/// A dimension by its id, accepting [`TRADE_OFFS_ALIAS`].
fn dimension_of(name: &str) -> Option<Dimension> {
    if name == TRADE_OFFS_ALIAS {
        return Some(Dimension::TradeOffs);
    }
    Dimension::ALL.into_iter().find(|d| d.as_str() == name)
}

/// Every name [`dimension_of`] accepts, in report order, the alias after its dimension.
fn dimension_names() -> Vec<&'static str> {
    Dimension::ALL
        .into_iter()
        .flat_map(|d| {
            let alias = (d == Dimension::TradeOffs).then_some(TRADE_OFFS_ALIAS);
            std::iter::once(d.as_str()).chain(alias)
        })
        .collect()
}

/// The bank a self-contained file's answers resolve against: one pack of its own questions,
/// checked for what scoring needs (kebab-case unique ids, a prompt, a question rubric that
/// compiles).
pub fn inline_bank(parsed: &Parsed) -> Result<Bank, Diagnostics> {
    let file = parsed.file.as_str();
    let questions = parsed.value.questions.clone().unwrap_or_default();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, q) in questions.iter().enumerate() {
        let at = |field: &str| parsed.tree.locate(&path!["questions", i, field]);
        if !validate::is_kebab(&q.id) {
            problems.push(Diagnostic::at(
                file,
                at("id"),
                format!(
                    "question id `{}` is not kebab-case (lowercase letters, digits, single dashes)",
                    crate::text::collapse_ws(&q.id)
                ),
            ));
        } else if let Some(first) = seen.get(q.id.as_str()) {
            problems.push(Diagnostic::at(
                file,
                at("id"),
                format!(
                    "question `{}` is defined twice (first at line {first})",
                    q.id
                ),
            ));
        } else {
            seen.insert(&q.id, at("id").line);
        }
        if q.prompt.trim().is_empty() {
            problems.push(Diagnostic::at(
                file,
                at("prompt"),
                "the prompt is empty; answers cannot be judged against nothing",
            ));
        }
        if q.rubric.is_some() {
            let checked = CompiledRubric::builtin_checked()
                .map_err(|e| e.to_string())
                .and_then(|r| r.check_question(q).map_err(|e| e.to_string()));
            if let Err(e) = checked {
                problems.push(Diagnostic::at(
                    file,
                    at("rubric"),
                    format!("the question's rubric does not compile: {e}"),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    let meta = PackFile {
        format_version: crate::model::pack::FORMAT_VERSION,
        id: INLINE_PACK.to_string(),
        title: format!("questions of {file}"),
        version: "1.0.0".to_string(),
        ..PackFile::default()
    };
    let origin = Origin::Path(file.into());
    Ok(Bank::from_packs(vec![Pack::inline(
        meta, questions, origin, file,
    )]))
}

/// One graded answer resolved against its question, ready to score.
#[derive(Debug, Clone)]
pub struct Graded<'b> {
    /// The question, its pack and the answer in the shape every scorer takes.
    pub item: Item<'b>,
    /// The line the entry starts at, for reports.
    pub line: u32,
    /// The entry's tag, if any.
    pub tag: Option<String>,
    /// Written to game the scorer (by its tag or `gaming: true`).
    pub gaming: bool,
    /// A strong answer: its tag starts with `strong`, or it is graded Strong in every graded
    /// dimension and is not a gaming answer.
    pub strong: bool,
    /// Expected level 1-4 per graded dimension.
    pub expected: BTreeMap<Dimension, u8>,
}

/// Resolves every entry against `bank` (the file's own questions for a self-contained file),
/// with the answers file's checks (unknown questions and steps, `text` or `steps`, follow-ups and
/// investigations where they apply). Unlike an answers file, a question may have many answers.
pub fn resolve<'b>(parsed: &Parsed, bank: &'b Bank) -> Result<Vec<Graded<'b>>, Diagnostics> {
    let (file, tree) = (parsed.file.as_str(), &parsed.tree);
    let mut problems = Vec::new();
    if parsed.value.answers.is_empty() {
        problems.push(Diagnostic::at(
            file,
            tree.locate(&path!["answers"]),
            "`answers` is empty; add graded answers to calibrate against",
        ));
    }
    let mut out = Vec::new();
    for (i, entry) in parsed.value.answers.iter().enumerate() {
        let Some(found) =
            answers::find_question(file, tree, i, &entry.question, bank, &mut problems)
        else {
            continue;
        };
        let shape = AnswerEntry {
            question: entry.question.clone(),
            text: entry.text.clone(),
            steps: entry.steps.clone(),
            follow_up: entry.follow_up.clone(),
            investigation: entry.investigation.clone(),
        };
        let item = answers::resolve_entry(file, tree, i, shape, found, &mut problems);
        let tag = entry.tag.as_deref().map(crate::text::collapse_ws);
        let gaming = entry
            .gaming
            .unwrap_or_else(|| tag.as_deref().is_some_and(is_gaming_tag));
        let expected = parsed.expected[i].clone();
        let strong = !gaming
            && (tag.as_deref().is_some_and(is_strong_tag)
                || (!expected.is_empty() && expected.values().all(|&l| l == 4)));
        out.push(Graded {
            item,
            line: tree.locate(&path!["answers", i]).line,
            tag,
            gaming,
            strong,
            expected,
        });
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    Ok(out)
}

/// A tag naming a gaming style: one of [`GAMING_TAGS`] as the whole tag or as dash-separated
/// parts of it (`recital`, `gaming-recital`, `off-topic-logging`).
pub fn is_gaming_tag(tag: &str) -> bool {
    let tag = format!("-{}-", tag.trim().to_lowercase());
    GAMING_TAGS.iter().any(|g| tag.contains(&format!("-{g}-")))
}

/// A tag marking a strong answer: `strong` or `strong-...`.
pub fn is_strong_tag(tag: &str) -> bool {
    let tag = tag.trim().to_lowercase();
    tag == "strong" || tag.starts_with("strong-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaming_and_strong_tags() {
        for tag in [
            "recital",
            "buzzword",
            "off-topic",
            "gaming-echo",
            "keyword-list-2",
            "gaming",
            "gaming-offtopic-neighbour",
            "sarcasm",
        ] {
            assert!(is_gaming_tag(tag), "{tag}");
        }
        for tag in [
            "strong-terse",
            "mid",
            "topic",
            "keyword",
            "repeatedly",
            "good-gap",
        ] {
            assert!(!is_gaming_tag(tag), "{tag}");
        }
        assert!(is_strong_tag("strong-markdown"));
        assert!(is_strong_tag("Strong"));
        assert!(!is_strong_tag("strongish"));
    }

    fn problems(doc: &str) -> Vec<String> {
        match parse("c.yaml", doc.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(d) => d.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn grades_convert_to_levels_and_bad_ones_are_located() {
        let doc = "answers:\n  - question: q\n    levels: {context: 0, tradeoffs: 3}\n    text: a\n  \
                   - question: q\n    expect: {trade-offs: 2}\n    text: b\n";
        let parsed = parse("c.yaml", doc.as_bytes()).unwrap();
        assert_eq!(
            parsed.expected[0],
            BTreeMap::from([(Dimension::Context, 1), (Dimension::TradeOffs, 4)])
        );
        assert_eq!(
            parsed.expected[1],
            BTreeMap::from([(Dimension::TradeOffs, 2)])
        );
        let e = problems(
            "answers:\n  - question: q\n    levels: {contxt: 1, ownership: 4}\n    text: a\n  \
             - question: q\n    text: b\n  - question: q\n    expect: {context: 0}\n    \
             levels: {context: 1}\n    text: c\n",
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("c.yaml:3:14: unknown dimension `contxt`"),
            "{e:?}"
        );
        assert!(e[0].contains("did you mean `context`?"));
        assert!(
            e[1].starts_with("c.yaml:3:36: `levels` grades are 0-3"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("c.yaml:5:5: this answer has no grades"),
            "{e:?}"
        );
        assert!(e[3].starts_with("c.yaml:8:5: an answer has both"), "{e:?}");
    }

    /// An unknown dimension is answered with the closest name, the public set's `tradeoffs`
    /// among them, or else with every dimension.
    #[test]
    fn unknown_dimensions_are_told_the_names_there_are() {
        let e =
            problems("answers:\n  - question: q\n    levels: {tradeof: 1, zzz: 2}\n    text: a\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].ends_with("`tradeof` in `levels`; did you mean `tradeoffs`?"),
            "{e:?}"
        );
        assert!(
            e[1].ends_with(
                "`zzz` in `levels`; grade context, trade-offs, ownership or communication"
            ),
            "{e:?}"
        );
    }

    #[test]
    fn inline_questions_are_checked_and_answers_resolve_to_them() {
        let doc = "questions:\n  - {id: cal-one, kind: trade-off, title: T, prompt: P}\n  \
                   - {id: cal-one, kind: degradation, title: T, prompt: ' '}\n\
                   answers:\n  - {question: cal-one, text: a, levels: {context: 1}}\n";
        let parsed = parse("c.yaml", doc.as_bytes()).unwrap();
        let e = inline_bank(&parsed).unwrap_err().to_string();
        assert!(
            e.contains("c.yaml:3:10: question `cal-one` is defined twice (first at line 2)"),
            "{e}"
        );
        assert!(e.contains("c.yaml:3:56: the prompt is empty"), "{e}");

        let doc = "questions:\n  - {id: cal-one, kind: trade-off, title: T, prompt: P}\n\
                   answers:\n  - {question: cal-one, tag: strong-x, text: a, levels: {context: 1}}\n  \
                   - {question: cal-one, tag: recital, text: b, levels: {context: 3}}\n  \
                   - {question: cal-two, text: c, levels: {context: 3}}\n";
        let parsed = parse("c.yaml", doc.as_bytes()).unwrap();
        let bank = inline_bank(&parsed).unwrap();
        let e = resolve(&parsed, &bank).unwrap_err().to_string();
        assert!(e.contains("c.yaml:6:16: unknown question `cal-two`"), "{e}");

        let doc = doc.replace("cal-two", "cal-one");
        let parsed = parse("c.yaml", doc.as_bytes()).unwrap();
        let bank = inline_bank(&parsed).unwrap();
        let graded = resolve(&parsed, &bank).unwrap();
        assert_eq!(graded.len(), 3);
        assert!(graded[0].strong && !graded[0].gaming);
        assert!(graded[1].gaming && !graded[1].strong);
        assert_eq!(graded[2].line, 6);
        assert_eq!(graded[1].item.entry.question.id, "cal-one");
    }
}
