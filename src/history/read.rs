//! The history as a command reads it: from the data directory, with each damaged record reported
//! on stderr as a warning (one bad line must not hide the rest), and whole attempts serialised one
//! at a time as they are read; or quietly, for what only counts or schedules from it. Shared by
//! `history`, `diff`, `progress`, `rescore`, `export-history`, `practice --review` and the pack
//! commands that mention how many attempts a pack has.

use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use super::record::Attempt;
use super::store::{self, History, Log, Problem, StoreError};

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

/// Hands every readable attempt of the log in `data_dir` to `each`, oldest first, passing over
/// damaged records without a word: for what only counts or schedules from the history (the
/// attempt count a pack command mentions, the review order), where the history commands are the
/// place to hear about damage. A missing log is an empty history.
pub fn each_quietly(data_dir: &Path, mut each: impl FnMut(Attempt)) -> Result<(), StoreError> {
    Log::open(data_dir)?.each(
        |a, _| {
            each(a);
            ControlFlow::Continue(())
        },
        |_| {},
    )
}

/// The attempts of a log that `keep` accepts, read as they are serialised, oldest first and
/// once each, and turned into what is printed by `map`; damaged records are warned about as
/// they are met. A whole history goes out as JSON one attempt at a time.
pub struct EachAttempt<'a, K, F> {
    log: RefCell<&'a mut Log>,
    keep: K,
    map: F,
}

impl<'a, T, K: Fn(&Attempt) -> bool, F: Fn(Attempt) -> T> EachAttempt<'a, K, F> {
    /// The attempts of `log` that `keep` accepts, each as `map` makes it.
    pub fn new(log: &'a mut Log, keep: K, map: F) -> Self {
        EachAttempt {
            log: RefCell::new(log),
            keep,
            map,
        }
    }
}

impl<T, K, F> serde::Serialize for EachAttempt<'_, K, F>
where
    T: serde::Serialize,
    K: Fn(&Attempt) -> bool,
    F: Fn(Attempt) -> T,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut log = self.log.borrow_mut();
        // No length up front: the attempts are counted only as they are read.
        let mut seq = s.serialize_seq(None)?;
        let mut failure = None;
        log.each(
            |a, _| {
                if (self.keep)(&a)
                    && let Err(e) = seq.serialize_element(&(self.map)(a))
                {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            },
            warn,
        )
        .map_err(|e| S::Error::custom(format!("{e}: {}", source_of(&e))))?;
        if let Some(e) = failure {
            return Err(e);
        }
        seq.end()
    }
}

fn source_of(e: &dyn std::error::Error) -> String {
    e.source().map_or_else(String::new, ToString::to_string)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::history::testing::{at, new_attempt};
    use std::cell::Cell;
    use std::rc::Rc;

    /// What reading a log may take beyond its length: a seek to a rescore and back each refill
    /// the 64 KiB read buffer. Reading every attempt twice would take the log's length again.
    pub(crate) const SLACK: u64 = 3 * 64 * 1024;

    /// A log of `count` attempts (and a rescore), its bytes, and a counter of the bytes read.
    pub(crate) fn counted_log(count: u64) -> (Log, Rc<Cell<u64>>, u64, Vec<Attempt>) {
        let dir = tempfile::tempdir().unwrap();
        let attempts = (0..count)
            .map(|i| new_attempt(&format!("q{}", i % 3), at(i as i64), [2; 4]))
            .collect();
        store::append_all(dir.path(), attempts).unwrap();
        let rescore = crate::history::record::Rescore {
            rescored_at: at(900),
            pack: crate::history::record::PackRef::new("core", "2.0.0"),
            rubric_fingerprint: "fnv1a64:new".into(),
            evaluation: crate::history::testing::evaluation([4; 4]),
        };
        store::append_rescores(dir.path(), vec![(2, rescore)]).unwrap();
        let whole = store::load(dir.path()).unwrap().attempts;
        let bytes = std::fs::read(store::history_path(dir.path())).unwrap();
        let len = bytes.len() as u64;
        let read = Rc::new(Cell::new(0));
        (Log::counting(bytes, read.clone()), read, len, whole)
    }

    /// Serialising the attempts reads each from the log once: opening reads the log once (for
    /// the rescores), serialising once more, and nothing is read a third time.
    #[test]
    fn attempts_are_serialised_from_one_reading_of_the_log() {
        let (mut log, read, len, whole) = counted_log(1_000);
        let opened = read.get();
        assert_eq!(opened, len);
        let json =
            serde_json::to_string_pretty(&EachAttempt::new(&mut log, |_| true, |a| a)).unwrap();
        assert_eq!(json, serde_json::to_string_pretty(&whole).unwrap());
        assert!(
            read.get() - opened < len + SLACK,
            "{} bytes read for {len}",
            read.get()
        );
    }
}
