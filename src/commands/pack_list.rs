//! `rehearse pack list [--json]`: the installed packs, from the lock file.

use std::io::Write;

use crate::cli::PackListArgs;
use crate::distribute::{report, store};
use crate::exit;

/// Runs `pack list`.
pub fn run(args: &PackListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = crate::history::data_dir()?;
    let lock = store::read_lock(&data_dir)?;
    if args.json {
        // Data, not display: serde_json escapes C0 controls; titles and sources are otherwise
        // printed as stored, like every other `--json` output.
        serde_json::to_writer_pretty(&mut *out, &lock.packs)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report::list(&lock.packs))?;
    }
    Ok(exit::SUCCESS)
}
