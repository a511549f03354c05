//! Synonym groups (`@name`): each compiled once, references between groups resolved (cycles and
//! unknown names refused), entries written alike kept once.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::super::token_regex::Term;
use super::compile::{self, Compiled};
use super::error::{GroupError, PatternError, unknown_group};
use super::{MAX_GROUP_DEPTH, MAX_GROUP_ENTRIES, NUMBER_GROUP, syntax};

/// Synonym groups, compiled, ready to be used by patterns as `@name`.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    raw: BTreeMap<String, Vec<String>>,
    compiled: BTreeMap<String, Compiled>,
    /// Each group's entries as syntax trees (entries written alike kept once), from which the
    /// tests derive the group's documented byte regex.
    #[cfg(test)]
    trees: BTreeMap<String, Vec<syntax::Alternatives>>,
}

impl Groups {
    /// Compiles every group, resolving references between groups and rejecting cycles.
    pub fn compile(raw: &BTreeMap<String, Vec<String>>) -> Result<Groups, GroupError> {
        let mut groups = Groups {
            raw: raw.clone(),
            ..Groups::default()
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

    /// The compiled group `name`, as `@name` written at `column` of `pattern` refers to it.
    pub(super) fn get(
        &self,
        name: &str,
        pattern: &str,
        column: usize,
    ) -> Result<Compiled, PatternError> {
        self.compiled
            .get(name)
            .cloned()
            .ok_or_else(|| unknown_group(pattern, column, name, self.raw.keys()))
    }

    /// The syntax trees of group `name`'s entries, compiled before.
    #[cfg(test)]
    pub(super) fn trees(&self, name: &str) -> Option<&[syntax::Alternatives]> {
        self.trees.get(name).map(Vec::as_slice)
    }

    fn resolve(&mut self, name: &str, stack: &mut Vec<String>) -> Result<Compiled, GroupError> {
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
        let mut ordered: Vec<Compiled> = Vec::new();
        #[cfg(test)]
        let mut trees = Vec::new();
        // Entries seen so far, written out canonically: an entry written like an earlier one
        // (spacing aside) compiles like it and is left out; finding it is a lookup, not a scan
        // of every earlier entry, which made a 64k-word group take a minute to load.
        let mut seen: HashSet<String> = HashSet::new();
        for (index, entry) in entries.iter().enumerate() {
            let fail = |error: PatternError| GroupError {
                group: name.to_string(),
                index,
                error,
            };
            let tree = syntax::parse(entry).map_err(fail)?;
            let mut resolver = |inner: &str, column: usize| -> Result<Compiled, PatternError> {
                if stack.iter().any(|s| s == inner) || stack.len() >= MAX_GROUP_DEPTH {
                    return Err(PatternError {
                        pattern: entry.clone(),
                        column,
                        message: format!("group @{inner} refers back to itself"),
                    });
                }
                if inner == NUMBER_GROUP {
                    return Ok(compile::number());
                }
                if !self.raw.contains_key(inner) {
                    return Err(unknown_group(entry, column, inner, self.raw.keys()));
                }
                self.resolve(inner, stack).map_err(|e| e.error)
            };
            let compiled = compile::compile(&tree, entry, &mut resolver).map_err(fail)?;
            if seen.insert(tree.to_string()) {
                ordered.push(compiled);
                #[cfg(test)]
                trees.push(tree);
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
        #[cfg(test)]
        self.trees.insert(name.to_string(), trees);
        let any = Compiled::any(ordered);
        let compiled = Compiled {
            // A group that is one test (all one-word alternatives) is as cheap to copy as a
            // pointer to it, and stays mergeable with its neighbours.
            term: match any.term {
                Term::Token(test) => Term::Token(test),
                term => Term::Shared(Arc::new(term)),
            },
            cue: any.cue,
        };
        self.compiled.insert(name.to_string(), compiled.clone());
        Ok(compiled)
    }
}
