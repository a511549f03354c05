//! `rehearse pack info ID`: one installed pack: its manifest, where it came from, what exactly is
//! installed, and its questions.

use std::io::Write;

use crate::cli::PackIdArgs;
use crate::distribute::{lock::Lock, report, store};
use crate::exit;

/// Runs `pack info`.
pub fn run(args: &PackIdArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = crate::history::data_dir()?;
    let lock = store::read_lock(&data_dir)?;
    let locked = store::require(&lock, &args.id).map_err(store::StoreError::into_anyhow)?;
    let packs_dir = store::packs_dir(&data_dir);
    let pack = store::load_installed(&packs_dir, locked)?;
    write!(
        out,
        "{}",
        report::info(locked, &pack, &Lock::dir_of(&packs_dir, locked))
    )?;
    Ok(exit::SUCCESS)
}
