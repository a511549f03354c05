//! Stage 3, signals: the computed signals of the rubric (`signals:`), which read the answer's
//! form rather than match patterns: every step answered, signposting, readable sentences,
//! numbers, questions asked. Each earns a share of its weight in its dimension (communication
//! unless the rubric says otherwise).

use crate::answer::Answer;
use crate::model::pack::Dimension;

use super::super::applies;
use super::super::result::{Hit, Miss, NextStep};
use super::Scorer;
use super::tally::{Candidate, Tally};
use super::units::{FOLLOW_UP, Piece, Scored, Shape};
use crate::model::rubric::{Signal, SignalSpec};

/// What a signal earned: its credit, the excerpt shown for it and the step it came from.
type Reading = (f64, String, Option<String>);

/// Nothing earned, nothing to quote.
fn nothing() -> Reading {
    (0.0, String::new(), None)
}

/// The answer as the signals read it.
struct Answered<'x, 'a> {
    answer: &'x Answer,
    pieces: &'x [Piece<'a>],
    units: &'x [Scored<'a>],
}

impl<'x, 'a> Answered<'x, 'a> {
    /// The units that speak for the answer: not inert, not investigation questions.
    fn live(&self) -> impl Iterator<Item = &'x Scored<'a>> + use<'x, 'a> {
        let pieces = self.pieces;
        self.units
            .iter()
            .filter(move |u| !u.inert && !pieces[u.piece].context_only)
    }

    /// `u` quoted as a signal's evidence, with its step.
    fn evidence(&self, credit: f64, u: &Scored<'_>) -> Reading {
        (credit, u.quote(100), self.pieces[u.piece].step.clone())
    }

    /// Words of the units that are not inert, in the pieces `keep` accepts: repeats and bare
    /// denials do not answer anything.
    fn words_where(&self, keep: impl Fn(&Piece<'_>) -> bool) -> usize {
        self.units
            .iter()
            .filter(|u| !u.inert && keep(&self.pieces[u.piece]))
            .map(|u| u.unit.len())
            .sum()
    }
}

impl Scorer<'_> {
    /// Enters every signal that applies in the ledger, after the criteria (`criteria` of them).
    pub(super) fn enter_signals(
        &self,
        tally: &mut Tally,
        criteria: usize,
        answer: &Answer,
        pieces: &[Piece<'_>],
        units: &[Scored<'_>],
    ) {
        let answered = Answered {
            answer,
            pieces,
            units,
        };
        for (k, signal) in self.rubric.file().signals.iter().enumerate() {
            if !self.signal_applies(signal) {
                continue;
            }
            let reading = self.signal(signal.signal, &answered);
            enter(tally, signal, criteria + k, reading);
        }
    }

    /// True when `signal` counts for this question: not disabled, and meant for its kind.
    pub(super) fn signal_applies(&self, signal: &SignalSpec) -> bool {
        !self.disabled.contains(&signal.id) && applies(&signal.kinds, self.kind)
    }

    /// Credit, excerpt and step of a computed signal.
    fn signal(&self, signal: Signal, answered: &Answered<'_, '_>) -> Reading {
        match signal {
            Signal::EveryStep => self.every_step(answered),
            Signal::Signposting => signposting(answered),
            Signal::ReadableSentences => readable_sentences(answered),
            Signal::Numbers => numbers(answered),
            Signal::Questions => questions(answered),
        }
    }

    /// Share of the steps (and the follow-up) answered: prompt by prompt when the answer is split
    /// by step, otherwise by how much ground its words cover.
    fn every_step(&self, answered: &Answered<'_, '_>) -> Reading {
        let by_step = answered.answer.parts.iter().any(|p| p.step.is_some());
        let mut expected = self.steps.len();
        let mut answered_steps = 0;
        if by_step {
            for step in &self.steps {
                let words = answered.words_where(|p| {
                    !p.context_only && p.step.as_deref() == Some(step.id.as_str())
                });
                let need = (step.min_words.unwrap_or(0) as f64 * 0.3).max(5.0);
                if words as f64 >= need {
                    answered_steps += 1;
                }
            }
        } else {
            let words =
                answered.words_where(|p| !p.context_only && p.step.as_deref() != Some(FOLLOW_UP));
            let need: f64 = self
                .steps
                .iter()
                .map(|s| s.min_words.unwrap_or(20).max(10) as f64)
                .sum::<f64>()
                * 0.8;
            answered_steps = ((words as f64 / need.max(1.0)) * expected as f64).floor() as usize;
            answered_steps = answered_steps.min(expected);
        }
        if answered.answer.follow_up.is_some() {
            expected += 1;
            if answered.words_where(|p| p.step.as_deref() == Some(FOLLOW_UP)) >= 5 {
                answered_steps += 1;
            }
        }
        let credit = if expected == 0 {
            0.0
        } else {
            answered_steps as f64 / expected as f64
        };
        let what = if by_step {
            format!("{answered_steps} of {expected} prompts answered")
        } else {
            format!("covers about {answered_steps} of {expected} prompts' worth of ground")
        };
        (credit, what, None)
    }
}

/// Signposts ("first", "then") and bullets; an answer split by step is structured already.
fn signposting(answered: &Answered<'_, '_>) -> Reading {
    let by_step = answered
        .answer
        .parts
        .iter()
        .filter(|p| p.step.is_some())
        .count()
        >= 3;
    let signposted: Vec<&Scored<'_>> = answered.live().filter(|u| u.unit.signposted()).collect();
    let bullets = answered.live().filter(|u| u.unit.bullet).count();
    let count = signposted.len() + if bullets >= 2 { bullets } else { 0 };
    let credit = if by_step {
        (0.5 + count.min(2) as f64 * 0.25).min(1.0)
    } else {
        (count as f64 / 3.0).min(1.0)
    };
    let first = signposted
        .first()
        .copied()
        .or_else(|| answered.live().find(|u| u.unit.bullet));
    match first {
        Some(u) => answered.evidence(credit, u),
        None if by_step => (credit, "answered prompt by prompt".to_string(), None),
        None => nothing(),
    }
}

/// The share of words in sentences of readable length.
fn readable_sentences(answered: &Answered<'_, '_>) -> Reading {
    let all: Vec<&Scored<'_>> = answered.live().collect();
    let total: usize = all.iter().map(|u| u.unit.len()).sum();
    let sentences: Vec<&&Scored<'_>> = all
        .iter()
        .filter(|u| matches!(u.shape, Shape::Sentence | Shape::Terse))
        .collect();
    if sentences.len() < 2 || total == 0 {
        return nothing();
    }
    let in_sentences: usize = sentences.iter().map(|u| u.unit.len()).sum();
    let share = in_sentences as f64 / total as f64;
    let average = in_sentences as f64 / sentences.len() as f64;
    let long = sentences.iter().filter(|u| u.unit.len() > 50).count();
    let length_ok = if (5.0..=32.0).contains(&average) {
        1.0
    } else {
        0.6
    };
    let credit = (share * length_ok * (1.0 - 0.2 * long.min(3) as f64)).clamp(0.0, 1.0);
    answered.evidence(credit, sentences[0])
}

/// Quantities: two earn it in full.
fn numbers(answered: &Answered<'_, '_>) -> Reading {
    let with: Vec<&Scored<'_>> = answered
        .live()
        .filter(|u| u.unit.quantities() > 0)
        .collect();
    let count: usize = with.iter().map(|u| u.unit.quantities()).sum();
    match with.first() {
        Some(u) => answered.evidence((count as f64 / 2.0).min(1.0), u),
        None => nothing(),
    }
}

/// Questions of three words or more, investigation included: three earn it in full.
fn questions(answered: &Answered<'_, '_>) -> Reading {
    let asked: Vec<&Scored<'_>> = answered
        .units
        .iter()
        .filter(|u| !u.inert && u.unit.question && u.unit.len() >= 3)
        .collect();
    match asked.first() {
        Some(u) => answered.evidence((asked.len() as f64 / 3.0).min(1.0), u),
        None => nothing(),
    }
}

/// Enters what `signal` earned: a hit for any credit, a miss for none, and a candidate for what
/// to add next while it has earned less than half.
fn enter(tally: &mut Tally, signal: &SignalSpec, order: usize, reading: Reading) {
    let (credit, excerpt, step) = reading;
    let d = signal.dimension.unwrap_or(Dimension::Communication);
    let weight = signal.weight.unwrap_or(1.0);
    tally.total[d] += weight;
    if credit > 0.0 {
        tally.earned[d] += weight * credit;
        tally.dims.get_mut(d).hits.push(Hit {
            criterion: signal.id.clone(),
            title: signal.title.clone(),
            step,
            excerpt,
            credit,
        });
    }
    if credit < 0.5 {
        if credit == 0.0 {
            tally.dims.get_mut(d).misses.push(Miss {
                criterion: signal.id.clone(),
                title: signal.title.clone(),
                hint: signal.hint.clone(),
            });
        }
        tally.next.push(Candidate {
            weight: weight * (1.0 - credit),
            order,
            step: NextStep {
                dimension: d,
                criterion: signal.id.clone(),
                title: signal.title.clone(),
                hint: signal.hint.clone(),
            },
        });
    }
}
