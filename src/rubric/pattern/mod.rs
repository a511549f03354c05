//! The rubric pattern language, compiled to linear-time regexes over tokens.
//!
//! A pattern is a sequence of terms separated by spaces, matched against a unit's normalised
//! tokens (see [`crate::text`]); the grammar and its examples are in `docs/rubric-format.md`:
//!
//! - `word`: the word itself, or with a plural `s`/`es` (`deploy` matches `deploys`);
//! - `word*`: any word starting with `word` (`rollback*`, `reproduc*`);
//! - `@name`: any pattern of the synonym group `name`;
//! - `(a|b c|d*)`: alternatives, each a sequence of its own;
//! - `~N` between two terms: up to N other words in between (N at most [`MAX_GAP`]).
//!
//! Words in a pattern are normalised exactly like answers (case, contractions, British
//! spelling), so `"wouldn't"` in a pattern is `would not`. Every term tests whole tokens, so a
//! pattern can never match half a word. Compilation happens once per process; matching is
//! linear in the text.
//!
//! A pattern goes through the modules here in order: [`syntax`] parses it to a tree, [`compile`]
//! turns the tree into the regex over tokens that is matched (see [`super::token_regex`]),
//! resolving `@names` through [`groups`]; [`lazy`] holds the result as a [`Pattern`] whose program
//! is built on first use, and [`matcher`] joins a fact's patterns. [`error`] says what went wrong
//! where; [`sample`] reads a phrase a pattern matches off its text. The byte regex over
//! `" tok tok "` strings that the language is documented to mean ([`regex`]) is derived from the
//! same tree in the tests only, which check the token regexes against it.

mod compile;
mod error;
mod groups;
mod lazy;
mod matcher;
#[cfg(test)]
mod regex;
mod sample;
mod syntax;

pub use error::{GroupError, PatternError};
pub use groups::Groups;
pub use lazy::Pattern;
pub use matcher::Matcher;
pub use sample::sample_phrase;

use compile::Compiled;
#[cfg(test)]
use regex::Node;

/// Largest gap `~N` allowed: more would make a pattern match across unrelated clauses.
pub const MAX_GAP: usize = 12;

/// Deepest nesting of `@group` references inside groups.
const MAX_GROUP_DEPTH: usize = 8;

/// Most work one pattern may ask for per token of an answer: about the instructions of its
/// program times the tokens one match can span (see `Term::cost`). The backtracker never visits
/// an instruction at a token twice, so scoring an answer of `n` tokens costs at most `n` times
/// this per pattern. The built-in rubric's costliest pattern is far below it; a pack that needs
/// more is asking for a match across half a page.
pub const MAX_PATTERN_COST: usize = 60_000;

/// Most entries one synonym group may have.
pub const MAX_GROUP_ENTRIES: usize = 4096;

/// Built-in group: any number token (`300`, `99.9`).
pub const NUMBER_GROUP: &str = "number";

/// One pattern compiled, ready to be joined with others into a [`Pattern`]; in the tests, with
/// the byte regex it is documented as.
#[derive(Debug, Clone)]
pub(crate) struct Fragment {
    compiled: Compiled,
    #[cfg(test)]
    node: Node,
}

impl Fragment {
    /// Matches nothing.
    fn fail() -> Fragment {
        Fragment {
            compiled: Compiled::fail(),
            #[cfg(test)]
            node: Node::Fail,
        }
    }
}

/// Compiles one pattern against `groups`. Errors name the pattern and the column.
pub fn compile_pattern(pattern: &str, groups: &Groups) -> Result<Pattern, PatternError> {
    let fragment = pattern_fragment(pattern, groups)?;
    Ok(Pattern::from_fragments(vec![fragment]))
}

/// The compiled fragment of one pattern: parsed, compiled, and refused when it could cost more
/// than [`MAX_PATTERN_COST`] per word of an answer.
pub(crate) fn pattern_fragment(pattern: &str, groups: &Groups) -> Result<Fragment, PatternError> {
    let tree = syntax::parse(pattern)?;
    let compiled = compile::compile(&tree, pattern, &mut |name, column| {
        groups.get(name, pattern, column)
    })?;
    let cost = compiled.term.cost();
    if cost > MAX_PATTERN_COST {
        return Err(PatternError {
            pattern: pattern.to_string(),
            column: 1,
            message: format!(
                "this pattern could cost {} steps for every word of an answer, over the limit \
                 of {MAX_PATTERN_COST}; use fewer terms, shorter `~N` gaps or smaller groups",
                if cost == usize::MAX {
                    "more than 10^19".to_string()
                } else {
                    cost.to_string()
                }
            ),
        });
    }
    Ok(Fragment {
        compiled,
        #[cfg(test)]
        node: regex::of(&tree, groups),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use crate::text::{self, Unit};

    fn groups() -> Groups {
        let mut raw = BTreeMap::new();
        raw.insert(
            "change".to_string(),
            vec![
                "chang*".to_string(),
                "deploy*".to_string(),
                "@release".to_string(),
            ],
        );
        raw.insert(
            "release".to_string(),
            vec!["releas*".to_string(), "ship*".to_string()],
        );
        Groups::compile(&raw).unwrap()
    }

    fn matches(pattern: &str, text: &str) -> bool {
        let p = compile_pattern(pattern, &groups()).unwrap();
        text::analyse(text)
            .iter()
            .any(|u| p.find_affirmed(u).is_some())
    }

    #[test]
    fn match_table() {
        let cases = [
            ("what changed", "So, what changed?", true),
            ("what changed", "What has changed?", false),
            ("what ~2 changed", "What has changed?", true),
            ("what ~2 changed", "what exactly has changed", true),
            (
                "what ~2 changed",
                "what did we really ship and what changed",
                true,
            ),
            ("what ~1 changed", "what did we change", false),
            ("deploy", "two deploys went out", true),
            ("deploy", "deployment", false),
            ("deploy*", "Deployment", true),
            ("@change ~3 recent*", "anything deployed recently?", true),
            ("@change ~3 recent*", "did we ship recently", true),
            ("(roll back|rollback*|revert*)", "I'd revert it", true),
            (
                "(roll back|rollback*|revert*)",
                "roll the deploy back",
                false,
            ),
            ("prioriti*", "we prioritised it", true),
            ("prioritis*", "we prioritized it", true),
            ("behavior", "odd behaviour", true),
            ("would not trust", "I wouldn't trust it", true),
            ("trade-off", "the trade off is", true),
            ("p99", "p99 rose", true),
            ("300 ms", "from 300ms", true),
            (
                "what changed",
                "I would not bother asking what changed",
                false,
            ),
            (
                "not ~2 trust ~3 average*",
                "I would not trust the averages",
                true,
            ),
            ("a b", "xa b", false),
            ("(the)? root cause", "root cause", true),
            ("find (the)? root cause", "find the root cause", true),
            ("find (the)? root cause", "find root cause", true),
            ("find ~2 (the)? cause", "find out the cause", true),
            ("@number (ms|s)", "under 300ms", true),
            ("@number (ms|s)", "under p99 ms", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(matches(pattern, text), want, "{pattern} ~ {text}");
        }
    }

    /// The tree the compiler builds is the regex the language is documented to mean, exactly as
    /// `regex-syntax` would parse it from source: the token regexes are checked against it.
    #[test]
    fn patterns_compile_to_the_documented_regex() {
        let cases = [
            ("deploy", r" (?:deploy(?:s|es)?) "),
            ("p99", r" (?:p99) "),
            ("deploy*", r" (?:deploy[^ ]*) "),
            ("prioritis*", r" (?:(?:prioritis|prioritiz)[^ ]*) "),
            (
                "would not trust",
                r" (?:would(?:s|es)? not(?:s|es)? trust(?:s|es)?) ",
            ),
            ("trade-off", r" (?:trade off(?:s|es)?) "),
            (
                "what ~2 changed",
                r" (?:what(?:s|es)?(?: [^ ]+){0,2} changed(?:s|es)?) ",
            ),
            (
                "(the)? root cause",
                r" (?:(?:the(?:s|es)? )?root(?:s|es)? cause(?:s|es)?) ",
            ),
            (
                "find ~2 (the)? cause",
                r" (?:find(?:s|es)?(?:(?: [^ ]+){0,2} the(?:s|es)?)? cause(?:s|es)?) ",
            ),
            ("@number (ms|s)", r" (?:[0-9][0-9.]* (?:ms|s)) "),
            (
                "@change ~3 recent*",
                r" (?:(?:chang[^ ]*|deploy[^ ]*|(?:releas[^ ]*|ship[^ ]*))(?: [^ ]+){0,3} recent[^ ]*) ",
            ),
        ];
        let regex = |source: &str| {
            regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(source)
                .unwrap()
        };
        for (pattern, source) in cases {
            let compiled = compile_pattern(pattern, &groups()).unwrap();
            assert_eq!(compiled.tree().node.hir(), regex(source), "{pattern}");
        }
    }

    /// The documented byte regex of a pattern, compiled once for all the units it is run on
    /// (building the automaton per unit made this the slowest test of the suite).
    struct ByteRegex {
        dfa: regex_automata::hybrid::dfa::DFA,
        cache: regex_automata::hybrid::dfa::Cache,
    }

    impl ByteRegex {
        /// The automaton `regex-automata` builds from the `regex-syntax` tree of [`Node`], with
        /// the leftmost-first preference of a backtracking regex engine.
        fn new(pattern: &Pattern) -> Self {
            use regex_automata::MatchKind;
            use regex_automata::hybrid::dfa::DFA;
            use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
            let nfa = Compiler::new()
                .configure(Config::new().which_captures(WhichCaptures::None))
                .build_from_hir(&pattern.tree().node.hir())
                .unwrap();
            let dfa = DFA::builder()
                .configure(DFA::config().match_kind(MatchKind::LeftmostFirst))
                .build_from_nfa(nfa)
                .unwrap();
            let cache = dfa.create_cache();
            ByteRegex { dfa, cache }
        }

        /// Every match in the unit's text, as token ranges: for each space in turn, the match
        /// the regex prefers from there.
        fn matches(&mut self, unit: &Unit) -> Vec<(usize, usize)> {
            use regex_automata::{Anchored, Input};
            let hay = unit.norm.as_bytes();
            (0..hay.len())
                .filter(|&i| hay[i] == b' ')
                .filter_map(|start| {
                    let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
                    let end = self
                        .dfa
                        .try_search_fwd(&mut self.cache, &input)
                        .unwrap()?
                        .offset();
                    unit.token_range(start, end)
                })
                .collect()
        }
    }

    /// Every match over tokens, negated or not, as token ranges.
    fn token_matches(pattern: &Pattern, unit: &Unit) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        pattern.find_in(unit, |first, last| {
            found.push((first, last));
            false
        });
        found
    }

    /// The regexes over tokens find exactly what the documented byte regexes find, match for
    /// match, on every unit of every graded example in the bank and for every pattern of the
    /// default rubric: every score depends on it.
    #[test]
    fn token_regexes_match_like_the_documented_byte_regexes() {
        let pack = crate::pack::builtin::pack().unwrap();
        let rubric = pack.rubric().unwrap();
        let units: Vec<Unit> = pack
            .questions
            .iter()
            .flat_map(|q| &q.examples)
            .flat_map(|e| e.text.iter().chain(e.steps.values()).chain(&e.follow_up))
            .flat_map(|text| text::analyse(text))
            .collect();
        assert!(units.len() > 1000, "{} units", units.len());
        let patterns = rubric
            .compiled_criteria()
            .iter()
            .map(|c| &c.pattern)
            .chain(rubric.compiled_anti_patterns().iter().map(|a| &a.pattern))
            .flat_map(|p| [Some(p), p.tree().negated_concepts.as_ref()])
            .flatten();
        let mut matches = 0;
        for pattern in patterns {
            let mut regex = ByteRegex::new(pattern);
            for unit in &units {
                let tokens = token_matches(pattern, unit);
                assert_eq!(tokens, regex.matches(unit), "{:?}", unit.norm);
                matches += tokens.len();
            }
        }
        assert!(matches > 1000, "{matches} matches");
    }

    #[test]
    fn error_table() {
        let cases = [
            ("", 1, "empty pattern"),
            ("   ", 1, "empty pattern"),
            ("(a|b", 1, "never closed"),
            ("a)", 2, "without a matching"),
            ("(a||b)", 4, "empty alternative"),
            ("~2 a", 1, "between two terms"),
            ("a ~2", 3, "between two terms"),
            ("a ~2 ~3 b", 6, "two gaps"),
            ("a ~x b", 3, "must be followed by a number"),
            ("a ~99 b", 3, "wider than"),
            ("a @nope", 3, "unknown group @nope"),
            ("a @chang", 3, "did you mean @change"),
            ("de*ploy", 3, "may only end a word"),
            ("a -- b", 3, "no letters or digits"),
            ("@", 1, "group name"),
            ("a ? b", 3, "must directly follow"),
            ("(a)?", 1, "must not be optional"),
        ];
        for (pattern, column, message) in cases {
            let err = compile_pattern(pattern, &groups()).unwrap_err();
            assert_eq!(err.column, column, "{pattern}: {err}");
            assert!(err.message.contains(message), "{pattern}: {err}");
        }
    }

    /// A pattern with several mistakes is reported by the first one met in source order, the
    /// compiler's (an unknown group, a misplaced `*`) or the parser's alike; a sequence's own
    /// shape (gaps at its ends) is checked once its terms are read.
    #[test]
    fn the_first_of_several_mistakes_is_reported() {
        let cases = [
            ("~2 @nope", 4, "unknown group @nope"),
            ("@nope ~99 b", 1, "unknown group @nope"),
            ("(~2 a) @nope", 2, "between two terms"),
            ("a ~2 ~x b", 6, "must be followed by a number"),
            ("de*ploy ~99 b", 3, "may only end a word"),
            ("(@nope|a", 2, "unknown group @nope"),
            ("a (b|) @nope", 6, "empty alternative"),
        ];
        for (pattern, column, message) in cases {
            let err = compile_pattern(pattern, &groups()).unwrap_err();
            assert_eq!(err.column, column, "{pattern}: {err}");
            assert!(err.message.contains(message), "{pattern}: {err}");
        }
    }

    #[test]
    fn pathological_patterns_are_refused_and_the_bank_is_far_below_the_bound() {
        // 300 terms with the longest gaps: the pattern that took 22 s on 800 words.
        let long: Vec<&str> = std::iter::repeat_n("a ~12", 299).chain(["b"]).collect();
        let err = compile_pattern(&long.join(" "), &groups()).unwrap_err();
        assert!(err.message.contains("over the limit"), "{err}");
        // 40,000 two-word branches.
        let alt: Vec<String> = (0..40_000).map(|i| format!("w{i} x")).collect();
        let err = compile_pattern(&format!("({})", alt.join("|")), &groups()).unwrap_err();
        assert!(err.message.contains("over the limit"), "{err}");
        // Every pattern of the default rubric fits with room to spare.
        let file = crate::rubric::CompiledRubric::builtin().file();
        let groups = Groups::compile(&file.groups).unwrap();
        let mut worst = 0;
        for c in &file.criteria {
            for p in &c.patterns {
                let f = pattern_fragment(p, &groups).unwrap();
                worst = worst.max(f.compiled.term.cost());
            }
        }
        eprintln!("costliest built-in pattern: {worst}");
        assert!(worst * 4 < MAX_PATTERN_COST, "{worst}");
    }

    #[test]
    fn group_cycles_and_unknown_groups_are_errors() {
        let mut raw = BTreeMap::new();
        raw.insert("a".to_string(), vec!["x".to_string(), "@b".to_string()]);
        raw.insert("b".to_string(), vec!["@a".to_string()]);
        let err = Groups::compile(&raw).unwrap_err();
        assert!(err.to_string().contains("refers back to itself"), "{err}");
        let mut raw = BTreeMap::new();
        raw.insert("a".to_string(), vec!["@zzz".to_string()]);
        assert!(Groups::compile(&raw).is_err());
        let mut raw = BTreeMap::new();
        raw.insert("a".to_string(), Vec::new());
        assert!(Groups::compile(&raw).is_err());
    }

    #[test]
    fn matcher_ignores_negated_questions() {
        let m = Matcher::new(
            &["@change".to_string(), "what ~2 (new|different)".to_string()],
            &groups(),
        )
        .unwrap();
        assert!(m.matches("Did we deploy anything today?"));
        assert!(m.matches("What is new since Monday?"));
        assert!(!m.matches("I don't care about deploys."));
        assert!(!m.matches("How many users?"));
        let empty = Matcher::new(&[], &groups()).unwrap();
        assert!(!empty.matches("anything at all"));
    }
}
