//! The terminal adapter: the one place that talks to inquire, turning prompts, key presses and
//! the candidate's editor into the domain [`Input`]s the session understands.
//!
//! Typed input is multi-line (Alt+Enter starts a new line, and a pasted block keeps its line
//! breaks). A handful of commands typed alone at a prompt (`/hint`, `/skip`, `/done`, `/edit`,
//! `/ask ...`, `/quit`) become domain inputs; Ctrl-C and Esc become [`Input::Quit`] so the session
//! can ask whether to quit. `/edit` opens `$VISUAL` or `$EDITOR`, split into words like a shell
//! would (so `EDITOR="code --wait"` works); without an editor, or when it fails, the candidate is
//! told why and keeps typing at the prompt.

use std::io::{IsTerminal, Write};
use std::process::Command;

use inquire::error::InquireError;
use inquire::ui::RenderConfig;

use crate::session::source::{AnswerSource, Choice, Input, Prompt, PromptKind};

/// Why practice cannot run here.
#[derive(Debug, thiserror::Error)]
#[error(
    "practice needs an interactive terminal (standard input and standard error must both be a \
     terminal); for scripted or CI use, write the answers to a file and run `rehearse drill`"
)]
pub struct NoTerminal;

/// Fails unless standard input and standard error are both terminals: inquire reads keys from
/// the one and draws on the other, and without them it could only fail or hang.
pub fn require_terminal() -> Result<(), NoTerminal> {
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        Ok(())
    } else {
        Err(NoTerminal)
    }
}

/// The real answer source: prompts on the terminal.
#[derive(Debug)]
pub struct Terminal {
    render: RenderConfig<'static>,
}

impl Terminal {
    /// A terminal source; `color` false gives inquire's plain render config, because inquire
    /// stops honouring `NO_COLOR` by itself once a config is chosen.
    pub fn new(color: bool) -> Self {
        Terminal {
            render: if color {
                RenderConfig::default_colored()
            } else {
                RenderConfig::empty()
            },
        }
    }

    fn help(prompt: &Prompt<'_>) -> &'static str {
        match prompt.kind {
            PromptKind::Investigation => {
                "Enter asks · /done when ready for hypotheses · /hint · Esc or Ctrl-C to quit"
            }
            _ if prompt.can_ask => {
                "Enter submits · Alt+Enter new line · /edit opens your editor · /ask QUESTION · \
                 /hint · /skip · Esc to quit"
            }
            _ => {
                "Enter submits · Alt+Enter new line · /edit opens your editor · /hint · /skip · \
                 Esc to quit"
            }
        }
    }

    /// Tells the candidate something about the prompt itself (not part of the session
    /// transcript), on standard error where the prompts are drawn.
    fn notice(message: &str) {
        let _ = writeln!(std::io::stderr(), "{message}");
    }
}

/// What a line typed at a prompt means.
#[derive(Debug, PartialEq, Eq)]
enum Typed {
    Input(Input),
    Edit,
    Unknown(String),
    /// A command given without what it needs.
    Usage(&'static str),
}

/// Reads commands typed alone at a prompt; everything else is text. A lone word that starts
/// with `/` but is no command is reported rather than submitted as an answer, because it is
/// almost always a typo for one.
fn parse(line: &str, kind: PromptKind) -> Typed {
    let trimmed = line.trim();
    let (word, rest) = match trimmed.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (trimmed, ""),
    };
    match (word, rest.is_empty()) {
        ("/hint", true) => Typed::Input(Input::Hint),
        ("/skip" | "/done" | "/next", true) => Typed::Input(Input::Next),
        ("/quit" | "/exit", true) => Typed::Input(Input::Quit),
        ("/edit", true) => Typed::Edit,
        ("/ask", false) if kind == PromptKind::Investigation => {
            Typed::Input(Input::Text(rest.to_string()))
        }
        ("/ask", false) => Typed::Input(Input::Ask(rest.to_string())),
        ("/ask", true) => Typed::Usage(
            "Type your question after /ask, for example: /ask did anything deploy recently?",
        ),
        (w, true)
            if w.len() > 1 && w.starts_with('/') && w[1..].chars().all(char::is_alphabetic) =>
        {
            Typed::Unknown(w.to_string())
        }
        _ => Typed::Input(Input::Text(line.to_string())),
    }
}

/// Maps inquire's outcome of a prompt; `Ok(None)` means Ctrl-C or Esc.
fn interrupted<T>(result: Result<T, InquireError>) -> anyhow::Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(InquireError::OperationInterrupted | InquireError::OperationCanceled) => Ok(None),
        Err(InquireError::NotTTY) => Err(NoTerminal.into()),
        Err(e) => Err(anyhow::Error::new(e).context("the terminal prompt failed")),
    }
}

impl AnswerSource for Terminal {
    fn input(&mut self, prompt: &Prompt<'_>) -> anyhow::Result<Input> {
        loop {
            let typed = inquire::Text::new(prompt.message)
                .with_help_message(Terminal::help(prompt))
                .with_render_config(self.render)
                .prompt();
            let Some(line) = interrupted(typed)? else {
                return Ok(Input::Quit);
            };
            match parse(&line, prompt.kind) {
                Typed::Input(input) => return Ok(input),
                Typed::Usage(message) => Terminal::notice(message),
                Typed::Unknown(word) => Terminal::notice(&format!(
                    "{word} is not a command here. Commands: {}",
                    Terminal::help(prompt)
                )),
                Typed::Edit if prompt.kind == PromptKind::Investigation => Terminal::notice(
                    "Ask the coach one short question at a time; no editor needed.",
                ),
                Typed::Edit => match edit() {
                    Ok(text) if text.trim().is_empty() => Terminal::notice(
                        "The editor came back empty; type the answer here instead.",
                    ),
                    Ok(text) => return Ok(Input::Text(text)),
                    Err(message) => {
                        Terminal::notice(&format!("{message}; type the answer here instead."))
                    }
                },
            }
        }
    }

    fn confirm(&mut self, question: &str, default: bool) -> anyhow::Result<Choice> {
        let answer = inquire::Confirm::new(question)
            .with_default(default)
            .with_render_config(self.render)
            .prompt();
        Ok(match interrupted(answer)? {
            Some(true) => Choice::Yes,
            Some(false) => Choice::No,
            None => Choice::Interrupted,
        })
    }
}

/// The editor command from `$VISUAL`, then `$EDITOR`, split into program and arguments the way a
/// shell splits words. An unset or blank variable is skipped.
pub fn editor_command(
    visual: Option<&str>,
    editor: Option<&str>,
) -> Result<(String, Vec<String>), String> {
    let (name, value) = match (visual, editor) {
        (Some(v), _) if !v.trim().is_empty() => ("VISUAL", v),
        (_, Some(e)) if !e.trim().is_empty() => ("EDITOR", e),
        _ => {
            return Err(
                "No editor is set (set $VISUAL or $EDITOR, for example EDITOR=\"code --wait\")"
                    .to_string(),
            );
        }
    };
    let mut words = shlex::split(value)
        .ok_or_else(|| format!("${name} ({value}) has unbalanced quotes"))?
        .into_iter();
    let program = words
        .next()
        .ok_or_else(|| format!("${name} names no program"))?;
    Ok((program, words.collect()))
}

/// Opens the candidate's editor on an empty temporary file and returns what was saved, or a
/// message saying why no answer came back.
fn edit() -> Result<String, String> {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let (program, args) = editor_command(visual.as_deref(), editor.as_deref())?;
    let file = tempfile::Builder::new()
        .prefix("rehearse-answer-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("Cannot create a file for the editor: {e}"))?;
    let status = Command::new(&program)
        .args(&args)
        .arg(file.path())
        .status()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("Your editor `{program}` was not found"),
            _ => format!("Your editor `{program}` could not start: {e}"),
        })?;
    if !status.success() {
        return Err(format!(
            "Your editor `{program}` exited with {status}, so its text was not used"
        ));
    }
    std::fs::read_to_string(file.path())
        .map_err(|e| format!("Cannot read what the editor saved: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_alone_are_inputs_and_the_rest_is_text() {
        use PromptKind::*;
        assert_eq!(parse(" /hint ", Step), Typed::Input(Input::Hint));
        assert_eq!(parse("/skip", Step), Typed::Input(Input::Next));
        assert_eq!(parse("/done", Investigation), Typed::Input(Input::Next));
        assert_eq!(parse("/quit", FollowUp), Typed::Input(Input::Quit));
        assert_eq!(parse("/edit", Step), Typed::Edit);
        assert_eq!(
            parse("/ask what changed?", Step),
            Typed::Input(Input::Ask("what changed?".into()))
        );
        assert_eq!(
            parse("/ask what changed?", Investigation),
            Typed::Input(Input::Text("what changed?".into()))
        );
        assert_eq!(parse("/hnt", Step), Typed::Unknown("/hnt".into()));
        assert!(matches!(parse("/ask", Step), Typed::Usage(_)));
        assert_eq!(
            parse("/api/orders is slow", Step),
            Typed::Input(Input::Text("/api/orders is slow".into()))
        );
        assert_eq!(
            parse("/hint me please", Step),
            Typed::Input(Input::Text("/hint me please".into()))
        );
    }

    #[test]
    fn editor_is_split_like_a_shell_and_visual_wins() {
        assert_eq!(
            editor_command(None, Some("code --wait")),
            Ok(("code".into(), vec!["--wait".into()]))
        );
        assert_eq!(
            editor_command(Some("'/opt/My Editor/bin/ed' -n"), Some("vi")),
            Ok(("/opt/My Editor/bin/ed".into(), vec!["-n".into()]))
        );
        assert_eq!(
            editor_command(Some("  "), Some("vi")),
            Ok(("vi".into(), vec![]))
        );
        assert!(
            editor_command(None, None)
                .unwrap_err()
                .contains("No editor is set")
        );
        assert!(
            editor_command(None, Some("vi 'oops"))
                .unwrap_err()
                .contains("unbalanced")
        );
    }
}
