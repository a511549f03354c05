//! Word-level normalisation: one source word in, zero or more normalised tokens out.
//!
//! Patterns and answers go through the very same functions, so a pattern author never has to
//! think about case, quote style, contractions or British spelling: `"wouldn't"` and `"would
//! not"`, `"prioritise"` and `"prioritize"` are the same tokens on both sides. Folding only has to
//! be consistent, not linguistically perfect: `"promise"` becoming `"promize"` is harmless because
//! it happens to the pattern too, and excerpts are always quoted from the original text.
//!
//! Before any of that a word is read as a person sees it: Unicode compatibility forms composed
//! (NFKC), invisible characters dropped, and Cyrillic or Greek look-alikes in a Latin word read
//! as the Latin letters, so neither a pasted answer disguised with them nor an honest one pasted
//! from a word processor scores differently from the plain text.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::split::{is_apostrophe, word_spans};
use super::word_set::WordHasher;

/// Characters that take no space and carry no meaning in prose: zero-width space, non-joiner
/// and joiner, word joiner, invisible operators, the byte-order mark, the soft hyphen, the
/// Mongolian vowel separator. Pasted from a word processor, or planted to break a word in two
/// for the eye of the scorer only.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{180e}'
    )
}

/// `text` without [`is_invisible`] characters: what an answer is analysed as. Nothing visible
/// changes, so quotes taken from it read exactly as the candidate's text.
pub fn strip_invisible(text: &str) -> Cow<'_, str> {
    if text.contains(is_invisible) {
        Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Cyrillic and Greek letters that look like Latin ones, and the Latin letter they pass for.
/// Sorted by the first, for binary search.
const CONFUSABLES: &[(char, char)] = &[
    ('\u{391}', 'A'),
    ('\u{392}', 'B'),
    ('\u{395}', 'E'),
    ('\u{396}', 'Z'),
    ('\u{397}', 'H'),
    ('\u{399}', 'I'),
    ('\u{39a}', 'K'),
    ('\u{39c}', 'M'),
    ('\u{39d}', 'N'),
    ('\u{39f}', 'O'),
    ('\u{3a1}', 'P'),
    ('\u{3a4}', 'T'),
    ('\u{3a5}', 'Y'),
    ('\u{3a7}', 'X'),
    ('\u{3b1}', 'a'),
    ('\u{3b9}', 'i'),
    ('\u{3ba}', 'k'),
    ('\u{3bd}', 'v'),
    ('\u{3bf}', 'o'),
    ('\u{3c1}', 'p'),
    ('\u{3c5}', 'u'),
    ('\u{405}', 'S'),
    ('\u{406}', 'I'),
    ('\u{408}', 'J'),
    ('\u{410}', 'A'),
    ('\u{412}', 'B'),
    ('\u{415}', 'E'),
    ('\u{41a}', 'K'),
    ('\u{41c}', 'M'),
    ('\u{41d}', 'H'),
    ('\u{41e}', 'O'),
    ('\u{420}', 'P'),
    ('\u{421}', 'C'),
    ('\u{422}', 'T'),
    ('\u{425}', 'X'),
    ('\u{430}', 'a'),
    ('\u{435}', 'e'),
    ('\u{43e}', 'o'),
    ('\u{440}', 'p'),
    ('\u{441}', 'c'),
    ('\u{443}', 'y'),
    ('\u{445}', 'x'),
    ('\u{455}', 's'),
    ('\u{456}', 'i'),
    ('\u{458}', 'j'),
    ('\u{4bb}', 'h'),
    ('\u{4ae}', 'Y'),
    ('\u{501}', 'd'),
    ('\u{51b}', 'q'),
    ('\u{51d}', 'w'),
];

fn confusable(c: char) -> Option<char> {
    CONFUSABLES
        .binary_search_by_key(&c, |&(from, _)| from)
        .ok()
        .map(|i| CONFUSABLES[i].1)
}

/// A word as it would be read, before case and spelling folds: compatibility forms composed
/// (NFKC: full-width `ｃａｃｈｅ` is `cache`, `ﬁ` is `fi`), invisible characters removed, and
/// look-alike Cyrillic and Greek letters read as the Latin ones they imitate when the word mixes
/// them with Latin letters or is made of nothing but look-alikes (a disguise; a real Russian or
/// Greek word keeps its letters). ASCII words, nearly all of them, come back borrowed.
fn fold_forms(word: &str) -> Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let composed: String = word.nfkc().filter(|&c| !is_invisible(c)).collect();
    let letters = || composed.chars().filter(|c| c.is_alphabetic());
    let latin = letters().any(|c| c.is_ascii_alphabetic());
    let lookalike = letters().any(|c| confusable(c).is_some());
    let all_lookalike = letters().all(|c| c.is_ascii_alphabetic() || confusable(c).is_some());
    if lookalike && (latin || all_lookalike) {
        Cow::Owned(
            composed
                .chars()
                .map(|c| confusable(c).unwrap_or(c))
                .collect(),
        )
    } else {
        Cow::Owned(composed)
    }
}

/// Turns one source word (letters, digits, inner apostrophes, inner decimal points) into
/// normalised tokens, appending them to `out`.
pub fn normalize_word(word: &str, out: &mut Vec<String>) {
    let word = fold_forms(word);
    let mut lower = String::with_capacity(word.len());
    if word.is_ascii() {
        // The same as below for ASCII, whose lower case is one byte: most words, byte by byte.
        for b in word.bytes() {
            lower.push(if is_apostrophe(char::from(b)) {
                '\''
            } else {
                char::from(b.to_ascii_lowercase())
            });
        }
    } else {
        for c in word.chars() {
            if is_apostrophe(c) {
                lower.push('\'');
            } else {
                lower.extend(c.to_lowercase());
            }
        }
    }
    // Thousands separators go, so "1,000" and "1000" are one token.
    if lower.contains(',') {
        lower.retain(|c| c != ',');
    }
    let start = out.len();
    expand_contraction(&lower, out);
    // Numbers glued to their unit ("300ms", "10x", "2k") become two tokens: the number and the
    // unit, so "ms" and "x" can be matched as words. Letters before digits ("p99", "ec2") stay.
    let mut i = start;
    while i < out.len() {
        if let Some(split) = number_unit_split(&out[i]) {
            let unit = out[i].split_off(split);
            out.insert(i + 1, unit);
            i += 1;
        }
        i += 1;
    }
    for token in &mut out[start..] {
        if let Some(folded) = fold_spelling(token) {
            *token = folded;
        }
    }
}

/// Byte index where a leading number ends and a unit begins, for tokens like `300ms`.
fn number_unit_split(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let end = token
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map(|(i, _)| i)?;
    let rest = &token[end..];
    (rest.chars().all(char::is_alphabetic) && !token[..end].ends_with('.')).then_some(end)
}

const IS_FORMS: &[&str] = &[
    "it",
    "that",
    "what",
    "there",
    "here",
    "he",
    "she",
    "who",
    "where",
    "how",
    "this",
    "when",
    "which",
    "everything",
    "nothing",
    "something",
    "someone",
    "one",
];

fn push_split(out: &mut Vec<String>, words: &str) {
    out.extend(words.split(' ').map(str::to_string));
}

/// Expands contractions (`wouldn't` -> `would not`, `we're` -> `we are`), drops possessive `'s`
/// and any other apostrophe, and expands the apostrophe-less forms non-native writers use.
fn expand_contraction(word: &str, out: &mut Vec<String>) {
    let whole = match word {
        "won't" | "wont" => Some("will not"),
        "can't" | "cant" | "cannot" => Some("can not"),
        "shan't" => Some("shall not"),
        "ain't" => Some("is not"),
        "let's" | "lets" => Some("let us"),
        "dont" => Some("do not"),
        "doesnt" => Some("does not"),
        "didnt" => Some("did not"),
        "isnt" => Some("is not"),
        "arent" => Some("are not"),
        "wasnt" => Some("was not"),
        "werent" => Some("were not"),
        "wouldnt" => Some("would not"),
        "shouldnt" => Some("should not"),
        "couldnt" => Some("could not"),
        "havent" => Some("have not"),
        "hasnt" => Some("has not"),
        "hadnt" => Some("had not"),
        "gonna" => Some("going to"),
        "wanna" => Some("want to"),
        "gotta" => Some("got to"),
        "im" => Some("i am"),
        "ive" => Some("i have"),
        "idk" => Some("i do not know"),
        "imo" | "imho" => Some("in my opinion"),
        "tbh" => Some("to be honest"),
        "eg" => Some("for example"),
        "%" => Some("percent"),
        "$" => Some("usd"),
        "\u{20ac}" => Some("eur"),
        "\u{a3}" => Some("gbp"),
        "&" => Some("and"),
        _ => None,
    };
    if let Some(words) = whole {
        push_split(out, words);
        return;
    }
    let Some(apo) = word.find('\'') else {
        if !word.is_empty() {
            out.push(word.to_string());
        }
        return;
    };
    let (stem, suffix) = word.split_at(apo);
    match suffix {
        "'t" if stem.ends_with('n') && stem.len() > 1 => {
            out.push(stem[..stem.len() - 1].to_string());
            out.push("not".to_string());
        }
        "'re" => push_pair(out, stem, "are"),
        "'ve" => push_pair(out, stem, "have"),
        "'ll" => push_pair(out, stem, "will"),
        "'d" => push_pair(out, stem, "would"),
        "'m" => push_pair(out, stem, "am"),
        "'s" if IS_FORMS.contains(&stem) => push_pair(out, stem, "is"),
        "'s" | "'" => {
            if !stem.is_empty() {
                out.push(stem.to_string());
            }
        }
        _ => {
            let joined: String = word.chars().filter(|&c| c != '\'').collect();
            if !joined.is_empty() {
                out.push(joined);
            }
        }
    }
}

fn push_pair(out: &mut Vec<String>, stem: &str, verb: &str) {
    if !stem.is_empty() {
        out.push(stem.to_string());
    }
    out.push(verb.to_string());
}

/// British spellings whose American form starts the same way; the prefix is replaced, so
/// inflections (`behaviours`, `behavioural`) fold too. Sorted, and none is a prefix of another,
/// so at most one applies and it is found by binary search.
const PREFIX_FOLDS: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("ageing", "aging"),
    ("analogue", "analog"),
    ("analys", "analyz"),
    ("armour", "armor"),
    ("artefact", "artifact"),
    ("behaviour", "behavior"),
    ("cancell", "cancel"),
    ("catalogue", "catalog"),
    ("catalys", "catalyz"),
    ("centre", "center"),
    ("colour", "color"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("endeavour", "endeavor"),
    ("enquir", "inquir"),
    ("favour", "favor"),
    ("fibre", "fiber"),
    ("flavour", "flavor"),
    ("fuell", "fuel"),
    ("grey", "gray"),
    ("harbour", "harbor"),
    ("honour", "honor"),
    ("humour", "humor"),
    ("judgement", "judgment"),
    ("labell", "label"),
    ("labour", "labor"),
    ("levell", "level"),
    ("licence", "license"),
    ("litre", "liter"),
    ("manoeuvr", "maneuver"),
    ("metre", "meter"),
    ("modell", "model"),
    ("neighbour", "neighbor"),
    ("offence", "offense"),
    ("paralys", "paralyz"),
    ("practis", "practic"),
    ("programme", "program"),
    ("rumour", "rumor"),
    ("savour", "savor"),
    ("sceptic", "skeptic"),
    ("signall", "signal"),
    ("theatre", "theater"),
    ("travell", "travel"),
    ("tunnell", "tunnel"),
    ("vigour", "vigor"),
];

/// British words with an American equivalent that is not a prefix swap.
const WORD_FOLDS: &[(&str, &str)] = &[
    ("whilst", "while"),
    ("amongst", "among"),
    ("learnt", "learned"),
    ("spelt", "spelled"),
    ("burnt", "burned"),
    ("dreamt", "dreamed"),
    ("towards", "toward"),
    ("afterwards", "afterward"),
    ("centred", "centered"),
    ("storey", "story"),
    ("tyre", "tire"),
    ("cheque", "check"),
    ("aluminium", "aluminum"),
];

/// `-ise` family suffixes folded to `-ize` when at least four letters come before them.
const ISE_SUFFIXES: &[&str] = &[
    "isations", "isation", "isable", "isers", "ising", "ised", "ises", "iser", "ise",
];

/// True unless no entry of [`PREFIX_FOLDS`] can start `token`: each is four bytes or more, so
/// the token's first three bytes must be some entry's, and one lookup tells.
fn may_fold_prefix(token: &str) -> bool {
    static STARTS: OnceLock<HashSet<[u8; 3], BuildHasherDefault<WordHasher>>> = OnceLock::new();
    let Some(&[a, b, c]) = token.as_bytes().get(..3) else {
        return false;
    };
    STARTS
        .get_or_init(|| {
            PREFIX_FOLDS
                .iter()
                .map(|(uk, _)| {
                    let b = uk.as_bytes();
                    [b[0], b[1], b[2]]
                })
                .collect()
        })
        .contains(&[a, b, c])
}

/// The American form of a British spelling, when the token has one.
pub fn fold_spelling(token: &str) -> Option<String> {
    // Every token of every answer and pattern comes through here and almost none folds, so the
    // tables are only searched past a one-byte check.
    let first = *token.as_bytes().first()?;
    if let Some(&(_, us)) = WORD_FOLDS
        .iter()
        .find(|(uk, _)| uk.as_bytes()[0] == first && *uk == token)
    {
        return Some(us.to_string());
    }
    if may_fold_prefix(token) {
        // The one entry that can be a prefix of the token sorts last among those before it.
        let at = PREFIX_FOLDS.partition_point(|(uk, _)| *uk <= token);
        if let Some(&(uk, us)) = at.checked_sub(1).and_then(|i| PREFIX_FOLDS.get(i))
            && let Some(rest) = token.strip_prefix(uk)
        {
            return Some(format!("{us}{rest}"));
        }
    }
    if !token.contains("is") {
        return None;
    }
    for suffix in ISE_SUFFIXES {
        if let Some(base) = token.strip_suffix(suffix)
            && base.chars().count() >= 4
            && base.chars().all(char::is_alphabetic)
        {
            return Some(format!("{base}iz{}", &suffix[2..]));
        }
    }
    None
}

/// Normalises a whole phrase (used for pattern words and for matching plain strings): splits on
/// anything that is not part of a word and normalises each word.
pub fn normalize_phrase(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (start, end) in word_spans(text) {
        normalize_word(&text[start..end], &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_folds_are_sorted_and_none_is_a_prefix_of_another() {
        for pair in PREFIX_FOLDS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
        }
        for (a, _) in PREFIX_FOLDS {
            // `may_fold_prefix` looks entries up by their first three bytes.
            assert!(a.len() >= 3 && a.is_ascii(), "{a}");
            for (b, _) in PREFIX_FOLDS {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
        // Before, after and between entries.
        assert_eq!(fold_spelling("aaa"), None);
        assert_eq!(fold_spelling("zzz"), None);
        assert_eq!(fold_spelling("behaviours").as_deref(), Some("behaviors"));
        assert_eq!(fold_spelling("colourful").as_deref(), Some("colorful"));
        assert_eq!(fold_spelling("colo"), None);
        assert_eq!(fold_spelling("grey").as_deref(), Some("gray"));
        assert_eq!(fold_spelling("gre"), None);
        assert_eq!(fold_spelling("\u{e9}t\u{e9}"), None);
        // Upper case and apostrophes read the same byte by byte as char by char.
        assert_eq!(norm("WON`T"), ["will", "not"]);
        assert_eq!(norm("\u{c7}a"), ["\u{e7}a"]);
    }

    fn norm(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        normalize_word(word, &mut out);
        out
    }

    #[test]
    fn word_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Wouldn't", &["would", "not"]),
            ("wouldn\u{2019}t", &["would", "not"]),
            ("won't", &["will", "not"]),
            ("can't", &["can", "not"]),
            ("cannot", &["can", "not"]),
            ("dont", &["do", "not"]),
            ("I'd", &["i", "would"]),
            ("we're", &["we", "are"]),
            ("it's", &["it", "is"]),
            ("team's", &["team"]),
            ("teams'", &["teams"]),
            ("Prioritise", &["prioritize"]),
            ("prioritised", &["prioritized"]),
            ("normalisation", &["normalization"]),
            ("behaviour", &["behavior"]),
            ("behavioural", &["behavioral"]),
            ("analysed", &["analyzed"]),
            ("cancelled", &["canceled"]),
            ("modelling", &["modeling"]),
            ("whilst", &["while"]),
            ("300ms", &["300", "ms"]),
            ("10x", &["10", "x"]),
            ("99.9", &["99.9"]),
            ("1,000", &["1000"]),
            ("p99", &["p99"]),
            ("EC2", &["ec2"]),
            ("rise", &["rise"]),
            ("ÉTÉ", &["été"]),
            ("'", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input), *want, "{input}");
        }
    }

    #[test]
    fn phrases_split_on_punctuation_and_hyphens() {
        assert_eq!(
            normalize_phrase("Trade-off: read/write, \u{201c}don't\u{201d}"),
            ["trade", "off", "read", "write", "do", "not"]
        );
    }
}
