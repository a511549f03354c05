//! `rehearse schema`: the JSON Schema of the pack format (or, with `--rubric`, of a pack's
//! `rubric.yaml`), for editors (yaml-language-server).

use std::io::Write;

use crate::exit;
use crate::pack::schema;

/// Prints the editor schema of packs, or of rubric files with `rubric`, as pretty JSON.
pub fn run(rubric: bool, out: &mut dyn Write) -> anyhow::Result<u8> {
    let schema = if rubric {
        schema::editor_rubric_schema()
    } else {
        schema::editor_schema()
    };
    serde_json::to_writer_pretty(&mut *out, &schema)?;
    writeln!(out)?;
    Ok(exit::SUCCESS)
}
