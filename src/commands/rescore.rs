//! `rehearse rescore`: re-scores stored attempts with the current packs and rubric, keeping the
//! old scores beside the new ones.
//!
//! An attempt is scored again when its question (matched by pack id and stable question id) is
//! in a loaded pack and either the pack version or the rubric fingerprint differs from what its
//! current scores were made with. Attempts whose question no pack has any more are listed and
//! kept untouched.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::Ordering;

use crate::style::{Paint, Style};
use anyhow::Context as _;

use crate::cli::RescoreArgs;
use crate::clock::Clock as _;
use crate::history::read::warn;
use crate::history::record::PackRef;
use crate::history::rescore::{self, Ended, Lookup, Outcome, Status};
use crate::json_output::ArrayWriter;
use crate::judge::{self, Judge};
use crate::pack::Pack;
use crate::{Context, exit};

/// The judge a pack's questions are graded by (see [`judge::for_pack`]).
fn judge_for(pack: &Pack) -> anyhow::Result<Box<dyn Judge<'_> + '_>> {
    judge::for_pack(pack)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot compile the rubric of pack `{}`", pack.meta.id))
}

/// Runs `rescore`: the history is read record by record, each attempt looked up as it is read,
/// and each outcome printed once its rescore is written (see [`rescore::rescore_log`]), so the
/// output and the memory do not wait for, or grow with, the whole history.
pub fn run(ctx: &Context, args: &RescoreArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let mut judges: BTreeMap<&str, Box<dyn Judge<'_> + '_>> = BTreeMap::new();
    for pack in bank.packs() {
        judges.insert(&pack.meta.id, judge_for(pack)?);
    }
    let data_dir = crate::history::data_dir()?;
    let interrupted = crate::interrupt::watch()?;
    let mut failure = None;
    let mut printer = Printer {
        json: args.json.then(ArrayWriter::default),
        style: ctx.style,
        counts: [0; 3],
    };
    let ended = rescore::rescore_log(
        &data_dir,
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
        warn,
        |outcomes: &[Outcome]| outcomes.iter().try_for_each(|o| printer.outcome(out, o)),
        || interrupted.load(Ordering::Relaxed),
    )?;
    if ended == Ended::Stopped {
        return Err(crate::Interrupted.into());
    }
    if let Some(e) = failure {
        return Err(e);
    }
    printer.finish(out, args.dry_run)?;
    Ok(exit::SUCCESS)
}

/// The outcomes as they come: each as an element of the JSON array, or as a line of text (for
/// an attempt that changed or whose question is gone), counted for the closing line.
struct Printer {
    json: Option<ArrayWriter>,
    style: Style,
    /// Re-scored (or would be), unchanged, question missing.
    counts: [usize; 3],
}

impl Printer {
    fn outcome(&mut self, out: &mut dyn Write, o: &Outcome) -> anyhow::Result<()> {
        if let Some(array) = &mut self.json {
            return array.element(out, o);
        }
        let style = self.style;
        let grade = |g: &Option<crate::history::record::Grade>| {
            g.as_ref().map_or_else(
                || "-".to_string(),
                |g| format!("{} {:.2}", g.label, g.score),
            )
        };
        match o.status {
            Status::Rescored | Status::WouldRescore => {
                self.counts[0] += 1;
                writeln!(
                    out,
                    "#{} {}  {} -> {}",
                    o.attempt,
                    style.paint(&o.question.to_string(), Paint::Accent),
                    grade(&o.before),
                    grade(&o.after)
                )?;
            }
            Status::QuestionMissing => {
                self.counts[2] += 1;
                writeln!(
                    out,
                    "#{} {}  {}",
                    o.attempt,
                    style.paint(&o.question.to_string(), Paint::Accent),
                    style.paint("question is in no loaded pack; kept as it was", Paint::Warn)
                )?;
            }
            Status::Unchanged => self.counts[1] += 1,
        }
        Ok(())
    }

    /// Closes the JSON array, or writes the closing line with the counts.
    fn finish(self, out: &mut dyn Write, dry_run: bool) -> anyhow::Result<()> {
        if let Some(array) = self.json {
            return array.finish(out);
        }
        let [changed, unchanged, missing] = self.counts;
        let verb = if dry_run { "Would rescore" } else { "Rescored" };
        writeln!(
            out,
            "{verb} {}; {unchanged} unchanged; {missing} at questions no loaded pack has (kept).",
            crate::plural::plural(changed, "attempt", "attempts"),
        )?;
        Ok(())
    }
}
