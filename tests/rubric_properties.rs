//! Property tests of the rubric engine: what must hold for every answer, not just the graded ones.
//!
//! - case, white space and quote style change nothing;
//! - appending a sentence that repeats one already given, or a sentence that denies something,
//!   never raises any score;
//! - scoring never panics, whatever the text (huge, control characters, mixed scripts);
//! - the same input gives byte-identical JSON.

use proptest::prelude::*;
use rehearse::answer::Answer;
use rehearse::model::pack::{Dimension, Kind, Question};
use rehearse::rubric::{Evaluation, score_default};

fn question(kind: Kind) -> Question {
    Question::minimal(
        "prop",
        kind,
        "Checkout slows down at lunchtime",
        "Checkout latency doubles every day around noon. There are no errors in the logs and \
                 the dashboards show a flat average. Checkout calls a payment provider.",
    )
}

/// Sentences an answer is built from: a mix of strong, weak and neutral ones, in several voices.
const SENTENCES: &[&str] = &[
    "First I would ask what changed recently: deploys, config and feature flags.",
    "I wouldn't trust the average; I'd look at p99 per endpoint and compare with last week.",
    "Is it only at lunchtime, or also at the evening peak?",
    "My hypotheses are the payment provider's tail latency or connection pool exhaustion.",
    "Tracing a few slow requests would confirm or rule out each one.",
    "If it lines up with Tuesday's deploy, we roll it back first and watch p99 for 15 minutes.",
    "Rolling back costs us the new feature for a day, which is cheaper than slow checkouts.",
    "I'd loop in the payments team and tell support what customers see.",
    "Afterwards a blameless postmortem, with an alert on p99 rather than on the average.",
    "We should add more servers and a bigger database.",
    "It's the provider's fault, they always break things.",
    "- check the connection pool",
    "- compare p50 with p99",
    "In short: diagnose first, mitigate with a rollback, then fix the cause.",
    "About 5% of checkouts take over 3 s, so roughly 200 orders an hour are at risk.",
];

/// Denials to append: each negates a behaviour the rubric rewards.
const DENIALS: &[&str] = &[
    "I would not ask what changed.",
    "No need to look at p99 or to compare with last week.",
    "I wouldn't roll back the deploy.",
    "We would never involve the payments team.",
    "There is no need for a postmortem.",
    "I would not trace slow requests.",
];

fn answer_text() -> impl Strategy<Value = String> {
    prop::collection::vec(0..SENTENCES.len(), 1..9).prop_map(|picks| {
        picks
            .into_iter()
            .map(|i| SENTENCES[i])
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

/// Scores, levels, earned criteria and flags: everything but the quoted excerpts.
fn verdict(e: &Evaluation) -> Vec<String> {
    let mut out = vec![format!("overall {} {}", e.overall.score, e.overall.level)];
    for (d, r) in e.dimensions.iter() {
        out.push(format!("{d} {} {}", r.score, r.level));
        for h in &r.hits {
            out.push(format!("  + {} {}", h.criterion, h.credit));
        }
        for p in &r.penalties {
            out.push(format!("  x {} {}", p.anti_pattern, p.points));
        }
    }
    for f in &e.flags {
        out.push(format!("! {}", f.id));
    }
    out
}

fn eval(kind: Kind, text: &str) -> Evaluation {
    score_default(&question(kind), &Answer::whole(text))
}

fn straighten(text: &str) -> String {
    text.replace('\'', "\u{2019}").replace('"', "\u{201d}")
}

fn respace(text: &str, spaces: usize, tabs: bool) -> String {
    let gap = if tabs {
        "\t".repeat(spaces.max(1))
    } else {
        " ".repeat(spaces.max(1))
    };
    text.split(' ').collect::<Vec<_>>().join(&gap)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn case_whitespace_and_quotes_change_nothing(
        text in answer_text(),
        kind in kind(),
        spaces in 1usize..4,
        tabs: bool,
    ) {
        let base = verdict(&eval(kind, &text));
        prop_assert_eq!(&verdict(&eval(kind, &text.to_uppercase())), &base, "upper case");
        prop_assert_eq!(&verdict(&eval(kind, &text.to_lowercase())), &base, "lower case");
        prop_assert_eq!(&verdict(&eval(kind, &straighten(&text))), &base, "curly quotes");
        prop_assert_eq!(&verdict(&eval(kind, &respace(&text, spaces, tabs))), &base, "spacing");
    }

    #[test]
    fn appending_a_repeated_sentence_never_raises_a_score(
        text in answer_text(),
        kind in kind(),
        which in 0usize..8,
    ) {
        let before = eval(kind, &text);
        let lines: Vec<&str> = text.lines().collect();
        let repeat = lines[which % lines.len()];
        let after = eval(kind, &format!("{text}\n{repeat}"));
        for d in Dimension::ALL {
            prop_assert!(
                after.dimension(d).score <= before.dimension(d).score,
                "{d}: {} -> {} after repeating {repeat:?}",
                before.dimension(d).score,
                after.dimension(d).score
            );
        }
        prop_assert!(after.overall.score <= before.overall.score);
    }

    #[test]
    fn appending_a_negated_sentence_never_raises_a_score(
        text in answer_text(),
        kind in kind(),
        which in 0..DENIALS.len(),
    ) {
        let before = eval(kind, &text);
        let after = eval(kind, &format!("{text}\n{}", DENIALS[which]));
        for d in Dimension::ALL {
            prop_assert!(
                after.dimension(d).score <= before.dimension(d).score,
                "{d}: {} -> {} after {:?}",
                before.dimension(d).score,
                after.dimension(d).score,
                DENIALS[which]
            );
        }
        prop_assert!(after.overall.score <= before.overall.score);
    }

    #[test]
    fn any_text_scores_without_panicking(text in any::<String>(), kind in kind()) {
        let e = eval(kind, &text);
        for d in Dimension::ALL {
            let s = e.dimension(d).score;
            prop_assert!((0.0..=1.0).contains(&s), "{d} score {s}");
        }
        let by_steps = Answer::by_steps([("first-checks", text.as_str()), ("options", text.as_str())]);
        let _ = score_default(&question(kind), &by_steps);
    }

    #[test]
    fn same_input_gives_byte_identical_json(text in answer_text(), kind in kind()) {
        prop_assert_eq!(eval(kind, &text).to_json(), eval(kind, &text).to_json());
    }
}

#[test]
fn huge_and_hostile_texts_do_not_panic() {
    let mut huge = String::new();
    while huge.len() < 400_000 {
        huge.push_str(SENTENCES[huge.len() % SENTENCES.len()]);
        huge.push(' ');
    }
    let one_sentence_no_punctuation = "and we would check what changed ".repeat(20_000);
    let one_long_denial = "I would not ask what changed or roll back ".repeat(20_000);
    let hostile = [
        huge.as_str(),
        one_sentence_no_punctuation.as_str(),
        one_long_denial.as_str(),
        "\u{0}\u{1}\u{2}\u{1b}[31m\u{7f}\u{202e}",
        "日本語の回答です。何が変わったかを確認します。p99 を見ます。",
        "Проверю, что изменилось. ¿Qué cambió? ما الذي تغير؟ 🔥🔥🔥",
        "- \n* \n1. \n\n\n:::\n...!!!???",
        "not not not not never no none nothing without",
        "'''\"\"\"’’’“”",
    ];
    for text in hostile {
        for kind in Kind::ALL {
            let e = eval(kind, text);
            assert!(e.overall.score <= 1.0);
            assert_eq!(e.to_json(), eval(kind, text).to_json());
        }
    }
}
