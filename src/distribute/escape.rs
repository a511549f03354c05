//! Untrusted text from a pack or a source (titles, versions, URLs, archive entry names, git's
//! messages) escaped for a terminal the way the pack commands show it. It sits below the report, so
//! every stage of an install can name what it refuses without depending on the report that prints
//! the result.

use std::fmt::Write as _;

use crate::safe_text::is_hiding_format;

/// Makes untrusted text safe for a terminal: control characters (C0, DEL, C1, so no escape
/// sequence gets through), bidirectional overrides and invisible format characters are shown as
/// `\u{XXXX}` rather than acted on. Everything else is kept as it is.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_hiding_format(c) {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_are_shown_not_acted_on() {
        assert_eq!(clean("plain é ✓"), "plain é ✓");
        assert_eq!(clean("a\u{1b}]52;c;x\u{7}b"), "a\\u{001b}]52;c;x\\u{0007}b");
        assert_eq!(clean("\u{9b}2J"), "\\u{009b}2J");
        assert_eq!(clean("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(clean("line\nnext"), "line\\u{000a}next");
        assert!(!clean("\u{200b}").contains('\u{200b}'));
    }
}
