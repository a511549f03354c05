//! `rehearse template`: an answers-file skeleton for chosen or sampled questions, and
//! `rehearse schema --answers`, the JSON Schema of that file for editors.

use std::io::Write;

use anyhow::bail;
use rand::Rng;

use crate::cli::TemplateArgs;
use crate::drill::template::{self, Sampling};
use crate::pack::Entry;
use crate::{Context, exit};

/// Writes the skeleton to `out`.
pub fn run(ctx: &Context, args: &TemplateArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let filter = args.filter.to_filter();
    let pool: Vec<Entry<'_>> = if args.ids.is_empty() {
        bank.filtered(&filter).collect()
    } else {
        let mut picked: Vec<Entry<'_>> = Vec::new();
        for id in &args.ids {
            let entry = bank.find(id)?;
            // Naming a question twice must not make the candidate answer it twice: the answers
            // file would then be rejected for a duplicate entry.
            if !picked
                .iter()
                .any(|e| e.qualified_id() == entry.qualified_id())
            {
                picked.push(entry);
            }
        }
        picked.retain(|e| filter.matches(e.question));
        picked
    };
    if pool.is_empty() {
        bail!("no question matches those filters; `rehearse list` shows what there is");
    }
    let sampling = (args.count.is_some() || args.seed.is_some()).then(|| Sampling {
        count: args.count.map(|c| c as usize),
        // Without a seed the pick is fresh each time, but the seed drawn is printed in the
        // header so a good pick can be handed to a whole cohort.
        seed: args.seed.unwrap_or_else(|| rand::rng().next_u64()),
    });
    let entries = match sampling {
        Some(s) => template::sample(pool, s.count, s.seed),
        None => pool,
    };
    out.write_all(template::render(&bank, &entries, sampling).as_bytes())?;
    Ok(exit::SUCCESS)
}

/// Prints the JSON Schema of answer files.
pub fn schema(out: &mut dyn Write) -> anyhow::Result<u8> {
    serde_json::to_writer_pretty(&mut *out, &crate::answers::editor_schema())?;
    writeln!(out)?;
    Ok(exit::SUCCESS)
}
