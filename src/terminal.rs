//! The terminal adapter: the one place that talks to inquire, turning prompts, key presses and
//! the candidate's editor into the domain [`Input`]s the session understands.
//!
//! Typed input is multi-line (Alt+Enter starts a new line, and a pasted block keeps its line
//! breaks). A handful of commands typed alone at a prompt (`/hint`, `/skip`, `/done`, `/edit`,
//! `/ask ...`, `/more`, `/model`, `/quit`) become domain inputs; Ctrl-C and Esc become
//! [`Input::Quit`], or [`Input::Interrupted`] with the text typed so far, so the session can ask
//! whether to quit and give the text back when the candidate stays. `/edit` (alone, or after
//! text already typed) opens `$VISUAL` or `$EDITOR`, split into words like a shell would (so
//! `EDITOR="code --wait"` works), on a file holding the question as `#` comment lines and the
//! text so far; the answer is shown back and submitted only when the candidate says so. Without
//! an editor, or when it fails, the candidate is told why and keeps typing at the prompt.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::process::Command;
use std::rc::Rc;

use inquire::autocompletion::{Autocomplete, Replacement};
use inquire::error::{CustomUserError, InquireError};
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
    /// The width of standard error, where prompts and the `/edit` read-back are drawn.
    width: Option<usize>,
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
            width: crate::style::stderr_width(),
        }
    }

    fn help(prompt: &Prompt<'_>) -> &'static str {
        match prompt.kind {
            // Each fits on one line of an 80-column terminal with inquire's brackets: a longer
            // one is cut off at the edge on the first draw.
            PromptKind::Review => "Enter goes on · /model · /more · Esc or Ctrl-C to quit",
            PromptKind::Investigation => {
                "Enter asks · /done when ready for hypotheses · /hint · Esc or Ctrl-C to quit"
            }
            _ if prompt.can_ask => {
                "Enter: submit · Alt+Enter: new line · /edit /ask /hint /skip · Esc: quit"
            }
            _ => "Enter: submit · Alt+Enter: new line · /edit /hint /skip · Esc: quit",
        }
    }

    /// Tells the candidate something about the prompt itself (not part of the session
    /// transcript), on standard error where the prompts are drawn.
    fn notice(message: &str) {
        let _ = writeln!(std::io::stderr(), "{message}");
    }
}

/// Keeps a copy of what is typed at a prompt. inquire hands the input to an autocompleter on
/// every change and gives nothing back on Ctrl-C, so this "autocompleter" (it never suggests
/// anything) is how the half-typed answer survives an interrupt.
#[derive(Clone, Default)]
struct Draft(Rc<RefCell<String>>);

impl Autocomplete for Draft {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        input.clone_into(&mut self.0.borrow_mut());
        Ok(Vec::new())
    }

    fn get_completion(
        &mut self,
        _input: &str,
        _highlighted: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        Ok(Replacement::None)
    }
}

/// What a line typed at a prompt means.
#[derive(Debug, PartialEq, Eq)]
enum Typed {
    Input(Input),
    /// `/edit`, alone or after text already typed (which the editor starts with).
    Edit(String),
    Unknown(String),
    /// A command given without what it needs.
    Usage(&'static str),
}

/// Reads commands typed alone at a prompt; everything else is text. A lone word that starts
/// with `/` but is no command is reported rather than submitted as an answer, because it is
/// almost always a typo for one.
fn parse(line: &str, kind: PromptKind) -> Typed {
    let trimmed = line.trim();
    if let Some(before) = trimmed.strip_suffix("/edit")
        && (before.is_empty() || before.ends_with(char::is_whitespace))
    {
        return Typed::Edit(before.trim_end().to_string());
    }
    let (word, rest) = match trimmed.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (trimmed, ""),
    };
    match (word, rest.is_empty()) {
        ("/hint", true) => Typed::Input(Input::Hint),
        ("/skip" | "/done" | "/next", true) => Typed::Input(Input::Next),
        ("/quit" | "/exit", true) => Typed::Input(Input::Quit),
        ("/more", true) => Typed::Input(Input::More),
        ("/model", true) => Typed::Input(Input::Model),
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
        let mut initial = prompt.draft.to_string();
        loop {
            let draft = Draft::default();
            // The prompt is a step or follow-up from a pack: untrusted, and inquire draws it raw.
            let message = fit(&crate::safe_text::clean(prompt.message), self.width);
            let typed = inquire::Text::new(&message)
                .with_help_message(Terminal::help(prompt))
                .with_render_config(self.render)
                .with_initial_value(&initial)
                .with_autocomplete(draft.clone())
                .prompt();
            let Some(line) = interrupted(typed)? else {
                let typed = draft.0.take();
                return Ok(if typed.trim().is_empty() {
                    Input::Quit
                } else {
                    Input::Interrupted(typed)
                });
            };
            initial.clear();
            match parse(&line, prompt.kind) {
                Typed::Input(input) => return Ok(input),
                Typed::Usage(message) => Terminal::notice(message),
                Typed::Unknown(word) => Terminal::notice(&format!(
                    "{word} is not a command here. Commands: {}",
                    Terminal::help(prompt)
                )),
                Typed::Edit(_) if prompt.kind == PromptKind::Investigation => Terminal::notice(
                    "Ask the coach one short question at a time; no editor needed.",
                ),
                Typed::Edit(_) if prompt.kind == PromptKind::Review => {
                    Terminal::notice("The answer is already scored; Enter goes on.")
                }
                Typed::Edit(typed) => match self.edit_and_confirm(prompt.message, typed)? {
                    Edited::Submit(text) => return Ok(Input::Text(text)),
                    Edited::Back(text) => initial = text,
                },
            }
        }
    }

    fn confirm(&mut self, question: &str, default: bool) -> anyhow::Result<Choice> {
        let question = fit(&crate::safe_text::clean(question), self.width);
        let answer = inquire::Confirm::new(&question)
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

/// How an editing round ended.
enum Edited {
    /// The candidate read the answer back and submitted it.
    Submit(String),
    /// Back to the prompt, starting with this text.
    Back(String),
}

impl Terminal {
    /// Opens the editor on the question and `text`, shows what came back, and asks whether to
    /// submit it; "no" opens the editor again on it. An editor that fails or comes back empty
    /// returns to the prompt with the text so far.
    fn edit_and_confirm(&mut self, question: &str, mut text: String) -> anyhow::Result<Edited> {
        loop {
            match edit(question, &text) {
                Ok(answer) if answer.trim().is_empty() => {
                    Terminal::notice("The editor came back empty; type the answer here instead.");
                    return Ok(Edited::Back(text));
                }
                Ok(answer) => text = answer,
                Err(message) => {
                    Terminal::notice(&format!("{message}; type the answer here instead."));
                    return Ok(Edited::Back(text));
                }
            }
            Terminal::notice(&read_back(&text, self.width));
            let submit = inquire::Confirm::new("Submit this answer? (No opens the editor again)")
                .with_default(true)
                .with_render_config(self.render)
                .prompt();
            match interrupted(submit)? {
                Some(true) => return Ok(Edited::Submit(text)),
                Some(false) => {}
                None => return Ok(Edited::Back(text)),
            }
        }
    }
}

/// A prompt's message re-flowed to the terminal: inquire draws it as it is, after `? `, so a
/// follow-up carrying its pack's ~95-column line breaks (or any long line) would break mid-word
/// at the terminal's edge. Two columns are kept for the `? `.
fn fit(message: &str, width: Option<usize>) -> String {
    crate::reflow::reflow(message, width.map(|w| w.saturating_sub(2)), "")
}

/// The answer shown back after the editor, before it is submitted: its length, then the text
/// indented and re-flowed to the terminal's `width` like every other prose on screen (lists and
/// code keep their lines), with control characters shown rather than obeyed.
fn read_back(text: &str, width: Option<usize>) -> String {
    let words = crate::text::word_count(text);
    format!(
        "\nYour answer ({}):\n{}\n",
        crate::plural::plural(words, "word", "words"),
        crate::reflow::reflow(&crate::safe_text::clean(text), width, "  ")
    )
}

/// Marks the lines of the editor file that are not part of the answer.
const COMMENT: &str = "#";

/// The file the editor opens: the question as comment lines, then the answer so far.
fn editor_file(question: &str, text: &str) -> String {
    // Comment lines of at most 74 columns, so an editor in an 80-column terminal shows each whole.
    let comments = |file: &mut String, text: &str| {
        for line in textwrap::wrap(text, 72) {
            file.push_str(&format!("{COMMENT} {line}\n"));
        }
    };
    let mut file = String::new();
    comments(&mut file, question.trim());
    file.push_str(&format!("{COMMENT}\n"));
    comments(
        &mut file,
        &format!(
            "Write your answer below. Lines starting with {COMMENT} are left out; save and close \
             the editor to go on."
        ),
    );
    file.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        file.push('\n');
    }
    file
}

/// The answer in what the editor saved: every comment line left out, the rest as written.
fn answer_from_file(saved: &str) -> String {
    saved
        .lines()
        .filter(|l| !l.starts_with(COMMENT))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Opens the candidate's editor on the question and `text` and returns the answer saved, or a
/// message saying why no answer came back.
fn edit(question: &str, text: &str) -> Result<String, String> {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let (program, args) = editor_command(visual.as_deref(), editor.as_deref())?;
    let mut file = tempfile::Builder::new()
        .prefix("rehearse-answer-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("Cannot create a file for the editor: {e}"))?;
    file.write_all(editor_file(question, text).as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("Cannot write the file for the editor: {e}"))?;
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
        .map(|saved| answer_from_file(&saved))
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
        assert_eq!(parse("/edit", Step), Typed::Edit(String::new()));
        assert_eq!(
            parse("First I ask what changed. /edit", Step),
            Typed::Edit("First I ask what changed.".into())
        );
        assert_eq!(parse("/more", Review), Typed::Input(Input::More));
        assert_eq!(parse("/model", Review), Typed::Input(Input::Model));
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
    fn a_prompt_is_fitted_to_the_terminal_after_its_question_mark() {
        let ask = "Suppose the hourly spikes are fixed. The CTO asks what would protect the\n\
                   services behind the product API from the next sudden surge, whatever\n\
                   causes it. What do you answer?\n";
        let shown = fit(ask, Some(80));
        assert!(shown.starts_with("Suppose the hourly spikes are fixed. The CTO asks what would"));
        for line in shown.lines() {
            assert!(
                line.chars().count() <= 78,
                "{line:?} leaves no room for `? `"
            );
        }
        assert_eq!(
            shown.split_whitespace().count(),
            ask.split_whitespace().count()
        );
        assert_eq!(fit("Quit?", None), "Quit?");
    }

    #[test]
    fn every_help_line_fits_an_80_column_terminal() {
        for kind in [
            PromptKind::Step,
            PromptKind::FollowUp,
            PromptKind::Investigation,
            PromptKind::Review,
        ] {
            for can_ask in [false, true] {
                let prompt = Prompt {
                    kind,
                    message: "",
                    can_ask,
                    draft: "",
                };
                let help = Terminal::help(&prompt);
                assert!(
                    help.chars().count() + 2 <= 80,
                    "{help:?} is cut off at 80 columns"
                );
            }
        }
    }

    #[test]
    fn the_answer_read_back_fits_the_terminal_and_keeps_its_lists() {
        let text = "First I would ask what changed this week, because a release or a config \
                    change explains most sudden regressions.\n\n- deploys\n- flags\n";
        let shown = read_back(text, Some(40));
        assert!(shown.starts_with("\nYour answer (21 words):\n  First I would ask"));
        for line in shown.lines() {
            assert!(
                line.chars().count() <= 40,
                "{line:?} is wider than 40 columns"
            );
        }
        assert!(shown.contains("\n  - deploys\n  - flags\n"), "{shown}");
        // Not a terminal: the candidate's own line breaks, indented.
        assert_eq!(
            read_back("one\ntwo", None),
            "\nYour answer (2 words):\n  one\n  two\n"
        );
        assert_eq!(
            read_back("x\u{1b}[2J", None),
            "\nYour answer (2 words):\n  x^[[2J\n"
        );
    }

    #[test]
    fn the_editor_file_carries_the_question_as_comments_the_answer_leaves_out() {
        let file = editor_file("What do you check first?", "Deploys, then p99.");
        assert!(file.starts_with("# What do you check first?\n#\n# Write your answer below."));
        assert!(file.ends_with("\nDeploys, then p99.\n"), "{file}");
        let long = editor_file(&"Which explanations do you consider? ".repeat(6), "");
        for line in long.lines() {
            assert!(
                line.chars().count() <= 74,
                "{line:?} wraps in an 80-column editor"
            );
        }
        let saved = format!("{file}And the pool.\n# a note to self\n");
        assert_eq!(
            answer_from_file(&saved),
            "Deploys, then p99.\nAnd the pool."
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
