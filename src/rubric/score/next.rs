//! Stage 7, what to add next: the three most valuable misses, weighted by how much their
//! dimension counts for the question's kind and how weak it is; one per dimension first, then the
//! best of the rest.

use std::collections::BTreeSet;

use super::super::result::NextStep;
use super::PerDimension;
use super::tally::Candidate;

/// How many things to add an evaluation names.
const NEXT: usize = 3;

/// The candidates ranked: `total` is each dimension's applicable weight, `scores` its final
/// score, `weights` what it counts for in the overall score.
pub(super) fn next(
    candidates: Vec<Candidate>,
    total: &PerDimension<f64>,
    scores: &PerDimension<f64>,
    weights: &PerDimension<f64>,
) -> Vec<NextStep> {
    let mut ranked: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .map(|c| {
            let d = c.step.dimension;
            let share = if total[d] > 0.0 {
                c.weight / total[d]
            } else {
                0.0
            };
            let weakness = 1.0 - scores[d] * 0.5;
            (share * weights[d] * weakness, c)
        })
        .collect();
    ranked.sort_by(|(a, ca), (b, cb)| {
        b.total_cmp(a)
            .then(ca.step.dimension.cmp(&cb.step.dimension))
            .then(ca.order.cmp(&cb.order))
    });
    let mut next: Vec<NextStep> = Vec::new();
    let mut used = BTreeSet::new();
    for (_, c) in &ranked {
        if next.len() < NEXT && used.insert(c.step.dimension) {
            next.push(c.step.clone());
        }
    }
    for (_, c) in &ranked {
        if next.len() < NEXT && !next.iter().any(|n| n.criterion == c.step.criterion) {
            next.push(c.step.clone());
        }
    }
    next
}
