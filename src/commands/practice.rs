//! `rehearse practice`: turns the command line into a planned (or resumed) session and runs it
//! on the terminal.
//!
//! Everything that can be checked without a terminal is checked first (the packs load, the
//! filters match something, a session exists to resume), so a wrong filter gets its explanation
//! even in a script; then the terminal is required, and the session in `crate::session` does the
//! rest. A quit comes back as [`crate::Interrupted`] after the journal is saved, for exit code 130.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context as _;

use crate::Context;
use crate::cli::PracticeArgs;
use crate::exit;
use crate::history::{self, journal, review, store};
use crate::pack::bank::Filter;
use crate::pack::model::{Kind, Level};
use crate::pack::{Bank, Entry};
use crate::session::plan::{self, Candidate, Planned};
use crate::session::state::{JOURNAL_FORMAT, SessionState};
use crate::session::{Outcome, Session, SystemClock};
use crate::terminal::{Terminal, require_terminal};

/// Runs `rehearse practice`.
pub fn run(ctx: &Context, args: &PracticeArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let data_dir = history::data_dir()?;
    let state = if args.resume {
        resume_state(&data_dir)?
    } else {
        let Some(state) = new_state(&bank, args, &data_dir, out)? else {
            return Ok(exit::SUCCESS);
        };
        state
    };
    require_terminal()?;

    if args.resume && state.is_finished() {
        // Quit at the last model-answer question: only the summary is left to show.
        writeln!(
            out,
            "Resuming the session of seed {}: every question is answered.",
            state.seed
        )?;
    } else if args.resume {
        writeln!(
            out,
            "Resuming the session of seed {}: question {} of {}.",
            state.seed,
            state.results.len() + 1,
            state.plan.len()
        )?;
    } else {
        let others = journal::list(&data_dir).unwrap_or_default();
        let n = state.plan.len();
        writeln!(
            out,
            "Practice session: {n} question{}, seed {} (replay it with --seed {}).",
            if n == 1 { "" } else { "s" },
            state.seed,
            state.seed
        )?;
        if !others.is_empty() {
            writeln!(
                out,
                "An interrupted session is also saved; `rehearse practice --resume` continues it."
            )?;
        }
    }
    writeln!(
        out,
        "Ctrl-C or Esc at any prompt asks whether to quit; every answer is kept."
    )?;

    let mut terminal = Terminal::new(ctx.style.color());
    let mut session = Session {
        bank: &bank,
        data_dir: &data_dir,
        source: &mut terminal,
        out,
        clock: &SystemClock,
        style: ctx.style,
        state,
    };
    match session.run()? {
        Outcome::Finished => Ok(exit::SUCCESS),
        Outcome::Quit => Err(crate::Interrupted.into()),
    }
}

/// The newest saved session.
fn resume_state(data_dir: &std::path::Path) -> anyhow::Result<SessionState> {
    let ids = journal::list(data_dir)?;
    let Some(id) = ids.last() else {
        anyhow::bail!(
            "there is no interrupted session to resume in {}; start one with `rehearse practice`",
            data_dir.display()
        );
    };
    let state: SessionState = journal::load(data_dir, id)?
        .with_context(|| format!("the session journal `{id}` disappeared while reading it"))?;
    if state.journal_format != JOURNAL_FORMAT || state.id != *id {
        anyhow::bail!(
            "the session journal `{id}` was written by another version of rehearse and cannot be \
             resumed; remove {} to start afresh",
            journal::journal_path(data_dir, id)?.display()
        );
    }
    Ok(state)
}

/// Plans a new session from the arguments; `None` when there is nothing to do (no question due
/// for review), after saying so.
fn new_state(
    bank: &Bank,
    args: &PracticeArgs,
    data_dir: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<Option<SessionState>> {
    let filter = args.filter.to_filter();
    let seed = args.seed.unwrap_or_else(plan::fresh_seed);
    let count = args.count as usize;
    let planned: Vec<Planned> = if !args.questions.is_empty() {
        let mut chosen = Vec::new();
        for id in &args.questions {
            chosen.push(candidate(bank.find(id)?));
        }
        plan::plan(&chosen, chosen.len(), seed, false)
    } else if args.review {
        let history = store::load(data_dir)?;
        let keys: Vec<review::QuestionKey> = bank
            .filtered(&filter)
            .map(|e| review::QuestionKey::new(&e.pack.meta.id, &e.question.id))
            .collect();
        let due = review::due_questions(&history.attempts, jiff::Timestamp::now(), &keys);
        if due.is_empty() {
            writeln!(
                out,
                "Nothing is due for review{}. `rehearse practice` starts a session of new questions.",
                if filter.is_empty() {
                    ""
                } else {
                    " among the questions these filters select"
                }
            )?;
            return Ok(None);
        }
        let chosen: Vec<Candidate> = due
            .iter()
            .filter_map(|d| bank.find(&d.key.to_string()).ok())
            .map(candidate)
            .collect();
        plan::plan(&chosen, count, seed, false)
    } else {
        let chosen: Vec<Candidate> = bank.filtered(&filter).map(candidate).collect();
        if chosen.is_empty() {
            anyhow::bail!(no_match(bank, &filter));
        }
        plan::plan(&chosen, count, seed, true)
    };
    let id = format!(
        "{}-{seed}",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    );
    Ok(Some(SessionState::new(id, seed, planned)))
}

fn candidate(entry: Entry<'_>) -> Candidate {
    Candidate {
        question: entry.qualified_id(),
        follow_ups: entry
            .question
            .follow_ups
            .iter()
            .map(|f| f.id.clone())
            .collect(),
    }
}

/// Explains an empty selection: which filters match nothing on their own (or that only their
/// combination is empty), and what the loaded packs do have.
pub fn no_match(bank: &Bank, filter: &Filter) -> String {
    let total = bank.entries().count();
    if total == 0 {
        return "no questions are loaded: the built-in pack is left out (--no-builtin) and no \
                --bank pack has questions"
            .to_string();
    }
    let alone = |f: Filter| bank.filtered(&f).next().is_some();
    let mut empty = Vec::new();
    let mut all = Vec::new();
    for k in &filter.kinds {
        all.push(format!("--kind {k}"));
        if !alone(Filter {
            kinds: vec![*k],
            ..Filter::default()
        }) {
            empty.push(format!("--kind {k}"));
        }
    }
    for t in &filter.tags {
        all.push(format!("--tag {t}"));
        if !alone(Filter {
            tags: vec![t.clone()],
            ..Filter::default()
        }) {
            empty.push(format!("--tag {t}"));
        }
    }
    for l in &filter.levels {
        all.push(format!("--level {l}"));
        if !alone(Filter {
            levels: vec![*l],
            ..Filter::default()
        }) {
            empty.push(format!("--level {l}"));
        }
    }
    let mut message = if empty.is_empty() {
        format!(
            "no question matches {} together, though each of them matches some questions",
            all.join(" ")
        )
    } else {
        format!("no question matches {}", empty.join(", "))
    };

    let mut kinds: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut levels: BTreeMap<Level, usize> = BTreeMap::new();
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    for e in bank.entries() {
        *kinds.entry(e.question.kind).or_default() += 1;
        *levels.entry(e.question.level()).or_default() += 1;
        for t in &e.question.tags {
            *tags.entry(t.to_lowercase()).or_default() += 1;
        }
    }
    let list = |items: Vec<String>| items.join(", ");
    message.push_str(&format!(
        "\n  loaded: {total} question{}\n  kinds: {}\n  levels: {}\n  tags: {}\n  \
         `rehearse list` shows every question",
        if total == 1 { "" } else { "s" },
        list(kinds.iter().map(|(k, n)| format!("{k} ({n})")).collect()),
        list(levels.iter().map(|(l, n)| format!("{l} ({n})")).collect()),
        if tags.is_empty() {
            "none".to_string()
        } else {
            list(tags.iter().map(|(t, n)| format!("{t} ({n})")).collect())
        }
    ));
    message
}
