//! The pattern language's syntax tree and its parser.
//!
//! The parser only reads: words stay as written, `@groups` as names; what they mean is the
//! compiler's business ([`super::compile`]). It stops at the first mistake it sees and leaves it
//! in the tree, where it was found, as [`Item::Broken`]: the compiler walks the tree in source
//! order and reports the first problem it meets, its own (an unknown group, a word with no
//! letters) or the parser's, so a pattern with several mistakes is reported by its first.

use std::fmt;

use super::error::PatternError;
use super::{MAX_GAP, NUMBER_GROUP};

/// `seq ('|' seq)*`: alternatives, the earlier preferred.
#[derive(Debug, Clone)]
pub(crate) struct Alternatives(pub Vec<Sequence>);

/// Terms and gaps, in order.
#[derive(Debug, Clone)]
pub(crate) struct Sequence(pub Vec<Item>);

#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A term, `?` after it when `optional`; `column` is where it starts.
    Term {
        atom: Atom,
        optional: bool,
        column: usize,
    },
    /// `~N` at `column`.
    Gap { words: usize, column: usize },
    /// Where the parser stopped, and why.
    Broken(PatternError),
}

#[derive(Debug, Clone)]
pub(crate) enum Atom {
    /// A word as written, `*` included.
    Word(String),
    /// `@name`.
    Group(String),
    /// `@number`, the built-in group.
    Number,
    /// `( ... )`.
    Nested(Alternatives),
}

/// Parses `source`; only an empty pattern is refused here, every other mistake is left in the
/// tree.
pub(crate) fn parse(source: &str) -> Result<Alternatives, PatternError> {
    let mut parser = Parser::new(source);
    if source.trim().is_empty() {
        return Err(parser.error(1, "empty pattern"));
    }
    let mut tree = parser.alternatives(false);
    if !parser.broken
        && let Some(c) = parser.peek()
    {
        let error = parser.error(parser.column(), format!("unexpected `{c}`"));
        tree.0.push(Sequence(vec![Item::Broken(error)]));
    }
    Ok(tree)
}

/// A character of a group name after `@`.
fn is_group_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|' | '~' | '@' | '?')
}

/// Recursive descent over the characters of one pattern.
struct Parser<'a> {
    source: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    /// A mistake was found: nothing more is read.
    broken: bool,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        Parser {
            source,
            chars: source
                .chars()
                .enumerate()
                .map(|(i, c)| (i + 1, c))
                .collect(),
            pos: 0,
            broken: false,
        }
    }

    fn error(&self, column: usize, message: impl Into<String>) -> PatternError {
        PatternError {
            pattern: self.source.to_string(),
            column,
            message: message.into(),
        }
    }

    /// The mistake at `column`, as the item the parser stops at.
    fn broken(&mut self, column: usize, message: impl Into<String>) -> Item {
        self.broken = true;
        Item::Broken(self.error(column, message))
    }

    fn column(&self) -> usize {
        self.chars
            .get(self.pos)
            .map_or(self.chars.len() + 1, |&(c, _)| c)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    /// The characters from `start` to the current position.
    fn since(&self, start: usize) -> String {
        self.chars[start..self.pos]
            .iter()
            .map(|&(_, c)| c)
            .collect()
    }

    /// `seq ('|' seq)*`, up to a closing `)` when `nested`.
    fn alternatives(&mut self, nested: bool) -> Alternatives {
        let mut alts = Vec::new();
        loop {
            let start = self.column();
            let seq = self.sequence();
            if seq.0.is_empty() {
                let broken = self.broken(start, "empty alternative");
                alts.push(Sequence(vec![broken]));
                break;
            }
            alts.push(seq);
            if self.broken {
                break;
            }
            match self.peek() {
                Some('|') => self.pos += 1,
                Some(')') if nested => break,
                Some(')') => {
                    let broken = self.broken(self.column(), "`)` without a matching `(`");
                    alts.push(Sequence(vec![broken]));
                    break;
                }
                _ => break,
            }
        }
        Alternatives(alts)
    }

    /// Terms and gaps up to `|`, `)` or the end.
    fn sequence(&mut self) -> Sequence {
        let mut items: Vec<Item> = Vec::new();
        while !self.broken {
            while self.peek().is_some_and(char::is_whitespace) {
                self.pos += 1;
            }
            let column = self.column();
            let item = match self.peek() {
                None | Some('|') | Some(')') => break,
                Some('?') => self.broken(column, "`?` must directly follow a term, like (the)?"),
                Some('(') => self.nested(column, &mut items),
                Some('~') => self.gap(column),
                Some('@') => self.group(column),
                Some(_) => {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| !is_special(c)) {
                        self.pos += 1;
                    }
                    self.term(Atom::Word(self.since(start)), column)
                }
            };
            items.push(item);
        }
        Sequence(items)
    }

    /// The atom at `column` as a term, with the `?` right after it if there is one.
    fn term(&mut self, atom: Atom, column: usize) -> Item {
        let optional = self.peek() == Some('?');
        if optional {
            self.pos += 1;
        }
        Item::Term {
            atom,
            optional,
            column,
        }
    }

    /// `( alternatives )`. A mistake inside ends the pattern there: the alternatives read so far
    /// go into `items` first, so that their own problems come before it.
    fn nested(&mut self, column: usize, items: &mut Vec<Item>) -> Item {
        self.pos += 1;
        let inner = self.alternatives(true);
        if self.broken {
            return Item::Term {
                atom: Atom::Nested(inner),
                optional: false,
                column,
            };
        }
        if self.peek() != Some(')') {
            items.push(Item::Term {
                atom: Atom::Nested(inner),
                optional: false,
                column,
            });
            return self.broken(column, "`(` is never closed");
        }
        self.pos += 1;
        self.term(Atom::Nested(inner), column)
    }

    /// `~N`, followed by a space or another special character.
    fn gap(&mut self, column: usize) -> Item {
        self.pos += 1;
        let digits_start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let Ok(words) = self.since(digits_start).parse::<usize>() else {
            return self.broken(column, "`~` must be followed by a number of words, like ~3");
        };
        if words > MAX_GAP {
            return self.broken(column, format!("gap ~{words} is wider than ~{MAX_GAP}"));
        }
        if self.peek().is_some_and(|c| !is_special(c)) {
            return self.broken(column, "put a space after a gap like ~3");
        }
        Item::Gap { words, column }
    }

    /// `@name`.
    fn group(&mut self, column: usize) -> Item {
        self.pos += 1;
        let name_start = self.pos;
        while self.peek().is_some_and(is_group_name_char) {
            self.pos += 1;
        }
        let name = self.since(name_start);
        if name.is_empty() {
            return self.broken(column, "`@` must be followed by a group name");
        }
        if self.peek() == Some('*') {
            return self.broken(self.column(), "`*` cannot follow a group");
        }
        let atom = if name == NUMBER_GROUP {
            Atom::Number
        } else {
            Atom::Group(name)
        };
        self.term(atom, column)
    }
}

/// The pattern written out again in one canonical spelling (single spaces, no columns): two
/// entries of a synonym group that print alike compile alike, and the group keeps the first.
impl fmt::Display for Alternatives {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seq) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("|")?;
            }
            for (j, item) in seq.0.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                match item {
                    Item::Term { atom, optional, .. } => {
                        match atom {
                            Atom::Word(word) => f.write_str(word)?,
                            Atom::Group(name) => write!(f, "@{name}")?,
                            Atom::Number => write!(f, "@{NUMBER_GROUP}")?,
                            Atom::Nested(inner) => write!(f, "({inner})")?,
                        }
                        if *optional {
                            f.write_str("?")?;
                        }
                    }
                    Item::Gap { words, .. } => write!(f, "~{words}")?,
                    Item::Broken(error) => write!(f, "<{}>", error.message)?,
                }
            }
        }
        Ok(())
    }
}
