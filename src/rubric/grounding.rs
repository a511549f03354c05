//! Grounding: how much a unit of an answer is about *this* question.
//!
//! A rubric pattern finds an act ("asks what changed", "involves others"); grounding asks what an
//! interviewer asks next: about what? A unit is grounded by its anchors: words the scenario
//! supplies (its components, users, symptoms), quantities and times, named roles, and technical
//! nouns. Virtue words ("stakeholders", "metrics", "trade-offs") anchor nothing, because they fit
//! every question. The anchors of a unit scale the credit it earns, and
//! the share of an answer's words that sit in grounded units tells recital from an answer.

use std::collections::HashSet;

use crate::text::{Unit, lexicon, negation, vocabulary};

/// Credit a unit keeps with no anchor at all, in an answer that is itself mostly recital: the act
/// is named, about nothing in particular.
pub const UNGROUNDED: f64 = 0.3;
/// The same in an answer dense with anchors: "Blameless review, and I explain my part" means
/// something after four paragraphs about the queue and the workers.
const UNGROUNDED_IN_CONTEXT: f64 = 0.45;
/// Anchors per hundred words from which an answer counts as fully grounded, and below which it
/// counts as not grounded at all.
const DENSE: f64 = 10.0;
const SPARSE: f64 = 4.0;
/// Credit added per anchor, up to full credit.
const PER_ANCHOR: f64 = 0.35;

/// What ties one unit to a real situation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Anchors {
    /// Distinct scenario words (stems shared with the question's topic, beyond virtue words).
    pub scenario: usize,
    /// Weighted count of the other anchors: quantities, times and named roles count 1,
    /// technical nouns one half. (Capitals are not read: an answer in upper case scores the same.)
    pub concrete: f64,
}

impl Anchors {
    /// The anchors as one number, capped at three.
    pub fn total(self) -> f64 {
        (self.scenario as f64 + self.concrete).min(3.0)
    }

    /// The share of a unit's credit its anchors let it keep, in an answer whose anchors per
    /// hundred words are `density`.
    pub fn factor(self, density: f64) -> f64 {
        let context = ((density - SPARSE) / (DENSE - SPARSE)).clamp(0.0, 1.0);
        let floor = UNGROUNDED + (UNGROUNDED_IN_CONTEXT - UNGROUNDED) * context;
        (floor + PER_ANCHOR * self.total()).min(1.0)
    }

    /// True when the unit names at least one thing.
    pub fn grounded(self) -> bool {
        self.total() >= 1.0
    }
}

/// Words that point back at what the sentence before named: "This part is my fault", "It stays
/// behind a flag", "Mine was the call".
const REFERENTS: &[&str] = &[
    "this", "that", "it", "its", "these", "those", "them", "they", "there", "which", "mine",
    "both", "either", "same",
];

/// How far into a unit a reference back still counts: a pronoun in the opening words is about
/// the sentence before; one deep in a long sentence is about that sentence itself.
const REFERENCE_REACH: usize = 5;

/// The anchors a unit borrows from a grounded sentence just before it when it only refers back
/// to it: enough to count as grounded, never more than one anchor's worth.
pub const BORROWED: f64 = 1.0;

/// True when `unit` opens by referring back to what came before it.
pub fn refers_back(unit: &Unit) -> bool {
    unit.words()
        .iter()
        .take(REFERENCE_REACH)
        .any(|w| REFERENTS.contains(w))
}

/// A crude stem for vocabulary overlap: the first five characters.
pub fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// A word that can carry meaning about a topic: three characters or more, not a function word.
pub fn is_content(word: &str) -> bool {
    word.chars().count() >= 3 && !lexicon::is_function_word(word)
}

/// A word that names something rather than a virtue or an everyday notion.
pub fn is_specific(word: &str) -> bool {
    is_content(word) && !vocabulary::is_generic(word) && !lexicon::is_common_word(word)
}

/// The answer's own terms: stems of specific words (not virtues, not everyday words) that two or
/// more different units of the answer use. "The index refresh", "the rota", "the mixed model":
/// a candidate who names a thing of their own and comes back to it is talking about something
/// concrete, even in words the question never used. A recital has no such words to repeat, and
/// a sentence said twice counts once.
pub fn own_terms(units: &[&Unit]) -> HashSet<String> {
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let mut once: HashSet<String> = HashSet::new();
    let mut twice: HashSet<String> = HashSet::new();
    for unit in units {
        let words = unit.words();
        // A denial lends nothing: "I would not involve the payments team" must not make the
        // payments team one of the answer's subjects (appending it could then raise a score).
        if words.iter().any(|w| negation::is_cue_word(w)) {
            continue;
        }
        let mut stems: Vec<String> = words
            .into_iter()
            .filter(|w| is_specific(w) && !vocabulary::is_time(w))
            .map(stem)
            .collect();
        stems.sort_unstable();
        stems.dedup();
        // The same words again, in any order, are the same sentence.
        if stems.is_empty() || !seen.insert(stems.clone()) {
            continue;
        }
        for s in stems {
            if !once.insert(s.clone()) {
                twice.insert(s);
            }
        }
    }
    twice
}

/// The anchors of `unit` against the question's `topic` stems and the answer's `own` terms
/// ([`own_terms`]).
pub fn anchors(unit: &Unit, topic: &HashSet<String>, own: &HashSet<String>) -> Anchors {
    let words = unit.words();
    let mut scenario: HashSet<String> = HashSet::new();
    let mut concrete = 0.0;
    let mut seen: HashSet<&str> = HashSet::new();
    for w in &words {
        if !seen.insert(w) {
            continue;
        }
        if vocabulary::is_time(w) {
            concrete += 1.0;
            continue;
        }
        let role = vocabulary::is_role(w);
        if is_specific(w) || role {
            let stem = stem(w);
            if topic.contains(&stem) || own.contains(&stem) {
                scenario.insert(stem);
                continue;
            }
        }
        if role {
            concrete += 1.0;
            continue;
        }
        if vocabulary::is_technical(w) {
            concrete += 0.5;
            continue;
        }
    }
    // "p99 versus p50" is interview vocabulary until a number comes with it.
    let percentiles = words
        .iter()
        .filter(|w| w.len() > 1 && w.starts_with('p') && w[1..].bytes().all(|b| b.is_ascii_digit()))
        .count();
    concrete += unit.quantities().saturating_sub(percentiles).min(2) as f64;
    Anchors {
        scenario: scenario.len(),
        concrete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn topic(words: &[&str]) -> HashSet<String> {
        words.iter().map(|w| stem(w)).collect()
    }

    fn of(sentence: &str, t: &HashSet<String>) -> Anchors {
        let units = text::analyse(sentence);
        anchors(&units[0], t, &HashSet::new())
    }

    #[test]
    fn virtue_words_anchor_nothing() {
        let t = topic(&["thumbnail", "queue", "workers", "listing"]);
        let a = of(
            "I would involve the other teams, tell stakeholders about the impact and write a \
             blameless postmortem.",
            &t,
        );
        assert!(!a.grounded(), "{a:?}");
        assert!((a.factor(0.0) - UNGROUNDED).abs() < 1e-9);
        assert!((a.factor(20.0) - UNGROUNDED_IN_CONTEXT).abs() < 1e-9);
    }

    #[test]
    fn scenario_words_quantities_and_roles_anchor() {
        let t = topic(&["thumbnail", "queue", "workers", "listing"]);
        let a = of("Tell seller support the thumbnail queue drains by 9pm.", &t);
        assert!(a.scenario >= 2, "{a:?}");
        assert!(a.grounded());
        assert!((a.factor(0.0) - 1.0).abs() < 1e-9);
        let plain = of("I'd want to know what shipped Monday.", &t);
        assert!(plain.grounded(), "{plain:?}");
    }

    #[test]
    fn references_back_are_read_only_in_the_opening_words() {
        let t = HashSet::new();
        let units = text::analyse(
            "This second part is my fault. I would roll out the fix to the services and watch \
             the login error rate for a day after it.",
        );
        assert!(refers_back(&units[0]));
        assert!(!refers_back(&units[1]));
        assert!(!of("Blameless review with owners and dates.", &t).grounded());
    }

    #[test]
    fn terms_the_answer_returns_to_anchor_it() {
        let text = "My main suspect is the index refresh every fifteen minutes. \
                    A heap snapshot of a six-day-old pod would show the old index still held. \
                    I would involve stakeholders and communicate clearly.";
        let units = text::analyse(text);
        let own = own_terms(&units.iter().collect::<Vec<_>>());
        assert!(own.contains(&stem("index")), "{own:?}");
        assert!(!own.contains(&stem("stakeholders")), "{own:?}");
        let later = text::analyse("The index is my first guess.");
        let t = HashSet::new();
        assert!(anchors(&later[0], &t, &own).grounded());
        assert!(!anchors(&later[0], &t, &HashSet::new()).grounded());
    }

    #[test]
    fn repeated_and_denied_sentences_lend_no_terms() {
        let units = text::analyse(
            "Check the index refresh. Check the index refresh. Refresh the index check. \
             I would not touch the index.",
        );
        assert!(own_terms(&units.iter().collect::<Vec<_>>()).is_empty());
    }

    #[test]
    fn technical_nouns_count_half() {
        let t = HashSet::new();
        let a = of("We pin the connection pool size.", &t);
        assert!((a.concrete - 1.0).abs() < 1e-9, "{a:?}");
    }
}
