//! The bank: every pack a command sees (the built-in one unless `--no-builtin`, plus each
//! `--bank`), with lookup by `ID` or `PACK/ID` and the filters `list`, `practice` and `template`
//! share.
//!
//! Commands load the bank leniently: a broken pack among several is set aside with its problems
//! (the command warns about it) and the others are used, so one bad path in `REHEARSE_BANK` does
//! not stop `list` or `practice`. A lookup that fails while a pack was set aside says so, since
//! the question may be in it. `pack validate` and `pack test` load their paths strictly.

use std::path::PathBuf;

use super::builtin;
use super::load::{self, Pack};
use crate::diag::Diagnostics;
use crate::model::pack::{Kind, Level, Question, Step};

/// One question together with the pack it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The question.
    pub question: &'a Question,
}

impl Entry<'_> {
    /// `PACK/ID`: unambiguous across packs.
    pub fn qualified_id(&self) -> String {
        format!("{}/{}", self.pack.meta.id, self.question.id)
    }

    /// The steps asked: the question's own, or the defaults of its kind.
    pub fn steps(&self) -> Vec<Step> {
        self.question.effective_steps()
    }
}

/// Filters shared by `list`, `practice` and `template`. Empty lists match everything; several
/// values of one filter match any of them.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Kinds to keep.
    pub kinds: Vec<Kind>,
    /// Tags to keep (a question with any of them).
    pub tags: Vec<String>,
    /// Levels to keep.
    pub levels: Vec<Level>,
}

impl Filter {
    /// True when `question` passes every filter.
    pub fn matches(&self, question: &Question) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&question.kind))
            && (self.levels.is_empty() || self.levels.contains(&question.level()))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| question.tags.iter().any(|qt| qt.eq_ignore_ascii_case(t))))
    }

    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.tags.is_empty() && self.levels.is_empty()
    }
}

/// Why a question address did not resolve.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LookupError {
    /// No question has that id.
    #[error("no question `{id}`{suggestion}; `rehearse list` shows every question")]
    NotFound {
        /// The id asked for.
        id: String,
        /// "; did you mean ..." or empty.
        suggestion: String,
    },
    /// Several packs have a question with that id.
    #[error("`{id}` is in several packs; name one of: {candidates}")]
    Ambiguous {
        /// The id asked for.
        id: String,
        /// The qualified ids that match.
        candidates: String,
    },
}

/// A pack that could not be loaded, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The path as given (`built-in pack` for the embedded one).
    pub shown: String,
    /// Its position among the paths given to the load; `None` for the built-in pack.
    pub index: Option<usize>,
    /// Its problems, located.
    pub problems: Diagnostics,
}

/// Every loaded pack.
#[derive(Debug, Default)]
pub struct Bank {
    packs: Vec<Pack>,
    /// Packs that could not be loaded ([`Bank::load_skipping`]).
    skipped: Vec<Skipped>,
}

impl Bank {
    /// Loads the built-in pack (unless `no_builtin`) and every path in `paths`, in that order.
    /// Problems in every pack are reported together, and any problem fails the whole load.
    pub fn load(paths: &[PathBuf], no_builtin: bool) -> Result<Bank, Diagnostics> {
        Bank::load_with(Vec::new(), paths, no_builtin)
    }

    /// Like [`Bank::load`], with the `installed` packs (`rehearse pack install`) between the
    /// built-in pack and `paths`. A path whose pack has the id of an installed one takes its
    /// place for this run, so an author can try a new version of a pack they also installed.
    pub fn load_with(
        installed: Vec<Pack>,
        paths: &[PathBuf],
        no_builtin: bool,
    ) -> Result<Bank, Diagnostics> {
        let bank = Bank::load_with_skipping(installed, paths, no_builtin);
        if bank.skipped.is_empty() {
            Ok(bank)
        } else {
            Err(Diagnostics(
                bank.skipped
                    .into_iter()
                    .flat_map(|s| s.problems.0)
                    .collect(),
            ))
        }
    }

    /// Loads like [`Bank::load`], but sets aside each pack that has problems (see
    /// [`Bank::skipped`]) and keeps the others.
    pub fn load_skipping(paths: &[PathBuf], no_builtin: bool) -> Bank {
        Bank::load_with_skipping(Vec::new(), paths, no_builtin)
    }

    /// Loads like [`Bank::load_with`], but sets aside each pack that has problems (see
    /// [`Bank::skipped`]) and keeps the others.
    pub fn load_with_skipping(installed: Vec<Pack>, paths: &[PathBuf], no_builtin: bool) -> Bank {
        let mut packs: Vec<Pack> = Vec::new();
        let mut skipped = Vec::new();
        if !no_builtin {
            match builtin::pack() {
                Ok(p) => packs.push(p.clone()),
                Err(d) => skipped.push(Skipped {
                    shown: "the built-in pack".to_string(),
                    index: None,
                    problems: d.clone(),
                }),
            }
        }
        let mut given: Vec<Pack> = Vec::new();
        for (index, path) in paths.iter().enumerate() {
            let shown = path.display().to_string();
            match load::load_path(path) {
                Ok(pack) => {
                    if let Some(existing) = packs
                        .iter()
                        .chain(&given)
                        .find(|p| p.meta.id == pack.meta.id)
                    {
                        let problem = crate::diag::Diagnostic::file(
                            &shown,
                            format!(
                                "pack id `{}` is already loaded from {}; pack ids must be unique",
                                pack.meta.id,
                                describe_origin(existing)
                            ),
                        );
                        skipped.push(Skipped {
                            shown,
                            index: Some(index),
                            problems: problem.into(),
                        });
                    } else {
                        given.push(pack);
                    }
                }
                Err(problems) => skipped.push(Skipped {
                    shown,
                    index: Some(index),
                    problems,
                }),
            }
        }
        packs.extend(
            installed
                .into_iter()
                .filter(|i| !given.iter().any(|g| g.meta.id == i.meta.id)),
        );
        packs.extend(given);
        Bank { packs, skipped }
    }

    /// A bank of the given packs, for tests and tools.
    pub fn from_packs(packs: Vec<Pack>) -> Bank {
        Bank {
            packs,
            skipped: Vec::new(),
        }
    }

    /// Packs that could not be loaded and were left out.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// For a question that was not found: a note naming each pack left out, since the question
    /// may well be in one, rather than let the author hunt for a typo that is not there. Empty
    /// when every pack loaded.
    pub fn skipped_note(&self) -> String {
        self.skipped
            .iter()
            .map(|s| {
                format!(
                    " (the pack at {0} was not loaded because of its problems; `rehearse pack \
                     validate {0}` lists them)",
                    s.shown
                )
            })
            .collect()
    }

    /// The loaded packs, built-in first.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Every question, pack by pack in load order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.packs.iter().flat_map(|pack| {
            pack.questions
                .iter()
                .map(move |question| Entry { pack, question })
        })
    }

    /// The questions that pass `filter`.
    pub fn filtered<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = Entry<'a>> + 'a {
        self.entries().filter(move |e| filter.matches(e.question))
    }

    /// Resolves `ID` or `PACK/ID`.
    pub fn find(&self, address: &str) -> Result<Entry<'_>, LookupError> {
        let (pack_id, id) = match address.split_once('/') {
            Some((p, i)) => (Some(p), i),
            None => (None, address),
        };
        let matches: Vec<Entry<'_>> = self
            .entries()
            .filter(|e| e.question.id == id && pack_id.is_none_or(|p| e.pack.meta.id == p))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => {
                let ids: Vec<String> = self.entries().map(|e| e.question.id.clone()).collect();
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let mut suggestion = crate::yaml::suggest(id, &refs)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                suggestion.push_str(&self.skipped_note());
                Err(LookupError::NotFound {
                    id: address.to_string(),
                    suggestion,
                })
            }
            many => Err(LookupError::Ambiguous {
                id: address.to_string(),
                candidates: many
                    .iter()
                    .map(Entry::qualified_id)
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

fn describe_origin(pack: &Pack) -> String {
    match &pack.origin {
        load::Origin::Builtin => "the built-in pack".to_string(),
        load::Origin::Path(p) => p.display().to_string(),
        load::Origin::Installed { .. } => format!("the installed pack `{}`", pack.meta.id),
    }
}
