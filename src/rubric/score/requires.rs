//! Stage 4b, what Strong requires: a dimension reaches Strong only when one of the criteria the
//! rubric names for it (`scoring.strong_requires`) was earned. Saturation lets a dimension fill
//! up on any of its criteria; an interviewer does not call trade-offs strong when gains and costs
//! are named but no two options are put side by side and nothing is chosen.

use crate::model::pack::Dimension;

use super::super::result::Flag;
use super::criteria::Earnings;
use super::{PerDimension, Scorer};

/// How far below the Strong threshold a capped dimension is held.
const BELOW: f64 = 0.001;

impl Scorer<'_> {
    /// Holds each dimension below Strong whose required criteria all apply unearned, and says so.
    pub(super) fn require_for_strong(
        &self,
        scores: &mut PerDimension<f64>,
        earned: &Earnings<'_>,
    ) -> Vec<Flag> {
        let strong = self.rubric.file().levels.strong;
        let requires = &self.rubric.file().scoring.strong_requires;
        let mut flags = Vec::new();
        for d in Dimension::ALL {
            let Some(ids) = requires.get(&d) else {
                continue;
            };
            if scores[d] < strong {
                continue;
            }
            let applying: Vec<_> = earned
                .iter()
                .filter(|(c, _)| ids.contains(&c.spec.id))
                .collect();
            if applying.is_empty() || applying.iter().any(|(_, e)| e.is_some()) {
                continue;
            }
            scores[d] = strong - BELOW;
            let titles: Vec<&str> = applying
                .iter()
                .map(|(c, _)| c.spec.title.as_str())
                .collect();
            flags.push(Flag {
                id: "strong-needs".to_string(),
                message: format!(
                    "{d} stays below Strong: a strong answer also does one of these: {}",
                    titles.join("; ")
                ),
                excerpt: None,
            });
        }
        flags
    }
}
