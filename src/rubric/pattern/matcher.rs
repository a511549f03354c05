//! [`Matcher`]: a candidate's free-text question matched against a list of patterns, such as a
//! fact's `asks`.

use super::error::PatternError;
use super::groups::Groups;
use super::{Fragment, Pattern, pattern_fragment};

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
            fragments.push(Fragment::fail());
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
