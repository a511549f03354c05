//! `rehearse calibrate FILE... [--json] [--question ID]... [--kind K]... [--min-spearman X]
//! [--min-kappa X] [--min DIMENSION=X]... [--verbose]`: scores graded answers the way
//! `rehearse score` does and reports how far the engine agrees with the grades.
//!
//! Every file is read and checked before anything is scored, and problems in all of them are
//! reported together (exit 2). Thresholds missed exit 1, after the report is printed, with one
//! line per miss on stderr so a CI log names what missed even under `--json`.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Context as _;

use crate::calibrate::input::{self, Graded};
use crate::calibrate::{Row, Thresholds, excerpt, report};
use crate::cli::CalibrateArgs;
use crate::diag::Diagnostics;
use crate::model::pack::Kind;
use crate::pack::Bank;
use crate::{Context, exit};

/// Runs `calibrate`.
pub fn run(ctx: &Context, args: &CalibrateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for path in &args.files {
        let shown = path.display().to_string();
        let read = crate::drill::grade::read_bounded(path, &shown)
            .map_err(Diagnostics::from)
            .and_then(|bytes| input::parse(&shown, &bytes));
        match read {
            Ok(p) => parsed.push(p),
            Err(d) => problems.extend(d.0),
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).into());
    }
    // The packs are loaded only when a file refers to them.
    let shared = if parsed.iter().any(|p| !p.is_self_contained()) {
        Some(ctx.bank()?)
    } else {
        None
    };
    let kinds: Vec<Kind> = args.kinds.iter().map(|&k| k.into()).collect();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    let mut rows = Vec::new();
    for p in &parsed {
        let own;
        let bank: &Bank = match &shared {
            Some(bank) if !p.is_self_contained() => bank,
            _ => match input::inline_bank(p) {
                Ok(bank) => {
                    own = bank;
                    &own
                }
                Err(d) => {
                    problems.extend(d.0);
                    continue;
                }
            },
        };
        let graded = match input::resolve(p, bank) {
            Ok(graded) => graded,
            Err(d) => {
                problems.extend(d.0);
                continue;
            }
        };
        for g in graded {
            let question = g.item.entry.question;
            if !kinds.is_empty() && !kinds.contains(&question.kind) {
                continue;
            }
            if !args.questions.is_empty() {
                let qualified = g.item.entry.qualified_id();
                let Some(wanted) = args
                    .questions
                    .iter()
                    .find(|w| **w == question.id || **w == qualified)
                else {
                    continue;
                };
                matched.insert(wanted.as_str());
            }
            rows.push(row(&p.file, p.is_self_contained(), g)?);
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).into());
    }
    let unmatched: Vec<String> = args
        .questions
        .iter()
        .filter(|w| !matched.contains(w.as_str()))
        .map(|w| format!("`{}`", crate::text::collapse_ws(w)))
        .collect();
    if !unmatched.is_empty() {
        anyhow::bail!(
            "--question {} matches no answer in {} (with the --kind given); the ids are those \
             of each file's `question:` entries",
            unmatched.join(", "),
            files_named(args)
        );
    }
    if rows.is_empty() {
        anyhow::bail!(
            "no answer in {} is to a question of the --kind given",
            files_named(args)
        );
    }
    let thresholds = Thresholds {
        min_spearman: args.min_spearman,
        min_kappa: args.min_kappa,
        min: args.min.clone(),
    };
    let files = args.files.iter().map(|f| f.display().to_string()).collect();
    let report = report::build(files, &rows, &thresholds);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report::render_text(&report, args.verbose))?;
    }
    if report.missed.is_empty() {
        return Ok(exit::SUCCESS);
    }
    out.flush()?;
    let mut err = std::io::stderr().lock();
    for miss in &report.missed {
        writeln!(err, "threshold missed: {miss}")?;
    }
    Ok(exit::BELOW_THRESHOLD)
}

/// Scores one graded answer with its pack's rubric, as `rehearse score` does. `own`: the
/// question is one of the file's own, shown by its bare id and distinct from any other file's.
fn row(file: &str, own: bool, g: Graded<'_>) -> anyhow::Result<Row> {
    let entry = g.item.entry;
    let judge = crate::judge::for_pack(entry.pack)
        .with_context(|| format!("cannot use the rubric of pack `{}`", entry.pack.meta.id))?;
    let evaluation = judge.evaluate(entry.question, &g.item.answer);
    let (question, group) = if own {
        let id = entry.question.id.clone();
        (id.clone(), format!("{file}#{id}"))
    } else {
        let id = entry.qualified_id();
        (id.clone(), id)
    };
    let text: Vec<&str> = g
        .item
        .answer
        .parts
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    Ok(Row {
        file: file.to_string(),
        line: g.line,
        question,
        group,
        kind: entry.question.kind,
        tag: g.tag,
        gaming: g.gaming,
        strong: g.strong,
        expected: g.expected,
        evaluation,
        excerpt: excerpt(&text.join("\n")),
    })
}

/// The files as one name for a message that concerns them all.
fn files_named(args: &CalibrateArgs) -> String {
    args.files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
