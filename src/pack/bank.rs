//! The bank: every pack a command sees (the built-in one unless `--no-builtin`, plus each
//! `--bank`), with lookup by `ID` or `PACK/ID` and the filters `list`, `practice` and `template`
//! share.

use std::path::PathBuf;

use super::builtin;
use super::defaults::default_steps;
use super::load::{self, Pack};
use super::model::{Kind, Level, Question, Step};
use crate::diag::Diagnostics;

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
        effective_steps(self.question)
    }
}

/// The steps asked for `question`: its own, or the defaults of its kind.
pub fn effective_steps(question: &Question) -> Vec<Step> {
    if question.steps.is_empty() {
        default_steps(question.kind)
    } else {
        question.steps.clone()
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

/// Every loaded pack.
#[derive(Debug, Default)]
pub struct Bank {
    packs: Vec<Pack>,
}

impl Bank {
    /// Loads the built-in pack (unless `no_builtin`) and every path in `paths`, in that order.
    /// Problems in every pack are reported together.
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
        let mut packs = Vec::new();
        let mut problems = Vec::new();
        if !no_builtin {
            match builtin::pack() {
                Ok(p) => packs.push(p.clone()),
                Err(d) => problems.extend(d.0.iter().cloned()),
            }
        }
        let mut given: Vec<Pack> = Vec::new();
        for path in paths {
            match load::load_path(path) {
                Ok(pack) => {
                    if let Some(existing) = packs
                        .iter()
                        .chain(&given)
                        .find(|p| p.meta.id == pack.meta.id)
                    {
                        problems.push(crate::diag::Diagnostic::file(
                            path.display().to_string(),
                            format!(
                                "pack id `{}` is already loaded from {}; pack ids must be unique",
                                pack.meta.id,
                                describe_origin(existing)
                            ),
                        ));
                    } else {
                        given.push(pack);
                    }
                }
                Err(d) => problems.extend(d.0),
            }
        }
        packs.extend(
            installed
                .into_iter()
                .filter(|i| !given.iter().any(|g| g.meta.id == i.meta.id)),
        );
        packs.extend(given);
        if problems.is_empty() {
            Ok(Bank { packs })
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// A bank of the given packs, for tests and tools.
    pub fn from_packs(packs: Vec<Pack>) -> Bank {
        Bank { packs }
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
                let suggestion = crate::yaml::suggest(id, &refs)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
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
