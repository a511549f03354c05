//! `--format text` (the default): feedback per answer exactly as a practice session shows it
//! (rendered by `feedback`), each followed by its threshold verdict, then a summary; for a cohort
//! the summary adds the level distribution per dimension, the hardest questions and the criteria
//! that never fired.

use std::io::{self, Write};

use super::Exporter;
use crate::drill::FileOutcome;
use crate::drill::summary::{LevelView, SummaryReport};
use crate::feedback::{self, Detail};
use crate::plural::plural;
use crate::safe_text::{Safe, SafeLine, clean_line};
use crate::style::Style;

/// Writes plain (or coloured) text.
pub struct Text {
    style: Style,
    /// Without thresholds every answer "passes", which is not worth a line per answer.
    thresholds_set: bool,
    detail: Detail,
}

impl Text {
    /// A text exporter in `style`; `thresholds_set` says whether any threshold was given;
    /// `verbose` lists every miss of every answer.
    pub fn new(style: Style, thresholds_set: bool, verbose: bool) -> Self {
        Text {
            style,
            thresholds_set,
            detail: if verbose {
                Detail::Full
            } else {
                Detail::Brief { more: "--verbose" }
            },
        }
    }

    fn bold(&self, text: &str) -> String {
        self.style.bold(text)
    }
}

fn distribution(view: &LevelView) -> String {
    view.levels
        .iter()
        .iter()
        .map(|(label, n)| format!("{label} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Exporter for Text {
    fn file(&mut self, out: &mut dyn Write, outcome: &FileOutcome<'_>) -> io::Result<()> {
        match outcome {
            FileOutcome::Graded {
                source,
                candidate,
                answers,
            } => {
                let who = candidate
                    .as_deref()
                    .map(|c| format!(" ({})", SafeLine(c)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}",
                    self.bold(&format!("== {}{who} ==", SafeLine(source)))
                )?;
                for graded in answers {
                    writeln!(out)?;
                    out.write_all(
                        feedback::render(&graded.evaluation, self.style, self.detail).as_bytes(),
                    )?;
                    if self.thresholds_set && graded.passed() {
                        writeln!(out, "\nResult: passes the thresholds")?;
                    } else if !graded.passed() {
                        let reasons: Vec<String> =
                            graded.shortfalls.iter().map(ToString::to_string).collect();
                        writeln!(out, "\nResult: BELOW THRESHOLD: {}", reasons.join("; "))?;
                    }
                }
                writeln!(out)?;
            }
            FileOutcome::Broken { source, problems } => {
                // The problems themselves go to stderr as FILE:LINE:COLUMN lines, where editors
                // and CI logs pick them up; here the report only marks the gap.
                writeln!(
                    out,
                    "{}\n",
                    self.bold(&format!(
                        "== {}: not graded, {} (listed on stderr) ==",
                        SafeLine(source),
                        plural(problems.0.len(), "problem", "problems")
                    ))
                )?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &SummaryReport) -> io::Result<()> {
        writeln!(out, "{}", self.bold("Summary"))?;
        let mut files = format!(
            "  {} in {}",
            plural(s.answers, "answer", "answers"),
            plural(s.graded_files, "file", "files")
        );
        if s.broken_files > 0 {
            files.push_str(&format!(
                "; {} not graded (input errors)",
                plural(s.broken_files, "file", "files")
            ));
        }
        writeln!(out, "{files}")?;
        if s.thresholds.is_empty() {
            writeln!(
                out,
                "  thresholds: none set, so no answer can fall below one"
            )?;
        } else {
            writeln!(
                out,
                "  thresholds: {}; {} passed, {} below",
                s.thresholds.describe(),
                s.passed,
                s.below_threshold
            )?;
        }
        if s.answers == 0 {
            return Ok(());
        }
        writeln!(
            out,
            "  {:<15}mean {:.3}  {}",
            "overall",
            s.overall.mean_score,
            distribution(&s.overall)
        )?;
        for (dimension, view) in s.dimensions.iter() {
            writeln!(
                out,
                "  {:<15}mean {:.3}  {}",
                dimension.as_str(),
                view.mean_score,
                distribution(view)
            )?;
        }
        // The cohort sections only say something when several files were graded.
        if s.graded_files < 2 {
            return Ok(());
        }
        writeln!(out, "\n{}", self.bold("Hardest questions"))?;
        // A table: ids differ in length, so every column is padded to its widest cell.
        let width = s
            .hardest_questions
            .iter()
            .map(|q| clean_line(&q.question).chars().count())
            .chain(["question".len()])
            .max()
            .unwrap_or(0);
        writeln!(
            out,
            "  {:<width$}  {:>5}  {:>7}  {:>5}  title",
            "question", "mean", "answers", "below"
        )?;
        for q in &s.hardest_questions {
            writeln!(
                out,
                "  {:<width$}  {:.3}  {:>7}  {:>5}  {}",
                SafeLine(&q.question),
                q.mean_score,
                q.answers,
                q.below_threshold,
                SafeLine(&q.title)
            )?;
        }
        writeln!(out, "\n{}", self.bold("Rubric criteria that never fired"))?;
        if s.never_fired.is_empty() {
            writeln!(
                out,
                "  none: every criterion was earned by at least one answer"
            )?;
        }
        for c in &s.never_fired {
            let line = format!(
                "  {} ({}): {}; applied to {}",
                SafeLine(&c.criterion),
                c.dimension.as_str(),
                Safe(&c.title),
                plural(c.applicable, "answer", "answers")
            );
            // On a terminal, filled to its width under the criterion (unchanged in a file).
            writeln!(out, "{}", self.style.fill(&line, "    "))?;
        }
        Ok(())
    }
}
