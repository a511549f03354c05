//! Output formats of `rehearse drill`, one small file each behind the [`Exporter`] trait.
//!
//! A drill hands each answers file's outcome to the exporter as soon as it is graded, in sorted
//! file order, then the cohort summary once at the end. Formats that put the summary last (text,
//! JSON) write straight through; formats whose header needs totals (JUnit's counts, the Markdown
//! report's summary on top, for a pull-request comment) spool the body to a [`Spool`] (memory
//! first, a temporary file past a megabyte) and write header then body at the end. Either way the
//! memory a drill holds does not grow with the cohort.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod text;

use std::io::{self, Seek, Write};

use crate::drill::summary::SummaryReport;
use crate::drill::{FileOutcome, Thresholds};
use crate::model::pack::Dimension;
use crate::rubric::Evaluation;
use crate::style::Style;

/// Receives a drill's results in order and writes one output format.
pub trait Exporter {
    /// One answers file's outcome, in sorted file order.
    fn file(&mut self, out: &mut dyn Write, outcome: &FileOutcome<'_>) -> io::Result<()>;
    /// The end of the run: the cohort summary.
    fn finish(&mut self, out: &mut dyn Write, summary: &SummaryReport) -> io::Result<()>;
}

/// The formats, as the library sees them (clap's `DrillFormat` maps onto this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Feedback per answer, then a summary.
    Text,
    /// One JSON document.
    Json,
    /// JUnit XML.
    Junit,
    /// A Markdown report.
    Markdown,
}

/// The exporter for `format`. `style` only affects text; `verbose` (every miss listed, not only
/// the three most worth adding) affects text and Markdown.
pub fn exporter(
    format: Format,
    style: Style,
    thresholds: &Thresholds,
    verbose: bool,
) -> Box<dyn Exporter> {
    match format {
        Format::Text => Box::new(text::Text::new(style, !thresholds.is_empty(), verbose)),
        Format::Json => Box::new(json::Json::default()),
        Format::Junit => Box::new(junit::Junit::default()),
        Format::Markdown => Box::new(markdown::Markdown::new(verbose)),
    }
}

/// Bytes of a spool kept in memory before it moves to a temporary file.
const SPOOL_MEMORY: usize = 1 << 20;

/// A write-then-replay buffer: in memory while small, on disk once large.
pub struct Spool {
    inner: tempfile::SpooledTempFile,
    empty: bool,
}

impl Default for Spool {
    fn default() -> Self {
        Spool {
            inner: tempfile::SpooledTempFile::new(SPOOL_MEMORY),
            empty: true,
        }
    }
}

impl Spool {
    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Copies everything written so far to `out`.
    pub fn replay(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.inner.flush()?;
        self.inner.rewind()?;
        io::copy(&mut self.inner, out)?;
        Ok(())
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !buf.is_empty() {
            self.empty = false;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `2 Emerging` style: a level with its label.
pub(crate) fn level_text(level: u8) -> String {
    format!("{level} {}", crate::rubric::Label::from_level(level))
}

/// One line with the overall result and each dimension's level, for compact reports.
pub(crate) fn levels_line(eval: &Evaluation) -> String {
    let dims: Vec<String> = Dimension::ALL
        .iter()
        .map(|&d| format!("{} {}", d.as_str(), level_text(eval.dimension(d).level)))
        .collect();
    format!(
        "overall {:.3} {}; {}",
        crate::rubric::result::round3(eval.overall.score),
        eval.overall.label,
        dims.join(", ")
    )
}

/// The criteria an answer missed, one `- [dimension] title: hint` line each, in report order.
pub(crate) fn missed_lines(eval: &Evaluation) -> Vec<String> {
    eval.dimensions
        .iter()
        .flat_map(|(d, r)| {
            r.misses
                .iter()
                .map(move |m| format!("- [{}] {}: {}", d.as_str(), m.title, m.hint))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spool_replays_what_was_written_even_past_memory() {
        let mut spool = Spool::default();
        assert!(spool.is_empty());
        let line = "x".repeat(1000) + "\n";
        for _ in 0..2_000 {
            spool.write_all(line.as_bytes()).unwrap();
        }
        let mut out = Vec::new();
        spool.replay(&mut out).unwrap();
        assert_eq!(out.len(), 2_000 * 1001);
        assert!(!spool.is_empty());
    }
}
