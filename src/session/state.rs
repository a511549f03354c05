//! The state of a practice session, as saved in its journal after every answer.
//!
//! Everything needed to continue after Ctrl-C lives here and nothing else: the seed and the plan
//! (so a resumed session asks the same questions with the same follow-ups), what each finished
//! question scored (for the closing summary), and the answers given so far to the question in
//! progress. The history module stores it without knowing its shape; [`JOURNAL_FORMAT`] guards
//! against reading a journal written by a build with a different idea of it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::plan::Planned;
use crate::answer::AnswerPart;
use crate::model::pack::{Dimension, Kind};

/// Version of this journal shape; a journal of another version is not resumed.
pub const JOURNAL_FORMAT: u32 = 1;

/// A session in progress.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SessionState {
    /// [`JOURNAL_FORMAT`] of the build that wrote it.
    pub journal_format: u32,
    /// The journal id (also the file name).
    pub id: String,
    /// The seed every choice of the session came from.
    pub seed: u64,
    /// The questions, in order, with their follow-ups.
    pub plan: Vec<Planned>,
    /// Finished questions, in plan order; the next question is `plan[results.len()]`.
    pub results: Vec<QuestionResult>,
    /// The question in progress, once anything of it has been answered or asked.
    pub current: Option<Progress>,
}

impl SessionState {
    /// A fresh session.
    pub fn new(id: String, seed: u64, plan: Vec<Planned>) -> Self {
        SessionState {
            journal_format: JOURNAL_FORMAT,
            id,
            seed,
            plan,
            results: Vec::new(),
            current: None,
        }
    }

    /// True when every planned question has a result.
    pub fn is_finished(&self) -> bool {
        self.results.len() >= self.plan.len()
    }
}

/// What has been said so far about the question in progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Progress {
    /// The investigation phase is over (or the question has none).
    pub investigation_done: bool,
    /// Questions asked to the coach in the investigation phase, in order.
    pub investigation: Vec<String>,
    /// Ids of the facts revealed, in the order they were first revealed.
    pub facts_uncovered: Vec<String>,
    /// Step answers given, in step order; a skipped step has empty text.
    pub parts: Vec<AnswerPart>,
    /// The follow-up answer, once given (empty when skipped).
    pub follow_up: Option<String>,
    /// Ids of the steps (or `investigation`, or the follow-up id) whose hint was shown.
    pub hints_used: Vec<String>,
    /// Seconds spent on the question in earlier sittings (before a quit and resume).
    pub elapsed_secs: u64,
    /// The past-budget note was shown, so it is not repeated.
    pub over_budget_noted: bool,
}

/// What a finished question scored, kept for the closing summary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct QuestionResult {
    /// `PACK/ID`.
    pub question: String,
    /// The question's kind.
    pub kind: Kind,
    /// Overall level, 1-4.
    pub overall: u8,
    /// Level per dimension, 1-4.
    pub levels: BTreeMap<Dimension, u8>,
    /// Criteria missed, per dimension: (criterion id, hint).
    pub misses: BTreeMap<Dimension, Vec<(String, String)>>,
}
