//! The practice session: a mock interview run question by question, written against domain
//! values only.
//!
//! [`Session::run`] shows each planned question, runs the investigation phase of a degradation
//! (the coach answers from the question's hidden facts), asks every step and the follow-up,
//! scores the answer with the rubric, records the attempt in the history store, shows the
//! feedback and offers the model answer; at the end it prints a summary across questions. Input
//! arrives through an [`AnswerSource`] (the terminal, or a script in tests), output goes to an
//! injected writer, time comes from a [`Clock`], and the state is saved to the session journal
//! after every answer so quitting loses nothing and `--resume` continues where it stopped.

pub mod coach;
pub mod plan;
pub mod source;
pub mod state;
pub mod summary;

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use jiff::Timestamp;

use crate::answer::{Answer, AnswerPart};
use crate::feedback::Detail;
use crate::history::journal;
use crate::history::record::{Source, attempt_for};
use crate::history::store;
use crate::judge::Judge;
use crate::model::pack::{Dimension, Fact, FollowUp, Kind, Question, Step};
use crate::pack::{Bank, Entry};
use crate::rubric::Evaluation;
use crate::style::Style;
use coach::Coach;
use source::{AnswerSource, Choice, Input, Prompt, PromptKind};
use state::{Progress, QuestionResult, SessionState};

/// Longest answer kept, in characters: about 5,000 words, far more than an interview answer
/// needs, and small enough that a runaway paste cannot make scoring or the history file balloon.
pub const MAX_ANSWER_CHARS: usize = 30_000;

pub use crate::clock::{Clock, SystemClock};
use crate::plural::plural;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every planned question was answered.
    Finished,
    /// The candidate chose to quit; the journal holds everything answered so far.
    Quit,
}

/// Everything a session needs from outside.
pub struct Session<'a> {
    /// Where the questions come from.
    pub bank: &'a Bank,
    /// The data directory (journal and history).
    pub data_dir: &'a Path,
    /// The candidate.
    pub source: &'a mut dyn AnswerSource,
    /// Where the session is shown.
    pub out: &'a mut dyn Write,
    /// Time.
    pub clock: &'a dyn Clock,
    /// How `out` looks: colour, and the width prose is re-flowed to.
    pub style: Style,
    /// Feedback in full (`practice --verbose`): every miss with its hint and what every hidden
    /// fact said, instead of the brief view with `/more`.
    pub verbose: bool,
    /// The state, saved to the journal as it changes.
    pub state: SessionState,
}

/// `writeln!` to the session's output, each line filled to the terminal's width.
macro_rules! say {
    ($session:expr, $($arg:tt)*) => {
        $session.say(&format!($($arg)*))
    };
}

/// Control flow out of a prompt loop: go on, or the candidate quit.
enum Flow<T> {
    Go(T),
    Quit,
}

/// What the candidate is doing within a question, so one prompt loop serves every phase.
#[derive(Clone, Copy)]
enum Phase<'q> {
    Investigation,
    Step(&'q Step),
    FollowUp(&'q FollowUp),
}

impl<'a> Session<'a> {
    /// Runs the session from wherever its state says it stands.
    pub fn run(&mut self) -> anyhow::Result<Outcome> {
        self.save()?;
        while !self.state.is_finished() {
            let index = self.state.results.len();
            let address = self.state.plan[index].question.clone();
            let entry = self.bank.find(&address).map_err(|e| {
                anyhow::anyhow!(
                    "the session's question `{address}` is not in the loaded packs ({e}); \
                     load the same packs with --bank to resume it"
                )
            })?;
            if let Outcome::Quit = self.run_question(index, entry)? {
                return Ok(Outcome::Quit);
            }
        }
        summary::write(self.out, &self.state, self.style)?;
        journal::remove(self.data_dir, &self.state.id)?;
        self.out.flush()?;
        Ok(Outcome::Finished)
    }

    fn save(&self) -> anyhow::Result<()> {
        journal::save(self.data_dir, &self.state.id, &self.state)
            .context("cannot save the session journal")
    }

    fn progress(&mut self) -> &mut Progress {
        self.state.current.get_or_insert_with(Progress::default)
    }

    /// Writes a message, each of its lines filled to the width.
    fn say(&mut self, text: &str) -> std::io::Result<()> {
        let filled = self.style.fill_lines(text);
        writeln!(self.out, "{filled}")
    }

    fn bold(&self, text: &str) -> String {
        self.style.bold(text)
    }

    fn dim(&self, text: &str) -> String {
        self.style.dim(text)
    }

    /// Seconds spent on the current question: earlier sittings plus this one.
    fn elapsed(&self, sitting: Timestamp) -> u64 {
        let now = self.clock.now();
        let this = now.duration_since(sitting).as_secs().max(0) as u64;
        self.state
            .current
            .as_ref()
            .map_or(0, |p| p.elapsed_secs)
            .saturating_add(this)
    }

    fn run_question(&mut self, index: usize, entry: Entry<'_>) -> anyhow::Result<Outcome> {
        let question = entry.question;
        let steps = entry.steps();
        let follow_up = self.state.plan[index]
            .follow_up
            .as_deref()
            .and_then(|id| question.follow_ups.iter().find(|f| f.id == id));
        // The pack's own rubric (its rubric.yaml and manifest additions), compiled once per pack.
        let rubric = entry.pack.rubric().map_err(|e| {
            anyhow::anyhow!(
                "the rubric of pack `{}` is not usable: {e}",
                entry.pack.meta.id
            )
        })?;
        let facts = Coach::new(rubric, question);
        let judge = crate::judge::for_pack(entry.pack).map_err(|e| {
            anyhow::anyhow!(
                "the rubric of pack `{}` is not usable: {e}",
                entry.pack.meta.id
            )
        })?;
        let sitting = self.clock.now();
        let resumed = self.state.current.is_some();

        self.write_header(index, entry, resumed)?;

        // The investigation phase: only a degradation with hidden facts has one.
        let has_investigation = question.kind == Kind::Degradation && !question.facts.is_empty();
        if has_investigation && !self.progress().investigation_done {
            say!(
                self,
                "\n{}\nAsk the coach what you would want to know, one question at a time, in your \
                 own words.\nType /done when you are ready to give your hypotheses, /hint for a \
                 nudge.",
                self.bold("Investigation"),
            )?;
            if let Flow::Quit = self.prompt_loop(Phase::Investigation, question, &facts, sitting)? {
                return self.quit(sitting);
            }
            self.progress().investigation_done = true;
            self.save()?;
        } else if !has_investigation {
            self.progress().investigation_done = true;
        }

        // The steps not answered yet, in order.
        let answered = self.progress().parts.len();
        for (i, step) in steps.iter().enumerate().skip(answered) {
            self.write_step_header(i, steps.len(), step, question, sitting)?;
            match self.prompt_loop(Phase::Step(step), question, &facts, sitting)? {
                Flow::Go(text) => {
                    self.progress().parts.push(AnswerPart {
                        step: Some(step.id.clone()),
                        text,
                    });
                    self.save()?;
                }
                Flow::Quit => return self.quit(sitting),
            }
        }

        if let Some(follow) = follow_up
            && self.progress().follow_up.is_none()
        {
            let note = self.clock_note(question, sitting);
            say!(self, "\n{} {}", self.bold("Follow-up"), self.dim(&note))?;
            match self.prompt_loop(Phase::FollowUp(follow), question, &facts, sitting)? {
                Flow::Go(text) => {
                    self.progress().follow_up = Some(text);
                    self.save()?;
                }
                Flow::Quit => return self.quit(sitting),
            }
        }

        let (evaluation, uncovered) =
            self.finish_question(index, entry, &*judge, follow_up, sitting)?;
        self.after_feedback(&evaluation, question, &steps, follow_up, &uncovered)
    }

    fn write_header(
        &mut self,
        index: usize,
        entry: Entry<'_>,
        resumed: bool,
    ) -> anyhow::Result<()> {
        let q = entry.question;
        let total = self.state.plan.len();
        let budget = q
            .time_budget
            .map(|m| format!(" · time budget {m} min"))
            .unwrap_or_default();
        say!(
            self,
            "\n{}\n{}",
            self.bold(&format!(
                "== Question {} of {total}: {} ==",
                index + 1,
                q.title
            )),
            self.dim(&format!(
                "{} · {} · {}{budget}",
                entry.qualified_id(),
                q.kind,
                q.level()
            ))
        )?;
        writeln!(self.out, "{}", self.style.prose(&q.prompt, ""))?;
        if resumed {
            let p = self.state.current.clone().unwrap_or_default();
            let mut done = Vec::new();
            if !p.investigation.is_empty() {
                done.push(plural(
                    p.investigation.len(),
                    "question to the coach",
                    "questions to the coach",
                ));
            }
            if !p.parts.is_empty() {
                done.push(plural(p.parts.len(), "step answered", "steps answered"));
            }
            if !done.is_empty() {
                say!(
                    self,
                    "\nResuming with what you gave before: {}.",
                    done.join(", ")
                )?;
            }
        }
        Ok(())
    }

    fn write_step_header(
        &mut self,
        i: usize,
        total: usize,
        step: &Step,
        question: &Question,
        sitting: Timestamp,
    ) -> anyhow::Result<()> {
        let note = self.clock_note(question, sitting);
        say!(
            self,
            "\n{} {}",
            self.bold(&format!("Step {} of {total} · {}", i + 1, step.id)),
            self.dim(&note)
        )?;
        Ok(())
    }

    /// "(3 min of 20)": the time spent against the budget, shown above every prompt.
    fn clock_note(&self, question: &Question, sitting: Timestamp) -> String {
        let minutes = self.elapsed(sitting) / 60;
        match question.time_budget {
            Some(budget) => format!("({minutes} min of {budget})"),
            None => format!("({minutes} min)"),
        }
    }

    /// Says once, as soon as it happens, that the budget is past; the candidate is never cut off.
    fn note_budget(&mut self, question: &Question, sitting: Timestamp) -> anyhow::Result<()> {
        let minutes = self.elapsed(sitting) / 60;
        if let Some(budget) = question.time_budget
            && minutes > u64::from(budget)
            && !self.progress().over_budget_noted
        {
            self.progress().over_budget_noted = true;
            say!(
                self,
                "{}",
                self.dim(&format!(
                    "You are past the {budget} min budget ({minutes} min). Take the time you \
                     need; the feedback notes it."
                ))
            )?;
            self.save()?;
        }
        Ok(())
    }

    /// Asks until the candidate gives an answer for `phase` (or ends the investigation), handling
    /// hints, questions to the coach and quit requests on the way.
    fn prompt_loop(
        &mut self,
        phase: Phase<'_>,
        question: &Question,
        facts: &Coach<'_>,
        sitting: Timestamp,
    ) -> anyhow::Result<Flow<String>> {
        let (kind, message, hint, hint_id, min_words) = match phase {
            Phase::Investigation => (
                PromptKind::Investigation,
                "Ask the coach:",
                Some(INVESTIGATION_HINT),
                "investigation",
                None,
            ),
            Phase::Step(step) => (
                PromptKind::Step,
                step.ask.as_str(),
                step.hint.as_deref(),
                step.id.as_str(),
                step.min_words,
            ),
            Phase::FollowUp(f) => (
                PromptKind::FollowUp,
                f.ask.as_str(),
                f.hint.as_deref(),
                "follow-up",
                None,
            ),
        };
        let can_ask = question.kind == Kind::Degradation && !question.facts.is_empty();
        let mut draft = String::new();
        loop {
            self.out.flush()?;
            let prompt = Prompt {
                kind,
                message,
                can_ask: can_ask && kind != PromptKind::Investigation,
                draft: &draft,
            };
            let input = self.source.input(&prompt)?;
            draft.clear();
            match input {
                Input::Quit => {
                    if self.confirm_quit()? {
                        return Ok(Flow::Quit);
                    }
                }
                Input::Interrupted(typed) => {
                    if self.confirm_quit()? {
                        return Ok(Flow::Quit);
                    }
                    draft = typed;
                }
                Input::More | Input::Model => {
                    say!(
                        self,
                        "/more and /model work once the answer is scored; answer first."
                    )?;
                }
                Input::Hint => {
                    match hint {
                        Some(h) => writeln!(
                            self.out,
                            "{}",
                            self.style
                                .fill(&format!("{} {}", self.bold("Hint:"), h.trim()), "")
                        )?,
                        None => say!(self, "There is no hint for this one.")?,
                    }
                    let p = self.progress();
                    if hint.is_some() && !p.hints_used.iter().any(|h| h == hint_id) {
                        p.hints_used.push(hint_id.to_string());
                    }
                    self.save()?;
                }
                Input::Next if kind == PromptKind::Investigation => {
                    self.write_investigation_close()?;
                    return Ok(Flow::Go(String::new()));
                }
                Input::Next => {
                    say!(self, "Skipped; a skipped answer earns nothing.")?;
                    return Ok(Flow::Go(String::new()));
                }
                Input::Ask(_) if !can_ask => {
                    say!(
                        self,
                        "There is no coach to ask in this question; answer with what you know."
                    )?;
                }
                Input::Ask(asked) => {
                    let asked = self.limit_length(asked.trim())?;
                    self.ask_coach(&asked, facts, false)?;
                }
                Input::Text(text) if kind == PromptKind::Investigation => {
                    if text.trim().is_empty() {
                        say!(
                            self,
                            "Type a question for the coach, or /done when you are ready."
                        )?;
                    } else {
                        let text = self.limit_length(text.trim())?;
                        self.ask_coach(&text, facts, true)?;
                    }
                }
                Input::Text(text) => {
                    let text = text.trim();
                    if text.is_empty() {
                        say!(
                            self,
                            "An empty answer earns nothing. Write your answer, /hint for a nudge, \
                             or /skip to move on."
                        )?;
                        continue;
                    }
                    let text = self.limit_length(text)?;
                    let words = crate::text::word_count(&text);
                    if let Some(min) = min_words
                        && words < min as usize
                    {
                        say!(
                            self,
                            "Noted. That is {}; answers here usually need at least {min}.",
                            plural(words, "word", "words")
                        )?;
                    }
                    self.note_budget(question, sitting)?;
                    return Ok(Flow::Go(text));
                }
            }
        }
    }

    fn limit_length(&mut self, text: &str) -> anyhow::Result<String> {
        match text.char_indices().nth(MAX_ANSWER_CHARS) {
            None => Ok(text.to_string()),
            Some((cut, _)) => {
                say!(
                    self,
                    "That answer is very long ({} characters); the first {MAX_ANSWER_CHARS} are \
                     kept and scored.",
                    text.chars().count()
                )?;
                Ok(text[..cut].to_string())
            }
        }
    }

    /// The coach answers `asked` from the hidden facts; `investigation` says whether it counts as
    /// asked before the first hypothesis.
    fn ask_coach(
        &mut self,
        asked: &str,
        facts: &Coach<'_>,
        investigation: bool,
    ) -> anyhow::Result<()> {
        let found = facts.reveal(asked);
        if found.is_empty() {
            say!(
                self,
                "{} There is no information on that.",
                self.bold("Coach:")
            )?;
        }
        for fact in &found {
            let again = self
                .state
                .current
                .as_ref()
                .is_some_and(|p| p.facts_uncovered.contains(&fact.id));
            let heading = format!("Coach ({}):", fact.about);
            if again {
                // Said once already, above: a pointer, not the whole text again.
                say!(self, "{} already answered above.", self.bold(&heading))?;
            } else {
                say!(self, "{}", self.bold(&heading))?;
                writeln!(self.out, "{}", self.style.prose(&fact.reveal, "  "))?;
            }
        }
        let p = self.progress();
        if investigation {
            p.investigation.push(asked.to_string());
        }
        for fact in found {
            if !p.facts_uncovered.contains(&fact.id) {
                p.facts_uncovered.push(fact.id.clone());
            }
        }
        self.save()
    }

    fn write_investigation_close(&mut self) -> anyhow::Result<()> {
        let p = self.progress();
        let asked = plural(p.investigation.len(), "question", "questions");
        let found = plural(p.facts_uncovered.len(), "fact", "facts");
        say!(
            self,
            "Investigation closed: {asked} asked, {found} uncovered."
        )?;
        Ok(())
    }

    /// Asks whether to quit; a second Ctrl-C or Esc counts as yes.
    fn confirm_quit(&mut self) -> anyhow::Result<bool> {
        self.out.flush()?;
        let choice = self.source.confirm(
            "Quit the session? Everything answered so far is kept, and `rehearse practice \
             --resume` continues here.",
            false,
        )?;
        Ok(matches!(choice, Choice::Yes | Choice::Interrupted))
    }

    fn quit(&mut self, sitting: Timestamp) -> anyhow::Result<Outcome> {
        let elapsed = self.elapsed(sitting);
        self.progress().elapsed_secs = elapsed;
        self.save()?;
        say!(
            self,
            "\nSession saved. Continue it with: rehearse practice --resume"
        )?;
        self.out.flush()?;
        Ok(Outcome::Quit)
    }

    fn finish_question(
        &mut self,
        index: usize,
        entry: Entry<'_>,
        judge: &dyn Judge<'_>,
        follow_up: Option<&FollowUp>,
        sitting: Timestamp,
    ) -> anyhow::Result<(Evaluation, Vec<String>)> {
        let question = entry.question;
        let elapsed = self.elapsed(sitting);
        let progress = self.state.current.clone().unwrap_or_default();
        let answer = Answer {
            parts: progress.parts.clone(),
            follow_up: progress.follow_up.clone(),
            investigation: progress.investigation.clone(),
        }
        .without_invisible();
        let evaluation = judge.evaluate(question, &answer);
        let fingerprint = judge.fingerprint(question)?;
        let mut attempt = attempt_for(
            self.clock.now(),
            Source::Practice,
            entry,
            answer,
            &evaluation,
            fingerprint,
        )?;
        attempt.follow_up = follow_up.map(|f| f.id.clone());
        attempt.hints_used = progress.hints_used.clone();
        attempt.facts_uncovered = progress.facts_uncovered.clone();
        attempt.seed = Some(self.state.seed);
        attempt.time_taken_secs = Some(elapsed);
        let stored = store::append(self.data_dir, attempt)
            .context("cannot record the attempt in the history")?;

        self.state.results.push(result_of(
            &self.state.plan[index].question,
            question.kind,
            &evaluation,
        ));
        self.state.current = None;
        self.save()?;

        say!(self, "\n{}", self.bold("== Feedback =="))?;
        let detail = if self.verbose {
            Detail::Full
        } else {
            Detail::Brief { more: "/more" }
        };
        write!(
            self.out,
            "{}",
            crate::feedback::render(&evaluation, self.style, detail)
        )?;
        say!(self, "\n{}", time_line(elapsed, question.time_budget))?;
        if question.kind == Kind::Degradation && !question.facts.is_empty() {
            let missed = missed_facts(question, &progress.facts_uncovered);
            if missed.is_empty() {
                say!(self, "You uncovered every hidden fact.")?;
            } else {
                say!(self, "\n{}", self.bold("Facts you never uncovered:"))?;
                // Brief, like the rest of the feedback: what each fact was about; what it said
                // is one `/more` away (or shown at once with --verbose).
                self.write_facts(&missed, self.verbose)?;
                if !self.verbose {
                    say!(
                        self,
                        "{}",
                        self.dim("/more shows what each of them would have told you.")
                    )?;
                }
            }
        }
        say!(
            self,
            "{}",
            self.dim(&format!(
                "Recorded as attempt {} in your history.",
                stored.id
            ))
        )?;
        Ok((evaluation, progress.facts_uncovered))
    }

    /// The hidden facts the candidate missed: what each was about, and with `reveal` what it
    /// said, re-flowed under it.
    fn write_facts(&mut self, facts: &[&Fact], reveal: bool) -> anyhow::Result<()> {
        for fact in facts {
            let herring = if fact.red_herring {
                " (a red herring)"
            } else {
                ""
            };
            say!(self, "  - {}{herring}", fact.about)?;
            if reveal {
                writeln!(self.out, "{}", self.style.prose(&fact.reveal, "    "))?;
            }
        }
        Ok(())
    }

    /// After the feedback: Enter goes on, `/model` shows the model answer, `/more` every miss
    /// the brief feedback left out. Skipped when there is neither to show.
    fn after_feedback(
        &mut self,
        evaluation: &Evaluation,
        question: &Question,
        steps: &[Step],
        follow_up: Option<&FollowUp>,
        uncovered: &[String],
    ) -> anyhow::Result<Outcome> {
        let follow_model = follow_up.and_then(|f| f.model_answer.as_deref());
        let has_model = question.model_answer.is_some() || follow_model.is_some();
        let facts = if question.kind == Kind::Degradation {
            missed_facts(question, uncovered)
        } else {
            Vec::new()
        };
        let misses = !self.verbose && crate::feedback::misses_beyond_next(evaluation) > 0;
        let more = match (misses, !self.verbose && !facts.is_empty()) {
            (false, false) => None,
            (true, false) => Some("/more: every miss"),
            (false, true) => Some("/more: the facts you missed"),
            (true, true) => Some("/more: every miss and fact"),
        };
        let message = match (has_model, more) {
            (false, None) => return Ok(Outcome::Finished),
            (true, Some(more)) => format!("Enter: next question · /model: model answer · {more}"),
            (true, None) => "Enter: next question · /model: model answer".to_string(),
            (false, Some(more)) => format!("Enter: next question · {more}"),
        };
        let prompt = Prompt {
            kind: PromptKind::Review,
            message: &message,
            can_ask: false,
            draft: "",
        };
        writeln!(self.out)?;
        loop {
            self.out.flush()?;
            match self.source.input(&prompt)? {
                Input::Text(t) if t.trim().is_empty() => return Ok(Outcome::Finished),
                Input::Next => return Ok(Outcome::Finished),
                Input::More => {
                    let misses = crate::feedback::render_misses(evaluation, self.style);
                    if misses.is_empty() && facts.is_empty() {
                        say!(self, "This answer missed nothing the rubric looks for.")?;
                    } else if !misses.is_empty() {
                        say!(self, "\n{}", self.bold("== Every miss, with its hint =="))?;
                        write!(self.out, "{misses}")?;
                    }
                    if !facts.is_empty() {
                        say!(
                            self,
                            "\n{}",
                            self.bold("== What the facts you never uncovered said ==")
                        )?;
                        self.write_facts(&facts, true)?;
                    }
                }
                Input::Model if has_model => {
                    self.write_model_answer(question, steps, follow_up)?;
                }
                // The attempt is already recorded, so quitting here loses nothing; the journal
                // already points at the next question.
                Input::Quit | Input::Interrupted(_) => {
                    if self.confirm_quit()? {
                        say!(
                            self,
                            "\nSession saved. Continue it with: rehearse practice --resume"
                        )?;
                        self.out.flush()?;
                        return Ok(Outcome::Quit);
                    }
                }
                _ => say!(self, "The answer is recorded. {message}")?,
            }
        }
    }

    fn write_model_answer(
        &mut self,
        question: &Question,
        steps: &[Step],
        follow_up: Option<&FollowUp>,
    ) -> anyhow::Result<()> {
        say!(self, "\n{}", self.bold("== Model answer =="))?;
        if let Some(model) = &question.model_answer {
            if let Some(text) = &model.text {
                writeln!(self.out, "\n{}", self.style.prose(text, ""))?;
            }
            for step in steps {
                if let Some(text) = model.steps.get(&step.id) {
                    writeln!(
                        self.out,
                        "\n{}\n{}",
                        self.bold(&step.ask),
                        self.style.prose(text, "")
                    )?;
                }
            }
        }
        if let (Some(f), Some(text)) =
            (follow_up, follow_up.and_then(|f| f.model_answer.as_deref()))
        {
            writeln!(
                self.out,
                "\n{}\n{}",
                self.bold(&f.ask),
                self.style.prose(text, "")
            )?;
        }
        Ok(())
    }
}

/// The nudge for the investigation phase.
const INVESTIGATION_HINT: &str = "Ask what changed recently, which requests, users or regions \
     suffer and since when, what the tail latency looks like next to the median, and whether the \
     dashboards can be trusted.";

/// The facts of `question` not among those `uncovered`, in the pack's order.
fn missed_facts<'q>(question: &'q Question, uncovered: &[String]) -> Vec<&'q Fact> {
    question
        .facts
        .iter()
        .filter(|f| !uncovered.contains(&f.id))
        .collect()
}

/// What a finished question contributes to the summary.
fn result_of(address: &str, kind: Kind, evaluation: &Evaluation) -> QuestionResult {
    let mut levels = std::collections::BTreeMap::new();
    let mut misses = std::collections::BTreeMap::new();
    for d in Dimension::ALL {
        let r = evaluation.dimension(d);
        levels.insert(d, r.level);
        misses.insert(
            d,
            r.misses
                .iter()
                .map(|m| (m.criterion.clone(), m.hint.clone()))
                .collect(),
        );
    }
    QuestionResult {
        question: address.to_string(),
        kind,
        overall: evaluation.overall.level,
        levels,
        misses,
    }
}

/// How long the question took against its budget.
fn time_line(elapsed_secs: u64, budget: Option<u32>) -> String {
    // Rounded to the nearest minute: a 40-second answer took "1 min", a 10-second one "0 min"
    // would read as a bug, so anything under half a minute is said as such.
    if elapsed_secs < 30 {
        return match budget {
            Some(b) => format!("Time: under a minute of a {b} min budget."),
            None => "Time: under a minute.".to_string(),
        };
    }
    let minutes = (elapsed_secs + 30) / 60;
    match budget {
        Some(b) if minutes > u64::from(b) => format!(
            "Time: {minutes} min, {} min over the {b} min budget.",
            minutes - u64::from(b)
        ),
        Some(b) => format!("Time: {minutes} min of a {b} min budget."),
        None => format!("Time: {minutes} min."),
    }
}
