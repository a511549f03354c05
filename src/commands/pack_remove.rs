//! `rehearse pack remove ID`: uninstalls a pack. Its attempts stay in the history, which keys on
//! pack and question ids, so installing it again brings them back into `progress` and review.

use std::io::Write;

use crate::cli::PackIdArgs;
use crate::distribute::{escape::clean, store};
use crate::exit;

/// Runs `pack remove`.
pub fn run(args: &PackIdArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data_dir = crate::history::data_dir()?;
    let removed = store::remove(&data_dir, &args.id).map_err(store::StoreError::into_anyhow)?;
    let attempts = super::pack_update::attempts_at(&data_dir, &removed.id);
    writeln!(
        out,
        "Removed pack `{}` {}. {} at its questions stay in your history (`rehearse history`).",
        removed.id,
        clean(&removed.version),
        attempts_phrase(attempts)
    )?;
    Ok(exit::SUCCESS)
}

/// "No attempts", "1 attempt", "3 attempts".
pub fn attempts_phrase(n: usize) -> String {
    match n {
        0 => "No attempts".to_string(),
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    }
}
