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
//! The parser writes each pattern twice, as trees rather than source text: as the regex over
//! tokens that is matched ([`Term`], see [`super::token_regex`]), and as the byte regex over
//! `" tok tok "` strings that the language is documented to mean ([`Node`], see
//! [`super::regex`]), which the tests use to check the first. Each synonym group is compiled
//! once and shared; a pattern's program is built from its tree on first use, so a process pays
//! only for the criteria it uses.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use std::sync::{Arc, OnceLock};

use super::regex::Node;
use super::token_regex::{Program, Term, Test};

use crate::text::{self, Unit};

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

/// A pattern that does not compile, with the 1-based character column of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The pattern as written.
    pub pattern: String,
    /// 1-based character column in the pattern where the problem is.
    pub column: usize,
    /// What is wrong, as a lower-case fragment.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pattern \"{}\", column {}: {}",
            self.pattern, self.column, self.message
        )
    }
}

impl std::error::Error for PatternError {}

/// Synonym groups, compiled to regex fragments, ready to be used by patterns as `@name`.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    raw: BTreeMap<String, Vec<String>>,
    compiled: BTreeMap<String, Fragment>,
}

/// A compiled piece of the pattern language: the regex over tokens it stands for and the byte
/// regex it is documented as, and whether one of its words is a negation cue (such alternatives
/// are also compiled apart, see [`Pattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fragment {
    term: Term,
    node: Node,
    cue: bool,
}

impl Fragment {
    /// Any of `alternatives`, in order of preference.
    fn any(alternatives: Vec<Fragment>) -> Fragment {
        let cue = alternatives.iter().any(|f| f.cue);
        let (terms, nodes) = alternatives.into_iter().map(|f| (f.term, f.node)).unzip();
        Fragment {
            term: Term::alt(terms),
            node: Node::Alt(nodes),
            cue,
        }
    }
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

/// True when a normalised token of a pattern spells a negation cue (`not`, `never`, ...).
fn has_cue(token: &str) -> bool {
    token
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(crate::text::negation::is_cue_word)
}

/// A synonym group that does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupError {
    /// Group name.
    pub group: String,
    /// Index of the failing entry in the group's list.
    pub index: usize,
    /// The failure.
    pub error: PatternError,
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "group \"{}\" entry {}: {}",
            self.group,
            self.index + 1,
            self.error
        )
    }
}

impl std::error::Error for GroupError {}

impl Groups {
    /// Compiles every group, resolving references between groups and rejecting cycles.
    pub fn compile(raw: &BTreeMap<String, Vec<String>>) -> Result<Groups, GroupError> {
        let mut groups = Groups {
            raw: raw.clone(),
            compiled: BTreeMap::new(),
        };
        for name in raw.keys() {
            let mut stack = Vec::new();
            groups.resolve(name, &mut stack)?;
        }
        Ok(groups)
    }

    /// The groups as written.
    pub fn raw(&self) -> &BTreeMap<String, Vec<String>> {
        &self.raw
    }

    /// Group names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.raw.keys().map(String::as_str)
    }

    fn resolve(&mut self, name: &str, stack: &mut Vec<String>) -> Result<Fragment, GroupError> {
        if let Some(done) = self.compiled.get(name) {
            return Ok(done.clone());
        }
        let entries = self.raw.get(name).cloned().unwrap_or_default();
        if entries.len() > MAX_GROUP_ENTRIES {
            return Err(GroupError {
                group: name.to_string(),
                index: MAX_GROUP_ENTRIES,
                error: PatternError {
                    pattern: entries[MAX_GROUP_ENTRIES].clone(),
                    column: 1,
                    message: format!(
                        "a group may have at most {MAX_GROUP_ENTRIES} entries, and this one has {}",
                        entries.len()
                    ),
                },
            });
        }
        stack.push(name.to_string());
        let mut ordered: Vec<Fragment> = Vec::new();
        // Fragments seen so far, by a hash of their byte regex: finding a repeat is a lookup,
        // not a scan of every earlier entry, which made a 64k-word group take a minute to load.
        let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let fail = |error: PatternError| GroupError {
                group: name.to_string(),
                index,
                error,
            };
            let mut parser = Parser::new(entry);
            let mut resolver = |inner: &str, column: usize| -> Result<Fragment, PatternError> {
                if stack.iter().any(|s| s == inner) || stack.len() >= MAX_GROUP_DEPTH {
                    return Err(PatternError {
                        pattern: entry.clone(),
                        column,
                        message: format!("group @{inner} refers back to itself"),
                    });
                }
                if inner == NUMBER_GROUP {
                    return Ok(number());
                }
                if !self.raw.contains_key(inner) {
                    return Err(unknown_group(entry, column, inner, self.raw.keys()));
                }
                self.resolve(inner, stack).map_err(|e| e.error)
            };
            let fragment = parser.parse(&mut resolver).map_err(fail)?;
            // Spellings that normalise alike ("behaviour", "behavior") are one alternative.
            let bucket = seen.entry(node_hash(&fragment.node)).or_default();
            if !bucket.iter().any(|&i| ordered[i] == fragment) {
                bucket.push(ordered.len());
                ordered.push(fragment);
            }
        }
        stack.pop();
        if ordered.is_empty() {
            return Err(GroupError {
                group: name.to_string(),
                index: 0,
                error: PatternError {
                    pattern: String::new(),
                    column: 1,
                    message: "a group needs at least one pattern".to_string(),
                },
            });
        }
        let any = Fragment::any(ordered);
        let fragment = Fragment {
            // A group that is one test (all one-word alternatives) is as cheap to copy as a
            // pointer to it, and stays mergeable with its neighbours.
            term: match any.term {
                Term::Token(test) => Term::Token(test),
                term => Term::Shared(Arc::new(term)),
            },
            node: Node::Shared(Arc::new(any.node)),
            cue: any.cue,
        };
        self.compiled.insert(name.to_string(), fragment.clone());
        Ok(fragment)
    }

    fn fragment(&self, name: &str) -> Option<&Fragment> {
        self.compiled.get(name)
    }
}

/// A hash of a byte regex tree for finding repeated group entries. A shared group counts by
/// identity, not content: it is compiled once, so the same group is the same `Arc`, and hashing
/// its content would cost its whole size for every entry that names it.
fn node_hash(node: &Node) -> u64 {
    use std::hash::{Hash, Hasher};
    fn feed(node: &Node, h: &mut impl Hasher) {
        std::mem::discriminant(node).hash(h);
        match node {
            Node::Literal(text) => text.hash(h),
            Node::Plural | Node::Fail => {}
            Node::Bytes(ranges) => ranges.hash(h),
            Node::Concat(subs) | Node::Alt(subs) => {
                subs.len().hash(h);
                subs.iter().for_each(|s| feed(s, h));
            }
            Node::Repeat { sub, min, max } => {
                (min, max).hash(h);
                feed(sub, h);
            }
            Node::Shared(inner) => Arc::as_ptr(inner).hash(h),
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    feed(node, &mut h);
    h.finish()
}

fn unknown_group<'a>(
    pattern: &str,
    column: usize,
    name: &str,
    known: impl Iterator<Item = &'a String>,
) -> PatternError {
    let best = known
        .map(|k| (strsim::jaro_winkler(k, name), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let message = match best {
        Some((_, k)) => format!("unknown group @{name} (did you mean @{k}?)"),
        None => format!("unknown group @{name}"),
    };
    PatternError {
        pattern: pattern.to_string(),
        column,
        message,
    }
}

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
    program: OnceLock<Program>,
}

#[derive(Debug)]
struct Deferred {
    patterns: Vec<String>,
    groups: Arc<Groups>,
}

#[derive(Debug)]
struct Tree {
    term: Term,
    /// The documented byte regex, which the tests check `term` against.
    #[cfg_attr(not(test), allow(dead_code))]
    node: Node,
    /// The alternatives that spell out a negation themselves ("not ~2 trust"), compiled apart:
    /// a cue inside a match is part of the concept only when one of these matches there.
    negated_concepts: Option<Pattern>,
}

/// Compiles one pattern against `groups`. Errors name the pattern and the column.
pub fn compile_pattern(pattern: &str, groups: &Groups) -> Result<Pattern, PatternError> {
    let fragment = pattern_fragment(pattern, groups)?;
    Ok(Pattern::from_fragments(vec![fragment]))
}

/// The compiled fragment of one pattern (no surrounding spaces).
pub(crate) fn pattern_fragment(pattern: &str, groups: &Groups) -> Result<Fragment, PatternError> {
    let mut parser = Parser::new(pattern);
    let mut resolver = |name: &str, column: usize| -> Result<Fragment, PatternError> {
        groups
            .fragment(name)
            .cloned()
            .ok_or_else(|| unknown_group(pattern, column, name, groups.raw.keys()))
    };
    let fragment = parser.parse(&mut resolver)?;
    let cost = fragment.term.cost();
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
    Ok(fragment)
}

/// ` (?:F1|F2|...) `: any of the fragments, anchored on the spaces around tokens.
fn anchored_on_spaces(fragments: Vec<Node>) -> Node {
    Node::Concat(vec![space(), Node::Alt(fragments), space()])
}

impl Tree {
    fn of(fragments: Vec<Fragment>) -> Tree {
        let with_cue: Vec<Fragment> = fragments.iter().filter(|f| f.cue).cloned().collect();
        let negated_concepts =
            (!with_cue.is_empty()).then(|| Pattern::compiled(Tree::joined(with_cue, None)));
        Tree::joined(fragments, negated_concepts)
    }

    fn joined(fragments: Vec<Fragment>, negated_concepts: Option<Pattern>) -> Tree {
        let (terms, nodes) = fragments.into_iter().map(|f| (f.term, f.node)).unzip();
        Tree {
            term: Term::alt(terms),
            node: anchored_on_spaces(nodes),
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

    fn tree(&self) -> &Tree {
        self.0.tree.get_or_init(|| {
            let fragments: Option<Vec<Fragment>> = self.0.deferred.as_ref().and_then(|d| {
                d.patterns
                    .iter()
                    .map(|p| pattern_fragment(p, &d.groups).ok())
                    .collect()
            });
            Tree::of(fragments.unwrap_or_else(|| {
                vec![Fragment {
                    term: Term::Fail,
                    node: Node::Fail,
                    cue: false,
                }]
            }))
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
        let _ = self.program();
    }

    /// True once the program has been built.
    pub fn is_built(&self) -> bool {
        self.0.program.get().is_some()
    }

    fn program(&self) -> &Program {
        self.0
            .program
            .get_or_init(|| Program::new(&self.tree().term))
    }

    /// The first match in `unit` that passes `keep` (given the first and last token), as token
    /// indices. Matches are tried by their first token, and for each first token only the match
    /// a leftmost-first regex prefers.
    pub fn find_in(
        &self,
        unit: &Unit,
        mut keep: impl FnMut(usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        let program = self.program();
        let tokens = unit.words();
        let mut from = 0;
        loop {
            // The search memory is let go before `keep`, which may search other patterns.
            let (first, len) = Program::with_scratch(|scratch| {
                (from..tokens.len()).find_map(|first| {
                    program
                        .match_at(&tokens, first, scratch)
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

/// Matches a candidate's free-text question against a list of patterns, such as a fact's
/// `asks`. Negated mentions ("I don't need the deploy log") do not count.
#[derive(Debug, Clone)]
pub struct Matcher {
    pattern: Pattern,
}

impl Matcher {
    /// Compiles `patterns`; the error carries the index of the failing pattern.
    pub fn new(patterns: &[String], groups: &Groups) -> Result<Matcher, (usize, PatternError)> {
        let mut fragments = Vec::with_capacity(patterns.len());
        for (index, pattern) in patterns.iter().enumerate() {
            fragments.push(pattern_fragment(pattern, groups).map_err(|e| (index, e))?);
        }
        if fragments.is_empty() {
            // Nothing to match: a regex that never matches anything.
            fragments.push(Fragment {
                term: Term::Fail,
                node: Node::Fail,
                cue: false,
            });
        }
        Ok(Matcher {
            pattern: Pattern::from_fragments(fragments),
        })
    }

    /// True when `text` asks about what the patterns describe.
    pub fn matches(&self, text: &str) -> bool {
        self.pattern.matches_text(text)
    }
}

/// Recursive-descent parser producing a compiled fragment.
struct Parser<'a> {
    source: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
}

/// A character of a group name after `@`.
fn is_group_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|' | '~' | '@' | '?')
}

enum Item {
    /// Compiled fragment, optional flag, column.
    Term(Fragment, bool, usize),
    Gap(usize, usize),
}

/// Built-in group: any number token (`300`, `99.9`).
pub const NUMBER_GROUP: &str = "number";

/// `[0-9][0-9.]*`: the fragment of [`NUMBER_GROUP`].
fn number() -> Fragment {
    Fragment {
        term: Term::token(Test::number()),
        node: Node::Concat(vec![
            Node::Bytes(&[(b'0', b'9')]),
            repeat(Node::Bytes(&[(b'.', b'.'), (b'0', b'9')]), 0, None),
        ]),
        cue: false,
    }
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
        }
    }

    fn error(&self, column: usize, message: impl Into<String>) -> PatternError {
        PatternError {
            pattern: self.source.to_string(),
            column,
            message: message.into(),
        }
    }

    fn column(&self) -> usize {
        self.chars
            .get(self.pos)
            .map_or(self.chars.len() + 1, |&(c, _)| c)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn parse(
        &mut self,
        groups: &mut dyn FnMut(&str, usize) -> Result<Fragment, PatternError>,
    ) -> Result<Fragment, PatternError> {
        if self.source.trim().is_empty() {
            return Err(self.error(1, "empty pattern"));
        }
        let fragment = self.alternatives(groups, false)?;
        if let Some(c) = self.peek() {
            return Err(self.error(self.column(), format!("unexpected `{c}`")));
        }
        Ok(fragment)
    }

    /// `seq ('|' seq)*`, up to a closing `)` when `nested`.
    fn alternatives(
        &mut self,
        groups: &mut dyn FnMut(&str, usize) -> Result<Fragment, PatternError>,
        nested: bool,
    ) -> Result<Fragment, PatternError> {
        let mut alts = Vec::new();
        loop {
            let start = self.column();
            let Some(seq) = self.sequence(groups)? else {
                return Err(self.error(start, "empty alternative"));
            };
            alts.push(seq);
            match self.peek() {
                Some('|') => self.pos += 1,
                Some(')') if nested => break,
                Some(')') => return Err(self.error(self.column(), "`)` without a matching `(`")),
                _ => break,
            }
        }
        Ok(Fragment::any(alts))
    }

    /// Terms and gaps up to `|`, `)` or the end; `None` when there are none.
    fn sequence(
        &mut self,
        groups: &mut dyn FnMut(&str, usize) -> Result<Fragment, PatternError>,
    ) -> Result<Option<Fragment>, PatternError> {
        let mut items: Vec<Item> = Vec::new();
        loop {
            while self.peek().is_some_and(char::is_whitespace) {
                self.pos += 1;
            }
            let column = self.column();
            match self.peek() {
                None | Some('|') | Some(')') => break,
                Some('?') => {
                    return Err(self.error(column, "`?` must directly follow a term, like (the)?"));
                }
                Some('(') => {
                    self.pos += 1;
                    let inner = self.alternatives(groups, true)?;
                    if self.peek() != Some(')') {
                        return Err(self.error(column, "`(` is never closed"));
                    }
                    self.pos += 1;
                    let optional = self.optional();
                    items.push(Item::Term(inner, optional, column));
                }
                Some('~') => {
                    self.pos += 1;
                    let digits_start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    let digits: String = self.chars[digits_start..self.pos]
                        .iter()
                        .map(|&(_, c)| c)
                        .collect();
                    let n: usize = digits.parse().map_err(|_| {
                        self.error(column, "`~` must be followed by a number of words, like ~3")
                    })?;
                    if n > MAX_GAP {
                        return Err(
                            self.error(column, format!("gap ~{n} is wider than ~{MAX_GAP}"))
                        );
                    }
                    if self.peek().is_some_and(|c| !is_special(c)) {
                        return Err(self.error(column, "put a space after a gap like ~3"));
                    }
                    items.push(Item::Gap(n, column));
                }
                Some('@') => {
                    self.pos += 1;
                    let name_start = self.pos;
                    while self.peek().is_some_and(is_group_name_char) {
                        self.pos += 1;
                    }
                    let name: String = self.chars[name_start..self.pos]
                        .iter()
                        .map(|&(_, c)| c)
                        .collect();
                    if name.is_empty() {
                        return Err(self.error(column, "`@` must be followed by a group name"));
                    }
                    if self.peek() == Some('*') {
                        return Err(self.error(self.column(), "`*` cannot follow a group"));
                    }
                    let fragment = if name == NUMBER_GROUP {
                        number()
                    } else {
                        groups(&name, column)?
                    };
                    let optional = self.optional();
                    items.push(Item::Term(fragment, optional, column));
                }
                Some(_) => {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| !is_special(c)) {
                        self.pos += 1;
                    }
                    let word: String = self.chars[start..self.pos]
                        .iter()
                        .map(|&(_, c)| c)
                        .collect();
                    let fragment = self.word(&word, column)?;
                    let optional = self.optional();
                    items.push(Item::Term(fragment, optional, column));
                }
            }
        }
        let mut out: Vec<Node> = Vec::new();
        let mut terms: Vec<Term> = Vec::new();
        let mut cue = false;
        let mut pending_gap: Option<usize> = None;
        // A term has been emitted that later terms are separated from.
        let mut has_term = false;
        let mut has_mandatory = false;
        let last_gap = match items.last() {
            Some(Item::Gap(_, column)) => Some(*column),
            _ => None,
        };
        let first_term = match items.first() {
            Some(Item::Term(_, _, column)) => Some(*column),
            _ => None,
        };
        for item in items {
            match item {
                Item::Gap(n, column) => {
                    if !has_term {
                        return Err(self.error(column, "a gap must come between two terms"));
                    }
                    if pending_gap.is_some() {
                        return Err(self.error(column, "two gaps in a row"));
                    }
                    pending_gap = Some(n);
                }
                Item::Term(fragment, is_optional, _) => {
                    cue |= fragment.cue;
                    let Fragment { term, node, .. } = fragment;
                    // Between two terms: a space in the byte regex, nothing or a gap over tokens.
                    let sep = has_term.then(|| match pending_gap.take() {
                        Some(n) => (gap(n), Some(Term::gap(n as u32))),
                        None => (space(), None),
                    });
                    match (is_optional, sep) {
                        (false, sep) => {
                            if let Some((sep_node, sep_term)) = sep {
                                out.push(sep_node);
                                terms.extend(sep_term);
                            }
                            out.push(node);
                            terms.push(term);
                            has_term = true;
                            has_mandatory = true;
                        }
                        (true, Some((sep_node, sep_term))) => {
                            out.push(optional(Node::Concat(vec![sep_node, node])));
                            terms.push(Term::optional(Term::seq(
                                sep_term.into_iter().chain([term]).collect(),
                            )));
                        }
                        // A leading optional term carries its own separator, so the next term
                        // starts where it would have started without it.
                        (true, None) => {
                            out.push(optional(Node::Concat(vec![node, space()])));
                            terms.push(Term::optional(term));
                        }
                    }
                }
            }
        }
        if let (Some(_), Some(column)) = (pending_gap, last_gap) {
            return Err(self.error(column, "a gap must come between two terms"));
        }
        if !has_mandatory && let Some(column) = first_term {
            return Err(self.error(column, "at least one term must not be optional"));
        }
        Ok((!out.is_empty()).then_some(Fragment {
            term: Term::seq(terms),
            node: Node::Concat(out),
            cue,
        }))
    }

    /// Consumes a `?` right after a term; true when there was one.
    fn optional(&mut self) -> bool {
        if self.peek() == Some('?') {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// A literal word, possibly ending in `*`, compiled once per thread: a rubric uses the
    /// same few hundred words thousands of times, and normalising them was half of compiling it.
    fn word(&self, word: &str, column: usize) -> Result<Fragment, PatternError> {
        thread_local! {
            static WORDS: RefCell<HashMap<String, Fragment>> = RefCell::new(HashMap::new());
        }
        if let Some(done) = WORDS.with(|words| words.borrow().get(word).cloned()) {
            return Ok(done);
        }
        let fresh = self.compile_word(word, column)?;
        let shared = Fragment {
            term: fresh.term,
            node: Node::Shared(Arc::new(fresh.node)),
            cue: fresh.cue,
        };
        WORDS.with(|words| words.borrow_mut().insert(word.to_string(), shared.clone()));
        Ok(shared)
    }

    fn compile_word(&self, word: &str, column: usize) -> Result<Fragment, PatternError> {
        let (stem, prefix) = match word.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (word, false),
        };
        if prefix && stem.is_empty() {
            return Err(self.error(column, "`*` must end a word, as in deploy*"));
        }
        if let Some(at) = stem.find('*') {
            let offset = stem[..at].chars().count();
            return Err(self.error(column + offset, "`*` may only end a word"));
        }
        let tokens = text::normalize_phrase(stem);
        let Some((last, init)) = tokens.split_last() else {
            return Err(self.error(column, format!("`{word}` has no letters or digits")));
        };
        let cue = tokens.iter().any(|t| has_cue(t));
        let mut out = Vec::new();
        let mut terms = Vec::new();
        for token in init {
            out.push(literal(token));
            out.push(space());
            terms.push(Term::token(Test::exact(token)));
        }
        if prefix {
            // A British stem like `prioritis*` must also reach the folded `prioritize`.
            let mut stems = vec![last.to_string()];
            for (uk, us) in [("is", "iz"), ("isa", "iza"), ("isat", "izat"), ("ys", "yz")] {
                if let Some(base) = last.strip_suffix(uk) {
                    stems.push(format!("{base}{us}"));
                }
            }
            out.push(Node::Alt(stems.iter().map(|s| literal(s)).collect()));
            out.push(repeat(token_byte(), 0, None));
            let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
            terms.push(Term::token(Test::prefixes(&stems)));
        } else {
            out.push(literal(last));
            if last.len() >= 3 && last.chars().all(char::is_alphabetic) {
                out.push(Node::Plural);
                terms.push(Term::token(Test::plural(last)));
            } else {
                terms.push(Term::token(Test::exact(last)));
            }
        }
        Ok(Fragment {
            term: Term::seq(terms),
            node: Node::Concat(out),
            cue,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Every match of the documented byte regex, negated or not, as token ranges: for each
    /// space of the unit's text in turn, the match a leftmost-first regex engine prefers from
    /// there, found by `regex-automata` from the `regex-syntax` tree of [`Node`].
    fn regex_matches(pattern: &Pattern, unit: &Unit) -> Vec<(usize, usize)> {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
        use regex_automata::{Anchored, Input, MatchKind};
        let nfa = Compiler::new()
            .configure(Config::new().which_captures(WhichCaptures::None))
            .build_from_hir(&pattern.tree().node.hir())
            .unwrap();
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::LeftmostFirst))
            .build_from_nfa(nfa)
            .unwrap();
        let mut cache = dfa.create_cache();
        let hay = unit.norm.as_bytes();
        (0..hay.len())
            .filter(|&i| hay[i] == b' ')
            .filter_map(|start| {
                let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
                let end = dfa.try_search_fwd(&mut cache, &input).unwrap()?.offset();
                unit.token_range(start, end)
            })
            .collect()
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
            for unit in &units {
                let tokens = token_matches(pattern, unit);
                assert_eq!(tokens, regex_matches(pattern, unit), "{:?}", unit.norm);
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
                worst = worst.max(f.term.cost());
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
