//! The ledger the stages write into, per dimension: the weight the answer earned and the weight
//! that applied, the hits, misses and penalties shown to the candidate, and the misses that are
//! candidates for what to add next.

use crate::model::pack::Dimension;

use super::super::ScoringSpec;
use super::super::result::{DimensionResult, Dimensions, NextStep};
use super::PerDimension;

/// Longest excerpt quoted in feedback, in characters.
pub(super) const EXCERPT_CHARS: usize = 160;

/// A miss that may be worth adding next.
pub(super) struct Candidate {
    /// The weight it would add: a criterion's weight, or what a signal has left to earn.
    pub weight: f64,
    /// Its place among the criteria and signals, which breaks ties.
    pub order: usize,
    pub step: NextStep,
}

/// What the stages found, per dimension.
pub(super) struct Tally {
    pub dims: Dimensions,
    /// Weight earned (credit times weight).
    pub earned: PerDimension<f64>,
    /// Weight that applied.
    pub total: PerDimension<f64>,
    pub next: Vec<Candidate>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            dims: Dimensions {
                context: DimensionResult::empty(),
                trade_offs: DimensionResult::empty(),
                ownership: DimensionResult::empty(),
                communication: DimensionResult::empty(),
            },
            earned: PerDimension::default(),
            total: PerDimension::default(),
            next: Vec::new(),
        }
    }

    /// Each dimension's earned weight over `saturation` of its applicable weight, capped at 1.
    pub fn saturated(&self, spec: &ScoringSpec) -> PerDimension<f64> {
        PerDimension::from_fn(|d: Dimension| {
            let saturation = spec.saturation.get(&d).copied().unwrap_or(0.6).max(0.05);
            if self.total[d] > 0.0 {
                (self.earned[d] / (saturation * self.total[d])).min(1.0)
            } else {
                0.0
            }
        })
    }
}
