//! `rehearse diff ID [N M]`: two attempts at a question side by side (the last two, or the two
//! numbered N and M in `rehearse history`): how each dimension moved, which criteria flipped,
//! and what the answer added and dropped.

use std::io::Write;

use crate::safe_text::{Safe, SafeLine, clean_line};
use crate::style::{Paint, Style};

use crate::cli::DiffArgs;
use crate::clock::{local_time, time_zone};
use crate::history::diff::{self, AttemptDiff, StepDiff};
use crate::history::read::{open_log, warn};
use crate::history::record::Attempt;
use crate::json_output;
use crate::{Context, exit};

/// Runs `diff`.
pub fn run(ctx: &Context, args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    // Only what a diff can show is kept while the history is read: the ids of the attempts at
    // the question, the last two of them, and the two named N and M.
    let mut log = open_log()?;
    let (mut ids, mut last_two, mut named) = (Vec::new(), Vec::with_capacity(2), Vec::new());
    let wanted = [args.before, args.after];
    log.each(
        |a, _| {
            if a.is_at(&args.id) {
                ids.push(a.id);
                if wanted.contains(&Some(a.id)) {
                    named.push(a.clone());
                }
                if last_two.len() == 2 {
                    last_two.remove(0);
                }
                last_two.push(a);
            }
            std::ops::ControlFlow::Continue(())
        },
        warn,
    )?;
    let (before, after) = match (args.before, args.after) {
        (Some(n), Some(m)) => (
            numbered(&named, &ids, n, &args.id)?,
            numbered(&named, &ids, m, &args.id)?,
        ),
        _ => match last_two.as_slice() {
            [.., b, a] => (b, a),
            [_] => anyhow::bail!(
                "only one attempt at `{}` is recorded; a diff needs two",
                args.id
            ),
            [] => anyhow::bail!("no attempt at `{}` is recorded", args.id),
        },
    };
    if before.id == after.id {
        anyhow::bail!("N and M are the same attempt ({}); name two", before.id);
    }
    // Two packs can share a question id; comparing across them would mix different questions.
    if before.pack.id != after.pack.id {
        anyhow::bail!(
            "`{}` names questions in packs `{}` and `{}`; say which as PACK/ID",
            args.id,
            before.pack.id,
            after.pack.id
        );
    }
    let d = diff::compare(before, after)?;
    if args.json {
        json_output::write(out, &d)?;
        return Ok(exit::SUCCESS);
    }
    render(out, before, after, &d, ctx.style)?;
    Ok(exit::SUCCESS)
}

/// Attempt number `n` among the attempts at the question, or an error listing those there are.
fn numbered<'h>(
    named: &'h [Attempt],
    ids: &[u64],
    n: u64,
    id: &str,
) -> anyhow::Result<&'h Attempt> {
    if let Some(a) = named.iter().find(|a| a.id == n) {
        return Ok(a);
    }
    let numbers: Vec<String> = ids.iter().map(ToString::to_string).collect();
    if numbers.is_empty() {
        anyhow::bail!("no attempt at `{id}` is recorded");
    }
    anyhow::bail!(
        "attempt {n} is not an attempt at `{id}`; its attempts are {} (see `rehearse history {id}`)",
        numbers.join(", ")
    )
}

fn render(
    out: &mut dyn Write,
    before: &Attempt,
    after: &Attempt,
    d: &AttemptDiff,
    style: Style,
) -> anyhow::Result<()> {
    let tz = time_zone();
    let head = |a: &Attempt| format!("#{} {}", a.id, local_time(a.recorded_at, &tz));
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{}/{}",
            SafeLine(&after.pack.id),
            SafeLine(&after.question)
        ))
    )?;
    writeln!(
        out,
        "{:<18} {:<24} {:<24} CHANGE",
        "",
        head(before),
        head(after)
    )?;
    for m in &d.dimensions {
        let cell = |g: &Option<crate::history::record::Grade>| {
            g.as_ref().map_or_else(
                || "-".to_string(),
                |g| format!("{} ({}) {:.2}", g.label, g.level, g.score),
            )
        };
        let change = match (&m.before, &m.after) {
            (Some(b), Some(a)) if a.level > b.level => {
                style.paint(&format!("up {}", a.level - b.level), Paint::Good)
            }
            (Some(b), Some(a)) if a.level < b.level => {
                style.paint(&format!("down {}", b.level - a.level), Paint::Bad)
            }
            (Some(b), Some(a)) => {
                let delta = a.score - b.score;
                if delta.abs() < 0.005 {
                    "same".to_string()
                } else {
                    format!("{delta:+.2}")
                }
            }
            _ => "-".to_string(),
        };
        writeln!(
            out,
            "{:<18} {:<24} {:<24} {change}",
            m.dimension.title(),
            cell(&m.before),
            cell(&m.after)
        )?;
    }
    let flipped: Vec<_> = d
        .dimensions
        .iter()
        .filter(|m| !m.gained.is_empty() || !m.lost.is_empty())
        .collect();
    if !flipped.is_empty() {
        writeln!(out, "\n{}", style.bold("Criteria"))?;
        for m in flipped {
            let name = |c: &String| m.titles.get(c).cloned().unwrap_or_else(|| c.clone());
            for c in &m.gained {
                writeln!(
                    out,
                    "  {} {} ({})",
                    style.paint("now met:", Paint::Good),
                    name(c),
                    m.dimension
                )?;
            }
            for c in &m.lost {
                writeln!(
                    out,
                    "  {} {} ({})",
                    style.paint("no longer met:", Paint::Bad),
                    name(c),
                    m.dimension
                )?;
            }
        }
    }
    if d.steps.is_empty() && d.follow_up.is_none() {
        writeln!(out, "\nThe answers are the same.")?;
        return Ok(());
    }
    writeln!(out, "\n{}", style.bold("Answer"))?;
    for s in &d.steps {
        write_step(out, s.step.as_deref().unwrap_or("answer"), s, style)?;
    }
    if let Some(f) = &d.follow_up {
        write_step(
            out,
            after.follow_up.as_deref().unwrap_or("follow-up"),
            f,
            style,
        )?;
    }
    Ok(())
}

fn write_step(out: &mut dyn Write, name: &str, s: &StepDiff, style: Style) -> anyhow::Result<()> {
    writeln!(out, "[{}]", style.paint(&clean_line(name), Paint::Accent))?;
    // A sentence longer than the terminal continues under its text, not at the left edge; it
    // is cleaned here, not only at the output edge, so that it is measured as it will be shown.
    for line in &s.added {
        let line = format!(
            "  {}",
            style.paint(&format!("+ {}", Safe(line)), Paint::Good)
        );
        writeln!(out, "{}", style.fill(&line, "    "))?;
    }
    for line in &s.dropped {
        let line = format!(
            "  {}",
            style.paint(&format!("- {}", Safe(line)), Paint::Bad)
        );
        writeln!(out, "{}", style.fill(&line, "    "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sentence_continues_under_its_text_on_a_terminal() {
        let s = StepDiff {
            step: Some("first-checks".into()),
            added: vec![
                "Before changing anything I would ask what changed recently: deploys, \
                         config, feature flags or a dependency's release on Monday."
                    .into(),
            ],
            dropped: vec!["I would add more servers.".into()],
        };
        let mut out = Vec::new();
        write_step(
            &mut out,
            "first-checks",
            &s,
            Style::PLAIN.with_width(Some(60)),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("[first-checks]\n  + Before changing"),
            "{text}"
        );
        assert!(
            text.contains("\n    config,") || text.contains("\n    "),
            "{text}"
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 60, "{line:?}");
            assert!(line.starts_with("  ") || line.starts_with('['), "{line:?}");
        }
        // Not a terminal: one line per sentence.
        let mut out = Vec::new();
        write_step(&mut out, "first-checks", &s, Style::PLAIN).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
    }
}
