//! `rehearse score ID [--answer-file F | -] [--json]`: scores one answer and explains it.
//!
//! The answer comes from a file, from standard input (`-`, or a pipe), or is typed in when
//! standard input is a terminal: a prompt on stderr says how to end it, rather than a silent wait.
//! An answer with nothing but white space is an input error, never scored or recorded. It is plain
//! text: the whole answer, or split into steps by heading lines `## STEP-ID`
//! (the question's step ids, plus `## follow-up` for the answer to its first follow-up). Text
//! before the first heading belongs to no step. Feedback goes to stdout as text, or as the
//! versioned result object of `docs/json-output.md` with `--json`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;

use crate::answer::{Answer, AnswerPart};
use crate::cli::ScoreArgs;
use crate::clock::Clock as _;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::feedback::{self, Detail};
use crate::history::record::{Source, attempt_for};
use crate::model::pack::Question;
use crate::{Context, exit};

/// The step label of the follow-up answer in an answer file.
const FOLLOW_UP: &str = "follow-up";

/// Runs `score`.
pub fn run(ctx: &Context, args: &ScoreArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let entry = bank.find(&args.id)?;
    let (name, text) = read_answer(args.answer_file.as_deref().or(args.answer.as_deref()))?;
    let answer = parse_answer(&name, &text, entry.question)?.without_invisible();
    if answer.is_blank() {
        return Err(Diagnostics(vec![Diagnostic::file(
            &name,
            "the answer is empty; write it in a file and pass `--answer-file FILE`, or pipe it \
             in with `-` (nothing was scored or recorded)",
        )])
        .into());
    }
    let judge = crate::judge::for_pack(entry.pack)
        .with_context(|| format!("cannot use the rubric of pack `{}`", entry.pack.meta.id))?;
    let evaluation = judge.evaluate(entry.question, &answer);
    if args.record {
        let now = ctx.clock.now();
        let fingerprint = judge.fingerprint(entry.question)?;
        let attempt = attempt_for(now, Source::Score, entry, answer, &evaluation, fingerprint)?;
        let dir = crate::history::data_dir()?;
        let kept = crate::history::store::append(&dir, attempt)?;
        // On stderr, so `--json` output stays one document.
        eprintln!("Recorded as attempt {} in your history.", kept.id);
    }
    if args.json {
        writeln!(out, "{}", evaluation.to_json())?;
    } else {
        let detail = if args.verbose {
            Detail::Full
        } else {
            Detail::Brief { more: "--verbose" }
        };
        write!(out, "{}", feedback::render(&evaluation, ctx.style, detail))?;
    }
    Ok(exit::SUCCESS)
}

/// Reads the answer from a file, or from stdin for `-` or no file. Returns the name used in
/// diagnostics and the text.
fn read_answer(path: Option<&Path>) -> anyhow::Result<(String, String)> {
    // Bounded while reading: a stray `cat /dev/urandom |` or a huge file costs a message, not
    // the machine's memory.
    let limit = crate::input::MAX_ANSWER_BYTES;
    let (name, bytes) = match path {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let bytes = crate::input::read_file(p, &name, limit).map_err(Diagnostics::from)?;
            (name, bytes)
        }
        _ => {
            let name = "<stdin>".to_string();
            if std::io::stdin().is_terminal() {
                // Reading a terminal with no word would look like a hang. Filled to the width of
                // the terminal it is shown on, so it does not break mid-word at 80 columns.
                let width = crate::style::stderr_width();
                eprintln!(
                    "{}",
                    crate::reflow::fill(
                        "Type or paste your answer, then press Ctrl-D on a line of its own \
                         (`--answer-file FILE` or `-` reads it from a file or a pipe instead):",
                        width,
                        ""
                    )
                );
            }
            let bytes = crate::input::read_stream(std::io::stdin().lock(), &name, limit)
                .map_err(Diagnostics::from)?;
            (name, bytes)
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostics(vec![Diagnostic::at(
            &name,
            Pos::new(line as u32, column as u32),
            "the answer is not UTF-8 text",
        )])
    })?;
    Ok((name, text))
}

/// Splits an answer file into step parts at `## STEP` lines, where STEP is a step id of the
/// question (`## first-checks`) or its wording (`## First checks`, or the step's question). Any
/// other Markdown heading is part of the answer: free-form answers are answers. A heading that
/// looks like a mistyped step id (`## frist-checks`) is an error at its line and column, with the
/// step it probably meant.
pub fn parse_answer(name: &str, text: &str, question: &Question) -> Result<Answer, Diagnostics> {
    let steps = question.effective_steps();
    let ids: Vec<String> = steps.iter().map(|s| s.id.clone()).collect();
    let mut answer = Answer::default();
    let mut current: Option<String> = None;
    let mut buffer = String::new();
    let mut problems = Vec::new();
    let mut saw_heading = false;
    let flush = |current: &Option<String>, buffer: &mut String, answer: &mut Answer| {
        let body = std::mem::take(buffer);
        match current.as_deref() {
            Some(FOLLOW_UP) => answer.follow_up = Some(body.trim().to_string()),
            step => {
                if !body.trim().is_empty() || step.is_some() {
                    answer.parts.push(AnswerPart {
                        step: step.map(str::to_string),
                        text: body.trim().to_string(),
                    });
                }
            }
        }
    };
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("## ") {
            let heading = rest.trim();
            let column = line.len() - trimmed.len() + 4;
            if let Some(id) = step_named(heading, &steps) {
                if saw_heading || !buffer.trim().is_empty() {
                    flush(&current, &mut buffer, &mut answer);
                }
                buffer.clear();
                current = Some(id);
                saw_heading = true;
                continue;
            }
            if let Some(meant) = mistyped_id(heading, &ids) {
                problems.push(Diagnostic::at(
                    name,
                    Pos::new(index as u32 + 1, column as u32),
                    format!(
                        "`{heading}` is not a step of question `{}`; did you mean `{meant}`? Its \
                         steps are {} (and `{FOLLOW_UP}`)",
                        question.id,
                        ids.join(", ")
                    ),
                ));
                continue;
            }
        }
        buffer.push_str(line);
        buffer.push('\n');
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    if saw_heading {
        flush(&current, &mut buffer, &mut answer);
    } else {
        answer.parts.push(AnswerPart {
            step: None,
            text: text.to_string(),
        });
    }
    Ok(answer)
}

/// The step (or the follow-up) a heading names: its id, or its wording in any case and with any
/// punctuation (`First checks`, `What do you check first?`).
fn step_named(heading: &str, steps: &[crate::model::pack::Step]) -> Option<String> {
    let words = |s: &str| -> String {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let said = words(heading);
    if heading == FOLLOW_UP || said == words(FOLLOW_UP) {
        return Some(FOLLOW_UP.to_string());
    }
    steps
        .iter()
        .find(|s| heading == s.id || said == words(&s.id) || said == words(&s.ask))
        .map(|s| s.id.clone())
}

/// The step id a heading probably misspells: one kebab-case word within two edits of an id.
fn mistyped_id<'a>(heading: &str, ids: &'a [String]) -> Option<&'a str> {
    let kebab = !heading.is_empty()
        && heading
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        return None;
    }
    ids.iter()
        .map(|id| (strsim::levenshtein(heading, id), id))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pack::Kind;

    fn question() -> Question {
        Question::minimal("q", Kind::TradeOff, "t", "p")
    }

    #[test]
    fn plain_text_is_one_whole_answer() {
        // A Markdown heading that names no step is part of a free-form answer.
        let a = parse_answer(
            "f",
            "Just text.\n## What I want to know first\nMore.",
            &question(),
        )
        .unwrap();
        assert_eq!(a.parts.len(), 1);
        assert_eq!(a.parts[0].step, None);
        assert!(a.parts[0].text.contains("## What I want to know first"));
        let a = parse_answer("f", "Just text.\nMore.", &question()).unwrap();
        assert_eq!(a.parts.len(), 1);
        assert_eq!(a.parts[0].step, None);
    }

    #[test]
    fn headings_split_steps_and_follow_up() {
        let text = "## clarify\nHow many?\n\n## options\nA or B.\n## follow-up\nIt breaks.\n";
        let a = parse_answer("f", text, &question()).unwrap();
        let steps: Vec<_> = a
            .parts
            .iter()
            .map(|p| (p.step.as_deref().unwrap_or(""), p.text.as_str()))
            .collect();
        assert_eq!(steps, [("clarify", "How many?"), ("options", "A or B.")]);
        assert_eq!(a.follow_up.as_deref(), Some("It breaks."));
    }

    #[test]
    fn headings_in_a_steps_wording_split_steps() {
        let q = question();
        let steps = q.effective_steps();
        let text = format!(
            "## {}\nTwo queues.\n## Follow up\nIt breaks.\n",
            steps[0].id.replace('-', " ").to_uppercase()
        );
        let a = parse_answer("f", &text, &q).unwrap();
        assert_eq!(a.parts[0].step.as_deref(), Some(steps[0].id.as_str()));
        assert_eq!(a.follow_up.as_deref(), Some("It breaks."));
    }

    #[test]
    fn unknown_step_is_reported_at_its_line_and_column() {
        let err = parse_answer("answer.md", "intro\n  ## clarfy\n", &question()).unwrap_err();
        let shown = err.0[0].to_string();
        assert!(
            shown.starts_with("answer.md:2:6: `clarfy` is not a step")
                && shown.contains("did you mean `clarify`"),
            "{shown}"
        );
    }
}
