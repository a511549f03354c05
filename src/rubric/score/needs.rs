//! Stage 4c, needs: the acts a dimension needs to count in full.
//!
//! Context-building is finding out: an interviewer hears it when a candidate asks, checks or
//! confirms before committing ("is it every store or three?", "I'd want to know what shipped
//! Monday"); in an incident, mitigations weighed before anything is found out are guesses.
//! Ownership is what happens after the fix: checking it held, watching, alerting, following up.
//! An answer that never does the act, however much of the scenario it uses, can still earn the
//! dimension's other criteria (volumes and budgets named, a fix described), so for each
//! dimension the rubric lists in `scoring.needs`, when one of the need's criteria or signals
//! applies to the question's kind (and the need itself does, when it names `kinds`) and none is
//! earned, the dimension keeps only the need's `keep` of its score, and the need's flag says so.
//! A Markdown heading earns nothing itself, but one that does the act ("## What I want to know
//! first") labels the lines beneath it and counts.

use crate::model::pack::Dimension;
use crate::model::rubric::{Need, SignalSpec};

use super::super::applies;
use super::super::result::Flag;
use super::tally::Tally;
use super::units::Scored;
use super::{PerDimension, Scorer};

impl Scorer<'_> {
    /// Scales each dimension whose need the answer does not meet, and flags it. The need's
    /// criteria and signals then rank higher among the things to add next: earning one would
    /// give back the share the dimension lost.
    pub(super) fn weigh_needs(
        &self,
        scores: &mut PerDimension<f64>,
        tally: &mut Tally,
        units: &[Scored<'_>],
    ) -> Vec<Flag> {
        let mut flags = Vec::new();
        for (&dimension, need) in &self.rubric.file().scoring.needs {
            if scores[dimension] <= 0.0 || !self.applies(need) || self.met(need, tally, units) {
                continue;
            }
            scores[dimension] *= need.keep;
            let total = tally.total;
            for c in tally.next.iter_mut() {
                if need.any_of.contains(&c.step.criterion) {
                    c.weight += total[c.step.dimension] * (1.0 - need.keep);
                }
            }
            flags.push(Flag {
                id: need.flag.clone(),
                message: format!(
                    "the answer {}, so {dimension} keeps {:.0}% of its score",
                    need.missing,
                    need.keep * 100.0
                ),
                excerpt: None,
            });
        }
        flags
    }

    /// True when the need applies to this question's kind and one of its criteria or signals
    /// does too.
    fn applies(&self, need: &Need) -> bool {
        let ids = &need.any_of;
        let signal = |s: &SignalSpec| ids.contains(&s.id) && self.signal_applies(s);
        applies(&need.kinds, self.kind)
            && (self.all_criteria().any(|c| ids.contains(&c.spec.id))
                || self.rubric.file().signals.iter().any(signal))
    }

    /// True when the answer earned one of the need's criteria or signals, or has a heading that
    /// matches one of its criteria.
    fn met(&self, need: &Need, tally: &Tally, units: &[Scored<'_>]) -> bool {
        let ids = &need.any_of;
        let earned = Dimension::ALL
            .into_iter()
            .flat_map(|d| &tally.dims.get(d).hits)
            .any(|h| ids.contains(&h.criterion));
        earned
            || units.iter().filter(|u| u.heading && !u.inert).any(|u| {
                self.all_criteria()
                    .filter(|c| ids.contains(&c.spec.id))
                    .any(|c| c.pattern.find_affirmed(&u.unit).is_some())
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

    /// The default rubric with no needs.
    fn without_needs() -> CompiledRubric {
        let mut file: RubricFile = serde_saphyr::from_str(embedded::DEFAULT_RUBRIC_YAML).unwrap();
        file.scoring.needs.clear();
        CompiledRubric::from_file(file).unwrap()
    }

    /// Asserts that `text`, answering `id`, is flagged `flag` and keeps exactly its need's share of
    /// `dimension`, against the same answer scored with no needs; `min` is the least it earns then.
    fn keeps_its_share(id: &str, text: &str, dimension: Dimension, flag: &str, min: f64) {
        let rubric = CompiledRubric::builtin();
        let on = judge(rubric, id, text);
        let off = judge(&without_needs(), id, text);
        assert!(on.has_flag(flag), "{:?}", on.flags);
        assert!(!off.has_flag(flag));
        let keep = rubric.file().scoring.needs[&dimension].keep;
        let (on, off) = (
            on.dimension(dimension).score,
            off.dimension(dimension).score,
        );
        assert!(off > min, "without the need, {dimension} earns {off}");
        assert!(
            (on - off * keep).abs() < 0.002,
            "{on} is not {keep} of {off}"
        );
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
        let id = "public-api-rate-limits";
        keeps_its_share(id, DECIDED, Dimension::Context, "asks-nothing", 0.2);
    }

    /// What was flagged is what to add first: the unmet need's acts lead the next steps.
    #[test]
    fn an_unmet_need_leads_what_to_add_next() {
        let id = "public-api-rate-limits";
        let with = judge(CompiledRubric::builtin(), id, DECIDED);
        let without = judge(&without_needs(), id, DECIDED);
        let finding_out = |e: &Evaluation| {
            e.next
                .iter()
                .position(|n| ["asks-questions", "finds-out-first"].contains(&n.criterion.as_str()))
        };
        assert_eq!(finding_out(&with), Some(0), "{:#?}", with.next);
        assert_ne!(finding_out(&without), Some(0), "{:#?}", without.next);
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

    /// A fix with nothing after it: ownership keeps a share; saying what happens once it is out
    /// (checking it held, watching, following up) meets the need.
    #[test]
    fn ownership_needs_what_happens_after() {
        let rubric = CompiledRubric::builtin();
        let fix = "Is it every hour, or only the evening peak? I'd check whether the cache keys \
            written by Monday's deploy all share one TTL, because a synchronised expiry would \
            send every miss to the Postgres replica at :00. If they do, I'd put the TTL jitter \
            back through config, re-randomise the TTLs of the hottest keys and keep the \
            recommendations widget on, since it does not call the product API at all.";
        let id = "product-pages-stall-on-the-hour";
        keeps_its_share(id, fix, Dimension::Ownership, "no-aftercare", 0.0);
        for after in [
            "Afterwards I'd watch p99 at the next three full hours.",
            "Once it is out, the PM gets a one-liner and the platform team an owner for the fix.",
        ] {
            let e = judge(rubric, id, &format!("{fix} {after}"));
            assert!(!e.has_flag("no-aftercare"), "{after:?}: {:?}", e.flags);
        }
    }

    /// In an incident, mitigations weighed without finding anything out are guesses: trade-offs
    /// keep a share. The same need does not apply to a trade-off question (its `kinds`).
    #[test]
    fn mitigations_weighed_blind_keep_a_share_of_trade_offs_in_an_incident_only() {
        let weighed = "Scaling the product API to 40 pods costs about a day of spend and buys \
            headroom at :00, but a cache stampede would eat it. Turning the recommendations \
            widget off is free and reversible in a minute, but it loses the PM's launch. Putting \
            the TTL jitter back costs nothing and is safer than both, so I'd do that tonight.";
        let id = "product-pages-stall-on-the-hour";
        keeps_its_share(id, weighed, Dimension::TradeOffs, "weighs-blind", 0.1);
        let e = judge(CompiledRubric::builtin(), "public-api-rate-limits", DECIDED);
        assert!(!e.has_flag("weighs-blind"), "{:?}", e.flags);
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
