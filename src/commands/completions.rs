//! `rehearse completions SHELL` and `rehearse man`: generated from the clap definition, so they
//! never fall behind the real flags.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Prints completions for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "rehearse", out);
    Ok(exit::SUCCESS)
}

/// Prints the man page as roff.
pub fn man(out: &mut dyn Write) -> anyhow::Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(exit::SUCCESS)
}
