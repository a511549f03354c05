//! Stage 5, guards: what caps or scales every dimension whatever the criteria earned. A blank
//! answer scores zero; one too short, missing what the question asks, mostly keyword lists,
//! mostly ungrounded, mocking, buzzword salad or pasted from the model answer is capped at
//! `guard_cap`; an off-topic one is scaled down and loses communication. Before them,
//! communication is weighed by what the answer says about the question.

use std::collections::HashSet;

use crate::answer::Answer;
use crate::model::pack::Dimension;
use crate::text::lexicon;

use super::super::ScoringSpec;
use super::super::grounding::{is_content, stem};
use super::super::result::Flag;
use super::question::grams;
use super::units::{Scored, Shape, counts_for_density};
use super::{PerDimension, Scorer};

/// An answer with fewer anchors than this per hundred words names almost nothing: recital.
const SPARSE_ANCHORS: f64 = 2.5;
/// Below this share of its words in grounded units, and below `THIN_ANCHORS` anchors per hundred
/// words, an answer is mostly virtues said about nothing in particular.
const GROUNDED_SHARE: f64 = 0.65;
const THIN_ANCHORS: f64 = 5.0;

/// Below this share of the scenario's own words, an answer rich in words of its own is about
/// something else.
const ELSEWHERE: f64 = 0.14;
/// ...and below this share of its own specific words shared with anything the question says.
const ELSEWHERE_SHARE: f64 = 0.12;

/// Below this sum of the shares of the title's words, of the prompt's closing ask and of the
/// whole prompt that an answer uses, it answers something other than what was asked. (On the
/// tuning sets, no strong answer sums under 0.95 and no good one under 0.7; half the answers to
/// a neighbouring question sum under 0.4.)
const ASK_MISSED: f64 = 0.6;
/// Below this share of the closing ask's words, with under `TITLE_TAKEN_UP` of the title's, an
/// answer leaves the ask alone. (Tuning sets: no strong answer under 0.23, and the one good
/// answer under 0.16 takes up two thirds of the title.)
const ASK_ALONE: f64 = 0.16;
const TITLE_TAKEN_UP: f64 = 0.6;
/// Below this share of the words of the prompt's push (the sentences where someone wants,
/// proposes or insists on a course of action, of `PUSH_WORDS` content words or more), with under
/// `PUSH_TITLE` of the title's, an answer takes no view on the proposal it is asked about.
/// (Tuning sets: no strong or good answer under 0.1; seven answers to a neighbouring question
/// are; on the held-out sets it flags no strong or good answer.)
const PUSH_WORDS: usize = 4;
const PUSH_IGNORED: f64 = 0.1;
const PUSH_TITLE: f64 = 0.5;

/// Communication counts in proportion to what the answer says about the question (the mean of
/// the other dimensions), and never above its best other dimension: a well-formed answer that
/// earns nothing elsewhere (off-topic, negated, padding) is not good communication.
pub(super) fn weigh_communication(scores: &mut PerDimension<f64>, spec: &ScoringSpec) {
    let (sum, count) = Dimension::ALL
        .into_iter()
        .filter(|&d| d != Dimension::Communication)
        .fold((0.0, 0.0), |(sum, count), d| (sum + scores[d], count + 1.0));
    let substance = sum / count;
    let relevance = (substance / spec.relevance_floor.max(0.01)).min(1.0);
    scores[Dimension::Communication] *= relevance;
    // Nor is it better communicated than its best substance: a clear answer that earns Emerging
    // at most about this question (an echo of the prompt, another question's answer) does not
    // communicate Solid-level judgment about it.
    let best = Dimension::ALL
        .into_iter()
        .filter(|&d| d != Dimension::Communication)
        .map(|d| scores[d])
        .fold(0.0, f64::max);
    scores[Dimension::Communication] = scores[Dimension::Communication].min(best);
}

/// True when nothing at all was written, investigation questions included.
pub(super) fn blank(answer: &Answer) -> bool {
    answer.is_blank() && answer.investigation.iter().all(|q| q.trim().is_empty())
}

impl Scorer<'_> {
    /// Applies the guards to `scores` and returns their flags, in the order feedback shows them.
    /// `stuffing` quotes the first unit whose criteria were capped as a keyword string.
    pub(super) fn guard(
        &self,
        scores: &mut PerDimension<f64>,
        blank: bool,
        units: &[Scored<'_>],
        stuffing: Option<String>,
    ) -> Vec<Flag> {
        let spec = &self.rubric.file().scoring;
        let mut flags = Vec::new();
        if blank {
            flags.push(flag(
                "blank",
                "nothing was written; every dimension scores zero",
                None,
            ));
            *scores = PerDimension::default();
            return flags;
        }
        let cap = |scores: &mut PerDimension<f64>| {
            for s in scores.values_mut() {
                *s = s.min(spec.guard_cap);
            }
        };
        let words = answer_words(units);
        let min_words = self.min_words();
        if words < min_words {
            flags.push(flag(
                "too-short",
                format!(
                    "{words} words of new content; at least {min_words} are needed to show \
                     the behaviours, so no dimension goes above Emerging"
                ),
                None,
            ));
            cap(scores);
        }
        let off_topic = self.off_topic(units);
        if off_topic {
            flags.push(flag(
                "off-topic",
                "the answer shares almost no words with the question; it is scored as off-topic \
                 and communication does not count",
                units.iter().find(|u| !u.inert).map(|u| u.quote(80)),
            ));
            for s in scores.values_mut() {
                *s *= spec.off_topic_factor;
            }
            scores[Dimension::Communication] = 0.0;
        }
        if !off_topic && let Some(missing) = self.misses_the_ask(units) {
            flags.push(flag(
                "misses-the-ask",
                format!(
                    "the answer barely touches what the question asks (\"{missing}\"); it may \
                     answer a neighbouring question, so no dimension goes above Emerging"
                ),
                None,
            ));
            cap(scores);
        }
        if let Some(flag) = keyword_stuffing(units, stuffing) {
            flags.push(flag);
            cap(scores);
        }
        if let Some(flag) = substance_flags(units) {
            cap(scores);
            flags.extend(flag);
        }
        if let Some(repeat) = units.iter().find(|u| u.repeated && u.unit.len() >= 3) {
            flags.push(flag(
                "repeated-sentence",
                "repeated sentences earn nothing the second time",
                Some(repeat.quote(80)),
            ));
        }
        if self.pasted(units) {
            flags.push(flag(
                "pasted-model-answer",
                "most of the answer repeats the model answer word for word; it is capped at \
                 Emerging",
                None,
            ));
            cap(scores);
        }
        flags
    }

    /// Words below which an answer is too short for this question.
    fn min_words(&self) -> usize {
        let spec = &self.rubric.file().scoring;
        let summed: u32 = self.steps.iter().map(|s| s.min_words.unwrap_or(0)).sum();
        spec.min_words_floor
            .max((summed as f64 * spec.min_words_share).round() as usize)
    }

    /// True when the answer barely touches the question's vocabulary.
    fn off_topic(&self, units: &[Scored<'_>]) -> bool {
        let answer_stems = stems_of(
            units,
            |u| !u.inert,
            |w| is_content(w) && !lexicon::is_common_word(w),
        );
        if answer_stems.len() < 6 {
            return false;
        }
        let vocabulary = &self.vocabulary;
        let shared = answer_stems
            .iter()
            .filter(|s| vocabulary.topic_words.contains(*s))
            .count();
        let share = shared as f64 / answer_stems.len() as f64;
        // A rich answer that touches little of what the scenario is about answers another
        // question, however well.
        let covered = vocabulary
            .scenario_stems
            .iter()
            .filter(|t| answer_stems.contains(*t))
            .count();
        let coverage = covered as f64 / vocabulary.scenario_stems.len().max(1) as f64;
        if vocabulary.scenario_stems.len() >= 10
            && answer_stems.len() >= 30
            && coverage < ELSEWHERE
            && share < ELSEWHERE_SHARE
        {
            return true;
        }
        // Conservative on purpose: flagging a real answer off-topic costs far more than
        // missing an off-topic one, which earns little from the criteria anyway.
        (shared == 0) || (answer_stems.len() >= 25 && share < 0.04)
    }

    /// The question's title, when an answer rich in words of its own uses little of the title, of
    /// the prompt's closing ask and of the prompt, or of the stakeholder's push. A neighbouring
    /// question in the same system shares the scenario's nouns, so overall coverage cannot tell
    /// it; what it leaves out is the thing asked about: the proposal to adopt, the tension to
    /// resolve, the incident to handle.
    fn misses_the_ask(&self, units: &[Scored<'_>]) -> Option<String> {
        let vocabulary = &self.vocabulary;
        if vocabulary.title_stems.len() + vocabulary.ask_stems.len() < 6 {
            return None;
        }
        // Everything the candidate wrote counts, denials too ("I wouldn't sign this month" is
        // about the contract); not repeats, mockery or the interviewer's lines.
        let answer_stems = stems_of(
            units,
            |u| !u.repeated && !u.mute && !u.interviewer,
            is_content,
        );
        if answer_stems.len() < 30 {
            return None;
        }
        let share = |stems: &HashSet<String>| {
            stems.iter().filter(|s| answer_stems.contains(*s)).count() as f64
                / stems.len().max(1) as f64
        };
        let (title, ask) = (share(&vocabulary.title_stems), share(&vocabulary.ask_stems));
        let touched = title + ask + share(&vocabulary.prompt_stems);
        // Or the ask itself is left alone (a word of it at most) by an answer that does not
        // take up the title either: the design question answered with tonight's outage. Only
        // when the prompt ends by asking: a prompt that only sets the scene has no ask there.
        let ask_alone = vocabulary.ends_asking && ask < ASK_ALONE && title < TITLE_TAKEN_UP;
        // Or the stakeholder's proposal goes unanswered: the design of the next feature, when the
        // question is whether to do what the director proposes.
        let push_ignored = vocabulary.push_stems.len() >= PUSH_WORDS
            && share(&vocabulary.push_stems) < PUSH_IGNORED
            && title < PUSH_TITLE;
        (touched < ASK_MISSED || ask_alone || push_ignored).then(|| self.title.clone())
    }

    /// True when most of the answer is the model answer, word for word.
    fn pasted(&self, units: &[Scored<'_>]) -> bool {
        let model_grams = &self.vocabulary.model_grams;
        if model_grams.is_empty() {
            return false;
        }
        let mut tokens = Vec::new();
        for u in units.iter().filter(|u| !u.inert) {
            tokens.extend(u.unit.words().into_iter().map(str::to_string));
        }
        let answer = grams(&tokens);
        if answer.len() < 20 {
            return false;
        }
        let shared = answer.iter().filter(|g| model_grams.contains(*g)).count();
        shared * 2 >= answer.len()
    }
}

/// Stems of the words `word` keeps in the units `unit` keeps.
fn stems_of(
    units: &[Scored<'_>],
    unit: impl Fn(&Scored<'_>) -> bool,
    word: impl Fn(&str) -> bool,
) -> HashSet<String> {
    units
        .iter()
        .filter(|u| unit(u))
        .flat_map(|u| u.unit.words())
        .filter(|w| word(w))
        .map(stem)
        .collect()
}

fn flag(id: &str, message: impl Into<String>, excerpt: Option<String>) -> Flag {
    Flag {
        id: id.to_string(),
        message: message.into(),
        excerpt,
    }
}

/// Words of new content: non-repeated units, investigation questions excluded.
fn answer_words(units: &[Scored<'_>]) -> usize {
    let mut distinct = HashSet::new();
    let mut count = 0;
    for u in units.iter().filter(|u| !u.inert) {
        for w in u.unit.words() {
            count += 1;
            distinct.insert(w);
        }
    }
    // Many words drawn from a tiny vocabulary is padding, not content.
    count.min(distinct.len() * 3)
}

/// Terse answers mix noun lists into real sentences; only an answer that is mostly lists (or has
/// a unit stuffed with criteria, quoted in `stuffing`) is treated as keyword stuffing.
fn keyword_stuffing(units: &[Scored<'_>], stuffing: Option<String>) -> Option<Flag> {
    let words_where = |keep: &dyn Fn(&Scored<'_>) -> bool| -> usize {
        units
            .iter()
            .filter(|u| !u.inert && keep(u))
            .map(|u| u.unit.len())
            .sum()
    };
    let list_words = words_where(&|u| u.shape == Shape::List);
    let all_words = words_where(&|_| true);
    if stuffing.is_none() && (all_words < 6 || list_words * 5 < all_words * 3) {
        return None;
    }
    Some(flag(
        "keyword-stuffing",
        "bare keyword lists earn only a fraction of the credit of sentences that say what you \
         would do and why; no dimension goes above Emerging",
        stuffing.or_else(|| {
            units
                .iter()
                .find(|u| u.shape == Shape::List)
                .map(|u| u.quote(80))
        }),
    ))
}

/// Flags for answers that say the rubric's words without substance: mostly ungrounded (recital, a
/// generic answer that fits any question), mocking, or buzzword salad. Each caps every dimension
/// at Emerging.
fn substance_flags(units: &[Scored<'_>]) -> Option<Vec<Flag>> {
    let live: Vec<&Scored<'_>> = units.iter().filter(|u| !u.repeated).collect();
    let words: usize = live.iter().map(|u| u.unit.len()).sum();
    if words < 12 {
        return None;
    }
    let counted: Vec<&&Scored<'_>> = live.iter().filter(|u| counts_for_density(u)).collect();
    let counted_words: usize = counted.iter().map(|u| u.unit.len()).sum();
    let grounded: usize = counted
        .iter()
        .filter(|u| u.anchors.grounded())
        .map(|u| u.unit.len())
        .sum();
    let anchors: f64 = counted.iter().map(|u| u.anchors.total()).sum();
    let mocking = live.iter().filter(|u| u.tone.mocking).count();
    let irony: usize = live.iter().map(|u| u.tone.irony).sum();
    let buzz: usize = live.iter().map(|u| u.tone.buzzwords).sum();
    let share = grounded as f64 / counted_words.max(1) as f64;
    let mut out = Vec::new();
    let density = anchors * 100.0 / counted_words.max(1) as f64;
    if density < SPARSE_ANCHORS || (share < GROUNDED_SHARE && density < THIN_ANCHORS) {
        out.push(flag(
            "generic",
            format!(
                "the answer names little from this situation (its components, numbers, people or \
                 facts): {density:.1} such words per hundred; virtues said about nothing in \
                 particular are capped at Emerging"
            ),
            live.iter()
                .find(|u| !u.anchors.grounded())
                .map(|u| u.quote(80)),
        ));
    }
    if mocking >= 2 || (mocking == 1 && irony >= 2) {
        out.push(flag(
            "mocking",
            "the rubric's words are used to mock them (scare quotes, sneers); mocked behaviours \
             earn nothing and the answer is capped at Emerging",
            live.iter().find(|u| u.tone.mocking).map(|u| u.quote(80)),
        ));
    }
    if buzz >= 3 {
        out.push(flag(
            "buzzwords",
            format!(
                "{buzz} buzzwords (\"infinitely scalable\", \"future-proof\", ...) stand in for \
                 reasons and costs; the answer is capped at Emerging"
            ),
            live.iter()
                .find(|u| u.tone.buzzwords > 0)
                .map(|u| u.quote(80)),
        ));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::CompiledRubric;

    /// A fluent answer that earns little about the question communicates no better than its
    /// best substance; a substantive one keeps its communication.
    #[test]
    fn communication_never_outranks_the_best_substance() {
        let spec = &CompiledRubric::builtin().file().scoring;
        let mut thin = PerDimension::from_fn(|d| match d {
            Dimension::Context => 0.3,
            Dimension::TradeOffs => 0.45,
            Dimension::Ownership => 0.1,
            Dimension::Communication => 0.9,
        });
        weigh_communication(&mut thin, spec);
        assert!(thin[Dimension::Communication] <= 0.45, "{thin:?}");
        let mut rich = PerDimension::from_fn(|d| match d {
            Dimension::Communication => 0.9,
            _ => 0.8,
        });
        weigh_communication(&mut rich, spec);
        assert_eq!(rich[Dimension::Communication], 0.8);
    }
}
