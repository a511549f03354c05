//! `rehearse list`: the questions of every loaded pack, as a table or as JSON.

use std::io::Write;

use crate::style::Paint;
use serde::Serialize;

use crate::cli::ListArgs;
use crate::pack::Entry;
use crate::safe_text::{SafeLine, clean_line};
use crate::{Context, exit};

/// One row of `list --json`. The field set is a documented contract.
#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    /// Question id.
    pub id: &'a str,
    /// Pack id.
    pub pack: &'a str,
    /// `PACK/ID`.
    pub qualified_id: String,
    /// Kind id.
    pub kind: &'a str,
    /// Title.
    pub title: &'a str,
    /// Level id.
    pub level: &'a str,
    /// Tags.
    pub tags: &'a [String],
    /// Time budget in minutes, if any.
    pub time_budget: Option<u32>,
    /// How many steps are asked.
    pub steps: usize,
    /// How many follow-ups the question has.
    pub follow_ups: usize,
}

impl<'a> From<Entry<'a>> for ListItem<'a> {
    fn from(e: Entry<'a>) -> Self {
        ListItem {
            id: &e.question.id,
            pack: &e.pack.meta.id,
            qualified_id: e.qualified_id(),
            kind: e.question.kind.as_str(),
            title: &e.question.title,
            level: e.question.level().as_str(),
            tags: &e.question.tags,
            time_budget: e.question.time_budget,
            steps: e.steps().len(),
            follow_ups: e.question.follow_ups.len(),
        }
    }
}

/// Prints the table or the JSON array.
pub fn run(ctx: &Context, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let style = ctx.style;
    let filter = args.filter.to_filter();
    let entries: Vec<Entry<'_>> = bank.filtered(&filter).collect();
    if args.json {
        let items: Vec<ListItem<'_>> = entries.into_iter().map(ListItem::from).collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    if entries.is_empty() {
        writeln!(out, "No question matches those filters.")?;
        return Ok(exit::SUCCESS);
    }
    // Qualify ids only when more than one pack is loaded: one pack needs no prefix.
    let qualify = bank.packs().len() > 1;
    let ids: Vec<String> = entries
        .iter()
        .map(|e| {
            let id = if qualify {
                e.qualified_id()
            } else {
                e.question.id.clone()
            };
            clean_line(&id).into_owned()
        })
        .collect();
    let id_width = ids
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<id_width$}  {:<13}  {:<6}  {:>3}  {}",
            "ID", "KIND", "LEVEL", "MIN", "TITLE"
        ))
    )?;
    for (e, id) in entries.iter().zip(&ids) {
        let minutes = e
            .question
            .time_budget
            .map_or_else(|| "-".to_string(), |m| m.to_string());
        writeln!(
            out,
            "{}  {:<13}  {:<6}  {:>3}  {}",
            // Padded before it is painted: escape codes have no width on screen.
            style.paint(&format!("{id:<id_width$}"), Paint::Accent),
            e.question.kind.as_str(),
            e.question.level().as_str(),
            minutes,
            SafeLine(&e.question.title)
        )?;
    }
    let mut counts = String::new();
    for kind in crate::model::pack::Kind::ALL {
        let n = entries.iter().filter(|e| e.question.kind == kind).count();
        if n > 0 {
            if !counts.is_empty() {
                counts.push_str(", ");
            }
            counts.push_str(&format!("{n} {kind}"));
        }
    }
    writeln!(
        out,
        "\n{} ({counts})",
        crate::plural::plural(entries.len(), "question", "questions")
    )?;
    Ok(exit::SUCCESS)
}
