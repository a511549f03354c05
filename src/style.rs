//! Colour, decided once per process from `--color`, the stream and `NO_COLOR`.
//!
//! `colored` looks only at stdout and its own environment rules, so rehearse decides for itself
//! and sets the override: colour only on a terminal, never with `NO_COLOR` (any value, even empty,
//! as colored and the convention treat it) or `TERM=dumb`, always with `--color always`.

use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// Whether colour is used, given the choice, whether the stream is a terminal, and the
/// environment. Pure, so it can be tested without a terminal.
pub fn decide(choice: ColorChoice, is_terminal: bool, no_color: bool, term_dumb: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color && !term_dumb,
    }
}

/// Decides colour for stdout and applies it to `colored`. Returns the decision.
pub fn init(choice: ColorChoice) -> bool {
    let on = decide(
        choice,
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").is_some(),
        std::env::var("TERM").is_ok_and(|t| t == "dumb"),
    );
    colored::control::set_override(on);
    on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(decide(ColorChoice::Auto, true, false, false));
        assert!(!decide(ColorChoice::Auto, false, false, false));
        assert!(!decide(ColorChoice::Auto, true, true, false));
        assert!(!decide(ColorChoice::Auto, true, false, true));
        assert!(decide(ColorChoice::Always, false, true, false));
        assert!(!decide(ColorChoice::Never, true, false, false));
    }
}
