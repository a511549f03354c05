//! The interview flow of a practice session: which question comes next, the investigation, the
//! steps and the follow-up, the prompts and what each input does, grading through the pack's
//! judge, recording through the keeper it was handed, and the review after the feedback. What it
//! shows goes through [`View`]; what it keeps goes through [`Keeper`]; it opens no file itself.

use jiff::Timestamp;

use super::coach::Coach;
use super::keeper::Keeper;
use super::source::{AnswerSource, Choice, Input, Prompt, PromptKind};
use super::state::{Progress, QuestionResult, SessionState};
use super::view::{Feedback, INVESTIGATION_HINT, View};
use super::{Clock, MAX_ANSWER_CHARS, Outcome};
use crate::answer::{Answer, AnswerPart};
use crate::history::record::{Source, attempt_for};
use crate::judge::{self, Judge};
use crate::model::pack::{Dimension, Fact, FollowUp, Kind, Question, Step};
use crate::pack::{Bank, Entry};
use crate::rubric::Evaluation;

/// A session under way: what it was handed, and its state.
pub(super) struct Interview<'s> {
    pub bank: &'s Bank,
    pub source: &'s mut dyn AnswerSource,
    pub view: View<'s>,
    pub clock: &'s dyn Clock,
    pub keeper: &'s mut dyn Keeper,
    pub verbose: bool,
    pub state: &'s mut SessionState,
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

/// What a prompt of one phase asks, and with which hint.
struct Ask<'q> {
    kind: PromptKind,
    message: &'q str,
    hint: Option<&'q str>,
    /// What `hints_used` records when the hint is shown.
    hint_id: &'q str,
    min_words: Option<u32>,
}

impl<'q> Ask<'q> {
    fn of(phase: Phase<'q>) -> Self {
        match phase {
            Phase::Investigation => Ask {
                kind: PromptKind::Investigation,
                message: "Ask the coach:",
                hint: Some(INVESTIGATION_HINT),
                hint_id: "investigation",
                min_words: None,
            },
            Phase::Step(step) => Ask {
                kind: PromptKind::Step,
                message: step.ask.as_str(),
                hint: step.hint.as_deref(),
                hint_id: step.id.as_str(),
                min_words: step.min_words,
            },
            Phase::FollowUp(f) => Ask {
                kind: PromptKind::FollowUp,
                message: f.ask.as_str(),
                hint: f.hint.as_deref(),
                hint_id: "follow-up",
                min_words: None,
            },
        }
    }
}

/// Whether the question has a coach to ask: a degradation with hidden facts.
fn has_coach(question: &Question) -> bool {
    question.kind == Kind::Degradation && !question.facts.is_empty()
}

impl Interview<'_> {
    /// Runs the session from wherever its state says it stands.
    pub(super) fn run(&mut self) -> anyhow::Result<Outcome> {
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
        self.view.summary(self.state)?;
        self.keeper.finish(&self.state.id)?;
        self.view.flush()?;
        Ok(Outcome::Finished)
    }

    fn save(&mut self) -> anyhow::Result<()> {
        self.keeper.save(self.state)
    }

    fn progress(&mut self) -> &mut Progress {
        self.state.current.get_or_insert_with(Progress::default)
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
        let unusable = |e: &dyn std::fmt::Display| {
            anyhow::anyhow!(
                "the rubric of pack `{}` is not usable: {e}",
                entry.pack.meta.id
            )
        };
        // The pack's own rubric (its rubric.yaml and manifest additions), compiled once per
        // pack: the coach reads the facts' `asks` patterns with its groups.
        let rubric = entry.pack.rubric().map_err(|e| unusable(e))?;
        let judge = judge::for_pack(entry.pack).map_err(|e| unusable(&e))?;
        let facts = Coach::new(rubric, question);
        let sitting = self.clock.now();
        let resumed = self.state.current.clone();
        let total = self.state.plan.len();
        self.view
            .question_header(index, total, entry, resumed.as_ref())?;

        if let Flow::Quit = self.answer_all(question, &steps, follow_up, &facts, sitting)? {
            return self.quit(sitting);
        }
        let (evaluation, uncovered) =
            self.finish_question(index, entry, &*judge, follow_up, sitting)?;
        self.after_feedback(&evaluation, question, &steps, follow_up, &uncovered)
    }

    /// The investigation (a degradation with hidden facts has one), then the steps not answered
    /// yet in order, then the follow-up; each saved as soon as it is given.
    fn answer_all(
        &mut self,
        question: &Question,
        steps: &[Step],
        follow_up: Option<&FollowUp>,
        facts: &Coach<'_>,
        sitting: Timestamp,
    ) -> anyhow::Result<Flow<()>> {
        if has_coach(question) && !self.progress().investigation_done {
            self.view.investigation_intro()?;
            if let Flow::Quit = self.prompt_loop(Phase::Investigation, question, facts, sitting)? {
                return Ok(Flow::Quit);
            }
            self.progress().investigation_done = true;
            self.save()?;
        } else if !has_coach(question) {
            self.progress().investigation_done = true;
        }

        let answered = self.progress().parts.len();
        for (i, step) in steps.iter().enumerate().skip(answered) {
            let clock = self.clock_note(question, sitting);
            self.view.step_header(i, steps.len(), step, &clock)?;
            let Flow::Go(text) = self.prompt_loop(Phase::Step(step), question, facts, sitting)?
            else {
                return Ok(Flow::Quit);
            };
            self.progress().parts.push(AnswerPart {
                step: Some(step.id.clone()),
                text,
            });
            self.save()?;
        }

        if let Some(follow) = follow_up
            && self.progress().follow_up.is_none()
        {
            let clock = self.clock_note(question, sitting);
            self.view.follow_up_header(&clock)?;
            let phase = Phase::FollowUp(follow);
            let Flow::Go(text) = self.prompt_loop(phase, question, facts, sitting)? else {
                return Ok(Flow::Quit);
            };
            self.progress().follow_up = Some(text);
            self.save()?;
        }
        Ok(Flow::Go(()))
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
            self.view.past_budget(budget, minutes)?;
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
        let ask = Ask::of(phase);
        let can_ask = has_coach(question);
        let mut draft = String::new();
        loop {
            self.view.flush()?;
            let prompt = Prompt {
                kind: ask.kind,
                message: ask.message,
                can_ask: can_ask && ask.kind != PromptKind::Investigation,
                draft: &draft,
            };
            let input = self.source.input(&prompt)?;
            draft.clear();
            let step = self.on_input(input, &ask, question, facts, sitting)?;
            match step {
                Next::Done(flow) => return Ok(flow),
                Next::Again => {}
                Next::Draft(typed) => draft = typed,
            }
        }
    }

    /// What one input does at a prompt of `ask`.
    fn on_input(
        &mut self,
        input: Input,
        ask: &Ask<'_>,
        question: &Question,
        facts: &Coach<'_>,
        sitting: Timestamp,
    ) -> anyhow::Result<Next> {
        let investigation = ask.kind == PromptKind::Investigation;
        match input {
            Input::Quit if self.confirm_quit()? => return Ok(Next::Done(Flow::Quit)),
            Input::Quit => {}
            Input::Interrupted(_) if self.confirm_quit()? => return Ok(Next::Done(Flow::Quit)),
            Input::Interrupted(typed) => return Ok(Next::Draft(typed)),
            Input::More | Input::Model => self.view.answer_first()?,
            Input::Hint => {
                self.view.hint(ask.hint)?;
                let p = self.progress();
                if ask.hint.is_some() && !p.hints_used.iter().any(|h| h == ask.hint_id) {
                    p.hints_used.push(ask.hint_id.to_string());
                }
                self.save()?;
            }
            Input::Next if investigation => {
                let p = self.progress();
                let (asked, found) = (p.investigation.len(), p.facts_uncovered.len());
                self.view.investigation_closed(asked, found)?;
                return Ok(Next::Done(Flow::Go(String::new())));
            }
            Input::Next => {
                self.view.skipped()?;
                return Ok(Next::Done(Flow::Go(String::new())));
            }
            Input::Ask(_) if !has_coach(question) => self.view.no_coach()?,
            Input::Ask(asked) => {
                let asked = self.limit_length(asked.trim())?;
                self.ask_coach(&asked, facts, false)?;
            }
            Input::Text(text) if investigation && text.trim().is_empty() => {
                self.view.ask_or_done()?;
            }
            Input::Text(text) if investigation => {
                let text = self.limit_length(text.trim())?;
                self.ask_coach(&text, facts, true)?;
            }
            Input::Text(text) if text.trim().is_empty() => self.view.empty_answer()?,
            Input::Text(text) => {
                let text = self.limit_length(text.trim())?;
                let words = crate::text::word_count(&text);
                if let Some(min) = ask.min_words
                    && words < min as usize
                {
                    self.view.short_answer(words, min)?;
                }
                self.note_budget(question, sitting)?;
                return Ok(Next::Done(Flow::Go(text)));
            }
        }
        Ok(Next::Again)
    }

    fn limit_length(&mut self, text: &str) -> anyhow::Result<String> {
        match text.char_indices().nth(MAX_ANSWER_CHARS) {
            None => Ok(text.to_string()),
            Some((cut, _)) => {
                self.view.answer_cut(text.chars().count())?;
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
        let uncovered = self.state.current.as_ref().map(|p| &p.facts_uncovered);
        let shown: Vec<(&Fact, bool)> = found
            .iter()
            .map(|f| (*f, uncovered.is_some_and(|u| u.contains(&f.id))))
            .collect();
        self.view.coach(&shown)?;
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

    /// Asks whether to quit; a second Ctrl-C or Esc counts as yes.
    fn confirm_quit(&mut self) -> anyhow::Result<bool> {
        self.view.flush()?;
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
        self.view.saved()?;
        Ok(Outcome::Quit)
    }

    /// Grades the answer with the pack's judge, records the attempt, moves the journal on to the
    /// next question and shows the feedback.
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
        let id = self.keeper.record(attempt)?;

        self.state.results.push(result_of(
            &self.state.plan[index].question,
            question.kind,
            &evaluation,
        ));
        self.state.current = None;
        self.save()?;

        self.view.feedback(&Feedback {
            evaluation: &evaluation,
            question,
            verbose: self.verbose,
            elapsed_secs: elapsed,
            missed: has_coach(question).then(|| missed_facts(question, &progress.facts_uncovered)),
            attempt: id,
        })?;
        Ok((evaluation, progress.facts_uncovered))
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
        self.view.blank()?;
        loop {
            self.view.flush()?;
            match self.source.input(&prompt)? {
                Input::Text(t) if t.trim().is_empty() => return Ok(Outcome::Finished),
                Input::Next => return Ok(Outcome::Finished),
                Input::More => self.view.more(evaluation, &facts)?,
                Input::Model if has_model => self.view.model_answer(question, steps, follow_up)?,
                // The attempt is already recorded, so quitting here loses nothing; the journal
                // already points at the next question.
                Input::Quit | Input::Interrupted(_) => {
                    if self.confirm_quit()? {
                        self.view.saved()?;
                        return Ok(Outcome::Quit);
                    }
                }
                _ => self.view.already_recorded(&message)?,
            }
        }
    }
}

/// Where a prompt loop goes after one input.
enum Next {
    /// Out of the loop.
    Done(Flow<String>),
    /// Ask again.
    Again,
    /// Ask again, with what was typed before an interruption as the draft.
    Draft(String),
}

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
