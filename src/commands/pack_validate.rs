//! `rehearse pack validate PATH...`: loads each pack and reports every problem found, as
//! `FILE:LINE:COLUMN: message`, on stderr. Exit 0 when all are valid, 2 otherwise.

use std::io::Write;

use crate::cli::ValidateArgs;
use crate::diag::Diagnostics;
use crate::pack::load;
use crate::{Context, exit};

/// Validates every path; problems of all packs are reported together.
pub fn run(_ctx: &Context, args: &ValidateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut problems = Vec::new();
    for path in &args.paths {
        match load::load_path(path) {
            Ok(pack) => writeln!(
                out,
                "{}: ok, pack `{}` {} with {}",
                path.display(),
                pack.meta.id,
                pack.meta.version,
                crate::plural::plural(pack.questions.len(), "question", "questions")
            )?,
            Err(d) => problems.extend(d.0),
        }
    }
    if problems.is_empty() {
        Ok(exit::SUCCESS)
    } else {
        Err(Diagnostics(problems).into())
    }
}
