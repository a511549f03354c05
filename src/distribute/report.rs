//! Text the pack commands print. A pack's titles and descriptions, a source's URL and git's
//! messages come from strangers, so every such string goes through
//! [`clean`](super::escape::clean) before it reaches a terminal; the commands print only what this
//! module renders.

use std::fmt::Write as _;

use super::changes::{Changes, Named};
use super::escape::clean;
use super::lock::Locked;
use crate::pack::Pack;

/// A commit or checksum, shortened for reading: `commit 0123456789ab` or `sha256 0123456789ab`.
fn revision(locked: &Locked) -> String {
    match (&locked.commit, &locked.sha256) {
        (Some(c), _) => format!("commit {}", short(c)),
        (None, Some(s)) => format!("sha256 {}", short(s)),
        (None, None) => "no revision".to_string(),
    }
}

fn short(hex: &str) -> String {
    clean(&hex.chars().take(12).collect::<String>())
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What `pack install` prints once a pack is installed.
pub fn installed(locked: &Locked) -> String {
    format!(
        "Installed pack `{}` {}: {} ({}), from {} at {}.\n\
         Its questions are in every command now: `rehearse list`, `rehearse practice`.\n",
        locked.id,
        clean(&locked.version),
        clean(&locked.title),
        plural(locked.questions, "question"),
        clean(&locked.source().display()),
        revision(locked)
    )
}

/// The table of `pack list`.
pub fn list(locks: &[Locked]) -> String {
    if locks.is_empty() {
        return "No packs installed. `rehearse pack install SOURCE` installs one from a \
                directory, a .tar.gz or a git repository.\n"
            .to_string();
    }
    let rows: Vec<[String; 5]> = locks
        .iter()
        .map(|l| {
            [
                l.id.clone(),
                clean(&l.version),
                l.questions.to_string(),
                clean(&l.source),
                l.reference
                    .as_deref()
                    .map_or_else(|| "-".to_string(), clean),
            ]
        })
        .collect();
    let header = ["ID", "VERSION", "QUESTIONS", "SOURCE", "REF"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The page of `pack info`.
pub fn info(locked: &Locked, pack: &Pack, dir: &std::path::Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {}",
        locked.id,
        clean(&pack.meta.version),
        clean(&pack.meta.title)
    );
    if let Some(d) = &pack.meta.description {
        for line in d.lines() {
            let _ = writeln!(out, "  {}", clean(line));
        }
    }
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "{name:<12}{value}");
    };
    if !pack.meta.authors.is_empty() {
        let authors: Vec<String> = pack.meta.authors.iter().map(|a| clean(a)).collect();
        field("authors", authors.join(", "));
    }
    if let Some(l) = &pack.meta.license {
        field("license", clean(l));
    }
    field(
        "source",
        format!("{} {}", locked.kind.as_str(), clean(&locked.source)),
    );
    if let Some(r) = &locked.reference {
        field("ref", clean(r));
    }
    if let Some(c) = &locked.commit {
        field("commit", clean(c));
    }
    if let Some(s) = &locked.sha256 {
        field("sha256", clean(s));
    }
    field("installed", locked.installed_at.to_string());
    field("directory", clean(&dir.display().to_string()));
    let _ = writeln!(out, "{}:", plural(pack.questions.len(), "question"));
    let width = pack.questions.iter().map(|q| q.id.len()).max().unwrap_or(0);
    for q in &pack.questions {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<13}  {}",
            q.id,
            q.kind.as_str(),
            clean(&q.title)
        );
    }
    out
}

/// What `pack update` did to one pack.
pub fn updated(before: &Locked, after: &Locked, changes: Option<&Changes>) -> String {
    let Some(changes) = changes else {
        return format!(
            "{} {}: up to date ({}).\n",
            before.id,
            clean(&before.version),
            revision(before)
        );
    };
    let mut out = format!(
        "Updated `{}` {} -> {} ({} -> {}).\n",
        before.id,
        clean(&before.version),
        clean(&after.version),
        revision(before),
        revision(after)
    );
    if !changes.compared {
        out.push_str(
            "  The previous version could not be read; every question is listed as added.\n",
        );
    }
    let groups: [(&str, &[Named]); 5] = [
        ("added", &changes.added),
        ("removed", &changes.removed),
        ("reworded", &changes.reworded),
        ("rubric", &changes.rubric_changed),
        ("edited", &changes.other),
    ];
    let width = groups
        .iter()
        .flat_map(|(_, v)| v.iter())
        .map(|n| n.id.len())
        .max()
        .unwrap_or(0);
    for (label, names) in groups {
        for n in names {
            let _ = writeln!(out, "  {label:<9} {:<width$}  {}", n.id, clean(&n.title));
        }
    }
    if changes.is_empty() {
        out.push_str("  No question changed.\n");
    }
    out
}

/// "No attempts", "1 attempt", "3 attempts": what a pack's removal or update leaves in the history.
pub fn attempts_phrase(n: usize) -> String {
    match n {
        0 => "No attempts".to_string(),
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    }
}
