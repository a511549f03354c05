//! Stage 6, the result: scores rounded once, each dimension's level and label, the overall score
//! as the kind-weighted mean of the dimensions, and the [`Evaluation`] that carries them.

use crate::model::pack::Dimension;

use super::super::result::{Dimensions, round3};
use super::super::result::{Evaluation, Flag, Label, NextStep, Overall, RESULT_FORMAT_VERSION};
use super::{PerDimension, Scorer};

/// Rounds `scores` here, once, to what the JSON shows: levels are decided on the printed value,
/// and an evaluation read back from storage renders exactly as it did live.
pub(super) fn round(scores: &mut PerDimension<f64>) {
    for s in scores.values_mut() {
        *s = round3(*s);
    }
}

impl Scorer<'_> {
    /// The evaluation of rounded `scores`, with the ledger's `dims`, the guards' `flags` and what
    /// to add `next`.
    pub(super) fn evaluation(
        &self,
        scores: &PerDimension<f64>,
        mut dims: Dimensions,
        flags: Vec<Flag>,
        next: Vec<NextStep>,
    ) -> Evaluation {
        let levels = self.rubric.file().levels;
        for d in Dimension::ALL {
            let result = dims.get_mut(d);
            for hit in &mut result.hits {
                hit.credit = round3(hit.credit);
            }
            for penalty in &mut result.penalties {
                penalty.points = round3(penalty.points);
            }
            result.score = scores[d];
            result.level = levels.level(scores[d]);
            result.label = Label::from_level(result.level);
        }
        let overall_score = round3(
            Dimension::ALL
                .iter()
                .map(|&d| scores[d] * self.weights[d])
                .sum(),
        );
        let overall_level = levels.level(overall_score);
        Evaluation {
            format_version: RESULT_FORMAT_VERSION,
            question: self.question_id.clone(),
            pack: self.rubric.pack_id().to_string(),
            kind: self.kind,
            overall: Overall {
                score: overall_score,
                level: overall_level,
                label: Label::from_level(overall_level),
            },
            dimensions: dims,
            flags,
            next,
        }
    }
}
