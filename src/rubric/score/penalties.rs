//! Stage 4, penalties: each anti-pattern that applies fires at most once, on the first unit that
//! matches it outside an avoided phrase, unless a criterion in its `unless` was earned or (with
//! `before`) its dimension's behaviour already showed earlier. A dimension loses at most
//! `penalty_cap` in total.

use crate::model::pack::Dimension;

use super::super::result::Penalty;
use super::super::{AntiPattern, applies};
use super::criteria::Earnings;
use super::tally::{EXCERPT_CHARS, Tally};
use super::units::Scored;
use super::{PerDimension, Scorer};

impl Scorer<'_> {
    /// Takes the anti-patterns' penalties off `scores` and shows them in the ledger.
    pub(super) fn penalise(
        &self,
        tally: &mut Tally,
        scores: &mut PerDimension<f64>,
        earned: &Earnings<'_>,
        units: &[Scored<'_>],
    ) {
        let cap = self.rubric.file().scoring.penalty_cap;
        let mut taken = PerDimension::<f64>::default();
        for anti in self.rubric.compiled_anti_patterns() {
            if self.disabled.contains(&anti.spec.id)
                || !applies(&anti.spec.kinds, self.kind)
                || defused(anti, earned)
            {
                continue;
            }
            let Some((su, first, last)) = fired(anti, earned, units) else {
                continue;
            };
            let d = anti.spec.dimension;
            let points = anti.penalty.min((cap - taken[d]).max(0.0));
            taken[d] += points;
            tally.dims.get_mut(d).penalties.push(Penalty {
                anti_pattern: anti.spec.id.clone(),
                excerpt: su.unit.excerpt(su.text, first, last, EXCERPT_CHARS),
                reason: anti.spec.reason.clone(),
                points,
            });
        }
        for d in Dimension::ALL {
            scores[d] = (scores[d] - taken[d]).max(0.0);
        }
    }
}

/// True when a criterion named in the anti-pattern's `unless` earned credit.
fn defused(anti: &AntiPattern, earned: &Earnings<'_>) -> bool {
    anti.spec.unless.iter().any(|id| {
        earned
            .iter()
            .any(|(c, e)| &c.spec.id == id && e.as_ref().is_some_and(|e| e.credit > 0.0))
    })
}

/// The unit the anti-pattern fires on, with the tokens it matched: the first match that is not
/// repeated and not avoided, unless the anti-pattern's `before` dimension earned credit at or
/// before that unit.
fn fired<'u, 'a>(
    anti: &AntiPattern,
    earned: &Earnings<'_>,
    units: &'u [Scored<'a>],
) -> Option<(&'u Scored<'a>, usize, usize)> {
    let earliest_in = |dim: Dimension| {
        earned
            .iter()
            .filter(|(c, _)| c.spec.dimension == dim)
            .filter_map(|(_, e)| e.as_ref().map(|e| e.earliest))
            .min()
    };
    for (order, su) in units.iter().enumerate() {
        if su.repeated {
            continue;
        }
        let Some((first, last)) = anti
            .pattern
            .find_in(&su.unit, |a, b| !su.unit.avoided(a, b))
        else {
            continue;
        };
        if let Some(dim) = anti.spec.before
            && earliest_in(dim).is_some_and(|at| at <= order)
        {
            return None;
        }
        return Some((su, first, last));
    }
    None
}
