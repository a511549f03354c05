//! The byte regex a pattern is documented to mean, as a tree ([`Node`]), for the tests only.
//!
//! `docs/rubric-format.md` explains each term of the pattern language by the regex it stands
//! for over a unit's normalised text (tokens joined by single spaces, a space at both ends):
//! `deploy` is `deploy(?:s|es)?`, `~2` is `(?: [^ ]+){0,2} `. Patterns are matched over tokens
//! instead (see [`super::super::token_regex`]), which is far cheaper to build; this tree is
//! derived from the same syntax tree ([`of`]) so the tests can check the two against each other,
//! through `regex-syntax` and `regex-automata`. Nothing builds it outside the tests.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::compile::{Last, spell};
use super::groups::Groups;
use super::syntax::{Alternatives, Atom, Item, Sequence};

/// A regex over bytes, in the few shapes the pattern language needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Literal(Cow<'static, str>),
    /// `(?:s|es)?`: the plural ending every plain word of three letters or more may take.
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
fn plural() -> Node {
    optional(Node::Alt(vec![literal("s"), literal("es")]))
}

/// The byte regex of a pattern's syntax tree that compiled (with `groups`): any of its
/// alternatives.
pub(crate) fn of(tree: &Alternatives, groups: &Groups) -> Node {
    Builder {
        groups,
        built: BTreeMap::new(),
    }
    .alternatives(tree)
}

/// ` (?:F1|F2|...) `: any of the fragments, anchored on the spaces around tokens.
pub(crate) fn anchored_on_spaces(fragments: impl Iterator<Item = Node>) -> Node {
    Node::Concat(vec![space(), Node::Alt(fragments.collect()), space()])
}

/// Builds one pattern's byte regex; each group it refers to (directly or through another group)
/// is built once, from the group's syntax trees, and shared by every place that names it.
struct Builder<'g> {
    groups: &'g Groups,
    built: BTreeMap<String, Node>,
}

impl Builder<'_> {
    fn alternatives(&mut self, tree: &Alternatives) -> Node {
        Node::Alt(tree.0.iter().map(|seq| self.sequence(seq)).collect())
    }

    /// Terms separated by a space, or by a gap; an optional term takes its separator with it.
    fn sequence(&mut self, seq: &Sequence) -> Node {
        let mut out = Vec::new();
        let mut pending_gap = None;
        let mut has_term = false;
        for item in &seq.0 {
            match item {
                Item::Gap { words, .. } => pending_gap = Some(*words),
                Item::Term {
                    atom,
                    optional: is_optional,
                    column,
                } => {
                    let node = self.atom(atom, *column);
                    let sep = has_term.then(|| pending_gap.take().map_or_else(space, gap));
                    match (is_optional, sep) {
                        (false, sep) => {
                            out.extend(sep);
                            out.push(node);
                            has_term = true;
                        }
                        (true, Some(sep)) => out.push(optional(Node::Concat(vec![sep, node]))),
                        (true, None) => out.push(optional(Node::Concat(vec![node, space()]))),
                    }
                }
                Item::Broken(_) => return Node::Fail,
            }
        }
        Node::Concat(out)
    }

    fn atom(&mut self, atom: &Atom, column: usize) -> Node {
        match atom {
            Atom::Word(word) => self::word(word, column),
            Atom::Group(name) => self.group(name),
            // `[0-9][0-9.]*`
            Atom::Number => Node::Concat(vec![
                Node::Bytes(&[(b'0', b'9')]),
                repeat(Node::Bytes(&[(b'.', b'.'), (b'0', b'9')]), 0, None),
            ]),
            Atom::Nested(inner) => self.alternatives(inner),
        }
    }

    /// Any entry of group `name`; a group that did not compile matches nothing.
    fn group(&mut self, name: &str) -> Node {
        if let Some(node) = self.built.get(name) {
            return node.clone();
        }
        let Some(trees) = self.groups.trees(name) else {
            return Node::Fail;
        };
        let entries = trees.iter().map(|tree| self.alternatives(tree)).collect();
        let node = Node::Shared(Arc::new(Node::Alt(entries)));
        self.built.insert(name.to_string(), node.clone());
        node
    }
}

/// `a b c(?:s|es)?`, `a (?:stem|stem2)[^ ]*` or `a 99`.
fn word(word: &str, column: usize) -> Node {
    let Ok(spelling) = spell(word, column, word) else {
        return Node::Fail;
    };
    let mut out = Vec::new();
    for token in &spelling.init {
        out.push(literal(token));
        out.push(space());
    }
    match spelling.last {
        Last::Prefixes(stems) => {
            out.push(Node::Alt(stems.iter().map(|s| literal(s)).collect()));
            out.push(repeat(token_byte(), 0, None));
        }
        Last::Plural(token) => {
            out.push(literal(&token));
            out.push(Node::Plural);
        }
        Last::Exact(token) => out.push(literal(&token)),
    }
    Node::Concat(out)
}

/// A literal string.
fn literal(text: &str) -> Node {
    Node::Literal(Cow::Owned(text.to_string()))
}

/// One space: the separator between two tokens.
fn space() -> Node {
    Node::Literal(Cow::Borrowed(" "))
}

/// `[^ ]`: any byte of a token.
fn token_byte() -> Node {
    Node::Bytes(&[(0, b' ' - 1), (b' ' + 1, 0xff)])
}

/// `sub` repeated between `min` and `max` times, as many as possible.
fn repeat(sub: Node, min: u32, max: Option<u32>) -> Node {
    Node::Repeat {
        sub: Box::new(sub),
        min,
        max,
    }
}

/// `(?:sub)?`.
fn optional(sub: Node) -> Node {
    repeat(sub, 0, Some(1))
}

/// `(?: [^ ]+){0,n} `: up to `n` whole tokens between two terms.
fn gap(n: usize) -> Node {
    let any_token = Node::Concat(vec![space(), repeat(token_byte(), 1, None)]);
    Node::Concat(vec![repeat(any_token, 0, Some(n as u32)), space()])
}
