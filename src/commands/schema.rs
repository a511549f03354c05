//! `rehearse schema`: the JSON Schema of the pack format, for editors (yaml-language-server).

use std::io::Write;

use crate::exit;
use crate::pack::schema;

/// Prints the editor schema as pretty JSON.
pub fn run(out: &mut dyn Write) -> anyhow::Result<u8> {
    serde_json::to_writer_pretty(&mut *out, &schema::editor_schema())?;
    writeln!(out)?;
    Ok(exit::SUCCESS)
}
