//! The coach of a degradation scenario: which hidden facts a candidate's question asks for.
//!
//! Each fact lists `asks` patterns (the rubric's pattern language) for the ways a candidate would
//! ask for it. Patterns are written generously, so one question can match the patterns of
//! several facts, and a loose match gives away a fact nobody asked for ("did the load balancer
//! config change?" matching a red herring's "load ~4 chang*"). So when a question matches
//! several facts and some of them share a content word with it (in their `about` or `reveal`),
//! only those are revealed: a question names what it asks about. A question that matches a
//! single fact reveals it, since generic questions ("can we trust the dashboards?") are how a
//! candidate should find facts. `pack test` runs the same logic over every fact's
//! `not_asked_by` questions, so an author sees a loose pattern before a candidate does.

use std::collections::HashSet;

use crate::model::pack::{Fact, Question};
use crate::rubric::{CompiledRubric, Matcher};
use crate::text::lexicon::is_function_word;
use crate::text::normalize_phrase;

/// Answers questions from a scenario's hidden facts.
pub struct Coach<'q> {
    facts: Vec<Known<'q>>,
}

/// A fact with its compiled patterns and the stems of its own words.
struct Known<'q> {
    fact: &'q Fact,
    matcher: Matcher,
    words: HashSet<String>,
}

/// The stems of the content words of `text`: normalised, function words and words under three
/// characters left out, cut to five characters so "regions" meets "region" and "changed" meets
/// "changes".
fn stems(text: &str) -> HashSet<String> {
    normalize_phrase(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !is_function_word(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

impl<'q> Coach<'q> {
    /// Compiles each fact's `asks`. A fact whose patterns do not compile is left out: the
    /// validator reports it to the pack author, and a session must not fail over it.
    pub fn new(rubric: &CompiledRubric, question: &'q Question) -> Self {
        Coach {
            facts: question
                .facts
                .iter()
                .filter_map(|fact| {
                    let matcher = rubric.matcher(&fact.asks).ok()?;
                    let words = stems(&format!("{} {}", fact.about, fact.reveal));
                    Some(Known {
                        fact,
                        matcher,
                        words,
                    })
                })
                .collect(),
        }
    }

    /// The facts `asked` asks for, in pack order (see the module doc).
    pub fn reveal(&self, asked: &str) -> Vec<&'q Fact> {
        let matched: Vec<&Known<'q>> = self
            .facts
            .iter()
            .filter(|k| k.matcher.matches(asked))
            .collect();
        if matched.len() < 2 {
            return matched.into_iter().map(|k| k.fact).collect();
        }
        let words = stems(asked);
        let named: Vec<&'q Fact> = matched
            .iter()
            .filter(|k| !k.words.is_disjoint(&words))
            .map(|k| k.fact)
            .collect();
        if named.is_empty() {
            matched.into_iter().map(|k| k.fact).collect()
        } else {
            named
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pack::Kind;

    fn fact(id: &str, about: &str, asks: &[&str], reveal: &str) -> Fact {
        Fact {
            id: id.into(),
            about: about.into(),
            asks: asks.iter().map(|s| s.to_string()).collect(),
            reveal: reveal.into(),
            red_herring: false,
            not_asked_by: Vec::new(),
        }
    }

    fn ids(facts: Vec<&Fact>) -> Vec<&str> {
        facts.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn a_question_that_names_one_fact_does_not_reveal_another_it_loosely_matches() {
        let mut q = Question::minimal("q", Kind::Degradation, "Slow", "Slow.");
        q.facts = vec![
            fact(
                "changes",
                "Recent changes",
                &["config*", "chang* ~4 recent*"],
                "No deploy in four days.",
            ),
            fact(
                "cpu",
                "Offers service CPU",
                &["(traffic|load) ~4 (chang*|grow*)"],
                "The offers service hits 90% CPU at night.",
            ),
        ];
        let coach = Coach::new(CompiledRubric::builtin(), &q);
        assert_eq!(
            ids(coach.reveal("Has the TLS configuration on the load balancer changed recently?")),
            ["changes"]
        );
        // Matched alone, a generic question still finds its fact.
        assert_eq!(ids(coach.reveal("Has the load grown?")), ["cpu"]);
        assert!(coach.reveal("What colour is the logo?").is_empty());
    }

    #[test]
    fn the_bank_answers_the_questions_of_issue_15_with_what_they_ask_for() {
        let bank = crate::pack::Bank::load(&[], false).expect("the built-in pack loads");
        let entry = bank
            .find("app-slow-servers-green")
            .expect("the question exists");
        let rubric = entry.pack.rubric().expect("the rubric compiles");
        let coach = Coach::new(rubric, entry.question);
        let tls = coach.reveal(
            "Has the TLS certificate or cipher configuration on the load balancer changed recently?",
        );
        assert!(!ids(tls).contains(&"offers-cpu"));
        let regions = ids(coach.reveal("Is the slowdown the same in both regions?"));
        assert_eq!(regions, ["region-and-zone"]);
        let zones = ids(coach.reveal("Do the load balancer logs differ per zone?"));
        assert!(zones.contains(&"zone-b-resets"), "{zones:?}");

        // Found in the walk at 80 columns: the pattern fact says "both regions", so asking
        // about the regions must find it rather than "no information".
        let entry = bank
            .find("product-pages-stall-on-the-hour")
            .expect("the question exists");
        let coach = Coach::new(entry.pack.rubric().expect("compiles"), entry.question);
        let regions = ids(coach.reveal("Is it the same in both regions?"));
        assert_eq!(regions, ["every-hour-everywhere"]);
    }
}
