//! Scoring one answer: units in, an explained [`Evaluation`] out.
//!
//! The arithmetic, in the order it happens (documented for users in `docs/rubric-format.md`):
//! 1. the answer's parts, the follow-up answer and the investigation questions are split into
//!    units; each unit gets a shape (sentence, terse clause, fragment, keyword list) whose credit
//!    multiplies whatever it earns, and a unit that repeats an earlier one earns nothing;
//! 2. each criterion earns the best credit of its un-negated matches, at most one;
//! 3. a dimension's score is its earned weight over `saturation` of its applicable weight, capped
//!    at 1, minus its anti-pattern penalties (capped in total), then scaled by the answer's depth
//!    (how many specifics of the situation it works with), and scaled again when the answer
//!    never does the act a dimension needs (finding out for context, and for trade-offs in an
//!    incident; saying what happens after the fix for ownership);
//! 4. guards (blank, too short, off-topic, missing the ask, keyword stuffing, pasted model
//!    answer) cap or scale;
//! 5. the overall score is the kind-weighted mean of the dimensions.
//!
//! Each step is a stage module of its own, read and tested alone: [`question`] (the rubric and
//! vocabulary of one question), [`units`], [`criteria`], [`signals`], [`penalties`], [`depth`],
//! [`needs`], [`guards`], [`assemble`] (the result) and [`next`] (what to add next); [`tally`]
//! is the ledger they write into. [`Scorer::score`] runs them in that order.

mod assemble;
mod criteria;
mod depth;
mod guards;
mod needs;
mod next;
mod penalties;
mod question;
mod requires;
mod signals;
mod tally;
mod units;

use std::collections::BTreeSet;

use crate::answer::Answer;
use crate::model::pack::{Kind, Question, Step};
use crate::text;

use super::result::{Evaluation, Flag};
use super::{CompiledRubric, Criterion, applies};

use crate::model::pack::PerDimension;

/// Scores `answer` to `question` with `rubric`.
///
/// A question whose own rubric refinement does not compile (the validator reports that) is scored
/// with the pack rubric alone and flagged `rubric-error`.
pub fn score(rubric: &CompiledRubric, question: &Question, answer: &Answer) -> Evaluation {
    // On a cold start, parsing the question's patterns is the largest part of a score, and the
    // analysis of the question and the answer does not need them: a second thread builds them,
    // last first, while this one analyses and then scores from the first, until they meet.
    let patterns: Vec<&super::Pattern> = rubric
        .compiled_criteria()
        .iter()
        .filter(|c| applies(&c.spec.kinds, question.kind))
        .map(|c| &c.pattern)
        .chain(
            rubric
                .compiled_anti_patterns()
                .iter()
                .filter(|a| applies(&a.spec.kinds, question.kind))
                .map(|a| &a.pattern),
        )
        .collect();
    let cold = patterns.iter().any(|p| !p.is_built());
    if cold && std::thread::available_parallelism().map_or(1, std::num::NonZero::get) > 1 {
        std::thread::scope(|scope| {
            scope.spawn(|| patterns.iter().rev().for_each(|p| p.build()));
            score_now(rubric, question, answer)
        })
    } else {
        score_now(rubric, question, answer)
    }
}

fn score_now(rubric: &CompiledRubric, question: &Question, answer: &Answer) -> Evaluation {
    let (scorer, error) = Scorer::new_or_plain(rubric, question);
    let mut eval = scorer.score(answer);
    if let Some(error) = error {
        eval.flags.push(Flag {
            id: "rubric-error".to_string(),
            message: format!(
                "the question's own rubric was ignored because it is invalid: {error}"
            ),
            excerpt: None,
        });
    }
    eval
}

/// A rubric prepared for one question: its criteria, weights, steps and vocabulary.
pub struct Scorer<'r> {
    rubric: &'r CompiledRubric,
    question_id: String,
    /// The question's title, quoted when an answer misses what it asks.
    title: String,
    kind: Kind,
    criteria: Vec<&'r Criterion>,
    own: Vec<Criterion>,
    disabled: BTreeSet<String>,
    weights: PerDimension<f64>,
    steps: Vec<Step>,
    vocabulary: question::Vocabulary,
}

impl<'r> Scorer<'r> {
    /// Scores one answer: the stages in order, each writing into the ledger or the scores.
    pub fn score(&self, answer: &Answer) -> Evaluation {
        let spec = &self.rubric.file().scoring;
        let pieces = units::pieces(answer);
        let mut units = self.units(&pieces);

        let mut earned = self.earn_all(&units, &pieces);
        self.mark_denials(&mut units);
        let stuffing = criteria::cap_stuffed(&mut earned, &units, spec);
        let mut tally = tally::Tally::new();
        criteria::enter(&mut tally, &earned, &units, &pieces);
        self.enter_signals(&mut tally, earned.len(), answer, &pieces, &units);

        let mut scores = tally.saturated(spec);
        self.penalise(&mut tally, &mut scores, &earned, &units);
        guards::weigh_communication(&mut scores, spec);
        let shallow = depth::weigh(&mut scores, depth::terms(&units), spec);
        let unmet = self.weigh_needs(&mut scores, &mut tally, &units);
        let mut flags = self.guard(&mut scores, guards::blank(answer), &units, stuffing);
        // A guard that fired already says what is wrong with the answer as a whole.
        if flags.is_empty() {
            flags.extend(shallow);
            flags.extend(unmet);
        }
        flags.extend(self.require_for_strong(&mut scores, &earned));

        assemble::round(&mut scores);
        let next = next::next(tally.next, &tally.total, &scores, &self.weights);
        self.evaluation(&scores, tally.dims, flags, next)
    }

    fn all_criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria
            .iter()
            .copied()
            .chain(
                self.own
                    .iter()
                    .filter(|c| applies(&c.spec.kinds, self.kind)),
            )
            .filter(|c| !self.disabled.contains(&c.spec.id))
    }

    /// The phrases of `text` (as written) that earn criteria, one per criterion and unit, with the
    /// index of the unit they come from; used to build adversarial probes.
    pub(crate) fn earning_phrases(&self, text: &str) -> Vec<(usize, String)> {
        let units = text::analyse(text);
        let mut out = Vec::new();
        for criterion in self.all_criteria() {
            for (i, unit) in units.iter().enumerate() {
                if let Some((first, last)) = criterion.pattern.find_affirmed(unit)
                    && let (Some(a), Some(b)) = (unit.tokens.get(first), unit.tokens.get(last))
                    && let Some(phrase) = text.get(a.src_start..b.src_end)
                {
                    out.push((i, text::collapse_ws(phrase)));
                    break;
                }
            }
        }
        out
    }

    /// The patterns of the question's own criteria, then of the default criteria that apply.
    pub(crate) fn criterion_patterns(&self) -> Vec<&str> {
        let own = self.own.iter().flat_map(|c| c.spec.patterns.iter());
        let rest = self
            .criteria
            .iter()
            .filter(|c| !self.disabled.contains(&c.spec.id))
            .flat_map(|c| c.spec.patterns.iter().take(1));
        own.chain(rest).map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a cold rubric, `score` builds patterns on two threads at once; every question's model
    /// answer must score exactly as it does once the rubric is warm.
    #[test]
    fn a_cold_score_on_two_threads_equals_a_warm_one() {
        let pack = crate::pack::builtin::pack().unwrap();
        let rubric = CompiledRubric::builtin_uncached().unwrap();
        let answers: Vec<(&Question, Answer)> = pack
            .questions
            .iter()
            .filter_map(|q| {
                let model = q.model_answer.as_ref()?;
                let text = model.text.iter().chain(model.steps.values());
                Some((
                    q,
                    Answer::whole(text.cloned().collect::<Vec<_>>().join("\n")),
                ))
            })
            .collect();
        assert!(answers.len() > 20, "{} model answers", answers.len());
        let cold: Vec<String> = answers
            .iter()
            .map(|(q, a)| score(&rubric, q, a).to_json())
            .collect();
        assert!(
            rubric
                .compiled_criteria()
                .iter()
                .all(|c| c.pattern.is_built()),
            "every kind was scored, so every criterion was built"
        );
        for ((q, a), cold) in answers.iter().zip(cold) {
            assert_eq!(score(&rubric, q, a).to_json(), cold, "{}", q.id);
        }
    }
}
