//! Invisible and look-alike characters do not change a score: a pasted model answer disguised
//! with zero-width spaces or Cyrillic letters is still caught as pasted, and an honest answer
//! pasted from a word processor (soft hyphens, full-width letters) scores like the plain text.

mod common;

use rehearse::answer::Answer;
use rehearse::model::pack::Question;
use rehearse::rubric::{Evaluation, score};

/// Levels, scores and flag ids: what a disguise would try to move.
fn outcome(e: &Evaluation) -> String {
    let mut out = format!("overall {} {:.4}", e.overall.level, e.overall.score);
    for (d, r) in e.dimensions.iter() {
        out.push_str(&format!("; {d} {} {:.4}", r.level, r.score));
    }
    let flags: Vec<&str> = e.flags.iter().map(|f| f.id.as_str()).collect();
    out.push_str(&format!("; flags {flags:?}"));
    out
}

/// The first built-in question with a whole-text model answer, and that answer.
fn pasted() -> (&'static Question, String) {
    let pack = rehearse::pack::builtin::pack().expect("built-in pack");
    pack.questions
        .iter()
        .find_map(|q| {
            let model = q.model_answer.as_ref()?;
            let mut text = model.text.clone().unwrap_or_default();
            for part in model.steps.values() {
                text.push_str("\n\n");
                text.push_str(part);
            }
            (text.split_whitespace().count() > 60).then_some((q, text))
        })
        .expect("a question with a model answer")
}

fn scored(question: &Question, text: &str) -> Evaluation {
    let pack = rehearse::pack::builtin::pack().expect("built-in pack");
    let rubric = pack.rubric().expect("built-in rubric");
    // As every command scores: `rubric::score` reads the answer the same way whoever calls.
    score(rubric, question, &Answer::whole(text))
}

/// Every function word gets a zero-width space in its middle.
fn with_zero_width(text: &str) -> String {
    text.split(' ')
        .map(|w| match w {
            "the" | "and" | "to" | "of" | "a" | "in" | "is" | "that" | "we" | "it" | "I" => {
                let (a, b) = w.split_at(w.len().div_ceil(2));
                format!("{a}\u{200b}{b}")
            }
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn zero_width_spaces_do_not_hide_a_pasted_answer() {
    let (q, text) = pasted();
    let plain = scored(q, &text);
    assert!(
        plain.flags.iter().any(|f| f.id.contains("model")),
        "the plain paste is flagged: {}",
        outcome(&plain)
    );
    let disguised = scored(q, &with_zero_width(&text));
    assert_eq!(outcome(&disguised), outcome(&plain));
    // Nothing visible changed, so the quotes are the same too.
    assert_eq!(disguised.to_json(), plain.to_json());
}

#[test]
fn cyrillic_look_alikes_do_not_hide_a_pasted_answer() {
    let (q, text) = pasted();
    let plain = scored(q, &text);
    let swapped: String = text
        .chars()
        .map(|c| match c {
            'a' => '\u{430}',
            'o' => '\u{43e}',
            'e' => '\u{435}',
            c => c,
        })
        .collect();
    let disguised = scored(q, &swapped);
    assert_eq!(outcome(&disguised), outcome(&plain));
}

#[test]
fn soft_hyphens_and_full_width_letters_score_like_plain_text() {
    let (q, text) = pasted();
    let plain = scored(q, &text);
    // A word processor's soft hyphens inside long words, and every letter in full-width forms.
    let hyphenated = text
        .split(' ')
        .map(|w| {
            if w.len() > 7 && w.is_ascii() {
                format!("{}\u{ad}{}", &w[..4], &w[4..])
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let full_width: String = hyphenated
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' => char::from_u32(c as u32 - 0x20 + 0xff00).unwrap(),
            c => c,
        })
        .collect();
    assert_eq!(outcome(&scored(q, &hyphenated)), outcome(&plain));
    assert_eq!(outcome(&scored(q, &full_width)), outcome(&plain));
}

/// `rescore` reads a stored answer the way `score` reads a fresh one. A record can hold invisible
/// characters (written by a build that kept them, or edited by hand); re-scored, it must come
/// out as the plain text does, or a disguised paste would escape its flag on the next rubric.
#[test]
fn rescore_reads_stored_answers_like_score_does() {
    use rehearse::history::record::{Source, attempt_for};
    use rehearse::history::store;

    let (q, text) = pasted();
    let pack = rehearse::pack::builtin::pack().expect("built-in pack");
    let judge = rehearse::judge::for_pack(pack).expect("built-in rubric");
    let bank = rehearse::pack::Bank::from_packs(vec![pack.clone()]);
    let entry = bank.find(&q.id).expect("the question is in the bank");
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let plain = scored(q, &text);
    // Attempt 1 as `score --record` keeps it; attempt 2 the same answer disguised, stored by
    // an older rubric so that `rescore` scores it again.
    for (answer, fingerprint) in [
        (Answer::whole(text.clone()), None),
        (
            Answer::whole(with_zero_width(&text)),
            Some("fnv1a64:0000000000000000"),
        ),
    ] {
        let mut attempt = attempt_for(
            jiff::Timestamp::from_second(1_767_603_600).unwrap(),
            Source::Score,
            entry,
            answer,
            &plain,
            judge.fingerprint(q).unwrap(),
        )
        .unwrap();
        if let Some(f) = fingerprint {
            attempt.rubric_fingerprint = f.to_string();
        }
        store::append(&data, attempt).unwrap();
    }
    let out = common::rehearse(home.path())
        .args(["rescore", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcomes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(outcomes[1]["status"], "rescored", "{outcomes}");
    // Attempt 1's scores are the plain text's: the disguised copy must get exactly those.
    assert_eq!(outcomes[1]["after"], outcomes[0]["before"], "{outcomes}");
    let shown = common::rehearse(home.path())
        .args(["history", "show", "2", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let flags = |e: &serde_json::Value| -> Vec<String> {
        e["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        flags(&shown["rescored"][0]["evaluation"]),
        flags(&serde_json::to_value(&plain).unwrap())
    );
}
