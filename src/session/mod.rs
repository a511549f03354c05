//! The practice session: a mock interview run question by question, written against domain
//! values only.
//!
//! [`Session::run`] shows each planned question, runs the investigation phase of a degradation
//! (the coach answers from the question's hidden facts), asks every step and the follow-up,
//! grades the answer with the pack's judge, records the attempt, shows the feedback and offers
//! the model answer; at the end it prints a summary across questions. Input arrives through an
//! [`AnswerSource`] (the terminal, or a script in tests), output goes to an injected writer, time
//! comes from a [`Clock`], and what the session keeps goes through a [`Keeper`]: the attempts to
//! the history, and the state to the session journal after every answer, so quitting loses
//! nothing and `--resume` continues where it stopped.
//!
//! The flow is `flow`, what it writes to the screen is `view`; this module is what the outside
//! hands in.

pub mod coach;
mod flow;
pub mod keeper;
pub mod plan;
pub mod source;
pub mod state;
pub mod summary;
mod view;

use std::io::Write;
use std::path::Path;

use crate::pack::Bank;
use crate::style::Style;
use keeper::{DataDir, Keeper};
use source::AnswerSource;
use state::SessionState;

/// Longest answer kept, in characters: about 5,000 words, far more than an interview answer
/// needs, and small enough that a runaway paste cannot make scoring or the history file balloon.
pub const MAX_ANSWER_CHARS: usize = 30_000;

pub use crate::clock::Clock;

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
    /// The data directory whose history and journal [`Session::run`] keeps the session in;
    /// [`Session::run_keeping`] leaves it alone.
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

impl Session<'_> {
    /// Runs the session from wherever its state says it stands, keeping its attempts and its
    /// journal in [`Session::data_dir`].
    pub fn run(&mut self) -> anyhow::Result<Outcome> {
        let mut keeper = DataDir(self.data_dir);
        self.run_keeping(&mut keeper)
    }

    /// Runs the session, keeping its attempts and its journal with `keeper`, which is all it
    /// writes besides its output.
    pub fn run_keeping(&mut self, keeper: &mut dyn Keeper) -> anyhow::Result<Outcome> {
        flow::Interview {
            bank: self.bank,
            source: &mut *self.source,
            view: view::View::new(&mut *self.out, self.style),
            clock: self.clock,
            keeper,
            verbose: self.verbose,
            state: &mut self.state,
        }
        .run()
    }
}

#[cfg(test)]
mod tests {
    use super::plan::Planned;
    use super::source::{Input, Scripted, ScriptedSource, SharedBuf};
    use super::*;
    use crate::history::record::{NewAttempt, Source};

    /// Keeps everything in memory.
    #[derive(Default)]
    struct Kept {
        attempts: Vec<NewAttempt>,
        saves: Vec<SessionState>,
        finished: Vec<String>,
    }

    impl Keeper for Kept {
        fn record(&mut self, attempt: NewAttempt) -> anyhow::Result<u64> {
            self.attempts.push(attempt);
            Ok(41 + self.attempts.len() as u64)
        }

        fn save(&mut self, state: &SessionState) -> anyhow::Result<()> {
            self.saves.push(state.clone());
            Ok(())
        }

        fn finish(&mut self, id: &str) -> anyhow::Result<()> {
            self.finished.push(id.to_string());
            Ok(())
        }
    }

    struct Fixed;

    impl Clock for Fixed {
        fn now(&self) -> jiff::Timestamp {
            jiff::Timestamp::from_second(1_767_600_000).expect("a valid instant")
        }
    }

    /// A session handed its keeper records and saves through it alone: the attempt carries the
    /// judge's fingerprint and the session's details, the feedback names the id the keeper gave,
    /// and the data directory is never touched.
    #[test]
    fn a_session_keeps_everything_through_the_keeper_it_is_handed() {
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice");
        let bank = Bank::load(&[fixture], true).expect("the fixture pack loads");
        let home = tempfile::tempdir().unwrap();
        let data_dir = home.path().join("untouched");
        let buf = SharedBuf::default();
        let script = [
            "I would add a read replica for the reporting queries first.",
            "The replica lags, so a report may be seconds stale; I would say so on the page.",
            "",
        ]
        .map(|t| Scripted::Input(Input::Text(t.into())));
        let mut source = ScriptedSource::new(script, buf.clone());
        let mut out = buf.clone();
        let plan = vec![Planned {
            question: "fixture/cache-or-replica".into(),
            follow_up: None,
        }];
        let mut session = Session {
            bank: &bank,
            data_dir: &data_dir,
            source: &mut source,
            out: &mut out,
            clock: &Fixed,
            style: Style::PLAIN,
            verbose: false,
            state: SessionState::new("s-kept".into(), 3, plan),
        };
        let mut kept = Kept::default();
        let outcome = session.run_keeping(&mut kept).expect("the session runs");

        assert_eq!(outcome, Outcome::Finished);
        assert!(
            !data_dir.exists(),
            "the session wrote to its data directory"
        );
        let [attempt] = kept.attempts.as_slice() else {
            panic!("one attempt, got {}", kept.attempts.len());
        };
        let entry = bank.find("fixture/cache-or-replica").unwrap();
        let judge = crate::judge::for_pack(entry.pack).unwrap();
        assert_eq!(attempt.source, Source::Practice);
        assert_eq!(attempt.question, "cache-or-replica");
        assert_eq!(attempt.seed, Some(3));
        assert_eq!(
            attempt.rubric_fingerprint,
            judge.fingerprint(entry.question).unwrap()
        );
        assert!(
            buf.text()
                .contains("Recorded as attempt 42 in your history.")
        );
        assert_eq!(kept.saves.last().map(|s| s.results.len()), Some(1));
        assert_eq!(kept.finished, ["s-kept"]);
    }
}
