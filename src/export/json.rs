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
    out.write_all(if first { b"\n" } else { b",\n" })?;
    let pad = " ".repeat(indent);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(pad.as_bytes())?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
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
