//! `rehearse progress`: per-dimension trend as sparklines, current level as bars, the weakest
//! dimension, the practice streak and how many questions are due for review.

use std::io::Write;

use colored::Colorize;

use super::history::{load, now, time_zone, write_json};
use crate::cli::ProgressArgs;
use crate::history::progress::{self, Progress, sparkline};
use crate::history::review;
use crate::{Context, exit};

/// The label of a level 1-4.
pub fn label(level: u8) -> &'static str {
    match level {
        0 | 1 => "Missing",
        2 => "Emerging",
        3 => "Solid",
        _ => "Strong",
    }
}

/// Runs `progress`.
pub fn run(ctx: &Context, args: &ProgressArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let history = load()?;
    let keys = review::bank_keys(&ctx.bank()?);
    let p = progress::summarize(&history.attempts, now()?, &time_zone(), &keys);
    if args.json {
        write_json(out, &p)?;
        return Ok(exit::SUCCESS);
    }
    render(out, &p)?;
    Ok(exit::SUCCESS)
}

fn render(out: &mut dyn Write, p: &Progress) -> anyhow::Result<()> {
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
        format!(
            "Progress: {} attempt{} at {} question{}",
            p.attempts,
            plural(p.attempts),
            p.questions,
            plural(p.questions)
        )
        .bold()
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
            "  <- weakest".yellow().to_string()
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<18} {}  {:<14} {}{weakest}",
            d.dimension.title(),
            bar,
            format!("{} {:.2}", label(d.current_level), d.current_score),
            sparkline(d.trend.iter().map(|t| t.score)).cyan()
        )?;
    }
    writeln!(out)?;
    if let Some(w) = p.weakest {
        writeln!(out, "Weakest dimension: {}", w.title())?;
    }
    writeln!(
        out,
        "Streak: {} day{} in a row",
        p.streak_days,
        plural(p.streak_days as usize)
    )?;
    if p.due == 0 {
        writeln!(out, "Due for review: nothing yet")?;
    } else {
        writeln!(
            out,
            "Due for review: {} question{} (`rehearse practice --review`)",
            p.due,
            plural(p.due)
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
