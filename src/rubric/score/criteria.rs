//! Stage 2, criteria: each criterion earns the best credit of its affirmed matches over the units
//! (at most one), a short unit that earns many criteria at once keeps only a list's credit, and
//! what the criteria earned goes into the dimensions' ledger as hits, or as misses that may be
//! worth adding next.

use std::collections::HashMap;

use crate::model::pack::Dimension;

use super::super::result::{Hit, Miss, NextStep};
use super::super::structure;
use super::super::tone;
use super::super::{Criterion, ScoringSpec};
use super::Scorer;
use super::tally::{Candidate, EXCERPT_CHARS, Tally};
use super::units::{Piece, Scored, Shape};

/// How much more credit a later unit must earn to replace an earlier one as a criterion's
/// evidence.
const EVIDENCE_MARGIN: f64 = 0.25;

/// What a criterion earned.
#[derive(Clone)]
pub(super) struct Earned {
    pub credit: f64,
    pub unit: usize,
    pub first: usize,
    pub last: usize,
    /// Order of the earliest unit with any affirmed match.
    pub earliest: usize,
}

/// Every criterion that applies, in rubric order, with what it earned.
pub(super) type Earnings<'s> = Vec<(&'s Criterion, Option<Earned>)>;

impl Scorer<'_> {
    /// What each criterion earns over `units`.
    pub(super) fn earn_all(&self, units: &[Scored<'_>], pieces: &[Piece<'_>]) -> Earnings<'_> {
        self.all_criteria()
            .map(|criterion| (criterion, self.earn(criterion, units, pieces)))
            .collect()
    }

    /// Denials that earn nothing ("I would not roll back") are inert, like repeats.
    pub(super) fn mark_denials(&self, units: &mut [Scored<'_>]) {
        for su in units.iter_mut().filter(|u| !u.inert) {
            let words = su.unit.words();
            let denies = words.iter().any(|w| crate::text::negation::is_cue_word(w));
            if denies
                && !self
                    .all_criteria()
                    .any(|c| c.pattern.find_affirmed(&su.unit).is_some())
            {
                su.inert = true;
            }
        }
    }

    /// The best credit a criterion earns over the units.
    fn earn(
        &self,
        criterion: &Criterion,
        units: &[Scored<'_>],
        pieces: &[Piece<'_>],
    ) -> Option<Earned> {
        let mut best: Option<Earned> = None;
        for (order, su) in units.iter().enumerate() {
            if su.repeated
                || su.mute
                || (pieces[su.piece].context_only && criterion.spec.dimension != Dimension::Context)
            {
                continue;
            }
            let Some((first, last)) = matched(criterion, su) else {
                continue;
            };
            match &mut best {
                None => {
                    best = Some(Earned {
                        credit: su.credit,
                        unit: order,
                        first,
                        last,
                        earliest: order,
                    })
                }
                // A later unit takes over only when it is clearly better: the first place an
                // answer does the thing is the evidence an interviewer would quote ("what changed
                // on Monday" before a later sentence that merely mentions the deploy again).
                Some(b) if su.credit > b.credit + EVIDENCE_MARGIN => {
                    b.credit = su.credit;
                    b.unit = order;
                    b.first = first;
                    b.last = last;
                }
                Some(_) => {}
            }
            if best.as_ref().is_some_and(|b| b.credit >= 1.0) {
                break;
            }
        }
        best
    }
}

/// The tokens of `su` that earn `criterion`: an affirmed match not dismissed before it, or the
/// whole unit when it shows one of the criterion's structures; none when `not_with` voids it.
fn matched(criterion: &Criterion, su: &Scored<'_>) -> Option<(usize, usize)> {
    let shaped = criterion
        .spec
        .structures
        .iter()
        .any(|&s| structure::shows(s, su.marks, su.earlier_options));
    let found = match criterion.pattern.find_affirmed(&su.unit) {
        Some((first, _)) if tone::dismissed_before(&su.unit, first) => None,
        found => found,
    };
    if criterion
        .void
        .as_ref()
        .is_some_and(|v| v.find_in(&su.unit, |_, _| true).is_some())
    {
        return None;
    }
    found.or_else(|| shaped.then(|| (0, su.unit.len().saturating_sub(1))))
}

/// A short unit that earns many criteria at once is a keyword string, whatever its shape: its
/// criteria keep a list's credit. Returns the first such unit, quoted.
pub(super) fn cap_stuffed(
    earned: &mut Earnings<'_>,
    units: &[Scored<'_>],
    spec: &ScoringSpec,
) -> Option<String> {
    let mut per_unit: HashMap<usize, usize> = HashMap::new();
    for e in earned.iter().filter_map(|(_, e)| e.as_ref()) {
        *per_unit.entry(e.unit).or_default() += 1;
    }
    // Each unit is judged once, however many criteria it earns.
    let stuffed_units: HashMap<usize, bool> = per_unit
        .iter()
        .map(|(&u, &hits)| (u, stuffed(&units[u], hits)))
        .collect();
    let mut excerpt = None;
    for e in earned.iter_mut().filter_map(|(_, e)| e.as_mut()) {
        if stuffed_units.get(&e.unit).copied().unwrap_or(false) {
            e.credit = e.credit.min(spec.list_credit);
            excerpt.get_or_insert_with(|| units[e.unit].quote(80));
        }
    }
    excerpt
}

/// True when `unit`, earning `hits` criteria, is a keyword string.
fn stuffed(unit: &Scored<'_>, hits: usize) -> bool {
    // Three criteria in a bare list, or six in a run of barely five words each: a dense real
    // bullet ("roll back, page support, post an update") earns three or four, never that many.
    // A dense line about the scenario ("alert when a job is stuck, chunks idempotent so a re-run
    // is safe, an error report the customer downloads") is a terse answer, not a keyword string.
    // A roll call of nouns ("monitoring, alerting, mitigation, a blameless postmortem,
    // prevention and follow-through") is a keyword string even with the scenario's names pinned
    // to its end: its grounding is pasted on, so it does not excuse the list.
    if hits >= 3 && enumeration(&unit.unit) {
        return true;
    }
    let items = unit.unit.tokens.iter().filter(|t| t.brk_after).count() + 1;
    let clauses = unit.unit.len() >= items * 4;
    let grounded = (clauses && (unit.anchors.scenario >= 2 || unit.anchors.total() >= 2.5))
        || unit.marks.option
        || unit.marks.decision;
    !grounded
        && ((hits >= 3 && (unit.unit.function_words() == 0 || unit.shape == Shape::List))
            || (hits >= 6 && unit.unit.len() < hits * 5))
}

/// Items a unit must list before it can be a roll call.
const ROLL_CALL_ITEMS: usize = 6;

/// True when `unit` is mostly a run of bare items: split at commas, semicolons, `and` and `or`,
/// it has [`ROLL_CALL_ITEMS`] items or more and most carry at most two content words. A dense
/// line of actions ("alert on the oldest unapplied event, a unique event id, watch next month
/// start") has longer items and is not one.
pub(super) fn enumeration(unit: &crate::text::Unit) -> bool {
    use super::super::grounding::{is_content, is_specific};
    // Per item: (content words, whether one of them names something specific).
    let mut items: Vec<(usize, bool)> = Vec::new();
    let mut item = (0usize, false);
    for (word, token) in unit.words().iter().zip(&unit.tokens) {
        if matches!(*word, "and" | "or" | "plus") {
            items.push(std::mem::take(&mut item));
            continue;
        }
        if is_content(word) {
            item.0 += 1;
            item.1 |= is_specific(word);
        }
        if token.brk_after {
            items.push(std::mem::take(&mut item));
        }
    }
    items.push(item);
    items.retain(|&(n, _)| n > 0);
    if items.len() < ROLL_CALL_ITEMS {
        return false;
    }
    // Bare: a virtue or an everyday notion in a word or two ("alerting", "a blameless
    // postmortem"), not a thing of the system ("replica lag").
    let bare = items
        .iter()
        .filter(|&&(n, specific)| n <= 2 && !specific)
        .count();
    // A longer run of short names is a catalogue even when the names are technical ("a cache,
    // rate limiting, idempotency keys, retries with backoff, circuit breakers, ...").
    let short = items.iter().filter(|&&(n, _)| n <= 2).count();
    bare * 4 >= items.len() * 3 || (items.len() >= CATALOGUE_ITEMS && short * 5 >= items.len() * 4)
}

/// Items of a run of short names that make it a catalogue whatever the names.
const CATALOGUE_ITEMS: usize = 9;

/// Enters what the criteria earned in the ledger: a hit for each credit above zero, otherwise a
/// miss and a candidate for what to add next.
pub(super) fn enter(
    tally: &mut Tally,
    earned: &Earnings<'_>,
    units: &[Scored<'_>],
    pieces: &[Piece<'_>],
) {
    for (order, (criterion, got)) in earned.iter().enumerate() {
        let d = criterion.spec.dimension;
        let spec = &criterion.spec;
        tally.total[d] += criterion.weight;
        match got {
            Some(e) if e.credit > 0.0 => {
                tally.earned[d] += criterion.weight * e.credit;
                let su = &units[e.unit];
                tally.dims.get_mut(d).hits.push(Hit {
                    criterion: spec.id.clone(),
                    title: spec.title.clone(),
                    step: pieces[su.piece].step.clone(),
                    excerpt: su.unit.excerpt(su.text, e.first, e.last, EXCERPT_CHARS),
                    credit: e.credit,
                });
            }
            _ => {
                tally.dims.get_mut(d).misses.push(Miss {
                    criterion: spec.id.clone(),
                    title: spec.title.clone(),
                    hint: spec.hint.clone(),
                });
                tally.next.push(Candidate {
                    weight: criterion.weight,
                    order,
                    step: NextStep {
                        dimension: d,
                        criterion: spec.id.clone(),
                        title: spec.title.clone(),
                        hint: spec.hint.clone(),
                    },
                });
            }
        }
    }
}
