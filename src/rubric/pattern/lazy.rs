//! The lazy runtime: a [`Pattern`] is checked when it is created but its program is built on
//! first use, and a pattern of the built-in rubric may even be parsed then; and the search of a
//! unit's tokens for a match, affirmed or not.

use std::sync::{Arc, OnceLock};

use super::super::token_regex::{Program, Term};
use super::groups::Groups;
use super::{Fragment, pattern_fragment};
use crate::text::{self, Unit};

#[cfg(test)]
use super::Node;

/// One compiled pattern (or several, joined as alternatives): a regex over tokens.
///
/// The pattern language is parsed and checked when the pattern is created (so every error is
/// reported up front), but its program is built on first use.
///
/// Clones share the tree and the program: a rubric copied for a pack builds nothing twice.
///
/// A pattern of the built-in rubric, which the test suite has compiled and checked, may also be
/// [deferred](Pattern::deferred): its text is parsed only when it is first used, so a command
/// scoring one degradation answer never parses the retrospective criteria.
#[derive(Debug, Clone)]
pub struct Pattern(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// The pattern text, for a deferred pattern.
    deferred: Option<Deferred>,
    tree: OnceLock<Tree>,
    /// One program per top-level alternative.
    program: OnceLock<Vec<Program>>,
}

#[derive(Debug)]
struct Deferred {
    patterns: Vec<String>,
    groups: Arc<Groups>,
}

#[derive(Debug)]
pub(super) struct Tree {
    term: Term,
    /// The documented byte regex, which the tests check `term` against.
    #[cfg(test)]
    pub node: Node,
    /// The alternatives that spell out a negation themselves ("not ~2 trust"), compiled apart:
    /// a cue inside a match is part of the concept only when one of these matches there.
    pub negated_concepts: Option<Pattern>,
}

impl Tree {
    fn of(fragments: Vec<Fragment>) -> Tree {
        let with_cue: Vec<Fragment> = fragments
            .iter()
            .filter(|f| f.compiled.cue)
            .cloned()
            .collect();
        let negated_concepts =
            (!with_cue.is_empty()).then(|| Pattern::compiled(Tree::joined(with_cue, None)));
        Tree::joined(fragments, negated_concepts)
    }

    fn joined(fragments: Vec<Fragment>, negated_concepts: Option<Pattern>) -> Tree {
        #[cfg(test)]
        let node = super::regex::anchored_on_spaces(fragments.iter().map(|f| f.node.clone()));
        Tree {
            term: Term::alt(fragments.into_iter().map(|f| f.compiled.term).collect()),
            #[cfg(test)]
            node,
            negated_concepts,
        }
    }
}

impl Pattern {
    /// Joins compiled fragments into one pattern.
    pub(crate) fn from_fragments(fragments: Vec<Fragment>) -> Pattern {
        Pattern::compiled(Tree::of(fragments))
    }

    fn compiled(tree: Tree) -> Pattern {
        Pattern(Arc::new(Inner {
            deferred: None,
            tree: OnceLock::from(tree),
            program: OnceLock::new(),
        }))
    }

    /// Any of `patterns`, parsed on first use. For patterns known to compile (the built-in
    /// rubric's, which the test suite compiles); one that does not matches nothing.
    pub(crate) fn deferred(patterns: Vec<String>, groups: Arc<Groups>) -> Pattern {
        Pattern(Arc::new(Inner {
            deferred: Some(Deferred { patterns, groups }),
            tree: OnceLock::new(),
            program: OnceLock::new(),
        }))
    }

    pub(super) fn tree(&self) -> &Tree {
        self.0.tree.get_or_init(|| {
            let fragments: Option<Vec<Fragment>> = self.0.deferred.as_ref().and_then(|d| {
                d.patterns
                    .iter()
                    .map(|p| pattern_fragment(p, &d.groups).ok())
                    .collect()
            });
            Tree::of(fragments.unwrap_or_else(|| vec![Fragment::fail()]))
        })
    }

    /// True when both patterns compile to the same regex, negated concepts included.
    #[cfg(test)]
    pub(crate) fn same_regex(&self, other: &Pattern) -> bool {
        let (a, b) = (self.tree(), other.tree());
        a.term == b.term
            && a.node == b.node
            && match (&a.negated_concepts, &b.negated_concepts) {
                (Some(x), Some(y)) => x.same_regex(y),
                (None, None) => true,
                _ => false,
            }
    }

    /// Parses the pattern, if it was deferred, and builds its program, now rather than on
    /// first use.
    pub fn build(&self) {
        let _ = self.programs();
    }

    /// True once the program has been built.
    pub fn is_built(&self) -> bool {
        self.0.program.get().is_some()
    }

    /// The programs of the pattern's alternatives, in order (see [`Pattern::find_in`]).
    fn programs(&self) -> &[Program] {
        self.0.program.get_or_init(|| {
            self.tree()
                .term
                .top_alternatives()
                .into_iter()
                .map(Program::new)
                .collect()
        })
    }

    /// The first match in `unit` that passes `keep` (given the first and last token), as token
    /// indices. Matches are tried by their first token, and for each first token only the match
    /// a leftmost-first regex prefers.
    ///
    /// Each top-level alternative of the pattern is a program of its own, tried in order from
    /// each first token, which is what the one alternation would prefer; an alternative whose
    /// needed tokens are not all in the unit is never tried (see `Program::may_match`), so a
    /// unit is searched only for the few alternatives that can match in it.
    pub fn find_in(
        &self,
        unit: &Unit,
        mut keep: impl FnMut(usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        let viable: Vec<&Program> = self
            .programs()
            .iter()
            .filter(|p| p.may_match(unit))
            .collect();
        if viable.is_empty() {
            return None;
        }
        let tokens = unit.words();
        let mut from = 0;
        loop {
            // The search memory is let go before `keep`, which may search other patterns.
            let (first, len) = Program::with_scratch(|scratch| {
                (from..tokens.len()).find_map(|first| {
                    viable
                        .iter()
                        .find_map(|program| program.match_at(&tokens, first, scratch))
                        .map(|len| (first, len))
                })
            })?;
            if let Some(last) = (first + len).checked_sub(1)
                && len > 0
                && keep(first, last)
            {
                return Some((first, last));
            }
            from = first + 1;
        }
    }

    /// The first match in `unit` that is not negated.
    pub fn find_affirmed(&self, unit: &Unit) -> Option<(usize, usize)> {
        self.find_in(unit, |a, b| {
            if unit.negated(a, b) {
                return false;
            }
            if !unit.cue_inside(a, b) {
                return true;
            }
            // A cue inside the match denies it ("we did not know that" for "we ~3 know"),
            // unless an alternative that spells the negation out matches from the same word
            // with that one cue ("would not trust the averages").
            self.tree()
                .negated_concepts
                .as_ref()
                .is_some_and(|concepts| {
                    concepts
                        .find_in(unit, |a2, b2| a2 == a && unit.cues_within(a2, b2) <= 1)
                        .is_some()
                })
        })
    }

    /// True when some unit of `text` matches without being negated.
    pub fn matches_text(&self, text: &str) -> bool {
        text::analyse(text)
            .iter()
            .any(|unit| self.find_affirmed(unit).is_some())
    }

    /// True when the pattern matches the unit at all (negated or not).
    pub fn is_match(&self, unit: &Unit) -> bool {
        self.find_in(unit, |_, _| true).is_some()
    }
}
