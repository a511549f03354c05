//! Command-line arguments: clap types only. The `///` comments are the help text.
//!
//! Nothing here does work; `lib.rs` turns these into calls on the library, so the library never
//! depends on clap and tests can call it without parsing arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::pack::{Dimension, Kind, Level};
use crate::style::ColorChoice;

/// A terminal coach for senior backend interviews: practise trade-offs, ambiguous degradations,
/// retrospectives and system design, and get every answer scored offline against an explicit
/// rubric (context-building, trade-offs, ownership, communication).
#[derive(Debug, Parser)]
#[command(name = "rehearse", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Add a pack file or pack directory; repeat for several. Paths in the REHEARSE_BANK
    /// environment variable (separated like PATH) are added too.
    #[arg(long = "bank", value_name = "PATH", global = true, help_heading = GLOBAL)]
    pub bank: Vec<PathBuf>,

    /// Leave the built-in pack out.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_builtin: bool,

    /// When to use colour: auto means only on a terminal, and never when NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto, global = true, help_heading = GLOBAL)]
    pub color: ColorArg,
}

/// The help heading of the options every command takes, listed apart from a command's own.
const GLOBAL: &str = "Global options";

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write rehearse.1 and a page per command (rehearse-practice.1, rehearse-pack-validate.1,
    /// ...) into DIR instead of printing rehearse.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// When to colour output, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Practise in the terminal: a mock interview with feedback after every question.
    #[command(after_help = EX_PRACTICE)]
    Practice(PracticeArgs),
    /// List the questions of every loaded pack.
    #[command(after_help = EX_LIST)]
    List(ListArgs),
    /// Show a question as a candidate sees it.
    #[command(after_help = EX_SHOW)]
    Show(ShowArgs),
    /// Score one answer to a question and explain every point.
    #[command(after_help = EX_SCORE)]
    Score(ScoreArgs),
    /// Work with packs: start one, validate it, run its self-tests; install, update and remove
    /// packs from a directory, an archive or a git repository.
    #[command(subcommand)]
    Pack(PackCommand),
    /// Print the JSON Schema of the pack format (or of answer files, or of rubric files), for
    /// editors.
    #[command(after_help = EX_SCHEMA)]
    Schema(SchemaArgs),
    /// Print shell completions.
    #[command(after_help = EX_COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write a page per command into a directory.
    #[command(after_help = EX_MAN)]
    Man(ManArgs),
    /// List recorded attempts, newest first; `history show N` shows one in full.
    #[command(after_help = EX_HISTORY)]
    History(HistoryArgs),
    /// Compare two attempts at a question (the last two, or N and M): scores, criteria and answer
    /// changes.
    #[command(after_help = EX_DIFF)]
    Diff(DiffArgs),
    /// Progress per dimension over time, current levels, streak and reviews due.
    #[command(after_help = EX_PROGRESS)]
    Progress(ProgressArgs),
    /// Export the history as JSON or CSV, for a mentor or a bootcamp.
    #[command(after_help = EX_EXPORT)]
    Export(ExportArgs),
    /// Re-score stored attempts with the current packs and rubric, keeping the old scores.
    #[command(after_help = EX_RESCORE)]
    Rescore(RescoreArgs),
    /// Write an answers-file skeleton (prompts as comments, a slot per step) to fill in an editor.
    #[command(after_help = EX_TEMPLATE)]
    Template(TemplateArgs),
    /// Grade answer files, or whole directories of them, for CI jobs and cohorts; exit 1 when an
    /// answer falls below a threshold, 2 on input errors.
    #[command(after_help = EX_DRILL)]
    Drill(DrillArgs),
    /// Measure how far the scores agree with human grades: Spearman, quadratic weighted kappa,
    /// agreement and confusion per dimension, gaming answers held low, strong answers on top.
    /// Exit 1 when a threshold is missed, 2 on input errors.
    #[command(after_help = EX_CALIBRATE)]
    Calibrate(CalibrateArgs),
}

/// Filters shared by commands that pick questions.
#[derive(Debug, Args, Default, Clone)]
pub struct FilterArgs {
    /// Only questions of this kind (repeatable).
    #[arg(long = "kind", value_enum, value_name = "KIND")]
    pub kinds: Vec<KindArg>,
    /// Only questions with this tag (repeatable; any of them matches).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only questions of this level (repeatable).
    #[arg(long = "level", value_enum, value_name = "LEVEL")]
    pub levels: Vec<LevelArg>,
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How many questions the session asks.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub count: u32,
    /// Ask this question (ID or PACK/ID) instead of picking; repeat for several, asked in order.
    #[arg(long = "question", value_name = "ID", conflicts_with_all = ["kinds", "tags", "levels", "review"])]
    pub questions: Vec<String>,
    /// Seed for the question order and the follow-ups: the same seed replays the same session.
    /// Without it a fresh seed is picked and printed.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Continue an interrupted session where it stopped: the one with this ID (see
    /// `--sessions`), or the newest without one.
    #[arg(long, value_name = "ID", num_args = 0..=1,
          conflicts_with_all = ["kinds", "tags", "levels", "questions", "seed", "review"])]
    pub resume: Option<Option<String>>,
    /// Ask the questions your history says are due for review, weakest first.
    #[arg(long)]
    pub review: bool,
    /// List the interrupted sessions that can be resumed, newest last, and exit.
    #[arg(long, conflicts_with_all = ["resume", "review", "questions", "discard"])]
    pub sessions: bool,
    /// Delete the saved session ID (see `--sessions`) without resuming it, and exit.
    #[arg(long, value_name = "ID", conflicts_with_all = ["resume", "review", "questions"])]
    pub discard: Option<String>,
    /// Feedback in full after each question: every missed criterion with its hint, and what each
    /// hidden fact you never uncovered would have told you (without it, `/more` shows them).
    #[arg(long, conflicts_with_all = ["sessions", "discard"])]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The question, as ID or PACK/ID.
    pub id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also show the model answer, hidden facts and question-specific rubric criteria.
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Start a new pack in DIR: a manifest, one commented example question per kind (with
    /// steps, a follow-up, facts and graded examples), a README for its authors and a CI
    /// workflow. It validates and passes `pack test` as created.
    #[command(after_help = EX_PACK_NEW)]
    New(PackNewArgs),
    /// Check pack files or directories and report every problem as FILE:LINE:COLUMN.
    #[command(after_help = EX_PACK_VALIDATE)]
    Validate(ValidateArgs),
    /// Score each question's graded examples and run adversarial probes (empty, keyword list,
    /// negated model answer, repeated sentence, off-topic) against every question. Exit 1 when a
    /// self-test fails, 2 on bad input.
    #[command(after_help = EX_PACK_TEST)]
    Test(PackTestArgs),
    /// Install a pack from a directory, a YAML file, a .tar.gz archive or a git repository
    /// (URL, with #REF for a tag, branch or commit). The pack is validated first; an invalid one
    /// is refused and nothing changes. Installed packs are loaded by every command.
    #[command(after_help = EX_PACK_INSTALL)]
    Install(PackInstallArgs),
    /// List the installed packs: id, version, questions, source and pinned ref.
    #[command(after_help = EX_PACK_LIST)]
    List(PackListArgs),
    /// Fetch installed packs from their sources again and show what changed (questions added,
    /// removed, reworded, rubric changed). A failed update leaves the old version in place.
    #[command(after_help = EX_PACK_UPDATE)]
    Update(PackUpdateArgs),
    /// Remove an installed pack. Its attempts stay in the history.
    #[command(after_help = EX_PACK_REMOVE)]
    Remove(PackIdArgs),
    /// Show an installed pack: where it came from, what is installed, its questions.
    #[command(after_help = EX_PACK_INFO)]
    Info(PackIdArgs),
}

/// Arguments of `pack new`.
#[derive(Debug, Args)]
pub struct PackNewArgs {
    /// The directory to create (or an empty one).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The pack id (kebab-case). Default: the directory's name.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Write an example question of this kind (repeatable). Default: one of each kind.
    #[arg(long = "kind", value_enum, value_name = "KIND")]
    pub kinds: Vec<KindArg>,
}

/// Arguments of `pack install`.
#[derive(Debug, Args)]
pub struct PackInstallArgs {
    /// A pack directory, a single-file YAML pack, a .tar.gz archive, or a git URL such as
    /// https://example.org/bootcamp/pack.git#v1.2.0 or file:///srv/pack.git#main.
    #[arg(value_name = "SOURCE")]
    pub source: String,
}

/// Arguments of `pack list`.
#[derive(Debug, Args)]
pub struct PackListArgs {
    /// Print the lock entries as a JSON array (the layout of docs/distributing-packs.md).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pack update`.
#[derive(Debug, Args)]
pub struct PackUpdateArgs {
    /// The pack to update; without it, every installed pack.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

/// Arguments naming one installed pack.
#[derive(Debug, Args)]
pub struct PackIdArgs {
    /// The installed pack's id.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Arguments of `pack test`.
#[derive(Debug, Args)]
pub struct PackTestArgs {
    /// Pack files or directories to test.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Show the expected and the found level of every example in every dimension.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// Arguments of `score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Question id, or PACK/ID.
    pub id: String,
    /// The answer file, or `-` for standard input (the same as --answer-file).
    #[arg(value_name = "FILE|-", conflicts_with = "answer_file")]
    pub answer: Option<PathBuf>,
    /// File holding the answer; `-` reads standard input. Plain text is one whole answer; lines
    /// `## STEP-ID` (and `## follow-up`) split it into per-step answers. Without a file, a pipe
    /// is read, and on a terminal the answer is typed in (Ctrl-D on a line of its own ends it).
    #[arg(long, value_name = "FILE")]
    pub answer_file: Option<PathBuf>,
    /// Print the result object as JSON (see docs/json-output.md).
    #[arg(long)]
    pub json: bool,
    /// Also store the scored answer in the history (`rehearse history`, `progress`).
    #[arg(long)]
    pub record: bool,
    /// List every missed criterion with its hint, not only the three most worth adding.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Pack files or directories to check.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of answer files (`rehearse drill`) instead of packs.
    #[arg(long, conflicts_with = "rubric")]
    pub answers: bool,
    /// Print the schema of a pack's `rubric.yaml` (a complete rubric or additions) instead.
    #[arg(long)]
    pub rubric: bool,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Questions to include, as ID or PACK/ID, in this order. Default: every question that passes
    /// the filters.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Pick this many questions at random (reproducibly with --seed).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub count: Option<u32>,
    /// Seed for the random pick: the same seed picks the same questions on every machine. Without
    /// --count it only shuffles the order.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// Answer files, or directories searched recursively for *.yaml and *.yml files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DrillFormat::Text)]
    pub format: DrillFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// An answer fails when its overall level (1 Missing .. 4 Strong) is below N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=4))]
    pub min_level: Option<u8>,
    /// An answer fails when its overall score (0 to 1, as printed) is below X.
    #[arg(long, value_name = "X", value_parser = crate::drill::threshold::parse_score)]
    pub min_score: Option<f64>,
    // The help text is `min_help`: it names the dimensions from the model.
    #[arg(long = "min", value_name = "DIMENSION=LEVEL", value_parser = crate::drill::threshold::parse_dimension_min, help = min_help())]
    pub min: Vec<crate::drill::threshold::DimensionMin>,
    /// Also store every graded answer in the history (`rehearse history`, `progress`).
    #[arg(long)]
    pub record: bool,
    /// Text and Markdown formats: list every missed criterion with its hint, not only the three
    /// most worth adding.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Calibration files: graded answers with their own questions (like
    /// ../shared/calibration/answers.yaml) or answers files with `expect:` levels
    /// (docs/calibration-format.md).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print the report as JSON (docs/calibration-format.md).
    #[arg(long)]
    pub json: bool,
    /// Only answers to this question (ID or PACK/ID); repeatable.
    #[arg(long = "question", value_name = "ID")]
    pub questions: Vec<String>,
    /// Only answers to questions of this kind; repeatable.
    #[arg(long = "kind", value_enum, value_name = "KIND")]
    pub kinds: Vec<KindArg>,
    /// Exit 1 when Spearman falls below X on any graded dimension.
    #[arg(long, value_name = "X", allow_negative_numbers = true,
          value_parser = crate::calibrate::report::parse_measure)]
    pub min_spearman: Option<f64>,
    /// Exit 1 when quadratic weighted kappa falls below X on any graded dimension.
    #[arg(long, value_name = "X", allow_negative_numbers = true,
          value_parser = crate::calibrate::report::parse_measure)]
    pub min_kappa: Option<f64>,
    /// Exit 1 when Spearman on this dimension falls below X, e.g. `--min context=0.8`.
    /// Repeatable.
    #[arg(long = "min", value_name = "DIMENSION=X", value_parser = crate::calibrate::report::parse_dimension_min)]
    pub min: Vec<(crate::model::pack::Dimension, f64)>,
    /// List every disagreement, not just the largest ten.
    #[arg(long)]
    pub verbose: bool,
}

/// Output formats of `rehearse drill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DrillFormat {
    /// Feedback per answer as in a practice session, then a summary.
    Text,
    /// `{"results": [...], "errors": [...], "summary": {...}}`, documented in docs/json-output.md.
    Json,
    /// JUnit XML: a test suite per answers file, a test case per answer.
    Junit,
    /// A Markdown report for a pull-request comment or a mentor's review.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    /// Only attempts at this question, as ID or PACK/ID.
    pub id: Option<String>,
    /// Print the attempts as a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Show one attempt with its answer and feedback.
    #[command(after_help = EX_HISTORY_SHOW)]
    Show(HistoryShowArgs),
}

#[derive(Debug, Args)]
pub struct HistoryShowArgs {
    /// The attempt number, as `rehearse history` lists it.
    pub attempt: u64,
    /// Print the stored record as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The question, as ID or PACK/ID.
    pub id: String,
    /// The earlier attempt to compare, by its number in `rehearse history`; give M too. Without
    /// N and M, the last two attempts at the question are compared.
    #[arg(value_name = "N", requires = "after")]
    pub before: Option<u64>,
    /// The later attempt to compare, by its number in `rehearse history`.
    #[arg(value_name = "M")]
    pub after: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// Leave out names and answer texts: names become stable pseudonyms, answers word counts,
    /// and quoted excerpts are removed; scores and levels stay.
    #[arg(long)]
    pub anonymize: bool,
}

#[derive(Debug, Args)]
pub struct RescoreArgs {
    /// Show what would be re-scored without recording anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome per attempt as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Formats of `rehearse export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every attempt with its answer and evaluations.
    Json,
    /// One row per attempt with its levels and scores per dimension.
    Csv,
}

/// A question kind on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    TradeOff,
    Degradation,
    Retrospective,
    SystemDesign,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::TradeOff => Kind::TradeOff,
            KindArg::Degradation => Kind::Degradation,
            KindArg::Retrospective => Kind::Retrospective,
            KindArg::SystemDesign => Kind::SystemDesign,
        }
    }
}

/// A question level on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Mid,
    Senior,
    Staff,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Mid => Level::Mid,
            LevelArg::Senior => Level::Senior,
            LevelArg::Staff => Level::Staff,
        }
    }
}

impl From<ColorArg> for ColorChoice {
    fn from(c: ColorArg) -> ColorChoice {
        match c {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

impl FilterArgs {
    /// The library's filter.
    pub fn to_filter(&self) -> crate::pack::bank::Filter {
        crate::pack::bank::Filter {
            kinds: self.kinds.iter().map(|&k| k.into()).collect(),
            tags: self.tags.clone(),
            levels: self.levels.iter().map(|&l| l.into()).collect(),
        }
    }
}

// Each command's `--help` ends with a few examples (also in its man page).
const EX_PRACTICE: &str = "At a prompt: Enter submits, Alt+Enter starts a new line, /edit opens $VISUAL or $EDITOR, /hint shows a hint, /skip moves on, /done ends an investigation, /ask QUESTION asks the coach during a step. Ctrl-C or Esc asks whether to quit; --resume continues later. For scripted use, see `rehearse drill`.\n\nExamples:\n  rehearse practice                       three questions of the built-in pack\n  rehearse practice --kind degradation --count 1\n  rehearse practice --review              the questions that are due for review\n  rehearse practice --seed 42             replay a session\n  rehearse practice --verbose             feedback in full after each question";
const EX_LIST: &str = "Examples:\n  rehearse list --kind trade-off --level staff\n  rehearse list --tag caching --json";
const EX_SHOW: &str = "Examples:\n  rehearse show duplicate-card-charges\n  rehearse show core/duplicate-card-charges --reveal";
const EX_SCORE: &str = "Examples:\n  rehearse score duplicate-card-charges answer.md\n  pbpaste | rehearse score duplicate-card-charges - --json\n  rehearse score duplicate-card-charges --answer-file answer.md --record";
const EX_SCHEMA: &str = "Examples:\n  rehearse schema > rehearse-pack.schema.json\n  rehearse schema --rubric > rehearse-rubric.schema.json\n  rehearse schema --answers > rehearse-answers.schema.json";
const EX_COMPLETIONS: &str = "Examples:\n  rehearse completions bash > /etc/bash_completion.d/rehearse\n  rehearse completions zsh > ~/.zfunc/_rehearse";
const EX_MAN: &str = "Examples:\n  rehearse man > rehearse.1\n  rehearse man --dir ~/.local/share/man/man1     a page per command";
const EX_HISTORY: &str = "Examples:\n  rehearse history\n  rehearse history duplicate-card-charges --json\n  rehearse history show 12";
const EX_DIFF: &str = "Examples:\n  rehearse diff duplicate-card-charges        the last two attempts\n  rehearse diff duplicate-card-charges 3 12   attempts 3 and 12 in history";
const EX_HISTORY_SHOW: &str =
    "Examples:\n  rehearse history show 12\n  rehearse history show 12 --json";
const EX_PROGRESS: &str = "Examples:\n  rehearse progress\n  rehearse progress --json";
const EX_EXPORT: &str = "Examples:\n  rehearse export > history.json\n  rehearse export --format csv --anonymize > cohort.csv";
const EX_RESCORE: &str = "Examples:\n  rehearse rescore --dry-run\n  rehearse rescore --json";
const EX_TEMPLATE: &str = "Examples:\n  rehearse template --kind trade-off --count 2 --seed 42 > answers/ada.yaml\n  rehearse template duplicate-card-charges > answer.yaml";
const EX_DRILL: &str = "Examples:\n  rehearse drill answers/ --min-level 3 --min context=3\n  rehearse drill answers/ --format junit --output drill.xml\n  rehearse drill answers/ --format markdown > report.md";
const EX_CALIBRATE: &str = "Examples:\n  rehearse calibrate graded-answers.yaml";
const EX_PACK_NEW: &str = "Examples:\n  rehearse pack new my-pack\n  rehearse pack new my-pack --id payments --kind degradation";
const EX_PACK_VALIDATE: &str =
    "Examples:\n  rehearse pack validate my-pack/\n  rehearse pack validate packs/*.yaml";
const EX_PACK_TEST: &str = "Examples:\n  rehearse pack test my-pack/\n  rehearse pack test my-pack/ --verbose   expected and found per dimension";
const EX_PACK_INSTALL: &str = "Examples:\n  rehearse pack install ./my-pack\n  rehearse pack install https://example.org/packs.git#v1.2.0";
const EX_PACK_LIST: &str = "Examples:\n  rehearse pack list\n  rehearse pack list --json";
const EX_PACK_UPDATE: &str = "Examples:\n  rehearse pack update\n  rehearse pack update payments";
const EX_PACK_REMOVE: &str = "Examples:\n  rehearse pack remove payments";
const EX_PACK_INFO: &str = "Examples:\n  rehearse pack info payments";

/// The help of `drill --min`, naming every dimension of the model.
fn min_help() -> String {
    let ids = Dimension::ALL.map(Dimension::as_str).join(", ");
    format!(
        "An answer fails when this dimension's level is below LEVEL, e.g. `--min context=3`. \
         Dimensions: {ids}. Repeatable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `drill --min` lists every dimension a threshold may name.
    #[test]
    fn drill_min_help_names_every_dimension() {
        let cli = Cli::command();
        let drill = cli.find_subcommand("drill").unwrap();
        let min = drill.get_arguments().find(|a| a.get_id() == "min").unwrap();
        let help = min.get_help().unwrap().to_string();
        assert!(
            help.ends_with("Dimensions: context, trade-offs, ownership, communication. Repeatable"),
            "{help}"
        );
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Every command's `--help` (and man page) ends with examples.
    #[test]
    fn every_command_has_examples() {
        fn walk(cmd: &clap::Command, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let has = sub
                    .get_after_help()
                    .is_some_and(|h| h.to_string().contains("Examples:\n  rehearse "));
                if !has && !sub.has_subcommands() {
                    missing.push(sub.get_name().to_string());
                }
                walk(sub, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), &mut missing);
        assert!(missing.is_empty(), "no examples: {missing:?}");
    }
}
