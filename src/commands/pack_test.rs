//! `rehearse pack test PATH...`: the self-tests of a pack's rubric.
//!
//! For every question it scores the graded `examples` and fails when a dimension's level is off
//! by more than one from the author's grade, or when an example graded weaker (lower summed
//! levels) outscores one graded stronger. Then it runs the adversarial probes of
//! [`crate::judge::probes`] and fails when one lands above Emerging in any dimension. It puts
//! each fact's `not_asked_by` questions to the coach and fails when one reveals the fact. Exit 0
//! when everything passes, 1 when a self-test fails, 2 when a pack does not load.
//!
//! Every question's line shows the levels found for each example (context/trade-offs/
//! ownership/communication), so an author sees how close a pass was; `--verbose` shows the
//! expected and the found level of each example and dimension.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Context as _;

use crate::answer::Answer;
use crate::cli::PackTestArgs;
use crate::diag::Diagnostics;
use crate::judge::probes::probes;
use crate::judge::{self, Judge};
use crate::model::pack::{Dimension, Example, Question};
use crate::pack::load;
use crate::rubric::{CompiledRubric, Evaluation, Label};
use crate::session::coach::Coach;
use crate::{Context, exit};

/// The answer an example stands for, with its steps in the question's order.
pub fn example_answer(question: &Question, example: &Example) -> Answer {
    let mut answer = match &example.text {
        Some(text) => Answer::whole(text.clone()),
        None => {
            let order = question.effective_steps();
            let mut parts: Vec<(String, String)> = order
                .iter()
                .filter_map(|s| example.steps.get(&s.id).map(|t| (s.id.clone(), t.clone())))
                .collect();
            // Steps the question does not list still count (the validator reports them).
            for (id, text) in &example.steps {
                if !order.iter().any(|s| &s.id == id) {
                    parts.push((id.clone(), text.clone()));
                }
            }
            Answer::by_steps(parts)
        }
    };
    answer.follow_up = example.follow_up.clone();
    answer
}

fn levels(eval: &Evaluation) -> String {
    Dimension::ALL
        .iter()
        .map(|&d| format!("{} {}", d, eval.dimension(d).level))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The self-test failures of one question, as readable lines (empty when it passes).
pub fn test_question(
    judge: &dyn Judge<'_>,
    rubric: &CompiledRubric,
    question: &Question,
) -> Vec<String> {
    self_test(judge, rubric, question).failures
}

/// What the self-test of one question found.
pub struct QuestionReport<'q> {
    /// Each graded example with its evaluation, in file order.
    pub examples: Vec<(&'q Example, Evaluation)>,
    /// The failures as readable lines; empty when the question passes.
    pub failures: Vec<String>,
}

/// Grades the examples and probes of one question with the pack's judge, which the probes are
/// built from; `rubric` is the pack's rubric, which the coach reads the facts' patterns with.
pub fn self_test<'q>(
    judge: &dyn Judge<'_>,
    rubric: &CompiledRubric,
    question: &'q Question,
) -> QuestionReport<'q> {
    let mut failures = Vec::new();
    let mut scored: Vec<(&Example, Evaluation)> = Vec::new();
    for example in &question.examples {
        let eval = judge.evaluate(question, &example_answer(question, example));
        let mut diff = String::new();
        for d in Dimension::ALL {
            let want = example.expect.get(d);
            let got = eval.dimension(d).level;
            if (i16::from(got) - i16::from(want)).abs() > 1 {
                let _ = writeln!(
                    diff,
                    "      {:<14} expected {} ({}), got {} ({}, score {:.2})",
                    d.as_str(),
                    want,
                    Label::from_level(want),
                    got,
                    eval.dimension(d).label,
                    eval.dimension(d).score
                );
                let hits: Vec<&str> = eval
                    .dimension(d)
                    .hits
                    .iter()
                    .map(|h| h.criterion.as_str())
                    .collect();
                let _ = writeln!(
                    diff,
                    "      {:<14} earned: {}",
                    "",
                    if hits.is_empty() {
                        "nothing".to_string()
                    } else {
                        hits.join(", ")
                    }
                );
            }
        }
        if !diff.is_empty() {
            failures.push(format!(
                "example `{}` is off by more than one level:\n{}",
                example.label,
                diff.trim_end()
            ));
        }
        scored.push((example, eval));
    }
    let total = |e: &Example| -> u32 {
        Dimension::ALL
            .iter()
            .map(|&d| u32::from(e.expect.get(d)))
            .sum()
    };
    for (weak, weak_eval) in &scored {
        for (strong, strong_eval) in &scored {
            if total(weak) < total(strong) && weak_eval.overall.score > strong_eval.overall.score {
                failures.push(format!(
                    "example `{}` (graded weaker) outscores `{}`: {:.2} > {:.2}",
                    weak.label, strong.label, weak_eval.overall.score, strong_eval.overall.score
                ));
            }
        }
    }
    for probe in probes(judge, question) {
        let eval = judge.evaluate(question, &probe.answer);
        let above: Vec<String> = Dimension::ALL
            .iter()
            .filter(|&&d| eval.dimension(d).level > 2)
            .map(|&d| format!("{} {}", d, eval.dimension(d).label))
            .collect();
        if !above.is_empty() {
            let text: String = probe
                .answer
                .parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let shown: String = text.chars().take(160).collect();
            failures.push(format!(
                "probe `{}` passes ({}); levels: {}\n      answer: \"{}{}\"",
                probe.name,
                above.join(", "),
                levels(&eval),
                shown,
                if text.chars().count() > 160 {
                    "\u{2026}"
                } else {
                    ""
                }
            ));
        }
    }
    failures.extend(coach_failures(rubric, question));
    QuestionReport {
        examples: scored,
        failures,
    }
}

/// The levels found per dimension, compactly: `4/3/3/2` (context/trade-offs/ownership/
/// communication).
fn found_levels(eval: &Evaluation) -> String {
    Dimension::ALL
        .iter()
        .map(|&d| eval.dimension(d).level.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// `--verbose`: expected and found level of every example and dimension.
fn write_verbose(out: &mut dyn Write, report: &QuestionReport<'_>) -> std::io::Result<()> {
    for (example, eval) in &report.examples {
        writeln!(out, "      example `{}`", example.label)?;
        for d in Dimension::ALL {
            let want = example.expect.get(d);
            let got = eval.dimension(d);
            let off = i16::from(got.level) - i16::from(want);
            let note = match off {
                0 => String::new(),
                n if n.abs() == 1 => format!("  ({n:+}, within one)"),
                n => format!("  ({n:+}, off)"),
            };
            writeln!(
                out,
                "        {:<14} expected {} {:<9} found {} {:<9} score {:.2}{note}",
                d.as_str(),
                want,
                Label::from_level(want).to_string(),
                got.level,
                got.label.to_string(),
                got.score
            )?;
        }
    }
    Ok(())
}

/// Each fact's `not_asked_by` question that the coach answers with that fact.
fn coach_failures(rubric: &CompiledRubric, question: &Question) -> Vec<String> {
    let coach = Coach::new(rubric, question);
    let mut failures = Vec::new();
    for fact in &question.facts {
        for asked in &fact.not_asked_by {
            let revealed = coach.reveal(asked);
            if revealed.iter().any(|f| f.id == fact.id) {
                let all: Vec<&str> = revealed.iter().map(|f| f.id.as_str()).collect();
                failures.push(format!(
                    "fact `{}` is revealed by \"{asked}\", which it lists under `not_asked_by` \
                     (the question reveals: {}); narrow its `asks` patterns",
                    fact.id,
                    all.join(", ")
                ));
            }
        }
    }
    failures
}

/// Runs `pack test`.
pub fn run(_ctx: &Context, args: &PackTestArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut problems = Vec::new();
    let mut packs = Vec::new();
    for path in &args.paths {
        match load::load_path(path) {
            Ok(pack) => packs.push((path, pack)),
            Err(d) => problems.extend(d.0),
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).into());
    }
    let mut passed = 0usize;
    let mut failed = 0usize;
    for (path, pack) in &packs {
        let rubric = pack
            .rubric()
            .map_err(Clone::clone)
            .with_context(|| format!("{}: cannot compile the pack's rubric", path.display()))?;
        let judge = judge::for_pack(pack)
            .with_context(|| format!("{}: cannot compile the pack's rubric", path.display()))?;
        writeln!(
            out,
            "{}: pack `{}` {}, {}",
            path.display(),
            pack.meta.id,
            pack.meta.version,
            crate::plural::plural(pack.questions.len(), "question", "questions")
        )?;
        if pack.questions.iter().any(|q| !q.examples.is_empty()) {
            let order = Dimension::ALL.map(Dimension::as_str).join("/");
            writeln!(out, "  levels found per example: {order}")?;
        }
        for question in &pack.questions {
            let report = self_test(&*judge, rubric, question);
            let found: Vec<String> = report
                .examples
                .iter()
                .map(|(e, eval)| format!("{} {}", e.label, found_levels(eval)))
                .collect();
            let found = if found.is_empty() {
                String::new()
            } else {
                format!(": {}", found.join(", "))
            };
            let examples = crate::plural::plural(question.examples.len(), "example", "examples");
            if report.failures.is_empty() {
                passed += 1;
                writeln!(out, "  ok    {} ({examples}, 5 probes){found}", question.id)?;
            } else {
                failed += 1;
                writeln!(out, "  FAIL  {} ({examples}, 5 probes){found}", question.id)?;
            }
            if args.verbose {
                write_verbose(out, &report)?;
            }
            for f in &report.failures {
                writeln!(out, "    - {f}")?;
            }
        }
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(if failed == 0 {
        exit::SUCCESS
    } else {
        exit::BELOW_THRESHOLD
    })
}
