//! `rehearse progress`: per-dimension trend as sparklines, current level as bars, the weakest
//! dimension, the practice streak, and which questions are due for review, for which dimensions
//! and since when.

use std::io::Write;

use crate::cli::ProgressArgs;
use crate::clock::{Clock as _, local_time, time_zone};
use crate::history::progress::{self, Progress, sparkline};
use crate::history::read::{open_log, warn};
use crate::history::review;
use crate::json_output;
use crate::plural::plural;
use crate::rubric::{CompiledRubric, Label};
use crate::style::{Paint, Style};
use crate::{Context, exit};

/// Runs `progress`.
pub fn run(ctx: &Context, args: &ProgressArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let keys = review::bank_keys(&ctx.bank()?);
    // The built-in rubric's cut-offs: the ones the docs give and `score` uses by default.
    let levels = CompiledRubric::builtin().file().levels;
    let tz = time_zone();
    // Running totals only: the history is read one attempt at a time.
    let mut tally = progress::Tally::new(&tz);
    open_log()?.each(
        |a, _| {
            tally.add(&a);
            std::ops::ControlFlow::Continue(())
        },
        warn,
    )?;
    let p = tally.finish(ctx.clock.now(), &keys, &levels);
    if args.json {
        json_output::write(out, &p)?;
        return Ok(exit::SUCCESS);
    }
    render(out, &p, ctx.style, &tz)?;
    Ok(exit::SUCCESS)
}

fn render(
    out: &mut dyn Write,
    p: &Progress,
    style: Style,
    tz: &jiff::tz::TimeZone,
) -> anyhow::Result<()> {
    if p.attempts == 0 {
        writeln!(
            out,
            "No attempt is recorded yet. `rehearse practice` records every answer."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "Progress: {} at {}",
            plural(p.attempts, "attempt", "attempts"),
            plural(p.questions, "question", "questions")
        ))
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<18} {:<4}  {:<14} TREND (one mark per practice day, last {})",
        "DIMENSION",
        "NOW",
        "",
        progress::TREND_DAYS
    )?;
    for d in &p.dimensions {
        let level = usize::from(d.current_level.clamp(1, 4));
        let bar = format!("{}{}", "█".repeat(level), "░".repeat(4 - level));
        let weakest = if p.weakest == Some(d.dimension) {
            style.paint("  <- weakest", Paint::Warn)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<18} {}  {:<14} {}{weakest}",
            d.dimension.title(),
            bar,
            format!(
                "{} {:.2}",
                Label::from_level(d.current_level),
                d.current_score
            ),
            style.paint(&sparkline(d.trend.iter().map(|t| t.score)), Paint::Accent)
        )?;
    }
    writeln!(out)?;
    if let Some(w) = p.weakest {
        writeln!(out, "Weakest dimension: {}", w.title())?;
    }
    writeln!(
        out,
        "Streak: {} in a row",
        plural(p.streak_days as usize, "day", "days")
    )?;
    if p.due == 0 {
        writeln!(out, "Due for review: nothing yet")?;
        return Ok(());
    }
    writeln!(
        out,
        "Due for review: {}, weakest first (`rehearse practice --review`)",
        plural(p.due, "question", "questions")
    )?;
    for q in &p.due_questions {
        let dims: Vec<String> = q
            .dimensions
            .iter()
            .map(|d| {
                format!(
                    "{} ({}, due since {})",
                    d.dimension.title(),
                    Label::from_level(d.level),
                    local_time(d.due, tz)
                )
            })
            .collect();
        let line = format!(
            "  {}: {}",
            style.paint(&q.key.to_string(), Paint::Accent),
            dims.join("; ")
        );
        writeln!(out, "{}", style.fill(&line, "      "))?;
    }
    Ok(())
}
