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

/// A JSON array written one element at a time, as the elements are made: the bytes are those
/// [`write`] gives for the whole array (pretty, with a final newline), without holding it.
#[derive(Debug, Default)]
pub struct ArrayWriter {
    started: bool,
}

impl ArrayWriter {
    /// Writes one element.
    pub fn element(
        &mut self,
        out: &mut dyn Write,
        value: &impl serde::Serialize,
    ) -> anyhow::Result<()> {
        self.encoded(out, Self::encode(value)?.as_bytes())
    }

    /// The bytes `value` takes in the array after its `[` or `,`, to be written later with
    /// [`ArrayWriter::encoded`] (in another order, say).
    pub fn encode(value: &impl serde::Serialize) -> anyhow::Result<String> {
        // An array of one, pretty, is `[`, the element on its own indented lines, `\n]`: what
        // lies between the brackets is exactly what the element adds to the whole array.
        let mut one = serde_json::to_string_pretty(&[value])?;
        one.truncate(one.len() - 2);
        one.remove(0);
        Ok(one)
    }

    /// Writes one element given as [`ArrayWriter::encode`] made it.
    pub fn encoded(&mut self, out: &mut dyn Write, element: &[u8]) -> anyhow::Result<()> {
        out.write_all(if self.started { b"," } else { b"[" })?;
        out.write_all(element)?;
        self.started = true;
        Ok(())
    }

    /// Closes the array.
    pub fn finish(self, out: &mut dyn Write) -> anyhow::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_written_element_by_element_is_the_array_written_whole() {
        let values = [
            serde_json::json!({"a": 1, "b": [1, 2, {"c": null}], "d": {}}),
            serde_json::json!("two"),
            serde_json::json!([]),
        ];
        for n in 0..=values.len() {
            let mut whole = Vec::new();
            write(&mut whole, &values[..n].to_vec()).unwrap();
            let mut streamed = Vec::new();
            let mut array = ArrayWriter::default();
            for v in &values[..n] {
                array.element(&mut streamed, v).unwrap();
            }
            array.finish(&mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }
}
