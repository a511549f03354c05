//! `rehearse pack install SOURCE`: fetches a pack, validates it, and installs it in the data
//! directory, where every command finds it. Exit 2, with nothing changed, when the source cannot
//! be read, is not a valid pack, or has an id already taken.

use std::io::Write;

use crate::cli::PackInstallArgs;
use crate::clock::Clock as _;
use crate::distribute::{report, source::Source, store};
use crate::{Context, exit};

/// Runs `pack install`.
pub fn run(ctx: &Context, args: &PackInstallArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let source = Source::parse(&args.source)?;
    let data_dir = crate::history::data_dir()?;
    let now = ctx.clock.now();
    let (locked, _) =
        store::install(&data_dir, &source, now).map_err(store::StoreError::into_anyhow)?;
    write!(out, "{}", report::installed(&locked))?;
    Ok(exit::SUCCESS)
}
