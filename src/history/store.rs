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
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
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
    append_records(
        data_dir,
        attempts
            .into_iter()
            .map(|a| NewRecord::Attempt(Box::new(a)))
            .collect(),
    )
}

/// Appends re-scorings (the attempt's id and its new scores), keeping the old scores, in one
/// write under one lock: either every one is kept or, on an error, none is and nothing stored is
/// changed.
pub fn append_rescores(data_dir: &Path, rescores: Vec<(u64, Rescore)>) -> Result<(), StoreError> {
    let records = rescores
        .into_iter()
        .map(|(attempt, r)| NewRecord::Rescore(attempt, r))
        .collect();
    append_records(data_dir, records).map(drop)
}

/// A record on its way into the log.
enum NewRecord {
    /// An attempt, given its id as it is written.
    Attempt(Box<NewAttempt>),
    /// A re-scoring of the attempt with this id.
    Rescore(u64, Rescore),
}

/// The one way records reach the log: each checked before the lock is taken (a malformed
/// evaluation must never reach the file), then all encoded and written in one write under one
/// lock, attempts numbered from the next free id. Returns the attempts as kept.
fn append_records(data_dir: &Path, records: Vec<NewRecord>) -> Result<Vec<Attempt>, StoreError> {
    if records.is_empty() {
        // Nothing to write: not even the line break an empty write would add.
        return Ok(Vec::new());
    }
    for record in &records {
        let evaluation = match record {
            NewRecord::Attempt(a) => &a.evaluation,
            NewRecord::Rescore(_, r) => &r.evaluation,
        };
        Scores::from_evaluation(evaluation)?;
    }
    with_locked_log(data_dir, |first_id| {
        let mut encoded = String::new();
        let mut kept = Vec::new();
        let mut next_id = first_id;
        for record in records {
            if !encoded.is_empty() {
                encoded.push('\n');
            }
            let line = match record {
                NewRecord::Attempt(attempt) => {
                    let attempt = (*attempt).with_id(next_id);
                    next_id = next_id.saturating_add(1);
                    let line = serde_json::to_string(&LineOut {
                        format_version: FORMAT_VERSION,
                        attempt: Some(&attempt),
                        rescore: None,
                    })?;
                    kept.push(attempt);
                    line
                }
                NewRecord::Rescore(attempt, r) => serde_json::to_string(&LineOut {
                    format_version: FORMAT_VERSION,
                    attempt: None,
                    rescore: Some(&RescoreLine {
                        attempt,
                        rescored_at: r.rescored_at,
                        pack: r.pack,
                        rubric_fingerprint: r.rubric_fingerprint,
                        evaluation: r.evaluation,
                    }),
                })?,
            };
            encoded.push_str(&line);
        }
        Ok((encoded, kept))
    })
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
/// backwards a block at a time, holding at most one line (a line over [`MAX_RECORD_BYTES`] is
/// passed over without being held), so this usually reads one record, and never holds the log,
/// even when it ends in thousands of rescore lines.
fn tail(file: &File, len: u64) -> io::Result<(Option<u64>, bool)> {
    const BLOCK: u64 = 64 * 1024;
    let mut reader = file;
    let mut block = Vec::new();
    let mut last_byte = [b'\n'];
    if len > 0 {
        reader.seek(SeekFrom::Start(len - 1))?;
        reader.read_exact(&mut last_byte)?;
    }
    let ends_in_newline = last_byte[0] == b'\n';
    // The end of a line whose start lies before the bytes read so far; `None` while passing
    // over a line too long to hold.
    let mut carry: Option<Vec<u8>> = Some(Vec::new());
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        block.clear();
        reader.seek(SeekFrom::Start(start))?;
        reader.take(end - start).read_to_end(&mut block)?;
        end = start;
        let Some(first_newline) = block.iter().position(|b| *b == b'\n') else {
            carry = carry.and_then(|mut c| {
                c.splice(0..0, block.iter().copied());
                (c.len() <= MAX_RECORD_BYTES).then_some(c)
            });
            continue;
        };
        // Whole lines: after the first newline of the block, up to what was carried.
        let mut whole = block[first_newline + 1..].to_vec();
        match carry.take() {
            Some(c) => whole.extend_from_slice(&c),
            // The rest of a line too long to hold: everything after the block's last newline.
            None => {
                let last = whole.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                whole.truncate(last);
            }
        }
        if let Some(id) = last_id(&whole) {
            return Ok((Some(id), ends_in_newline));
        }
        let head = block[..first_newline].to_vec();
        carry = (head.len() <= MAX_RECORD_BYTES).then_some(head);
    }
    // What is left is the first line of the log.
    Ok((carry.and_then(|c| last_id(&c)), ends_in_newline))
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

/// The longest line read as a record. A record holds one answer (at most a 4 MiB answers file's
/// worth, a few times that once escaped as JSON) and its evaluation; a longer line is damage,
/// reported and skipped without being held in memory.
pub const MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;

/// Anything the log can be read from: the locked file, or bytes in memory.
trait Source: Read + Seek {}
impl<T: Read + Seek> Source for T {}

/// A file read only up to the length it had when it was opened: what is appended later (by this
/// process, or by another once the lock is let go) is not part of this reading.
struct Bounded {
    file: File,
    end: u64,
    pos: u64,
}

impl Bounded {
    fn new(file: File, end: u64) -> Self {
        Bounded { file, end, pos: 0 }
    }
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Bounded {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let to = match to {
            SeekFrom::End(d) => SeekFrom::Start(self.end.saturating_add_signed(d)),
            other => other,
        };
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

/// The attempt log opened for reading, record by record, under a shared lock held until it is
/// dropped.
///
/// Nothing is read whole: opening scans the log once for rescore lines and keeps only where each
/// is (attempt id, offset, line), then [`Log::each`] reads attempts one at a time, in file order,
/// each with its rescores attached, and [`Log::attempt_at`] reads one again by its offset. So the
/// memory a history command needs is one record, plus what the command keeps (a table row, a
/// running total), however long the history: a 200 MB log costs what a 200 KB one does.
pub struct Log {
    path: PathBuf,
    reader: io::BufReader<Box<dyn Source>>,
    /// The open log file (the same open file as the reader's), to let go of its lock.
    locked: Option<File>,
    /// Rescore lines by the attempt they rescore: offset and line number, in file order.
    rescores: std::collections::BTreeMap<u64, Vec<(u64, usize)>>,
    line: Vec<u8>,
}

/// How one line of the log ended.
struct LineEnd {
    /// Bytes the line takes in the file, its newline included.
    len: u64,
    /// Whether it ended in a newline (the last line of a cut write does not).
    newline: bool,
    /// Whether it was longer than [`MAX_RECORD_BYTES`] (and so not kept).
    too_long: bool,
}

/// Reads one line into `buf` (without its newline), keeping at most [`MAX_RECORD_BYTES`] of it.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<LineEnd>> {
    buf.clear();
    let (mut len, mut too_long) = (0u64, false);
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((len > 0).then_some(LineEnd {
                len,
                newline: false,
                too_long,
            }));
        }
        let (chunk, newline) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        if !too_long && buf.len() + chunk.len() > MAX_RECORD_BYTES {
            too_long = true;
            buf.clear();
        }
        if !too_long {
            buf.extend_from_slice(chunk);
        }
        let used = chunk.len() + usize::from(newline);
        len += used as u64;
        reader.consume(used);
        if newline {
            return Ok(Some(LineEnd {
                len,
                newline,
                too_long,
            }));
        }
    }
}

/// Cheap first look: could this line be a rescore record? Only those are parsed while opening.
fn mentions_rescore(line: &[u8]) -> bool {
    line.windows(9).any(|w| w == b"\"rescore\"")
}

impl Log {
    /// Opens the log in `data_dir` under a shared lock. A missing data directory or log is an
    /// empty history, not an error. The log reads only the bytes it held when it was opened.
    pub fn open(data_dir: &Path) -> Result<Log, StoreError> {
        let path = history_path(data_dir);
        let read_err = |source| StoreError::Read {
            path: path.clone(),
            source,
        };
        let (source, locked): (Box<dyn Source>, _) = match File::open(&path) {
            Ok(file) => {
                file.lock_shared().map_err(read_err)?;
                let len = file.metadata().map_err(read_err)?.len();
                let locked = file.try_clone().map_err(read_err)?;
                (Box::new(Bounded::new(file, len)), Some(locked))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                (Box::new(io::Cursor::new(Vec::new())), None)
            }
            Err(e) => return Err(read_err(e)),
        };
        let mut log = Log::from_source(path.clone(), source).map_err(read_err)?;
        log.locked = locked;
        Ok(log)
    }

    /// Lets go of the shared lock, so that this process may append to the log while it goes on
    /// reading it (`rescore` appends as it reads; with the lock held, its own append would wait
    /// for it forever). Safe because the log reads only the bytes it held when it was opened, and
    /// no writer ever changes those: records are appended after them, and a failed append is
    /// cut back to where it began.
    pub fn unlock(&mut self) -> Result<(), StoreError> {
        match self.locked.take() {
            Some(file) => file.unlock().map_err(|source| StoreError::Read {
                path: self.path.clone(),
                source,
            }),
            None => Ok(()),
        }
    }

    /// A log read from `source`; `path` only labels problems.
    fn from_source(path: PathBuf, source: Box<dyn Source>) -> io::Result<Log> {
        let mut log = Log {
            path,
            reader: io::BufReader::with_capacity(64 * 1024, source),
            locked: None,
            rescores: std::collections::BTreeMap::new(),
            line: Vec::new(),
        };
        let (mut offset, mut number) = (0u64, 0usize);
        while let Some(end) = read_line(&mut log.reader, &mut log.line)? {
            number += 1;
            if !end.too_long
                && mentions_rescore(&log.line)
                && let Ok(Parsed::Rescore(r)) = parse_line(&log.line)
            {
                log.rescores
                    .entry(r.attempt)
                    .or_default()
                    .push((offset, number));
            }
            offset += end.len;
        }
        Ok(log)
    }

    /// A log read from `bytes` that counts every byte read from them into `read`: for tests that
    /// check how many times a command reads the log.
    #[cfg(test)]
    pub(crate) fn counting(bytes: Vec<u8>, read: std::rc::Rc<std::cell::Cell<u64>>) -> Log {
        struct Counting(io::Cursor<Vec<u8>>, std::rc::Rc<std::cell::Cell<u64>>);
        impl Read for Counting {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.read(buf)?;
                self.1.set(self.1.get() + n as u64);
                Ok(n)
            }
        }
        impl Seek for Counting {
            fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
                self.0.seek(to)
            }
        }
        let source = Counting(io::Cursor::new(bytes), read);
        Log::from_source("counted.jsonl".into(), Box::new(source)).expect("bytes in memory read")
    }

    /// The file the log is read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn problem(&self, line: usize, column: Option<usize>, message: String) -> Problem {
        Problem {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }

    /// Hands every readable attempt to `each`, oldest first, with its rescores attached, and
    /// every line that cannot be used to `problem` (in line order; rescores of attempts that are
    /// not in the log come last). `each` also gets the attempt's offset for
    /// [`Log::attempt_at`], and may stop the reading early with `ControlFlow::Break`.
    pub fn each(
        &mut self,
        mut each: impl FnMut(Attempt, u64) -> std::ops::ControlFlow<()>,
        mut problem: impl FnMut(Problem),
    ) -> Result<(), StoreError> {
        self.each_inner(&mut each, &mut problem)
            .map_err(|source| StoreError::Read {
                path: self.path.clone(),
                source,
            })
    }

    /// [`Log::each`] for a visitor that can fail: the first error stops the reading and is
    /// returned, as is an error reading the log itself.
    pub fn try_each<E: From<StoreError>>(
        &mut self,
        mut each: impl FnMut(Attempt, u64) -> Result<std::ops::ControlFlow<()>, E>,
        problem: impl FnMut(Problem),
    ) -> Result<(), E> {
        let mut failure = None;
        self.each(
            |attempt, at| {
                each(attempt, at).unwrap_or_else(|e| {
                    failure = Some(e);
                    std::ops::ControlFlow::Break(())
                })
            },
            problem,
        )?;
        failure.map_or(Ok(()), Err)
    }

    fn each_inner(
        &mut self,
        each: &mut dyn FnMut(Attempt, u64) -> std::ops::ControlFlow<()>,
        problem: &mut dyn FnMut(Problem),
    ) -> io::Result<()> {
        self.reader.seek(SeekFrom::Start(0))?;
        let (mut offset, mut number) = (0u64, 0usize);
        let mut last_id: Option<u64> = None;
        let mut attached = std::collections::BTreeSet::new();
        while let Some(end) = read_line(&mut self.reader, &mut self.line)? {
            number += 1;
            let at = offset;
            offset += end.len;
            if end.too_long {
                problem(self.problem(
                    number,
                    None,
                    format!(
                        "a line of {} bytes, longer than any record ({} MiB at most)",
                        end.len,
                        MAX_RECORD_BYTES / (1024 * 1024)
                    ),
                ));
                continue;
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match parse_line(&self.line) {
                Ok(Parsed::Attempt(a)) => {
                    if last_id.is_some_and(|last| last >= a.id) {
                        problem(self.problem(
                            number,
                            None,
                            format!("attempt id {} repeats or goes backwards", a.id),
                        ));
                        continue;
                    }
                    last_id = Some(a.id);
                    let mut a = *a;
                    a.rescored = self.rescores_of(a.id, offset)?;
                    if !a.rescored.is_empty() || self.rescores.contains_key(&a.id) {
                        attached.insert(a.id);
                    }
                    if each(a, at).is_break() {
                        return Ok(());
                    }
                }
                Ok(Parsed::Rescore(_)) => {}
                Err((column, message)) => {
                    let message = if end.newline {
                        message
                    } else {
                        format!("incomplete last record (the write was cut short): {message}")
                    };
                    problem(self.problem(number, column, message));
                }
            }
        }
        let mut orphans: Vec<(usize, u64)> = self
            .rescores
            .iter()
            .filter(|(id, _)| !attached.contains(*id))
            .flat_map(|(id, lines)| lines.iter().map(move |(_, line)| (*line, *id)))
            .collect();
        orphans.sort_unstable();
        for (line, id) in orphans {
            problem(self.problem(
                line,
                None,
                format!("rescore of attempt {id} which is not in the history"),
            ));
        }
        Ok(())
    }

    /// The rescores of attempt `id`, read from where the first pass found them; the reader is
    /// left at `resume`.
    fn rescores_of(&mut self, id: u64, resume: u64) -> io::Result<Vec<Rescore>> {
        let Some(places) = self.rescores.get(&id) else {
            return Ok(Vec::new());
        };
        let mut found = Vec::with_capacity(places.len());
        for &(offset, _) in places {
            self.reader.seek(SeekFrom::Start(offset))?;
            if read_line(&mut self.reader, &mut self.line)?.is_some()
                && let Ok(Parsed::Rescore(r)) = parse_line(&self.line)
            {
                found.push(Rescore {
                    rescored_at: r.rescored_at,
                    pack: r.pack,
                    rubric_fingerprint: r.rubric_fingerprint,
                    evaluation: r.evaluation,
                });
            }
        }
        self.reader.seek(SeekFrom::Start(resume))?;
        Ok(found)
    }

    /// The attempt whose line starts at `offset` (as [`Log::each`] gave it), with its rescores.
    pub fn attempt_at(&mut self, offset: u64) -> Result<Option<Attempt>, StoreError> {
        let read = |log: &mut Log| -> io::Result<Option<Attempt>> {
            log.reader.seek(SeekFrom::Start(offset))?;
            let Some(end) = read_line(&mut log.reader, &mut log.line)? else {
                return Ok(None);
            };
            let Ok(Parsed::Attempt(a)) = parse_line(&log.line) else {
                return Ok(None);
            };
            let mut a = *a;
            a.rescored = log.rescores_of(a.id, offset + end.len)?;
            Ok(Some(a))
        };
        read(self).map_err(|source| StoreError::Read {
            path: self.path.clone(),
            source,
        })
    }

    /// Every attempt and problem, collected: for the few commands that need them all at once.
    pub fn collect(mut self) -> Result<History, StoreError> {
        let mut history = History::default();
        let mut problems = Vec::new();
        self.each(
            |a, _| {
                history.attempts.push(a);
                std::ops::ControlFlow::Continue(())
            },
            |p| problems.push(p),
        )?;
        history.problems = problems;
        Ok(history)
    }
}

/// Reads the whole log into memory. A missing data directory or log is an empty history, not an
/// error. Commands that can work record by record use [`Log`] instead.
pub fn load(data_dir: &Path) -> Result<History, StoreError> {
    Log::open(data_dir)?.collect()
}

/// Parses log bytes; `path` only labels problems.
pub fn parse(path: &Path, bytes: &[u8]) -> History {
    Log::from_source(
        path.to_path_buf(),
        Box::new(io::Cursor::new(bytes.to_vec())),
    )
    .and_then(|log| log.collect().map_err(|e| io::Error::other(e.to_string())))
    .unwrap_or_default()
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
    use crate::history::record::RescoreLine;
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
        append_rescores(dir.path(), vec![(1, rescore.clone())]).unwrap();
        append_rescores(dir.path(), vec![(42, rescore)]).unwrap();
        let h = load(dir.path()).unwrap();
        let a = &h.attempts[0];
        assert_eq!(a.rescored.len(), 1);
        assert_eq!(
            a.scores()
                .unwrap()
                .level(crate::model::pack::Dimension::Context),
            Some(3)
        );
        assert_eq!(
            Scores::from_evaluation(&a.evaluation)
                .unwrap()
                .level(crate::model::pack::Dimension::Context),
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

    #[test]
    fn the_next_id_is_found_behind_many_rescore_lines_and_an_overlong_line() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), new_attempt("q1", at(0), [1, 1, 1, 1])).unwrap();
        let rescore = Rescore {
            rescored_at: at(600),
            pack: PackRef::new("core", "1.1.0"),
            rubric_fingerprint: "fnv1a64:new".into(),
            evaluation: evaluation([3, 3, 3, 3]),
        };
        // Far more than one block of rescore lines, then a line too long to be a record.
        let line = serde_json::to_string(&LineOut {
            format_version: FORMAT_VERSION,
            attempt: None,
            rescore: Some(&RescoreLine {
                attempt: 1,
                rescored_at: rescore.rescored_at,
                pack: rescore.pack.clone(),
                rubric_fingerprint: rescore.rubric_fingerprint.clone(),
                evaluation: rescore.evaluation.clone(),
            }),
        })
        .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(history_path(dir.path()))
            .unwrap();
        for _ in 0..2_000 {
            writeln!(f, "{line}").unwrap();
        }
        f.write_all(&vec![b'x'; MAX_RECORD_BYTES + 10]).unwrap();
        f.write_all(b"\n").unwrap();
        drop(f);
        let next = append(dir.path(), new_attempt("q2", at(700), [1, 1, 1, 1])).unwrap();
        assert_eq!(next.id, 2);
        let h = load(dir.path()).unwrap();
        assert_eq!(h.attempts.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(h.attempts[0].rescored.len(), 2_000);
        assert_eq!(h.problems.len(), 1);
        assert!(
            h.problems[0].message.contains("longer than any record"),
            "{}",
            h.problems[0]
        );
    }

    /// A history that exists only as it is read: `count` attempt lines made from one template,
    /// then a rescore of the second attempt. It refuses (as an I/O error) any read that asks it
    /// to fill more than `MAX_AT_ONCE` bytes, which is what reading the log whole does as its
    /// buffer grows, so a reader that slurps the log fails here however much memory it has.
    struct Generated {
        head: Vec<u8>,
        tail: Vec<u8>,
        rescore: Vec<u8>,
        count: u64,
        pos: u64,
    }

    const FIRST_ID: u64 = 1_000_000;
    const MAX_AT_ONCE: usize = 256 * 1024;

    impl Generated {
        fn new(count: u64) -> Self {
            let attempt = new_attempt("q", at(0), [2, 2, 2, 2]).with_id(FIRST_ID);
            let line = serde_json::to_string(&LineOut {
                format_version: FORMAT_VERSION,
                attempt: Some(&attempt),
                rescore: None,
            })
            .unwrap();
            let (head, tail) = line.split_once(&FIRST_ID.to_string()).unwrap();
            let rescore = serde_json::to_string(&LineOut {
                format_version: FORMAT_VERSION,
                attempt: None,
                rescore: Some(&RescoreLine {
                    attempt: FIRST_ID + 1,
                    rescored_at: at(600),
                    pack: PackRef::new("core", "1.1.0"),
                    rubric_fingerprint: "fnv1a64:new".into(),
                    evaluation: evaluation([4, 4, 4, 4]),
                }),
            })
            .unwrap();
            Generated {
                head: head.as_bytes().to_vec(),
                tail: format!("{tail}\n").into_bytes(),
                rescore: format!("{rescore}\n").into_bytes(),
                count,
                pos: 0,
            }
        }

        fn line_len(&self) -> u64 {
            (self.head.len() + 7 + self.tail.len()) as u64
        }

        fn len(&self) -> u64 {
            self.count * self.line_len() + self.rescore.len() as u64
        }

        /// The line `pos` falls in, and where in it `pos` is.
        fn line_at(&self, pos: u64) -> (Vec<u8>, usize) {
            let attempts = self.count * self.line_len();
            if pos >= attempts {
                return (self.rescore.clone(), (pos - attempts) as usize);
            }
            let id = FIRST_ID + pos / self.line_len();
            let line = [&self.head[..], id.to_string().as_bytes(), &self.tail[..]].concat();
            (line, (pos % self.line_len()) as usize)
        }
    }

    impl Read for Generated {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if buf.len() > MAX_AT_ONCE {
                return Err(io::Error::other(format!(
                    "asked to hold {} bytes at once",
                    buf.len()
                )));
            }
            let mut n = 0;
            while n < buf.len() && self.pos < self.len() {
                let (line, within) = self.line_at(self.pos);
                let take = (line.len() - within).min(buf.len() - n);
                buf[n..n + take].copy_from_slice(&line[within..within + take]);
                n += take;
                self.pos += take as u64;
            }
            Ok(n)
        }
    }

    impl Seek for Generated {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.pos = match to {
                SeekFrom::Start(p) => p,
                SeekFrom::End(d) => self.len().saturating_add_signed(d),
                SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
            };
            Ok(self.pos)
        }
    }

    #[test]
    fn a_history_far_larger_than_what_is_held_is_read_record_by_record() {
        let count = 12_000;
        let source = Generated::new(count);
        let size = source.len();
        assert!(size > 32 * MAX_AT_ONCE as u64, "{size} bytes");
        // Reading it whole is refused by the source: the test can tell slurping from streaming.
        let mut whole = Vec::new();
        assert!(Generated::new(count).read_to_end(&mut whole).is_err());

        let mut log = Log::from_source("big.jsonl".into(), Box::new(source)).unwrap();
        let (mut seen, mut next, mut rescored, mut problems) = (0u64, FIRST_ID, Vec::new(), 0);
        log.each(
            |a, _| {
                assert_eq!(a.id, next);
                next += 1;
                seen += 1;
                if !a.rescored.is_empty() {
                    rescored.push((a.id, a.scores().unwrap().overall.level));
                }
                std::ops::ControlFlow::Continue(())
            },
            |_| problems += 1,
        )
        .unwrap();
        assert_eq!((seen, problems), (count, 0));
        assert_eq!(rescored, [(FIRST_ID + 1, 4)]);
        // And one attempt read again by its offset comes with its rescore.
        let line = Generated::new(1).line_len();
        let again = log.attempt_at(line).unwrap().unwrap();
        assert_eq!((again.id, again.rescored.len()), (FIRST_ID + 1, 1));
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
