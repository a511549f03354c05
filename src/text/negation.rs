//! Negation with a bounded scope, NegEx style: a cue ("not", "no", "never", "without", "rather
//! than" ...) negates the next few words, up to a clause break or a contrast word ("but",
//! "however"); coordinated objects ("no need to add tracing or to look at the pool") extend the
//! scope past "or"/"and". Pseudo-negations that only look negative ("not only", "no doubt",
//! "whether or not", "can not rule out") are not cues. A few cues follow what they negate
//! ("checking the deploys is pointless").
//!
//! Two scopes come out: the strict one (real negation), which stops a criterion from earning
//! credit, and the wider avoidance one, which adds "avoid", "before", "until", "rather than" and
//! the like and stops an anti-pattern from firing ("before adding servers I would ...").

use std::sync::OnceLock;

use super::word_set::WordSet;

/// Words after a cue that a negation covers before it lapses.
pub const WINDOW: usize = 5;

const CUES: &[&[&str]] = &[
    &["not"],
    &["no"],
    &["never"],
    &["without"],
    &["nor"],
    &["neither"],
    &["none"],
    &["nobody"],
    &["nothing"],
    &["hardly"],
    &["rather", "than"],
    &["instead", "of"],
    &["as", "opposed", "to"],
];

const AVOIDANCE_CUES: &[&[&str]] = &[
    &["avoid"],
    &["avoiding"],
    &["resist"],
    &["refrain"],
    &["skip"],
    &["before"],
    &["until"],
    &["unless"],
    &["only", "if"],
    &["only", "after"],
    &["only", "when"],
    &["only", "once"],
    &["last", "resort"],
    &["tempting"],
    &["temptation"],
    &["instinct"],
    &["knee", "jerk"],
    &["premature"],
    &["prematurely"],
    &["mistake"],
    &["wrong"],
    &["trap"],
];

/// Cue words followed or preceded by these are not negations.
const PSEUDO_AFTER: &[&[&str]] = &[
    &["only"],
    &["doubt"],
    &["to", "mention"],
    &["matter"],
    &["least"],
    &["sure"],
    &["rule"],
    &["ruled"],
    &["be", "ruled"],
    &["be", "rule"],
    &["bad"],
    &["surprisingly"],
    &["later", "than"],
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
];

/// Words that end a negation's scope: contrast, cause and clause openers.
const TERMINATORS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "yet",
    "except",
    "whereas",
    "while",
    "because",
    "since",
    "so",
    "which",
    "who",
    "then",
    "instead",
    "rather",
    "therefore",
    "thus",
    "meanwhile",
    "first",
    "afterwards",
    "afterward",
    "later",
    "now",
];

/// True for a word that ends a negation's scope.
pub fn is_terminator(word: &str) -> bool {
    TERMINATORS.contains(&word)
}

/// Cues that follow what they negate ("the deploy is irrelevant").
const POST_CUES: &[&[&str]] = &[
    &["not", "needed"],
    &["not", "necessary"],
    &["unnecessary"],
    &["pointless"],
    &["overkill"],
    &["not", "worth"],
    &["waste", "of", "time"],
    &["not", "relevant"],
    &["irrelevant"],
    &["does", "not", "matter"],
    &["do", "not", "matter"],
    &["useless"],
    &["not", "helpful"],
    &["is", "not", "an", "option"],
];

/// Single words that negate what follows them.
const CUE_WORDS: &[&str] = &[
    "not", "no", "never", "without", "nor", "neither", "none", "nobody", "nothing", "hardly",
];

/// True for a single-word negation cue.
pub fn is_cue_word(word: &str) -> bool {
    CUE_WORDS.contains(&word)
}

/// Words between a cue and what it denies that do not use up its window: "I'm not going to
/// bother to ask about file sizes" denies the asking as much as "I won't ask about file sizes".
const TRANSPARENT: &[&str] = &[
    "going",
    "gonna",
    "to",
    "be",
    "even",
    "really",
    "bother",
    "bothering",
    "actually",
    "try",
    "trying",
    "want",
    "wanna",
    "about",
];

/// Words that coordinate objects under one negation.
const COORDINATORS: &[&str] = &["or", "nor", "and"];

fn starts_with(tokens: &[&str], at: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, w)| tokens.get(at + k) == Some(w))
}

/// True when `word` opens some cue of [`CUES`], [`AVOIDANCE_CUES`] or [`POST_CUES`]: most words
/// open none, and one lookup tells them from the cues without trying every cue.
fn may_open_cue(word: &str) -> bool {
    static FIRSTS: OnceLock<WordSet> = OnceLock::new();
    FIRSTS
        .get_or_init(|| {
            CUES.iter()
                .chain(AVOIDANCE_CUES)
                .chain(POST_CUES)
                .filter_map(|cue| cue.first().copied())
                .collect()
        })
        .contains(word)
}

fn cue_len(tokens: &[&str], at: usize, cues: &[&[&str]]) -> Option<usize> {
    cues.iter()
        .filter(|cue| starts_with(tokens, at, cue))
        .map(|cue| cue.len())
        .max()
}

fn is_pseudo(tokens: &[&str], at: usize, len: usize) -> bool {
    let after = at + len;
    if PSEUDO_AFTER.iter().any(|p| starts_with(tokens, after, p)) {
        return true;
    }
    let before = |k: usize| at.checked_sub(k).and_then(|i| tokens.get(i)).copied();
    // "whether or not", "if not", "or not": a condition, not a denial.
    tokens[at] == "not" && (matches!(before(1), Some("if" | "or")))
        // "no one but us", "nothing but": restrictive, not negative about what follows.
        || (matches!(tokens[at], "nothing" | "none") && tokens.get(after) == Some(&"but"))
}

/// Per-token negation marks of one unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// Token is inside the scope of a real negation cue that came before it.
    pub negated: Vec<bool>,
    /// Token is inside the scope of a negation or an avoidance cue that came before it.
    pub avoided: Vec<bool>,
    /// Token is negated by a cue that follows it ("... is pointless").
    pub post_negated: Vec<bool>,
}

/// Marks the tokens negated by the cues of one unit. `breaks[i]` says that punctuation follows
/// token `i` and ends a clause.
pub fn scopes(tokens: &[&str], breaks: &[bool]) -> Scopes {
    let n = tokens.len();
    let mut out = Scopes {
        negated: vec![false; n],
        avoided: vec![false; n],
        post_negated: vec![false; n],
    };
    let mut i = 0;
    while i < n {
        if !may_open_cue(tokens[i]) {
            i += 1;
            continue;
        }
        let strict = cue_len(tokens, i, CUES);
        let avoid = cue_len(tokens, i, AVOIDANCE_CUES);
        let Some(len) = strict.or(avoid) else {
            i += 1;
            continue;
        };
        if is_pseudo(tokens, i, len) {
            i += len;
            continue;
        }
        let first = i + len;
        if !breaks
            .get(first.saturating_sub(1))
            .copied()
            .unwrap_or(false)
        {
            let mut limit = first + WINDOW;
            let mut k = first;
            // A coordinator right at the window's edge still carries the negation on.
            while k < n && (k < limit || COORDINATORS.contains(&tokens[k])) {
                if TERMINATORS.contains(&tokens[k]) && k > first {
                    break;
                }
                if strict.is_some() {
                    out.negated[k] = true;
                }
                out.avoided[k] = true;
                if COORDINATORS.contains(&tokens[k]) {
                    limit = k + 1 + WINDOW;
                } else if TRANSPARENT.contains(&tokens[k]) {
                    limit += 1;
                }
                if breaks.get(k).copied().unwrap_or(false) {
                    // "no need to add tracing, to look at the pool or to page anyone": a list
                    // of infinitives or alternatives after a comma stays under the cue.
                    // So does a list of objects closed by "or" ("no trade-offs, costs or
                    // fallbacks") and a list of "for" phrases ("no need for alerts, for a
                    // review").
                    let closes_list = (k + 1..(k + 4).min(n))
                        .take_while(|&j| j == k + 1 || !breaks.get(j - 1).copied().unwrap_or(false))
                        .any(|j| matches!(tokens[j], "or" | "nor"));
                    if matches!(tokens.get(k + 1), Some(&"to" | &"or" | &"nor" | &"for"))
                        || closes_list
                    {
                        limit = k + 1 + WINDOW;
                        k += 1;
                        continue;
                    }
                    break;
                }
                k += 1;
            }
        }
        i += 1;
    }
    for i in 0..n {
        if !may_open_cue(tokens[i]) || cue_len(tokens, i, POST_CUES).is_none() {
            continue;
        }
        let mut k = i;
        let mut steps = 0;
        while k > 0 && steps < WINDOW {
            k -= 1;
            if breaks.get(k).copied().unwrap_or(false) || TERMINATORS.contains(&tokens[k]) {
                break;
            }
            out.post_negated[k] = true;
            steps += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the unit with negated words in brackets: `i would not [bother] [asking]`.
    fn mark(text: &str, which: fn(&Scopes) -> &Vec<bool>) -> String {
        let words: Vec<&str> = text.split(' ').map(|w| w.trim_end_matches(',')).collect();
        let breaks: Vec<bool> = text.split(' ').map(|w| w.ends_with(',')).collect();
        let s = scopes(&words, &breaks);
        words
            .iter()
            .zip(which(&s))
            .map(|(w, &neg)| if neg { format!("[{w}]") } else { w.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn strict_scope_table() {
        let cases = [
            (
                "i would not bother asking what changed recently",
                "i would not [bother] [asking] [what] [changed] [recently]",
            ),
            (
                "no need to add tracing or to look at the pool",
                "no [need] [to] [add] [tracing] [or] [to] [look] [at] [the] [pool]",
            ),
            (
                "not only the deploy but the config",
                "not only the deploy but the config",
            ),
            ("no doubt the deploy matters", "no doubt the deploy matters"),
            (
                "we can not rule out the deploy",
                "we can not rule out the deploy",
            ),
            (
                "whether or not it reproduces",
                "whether or not it reproduces",
            ),
            (
                "i would not scale, i would check deploys",
                "i would not [scale] i would check deploys",
            ),
            (
                "i am not going to ask about file sizes",
                "i am not [going] [to] [ask] [about] [file] [sizes]",
            ),
            (
                "not the cache but the pool",
                "not [the] [cache] but the pool",
            ),
            (
                "no trade offs, costs or fallbacks to weigh",
                "no [trade] [offs] [costs] [or] [fallbacks] [to] [weigh]",
            ),
            (
                "no need for alerts, for a review",
                "no [need] [for] [alerts] [for] [a] [review]",
            ),
            (
                "no rollback, we check the deploys",
                "no [rollback] we check the deploys",
            ),
            (
                "one two three four five six seven never a b c d e f g",
                "one two three four five six seven never [a] [b] [c] [d] [e] f g",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(mark(input, |s| &s.negated), want, "{input}");
        }
    }

    #[test]
    fn avoidance_cues_only_widen_the_avoided_scope() {
        let text = "before adding servers i would check the deploys";
        assert_eq!(mark(text, |s| &s.negated), text);
        assert_eq!(
            mark(text, |s| &s.avoided),
            "before [adding] [servers] [i] [would] [check] the deploys"
        );
        assert_eq!(
            mark("roll back rather than just add servers", |s| &s.avoided),
            "roll back rather than [just] [add] [servers]"
        );
    }

    #[test]
    fn post_cues_negate_backwards() {
        assert_eq!(
            mark("honestly, checking the deploys is pointless", |s| &s
                .post_negated),
            "honestly [checking] [the] [deploys] [is] pointless"
        );
    }
}
