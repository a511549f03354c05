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
use crate::clock::Clock as _;
use crate::exit;
use crate::history::{self, journal, review};
use crate::model::pack::{Kind, Level};
use crate::pack::bank::Filter;
use crate::pack::{Bank, Entry};
use crate::session::plan::{self, Candidate, Planned};
use crate::session::state::{JOURNAL_FORMAT, SessionState};
use crate::session::{Outcome, Session};
use crate::terminal::{Terminal, require_terminal};

/// Runs `rehearse practice`.
pub fn run(ctx: &Context, args: &PracticeArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = history::data_dir()?;
    if args.sessions {
        return list_sessions(&data_dir, out);
    }
    if let Some(id) = &args.discard {
        let state = saved_session(&data_dir, Some(id))?;
        journal::remove(&data_dir, &state.id)?;
        writeln!(
            out,
            "Discarded session {} (seed {}, {} of {} questions answered).",
            state.id,
            state.seed,
            state.results.len(),
            state.plan.len()
        )?;
        return Ok(exit::SUCCESS);
    }
    let bank = ctx.bank()?;
    let state = if let Some(id) = &args.resume {
        saved_session(&data_dir, id.as_deref())?
    } else {
        let Some(state) = new_state(ctx, &bank, args, &data_dir, out)? else {
            return Ok(exit::SUCCESS);
        };
        state
    };
    require_terminal()?;

    let resume = args.resume.is_some();
    if resume && state.is_finished() {
        // Quit at the last model-answer question: only the summary is left to show.
        writeln!(
            out,
            "Resuming the session of seed {}: every question is answered.",
            state.seed
        )?;
    } else if resume {
        writeln!(
            out,
            "Resuming the session of seed {}: question {} of {}.",
            state.seed,
            state.results.len() + 1,
            state.plan.len()
        )?;
        let others = journal::list(&data_dir)
            .unwrap_or_default()
            .len()
            .saturating_sub(1);
        if others > 0 {
            writeln!(
                out,
                "{others} other saved session{} can be resumed; `rehearse practice --sessions` \
                 lists them.",
                if others == 1 { "" } else { "s" }
            )?;
        }
    } else {
        let others = journal::list(&data_dir).unwrap_or_default();
        let n = state.plan.len();
        writeln!(
            out,
            "Practice session: {}, seed {} (replay it with --seed {}).",
            crate::plural::plural(n, "question", "questions"),
            state.seed,
            state.seed
        )?;
        if !others.is_empty() {
            writeln!(
                out,
                "{} interrupted session{} also saved; `rehearse practice --sessions` lists them.",
                others.len(),
                if others.len() == 1 { " is" } else { "s are" }
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
        clock: &ctx.clock,
        style: ctx.style,
        verbose: args.verbose,
        state,
    };
    match session.run()? {
        Outcome::Finished => Ok(exit::SUCCESS),
        Outcome::Quit => Err(crate::Interrupted.into()),
    }
}

/// The saved session `id`, or the newest without one.
fn saved_session(data_dir: &std::path::Path, id: Option<&str>) -> anyhow::Result<SessionState> {
    let ids = journal::list(data_dir)?;
    let id = match id {
        Some(id) if ids.iter().any(|i| i == id) => id.to_string(),
        Some(id) => anyhow::bail!(
            "there is no saved session `{id}`; {}",
            if ids.is_empty() {
                "none is saved".to_string()
            } else {
                format!("the saved ones are: {}", ids.join(", "))
            }
        ),
        None => match ids.last() {
            Some(id) => id.clone(),
            None => anyhow::bail!(
                "there is no interrupted session to resume in {}; start one with `rehearse \
                 practice`",
                data_dir.display()
            ),
        },
    };
    let state: SessionState = journal::load(data_dir, &id)?
        .with_context(|| format!("the session journal `{id}` disappeared while reading it"))?;
    if state.journal_format != JOURNAL_FORMAT || state.id != id {
        anyhow::bail!(
            "the session journal `{id}` was written by another version of rehearse and cannot be \
             resumed; `rehearse practice --discard {id}` removes it"
        );
    }
    Ok(state)
}

/// `--sessions`: every saved session with its seed, how far it got and where it stands.
fn list_sessions(data_dir: &std::path::Path, out: &mut dyn Write) -> anyhow::Result<u8> {
    let ids = journal::list(data_dir)?;
    if ids.is_empty() {
        writeln!(
            out,
            "No interrupted session is saved. `rehearse practice` starts one."
        )?;
        return Ok(exit::SUCCESS);
    }
    writeln!(
        out,
        "{:<32} {:>20}  {:<10}  NEXT QUESTION",
        "ID", "SEED", "ANSWERED"
    )?;
    for id in &ids {
        match journal::load::<SessionState>(data_dir, id) {
            Ok(Some(state)) if state.journal_format == JOURNAL_FORMAT => {
                let next = state
                    .plan
                    .get(state.results.len())
                    .map_or("(only the summary is left)", |p| p.question.as_str());
                writeln!(
                    out,
                    "{id:<32} {:>20}  {:<10}  {next}",
                    state.seed,
                    format!("{} of {}", state.results.len(), state.plan.len()),
                )?;
            }
            _ => writeln!(
                out,
                "{id:<32} {:>20}  {:<10}  (unreadable; `--discard {id}` removes it)",
                "-", "-"
            )?,
        }
    }
    writeln!(
        out,
        "\n`rehearse practice --resume ID` continues one (the newest without an ID); \
         `rehearse practice --discard ID` deletes one."
    )?;
    Ok(exit::SUCCESS)
}

/// Plans a new session from the arguments; `None` when there is nothing to do (no question due
/// for review), after saying so.
fn new_state(
    ctx: &Context,
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
        let keys: Vec<review::QuestionKey> = bank
            .filtered(&filter)
            .map(|e| review::QuestionKey::new(&e.pack.meta.id, &e.question.id))
            .collect();
        let due = review::schedule_log(data_dir)?.due(ctx.clock.now(), &keys);
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
        let planned = plan::plan(&chosen, count, seed, false);
        let asked: Vec<&str> = planned.iter().map(|p| p.question.as_str()).collect();
        writeln!(
            out,
            "{} due for review; this session asks {} of them, weakest first: {}.{}",
            if due.len() == 1 {
                "1 question is".to_string()
            } else {
                format!("{} questions are", due.len())
            },
            asked.len(),
            asked.join(", "),
            if asked.len() < due.len() {
                format!(
                    " `--count {}` asks them all; `rehearse progress` lists what is due.",
                    due.len()
                )
            } else {
                String::new()
            }
        )?;
        planned
    } else {
        let chosen: Vec<Candidate> = bank.filtered(&filter).map(candidate).collect();
        if chosen.is_empty() {
            anyhow::bail!(no_match(bank, &filter));
        }
        plan::plan(&chosen, count, seed, true)
    };
    let id = format!("{}-{seed}", ctx.clock.now().strftime("%Y%m%dT%H%M%SZ"));
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
        "\n  loaded: {}\n  kinds: {}\n  levels: {}\n  tags: {}\n  \
         `rehearse list` shows every question",
        crate::plural::plural(total, "question", "questions"),
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
