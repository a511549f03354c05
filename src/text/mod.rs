//! Text analysis for scoring: normalisation, units (sentences and bullet lines), negation scopes,
//! and the surface signals communication is judged on (questions, hedges, signposts, numbers).
//!
//! An answer is turned into [`Unit`]s. Each unit keeps its byte range in the original text, for
//! quoting, and a normalised form: lower-case tokens separated by single spaces, with a space at
//! both ends (`" we would roll back "`), which is what compiled rubric patterns run against.
//! Normalisation is the same for patterns and answers (see [`normalize`]), so matching never
//! depends on case, quote style, contractions or British spelling.

pub mod lexicon;
pub mod negation;
pub mod normalize;
pub mod split;
pub mod vocabulary;
pub mod word_set;

pub use normalize::{normalize_phrase, normalize_word};
pub use split::{UnitSpan, split_units, word_spans};

/// One normalised token of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Start byte in [`Unit::norm`].
    pub start: usize,
    /// End byte in [`Unit::norm`].
    pub end: usize,
    /// Start byte of the source word in the original text.
    pub src_start: usize,
    /// End byte of the source word in the original text.
    pub src_end: usize,
    /// Clause-ending punctuation follows this token in the source.
    pub brk_after: bool,
}

/// A sentence, bullet line or heading of an answer, analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Start byte in the original text.
    pub src_start: usize,
    /// End byte in the original text.
    pub src_end: usize,
    /// Came from a bullet or numbered line.
    pub bullet: bool,
    /// Ends with a question mark.
    pub question: bool,
    /// Normalised text: tokens joined by single spaces, with a space at both ends.
    pub norm: String,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// Negation scopes of the tokens.
    pub scopes: negation::Scopes,
    /// What the tokens start with, for ruling out a rubric pattern before searching the unit.
    pub keys: TokenKeys,
}

/// Number of distinct [`token_key`]s.
pub const TOKEN_KEYS: usize = 4096;

/// A token's key: its first three bytes (all of it, when shorter), hashed to one of
/// [`TOKEN_KEYS`] values. Two tokens with different keys start differently, so a word or a stem
/// of three bytes or more can only match a token with its own key.
pub fn token_key(bytes: &[u8]) -> usize {
    let key = &bytes[..bytes.len().min(3)];
    let mut hash = key.len() as u32;
    for &b in key {
        hash = (hash << 8) | u32::from(b);
    }
    (hash.wrapping_mul(0x9e37_79b1) >> 20) as usize
}

/// The [`token_key`]s of a unit's tokens, as a set of bits and as a list, and whether any token
/// is a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKeys {
    bits: Box<[u64; TOKEN_KEYS / 64]>,
    /// Each key once, in the order the tokens first have it.
    pub list: Vec<u16>,
    /// The keys folded into 256 bits (key modulo 256): a set of keys that has none of these
    /// bits has none of these keys, told in four instructions.
    pub summary: [u64; 4],
    /// Some token starts with a digit.
    pub digit: bool,
}

/// The bit of `key` in a [`TokenKeys::summary`].
pub fn key_summary_bit(key: usize) -> (usize, u64) {
    ((key / 64) % 4, 1 << (key % 64))
}

impl TokenKeys {
    fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> TokenKeys {
        let mut keys = TokenKeys {
            bits: Box::new([0; TOKEN_KEYS / 64]),
            list: Vec::new(),
            summary: [0; 4],
            digit: false,
        };
        for word in words {
            let key = token_key(word.as_bytes());
            if !keys.contains(key) {
                keys.bits[key / 64] |= 1 << (key % 64);
                keys.list.push(key as u16);
                let (word, bit) = key_summary_bit(key);
                keys.summary[word] |= bit;
            }
            keys.digit |= word.as_bytes().first().is_some_and(u8::is_ascii_digit);
        }
        keys
    }

    /// True when some token has the key `key` (below [`TOKEN_KEYS`]).
    pub fn contains(&self, key: usize) -> bool {
        self.bits
            .get(key / 64)
            .is_some_and(|word| word & (1 << (key % 64)) != 0)
    }
}

impl Unit {
    /// Analyses the unit of `text` at `span`.
    pub fn analyse(text: &str, span: UnitSpan) -> Unit {
        let body = text.get(span.start..span.end).unwrap_or("");
        let mut norm = String::with_capacity(body.len() + 2);
        norm.push(' ');
        let mut tokens = Vec::new();
        let words = word_spans(body);
        let mut parts = Vec::new();
        for (k, &(ws, we)) in words.iter().enumerate() {
            parts.clear();
            normalize_word(&body[ws..we], &mut parts);
            let gap_end = words.get(k + 1).map_or(body.len(), |&(next, _)| next);
            let brk = split::gap_breaks_clause(&body[we..gap_end]);
            let count = parts.len();
            for (p, part) in parts.iter().enumerate() {
                let start = norm.len();
                norm.push_str(part);
                tokens.push(Token {
                    start,
                    end: norm.len(),
                    src_start: span.start + ws,
                    src_end: span.start + we,
                    brk_after: brk && p + 1 == count,
                });
                norm.push(' ');
            }
        }
        if tokens.is_empty() {
            norm.push(' ');
        }
        let words: Vec<&str> = tokens.iter().map(|t| &norm[t.start..t.end]).collect();
        let breaks: Vec<bool> = tokens.iter().map(|t| t.brk_after).collect();
        let scopes = negation::scopes(&words, &breaks);
        let keys = TokenKeys::of(words.iter().copied());
        let question = body
            .trim_end_matches(['"', '\'', ')', ']', '\u{201d}', ' '])
            .ends_with('?');
        Unit {
            src_start: span.start,
            src_end: span.end,
            bullet: span.bullet,
            question,
            norm,
            tokens,
            scopes,
            keys,
        }
    }

    /// The normalised tokens as string slices.
    pub fn words(&self) -> Vec<&str> {
        self.tokens
            .iter()
            .map(|t| &self.norm[t.start..t.end])
            .collect()
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the unit has no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Indices of the first and last token inside the byte range `start..end` of [`Unit::norm`]
    /// (a regex match, which may include the separating spaces at either end).
    pub fn token_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        // Tokens are sorted by position: binary search keeps long units linear overall.
        let first = self.tokens.partition_point(|t| t.end <= start);
        let last = self
            .tokens
            .partition_point(|t| t.start < end)
            .checked_sub(1)?;
        (first <= last && first < self.tokens.len()).then_some((first, last))
    }

    /// The normalised word at token `i`.
    pub fn word(&self, i: usize) -> Option<&str> {
        self.tokens
            .get(i)
            .and_then(|t| self.norm.get(t.start..t.end))
    }

    /// True when the match over tokens `first..=last` is negated, strictly (for criteria).
    pub fn negated(&self, first: usize, last: usize) -> bool {
        self.scopes.negated.get(first).copied().unwrap_or(false)
            || self.scopes.post_negated.get(last).copied().unwrap_or(false)
    }

    /// True when a negation cue sits inside the match (`we did not know that` matched by a
    /// pattern with a gap between `we` and `know`). Criteria whose patterns spell out the
    /// negation themselves ("not ~2 trust") skip this check.
    pub fn cue_inside(&self, first: usize, last: usize) -> bool {
        (first + 1..=last).any(|i| {
            self.word(i).is_some_and(negation::is_cue_word)
                && !matches!(self.word(i + 1), Some("only" | "just" | "sure" | "doubt"))
        })
    }

    /// Number of negation cue words in tokens `first..=last`.
    pub fn cues_within(&self, first: usize, last: usize) -> usize {
        (first..=last)
            .filter(|&i| self.word(i).is_some_and(negation::is_cue_word))
            .count()
    }

    /// True when the match over tokens `first..=last` is negated or avoided (for anti-patterns).
    pub fn avoided(&self, first: usize, last: usize) -> bool {
        self.scopes.avoided.get(first).copied().unwrap_or(false) || self.negated(first, last)
    }

    /// The unit's source text.
    pub fn source<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.src_start..self.src_end).unwrap_or("")
    }

    /// Number of function words; zero means a keyword list or a fragment.
    pub fn function_words(&self) -> usize {
        self.words()
            .iter()
            .filter(|w| lexicon::is_function_word(w))
            .count()
    }

    /// True when the unit opens with a signpost ("First", "Then", "Finally", "So").
    pub fn signposted(&self) -> bool {
        let words = self.words();
        lexicon::SIGNPOSTS
            .iter()
            .any(|p| lexicon::phrase_at(&words, 0, p))
    }

    /// Number of quantities: numbers followed by a unit, percentiles, number words.
    pub fn quantities(&self) -> usize {
        let words = self.words();
        let mut count = 0;
        for (i, w) in words.iter().enumerate() {
            if lexicon::NUMBER_WORDS.contains(w) || (w.starts_with('p') && lexicon::is_number(w)) {
                count += 1;
            } else if lexicon::is_number(w) {
                let unit = words.get(i + 1).is_some_and(|u| lexicon::UNITS.contains(u));
                // A bare number counts too when it is not a list marker ("1", "2").
                if unit || w.len() >= 2 || w.contains('.') {
                    count += 1;
                }
            }
        }
        count
    }

    /// Quotes the source around tokens `first..=last`, trimmed to about `max` characters.
    pub fn excerpt(&self, text: &str, first: usize, last: usize, max: usize) -> String {
        let source = self.source(text).trim();
        if source.chars().count() <= max {
            return collapse_ws(source);
        }
        let (Some(a), Some(b)) = (self.tokens.get(first), self.tokens.get(last)) else {
            return clip(source, max);
        };
        // Window of whole words around the match, growing left then right.
        let mut lo = first;
        let mut hi = last;
        let len = |lo: usize, hi: usize| {
            text.get(self.tokens[lo].src_start..self.tokens[hi].src_end)
                .map_or(0, |s| s.chars().count())
        };
        if text.get(a.src_start..b.src_end).is_none() {
            return clip(source, max);
        }
        loop {
            let mut grew = false;
            if lo > 0 && len(lo - 1, hi) <= max {
                lo -= 1;
                grew = true;
            }
            if hi + 1 < self.tokens.len() && len(lo, hi + 1) <= max {
                hi += 1;
                grew = true;
            }
            if !grew {
                break;
            }
        }
        let mut out = String::new();
        if lo > 0 {
            out.push('\u{2026}');
        }
        let end = if hi + 1 == self.tokens.len() {
            self.src_end
        } else {
            self.tokens[hi].src_end
        };
        out.push_str(&collapse_ws(
            text.get(self.tokens[lo].src_start..end).unwrap_or(""),
        ));
        if hi + 1 < self.tokens.len() {
            out.push('\u{2026}');
        }
        out
    }
}

/// Collapses runs of white space (including newlines and control characters) to single spaces.
pub fn collapse_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The first `max` characters of `text`, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    let mut out: String = collapse_ws(text).chars().take(max).collect();
    out.push('\u{2026}');
    out
}

/// Splits and analyses a whole text.
pub fn analyse(text: &str) -> Vec<Unit> {
    split_units(text)
        .into_iter()
        .map(|span| Unit::analyse(text, span))
        .collect()
}

/// Number of words in a text (as the candidate would count them).
pub fn word_count(text: &str) -> usize {
    word_spans(text).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_has_spaces_at_both_ends() {
        let units = analyse("I wouldn't scale. We'd ask what changed?");
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].norm, " i would not scale ");
        assert!(!units[0].question);
        assert_eq!(units[1].norm, " we would ask what changed ");
        assert!(units[1].question);
    }

    #[test]
    fn tokens_map_back_to_source() {
        let text = "  We’d NOT trust the averages.";
        let unit = &analyse(text)[0];
        let m = unit.norm.find(" trust ").unwrap();
        let (first, last) = unit.token_range(m, m + " trust ".len()).unwrap();
        assert_eq!(unit.words()[first], "trust");
        assert_eq!(first, last);
        assert!(unit.negated(first, last));
        assert_eq!(
            unit.excerpt(text, first, last, 200),
            "We’d NOT trust the averages."
        );
    }

    #[test]
    fn excerpts_are_trimmed_around_the_match() {
        let text = "Lorem ipsum dolor sit amet consectetur adipiscing elit, then we roll back the deploy and \
                    watch the error rate while support hears from us, and much more filler after it.";
        let unit = &analyse(text)[0];
        let words = unit.words();
        let at = words.iter().position(|w| *w == "roll").unwrap();
        let ex = unit.excerpt(text, at, at + 1, 60);
        assert!(ex.contains("roll back"), "{ex}");
        assert!(
            ex.starts_with('\u{2026}') && ex.ends_with('\u{2026}'),
            "{ex}"
        );
        assert!(ex.chars().count() <= 62, "{ex}");
    }

    #[test]
    fn signals() {
        let unit = &analyse("First, p99 rose from 200 ms to 2 s for 30% of users.")[0];
        assert!(unit.signposted());
        assert_eq!(unit.quantities(), 4);
        assert!(unit.function_words() >= 3);
        let list = &analyse("deploys, rollback, postmortem, stakeholders")[0];
        assert_eq!(list.function_words(), 0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "\u{0}\u{1}\u{7f}",
            "日本語の文章です。これはテスト",
            "ﬁ ß İ ǅ",
            "?!?!",
            "'''",
            "1.2.3.4 ... ,,, 9,9,9",
            "\r\n\r\n- \n* \n1. ",
        ] {
            for unit in analyse(text) {
                let _ = unit.excerpt(text, 0, unit.len().saturating_sub(1), 5);
            }
        }
    }
}
