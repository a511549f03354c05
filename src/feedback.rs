//! Human-readable feedback for an [`Evaluation`], as `score`, `practice`, `drill` and
//! `history show` print it.
//!
//! It leads with what the answer covered (each criterion with the quoted words that earned it),
//! penalties and flags, then the three things most worth adding next time; the level comes
//! second, as a bar. A weak answer misses two dozen criteria, and listing each with its hint
//! buries the three that matter, so by default ([`Detail::Brief`]) the other misses are only
//! counted, with the way to see them (`/more`, `--verbose`); [`Detail::Full`] lists them all.
//! Colour and width come from the [`Style`] the caller passes, so this module never looks at
//! the environment and tests can compare plain, coloured and wrapped renderings. Every string
//! that came from a pack or an answer (titles, hints, quotes, messages) is cleaned here, where it
//! is put into a line, not left to the output's safe writer: under `--color always` that writer
//! lets rehearse's own colour sequences through, and a pack could spell one.

use std::fmt::Write as _;

use crate::model::pack::Dimension;
use crate::rubric::{DimensionResult, Evaluation, Label};
use crate::safe_text::{Safe, SafeLine, clean, clean_line};
use crate::style::{Paint, Style};

/// Width of the level bar in cells (one per level).
const BAR_CELLS: u8 = 4;

/// Width of the dimension-name column, so the bars line up.
const NAME_COLUMN: usize = 17;

/// How much of the evaluation to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// What was covered, penalties, flags and the three things to add; the other misses are
    /// counted, and `more` (say "/more" or "--verbose") tells how to see them.
    Brief {
        /// How the reader asks for the full list, as it would be typed.
        more: &'static str,
    },
    /// Every miss with its hint.
    Full,
}

fn label_paint(label: Label) -> Paint {
    match label {
        Label::Missing => Paint::Bad,
        Label::Emerging => Paint::Warn,
        Label::Solid => Paint::Accent,
        Label::Strong => Paint::Good,
    }
}

/// `[###.]`: one cell per level reached.
pub fn level_bar(level: u8) -> String {
    let filled = level.min(BAR_CELLS);
    let mut bar = String::from("[");
    for i in 0..BAR_CELLS {
        bar.push(if i < filled { '#' } else { '.' });
    }
    bar.push(']');
    bar
}

/// Renders the evaluation in `style` with as much `detail` as asked.
pub fn render(eval: &Evaluation, style: Style, detail: Detail) -> String {
    let mut out = String::new();
    let overall = format!(
        "{} {} {:.2}",
        level_bar(eval.overall.level),
        eval.overall.label,
        eval.overall.score
    );
    let _ = writeln!(
        out,
        "{}  ({}, pack {})",
        style.bold(&clean_line(&eval.question)),
        eval.kind,
        SafeLine(&eval.pack)
    );
    let _ = writeln!(
        out,
        "Overall  {}",
        style.paint(&overall, label_paint(eval.overall.label))
    );
    let full = detail == Detail::Full;
    for (dimension, result) in eval.dimensions.iter() {
        out.push('\n');
        render_dimension(&mut out, dimension, result, style, full);
    }
    if !eval.flags.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Flags"));
        for flag in &eval.flags {
            let mut line = format!(
                "  {} {}: {}",
                style.paint("!", Paint::Bad),
                SafeLine(&flag.id),
                Safe(&flag.message)
            );
            if let Some(excerpt) = &flag.excerpt {
                let _ = write!(line, " \"{}\"", Safe(excerpt));
            }
            let _ = writeln!(out, "{}", style.fill(&line, "    "));
        }
    }
    if !eval.next.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Next time, add"));
        for (i, step) in eval.next.iter().enumerate() {
            let line = format!(
                "  {}. {} ({}): {}",
                i + 1,
                Safe(&step.title),
                step.dimension.title(),
                Safe(&step.hint)
            );
            let _ = writeln!(out, "{}", style.fill(&line, "     "));
        }
    }
    if let Detail::Brief { more } = detail {
        let others = misses_beyond_next(eval);
        if others > 0 {
            let line = format!(
                "{others} more thing{} the rubric looks for {} not listed here; {more} shows \
                 every one with its hint.",
                if others == 1 { "" } else { "s" },
                if others == 1 { "is" } else { "are" },
            );
            out.push('\n');
            let _ = writeln!(out, "{}", style.fill(&style.dim(&line), ""));
        }
    }
    out
}

/// Every missed criterion with its hint, by dimension: what `/more` shows after a brief view.
pub fn render_misses(eval: &Evaluation, style: Style) -> String {
    let mut out = String::new();
    for (dimension, result) in eval.dimensions.iter() {
        if result.misses.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", style.bold(dimension.title()));
        write_misses(&mut out, result, style);
    }
    out
}

/// One line per missed criterion, with its hint.
fn write_misses(out: &mut String, result: &DimensionResult, style: Style) {
    for miss in &result.misses {
        let line = format!(
            "  {} {}: {}",
            style.paint("-", Paint::Warn),
            Safe(&miss.title),
            style.dim(&clean(&miss.hint))
        );
        let _ = writeln!(out, "{}", style.fill(&line, "    "));
    }
}

/// How many missed criteria are not among the things to add next: what a brief view leaves out.
pub fn misses_beyond_next(eval: &Evaluation) -> usize {
    eval.dimensions
        .iter()
        .flat_map(|(d, r)| r.misses.iter().map(move |m| (d, m)))
        .filter(|(d, m)| {
            !eval
                .next
                .iter()
                .any(|n| n.dimension == *d && n.criterion == m.criterion)
        })
        .count()
}

fn render_dimension(
    out: &mut String,
    dimension: Dimension,
    result: &DimensionResult,
    style: Style,
    full: bool,
) {
    let level = format!(
        "{} {} {:.2}",
        level_bar(result.level),
        result.label,
        result.score
    );
    // Padded before it is painted: escape codes have no width on screen.
    let name = format!("{:<NAME_COLUMN$}", dimension.title());
    let _ = writeln!(
        out,
        "{}{}",
        style.bold(&name),
        style.paint(&level, label_paint(result.label))
    );
    if result.hits.is_empty() {
        let _ = writeln!(out, "  covered: nothing yet");
    }
    for hit in &result.hits {
        let step = hit
            .step
            .as_deref()
            .map(|s| format!(" [{}]", SafeLine(s)))
            .unwrap_or_default();
        let partial = partial_credit(hit.credit);
        let line = format!(
            "  {} {}{}{}: \"{}\"",
            style.paint("+", Paint::Good),
            Safe(&hit.title),
            step,
            style.dim(&partial),
            Safe(&hit.excerpt)
        );
        let _ = writeln!(out, "{}", style.fill(&line, "    "));
    }
    if full {
        write_misses(out, result, style);
    }
    for penalty in &result.penalties {
        let line = format!(
            "  {} {} (-{:.2}): \"{}\" {}",
            style.paint("x", Paint::Bad),
            SafeLine(&penalty.anti_pattern),
            penalty.points,
            Safe(&penalty.excerpt),
            Safe(&penalty.reason)
        );
        let _ = writeln!(out, "{}", style.fill(&line, "    "));
    }
}

/// The note on a hit that earned less than a full credit, as it is printed: a credit that rounds
/// to 1.00 is a full one, not "partial credit 1.00".
fn partial_credit(credit: f64) -> String {
    let shown = format!("{credit:.2}");
    if credit < 1.0 && shown != "1.00" {
        format!(" (partial credit {shown})")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::model::pack::{Kind, Question};
    use crate::rubric::{CompiledRubric, score};

    fn question() -> Question {
        Question::minimal(
            "checkout-slow",
            Kind::Degradation,
            "Checkout slows at lunchtime",
            "Checkout latency doubles every day around noon. No errors in the logs.",
        )
    }

    #[test]
    fn partial_credit_is_noted_only_when_it_shows_as_partial() {
        assert_eq!(partial_credit(0.5), " (partial credit 0.50)");
        assert_eq!(partial_credit(0.994), " (partial credit 0.99)");
        assert_eq!(partial_credit(0.996), "");
        assert_eq!(partial_credit(1.0), "");
    }

    #[test]
    fn bars() {
        assert_eq!(level_bar(1), "[#...]");
        assert_eq!(level_bar(4), "[####]");
        assert_eq!(level_bar(9), "[####]");
    }

    #[test]
    fn plain_feedback_quotes_hits_and_lists_next_steps() {
        let answer = Answer::whole(
            "First I would ask what changed recently: deploys, config, feature flags. \
             I would not trust the averages; I'd compare p50 with p99 per endpoint.",
        );
        let eval = score(CompiledRubric::builtin(), &question(), &answer);
        let text = render(&eval, Style::PLAIN, Detail::Full);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("Context-building"), "{text}");
        assert!(text.contains("what changed recently"), "{text}");
        assert!(text.contains("Next time, add"), "{text}");
        let colored = render(&eval, Style::new(true), Detail::Full);
        assert!(colored.contains("\u{1b}["), "{colored}");
    }
}
