//! Adversarial probes: answers that must never pass, built for any question.
//!
//! `rehearse pack test` scores each probe against every question and fails when one lands above
//! Emerging in any dimension. The probes imitate the ways an answer can game a keyword scorer:
//! nothing at all, a bare list of the rubric's own words, the model answer with every earning
//! phrase negated, one good sentence repeated, and a fluent paragraph about something else.

use std::collections::BTreeMap;

use crate::answer::Answer;
use crate::model::pack::Question;

use super::{CompiledRubric, Scorer};

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

/// Builds the probes for `question`.
pub fn probes(rubric: &CompiledRubric, question: &Question) -> Vec<Probe> {
    // A question whose own rubric does not compile is probed with the rubric it is scored by.
    let (scorer, _) = Scorer::new_or_plain(rubric, question);
    let model = model_text(question);
    let earning = scorer.earning_phrases(&model);

    // Keyword list: the earning phrases of the model answer, then a phrase read off each
    // criterion's first pattern, as one comma-separated line.
    let mut words: Vec<String> = earning.iter().map(|(_, p)| shorten(p, 3)).collect();
    for pattern in scorer.criterion_patterns() {
        let phrase = sample_phrase(pattern, rubric.groups().raw(), 0);
        if !phrase.is_empty() {
            words.push(phrase);
        }
    }
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

/// A plain phrase a pattern matches: first alternatives, groups expanded to their first entry,
/// gaps dropped, `*` and `?` removed. Good enough to build a keyword list from.
pub fn sample_phrase(
    pattern: &str,
    groups: &BTreeMap<String, Vec<String>>,
    depth: usize,
) -> String {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => {
                // First alternative at this nesting level.
                let mut level = 1;
                let start = i + 1;
                let mut end = start;
                let mut j = start;
                let mut first_end = None;
                while j < chars.len() && level > 0 {
                    match chars[j] {
                        '(' => level += 1,
                        ')' => level -= 1,
                        '|' if level == 1 && first_end.is_none() => first_end = Some(j),
                        _ => {}
                    }
                    if level > 0 {
                        end = j + 1;
                    }
                    j += 1;
                }
                let inner: String = chars[start..first_end.unwrap_or(end)].iter().collect();
                let phrase = sample_phrase(&inner, groups, depth);
                if !phrase.is_empty() {
                    out.push(phrase);
                }
                i = j;
            }
            '@' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || matches!(chars[j], '-' | '_'))
                {
                    j += 1;
                }
                let name: String = chars[start..j].iter().collect();
                if depth < 3
                    && let Some(first) = groups.get(&name).and_then(|g| g.first())
                {
                    let phrase = sample_phrase(first, groups, depth + 1);
                    if !phrase.is_empty() {
                        out.push(phrase);
                    }
                }
                i = j;
            }
            '~' => {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            c if c.is_whitespace() || matches!(c, '*' | '?' | ')' | '|') => i += 1,
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '|' | '~' | '@' | '*' | '?')
                {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_phrases() {
        let mut groups = BTreeMap::new();
        groups.insert(
            "change".to_string(),
            vec!["deploy*".to_string(), "x".to_string()],
        );
        for (pattern, want) in [
            ("what ~3 (chang*|different)", "what chang"),
            ("@change ~5 recent*", "deploy recent"),
            ("(roll back|revert*)", "roll back"),
            ("(the)? root cause", "the root cause"),
            ("@missing word", "word"),
            ("((a|b) c|d)", "a c"),
        ] {
            assert_eq!(sample_phrase(pattern, &groups, 0), want, "{pattern}");
        }
    }
}
