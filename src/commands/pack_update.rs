//! `rehearse pack update [ID]`: fetches installed packs from their sources again, validates them,
//! shows what changed, and swaps them in. A failure leaves the installed version in place.
//! History is keyed on pack and question ids, so it carries over; `rehearse rescore` re-scores
//! earlier attempts with the new version.

use std::io::Write;

use crate::cli::PackUpdateArgs;
use crate::clock::Clock as _;
use crate::distribute::{report, store};
use crate::{Context, exit, history};

/// Runs `pack update`.
pub fn run(ctx: &Context, args: &PackUpdateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = history::data_dir()?;
    let now = ctx.clock.now();
    if args.id.is_none() && store::read_lock(&data_dir)?.packs.is_empty() {
        writeln!(out, "No packs installed; nothing to update.")?;
        return Ok(exit::SUCCESS);
    }
    let updates = store::update(&data_dir, args.id.as_deref(), now)
        .map_err(store::StoreError::into_anyhow)?;
    for u in &updates {
        write!(
            out,
            "{}",
            report::updated(&u.before, &u.after, u.changes.as_ref())
        )?;
        let attempts = history::attempts_at_pack(&data_dir, &u.after.id);
        if u.changes.is_some() && attempts > 0 {
            writeln!(
                out,
                "  {} at this pack stay in your history; `rehearse rescore` scores them again \
                 with this version.",
                report::attempts_phrase(attempts)
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
