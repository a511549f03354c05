//! Diagnostics: one problem in one input file, printed as `FILE:LINE:COLUMN: message`.
//!
//! Every loader (packs, rubric files, answer files, history) reports problems in this one shape so
//! that editors and CI logs can jump to them, and so that a command can collect every problem in a
//! file before giving up rather than stopping at the first.

use std::fmt;

/// A position in a text file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Line, 1-based.
    pub line: u32,
    /// Column in characters, 1-based.
    pub column: u32,
}

impl Pos {
    /// A position from a 1-based line and column.
    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file (or directory) the problem is in, as the user named it.
    pub file: String,
    /// Where in the file, when the problem has a place.
    pub pos: Option<Pos>,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
    /// The lines of the file around the position, with a caret under it, printed after the
    /// message (not part of it: machine output carries the message alone).
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A problem at a position in a file.
    pub fn at(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            pos: Some(pos),
            message: message.into(),
            snippet: None,
        }
    }

    /// The same problem shown with the source lines around it and a caret under its column (see
    /// [`snippet`]).
    pub fn with_snippet(mut self, text: &str) -> Self {
        if let Some(pos) = self.pos {
            self.snippet = snippet(text, pos);
        }
        self
    }

    /// A problem with a whole file or directory (it is missing, unreadable, too large...).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            pos: None,
            message: message.into(),
            snippet: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        Ok(())
    }
}

/// Widest stretch of a line a snippet shows, in characters; a longer line is cut around the
/// column.
const SNIPPET_WIDTH: usize = 100;

/// The line at `pos` (and the one before it, when it has text: an unclosed bracket or quote there
/// is a common cause of an error reported on the next line), numbered, with a caret under the
/// column. Control characters are shown as `?` so the file cannot drive the terminal; a tab is
/// shown as `→` so that the usual culprit is visible. `None` when the line does not exist.
pub fn snippet(text: &str, pos: Pos) -> Option<String> {
    let index = (pos.line as usize).checked_sub(1)?;
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(index)?;
    let number_width = pos.line.to_string().len();
    let column = (pos.column as usize).saturating_sub(1);
    // The window of the line shown: the whole line when it fits, else centred on the column.
    let chars: Vec<char> = line.chars().collect();
    let start = if chars.len() > SNIPPET_WIDTH {
        column
            .saturating_sub(SNIPPET_WIDTH / 2)
            .min(chars.len() - SNIPPET_WIDTH)
    } else {
        0
    };
    let show = |chars: &[char], from: usize| -> String {
        chars
            .iter()
            .skip(from)
            .take(SNIPPET_WIDTH)
            .map(|&c| match c {
                '\t' => '→',
                c if c.is_control() => '?',
                c => c,
            })
            .collect()
    };
    let mut out = String::new();
    if index > 0
        && let Some(before) = lines.get(index - 1).filter(|l| !l.trim().is_empty())
    {
        let before: Vec<char> = before.chars().collect();
        out.push_str(&format!(
            "{:>number_width$} | {}\n",
            pos.line - 1,
            show(&before, start.min(before.len()))
        ));
    }
    out.push_str(&format!(
        "{:>number_width$} | {}\n",
        pos.line,
        show(&chars, start)
    ));
    let caret_at = column.saturating_sub(start).min(SNIPPET_WIDTH);
    out.push_str(&format!(
        "{:>number_width$} | {}^",
        "",
        " ".repeat(caret_at)
    ));
    Some(out)
}

/// Several problems, sorted by file and position, reported together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by file and position and drops exact repeats, so output is stable.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// Says why an I/O operation failed in words that suggest a fix.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".to_string()
        }
        ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => e.to_string(),
    }
}
