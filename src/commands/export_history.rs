//! `rehearse export`: the whole history as JSON or CSV, for sharing with a mentor or a bootcamp.
//!
//! `--anonymize` is for sharing scores without what was written: the candidate's name becomes a
//! stable pseudonym (`candidate-` and 8 hex digits of its hash, so one person's attempts still
//! group together), answer texts, follow-up answers and investigation questions are replaced by
//! word counts, and every `excerpt` (the words of the answer that the rubric quotes) is removed
//! from the evaluations. Ids, times, question ids, levels and scores stay.

use std::io::Write;

use serde::Serialize;

use crate::cli::{ExportArgs, ExportFormat};
use crate::history::read::{EachAttempt, open_log, warn};
use crate::history::record::{
    Attempt, FORMAT_VERSION, PackRef, Rescore, Scores, Source, fnv1a64_hex,
};
use crate::json_output;
use crate::model::pack::Dimension;
use crate::{Context, exit};

/// The JSON document `export --format json` prints.
#[derive(Debug, Serialize)]
pub struct Export {
    /// The history format version of the attempts.
    pub format_version: u32,
    /// Whether names and texts were left out.
    pub anonymized: bool,
    /// Every readable attempt, oldest first.
    pub attempts: Vec<ExportAttempt>,
}

/// Word count of one step's answer, for anonymized exports.
#[derive(Debug, Serialize)]
pub struct StepWords {
    /// Step id, `None` for a whole answer.
    pub step: Option<String>,
    /// Words written.
    pub words: usize,
}

/// One attempt in an export: the stored record, or its anonymized form.
#[derive(Debug, Serialize)]
pub struct ExportAttempt {
    /// Attempt id.
    pub id: u64,
    /// When it was scored.
    pub recorded_at: jiff::Timestamp,
    /// Which command recorded it.
    pub source: Source,
    /// Question id.
    pub question: String,
    /// Pack and version.
    pub pack: PackRef,
    /// Rubric fingerprint.
    pub rubric_fingerprint: String,
    /// Candidate name, or its pseudonym when anonymized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// The answer as given (not anonymized only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<crate::answer::Answer>,
    /// Words per step (anonymized only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_words: Option<Vec<StepWords>>,
    /// Follow-up question id.
    pub follow_up: Option<String>,
    /// Hints shown.
    pub hints_used: Vec<String>,
    /// Facts uncovered.
    pub facts_uncovered: Vec<String>,
    /// Seed.
    pub seed: Option<u64>,
    /// Seconds spent.
    pub time_taken_secs: Option<u64>,
    /// The original evaluation.
    pub evaluation: serde_json::Value,
    /// Later rescores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rescored: Vec<Rescore>,
}

impl ExportAttempt {
    /// The export form of `a`.
    pub fn new(a: &Attempt, anonymize: bool) -> Self {
        let mut evaluation = a.evaluation.clone();
        let mut rescored = a.rescored.clone();
        let (candidate, answer, answer_words) = if anonymize {
            strip_excerpts(&mut evaluation);
            for r in &mut rescored {
                strip_excerpts(&mut r.evaluation);
            }
            let mut words: Vec<StepWords> = a
                .answer
                .parts
                .iter()
                .map(|p| StepWords {
                    step: p.step.clone(),
                    words: p.text.split_whitespace().count(),
                })
                .collect();
            if let Some(f) = &a.answer.follow_up {
                words.push(StepWords {
                    step: Some(a.follow_up.clone().unwrap_or_else(|| "follow-up".into())),
                    words: f.split_whitespace().count(),
                });
            }
            (a.candidate.as_deref().map(pseudonym), None, Some(words))
        } else {
            (a.candidate.clone(), Some(a.answer.clone()), None)
        };
        ExportAttempt {
            id: a.id,
            recorded_at: a.recorded_at,
            source: a.source,
            question: a.question.clone(),
            pack: a.pack.clone(),
            rubric_fingerprint: a.rubric_fingerprint.clone(),
            candidate,
            answer,
            answer_words,
            follow_up: a.follow_up.clone(),
            hints_used: a.hints_used.clone(),
            facts_uncovered: a.facts_uncovered.clone(),
            seed: a.seed,
            time_taken_secs: a.time_taken_secs,
            evaluation,
            rescored,
        }
    }
}

/// A stable stand-in for a name: the same name always gives the same pseudonym.
pub fn pseudonym(name: &str) -> String {
    let hex = fnv1a64_hex(name.trim().as_bytes());
    format!("candidate-{}", &hex[..8])
}

/// Removes every `excerpt` field (quoted answer words) anywhere in an evaluation.
fn strip_excerpts(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("excerpt");
            map.values_mut().for_each(strip_excerpts);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_excerpts),
        _ => {}
    }
}

/// The JSON document of `export --format json` as it is written: the same fields as [`Export`],
/// with the attempts read from the history one at a time, once each, as they are serialised.
#[derive(Serialize)]
#[serde(bound = "")]
struct Streamed<'a, K: Fn(&Attempt) -> bool, F: Fn(Attempt) -> ExportAttempt> {
    format_version: u32,
    anonymized: bool,
    attempts: EachAttempt<'a, K, F>,
}

/// Runs `export`.
pub fn run(_ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut log = open_log()?;
    match args.format {
        ExportFormat::Json => {
            let anonymize = args.anonymize;
            let doc = Streamed {
                format_version: FORMAT_VERSION,
                anonymized: anonymize,
                attempts: EachAttempt::new(
                    &mut log,
                    |_| true,
                    move |a| ExportAttempt::new(&a, anonymize),
                ),
            };
            json_output::write_streamed(out, &doc)?;
        }
        ExportFormat::Csv => {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
            writeln!(out, "{}", csv_header())?;
            log.try_each(
                |a, _| {
                    csv_row(&mut out, &a, args.anonymize)?;
                    Ok::<_, anyhow::Error>(std::ops::ControlFlow::Continue(()))
                },
                warn,
            )?;
            out.flush()?;
        }
    }
    Ok(exit::SUCCESS)
}

/// The CSV header; one row per attempt follows, with its current (newest) scores: the attempt's
/// columns, a level and a score per dimension (in report order, as `csv_row` writes them), then
/// the rest.
pub fn csv_header() -> String {
    const BEFORE: [&str; 9] = [
        "id",
        "recorded_at",
        "source",
        "pack",
        "pack_version",
        "question",
        "candidate",
        "overall_level",
        "overall_score",
    ];
    const AFTER: [&str; 6] = [
        "rescored",
        "hints_used",
        "facts_uncovered",
        "time_taken_secs",
        "words",
        "rubric_fingerprint",
    ];
    let dimensions = Dimension::ALL.into_iter().flat_map(|d| {
        let id = d.as_str().replace('-', "_");
        [format!("{id}_level"), format!("{id}_score")]
    });
    BEFORE
        .into_iter()
        .map(str::to_string)
        .chain(dimensions)
        .chain(AFTER.into_iter().map(str::to_string))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
fn write_csv(out: &mut dyn Write, attempts: &[Attempt], anonymize: bool) -> anyhow::Result<()> {
    writeln!(out, "{}", csv_header())?;
    for a in attempts {
        csv_row(out, a, anonymize)?;
    }
    Ok(())
}

/// One attempt's CSV row, with its current (newest) scores.
fn csv_row(out: &mut dyn Write, a: &Attempt, anonymize: bool) -> anyhow::Result<()> {
    {
        let scores: Scores = a.scores()?;
        let candidate = match (&a.candidate, anonymize) {
            (Some(c), true) => pseudonym(c),
            (Some(c), false) => c.clone(),
            (None, _) => String::new(),
        };
        let mut row: Vec<String> = vec![
            a.id.to_string(),
            a.recorded_at.to_string(),
            a.source.to_string(),
            a.pack.id.clone(),
            a.pack.version.clone(),
            a.question.clone(),
            candidate,
            scores.overall.level.to_string(),
            format!("{:.3}", scores.overall.score),
        ];
        for d in Dimension::ALL {
            match scores.dimensions.get(&d) {
                Some(s) => {
                    row.push(s.grade.level.to_string());
                    row.push(format!("{:.3}", s.grade.score));
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        let words: usize = a
            .answer
            .parts
            .iter()
            .map(|p| p.text.split_whitespace().count())
            .sum::<usize>()
            + a.answer
                .follow_up
                .as_deref()
                .map_or(0, |f| f.split_whitespace().count());
        row.extend([
            a.rescored.len().to_string(),
            a.hints_used.len().to_string(),
            a.facts_uncovered.len().to_string(),
            a.time_taken_secs.map(|s| s.to_string()).unwrap_or_default(),
            words.to_string(),
            a.current_fingerprint().to_string(),
        ]);
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Quotes a cell when it holds a comma, a quote or a line break (RFC 4180).
fn csv_cell(text: &str) -> String {
    // A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) would be evaluated by a
    // spreadsheet that opens the export; a leading apostrophe keeps it text (OWASP's advice).
    // Numbers such as `-0.5` are not text cells here, so prefixing never alters a score.
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testing::{at, new_attempt};

    /// The header is derived from the dimensions, so it is pinned here as users' scripts read
    /// it, and every row has a cell under each of its columns.
    #[test]
    fn the_csv_header_names_every_column_a_row_fills() {
        assert_eq!(
            csv_header(),
            "id,recorded_at,source,pack,pack_version,question,candidate,overall_level,\
             overall_score,context_level,context_score,trade_offs_level,trade_offs_score,\
             ownership_level,ownership_score,communication_level,communication_score,rescored,\
             hints_used,facts_uncovered,time_taken_secs,words,rubric_fingerprint"
        );
        let mut csv = Vec::new();
        write_csv(
            &mut csv,
            &[new_attempt("q", at(0), [2; 4]).with_id(1)],
            false,
        )
        .unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], csv_header());
        assert_eq!(
            lines[1].split(',').count(),
            lines[0].split(',').count(),
            "{csv}"
        );
    }

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_cells_that_look_like_formulas_stay_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
    }

    #[test]
    fn anonymized_attempts_keep_scores_but_no_words_or_names() {
        let mut n = new_attempt("q", at(0), [3, 3, 3, 3]);
        n.candidate = Some("Jane Doe".into());
        n.answer.follow_up = Some("Secret plan here.".into());
        let a = n.with_id(1);
        let e = ExportAttempt::new(&a, true);
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("Jane"), "{text}");
        assert!(!text.contains("An answer to"), "{text}");
        assert!(!text.contains("Secret"), "{text}");
        assert!(!text.contains("excerpt"), "{text}");
        assert_eq!(e.candidate.as_deref(), Some(pseudonym("Jane Doe").as_str()));
        assert_eq!(e.answer_words.as_ref().unwrap()[1].words, 3);
        assert_eq!(
            Scores::from_evaluation(&e.evaluation)
                .unwrap()
                .level(Dimension::Context),
            Some(3)
        );
        let mut csv = Vec::new();
        write_csv(&mut csv, &[a], true).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with("1,2026-01-05T09:00:00Z,score,core,1.0.0,q,candidate-"),
            "{row}"
        );
        assert!(!csv.contains("Jane"));
    }
}
