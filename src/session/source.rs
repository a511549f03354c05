//! Where a session's input comes from: the answer-source trait, the domain values it yields, and
//! a scripted source that drives the very same session logic in tests.
//!
//! The session never sees a key code or a terminal error: a source turns whatever the candidate
//! did (typed text, a `/hint` command, Ctrl-C, Esc, an editor) into an [`Input`]. The terminal
//! adapter in `crate::terminal` is the real source; [`Scripted`] replays a fixed list of inputs
//! and echoes them into a transcript so session tests read like the screen a candidate sees.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Write;
use std::rc::Rc;

/// What a prompt is for; decides which commands make sense there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// The investigation phase of a degradation: the candidate asks the coach questions.
    Investigation,
    /// One step of the question.
    Step,
    /// The follow-up tension question.
    FollowUp,
    /// After the feedback: go on, or ask for the model answer or every miss first.
    Review,
}

/// A prompt the session wants answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt<'a> {
    /// What the prompt is for.
    pub kind: PromptKind,
    /// The question as asked.
    pub message: &'a str,
    /// Whether `/ask` (a question to the coach about the hidden facts) works here.
    pub can_ask: bool,
    /// Text the candidate had typed when they interrupted this prompt and chose to stay: the
    /// prompt starts with it, so declining to quit loses nothing.
    pub draft: &'a str,
}

/// What the candidate did at a prompt, in domain terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// An answer; in the investigation phase, a question to the coach.
    Text(String),
    /// Show the hint (recorded as used).
    Hint,
    /// Move on: skip this step, or end the investigation phase.
    Next,
    /// A question to the coach in the middle of a step (`/ask ...`).
    Ask(String),
    /// Ctrl-C, Esc or `/quit`: the session asks whether to quit.
    Quit,
    /// Ctrl-C or Esc with text typed at the prompt: the session asks whether to quit, and
    /// gives the text back if the candidate stays.
    Interrupted(String),
    /// `/more`: every missed criterion with its hint, after the feedback.
    More,
    /// `/model`: the model answer, after the feedback.
    Model,
}

/// The answer to a yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Ctrl-C or Esc at the question itself.
    Interrupted,
}

/// A source of candidate input.
pub trait AnswerSource {
    /// Waits for the candidate's input at `prompt`.
    fn input(&mut self, prompt: &Prompt<'_>) -> anyhow::Result<Input>;

    /// Asks a yes/no question; `default` is what Enter alone means.
    fn confirm(&mut self, question: &str, default: bool) -> anyhow::Result<Choice>;
}

/// One scripted step: what the "candidate" does at the next prompt or question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scripted {
    /// Input at a prompt.
    Input(Input),
    /// The answer to a yes/no question.
    Choice(Choice),
}

/// A writer that several owners share, so the scripted source can echo into the same transcript
/// the session writes to.
#[derive(Debug, Clone, Default)]
pub struct SharedBuf(pub Rc<RefCell<Vec<u8>>>);

impl SharedBuf {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Text as echoed: a pasted essay would drown the transcript, so the middle of anything longer
/// than a few lines is left out.
fn shorten(text: &str) -> String {
    const KEEP: usize = 300;
    if text.chars().count() <= KEEP {
        return text.to_string();
    }
    let head: String = text.chars().take(KEEP).collect();
    format!("{head}[... {} characters in all]", text.chars().count())
}

/// Replays a script. Runs out as a quit, so a test that forgets an answer ends instead of looping.
#[derive(Debug)]
pub struct ScriptedSource {
    script: VecDeque<Scripted>,
    echo: SharedBuf,
}

impl ScriptedSource {
    /// A source that replays `script` and echoes each prompt and input into `echo`.
    pub fn new(script: impl IntoIterator<Item = Scripted>, echo: SharedBuf) -> Self {
        ScriptedSource {
            script: script.into_iter().collect(),
            echo,
        }
    }

    /// How many scripted steps were not used.
    pub fn remaining(&self) -> usize {
        self.script.len()
    }
}

impl AnswerSource for ScriptedSource {
    fn input(&mut self, prompt: &Prompt<'_>) -> anyhow::Result<Input> {
        let input = match self.script.pop_front() {
            Some(Scripted::Input(input)) => input,
            Some(Scripted::Choice(c)) => {
                anyhow::bail!("script expected input at {:?}, has {c:?}", prompt.message)
            }
            None => Input::Quit,
        };
        let shown = match &input {
            Input::Text(t) => shorten(t),
            Input::Hint => "/hint".to_string(),
            Input::Next => "/done".to_string(),
            Input::Ask(q) => format!("/ask {q}"),
            Input::Quit => "^C".to_string(),
            Input::Interrupted(draft) => format!("{draft}^C"),
            Input::More => "/more".to_string(),
            Input::Model => "/model".to_string(),
        };
        if prompt.draft.is_empty() {
            // Cleaned as the terminal cleans it, so the transcript is the screen a candidate sees.
            writeln!(
                self.echo,
                "? {}\n> {shown}",
                crate::safe_text::clean(prompt.message)
            )?;
        } else {
            // What the prompt started with, then what the candidate did.
            writeln!(
                self.echo,
                "? {}\n[{}]\n> {shown}",
                crate::safe_text::clean(prompt.message),
                shorten(prompt.draft)
            )?;
        }
        Ok(input)
    }

    fn confirm(&mut self, question: &str, default: bool) -> anyhow::Result<Choice> {
        let choice = match self.script.pop_front() {
            Some(Scripted::Choice(c)) => c,
            Some(Scripted::Input(i)) => {
                anyhow::bail!("script expected a choice at {question:?}, has {i:?}")
            }
            None => Choice::Interrupted,
        };
        let shown = match choice {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Interrupted => "^C",
        };
        let hint = if default { "Y/n" } else { "y/N" };
        writeln!(self.echo, "? {question} ({hint})\n> {shown}")?;
        Ok(choice)
    }
}
