//! `rehearse show ID`: a question as the candidate sees it. The model answer, hidden facts and
//! rubric stay hidden unless `--reveal` is given, so a look before practising spoils nothing.

use std::io::Write;

use crate::safe_text::{Safe, SafeLine, clean, clean_line};
use crate::style::{Paint, Style};
use serde::Serialize;

use crate::cli::ShowArgs;
use crate::model::pack::{CriterionSpec, Fact, FollowUp, ModelAnswer, Step};
use crate::pack::Entry;
use crate::{Context, exit};

/// `show --json`. Fields after `follow_ups` appear only with `--reveal`.
#[derive(Debug, Serialize)]
struct ShowJson<'a> {
    id: &'a str,
    pack: &'a str,
    kind: &'a str,
    title: &'a str,
    level: &'a str,
    tags: &'a [String],
    time_budget: Option<u32>,
    prompt: &'a str,
    steps: Vec<Step>,
    /// The follow-up questions themselves are part of the interview, but not their answers.
    follow_ups: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_answer: Option<&'a ModelAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<&'a [Fact]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_up_questions: Option<&'a [FollowUp]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    criteria: Option<&'a [CriterionSpec]>,
}

/// Prints one question.
pub fn run(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let bank = ctx.bank()?;
    let entry = bank.find(&args.id)?;
    if args.json {
        write_json(entry, args.reveal, out)?;
    } else {
        write_text(entry, args.reveal, ctx.style, out)?;
    }
    Ok(exit::SUCCESS)
}

fn write_json(e: Entry<'_>, reveal: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let q = e.question;
    let json = ShowJson {
        id: &q.id,
        pack: &e.pack.meta.id,
        kind: q.kind.as_str(),
        title: &q.title,
        level: q.level().as_str(),
        tags: &q.tags,
        time_budget: q.time_budget,
        prompt: &q.prompt,
        steps: e.steps(),
        follow_ups: q.follow_ups.len(),
        model_answer: q.model_answer.as_ref().filter(|_| reveal),
        facts: reveal.then_some(q.facts.as_slice()),
        follow_up_questions: reveal.then_some(q.follow_ups.as_slice()),
        criteria: reveal.then(|| q.rubric.as_ref().map_or(&[][..], |r| r.criteria.as_slice())),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)?;
    Ok(())
}

fn write_text(e: Entry<'_>, reveal: bool, style: Style, out: &mut dyn Write) -> anyhow::Result<()> {
    let q = e.question;
    writeln!(out, "{}", style.bold(&clean_line(&q.title)))?;
    let mut meta = format!(
        "{} · {} · {}",
        SafeLine(&e.qualified_id()),
        q.kind,
        q.level()
    );
    if let Some(m) = q.time_budget {
        meta.push_str(&format!(" · {m} min"));
    }
    writeln!(out, "{}", style.dim(&meta))?;
    if !q.tags.is_empty() {
        writeln!(
            out,
            "{}",
            style.dim(&format!("tags: {}", SafeLine(&q.tags.join(", "))))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", style.prose(&clean(&q.prompt), ""))?;
    writeln!(out)?;
    writeln!(out, "{}", style.bold("You will be asked:"))?;
    let steps = e.steps();
    for (i, step) in steps.iter().enumerate() {
        writeln!(
            out,
            "{}",
            style.fill(&format!("  {}. {}", i + 1, Safe(&step.ask)), "     ")
        )?;
    }
    if !q.follow_ups.is_empty() {
        writeln!(
            out,
            "\nThen one follow-up question ({} prepared).",
            q.follow_ups.len()
        )?;
    }
    if q.kind == crate::model::pack::Kind::Degradation && !q.facts.is_empty() {
        writeln!(
            out,
            "Before answering you can investigate: ask questions, and the coach answers from {} hidden facts.",
            q.facts.len()
        )?;
    }
    if !reveal {
        return Ok(());
    }
    if let Some(model) = &q.model_answer {
        writeln!(out, "\n{}", style.paint("Model answer", Paint::Heading))?;
        if let Some(text) = &model.text {
            writeln!(out, "{}", style.prose(&clean(text), ""))?;
        }
        for step in &steps {
            if let Some(text) = model.steps.get(&step.id) {
                writeln!(
                    out,
                    "\n{}\n{}",
                    style.bold(&clean(&step.ask)),
                    style.prose(&clean(text), "")
                )?;
            }
        }
    }
    if !q.facts.is_empty() {
        writeln!(out, "\n{}", style.paint("Hidden facts", Paint::Heading))?;
        for fact in &q.facts {
            let herring = if fact.red_herring {
                " (red herring)"
            } else {
                ""
            };
            writeln!(
                out,
                "- {}{}: {}",
                style.bold(&clean_line(&fact.about)),
                herring,
                fact.reveal.trim_end()
            )?;
        }
    }
    if !q.follow_ups.is_empty() {
        writeln!(out, "\n{}", style.paint("Follow-ups", Paint::Heading))?;
        for f in &q.follow_ups {
            writeln!(out, "- {}", f.ask)?;
            if let Some(m) = &f.model_answer {
                writeln!(out, "{}", style.prose(&clean(m), "  "))?;
            }
        }
    }
    if let Some(r) = q.rubric.as_ref().filter(|r| !r.criteria.is_empty()) {
        writeln!(
            out,
            "\n{}",
            style.paint("Question-specific criteria", Paint::Heading)
        )?;
        for c in &r.criteria {
            writeln!(out, "- [{}] {}: {}", c.dimension, SafeLine(&c.id), c.title)?;
        }
    }
    Ok(())
}
