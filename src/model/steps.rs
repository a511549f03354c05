//! The default steps of each kind, used when a question gives none.
//!
//! The ids are part of the answer-file format and of stored history, so they never change; the
//! wording may.

use super::pack::{Kind, Question, Step};

fn step(id: &str, ask: &str, hint: &str, min_words: u32) -> Step {
    Step {
        id: id.to_string(),
        ask: ask.to_string(),
        hint: Some(hint.to_string()),
        min_words: Some(min_words),
    }
}

impl Question {
    /// The steps asked for this question: its own, or the default steps of its kind when it
    /// defines none. The one place that decides it, for sessions, answers files, scoring,
    /// probes and validation alike.
    pub fn effective_steps(&self) -> Vec<Step> {
        if self.steps.is_empty() {
            default_steps(self.kind)
        } else {
            self.steps.clone()
        }
    }
}

/// The structured sub-questions asked for a question of `kind` that defines no steps.
pub fn default_steps(kind: Kind) -> Vec<Step> {
    match kind {
        Kind::Degradation => vec![
            step(
                "first-checks",
                "What would you ask or check first, before changing anything?",
                "What changed recently? Which requests, tenants or regions suffer, and since when? Can the dashboards be trusted?",
                30,
            ),
            step(
                "hypotheses",
                "What are your hypotheses, and how would you confirm or rule out each one?",
                "Name two or three competing causes, the most likely first, and the cheapest check that separates them.",
                30,
            ),
            step(
                "actions",
                "What do you do now to limit the impact, and what later to fix the cause?",
                "Mitigate first (roll back, switch a flag off, shed load), one change at a time; then the real fix.",
                30,
            ),
            step(
                "people",
                "Who do you involve, what do you tell them, and what happens after it is over?",
                "Think of the owning teams, support and product; updates with impact in user terms; a blameless postmortem with owners.",
                20,
            ),
        ],
        Kind::TradeOff => vec![
            step(
                "clarify",
                "What do you need to know before choosing?",
                "Volumes, latency and staleness budgets, consistency needs, team size, deadline, the system's stage.",
                20,
            ),
            step(
                "options",
                "What are the options, and what does each gain and cost?",
                "At least two real options; for each, what it buys and what it costs or risks.",
                40,
            ),
            step(
                "decision",
                "What do you choose, why, and what would change your mind?",
                "Tie the choice to the product and the team; say whether it is reversible and what signal would make you revisit it.",
                30,
            ),
            step(
                "risks",
                "How can your choice fail, and how would you notice?",
                "Failure modes (stale reads, duplicates, backlog, retries) and the metric or alert that shows each.",
                20,
            ),
        ],
        Kind::Retrospective => vec![
            step(
                "decision",
                "What was decided, and what was the context at the time?",
                "The constraints then: deadline, team, traffic, what the product needed.",
                20,
            ),
            step(
                "unknowns",
                "What was unknown or assumed when the decision was made?",
                "Which assumption turned out wrong, and could it have been checked then?",
                20,
            ),
            step(
                "cost",
                "What did the decision cost, and who paid for it?",
                "Incidents, latency, money, support load, team time; in numbers where you can.",
                20,
            ),
            step(
                "change",
                "What would you change today, and how would you get there safely?",
                "An incremental path: flags, dual writes, backfills, a rollback plan; what would change the plan.",
                40,
            ),
            step(
                "learned",
                "What did you learn, and what do you do differently now?",
                "Be self-critical without blame: what you would check earlier next time.",
                20,
            ),
        ],
        Kind::SystemDesign => vec![
            step(
                "requirements",
                "What are the requirements and the numbers you design for?",
                "Users, requests per second, data size, latency and consistency needs, what can be stale.",
                30,
            ),
            step(
                "design",
                "Describe the design: components, data flow and storage.",
                "Walk one request end to end; say why each component is there.",
                50,
            ),
            step(
                "trade-offs",
                "Which trade-offs does the design make, and what did you reject?",
                "For each big choice, the alternative you rejected and what you gave up.",
                30,
            ),
            step(
                "failure",
                "How does it fail, how do you find out, and what do you do?",
                "Dependencies down or slow, overload, duplicates; alerts, dashboards, runbooks.",
                30,
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_at_least_four_distinct_steps_with_hints() {
        for kind in Kind::ALL {
            let steps = default_steps(kind);
            assert!(steps.len() >= 4, "{kind}");
            let mut ids: Vec<_> = steps.iter().map(|s| s.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), steps.len(), "{kind} step ids repeat");
            assert!(steps.iter().all(|s| s.hint.is_some()));
        }
    }

    /// A question without steps asks its kind's; one with steps asks exactly those.
    #[test]
    fn effective_steps_are_the_questions_own_or_its_kinds_defaults() {
        let mut question: Question = serde_json::from_value(serde_json::json!({
            "id": "q",
            "kind": "degradation",
            "title": "T",
            "prompt": "P",
        }))
        .unwrap();
        let ids = |q: &Question| {
            q.effective_steps()
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        };
        let defaults: Vec<String> = default_steps(Kind::Degradation)
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids(&question), defaults);
        question.steps = vec![step("only", "Ask?", "Hint.", 5)];
        assert_eq!(ids(&question), ["only"]);
    }
}
