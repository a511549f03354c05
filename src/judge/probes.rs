//! Adversarial probes: answers that must never pass, built for any question from what its judge
//! rewards.
//!
//! `rehearse pack test` has the pack's judge grade each probe of every question and fails when
//! one lands above Emerging in any dimension. The probes imitate the ways an answer can game a
//! scorer: nothing at all, a bare list of what the judge looks for, the model answer with every
//! earning phrase negated, one good sentence repeated, and a fluent paragraph about something
//! else. What they need of the judge is what [`Judge::earning_phrases`] and [`Judge::keywords`]
//! tell, so any judge behind the seam is probed alike.

use std::collections::BTreeMap;

use super::Judge;
use crate::answer::Answer;
use crate::model::pack::Question;

/// One adversarial answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// `empty`, `keyword-list`, `negated-model-answer`, `repeated-sentence` or `off-topic`.
    pub name: &'static str,
    /// The answer.
    pub answer: Answer,
}

/// A fluent paragraph about nothing any backend question asks.
const OFF_TOPIC: &str = "On Saturdays I look after a small allotment. This spring I planted \
    three rows of broad beans, some lettuce and a few tomato plants along the fence. Snails ate \
    most of the lettuce, so next year I will try copper tape and plant marigolds between the rows. \
    The tomatoes did well once the weather warmed up, and the beans are nearly ready to pick.";

/// How many times the repeated-sentence probe says its sentence.
const REPEATS: usize = 8;

/// Builds the probes for `question`, graded by `judge`.
pub fn probes(judge: &dyn Judge<'_>, question: &Question) -> Vec<Probe> {
    let model = model_text(question);
    let earning = judge.earning_phrases(question, &model);

    // Keyword list: the earning phrases of the model answer, then the judge's keywords, as one
    // comma-separated line.
    let mut words: Vec<String> = earning.iter().map(|(_, p)| shorten(p, 3)).collect();
    words.extend(judge.keywords(question));
    let mut seen = std::collections::BTreeSet::new();
    words.retain(|w| seen.insert(w.to_lowercase()));
    let keyword_list = words.join(", ");

    // Negated model answer: every phrase that earns a criterion, denied.
    // Phrases holding a word that would end the negation's scope ("which", "but") are left out:
    // the probe is about negation, not about clause boundaries.
    let negated: Vec<String> = earning
        .iter()
        .map(|(_, phrase)| shorten(phrase, 4))
        .filter(|phrase| {
            !crate::text::normalize_phrase(phrase)
                .iter()
                .any(|w| crate::text::negation::is_terminator(w))
        })
        .map(|phrase| format!("I would not {phrase}."))
        .collect();

    // Repeated sentence: the model answer's richest sentence, said again and again.
    let units = crate::text::analyse(&model);
    let mut per_unit: BTreeMap<usize, usize> = BTreeMap::new();
    for (unit, _) in &earning {
        *per_unit.entry(*unit).or_default() += 1;
    }
    let best = per_unit
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .and_then(|(&i, _)| units.get(i))
        .map(|u| u.source(&model).trim().to_string())
        .unwrap_or_else(|| "I would look into it carefully.".to_string());
    let repeated = vec![best; REPEATS].join(" ");

    vec![
        empty(),
        Probe {
            name: "keyword-list",
            answer: Answer::whole(keyword_list),
        },
        Probe {
            name: "negated-model-answer",
            answer: Answer::whole(negated.join(" ")),
        },
        Probe {
            name: "repeated-sentence",
            answer: Answer::whole(repeated),
        },
        Probe {
            name: "off-topic",
            answer: Answer::whole(OFF_TOPIC),
        },
    ]
}

fn empty() -> Probe {
    Probe {
        name: "empty",
        answer: Answer::whole(""),
    }
}

/// The model answer as one text (whole, or its steps in order), with the follow-ups' model
/// answers after it.
fn model_text(question: &Question) -> String {
    let mut text = String::new();
    if let Some(m) = &question.model_answer {
        if let Some(t) = &m.text {
            text.push_str(t);
        }
        for step in question.effective_steps() {
            if let Some(t) = m.steps.get(&step.id) {
                text.push('\n');
                text.push_str(t);
            }
        }
    }
    for f in &question.follow_ups {
        if let Some(m) = &f.model_answer {
            text.push('\n');
            text.push_str(m);
        }
    }
    text
}

/// At most `max` words of a phrase, punctuation dropped, so that a probe stays one clause (and a
/// negation in front of it covers all of it).
fn shorten(phrase: &str, max: usize) -> String {
    crate::text::word_spans(phrase)
        .into_iter()
        .take(max)
        .map(|(a, b)| &phrase[a..b])
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::Prepared;
    use crate::model::pack::{Kind, ModelAnswer};

    const MODEL: &str =
        "We page the owner. Then we roll back the release and watch the error rate.";

    /// A judge that rewards three phrases of the model answer, two of them in its second
    /// sentence, and looks for two keywords besides (one said twice, differently cased).
    struct Rewards;

    impl<'j> Judge<'j> for Rewards {
        fn prepare(&self, _: &Question) -> Box<dyn Prepared + 'j> {
            panic!("building probes grades nothing")
        }

        fn fingerprint(&self, _: &Question) -> anyhow::Result<String> {
            Ok("rewards".into())
        }

        fn earning_phrases(&self, _: &Question, text: &str) -> Vec<(usize, String)> {
            assert_eq!(text, MODEL, "probes read the model answer");
            vec![
                (0, "page the owner".into()),
                (1, "roll back the release".into()),
                (1, "watch the error rate".into()),
            ]
        }

        fn keywords(&self, _: &Question) -> Vec<String> {
            vec!["canary".into(), "blast radius".into(), "Canary".into()]
        }
    }

    /// Any judge is probed from what it rewards: its keywords listed after the earning phrases,
    /// the earning phrases denied, the sentence with the most of them repeated.
    #[test]
    fn probes_are_built_from_what_the_judge_rewards() {
        let mut question = Question::minimal("q", Kind::Degradation, "Title", "Prompt");
        question.model_answer = Some(ModelAnswer {
            text: Some(MODEL.into()),
            steps: BTreeMap::new(),
        });
        let probes = probes(&Rewards, &question);
        let text = |name: &str| {
            let probe = probes.iter().find(|p| p.name == name).unwrap();
            probe
                .answer
                .parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<String>()
        };
        let names: Vec<&str> = probes.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "empty",
                "keyword-list",
                "negated-model-answer",
                "repeated-sentence",
                "off-topic"
            ]
        );
        assert_eq!(text("empty"), "");
        assert_eq!(
            text("keyword-list"),
            "page the owner, roll back the, watch the error, canary, blast radius"
        );
        assert_eq!(
            text("negated-model-answer"),
            "I would not page the owner. I would not roll back the release. \
             I would not watch the error rate."
        );
        let repeated = text("repeated-sentence");
        let sentence = "Then we roll back the release and watch the error rate.";
        assert_eq!(repeated, [sentence; REPEATS].join(" "));
    }
}
