//! `rehearse pack new DIR [--id ID] [--kind K]...`: starts a pack that validates and passes its
//! self-tests as created, and says what to run next.

use std::io::Write;

use crate::cli::PackNewArgs;
use crate::distribute::{escape::clean, scaffold};
use crate::exit;
use crate::model::pack::Kind;

/// Runs `pack new`.
pub fn run(args: &PackNewArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let id = scaffold::id_for(&args.dir, args.id.as_deref())?;
    let kinds: Vec<Kind> = args.kinds.iter().map(|&k| k.into()).collect();
    let written = scaffold::create(&args.dir, &id, &kinds)?;
    let dir = clean(&args.dir.display().to_string());
    writeln!(out, "Created pack `{id}` in {dir}:")?;
    for rel in &written {
        writeln!(out, "  {}", rel.display())?;
    }
    writeln!(
        out,
        "Next: edit the questions (keep their ids once students have them), then run\n  \
         rehearse pack validate {dir}\n  rehearse pack test {dir}\n\
         {dir}/README.md says how to calibrate and publish it."
    )?;
    Ok(exit::SUCCESS)
}
