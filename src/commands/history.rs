//! `rehearse history`: stored attempts newest first (a table, or `--json`), and
//! `rehearse history show N`: one attempt with its answer and feedback.
//!
//! The helpers the history commands share live below the commands: reading the log in
//! [`crate::history::read`], times in [`crate::clock`], JSON output in [`crate::json_output`].

use std::io::Write;
use std::ops::ControlFlow;

use crate::safe_text::{SafeLine, clean, clean_line};
use crate::style::{Paint, Style};
use jiff::Timestamp;

use crate::cli::{HistoryArgs, HistoryCommand, HistoryShowArgs};
use crate::clock::{local_time, time_zone};
use crate::history::read::{open_log, warn};
use crate::history::record::{Attempt, Scores};
use crate::history::store::Log;
use crate::json_output;
use crate::json_output::ArrayWriter;
use crate::model::pack::Dimension;
use crate::{Context, exit};

/// Short column headings of the dimensions, in report order.
pub fn short_name(d: Dimension) -> &'static str {
    match d {
        Dimension::Context => "CTX",
        Dimension::TradeOffs => "TRD",
        Dimension::Ownership => "OWN",
        Dimension::Communication => "COM",
    }
}

/// Runs `history` or `history show`.
pub fn run(ctx: &Context, args: &HistoryArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    match &args.command {
        Some(HistoryCommand::Show(show_args)) => show(show_args, ctx.style, out),
        None => list(args, ctx.style, out),
    }
}

/// One line of the `history` table: what is shown of an attempt, and no more.
struct Row {
    id: u64,
    recorded_at: Timestamp,
    pack: String,
    question: String,
    source: &'static str,
    levels: [String; Dimension::ALL.len()],
    label: String,
    score: f64,
    rescored: bool,
}

impl Row {
    fn of(a: &Attempt) -> anyhow::Result<Row> {
        let scores = a.scores()?;
        Ok(Row {
            id: a.id,
            recorded_at: a.recorded_at,
            pack: a.pack.id.clone(),
            question: a.question.clone(),
            source: a.source.as_str(),
            levels: Dimension::ALL.map(|d| level_cell(&scores, d)),
            label: scores.overall.label,
            score: scores.overall.score,
            rescored: !a.rescored.is_empty(),
        })
    }
}

fn list(args: &HistoryArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut log = open_log()?;
    let wanted = |a: &Attempt| args.id.as_deref().is_none_or(|id| a.is_at(id));
    if args.json {
        newest_first_json(&mut log, wanted, out)?;
        return Ok(exit::SUCCESS);
    }
    let mut rows = Vec::new();
    log.try_each(
        |a, _| {
            if wanted(&a) {
                rows.push(Row::of(&a)?);
            }
            Ok::<_, anyhow::Error>(ControlFlow::Continue(()))
        },
        warn,
    )?;
    rows.reverse();
    let attempts = rows;
    if attempts.is_empty() {
        match &args.id {
            Some(id) => writeln!(out, "No attempt at `{id}` is recorded yet.")?,
            None => writeln!(
                out,
                "No attempt is recorded yet. `rehearse practice` records every answer."
            )?,
        }
        return Ok(exit::SUCCESS);
    }
    let tz = time_zone();
    let qualify = {
        let mut packs: Vec<&str> = attempts.iter().map(|a| a.pack.as_str()).collect();
        packs.dedup();
        packs.len() > 1
    };
    let names: Vec<String> = attempts
        .iter()
        .map(|a| {
            if qualify {
                format!("{}/{}", a.pack, a.question)
            } else {
                a.question.clone()
            }
        })
        .collect();
    let id_w = attempts
        .iter()
        .map(|a| a.id.to_string().len())
        .max()
        .unwrap_or(1)
        .max(2);
    let q_w = names
        .iter()
        .map(|n| clean_line(n).chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let dims: Vec<&str> = Dimension::ALL.iter().map(|d| short_name(*d)).collect();
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:>id_w$}  {:<16}  {:<q_w$}  {:<8}  {}  OVERALL",
            "ID",
            "WHEN",
            "QUESTION",
            "SOURCE",
            dims.join("  ")
        ))
    )?;
    for (a, name) in attempts.iter().zip(&names) {
        let levels: Vec<String> = a.levels.iter().map(|l| format!("{l:>3}")).collect();
        let rescored = if a.rescored { " (rescored)" } else { "" };
        writeln!(
            out,
            "{:>id_w$}  {:<16}  {}  {:<8}  {}  {} {:.2}{rescored}",
            a.id,
            local_time(a.recorded_at, &tz),
            // Padded before it is painted: escape codes have no width on screen.
            style.paint(&format!("{:<q_w$}", SafeLine(name)), Paint::Accent),
            a.source,
            levels.join("  "),
            a.label,
            a.score,
        )?;
    }
    writeln!(
        out,
        "\n{}; levels 1-4 per dimension. `rehearse history show ID` shows one.",
        crate::plural::plural(attempts.len(), "attempt", "attempts")
    )?;
    Ok(exit::SUCCESS)
}

/// The attempts `wanted` accepts as a JSON array, newest first, each read from the log once:
/// encoded as it is read (oldest first) into an anonymous temporary file, which has no name and
/// goes with the process, then copied out from the last to the first. Only where each element
/// ends is held, not the elements, so a history of any size goes out in one reading.
fn newest_first_json(
    log: &mut Log,
    wanted: impl Fn(&Attempt) -> bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut spool = std::io::BufWriter::with_capacity(64 * 1024, tempfile::tempfile()?);
    let (mut ends, mut end) = (Vec::new(), 0u64);
    log.try_each(
        |a, _| {
            if wanted(&a) {
                let encoded = ArrayWriter::encode(&a)?;
                spool.write_all(encoded.as_bytes())?;
                end += encoded.len() as u64;
                ends.push(end);
            }
            Ok::<_, anyhow::Error>(ControlFlow::Continue(()))
        },
        warn,
    )?;
    let mut spool = spool
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    let mut array = ArrayWriter::default();
    let mut element = Vec::new();
    for (i, &end) in ends.iter().enumerate().rev() {
        let start = if i == 0 { 0 } else { ends[i - 1] };
        spool.seek(SeekFrom::Start(start))?;
        element.clear();
        (&mut spool).take(end - start).read_to_end(&mut element)?;
        array.encoded(out, &element)?;
    }
    array.finish(out)
}

fn level_cell(scores: &Scores, d: Dimension) -> String {
    scores
        .level(d)
        .map_or_else(|| "-".to_string(), |l| l.to_string())
}

fn show(args: &HistoryShowArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut log = open_log()?;
    let (mut found, mut newest) = (None, None);
    log.each(
        |a, _| {
            newest = Some(a.id);
            if a.id == args.attempt {
                found = Some(a);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
        warn,
    )?;
    let Some(attempt) = found.as_ref() else {
        let hint = match newest {
            Some(n) => format!("attempts are numbered 1 to {n}"),
            None => "no attempt is recorded yet".to_string(),
        };
        anyhow::bail!("no attempt {} in the history ({hint})", args.attempt);
    };
    if args.json {
        json_output::write(out, attempt)?;
        return Ok(exit::SUCCESS);
    }
    let tz = time_zone();
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "Attempt {} · {}/{} · {}",
            attempt.id,
            SafeLine(&attempt.pack.id),
            SafeLine(&attempt.question),
            local_time(attempt.recorded_at, &tz)
        ))
    )?;
    let mut details = vec![
        format!("source {}", attempt.source),
        format!("pack version {}", SafeLine(&attempt.pack.version)),
    ];
    if let Some(secs) = attempt.time_taken_secs {
        details.push(format!("{} min {:02} s", secs / 60, secs % 60));
    }
    if let Some(seed) = attempt.seed {
        details.push(format!("seed {seed}"));
    }
    writeln!(out, "{}", details.join(" · "))?;
    if !attempt.hints_used.is_empty() {
        writeln!(
            out,
            "Hints used: {}",
            SafeLine(&attempt.hints_used.join(", "))
        )?;
    }
    if !attempt.facts_uncovered.is_empty() {
        writeln!(
            out,
            "Facts uncovered: {}",
            SafeLine(&attempt.facts_uncovered.join(", "))
        )?;
    }
    if !attempt.answer.investigation.is_empty() {
        writeln!(out, "\n{}", style.bold("Questions asked"))?;
        for q in &attempt.answer.investigation {
            writeln!(out, "  ? {q}")?;
        }
    }
    writeln!(out, "\n{}", style.bold("Answer"))?;
    for part in &attempt.answer.parts {
        if let Some(step) = &part.step {
            writeln!(out, "[{}]", style.paint(&clean_line(step), Paint::Accent))?;
        }
        // Re-flowed to a terminal like every other prose (lists kept); as typed in a pipe.
        writeln!(out, "{}", style.prose(&clean(&part.text), "  "))?;
    }
    if let Some(follow_up) = &attempt.answer.follow_up {
        let asked = attempt.follow_up.as_deref().unwrap_or("follow-up");
        writeln!(out, "[{}]", style.paint(&clean_line(asked), Paint::Accent))?;
        writeln!(out, "{}", style.prose(&clean(follow_up), "  "))?;
    }
    writeln!(out, "\n{}", style.bold("Feedback"))?;
    // The rubric's own renderer when the stored evaluation still reads as today's `Evaluation`;
    // a record from an older result format falls back to the levels and criteria history reads.
    match serde_json::from_value::<crate::rubric::Evaluation>(attempt.current_evaluation().clone())
    {
        Ok(eval) => write!(
            out,
            "{}",
            crate::feedback::render(&eval, style, crate::feedback::Detail::Full)
        )?,
        Err(_) => write_scores(out, &attempt.scores()?, style)?,
    }
    for r in &attempt.rescored {
        let before = Scores::from_evaluation(&attempt.evaluation)?;
        let after = Scores::from_evaluation(&r.evaluation)?;
        writeln!(
            out,
            "Rescored {} with pack {} {}: overall {} {:.2} -> {} {:.2}",
            local_time(r.rescored_at, &tz),
            SafeLine(&r.pack.id),
            SafeLine(&r.pack.version),
            before.overall.label,
            before.overall.score,
            after.overall.label,
            after.overall.score
        )?;
    }
    Ok(exit::SUCCESS)
}

/// Levels per dimension with the criteria met and missed.
fn write_scores(out: &mut dyn Write, scores: &Scores, style: Style) -> anyhow::Result<()> {
    for (d, s) in &scores.dimensions {
        writeln!(
            out,
            "{:<18} {} ({}/4, {:.2})",
            d.title(),
            style.bold(&s.grade.label.to_string()),
            s.grade.level,
            s.grade.score
        )?;
        for hit in &s.hits {
            writeln!(out, "  {} {hit}", style.paint("+", Paint::Good))?;
        }
        for miss in &s.misses {
            writeln!(out, "  {} {miss}", style.paint("-", Paint::Bad))?;
        }
    }
    writeln!(
        out,
        "{:<18} {} ({}/4, {:.2})",
        "Overall",
        style.bold(&scores.overall.label.to_string()),
        scores.overall.level,
        scores.overall.score
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::read::tests::{SLACK, counted_log};

    /// `history --json` reads each attempt once and writes the newest first, the same bytes as
    /// the whole history reversed.
    #[test]
    fn newest_first_json_reads_the_log_once() {
        let (mut log, read, len, mut whole) = counted_log(1_000);
        let opened = read.get();
        let mut out = Vec::new();
        newest_first_json(&mut log, |a| a.id != 7, &mut out).unwrap();
        whole.retain(|a| a.id != 7);
        whole.reverse();
        let mut expected = Vec::new();
        json_output::write(&mut expected, &whole).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        assert!(
            read.get() - opened < len + SLACK,
            "{} bytes read for {len}",
            read.get()
        );
    }
}
