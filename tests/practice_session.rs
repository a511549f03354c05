//! Whole practice sessions driven through the scripted answer source: the same session logic the
//! terminal runs, with a fake clock, a temporary data directory and the fixture pack, checked
//! against snapshots of the transcript a candidate would read (plain style).
//!
//! The feedback block and the levels in the closing summary follow from the rubric, which is
//! tuned independently, so the snapshots show them as `[feedback]` and `[summary]` and each test
//! checks instead that the session printed exactly what `feedback::render` gives for the
//! evaluation it recorded, and exactly the summary of the results it kept (the summary's own
//! wording is pinned by unit tests in `session::summary`).

mod common;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use jiff::Timestamp;
use rehearse::history::{journal, store};
use rehearse::pack::Bank;
use rehearse::session::plan::Planned;
use rehearse::session::source::{
    AnswerSource, Choice, Input, Prompt, Scripted, ScriptedSource, SharedBuf,
};
use rehearse::session::state::SessionState;
use rehearse::session::{Clock, Outcome, Session};
use rehearse::style::Style;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice")
}

fn bank() -> Bank {
    Bank::load(&[fixture()], true).expect("the fixture pack loads")
}

/// A clock that only moves when the candidate does something.
#[derive(Clone)]
struct FakeClock(Rc<Cell<i64>>);

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_second(1_767_600_000 + self.0.get()).expect("a valid instant")
    }
}

/// A scripted candidate who takes `secs_per_input` seconds over every input.
struct Timed {
    inner: ScriptedSource,
    clock: Rc<Cell<i64>>,
    secs_per_input: i64,
}

impl AnswerSource for Timed {
    fn input(&mut self, prompt: &Prompt<'_>) -> anyhow::Result<Input> {
        self.clock.set(self.clock.get() + self.secs_per_input);
        self.inner.input(prompt)
    }

    fn confirm(&mut self, question: &str, default: bool) -> anyhow::Result<Choice> {
        self.inner.confirm(question, default)
    }
}

fn text(s: &str) -> Scripted {
    Scripted::Input(Input::Text(s.to_string()))
}

fn input(i: Input) -> Scripted {
    Scripted::Input(i)
}

fn choice(c: Choice) -> Scripted {
    Scripted::Choice(c)
}

fn planned(question: &str, follow_up: Option<&str>) -> Planned {
    Planned {
        question: question.to_string(),
        follow_up: follow_up.map(str::to_string),
    }
}

struct Run {
    transcript: String,
    outcome: Outcome,
    state: SessionState,
    unused: usize,
}

fn run(data_dir: &Path, state: SessionState, script: Vec<Scripted>, secs_per_input: i64) -> Run {
    run_styled(data_dir, state, script, secs_per_input, Style::PLAIN)
}

/// Like [`run`], with `practice --verbose`.
fn run_verbose(data_dir: &Path, state: SessionState, script: Vec<Scripted>) -> Run {
    run_in(&bank(), data_dir, state, script, 60, Style::PLAIN, true)
}

fn run_styled(
    data_dir: &Path,
    state: SessionState,
    script: Vec<Scripted>,
    secs_per_input: i64,
    style: Style,
) -> Run {
    run_in(
        &bank(),
        data_dir,
        state,
        script,
        secs_per_input,
        style,
        false,
    )
}

fn run_in(
    bank: &Bank,
    data_dir: &Path,
    state: SessionState,
    script: Vec<Scripted>,
    secs_per_input: i64,
    style: Style,
    verbose: bool,
) -> Run {
    let buf = SharedBuf::default();
    let clock = Rc::new(Cell::new(0));
    let mut source = Timed {
        inner: ScriptedSource::new(script, buf.clone()),
        clock: clock.clone(),
        secs_per_input,
    };
    let mut out = buf.clone();
    let fake = FakeClock(clock);
    let mut session = Session {
        bank,
        data_dir,
        source: &mut source,
        out: &mut out,
        clock: &fake,
        style,
        verbose,
        state,
    };
    let outcome = session.run().expect("the session runs");
    let state = session.state.clone();
    Run {
        transcript: buf.text(),
        outcome,
        state,
        unused: source.inner.remaining(),
    }
}

/// Replaces each feedback block with `[feedback]` after checking it is exactly what the feedback
/// module renders for the evaluation recorded in the history, in order.
fn redact(r: &Run, data_dir: &Path) -> String {
    let transcript = redact_feedback(&r.transcript, data_dir);
    match transcript.find("\n== Session summary") {
        None => transcript,
        Some(at) => {
            let mut expected = Vec::new();
            rehearse::session::summary::write(&mut expected, &r.state, Style::PLAIN).unwrap();
            assert_eq!(
                &transcript[at..],
                String::from_utf8(expected).unwrap(),
                "the summary is that of the session's results"
            );
            format!("{}\n[summary]\n", &transcript[..at])
        }
    }
}

fn redact_feedback(transcript: &str, data_dir: &Path) -> String {
    let history = store::load(data_dir).expect("history loads");
    let mut rest = transcript;
    let mut out = String::new();
    let mut attempts = history.attempts.iter();
    while let Some(start) = rest.find("== Feedback ==\n") {
        let body_start = start + "== Feedback ==\n".len();
        let end = body_start
            + rest[body_start..]
                .find("\nTime: ")
                .expect("a time line follows the feedback");
        let attempt = attempts
            .next()
            .expect("one recorded attempt per feedback block");
        let evaluation: rehearse::rubric::Evaluation =
            serde_json::from_value(attempt.evaluation.clone()).expect("evaluation parses");
        assert_eq!(
            &rest[body_start..end],
            rehearse::feedback::render(
                &evaluation,
                Style::PLAIN,
                rehearse::feedback::Detail::Brief { more: "/more" }
            ),
            "the session shows the feedback of the evaluation it recorded"
        );
        out.push_str(&rest[..body_start]);
        out.push_str("[feedback]\n");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn degradation_session_with_investigation_hint_and_follow_up() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-degradation".into(),
        11,
        vec![planned("fixture/slow-checkout", Some("ten-x"))],
    );
    let script = vec![
        text("Did anything deploy recently?"),
        text("What is the weather like?"),
        input(Input::Hint),
        text("   "),
        text("How full is the connection pool?"),
        input(Input::Next),
        text(""),
        text("I check what changed at 12:40, which shoppers are slow, and p99 per dependency."),
        input(Input::Hint),
        input(Input::Ask("Is the CPU busy?".into())),
        text(
            "The smaller pool in the release makes requests queue; I compare pool wait before and after, and roll back if it matches.",
        ),
        text(
            "Every pool and queue between checkout and pricing saturates first, so I load test them.",
        ),
        input(Input::Model),
        text(""),
    ];
    let r = run(home.path(), state, script, 60);
    assert_eq!(r.outcome, Outcome::Finished);
    assert_eq!(r.unused, 0);
    insta::assert_snapshot!(redact(&r, home.path()));

    // What was recorded, as history and review will see it.
    let history = store::load(home.path()).unwrap();
    assert_eq!(history.attempts.len(), 1);
    let a = &history.attempts[0];
    assert_eq!(a.question, "slow-checkout");
    assert_eq!(a.pack.id, "fixture");
    assert_eq!(
        a.answer.investigation,
        [
            "Did anything deploy recently?",
            "What is the weather like?",
            "How full is the connection pool?"
        ]
    );
    assert_eq!(a.facts_uncovered, ["recent-deploy", "pool-metrics", "cpu"]);
    assert_eq!(a.hints_used, ["investigation", "hypotheses"]);
    assert_eq!(a.follow_up.as_deref(), Some("ten-x"));
    assert!(
        a.answer
            .follow_up
            .as_deref()
            .unwrap()
            .starts_with("Every pool")
    );
    assert_eq!(a.seed, Some(11));
    // Scored with the pack's own rubric: its extra criterion is earned from the hypotheses.
    let context_hits = a.evaluation["dimensions"]["context"]["hits"]
        .as_array()
        .unwrap();
    assert!(
        context_hits
            .iter()
            .any(|h| h["criterion"] == "suspects-the-pool"),
        "{context_hits:?}"
    );
    assert_eq!(a.time_taken_secs, Some(12 * 60));
    // A finished session leaves no journal behind.
    assert!(journal::list(home.path()).unwrap().is_empty());
}

#[test]
fn quitting_keeps_answers_and_resume_continues_where_it_stopped() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-resume".into(),
        3,
        vec![
            planned("fixture/slow-checkout", Some("ten-x")),
            planned("fixture/cache-or-replica", Some("stale-price")),
        ],
    );
    // First sitting: investigate, answer one step, then Ctrl-C; declining once keeps going,
    // the second Ctrl-C is confirmed.
    let first = vec![
        text("what changed?"),
        input(Input::Next),
        text("First I ask what changed at 12:40 and which shoppers are slow."),
        input(Input::Quit),
        choice(Choice::No),
        input(Input::Quit),
        choice(Choice::Yes),
    ];
    let r1 = run(home.path(), state, first, 60);
    assert_eq!(r1.outcome, Outcome::Quit);
    assert_eq!(r1.unused, 0);
    assert!(store::load(home.path()).unwrap().attempts.is_empty());
    let saved: SessionState = journal::load(home.path(), "s-resume").unwrap().unwrap();
    assert_eq!(saved, r1.state);
    let progress = saved.current.clone().unwrap();
    assert_eq!(progress.parts.len(), 1);
    assert_eq!(progress.investigation, ["what changed?"]);
    assert_eq!(progress.elapsed_secs, 5 * 60);

    // Second sitting, from the journal: the second step, the follow-up, then the next question.
    let second = vec![
        text(
            "The smaller pool queues requests; I compare pool waits before and after the release.",
        ),
        input(Input::Next),
        text(""),
        text(
            "A replica keeps prices fresh but costs a server; a cache is cheaper but serves stale prices.",
        ),
        text(
            "I choose the replica because a stale price at checkout costs trust; a cache comes later for images.",
        ),
        text("I check the replica lag and tell support while we fix it."),
        input(Input::Model),
        text(""),
    ];
    let r2 = run(home.path(), saved, second, 60);
    assert_eq!(r2.outcome, Outcome::Finished);
    assert_eq!(r2.unused, 0);
    insta::assert_snapshot!("resume_first_sitting", redact(&r1, home.path()));
    insta::assert_snapshot!("resume_second_sitting", redact(&r2, home.path()));

    let history = store::load(home.path()).unwrap();
    assert_eq!(history.attempts.len(), 2);
    let a = &history.attempts[0];
    let steps: Vec<_> = a
        .answer
        .parts
        .iter()
        .map(|p| p.step.clone().unwrap())
        .collect();
    assert_eq!(steps, ["first-checks", "hypotheses"]);
    assert!(a.answer.parts[0].text.starts_with("First I ask"));
    assert_eq!(
        a.answer.follow_up.as_deref(),
        Some(""),
        "a skipped follow-up is recorded empty"
    );
    // Time from both sittings adds up.
    assert_eq!(a.time_taken_secs, Some(7 * 60));
    assert_eq!(
        history.attempts[1].follow_up.as_deref(),
        Some("stale-price")
    );
    assert!(journal::list(home.path()).unwrap().is_empty());
}

#[test]
fn over_budget_is_noted_never_cut_off() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-slow".into(),
        1,
        vec![planned("fixture/cache-or-replica", None)],
    );
    let script = vec![
        text("A cache is cheap but stale; a replica is fresh but costs more."),
        text(
            "The replica, because prices must be fresh; a cheaper cache would change my mind only for images.",
        ),
        text(""),
    ];
    // Eight minutes per answer against a ten-minute budget.
    let r = run(home.path(), state, script, 8 * 60);
    assert_eq!(r.outcome, Outcome::Finished);
    let t = &r.transcript;
    assert!(t.contains("Step 2 of 2 · decision (8 min of 10)"), "{t}");
    assert_eq!(
        t.matches("You are past the 10 min budget (16 min). Take the time you need; the feedback notes it.")
            .count(),
        1,
        "{t}"
    );
    assert!(
        t.contains("Time: 16 min, 6 min over the 10 min budget."),
        "{t}"
    );
    let history = store::load(home.path()).unwrap();
    assert_eq!(
        history.attempts[0].answer.parts.len(),
        2,
        "nothing was cut off"
    );
}

#[test]
fn empty_long_and_skipped_answers_get_a_message() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-edge".into(),
        1,
        vec![planned("fixture/monolith-split", None)],
    );
    let long = "word ".repeat(10_000);
    let script = vec![
        text(""),
        input(Input::Ask("what was the traffic?".into())),
        input(Input::Hint),
        text(&long),
        text(""),
    ];
    let r = run(home.path(), state, script, 60);
    assert_eq!(r.outcome, Outcome::Finished);
    let t = &r.transcript;
    for expected in [
        "An empty answer earns nothing.",
        "There is no coach to ask in this question",
        "There is no hint for this one.",
        "That answer is very long (49999 characters); the first 30000 are kept",
    ] {
        assert!(t.contains(expected), "missing {expected:?}");
    }
    let history = store::load(home.path()).unwrap();
    assert_eq!(
        history.attempts[0].answer.parts[0].text.chars().count(),
        30_000
    );
    assert!(
        history.attempts[0].hints_used.is_empty(),
        "a missing hint is not recorded as used"
    );

    let state = SessionState::new(
        "s-skip".into(),
        2,
        vec![planned("fixture/cache-or-replica", None)],
    );
    let r = run(
        home.path(),
        state,
        vec![input(Input::Next), input(Input::Next), text("")],
        60,
    );
    assert_eq!(
        r.transcript
            .matches("Skipped; a skipped answer earns nothing.")
            .count(),
        2
    );
}

#[test]
fn a_second_interrupt_at_the_quit_question_quits() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-twice".into(),
        1,
        vec![planned("fixture/monolith-split", None)],
    );
    let r = run(
        home.path(),
        state,
        vec![input(Input::Quit), choice(Choice::Interrupted)],
        60,
    );
    assert_eq!(r.outcome, Outcome::Quit);
    assert!(
        r.transcript
            .ends_with("Session saved. Continue it with: rehearse practice --resume\n")
    );
    assert!(
        journal::load::<SessionState>(home.path(), "s-twice")
            .unwrap()
            .is_some()
    );
}

#[test]
fn quitting_at_the_last_model_answer_leaves_only_the_summary_to_resume() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-last".into(),
        5,
        vec![planned("fixture/cache-or-replica", None)],
    );
    let script = vec![
        text("A replica is fresh but costs a server; a cache is cheap but stale."),
        text("The replica; a price that may be stale would change my mind."),
        input(Input::Quit),
        choice(Choice::Yes),
    ];
    let r = run(home.path(), state, script, 60);
    assert_eq!(r.outcome, Outcome::Quit);
    assert_eq!(store::load(home.path()).unwrap().attempts.len(), 1);
    let saved: SessionState = journal::load(home.path(), "s-last").unwrap().unwrap();
    assert!(saved.is_finished());

    let r = run(home.path(), saved, Vec::new(), 60);
    assert_eq!(r.outcome, Outcome::Finished);
    assert!(
        r.transcript
            .starts_with("\n== Session summary: 1 question, seed 5 =="),
        "{}",
        r.transcript
    );
    assert_eq!(
        store::load(home.path()).unwrap().attempts.len(),
        1,
        "nothing recorded twice"
    );
    assert!(journal::list(home.path()).unwrap().is_empty());
}

/// The degradation script of the first test, for the screen tests below.
fn degradation_script() -> Vec<Scripted> {
    vec![
        text("Did anything deploy recently?"),
        text("Which release was that? Did it deploy at 12:40?"),
        input(Input::Next),
        text("I check what changed at 12:40, which shoppers are slow, and p99 per dependency."),
        input(Input::Hint),
        text(
            "The smaller pool in the release makes requests queue; I compare pool wait before and after, and roll back if it matches.",
        ),
        text(
            "Every pool and queue between checkout and pricing saturates first, so I load test them.",
        ),
        input(Input::Model),
        text(""),
    ]
}

fn degradation_state() -> SessionState {
    SessionState::new(
        "s-screen".into(),
        11,
        vec![planned("fixture/slow-checkout", Some("ten-x"))],
    )
}

#[test]
fn colour_changes_nothing_but_colour_and_prose_fits_the_width() {
    let plain_home = tempfile::tempdir().unwrap();
    let colour_home = tempfile::tempdir().unwrap();
    let width = Some(60);
    let plain = run_styled(
        plain_home.path(),
        degradation_state(),
        degradation_script(),
        60,
        Style::PLAIN.with_width(width),
    );
    let coloured = run_styled(
        colour_home.path(),
        degradation_state(),
        degradation_script(),
        60,
        Style::new(true).with_width(width),
    );
    assert!(coloured.transcript.contains("\u{1b}["));
    let stripped = String::from_utf8(strip_ansi_escapes::strip(&coloured.transcript)).unwrap();
    // Recorded attempt numbers and times are the same in both homes.
    assert_eq!(stripped, plain.transcript);

    // The session's own output fits 60 columns (the echoed prompts are the test's, not the
    // session's); the fixture's prompt, written at 85 columns, is re-flowed.
    for line in plain.transcript.lines() {
        if line.starts_with("? ") || line.starts_with("> ") {
            continue;
        }
        assert!(
            line.chars().count() <= 60,
            "{line:?} is wider than 60:\n{}",
            plain.transcript
        );
    }
    assert!(
        plain
            .transcript
            .contains("Since early afternoon the checkout page takes seconds to\nload"),
        "{}",
        plain.transcript
    );
}

#[test]
fn a_pack_cannot_paint_its_own_text_in_a_coloured_session() {
    // The fixture pack with rehearse's own red and reset planted in a title, a step's question
    // and hint, a fact's name, the follow-up and a model answer.
    let red = |s: &str| {
        format!(
            "\"{}\\e[31m{}\\e[0m\"",
            &s[..s.len() / 2],
            &s[s.len() / 2..]
        )
    };
    let mut pack = std::fs::read_to_string(fixture().join("pack.yaml")).unwrap();
    for value in [
        "Checkout is slow after lunch",
        "What do you check first, before changing anything?",
        "Start from what changed and who is affected.",
        "Connect the release to the pool size and the queueing it causes.",
        "Recent changes",
        "Traffic grows tenfold next year. What breaks first?",
        "Ask what changed at 12:40 and look at p99 per dependency.",
    ] {
        assert!(pack.contains(value), "{value}");
        pack = pack.replacen(value, &red(value), 1);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.yaml"), pack).unwrap();
    let bank = Bank::load(&[dir.path().to_path_buf()], true).expect("the planted pack loads");
    let transcript = |style: Style| {
        let home = tempfile::tempdir().unwrap();
        let r = run_in(
            &bank,
            home.path(),
            degradation_state(),
            degradation_script(),
            60,
            style,
            false,
        );
        r.transcript
    };
    let plain = transcript(Style::PLAIN);
    let coloured = transcript(Style::new(true));
    assert!(
        plain.contains("Checkout is sl^[[31mow after lunch"),
        "{plain}"
    );
    // Taking rehearse's own sequences out of the coloured transcript gives the plain one: the
    // planted ones were shown, not obeyed, in both.
    let uncoloured = common::OWN_SGR
        .iter()
        .fold(coloured.clone(), |text, own| text.replace(own, ""));
    assert_eq!(uncoloured, plain);
}

#[test]
fn a_fact_asked_for_again_gets_one_line_pointing_back() {
    let home = tempfile::tempdir().unwrap();
    let r = run(home.path(), degradation_state(), degradation_script(), 60);
    let transcript = r.transcript;
    assert_eq!(
        transcript.matches("it lowered the").count(),
        1,
        "the fact is printed once: {transcript}"
    );
    assert!(
        transcript.contains("Coach (Recent changes): already answered above."),
        "{transcript}"
    );
}

#[test]
fn staying_after_an_interrupt_gives_the_half_typed_answer_back_and_more_lists_every_miss() {
    let home = tempfile::tempdir().unwrap();
    let state = SessionState::new(
        "s-draft".into(),
        1,
        vec![planned("fixture/cache-or-replica", None)],
    );
    let script = vec![
        input(Input::Interrupted("A replica is fresh".into())),
        choice(Choice::No),
        text("A replica is fresh but costs a server; a cache is cheap but stale."),
        text("The replica."),
        input(Input::More),
        text(""),
    ];
    let r = run(home.path(), state, script, 60);
    assert_eq!(r.outcome, Outcome::Finished);
    assert_eq!(r.unused, 0);
    assert!(
        r.transcript.contains(
            "? What are the options, and what does each gain and cost?\n[A replica is fresh]\n"
        ),
        "the prompt starts with the text typed before the interrupt: {}",
        r.transcript
    );
    let more = r
        .transcript
        .split("== Every miss, with its hint ==")
        .nth(1)
        .expect("/more lists the misses");
    assert!(
        more.lines().filter(|l| l.starts_with("  - ")).count() > 3,
        "{more}"
    );
}

#[test]
fn missed_facts_are_named_briefly_and_told_in_full_under_more_or_verbose() {
    // Straight past the investigation, two steps, no follow-up: every fact stays hidden.
    let script = || {
        vec![
            input(Input::Next),
            text("I check what changed at 12:40 and which shoppers are slow, per dependency."),
            text("A smaller pool in the release would queue requests; I compare pool waits."),
            input(Input::Next),
            input(Input::More),
            text(""),
        ]
    };
    let plan = || vec![planned("fixture/slow-checkout", Some("ten-x"))];
    let reveal = "The pricing client's pool is fully used";
    let home = tempfile::tempdir().unwrap();
    let brief = run(
        home.path(),
        SessionState::new("s-brief".into(), 5, plan()),
        script(),
        60,
    );
    assert_eq!(brief.unused, 0);
    let t = &brief.transcript;
    let named = t
        .find("Facts you never uncovered:\n  - Recent changes\n  - Connection pool\n")
        .expect(t);
    let more = t.find("> /more").expect(t);
    assert!(named < more, "{t}");
    assert!(
        t.contains("/more shows what each of them would have told you."),
        "{t}"
    );
    // Only what the fact was about before /more; what it said, after.
    assert!(!t[..more].contains(reveal), "{t}");
    let told = t
        .find("== What the facts you never uncovered said ==")
        .expect(t);
    assert!(told > more && t[told..].contains(reveal), "{t}");
    assert!(t.contains("/more: every miss and fact"), "{t}");

    let home = tempfile::tempdir().unwrap();
    let mut script = script();
    script.retain(|s| !matches!(s, Scripted::Input(Input::More)));
    let full = run_verbose(
        home.path(),
        SessionState::new("s-full".into(), 5, plan()),
        script,
    );
    assert_eq!(full.unused, 0);
    let t = &full.transcript;
    let named = t.find("  - Connection pool\n").expect(t);
    assert!(
        t[named..].starts_with(&format!("  - Connection pool\n    {reveal}")),
        "{t}"
    );
    assert!(
        !t.contains("/more"),
        "--verbose shows everything at once: {t}"
    );
}
