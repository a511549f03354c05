//! What a pattern compiles to: a regular expression over tokens ([`Term`]), the small program
//! it becomes ([`Program`]), and the matcher that runs it.
//!
//! Every term of the pattern language tests one whole token: a word with its plural, a stem, a
//! number, or any token at all in a gap. So a pattern is a regex whose alphabet is tokens, not
//! bytes. The byte regex the language is documented to mean (`" (?:deploy(?:s|es)?) "`, see
//! [`super::regex`]) matches exactly the same spans, because a unit's normalised text is its
//! tokens joined by single spaces and every term is anchored on those spaces; the tests check
//! that, match for match, against `regex-automata` on every unit of the bank.
//!
//! Compiled over bytes, a criterion was tens of thousands of NFA states, because each use of a
//! synonym group spelled out every byte of every word in it; building them was most of a cold
//! start. Over tokens, a group's one-word alternatives are a single test (a trie of its words),
//! and a criterion is a program of about 150 instructions, built in microseconds.
//!
//! Matching is bounded backtracking: a depth-first search that tries alternatives in order of
//! preference, so the first match it finds is the leftmost-first one a regex engine reports,
//! and that never visits the same instruction at the same token twice. Every repetition in the
//! language is bounded (`~N`, `(…)?`), so a match spans a bounded number of tokens and a search
//! from one token costs at most the program's length times that span: linear in the length of
//! the text.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use crate::text::{self, Unit};

/// Tests with at most this many words and stems compare them one by one, without a trie.
const SMALL_TEST: usize = 4;

/// A test on one normalised token.
#[derive(Debug, Clone, Default)]
pub(crate) struct Test {
    /// Tokens matched as they are.
    exact: Vec<Arc<str>>,
    /// Words matched as they are or with a plural `s` or `es`.
    plural: Vec<Arc<str>>,
    /// Stems: any token starting with one matches.
    prefixes: Vec<Arc<str>>,
    /// Numbers: `[0-9][0-9.]*`.
    number: bool,
    /// Any token at all.
    any: bool,
    /// The words and stems as one trie, built on first use: most tests are merged into larger
    /// ones before any token is tested.
    trie: OnceLock<Trie>,
}

impl PartialEq for Test {
    fn eq(&self, other: &Test) -> bool {
        (
            &self.exact,
            &self.plural,
            &self.prefixes,
            self.number,
            self.any,
        ) == (
            &other.exact,
            &other.plural,
            &other.prefixes,
            other.number,
            other.any,
        )
    }
}

impl Eq for Test {}

impl Test {
    /// Exactly `token`.
    pub(crate) fn exact(token: &str) -> Test {
        Test {
            exact: vec![token.into()],
            ..Test::default()
        }
    }

    /// `word`, or `word` with a plural `s` or `es`.
    pub(crate) fn plural(word: &str) -> Test {
        Test {
            plural: vec![word.into()],
            ..Test::default()
        }
    }

    /// Any token starting with one of `stems`.
    pub(crate) fn prefixes(stems: &[&str]) -> Test {
        Test {
            prefixes: stems.iter().map(|&s| s.into()).collect(),
            ..Test::default()
        }
    }

    /// A number, digits first: `300`, `99.9`.
    pub(crate) fn number() -> Test {
        Test {
            number: true,
            ..Test::default()
        }
    }

    /// Any token.
    pub(crate) fn any() -> Test {
        Test {
            any: true,
            ..Test::default()
        }
    }

    /// A token passing any of `tests`. The lists are only concatenated: the trie built from
    /// them takes each word once.
    fn union<'t>(tests: impl IntoIterator<Item = &'t Test>) -> Test {
        let mut all = Test::default();
        for test in tests {
            all.exact.extend(test.exact.iter().cloned());
            all.plural.extend(test.plural.iter().cloned());
            all.prefixes.extend(test.prefixes.iter().cloned());
            all.number |= test.number;
            all.any |= test.any;
        }
        all
    }

    /// True when `token` passes.
    pub(crate) fn matches(&self, token: &str) -> bool {
        if self.any || (self.number && is_number(token)) {
            return true;
        }
        // Most tests are one word of a phrase: comparing is quicker than building a trie.
        if self.exact.len() + self.plural.len() + self.prefixes.len() <= SMALL_TEST {
            return self.exact.iter().any(|w| **w == *token)
                || self.plural.iter().any(|w| {
                    token
                        .strip_prefix(&**w)
                        .is_some_and(|rest| matches!(rest, "" | "s" | "es"))
                })
                || self.prefixes.iter().any(|p| token.starts_with(&**p));
        }
        self.trie
            .get_or_init(|| Trie::of(self))
            .matches(token.as_bytes())
    }
}

/// A test's words and stems as a byte trie: a token is tested in one walk over its bytes, with
/// no string comparisons, however many words the test has.
#[derive(Debug, Clone, Default)]
struct Trie {
    nodes: Vec<TrieNode>,
    /// Every node's edges, each node's sorted by byte and stored together.
    edges: Vec<(u8, u32)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct TrieNode {
    /// A word ends here.
    word: bool,
    /// A stem ends here: any token that gets here passes.
    stem: bool,
    /// This node's edges: `edges[first..first + len]`.
    first: u32,
    len: u32,
}

impl Trie {
    fn of(test: &Test) -> Trie {
        // Every spelling as a range of one buffer, sorted: a word then shares its path in the
        // trie with the word before it as far as their common prefix, and no further.
        let mut bytes: Vec<u8> = Vec::new();
        let mut spellings: Vec<(usize, usize, bool)> = Vec::new();
        let mut add = |parts: &[&str], stem: bool| {
            let start = bytes.len();
            parts
                .iter()
                .for_each(|p| bytes.extend_from_slice(p.as_bytes()));
            spellings.push((start, bytes.len(), stem));
        };
        for word in &test.exact {
            add(&[word], false);
        }
        for word in &test.plural {
            for ending in ["", "s", "es"] {
                add(&[word, ending], false);
            }
        }
        for stem in &test.prefixes {
            add(&[stem], true);
        }
        spellings.sort_unstable_by(|a, b| bytes[a.0..a.1].cmp(&bytes[b.0..b.1]));
        let mut nodes = vec![TrieNode::default()];
        let mut links: Vec<(u32, u8, u32)> = Vec::new();
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u8] = &[];
        for &(start, end, stem) in &spellings {
            let word = &bytes[start..end];
            let common = previous
                .iter()
                .zip(word)
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(common + 1);
            for &byte in &word[common..] {
                let parent = path[path.len() - 1];
                let child = nodes.len() as u32;
                nodes.push(TrieNode::default());
                links.push((parent, byte, child));
                path.push(child);
            }
            let at = &mut nodes[path[path.len() - 1] as usize];
            if stem {
                at.stem = true;
            } else {
                at.word = true;
            }
            previous = word;
        }
        // Each node's edges together, sorted by byte.
        links.sort_unstable();
        let mut edges = Vec::with_capacity(links.len());
        for &(parent, byte, child) in &links {
            let node = &mut nodes[parent as usize];
            if node.len == 0 {
                node.first = edges.len() as u32;
            }
            node.len += 1;
            edges.push((byte, child));
        }
        Trie { nodes, edges }
    }

    fn matches(&self, token: &[u8]) -> bool {
        let mut node = self.nodes[0];
        for &byte in token {
            if node.stem {
                return true;
            }
            let edges = &self.edges[node.first as usize..(node.first + node.len) as usize];
            match edges.binary_search_by_key(&byte, |&(b, _)| b) {
                Ok(i) => node = self.nodes[edges[i].1 as usize],
                Err(_) => return false,
            }
        }
        node.word || node.stem
    }
}

/// What the first token of a match can be, told cheaply and conservatively: a token that
/// passes none of a program's first tests is always ruled out here, and most others are too.
/// Most tokens start no match, so most searches end here, without walking a trie.
///
/// A word or stem is known by its first three bytes (or all of it, when shorter), hashed into
/// a set of bits: a token can only pass when its own first three bytes are in the set. Stems
/// shorter than that are kept as they are.
#[derive(Debug, Clone)]
struct Starts {
    bits: Box<[u64; text::TOKEN_KEYS / 64]>,
    short_stems: Vec<Arc<str>>,
    number: bool,
    any: bool,
}

/// Something that collects what the first token of a match can be.
trait Firsts {
    /// Adds the tokens passing `test`.
    fn add(&mut self, test: &Test);
}

impl Firsts for Starts {
    fn add(&mut self, test: &Test) {
        self.any |= test.any;
        self.number |= test.number;
        for word in &test.exact {
            self.set(word.as_bytes());
        }
        for word in &test.plural {
            // A plural form shares the word's first three bytes unless the word is shorter.
            if word.len() >= 3 {
                self.set(word.as_bytes());
            } else {
                for ending in ["", "s", "es"] {
                    self.set(format!("{word}{ending}").as_bytes());
                }
            }
        }
        for stem in &test.prefixes {
            if stem.len() >= 3 {
                self.set(stem.as_bytes());
            } else {
                self.short_stems.push(Arc::clone(stem));
            }
        }
    }
}

/// The first bytes tokens can have, for choosing among alternatives.
#[derive(Debug, Clone, Copy, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, byte: u8) {
        self.0[usize::from(byte / 64)] |= 1 << (byte % 64);
    }

    /// True when a token starting with `byte` may pass; an empty token always may.
    fn admits(&self, byte: Option<u8>) -> bool {
        byte.is_none_or(|b| self.0[usize::from(b / 64)] & (1 << (b % 64)) != 0)
    }
}

impl Firsts for ByteSet {
    fn add(&mut self, test: &Test) {
        if test.any {
            self.0 = [u64::MAX; 4];
        }
        if test.number {
            (b'0'..=b'9').for_each(|b| self.insert(b));
        }
        for word in test.exact.iter().chain(&test.plural).chain(&test.prefixes) {
            match word.as_bytes().first() {
                Some(&b) => self.insert(b),
                None => self.0 = [u64::MAX; 4],
            }
        }
    }
}

impl Starts {
    fn new() -> Starts {
        Starts {
            bits: Box::new([0; text::TOKEN_KEYS / 64]),
            short_stems: Vec::new(),
            number: false,
            any: false,
        }
    }

    /// The bit of a token's or a word's first three bytes.
    fn bit(bytes: &[u8]) -> usize {
        text::token_key(bytes)
    }

    fn set(&mut self, bytes: &[u8]) {
        let bit = Starts::bit(bytes);
        self.bits[bit / 64] |= 1 << (bit % 64);
    }

    /// False when no match can start with `token`.
    fn admits(&self, token: &str) -> bool {
        let bit = Starts::bit(token.as_bytes());
        self.any
            || self.bits[bit / 64] & (1 << (bit % 64)) != 0
            || (self.number && token.as_bytes().first().is_some_and(u8::is_ascii_digit))
            || self.short_stems.iter().any(|s| token.starts_with(&**s))
    }
}

/// Tokens a unit must hold for a match to be possible in it: what one token a match cannot do
/// without may be, told from its first bytes as [`Starts`] tells a first token.
#[derive(Debug, Clone)]
struct Need {
    /// The [`text::token_key`]s of the words and stems of three bytes or more.
    keys: Box<[u16]>,
    /// The same as bits, for a need with many keys: then the unit's keys are looked up in them.
    bits: Option<Box<[u64; text::TOKEN_KEYS / 64]>>,
    /// The keys folded as a unit's are ([`text::TokenKeys::summary`]).
    summary: [u64; 4],
    /// Shorter stems, tested on the tokens themselves.
    short_stems: Vec<Arc<str>>,
    number: bool,
}

/// A need with more keys than this keeps them as bits too.
const NEED_KEYS_LISTED: usize = 16;

impl Need {
    /// `None` when any token will do: no need at all.
    fn of(starts: &Starts) -> Option<Need> {
        if starts.any {
            return None;
        }
        let mut keys = Vec::new();
        for (i, &word) in starts.bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                keys.push((i * 64 + word.trailing_zeros() as usize) as u16);
                word &= word - 1;
            }
        }
        let mut summary = [0; 4];
        for &key in &keys {
            let (word, bit) = text::key_summary_bit(usize::from(key));
            summary[word] |= bit;
        }
        Some(Need {
            summary,
            bits: (keys.len() > NEED_KEYS_LISTED).then(|| starts.bits.clone()),
            keys: keys.into(),
            short_stems: starts.short_stems.clone(),
            number: starts.number,
        })
    }

    /// A need nothing meets.
    fn impossible() -> Need {
        Need {
            keys: Box::new([]),
            summary: [0; 4],
            bits: None,
            short_stems: Vec::new(),
            number: false,
        }
    }

    /// False when no token of `unit` can be the token needed.
    /// False when the unit's key summary alone rules the need out: four instructions, where
    /// [`Need::met`] may look up every key.
    fn may_be_met(&self, unit: &Unit) -> bool {
        self.summed(unit) || (self.number && unit.keys.digit) || !self.short_stems.is_empty()
    }

    fn summed(&self, unit: &Unit) -> bool {
        self.summary
            .iter()
            .zip(&unit.keys.summary)
            .any(|(a, b)| a & b != 0)
    }

    fn met(&self, unit: &Unit) -> bool {
        let keyed = self.summed(unit)
            && match &self.bits {
                Some(bits) => unit.keys.list.iter().any(|&k| {
                    let k = usize::from(k);
                    bits[k / 64] & (1 << (k % 64)) != 0
                }),
                None => self
                    .keys
                    .iter()
                    .any(|&k| unit.keys.contains(usize::from(k))),
            };
        keyed
            || (self.number && unit.keys.digit)
            || (!self.short_stems.is_empty()
                && (0..unit.len()).any(|i| {
                    unit.word(i)
                        .is_some_and(|w| self.short_stems.iter().any(|s| w.starts_with(&**s)))
                }))
    }

    /// About how long [`Need::met`] takes: needs are tested cheapest first, which are also the
    /// likeliest to fail (the fewer words, the rarer).
    fn cost(&self) -> usize {
        self.keys.len().min(NEED_KEYS_LISTED + 1) + 8 * self.short_stems.len()
    }
}

/// Tokens a unit must hold for a program to match anywhere in it: the tokens of any one of its
/// top-level alternatives that no match of that alternative can do without (the words of a
/// phrase, one of the words an alternation starts with; never what a gap or an optional part
/// may skip). A unit without them is ruled out with a few bit tests instead of a search from
/// every token; most units match few of a rubric's patterns.
#[derive(Debug, Clone)]
struct Needs {
    /// Each alternative's needs, cheapest first; `None` when some alternative needs nothing.
    alternatives: Option<Vec<Vec<Need>>>,
}

/// The most needs kept per alternative: the cheapest few rule out as much as all of them.
const NEEDS_PER_ALTERNATIVE: usize = 3;

impl Needs {
    fn of(term: &Term) -> Needs {
        let mut alternatives = Vec::new();
        for alternative in term.top_alternatives() {
            let mut needs = Vec::new();
            alternative.needs(&mut needs);
            if needs.is_empty() {
                return Needs { alternatives: None };
            }
            needs.sort_by_key(Need::cost);
            needs.truncate(NEEDS_PER_ALTERNATIVE);
            alternatives.push(needs);
        }
        Needs {
            alternatives: Some(alternatives),
        }
    }

    /// False when no match is possible in `unit`.
    fn met(&self, unit: &Unit) -> bool {
        self.alternatives.as_ref().is_none_or(|alternatives| {
            alternatives.iter().any(|needs| {
                // Every need's summary first: most alternatives fail there, cheaply.
                needs.iter().all(|need| need.may_be_met(unit))
                    && needs.iter().all(|need| need.met(unit))
            })
        })
    }
}

/// `[0-9][0-9.]*`, the whole token.
fn is_number(token: &str) -> bool {
    let bytes = token.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.')
}

/// A regex over tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    /// One token that passes the test.
    Token(Arc<Test>),
    Seq(Vec<Term>),
    /// Alternatives, the earlier preferred.
    Alt(Vec<Term>),
    /// `sub` up to `max` times, as many as possible.
    Repeat {
        sub: Box<Term>,
        max: u32,
    },
    /// A compiled synonym group, shared by every pattern that uses it.
    Shared(Arc<Term>),
    /// Matches nothing.
    Fail,
}

impl Term {
    /// One token passing `test`.
    pub(crate) fn token(test: Test) -> Term {
        Term::Token(Arc::new(test))
    }

    /// `terms` one after the other.
    pub(crate) fn seq(mut terms: Vec<Term>) -> Term {
        if terms.len() == 1 {
            terms.pop().unwrap_or(Term::Fail)
        } else {
            Term::Seq(terms)
        }
    }

    /// Up to `max` whole tokens of any kind: a gap.
    pub(crate) fn gap(max: u32) -> Term {
        Term::Repeat {
            sub: Box::new(Term::token(Test::any())),
            max,
        }
    }

    /// `sub`, if it matches.
    pub(crate) fn optional(sub: Term) -> Term {
        Term::Repeat {
            sub: Box::new(sub),
            max: 1,
        }
    }

    /// Any of `alternatives`, the earlier preferred. Nested alternatives are flattened, and a run
    /// of one-token alternatives becomes one test: they all continue the same way, so whichever
    /// of them matches, the rest of the match is the same, and so is the order of preference.
    pub(crate) fn alt(alternatives: Vec<Term>) -> Term {
        // A shared group stays shared: copying its alternatives out would cost more than the
        // split it saves.
        let mut flat: Vec<Term> = Vec::with_capacity(alternatives.len());
        for term in alternatives {
            match term {
                Term::Alt(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        let mut out: Vec<Term> = Vec::with_capacity(flat.len());
        let mut run: Vec<Arc<Test>> = Vec::new();
        let flush = |run: &mut Vec<Arc<Test>>, out: &mut Vec<Term>| {
            match run.len() {
                0 => {}
                1 => out.extend(run.pop().map(Term::Token)),
                _ => out.push(Term::token(Test::union(run.iter().map(|t| &**t)))),
            }
            run.clear();
        };
        for term in flat {
            match term {
                Term::Token(test) => run.push(test),
                other => {
                    flush(&mut run, &mut out);
                    out.push(other);
                }
            }
        }
        flush(&mut run, &mut out);
        match out.len() {
            0 => Term::Fail,
            1 => out.pop().unwrap_or(Term::Fail),
            _ => Term::Alt(out),
        }
    }

    /// Adds what the first token of a match can be to `starts`; true when a match can be
    /// empty, so the next term's first token counts too.
    fn first(&self, starts: &mut impl Firsts) -> bool {
        match self {
            Term::Token(test) => {
                starts.add(test);
                false
            }
            Term::Seq(terms) => terms.iter().all(|term| term.first(starts)),
            Term::Alt(terms) => {
                // Every alternative adds its first tokens, so no short cut.
                let mut empty = false;
                for term in terms {
                    empty |= term.first(starts);
                }
                empty
            }
            Term::Repeat { sub, .. } => {
                sub.first(starts);
                true
            }
            Term::Shared(inner) => inner.first(starts),
            Term::Fail => false,
        }
    }

    /// The alternatives of a top-level alternation, shared groups opened; otherwise the term.
    /// Matched one after the other from the same token, they find what the alternation finds.
    pub(crate) fn top_alternatives(&self) -> Vec<&Term> {
        match self {
            Term::Alt(terms) => terms.iter().flat_map(Term::top_alternatives).collect(),
            Term::Shared(inner) if matches!(**inner, Term::Alt(_)) => inner.top_alternatives(),
            other => vec![other],
        }
    }

    /// Adds to `needs` what every match of this term must hold a token of (see [`Needs`]).
    fn needs(&self, needs: &mut Vec<Need>) {
        match self {
            Term::Token(test) => {
                let mut starts = Starts::new();
                starts.add(test);
                needs.extend(Need::of(&starts));
            }
            Term::Seq(terms) => terms.iter().for_each(|term| term.needs(needs)),
            Term::Alt(_) => {
                // A match of an alternation starts with one of its first tokens, unless some
                // alternative can match nothing.
                let mut starts = Starts::new();
                if !self.first(&mut starts) {
                    needs.extend(Need::of(&starts));
                }
            }
            Term::Repeat { .. } => {}
            Term::Shared(inner) => inner.needs(needs),
            // Nothing meets it: no match is possible.
            Term::Fail => needs.push(Need::impossible()),
        }
    }

    /// The most tokens a match can span.
    /// An upper bound on the work of one search from one token: roughly the instructions of
    /// the program times the tokens a match can span, which is what the backtracker's visited
    /// cells are. Saturates rather than overflowing, so a monstrous pattern reads as monstrous.
    pub(crate) fn cost(&self) -> usize {
        self.size().saturating_mul(self.span().saturating_add(1))
    }

    /// About how many instructions the program of this term has (a shared group is emitted
    /// wherever it is used, so it counts each time).
    fn size(&self) -> usize {
        match self {
            Term::Token(_) | Term::Fail => 1,
            Term::Seq(terms) => terms.iter().fold(0, |n, t| n.saturating_add(t.size())),
            Term::Alt(terms) => terms.iter().fold(1, |n, t| n.saturating_add(t.size())),
            Term::Repeat { sub, max } => sub.size().saturating_add(1).saturating_mul(*max as usize),
            Term::Shared(inner) => inner.size(),
        }
    }

    fn span(&self) -> usize {
        match self {
            Term::Token(_) => 1,
            Term::Seq(terms) => terms.iter().fold(0, |n, t| n.saturating_add(t.span())),
            Term::Alt(terms) => terms.iter().map(Term::span).max().unwrap_or(0),
            Term::Repeat { sub, max } => sub.span().saturating_mul(*max as usize),
            Term::Shared(inner) => inner.span(),
            Term::Fail => 0,
        }
    }
}

/// One instruction. Jumps are indices into the program.
#[derive(Debug, Clone)]
enum Inst {
    /// Consume one token that passes the test, then go on at `next`.
    Token {
        test: Arc<Test>,
        next: u32,
    },
    /// Try `first`; if that finds no match, `second`.
    Split {
        first: u32,
        second: u32,
    },
    /// Try each in turn until one finds a match, skipping those that cannot start with the
    /// next token's first byte (or, for those that can match nothing at all, never skipped).
    Alt(Box<[(u32, ByteSet, bool)]>),
    /// The same for a long alternation (a group with many phrases): the branches worth trying
    /// are looked up by the next token's first byte instead of tested one by one.
    Dispatch(Box<Dispatch>),
    Match,
    Fail,
}

/// The branches of a long alternation, by the first byte of the token they would start on.
#[derive(Debug, Clone)]
struct Dispatch {
    /// Index into `lists` for each first byte.
    by_byte: [u16; 256],
    lists: Box<[Box<[u32]>]>,
    /// For an empty token: every branch.
    all: Box<[u32]>,
    /// With no token left: the branches that can match nothing.
    at_end: Box<[u32]>,
}

/// Alternations with at least this many branches get a [`Dispatch`].
const DISPATCH_BRANCHES: usize = 8;

impl Dispatch {
    /// `None` for more than 64 branches, which a mask per byte cannot hold.
    fn new(entries: &[(u32, ByteSet, bool)]) -> Option<Dispatch> {
        if entries.len() > 64 {
            return None;
        }
        // Which branches each first byte admits, as a mask; then one list per distinct mask.
        let mut masks = [0u64; 256];
        for (i, (_, bytes, empty)) in entries.iter().enumerate() {
            let bit = 1u64 << i;
            for (word, &set) in bytes.0.iter().enumerate() {
                let mut set = if *empty { u64::MAX } else { set };
                while set != 0 {
                    masks[word * 64 + set.trailing_zeros() as usize] |= bit;
                    set &= set - 1;
                }
            }
        }
        let list = |mask: u64| -> Box<[u32]> {
            entries
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, &(entry, ..))| entry)
                .collect()
        };
        let mut distinct: Vec<u64> = Vec::new();
        let mut by_byte = [0u16; 256];
        for (slot, &mask) in by_byte.iter_mut().zip(&masks) {
            let index = distinct.iter().position(|&m| m == mask).unwrap_or_else(|| {
                distinct.push(mask);
                distinct.len() - 1
            });
            *slot = index as u16;
        }
        let empties = entries
            .iter()
            .enumerate()
            .filter(|(_, (_, _, empty))| *empty)
            .fold(0u64, |m, (i, _)| m | 1 << i);
        Some(Dispatch {
            by_byte,
            lists: distinct.iter().map(|&m| list(m)).collect(),
            all: list(u64::MAX),
            at_end: list(empties),
        })
    }

    /// The branches to try, in order, before a token (`None` past the last one).
    fn branches(&self, token: Option<&str>) -> &[u32] {
        match token.map(|t| t.as_bytes().first()) {
            None => &self.at_end,
            Some(None) => &self.all,
            Some(Some(&b)) => &self.lists[usize::from(self.by_byte[usize::from(b)])],
        }
    }
}

/// A compiled term, ready to match.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    insts: Vec<Inst>,
    start: u32,
    /// The most tokens a match can span.
    span: usize,
    /// What the first token of a match can be.
    first: Starts,
    /// What a unit must hold for a match to be possible.
    needs: Needs,
}

impl Program {
    /// Compiles `term`.
    pub(crate) fn new(term: &Term) -> Program {
        let mut insts = vec![Inst::Match];
        let start = emit(&mut insts, term, 0);
        let mut first = Starts::new();
        // A pattern always has a term that is not optional, so a match is never empty; were it
        // to be, any token could start one.
        first.any |= term.first(&mut first);
        Program {
            insts,
            start,
            span: term.span(),
            first,
            needs: Needs::of(term),
        }
    }

    /// False when no match can start at any token of `unit`, told without searching.
    pub(crate) fn may_match(&self, unit: &Unit) -> bool {
        self.needs.met(unit)
    }

    /// The number of tokens the match starting at token `start` of `tokens` spans, preferring
    /// earlier alternatives and longer repetitions, as a leftmost-first regex does. `None`
    /// when no match starts there.
    pub(crate) fn match_at(
        &self,
        tokens: &[&str],
        start: usize,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let token = *tokens.get(start)?;
        if !self.first.admits(token) {
            return None;
        }
        let window = self.span.min(tokens.len() - start) + 1;
        let Scratch {
            visited,
            stamp,
            stack,
        } = scratch;
        let cells = self.insts.len() * window;
        if visited.len() < cells {
            visited.resize(cells, 0);
        }
        *stamp = stamp.wrapping_add(1);
        if *stamp == 0 {
            visited.fill(0);
            *stamp = 1;
        }
        stack.clear();
        stack.push((self.start, 0));
        while let Some((pc, offset)) = stack.pop() {
            let cell = pc as usize * window + offset;
            if visited[cell] == *stamp {
                continue;
            }
            visited[cell] = *stamp;
            match &self.insts[pc as usize] {
                Inst::Match => return Some(offset),
                Inst::Fail => {}
                Inst::Split { first, second } => {
                    stack.push((*second, offset));
                    stack.push((*first, offset));
                }
                Inst::Dispatch(dispatch) => {
                    let branches = dispatch.branches(tokens.get(start + offset).copied());
                    stack.extend(branches.iter().rev().map(|&e| (e, offset)));
                }
                Inst::Alt(entries) => {
                    let byte = tokens
                        .get(start + offset)
                        .map(|t| t.as_bytes().first().copied());
                    for &(entry, bytes, empty) in entries.iter().rev() {
                        if empty || byte.is_some_and(|b| bytes.admits(b)) {
                            stack.push((entry, offset));
                        }
                    }
                }
                Inst::Token { test, next } => {
                    if offset + 1 < window
                        && tokens.get(start + offset).is_some_and(|t| test.matches(t))
                    {
                        stack.push((*next, offset + 1));
                    }
                }
            }
        }
        None
    }

    /// Runs `f` with this thread's search memory.
    pub(crate) fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
        SCRATCH.with(|scratch| f(&mut scratch.borrow_mut()))
    }
}

/// The search's memory, kept per thread so a search allocates nothing. A cell is visited when
/// it holds the current stamp, so starting a search needs no clearing.
#[derive(Default)]
pub(crate) struct Scratch {
    visited: Vec<u32>,
    stamp: u32,
    stack: Vec<(u32, usize)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Appends the instructions of `term`, continuing at `next`; returns its entry. Programs are
/// built back to front, so every continuation is known when it is needed.
fn emit(insts: &mut Vec<Inst>, term: &Term, next: u32) -> u32 {
    let push = |inst: Inst, insts: &mut Vec<Inst>| {
        insts.push(inst);
        (insts.len() - 1) as u32
    };
    match term {
        Term::Token(test) => push(
            Inst::Token {
                test: Arc::clone(test),
                next,
            },
            insts,
        ),
        Term::Seq(terms) => terms
            .iter()
            .rev()
            .fold(next, |next, term| emit(insts, term, next)),
        Term::Alt(terms) => {
            let entries: Box<[(u32, ByteSet, bool)]> = terms
                .iter()
                .map(|t| {
                    let mut bytes = ByteSet::default();
                    let empty = t.first(&mut bytes);
                    (emit(insts, t, next), bytes, empty)
                })
                .collect();
            match (entries.len() >= DISPATCH_BRANCHES)
                .then(|| Dispatch::new(&entries))
                .flatten()
            {
                Some(dispatch) => push(Inst::Dispatch(Box::new(dispatch)), insts),
                None => push(Inst::Alt(entries), insts),
            }
        }
        // `x{0,n}` as `(?:x(?:x…)?)?`: each copy may be skipped straight to the end, as a
        // regex compiler builds a bounded repetition.
        Term::Repeat { sub, max } => (0..*max).fold(next, |after, _| {
            let body = emit(insts, sub, after);
            push(
                Inst::Split {
                    first: body,
                    second: next,
                },
                insts,
            )
        }),
        Term::Shared(inner) => emit(insts, inner, next),
        Term::Fail => push(Inst::Fail, insts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Term {
        Term::token(Test::plural(w))
    }

    fn spans(term: &Term, text: &str) -> Vec<Option<usize>> {
        let tokens: Vec<&str> = text.split(' ').collect();
        let program = Program::new(term);
        Program::with_scratch(|scratch| {
            (0..tokens.len())
                .map(|i| program.match_at(tokens.as_slice(), i, scratch))
                .collect()
        })
    }

    #[test]
    fn tests_match_whole_tokens() {
        let deploy = Test::plural("deploy");
        assert!(deploy.matches("deploy") && deploy.matches("deploys"));
        assert!(!deploy.matches("deployment") && !deploy.matches("deplo"));
        let stem = Test::prefixes(&["rollback"]);
        assert!(stem.matches("rollback") && stem.matches("rollbacks"));
        assert!(!stem.matches("roll"));
        let number = Test::number();
        assert!(number.matches("300") && number.matches("99.9"));
        assert!(!number.matches("p99") && !number.matches(".5"));
        let both = Test::union([&Test::exact("p99"), &number]);
        assert!(both.matches("p99") && both.matches("42") && !both.matches("p50"));
    }

    #[test]
    fn large_tests_use_a_trie_that_agrees_with_comparing() {
        let words = ["cache", "memo", "queue", "retry", "shard", "index"];
        let stems = ["rollback", "revert", "ux"];
        let parts: Vec<Test> = words
            .iter()
            .map(|w| Test::plural(w))
            .chain([Test::exact("p99"), Test::prefixes(&stems)])
            .collect();
        let large = Test::union(&parts);
        assert!(large.exact.len() + large.plural.len() + large.prefixes.len() > SMALL_TEST);
        for token in [
            "cache",
            "caches",
            "cachees",
            "cach",
            "cacher",
            "memos",
            "p99",
            "p9",
            "p999",
            "rollbacks",
            "reverted",
            "ux",
            "uxes",
            "u",
            "indexes",
            "shardss",
            "",
            "retrying",
        ] {
            let small = parts.iter().any(|p| p.matches(token));
            assert_eq!(large.matches(token), small, "{token:?}");
        }
    }

    #[test]
    fn repetitions_are_greedy_and_alternatives_keep_their_order() {
        // `what ~2 changed`: the gap takes as many tokens as still lets the match finish.
        let gap = Term::seq(vec![word("what"), Term::gap(2), word("changed")]);
        assert_eq!(
            spans(&gap, "what has really changed"),
            vec![Some(4), None, None, None]
        );
        assert_eq!(spans(&gap, "what a b c changed"), vec![None; 5]);
        // The earlier alternative wins even when a later one would match more.
        let alt = Term::Alt(vec![
            word("roll"),
            Term::seq(vec![word("roll"), word("back")]),
        ]);
        assert_eq!(spans(&alt, "roll back"), vec![Some(1), None]);
        let alt = Term::Alt(vec![
            Term::seq(vec![word("roll"), word("back")]),
            word("roll"),
        ]);
        assert_eq!(spans(&alt, "roll back"), vec![Some(2), None]);
        // An optional term is taken when it can be.
        let opt = Term::seq(vec![Term::optional(word("the")), word("cause")]);
        assert_eq!(spans(&opt, "the cause"), vec![Some(2), Some(1)]);
    }

    #[test]
    fn long_alternations_dispatch_on_the_first_byte_and_keep_their_order() {
        let pair = |a: &str, b: &str| Term::seq(vec![word(a), word(b)]);
        let mut branches: Vec<Term> = [
            ("apple", "pie"),
            ("apple", "tart"),
            ("banana", "split"),
            ("kiwi", "jam"),
            ("lime", "curd"),
            ("mango", "lassi"),
            ("pear", "crumble"),
            ("plum", "cake"),
        ]
        .iter()
        .map(|(a, b)| pair(a, b))
        .collect();
        // A branch that can match nothing: it must stay reachable before any token, and at the
        // end of the text.
        branches.push(Term::optional(word("cherry")));
        // Earlier branches win: `apple` alone never shadows `apple pie`, which comes first.
        branches.push(word("apple"));
        let term = Term::seq(vec![Term::Alt(branches), word("end")]);
        let program = Program::new(&term);
        assert!(program.insts.iter().any(|i| matches!(i, Inst::Dispatch(_))));
        let first = |text: &str| spans(&term, text)[0];
        assert_eq!(first("apple tart end"), Some(3));
        assert_eq!(first("apple end"), Some(2));
        assert_eq!(first("plum cake end"), Some(3));
        assert_eq!(first("cherry end"), Some(2));
        assert_eq!(first("end"), Some(1));
        assert_eq!(first("apple pie"), None);
        assert_eq!(first("zebra end"), None);
        let only_optional = Term::Alt(vec![Term::optional(word("cherry")); 9]);
        assert_eq!(spans(&only_optional, "x"), vec![Some(0)]);
    }

    #[test]
    fn runs_of_one_token_alternatives_merge_into_one_test() {
        let group = Term::alt(vec![
            word("cache"),
            word("memo"),
            Term::token(Test::number()),
        ]);
        let Term::Token(test) = &group else {
            panic!("not merged: {group:?}");
        };
        assert!(test.matches("caches") && test.matches("memo") && test.matches("12"));
        // A phrase between two words keeps its place in the order.
        let mixed = Term::alt(vec![
            word("roll"),
            Term::seq(vec![word("roll"), word("back")]),
            word("revert"),
        ]);
        assert!(matches!(&mixed, Term::Alt(alts) if alts.len() == 3));
        // Nested alternatives are flattened, so `revert` and `undo` become one test; a shared
        // group is left whole.
        let shared = Term::alt(vec![Term::Shared(Arc::new(mixed.clone())), word("undo")]);
        assert!(matches!(&shared, Term::Alt(alts) if alts.len() == 2));
        let nested = Term::alt(vec![mixed, word("undo")]);
        assert!(matches!(&nested, Term::Alt(alts) if alts.len() == 3));
    }

    #[test]
    fn units_without_a_needed_token_are_ruled_out_before_any_search() {
        let unit = |text: &str| crate::text::analyse(text).remove(0);
        // `what ~3 (changed|new)`, or a number before `ms`, or `ux` anything.
        let term = Term::alt(vec![
            Term::seq(vec![
                word("what"),
                Term::gap(3),
                Term::alt(vec![word("changed"), word("new")]),
            ]),
            Term::seq(vec![Term::token(Test::number()), word("ms")]),
            Term::token(Test::prefixes(&["ux"])),
        ]);
        let program = Program::new(&term);
        assert!(program.may_match(&unit("What has changed?")));
        assert!(program.may_match(&unit("New, what?")), "order is not told");
        assert!(!program.may_match(&unit("What happened on Monday?")));
        assert!(program.may_match(&unit("It took 300ms.")));
        assert!(!program.may_match(&unit("It took ms.")));
        assert!(program.may_match(&unit("The uxes")));
        assert!(!program.may_match(&unit("The user")));
        // An optional part needs nothing; a term that matches nothing needs the impossible.
        let optional = Term::seq(vec![Term::optional(word("the")), word("cause")]);
        assert!(Program::new(&optional).may_match(&unit("cause")));
        assert!(!Program::new(&Term::Fail).may_match(&unit("anything")));
        let any = Term::seq(vec![Term::gap(2), Term::optional(word("x"))]);
        assert!(Program::new(&any).may_match(&unit("anything")));
    }

    #[test]
    fn a_match_never_runs_past_the_text_or_its_span() {
        let many = Term::seq(vec![word("a"), Term::gap(12), word("b")]);
        assert_eq!(Program::new(&many).span, 14);
        let tokens = vec!["a"; 10_000];
        let program = Program::new(&many);
        let fail = Program::new(&Term::alt(Vec::new()));
        Program::with_scratch(|scratch| {
            assert_eq!(program.match_at(tokens.as_slice(), 0, scratch), None);
            assert_eq!(program.match_at(tokens.as_slice(), 10_000, scratch), None);
            assert_eq!(fail.match_at(&["a"][..], 0, scratch), None);
        });
    }
}
