//! `rehearse completions SHELL` and `rehearse man [--dir DIR]`: generated from the clap
//! definition, so they never fall behind the real flags. Man pages add the sections clap does
//! not know: exit status, environment and files.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Prints completions for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "rehearse", out);
    Ok(exit::SUCCESS)
}

/// Prints `rehearse.1` as roff, or with `dir` writes it and a page per command (`rehearse-SUB.1`,
/// `rehearse-pack-validate.1`, ...) into `dir` and lists the files written.
pub fn man(dir: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = dir else {
        render_page(&cmd, true, out)?;
        return Ok(exit::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut pages = Vec::new();
    collect(&cmd, &mut pages);
    for (i, page) in pages.iter().enumerate() {
        let man = clap_mangen::Man::new((*page).clone());
        let path = dir.join(man.get_filename());
        let mut text = Vec::new();
        render_page(page, i == 0, &mut text)?;
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        writeln!(out, "{}", path.display())?;
    }
    Ok(exit::SUCCESS)
}

/// The command and every visible subcommand, depth first, parents before children.
fn collect<'c>(cmd: &'c clap::Command, out: &mut Vec<&'c clap::Command>) {
    out.push(cmd);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, out);
    }
}

/// One page: clap_mangen's sections, then the ones it does not know (exit status, environment,
/// files) and, on a subcommand's page, a pointer back to rehearse(1).
fn render_page(cmd: &clap::Command, top: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    if cmd.get_after_help().is_some() || cmd.get_after_long_help().is_some() {
        man.render_extra_section(out)?;
    }
    out.write_all(ROFF_SECTIONS.as_bytes())?;
    if !top {
        writeln!(out, ".SH \"SEE ALSO\"\n\\fBrehearse\\fR(1)")?;
    }
    if top {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// The sections every page shares, in roff.
const ROFF_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
A drill, a pack self-test or a calibration ran and something fell below its threshold.
.TP
\fB2\fR
Usage or input error: a malformed pack or answer file, an unknown id, an empty answer, no terminal.
.TP
\fB130\fR
Interrupted (Ctrl-C); everything already answered is kept.
.SH ENVIRONMENT
.TP
\fBREHEARSE_BANK\fR
More pack files or directories to load, separated like \fBPATH\fR. A pack with problems is left out with a warning.
.TP
\fBREHEARSE_HOME\fR
The data directory (history, saved sessions, installed packs) instead of the platform's.
.TP
\fBREHEARSE_NOW\fR
A fixed current time (RFC 3339, such as 2026-01-05T09:00:00Z) for everything that reads the clock: recording, reviews, progress.
.TP
\fBNO_COLOR\fR
Any value turns colour off (as \fB--color never\fR).
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fB/edit\fR opens during practice.
.SH FILES
.TP
\fIDATA\fR/history.jsonl
Every recorded attempt, one JSON record a line (docs/history-format.md).
.TP
\fIDATA\fR/journal/
Practice sessions in progress, for \fBrehearse practice --resume\fR.
.TP
\fIDATA\fR/packs/
Installed packs and packs.lock.
.PP
\fIDATA\fR is \fBREHEARSE_HOME\fR if set, else the platform's data directory (~/.local/share/rehearse on Linux).
"#;
