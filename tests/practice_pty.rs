//! The real binary in a pseudo-terminal: prompts drawn by inquire, keys typed as a person would
//! (Enter, Ctrl-C, Esc), and what the screen shows checked along the way.
//!
//! Each test runs in a fresh `REHEARSE_HOME` with a clean environment (`NO_COLOR=1`,
//! `TERM=xterm`, no editor variables) and the fixture pack only, so neither the built-in content
//! nor the developer's settings matter. Synchronisation is by waiting for text on the screen,
//! never by sleeping, with timeouts generous enough for a loaded two-core machine.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{Options, PtySession, spawn_with_options};

/// Long enough for a debug build on a busy machine; a real hang still fails the test.
const TIMEOUT_MS: u64 = 60_000;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice")
}

fn spawn(home: &Path, args: &[&str]) -> PtySession {
    spawn_with_env(home, args, &[])
}

fn spawn_with_env(home: &Path, args: &[&str], env: &[(&str, &str)]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.env_clear()
        .envs(env.iter().copied())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("REHEARSE_HOME", home)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .env("LINES", "40")
        .arg("--no-builtin")
        .arg("--bank")
        .arg(fixture())
        .arg("practice")
        .args(args);
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("the binary starts in a pty")
}

/// Waits until the screen shows `text`. rexpect reads the terminal byte by byte as Latin-1, so
/// `text` must be ASCII to match what a UTF-8 terminal shows.
fn see(p: &mut PtySession, text: &str) {
    assert!(text.is_ascii(), "pty matches must be ASCII: {text:?}");
    if let Err(e) = p.exp_string(text) {
        panic!("waited for {text:?}: {e}");
    }
}

/// Types `keys` (a line ends with `\r`, as Enter sends in raw mode).
fn typ(p: &mut PtySession, keys: &str) {
    p.send(keys).expect("send");
    p.flush().expect("flush");
}

fn exit_code(p: &mut PtySession) -> i32 {
    p.exp_eof().expect("the program ends");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("did not exit normally: {other:?}"),
    }
}

fn history_lines(home: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(home.join("history.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("history line is JSON"))
        .collect()
}

#[test]
fn a_full_degradation_session_with_investigation_and_follow_up() {
    let home = tempfile::tempdir().unwrap();
    let mut p = spawn(home.path(), &["--question", "slow-checkout", "--seed", "1"]);
    see(
        &mut p,
        "Practice session: 1 question, seed 1 (replay it with --seed 1).",
    );
    see(&mut p, "Checkout is slow after lunch");
    see(&mut p, "time budget 15 min");

    see(&mut p, "Ask the coach:");
    typ(&mut p, "did anything deploy recently?\r");
    see(&mut p, "Coach (Recent changes):");
    see(
        &mut p,
        "A new version of the pricing client went out at 12:40",
    );
    see(&mut p, "Ask the coach:");
    typ(&mut p, "is it raining?\r");
    see(&mut p, "Coach: There is no information on that.");
    see(&mut p, "Ask the coach:");
    typ(&mut p, "/done\r");
    see(
        &mut p,
        "Investigation closed: 2 questions asked, 1 fact uncovered.",
    );

    // Minutes are not pinned: a loaded machine may take one to get here.
    see(&mut p, "first-checks (");
    see(&mut p, " min of 15)");
    see(&mut p, "What do you check first, before changing anything?");
    typ(
        &mut p,
        "I ask what changed at 12:40 and compare p99 per dependency.\r",
    );
    see(&mut p, "Step 2 of 2");
    see(
        &mut p,
        "What are your hypotheses, and how do you test each?",
    );
    typ(&mut p, "/hint\r");
    see(
        &mut p,
        "Hint: Two competing causes, the cheapest check first.",
    );
    see(
        &mut p,
        "What are your hypotheses, and how do you test each?",
    );
    typ(
        &mut p,
        "The release shrank the pool; I compare pool waits before and after.\r",
    );

    see(&mut p, "Follow-up");
    see(
        &mut p,
        "Traffic grows tenfold next year. What breaks first?",
    );
    typ(
        &mut p,
        "The connection pools saturate first; I would load test them.\r",
    );

    see(&mut p, "== Feedback ==");
    see(&mut p, "Time: ");
    see(&mut p, " of a 15 min budget.");
    see(&mut p, "Facts you never uncovered:");
    see(&mut p, "- Connection pool");
    see(&mut p, "CPU usage (a red herring)");
    // Brief: what each fact was about; what it said is behind /more.
    see(&mut p, "/more shows what each of them would have told you.");
    see(&mut p, "Recorded as attempt 1 in your history.");
    see(&mut p, "/model: model answer");
    typ(&mut p, "/more\r");
    see(&mut p, "== Every miss, with its hint ==");
    see(&mut p, "== What the facts you never uncovered said ==");
    see(&mut p, "- Connection pool");
    see(&mut p, "The pricing client's pool is fully used");
    typ(&mut p, "/model\r");
    see(&mut p, "== Model answer ==");
    see(
        &mut p,
        "The pricing pool and the database connections saturate first.",
    );
    see(&mut p, "Enter: next question");
    typ(&mut p, "\r");
    see(&mut p, "== Session summary: 1 question, seed 1 ==");
    see(&mut p, "Practise next:");
    assert_eq!(exit_code(&mut p), 0);

    let lines = history_lines(home.path());
    assert_eq!(lines.len(), 1);
    let a = &lines[0]["attempt"];
    assert_eq!(a["question"], "slow-checkout");
    assert_eq!(
        a["answer"]["investigation"],
        serde_json::json!(["did anything deploy recently?", "is it raining?"])
    );
    assert_eq!(a["facts_uncovered"], serde_json::json!(["recent-deploy"]));
    assert_eq!(a["hints_used"], serde_json::json!(["hypotheses"]));
    assert_eq!(a["follow_up"], "ten-x");
    assert_eq!(a["seed"], 1);
    assert!(
        !home
            .path()
            .join("journal")
            .read_dir()
            .unwrap()
            .any(|_| true)
    );
}

#[test]
fn ctrl_c_saves_and_resume_continues_where_it_stopped() {
    let home = tempfile::tempdir().unwrap();
    let args = [
        "--question",
        "slow-checkout",
        "--question",
        "cache-or-replica",
        "--seed",
        "2",
    ];
    let mut p = spawn(home.path(), &args);
    see(&mut p, "Ask the coach:");
    typ(&mut p, "how full is the connection pool?\r");
    see(&mut p, "Coach (Connection pool):");
    see(&mut p, "Ask the coach:");
    typ(&mut p, "/done\r");
    see(&mut p, "What do you check first, before changing anything?");
    typ(&mut p, "First I look at what changed and who is slow.\r");
    see(
        &mut p,
        "What are your hypotheses, and how do you test each?",
    );
    // Esc asks whether to quit; declining goes back to the same question, with the text
    // typed before Esc still there.
    typ(&mut p, "The pool shrank");
    see(&mut p, "The pool shrank");
    typ(&mut p, "\x1b");
    see(&mut p, "Quit the session?");
    typ(&mut p, "n\r");
    see(
        &mut p,
        "What are your hypotheses, and how do you test each?",
    );
    see(&mut p, "The pool shrank");
    // Ctrl-C asks too; this time yes.
    p.send_control('c').expect("ctrl-c");
    see(&mut p, "Quit the session?");
    typ(&mut p, "y\r");
    see(
        &mut p,
        "Session saved. Continue it with: rehearse practice --resume",
    );
    assert_eq!(exit_code(&mut p), 130);
    assert!(
        history_lines(home.path()).is_empty(),
        "no question was finished"
    );
    assert_eq!(home.path().join("journal").read_dir().unwrap().count(), 1);

    let mut p = spawn(home.path(), &["--resume"]);
    see(&mut p, "Resuming the session of seed 2: question 1 of 2.");
    see(
        &mut p,
        "Resuming with what you gave before: 1 question to the coach, 1 step answered.",
    );
    see(&mut p, "Step 2 of 2");
    see(
        &mut p,
        "What are your hypotheses, and how do you test each?",
    );
    typ(
        &mut p,
        "The smaller pool queues requests; I compare pool waits.\r",
    );
    see(
        &mut p,
        "Traffic grows tenfold next year. What breaks first?",
    );
    typ(&mut p, "The pools, then the database.\r");
    see(&mut p, "Recorded as attempt 1 in your history.");
    see(&mut p, "Enter: next question");
    typ(&mut p, "\r");
    see(&mut p, "== Question 2 of 2: A cache or a read replica ==");
    see(
        &mut p,
        "What are the options, and what does each gain and cost?",
    );
    typ(
        &mut p,
        "A replica is fresh but costs a server; a cache is cheap but stale.\r",
    );
    see(
        &mut p,
        "What do you choose, and what would change your mind?",
    );
    typ(&mut p, "/skip\r");
    see(&mut p, "Skipped; a skipped answer earns nothing.");
    // Seed 2 picks this follow-up for the second question.
    see(&mut p, "The cache cluster goes down at peak. What happens?");
    typ(
        &mut p,
        "The database takes the whole load, so we shed load.\r",
    );
    see(&mut p, "Enter: next question");
    typ(&mut p, "\r");
    see(&mut p, "== Session summary: 2 questions, seed 2 ==");
    assert_eq!(exit_code(&mut p), 0);

    let lines = history_lines(home.path());
    assert_eq!(lines.len(), 2);
    let first = &lines[0]["attempt"];
    assert_eq!(
        first["answer"]["investigation"],
        serde_json::json!(["how full is the connection pool?"])
    );
    assert_eq!(
        first["answer"]["parts"][0]["text"],
        "First I look at what changed and who is slow."
    );
    assert!(
        !home
            .path()
            .join("journal")
            .read_dir()
            .unwrap()
            .any(|_| true)
    );
}

#[test]
fn the_editor_is_split_like_a_shell_and_a_failing_one_falls_back_to_typing() {
    let home = tempfile::tempdir().unwrap();
    // A missing editor: the candidate is told and keeps typing.
    let mut p = spawn_with_env(
        home.path(),
        &["--question", "monolith-split"],
        &[("VISUAL", "no-such-editor-here --wait")],
    );
    see(&mut p, "What would you change today");
    typ(&mut p, "/edit\r");
    see(
        &mut p,
        "Your editor `no-such-editor-here` was not found; type the answer here instead.",
    );
    see(&mut p, "What would you change today");
    typ(
        &mut p,
        "Fewer services, merged back one at a time behind a flag.\r",
    );
    see(&mut p, "Enter: next question");
    typ(&mut p, "\r");
    see(&mut p, "== Session summary");
    assert_eq!(exit_code(&mut p), 0);

    // An editor command with arguments and quotes, as a shell would split it: it keeps a copy
    // of the file it is given, then adds a line to the answer.
    let script = "cp \"$1\" \"$HOME/seen.md\"; printf '%s\\n' 'Merge the chatty services back, one by one.' >> \"$1\"";
    let editor = format!("sh -c '{}' editor", script.replace('\'', "'\\''"));
    let mut p = spawn_with_env(
        home.path(),
        &["--question", "monolith-split"],
        &[("EDITOR", editor.as_str())],
    );
    see(&mut p, "What would you change today");
    typ(&mut p, "Start small. /edit\r");
    // The answer is shown back before it is scored.
    see(&mut p, "Your answer (10 words):");
    see(&mut p, "Merge the chatty services back, one by one.");
    see(&mut p, "Submit this answer?");
    typ(&mut p, "\r");
    see(&mut p, "== Feedback ==");
    see(&mut p, "Enter: next question");
    typ(&mut p, "\r");
    assert_eq!(exit_code(&mut p), 0);
    let seen = std::fs::read_to_string(home.path().join("seen.md")).unwrap();
    assert!(
        seen.starts_with("# What would you change today"),
        "the editor opens on the question: {seen}"
    );
    assert!(
        seen.ends_with("\nStart small.\n"),
        "and the text typed so far: {seen}"
    );
    let lines = history_lines(home.path());
    assert_eq!(
        lines[1]["attempt"]["answer"]["parts"][0]["text"],
        "Start small.\nMerge the chatty services back, one by one."
    );
}

#[test]
fn review_asks_the_questions_history_says_are_due() {
    use rehearse::answer::Answer;
    use rehearse::history::record::{NewAttempt, PackRef, Source};
    use rehearse::pack::Bank;

    let home = tempfile::tempdir().unwrap();
    // A weak attempt at one question three days ago: it is due again; the others were never
    // attempted, so they are not.
    let bank = Bank::load(&[fixture()], true).unwrap();
    let entry = bank.find("cache-or-replica").unwrap();
    let answer = Answer::whole("Use a cache.");
    let rubric = entry.pack.rubric().unwrap();
    let evaluation = rehearse::rubric::score(rubric, entry.question, &answer);
    let three_days_ago = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(72))
        .unwrap();
    let attempt = NewAttempt::new(
        three_days_ago,
        Source::Practice,
        PackRef::new("fixture", "1.0.0"),
        "cache-or-replica",
        answer,
        &evaluation,
        "fnv1a64:0000000000000000",
    )
    .unwrap();
    rehearse::history::store::append(home.path(), attempt).unwrap();

    let mut p = spawn(home.path(), &["--review", "--seed", "4"]);
    see(
        &mut p,
        "1 question is due for review; this session asks 1 of them, weakest first: \
         fixture/cache-or-replica.",
    );
    see(&mut p, "Practice session: 1 question, seed 4");
    see(&mut p, "== Question 1 of 1: A cache or a read replica ==");
    see(
        &mut p,
        "What are the options, and what does each gain and cost?",
    );
    p.send_control('c').expect("ctrl-c");
    see(&mut p, "Quit the session?");
    typ(&mut p, "y\r");
    assert_eq!(exit_code(&mut p), 130);
}
