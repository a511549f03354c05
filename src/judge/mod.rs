//! The judge seam: what turns an answer into an [`Evaluation`], and the one place that chooses it.
//!
//! Every entry point that grades an answer (practice, `score`, `rescore`, `drill`, `pack test`,
//! `calibrate`) asks [`for_pack`] for the pack's [`Judge`], then either evaluates one answer
//! ([`Judge::evaluate`]) or prepares a question once and evaluates many answers to it
//! ([`Judge::prepare`], as a drill does). The judge also names itself for the history: its
//! [`Judge::fingerprint`] of a question is stored with every attempt, and `rescore` compares it
//! to tell which attempts a changed judge would grade differently. What it rewards
//! ([`Judge::earning_phrases`], [`Judge::keywords`]) is what `pack test` builds its adversarial
//! [`probes`] from.
//!
//! A trait rather than an enum of engines: the callers only ever hold a judge for the length of a
//! command and call it per answer, where the cost of a virtual call disappears next to scoring,
//! and a second judge (a semantic one, or a second opinion) then lives in a file of its own and
//! is chosen in [`for_pack`] without any caller or any `match` elsewhere changing. The rubric
//! engine ([`RubricJudge`]) is the first implementation.

pub mod probes;
mod rubric;

pub use rubric::RubricJudge;

use crate::answer::Answer;
use crate::model::pack::Question;
use crate::pack::Pack;
use crate::rubric::{CompiledRubric, Evaluation, RubricError};

/// Grades answers to the questions of one pack. `'j` is how long what it prepares may live: as
/// long as the pack's compiled rubric, so a drill can keep a prepared question per question while
/// its threads share the judge.
pub trait Judge<'j>: Sync {
    /// Prepares `question` for many answers (the work that does not depend on the answer).
    fn prepare(&self, question: &Question) -> Box<dyn Prepared + 'j>;

    /// Evaluates one answer to `question`; for a question answered once (practice, `score`).
    fn evaluate(&self, question: &Question, answer: &Answer) -> Evaluation {
        self.prepare(question).evaluate(answer)
    }

    /// What identifies this judge's grading of `question`, stored with every attempt: equal
    /// fingerprints promise equal evaluations of the same answer.
    fn fingerprint(&self, question: &Question) -> anyhow::Result<String>;

    /// The phrases of `text` (as written, spaces collapsed) that earn credit on `question`, one
    /// per thing earned, each with the index of the unit of `text::analyse(text)` it comes from:
    /// what the adversarial [`probes`] deny and repeat.
    fn earning_phrases(&self, question: &Question, text: &str) -> Vec<(usize, String)>;

    /// A short phrase for each thing this judge looks for in answers to `question`, as a
    /// candidate gaming it would list them: the keyword-list probe of [`probes`].
    fn keywords(&self, question: &Question) -> Vec<String>;
}

/// A question prepared by a [`Judge`], evaluating any number of answers, from any thread.
pub trait Prepared: Send + Sync {
    /// Evaluates one answer to the prepared question.
    fn evaluate(&self, answer: &Answer) -> Evaluation;
}

/// Why a pack has no judge.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JudgeError {
    /// The pack's rubric does not compile (a validated pack's always does).
    #[error(transparent)]
    Rubric(#[from] RubricError),
}

/// The choice point: the judge that grades the answers to `pack`'s questions. Today that is
/// always the rubric engine with the pack's rubric ([`Pack::rubric`]); a second judge is chosen
/// here, and nowhere else.
pub fn for_pack(pack: &Pack) -> Result<Box<dyn Judge<'_> + '_>, JudgeError> {
    let rubric = pack.rubric().map_err(|e| JudgeError::Rubric(e.clone()))?;
    Ok(Box::new(RubricJudge::new(rubric)))
}

/// The judge of an answer to a question that belongs to no loaded pack: the default rubric.
pub fn fallback() -> Box<dyn Judge<'static>> {
    Box::new(RubricJudge::new(CompiledRubric::builtin()))
}
