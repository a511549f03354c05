//! Untrusted text made harmless at the output edge.
//!
//! Packs are written by strangers to the student who runs them, answers by strangers to the
//! mentor who grades them, and both end up on a terminal, in a CI log or in a report someone
//! opens in a viewer. A terminal obeys what it is sent: an escape sequence in a question title can
//! write the clipboard (OSC 52), retitle the window, clear the screen; a C1 byte such as U+009B is
//! an escape on many terminals; a bidi override (U+202E) makes text read differently from what it
//! says. So every character that could act rather than show is replaced by a visible stand-in:
//!
//! - C0 controls and DEL in caret notation: ESC is `^[`, BEL `^G`, NUL `^@`, a lone CR `^M`;
//! - C1 controls and the bidi embeddings, overrides and isolates as `<U+202E>`;
//! - `\n` and `\t` kept where the text may span lines ([`clean`]), shown as `^J` and `^I` where
//!   it may not ([`clean_line`]); CR before LF is dropped from multi-line text, so a file written
//!   on Windows reads as it was meant.
//!
//! [`SafeWriter`] is the one edge every printer writes through: it sits between every command and
//! standard output, standard error and `--output` files, and shows every such character whatever
//! the printer put into the line. With colour on, the only escape sequences it lets through are
//! those this process's [`crate::style::Style`] painted: they are sealed with a key drawn when the
//! process starts (see [`crate::style::unseal`]), which no pack, answer, stored record or file
//! name can contain, so text that spells rehearse's own colours (`ESC[31m`) is shown as
//! `^[[31m` like any other escape, even under `--color always`. A printer can therefore put
//! untrusted text into a line as it is. In JSON the writer writes the same characters as `\u`
//! escapes instead, so the data is unchanged and stays valid.
//!
//! [`clean`] and [`clean_line`] (or [`Safe`] and [`SafeLine`] inside `format!`) remain for what
//! the edge cannot do: keep a field on its one line ([`clean_line`] shows `\n` and `\t`, which
//! the edge must let through); clean text before it is padded, re-flowed or filled, so it is
//! measured as it will be shown; and clean what does not pass through the edge: the prompts the
//! terminal draws (`terminal`), and a practice session's output, whose writer is whoever runs
//! the session (`session`, and `feedback`, which the session renders).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use crate::style;

/// What a character becomes when it is not safe to send as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unsafe {
    /// A C0 control or DEL: caret notation.
    Caret(u8),
    /// A C1 control or a bidi control: its code point.
    CodePoint(u32),
}

/// Whether `c` must be replaced, and by what. `\n` and `\t` are the caller's decision.
fn classify(c: char) -> Option<Unsafe> {
    match c {
        '\u{0}'..='\u{1f}' => Some(Unsafe::Caret(c as u8 ^ 0x40)),
        '\u{7f}' => Some(Unsafe::Caret(b'?')),
        '\u{80}'..='\u{9f}' => Some(Unsafe::CodePoint(c as u32)),
        // Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI):
        // the characters that reorder what follows them ("Trojan Source").
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some(Unsafe::CodePoint(c as u32)),
        _ => None,
    }
}

/// Whether `text` needs no change at all in multi-line text; the common case, checked by bytes.
fn is_plain(text: &str, keep_lines: bool) -> bool {
    text.bytes().all(|b| match b {
        b'\n' | b'\t' => keep_lines,
        0..=0x1f | 0x7f => false,
        // Lead bytes of C1 (U+0080..U+009F) and of U+2000..U+2FFF: look closer.
        0xc2 | 0xe2 => false,
        _ => true,
    }) || text.chars().all(|c| match c {
        '\n' | '\t' => keep_lines,
        c => classify(c).is_none(),
    })
}

fn push_visible(out: &mut String, u: Unsafe) {
    match u {
        Unsafe::Caret(b) => {
            out.push('^');
            out.push(b as char);
        }
        Unsafe::CodePoint(cp) => out.push_str(&format!("<U+{cp:04X}>")),
    }
}

fn clean_with(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if is_plain(text, keep_lines) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\r' if keep_lines && chars.peek() == Some(&'\n') => {}
            c => match classify(c) {
                Some(u) => push_visible(&mut out, u),
                None => out.push(c),
            },
        }
    }
    Cow::Owned(out)
}

/// Characters that take no space but hide or reorder what is shown around them: the zero-width
/// and invisible ones the scorer already ignores ([`crate::text::normalize::is_invisible`]), and
/// the bidi marks, embeddings, overrides and isolates. Output that must read exactly as its text
/// (an excerpt, a pack's name in a report) drops or shows them.
pub fn is_hiding_format(c: char) -> bool {
    crate::text::normalize::is_invisible(c)
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2065}'..='\u{2069}'
        )
}

/// Untrusted text that may span lines, made safe to print: line breaks and tabs are kept, every
/// other control character and every bidi control is shown visibly (see the module doc).
pub fn clean(text: &str) -> Cow<'_, str> {
    clean_with(text, true)
}

/// Untrusted text that must stay on one line (a title in a table, a file name, an id): like
/// [`clean`], and line breaks and tabs are shown as `^J` and `^I` too.
pub fn clean_line(text: &str) -> Cow<'_, str> {
    clean_with(text, false)
}

/// [`clean`] for use inside `format!` and `write!`: `{}` of `Safe(text)` prints it cleaned.
#[derive(Debug, Clone, Copy)]
pub struct Safe<'a>(pub &'a str);

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&clean(self.0))
    }
}

/// [`clean_line`] for use inside `format!` and `write!`. Width and alignment (`{:<20}`) apply to
/// the cleaned text.
#[derive(Debug, Clone, Copy)]
pub struct SafeLine<'a>(pub &'a str);

impl fmt::Display for SafeLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&clean_line(self.0))
    }
}

/// Serialised JSON with every C1 and bidi control written as a `\u` escape. serde_json escapes
/// C0 controls itself but sends these as they are; in JSON they can only occur inside strings,
/// where the escape means the same character, so the data is unchanged.
pub fn json(serialised: &str) -> Cow<'_, str> {
    if !serialised.bytes().any(|b| b == 0xc2 || b == 0xe2) {
        return Cow::Borrowed(serialised);
    }
    let mut out = String::with_capacity(serialised.len() + 16);
    for c in serialised.chars() {
        match classify(c) {
            Some(Unsafe::CodePoint(cp)) => out.push_str(&format!("\\u{cp:04x}")),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// What a [`SafeWriter`] lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Text for a person. `color`: the sequences this process's style painted (sealed with its
    /// key, see [`style::unseal`]) become rehearse's own colours; any other escape sequence,
    /// SGR or not, and rehearse's own colours spelled out by text too, is shown as `^[...`.
    Text {
        /// Whether colour is on for this stream.
        color: bool,
    },
    /// JSON: C1 and bidi controls become `\u` escapes (see [`json`]); stray C0 controls, which
    /// serde_json never writes raw, become `\u` escapes too.
    Json,
    /// XML (JUnit): like text without colour, with the code-point form escaped for XML
    /// (`&lt;U+202E&gt;`) so the document stays well-formed.
    Xml,
}

/// The longest SGR sequence held back to see whether it is one: longer than a sealed one
/// (`ESC[`, a twenty-digit key, `;`, the parameters, `m`).
const MAX_SGR: usize = 48;

/// A writer that makes everything written through it safe for a terminal or a viewer (see the
/// module doc), whatever the printer above it did. A write may end in the middle of a UTF-8
/// character, a CR LF pair or a colour sequence; those few bytes are held until the next write
/// decides what they are, and [`SafeWriter::finish`] settles them at the end.
#[derive(Debug)]
pub struct SafeWriter<W: Write> {
    inner: W,
    mode: Mode,
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W, mode: Mode) -> Self {
        SafeWriter {
            inner,
            mode,
            pending: Vec::new(),
        }
    }

    /// Writes out anything held back (as if nothing followed it), flushes, and returns the inner
    /// writer.
    pub fn finish(mut self) -> io::Result<W> {
        let pending = std::mem::take(&mut self.pending);
        let mut out = Vec::new();
        self.filter(&pending, true, &mut out);
        self.inner.write_all(&out)?;
        self.inner.flush()?;
        // Moving `inner` out: `self` has no Drop of its own, so this is a plain destructure.
        let SafeWriter { inner, .. } = self;
        Ok(inner)
    }

    fn push_unsafe(&self, u: Unsafe, out: &mut Vec<u8>) {
        match (self.mode, u) {
            (Mode::Json, Unsafe::Caret(b)) => {
                out.extend_from_slice(format!("\\u{:04x}", b ^ 0x40).as_bytes())
            }
            (Mode::Json, Unsafe::CodePoint(cp)) => {
                out.extend_from_slice(format!("\\u{cp:04x}").as_bytes())
            }
            (Mode::Text { .. } | Mode::Xml, Unsafe::Caret(b)) => out.extend_from_slice(&[b'^', b]),
            (Mode::Xml, Unsafe::CodePoint(cp)) => {
                out.extend_from_slice(format!("&lt;U+{cp:04X}&gt;").as_bytes())
            }
            (Mode::Text { .. }, Unsafe::CodePoint(cp)) => {
                out.extend_from_slice(format!("<U+{cp:04X}>").as_bytes())
            }
        }
    }

    /// Filters `bytes` into `out` and returns how many bytes at the end were held back because
    /// what they are depends on what comes next. With `last`, nothing is held back.
    fn filter(&self, bytes: &[u8], last: bool, out: &mut Vec<u8>) -> usize {
        let mut i = 0;
        while i < bytes.len() {
            // Copy the run of bytes that need no thought in one go.
            let run = bytes[i..]
                .iter()
                .position(|&b| matches!(b, 0..=0x08 | 0x0b..=0x1f | 0x7f | 0x80..))
                .unwrap_or(bytes.len() - i);
            out.extend_from_slice(&bytes[i..i + run]);
            i += run;
            if i == bytes.len() {
                break;
            }
            let b = bytes[i];
            if b < 0x80 || b == 0x7f {
                if b == b'\r' {
                    match bytes.get(i + 1) {
                        Some(b'\n') => {
                            out.push(b'\r');
                            i += 1;
                            continue;
                        }
                        None if !last => return bytes.len() - i,
                        _ => {}
                    }
                }
                if b == 0x1b && self.mode == (Mode::Text { color: true }) {
                    match sgr_len(&bytes[i..]) {
                        Sgr::Complete(n) if let Some(plain) = style::unseal(&bytes[i..i + n]) => {
                            out.extend_from_slice(&plain);
                            i += n;
                            continue;
                        }
                        Sgr::Partial if !last => return bytes.len() - i,
                        _ => {}
                    }
                }
                let u = classify(b as char).expect("a C0 control or DEL");
                self.push_unsafe(u, out);
                i += 1;
                continue;
            }
            // A non-ASCII byte: decode the character it starts.
            let width = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if i + width > bytes.len() && !last {
                return bytes.len() - i;
            }
            let end = (i + width).min(bytes.len());
            match std::str::from_utf8(&bytes[i..end]) {
                Ok(s) => {
                    let c = s.chars().next().expect("one character");
                    match classify(c) {
                        Some(u) => self.push_unsafe(u, out),
                        None => out.extend_from_slice(s.as_bytes()),
                    }
                    i = end;
                }
                Err(_) => {
                    // Not UTF-8 (a raw 0x9b is CSI on an 8-bit terminal): shown as a hex escape.
                    out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
                    i += 1;
                }
            }
        }
        0
    }
}

/// Whether bytes starting with ESC are an SGR sequence `ESC [ (digits | ;)* m`.
enum Sgr {
    Complete(usize),
    /// Could still become one with more bytes.
    Partial,
    Not,
}

fn sgr_len(bytes: &[u8]) -> Sgr {
    debug_assert_eq!(bytes.first(), Some(&0x1b));
    for (n, &b) in bytes.iter().enumerate().skip(1).take(MAX_SGR) {
        match (n, b) {
            (1, b'[') => {}
            (1, _) => return Sgr::Not,
            (_, b'0'..=b'9' | b';') => {}
            (_, b'm') => return Sgr::Complete(n + 1),
            _ => return Sgr::Not,
        }
    }
    if bytes.len() <= MAX_SGR {
        Sgr::Partial
    } else {
        Sgr::Not
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len() + self.pending.len());
        let held = if self.pending.is_empty() {
            let held = self.filter(buf, false, &mut out);
            self.pending.extend_from_slice(&buf[buf.len() - held..]);
            held
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(buf);
            let held = self.filter(&joined, false, &mut out);
            self.pending = joined[joined.len() - held..].to_vec();
            held
        };
        debug_assert!(held <= MAX_SGR + 4);
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Held bytes stay held: they are at most a partial character or sequence, and the next
        // write (or `finish`) decides what they are.
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hiding_format_covers_zero_width_and_bidi_but_not_text() {
        for c in [
            '\u{ad}', '\u{200b}', '\u{200e}', '\u{202e}', '\u{2066}', '\u{feff}', '\u{61c}',
        ] {
            assert!(is_hiding_format(c), "{c:?}");
        }
        for c in ['a', ' ', '\u{e9}', '\u{2014}', '\u{2026}'] {
            assert!(!is_hiding_format(c), "{c:?}");
        }
    }

    fn through(mode: Mode, pieces: &[&[u8]]) -> Vec<u8> {
        let mut w = SafeWriter::new(Vec::new(), mode);
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn escapes_are_shown_not_obeyed() {
        let attack = "a\x1b]52;c;ZXZpbA==\x07b\x1b[2Jc\u{9b}31md\u{202e}txt.exe\0";
        assert_eq!(
            clean(attack),
            "a^[]52;c;ZXZpbA==^Gb^[[2Jc<U+009B>31md<U+202E>txt.exe^@"
        );
        assert_eq!(clean_line(attack), clean(attack));
    }

    #[test]
    fn lines_and_tabs_are_kept_only_where_the_text_may_span_lines() {
        assert_eq!(clean("one\r\ntwo\tthree\rfour"), "one\ntwo\tthree^Mfour");
        assert_eq!(clean_line("one\ntwo\tthree"), "one^Jtwo^Ithree");
        assert!(matches!(clean("plain — «text» ü"), Cow::Borrowed(_)));
        assert!(matches!(clean("\u{2014}\u{2019}"), Cow::Borrowed(_)));
    }

    #[test]
    fn safe_pads_the_cleaned_text() {
        assert_eq!(format!("[{:<6}]", SafeLine("a\x1b")), "[a^[   ]");
        assert_eq!(format!("{}", Safe("x\u{2066}y")), "x<U+2066>y");
    }

    #[test]
    fn json_keeps_the_data_and_hides_the_controls() {
        let value = serde_json::json!({"t": "a\u{202e}b\u{85}c\u{1b}"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json(&text);
        assert_eq!(safe, r#"{"t":"a\u202eb\u0085c\u001b"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    /// Colour as a sealed style paints it: `ESC[1m` and so on, sealed.
    fn painted(paint: crate::style::Paint) -> (String, String) {
        let sealed = crate::style::sealed_for_tests().paint("\u{0}", paint);
        let (open, close) = sealed.split_once('\u{0}').unwrap();
        (open.to_string(), close.to_string())
    }

    #[test]
    fn the_writer_lets_only_its_own_colour_through() {
        // What a painter wrote (sealed cyan around `id`), then escapes that came with text,
        // rehearse's own plain cyan and reset among them.
        let (cyan, reset) = painted(crate::style::Paint::Accent);
        let text = format!(
            "{cyan}id{reset} \x1b]0;pwned\x07 \x1b[2J \x1b[8mhidden\x1b[1;36m \x1b[36mfake\x1b[0m\r\n"
        );
        assert_eq!(
            through(Mode::Text { color: true }, &[text.as_bytes()]),
            b"\x1b[36mid\x1b[0m ^[]0;pwned^G ^[[2J ^[[8mhidden^[[1;36m ^[[36mfake^[[0m\r\n"
        );
        let shown = through(Mode::Text { color: false }, &[text.as_bytes()]);
        assert!(
            !shown.contains(&0x1b),
            "{}",
            String::from_utf8_lossy(&shown)
        );
    }

    #[test]
    fn the_writer_holds_what_a_write_cut_in_two() {
        let (bold, _) = painted(crate::style::Paint::Bold);
        let whole = format!("{bold}\u{e9}\u{202e}\r\n\r");
        let whole = whole.as_bytes();
        for cut in 0..=whole.len() {
            let (a, b) = whole.split_at(cut);
            assert_eq!(
                through(Mode::Text { color: true }, &[a, b]),
                b"\x1b[1m\xc3\xa9<U+202E>\r\n^M",
                "cut at {cut}"
            );
        }
        let whole = "\x1b[1m\u{e9}\u{202e}\r\n\r".as_bytes();
        for cut in 0..=whole.len() {
            let (a, b) = whole.split_at(cut);
            assert_eq!(
                through(Mode::Json, &[a, b]),
                b"\\u001b[1m\xc3\xa9\\u202e\r\n\\u000d",
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_in_hex() {
        assert_eq!(
            through(Mode::Text { color: false }, &[b"a\x9bb"]),
            b"a\\x9bb"
        );
    }
}
