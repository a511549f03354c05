//! Stage 4c, inquiry: context-building is finding out.
//!
//! An interviewer hears context when a candidate asks, checks or confirms before committing:
//! "is it every store or three?", "I'd want to know what shipped Monday", "first I'd check
//! whether the lag started with the deploy". An answer that only states what it would do, however
//! much of the scenario it uses, has decided without finding anything out; the criteria can still
//! credit it for naming volumes, budgets or patterns. So when one of the rubric's `inquiry`
//! criteria or signals applies to the question's kind and none is earned, context keeps
//! `unasked_context` of its score. A retrospective looks back and asks nothing of anyone; the
//! built-in rubric's inquiry criteria do not apply to it.

use crate::model::pack::Dimension;

use super::super::applies;
use super::super::result::Flag;
use super::tally::Tally;
use super::units::Scored;
use super::{PerDimension, Scorer};

impl Scorer<'_> {
    /// Scales context when the answer finds nothing out, and says so.
    pub(super) fn weigh_inquiry(
        &self,
        scores: &mut PerDimension<f64>,
        tally: &Tally,
        units: &[Scored<'_>],
    ) -> Option<Flag> {
        let spec = &self.rubric.file().scoring;
        let ids = &spec.inquiry;
        let applying = self.all_criteria().any(|c| ids.contains(&c.spec.id))
            || self.rubric.file().signals.iter().any(|s| {
                ids.contains(&s.id)
                    && !self.disabled.contains(&s.id)
                    && applies(&s.kinds, self.kind)
            });
        let asked = Dimension::ALL
            .into_iter()
            .flat_map(|d| &tally.dims.get(d).hits)
            .any(|h| ids.contains(&h.criterion));
        // A heading earns nothing itself, but one that says what the candidate wants to find out
        // ("## What I'd want to know first") labels the inquiry in the lines beneath it.
        let labelled = || {
            units.iter().filter(|u| u.heading && !u.inert).any(|u| {
                self.all_criteria()
                    .filter(|c| ids.contains(&c.spec.id))
                    .any(|c| c.pattern.find_affirmed(&u.unit).is_some())
            })
        };
        if !applying || asked || scores[Dimension::Context] <= 0.0 || labelled() {
            return None;
        }
        scores[Dimension::Context] *= spec.unasked_context;
        Some(Flag {
            id: "asks-nothing".to_string(),
            message: format!(
                "the answer never asks a question or says what it would check or find out before \
                 committing, so context keeps {:.0}% of its score: say what you would ask or \
                 confirm first, and which answer would change your plan",
                spec.unasked_context * 100.0
            ),
            excerpt: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::answer::Answer;
    use crate::model::pack::{Dimension, Question};
    use crate::model::rubric::RubricFile;
    use crate::rubric::{CompiledRubric, Evaluation, embedded, score};

    fn question(id: &str) -> Question {
        let pack = crate::pack::builtin::pack().unwrap();
        pack.questions.iter().find(|q| q.id == id).unwrap().clone()
    }

    fn judge(rubric: &CompiledRubric, id: &str, text: &str) -> Evaluation {
        score(rubric, &question(id), &Answer::whole(text))
    }

    /// The default rubric with the inquiry rule turned off.
    fn without_inquiry() -> CompiledRubric {
        let mut file: RubricFile = serde_saphyr::from_str(embedded::DEFAULT_RUBRIC_YAML).unwrap();
        file.scoring.inquiry.clear();
        CompiledRubric::from_file(file).unwrap()
    }

    /// A decision stated with the scenario's own numbers, and nothing found out first.
    const DECIDED: &str = "We build a token bucket per API key in the Redis cluster we already \
        run for sessions. It is accurate across the 16 instances and costs one Redis call per \
        request, about a millisecond. Local buckets per instance would cost nothing in latency \
        but drift whenever we scale, so a customer could get sixteen times the limit. Limits \
        start at three times each customer's real peak from last month, higher on the \
        enterprise plan, and we return 429 with Retry-After. If Redis is down we fail open with \
        a local fallback limit, and we alert when anyone is limited more than 1% of the time. \
        Sales gets the per-plan numbers before launch.";

    #[test]
    fn an_answer_that_finds_nothing_out_keeps_a_share_of_its_context() {
        let rubric = CompiledRubric::builtin();
        let on = judge(rubric, "public-api-rate-limits", DECIDED);
        let off = judge(&without_inquiry(), "public-api-rate-limits", DECIDED);
        assert!(on.has_flag("asks-nothing"), "{:?}", on.flags);
        assert!(!off.has_flag("asks-nothing"));
        let keep = rubric.file().scoring.unasked_context;
        let (on, off) = (
            on.dimension(Dimension::Context).score,
            off.dimension(Dimension::Context).score,
        );
        assert!(off > 0.2, "the decision earns some context: {off}");
        assert!(
            (on - off * keep).abs() < 0.002,
            "{on} is not {keep} of {off}"
        );
    }

    #[test]
    fn asking_or_saying_what_you_would_check_first_is_finding_out() {
        let rubric = CompiledRubric::builtin();
        for opening in [
            "Is the looping customer on a plan we could cap today?",
            "First I'd want to know how close our biggest customers already run to any limit.",
            "Before deciding I'd pull a month of per-key rates to see where the top ten sit.",
            "## What I'd want to know first\n- per-key rates for a month\n- the pricey endpoints\n",
        ] {
            let e = judge(
                rubric,
                "public-api-rate-limits",
                &format!("{opening}\n\n{DECIDED}"),
            );
            assert!(!e.has_flag("asks-nothing"), "{opening:?}: {:?}", e.flags);
        }
        // Denied, it finds nothing out.
        let e = judge(
            rubric,
            "public-api-rate-limits",
            &format!("No need to find out who runs close to the limit. {DECIDED}"),
        );
        assert!(e.has_flag("asks-nothing"), "{:?}", e.flags);
    }

    /// A retrospective looks back; it is not asked to inquire.
    #[test]
    fn a_retrospective_is_not_asked_to_inquire() {
        let e = judge(
            CompiledRubric::builtin(),
            "idempotency-keys-wrong-success",
            "We keyed idempotency on the client's request id alone because the only client then \
             was our own checkout, which generated UUIDs. When the partner SDK shipped with a \
             counter that restarted at 1 on every app launch, two customers' payments collided \
             and the second got the first one's success. We scoped keys per merchant and \
             account, replayed the affected 212 payments with finance, refunded the doubles and \
             added a property test that two merchants can never share a key.",
        );
        assert!(!e.has_flag("asks-nothing"), "{:?}", e.flags);
    }
}
