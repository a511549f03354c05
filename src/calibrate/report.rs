//! The calibration report: scored answers with their human grades in, agreement per dimension,
//! the gaming and strong-answer checks, the largest disagreements and the threshold verdict out.
//!
//! Pure: rows are built by the command, and everything here is computed in input order with
//! explicit tie-breaks, so the same files give the same report byte for byte. Numbers are
//! rounded to three decimals before they are shown or serialised.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::Serialize;

use super::metrics::{self, LEVELS};
use crate::model::pack::{Dimension, Kind};
use crate::rubric::{Evaluation, Label, result::round3};

/// Version of the JSON object `rehearse calibrate --json` prints.
pub const FORMAT_VERSION: u32 = 1;

/// Highest level a gaming answer may reach in any dimension: Emerging.
pub const GAMING_CEILING: u8 = 2;

/// Disagreements the text report lists without `--verbose`.
pub const SHOWN_DISAGREEMENTS: usize = 10;

/// One graded answer with the engine's evaluation.
#[derive(Debug, Clone)]
pub struct Row {
    /// The file it came from, as named on the command line.
    pub file: String,
    /// The line its entry starts at.
    pub line: u32,
    /// The question id as shown: bare for a file's own questions, `PACK/ID` otherwise.
    pub question: String,
    /// Answers to the same question share a group (a file's own questions are its own).
    pub group: String,
    /// The question's kind.
    pub kind: Kind,
    /// The entry's tag, sanitised.
    pub tag: Option<String>,
    /// Written to game the scorer.
    pub gaming: bool,
    /// A strong answer.
    pub strong: bool,
    /// Expected level 1-4 per graded dimension.
    pub expected: BTreeMap<Dimension, u8>,
    /// The engine's evaluation.
    pub evaluation: Evaluation,
    /// The start of the answer, sanitised, for disagreement lists.
    pub excerpt: String,
}

impl Row {
    /// `FILE:LINE`, where the entry starts.
    fn place(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    fn tag_or_dash(&self) -> &str {
        self.tag.as_deref().unwrap_or("-")
    }
}

/// The whole report, as `--json` prints it (`docs/calibration-format.md`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The files read, in the order given.
    pub files: Vec<String>,
    /// Answers scored (after `--question` and `--kind`).
    pub answers: usize,
    /// Distinct questions among them.
    pub questions: usize,
    /// Agreement per graded dimension, in report order.
    pub dimensions: Vec<DimensionReport>,
    /// Gaming answers: are they held low?
    pub gaming: Check,
    /// Strong answers: is each the top answer of its question?
    pub strong: Check,
    /// Each kind of answer (by tag), the graders' mean level against the engine's, highest
    /// expected first: where the engine ranks a kind of answer too high or too low.
    pub by_tag: Vec<TagSummary>,
    /// Every (answer, dimension) whose engine level differs from the expected one, largest gap
    /// first.
    pub disagreements: Vec<Disagreement>,
    /// Thresholds missed (empty when all are met or none was given).
    pub missed: Vec<Miss>,
}

/// Agreement between engine and grades on one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionReport {
    /// The dimension.
    pub dimension: Dimension,
    /// Answers graded on it.
    pub answers: usize,
    /// Spearman between the engine's dimension score and the expected level; `null` when
    /// undefined.
    pub spearman: Option<f64>,
    /// Quadratic weighted kappa between engine level and expected level; `null` when undefined.
    pub kappa: Option<f64>,
    /// Share of answers at exactly the expected level.
    pub exact: Option<f64>,
    /// Share of answers within one level of it.
    pub within_one: Option<f64>,
    /// `confusion[expected - 1][engine - 1]`, levels Missing..Strong.
    pub confusion: [[u32; LEVELS]; LEVELS],
}

/// How one kind of answer fared, by tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagSummary {
    /// `strong` (a strong tag), `gaming` (a gaming answer), otherwise the tag's first
    /// dash-separated word (`good`, `mid`, `weak`, ...), or `-` for answers with no tag.
    pub kind: String,
    /// Answers of this kind.
    pub answers: usize,
    /// Per graded dimension: the mean expected level and the mean engine level, 1-4.
    pub dimensions: Vec<TagDimension>,
    /// The engine's mean overall score.
    pub overall: f64,
}

/// One dimension of a [`TagSummary`].
#[derive(Debug, Clone, Serialize)]
pub struct TagDimension {
    /// The dimension.
    pub dimension: Dimension,
    /// Answers of the kind graded on it.
    pub answers: usize,
    /// The graders' mean level, 1-4.
    pub expected: f64,
    /// The engine's mean level, 1-4.
    pub engine: f64,
}

/// A property some answers must hold, with the ones that do not.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Answers it applies to.
    pub total: usize,
    /// Answers that hold it.
    pub held: usize,
    /// The others, in input order.
    pub failures: Vec<Failure>,
}

/// An answer that fails a check, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The question id.
    pub question: String,
    /// The answer's tag.
    pub tag: Option<String>,
    /// `FILE:LINE` of the entry.
    pub at: String,
    /// The engine's overall score.
    pub score: f64,
    /// The engine's overall label.
    pub label: Label,
    /// What fails, one reason each.
    pub reasons: Vec<String>,
}

/// One answer whose engine level differs from the expected level on one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The question id.
    pub question: String,
    /// The answer's tag.
    pub tag: Option<String>,
    /// `FILE:LINE` of the entry.
    pub at: String,
    /// The dimension.
    pub dimension: Dimension,
    /// The expected level, 1-4.
    pub expected: u8,
    /// The engine's level, 1-4.
    pub got: u8,
    /// The engine's dimension score.
    pub score: f64,
    /// The start of the answer, sanitised.
    pub excerpt: String,
}

/// Thresholds a calibration run is held to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Thresholds {
    /// Lowest acceptable Spearman on every graded dimension.
    pub min_spearman: Option<f64>,
    /// Lowest acceptable quadratic weighted kappa on every graded dimension.
    pub min_kappa: Option<f64>,
    /// Lowest acceptable Spearman on one dimension, which must be graded.
    pub min: Vec<(Dimension, f64)>,
}

/// A threshold the run falls below.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// The dimension.
    pub dimension: Dimension,
    /// `spearman` or `kappa`.
    pub measure: &'static str,
    /// The value reached, `null` when undefined or not graded.
    pub actual: Option<f64>,
    /// The threshold.
    pub required: f64,
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.measure == "kappa" {
            "kappa"
        } else {
            "Spearman"
        };
        match self.actual {
            Some(v) => write!(
                f,
                "{} {name} {} is below {}",
                self.dimension,
                fixed(v),
                fixed(self.required)
            ),
            None => write!(
                f,
                "{} {name} is undefined (no graded answers, or no spread in grades or scores), \
                 required {}",
                self.dimension,
                fixed(self.required)
            ),
        }
    }
}

/// Builds the report of `rows` read from `files`, checked against `thresholds`.
pub fn build(files: Vec<String>, rows: &[Row], thresholds: &Thresholds) -> Report {
    let dimensions: Vec<DimensionReport> = Dimension::ALL
        .into_iter()
        .filter(|d| rows.iter().any(|r| r.expected.contains_key(d)))
        .map(|d| dimension_report(d, rows))
        .collect();
    let mut questions: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    questions.sort_unstable();
    questions.dedup();
    let mut report = Report {
        format_version: FORMAT_VERSION,
        files,
        answers: rows.len(),
        questions: questions.len(),
        dimensions,
        gaming: gaming_check(rows),
        strong: strong_check(rows),
        by_tag: by_tag(rows),
        disagreements: disagreements(rows),
        missed: Vec::new(),
    };
    report.missed = check(&report, thresholds);
    report
}

/// The kind an answer counts as in [`Report::by_tag`].
fn tag_kind(row: &Row) -> String {
    if row.strong {
        "strong".to_string()
    } else if row.gaming {
        "gaming".to_string()
    } else {
        row.tag
            .as_deref()
            .and_then(|t| t.trim().split('-').find(|w| !w.is_empty()))
            .map_or_else(|| "-".to_string(), str::to_lowercase)
    }
}

fn by_tag(rows: &[Row]) -> Vec<TagSummary> {
    let mut kinds: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        kinds.entry(tag_kind(row)).or_default().push(row);
    }
    let mut out: Vec<(f64, TagSummary)> = kinds
        .into_iter()
        .map(|(kind, rows)| {
            let dimensions: Vec<TagDimension> = Dimension::ALL
                .into_iter()
                .filter_map(|d| {
                    let graded: Vec<(u8, u8)> = rows
                        .iter()
                        .filter_map(|r| {
                            r.expected
                                .get(&d)
                                .map(|&l| (l, r.evaluation.dimension(d).level))
                        })
                        .collect();
                    let n = graded.len();
                    (n > 0).then(|| {
                        let mean = |f: fn(&(u8, u8)) -> u8| {
                            graded.iter().map(|g| f64::from(f(g))).sum::<f64>() / n as f64
                        };
                        TagDimension {
                            dimension: d,
                            answers: n,
                            expected: round3(mean(|g| g.0)),
                            engine: round3(mean(|g| g.1)),
                        }
                    })
                })
                .collect();
            let order = if dimensions.is_empty() {
                0.0
            } else {
                dimensions.iter().map(|d| d.expected).sum::<f64>() / dimensions.len() as f64
            };
            let overall =
                rows.iter().map(|r| r.evaluation.overall.score).sum::<f64>() / rows.len() as f64;
            (
                order,
                TagSummary {
                    kind,
                    answers: rows.len(),
                    dimensions,
                    overall: round3(overall),
                },
            )
        })
        .collect();
    // Highest expected first; the kind's name breaks ties, so the order never depends on input
    // order.
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.kind.cmp(&b.1.kind)));
    out.into_iter().map(|(_, t)| t).collect()
}

fn dimension_report(dimension: Dimension, rows: &[Row]) -> DimensionReport {
    let graded: Vec<(&Row, u8)> = rows
        .iter()
        .filter_map(|r| r.expected.get(&dimension).map(|&l| (r, l)))
        .collect();
    let expected: Vec<u8> = graded.iter().map(|(_, l)| *l).collect();
    let got: Vec<u8> = graded
        .iter()
        .map(|(r, _)| r.evaluation.dimension(dimension).level)
        .collect();
    let scores: Vec<f64> = graded
        .iter()
        .map(|(r, _)| r.evaluation.dimension(dimension).score)
        .collect();
    let grades: Vec<f64> = expected.iter().map(|&l| f64::from(l)).collect();
    let confusion = metrics::confusion(&expected, &got);
    let agreement = metrics::agreement(&expected, &got);
    DimensionReport {
        dimension,
        answers: graded.len(),
        spearman: metrics::spearman(&scores, &grades).map(round3),
        kappa: metrics::quadratic_kappa(&confusion).map(round3),
        exact: agreement.map(|a| round3(a.0)),
        within_one: agreement.map(|a| round3(a.1)),
        confusion,
    }
}

fn failure(row: &Row, reasons: Vec<String>) -> Failure {
    Failure {
        question: row.question.clone(),
        tag: row.tag.clone(),
        at: row.place(),
        score: round3(row.evaluation.overall.score),
        label: row.evaluation.overall.label,
        reasons,
    }
}

/// Gaming answers must score below every strong answer to their question overall, and no
/// higher than Emerging in any dimension the engine reports.
fn gaming_check(rows: &[Row]) -> Check {
    let mut check = Check {
        total: 0,
        held: 0,
        failures: Vec::new(),
    };
    for row in rows.iter().filter(|r| r.gaming) {
        check.total += 1;
        let mut reasons = Vec::new();
        let weakest_strong = rows
            .iter()
            .filter(|s| s.strong && s.group == row.group)
            .min_by(|a, b| {
                a.evaluation
                    .overall
                    .score
                    .total_cmp(&b.evaluation.overall.score)
            });
        if let Some(strong) = weakest_strong
            && row.evaluation.overall.score >= strong.evaluation.overall.score
        {
            reasons.push(format!(
                "overall {} is not below strong answer {} ({})",
                fixed(row.evaluation.overall.score),
                strong.tag_or_dash(),
                fixed(strong.evaluation.overall.score)
            ));
        }
        for (dimension, result) in row.evaluation.dimensions.iter() {
            if result.level > GAMING_CEILING {
                reasons.push(format!(
                    "{dimension} {} ({})",
                    result.label.as_str(),
                    fixed(result.score)
                ));
            }
        }
        if reasons.is_empty() {
            check.held += 1;
        } else {
            check.failures.push(failure(row, reasons));
        }
    }
    check
}

/// Strong answers must score above every answer to their question that is not strong.
fn strong_check(rows: &[Row]) -> Check {
    let mut check = Check {
        total: 0,
        held: 0,
        failures: Vec::new(),
    };
    for row in rows.iter().filter(|r| r.strong) {
        check.total += 1;
        // The best other answer; the earliest wins a tie, so the reason is stable.
        let best_other = rows
            .iter()
            .filter(|o| !o.strong && o.group == row.group)
            .fold(None::<&Row>, |best, o| match best {
                Some(b) if b.evaluation.overall.score >= o.evaluation.overall.score => Some(b),
                _ => Some(o),
            });
        match best_other {
            Some(other) if other.evaluation.overall.score >= row.evaluation.overall.score => {
                check.failures.push(failure(
                    row,
                    vec![format!(
                        "overall {} is not above {} ({}, {})",
                        fixed(row.evaluation.overall.score),
                        other.tag_or_dash(),
                        fixed(other.evaluation.overall.score),
                        other.place()
                    )],
                ));
            }
            _ => check.held += 1,
        }
    }
    check
}

fn disagreements(rows: &[Row]) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = rows
        .iter()
        .flat_map(|row| {
            row.expected
                .iter()
                .filter_map(move |(&dimension, &expected)| {
                    let result = row.evaluation.dimension(dimension);
                    (result.level != expected).then(|| Disagreement {
                        question: row.question.clone(),
                        tag: row.tag.clone(),
                        at: row.place(),
                        dimension,
                        expected,
                        got: result.level,
                        score: round3(result.score),
                        excerpt: row.excerpt.clone(),
                    })
                })
        })
        .collect();
    // Largest gap first; the sort is stable, so equal gaps keep input order.
    out.sort_by_key(|d| std::cmp::Reverse(d.expected.abs_diff(d.got)));
    out
}

/// Every threshold the report falls below, per dimension in report order.
pub fn check(report: &Report, thresholds: &Thresholds) -> Vec<Miss> {
    let mut missed = Vec::new();
    let mut test = |dimension: Dimension, measure, actual: Option<f64>, required: f64| {
        if actual.is_none_or(|a| a < required) {
            missed.push(Miss {
                dimension,
                measure,
                actual,
                required,
            });
        }
    };
    for d in &report.dimensions {
        if let Some(required) = thresholds.min_spearman {
            test(d.dimension, "spearman", d.spearman, required);
        }
        if let Some(required) = thresholds.min_kappa {
            test(d.dimension, "kappa", d.kappa, required);
        }
    }
    for &(dimension, required) in &thresholds.min {
        let actual = report
            .dimensions
            .iter()
            .find(|d| d.dimension == dimension)
            .and_then(|d| d.spearman);
        test(dimension, "spearman", actual, required);
    }
    missed
}

/// Parses a threshold on a correlation or kappa: a number from -1 to 1.
pub fn parse_measure(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (-1.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{value}` is not a number from -1 to 1, such as 0.8"
        )),
    }
}

/// Parses `--min DIMENSION=X`: a Spearman threshold on one dimension.
pub fn parse_dimension_min(value: &str) -> Result<(Dimension, f64), String> {
    let Some((name, x)) = value.split_once('=') else {
        return Err("expected DIMENSION=X, such as context=0.8".to_string());
    };
    let dimension = crate::drill::threshold::parse_dimension(name)?;
    Ok((dimension, parse_measure(x)?))
}

/// `1 answer`, `2 answers`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A number as printed: three decimals.
fn fixed(value: f64) -> String {
    format!("{:.3}", round3(value))
}

fn fixed_or_na(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), fixed)
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// The report as text: the summary first (the first lines are what a glance needs), then the
/// failing gaming and strong answers, the largest disagreements, and the confusion matrices.
/// `verbose` lists every disagreement instead of the largest few.
pub fn render_text(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "calibrate: {} to {} in {}",
        counted(report.answers, "answer"),
        counted(report.questions, "question"),
        counted(report.files.len(), "file")
    );
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>9} {:>7} {:>7} {:>9}",
        "dimension", "answers", "spearman", "kappa", "exact", "within 1"
    );
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>9} {:>7} {:>7} {:>9}",
            d.dimension.as_str(),
            d.answers,
            fixed_or_na(d.spearman),
            fixed_or_na(d.kappa),
            percent(d.exact),
            percent(d.within_one)
        );
    }
    let _ = writeln!(
        out,
        "gaming answers held low: {}/{} (below every strong answer overall, Emerging or below \
         in every dimension)",
        report.gaming.held, report.gaming.total
    );
    let _ = writeln!(
        out,
        "strong answers on top of their question: {}/{}",
        report.strong.held, report.strong.total
    );
    if report.missed.is_empty() {
        let _ = writeln!(out, "thresholds: met");
    } else {
        for miss in &report.missed {
            let _ = writeln!(out, "threshold missed: {miss}");
        }
    }
    render_failures(
        &mut out,
        "gaming answers not held low",
        &report.gaming.failures,
    );
    render_failures(
        &mut out,
        "strong answers not on top",
        &report.strong.failures,
    );
    render_by_tag(&mut out, report);
    let shown = if verbose {
        report.disagreements.len()
    } else {
        SHOWN_DISAGREEMENTS.min(report.disagreements.len())
    };
    if shown > 0 {
        let _ = writeln!(
            out,
            "\nlargest disagreements ({shown} of {}; expected -> engine):",
            report.disagreements.len()
        );
        for d in &report.disagreements[..shown] {
            let _ = writeln!(
                out,
                "  {:<14} {} -> {} ({})  {} {} ({})\n      \"{}\"",
                d.dimension.as_str(),
                Label::from_level(d.expected).as_str(),
                Label::from_level(d.got).as_str(),
                fixed(d.score),
                d.question,
                d.tag.as_deref().unwrap_or("-"),
                d.at,
                d.excerpt
            );
        }
    }
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "\n{} confusion (rows expected, columns engine):",
            d.dimension.title()
        );
        let _ = write!(out, "  {:<9}", "");
        for label in Label::ALL {
            let _ = write!(out, " {:>8}", label.as_str());
        }
        let _ = writeln!(out);
        for (label, row) in Label::ALL.iter().zip(&d.confusion) {
            let _ = write!(out, "  {:<9}", label.as_str());
            for count in row {
                let _ = write!(out, " {count:>8}");
            }
            let _ = writeln!(out);
        }
    }
    out
}

/// The per-kind table: for each kind of answer, the graders' mean level and the engine's per
/// dimension ("3.0 -> 2.4"), and the mean overall score.
fn render_by_tag(out: &mut String, report: &Report) {
    if report.by_tag.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nby kind of answer (tag; mean level, expected -> engine, 1 Missing .. 4 Strong):"
    );
    let _ = write!(out, "  {:<12} {:>7}", "kind", "answers");
    for d in &report.dimensions {
        let _ = write!(out, " {:>14}", d.dimension.as_str());
    }
    let _ = writeln!(out, " {:>8}", "overall");
    for t in &report.by_tag {
        let kind: String = t.kind.chars().take(12).collect();
        let _ = write!(out, "  {:<12} {:>7}", kind, t.answers);
        for d in &report.dimensions {
            let cell = t
                .dimensions
                .iter()
                .find(|x| x.dimension == d.dimension)
                .map_or_else(
                    || "-".to_string(),
                    |x| format!("{:.1} -> {:.1}", x.expected, x.engine),
                );
            let _ = write!(out, " {cell:>14}");
        }
        let _ = writeln!(out, " {:>8}", fixed(t.overall));
    }
}

fn render_failures(out: &mut String, title: &str, failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", failures.len());
    for f in failures {
        let _ = writeln!(
            out,
            "  {} {} ({}): {} {}; {}",
            f.question,
            f.tag.as_deref().unwrap_or("-"),
            f.at,
            f.label.as_str(),
            fixed(f.score),
            f.reasons.join("; ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::result::{DimensionResult, Dimensions, Overall, RESULT_FORMAT_VERSION};

    /// A dimension result at `score`, with the level the default thresholds would give.
    fn dim(score: f64, level: u8) -> DimensionResult {
        DimensionResult {
            score,
            level,
            label: Label::from_level(level),
            ..DimensionResult::empty()
        }
    }

    /// A row of question `q` with overall `score`, engine context `(score, level)`, the other
    /// dimensions Missing, and `expected` context level.
    fn row(line: u32, tag: &str, overall: f64, context: (f64, u8), expected: u8) -> Row {
        let evaluation = Evaluation {
            format_version: RESULT_FORMAT_VERSION,
            question: "q".into(),
            pack: "calibration".into(),
            kind: Kind::TradeOff,
            overall: Overall {
                score: overall,
                level: 1,
                label: Label::Missing,
            },
            dimensions: Dimensions {
                context: dim(context.0, context.1),
                trade_offs: DimensionResult::empty(),
                ownership: DimensionResult::empty(),
                communication: DimensionResult::empty(),
            },
            flags: Vec::new(),
            next: Vec::new(),
        };
        Row {
            file: "f.yaml".into(),
            line,
            question: "q".into(),
            group: "f.yaml#q".into(),
            kind: Kind::TradeOff,
            tag: Some(tag.into()),
            gaming: tag == "recital",
            strong: tag.starts_with("strong"),
            expected: BTreeMap::from([(Dimension::Context, expected)]),
            evaluation,
            excerpt: format!("answer {line}"),
        }
    }

    fn sample() -> Vec<Row> {
        vec![
            row(1, "strong-a", 0.8, (0.9, 4), 4),
            row(2, "strong-b", 0.5, (0.6, 3), 4),
            row(3, "mid", 0.6, (0.5, 3), 2),
            row(4, "recital", 0.55, (0.7, 3), 1),
            row(5, "recital", 0.1, (0.1, 1), 1),
        ]
    }

    #[test]
    fn each_kind_of_answer_shows_the_graders_mean_level_against_the_engines() {
        let report = build(vec!["f.yaml".into()], &sample(), &Thresholds::default());
        let kinds: Vec<&str> = report.by_tag.iter().map(|t| t.kind.as_str()).collect();
        // Highest expected first: strong (4), mid (2), gaming (1).
        assert_eq!(kinds, ["strong", "mid", "gaming"]);
        let strong = &report.by_tag[0];
        assert_eq!(strong.answers, 2);
        let context = &strong.dimensions[0];
        assert_eq!(context.dimension, Dimension::Context);
        assert_eq!((context.expected, context.engine), (4.0, 3.5));
        let gaming = &report.by_tag[2];
        assert_eq!(
            (gaming.dimensions[0].expected, gaming.dimensions[0].engine),
            (1.0, 2.0)
        );
        let text = render_text(&report, false);
        assert!(text.contains("by kind of answer"), "{text}");
        assert!(
            text.contains("  strong             2     4.0 -> 3.5"),
            "{text}"
        );
    }

    #[test]
    fn gaming_answers_must_stay_below_the_weakest_strong_answer_and_at_emerging() {
        let report = build(vec!["f.yaml".into()], &sample(), &Thresholds::default());
        assert_eq!((report.gaming.total, report.gaming.held), (2, 1));
        let failure = &report.gaming.failures[0];
        assert_eq!(failure.at, "f.yaml:4");
        assert_eq!(
            failure.reasons,
            [
                "overall 0.550 is not below strong answer strong-b (0.500)",
                "context Solid (0.700)"
            ]
        );
    }

    #[test]
    fn strong_answers_must_beat_every_other_answer_to_their_question() {
        let report = build(vec!["f.yaml".into()], &sample(), &Thresholds::default());
        assert_eq!((report.strong.total, report.strong.held), (2, 1));
        assert_eq!(report.strong.failures[0].at, "f.yaml:2");
        assert_eq!(
            report.strong.failures[0].reasons,
            ["overall 0.500 is not above mid (0.600, f.yaml:3)"]
        );
        // Answers to another question do not compete.
        let mut rows = sample();
        rows[2].group = "f.yaml#other".into();
        rows[3].group = "f.yaml#other".into();
        let report = build(vec![], &rows, &Thresholds::default());
        assert_eq!(report.strong.held, 2);
    }

    #[test]
    fn measures_and_disagreements_per_graded_dimension() {
        let report = build(vec!["f.yaml".into()], &sample(), &Thresholds::default());
        assert_eq!(report.dimensions.len(), 1, "only context is graded");
        let context = &report.dimensions[0];
        assert_eq!(context.answers, 5);
        assert_eq!(context.confusion[3], [0, 0, 1, 1]);
        assert_eq!(context.exact, Some(0.4));
        assert_eq!(context.within_one, Some(0.8));
        // Gap 2 (expected Missing, got Solid) first, then the gaps of 1 in input order.
        let order: Vec<(&str, u8, u8)> = report
            .disagreements
            .iter()
            .map(|d| (d.at.as_str(), d.expected, d.got))
            .collect();
        assert_eq!(
            order,
            [("f.yaml:4", 1, 3), ("f.yaml:2", 4, 3), ("f.yaml:3", 2, 3)]
        );
        assert_eq!(report.disagreements[0].excerpt, "answer 4");
    }

    #[test]
    fn thresholds_name_what_missed_and_undefined_measures_miss() {
        let rows = sample();
        let met = Thresholds {
            min_spearman: Some(0.0),
            min_kappa: Some(-1.0),
            min: vec![(Dimension::Context, 0.1)],
        };
        assert_eq!(build(vec![], &rows, &met).missed, []);
        let high = Thresholds {
            min_spearman: Some(0.99),
            min: vec![(Dimension::Ownership, 0.5)],
            ..Thresholds::default()
        };
        let missed = build(vec![], &rows, &high).missed;
        assert_eq!(missed.len(), 2, "{missed:?}");
        assert!(
            missed[0].to_string().starts_with("context Spearman 0.")
                && missed[0].to_string().ends_with("is below 0.990"),
            "{}",
            missed[0]
        );
        assert_eq!(
            missed[1].to_string(),
            "ownership Spearman is undefined (no graded answers, or no spread in grades or \
             scores), required 0.500"
        );
    }

    #[test]
    fn text_report_never_prints_nan_and_starts_with_the_summary() {
        // One answer: nothing is defined, and it says so.
        let rows = vec![row(1, "strong-a", 0.8, (0.9, 4), 4)];
        let text = render_text(
            &build(vec!["f.yaml".into()], &rows, &Thresholds::default()),
            false,
        );
        let first: Vec<&str> = text.lines().take(3).collect();
        assert_eq!(first[0], "calibrate: 1 answer to 1 question in 1 file");
        assert_eq!(
            first[2].split_whitespace().collect::<Vec<_>>(),
            ["context", "1", "n/a", "n/a", "100.0%", "100.0%"]
        );
        assert!(!text.contains("NaN"), "{text}");
    }

    #[test]
    fn measure_thresholds_parse_from_minus_one_to_one() {
        assert_eq!(parse_measure("0.85"), Ok(0.85));
        assert_eq!(parse_measure("-1"), Ok(-1.0));
        assert!(parse_measure("1.5").is_err());
        assert!(parse_measure("NaN").is_err());
        assert_eq!(
            parse_dimension_min("trade-offs=0.8"),
            Ok((Dimension::TradeOffs, 0.8))
        );
        assert!(parse_dimension_min("ownership").is_err());
    }
}
