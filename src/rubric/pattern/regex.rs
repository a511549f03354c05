//! The byte regex a pattern is documented to mean, as a tree ([`Node`]).
//!
//! `docs/rubric-format.md` explains each term of the pattern language by the regex it stands
//! for over a unit's normalised text (tokens joined by single spaces, a space at both ends):
//! `deploy` is `deploy(?:s|es)?`, `~2` is `(?: [^ ]+){0,2} `. Patterns are matched over tokens
//! instead (see [`super::token_regex`]), which is far cheaper to build; the parser writes this
//! tree beside the token regex so the tests can check the two against each other, through
//! `regex-syntax` and `regex-automata`.

use std::borrow::Cow;
use std::sync::Arc;

/// A regex over bytes, in the few shapes the pattern language needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Literal(Cow<'static, str>),
    /// `(?:s|es)?`: the plural ending every plain word of three letters or more may take. A
    /// variant of its own because a rubric has thousands of them: one allocation each, not five.
    Plural,
    /// A byte class, as inclusive ranges.
    Bytes(&'static [(u8, u8)]),
    Concat(Vec<Node>),
    /// Alternatives, the earlier preferred.
    Alt(Vec<Node>),
    /// Greedy repetition.
    Repeat {
        sub: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    /// A compiled synonym group, shared.
    Shared(Arc<Node>),
    /// Matches nothing.
    Fail,
}

impl Node {
    /// The same regex as `regex-syntax`'s tree, built with its constructors.
    #[cfg(test)]
    pub(crate) fn hir(&self) -> regex_syntax::hir::Hir {
        use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, Repetition};
        match self {
            Node::Literal(text) => Hir::literal(text.as_bytes()),
            Node::Plural => plural().hir(),
            Node::Bytes(ranges) => Hir::class(Class::Bytes(ClassBytes::new(
                ranges.iter().map(|&(a, b)| ClassBytesRange::new(a, b)),
            ))),
            Node::Concat(subs) => Hir::concat(subs.iter().map(Node::hir).collect()),
            Node::Alt(subs) => Hir::alternation(subs.iter().map(Node::hir).collect()),
            Node::Repeat { sub, min, max } => Hir::repetition(Repetition {
                min: *min,
                max: *max,
                greedy: true,
                sub: Box::new(sub.hir()),
            }),
            Node::Shared(node) => node.hir(),
            Node::Fail => Hir::fail(),
        }
    }
}

/// What [`Node::Plural`] stands for.
#[cfg(test)]
fn plural() -> Node {
    Node::Repeat {
        sub: Box::new(Node::Alt(vec![
            Node::Literal(Cow::Borrowed("s")),
            Node::Literal(Cow::Borrowed("es")),
        ])),
        min: 0,
        max: Some(1),
    }
}
