//! Calibration of the default rubric against hand-graded answers (`tests/calibration/*.yaml`).
//!
//! The questions there are written only for calibration, not taken from the built-in bank, so
//! this measures how the default rubric judges answers to questions it has never seen. It prints
//! the Spearman rank correlation between the engine's dimension scores and the hand grades, per
//! dimension, for all answers and for the held-out ones, and asserts the hard bounds: keyword
//! lists, negated answers, off-topic and empty answers score below every genuine strong answer
//! and never above Emerging in any dimension.
//!
//! `CALIBRATION_VERBOSE=1 cargo test --test calibration -- --nocapture` prints every answer.

use std::collections::BTreeMap;

use rehearse::answer::Answer;
use rehearse::calibrate::metrics::spearman;
use rehearse::model::pack::{Dimension, Question};
use rehearse::rubric::{CompiledRubric, Evaluation, score};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    questions: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    question: Question,
    answers: Vec<Graded>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Graded {
    label: String,
    #[serde(default)]
    holdout: bool,
    #[serde(default)]
    adversarial: bool,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    steps: BTreeMap<String, String>,
    #[serde(default)]
    follow_up: Option<String>,
    #[serde(default)]
    investigation: Vec<String>,
    grade: BTreeMap<Dimension, u8>,
}

impl Graded {
    fn answer(&self, question: &Question) -> Answer {
        let mut answer = match &self.text {
            Some(text) => Answer::whole(text.clone()),
            None => {
                // Keep the question's step order, as a session would.
                let order = question.effective_steps();
                let mut parts: Vec<(String, String)> = Vec::new();
                for step in order {
                    if let Some(text) = self.steps.get(&step.id) {
                        parts.push((step.id.clone(), text.clone()));
                    }
                }
                Answer::by_steps(parts)
            }
        };
        answer.follow_up = self.follow_up.clone();
        answer.investigation = self.investigation.clone();
        answer
    }
}

struct Row {
    question: String,
    label: String,
    holdout: bool,
    adversarial: bool,
    strong: bool,
    grade: BTreeMap<Dimension, u8>,
    eval: Evaluation,
}

fn load() -> Vec<Row> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/calibration");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("calibration directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    let rubric = CompiledRubric::builtin();
    let mut rows = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("read calibration file");
        let file: File =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in file.questions {
            for graded in &case.answers {
                let eval = score(rubric, &case.question, &graded.answer(&case.question));
                rows.push(Row {
                    question: case.question.id.clone(),
                    label: graded.label.clone(),
                    holdout: graded.holdout,
                    adversarial: graded.adversarial,
                    strong: graded.label.starts_with("strong"),
                    grade: graded.grade.clone(),
                    eval,
                });
            }
        }
    }
    rows
}

fn correlations(rows: &[&Row]) -> Vec<(Dimension, f64)> {
    Dimension::ALL
        .iter()
        .map(|&d| {
            let engine: Vec<f64> = rows.iter().map(|r| r.eval.dimension(d).score).collect();
            let human: Vec<f64> = rows.iter().map(|r| f64::from(r.grade[&d])).collect();
            // Undefined (no spread on one side) counts as no agreement at all.
            (d, spearman(&engine, &human).unwrap_or(0.0))
        })
        .collect()
}

#[test]
fn default_rubric_agrees_with_hand_grades() {
    let rows = load();
    let verbose = std::env::var_os("CALIBRATION_VERBOSE").is_some();
    if verbose {
        for r in &rows {
            let levels: Vec<String> = Dimension::ALL
                .iter()
                .map(|&d| {
                    format!(
                        "{}:{}/{} ({:.2})",
                        &d.as_str()[..3],
                        r.eval.dimension(d).level,
                        r.grade[&d],
                        r.eval.dimension(d).score
                    )
                })
                .collect();
            let flags: Vec<&str> = r.eval.flags.iter().map(|f| f.id.as_str()).collect();
            println!(
                "{:<24} {:<26} {} {}  {:?}",
                r.question,
                r.label,
                if r.holdout { "H" } else { " " },
                levels.join("  "),
                flags
            );
            if std::env::var("CALIBRATION_VERBOSE").is_ok_and(|v| v == "2") {
                for (d, result) in r.eval.dimensions.iter() {
                    for hit in &result.hits {
                        println!(
                            "      + {} {} {:.2} \"{}\"",
                            d, hit.criterion, hit.credit, hit.excerpt
                        );
                    }
                    for p in &result.penalties {
                        println!("      x {} {} \"{}\"", d, p.anti_pattern, p.excerpt);
                    }
                }
            }
        }
    }
    let all: Vec<&Row> = rows.iter().collect();
    let held: Vec<&Row> = rows.iter().filter(|r| r.holdout).collect();
    println!(
        "calibration: {} answers ({} held out)",
        all.len(),
        held.len()
    );
    println!("Spearman per dimension    all   held-out");
    let whole = correlations(&all);
    let holdout = correlations(&held);
    for ((d, a), (_, h)) in whole.iter().zip(&holdout) {
        println!("  {:<22} {a:>5.2}   {h:>5.2}", d.title());
    }
    for (d, rho) in &whole {
        assert!(
            *rho >= 0.8,
            "{}: Spearman {rho:.2} is below 0.8 over all calibration answers",
            d.title()
        );
    }
    for (d, rho) in &holdout {
        assert!(
            *rho >= 0.7,
            "{}: Spearman {rho:.2} is below 0.7 over the held-out answers",
            d.title()
        );
    }
}

/// The built-in bank's graded examples, written by other authors in other voices: a second,
/// independent check, printed but not asserted (the bank's own self-test is `pack test`).
#[test]
fn bank_examples_agreement_is_reported() {
    let Ok(pack) = rehearse::pack::builtin::pack() else {
        return;
    };
    let Ok(rubric) = pack.rubric() else {
        return;
    };
    let mut rows = Vec::new();
    for q in &pack.questions {
        for ex in &q.examples {
            let answer = rehearse::commands::pack_test::example_answer(q, ex);
            let eval = score(rubric, q, &answer);
            let grade = Dimension::ALL
                .iter()
                .map(|&d| (d, ex.expect.get(d)))
                .collect();
            rows.push(Row {
                question: q.id.clone(),
                label: ex.label.clone(),
                holdout: true,
                adversarial: false,
                strong: false,
                grade,
                eval,
            });
        }
    }
    if rows.is_empty() {
        return;
    }
    let all: Vec<&Row> = rows.iter().collect();
    println!("bank examples: {} answers", all.len());
    for (d, rho) in correlations(&all) {
        println!("  {:<22} {rho:>5.2}", d.title());
    }
    let within_one = rows
        .iter()
        .flat_map(|r| {
            Dimension::ALL.iter().map(move |&d| {
                (i16::from(r.eval.dimension(d).level) - i16::from(r.grade[&d])).abs() <= 1
            })
        })
        .filter(|&ok| ok)
        .count();
    println!(
        "  levels within one of the author's grade: {within_one} of {}",
        rows.len() * 4
    );
}

#[test]
fn adversarial_answers_stay_low() {
    let rows = load();
    let weakest_strong = rows
        .iter()
        .filter(|r| r.strong)
        .map(|r| r.eval.overall.score)
        .fold(f64::INFINITY, f64::min);
    assert!(weakest_strong.is_finite());
    for r in rows.iter().filter(|r| r.adversarial) {
        for d in Dimension::ALL {
            assert!(
                r.eval.dimension(d).level <= 2,
                "{}/{}: {} is {} ({:.2}), above Emerging",
                r.question,
                r.label,
                d.title(),
                r.eval.dimension(d).label,
                r.eval.dimension(d).score
            );
        }
        assert!(
            r.eval.overall.score < weakest_strong,
            "{}/{} scores {:.2}, not below the weakest strong answer ({weakest_strong:.2})",
            r.question,
            r.label,
            r.eval.overall.score
        );
    }
}

#[test]
fn strong_answers_beat_everything_else_on_their_question() {
    let rows = load();
    for strong in rows.iter().filter(|r| r.strong) {
        for other in rows
            .iter()
            .filter(|r| r.question == strong.question && !r.strong)
        {
            assert!(
                other.eval.overall.score < strong.eval.overall.score,
                "{}: {} ({:.2}) outscores {} ({:.2})",
                strong.question,
                other.label,
                other.eval.overall.score,
                strong.label,
                strong.eval.overall.score
            );
        }
    }
}
