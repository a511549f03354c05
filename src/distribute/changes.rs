//! What an update changes in a pack, question by question, matched by stable question id (as
//! history is): questions added and removed, questions reworded (anything the candidate reads:
//! title, prompt, steps, follow-ups, facts), questions whose rubric changed (they would be scored
//! differently: the same fingerprint history records), and questions with other edits (model
//! answers, hints, examples, tags). Pure: two packs in, a summary out.

use serde::Serialize;

use crate::model::pack::Question;
use crate::pack::Pack;

/// One question named in a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    /// Question id.
    pub id: String,
    /// Its title (in the new version, when it has one).
    pub title: String,
}

/// The differences between two versions of a pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// False when the previous version could not be read (then every question is "added").
    pub compared: bool,
    /// Questions only in the new version.
    pub added: Vec<Named>,
    /// Questions only in the old version; their attempts stay in the history.
    pub removed: Vec<Named>,
    /// Questions whose candidate-facing text changed.
    pub reworded: Vec<Named>,
    /// Questions whose rubric changed: they would score an answer differently.
    pub rubric_changed: Vec<Named>,
    /// Questions with other edits only.
    pub other: Vec<Named>,
}

impl Changes {
    /// True when no question changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.reworded.is_empty()
            && self.rubric_changed.is_empty()
            && self.other.is_empty()
    }
}

/// Compares `old` (when it could be read) with `new`.
pub fn compare(old: Option<&Pack>, new: &Pack) -> Changes {
    let named = |q: &Question| Named {
        id: q.id.clone(),
        title: q.title.clone(),
    };
    let Some(old) = old else {
        return Changes {
            compared: false,
            added: new.questions.iter().map(named).collect(),
            ..Changes::default()
        };
    };
    let mut changes = Changes {
        compared: true,
        ..Changes::default()
    };
    for q in &new.questions {
        let Some(before) = old.questions.iter().find(|o| o.id == q.id) else {
            changes.added.push(named(q));
            continue;
        };
        let reworded = wording(before) != wording(q);
        let rubric = fingerprint(old, before) != fingerprint(new, q);
        if reworded {
            changes.reworded.push(named(q));
        }
        if rubric {
            changes.rubric_changed.push(named(q));
        }
        if !reworded && !rubric && json(before) != json(q) {
            changes.other.push(named(q));
        }
    }
    for q in &old.questions {
        if !new.questions.iter().any(|n| n.id == q.id) {
            changes.removed.push(named(q));
        }
    }
    changes
}

/// What the candidate reads of a question.
fn wording(q: &Question) -> serde_json::Value {
    serde_json::json!({
        "title": q.title,
        "prompt": q.prompt,
        "steps": q.effective_steps().iter().map(|s| (&s.id, &s.ask)).collect::<Vec<_>>(),
        "follow_ups": q.follow_ups.iter().map(|f| (&f.id, &f.ask)).collect::<Vec<_>>(),
        "facts": q.facts.iter().map(|f| (&f.id, &f.about, &f.reveal)).collect::<Vec<_>>(),
    })
}

/// The judge's fingerprint history records for the question; `None` if the pack has no judge
/// (a validated pack always has one).
fn fingerprint(pack: &Pack, q: &Question) -> Option<String> {
    crate::judge::for_pack(pack).ok()?.fingerprint(q).ok()
}

fn json(q: &Question) -> serde_json::Value {
    serde_json::to_value(q).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::load::{Origin, load_files};

    fn pack(yaml: &str) -> Pack {
        load_files(
            vec![("p.yaml".into(), yaml.as_bytes().to_vec())],
            false,
            Origin::Path("p.yaml".into()),
            "p.yaml",
        )
        .unwrap_or_else(|d| panic!("{d}"))
    }

    const MINI: &str = include_str!("../../tests/fixtures/packs/mini.yaml");

    #[test]
    fn added_removed_reworded_rubric_and_other_edits_are_told_apart() {
        let old = pack(MINI);
        let new = MINI
            // Reworded: the prompt a candidate reads.
            .replace(
                "Would you put a cache in front of it?",
                "Would you cache it?",
            )
            // Other edit: the model answer only.
            .replace(
                "I would measure latency from our side",
                "I would measure the latency from our side",
            )
            // Removed.
            .replace("  - id: json-prefs", "  - id: json-prefs-v2")
            // Rubric: a question weight.
            .replace(
                "  - id: url-shortener\n",
                "  - id: url-shortener\n    rubric:\n      weights: {context: 3}\n",
            );
        let changes = compare(Some(&old), &pack(&new));
        let ids = |v: &[Named]| v.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        assert!(changes.compared);
        assert_eq!(ids(&changes.added), ["json-prefs-v2"]);
        assert_eq!(ids(&changes.removed), ["json-prefs"]);
        assert_eq!(ids(&changes.reworded), ["cache-or-not"]);
        assert_eq!(ids(&changes.rubric_changed), ["url-shortener"]);
        assert_eq!(ids(&changes.other), ["slow-checkout"]);
        assert!(compare(Some(&old), &old).is_empty());
        assert!(!compare(None, &old).compared);
    }
}
