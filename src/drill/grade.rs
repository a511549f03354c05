//! Grading one answers file: read it, load it against the bank, score each answer with its pack's
//! rubric, and check the thresholds.
//!
//! A [`Grader`] is built once per run and shared by every worker thread; it holds one judge per
//! pack ([`crate::judge::for_pack`]) and one prepared question per question, so nothing is
//! compiled per file. Every failure of a file (unreadable, too
//! large, malformed, unknown ids) becomes a [`FileOutcome::Broken`] carrying located diagnostics,
//! never an error that stops the run: one broken file in a cohort must not hide the others.

use std::path::Path;
use std::sync::OnceLock;

use super::discover::Found;
use super::threshold::Thresholds;
use super::{FileOutcome, Graded};
use crate::answers::{self, Item};
use crate::diag::Diagnostic;
use crate::judge::{self, Judge, Prepared};
use crate::pack::{Bank, Pack};
use crate::rubric::Evaluation;
use crate::yaml::MAX_FILE_BYTES;

/// Grades answers files against a bank.
pub struct Grader<'b> {
    bank: &'b Bank,
    /// Each pack's judge ([`judge::for_pack`]), in the bank's pack order.
    judges: Vec<Box<dyn Judge<'b> + 'b>>,
    /// Where each pack's questions start in `prepared`.
    offsets: Vec<usize>,
    /// A prepared question per question, prepared on first use and shared by every thread:
    /// preparing one compiles the question's own criteria, which would otherwise happen for
    /// every answer.
    prepared: Vec<OnceLock<Box<dyn Prepared + 'b>>>,
    thresholds: Thresholds,
    keep_answers: bool,
}

impl<'b> Grader<'b> {
    /// A grader for `bank`; fails when a pack has no judge (its rubric does not compile). `keep_answers` keeps
    /// each answer in its [`Graded`] (for `--record`); otherwise answers are dropped once scored,
    /// to keep memory flat.
    pub fn new(bank: &'b Bank, thresholds: Thresholds, keep_answers: bool) -> anyhow::Result<Self> {
        let mut judges = Vec::new();
        let mut offsets = Vec::new();
        let mut total = 0;
        for pack in bank.packs() {
            judges.push(judge::for_pack(pack).map_err(|e| {
                anyhow::anyhow!("cannot compile the rubric of pack `{}`: {e}", pack.meta.id)
            })?);
            offsets.push(total);
            total += pack.questions.len();
        }
        Ok(Grader {
            bank,
            judges,
            offsets,
            prepared: (0..total).map(|_| OnceLock::new()).collect(),
            thresholds,
            keep_answers,
        })
    }

    fn pack_index(&self, pack: &Pack) -> Option<usize> {
        self.bank.packs().iter().position(|p| std::ptr::eq(p, pack))
    }

    /// The judge that grades questions of `pack`.
    pub fn judge_of(&self, pack: &Pack) -> Option<&dyn Judge<'b>> {
        self.judges.get(self.pack_index(pack)?).map(|j| &**j)
    }

    /// Grades one file. Never fails: problems come back as [`FileOutcome::Broken`].
    pub fn grade(&self, found: &Found) -> FileOutcome<'b> {
        let source = found.shown.clone();
        if let Some(problem) = &found.problem {
            return FileOutcome::Broken {
                source,
                problems: problem.clone().into(),
            };
        }
        let bytes = match read_bounded(&found.path, &found.shown) {
            Ok(bytes) => bytes,
            Err(problem) => {
                return FileOutcome::Broken {
                    source,
                    problems: problem.into(),
                };
            }
        };
        match answers::load(&found.shown, &bytes, self.bank) {
            Err(problems) => FileOutcome::Broken { source, problems },
            Ok(loaded) => FileOutcome::Graded {
                source,
                candidate: loaded.candidate,
                answers: loaded
                    .items
                    .into_iter()
                    .map(|item| self.grade_item(item))
                    .collect(),
            },
        }
    }

    fn grade_item(&self, item: Item<'b>) -> Graded<'b> {
        let evaluation = self.score(&item);
        let shortfalls = self.thresholds.check(&evaluation);
        Graded {
            entry: item.entry,
            evaluation,
            shortfalls,
            follow_up_id: item.follow_up_id,
            answer: self.keep_answers.then_some(item.answer),
        }
    }

    fn score(&self, item: &Item<'b>) -> Evaluation {
        let (pack, question) = (item.entry.pack, item.entry.question);
        let Some(p) = self.pack_index(pack) else {
            // Items only come from this grader's bank; grading with the default judge keeps this
            // arm honest should that ever change.
            return judge::fallback().evaluate(question, &item.answer);
        };
        let judge = &self.judges[p];
        let q = pack
            .questions
            .iter()
            .position(|q| std::ptr::eq(q, question));
        match q.and_then(|q| self.prepared.get(self.offsets[p] + q)) {
            Some(slot) => slot
                .get_or_init(|| judge.prepare(question))
                .evaluate(&item.answer),
            None => judge.evaluate(question, &item.answer),
        }
    }
}

/// Reads a file, refusing one over the size limit before reading it all: a cohort directory may
/// hold a stray video, and it should cost a message, not the memory; only regular files are
/// read (see `crate::input`). `shown` names the file in the message.
pub(crate) fn read_bounded(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostic> {
    crate::input::read_file(path, shown, MAX_FILE_BYTES)
}
