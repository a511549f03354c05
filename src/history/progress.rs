//! Progress over weeks: per-dimension trend by day, the current level of each dimension, the
//! weakest one, the practice streak and which questions are due for review.
//!
//! Pure: the clock (`now`) and the time zone that decides where a day starts are passed in, so
//! the same history always gives the same summary. Every figure uses each attempt's current
//! scores (the newest rescore if any), so a rubric update does not put a false step in a trend.
//! A dimension's current level is the level of its current score under the rubric's documented
//! cut-offs, so the label printed beside a score is the one `score` would give it.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::record::Attempt;
use super::review::{self, DueQuestion, QuestionKey};
use crate::model::pack::Dimension;
use crate::rubric::LevelThresholds;

/// How many of the latest attempts make up the "current" level of a dimension: enough to smooth
/// out one lucky or unlucky answer, few enough to show change within a week of practice.
pub const CURRENT_WINDOW: usize = 5;

/// How many practice days the trend shows.
pub const TREND_DAYS: usize = 30;

/// The mean score of one dimension on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayScore {
    /// The local date.
    pub date: Date,
    /// Mean score that day, 0-1, rounded to 3 decimals.
    pub score: f64,
    /// Attempts that day.
    pub attempts: usize,
}

/// Progress of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionProgress {
    /// The dimension.
    pub dimension: Dimension,
    /// Level 1-4 of `current_score` under the rubric's cut-offs.
    pub current_level: u8,
    /// Mean score of the latest attempts, rounded to 3 decimals.
    pub current_score: f64,
    /// Mean score per practice day, oldest first, at most [`TREND_DAYS`] days.
    pub trend: Vec<DayScore>,
}

/// The whole progress summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// Attempts in the history.
    pub attempts: usize,
    /// Distinct questions attempted.
    pub questions: usize,
    /// Per dimension, in report order; a dimension never graded is left out.
    pub dimensions: Vec<DimensionProgress>,
    /// The dimension with the lowest current score (the first in report order on a tie).
    pub weakest: Option<Dimension>,
    /// Days in a row with at least one attempt, ending today, or yesterday when today has none
    /// yet (a streak is not lost before the day is over).
    pub streak_days: u32,
    /// How many questions of the bank are due for review now.
    pub due: usize,
    /// Those questions in review order, each with its due dimensions and since when.
    pub due_questions: Vec<DueQuestion>,
}

/// Summarises `attempts` as of `now`, counting days in `tz`; `bank` is the set of questions that
/// still exist, for the reviews due; `levels` are the cut-offs that turn a score into a level.
pub fn summarize(
    attempts: &[Attempt],
    now: Timestamp,
    tz: &TimeZone,
    bank: &[QuestionKey],
    levels: &LevelThresholds,
) -> Progress {
    let mut ordered: Vec<&Attempt> = attempts.iter().collect();
    ordered.sort_by_key(|a| a.id);
    let mut tally = Tally::new(tz);
    ordered.into_iter().for_each(|a| tally.add(a));
    tally.finish(now, bank, levels)
}

/// The progress summary built one attempt at a time, in id order, as the history is read: it
/// keeps running totals (the latest scores of each dimension, a sum per day, the practice days,
/// the review state per question) and never the attempts, so `rehearse progress` needs the same
/// memory for a history of ten attempts or of a million.
#[derive(Debug, Clone)]
pub struct Tally {
    tz: TimeZone,
    attempts: usize,
    questions: BTreeSet<QuestionKey>,
    dimensions: BTreeMap<Dimension, DimensionTally>,
    days: BTreeSet<Date>,
    schedule: review::Schedule,
}

#[derive(Debug, Clone, Default)]
struct DimensionTally {
    /// The latest [`CURRENT_WINDOW`] scores, oldest first.
    recent: std::collections::VecDeque<f64>,
    /// Sum and count of the scores per day.
    by_day: BTreeMap<Date, (f64, usize)>,
}

impl Tally {
    /// An empty tally counting days in `tz`.
    pub fn new(tz: &TimeZone) -> Self {
        Tally {
            tz: tz.clone(),
            attempts: 0,
            questions: BTreeSet::new(),
            dimensions: BTreeMap::new(),
            days: BTreeSet::new(),
            schedule: review::Schedule::default(),
        }
    }

    /// Takes the next attempt (by id) into account, with its current scores.
    pub fn add(&mut self, attempt: &Attempt) {
        self.attempts += 1;
        self.questions.insert(QuestionKey::of(attempt));
        self.schedule.add(attempt);
        let Ok(scores) = attempt.scores() else {
            return;
        };
        let day = attempt.recorded_at.to_zoned(self.tz.clone()).date();
        self.days.insert(day);
        for dimension in Dimension::ALL {
            let Some(d) = scores.dimensions.get(&dimension) else {
                continue;
            };
            let t = self.dimensions.entry(dimension).or_default();
            if t.recent.len() == CURRENT_WINDOW {
                t.recent.pop_front();
            }
            t.recent.push_back(d.grade.score);
            let e = t.by_day.entry(day).or_default();
            e.0 += d.grade.score;
            e.1 += 1;
        }
    }

    /// The summary as of `now`; `bank` and `levels` as for [`summarize`].
    pub fn finish(
        self,
        now: Timestamp,
        bank: &[QuestionKey],
        levels: &LevelThresholds,
    ) -> Progress {
        let mut dimensions = Vec::new();
        for dimension in Dimension::ALL {
            let Some(t) = self.dimensions.get(&dimension) else {
                continue;
            };
            let n = t.recent.len() as u32;
            let current_score = round3(t.recent.iter().sum::<f64>() / f64::from(n));
            // From the rounded score, so the printed figure and the label always agree.
            let current_level = levels.level(current_score);
            let skip = t.by_day.len().saturating_sub(TREND_DAYS);
            let trend = t
                .by_day
                .iter()
                .skip(skip)
                .map(|(date, (sum, count))| DayScore {
                    date: *date,
                    score: round3(sum / *count as f64),
                    attempts: *count,
                })
                .collect();
            dimensions.push(DimensionProgress {
                dimension,
                current_level,
                current_score,
                trend,
            });
        }
        let weakest = dimensions
            .iter()
            .min_by(|a, b| a.current_score.total_cmp(&b.current_score))
            .map(|d| d.dimension);

        let today = now.to_zoned(self.tz.clone()).date();
        let mut cursor = if self.days.contains(&today) {
            Some(today)
        } else {
            today.yesterday().ok().filter(|y| self.days.contains(y))
        };
        let mut streak_days = 0;
        while let Some(d) = cursor.filter(|d| self.days.contains(d)) {
            streak_days += 1;
            cursor = d.yesterday().ok();
        }

        let due_questions = self.schedule.due(now, bank);
        Progress {
            attempts: self.attempts,
            questions: self.questions.len(),
            dimensions,
            weakest,
            streak_days,
            due: due_questions.len(),
            due_questions,
        }
    }
}

/// Rounds to 3 decimals so JSON output is the same on every platform and run.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A sparkline of scores in 0..=1, one block character per value.
pub fn sparkline(scores: impl IntoIterator<Item = f64>) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    scores
        .into_iter()
        .map(|s| {
            let i = (s.clamp(0.0, 1.0) * 7.0).round() as usize;
            BLOCKS[i.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testing::{at, new_attempt};

    const DAY: i64 = 86_400;

    /// The built-in rubric's documented cut-offs.
    const LEVELS: LevelThresholds = LevelThresholds {
        emerging: 0.25,
        solid: 0.5,
        strong: 0.8,
    };

    fn history(list: &[(&str, i64, [u8; 4])]) -> Vec<Attempt> {
        list.iter()
            .enumerate()
            .map(|(i, (q, t, l))| new_attempt(q, at(*t), *l).with_id(i as u64 + 1))
            .collect()
    }

    #[test]
    fn summary_of_a_week() {
        let h = history(&[
            ("a", 0, [1, 2, 3, 4]),
            ("a", 3600, [2, 2, 3, 4]),
            ("b", 2 * DAY, [2, 1, 3, 4]),
            ("c", 3 * DAY, [3, 1, 3, 4]),
        ]);
        let bank = vec![QuestionKey::new("core", "a"), QuestionKey::new("core", "b")];
        let p = summarize(&h, at(3 * DAY + 60), &TimeZone::UTC, &bank, &LEVELS);
        assert_eq!((p.attempts, p.questions), (4, 3));
        assert_eq!(p.streak_days, 2, "days 2 and 3; day 1 had no attempt");
        let context = &p.dimensions[0];
        assert_eq!(context.dimension, Dimension::Context);
        // Scores 0.25, 0.5, 0.5, 0.75: mean 0.5, which is Solid by the cut-offs.
        assert_eq!((context.current_score, context.current_level), (0.5, 3));
        assert_eq!(
            context.trend.iter().map(|d| d.score).collect::<Vec<_>>(),
            [0.375, 0.5, 0.75]
        );
        assert_eq!(context.trend[0].attempts, 2);
        assert_eq!(p.weakest, Some(Dimension::TradeOffs));
        // a: context due after 2 days (level 2 at 01:00) -> due; b: trade-offs level 1 -> due.
        assert_eq!(p.due, 2);
        let due: Vec<(String, Vec<Dimension>)> = p
            .due_questions
            .iter()
            .map(|q| {
                let dims = q.dimensions.iter().map(|d| d.dimension).collect();
                (q.key.question.clone(), dims)
            })
            .collect();
        assert_eq!(
            due,
            [
                ("b".to_string(), vec![Dimension::TradeOffs]),
                (
                    "a".to_string(),
                    vec![Dimension::Context, Dimension::TradeOffs]
                )
            ]
        );
        assert_eq!(sparkline(context.trend.iter().map(|d| d.score)), "▄▅▆");
    }

    #[test]
    fn streak_survives_until_the_day_is_over_and_days_follow_the_time_zone() {
        let h = history(&[("a", 0, [3; 4]), ("a", DAY, [3; 4])]);
        assert_eq!(
            summarize(&h, at(2 * DAY), &TimeZone::UTC, &[], &LEVELS).streak_days,
            2
        );
        assert_eq!(
            summarize(&h, at(3 * DAY), &TimeZone::UTC, &[], &LEVELS).streak_days,
            0
        );
        // 09:00 UTC is 23:00 the day before at UTC-14, so the two attempts still fall on
        // consecutive local days and "now" (day 2, 09:00Z) is local day 1 evening.
        let far_west = TimeZone::fixed(jiff::tz::offset(-14));
        assert_eq!(
            summarize(&h, at(2 * DAY), &far_west, &[], &LEVELS).streak_days,
            2
        );
    }

    #[test]
    fn empty_history_has_no_dimensions() {
        let p = summarize(&[], at(0), &TimeZone::UTC, &[], &LEVELS);
        assert_eq!(p.dimensions, vec![]);
        assert_eq!((p.weakest, p.streak_days, p.due), (None, 0, 0));
    }

    #[test]
    fn current_level_is_the_level_of_the_current_score() {
        // 0.5 and 0.52 average to 0.51: Solid by the cut-offs, whatever the levels averaged.
        let mut h = history(&[("a", 0, [2; 4]), ("a", DAY, [2; 4])]);
        for (a, score) in h.iter_mut().zip([0.5, 0.52]) {
            a.evaluation["dimensions"]["context"]["score"] = serde_json::json!(score);
        }
        let p = summarize(&h, at(DAY), &TimeZone::UTC, &[], &LEVELS);
        assert_eq!(p.dimensions[0].current_score, 0.51);
        assert_eq!(p.dimensions[0].current_level, 3);
        assert_eq!(p.dimensions[1].current_level, 3, "0.5 is Solid too");
    }
}
