//! `rehearse rescore`: re-scores stored attempts with the current packs and rubric, keeping the
//! old scores beside the new ones.
//!
//! An attempt is scored again when its question (matched by pack id and stable question id) is
//! in a loaded pack and either the pack version or the rubric fingerprint differs from what its
//! current scores were made with. Attempts whose question no pack has any more are listed and
//! kept untouched.

use std::collections::BTreeMap;
use std::io::Write;

use crate::style::{Paint, Style};
use anyhow::Context as _;

use crate::cli::RescoreArgs;
use crate::clock::Clock as _;
use crate::history::read::load;
use crate::history::record::PackRef;
use crate::history::rescore::{self, Lookup, Outcome, Status};
use crate::json_output;
use crate::judge::{self, Judge};
use crate::pack::Pack;
use crate::{Context, exit};

/// The judge a pack's questions are graded by (see [`judge::for_pack`]).
fn judge_for(pack: &Pack) -> anyhow::Result<Box<dyn Judge<'_> + '_>> {
    judge::for_pack(pack)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot compile the rubric of pack `{}`", pack.meta.id))
}

/// Runs `rescore`.
pub fn run(ctx: &Context, args: &RescoreArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let history = load()?;
    let bank = ctx.bank()?;
    let mut judges: BTreeMap<&str, Box<dyn Judge<'_> + '_>> = BTreeMap::new();
    for pack in bank.packs() {
        judges.insert(&pack.meta.id, judge_for(pack)?);
    }
    let data_dir = crate::history::data_dir()?;
    let mut failure = None;
    let outcomes = rescore::rescore_all(
        &data_dir,
        &history.attempts,
        ctx.clock.now(),
        args.dry_run,
        |attempt| {
            let Some(entry) = bank
                .entries()
                .find(|e| e.pack.meta.id == attempt.pack.id && e.question.id == attempt.question)
            else {
                return Lookup::Missing;
            };
            let Some(judge) = judges.get(entry.pack.meta.id.as_str()) else {
                return Lookup::Missing;
            };
            let fingerprint = match judge.fingerprint(entry.question) {
                Ok(f) => f,
                Err(e) => {
                    failure.get_or_insert(e);
                    return Lookup::Unchanged;
                }
            };
            let (basis_pack, basis_fingerprint) = rescore::current_basis(attempt);
            if basis_fingerprint == fingerprint && basis_pack.version == entry.pack.meta.version {
                return Lookup::Unchanged;
            }
            let evaluation = judge.evaluate(entry.question, &attempt.answer);
            match serde_json::to_value(&evaluation) {
                Ok(evaluation) => Lookup::Scored {
                    pack: PackRef::of(entry.pack),
                    rubric_fingerprint: fingerprint,
                    evaluation,
                },
                Err(e) => {
                    failure.get_or_insert(crate::history::record::ShapeError(e.to_string()).into());
                    Lookup::Unchanged
                }
            }
        },
    )?;
    if let Some(e) = failure {
        return Err(e);
    }
    if args.json {
        json_output::write(out, &outcomes)?;
        return Ok(exit::SUCCESS);
    }
    render(out, &outcomes, args.dry_run, ctx.style)?;
    Ok(exit::SUCCESS)
}

fn render(
    out: &mut dyn Write,
    outcomes: &[Outcome],
    dry_run: bool,
    style: Style,
) -> anyhow::Result<()> {
    let grade = |g: &Option<crate::history::record::Grade>| {
        g.as_ref().map_or_else(
            || "-".to_string(),
            |g| format!("{} {:.2}", g.label, g.score),
        )
    };
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    for o in outcomes {
        match o.status {
            Status::Rescored | Status::WouldRescore => writeln!(
                out,
                "#{} {}  {} -> {}",
                o.attempt,
                style.paint(&o.question.to_string(), Paint::Accent),
                grade(&o.before),
                grade(&o.after)
            )?,
            Status::QuestionMissing => writeln!(
                out,
                "#{} {}  {}",
                o.attempt,
                style.paint(&o.question.to_string(), Paint::Accent),
                style.paint("question is in no loaded pack; kept as it was", Paint::Warn)
            )?,
            Status::Unchanged => {}
        }
    }
    let changed = count(Status::Rescored) + count(Status::WouldRescore);
    let verb = if dry_run { "Would rescore" } else { "Rescored" };
    writeln!(
        out,
        "{verb} {}; {} unchanged; {} at questions no loaded pack has (kept).",
        crate::plural::plural(changed, "attempt", "attempts"),
        count(Status::Unchanged),
        count(Status::QuestionMissing)
    )?;
    Ok(())
}
