//! Re-scoring stored attempts after a pack or rubric update, keeping the old scores.
//!
//! Questions are matched by pack id and stable question id, never by title or position, so a
//! pack update that reorders or retitles questions keeps its history. For each attempt the caller
//! says what the current packs make of it ([`Lookup`]): the question is gone (the attempt is
//! reported and kept as it is), nothing that scores it changed (skipped), or here is the new
//! evaluation. New evaluations are appended as rescore records; nothing is rewritten. Scoring
//! itself stays with the caller, so this module needs no rubric and its tests no packs.

use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::record::{Attempt, Grade, PackRef, Rescore, Scores};
use super::review::QuestionKey;
use super::store::{self, StoreError};

/// What the current packs make of one stored attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// No loaded pack has the question any more.
    Missing,
    /// Same pack version and same rubric fingerprint as the attempt's current scores.
    Unchanged,
    /// Scored again with the current pack and rubric.
    Scored {
        /// The pack and version used.
        pack: PackRef,
        /// Fingerprint of the rubric used.
        rubric_fingerprint: String,
        /// The new evaluation JSON.
        evaluation: serde_json::Value,
    },
}

/// What happened to one attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// New scores were recorded.
    Rescored,
    /// New scores would be recorded (dry run).
    WouldRescore,
    /// Nothing that scores it changed.
    Unchanged,
    /// Its question is in no loaded pack; the attempt is kept as it was.
    QuestionMissing,
}

/// The outcome for one attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Attempt id.
    pub attempt: u64,
    /// Its question.
    pub question: QuestionKey,
    /// What happened.
    pub status: Status,
    /// Overall grade before (its current scores until now).
    pub before: Option<Grade>,
    /// Overall grade after, when re-scored.
    pub after: Option<Grade>,
}

/// Re-scores every attempt that `lookup` scores anew, appending one rescore record each unless
/// `dry_run`. Outcomes are in attempt order. Stops at the first write error; rescores already
/// appended stay (each is complete on its own), and running again redoes only the rest, because
/// those attempts then carry the new fingerprint.
pub fn rescore_all(
    data_dir: &Path,
    attempts: &[Attempt],
    now: Timestamp,
    dry_run: bool,
    mut lookup: impl FnMut(&Attempt) -> Lookup,
) -> Result<Vec<Outcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        let before = attempt.scores().ok().map(|s| s.overall);
        let question = QuestionKey::of(attempt);
        let (status, after) = match lookup(attempt) {
            Lookup::Missing => (Status::QuestionMissing, None),
            Lookup::Unchanged => (Status::Unchanged, None),
            Lookup::Scored {
                pack,
                rubric_fingerprint,
                evaluation,
            } => {
                let after = Scores::from_evaluation(&evaluation)?.overall;
                if !dry_run {
                    store::append_rescore(
                        data_dir,
                        attempt.id,
                        Rescore {
                            rescored_at: now,
                            pack,
                            rubric_fingerprint,
                            evaluation,
                        },
                    )?;
                }
                let status = if dry_run {
                    Status::WouldRescore
                } else {
                    Status::Rescored
                };
                (status, Some(after))
            }
        };
        outcomes.push(Outcome {
            attempt: attempt.id,
            question,
            status,
            before,
            after,
        });
    }
    Ok(outcomes)
}

/// The pack version and rubric fingerprint an attempt's current scores were made with, to
/// compare with the current ones.
pub fn current_basis(attempt: &Attempt) -> (&PackRef, &str) {
    match attempt.rescored.last() {
        Some(r) => (&r.pack, &r.rubric_fingerprint),
        None => (&attempt.pack, &attempt.rubric_fingerprint),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testing::{at, evaluation, new_attempt};

    #[test]
    fn rescoring_appends_new_scores_keeps_old_ones_and_reports_missing_questions() {
        let dir = tempfile::tempdir().unwrap();
        for (q, levels) in [
            ("kept", [1, 1, 1, 1]),
            ("gone", [2, 2, 2, 2]),
            ("same", [3; 4]),
        ] {
            store::append(dir.path(), new_attempt(q, at(0), levels)).unwrap();
        }
        let history = store::load(dir.path()).unwrap();
        let lookup = |a: &Attempt| match a.question.as_str() {
            "kept" => Lookup::Scored {
                pack: PackRef::new("core", "1.1.0"),
                rubric_fingerprint: "fnv1a64:new".into(),
                evaluation: evaluation([4, 4, 4, 4]),
            },
            "gone" => Lookup::Missing,
            _ => Lookup::Unchanged,
        };

        let dry = rescore_all(dir.path(), &history.attempts, at(100), true, lookup).unwrap();
        assert_eq!(dry[0].status, Status::WouldRescore);
        assert_eq!(
            store::load(dir.path()).unwrap(),
            history,
            "a dry run writes nothing"
        );

        let out = rescore_all(dir.path(), &history.attempts, at(100), false, lookup).unwrap();
        let statuses: Vec<&Status> = out.iter().map(|o| &o.status).collect();
        assert_eq!(
            statuses,
            [
                &Status::Rescored,
                &Status::QuestionMissing,
                &Status::Unchanged
            ]
        );
        assert_eq!(out[0].after.as_ref().unwrap().level, 4);

        let after = store::load(dir.path()).unwrap();
        assert_eq!(
            after.attempts.len(),
            3,
            "nothing lost, the missing question's attempt too"
        );
        let kept = &after.attempts[0];
        assert_eq!(
            kept.evaluation, history.attempts[0].evaluation,
            "old scores kept"
        );
        assert_eq!(kept.rescored.len(), 1);
        assert_eq!(current_basis(kept).1, "fnv1a64:new");
        assert_eq!(current_basis(&after.attempts[1]).0.version, "1.0.0");
    }
}
