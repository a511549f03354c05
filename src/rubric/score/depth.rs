//! Stage 4b, depth: how much of the situation an answer works with.
//!
//! Interviewers grade an answer by what it does with the scenario: the components it checks,
//! the numbers it compares, the people it calls, the times it watches. A mid answer names the
//! right acts in a sentence each, about little; a strong one brings thirty, fifty, eighty things
//! of the situation into its reasoning. The criteria read the acts; depth reads the material: the
//! distinct specific words (stems of words that are not virtues, not everyday words and not
//! function words, and named roles) of the units that are grounded and live. Repeated, mocking,
//! dismissive, buzzword and roll-call units lend nothing, nor do the words a negation governs,
//! so appending a repeated or a denied sentence can never deepen an answer. Context, trade-offs
//! and ownership keep a share of their scores that grows with depth, from `shallow_floor` with
//! no such word to all of it from `depth_terms` words on.

use std::collections::HashSet;

use crate::model::pack::Dimension;
use crate::text::vocabulary;

use super::super::ScoringSpec;
use super::super::grounding::{is_specific, stem};
use super::super::result::Flag;
use super::PerDimension;
use super::criteria::enumeration;
use super::units::Scored;

/// The dimensions depth scales: what an answer says about the situation, not how it is said.
const SUBSTANCE: [Dimension; 3] = [
    Dimension::Context,
    Dimension::TradeOffs,
    Dimension::Ownership,
];

/// The distinct specific terms `units` work with.
pub(super) fn terms(units: &[Scored<'_>]) -> usize {
    let mut stems: HashSet<String> = HashSet::new();
    for u in units {
        // Inert covers repeats, denials, mockery, dismissal and the interviewer's lines.
        if u.inert || u.tone.buzzwords > 0 || !u.anchors.grounded() || enumeration(&u.unit) {
            continue;
        }
        for (i, word) in u.unit.words().into_iter().enumerate() {
            if u.unit.negated(i, i) {
                continue;
            }
            if is_specific(word) || vocabulary::is_role(word) {
                stems.insert(stem(word));
            }
        }
    }
    stems.len()
}

/// The share of their scores the substance dimensions keep with `terms` distinct terms.
pub(super) fn factor(terms: usize, spec: &ScoringSpec) -> f64 {
    let full = spec.depth_terms.max(1) as f64;
    let depth = (terms as f64 / full).min(1.0);
    spec.shallow_floor + (1.0 - spec.shallow_floor) * depth
}

/// Scales context, trade-offs and ownership by the answer's depth, and keeps communication (already
/// weighed by the substance before depth) at Emerging or below unless one of them is above it.
/// Returns a flag when the answer is shallow: under half the terms a full answer works with.
pub(super) fn weigh(
    scores: &mut PerDimension<f64>,
    terms: usize,
    spec: &ScoringSpec,
) -> Option<Flag> {
    let factor = factor(terms, spec);
    for d in SUBSTANCE {
        scores[d] *= factor;
    }
    let shallow = terms * 2 < spec.depth_terms;
    // Communication was weighed by the substance before depth (a clear answer about little is
    // still clear); it stays above Emerging only while a substance dimension does.
    let best = SUBSTANCE
        .into_iter()
        .map(|d| scores[d])
        .fold(spec.guard_cap, f64::max);
    let c = &mut scores[Dimension::Communication];
    *c = c.min(best);
    let substance: f64 = SUBSTANCE.into_iter().map(|d| scores[d]).sum();
    (shallow && substance > 0.0).then(|| Flag {
        id: "shallow".to_string(),
        message: format!(
            "the answer works with {terms} distinct specifics of the situation (its components, \
             numbers, people, times); a full answer works with {} or more, so context, \
             trade-offs and ownership keep {:.0}% of their scores: say what you would check, \
             compare and tell, about what",
            spec.depth_terms,
            factor * 100.0
        ),
        excerpt: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::rubric::CompiledRubric;

    fn spec() -> ScoringSpec {
        CompiledRubric::builtin().file().scoring.clone()
    }

    #[test]
    fn depth_scales_from_the_floor_to_everything() {
        let spec = spec();
        assert!((factor(0, &spec) - spec.shallow_floor).abs() < 1e-12);
        assert!((factor(spec.depth_terms, &spec) - 1.0).abs() < 1e-12);
        assert!((factor(spec.depth_terms * 3, &spec) - 1.0).abs() < 1e-12);
        let half = factor(spec.depth_terms / 2, &spec);
        assert!(half > spec.shallow_floor && half < 1.0, "{half}");
    }

    /// Repeated sentences and the words a negation governs lend no depth; a sentence with new
    /// specifics does.
    #[test]
    fn only_live_specific_words_count() {
        let pack = crate::pack::builtin::pack().unwrap();
        let q = pack
            .questions
            .iter()
            .find(|q| q.id == "stock-events-consumer-lag")
            .unwrap();
        let rubric = CompiledRubric::builtin();
        let scorer = super::super::Scorer::new_or_plain(rubric, q).0;
        let terms_of = |text: &str| {
            let answer = Answer::whole(text);
            let pieces = super::super::units::pieces(&answer);
            let mut units = scorer.units(&pieces);
            scorer.mark_denials(&mut units);
            terms(&units)
        };
        let base = "I'd compare the partner API latency with last Monday and check the 36 pods \
            against the 24 partitions.";
        let n = terms_of(base);
        assert!(n >= 3, "{n}");
        assert_eq!(
            terms_of(&format!("{base} {base}")),
            n,
            "a repeat adds nothing"
        );
        assert_eq!(
            terms_of(&format!(
                "{base} I would not page the warehouse vendor or the DBA."
            )),
            n,
            "a denial adds nothing"
        );
        assert!(terms_of(&format!("{base} Then I'd look at Postgres lock waits.")) > n);
    }
}
