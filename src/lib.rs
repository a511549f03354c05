//! rehearse: a terminal coach for senior backend interviews.
//!
//! The library holds everything; `main.rs` only hands over the arguments and exits with the code
//! [`main`] returns. The pure core (pack model, rubric scoring) does no I/O; the edges (terminal,
//! files, output formats) are thin adapters around it. Commands write to a locked, buffered stdout
//! and return an exit code; errors travel up as `anyhow` chains and are printed once, here.

pub mod answer;
pub mod answers;
pub mod calibrate;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod diag;
pub mod distribute;
pub mod drill;
pub mod embedded;
pub mod exit;
pub mod export;
pub mod feedback;
pub mod history;
pub mod input;
pub mod interrupt;
pub mod json_output;
pub mod judge;
pub mod model;
pub mod pack;
pub mod plural;
pub mod reflow;
pub mod rubric;
pub mod safe_text;
pub mod seeded;
pub mod session;
pub mod style;
pub mod terminal;
pub mod text;
pub mod walk;
pub mod yaml;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::Parser;

use cli::{Cli, Command, PackCommand};
use diag::Diagnostics;
use pack::Bank;

/// What every command gets from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    /// Extra packs: REHEARSE_BANK's paths, then each `--bank`.
    pub bank_paths: Vec<PathBuf>,
    /// How many of `bank_paths` come from `REHEARSE_BANK` (the rest were given with `--bank`).
    pub env_paths: usize,
    /// Leave the built-in pack out.
    pub no_builtin: bool,
    /// How stdout looks: colour and width, decided once ([`style::init`]).
    pub style: style::Style,
    /// The clock every command reads (`REHEARSE_NOW` fixes it).
    pub clock: clock::RunClock,
}

impl Context {
    /// Loads the packs this context names: the built-in pack, the installed packs (`rehearse
    /// pack install`, found in the data directory; none when there is no data directory) and
    /// the `REHEARSE_BANK` and `--bank` paths. A pack from `REHEARSE_BANK` with problems is left
    /// out with a warning on stderr naming it and its first problem, and the others are used: a
    /// setting made once, in a shell profile, must not stop every command the day one of its packs
    /// breaks. A pack named with `--bank` was asked for on this command line, so its problems are
    /// errors (exit 2), as they are for `pack validate`.
    pub fn bank(&self) -> Result<Bank, Diagnostics> {
        let data_dir = history::data_dir().ok();
        let installed = distribute::store::installed_packs(data_dir.as_deref())?;
        let bank = Bank::load_with_skipping(installed, &self.bank_paths, self.no_builtin);
        let asked_for: Vec<_> = bank
            .skipped()
            .iter()
            .filter(|s| s.index.is_some_and(|i| i >= self.env_paths))
            .flat_map(|s| s.problems.0.iter().cloned())
            .collect();
        if !asked_for.is_empty() {
            return Err(Diagnostics(asked_for));
        }
        // Paths and problems quote untrusted names and pack text.
        let mut stderr =
            safe_text::SafeWriter::new(io::stderr().lock(), safe_text::Mode::Text { color: false });
        for s in bank.skipped() {
            let n = s.problems.0.len();
            let _ = writeln!(
                stderr,
                "warning: {}: pack not loaded ({}; `rehearse pack validate {}` lists {}); going \
                 on without it",
                s.shown,
                plural::plural(n, "problem", "problems"),
                s.shown,
                if n == 1 { "it" } else { "them" }
            );
            if let Some(first) = s.problems.0.first() {
                let _ = writeln!(stderr, "  {first}");
            }
        }
        let _ = stderr.finish();
        Ok(bank)
    }
}

/// The user interrupted (Ctrl-C). Raised by interactive commands after saving their state.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// Runs rehearse with `args` (program name first) and returns the process exit code.
pub fn main<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    exit::SUCCESS
                }
                _ => exit::INPUT_ERROR,
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

/// Prints an error chain to stderr and picks the exit code it deserves.
fn report(e: &anyhow::Error) -> u8 {
    // `rehearse list | head -1` closes the pipe early; that is success, not an error to print.
    // serde_json wraps the I/O error in its own type, so look inside that too.
    if e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    }) {
        return exit::SUCCESS;
    }
    if e.downcast_ref::<Interrupted>().is_some() {
        return exit::INTERRUPTED;
    }
    // Messages quote file names, ids and field names from untrusted input.
    let mut stderr =
        safe_text::SafeWriter::new(io::stderr().lock(), safe_text::Mode::Text { color: false });
    if let Some(d) = e.downcast_ref::<Diagnostics>() {
        let _ = writeln!(stderr, "{d}");
        let _ = writeln!(
            stderr,
            "error: {} found",
            plural::plural(d.0.len(), "problem", "problems")
        );
        let _ = stderr.finish();
        return exit::INPUT_ERROR;
    }
    let _ = write!(stderr, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = write!(stderr, ": {cause}");
    }
    let _ = writeln!(stderr);
    let _ = stderr.finish();
    exit::INPUT_ERROR
}

/// How standard output is made safe for this command: JSON output keeps its data (controls as
/// `\u` escapes), JUnit stays well-formed XML, everything else is text for a person.
fn output_mode(command: &Command, color: bool) -> safe_text::Mode {
    use cli::{ExportFormat, HistoryCommand};
    let json = match command {
        Command::List(a) => a.json,
        Command::Show(a) => a.json,
        Command::Score(a) => a.json,
        Command::Schema(_) => true,
        Command::History(a) => match &a.command {
            Some(HistoryCommand::Show(s)) => s.json,
            None => a.json,
        },
        Command::Diff(a) => a.json,
        Command::Progress(a) => a.json,
        // A CSV is data, never painted: rehearse's own colour codes have no business in it
        // either, so none pass (a stored answer could spell one).
        Command::Export(a) if a.format == ExportFormat::Csv => {
            return safe_text::Mode::Text { color: false };
        }
        Command::Export(a) => a.format == ExportFormat::Json,
        Command::Rescore(a) => a.json,
        Command::Calibrate(a) => a.json,
        Command::Drill(a) => return commands::drill::output_mode(a.format, color),
        _ => false,
    };
    if json {
        safe_text::Mode::Json
    } else {
        safe_text::Mode::Text { color }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let mut bank_paths: Vec<PathBuf> = std::env::var_os("REHEARSE_BANK")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    let env_paths = bank_paths.len();
    bank_paths.extend(cli.global.bank.iter().cloned());
    let ctx = Context {
        bank_paths,
        env_paths,
        no_builtin: cli.global.no_builtin,
        style: style::init(cli.global.color.into()),
        clock: clock::RunClock::from_env()?,
    };
    if matches!(
        cli.command,
        Command::Practice(_)
            | Command::Score(_)
            | Command::Drill(_)
            | Command::Calibrate(_)
            | Command::Rescore(_)
            | Command::Pack(PackCommand::Test(_))
    ) {
        // Compiling the default rubric takes as long as loading the bank: do both at once.
        rubric::CompiledRubric::prefetch_builtin();
    }
    let stdout = io::stdout();
    // The last line of defence for untrusted text: whatever a printer forgot to clean, nothing
    // but rehearse's own colour reaches the terminal (see `safe_text`).
    let mut out = safe_text::SafeWriter::new(
        io::BufWriter::new(stdout.lock()),
        output_mode(&cli.command, ctx.style.color()),
    );
    let code = match &cli.command {
        Command::Practice(args) => commands::practice::run(&ctx, args, &mut out)?,
        Command::List(args) => commands::list::run(&ctx, args, &mut out)?,
        Command::Show(args) => commands::show::run(&ctx, args, &mut out)?,
        Command::Pack(PackCommand::Validate(args)) => {
            commands::pack_validate::run(&ctx, args, &mut out)?
        }
        Command::Pack(PackCommand::Test(args)) => commands::pack_test::run(&ctx, args, &mut out)?,
        Command::Pack(PackCommand::New(args)) => commands::pack_new::run(args, &mut out)?,
        Command::Pack(PackCommand::Install(args)) => {
            commands::pack_install::run(&ctx, args, &mut out)?
        }
        Command::Pack(PackCommand::List(args)) => commands::pack_list::run(args, &mut out)?,
        Command::Pack(PackCommand::Update(args)) => {
            commands::pack_update::run(&ctx, args, &mut out)?
        }
        Command::Pack(PackCommand::Remove(args)) => commands::pack_remove::run(args, &mut out)?,
        Command::Pack(PackCommand::Info(args)) => commands::pack_info::run(args, &mut out)?,
        Command::Score(args) => commands::score::run(&ctx, args, &mut out)?,
        Command::Schema(args) if args.answers => commands::template::schema(&mut out)?,
        Command::Schema(args) => commands::schema::run(args.rubric, &mut out)?,
        Command::Completions(args) => commands::completions::completions(args.shell, &mut out)?,
        Command::Man(args) => commands::completions::man(args.dir.as_deref(), &mut out)?,
        Command::History(args) => commands::history::run(&ctx, args, &mut out)?,
        Command::Diff(args) => commands::diff::run(&ctx, args, &mut out)?,
        Command::Progress(args) => commands::progress::run(&ctx, args, &mut out)?,
        Command::Export(args) => commands::export_history::run(&ctx, args, &mut out)?,
        Command::Rescore(args) => commands::rescore::run(&ctx, args, &mut out)?,
        Command::Template(args) => commands::template::run(&ctx, args, &mut out)?,
        Command::Drill(args) => commands::drill::run(&ctx, args, &mut out)?,
        Command::Calibrate(args) => commands::calibrate::run(&ctx, args, &mut out)?,
    };
    // A reader that closed the pipe early (`| head -1`) gets no error message, but the exit code
    // the command chose still stands: a drill's verdict must survive a closed pipe.
    match out.finish() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => drop(other?),
    }
    Ok(code)
}
