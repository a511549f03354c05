//! Spaced review per question and per rubric dimension: which questions should come back now,
//! weakest first. `docs/review.md` is the user-facing description of this schedule.
//!
//! Each (question, dimension) pair is its own review item, so a question whose trade-offs are
//! weak comes back soon even when its context-building is strong. The scheme is SM-2-like and
//! keyed on the rubric level (1-4) instead of a self-rated grade, because rehearse already grades
//! every answer. The `fsrs` crate (6.x) and `rs-fsrs` were evaluated (see `docs/review.md`):
//! `rs-fsrs` speaks `chrono` times where rehearse uses `jiff`; `fsrs` brings 43 crates at run
//! time, mostly for an optimizer rehearse has no review log to feed; and the memory model of
//! both is built for self-rated flash-card recall, not for a skill scored by a rubric.
//!
//! After each attempt the item's interval becomes:
//! - level 1 (Missing): 1 day; level 2 (Emerging): 2 days (a weak answer comes back quickly);
//! - level 3 (Solid): twice the previous interval, at least 4 days;
//! - level 4 (Strong): three times the previous interval, at least 7 days;
//! - but an attempt made before the item was due does not grow the interval (a good answer given
//!   twice in one evening proves less than one given a week later), it only keeps it;
//! - never more than 120 days.
//!
//! The item is due at the attempt's time plus the interval. A question is due when any of its
//! dimensions is due; due questions are ordered by the lowest level among their due dimensions,
//! then by how long they have been due, then by pack and question id, so the order is fully
//! determined by the history and the given `now`.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::record::Attempt;
use crate::model::pack::Dimension;

/// Longest interval between two reviews of one item.
pub const MAX_INTERVAL_DAYS: u32 = 120;

/// A question as history knows it: its pack id and its stable id in that pack.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct QuestionKey {
    /// Pack id.
    pub pack: String,
    /// Question id within the pack.
    pub question: String,
}

impl QuestionKey {
    /// A key from a pack id and a question id.
    pub fn new(pack: impl Into<String>, question: impl Into<String>) -> Self {
        QuestionKey {
            pack: pack.into(),
            question: question.into(),
        }
    }

    /// The key of a stored attempt.
    pub fn of(attempt: &Attempt) -> Self {
        QuestionKey::new(&attempt.pack.id, &attempt.question)
    }
}

impl std::fmt::Display for QuestionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.pack, self.question)
    }
}

/// The keys of every question in a loaded bank: the `bank` argument of [`due_questions`].
pub fn bank_keys(bank: &crate::pack::Bank) -> Vec<QuestionKey> {
    bank.entries()
        .map(|e| QuestionKey::new(&e.pack.meta.id, &e.question.id))
        .collect()
}

/// The review state of one (question, dimension) item after its latest attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemState {
    /// Level of the latest attempt, 1-4.
    pub level: u8,
    /// Days until the next review.
    pub interval_days: u32,
    /// Time of the latest attempt.
    pub last: Timestamp,
    /// When the item is due again.
    pub due: Timestamp,
}

/// One due dimension of a due question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueDimension {
    /// The dimension.
    pub dimension: Dimension,
    /// Its level at the latest attempt.
    pub level: u8,
    /// Since when it is due.
    pub due: Timestamp,
}

/// A question that should be reviewed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueQuestion {
    /// Which question.
    pub key: QuestionKey,
    /// Its due dimensions, weakest first (ties in report order).
    pub dimensions: Vec<DueDimension>,
}

impl DueQuestion {
    /// The lowest level among the due dimensions.
    pub fn weakest_level(&self) -> u8 {
        self.dimensions.iter().map(|d| d.level).min().unwrap_or(4)
    }

    /// When the earliest of its due dimensions became due.
    pub fn due_since(&self) -> Timestamp {
        self.dimensions
            .iter()
            .map(|d| d.due)
            .min()
            .unwrap_or(Timestamp::MAX)
    }
}

/// The review state of every (question, dimension) item in `attempts`, using each attempt's
/// current scores. Attempts are taken in id order, which is the order they were recorded.
pub fn schedule(attempts: &[Attempt]) -> BTreeMap<(QuestionKey, Dimension), ItemState> {
    let mut ordered: Vec<&Attempt> = attempts.iter().collect();
    ordered.sort_by_key(|a| a.id);
    let mut schedule = Schedule::default();
    ordered.into_iter().for_each(|a| schedule.add(a));
    schedule.items
}

/// The review state built one attempt at a time, in id order, as the history is read: it keeps
/// one state per (question, dimension), never the attempts.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    items: BTreeMap<(QuestionKey, Dimension), ItemState>,
}

impl Schedule {
    /// Takes the next attempt (by id) into account, with its current scores.
    pub fn add(&mut self, attempt: &Attempt) {
        // Records are validated when read; one that is not is left out of review rather than
        // failing it.
        let Ok(scores) = attempt.scores() else {
            return;
        };
        let key = QuestionKey::of(attempt);
        for (dimension, score) in &scores.dimensions {
            let level = score.grade.level;
            let previous = self.items.get(&(key.clone(), *dimension));
            let interval_days = next_interval(previous, level, attempt.recorded_at);
            let due = add_days(attempt.recorded_at, interval_days);
            self.items.insert(
                (key.clone(), *dimension),
                ItemState {
                    level,
                    interval_days,
                    last: attempt.recorded_at,
                    due,
                },
            );
        }
    }

    /// Questions of `bank` due for review at `now`; see [`due_questions`].
    pub fn due(&self, now: Timestamp, bank: &[QuestionKey]) -> Vec<DueQuestion> {
        let mut by_question: BTreeMap<QuestionKey, Vec<DueDimension>> = BTreeMap::new();
        for ((key, dimension), state) in &self.items {
            if state.due <= now && bank.contains(key) {
                by_question
                    .entry(key.clone())
                    .or_default()
                    .push(DueDimension {
                        dimension: *dimension,
                        level: state.level,
                        due: state.due,
                    });
            }
        }
        let mut due: Vec<DueQuestion> = by_question
            .into_iter()
            .map(|(key, mut dimensions)| {
                dimensions.sort_by_key(|d| (d.level, d.dimension));
                DueQuestion { key, dimensions }
            })
            .collect();
        due.sort_by(|a, b| {
            (a.weakest_level(), a.due_since(), &a.key).cmp(&(
                b.weakest_level(),
                b.due_since(),
                &b.key,
            ))
        });
        due
    }
}

/// The interval after an attempt at `level` made at `when`, given the item's previous state.
fn next_interval(previous: Option<&ItemState>, level: u8, when: Timestamp) -> u32 {
    let (factor, floor) = match level {
        0 | 1 => return 1,
        2 => return 2,
        3 => (2, 4),
        _ => (3, 7),
    };
    let interval = match previous {
        Some(p) if p.level >= 3 && when >= p.due => p.interval_days.saturating_mul(factor),
        Some(p) if p.level >= 3 => p.interval_days,
        _ => floor,
    };
    interval.max(floor).min(MAX_INTERVAL_DAYS)
}

fn add_days(t: Timestamp, days: u32) -> Timestamp {
    t.checked_add(SignedDuration::from_hours(i64::from(days) * 24))
        .unwrap_or(Timestamp::MAX)
}

/// The review state of the history in `data_dir`, built as the log is read record by record, so
/// `practice --review` holds one state per (question, dimension), never the history. The log is
/// in id order, as it was appended; damaged records are left out, as when reading it whole.
pub fn schedule_log(data_dir: &std::path::Path) -> Result<Schedule, super::store::StoreError> {
    let mut schedule = Schedule::default();
    super::read::each_quietly(data_dir, |attempt| schedule.add(&attempt))?;
    Ok(schedule)
}

/// Questions of `bank` due for review at `now`, in review order (see the module doc). Questions
/// never attempted are not due; attempted questions no longer in `bank` are left out.
pub fn due_questions(
    attempts: &[Attempt],
    now: Timestamp,
    bank: &[QuestionKey],
) -> Vec<DueQuestion> {
    let mut ordered: Vec<&Attempt> = attempts.iter().collect();
    ordered.sort_by_key(|a| a.id);
    let mut schedule = Schedule::default();
    ordered.into_iter().for_each(|a| schedule.add(a));
    schedule.due(now, bank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testing::{at, new_attempt};

    const DAY: i64 = 86_400;

    fn attempts(list: &[(&str, i64, [u8; 4])]) -> Vec<Attempt> {
        list.iter()
            .enumerate()
            .map(|(i, (q, t, l))| new_attempt(q, at(*t), *l).with_id(i as u64 + 1))
            .collect()
    }

    fn bank(ids: &[&str]) -> Vec<QuestionKey> {
        ids.iter().map(|q| QuestionKey::new("core", *q)).collect()
    }

    #[test]
    fn the_log_read_record_by_record_schedules_as_the_whole_history() {
        let dir = tempfile::tempdir().unwrap();
        let list = [
            ("a", 0, [1, 2, 3, 4]),
            ("b", DAY, [3, 3, 3, 3]),
            ("a", 2 * DAY, [2, 4, 4, 1]),
            ("c", 3 * DAY, [4, 4, 4, 4]),
        ];
        let new: Vec<_> = list
            .iter()
            .map(|(q, t, l)| new_attempt(q, at(*t), *l))
            .collect();
        crate::history::store::append_all(dir.path(), new).unwrap();
        let keys = bank(&["a", "b", "c"]);
        let whole = crate::history::store::load(dir.path()).unwrap();
        for now in [DAY, 5 * DAY, 30 * DAY] {
            let streamed = schedule_log(dir.path()).unwrap().due(at(now), &keys);
            assert_eq!(streamed, due_questions(&whole.attempts, at(now), &keys));
        }
        assert!(
            !schedule_log(dir.path())
                .unwrap()
                .due(at(30 * DAY), &keys)
                .is_empty()
        );
        // No history yet: nothing due, no error.
        let empty = tempfile::tempdir().unwrap();
        assert!(
            schedule_log(empty.path())
                .unwrap()
                .due(at(0), &keys)
                .is_empty()
        );
    }

    #[test]
    fn weak_levels_come_back_sooner() {
        let h = attempts(&[("q", 0, [1, 2, 3, 4])]);
        let s = schedule(&h);
        let days = |d| s[&(QuestionKey::new("core", "q"), d)].interval_days;
        assert_eq!(days(Dimension::Context), 1);
        assert_eq!(days(Dimension::TradeOffs), 2);
        assert_eq!(days(Dimension::Ownership), 4);
        assert_eq!(days(Dimension::Communication), 7);
    }

    #[test]
    fn intervals_grow_only_when_reviewed_on_time_and_reset_on_a_weak_answer() {
        let key = |s: &BTreeMap<_, ItemState>| {
            s[&(QuestionKey::new("core", "q"), Dimension::Context)].interval_days
        };
        // Solid at day 0 (4 days), solid again on day 1 (early: stays 4), on day 5 (8),
        // on day 13 (16), then missing (1).
        let mut list = vec![("q", 0, [3, 3, 3, 3])];
        let expected = [(DAY, 4), (5 * DAY, 8), (13 * DAY, 16)];
        for (t, want) in expected {
            list.push(("q", t, [3, 3, 3, 3]));
            assert_eq!(key(&schedule(&attempts(&list))), want, "at {t}");
        }
        list.push(("q", 40 * DAY, [1, 3, 3, 3]));
        assert_eq!(key(&schedule(&attempts(&list))), 1);
    }

    #[test]
    fn intervals_are_capped() {
        let list: Vec<(&str, i64, [u8; 4])> =
            (0..8).map(|i| ("q", i * 200 * DAY, [4, 4, 4, 4])).collect();
        let s = schedule(&attempts(&list));
        assert_eq!(
            s[&(QuestionKey::new("core", "q"), Dimension::Context)].interval_days,
            MAX_INTERVAL_DAYS
        );
    }

    #[test]
    fn due_order_is_weakest_first_then_longest_due_then_id() {
        let h = attempts(&[
            ("strong", 0, [4, 4, 4, 4]),
            ("emerging-early", 0, [4, 2, 4, 4]),
            ("emerging-late", DAY, [4, 4, 2, 4]),
            ("missing", 3 * DAY, [4, 4, 4, 1]),
            ("b-tie", DAY, [3, 3, 2, 3]),
            ("gone", 0, [1, 1, 1, 1]),
        ]);
        let now = at(5 * DAY);
        let due = due_questions(
            &h,
            now,
            &bank(&[
                "strong",
                "emerging-early",
                "emerging-late",
                "missing",
                "b-tie",
            ]),
        );
        let order: Vec<String> = due.iter().map(|d| d.key.question.clone()).collect();
        assert_eq!(
            order,
            ["missing", "emerging-early", "b-tie", "emerging-late"]
        );
        assert_eq!(due[0].dimensions[0].dimension, Dimension::Communication);
        // Same history, same clock: same answer.
        assert_eq!(
            due,
            due_questions(
                &h,
                now,
                &bank(&[
                    "strong",
                    "emerging-early",
                    "emerging-late",
                    "missing",
                    "b-tie"
                ])
            )
        );
    }

    #[test]
    fn rescored_attempts_are_reviewed_on_their_current_scores() {
        let mut h = attempts(&[("q", 0, [1, 1, 1, 1])]);
        let pack = h[0].pack.clone();
        h[0].rescored.push(crate::history::record::Rescore {
            rescored_at: at(10),
            pack,
            rubric_fingerprint: "fnv1a64:1".into(),
            evaluation: crate::history::testing::evaluation([4, 4, 4, 4]),
        });
        assert_eq!(due_questions(&h, at(2 * DAY), &bank(&["q"])), vec![]);
    }
}
