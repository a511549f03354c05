//! `rehearse template`: picking questions and writing an answers-file skeleton for them.
//!
//! The skeleton carries each question's prompt and step questions as YAML comments and an empty
//! block-scalar slot per step (and for the follow-up), so a candidate fills it in any editor and
//! the filled file loads without touching anything but the answers. Questions are picked by
//! [`Seeded`], the shuffle a practice session's order comes from, so a `--seed` picks the same
//! questions on every machine.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::answers::FORMAT_VERSION;
use crate::model::pack::Kind;
use crate::pack::{Bank, Entry};
use crate::safe_text::clean_line;
use crate::seeded::Seeded;

/// How a template's questions were picked, echoed in its header so the pick can be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    /// How many questions were asked for.
    pub count: Option<usize>,
    /// The seed used (given, or drawn when `--count` came without one).
    pub seed: u64,
}

/// Picks up to `count` of `pool` (all of them when `None`) in an order fixed by `seed`.
pub fn sample<T>(pool: Vec<T>, count: Option<usize>, seed: u64) -> Vec<T> {
    Seeded::new(seed).sample(pool, count)
}

/// The id a template writes for `entry`: the bare id when it is unambiguous in `bank`, so the file
/// reads naturally, else `PACK/ID`.
fn address(bank: &Bank, entry: &Entry<'_>) -> String {
    if bank.find(&entry.question.id).is_ok() {
        entry.question.id.clone()
    } else {
        entry.qualified_id()
    }
}

/// Writes the skeleton for `entries`.
pub fn render(bank: &Bank, entries: &[Entry<'_>], sampling: Option<Sampling>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Answers for `rehearse drill`. Write each answer on the lines below its `|`, indented\n\
         # further than the step name (blank lines inside an answer are fine). Steps left empty count\n\
         # as not answered. Grade with: rehearse drill THIS-FILE   (format: docs/answers-format.md)"
    );
    if let Some(s) = sampling {
        let count = s.count.map(|c| format!(" --count {c}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "# Picked with{count} --seed {}: the same options pick the same questions again.",
            s.seed
        );
    }
    let _ = writeln!(out, "format_version: {FORMAT_VERSION}");
    let _ = writeln!(out, "candidate: \"\"   # your name, optional");
    let _ = writeln!(out, "answers:");
    for (n, entry) in entries.iter().enumerate() {
        write_entry(&mut out, bank, entry, n + 1, entries.len());
    }
    out
}

fn write_entry(out: &mut String, bank: &Bank, entry: &Entry<'_>, n: usize, of: usize) {
    let q = entry.question;
    let mut facts = vec![q.kind.to_string(), q.level().to_string()];
    if let Some(minutes) = q.time_budget {
        facts.push(format!("about {minutes} min"));
    }
    let _ = writeln!(
        out,
        "\n  # ---- {n} of {of}: {} ({}) ----",
        clean_line(&entry.qualified_id()),
        facts.join(", ")
    );
    comment_block(out, "  # ", &q.title);
    let _ = writeln!(out, "  #");
    comment_block(out, "  #   ", &q.prompt);
    let _ = writeln!(out, "  - question: {}", scalar(&address(bank, entry)));
    if q.kind == Kind::Degradation {
        let _ = writeln!(
            out,
            "    # Optional: the questions you would ask before your first hypothesis, one per\n    \
             # line under `investigation:`, each starting with `- ` (e.g. `    - What changed?`)."
        );
        let _ = writeln!(out, "    investigation:");
    }
    let _ = writeln!(out, "    steps:");
    for step in entry.steps() {
        let mut ask = step.ask.trim().to_string();
        if let Some(words) = step.min_words.filter(|w| *w > 0) {
            ask.push_str(&format!(" (at least {words} words)"));
        }
        comment_block(out, "      # ", &ask);
        let _ = writeln!(out, "      {}: |\n", scalar(&step.id));
    }
    if let Some(follow_up) = q.follow_ups.first() {
        comment_block(out, "    # Follow-up: ", &follow_up.ask);
        let _ = writeln!(out, "    follow_up: |\n");
    }
}

/// Writes `text` as comment lines, the first after `first`, the rest aligned under it. The text
/// comes from a pack, so every character YAML (1.1 or 1.2) reads as a line break ends a comment
/// line here, and controls are shown visibly: nothing in a title can step out of its comment.
fn comment_block(out: &mut String, first: &str, text: &str) {
    let hash = first.find('#').map_or(first.len(), |i| i + 1);
    let rest = format!("{}{}", &first[..hash], " ".repeat(first.len() - hash));
    let breaks = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
    let text = text.trim_end().replace("\r\n", "\n");
    for (i, line) in text.split(breaks).enumerate() {
        let lead = if i == 0 { first } else { rest.as_str() };
        let line = format!("{lead}{}", clean_line(line.trim_end()));
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `text` as a YAML scalar for a key or value: plain when it is an id of the usual shape, else
/// double-quoted with JSON's escapes (a JSON string is a valid YAML double-quoted scalar).
fn scalar(text: &str) -> Cow<'_, str> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'))
        && text.as_bytes()[0].is_ascii_alphanumeric();
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(serde_json::to_string(text).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank(builtin: bool) -> Bank {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini.yaml");
        let mut packs = vec![crate::pack::load::load_path(&path).expect("mini pack loads")];
        if builtin {
            packs.insert(
                0,
                crate::pack::builtin::pack().expect("built-in pack").clone(),
            );
        }
        Bank::from_packs(packs)
    }

    /// Fills every slot the way a candidate would: answer lines indented under each `|`, one
    /// investigation question under `investigation:`.
    fn fill(template: &str) -> String {
        let mut out = String::new();
        for line in template.lines() {
            out.push_str(line);
            out.push('\n');
            let indent = line.len() - line.trim_start().len();
            if line.ends_with(": |") {
                let pad = " ".repeat(indent + 2);
                out.push_str(&format!(
                    "{pad}First I would ask what changed recently, because the deploy log is cheap to read.\n\n{pad}Then I would compare p50 and p99 per endpoint.\n"
                ));
            } else if line.trim() == "investigation:" {
                out.push_str(&format!(
                    "{}- What changed on Monday?\n",
                    " ".repeat(indent)
                ));
            }
        }
        out
    }

    #[test]
    fn pack_text_cannot_step_out_of_its_comments() {
        let pack = "format_version: 1\nid: p\ntitle: P\nversion: 0.1.0\nquestions:\n  - id: q\n    \
                    kind: trade-off\n    title: \"T\\rcandidate: injected\\u2028answers: []\"\n    \
                    prompt: \"P\\x85format_version: 9\\rx\"\n";
        let loaded = crate::pack::load::load_files(
            vec![("p.yaml".into(), pack.as_bytes().to_vec())],
            false,
            crate::pack::load::Origin::Path("p.yaml".into()),
            "p.yaml",
        )
        .expect("the pack loads");
        let bank = Bank::from_packs(vec![loaded]);
        let entries: Vec<_> = bank.entries().collect();
        let text = render(&bank, &entries, None);
        assert!(text.contains("  # T\n  # candidate: injected\n"), "{text}");
        let blank = crate::answers::load("t.yaml", text.as_bytes(), &bank)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(blank.candidate, None, "{text}");
        assert_eq!(blank.items.len(), 1);
    }

    #[test]
    fn seeded_sampling_is_pinned() {
        // Golden values: if these change, every published `--seed` picks different questions.
        // (They changed once, on purpose, when the template's own partial shuffle gave way to
        // the one practice uses: [6, 9, 5] before.)
        let pool: Vec<u32> = (0..10).collect();
        assert_eq!(sample(pool.clone(), Some(3), 42), [2, 1, 4]);
        assert_eq!(
            sample(pool.clone(), Some(3), 42),
            sample(pool.clone(), Some(3), 42)
        );
        assert_ne!(
            sample(pool.clone(), Some(3), 43),
            sample(pool.clone(), Some(3), 42)
        );
        assert_eq!(sample(pool.clone(), Some(50), 1).len(), 10);
        let mut all = sample(pool.clone(), None, 7);
        all.sort();
        assert_eq!(all, pool);
        assert!(sample(Vec::<u32>::new(), Some(3), 1).is_empty());
    }

    #[test]
    fn template_has_prompts_as_comments_and_a_slot_per_step() {
        let bank = bank(false);
        let entries: Vec<_> = bank.entries().collect();
        let text = render(
            &bank,
            &entries,
            Some(Sampling {
                count: Some(4),
                seed: 9,
            }),
        );
        assert!(text.contains("# Picked with --count 4 --seed 9"));
        assert!(text.contains(
            "  # ---- 2 of 4: mini/slow-checkout (degradation, senior, about 15 min) ----"
        ));
        assert!(text.contains("  #   Since Monday checkout p99 went from 300 ms to 2.1 s"));
        assert!(text.contains("      first-checks: |\n"));
        assert!(text.contains("    # Follow-up: The provider insists everything is green"));
        assert!(text.contains("  - question: slow-checkout\n"));
        // No trailing white space anywhere: editors and diffs stay clean.
        assert!(text.lines().all(|l| l == l.trim_end()), "{text}");
    }

    #[test]
    fn blank_and_filled_templates_load_for_every_question() {
        let bank = bank(true);
        let entries: Vec<_> = bank.entries().collect();
        let text = render(&bank, &entries, None);
        let blank = crate::answers::load("t.yaml", text.as_bytes(), &bank)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(blank.items.len(), entries.len());
        assert!(blank.items.iter().all(|i| i.answer.is_blank()));

        let filled = fill(&text);
        let loaded = crate::answers::load("t.yaml", filled.as_bytes(), &bank)
            .unwrap_or_else(|e| panic!("{e}\n{filled}"));
        for (item, entry) in loaded.items.iter().zip(&entries) {
            assert_eq!(item.answer.parts.len(), entry.steps().len());
            assert!(
                item.answer
                    .parts
                    .iter()
                    .all(|p| p.text.contains("p50 and p99"))
            );
            assert_eq!(
                item.answer.follow_up.is_some(),
                !entry.question.follow_ups.is_empty()
            );
        }
        // Questions in two packs with the same id are written qualified.
        assert!(text.contains("  - question: slow-checkout\n"));
    }
}
