//! `rehearse drill PATH...`: grade answer files for a CI job or a cohort.
//!
//! Wires the pieces together: load the bank, find the files, grade them on every core, stream
//! each outcome to the chosen exporter (and to the history with `--record`), report broken files
//! on stderr as they come, and pick the exit code: 2 when any file could not be graded (an input
//! error outranks a low score: the run is incomplete), else 1 when any answer fell below a
//! threshold, else 0. A progress bar is drawn on stderr only when stderr is a terminal.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{DrillArgs, DrillFormat};
use crate::clock::Clock as _;
use crate::drill::{self, FileOutcome, Grader, Summary, Thresholds};
use crate::export::{self, Format};
use crate::history::record::{NewAttempt, Source, attempt_for};
use crate::plural::plural;
use crate::safe_text::{Mode, SafeWriter};
use crate::{Context, exit};

/// Grades the files and writes the report.
pub fn run(ctx: &Context, args: &DrillArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let thresholds = Thresholds {
        min_level: args.min_level,
        min_score: args.min_score,
        min: args.min.clone(),
    };
    let grader = Grader::new(&bank, thresholds.clone(), args.record)?;
    let files = drill::discover(&args.paths);
    let format = match args.format {
        DrillFormat::Text => Format::Text,
        DrillFormat::Json => Format::Json,
        DrillFormat::Junit => Format::Junit,
        DrillFormat::Markdown => Format::Markdown,
    };
    // Colour only ever goes to a terminal: a report written to a file stays plain.
    let style = if args.output.is_none() {
        ctx.style
    } else {
        crate::style::Style::PLAIN
    };
    let mut exporter = export::exporter(format, style, &thresholds, args.verbose);
    // Watched from before the temporary report file exists until the process ends: Ctrl-C
    // stops the drill between two files, removes its half-written `--output` file, records what
    // it graded and exits 130.
    let interrupted = crate::interrupt::watch()?;
    let mut target = match &args.output {
        Some(path) => Target::File(OutputFile::create(path, output_mode(args.format, false))?),
        None => Target::Stdout(PipeGuard {
            inner: out,
            closed: false,
        }),
    };
    let mut recorder = if args.record {
        Some(Recorder::new(ctx.clock)?)
    } else {
        None
    };
    let progress = progress_bar(files.len());
    let mut summary = Summary::new(thresholds);
    let stderr = io::stderr();
    let graded = drill::grade_all(
        &grader,
        &files,
        &|| progress.inc(1),
        |outcome: FileOutcome<'_>| {
            if interrupted.load(Ordering::Relaxed) {
                // Unwinding from here drops the `--output` temporary file, which deletes it,
                // and records what was graded (below) before exiting 130.
                return Err(crate::Interrupted.into());
            }
            summary.add(&outcome);
            if let FileOutcome::Broken { problems, .. } = &outcome {
                progress.suspend(|| {
                    let mut err = SafeWriter::new(stderr.lock(), Mode::Text { color: false });
                    writeln!(err, "{problems}")?;
                    err.finish().map(drop)
                })?;
            }
            exporter.file(target.writer(), &outcome)?;
            if let Some(recorder) = recorder.as_mut() {
                recorder.record(&grader, &outcome)?;
            }
            Ok(())
        },
    );
    // What was graded is recorded even when the report could not be written.
    let recorded = recorder.as_mut().map(Recorder::flush).transpose();
    graded?;
    recorded?;
    progress.finish_and_clear();
    let report = summary.report();
    exporter.finish(target.writer(), &report)?;
    target.finish()?;

    let mut err = SafeWriter::new(stderr.lock(), Mode::Text { color: false });
    if let Some(path) = &args.output {
        writeln!(
            err,
            "wrote {}: {} graded, {} below the thresholds",
            path.display(),
            plural(report.answers, "answer", "answers"),
            report.below_threshold
        )?;
    }
    if let Some(recorder) = &recorder {
        writeln!(
            err,
            "recorded {} in the history",
            plural(recorder.count, "attempt", "attempts")
        )?;
    }
    if summary.has_input_errors() {
        // Filled to the terminal it is read on, if any, so it does not break mid-word.
        let line = format!("error: {}", not_graded(report.broken_files, report.files));
        writeln!(
            err,
            "{}",
            crate::reflow::fill(&line, crate::style::stderr_width(), "  ")
        )?;
        return Ok(exit::INPUT_ERROR);
    }
    Ok(if summary.has_failures() {
        exit::BELOW_THRESHOLD
    } else {
        exit::SUCCESS
    })
}

/// How a report in `format` is made safe (see `safe_text`): JSON keeps its data, JUnit stays
/// well-formed XML, text and Markdown show controls visibly.
pub fn output_mode(format: DrillFormat, color: bool) -> Mode {
    match format {
        DrillFormat::Json => Mode::Json,
        DrillFormat::Junit => Mode::Xml,
        DrillFormat::Text | DrillFormat::Markdown => Mode::Text { color },
    }
}

/// The closing line when some paths could not be graded: how many, and what became of the rest.
fn not_graded(broken: usize, paths: usize) -> String {
    let graded = paths - broken.min(paths);
    match (broken, graded) {
        (1, 0) => "nothing was graded (the problem is above)".to_string(),
        (_, 0) => format!("nothing was graded: all {paths} answers files have problems (above)"),
        _ => format!(
            "{broken} of {paths} answers files could not be graded (problems above); the other \
             {graded} {} graded and reported",
            if graded == 1 { "was" } else { "were" }
        ),
    }
}

fn progress_bar(files: usize) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} answer files graded ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Where the report goes.
enum Target<'a> {
    Stdout(PipeGuard<'a>),
    File(OutputFile),
}

impl Target<'_> {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Target::Stdout(out) => out,
            Target::File(file) => &mut file.writer,
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Target::Stdout(mut out) => Ok(out.flush()?),
            Target::File(file) => file.persist(),
        }
    }
}

/// Standard output that goes quiet when the reader closes the pipe (`drill ... | head -1`):
/// the rest of the report is dropped, but grading, recording and the exit code go on as if it
/// had been read, because a CI job that pipes the report still needs the true verdict.
struct PipeGuard<'a> {
    inner: &'a mut dyn Write,
    closed: bool,
}

impl PipeGuard<'_> {
    fn guard(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl Write for PipeGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.closed {
            let result = self.inner.write_all(buf);
            self.guard(result)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.guard(result)
    }
}

/// `--output FILE`, written to a temporary file beside it and renamed into place at the end, so
/// a CI job never picks up half a report.
struct OutputFile {
    path: PathBuf,
    writer: SafeWriter<io::BufWriter<tempfile::NamedTempFile>>,
}

impl OutputFile {
    fn create(path: &Path, mode: Mode) -> anyhow::Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // The temporary file's own name means nothing to the user: report the path they gave.
        let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| cannot_write(path, &e))?;
        Ok(OutputFile {
            path: path.to_path_buf(),
            writer: SafeWriter::new(io::BufWriter::new(temp), mode),
        })
    }

    fn persist(self) -> anyhow::Result<()> {
        let path = self.path;
        let temp = self
            .writer
            .finish()
            .map_err(|e| cannot_write(&path, &e))?
            .into_inner()
            .map_err(|e| cannot_write(&path, e.error()))?;
        temp.persist(&path)
            .map_err(|e| cannot_write(&path, &e.error))?;
        Ok(())
    }
}

/// `--output` could not be written: the path as given and why, never the temporary file's name
/// (tempfile's errors carry it).
fn cannot_write(path: &Path, e: &io::Error) -> anyhow::Error {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "its directory does not exist".to_string(),
        _ => crate::diag::io_reason(&io::Error::from(e.kind())),
    };
    anyhow::anyhow!("cannot write {}: {reason}", path.display())
}

/// `--record`: every graded answer becomes an attempt in the history.
struct Recorder {
    dir: PathBuf,
    /// Judge fingerprints per `PACK/ID`: hashing the rubric once per question, not per answer.
    fingerprints: HashMap<String, String>,
    /// Attempts graded but not yet appended.
    pending: Vec<NewAttempt>,
    count: usize,
    /// The run's clock (`REHEARSE_NOW` fixes it).
    clock: crate::clock::RunClock,
}

/// Attempts appended at a time by `--record`: few enough that holding them costs little memory,
/// many enough that a cohort takes the history's lock a handful of times.
const RECORD_BATCH: usize = 512;

impl Recorder {
    fn new(clock: crate::clock::RunClock) -> anyhow::Result<Self> {
        Ok(Recorder {
            dir: crate::history::data_dir()?,
            fingerprints: HashMap::new(),
            pending: Vec::new(),
            count: 0,
            clock,
        })
    }

    fn record(&mut self, grader: &Grader<'_>, outcome: &FileOutcome<'_>) -> anyhow::Result<()> {
        let FileOutcome::Graded {
            candidate, answers, ..
        } = outcome
        else {
            return Ok(());
        };
        for graded in answers {
            let Some(answer) = &graded.answer else {
                continue;
            };
            let entry = graded.entry;
            let qualified = entry.qualified_id();
            let fingerprint = match self.fingerprints.get(&qualified) {
                Some(f) => f.clone(),
                None => {
                    let judge = grader
                        .judge_of(entry.pack)
                        .context("no rubric for the question's pack")?;
                    let f = judge.fingerprint(entry.question)?;
                    self.fingerprints.insert(qualified, f.clone());
                    f
                }
            };
            let mut attempt = attempt_for(
                self.clock.now(),
                Source::Drill,
                entry,
                answer.clone(),
                &graded.evaluation,
                fingerprint,
            )?;
            attempt.candidate.clone_from(candidate);
            attempt.follow_up.clone_from(&graded.follow_up_id);
            self.pending.push(attempt);
        }
        if self.pending.len() >= RECORD_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Appends the attempts held so far, in one write under one lock.
    fn flush(&mut self) -> anyhow::Result<()> {
        let batch = std::mem::take(&mut self.pending);
        if batch.is_empty() {
            return Ok(());
        }
        let n = batch.len();
        let kept = crate::history::store::append_all(&self.dir, batch).with_context(|| {
            format!(
                "{} attempts were recorded before this; the next {n} were not",
                self.count
            )
        })?;
        self.count += kept.len();
        Ok(())
    }
}
