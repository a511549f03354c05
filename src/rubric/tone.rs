//! Tone and intent: words of the rubric said in order to mock them, to wave an act away, or to
//! decorate a pitch earn nothing.
//!
//! Negation (`text::negation`) catches "I would not roll back". This stage catches what negation
//! cannot see: scare quotes around a virtue ("we'd 'build context' for a week"), open mockery
//! ("postmortem theatre"), dismissals ("no need to loop in the DBA team", "I don't think a review
//! is needed"), and buzzword salad ("infinitely scalable, future-proof"). Each is decided per
//! unit, from the normalised words and the source text; the scorer mutes the unit, and the answer
//! gets a flag that says why.

use std::collections::HashSet;

use crate::text::word_set::Phrases;
use crate::text::{Unit, lexicon, vocabulary};

/// The tone of one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tone {
    /// Mocks what it names: scare-quoted virtue words or an open sneer. Earns nothing.
    pub mocking: bool,
    /// Weak irony markers ("obviously", "of course"), which count only beside mockery.
    pub irony: usize,
    /// Buzzword phrases.
    pub buzzwords: usize,
    /// The whole unit refuses what it names ("I don't think a postmortem is needed").
    pub dismissive: bool,
}

/// Reads the tone of `unit`, whose source is `text`, in an answer to a question whose own words
/// are `question_words`.
pub fn read(unit: &Unit, text: &str, question_words: &HashSet<String>) -> Tone {
    let words = unit.words();
    let scare = scare_quoted_virtue(unit.source(text), question_words);
    let sneer = !vocabulary::MOCKERY_PHRASES.starts(&words).is_empty();
    Tone {
        mocking: scare || sneer,
        irony: vocabulary::IRONY_PHRASES.starts(&words).len(),
        buzzwords: vocabulary::BUZZWORD_PHRASES.starts(&words).len(),
        dismissive: doubts_the_need(&words),
    }
}

/// True when a dismissal ("no need to", "not worth", "skip the") opens the clause that holds
/// tokens `first..`: the act matched there is refused, not done.
pub fn dismissed_before(unit: &Unit, first: usize) -> bool {
    let words = unit.words();
    vocabulary::DISMISSAL_PHRASES
        .starts(&words)
        .into_iter()
        .any(|at| {
            at <= first && first - at <= 10 && !unit.tokens[at..first].iter().any(|t| t.brk_after)
        })
}

/// "I don't think X is needed", "not sure we need X": doubt about the need, said after the act.
fn doubts_the_need(words: &[&str]) -> bool {
    static DOUBT: Phrases = Phrases::new(&[
        &["do", "not", "think"],
        &["do", "not", "believe"],
        &["not", "convinced"],
        &["not", "sure", "we", "need"],
        &["doubt", "we", "need"],
    ]);
    const NEED: &[&str] = &[
        "needed",
        "necessary",
        "required",
        "worth",
        "useful",
        "matters",
        "helps",
        "justified",
    ];
    // "I don't think there's any need to ...", "I don't see a need for ...": the need itself
    // doubted, near the doubt and with no "but" or "instead" after it to turn the clause round.
    static REFUSAL: Phrases = Phrases::new(&[
        &["do", "not", "see", "a", "need"],
        &["do", "not", "see", "any", "need"],
        &["do", "not", "see", "the", "need"],
        &["do", "not", "see", "the", "point"],
        &["do", "not", "see", "any", "point"],
    ]);
    const NEAR_NEED: &[&str] = &["need", "point"];
    const TURNS: &[&str] = &["but", "instead", "rather", "however", "though", "although"];
    let unturned = |at: usize| !words[at..].iter().any(|w| TURNS.contains(w));
    let doubted = DOUBT.starts(words).first().is_some_and(|&at| {
        words[at..].iter().any(|w| NEED.contains(w))
            || (unturned(at) && words[at..].iter().take(8).any(|w| NEAR_NEED.contains(w)))
    });
    doubted
        || REFUSAL
            .starts(words)
            .first()
            .is_some_and(|&at| unturned(at))
}

/// True when `source` puts a virtue between quotes: 'build context', "blameless postmortem".
///
/// Only short quotes count (a line of dialogue is not a sneer), only when they name a virtue
/// itself, and never when they quote the question: people quote the scenario ('business day'),
/// a belief they now doubt ('the deploy fixes it') and each other, and none of that mocks.
fn scare_quoted_virtue(source: &str, question_words: &HashSet<String>) -> bool {
    quoted_spans(source).into_iter().any(|inner| {
        let words: Vec<String> = crate::text::normalize_phrase(inner);
        let content: Vec<&String> = words
            .iter()
            .filter(|w| !lexicon::is_function_word(w))
            .collect();
        !content.is_empty()
            && words.len() <= 5
            && content
                .iter()
                .all(|w| vocabulary::is_generic(w) || lexicon::is_common_word(w))
            && content.iter().any(|w| vocabulary::is_virtue(w))
            && !content.iter().any(|w| question_words.contains(w.as_str()))
    })
}

/// The texts between matching quote marks in `source`. A straight or curly single quote counts
/// only where it cannot be an apostrophe: after a space or an opening bracket, before a letter.
fn quoted_spans(source: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (k, &(at, c)) in chars.iter().enumerate() {
        let before = k.checked_sub(1).map(|j| chars[j].1);
        let after = chars.get(k + 1).map(|&(_, c)| c);
        let opens_here = |c: char| match c {
            '"' | '\u{201C}' => true,
            '\'' | '\u{2018}' => {
                before.is_none_or(|b| b.is_whitespace() || "([{-".contains(b))
                    && after.is_some_and(char::is_alphanumeric)
            }
            _ => false,
        };
        match open {
            None if opens_here(c) => open = Some((at + c.len_utf8(), c)),
            Some((start, o)) => {
                let closes = match (o, c) {
                    ('"', '"') | ('\u{201C}', '\u{201D}') | ('\u{201C}', '"') => true,
                    ('\'' | '\u{2018}', '\'' | '\u{2019}') => {
                        after.is_none_or(|a| !a.is_alphanumeric())
                    }
                    _ => false,
                };
                if closes {
                    out.push(&source[start..at]);
                    open = None;
                }
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn tone(sentence: &str) -> Tone {
        let units = text::analyse(sentence);
        read(&units[0], sentence, &HashSet::new())
    }

    #[test]
    fn scare_quotes_around_virtues_mock() {
        assert!(tone("Sure, let's \"build context\" for a week first.").mocking);
        assert!(tone("Then we 'weigh the trade-offs' like good engineers.").mocking);
        assert!(tone("We'd hold a ‘blameless postmortem’ and move on.").mocking);
    }

    #[test]
    fn quoting_the_scenario_or_speech_is_not_mockery() {
        assert!(!tone("'CPU moderate': per worker or fleet average?").mocking);
        assert!(!tone("I'd ask them, \"what did you deploy on Monday before lunch?\"").mocking);
        assert!(!tone("We'd roll back the worker's image first.").mocking);
        assert!(!tone("We ignored 'the deploy fixes it' for months.").mocking);
        assert!(!tone("It is the first 'working day' that finance means.").mocking);
        let units = text::analyse("Say 'business impact' to them.");
        let asked: HashSet<String> = ["business", "impact"].map(String::from).into();
        assert!(!read(&units[0], "Say 'business impact' to them.", &asked).mocking);
    }

    #[test]
    fn open_sneers_mock() {
        assert!(tone("Then the usual postmortem theatre.").mocking);
        assert!(tone("Stakeholder bingo, basically.").mocking);
    }

    #[test]
    fn dismissals_refuse_the_act_after_them() {
        let s = "No need to loop in the DBA team, I would just restart it.";
        let units = text::analyse(s);
        let loop_at = units[0].words().iter().position(|w| *w == "loop").unwrap();
        assert!(dismissed_before(&units[0], loop_at));
        let s = "I would loop in the DBA team. No need to wait.";
        let units = text::analyse(s);
        assert!(!dismissed_before(&units[0], 2));
        assert!(tone("I don't think a postmortem is needed here.").dismissive);
        assert!(tone("I don't think there's any need to compare the three cities.").dismissive);
        assert!(tone("Afterwards I don't see a need for alerts or a review.").dismissive);
        assert!(!tone("I don't see a need for a rewrite, but I'd add the index today.").dismissive);
        assert!(!tone("I don't think it's the pool, so we need to look at the query.").dismissive);
        assert!(!tone("I don't think it is the cache; the hit rate is flat.").dismissive);
    }

    #[test]
    fn buzzwords_are_counted() {
        assert_eq!(
            tone("An infinitely scalable, future-proof mesh.").buzzwords,
            2
        );
    }
}
