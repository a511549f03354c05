//! JSON written to a command's output: pretty, with a final newline, and in a way that lets `main`
//! still tell a closed pipe (`rehearse history --json | head`) from a failure.

use std::io::Write;

/// Writes `value` as pretty JSON and a newline straight to `out`, without building the document
/// first: for a whole history, which may be far larger than what rehearse should hold. The bytes
/// are those of [`write`]; a closed pipe is still told apart by `main`.
pub fn write_streamed(out: &mut dyn Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    // Buffered: the serialiser writes a few bytes at a time, and each write would otherwise go
    // through the safe writer to standard output on its own.
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    let mut serializer = serde_json::Serializer::pretty(&mut buffered);
    value.serialize(&mut serializer)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// Writes `value` as pretty JSON and a newline.
///
/// Encoded to a string first so that a closed pipe (`rehearse history --json | head`) surfaces
/// as a plain `io::Error`, which `main` treats as success; written straight through serde it
/// would arrive wrapped in a `serde_json::Error` and be printed as a failure.
pub fn write(out: &mut dyn Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    out.write_all(text.as_bytes())?;
    Ok(())
}
