//! The history as a command reads it: from the data directory, with each damaged record reported
//! on stderr as a warning (one bad line must not hide the rest), the offsets of the wanted attempts
//! kept while reading, and whole attempts read back one at a time as they are printed. Shared by
//! `history`, `diff`, `progress`, `rescore` and `export-history`.

use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;

use super::record::Attempt;
use super::store::{self, History, Log, Problem};

/// Reads the history from the data directory, printing each skipped record on stderr.
pub fn load() -> anyhow::Result<History> {
    let dir = super::data_dir()?;
    let history = store::load(&dir)?;
    let mut stderr = std::io::stderr().lock();
    for p in &history.problems {
        // A warning, not a failure: one damaged line must not hide the rest of the history.
        let _ = writeln!(stderr, "warning: {p}");
    }
    Ok(history)
}

/// Opens the history for reading record by record (see [`Log`]).
pub fn open_log() -> anyhow::Result<Log> {
    let dir = super::data_dir()?;
    Ok(Log::open(&dir)?)
}

/// Prints a skipped record on stderr: a warning, not a failure.
pub fn warn(problem: Problem) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {problem}");
}

/// The offsets of the attempts `keep` accepts, in file order, with damaged records reported:
/// what a command that prints whole attempts keeps while it reads, to read each again as it
/// prints it.
pub fn offsets(log: &mut Log, keep: impl Fn(&Attempt) -> bool) -> anyhow::Result<Vec<u64>> {
    let mut offsets = Vec::new();
    log.each(
        |a, at| {
            if keep(&a) {
                offsets.push(at);
            }
            ControlFlow::Continue(())
        },
        warn,
    )?;
    Ok(offsets)
}

/// Attempts read back from `log` at `offsets` as they are serialised, each turned into what is
/// printed by `map`: a whole history goes out as JSON one attempt at a time.
pub struct AttemptsAt<'a, T, F: Fn(Attempt) -> T> {
    log: RefCell<&'a mut Log>,
    offsets: Vec<u64>,
    map: F,
}

impl<'a, T, F: Fn(Attempt) -> T> AttemptsAt<'a, T, F> {
    /// The attempts at `offsets`, in that order.
    pub fn new(log: &'a mut Log, offsets: Vec<u64>, map: F) -> Self {
        AttemptsAt {
            log: RefCell::new(log),
            offsets,
            map,
        }
    }
}

impl<T: serde::Serialize, F: Fn(Attempt) -> T> serde::Serialize for AttemptsAt<'_, T, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut log = self.log.borrow_mut();
        let mut seq = s.serialize_seq(Some(self.offsets.len()))?;
        for &at in &self.offsets {
            match log.attempt_at(at) {
                Ok(Some(a)) => seq.serialize_element(&(self.map)(a))?,
                Ok(None) => {}
                Err(e) => return Err(S::Error::custom(format!("{e}: {}", source_of(&e)))),
            }
        }
        seq.end()
    }
}

fn source_of(e: &dyn std::error::Error) -> String {
    e.source().map_or_else(String::new, ToString::to_string)
}
