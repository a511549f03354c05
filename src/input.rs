//! Reading untrusted files and streams within a size limit.
//!
//! A pack or answers file is whatever a stranger put at that path: a link to `/dev/zero`, a FIFO
//! that never ends, a 5 GB video. Only regular files are read, and the limit is enforced while
//! reading (one byte past it is enough to know), never after the whole thing is in memory. A
//! file's true size is reported from its metadata, so a message names the size the user sees in
//! `ls -l`.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::diag::{Diagnostic, io_reason};

pub use crate::yaml::MAX_FILE_BYTES;

/// Largest single answer `rehearse score` reads (from a file or standard input), in bytes: about
/// 40,000 words, ten times a long written answer.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// Why a path that exists is not a regular file, in words, or `None` when it is one.
pub fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// A limit as people say it: `4 MiB`, `256 KiB`.
pub fn human(limit: usize) -> String {
    if limit.is_multiple_of(1024 * 1024) {
        format!("{} MiB", limit / (1024 * 1024))
    } else if limit.is_multiple_of(1024) {
        format!("{} KiB", limit / 1024)
    } else {
        format!("{limit} bytes")
    }
}

fn too_large(shown: &str, size: Option<u64>, limit: usize) -> Diagnostic {
    let size = match size {
        Some(n) => format!("is {n} bytes"),
        None => format!("is larger than {limit} bytes"),
    };
    Diagnostic::file(
        shown,
        format!(
            "{size}, over the limit of {} ({limit} bytes); is this the right file?",
            human(limit)
        ),
    )
}

/// Reads the regular file at `path` (symlinks followed), refusing directories, FIFOs, devices
/// and sockets, and files over `limit` bytes. `shown` names the file in messages.
pub fn read_file(path: &Path, shown: &str, limit: usize) -> Result<Vec<u8>, Diagnostic> {
    let cannot =
        |e: std::io::Error| Diagnostic::file(shown, format!("cannot read: {}", io_reason(&e)));
    let refuse = |what: &str| {
        Diagnostic::file(
            shown,
            format!("is {what}, not a regular file; only regular files are read"),
        )
    };
    // Checked before opening: opening a FIFO for reading waits for a writer.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if let Some(what) = not_regular(&meta) {
        return Err(refuse(what));
    }
    if meta.len() > limit as u64 {
        return Err(too_large(shown, Some(meta.len()), limit));
    }
    let file = File::open(path).map_err(cannot)?;
    // Checked again on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(cannot)?;
    if let Some(what) = not_regular(&meta) {
        return Err(refuse(what));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        // It grew while being read; its size now is as good as any.
        let now = std::fs::metadata(path).ok().map(|m| m.len());
        return Err(too_large(shown, now.filter(|n| *n > limit as u64), limit));
    }
    Ok(bytes)
}

/// Reads a stream (standard input) up to `limit` bytes; more is refused without reading on.
pub fn read_stream(reader: impl Read, shown: &str, limit: usize) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::file(shown, format!("cannot read: {}", io_reason(&e))))?;
    if bytes.len() > limit {
        return Err(too_large(shown, None, limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_reported_with_its_true_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, vec![b'a'; 5000]).unwrap();
        let e = read_file(&path, "big.yaml", 4096).unwrap_err();
        assert_eq!(
            e.to_string(),
            "big.yaml: is 5000 bytes, over the limit of 4 KiB (4096 bytes); is this the right file?"
        );
        assert_eq!(read_file(&path, "big.yaml", 5000).unwrap().len(), 5000);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("z.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read_file(&link, "z.yaml", MAX_FILE_BYTES).unwrap_err();
        assert!(e.message.contains("is a device, not a regular file"), "{e}");
        let fifo = dir.path().join("f.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Would block forever waiting for a writer if it were opened.
            let e = read_file(&fifo, "f.yaml", MAX_FILE_BYTES).unwrap_err();
            assert!(e.message.contains("FIFO"), "{e}");
        }
    }

    #[test]
    fn a_stream_is_cut_one_byte_past_the_limit() {
        let mut endless = std::io::repeat(b'a');
        let e = read_stream(&mut endless, "<stdin>", 1024).unwrap_err();
        assert!(e.message.contains("is larger than 1024 bytes"), "{e}");
        assert_eq!(read_stream(&b"abc"[..], "<stdin>", 3).unwrap(), b"abc");
    }
}
