//! Calibration: how far the engine agrees with people who graded the same answers.
//!
//! [`input`] reads graded answers (a self-contained file with its own questions, like the public
//! calibration set, or an answers file with expected levels resolved against the packs),
//! [`metrics`] holds the pure agreement measures, and [`report`] turns scored answers into the
//! report `rehearse calibrate` prints: agreement per dimension, gaming answers held low, strong
//! answers on top, the largest disagreements, and the thresholds missed.

pub mod input;
pub mod metrics;
pub mod report;

pub use report::{Report, Row, Thresholds};

use crate::safe_text::is_hiding_format;

/// Longest answer excerpt shown in a report, in characters.
pub const EXCERPT_CHARS: usize = 100;

/// The start of an answer as one line safe for a terminal: white space and control characters
/// collapsed to single spaces, invisible formatting characters (bidirectional overrides,
/// zero-width marks) dropped, at most [`EXCERPT_CHARS`] characters with an ellipsis when cut.
pub fn excerpt(text: &str) -> String {
    let visible: String = text.chars().filter(|&c| !is_hiding_format(c)).collect();
    let line = crate::text::collapse_ws(&visible);
    if line.chars().count() <= EXCERPT_CHARS {
        return line;
    }
    let mut out: String = line.chars().take(EXCERPT_CHARS - 1).collect();
    out.truncate(out.trim_end().len());
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_short_safe_line() {
        assert_eq!(
            excerpt("## Heading\n- a\tb\x1b[31m red"),
            "## Heading - a b [31m red"
        );
        assert_eq!(excerpt("abc\u{202E}def\u{200B}"), "abcdef");
        let long = "word ".repeat(40);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        assert!(e.ends_with("word\u{2026}"), "{e}");
    }
}
