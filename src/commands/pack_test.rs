//! `rehearse pack test PATH...`: the self-tests of a pack's rubric.
//!
//! For every question it scores the graded `examples` and fails when a dimension's level is off
//! by more than one from the author's grade, or when an example graded weaker (lower summed
//! levels) outscores one graded stronger. Then it runs the adversarial probes of
//! [`crate::rubric::probes`] and fails when one lands above Emerging in any dimension. It puts
//! each fact's `not_asked_by` questions to the coach and fails when one reveals the fact. Exit 0
//! when everything passes, 1 when a self-test fails, 2 when a pack does not load.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Context as _;

use crate::answer::Answer;
use crate::cli::PackTestArgs;
use crate::diag::Diagnostics;
use crate::pack::bank::effective_steps;
use crate::pack::load;
use crate::pack::model::{Dimension, Example, Question};
use crate::rubric::probes::probes;
use crate::rubric::{CompiledRubric, Evaluation, Label, score};
use crate::session::coach::Coach;
use crate::{Context, exit};

/// The answer an example stands for, with its steps in the question's order.
pub fn example_answer(question: &Question, example: &Example) -> Answer {
    let mut answer = match &example.text {
        Some(text) => Answer::whole(text.clone()),
        None => {
            let order = effective_steps(question);
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
pub fn test_question(rubric: &CompiledRubric, question: &Question) -> Vec<String> {
    let mut failures = Vec::new();
    let mut scored: Vec<(&Example, Evaluation)> = Vec::new();
    for example in &question.examples {
        let eval = score(rubric, question, &example_answer(question, example));
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
    for probe in probes(rubric, question) {
        let eval = score(rubric, question, &probe.answer);
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
    failures
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
        writeln!(
            out,
            "{}: pack `{}` {}, {}",
            path.display(),
            pack.meta.id,
            pack.meta.version,
            crate::plural::plural(pack.questions.len(), "question", "questions")
        )?;
        for question in &pack.questions {
            let failures = test_question(rubric, question);
            if failures.is_empty() {
                passed += 1;
                writeln!(
                    out,
                    "  ok    {} ({} example{}, 5 probes)",
                    question.id,
                    question.examples.len(),
                    if question.examples.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                )?;
            } else {
                failed += 1;
                writeln!(out, "  FAIL  {}", question.id)?;
                for f in failures {
                    writeln!(out, "    - {f}")?;
                }
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
