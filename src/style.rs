//! The output style of a process: whether stdout gets colour and how wide its prose may run,
//! decided once from `--color`, `NO_COLOR`, `TERM` and whether stdout is a terminal, then handed
//! to every writer (feedback, reports, the session, the commands) as a [`Style`] value.
//!
//! Nothing else looks at the environment or keeps a global switch: a writer asks its `Style` to
//! [`paint`](Style::paint) a piece of text and to [`fill`](Style::fill) a line to the width, so a
//! test can render the same thing plain, coloured or at 80 columns and compare. Painting happens
//! after padding (a coloured cell must be padded on its visible text, not on its escape codes),
//! and the escape codes come from `anstyle`, the styling crate clap itself uses.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Effects};

use crate::reflow;

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether colour is used, given the choice, whether the stream is a terminal, and the
/// environment. Pure, so it can be tested without a terminal. `NO_COLOR` counts when set to any
/// value, even empty, as the convention says; `TERM=dumb` means a terminal without escapes.
pub fn decide(choice: ColorChoice, is_terminal: bool, no_color: bool, term_dumb: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color && !term_dumb,
    }
}

/// A piece of text's role on screen; each has one look when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Headings and names.
    Bold,
    /// Asides: hints, notes, metadata.
    Dim,
    /// Headings that open a section of a long page.
    Heading,
    /// Something earned or better.
    Good,
    /// Something missing or a warning.
    Warn,
    /// Something lost or worse.
    Bad,
    /// Identifiers and labels.
    Accent,
}

impl Paint {
    /// Every role.
    pub const ALL: [Paint; 7] = [
        Paint::Bold,
        Paint::Dim,
        Paint::Heading,
        Paint::Good,
        Paint::Warn,
        Paint::Bad,
        Paint::Accent,
    ];

    fn anstyle(self) -> anstyle::Style {
        let fg = |c: AnsiColor| anstyle::Style::new().fg_color(Some(c.into()));
        match self {
            Paint::Bold => anstyle::Style::new().effects(Effects::BOLD),
            Paint::Dim => anstyle::Style::new().effects(Effects::DIMMED),
            Paint::Heading => anstyle::Style::new().effects(Effects::BOLD | Effects::UNDERLINE),
            Paint::Good => fg(AnsiColor::Green),
            Paint::Warn => fg(AnsiColor::Yellow),
            Paint::Bad => fg(AnsiColor::Red),
            Paint::Accent => fg(AnsiColor::Cyan),
        }
    }
}

/// How output looks: colour or not, and the width prose is re-flowed to (`None`: not a
/// terminal, so text keeps its own line breaks and a pipe or file gets the same bytes anywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    color: bool,
    width: Option<usize>,
    /// Paint with this process's sealed sequences (see [`seal`]): what the process's own output
    /// edge, and only it, turns into colour.
    sealed: bool,
}

impl Style {
    /// Plain text at no particular width: what files, pipes and most tests get.
    pub const PLAIN: Style = Style {
        color: false,
        width: None,
        sealed: false,
    };

    /// A style with colour on or off and no width, painting with the plain SGR sequences (for
    /// output that does not go through the process's edge: tests, a session's own writer).
    pub fn new(color: bool) -> Self {
        Style {
            color,
            width: None,
            sealed: false,
        }
    }

    /// The same style re-flowing prose to `width` columns (`None` for no re-flow).
    pub fn with_width(self, width: Option<usize>) -> Self {
        Style { width, ..self }
    }

    /// Whether colour is on.
    pub fn color(&self) -> bool {
        self.color
    }

    /// The width prose is re-flowed to, if any.
    pub fn width(&self) -> Option<usize> {
        self.width
    }

    /// `text` painted for its role, or as it is when colour is off.
    pub fn paint(&self, text: &str, paint: Paint) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        let s = paint.anstyle();
        if self.sealed {
            return format!("{}{text}{}", seal(&s.to_string()), seal(&format!("{s:#}")));
        }
        format!("{s}{text}{s:#}")
    }

    /// Shorthand for [`Paint::Bold`].
    pub fn bold(&self, text: &str) -> String {
        self.paint(text, Paint::Bold)
    }

    /// Shorthand for [`Paint::Dim`].
    pub fn dim(&self, text: &str) -> String {
        self.paint(text, Paint::Dim)
    }

    /// Prose (a pack's prompt, a fact, a model answer) re-flowed to the width with every line
    /// indented by `indent`; lists, code and tables keep their lines. See [`reflow::reflow`].
    pub fn prose(&self, text: &str, indent: &str) -> String {
        reflow::reflow(text, self.width, indent)
    }

    /// Several lines of messages, each filled to the width and continued under its own
    /// indentation (under its text, for a `- ` item). Unchanged without a width.
    pub fn fill_lines(&self, text: &str) -> String {
        if self.width.is_none() {
            return text.to_string();
        }
        text.split('\n')
            .map(|line| {
                let rest = line.trim_start_matches(' ');
                let mut hang = " ".repeat(line.len() - rest.len());
                if rest.starts_with("- ") {
                    hang.push_str("  ");
                }
                self.fill(line, &hang)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// One logical line (which may carry colour) filled to the width: the first line starts as
    /// `line` does, the others are indented by `hang`. Unchanged without a width.
    pub fn fill(&self, line: &str, hang: &str) -> String {
        reflow::fill(line, self.width, hang)
    }
}

/// The width of standard error when it is a terminal that reports one: prompts and notices are
/// drawn there. A pseudo-terminal may report 0 columns, which counts as no width.
pub fn stderr_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stderr())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
}

/// Whether `sequence` (one complete `ESC [ ... m`) is one that [`Style::paint`] writes: the
/// opening sequence of a role's look, or the reset.
pub fn is_own_sgr(sequence: &[u8]) -> bool {
    static OWN: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let own = OWN.get_or_init(|| {
        let rendered = Paint::ALL
            .iter()
            .map(|p| p.anstyle().render().to_string())
            .chain([anstyle::Reset.render().to_string()]);
        let mut own: Vec<Vec<u8>> = rendered
            .flat_map(|r| {
                r.split('\u{1b}')
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("\u{1b}{s}").into_bytes())
                    .collect::<Vec<_>>()
            })
            .collect();
        own.sort();
        own.dedup();
        own
    });
    own.binary_search_by(|o| o.as_slice().cmp(sequence)).is_ok()
}

/// This process's key: twenty digits drawn from the operating system's randomness when first
/// asked for (through the seed std gives every `RandomState`), never written anywhere.
fn key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        format!("{:020}", hasher.finish())
    })
}

/// SGR sequences as a sealed style paints them: `ESC [` is followed by this process's key and a
/// `;` before the parameters. A pack, an answer or a file name cannot contain the key (it is
/// drawn when the process starts and never shown), so only [`Style::paint`] can write such a
/// sequence, and the output edge ([`crate::safe_text::SafeWriter`]) turns each back into the
/// plain sequence ([`unseal`]) and shows every other escape, rehearse's own plain colours
/// included, as text. Sealed sequences keep the shape `ESC [ digits ; ... m`, so the re-flow
/// still measures them as taking no room.
fn seal(sequences: &str) -> String {
    sequences.replace("\u{1b}[", &format!("\u{1b}[{};", key()))
}

/// The plain sequence a sealed one stands for, when `sequence` (one complete `ESC [ ... m`) is
/// one of this process's own: sealed with its key, and one of the looks [`Style::paint`]
/// writes. `None` for anything else.
pub fn unseal(sequence: &[u8]) -> Option<Vec<u8>> {
    let params = sequence
        .strip_prefix(b"\x1b[")?
        .strip_prefix(key().as_bytes())?
        .strip_prefix(b";")?;
    let plain = [b"\x1b[", params].concat();
    is_own_sgr(&plain).then_some(plain)
}

/// A coloured style that paints sealed sequences, as [`init`] gives with colour on: for tests
/// of the output edge.
#[cfg(test)]
pub(crate) fn sealed_for_tests() -> Style {
    Style {
        sealed: true,
        ..Style::new(true)
    }
}

/// Decides the style of stdout for this process: colour from the choice and the environment,
/// and the terminal's width when stdout is a terminal.
pub fn init(choice: ColorChoice) -> Style {
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let color = decide(
        choice,
        is_terminal,
        std::env::var_os("NO_COLOR").is_some(),
        std::env::var("TERM").is_ok_and(|t| t == "dumb"),
    );
    let width = if is_terminal {
        terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
    } else {
        None
    };
    Style {
        color,
        width,
        sealed: color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sequences_paint_writes_are_its_own() {
        let painted = Style::new(true).paint("x", Paint::Heading);
        for piece in painted.split('x') {
            for seq in piece.split_inclusive('m') {
                assert!(is_own_sgr(seq.as_bytes()), "{seq:?} of {painted:?}");
            }
        }
        assert!(is_own_sgr(b"\x1b[0m"));
        for foreign in [
            "\x1b[8m",
            "\x1b[5m",
            "\x1b[38;5;196m",
            "\x1b[1;36m",
            "\x1b[m",
        ] {
            assert!(!is_own_sgr(foreign.as_bytes()), "{foreign:?}");
        }
    }

    #[test]
    fn sealed_paint_unseals_to_the_plain_paint_and_nothing_else_does() {
        let sealed = sealed_for_tests();
        for paint in Paint::ALL {
            let painted = sealed.paint("x", paint);
            assert!(!painted.contains("\u{1b}[0m"), "{painted:?}");
            let unsealed: String = painted
                .split_inclusive(['m', 'x'])
                .map(|piece| match unseal(piece.as_bytes()) {
                    Some(plain) => String::from_utf8(plain).unwrap(),
                    None => piece.to_string(),
                })
                .collect();
            assert_eq!(unsealed, Style::new(true).paint("x", paint));
        }
        // The plain sequences, a guessed key and a sealed foreign look are not its own.
        for other in [
            "\x1b[31m".to_string(),
            "\x1b[00000000000000000000;31m".to_string(),
            format!("\x1b[{};8m", key()),
            format!("\x1b[{}31m", key()),
        ] {
            assert_eq!(unseal(other.as_bytes()), None, "{other:?}");
        }
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(decide(ColorChoice::Auto, true, false, false));
        assert!(!decide(ColorChoice::Auto, false, false, false));
        assert!(!decide(ColorChoice::Auto, true, true, false));
        assert!(!decide(ColorChoice::Auto, true, false, true));
        assert!(decide(ColorChoice::Always, false, true, false));
        assert!(!decide(ColorChoice::Never, true, false, false));
    }

    #[test]
    fn paint_wraps_in_codes_only_with_colour() {
        assert_eq!(Style::PLAIN.paint("x", Paint::Good), "x");
        let on = Style::new(true);
        assert_eq!(on.paint("x", Paint::Good), "\u{1b}[32mx\u{1b}[0m");
        assert_eq!(on.bold(""), "", "nothing to paint, no codes");
    }
}
