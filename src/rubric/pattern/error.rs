//! What goes wrong in a pattern or a synonym group, located by column (and group entry).

use std::fmt;

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

/// `@name` names no group: the closest known name is suggested when there is one.
pub(super) fn unknown_group<'a>(
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
