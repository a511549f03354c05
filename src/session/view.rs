//! What a practice session writes to the screen: every heading, message, coach answer and
//! feedback block, in the style it was handed (colour, and the width prose is re-flowed to).
//! The flow (`session::flow`) decides what happens; this module only says it. Text from the pack
//! (titles, prompts, hints, facts, model answers) is cleaned where it is put into a line: a pack
//! must not be able to spell one of rehearse's own colour sequences and have it obeyed.

use std::io::{self, Write};

use crate::feedback::{self, Detail};
use crate::model::pack::{Fact, FollowUp, Question, Step};
use crate::pack::Entry;
use crate::plural::plural;
use crate::rubric::Evaluation;
use crate::safe_text::{Safe, SafeLine, clean};
use crate::style::Style;

use super::MAX_ANSWER_CHARS;
use super::state::{Progress, SessionState};

/// The nudge for the investigation phase.
pub(super) const INVESTIGATION_HINT: &str = "Ask what changed recently, which requests, users or \
     regions suffer and since when, what the tail latency looks like next to the median, and \
     whether the dashboards can be trusted.";

/// The session's output and how it looks.
pub(super) struct View<'o> {
    out: &'o mut dyn Write,
    style: Style,
}

/// What the feedback of one question shows besides the evaluation.
pub(super) struct Feedback<'q> {
    pub evaluation: &'q Evaluation,
    pub question: &'q Question,
    /// Every miss with its hint and what every hidden fact said (`--verbose`).
    pub verbose: bool,
    pub elapsed_secs: u64,
    /// The hidden facts never uncovered, for a degradation with facts.
    pub missed: Option<Vec<&'q Fact>>,
    /// The id the history gave the attempt.
    pub attempt: u64,
}

impl<'o> View<'o> {
    pub(super) fn new(out: &'o mut dyn Write, style: Style) -> Self {
        View { out, style }
    }

    pub(super) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Writes a message, each of its lines filled to the width.
    fn say(&mut self, text: &str) -> io::Result<()> {
        let filled = self.style.fill_lines(text);
        writeln!(self.out, "{filled}")
    }

    fn bold(&self, text: &str) -> String {
        self.style.bold(text)
    }

    fn dim(&self, text: &str) -> String {
        self.style.dim(text)
    }

    /// `== Question 2 of 5: TITLE ==`, its address and kind, the prompt, and on resuming what
    /// was given before.
    pub(super) fn question_header(
        &mut self,
        index: usize,
        total: usize,
        entry: Entry<'_>,
        resumed: Option<&Progress>,
    ) -> io::Result<()> {
        let q = entry.question;
        let budget = q
            .time_budget
            .map(|m| format!(" · time budget {m} min"))
            .unwrap_or_default();
        let heading = self.bold(&format!(
            "== Question {} of {total}: {} ==",
            index + 1,
            SafeLine(&q.title)
        ));
        let address = self.dim(&format!(
            "{} · {} · {}{budget}",
            SafeLine(&entry.qualified_id()),
            q.kind,
            q.level()
        ));
        self.say(&format!("\n{heading}\n{address}"))?;
        writeln!(self.out, "{}", self.style.prose(&clean(&q.prompt), ""))?;
        let Some(p) = resumed else {
            return Ok(());
        };
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
        if done.is_empty() {
            return Ok(());
        }
        self.say(&format!(
            "\nResuming with what you gave before: {}.",
            done.join(", ")
        ))
    }

    pub(super) fn investigation_intro(&mut self) -> io::Result<()> {
        let heading = self.bold("Investigation");
        self.say(&format!(
            "\n{heading}\nAsk the coach what you would want to know, one question at a time, in \
             your own words.\nType /done when you are ready to give your hypotheses, /hint for a \
             nudge."
        ))
    }

    /// `Step 2 of 4 · STEP (3 min of 20)`.
    pub(super) fn step_header(
        &mut self,
        i: usize,
        total: usize,
        step: &Step,
        clock: &str,
    ) -> io::Result<()> {
        let heading = self.bold(&format!(
            "Step {} of {total} · {}",
            i + 1,
            SafeLine(&step.id)
        ));
        let clock = self.dim(clock);
        self.say(&format!("\n{heading} {clock}"))
    }

    pub(super) fn follow_up_header(&mut self, clock: &str) -> io::Result<()> {
        let heading = self.bold("Follow-up");
        let clock = self.dim(clock);
        self.say(&format!("\n{heading} {clock}"))
    }

    pub(super) fn past_budget(&mut self, budget: u32, minutes: u64) -> io::Result<()> {
        let note = self.dim(&format!(
            "You are past the {budget} min budget ({minutes} min). Take the time you need; the \
             feedback notes it."
        ));
        self.say(&note)
    }

    pub(super) fn answer_first(&mut self) -> io::Result<()> {
        self.say("/more and /model work once the answer is scored; answer first.")
    }

    pub(super) fn hint(&mut self, hint: Option<&str>) -> io::Result<()> {
        match hint {
            Some(h) => writeln!(
                self.out,
                "{}",
                self.style
                    .fill(&format!("{} {}", self.bold("Hint:"), Safe(h.trim())), "")
            ),
            None => self.say("There is no hint for this one."),
        }
    }

    pub(super) fn skipped(&mut self) -> io::Result<()> {
        self.say("Skipped; a skipped answer earns nothing.")
    }

    pub(super) fn no_coach(&mut self) -> io::Result<()> {
        self.say("There is no coach to ask in this question; answer with what you know.")
    }

    pub(super) fn ask_or_done(&mut self) -> io::Result<()> {
        self.say("Type a question for the coach, or /done when you are ready.")
    }

    pub(super) fn empty_answer(&mut self) -> io::Result<()> {
        self.say(
            "An empty answer earns nothing. Write your answer, /hint for a nudge, or /skip to \
             move on.",
        )
    }

    pub(super) fn short_answer(&mut self, words: usize, min: u32) -> io::Result<()> {
        self.say(&format!(
            "Noted. That is {}; answers here usually need at least {min}.",
            plural(words, "word", "words")
        ))
    }

    pub(super) fn answer_cut(&mut self, chars: usize) -> io::Result<()> {
        self.say(&format!(
            "That answer is very long ({chars} characters); the first {MAX_ANSWER_CHARS} are \
             kept and scored."
        ))
    }

    /// The coach's answer: each fact found (a pointer for one `again`, said before), or that
    /// there is nothing on it.
    pub(super) fn coach(&mut self, found: &[(&Fact, bool)]) -> io::Result<()> {
        if found.is_empty() {
            let coach = self.bold("Coach:");
            self.say(&format!("{coach} There is no information on that."))?;
        }
        for (fact, again) in found {
            let heading = self.bold(&format!("Coach ({}):", SafeLine(&fact.about)));
            if *again {
                // Said once already, above: a pointer, not the whole text again.
                self.say(&format!("{heading} already answered above."))?;
            } else {
                self.say(&heading)?;
                writeln!(self.out, "{}", self.style.prose(&clean(&fact.reveal), "  "))?;
            }
        }
        Ok(())
    }

    pub(super) fn investigation_closed(&mut self, asked: usize, found: usize) -> io::Result<()> {
        let asked = plural(asked, "question", "questions");
        let found = plural(found, "fact", "facts");
        self.say(&format!(
            "Investigation closed: {asked} asked, {found} uncovered."
        ))
    }

    /// The last words before quitting: where to continue.
    pub(super) fn saved(&mut self) -> io::Result<()> {
        self.say("\nSession saved. Continue it with: rehearse practice --resume")?;
        self.out.flush()
    }

    /// The feedback of one scored question: the evaluation, the time, the facts never
    /// uncovered, and where the attempt was recorded.
    pub(super) fn feedback(&mut self, f: &Feedback<'_>) -> io::Result<()> {
        let heading = self.bold("== Feedback ==");
        self.say(&format!("\n{heading}"))?;
        let detail = if f.verbose {
            Detail::Full
        } else {
            Detail::Brief { more: "/more" }
        };
        write!(
            self.out,
            "{}",
            feedback::render(f.evaluation, self.style, detail)
        )?;
        self.say(&format!(
            "\n{}",
            time_line(f.elapsed_secs, f.question.time_budget)
        ))?;
        match &f.missed {
            None => {}
            Some(missed) if missed.is_empty() => self.say("You uncovered every hidden fact.")?,
            Some(missed) => {
                let heading = self.bold("Facts you never uncovered:");
                self.say(&format!("\n{heading}"))?;
                // Brief, like the rest of the feedback: what each fact was about; what it said
                // is one `/more` away (or shown at once with --verbose).
                self.facts(missed, f.verbose)?;
                if !f.verbose {
                    let note = self.dim("/more shows what each of them would have told you.");
                    self.say(&note)?;
                }
            }
        }
        let recorded = self.dim(&format!(
            "Recorded as attempt {} in your history.",
            f.attempt
        ));
        self.say(&recorded)
    }

    /// The hidden facts the candidate missed: what each was about, and with `reveal` what it
    /// said, re-flowed under it.
    pub(super) fn facts(&mut self, facts: &[&Fact], reveal: bool) -> io::Result<()> {
        for fact in facts {
            let herring = if fact.red_herring {
                " (a red herring)"
            } else {
                ""
            };
            self.say(&format!("  - {}{herring}", SafeLine(&fact.about)))?;
            if reveal {
                writeln!(
                    self.out,
                    "{}",
                    self.style.prose(&clean(&fact.reveal), "    ")
                )?;
            }
        }
        Ok(())
    }

    /// The line before the prompt after the feedback.
    pub(super) fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }

    /// `/more` after the feedback: every miss with its hint, and what the missed facts said.
    pub(super) fn more(&mut self, evaluation: &Evaluation, facts: &[&Fact]) -> io::Result<()> {
        let misses = feedback::render_misses(evaluation, self.style);
        if misses.is_empty() && facts.is_empty() {
            self.say("This answer missed nothing the rubric looks for.")?;
        } else if !misses.is_empty() {
            let heading = self.bold("== Every miss, with its hint ==");
            self.say(&format!("\n{heading}"))?;
            write!(self.out, "{misses}")?;
        }
        if !facts.is_empty() {
            let heading = self.bold("== What the facts you never uncovered said ==");
            self.say(&format!("\n{heading}"))?;
            self.facts(facts, true)?;
        }
        Ok(())
    }

    pub(super) fn already_recorded(&mut self, choices: &str) -> io::Result<()> {
        self.say(&format!("The answer is recorded. {choices}"))
    }

    pub(super) fn model_answer(
        &mut self,
        question: &Question,
        steps: &[Step],
        follow_up: Option<&FollowUp>,
    ) -> io::Result<()> {
        let heading = self.bold("== Model answer ==");
        self.say(&format!("\n{heading}"))?;
        if let Some(model) = &question.model_answer {
            if let Some(text) = &model.text {
                writeln!(self.out, "\n{}", self.style.prose(&clean(text), ""))?;
            }
            for step in steps {
                if let Some(text) = model.steps.get(&step.id) {
                    writeln!(
                        self.out,
                        "\n{}\n{}",
                        self.bold(&clean(&step.ask)),
                        self.style.prose(&clean(text), "")
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
                self.bold(&clean(&f.ask)),
                self.style.prose(&clean(text), "")
            )?;
        }
        Ok(())
    }

    /// The closing summary across questions.
    pub(super) fn summary(&mut self, state: &SessionState) -> anyhow::Result<()> {
        super::summary::write(self.out, state, self.style)
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
