//! Structure: behaviours shown by the shape of a line rather than by its words.
//!
//! Terse and bulleted answers weigh options as labelled lines with no connectives at all:
//! "Scale workers: minutes, reversible, costs money." / "Separate lane: listings stay fast; one
//! more queue to own." / "Pick: the separate lane." Patterns look for "instead of", "the
//! downside is", "I would go with", and find none of it. This stage recognises the shapes: an
//! *option line* is a short label, a colon (or a table row's cells), then two or more items, at
//! least one of which says what the option gains or costs; a *decision line* labels the choice
//! ("Pick:", "Go:", "Recommendation:"). Criteria opt in with `structures:` in the rubric.

use crate::model::pack::Structure;
use crate::text::Unit;

/// Longest label before the colon, in words.
const MAX_LABEL_WORDS: usize = 6;

/// Words that say what an option gains.
const GAINS: &[&str] = &[
    "fast",
    "faster",
    "fastest",
    "quick",
    "quicker",
    "quickly",
    "minutes",
    "cheap",
    "cheaper",
    "cheapest",
    "simple",
    "simpler",
    "simplest",
    "easy",
    "easier",
    "reversible",
    "safe",
    "safer",
    "clean",
    "cleaner",
    "isolation",
    "isolated",
    "invisible",
    "reliable",
    "better",
    "best",
    "fixes",
    "helps",
    "fresh",
    "consistent",
    "durable",
    "proven",
    "familiar",
    "managed",
    "decoupled",
    "independent",
    "scales",
    "predictable",
    "free",
    "instant",
    "immediate",
    "low",
    "lower",
    "less",
    "fewer",
    "small",
    "smaller",
    "no",
    "zero",
    "keeps",
    "stays",
    "works",
    "gains",
    "gain",
    "pro",
    "pros",
    "upside",
    "wins",
    "win",
    "flexible",
    "control",
    "ordering",
    "replay",
    "exactly",
    "guarantees",
    "guaranteed",
];

/// Words that say what an option costs.
const COSTS: &[&str] = &[
    "cost",
    "costs",
    "costly",
    "money",
    "expensive",
    "pricier",
    "slow",
    "slower",
    "slowest",
    "risk",
    "risks",
    "risky",
    "riskier",
    "brittle",
    "fragile",
    "hard",
    "harder",
    "complex",
    "complexity",
    "breaks",
    "break",
    "breaking",
    "pain",
    "painful",
    "waste",
    "wastes",
    "another",
    "more",
    "double",
    "lock",
    "lockin",
    "depends",
    "only",
    "leaves",
    "outage",
    "downtime",
    "lose",
    "loses",
    "losing",
    "stale",
    "effort",
    "weeks",
    "months",
    "own",
    "operate",
    "maintain",
    "overhead",
    "burden",
    "con",
    "cons",
    "downside",
    "catch",
    "but",
    "however",
    "blocks",
    "block",
    "delay",
    "delays",
    "limited",
    "limit",
    "limits",
    "manual",
    "toil",
    "migration",
    "rewrite",
    "duplicate",
    "duplicates",
    "drift",
    "vendor",
];

/// Labels that introduce the chosen option.
const DECISION_LABELS: &[&str] = &[
    "pick",
    "picked",
    "go",
    "choose",
    "choice",
    "chosen",
    "decision",
    "decide",
    "recommendation",
    "recommend",
    "verdict",
    "call",
    "answer",
    "proposal",
    "likely",
    "plan",
    "so",
    "winner",
    "preferred",
    "preference",
    "conclusion",
    "bet",
    "take",
];

/// What the shape of one unit shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// An option line.
    pub option: bool,
    /// An option line whose items name a gain.
    pub gain: bool,
    /// An option line whose items name a cost.
    pub cost: bool,
    /// A decision line.
    pub decision: bool,
}

/// Reads the shape of `unit`, whose source is `text`.
pub fn marks(unit: &Unit, text: &str) -> Marks {
    let source = unit.source(text).trim();
    let Some((label, items)) = split_label(source) else {
        return Marks::default();
    };
    let label_words: Vec<String> = crate::text::normalize_phrase(label);
    if label_words.is_empty() || label_words.len() > MAX_LABEL_WORDS {
        return Marks::default();
    }
    let item_words: Vec<String> = crate::text::normalize_phrase(items);
    let decision = label_words
        .iter()
        .any(|w| DECISION_LABELS.contains(&w.as_str()))
        && item_words.len() >= 2;
    let count = items
        .split([',', ';', '+', '|'])
        .filter(|i| i.split_whitespace().count() >= 1)
        .count()
        + items.matches(" but ").count();
    let gain = item_words.iter().any(|w| GAINS.contains(&w.as_str()));
    let cost = item_words.iter().any(|w| COSTS.contains(&w.as_str()));
    let option = !decision && count >= 2 && (gain || cost);
    Marks {
        option,
        gain: option && gain,
        cost: option && cost,
        decision,
    }
}

/// The label and the items of a labelled line: "Label: items", or a table row "| a | b | c |".
fn split_label(source: &str) -> Option<(&str, &str)> {
    let row = source.trim_matches(|c: char| c == '|' || c.is_whitespace());
    if source.starts_with('|') && row.matches('|').count() >= 2 {
        if row.chars().all(|c| "|-: ".contains(c)) {
            return None;
        }
        return row.split_once('|');
    }
    let source = source.trim_start_matches(|c: char| "-*#>0123456789.) ".contains(c));
    let (label, items) = source.split_once(':')?;
    // "10:30" is a time, not a label.
    if label.ends_with(|c: char| c.is_ascii_digit())
        && items.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some((label, items))
}

/// True when `marks` shows `structure`; `earlier_options` counts the option lines before it.
pub fn shows(structure: Structure, marks: Marks, earlier_options: usize) -> bool {
    match structure {
        Structure::OptionLines => marks.option && earlier_options >= 1,
        Structure::OptionGain => marks.gain,
        Structure::OptionCost => marks.cost,
        Structure::DecisionLine => marks.decision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn of(line: &str) -> Marks {
        text::analyse(line)
            .first()
            .map_or_else(Marks::default, |unit| marks(unit, line))
    }

    #[test]
    fn labelled_options_with_gains_and_costs() {
        let m =
            of("- Scale workers: minutes, reversible, costs money, only helps if decode-bound.");
        assert!(m.option && m.gain && m.cost, "{m:?}");
        let m = of(
            "Separate lane for big originals: normal listings stay fast; one more queue to own.",
        );
        assert!(m.option && m.gain && m.cost, "{m:?}");
    }

    #[test]
    fn decisions_are_labelled_choices() {
        assert!(of("Pick: the big-file lane plus a temporary scale-up.").decision);
        assert!(of("Go: proxy + per-customer outreach via account managers.").decision);
        assert!(!of("Pick: it.").option);
    }

    #[test]
    fn other_labelled_lines_are_not_options() {
        assert_eq!(
            of("Reproduce: pull 20 afternoon jobs, run on one worker, time each step."),
            Marks::default()
        );
        assert_eq!(of("We met at 10:30, fast and cheap."), Marks::default());
        assert_eq!(of("Before touching anything:"), Marks::default());
    }

    #[test]
    fn table_rows_are_option_lines() {
        let m = of("| Kafka | ordering, replay | one more consumer group to operate |");
        assert!(m.option && m.gain && m.cost, "{m:?}");
        assert_eq!(of("|---|---|---|"), Marks::default());
    }
}
