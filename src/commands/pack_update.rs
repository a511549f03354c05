//! `rehearse pack update [ID]`: fetches installed packs from their sources again, validates them,
//! shows what changed, and swaps them in. A failure leaves the installed version in place.
//! History is keyed on pack and question ids, so it carries over; `rehearse rescore` re-scores
//! earlier attempts with the new version.

use std::io::Write;
use std::path::Path;

use crate::cli::PackUpdateArgs;
use crate::clock::Clock as _;
use crate::distribute::{report, store};
use crate::{Context, exit};

/// Runs `pack update`.
pub fn run(ctx: &Context, args: &PackUpdateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = crate::history::data_dir()?;
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
        let attempts = attempts_at(&data_dir, &u.after.id);
        if u.changes.is_some() && attempts > 0 {
            writeln!(
                out,
                "  {} at this pack stay in your history; `rehearse rescore` scores them again \
                 with this version.",
                super::pack_remove::attempts_phrase(attempts)
            )?;
        }
    }
    Ok(exit::SUCCESS)
}

/// How many recorded attempts are at questions of pack `id` (0 when the history cannot be read:
/// this only words a hint).
pub fn attempts_at(data_dir: &Path, id: &str) -> usize {
    crate::history::store::load(data_dir)
        .map(|h| h.attempts.iter().filter(|a| a.pack.id == id).count())
        .unwrap_or(0)
}
