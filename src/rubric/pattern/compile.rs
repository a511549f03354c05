//! The syntax tree compiled to the regex over tokens that is matched ([`Term`], see
//! [`super::super::token_regex`]): words normalised like answers, `@groups` resolved, gaps and
//! optional terms turned into separators; and the checks that need meaning rather than syntax
//! (a word with no letters, a misplaced `*`, a gap at an end, a sequence of optional terms).

use std::cell::RefCell;
use std::collections::HashMap;

use super::super::token_regex::{Term, Test};
use super::error::PatternError;
use super::syntax::{Alternatives, Atom, Item, Sequence};
use crate::text;

/// The regex over tokens of a piece of the pattern language, and whether one of its words is a
/// negation cue (such alternatives are also compiled apart, see [`super::Pattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compiled {
    pub term: Term,
    pub cue: bool,
}

impl Compiled {
    /// Any of `alternatives`, in order of preference.
    pub fn any(alternatives: Vec<Compiled>) -> Compiled {
        let cue = alternatives.iter().any(|f| f.cue);
        Compiled {
            term: Term::alt(alternatives.into_iter().map(|f| f.term).collect()),
            cue,
        }
    }

    /// Matches nothing.
    pub fn fail() -> Compiled {
        Compiled {
            term: Term::Fail,
            cue: false,
        }
    }
}

/// Resolves `@name`, written at a column, to its compiled group.
pub(crate) type Resolve<'r> = dyn FnMut(&str, usize) -> Result<Compiled, PatternError> + 'r;

/// Compiles the tree of `source`, reporting the first problem in source order.
pub(crate) fn compile(
    tree: &Alternatives,
    source: &str,
    groups: &mut Resolve<'_>,
) -> Result<Compiled, PatternError> {
    let alternatives = tree
        .0
        .iter()
        .map(|seq| sequence(seq, source, groups))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Compiled::any(alternatives))
}

fn error(source: &str, column: usize, message: impl Into<String>) -> PatternError {
    PatternError {
        pattern: source.to_string(),
        column,
        message: message.into(),
    }
}

/// A sequence: every term compiled first, in order, then the gaps and optional terms placed
/// between them.
fn sequence(
    seq: &Sequence,
    source: &str,
    groups: &mut Resolve<'_>,
) -> Result<Compiled, PatternError> {
    /// A term compiled, or a gap, with its column.
    enum Part {
        Term(Compiled, bool),
        Gap(usize, usize),
    }
    let mut parts = Vec::with_capacity(seq.0.len());
    for item in &seq.0 {
        parts.push(match item {
            Item::Term {
                atom,
                optional,
                column,
            } => Part::Term(self::atom(atom, *column, source, groups)?, *optional),
            Item::Gap { words, column } => Part::Gap(*words, *column),
            Item::Broken(error) => return Err(error.clone()),
        });
    }
    let last_gap = match seq.0.last() {
        Some(Item::Gap { column, .. }) => Some(*column),
        _ => None,
    };
    let first_term = match seq.0.first() {
        Some(Item::Term { column, .. }) => Some(*column),
        _ => None,
    };
    let mut terms: Vec<Term> = Vec::new();
    let mut cue = false;
    let mut pending_gap: Option<usize> = None;
    // A term has been placed that later terms are separated from.
    let mut has_term = false;
    let mut has_mandatory = false;
    for part in parts {
        match part {
            Part::Gap(n, column) => {
                if !has_term {
                    return Err(error(source, column, "a gap must come between two terms"));
                }
                if pending_gap.is_some() {
                    return Err(error(source, column, "two gaps in a row"));
                }
                pending_gap = Some(n);
            }
            Part::Term(compiled, is_optional) => {
                cue |= compiled.cue;
                // Between two terms: nothing, or a gap.
                let sep = has_term.then(|| pending_gap.take().map(|n| Term::gap(n as u32)));
                match (is_optional, sep) {
                    (false, sep) => {
                        terms.extend(sep.flatten());
                        terms.push(compiled.term);
                        has_term = true;
                        has_mandatory = true;
                    }
                    (true, Some(sep)) => {
                        let seq = sep.into_iter().chain([compiled.term]).collect();
                        terms.push(Term::optional(Term::seq(seq)));
                    }
                    // A leading optional term carries its own separator, so the next term
                    // starts where it would have started without it.
                    (true, None) => terms.push(Term::optional(compiled.term)),
                }
            }
        }
    }
    if let (Some(_), Some(column)) = (pending_gap, last_gap) {
        return Err(error(source, column, "a gap must come between two terms"));
    }
    if !has_mandatory && let Some(column) = first_term {
        return Err(error(
            source,
            column,
            "at least one term must not be optional",
        ));
    }
    Ok(Compiled {
        term: Term::seq(terms),
        cue,
    })
}

fn atom(
    atom: &Atom,
    column: usize,
    source: &str,
    groups: &mut Resolve<'_>,
) -> Result<Compiled, PatternError> {
    match atom {
        Atom::Word(word) => self::word(word, column, source),
        Atom::Group(name) => groups(name, column),
        Atom::Number => Ok(number()),
        Atom::Nested(inner) => compile(inner, source, groups),
    }
}

/// `@number`: any number token (`300`, `99.9`).
pub(crate) fn number() -> Compiled {
    Compiled {
        term: Term::token(Test::number()),
        cue: false,
    }
}

/// True when a normalised token of a pattern spells a negation cue (`not`, `never`, ...).
fn has_cue(token: &str) -> bool {
    token
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(crate::text::negation::is_cue_word)
}

/// A word of a pattern, normalised: the tokens before its last, and how the last one matches.
pub(crate) struct Spelling {
    pub init: Vec<String>,
    pub last: Last,
}

/// How the last token of a word matches.
pub(crate) enum Last {
    /// `word*`: any token starting with one of these stems (a British `-is-` stem also reaches
    /// the folded `-iz-`).
    Prefixes(Vec<String>),
    /// The token, or with a plural `s`/`es`.
    Plural(String),
    /// The token itself (short, or not all letters).
    Exact(String),
}

/// Reads a literal word, possibly ending in `*`, written at `column` of `source`.
pub(crate) fn spell(word: &str, column: usize, source: &str) -> Result<Spelling, PatternError> {
    let (stem, prefix) = match word.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (word, false),
    };
    if prefix && stem.is_empty() {
        return Err(error(source, column, "`*` must end a word, as in deploy*"));
    }
    if let Some(at) = stem.find('*') {
        let offset = stem[..at].chars().count();
        return Err(error(source, column + offset, "`*` may only end a word"));
    }
    let mut tokens = text::normalize_phrase(stem);
    let Some(last) = tokens.pop() else {
        return Err(error(
            source,
            column,
            format!("`{word}` has no letters or digits"),
        ));
    };
    let last = if prefix {
        // A British stem like `prioritis*` must also reach the folded `prioritize`.
        let mut stems = vec![last.clone()];
        for (uk, us) in [("is", "iz"), ("isa", "iza"), ("isat", "izat"), ("ys", "yz")] {
            if let Some(base) = last.strip_suffix(uk) {
                stems.push(format!("{base}{us}"));
            }
        }
        Last::Prefixes(stems)
    } else if last.len() >= 3 && last.chars().all(char::is_alphabetic) {
        Last::Plural(last)
    } else {
        Last::Exact(last)
    };
    Ok(Spelling { init: tokens, last })
}

/// A literal word, compiled once per thread: a rubric uses the same few hundred words thousands
/// of times, and normalising them was half of compiling it.
fn word(word: &str, column: usize, source: &str) -> Result<Compiled, PatternError> {
    thread_local! {
        static WORDS: RefCell<HashMap<String, Compiled>> = RefCell::new(HashMap::new());
    }
    if let Some(done) = WORDS.with(|words| words.borrow().get(word).cloned()) {
        return Ok(done);
    }
    let spelling = spell(word, column, source)?;
    let (cue, last) = match &spelling.last {
        Last::Prefixes(stems) => {
            let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
            (has_cue(stems[0]), Term::token(Test::prefixes(&stems)))
        }
        Last::Plural(token) => (has_cue(token), Term::token(Test::plural(token))),
        Last::Exact(token) => (has_cue(token), Term::token(Test::exact(token))),
    };
    let terms: Vec<Term> = spelling
        .init
        .iter()
        .map(|token| Term::token(Test::exact(token)))
        .chain([last])
        .collect();
    let compiled = Compiled {
        term: Term::seq(terms),
        cue: cue || spelling.init.iter().any(|t| has_cue(t)),
    };
    WORDS.with(|words| {
        words
            .borrow_mut()
            .insert(word.to_string(), compiled.clone())
    });
    Ok(compiled)
}
