//! The closing summary of a session: the level of each dimension across the questions answered,
//! the weakest dimension, and what to practise next.
//!
//! Computed from the results kept in the session state (not from the history file), so a resumed
//! session summarises every question of the session, including those answered before the quit.

use std::collections::BTreeMap;
use std::io::Write;

use super::state::{QuestionResult, SessionState};
use crate::feedback::level_bar;
use crate::model::pack::{Dimension, Kind};
use crate::rubric::Label;
use crate::style::Style;

/// The mean level of `dimension` over `results`, in tenths (so it sorts and prints exactly).
fn mean_tenths(results: &[QuestionResult], dimension: Dimension) -> u32 {
    let levels: Vec<u32> = results
        .iter()
        .map(|r| u32::from(r.levels.get(&dimension).copied().unwrap_or(1)))
        .collect();
    if levels.is_empty() {
        return 10;
    }
    let n = levels.len() as u32;
    // Round half up, in integers, so the same results always print the same figure.
    (levels.iter().sum::<u32>() * 20 + n) / (2 * n)
}

/// The weakest dimension: the lowest mean level; ties go to the earlier dimension in report order.
/// `None` when there are no results or every dimension stands at the same level, because then no
/// dimension is weaker than the others and naming one would mislead.
pub fn weakest(results: &[QuestionResult]) -> Option<Dimension> {
    let means: Vec<u32> = Dimension::ALL
        .iter()
        .map(|d| mean_tenths(results, *d))
        .collect();
    if results.is_empty() || means.iter().all(|m| *m == means[0]) {
        return None;
    }
    Dimension::ALL
        .into_iter()
        .min_by_key(|d| mean_tenths(results, *d))
}

/// Writes the summary of a finished session, filled to the style's width.
pub fn write(out: &mut dyn Write, state: &SessionState, style: Style) -> anyhow::Result<()> {
    let mut text = Vec::new();
    write_lines(&mut text, state, style)?;
    out.write_all(style.fill_lines(&String::from_utf8_lossy(&text)).as_bytes())?;
    Ok(())
}

fn write_lines(out: &mut dyn Write, state: &SessionState, style: Style) -> anyhow::Result<()> {
    let results = &state.results;
    if results.is_empty() {
        return Ok(());
    }
    let heading = format!(
        "== Session summary: {}, seed {} ==",
        crate::plural::plural(results.len(), "question", "questions"),
        state.seed
    );
    writeln!(out, "\n{}", style.bold(&heading))?;
    for d in Dimension::ALL {
        let tenths = mean_tenths(results, d);
        let rounded = ((tenths + 5) / 10).clamp(1, 4) as u8;
        let per_question: Vec<String> = results
            .iter()
            .map(|r| r.levels.get(&d).copied().unwrap_or(1).to_string())
            .collect();
        writeln!(
            out,
            "  {:<17} {} {:<8} {}.{} (per question: {})",
            d.title(),
            level_bar(rounded),
            Label::from_level(rounded).as_str(),
            tenths / 10,
            tenths % 10,
            per_question.join(" ")
        )?;
    }
    let weak = weakest(results);
    match weak {
        Some(d) => writeln!(out, "Weakest: {}.", d.title())?,
        None => writeln!(out, "No dimension is weaker than the others.")?,
    }
    // The dimensions the advice draws on: the weakest, or all of them when none stands out.
    let focus: Vec<Dimension> = weak.map_or_else(|| Dimension::ALL.to_vec(), |d| vec![d]);

    // The hints missed most often there, most frequent first, then by the order they were first
    // missed, so the advice is stable.
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for r in results {
        let missed = focus
            .iter()
            .flat_map(|d| r.misses.get(d).map(Vec::as_slice).unwrap_or_default());
        // Counted once per question, so "missed in 2 of 3" means two questions.
        let mut seen: Vec<&str> = Vec::new();
        for (id, hint) in missed {
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            match counts.iter_mut().find(|(c, _, _)| c == id) {
                Some(entry) => entry.2 += 1,
                None => counts.push((id.clone(), hint.clone(), 1)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.2));
    writeln!(out, "Practise next:")?;
    for (_, hint, n) in counts.iter().take(3) {
        writeln!(
            out,
            "  - {} (missed in {n} of {})",
            crate::safe_text::Safe(hint.trim()),
            results.len()
        )?;
    }
    // The kind where the focus scored lowest is where more practice pays most.
    let mut by_kind: BTreeMap<Kind, (u32, u32)> = BTreeMap::new();
    for r in results {
        let e = by_kind.entry(r.kind).or_default();
        for d in &focus {
            e.0 += u32::from(r.levels.get(d).copied().unwrap_or(1));
            e.1 += 1;
        }
    }
    if let Some((kind, _)) = by_kind.iter().min_by(|a, b| {
        (u64::from(a.1.0) * u64::from(b.1.1)).cmp(&(u64::from(b.1.0) * u64::from(a.1.1)))
    }) {
        writeln!(
            out,
            "  - Try another {kind} question: rehearse practice --kind {kind} --count 1"
        )?;
    }
    writeln!(
        out,
        "  - Come back to weak answers when they are due: rehearse practice --review"
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(kind: Kind, levels: [u8; 4], missed: &[(Dimension, &str)]) -> QuestionResult {
        QuestionResult {
            question: "p/q".into(),
            kind,
            overall: 2,
            levels: Dimension::ALL.into_iter().zip(levels).collect(),
            misses: missed.iter().fold(BTreeMap::new(), |mut m, (d, id)| {
                m.entry(*d)
                    .or_insert_with(Vec::new)
                    .push((id.to_string(), format!("Do {id}.")));
                m
            }),
        }
    }

    #[test]
    fn weakest_is_lowest_mean_and_ties_go_to_report_order() {
        let rs = [
            result(Kind::TradeOff, [3, 2, 2, 4], &[]),
            result(Kind::Degradation, [3, 3, 2, 4], &[]),
        ];
        assert_eq!(weakest(&rs), Some(Dimension::Ownership));
        let tie = [result(Kind::TradeOff, [2, 2, 3, 3], &[])];
        assert_eq!(weakest(&tie), Some(Dimension::Context));
        let flat = [result(Kind::TradeOff, [2, 2, 2, 2], &[])];
        assert_eq!(weakest(&flat), None);
        assert_eq!(weakest(&[]), None);
    }

    #[test]
    fn summary_names_weakest_and_most_missed_hints() {
        let mut state = SessionState::new("s".into(), 7, Vec::new());
        state.results = vec![
            result(
                Kind::TradeOff,
                [3, 2, 1, 4],
                &[
                    (Dimension::Ownership, "mitigate"),
                    (Dimension::Ownership, "postmortem"),
                ],
            ),
            result(
                Kind::Degradation,
                [3, 3, 2, 4],
                &[(Dimension::Ownership, "postmortem")],
            ),
        ];
        let mut out = Vec::new();
        write(&mut out, &state, Style::PLAIN).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("2 questions, seed 7"), "{text}");
        assert!(
            text.contains("Ownership         [##..] Emerging 1.5 (per question: 1 2)"),
            "{text}"
        );
        assert!(text.contains("Weakest: Ownership."), "{text}");
        let post = text.find("Do postmortem. (missed in 2 of 2)").unwrap();
        let miti = text.find("Do mitigate. (missed in 1 of 2)").unwrap();
        assert!(post < miti, "{text}");
        assert!(
            text.contains("rehearse practice --kind trade-off"),
            "{text}"
        );
    }
}
