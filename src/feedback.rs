//! Human-readable feedback for an [`Evaluation`], as `score`, `practice` and `drill` print it.
//!
//! It leads with what the answer covered (each criterion with the quoted words that earned it)
//! and what it missed (with a hint), then penalties and flags, and ends with the three things to
//! add next time; the level comes second, as a bar. Plain text by default; the caller decides
//! colour (from `--color`, `NO_COLOR` and whether the stream is a terminal) and passes it in, so
//! this module never looks at the environment and tests can snapshot plain text.

use std::fmt::Write as _;

use crate::pack::model::Dimension;
use crate::rubric::{DimensionResult, Evaluation, Label};

/// Width of the level bar in cells (one per level).
const BAR_CELLS: u8 = 4;

/// ANSI styles used when colour is on.
#[derive(Clone, Copy)]
enum Paint {
    Bold,
    Dim,
    Green,
    Yellow,
    Red,
    Cyan,
}

fn paint(text: &str, paint: Paint, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match paint {
        Paint::Bold => "1",
        Paint::Dim => "2",
        Paint::Green => "32",
        Paint::Yellow => "33",
        Paint::Red => "31",
        Paint::Cyan => "36",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

fn label_paint(label: Label) -> Paint {
    match label {
        Label::Missing => Paint::Red,
        Label::Emerging => Paint::Yellow,
        Label::Solid => Paint::Cyan,
        Label::Strong => Paint::Green,
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

/// Renders the whole evaluation. `color` turns ANSI colour on.
pub fn render(eval: &Evaluation, color: bool) -> String {
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
        paint(&eval.question, Paint::Bold, color),
        eval.kind,
        eval.pack
    );
    let _ = writeln!(
        out,
        "Overall  {}",
        paint(&overall, label_paint(eval.overall.label), color)
    );
    for (dimension, result) in eval.dimensions.iter() {
        out.push('\n');
        render_dimension(&mut out, dimension, result, color);
    }
    if !eval.flags.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint("Flags", Paint::Bold, color));
        for flag in &eval.flags {
            let _ = write!(
                out,
                "  {} {}: {}",
                paint("!", Paint::Red, color),
                flag.id,
                flag.message
            );
            if let Some(excerpt) = &flag.excerpt {
                let _ = write!(out, " \"{excerpt}\"");
            }
            out.push('\n');
        }
    }
    if !eval.next.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint("Next time, add", Paint::Bold, color));
        for (i, step) in eval.next.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} ({}): {}",
                i + 1,
                step.title,
                step.dimension.title(),
                step.hint
            );
        }
    }
    out
}

fn render_dimension(out: &mut String, dimension: Dimension, result: &DimensionResult, color: bool) {
    let level = format!(
        "{} {} {:.2}",
        level_bar(result.level),
        result.label,
        result.score
    );
    let _ = writeln!(
        out,
        "{:<17}{}",
        paint(dimension.title(), Paint::Bold, color),
        paint(&level, label_paint(result.label), color)
    );
    if result.hits.is_empty() {
        let _ = writeln!(out, "  covered: nothing yet");
    }
    for hit in &result.hits {
        let step = hit
            .step
            .as_deref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        let partial = if hit.credit < 1.0 {
            format!(" (partial credit {:.2})", hit.credit)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {}{}{}: \"{}\"",
            paint("+", Paint::Green, color),
            hit.title,
            step,
            paint(&partial, Paint::Dim, color),
            hit.excerpt
        );
    }
    for miss in &result.misses {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            paint("-", Paint::Yellow, color),
            miss.title,
            paint(&miss.hint, Paint::Dim, color)
        );
    }
    for penalty in &result.penalties {
        let _ = writeln!(
            out,
            "  {} {} (-{:.2}): \"{}\" {}",
            paint("x", Paint::Red, color),
            penalty.anti_pattern,
            penalty.points,
            penalty.excerpt,
            penalty.reason
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::pack::model::{Kind, Question};
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
        let text = render(&eval, false);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("Context-building"), "{text}");
        assert!(text.contains("what changed recently"), "{text}");
        assert!(text.contains("Next time, add"), "{text}");
        let colored = render(&eval, true);
        assert!(colored.contains("\u{1b}["), "{colored}");
    }
}
