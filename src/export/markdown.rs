//! `--format markdown`: a report for people, ready to paste as a pull-request comment or to hand
//! to a mentor.
//!
//! The summary comes first (that is what a reviewer reads), then the cohort sections, then a
//! table per answers file with the missed criteria folded under `<details>`. Because the summary
//! needs the totals, the per-file sections are spooled and written after it. Everything taken
//! from an answer or a pack (titles, hints, names) is escaped, so an answer cannot inject markup
//! into the comment it is shown in.

use std::io::{self, Write};

use super::{Exporter, Spool, level_text};
use crate::drill::FileOutcome;
use crate::drill::summary::{LevelView, SummaryReport};
use crate::model::pack::Dimension;
use crate::plural::plural;
use crate::rubric::result::round3;

/// Writes the Markdown report.
#[derive(Default)]
pub struct Markdown {
    spool: Spool,
    /// Every missed criterion per answer, not only the three most worth adding.
    verbose: bool,
}

impl Markdown {
    /// A Markdown report; `verbose` lists every miss of every answer.
    pub fn new(verbose: bool) -> Self {
        Markdown {
            spool: Spool::default(),
            verbose,
        }
    }
}

/// Escapes text for inline Markdown (and table cells): markup characters get a backslash, angle
/// brackets become entities, and line breaks become spaces.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn level_row(name: &str, view: &LevelView) -> String {
    let counts: Vec<String> = view
        .levels
        .iter()
        .iter()
        .map(|(_, n)| n.to_string())
        .collect();
    format!(
        "| {name} | {:.3} | {} |",
        view.mean_score,
        counts.join(" | ")
    )
}

impl Exporter for Markdown {
    fn file(&mut self, _out: &mut dyn Write, outcome: &FileOutcome<'_>) -> io::Result<()> {
        let out = &mut self.spool;
        match outcome {
            FileOutcome::Graded {
                source,
                candidate,
                answers,
            } => {
                let who = candidate
                    .as_deref()
                    .map(|c| format!(" ({})", esc(c)))
                    .unwrap_or_default();
                writeln!(out, "\n### `{}`{who}\n", source.replace('`', "'"))?;
                let dims: Vec<&str> = Dimension::ALL.iter().map(|d| d.as_str()).collect();
                writeln!(
                    out,
                    "| question | overall | {} | result |",
                    dims.join(" | ")
                )?;
                writeln!(out, "|---|---|{}---|", "---|".repeat(dims.len()))?;
                for g in answers {
                    let e = &g.evaluation;
                    let dims: Vec<String> = Dimension::ALL
                        .iter()
                        .map(|&d| level_text(e.dimension(d).level))
                        .collect();
                    let result = if g.passed() {
                        "pass".to_string()
                    } else {
                        let reasons: Vec<String> =
                            g.shortfalls.iter().map(|s| esc(&s.to_string())).collect();
                        format!("**below**: {}", reasons.join("; "))
                    };
                    writeln!(
                        out,
                        "| `{}` {} | {:.3} {} | {} | {result} |",
                        g.entry.qualified_id(),
                        esc(&g.entry.question.title),
                        round3(e.overall.score),
                        e.overall.label,
                        dims.join(" | ")
                    )?;
                }
                for g in answers {
                    let e = &g.evaluation;
                    let all: Vec<(Dimension, &crate::rubric::Miss)> = e
                        .dimensions
                        .iter()
                        .flat_map(|(d, r)| r.misses.iter().map(move |m| (d, m)))
                        .collect();
                    let line = |d: Dimension, title: &str, hint: &str| {
                        format!("- **{}** ({}): {}", esc(title), d.as_str(), esc(hint))
                    };
                    // Brief: the three things the scorer ranks most worth adding, and a count.
                    let mut missed: Vec<String> = if self.verbose {
                        all.iter()
                            .map(|(d, m)| line(*d, &m.title, &m.hint))
                            .collect()
                    } else {
                        e.next
                            .iter()
                            .map(|n| line(n.dimension, &n.title, &n.hint))
                            .collect()
                    };
                    let left_out = crate::feedback::misses_beyond_next(e);
                    if !self.verbose && left_out > 0 {
                        missed.push(format!(
                            "- and {}; `--verbose` lists them",
                            plural(left_out, "more", "more")
                        ));
                    }
                    let flags: Vec<String> = e
                        .flags
                        .iter()
                        .map(|f| format!("- flag `{}`: {}", f.id, esc(&f.message)))
                        .collect();
                    if missed.is_empty() && flags.is_empty() {
                        continue;
                    }
                    writeln!(
                        out,
                        "\n<details><summary>{}: {} to add</summary>\n",
                        esc(&g.entry.qualified_id()),
                        all.len()
                    )?;
                    for line in missed.iter().chain(&flags) {
                        writeln!(out, "{line}")?;
                    }
                    writeln!(out, "\n</details>")?;
                }
            }
            FileOutcome::Broken { source, problems } => {
                writeln!(
                    out,
                    "\n### `{}`: not graded\n\n```text\n{}\n```",
                    source.replace('`', "'"),
                    problems.to_string().replace("```", "'''")
                )?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &SummaryReport) -> io::Result<()> {
        writeln!(out, "# Drill report\n")?;
        let mut line = format!(
            "**{}** in {}",
            plural(s.answers, "answer", "answers"),
            plural(s.graded_files, "file", "files")
        );
        if s.broken_files > 0 {
            line.push_str(&format!(
                ", **{} not graded** (input errors)",
                plural(s.broken_files, "file", "files")
            ));
        }
        writeln!(out, "{line}.  ")?;
        if s.thresholds.is_empty() {
            writeln!(out, "Thresholds: none set.")?;
        } else {
            writeln!(
                out,
                "Thresholds: `{}`: **{} passed, {} below**.",
                s.thresholds.describe(),
                s.passed,
                s.below_threshold
            )?;
        }
        if s.answers > 0 {
            writeln!(out, "\n## Levels\n")?;
            writeln!(
                out,
                "| | mean score | Missing | Emerging | Solid | Strong |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            writeln!(out, "{}", level_row("**overall**", &s.overall))?;
            for (d, view) in s.dimensions.iter() {
                writeln!(out, "{}", level_row(d.as_str(), view))?;
            }
        }
        if s.graded_files >= 2 {
            writeln!(out, "\n## Hardest questions\n")?;
            writeln!(out, "| question | answers | mean score | below threshold |")?;
            writeln!(out, "|---|---|---|---|")?;
            for q in &s.hardest_questions {
                writeln!(
                    out,
                    "| `{}` {} | {} | {:.3} | {} |",
                    q.question,
                    esc(&q.title),
                    q.answers,
                    q.mean_score,
                    q.below_threshold
                )?;
            }
            writeln!(out, "\n## Rubric criteria that never fired\n")?;
            if s.never_fired.is_empty() {
                writeln!(
                    out,
                    "None: every criterion was earned by at least one answer."
                )?;
            } else {
                writeln!(
                    out,
                    "Criteria no answer earned: a sign the teaching, or the rubric's patterns, \
                     need a look.\n"
                )?;
                for c in &s.never_fired {
                    writeln!(
                        out,
                        "- `{}` ({}): {}; applied to {}",
                        c.criterion,
                        c.dimension.as_str(),
                        esc(&c.title),
                        plural(c.applicable, "answer", "answers")
                    )?;
                }
            }
        }
        if !self.spool.is_empty() {
            writeln!(out, "\n## Answers")?;
            self.spool.replay(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup() {
        assert_eq!(
            esc("a|b <script> *x* [l](u)\nnext"),
            "a\\|b &lt;script&gt; \\*x\\* \\[l\\](u) next"
        );
    }
}
