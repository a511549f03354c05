//! Re-scoring stored attempts after a pack or rubric update, keeping the old scores.
//!
//! Questions are matched by pack id and stable question id, never by title or position, so a
//! pack update that reorders or retitles questions keeps its history. For each attempt the caller
//! says what the current packs make of it ([`Lookup`]): the question is gone (the attempt is
//! reported and kept as it is), nothing that scores it changed (skipped), or here is the new
//! evaluation. New evaluations are appended as rescore records; nothing is rewritten. Scoring
//! itself stays with the caller, so this module needs no rubric and its tests no packs.

use std::ops::ControlFlow;
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::record::{Attempt, Grade, PackRef, Rescore, Scores};
use super::review::QuestionKey;
use super::store::{self, Log, Problem, StoreError};

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

/// How many outcomes wait at most for their rescores to be written (and so to be reported):
/// one write and one sync per batch, and a bounded amount held, however long the history.
pub const BATCH: usize = 256;

/// How a re-scoring run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every attempt was looked at.
    Finished,
    /// `stop` asked to stop; every outcome reported so far is recorded.
    Stopped,
}

/// Re-scores every attempt of the log in `data_dir` that `lookup` scores anew, reading the log
/// record by record: attempts are looked up in id order as they are read, their rescores
/// appended in batches of at most [`BATCH`] (one write under one lock each, unless `dry_run`),
/// and each outcome is handed to `report` once what it says is recorded, so the memory used
/// does not grow with the history. Damaged records go to `problem` as they are met; `stop` is
/// asked after each attempt (Ctrl-C), and then what is pending is written and reported first.
///
/// Nothing already recorded is ever changed: on a write error the batch being written is cut
/// back, the error is returned, and every outcome reported before it stays true. Running again
/// redoes only the rest, because the attempts already done carry the new fingerprint. Lines
/// appended while it runs (its own rescores, another process's attempts) are not read: the log
/// reads what it held when it was opened.
pub fn rescore_log<E: From<StoreError>>(
    data_dir: &Path,
    now: Timestamp,
    dry_run: bool,
    mut lookup: impl FnMut(&Attempt) -> Lookup,
    problem: impl FnMut(Problem),
    mut report: impl FnMut(&[Outcome]) -> Result<(), E>,
    stop: impl Fn() -> bool,
) -> Result<Ended, E> {
    let mut log = Log::open(data_dir)?;
    log.unlock()?;
    let mut batch: Vec<(u64, Rescore)> = Vec::new();
    let mut pending: Vec<Outcome> = Vec::new();
    let mut flush = |batch: &mut Vec<(u64, Rescore)>, pending: &mut Vec<Outcome>| {
        store::append_rescores(data_dir, std::mem::take(batch))?;
        report(pending)?;
        pending.clear();
        Ok::<(), E>(())
    };
    let mut ended = Ended::Finished;
    log.try_each(
        |attempt, _| -> Result<ControlFlow<()>, E> {
            let (outcome, rescore) = outcome(&attempt, now, dry_run, &mut lookup)?;
            batch.extend(rescore.map(|r| (attempt.id, r)));
            pending.push(outcome);
            // Outcomes wait only while a rescore before them is unwritten, and then only until
            // a batch is full.
            let stopping = stop();
            if batch.is_empty() || pending.len() >= BATCH || stopping {
                flush(&mut batch, &mut pending)?;
            }
            if stopping {
                ended = Ended::Stopped;
                return Ok(ControlFlow::Break(()));
            }
            Ok(ControlFlow::Continue(()))
        },
        problem,
    )?;
    flush(&mut batch, &mut pending)?;
    Ok(ended)
}

/// What `lookup` makes of one attempt: its outcome, and the rescore to record unless `dry_run`.
fn outcome(
    attempt: &Attempt,
    now: Timestamp,
    dry_run: bool,
    lookup: &mut impl FnMut(&Attempt) -> Lookup,
) -> Result<(Outcome, Option<Rescore>), StoreError> {
    let before = attempt.scores().ok().map(|s| s.overall);
    let (status, after, rescore) = match lookup(attempt) {
        Lookup::Missing => (Status::QuestionMissing, None, None),
        Lookup::Unchanged => (Status::Unchanged, None, None),
        Lookup::Scored {
            pack,
            rubric_fingerprint,
            evaluation,
        } => {
            let after = Scores::from_evaluation(&evaluation)?.overall;
            if dry_run {
                (Status::WouldRescore, Some(after), None)
            } else {
                let rescore = Rescore {
                    rescored_at: now,
                    pack,
                    rubric_fingerprint,
                    evaluation,
                };
                (Status::Rescored, Some(after), Some(rescore))
            }
        }
    };
    let outcome = Outcome {
        attempt: attempt.id,
        question: QuestionKey::of(attempt),
        status,
        before,
        after,
    };
    Ok((outcome, rescore))
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

    /// Every outcome `rescore_log` reports, in order.
    fn run(
        dir: &Path,
        now: Timestamp,
        dry_run: bool,
        lookup: impl FnMut(&Attempt) -> Lookup,
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut all = Vec::new();
        let ended = rescore_log(
            dir,
            now,
            dry_run,
            lookup,
            |p| panic!("{p}"),
            |o: &[Outcome]| {
                all.extend_from_slice(o);
                Ok::<(), StoreError>(())
            },
            || false,
        )?;
        assert_eq!(ended, Ended::Finished);
        Ok(all)
    }

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

        let dry = run(dir.path(), at(100), true, lookup).unwrap();
        assert_eq!(dry[0].status, Status::WouldRescore);
        assert_eq!(
            store::load(dir.path()).unwrap(),
            history,
            "a dry run writes nothing"
        );

        let out = run(dir.path(), at(100), false, lookup).unwrap();
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

    /// What the current packs make of attempt `id` in the tests below: a mix of every case.
    fn mixed(a: &Attempt) -> Lookup {
        match a.id % 5 {
            0 | 3 => Lookup::Scored {
                pack: PackRef::new("core", "2.0.0"),
                rubric_fingerprint: format!("fnv1a64:{}", a.id % 3),
                evaluation: evaluation([(a.id % 4) as u8 + 1; 4]),
            },
            1 => Lookup::Missing,
            _ => Lookup::Unchanged,
        }
    }

    fn history_of(dir: &Path, count: u64) {
        let attempts = (0..count)
            .map(|i| new_attempt(&format!("q{}", i % 7), at(i as i64), [2; 4]))
            .collect();
        store::append_all(dir, attempts).unwrap();
    }

    /// The streamed run gives exactly what the run over the whole history gave before it read
    /// record by record (everything loaded, then each attempt looked up and its rescore appended
    /// on its own): the same outcomes, and a log that is the same byte for byte.
    #[test]
    fn streaming_gives_the_outcomes_and_the_log_of_the_whole_history_run() {
        let streamed = tempfile::tempdir().unwrap();
        let whole = tempfile::tempdir().unwrap();
        let count = 3 * BATCH as u64 + 17;
        history_of(streamed.path(), count);
        history_of(whole.path(), count);

        let mut expected = Vec::new();
        for a in store::load(whole.path()).unwrap().attempts {
            let (outcome, rescore) = outcome(&a, at(9_000), false, &mut mixed).unwrap();
            if let Some(r) = rescore {
                store::append_rescores(whole.path(), vec![(a.id, r)]).unwrap();
            }
            expected.push(outcome);
        }

        let outcomes = run(streamed.path(), at(9_000), false, mixed).unwrap();
        assert_eq!(outcomes, expected);
        let log = |d: &tempfile::TempDir| std::fs::read(store::history_path(d.path())).unwrap();
        assert!(log(&streamed) == log(&whole), "the logs differ");
    }

    /// Attempts are looked up as they are read and reported as soon as their rescores are
    /// written, a batch at a time: a damaged record in the middle is met between the attempts
    /// around it, and outcomes are reported long before the last attempt is looked up. A run that
    /// read the whole history first would meet the damage before any lookup.
    #[test]
    fn attempts_are_looked_up_as_they_are_read_and_reported_a_batch_at_a_time() {
        #[derive(Debug, PartialEq)]
        enum Event {
            Lookup(u64),
            Problem(usize),
            Report(usize),
        }
        let dir = tempfile::tempdir().unwrap();
        let count = 2 * BATCH as u64;
        history_of(dir.path(), count / 2);
        let path = store::history_path(dir.path());
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, b"damaged\n").unwrap();
        drop(file);
        history_of(dir.path(), count / 2);

        let events = std::cell::RefCell::new(Vec::new());
        let ended = rescore_log(
            dir.path(),
            at(9_000),
            false,
            |a| {
                events.borrow_mut().push(Event::Lookup(a.id));
                mixed(a)
            },
            |p| events.borrow_mut().push(Event::Problem(p.line)),
            |o: &[Outcome]| {
                assert!(!o.is_empty() && o.len() <= BATCH, "{} at once", o.len());
                events.borrow_mut().push(Event::Report(o.len()));
                Ok::<(), StoreError>(())
            },
            || false,
        )
        .unwrap();
        assert_eq!(ended, Ended::Finished);
        let events = events.into_inner();
        let at = |e: &Event| events.iter().position(|x| x == e).unwrap();
        let damaged = at(&Event::Problem(count as usize / 2 + 1));
        assert!(at(&Event::Lookup(count / 2)) < damaged, "{events:?}");
        assert!(damaged < at(&Event::Lookup(count / 2 + 1)), "{events:?}");
        let first_report = events
            .iter()
            .position(|e| matches!(e, Event::Report(_)))
            .unwrap();
        assert!(first_report < at(&Event::Lookup(2)), "{events:?}");
        let reported: usize = events
            .iter()
            .map(|e| if let Event::Report(n) = e { *n } else { 0 })
            .sum();
        assert_eq!(reported as u64, count);
    }

    /// Stopped (Ctrl-C) part way: what was reported is recorded, and nothing else is.
    #[test]
    fn a_stopped_run_has_recorded_exactly_what_it_reported() {
        let dir = tempfile::tempdir().unwrap();
        history_of(dir.path(), 50);
        let looked = std::cell::Cell::new(0);
        let mut reported = Vec::new();
        let ended = rescore_log(
            dir.path(),
            at(9_000),
            false,
            |a| {
                looked.set(looked.get() + 1);
                mixed(a)
            },
            |p| panic!("{p}"),
            |o: &[Outcome]| {
                reported.extend_from_slice(o);
                Ok::<(), StoreError>(())
            },
            || looked.get() == 20,
        )
        .unwrap();
        assert_eq!(ended, Ended::Stopped);
        assert_eq!(reported.len(), 20);
        let rescored: Vec<u64> = reported
            .iter()
            .filter(|o| o.status == Status::Rescored)
            .map(|o| o.attempt)
            .collect();
        let after = store::load(dir.path()).unwrap();
        let recorded: Vec<u64> = after
            .attempts
            .iter()
            .filter(|a| !a.rescored.is_empty())
            .map(|a| a.id)
            .collect();
        assert_eq!(recorded, rescored);
    }
}
