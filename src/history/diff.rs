//! What changed between two attempts at one question: sentences the answer added and dropped
//! (per step), criteria that flipped between met and missed, and how each dimension moved.
//!
//! Answers are compared sentence by sentence rather than line by line: candidates retype whole
//! answers, so line breaks move while the ideas stay, and a sentence is the unit a reviewer
//! recognises. Sentences are compared with whitespace collapsed, so re-wrapping is not a change.

use std::collections::BTreeSet;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::record::{Attempt, Grade, Scores, ShapeError};
use crate::model::pack::Dimension;

/// Added and dropped sentences of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDiff {
    /// Step id; `None` for a whole (not per-step) answer.
    pub step: Option<String>,
    /// Sentences only in the newer answer, in its order.
    pub added: Vec<String>,
    /// Sentences only in the older answer, in its order.
    pub dropped: Vec<String>,
}

/// How one dimension moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionMove {
    /// The dimension.
    pub dimension: Dimension,
    /// Grade in the older attempt (absent if it was not graded there).
    pub before: Option<Grade>,
    /// Grade in the newer attempt.
    pub after: Option<Grade>,
    /// Criteria met now that were not met before.
    pub gained: Vec<String>,
    /// Criteria met before that are not met now.
    pub lost: Vec<String>,
    /// Titles of the gained and lost criteria by id, where the evaluations give them.
    pub titles: std::collections::BTreeMap<String, String>,
}

/// The comparison of two attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptDiff {
    /// Id of the older attempt.
    pub before: u64,
    /// Id of the newer attempt.
    pub after: u64,
    /// Per step, only steps with a change; steps in the newer answer's order, then steps only
    /// the older answer had.
    pub steps: Vec<StepDiff>,
    /// Changes in the answer to the follow-up question.
    pub follow_up: Option<StepDiff>,
    /// Every dimension graded in either attempt, in report order.
    pub dimensions: Vec<DimensionMove>,
}

/// Compares `before` with `after` using each attempt's current scores.
pub fn compare(before: &Attempt, after: &Attempt) -> Result<AttemptDiff, ShapeError> {
    let (old_scores, new_scores) = (before.scores()?, after.scores()?);

    let mut steps_in_order: Vec<Option<&str>> = Vec::new();
    for part in after.answer.parts.iter().chain(&before.answer.parts) {
        if !steps_in_order.contains(&part.step.as_deref()) {
            steps_in_order.push(part.step.as_deref());
        }
    }
    let text_of = |a: &Attempt, step: Option<&str>| -> String {
        a.answer
            .parts
            .iter()
            .filter(|p| p.step.as_deref() == step)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let steps = steps_in_order
        .into_iter()
        .map(|step| {
            let (added, dropped) = diff_sentences(&text_of(before, step), &text_of(after, step));
            StepDiff {
                step: step.map(str::to_string),
                added,
                dropped,
            }
        })
        .filter(|d| !d.added.is_empty() || !d.dropped.is_empty())
        .collect();

    let follow_up = {
        let old = before.answer.follow_up.as_deref().unwrap_or("");
        let new = after.answer.follow_up.as_deref().unwrap_or("");
        let (added, dropped) = diff_sentences(old, new);
        (!added.is_empty() || !dropped.is_empty()).then_some(StepDiff {
            step: None,
            added,
            dropped,
        })
    };

    let dimensions = Dimension::ALL
        .into_iter()
        .filter_map(|d| dimension_move(d, &old_scores, &new_scores))
        .collect();
    Ok(AttemptDiff {
        before: before.id,
        after: after.id,
        steps,
        follow_up,
        dimensions,
    })
}

fn dimension_move(dimension: Dimension, old: &Scores, new: &Scores) -> Option<DimensionMove> {
    let (b, a) = (
        old.dimensions.get(&dimension),
        new.dimensions.get(&dimension),
    );
    if b.is_none() && a.is_none() {
        return None;
    }
    let hits = |d: Option<&super::record::DimensionScore>| -> BTreeSet<String> {
        d.map(|d| d.hits.iter().cloned().collect())
            .unwrap_or_default()
    };
    let (old_hits, new_hits) = (hits(b), hits(a));
    let titles = [b, a]
        .into_iter()
        .flatten()
        .flat_map(|d| d.titles.clone())
        .filter(|(id, _)| old_hits.contains(id) != new_hits.contains(id))
        .collect();
    Some(DimensionMove {
        titles,
        dimension,
        before: b.map(|d| d.grade.clone()),
        after: a.map(|d| d.grade.clone()),
        gained: new_hits.difference(&old_hits).cloned().collect(),
        lost: old_hits.difference(&new_hits).cloned().collect(),
    })
}

/// Sentences added to and dropped from `old` to get `new`.
pub fn diff_sentences(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let (old, new) = (sentences(old), sentences(new));
    let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = TextDiff::from_slices(&old_refs, &new_refs);
    let (mut added, mut dropped) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added.push(change.value().to_string()),
            ChangeTag::Delete => dropped.push(change.value().to_string()),
            ChangeTag::Equal => {}
        }
    }
    (added, dropped)
}

/// Splits text into sentences: at `.`, `!` or `?` followed by white space, and at line breaks
/// (answers are often lists). White space inside a sentence is collapsed.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut current: Vec<&str> = Vec::new();
        for word in words {
            current.push(word);
            if word.ends_with(['.', '!', '?']) {
                out.push(current.join(" "));
                current.clear();
            }
        }
        if !current.is_empty() {
            out.push(current.join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::history::testing::{at, new_attempt};

    #[test]
    fn sentences_split_on_ends_and_lines_and_collapse_space() {
        assert_eq!(
            sentences("First  check deploys. Then   graphs!\n- ask the team\n\nWhy?"),
            [
                "First check deploys.",
                "Then graphs!",
                "- ask the team",
                "Why?"
            ]
        );
        assert_eq!(sentences("  "), Vec::<String>::new());
    }

    #[test]
    fn compare_reports_added_dropped_flipped_and_moves() {
        let mut old = new_attempt("q", at(0), [1, 3, 2, 2]).with_id(3);
        old.answer = Answer::by_steps([
            ("first-checks", "Restart the pods. Check the graphs."),
            ("actions", "Scale up."),
        ]);
        let mut new = new_attempt("q", at(60), [3, 3, 1, 2]).with_id(8);
        new.answer = Answer::by_steps([
            (
                "first-checks",
                "Ask what changed recently.\nCheck the graphs.",
            ),
            ("actions", "Scale up."),
        ]);
        new.answer.follow_up = Some("Shard by tenant.".into());
        let d = compare(&old, &new).unwrap();
        assert_eq!((d.before, d.after), (3, 8));
        assert_eq!(
            d.steps,
            vec![StepDiff {
                step: Some("first-checks".into()),
                added: vec!["Ask what changed recently.".into()],
                dropped: vec!["Restart the pods.".into()],
            }]
        );
        assert_eq!(d.follow_up.unwrap().added, ["Shard by tenant."]);
        let context = &d.dimensions[0];
        assert_eq!(
            (
                context.before.as_ref().unwrap().level,
                context.after.as_ref().unwrap().level
            ),
            (1, 3)
        );
        assert_eq!(context.gained, ["context-hit"]);
        assert!(d.dimensions[1].gained.is_empty() && d.dimensions[1].lost.is_empty());
    }
}
