//! The append-only attempt store: `DATA/history.jsonl`, one JSON record per line.
//!
//! Why JSON Lines and not a database: an append never touches the bytes already kept, a damaged
//! line costs only itself, and a person can read or repair the file with a text editor.
//!
//! Writers take an exclusive lock on the file (`flock` via std's `File::lock`), read it to find
//! the next attempt id, then write the whole record and its newline in one `write` on a file
//! opened with `O_APPEND`, and `fsync` before unlocking. So two processes recording at once are
//! serialised and never interleave, ids stay unique, and a crash leaves at most one incomplete
//! last line. If the write fails half way (disk full), the file is cut back to its old length
//! under the same lock, so what was already kept stays exactly as it was. Readers take a shared
//! lock so they never see a line being written.
//!
//! Reading never fails because of one bad record: a line that is not JSON, lacks a field, has a
//! format version this build does not read, or refers to an unknown attempt is reported as a
//! [`Problem`] (file, line, why) and skipped.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::record::{
    Attempt, FORMAT_VERSION, Line, LineOut, NewAttempt, Rescore, RescoreLine, Scores, ShapeError,
};

/// File name of the attempt log inside the data directory.
pub const HISTORY_FILE: &str = "history.jsonl";

/// The attempt log inside a data directory.
pub fn history_path(data_dir: &Path) -> PathBuf {
    data_dir.join(HISTORY_FILE)
}

/// Why the store could not do what was asked. Every variant names the path involved; the OS
/// error is the source, so the error chain reads "cannot append to PATH: No space left on device".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Creating the data directory failed.
    #[error("cannot create the data directory {}{}", path.display(), advice(source))]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Opening, locking or reading the log failed. No advice here: a read-only log reads fine,
    /// so "make it writable" would mislead; the OS error in the chain says what went wrong.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Appending failed; the file was restored to what it held before.
    #[error("cannot append to {}{}; nothing already recorded was changed", path.display(), advice(source))]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Appending failed and cutting the partial record off failed too; the next read reports
    /// and skips the partial last line, so older records are still intact.
    #[error(
        "cannot append to {}{}; a partial last line may remain (it will be reported and skipped): {undo}",
        path.display(), advice(source)
    )]
    WriteUndo {
        /// The file.
        path: PathBuf,
        /// The OS error of the write.
        #[source]
        source: io::Error,
        /// The OS error of the undo.
        undo: io::Error,
    },
    /// The record's evaluation is not in the documented shape.
    #[error("cannot record the attempt")]
    Shape(#[from] ShapeError),
    /// The record could not be encoded as JSON.
    #[error("cannot encode the record as JSON")]
    Encode(#[from] serde_json::Error),
}

/// A hint after the path for the errors a user can fix.
fn advice(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            " (it is read-only; make it writable or set REHEARSE_HOME to a writable directory)"
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            " (the disk is full; free some space and try again)"
        }
        _ => "",
    }
}

/// A record that was skipped while reading, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, when the JSON parser knows it.
    pub column: Option<usize>,
    /// What is wrong, as a lowercase fragment.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": {} (record skipped)", self.message)
    }
}

/// Everything read from the log: attempts in id order (oldest first), with their rescores
/// attached, plus the lines that were skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Attempts, oldest first.
    pub attempts: Vec<Attempt>,
    /// Lines that could not be used.
    pub problems: Vec<Problem>,
}

impl History {
    /// An attempt by id.
    pub fn get(&self, id: u64) -> Option<&Attempt> {
        self.attempts
            .binary_search_by_key(&id, |a| a.id)
            .ok()
            .map(|i| &self.attempts[i])
    }
}

/// Appends one attempt and returns it with its new id.
///
/// Creates the data directory and the log as needed. On any error nothing already stored is
/// changed.
pub fn append(data_dir: &Path, attempt: NewAttempt) -> Result<Attempt, StoreError> {
    let mut kept = append_all(data_dir, vec![attempt])?;
    Ok(kept.remove(0))
}

/// Appends attempts in one write under one lock, with consecutive ids, and returns them with
/// their ids: a drill recording a cohort takes the lock once per batch, not once per answer.
/// Either every attempt is kept or, on an error, none is and nothing stored is changed.
pub fn append_all(data_dir: &Path, attempts: Vec<NewAttempt>) -> Result<Vec<Attempt>, StoreError> {
    // Check before taking the lock: a malformed evaluation must never reach the file.
    for attempt in &attempts {
        Scores::from_evaluation(&attempt.evaluation)?;
    }
    with_locked_log(data_dir, |first_id| {
        let mut encoded = String::new();
        let mut kept = Vec::with_capacity(attempts.len());
        for (attempt, id) in attempts.into_iter().zip(first_id..) {
            let attempt = attempt.with_id(id);
            if !encoded.is_empty() {
                encoded.push('\n');
            }
            encoded.push_str(&serde_json::to_string(&LineOut {
                format_version: FORMAT_VERSION,
                attempt: Some(&attempt),
                rescore: None,
            })?);
            kept.push(attempt);
        }
        Ok((encoded, kept))
    })
}

/// Appends a re-scoring of attempt `attempt`, keeping its old scores.
pub fn append_rescore(data_dir: &Path, attempt: u64, rescore: Rescore) -> Result<(), StoreError> {
    Scores::from_evaluation(&rescore.evaluation)?;
    let line = RescoreLine {
        attempt,
        rescored_at: rescore.rescored_at,
        pack: rescore.pack,
        rubric_fingerprint: rescore.rubric_fingerprint,
        evaluation: rescore.evaluation,
    };
    let encoded = serde_json::to_string(&LineOut {
        format_version: FORMAT_VERSION,
        attempt: None,
        rescore: Some(&line),
    })?;
    with_locked_log(data_dir, move |_| Ok((encoded, ())))
}

/// Opens the log for appending under an exclusive lock, hands the next attempt id to `make`
/// (which returns the lines to write and a value to return), writes the lines in one call, syncs
/// them, and cuts the file back if the write failed. Only the end of the log is read, to find the
/// last id: appending costs the same whatever the history's size.
fn with_locked_log<T>(
    data_dir: &Path,
    make: impl FnOnce(u64) -> Result<(String, T), StoreError>,
) -> Result<T, StoreError> {
    std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    let path = history_path(data_dir);
    let write_err = |source| StoreError::Write {
        path: path.clone(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)
        .map_err(write_err)?;
    // Held until `file` is dropped at the end of this function, after the sync.
    file.lock().map_err(write_err)?;
    // The length the file has under the lock: no writer can grow it meanwhile, and only what
    // lies before it is read, so a special file that never ends is not read forever.
    let read_err = |source| StoreError::Read {
        path: path.clone(),
        source,
    };
    let old_len = file.metadata().map_err(read_err)?.len();
    let (last_id, ends_in_newline) = tail(&file, old_len).map_err(read_err)?;
    let (encoded, value) = make(last_id.map_or(1, |id| id.saturating_add(1)))?;
    let mut bytes = Vec::with_capacity(encoded.len() + 2);
    // A crash may have left an incomplete last line without its newline; start on a fresh line
    // so the new record is not glued onto it (the broken one is then reported on its own).
    if !ends_in_newline {
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(encoded.as_bytes());
    bytes.push(b'\n');
    if let Err(source) = file.write_all(&bytes).and_then(|()| file.sync_data()) {
        return Err(
            match file.set_len(old_len).and_then(|()| file.sync_data()) {
                Ok(()) => StoreError::Write { path, source },
                Err(undo) => StoreError::WriteUndo { path, source, undo },
            },
        );
    }
    Ok(value)
}

/// The id of the last readable attempt among the first `len` bytes of the log, and whether those
/// bytes end a line (an empty log does). Ids are assigned in file order under the lock, so the
/// last one is the largest; damaged lines and rescore lines are passed over. The log is read
/// backwards in growing windows, so this usually reads one record, however long the history.
fn tail(file: &File, len: u64) -> io::Result<(Option<u64>, bool)> {
    let mut reader = file;
    let mut window: u64 = 64 * 1024;
    let mut ends_in_newline = true;
    loop {
        let start = len.saturating_sub(window);
        let mut bytes = Vec::with_capacity((len - start) as usize);
        reader.seek(SeekFrom::Start(start))?;
        reader.take(len - start).read_to_end(&mut bytes)?;
        if start + window >= len {
            ends_in_newline = bytes.last().is_none_or(|b| *b == b'\n');
        }
        // The first line of a window that does not start the file may be cut: not trusted.
        let whole = match start {
            0 => &bytes[..],
            _ => match bytes.iter().position(|b| *b == b'\n') {
                Some(i) => &bytes[i + 1..],
                None => &[][..],
            },
        };
        if let Some(id) = last_id(whole) {
            return Ok((Some(id), ends_in_newline));
        }
        if start == 0 {
            return Ok((None, ends_in_newline));
        }
        window = window.saturating_mul(4);
    }
}

/// The id of the last attempt record in `bytes`, if any.
fn last_id(bytes: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Probe {
        attempt: Option<IdProbe>,
    }
    #[derive(serde::Deserialize)]
    struct IdProbe {
        id: u64,
    }
    bytes
        .split(|b| *b == b'\n')
        .rev()
        .find_map(|line| serde_json::from_slice::<Probe>(line).ok()?.attempt)
        .map(|a| a.id)
}

/// Reads the whole log. A missing data directory or log is an empty history, not an error.
pub fn load(data_dir: &Path) -> Result<History, StoreError> {
    let path = history_path(data_dir);
    let read_err = |source| StoreError::Read {
        path: path.clone(),
        source,
    };
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(History::default()),
        Err(e) => return Err(read_err(e)),
    };
    file.lock_shared().map_err(read_err)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(read_err)?;
    drop(file);
    Ok(parse(&path, &bytes))
}

/// Parses log bytes; `path` only labels problems.
pub fn parse(path: &Path, bytes: &[u8]) -> History {
    let mut history = History::default();
    let problem = |line: usize, column: Option<usize>, message: String| Problem {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let mut rescores = Vec::new();
    let ends_cleanly = bytes.last().is_none_or(|b| *b == b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let count = lines.len();
    for (index, raw) in lines.into_iter().enumerate() {
        let number = index + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let truncated = !ends_cleanly && number == count;
        match parse_line(raw) {
            Ok(Parsed::Attempt(a)) => {
                if history.attempts.last().is_some_and(|last| last.id >= a.id) {
                    history.problems.push(problem(
                        number,
                        None,
                        format!("attempt id {} repeats or goes backwards", a.id),
                    ));
                } else {
                    history.attempts.push(*a);
                }
            }
            Ok(Parsed::Rescore(r)) => rescores.push((number, r)),
            Err((column, message)) => {
                let message = if truncated {
                    format!("incomplete last record (the write was cut short): {message}")
                } else {
                    message
                };
                history.problems.push(problem(number, column, message));
            }
        }
    }
    for (number, r) in rescores {
        match history.attempts.binary_search_by_key(&r.attempt, |a| a.id) {
            Ok(i) => history.attempts[i].rescored.push(Rescore {
                rescored_at: r.rescored_at,
                pack: r.pack,
                rubric_fingerprint: r.rubric_fingerprint,
                evaluation: r.evaluation,
            }),
            Err(_) => history.problems.push(problem(
                number,
                None,
                format!(
                    "rescore of attempt {} which is not in the history",
                    r.attempt
                ),
            )),
        }
    }
    history
}

enum Parsed {
    Attempt(Box<Attempt>),
    Rescore(RescoreLine),
}

/// One line to a record, or the column (if known) and reason it is unusable.
fn parse_line(raw: &[u8]) -> Result<Parsed, (Option<usize>, String)> {
    let text = std::str::from_utf8(raw)
        .map_err(|e| (Some(e.valid_up_to() + 1), "not valid UTF-8".to_string()))?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        // serde_json ends its message with "at line 1 column N", which the FILE:LINE:COLUMN
        // prefix already says better.
        let full = e.to_string();
        let reason = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(r, _)| r);
        (Some(e.column()), format!("not a JSON record: {reason}"))
    })?;
    // The version comes first so that a record from another format is named as such instead of
    // failing on whichever field changed.
    let version = match value.get("format_version") {
        Some(v) => v
            .as_u64()
            .ok_or((None, format!("format_version {v} is not a number")))?,
        None => {
            return Err((
                None,
                "no format_version: not a rehearse history record".into(),
            ));
        }
    };
    if version < u64::from(FORMAT_VERSION) {
        return Err((
            None,
            format!(
                "history format {version} is older than this build reads ({FORMAT_VERSION}); \
                 the record is kept in the file but cannot be shown"
            ),
        ));
    }
    if version > u64::from(FORMAT_VERSION) {
        return Err((
            None,
            format!(
                "history format {version} is newer than this build reads ({FORMAT_VERSION}); \
                 upgrade rehearse to see it"
            ),
        ));
    }
    let line: Line = serde_json::from_value(value).map_err(|e| (None, e.to_string()))?;
    match (line.attempt, line.rescore) {
        (Some(a), None) => {
            Scores::from_evaluation(&a.evaluation).map_err(|e| (None, e.to_string()))?;
            Ok(Parsed::Attempt(Box::new(a)))
        }
        (None, Some(r)) => {
            Scores::from_evaluation(&r.evaluation).map_err(|e| (None, e.to_string()))?;
            Ok(Parsed::Rescore(r))
        }
        _ => Err((
            None,
            "a record holds exactly one of `attempt` or `rescore`".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::history::record::{PackRef, Source};
    use crate::history::testing::{at, evaluation, new_attempt};

    #[test]
    fn append_assigns_increasing_ids_and_load_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested/data");
        let a = append(&data, new_attempt("q1", at(0), [1, 2, 3, 4])).unwrap();
        let b = append(&data, new_attempt("q2", at(60), [2, 2, 2, 2])).unwrap();
        assert_eq!((a.id, b.id), (1, 2));
        let h = load(&data).unwrap();
        assert_eq!(h.problems, vec![]);
        assert_eq!(h.attempts, vec![a, b]);
    }

    #[test]
    fn missing_directory_is_an_empty_history() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(&dir.path().join("none")).unwrap(), History::default());
    }

    #[test]
    fn malformed_evaluation_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = new_attempt("q1", at(0), [1, 1, 1, 1]);
        n.evaluation = serde_json::json!({"overall": "great"});
        assert!(matches!(append(dir.path(), n), Err(StoreError::Shape(_))));
        assert!(!history_path(dir.path()).exists());
    }

    #[test]
    fn truncated_last_line_is_reported_and_the_next_append_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), new_attempt("q1", at(0), [1, 1, 1, 1])).unwrap();
        let path = history_path(dir.path());
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"format_version":1,"attempt":{"id":2,"recorded_"#)
            .unwrap();
        drop(f);
        let h = load(dir.path()).unwrap();
        assert_eq!(h.attempts.len(), 1);
        assert_eq!(h.problems.len(), 1);
        assert_eq!(h.problems[0].line, 2);
        assert!(
            h.problems[0].message.starts_with("incomplete last record"),
            "{}",
            h.problems[0]
        );
        // The next append must not glue itself onto the broken line.
        let c = append(dir.path(), new_attempt("q3", at(120), [4, 4, 4, 4])).unwrap();
        let h = load(dir.path()).unwrap();
        assert_eq!(
            h.attempts.iter().map(|a| a.id).collect::<Vec<_>>(),
            [1, c.id]
        );
        assert_eq!(h.problems.len(), 1);
        assert!(h.problems[0].message.starts_with("not a JSON record"));
    }

    #[test]
    fn damaged_record_in_the_middle_costs_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), new_attempt("q1", at(0), [1, 1, 1, 1])).unwrap();
        let path = history_path(dir.path());
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"garbage \xff here\n{\"format_version\":1,\"attempt\":{\"id\":7}}\n")
            .unwrap();
        drop(f);
        append(dir.path(), new_attempt("q2", at(60), [2, 2, 2, 2])).unwrap();
        let h = load(dir.path()).unwrap();
        assert_eq!(
            h.attempts
                .iter()
                .map(|a| a.question.as_str())
                .collect::<Vec<_>>(),
            ["q1", "q2"]
        );
        let shown: Vec<String> = h.problems.iter().map(ToString::to_string).collect();
        let p = path.display();
        assert_eq!(
            shown,
            [
                format!("{p}:2:9: not valid UTF-8 (record skipped)"),
                format!("{p}:3: missing field `recorded_at` (record skipped)"),
            ]
        );
    }

    #[test]
    fn other_format_versions_are_named_not_guessed() {
        let text = concat!(
            r#"{"format_version":0,"question":"q","levels":[1,2,3,4]}"#,
            "\n",
            r#"{"format_version":9,"attempt":{}}"#,
            "\n",
            r#"{"question":"q"}"#,
            "\n",
        );
        let h = parse(Path::new("h.jsonl"), text.as_bytes());
        let shown: Vec<String> = h.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "h.jsonl:1: history format 0 is older than this build reads (1); the record is \
                 kept in the file but cannot be shown (record skipped)",
                "h.jsonl:2: history format 9 is newer than this build reads (1); upgrade \
                 rehearse to see it (record skipped)",
                "h.jsonl:3: no format_version: not a rehearse history record (record skipped)",
            ]
        );
    }

    #[test]
    fn rescores_attach_to_their_attempt_and_orphans_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), new_attempt("q1", at(0), [1, 1, 1, 1])).unwrap();
        let rescore = Rescore {
            rescored_at: at(600),
            pack: PackRef::new("core", "1.1.0"),
            rubric_fingerprint: "fnv1a64:new".into(),
            evaluation: evaluation([3, 3, 3, 3]),
        };
        append_rescore(dir.path(), 1, rescore.clone()).unwrap();
        append_rescore(dir.path(), 42, rescore).unwrap();
        let h = load(dir.path()).unwrap();
        let a = &h.attempts[0];
        assert_eq!(a.rescored.len(), 1);
        assert_eq!(
            a.scores()
                .unwrap()
                .level(crate::pack::model::Dimension::Context),
            Some(3)
        );
        assert_eq!(
            Scores::from_evaluation(&a.evaluation)
                .unwrap()
                .level(crate::pack::model::Dimension::Context),
            Some(1),
            "the original scores are kept"
        );
        assert_eq!(h.problems.len(), 1);
        assert!(h.problems[0].message.contains("attempt 42"));
        // A rescore line is not an attempt: the next attempt id is still 2.
        let next = append(dir.path(), new_attempt("q2", at(700), [1, 1, 1, 1])).unwrap();
        assert_eq!(next.id, 2);
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_path_buf();
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let data = data.clone();
                std::thread::spawn(move || {
                    for i in 0..25 {
                        let mut n = new_attempt(&format!("w{w}-{i}"), at(i), [1, 2, 3, 4]);
                        // Long answers make a torn write visible if locking were broken.
                        n.answer = Answer::whole("x".repeat(8_000));
                        append(&data, n).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let h = load(&data).unwrap();
        assert_eq!(h.problems, vec![]);
        let ids: Vec<u64> = h.attempts.iter().map(|a| a.id).collect();
        assert_eq!(ids, (1..=100).collect::<Vec<_>>());
        assert!(h.attempts.iter().all(|a| a.source == Source::Score));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn disk_full_is_a_clear_error_naming_the_path() {
        // /dev/full fails every write with ENOSPC, even for root, which chmod cannot simulate.
        let dir = tempfile::tempdir().unwrap();
        let path = history_path(dir.path());
        std::os::unix::fs::symlink("/dev/full", &path).unwrap();
        let err = append(dir.path(), new_attempt("q1", at(0), [1, 1, 1, 1])).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(&path.display().to_string()), "{shown}");
        assert!(shown.contains("disk is full"), "{shown}");
    }
}
