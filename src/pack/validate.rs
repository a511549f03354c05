//! Semantic checks of a parsed pack: what the schema cannot say.
//!
//! Structure (types, unknown and missing fields) is checked by the schema walk in `yaml`; this
//! module checks meaning across the whole pack: ids that must be kebab-case and unique (across
//! files), prompts that must not be empty, model answers and examples that must refer to steps
//! that exist, facts that only a degradation scenario can use, patterns that must compile. Each
//! problem is located through the file's tree, so the author sees `FILE:LINE:COLUMN`.

use std::collections::{BTreeMap, BTreeSet};

use super::rubric::{RubricSource, compile_rubric};
use crate::diag::{Diagnostic, Pos};
use crate::model::pack::{
    AntiPatternSpec, CriterionSpec, Example, Kind, PackFile, Question, QuestionFile,
    RubricExtension,
};
use crate::path;
use crate::rubric::{CompiledRubric, PatternError, PatternSite, RubricError};
use crate::yaml::{Node, Seg, under_any};

/// One parsed file with its tree, kept for locating semantic problems.
pub(crate) struct Parsed<T> {
    pub name: String,
    pub tree: Node,
    pub value: T,
    /// Paths where `value` holds a placeholder for something missing or malformed (already
    /// reported by the schema walk): semantic checks stay quiet there.
    pub placeholders: Vec<Vec<Seg>>,
}

/// Longest `not_asked_by` question of a fact, in characters: a question, not an essay.
pub const MAX_NOT_ASKED_CHARS: usize = 300;

/// A located problem collector for one file.
struct FileCheck<'a> {
    name: &'a str,
    tree: &'a Node,
    /// Where the parsed value holds placeholders for what the schema walk already reported:
    /// nothing is said under them, since the author never wrote what it would be about.
    placeholders: &'a [Vec<Seg>],
    out: &'a mut Vec<Diagnostic>,
}

impl FileCheck<'_> {
    fn at(&mut self, path: &[Seg], message: impl Into<String>) {
        if under_any(self.placeholders, path) {
            return;
        }
        let pos = self.tree.locate(path);
        self.out.push(Diagnostic::at(self.name, pos, message));
    }

    fn at_key(&mut self, path: &[Seg], message: impl Into<String>) {
        if under_any(self.placeholders, path) {
            return;
        }
        let pos = self.tree.locate_key(path);
        self.out.push(Diagnostic::at(self.name, pos, message));
    }

    fn pos(&self, path: &[Seg]) -> Pos {
        self.tree.locate(path)
    }
}

/// True for `lower-case-words-and-digits`.
pub fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// True for `MAJOR.MINOR.PATCH` with optional `-pre` and `+build` parts.
pub fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
        && v[core.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
}

/// The manifest's own fields (id, title, version, rubric section) and each question file's
/// `format_version` against the manifest's.
fn check_manifest(
    manifest: &Parsed<PackFile>,
    files: &[Parsed<QuestionFile>],
    out: &mut Vec<Diagnostic>,
) {
    let meta = &manifest.value;
    {
        let mut c = FileCheck {
            name: &manifest.name,
            tree: &manifest.tree,
            placeholders: &manifest.placeholders,
            out,
        };
        if !is_kebab(&meta.id) {
            c.at(
                &path!["id"],
                format!(
                    "pack id `{}` must be kebab-case (lowercase letters, digits and single dashes)",
                    meta.id
                ),
            );
        }
        if meta.title.trim().is_empty() {
            c.at(&path!["title"], "pack title is empty");
        }
        if !is_semver(&meta.version) {
            c.at(
                &path!["version"],
                format!(
                    "version `{}` is not semver; write MAJOR.MINOR.PATCH, such as 1.0.0",
                    meta.version
                ),
            );
        }
        if let Some(ext) = &meta.rubric {
            check_rubric_extension(&mut c, ext, &path!["rubric"]);
        }
    }
    for file in files {
        if let Some(v) = file.value.format_version
            && v != meta.format_version
        {
            out.push(Diagnostic::at(
                &file.name,
                file.tree.locate(&path!["format_version"]),
                format!(
                    "format_version {v} differs from the manifest's {}",
                    meta.format_version
                ),
            ));
        }
    }
}

/// Checks a whole pack. `questions` in the manifest and in each question file are checked
/// together so that a duplicate id is found wherever its twin lives.
pub(crate) fn check_pack(
    manifest: &Parsed<PackFile>,
    files: &[Parsed<QuestionFile>],
    rubric_file: Option<&Parsed<RubricSource>>,
    files_ok: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let meta = &manifest.value;
    check_manifest(manifest, files, &mut out);
    // The pack's rubric: question criteria and fact patterns compile against its groups. When it
    // does not compile, its problems are reported and the default rubric stands in, so question
    // problems are still found.
    let rubric = pack_rubric(manifest, rubric_file, &mut out);

    // Every question with the file it lives in and its index there, for checks that span files.
    let mut all: Vec<(&Parsed<PackFile>, usize, &Question)> = Vec::new();
    let mut in_files: Vec<(&Parsed<QuestionFile>, usize, &Question)> = Vec::new();
    all.extend(
        meta.questions
            .iter()
            .enumerate()
            .map(|(i, q)| (manifest, i, q)),
    );
    for file in files {
        in_files.extend(
            file.value
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| (file, i, q)),
        );
    }
    let all = all
        .into_iter()
        .map(|(f, i, q)| (f.name.as_str(), &f.tree, f.placeholders.as_slice(), i, q))
        .chain(
            in_files
                .into_iter()
                .map(|(f, i, q)| (f.name.as_str(), &f.tree, f.placeholders.as_slice(), i, q)),
        );
    let mut seen: BTreeMap<&str, (&str, Pos)> = BTreeMap::new();
    let mut any = false;
    for (name, tree, placeholders, index, question) in all {
        any = true;
        let mut c = FileCheck {
            name,
            tree,
            placeholders,
            out: &mut out,
        };
        let base = path!["questions", index];
        let id_path = [base.clone(), path!["id"]].concat();
        if let Some((first_file, first_pos)) = seen.get(question.id.as_str()) {
            c.at(
                &id_path,
                format!(
                    "duplicate question id `{}`; first defined at {first_file}:{}:{}",
                    question.id, first_pos.line, first_pos.column
                ),
            );
        } else {
            seen.insert(&question.id, (name, c.pos(&id_path)));
        }
        check_question(&mut c, question, &base);
        check_question_rubric(&mut c, &rubric, question, &base);
    }
    if !any && files_ok {
        out.push(Diagnostic::at(
            &manifest.name,
            manifest.tree.pos,
            "the pack has no questions; add some under `questions:`",
        ));
    }
    out
}

fn pack_rubric(
    manifest: &Parsed<PackFile>,
    rubric_file: Option<&Parsed<RubricSource>>,
    out: &mut Vec<Diagnostic>,
) -> CompiledRubric {
    let fallback = || crate::rubric::CompiledRubric::builtin().clone();
    let id = &manifest.value.id;
    if let Some(file) = rubric_file {
        // Check the file alone first, so its errors point into it.
        if let Err(e) = compile_rubric(id, Some(&file.value), None) {
            let mut c = FileCheck {
                name: &file.name,
                tree: &file.tree,
                placeholders: &file.placeholders,
                out,
            };
            match &file.value {
                RubricSource::Full(f) => {
                    locate_rubric_error(&mut c, &e, &[], &f.criteria, &f.anti_patterns, &[])
                }
                RubricSource::Extension(x) => {
                    locate_rubric_error(&mut c, &e, &[], &x.criteria, &x.anti_patterns, &x.disable)
                }
            }
            return fallback();
        }
    }
    let file = rubric_file.map(|f| &f.value);
    match compile_rubric(id, file, manifest.value.rubric.as_ref()) {
        Ok(r) => r,
        Err(e) => {
            let mut c = FileCheck {
                name: &manifest.name,
                tree: &manifest.tree,
                placeholders: &manifest.placeholders,
                out,
            };
            let ext = manifest.value.rubric.clone().unwrap_or_default();
            locate_rubric_error(
                &mut c,
                &e,
                &path!["rubric"],
                &ext.criteria,
                &ext.anti_patterns,
                &ext.disable,
            );
            fallback()
        }
    }
}

/// Reports a rubric error at the entry it names, under `prefix` in the file's tree.
fn locate_rubric_error(
    c: &mut FileCheck<'_>,
    e: &RubricError,
    prefix: &[Seg],
    criteria: &[CriterionSpec],
    anti_patterns: &[AntiPatternSpec],
    disable: &[String],
) {
    let under = |segs: Vec<Seg>| [prefix.to_vec(), segs].concat();
    let criterion = |id: &str| criteria.iter().position(|x| x.id == id);
    let anti_pattern = |id: &str| anti_patterns.iter().position(|x| x.id == id);
    let (at, message) = match e {
        RubricError::NoPatterns(id)
        | RubricError::Pattern {
            site: PatternSite::Criterion { id, .. } | PatternSite::CriterionNotWith { id, .. },
            ..
        } if criterion(id).is_some() => {
            let i = criterion(id).unwrap_or_default();
            return locate_criterion_error(c, e, &under(path!["criteria", i]));
        }
        RubricError::NoPatterns(id) if anti_pattern(id).is_some() => (
            under(path![
                "anti_patterns",
                anti_pattern(id).unwrap_or_default(),
                "patterns"
            ]),
            format!("anti-pattern `{id}` has no patterns, so it can never match"),
        ),
        RubricError::Pattern { site, error } => {
            let at = match site {
                PatternSite::Group { name, index } => under(path!["groups", name.as_str(), *index]),
                PatternSite::AntiPattern { id, pattern } => anti_pattern(id).map_or_else(
                    || prefix.to_vec(),
                    |i| under(path!["anti_patterns", i, "patterns", *pattern]),
                ),
                PatternSite::Criterion { .. } | PatternSite::CriterionNotWith { .. } => {
                    prefix.to_vec()
                }
            };
            (at, pattern_message(error))
        }
        RubricError::UnknownDisable(id) | RubricError::DisableOwn(id) => (
            disable
                .iter()
                .position(|d| d == id)
                .map_or_else(|| prefix.to_vec(), |i| under(path!["disable", i])),
            disable_message(e),
        ),
        // A scoring list naming an unknown criterion is located at the list.
        RubricError::UnknownNeed { dimension, .. } => (
            under(path!["scoring", "needs", dimension.to_string(), "any_of"]),
            e.to_string(),
        ),
        RubricError::NeedFlag { dimension, .. } => (
            under(path!["scoring", "needs", dimension.to_string(), "flag"]),
            e.to_string(),
        ),
        RubricError::UnknownStrongRequirement { dimension, .. } => (
            under(path!["scoring", "strong_requires", dimension.to_string()]),
            e.to_string(),
        ),
        // A constant out of range ("scoring.shallow_floor", "levels.solid") names its own path.
        RubricError::Range { what, .. } if is_dotted_path(what) => (
            under(what.split('.').map(Seg::from).collect()),
            e.to_string(),
        ),
        other => (prefix.to_vec(), other.to_string()),
    };
    c.at(&at, message);
}

/// True when `what` is a path of keys such as `scoring.saturation.context`, not a description
/// such as `weight of "x"`.
fn is_dotted_path(what: &str) -> bool {
    what.split('.').all(|k| {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// What a `disable` entry the rubric compiler refuses is told.
fn disable_message(e: &RubricError) -> String {
    match e {
        RubricError::DisableOwn(id) => format!(
            "cannot disable `{id}`: it is one of this question's own criteria, and scoring would \
             refuse the question; remove the criterion from `criteria` instead"
        ),
        RubricError::UnknownDisable(id) => format!(
            "cannot disable `{id}`: no criterion, signal or anti-pattern of the rubric has that id"
        ),
        other => other.to_string(),
    }
}

/// Reports a problem the rubric compiler found in the one criterion at `cp`.
fn locate_criterion_error(c: &mut FileCheck<'_>, e: &RubricError, cp: &[Seg]) {
    let at = |segs: Vec<Seg>| [cp.to_vec(), segs].concat();
    let (at, message) = match e {
        RubricError::Pattern {
            site: PatternSite::Criterion { pattern, .. },
            error,
        } => (at(path!["patterns", *pattern]), pattern_message(error)),
        RubricError::Pattern {
            site: PatternSite::CriterionNotWith { pattern, .. },
            error,
        } => (at(path!["not_with", *pattern]), pattern_message(error)),
        RubricError::NoPatterns(id) => (
            at(path!["patterns"]),
            format!("criterion `{id}` has no patterns, so it can never be earned"),
        ),
        RubricError::Range { .. } => (at(path!["weight"]), e.to_string()),
        other => (cp.to_vec(), other.to_string()),
    };
    c.at(&at, message);
}

/// A pattern that does not compile, in the author's terms.
fn pattern_message(error: &PatternError) -> String {
    format!(
        "bad pattern `{}`: {} (at character {} of the pattern)",
        error.pattern, error.message, error.column
    )
}

/// Question criteria, `disable` and weights against the pack's rubric; fact patterns against its
/// synonym groups.
fn check_question_rubric(
    c: &mut FileCheck<'_>,
    rubric: &CompiledRubric,
    q: &Question,
    base: &[Seg],
) {
    // Each pattern on its own, so that every bad one is reported, not just the first.
    for (i, fact) in q.facts.iter().enumerate() {
        for (j, pattern) in fact.asks.iter().enumerate() {
            if let Err(error) = rubric.compile_pattern(pattern) {
                c.at(
                    &[base.to_vec(), path!["facts", i, "asks", j]].concat(),
                    pattern_message(&error),
                );
            }
        }
    }
    let Some(r) = &q.rubric else {
        return;
    };
    let rp = [base.to_vec(), path!["rubric"]].concat();
    // Every problem the rubric compiler finds in each criterion and each `disable`, located one
    // entry at a time, so that every bad one is reported, not just the first.
    let mut found = false;
    for (i, crit) in r.criteria.iter().enumerate() {
        let cp = [rp.clone(), path!["criteria", i]].concat();
        for e in rubric.criterion_errors(crit) {
            found = true;
            locate_criterion_error(c, &e, &cp);
        }
    }
    // Suggestions for a misspelt id come from what may be disabled: not the question's own.
    let known: BTreeSet<&str> = rubric.disable_ids().collect();
    let known_list: Vec<&str> = known.iter().copied().collect();
    for (i, id) in r.disable.iter().enumerate() {
        if let Some(e) = rubric.disable_error(&r.criteria, id) {
            found = true;
            let mut message = disable_message(&e);
            if let RubricError::UnknownDisable(_) = e
                && let Some(s) = crate::yaml::suggest(id, &known_list)
            {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            c.at(&[rp.clone(), path!["disable", i]].concat(), message);
        }
    }
    // Anything else the rubric compiler objects to (the weights), once the above is clean.
    if !found && let Err(e) = rubric.check_question(q) {
        locate_rubric_error(c, &e, &rp, &r.criteria, &[], &r.disable);
    }
}

fn check_question(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    check_identity(c, q, base);
    check_steps(c, q, base);
    let effective: Vec<String> = q.effective_steps().into_iter().map(|s| s.id).collect();
    check_facts(c, q, base);
    check_follow_ups(c, q, base);
    check_model_answer(c, q, base, &effective);
    for (i, example) in q.examples.iter().enumerate() {
        check_example(c, example, &p(path!["examples", i]), &q.id, &effective);
    }
    check_question_criteria(c, q, base);
}

/// The question's id, title, prompt and tags.
fn check_identity(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    if !is_kebab(&q.id) {
        c.at(
            &p(path!["id"]),
            format!(
                "question id `{}` must be kebab-case (lowercase letters, digits and single dashes)",
                q.id
            ),
        );
    }
    if q.title.trim().is_empty() {
        c.at(
            &p(path!["title"]),
            format!("question `{}` has an empty title", q.id),
        );
    }
    if q.prompt.trim().is_empty() {
        c.at(
            &p(path!["prompt"]),
            format!(
                "question `{}` has an empty prompt; write the scenario the candidate reads",
                q.id
            ),
        );
    }
    for (i, tag) in q.tags.iter().enumerate() {
        if !is_kebab(tag) {
            c.at(
                &p(path!["tags", i]),
                format!("tag `{tag}` must be lowercase kebab-case, such as `feature-flags`"),
            );
        }
    }
}

/// Its own steps (when it has any instead of the kind's defaults): ids unique, questions asked.
fn check_steps(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    let mut step_ids = BTreeSet::new();
    for (i, step) in q.steps.iter().enumerate() {
        let sp = p(path!["steps", i]);
        if !is_kebab(&step.id) {
            c.at(
                &[sp.clone(), path!["id"]].concat(),
                format!("step id `{}` must be kebab-case", step.id),
            );
        }
        if !step_ids.insert(step.id.as_str()) {
            c.at(
                &[sp.clone(), path!["id"]].concat(),
                format!("duplicate step id `{}` in question `{}`", step.id, q.id),
            );
        }
        if step.ask.trim().is_empty() {
            c.at(
                &[sp.clone(), path!["ask"]].concat(),
                format!("step `{}` has an empty `ask`", step.id),
            );
        }
    }
}

/// Hidden facts: only on degradation scenarios, each with an id, something to reveal and a way
/// to be asked for.
fn check_facts(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    // Facts belong to degradation scenarios only: other kinds never run an investigation.
    if !q.facts.is_empty() && q.kind != Kind::Degradation {
        c.at_key(
            &p(path!["facts"]),
            format!(
                "facts are only used by degradation scenarios, but `{}` is a {}; remove them or change the kind",
                q.id, q.kind
            ),
        );
    }
    let mut fact_ids = BTreeSet::new();
    for (i, fact) in q.facts.iter().enumerate() {
        let fp = p(path!["facts", i]);
        if !is_kebab(&fact.id) || !fact_ids.insert(fact.id.as_str()) {
            c.at(
                &[fp.clone(), path!["id"]].concat(),
                format!(
                    "fact id `{}` must be kebab-case and unique in the question",
                    fact.id
                ),
            );
        }
        if fact.reveal.trim().is_empty() {
            c.at(
                &[fp.clone(), path!["reveal"]].concat(),
                format!("fact `{}` reveals nothing", fact.id),
            );
        }
        if fact.asks.is_empty() {
            c.at(
                &[fp.clone(), path!["asks"]].concat(),
                format!(
                    "fact `{}` has no `asks` patterns, so no question can uncover it",
                    fact.id
                ),
            );
        }
        for (j, asked) in fact.not_asked_by.iter().enumerate() {
            let length = asked.trim().chars().count();
            if !(1..=MAX_NOT_ASKED_CHARS).contains(&length) {
                c.at(
                    &[fp.clone(), path!["not_asked_by", j]].concat(),
                    format!(
                        "a `not_asked_by` question of fact `{}` must be 1-{MAX_NOT_ASKED_CHARS} \
                         characters, like a question a candidate would type; this one has {length}",
                        fact.id
                    ),
                );
            }
        }
    }
}

fn check_follow_ups(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    let mut follow_ids = BTreeSet::new();
    for (i, f) in q.follow_ups.iter().enumerate() {
        let fp = p(path!["follow_ups", i]);
        if !is_kebab(&f.id) || !follow_ids.insert(f.id.as_str()) {
            c.at(
                &[fp.clone(), path!["id"]].concat(),
                format!(
                    "follow-up id `{}` must be kebab-case and unique in the question",
                    f.id
                ),
            );
        }
        if f.ask.trim().is_empty() {
            c.at(
                &[fp, path!["ask"]].concat(),
                format!("follow-up `{}` has an empty `ask`", f.id),
            );
        }
    }
}

/// The model answer: whole or per step, and only for steps the question has.
fn check_model_answer(c: &mut FileCheck<'_>, q: &Question, base: &[Seg], effective: &[String]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    if let Some(model) = &q.model_answer {
        let mp = p(path!["model_answer"]);
        match (&model.text, model.steps.is_empty()) {
            (Some(_), false) => c.at(
                &mp,
                "model_answer has both `text` and `steps`; give the whole answer or the answer per step, not both",
            ),
            (None, true) => c.at(&mp, "model_answer is empty; give `text` or `steps`"),
            _ => {}
        }
        for step in model.steps.keys() {
            if !effective.contains(step) {
                c.at_key(
                    &[mp.clone(), path!["steps", step.as_str()]].concat(),
                    unknown_step("model answer", step, &q.id, effective),
                );
            }
        }
    }
}

/// The question's own criteria: ids unique within it, each checked like a rubric's.
fn check_question_criteria(c: &mut FileCheck<'_>, q: &Question, base: &[Seg]) {
    let p = |segs: Vec<Seg>| [base.to_vec(), segs].concat();
    if let Some(r) = &q.rubric {
        let rp = p(path!["rubric"]);
        let mut ids = BTreeSet::new();
        for (i, crit) in r.criteria.iter().enumerate() {
            let cp = [rp.clone(), path!["criteria", i]].concat();
            if !ids.insert(crit.id.as_str()) {
                c.at(
                    &[cp.clone(), path!["id"]].concat(),
                    format!(
                        "duplicate criterion id `{}` in question `{}`",
                        crit.id, q.id
                    ),
                );
            }
            check_criterion(c, crit, &cp);
        }
    }
}

fn unknown_step(what: &str, step: &str, question: &str, steps: &[String]) -> String {
    let names: Vec<&str> = steps.iter().map(String::as_str).collect();
    let mut message = format!(
        "{what} for step `{step}`, which question `{question}` does not have; its steps are: {}",
        names.join(", ")
    );
    if let Some(s) = crate::yaml::suggest(step, &names) {
        message.push_str(&format!(" (did you mean `{s}`?)"));
    }
    message
}

fn check_example(c: &mut FileCheck<'_>, e: &Example, ep: &[Seg], question: &str, steps: &[String]) {
    match (&e.text, e.steps.is_empty()) {
        (Some(_), false) => c.at(
            ep,
            format!(
                "example `{}` has both `text` and `steps`; give one",
                e.label
            ),
        ),
        (None, true) => c.at(
            ep,
            format!(
                "example `{}` has no answer; give `text` or `steps`",
                e.label
            ),
        ),
        _ => {}
    }
    for step in e.steps.keys() {
        if !steps.contains(step) {
            c.at_key(
                &[ep.to_vec(), path!["steps", step.as_str()]].concat(),
                unknown_step(
                    &format!("example `{}` answers", e.label),
                    step,
                    question,
                    steps,
                ),
            );
        }
    }
}

/// What the pack format asks of a criterion beyond the rubric's own rules (which the rubric
/// compiler checks and [`locate_rubric_error`] places): an id in kebab-case, a title and a hint.
fn check_criterion(c: &mut FileCheck<'_>, crit: &CriterionSpec, cp: &[Seg]) {
    if !is_kebab(&crit.id) {
        c.at(
            &[cp.to_vec(), path!["id"]].concat(),
            format!("criterion id `{}` must be kebab-case", crit.id),
        );
    }
    if crit.title.trim().is_empty() || crit.hint.trim().is_empty() {
        c.at(
            cp,
            format!(
                "criterion `{}` needs a title and a hint: feedback shows both",
                crit.id
            ),
        );
    }
}

fn check_rubric_extension(c: &mut FileCheck<'_>, ext: &RubricExtension, rp: &[Seg]) {
    let mut ids = BTreeSet::new();
    for (i, crit) in ext.criteria.iter().enumerate() {
        let cp = [rp.to_vec(), path!["criteria", i]].concat();
        if !ids.insert(crit.id.as_str()) {
            c.at(
                &[cp.clone(), path!["id"]].concat(),
                format!("duplicate criterion id `{}` in the pack rubric", crit.id),
            );
        }
        check_criterion(c, crit, &cp);
    }
}
