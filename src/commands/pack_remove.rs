//! `rehearse pack remove ID`: uninstalls a pack. Its attempts stay in the history, which keys on
//! pack and question ids, so installing it again brings them back into `progress` and review.

use std::io::Write;

use crate::cli::PackIdArgs;
use crate::distribute::{escape::clean, report, store};
use crate::{exit, history};

/// Runs `pack remove`.
pub fn run(args: &PackIdArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = history::data_dir()?;
    let removed = store::remove(&data_dir, &args.id).map_err(store::StoreError::into_anyhow)?;
    let attempts = history::attempts_at_pack(&data_dir, &removed.id);
    writeln!(
        out,
        "Removed pack `{}` {}. {} at its questions stay in your history (`rehearse history`).",
        removed.id,
        clean(&removed.version),
        report::attempts_phrase(attempts)
    )?;
    Ok(exit::SUCCESS)
}
