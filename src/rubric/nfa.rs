//! The regex tree the pattern compiler writes ([`Node`]), and its Thompson NFA.
//!
//! A rubric's regexes are large (one criterion with its synonym groups written out is 10 KB of
//! regex source) and a short command builds a few dozen of them, so how they are built is most
//! of a cold start. Going through `regex-syntax` (source text, then its `Hir` tree, then the
//! stock compiler) spent four fifths of that on text and tree we never needed. Here the tree is
//! our own, with each synonym group shared by every pattern that uses it, and it is compiled
//! straight into an NFA with `regex-automata`'s builder, state by state exactly as the stock
//! compiler would compile the same regex: greedy unions that prefer the earlier alternative, a
//! lazy unanchored prefix, and bounded repetitions that share one exit. The tests check both
//! halves of that claim: the tree is the regex `regex-syntax` parses from the documented source,
//! and the automata find the same matches as the stock compiler's on every unit of the bank.

// `BuildError` is regex-automata's own, returned as it is by every builder call; an error
// happens at most once per pattern (one that outgrows the size limit), so boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::sync::Arc;

use regex_automata::nfa::thompson::{BuildError, Builder, NFA, Transition};
use regex_automata::util::primitives::StateID;

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
    /// The number of nodes, shared ones counted each time they are used (as they are compiled).
    pub(crate) fn size(&self) -> usize {
        1 + match self {
            Node::Concat(subs) | Node::Alt(subs) => subs.iter().map(Node::size).sum(),
            Node::Repeat { sub, max, .. } => sub.size() * max.unwrap_or(1).max(1) as usize,
            Node::Shared(node) => node.size(),
            Node::Literal(_) | Node::Plural | Node::Bytes(_) | Node::Fail => 0,
        }
    }

    /// The fewest bytes a match can have; `None` when nothing matches.
    fn min_len(&self) -> Option<usize> {
        match self {
            Node::Literal(text) => Some(text.len()),
            Node::Plural => Some(0),
            Node::Bytes(_) => Some(1),
            Node::Concat(subs) => subs.iter().map(Node::min_len).sum(),
            Node::Alt(subs) => subs.iter().filter_map(Node::min_len).min(),
            Node::Repeat { sub, min, .. } => match *min {
                0 => Some(0),
                n => sub.min_len().map(|len| len * n as usize),
            },
            Node::Shared(node) => node.min_len(),
            Node::Fail => None,
        }
    }

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

/// The NFA of `node` for unanchored and anchored forward searches.
pub(crate) fn compile(node: &Node, size_limit: usize) -> Result<NFA, BuildError> {
    let mut c = Compiler {
        builder: Builder::new(),
    };
    c.builder.set_utf8(false);
    c.builder.set_size_limit(Some(size_limit))?;
    // `(?s-u:.)*?`: lazy, so the search reports the leftmost match.
    const ANY_BYTE: Node = Node::Bytes(&[(0, 0xff)]);
    let prefix = c.at_least(&ANY_BYTE, 0, false)?;
    c.builder.start_pattern()?;
    let one = c.node(node)?;
    let matched = c.builder.add_match()?;
    c.builder.patch(one.end, matched)?;
    c.builder.finish_pattern(one.start)?;
    c.builder.patch(prefix.end, one.start)?;
    c.builder.build(one.start, prefix.start)
}

/// The entry and exit states of a compiled piece.
#[derive(Clone, Copy)]
struct Piece {
    start: StateID,
    end: StateID,
}

struct Compiler {
    builder: Builder,
}

impl Compiler {
    fn node(&mut self, node: &Node) -> Result<Piece, BuildError> {
        match node {
            Node::Literal(text) => {
                let mut bytes = text.bytes();
                let Some(first) = bytes.next() else {
                    return self.empty();
                };
                let first = self.byte_range(first, first)?;
                let mut end = first;
                for byte in bytes {
                    let next = self.byte_range(byte, byte)?;
                    self.builder.patch(end, next)?;
                    end = next;
                }
                Ok(Piece { start: first, end })
            }
            Node::Plural => self.node(&plural()),
            Node::Bytes(ranges) => {
                let end = self.builder.add_empty()?;
                let transitions = ranges
                    .iter()
                    .map(|&(start, last)| Transition {
                        start,
                        end: last,
                        next: end,
                    })
                    .collect();
                let start = self.builder.add_sparse(transitions)?;
                Ok(Piece { start, end })
            }
            Node::Concat(subs) => {
                let mut subs = subs.iter();
                let Some(first) = subs.next() else {
                    return self.empty();
                };
                let Piece { start, mut end } = self.node(first)?;
                for sub in subs {
                    let next = self.node(sub)?;
                    self.builder.patch(end, next.start)?;
                    end = next.end;
                }
                Ok(Piece { start, end })
            }
            Node::Alt(subs) => match subs.as_slice() {
                [] => self.fail(),
                [one] => self.node(one),
                _ => {
                    let union = self.builder.add_union(Vec::new())?;
                    let end = self.builder.add_empty()?;
                    for sub in subs {
                        let piece = self.node(sub)?;
                        self.builder.patch(union, piece.start)?;
                        self.builder.patch(piece.end, end)?;
                    }
                    Ok(Piece { start: union, end })
                }
            },
            Node::Repeat { sub, min, max } => match (*min, *max) {
                (0, Some(1)) => self.zero_or_one(sub),
                (min, None) => self.at_least(sub, min, true),
                (min, Some(max)) if min == max => self.exactly(sub, min),
                (min, Some(max)) => self.bounded(sub, min, max),
            },
            Node::Shared(node) => self.node(node),
            Node::Fail => self.fail(),
        }
    }

    fn byte_range(&mut self, start: u8, end: u8) -> Result<StateID, BuildError> {
        self.builder.add_range(Transition {
            start,
            end,
            next: StateID::ZERO,
        })
    }

    fn empty(&mut self) -> Result<Piece, BuildError> {
        let id = self.builder.add_empty()?;
        Ok(Piece { start: id, end: id })
    }

    fn fail(&mut self) -> Result<Piece, BuildError> {
        let id = self.builder.add_fail()?;
        Ok(Piece { start: id, end: id })
    }

    fn union(&mut self, greedy: bool) -> Result<StateID, BuildError> {
        if greedy {
            self.builder.add_union(Vec::new())
        } else {
            self.builder.add_union_reverse(Vec::new())
        }
    }

    fn zero_or_one(&mut self, sub: &Node) -> Result<Piece, BuildError> {
        let union = self.union(true)?;
        let piece = self.node(sub)?;
        let empty = self.builder.add_empty()?;
        self.builder.patch(union, piece.start)?;
        self.builder.patch(union, empty)?;
        self.builder.patch(piece.end, empty)?;
        Ok(Piece {
            start: union,
            end: empty,
        })
    }

    fn exactly(&mut self, sub: &Node, n: u32) -> Result<Piece, BuildError> {
        if n == 0 {
            return self.empty();
        }
        let Piece { start, mut end } = self.node(sub)?;
        for _ in 1..n {
            let next = self.node(sub)?;
            self.builder.patch(end, next.start)?;
            end = next.end;
        }
        Ok(Piece { start, end })
    }

    fn at_least(&mut self, sub: &Node, n: u32, greedy: bool) -> Result<Piece, BuildError> {
        if n == 0 {
            if sub.min_len().is_some_and(|len| len > 0) {
                let union = self.union(greedy)?;
                let piece = self.node(sub)?;
                self.builder.patch(union, piece.start)?;
                self.builder.patch(piece.end, union)?;
                return Ok(Piece {
                    start: union,
                    end: union,
                });
            }
            // A sub that can match empty must not loop on the empty match.
            let piece = self.node(sub)?;
            let plus = self.union(greedy)?;
            self.builder.patch(piece.end, plus)?;
            self.builder.patch(plus, piece.start)?;
            let question = self.union(greedy)?;
            let empty = self.builder.add_empty()?;
            self.builder.patch(question, piece.start)?;
            self.builder.patch(question, empty)?;
            self.builder.patch(plus, empty)?;
            return Ok(Piece {
                start: question,
                end: empty,
            });
        }
        let prefix = if n > 1 {
            Some(self.exactly(sub, n - 1)?)
        } else {
            None
        };
        let last = self.node(sub)?;
        let union = self.union(greedy)?;
        self.builder.patch(last.end, union)?;
        self.builder.patch(union, last.start)?;
        let start = match prefix {
            Some(prefix) => {
                self.builder.patch(prefix.end, last.start)?;
                prefix.start
            }
            None => last.start,
        };
        Ok(Piece { start, end: union })
    }

    /// `sub{min,max}`: every optional copy jumps to one shared exit, which keeps the epsilon
    /// closures small (the stock compiler's construction).
    fn bounded(&mut self, sub: &Node, min: u32, max: u32) -> Result<Piece, BuildError> {
        let prefix = self.exactly(sub, min)?;
        let empty = self.builder.add_empty()?;
        let mut prev_end = prefix.end;
        for _ in min..max {
            let union = self.union(true)?;
            let piece = self.node(sub)?;
            self.builder.patch(prev_end, union)?;
            self.builder.patch(union, piece.start)?;
            self.builder.patch(union, empty)?;
            prev_end = piece.end;
        }
        self.builder.patch(prev_end, empty)?;
        Ok(Piece {
            start: prefix.start,
            end: empty,
        })
    }
}
