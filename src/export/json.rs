//! `--format json`: `{"results": [...], "errors": [...], "summary": {...}}`, documented in
//! `docs/json-output.md`.
//!
//! Each result is the rubric's evaluation object with `source` and `candidate` in front and the
//! threshold verdict (`passed`, `shortfalls`) behind. Results are written as they arrive, so the
//! document is streamed rather than built in memory; errors (files that could not be graded) are
//! spooled and written after the results. The layout matches `serde_json`'s pretty printer.

use std::io::{self, Write};

use serde::Serialize;

use super::{Exporter, Spool};
use crate::drill::summary::SummaryReport;
use crate::drill::{FileOutcome, Shortfall};
use crate::rubric::Evaluation;

/// One entry of `results`.
#[derive(Serialize)]
struct ResultJson<'a> {
    source: &'a str,
    candidate: Option<&'a str>,
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    passed: bool,
    shortfalls: &'a [Shortfall],
}

/// One entry of `errors`.
#[derive(Serialize)]
struct ErrorJson<'a> {
    source: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

/// Streams the JSON document.
#[derive(Default)]
pub struct Json {
    started: bool,
    results: usize,
    errors: usize,
    spool: Spool,
}

impl Json {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(b"{\n  \"results\": [")?;
        }
        Ok(())
    }
}

/// Writes `value` pretty-printed, each line indented by `indent` spaces (JSON strings never hold
/// a raw newline, so indenting by line is safe).
fn write_item(
    out: &mut dyn Write,
    first: bool,
    indent: usize,
    value: &impl Serialize,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    // Indented into one buffer and written at once: the writer is usually the report's safe
    // writer, which does its work per write, and an item has hundreds of lines.
    let pad = " ".repeat(indent);
    let mut indented = Vec::with_capacity(text.len() + text.len() / 8 + 2);
    indented.extend_from_slice(if first { b"\n" } else { b",\n" });
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            indented.push(b'\n');
        }
        indented.extend_from_slice(pad.as_bytes());
        indented.extend_from_slice(line.as_bytes());
    }
    out.write_all(&indented)
}

impl Exporter for Json {
    fn file(&mut self, out: &mut dyn Write, outcome: &FileOutcome<'_>) -> io::Result<()> {
        self.start(out)?;
        match outcome {
            FileOutcome::Graded {
                source,
                candidate,
                answers,
            } => {
                for graded in answers {
                    let item = ResultJson {
                        source,
                        candidate: candidate.as_deref(),
                        evaluation: &graded.evaluation,
                        passed: graded.passed(),
                        shortfalls: &graded.shortfalls,
                    };
                    write_item(out, self.results == 0, 4, &item)?;
                    self.results += 1;
                }
            }
            FileOutcome::Broken { problems, .. } => {
                for d in &problems.0 {
                    let item = ErrorJson {
                        source: &d.file,
                        line: d.pos.map(|p| p.line),
                        column: d.pos.map(|p| p.column),
                        message: &d.message,
                    };
                    write_item(&mut self.spool, self.errors == 0, 4, &item)?;
                    self.errors += 1;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &SummaryReport) -> io::Result<()> {
        self.start(out)?;
        out.write_all(if self.results == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"errors\": [")?;
        self.spool.replay(out)?;
        out.write_all(if self.errors == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"summary\": ")?;
        let text = serde_json::to_string_pretty(summary).map_err(io::Error::other)?;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.write_all(b"\n  ")?;
            }
            out.write_all(line.as_bytes())?;
        }
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::diag::{Diagnostic, Pos};
    use crate::drill::{Graded, Summary, Thresholds};
    use crate::pack::Bank;

    /// The whole document as `serde_json` would pretty-print it in one go.
    #[derive(Serialize)]
    struct Whole<'a> {
        results: Vec<ResultJson<'a>>,
        errors: Vec<ErrorJson<'a>>,
        summary: &'a SummaryReport,
    }

    #[test]
    fn streamed_document_matches_serde_json_pretty_printing() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini.yaml");
        let bank = Bank::from_packs(vec![crate::pack::load::load_path(&path).unwrap()]);
        let t = Thresholds {
            min_level: Some(3),
            ..Thresholds::default()
        };
        let graded = |id: &str, text: &str| {
            let entry = bank.find(id).unwrap();
            let evaluation = crate::rubric::score_default(entry.question, &Answer::whole(text));
            Graded {
                entry,
                shortfalls: t.check(&evaluation),
                evaluation,
                follow_up_id: None,
                answer: None,
            }
        };
        let outcomes = [
            FileOutcome::Graded {
                source: "a.yaml".into(),
                candidate: Some("Ada \"quoted\"\nname".into()),
                answers: vec![
                    graded(
                        "cache-or-not",
                        "I would ask how stale prices may be, then decide.",
                    ),
                    graded("json-prefs", "In hindsight I underestimated the growth."),
                ],
            },
            FileOutcome::Broken {
                source: "b.yaml".into(),
                problems: crate::diag::Diagnostics(vec![
                    Diagnostic::at("b.yaml", Pos::new(3, 5), "unknown field `txt`"),
                    Diagnostic::file("b.yaml", "second problem"),
                ]),
            },
        ];
        let mut summary = Summary::new(t.clone());
        let mut exporter = Json::default();
        let mut out = Vec::new();
        for o in &outcomes {
            summary.add(o);
            exporter.file(&mut out, o).unwrap();
        }
        let report = summary.report();
        exporter.finish(&mut out, &report).unwrap();

        let FileOutcome::Graded {
            source,
            candidate,
            answers,
        } = &outcomes[0]
        else {
            unreachable!("the first outcome is graded")
        };
        let FileOutcome::Broken { problems, .. } = &outcomes[1] else {
            unreachable!("the second outcome is broken")
        };
        let whole = Whole {
            results: answers
                .iter()
                .map(|g| ResultJson {
                    source,
                    candidate: candidate.as_deref(),
                    evaluation: &g.evaluation,
                    passed: g.passed(),
                    shortfalls: &g.shortfalls,
                })
                .collect(),
            errors: problems
                .0
                .iter()
                .map(|d| ErrorJson {
                    source: &d.file,
                    line: d.pos.map(|p| p.line),
                    column: d.pos.map(|p| p.column),
                    message: &d.message,
                })
                .collect(),
            summary: &report,
        };
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn an_empty_run_is_still_a_document() {
        let mut exporter = Json::default();
        let mut out = Vec::new();
        let report = Summary::new(Thresholds::default()).report();
        exporter.finish(&mut out, &report).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n  \"results\": [],\n  \"errors\": [],\n  \"summary\": {"));
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
    }
}
