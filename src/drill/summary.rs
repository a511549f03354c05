//! The cohort summary of a drill, built one file at a time so memory does not grow with the
//! cohort: counts, the distribution of levels per dimension, the hardest questions, and the
//! rubric criteria that never fired.
//!
//! Only aggregates are kept (a few numbers per question and per criterion, both bounded by the
//! packs, not by the number of answers). Files are added in sorted order, so sums, and with them
//! the printed means, are the same on every run.

use std::collections::BTreeMap;

use serde::Serialize;

use super::threshold::Thresholds;
use super::{FileOutcome, Graded};
use crate::model::pack::{Dimension, PerDimension};
use crate::rubric::{Evaluation, Label, result::round3};

/// How many questions "hardest questions" lists.
pub const HARDEST: usize = 5;

/// Levels reached in one dimension (or overall), and the sum of scores for the mean.
#[derive(Debug, Clone, Default, PartialEq)]
struct LevelStats {
    counts: [usize; 4],
    score_sum: f64,
}

impl LevelStats {
    fn add(&mut self, level: u8, score: f64) {
        let i = usize::from(level.clamp(1, 4) - 1);
        self.counts[i] += 1;
        self.score_sum += score;
    }

    fn view(&self) -> LevelView {
        let n: usize = self.counts.iter().sum();
        LevelView {
            mean_score: if n == 0 {
                0.0
            } else {
                round3(self.score_sum / n as f64)
            },
            levels: LevelCounts {
                missing: self.counts[0],
                emerging: self.counts[1],
                solid: self.counts[2],
                strong: self.counts[3],
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
struct QuestionStats {
    title: String,
    answers: usize,
    score_sum: f64,
    below: usize,
}

#[derive(Debug, Clone)]
struct CriterionStats {
    title: String,
    dimension: Dimension,
    applicable: usize,
    fired: usize,
}

/// The running summary of a drill.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    thresholds: Thresholds,
    files: usize,
    graded_files: usize,
    broken_files: usize,
    answers: usize,
    below: usize,
    overall: LevelStats,
    dimensions: PerDimension<LevelStats>,
    questions: BTreeMap<String, QuestionStats>,
    criteria: BTreeMap<String, CriterionStats>,
}

impl Summary {
    /// An empty summary for a run with these thresholds.
    pub fn new(thresholds: Thresholds) -> Self {
        Summary {
            thresholds,
            ..Summary::default()
        }
    }

    /// Adds one file's outcome.
    pub fn add(&mut self, outcome: &FileOutcome) {
        self.files += 1;
        match outcome {
            FileOutcome::Broken { .. } => self.broken_files += 1,
            FileOutcome::Graded { answers, .. } => {
                self.graded_files += 1;
                for graded in answers {
                    self.add_answer(graded);
                }
            }
        }
    }

    fn add_answer(&mut self, graded: &Graded) {
        let eval = &graded.evaluation;
        self.answers += 1;
        let below = !graded.passed();
        if below {
            self.below += 1;
        }
        self.overall.add(eval.overall.level, eval.overall.score);
        for dimension in Dimension::ALL {
            let d = eval.dimension(dimension);
            self.dimensions[dimension].add(d.level, d.score);
        }
        let q = self
            .questions
            .entry(graded.entry.qualified_id())
            .or_default();
        if q.title.is_empty() {
            q.title.clone_from(&graded.entry.question.title);
        }
        q.answers += 1;
        q.score_sum += eval.overall.score;
        q.below += usize::from(below);
        self.add_criteria(eval);
    }

    fn add_criteria(&mut self, eval: &Evaluation) {
        for (dimension, result) in eval.dimensions.iter() {
            let seen = result
                .hits
                .iter()
                .map(|h| (&h.criterion, &h.title, true))
                .chain(
                    result
                        .misses
                        .iter()
                        .map(|m| (&m.criterion, &m.title, false)),
                );
            for (id, title, fired) in seen {
                let c = self
                    .criteria
                    .entry(id.clone())
                    .or_insert_with(|| CriterionStats {
                        title: title.clone(),
                        dimension,
                        applicable: 0,
                        fired: 0,
                    });
                c.applicable += 1;
                c.fired += usize::from(fired);
            }
        }
    }

    /// True when some file could not be graded.
    pub fn has_input_errors(&self) -> bool {
        self.broken_files > 0
    }

    /// True when some answer fell below a threshold.
    pub fn has_failures(&self) -> bool {
        self.below > 0
    }

    /// The finished summary in its documented shape (the `summary` object of `--format json`).
    pub fn report(&self) -> SummaryReport {
        let mut hardest: Vec<HardQuestion> = self
            .questions
            .iter()
            .map(|(id, q)| HardQuestion {
                question: id.clone(),
                title: q.title.clone(),
                answers: q.answers,
                mean_score: round3(q.score_sum / q.answers.max(1) as f64),
                below_threshold: q.below,
            })
            .collect();
        // Lowest mean first; the id breaks ties so equal means always list in the same order.
        hardest.sort_by(|a, b| {
            a.mean_score
                .total_cmp(&b.mean_score)
                .then_with(|| a.question.cmp(&b.question))
        });
        hardest.truncate(HARDEST);
        let mut never_fired: Vec<SilentCriterion> = self
            .criteria
            .iter()
            .filter(|(_, c)| c.fired == 0)
            .map(|(id, c)| SilentCriterion {
                criterion: id.clone(),
                title: c.title.clone(),
                dimension: c.dimension,
                applicable: c.applicable,
            })
            .collect();
        never_fired.sort_by(|a, b| {
            a.dimension
                .cmp(&b.dimension)
                .then_with(|| a.criterion.cmp(&b.criterion))
        });
        SummaryReport {
            files: self.files,
            graded_files: self.graded_files,
            broken_files: self.broken_files,
            answers: self.answers,
            passed: self.answers - self.below,
            below_threshold: self.below,
            thresholds: self.thresholds.clone(),
            overall: self.overall.view(),
            dimensions: PerDimension::from_fn(|d| self.dimensions[d].view()),
            hardest_questions: hardest,
            never_fired,
        }
    }
}

/// How many answers reached each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    /// Level 1.
    #[serde(rename = "Missing")]
    pub missing: usize,
    /// Level 2.
    #[serde(rename = "Emerging")]
    pub emerging: usize,
    /// Level 3.
    #[serde(rename = "Solid")]
    pub solid: usize,
    /// Level 4.
    #[serde(rename = "Strong")]
    pub strong: usize,
}

impl LevelCounts {
    /// The counts with their labels, lowest level first.
    pub fn iter(&self) -> [(Label, usize); 4] {
        [
            (Label::Missing, self.missing),
            (Label::Emerging, self.emerging),
            (Label::Solid, self.solid),
            (Label::Strong, self.strong),
        ]
    }
}

/// Mean score and level distribution of one dimension (or overall).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LevelView {
    /// Mean score, rounded to three decimals.
    pub mean_score: f64,
    /// Answers per level.
    pub levels: LevelCounts,
}

/// [`LevelView`] per dimension, in report order; in JSON, an object keyed by dimension id.
pub type DimensionViews = PerDimension<LevelView>;

/// A question the cohort found hard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardQuestion {
    /// `PACK/ID`.
    pub question: String,
    /// Its title.
    pub title: String,
    /// How many answers it got.
    pub answers: usize,
    /// Mean overall score.
    pub mean_score: f64,
    /// How many of its answers fell below a threshold.
    pub below_threshold: usize,
}

/// A rubric criterion that applied to some answers and was earned by none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SilentCriterion {
    /// Criterion id.
    pub criterion: String,
    /// What it rewards.
    pub title: String,
    /// Its dimension.
    pub dimension: Dimension,
    /// How many answers it applied to.
    pub applicable: usize,
}

/// The `summary` object: field order is the JSON order and part of the documented format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryReport {
    /// Answer files seen (graded or not).
    pub files: usize,
    /// Files graded.
    pub graded_files: usize,
    /// Files that could not be graded (input errors).
    pub broken_files: usize,
    /// Answers graded.
    pub answers: usize,
    /// Answers that hold every threshold.
    pub passed: usize,
    /// Answers below some threshold.
    pub below_threshold: usize,
    /// The thresholds applied.
    pub thresholds: Thresholds,
    /// Overall mean and level distribution.
    pub overall: LevelView,
    /// The same per dimension.
    pub dimensions: DimensionViews,
    /// Up to five questions with the lowest mean overall score, lowest first.
    pub hardest_questions: Vec<HardQuestion>,
    /// Criteria that applied to some answer and fired for none, by dimension then id.
    pub never_fired: Vec<SilentCriterion>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::drill::threshold::DimensionMin;
    use crate::pack::Bank;

    fn mini() -> Bank {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini.yaml");
        Bank::from_packs(vec![
            crate::pack::load::load_path(&path).expect("mini pack loads"),
        ])
    }

    fn graded<'b>(bank: &'b Bank, id: &str, text: &str, t: &Thresholds) -> Graded<'b> {
        let entry = bank.find(id).expect("question exists");
        let evaluation = crate::rubric::score_default(entry.question, &Answer::whole(text));
        Graded {
            entry,
            shortfalls: t.check(&evaluation),
            evaluation,
            follow_up_id: None,
            answer: None,
        }
    }

    const GOOD: &str = "First I would ask how stale a price may be and how much traffic the page \
        gets at peak. One option is a cache with a short time to live, which gains latency at the \
        cost of prices up to a minute old; the other is to fix the slow query, which keeps prices \
        exact but may miss the launch. I would choose the cache because the launch date matters \
        most, and revisit it if stale prices cost sales. The risk is a purge that fails silently, \
        so I would alert on cache age and tell support what to expect.";

    #[test]
    fn aggregates_levels_hardest_questions_and_silent_criteria() {
        let bank = mini();
        let t = Thresholds {
            min_level: Some(2),
            ..Thresholds::default()
        };
        let mut summary = Summary::new(t.clone());
        summary.add(&FileOutcome::Graded {
            source: "a.yaml".into(),
            candidate: None,
            answers: vec![
                graded(&bank, "cache-or-not", GOOD, &t),
                graded(&bank, "url-shortener", "Use Kafka.", &t),
            ],
        });
        summary.add(&FileOutcome::Broken {
            source: "b.yaml".into(),
            problems: crate::diag::Diagnostic::file("b.yaml", "file is empty").into(),
        });
        summary.add(&FileOutcome::Graded {
            source: "c.yaml".into(),
            candidate: Some("Cy".into()),
            answers: vec![graded(&bank, "cache-or-not", "I do not know.", &t)],
        });
        let r = summary.report();
        assert_eq!((r.files, r.graded_files, r.broken_files), (3, 2, 1));
        assert_eq!((r.answers, r.passed, r.below_threshold), (3, 1, 2));
        assert!(summary.has_input_errors() && summary.has_failures());
        let counted: usize = r.overall.levels.iter().iter().map(|(_, n)| n).sum();
        assert_eq!(counted, 3);
        for (_, view) in r.dimensions.iter() {
            assert_eq!(view.levels.iter().iter().map(|(_, n)| n).sum::<usize>(), 3);
        }
        // The shortener got one useless answer: it is the hardest, and listed first.
        assert_eq!(r.hardest_questions[0].question, "mini/url-shortener");
        assert_eq!(r.hardest_questions[1].answers, 2);
        assert!(r.hardest_questions[0].mean_score <= r.hardest_questions[1].mean_score);
        // Never fired: applied somewhere, earned nowhere; sorted by dimension then id.
        assert!(!r.never_fired.is_empty());
        for pair in r.never_fired.windows(2) {
            assert!(
                (pair[0].dimension, &pair[0].criterion) < (pair[1].dimension, &pair[1].criterion)
            );
        }
        let good = graded(&bank, "cache-or-not", GOOD, &t);
        for (_, result) in good.evaluation.dimensions.iter() {
            for hit in &result.hits {
                assert!(!r.never_fired.iter().any(|c| c.criterion == hit.criterion));
            }
        }
    }

    #[test]
    fn the_text_report_fits_a_terminal_and_keeps_its_lines_in_a_file() {
        use crate::export::Exporter as _;
        let bank = mini();
        let t = Thresholds::default();
        let mut summary = Summary::new(t.clone());
        for (source, text) in [("a.yaml", GOOD), ("b.yaml", "Use Kafka.")] {
            summary.add(&FileOutcome::Graded {
                source: source.into(),
                candidate: None,
                answers: vec![graded(&bank, "cache-or-not", text, &t)],
            });
        }
        let report = summary.report();
        let render = |style: crate::style::Style| {
            let mut out = Vec::new();
            crate::export::text::Text::new(style, false, false)
                .finish(&mut out, &report)
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        let narrow = render(crate::style::Style::PLAIN.with_width(Some(60)));
        let silent = narrow
            .split("Rubric criteria that never fired\n")
            .nth(1)
            .expect("the section is there");
        assert!(
            silent.contains("\n    "),
            "long lines continue indented: {silent}"
        );
        for line in silent.lines() {
            assert!(
                line.chars().count() <= 60,
                "{line:?} is wider than the terminal"
            );
        }
        // Not a terminal: one criterion per line, as before.
        let plain = render(crate::style::Style::PLAIN);
        let silent = plain.split("never fired\n").nth(1).unwrap();
        assert!(
            silent
                .lines()
                .all(|l| l.starts_with("  ") && !l.starts_with("    "))
        );
    }

    #[test]
    fn thresholds_compare_scores_as_printed() {
        let bank = mini();
        let mut g = graded(&bank, "cache-or-not", GOOD, &Thresholds::default());
        g.evaluation.overall.score = 0.699_6;
        let t = |min_score| Thresholds {
            min_score: Some(min_score),
            ..Thresholds::default()
        };
        assert!(
            t(0.7).check(&g.evaluation).is_empty(),
            "0.6996 prints as 0.700"
        );
        let short = t(0.701).check(&g.evaluation);
        assert_eq!(short[0].to_string(), "overall score 0.700 is below 0.701");
        g.evaluation.dimensions.context.level = 2;
        let t = Thresholds {
            min_level: Some(4),
            min: vec![DimensionMin {
                dimension: Dimension::Context,
                level: 3,
            }],
            ..Thresholds::default()
        };
        let shortfalls: Vec<String> = t
            .check(&g.evaluation)
            .iter()
            .map(|s| s.measure.clone())
            .collect();
        assert_eq!(shortfalls.last().map(String::as_str), Some("context level"));
        assert!(Thresholds::default().check(&g.evaluation).is_empty());
    }
}
