//! Scoring one answer: units in, an explained [`Evaluation`] out.
//!
//! The arithmetic, in the order it happens (documented for users in `docs/rubric-format.md`):
//! 1. the answer's parts, the follow-up answer and the investigation questions are split into
//!    units; each unit gets a shape (sentence, terse clause, fragment, keyword list) whose credit
//!    multiplies whatever it earns, and a unit that repeats an earlier one earns nothing;
//! 2. each criterion earns the best credit of its un-negated matches, at most one;
//! 3. a dimension's score is its earned weight over `saturation` of its applicable weight, capped
//!    at 1, minus its anti-pattern penalties (capped in total);
//! 4. guards (blank, too short, off-topic, keyword stuffing, pasted model answer) cap or scale;
//! 5. the overall score is the kind-weighted mean of the dimensions.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::answer::Answer;
use crate::model::pack::{Dimension, Kind, Question, Step};
use crate::text::{self, Unit, lexicon};

use super::grounding::{self, Anchors, is_content, stem};
use super::result::{
    DimensionResult, Dimensions, Evaluation, Flag, Hit, Label, Miss, NextStep, Overall, Penalty,
    RESULT_FORMAT_VERSION, round3,
};
use super::structure::{self, Marks};
use super::tone::{self, Tone};
use super::{CompiledRubric, Criterion, RubricError, applies, compile_criteria};
use crate::model::rubric::Signal;

/// An answer with fewer anchors than this per hundred words names almost nothing: recital.
const SPARSE_ANCHORS: f64 = 2.5;
/// Below this share of its words in grounded units, and below `THIN_ANCHORS` anchors per hundred
/// words, an answer is mostly virtues said about nothing in particular.
const GROUNDED_SHARE: f64 = 0.65;
const THIN_ANCHORS: f64 = 5.0;

/// Below this share of the scenario's own words, an answer rich in words of its own is about
/// something else.
const ELSEWHERE: f64 = 0.12;
/// ...and below this share of its own specific words shared with anything the question says.
const ELSEWHERE_SHARE: f64 = 0.1;

/// How much more credit a later unit must earn to replace an earlier one as a criterion's
/// evidence.
const EVIDENCE_MARGIN: f64 = 0.25;

/// Share of its credit a unit keeps when it carries buzzwords ("infinitely scalable").
const BUZZWORD_CREDIT: f64 = 0.5;

/// Longest excerpt quoted in feedback, in characters.
const EXCERPT_CHARS: usize = 160;

/// Step label of investigation questions and of the follow-up answer.
const INVESTIGATION: &str = "investigation";
const FOLLOW_UP: &str = "follow-up";

/// Scores `answer` to `question` with `rubric`.
///
/// A question whose own rubric refinement does not compile (the validator reports that) is scored
/// with the pack rubric alone and flagged `rubric-error`.
pub fn score(rubric: &CompiledRubric, question: &Question, answer: &Answer) -> Evaluation {
    // On a cold start, parsing the question's patterns is the largest part of a score, and the
    // analysis of the question and the answer does not need them: a second thread builds them,
    // last first, while this one analyses and then scores from the first, until they meet.
    let patterns: Vec<&super::Pattern> = rubric
        .compiled_criteria()
        .iter()
        .filter(|c| applies(&c.spec.kinds, question.kind))
        .map(|c| &c.pattern)
        .chain(
            rubric
                .compiled_anti_patterns()
                .iter()
                .filter(|a| applies(&a.spec.kinds, question.kind))
                .map(|a| &a.pattern),
        )
        .collect();
    let cold = patterns.iter().any(|p| !p.is_built());
    if cold && std::thread::available_parallelism().map_or(1, std::num::NonZero::get) > 1 {
        std::thread::scope(|scope| {
            scope.spawn(|| patterns.iter().rev().for_each(|p| p.build()));
            score_now(rubric, question, answer)
        })
    } else {
        score_now(rubric, question, answer)
    }
}

fn score_now(rubric: &CompiledRubric, question: &Question, answer: &Answer) -> Evaluation {
    let (scorer, error) = Scorer::new_or_plain(rubric, question);
    let mut eval = scorer.score(answer);
    if let Some(error) = error {
        eval.flags.push(Flag {
            id: "rubric-error".to_string(),
            message: format!(
                "the question's own rubric was ignored because it is invalid: {error}"
            ),
            excerpt: None,
        });
    }
    eval
}

/// The shape of a unit, which decides how much of a match's credit it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Sentence,
    Terse,
    Fragment,
    List,
}

pub(crate) fn shape(unit: &Unit) -> Shape {
    let words = unit.words();
    let n = words.len();
    if n == 0 {
        return Shape::Fragment;
    }
    let fw = unit.function_words();
    let breaks = unit.tokens[..n - 1].iter().filter(|t| t.brk_after).count();
    let listy = breaks >= 2 && (n as f64) / ((breaks + 1) as f64) <= 2.5;
    if fw == 0 {
        if lexicon::VERBS.contains(&words[0]) && n >= 2 {
            Shape::Terse
        } else if listy || n > 4 {
            Shape::List
        } else if n < 3 {
            Shape::Fragment
        } else if words.iter().any(|w| lexicon::is_verb_like(w)) {
            Shape::Terse
        } else {
            Shape::List
        }
    } else if n < 3 {
        Shape::Fragment
    } else if listy
        && !lexicon::VERBS.contains(&words[0])
        && (fw <= 1 || breaks >= 8 || (breaks >= 4 && fw * 10 < n * 3))
    {
        Shape::List
    } else {
        Shape::Sentence
    }
}

/// A piece of the answer: one step's text, the follow-up answer, or one investigation question.
struct Piece<'a> {
    step: Option<String>,
    text: &'a str,
    /// Investigation questions only earn context-building.
    context_only: bool,
}

/// An analysed unit with its place in the answer.
struct Scored<'a> {
    piece: usize,
    unit: Unit,
    text: &'a str,
    shape: Shape,
    credit: f64,
    repeated: bool,
    /// Repeated, or a denial that earns nothing ("I would not roll back"): such units count for
    /// nothing anywhere, so appending them can never raise a score.
    inert: bool,
    /// What ties the unit to this question; scales its credit.
    anchors: Anchors,
    /// Mockery, dismissal and buzzwords.
    tone: Tone,
    /// Mocks or dismisses what it names: earns no criterion at all.
    mute: bool,
    /// Option and decision lines.
    marks: Marks,
    /// Option lines before this unit.
    earlier_options: usize,
}

/// What a criterion earned.
#[derive(Clone)]
struct Earned {
    credit: f64,
    unit: usize,
    first: usize,
    last: usize,
    /// Order of the earliest unit with any affirmed match.
    earliest: usize,
}

/// A rubric prepared for one question: its criteria, weights, steps and vocabulary.
pub struct Scorer<'r> {
    rubric: &'r CompiledRubric,
    question_id: String,
    kind: Kind,
    criteria: Vec<&'r Criterion>,
    own: Vec<Criterion>,
    disabled: BTreeSet<String>,
    weights: [f64; 4],
    steps: Vec<Step>,
    question_words: HashSet<String>,
    topic_words: HashSet<String>,
    /// Stems of the specific words of the title and prompt: what the scenario itself is about.
    scenario_stems: HashSet<String>,
    model_grams: HashSet<u64>,
}

impl<'r> Scorer<'r> {
    /// Prepares `rubric` for `question`, compiling the question's own criteria.
    pub fn new(rubric: &'r CompiledRubric, question: &Question) -> Result<Scorer<'r>, RubricError> {
        let mut scorer = Scorer::empty(rubric, question);
        if let Some(qr) = &question.rubric {
            scorer.own = compile_criteria(&qr.criteria, rubric.groups())?;
            for id in &qr.disable {
                let known = rubric.compiled_criteria().iter().any(|c| &c.spec.id == id)
                    || rubric.file().signals.iter().any(|s| &s.id == id)
                    || rubric
                        .compiled_anti_patterns()
                        .iter()
                        .any(|a| &a.spec.id == id);
                if !known {
                    return Err(RubricError::UnknownDisable(id.clone()));
                }
                scorer.disabled.insert(id.clone());
            }
            if let Some(w) = &qr.weights {
                super::check_weights(w)?;
            }
            scorer.weights = rubric.weights(question.kind, qr.weights.as_ref());
        }
        let own_ids: HashSet<&str> = scorer.own.iter().map(|c| c.spec.id.as_str()).collect();
        scorer
            .criteria
            .retain(|c| !own_ids.contains(c.spec.id.as_str()));
        Ok(scorer)
    }

    /// Prepares `rubric` for `question`; when the question's own rubric section does not compile,
    /// prepares it for the question without that section instead (nothing else is
    /// question-specific, so that cannot fail) and hands back the error that set it aside.
    pub fn new_or_plain(
        rubric: &'r CompiledRubric,
        question: &Question,
    ) -> (Scorer<'r>, Option<RubricError>) {
        match Scorer::new(rubric, question) {
            Ok(scorer) => (scorer, None),
            Err(error) => (Scorer::empty(rubric, question), Some(error)),
        }
    }

    /// Prepares `rubric` for `question`, ignoring the question's own rubric section.
    fn empty(rubric: &'r CompiledRubric, question: &Question) -> Scorer<'r> {
        let kind = question.kind;
        let steps = question.effective_steps();
        // Each piece of the question is normalised once, though several sets use it.
        let norm = |text: &str| text::normalize_phrase(text);
        let title_prompt = [norm(&question.title), norm(&question.prompt)].concat();
        let step_asks: Vec<String> = question.steps.iter().flat_map(|s| norm(&s.ask)).collect();
        let follow_up_asks: Vec<String> = question
            .follow_ups
            .iter()
            .flat_map(|f| norm(&f.ask))
            .collect();
        let mut question_words = HashSet::new();
        let default_asks: Vec<String> = if question.steps.is_empty() {
            steps.iter().flat_map(|s| norm(&s.ask)).collect()
        } else {
            Vec::new()
        };
        add_content_words(
            [&title_prompt, &step_asks, &default_asks, &follow_up_asks],
            &mut question_words,
        );
        // The topic is what is specific to this question: not the generic wording of the
        // default steps, which every question of the kind shares.
        let hints: Vec<String> = question
            .steps
            .iter()
            .filter_map(|s| s.hint.as_deref())
            .flat_map(norm)
            .collect();
        let facts: Vec<String> = question
            .facts
            .iter()
            .flat_map(|f| [norm(&f.about), norm(&f.reveal)].concat())
            .collect();
        let mut model: Vec<String> = question
            .follow_ups
            .iter()
            .filter_map(|f| f.model_answer.as_deref())
            .flat_map(norm)
            .collect();
        if let Some(m) = &question.model_answer {
            model.extend(m.text.iter().chain(m.steps.values()).flat_map(|t| norm(t)));
        }
        let tags: Vec<String> = question.tags.iter().flat_map(|t| norm(t)).collect();
        let mut topic_words = HashSet::new();
        add_content_words(
            [
                &title_prompt,
                &step_asks,
                &hints,
                &follow_up_asks,
                &facts,
                &model,
                &tags,
            ],
            &mut topic_words,
        );
        let topic_words = topic_words.iter().map(|w| stem(w)).collect();
        let scenario_stems = title_prompt
            .iter()
            .filter(|w| grounding::is_specific(w))
            .map(|w| stem(w))
            .collect();
        let model_grams = grams(&model);
        Scorer {
            rubric,
            question_id: question.id.clone(),
            kind,
            criteria: rubric
                .compiled_criteria()
                .iter()
                .filter(|c| applies(&c.spec.kinds, kind))
                .collect(),
            own: Vec::new(),
            disabled: BTreeSet::new(),
            weights: rubric.weights(kind, None),
            steps,
            question_words,
            topic_words,
            scenario_stems,
            model_grams,
        }
    }

    fn all_criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria
            .iter()
            .copied()
            .chain(
                self.own
                    .iter()
                    .filter(|c| applies(&c.spec.kinds, self.kind)),
            )
            .filter(|c| !self.disabled.contains(&c.spec.id))
    }

    /// Scores one answer.
    pub fn score(&self, answer: &Answer) -> Evaluation {
        let spec = &self.rubric.file().scoring;
        let levels = self.rubric.file().levels;
        let pieces = pieces(answer);
        let mut units = self.units(&pieces);
        let mut flags: Vec<Flag> = Vec::new();
        let blank = answer.is_blank() && answer.investigation.iter().all(|q| q.trim().is_empty());

        // Criteria.
        let mut earned: Vec<(&Criterion, Option<Earned>)> = Vec::new();
        let mut stuffed_units: HashMap<usize, usize> = HashMap::new();
        for criterion in self.all_criteria() {
            let got = self.earn(criterion, &units, &pieces);
            if let Some(e) = &got {
                *stuffed_units.entry(e.unit).or_default() += 1;
            }
            earned.push((criterion, got));
        }
        // Denials that earn nothing are inert, like repeats.
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

        // A short unit that earns many criteria at once is a keyword string, whatever its shape.
        let mut stuffing_excerpt = None;
        for (criterion, got) in &mut earned {
            let _ = criterion;
            if let Some(e) = got {
                let unit = &units[e.unit];
                let hits = stuffed_units.get(&e.unit).copied().unwrap_or(0);
                // Three criteria in a bare list, or six in a run of barely five words each: a
                // dense real bullet ("roll back, page support, post an update") earns three or
                // four, never that many.
                // A dense line about the scenario ("alert when a job is stuck, chunks idempotent
                // so a re-run is safe, an error report the customer downloads") is a terse
                // answer, not a keyword string.
                let items = unit.unit.tokens.iter().filter(|t| t.brk_after).count() + 1;
                let clauses = unit.unit.len() >= items * 4;
                let grounded = (clauses
                    && (unit.anchors.scenario >= 2 || unit.anchors.total() >= 2.5))
                    || unit.marks.option
                    || unit.marks.decision;
                let stuffed = !grounded
                    && ((hits >= 3
                        && (unit.unit.function_words() == 0 || unit.shape == Shape::List))
                        || (hits >= 6 && unit.unit.len() < hits * 5));
                if stuffed {
                    e.credit = e.credit.min(spec.list_credit);
                    stuffing_excerpt.get_or_insert_with(|| {
                        unit.unit
                            .excerpt(unit.text, 0, unit.unit.len().saturating_sub(1), 80)
                    });
                }
            }
        }

        let mut dims = Dimensions {
            context: DimensionResult::empty(),
            trade_offs: DimensionResult::empty(),
            ownership: DimensionResult::empty(),
            communication: DimensionResult::empty(),
        };
        let mut earned_w = [0.0f64; 4];
        let mut total_w = [0.0f64; 4];
        let mut next_candidates: Vec<(f64, usize, usize, NextStep)> = Vec::new();
        for (order, (criterion, got)) in earned.iter().enumerate() {
            let d = criterion.spec.dimension;
            let di = dim_index(d);
            total_w[di] += criterion.weight;
            match got {
                Some(e) if e.credit > 0.0 => {
                    earned_w[di] += criterion.weight * e.credit;
                    let su = &units[e.unit];
                    dims.get_mut(d).hits.push(Hit {
                        criterion: criterion.spec.id.clone(),
                        title: criterion.spec.title.clone(),
                        step: pieces[su.piece].step.clone(),
                        excerpt: su.unit.excerpt(su.text, e.first, e.last, EXCERPT_CHARS),
                        credit: e.credit,
                    });
                }
                _ => {
                    dims.get_mut(d).misses.push(Miss {
                        criterion: criterion.spec.id.clone(),
                        title: criterion.spec.title.clone(),
                        hint: criterion.spec.hint.clone(),
                    });
                    next_candidates.push((
                        criterion.weight,
                        di,
                        order,
                        NextStep {
                            dimension: d,
                            criterion: criterion.spec.id.clone(),
                            title: criterion.spec.title.clone(),
                            hint: criterion.spec.hint.clone(),
                        },
                    ));
                }
            }
        }

        // Computed signals.
        let signal_base = earned.len();
        for (k, signal) in self.rubric.file().signals.iter().enumerate() {
            if self.disabled.contains(&signal.id) || !applies(&signal.kinds, self.kind) {
                continue;
            }
            let d = signal.dimension.unwrap_or(Dimension::Communication);
            let di = dim_index(d);
            let weight = signal.weight.unwrap_or(1.0);
            total_w[di] += weight;
            let (credit, excerpt, step) = self.signal(signal.signal, answer, &pieces, &units);
            if credit > 0.0 {
                earned_w[di] += weight * credit;
                dims.get_mut(d).hits.push(Hit {
                    criterion: signal.id.clone(),
                    title: signal.title.clone(),
                    step,
                    excerpt,
                    credit,
                });
            }
            if credit < 0.5 {
                if credit == 0.0 {
                    dims.get_mut(d).misses.push(Miss {
                        criterion: signal.id.clone(),
                        title: signal.title.clone(),
                        hint: signal.hint.clone(),
                    });
                }
                next_candidates.push((
                    weight * (1.0 - credit),
                    di,
                    signal_base + k,
                    NextStep {
                        dimension: d,
                        criterion: signal.id.clone(),
                        title: signal.title.clone(),
                        hint: signal.hint.clone(),
                    },
                ));
            }
        }

        let mut scores = [0.0f64; 4];
        for d in Dimension::ALL {
            let di = dim_index(d);
            let saturation = spec.saturation.get(&d).copied().unwrap_or(0.6).max(0.05);
            scores[di] = if total_w[di] > 0.0 {
                (earned_w[di] / (saturation * total_w[di])).min(1.0)
            } else {
                0.0
            };
        }

        // Anti-patterns.
        let mut penalty_sum = [0.0f64; 4];
        for anti in self.rubric.compiled_anti_patterns() {
            if self.disabled.contains(&anti.spec.id) || !applies(&anti.spec.kinds, self.kind) {
                continue;
            }
            let defused = anti.spec.unless.iter().any(|id| {
                earned
                    .iter()
                    .any(|(c, e)| &c.spec.id == id && e.as_ref().is_some_and(|e| e.credit > 0.0))
            });
            if defused {
                continue;
            }
            let earliest_in = |dim: Dimension| {
                earned
                    .iter()
                    .filter(|(c, _)| c.spec.dimension == dim)
                    .filter_map(|(_, e)| e.as_ref().map(|e| e.earliest))
                    .min()
            };
            for (order, su) in units.iter().enumerate() {
                if su.repeated {
                    continue;
                }
                let Some((first, last)) = anti
                    .pattern
                    .find_in(&su.unit, |a, b| !su.unit.avoided(a, b))
                else {
                    continue;
                };
                if let Some(dim) = anti.spec.before
                    && earliest_in(dim).is_some_and(|at| at <= order)
                {
                    break;
                }
                let di = dim_index(anti.spec.dimension);
                let room = (spec.penalty_cap - penalty_sum[di]).max(0.0);
                let points = anti.penalty.min(room);
                penalty_sum[di] += points;
                dims.get_mut(anti.spec.dimension).penalties.push(Penalty {
                    anti_pattern: anti.spec.id.clone(),
                    excerpt: su.unit.excerpt(su.text, first, last, EXCERPT_CHARS),
                    reason: anti.spec.reason.clone(),
                    points,
                });
                break;
            }
        }
        for di in 0..4 {
            scores[di] = (scores[di] - penalty_sum[di]).max(0.0);
        }

        // Communication counts in proportion to what the answer says about the question: a
        // well-formed answer that earns nothing elsewhere (off-topic, negated, padding) is not
        // good communication.
        let substance = (scores[0] + scores[1] + scores[2]) / 3.0;
        let relevance = (substance / spec.relevance_floor.max(0.01)).min(1.0);
        scores[dim_index(Dimension::Communication)] *= relevance;

        // Guards.
        let words = self.answer_words(&units);
        let min_words = self.min_words();
        if blank {
            flags.push(Flag {
                id: "blank".to_string(),
                message: "nothing was written; every dimension scores zero".to_string(),
                excerpt: None,
            });
            scores = [0.0; 4];
        } else {
            if words < min_words {
                flags.push(Flag {
                    id: "too-short".to_string(),
                    message: format!(
                        "{words} words of new content; at least {min_words} are needed to show \
                         the behaviours, so no dimension goes above Emerging"
                    ),
                    excerpt: None,
                });
                for s in &mut scores {
                    *s = s.min(spec.guard_cap);
                }
            }
            if self.off_topic(&units) {
                flags.push(Flag {
                    id: "off-topic".to_string(),
                    message: "the answer shares almost no words with the question; it is scored \
                              as off-topic and communication does not count"
                        .to_string(),
                    excerpt: units.iter().find(|u| !u.inert).map(|u| {
                        u.unit
                            .excerpt(u.text, 0, u.unit.len().saturating_sub(1), 80)
                    }),
                });
                for s in &mut scores {
                    *s *= spec.off_topic_factor;
                }
                scores[dim_index(Dimension::Communication)] = 0.0;
            }
            let list_words: usize = units
                .iter()
                .filter(|u| !u.inert && u.shape == Shape::List)
                .map(|u| u.unit.len())
                .sum();
            let all_words: usize = units
                .iter()
                .filter(|u| !u.inert)
                .map(|u| u.unit.len())
                .sum();
            // Terse answers mix noun lists into real sentences; only an answer that is mostly
            // lists (or has a unit stuffed with criteria) is treated as keyword stuffing.
            if stuffing_excerpt.is_some() || (all_words >= 6 && list_words * 5 >= all_words * 3) {
                flags.push(Flag {
                    id: "keyword-stuffing".to_string(),
                    message: "bare keyword lists earn only a fraction of the credit of sentences \
                              that say what you would do and why; no dimension goes above Emerging"
                        .to_string(),
                    excerpt: stuffing_excerpt.or_else(|| {
                        units.iter().find(|u| u.shape == Shape::List).map(|u| {
                            u.unit
                                .excerpt(u.text, 0, u.unit.len().saturating_sub(1), 80)
                        })
                    }),
                });
                for s in &mut scores {
                    *s = s.min(spec.guard_cap);
                }
            }
            if let Some(flag) = self.substance_flags(&units) {
                for s in &mut scores {
                    *s = s.min(spec.guard_cap);
                }
                flags.extend(flag);
            }
            if let Some(repeat) = units.iter().find(|u| u.repeated && u.unit.len() >= 3) {
                flags.push(Flag {
                    id: "repeated-sentence".to_string(),
                    message: "repeated sentences earn nothing the second time".to_string(),
                    excerpt: Some(repeat.unit.excerpt(
                        repeat.text,
                        0,
                        repeat.unit.len().saturating_sub(1),
                        80,
                    )),
                });
            }
            if self.pasted(&units) {
                flags.push(Flag {
                    id: "pasted-model-answer".to_string(),
                    message: "most of the answer repeats the model answer word for word; it is \
                              capped at Emerging"
                        .to_string(),
                    excerpt: None,
                });
                for s in &mut scores {
                    *s = s.min(spec.guard_cap);
                }
            }
        }

        // Scores are rounded here, once, to what the JSON shows: levels are decided on the
        // printed value, and an evaluation read back from storage renders exactly as it did live.
        for s in &mut scores {
            *s = round3(*s);
        }
        for d in Dimension::ALL {
            let di = dim_index(d);
            let result = dims.get_mut(d);
            for hit in &mut result.hits {
                hit.credit = round3(hit.credit);
            }
            for penalty in &mut result.penalties {
                penalty.points = round3(penalty.points);
            }
            result.score = scores[di];
            result.level = levels.level(scores[di]);
            result.label = Label::from_level(result.level);
        }
        let overall_score = round3((0..4).map(|i| scores[i] * self.weights[i]).sum());
        let overall_level = levels.level(overall_score);

        // Next: the most valuable misses, weighted by how much the dimension counts for this kind
        // and how weak it is; one per dimension first, then the best of the rest.
        let mut ranked: Vec<(f64, usize, usize, NextStep)> = next_candidates
            .into_iter()
            .map(|(w, di, order, step)| {
                let share = if total_w[di] > 0.0 {
                    w / total_w[di]
                } else {
                    0.0
                };
                let weakness = 1.0 - scores[di] * 0.5;
                (share * self.weights[di] * weakness, di, order, step)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut next = Vec::new();
        let mut used_dims = BTreeSet::new();
        for (_, di, _, step) in &ranked {
            if next.len() < 3 && used_dims.insert(*di) {
                next.push(step.clone());
            }
        }
        for (_, _, _, step) in &ranked {
            if next.len() < 3
                && !next
                    .iter()
                    .any(|n: &NextStep| n.criterion == step.criterion)
            {
                next.push(step.clone());
            }
        }

        Evaluation {
            format_version: RESULT_FORMAT_VERSION,
            question: self.question_id.clone(),
            pack: self.rubric.pack_id().to_string(),
            kind: self.kind,
            overall: Overall {
                score: overall_score,
                level: overall_level,
                label: Label::from_level(overall_level),
            },
            dimensions: dims,
            flags,
            next,
        }
    }

    /// Splits, analyses and grades every piece.
    fn units<'a>(&self, pieces: &[Piece<'a>]) -> Vec<Scored<'a>> {
        let spec = &self.rubric.file().scoring;
        let mut seen: HashSet<String> = HashSet::new();
        let mut seen_bags: HashSet<Vec<String>> = HashSet::new();
        let mut out = Vec::new();
        let mut options = 0;
        for (p, piece) in pieces.iter().enumerate() {
            for unit in text::analyse(piece.text) {
                if unit.is_empty() {
                    continue;
                }
                let shape = shape(&unit);
                let mut credit = match shape {
                    Shape::Sentence => 1.0,
                    Shape::Terse => spec.terse_credit,
                    Shape::Fragment => spec.fragment_credit,
                    Shape::List => spec.list_credit,
                };
                // A unit made only of words the question supplies restates it.
                let content: Vec<&str> =
                    unit.words().into_iter().filter(|w| is_content(w)).collect();
                if content.len() >= 2 && content.iter().all(|w| self.question_words.contains(*w)) {
                    credit *= spec.question_words_credit;
                }
                let mut bag: Vec<String> = content.iter().map(|w| w.to_string()).collect();
                bag.sort_unstable();
                bag.dedup();
                let fresh = seen.insert(unit.norm.clone());
                let fresh_bag = bag.len() < 4 || seen_bags.insert(bag);
                let anchors = grounding::anchors(&unit, &self.topic_words);
                let tone = tone::read(&unit, piece.text);
                if heading(unit.source(piece.text)) {
                    credit = 0.0;
                }
                if tone.buzzwords > 0 {
                    credit *= BUZZWORD_CREDIT;
                }
                let mute = tone.mocking || tone.dismissive;
                let repeated = !(fresh && fresh_bag);
                let marks = structure::marks(&unit, piece.text);
                let earlier_options = options;
                if marks.option && !repeated && !mute {
                    options += 1;
                }
                out.push(Scored {
                    piece: p,
                    unit,
                    text: piece.text,
                    shape,
                    credit,
                    repeated,
                    inert: repeated || mute,
                    anchors,
                    tone,
                    mute,
                    marks,
                    earlier_options,
                });
            }
        }
        // "This part is my fault" after a sentence about the leaked tokens is about the tokens:
        // a unit that only refers back borrows grounding from the grounded sentence before it in
        // the same part. Only a unit's own anchors lend, so a recital cannot chain its way in.
        let lends: Vec<bool> = out
            .iter()
            .map(|u| u.anchors.grounded() && !u.inert)
            .collect();
        for i in 1..out.len() {
            let borrows = out[i].piece == out[i - 1].piece
                && lends[i - 1]
                && !out[i].anchors.grounded()
                && grounding::refers_back(&out[i].unit);
            if borrows {
                let a = &mut out[i].anchors;
                a.concrete = a.concrete.max(grounding::BORROWED);
            }
        }
        // A unit's anchors are read against the whole answer: a short general sentence in an
        // answer dense with the scenario is still about it; in a recital it is about nothing.
        let density = density(&out);
        for u in &mut out {
            u.credit *= u.anchors.factor(density);
        }
        out
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
                continue;
            }
            let Some((first, last)) =
                found.or_else(|| shaped.then(|| (0, su.unit.len().saturating_sub(1))))
            else {
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

    /// Credit, excerpt and step of a computed signal.
    fn signal(
        &self,
        signal: Signal,
        answer: &Answer,
        pieces: &[Piece<'_>],
        units: &[Scored<'_>],
    ) -> (f64, String, Option<String>) {
        let live = || {
            units
                .iter()
                .filter(|u| !u.inert && !pieces[u.piece].context_only)
        };
        let quote = |u: &Scored<'_>| {
            u.unit
                .excerpt(u.text, 0, u.unit.len().saturating_sub(1), 100)
        };
        match signal {
            Signal::EveryStep => {
                // Words of live units only: repeats and bare denials do not answer anything.
                let words_where = |keep: &dyn Fn(&Piece<'_>) -> bool| -> usize {
                    units
                        .iter()
                        .filter(|u| !u.inert && keep(&pieces[u.piece]))
                        .map(|u| u.unit.len())
                        .sum()
                };
                let by_step = answer.parts.iter().any(|p| p.step.is_some());
                let mut expected = self.steps.len();
                let mut answered = 0;
                if by_step {
                    for step in &self.steps {
                        let words = words_where(&|p: &Piece<'_>| {
                            !p.context_only && p.step.as_deref() == Some(step.id.as_str())
                        });
                        let need = (step.min_words.unwrap_or(0) as f64 * 0.3).max(5.0);
                        if words as f64 >= need {
                            answered += 1;
                        }
                    }
                } else {
                    let words = words_where(&|p: &Piece<'_>| {
                        !p.context_only && p.step.as_deref() != Some(FOLLOW_UP)
                    });
                    let need: f64 = self
                        .steps
                        .iter()
                        .map(|s| s.min_words.unwrap_or(20).max(10) as f64)
                        .sum::<f64>()
                        * 0.8;
                    answered = ((words as f64 / need.max(1.0)) * expected as f64).floor() as usize;
                    answered = answered.min(expected);
                }
                if answer.follow_up.is_some() {
                    expected += 1;
                    if words_where(&|p: &Piece<'_>| p.step.as_deref() == Some(FOLLOW_UP)) >= 5 {
                        answered += 1;
                    }
                }
                let credit = if expected == 0 {
                    0.0
                } else {
                    answered as f64 / expected as f64
                };
                let what = if by_step {
                    format!("{answered} of {expected} prompts answered")
                } else {
                    format!("covers about {answered} of {expected} prompts' worth of ground")
                };
                (credit, what, None)
            }
            Signal::Signposting => {
                let by_step = answer.parts.iter().filter(|p| p.step.is_some()).count() >= 3;
                let signposted: Vec<&Scored<'_>> = live().filter(|u| u.unit.signposted()).collect();
                let bullets = live().filter(|u| u.unit.bullet).count();
                let count = signposted.len() + if bullets >= 2 { bullets } else { 0 };
                let credit = if by_step {
                    (0.5 + count.min(2) as f64 * 0.25).min(1.0)
                } else {
                    (count as f64 / 3.0).min(1.0)
                };
                let first = signposted
                    .first()
                    .copied()
                    .or_else(|| live().find(|u| u.unit.bullet));
                match first {
                    Some(u) => (credit, quote(u), pieces[u.piece].step.clone()),
                    None if by_step => (credit, "answered prompt by prompt".to_string(), None),
                    None => (0.0, String::new(), None),
                }
            }
            Signal::ReadableSentences => {
                let all: Vec<&Scored<'_>> = live().collect();
                let total: usize = all.iter().map(|u| u.unit.len()).sum();
                let sentences: Vec<&&Scored<'_>> = all
                    .iter()
                    .filter(|u| matches!(u.shape, Shape::Sentence | Shape::Terse))
                    .collect();
                if sentences.len() < 2 || total == 0 {
                    return (0.0, String::new(), None);
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
                let u = sentences[0];
                (credit, quote(u), pieces[u.piece].step.clone())
            }
            Signal::Numbers => {
                let with: Vec<&Scored<'_>> = live().filter(|u| u.unit.quantities() > 0).collect();
                let count: usize = with.iter().map(|u| u.unit.quantities()).sum();
                match with.first() {
                    Some(u) => (
                        (count as f64 / 2.0).min(1.0),
                        quote(u),
                        pieces[u.piece].step.clone(),
                    ),
                    None => (0.0, String::new(), None),
                }
            }
            Signal::Questions => {
                let asked: Vec<&Scored<'_>> = units
                    .iter()
                    .filter(|u| !u.inert && u.unit.question && u.unit.len() >= 3)
                    .collect();
                match asked.first() {
                    Some(u) => (
                        (asked.len() as f64 / 3.0).min(1.0),
                        quote(u),
                        pieces[u.piece].step.clone(),
                    ),
                    None => (0.0, String::new(), None),
                }
            }
        }
    }

    /// The phrases of `text` (as written) that earn criteria, one per criterion and unit, with the
    /// index of the unit they come from; used to build adversarial probes.
    pub(crate) fn earning_phrases(&self, text: &str) -> Vec<(usize, String)> {
        let units = text::analyse(text);
        let mut out = Vec::new();
        for criterion in self.all_criteria() {
            for (i, unit) in units.iter().enumerate() {
                if let Some((first, last)) = criterion.pattern.find_affirmed(unit)
                    && let (Some(a), Some(b)) = (unit.tokens.get(first), unit.tokens.get(last))
                    && let Some(phrase) = text.get(a.src_start..b.src_end)
                {
                    out.push((i, text::collapse_ws(phrase)));
                    break;
                }
            }
        }
        out
    }

    /// The patterns of the question's own criteria, then of the default criteria that apply.
    pub(crate) fn criterion_patterns(&self) -> Vec<&str> {
        let own = self.own.iter().flat_map(|c| c.spec.patterns.iter());
        let rest = self
            .criteria
            .iter()
            .filter(|c| !self.disabled.contains(&c.spec.id))
            .flat_map(|c| c.spec.patterns.iter().take(1));
        own.chain(rest).map(String::as_str).collect()
    }

    /// Flags for answers that say the rubric's words without substance: mostly ungrounded
    /// (recital, a generic answer that fits any question), mocking, or buzzword salad. Each caps
    /// every dimension at Emerging.
    fn substance_flags(&self, units: &[Scored<'_>]) -> Option<Vec<Flag>> {
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
        let quote = |u: &Scored<'_>| {
            u.unit
                .excerpt(u.text, 0, u.unit.len().saturating_sub(1), 80)
        };
        let density = anchors * 100.0 / counted_words.max(1) as f64;
        if density < SPARSE_ANCHORS || (share < GROUNDED_SHARE && density < THIN_ANCHORS) {
            out.push(Flag {
                id: "generic".to_string(),
                message: format!(
                    "the answer names little from this situation (its components, numbers, \
                     people or facts): {density:.1} such words per hundred; virtues said about \
                     nothing in particular are capped at Emerging"
                ),
                excerpt: live
                    .iter()
                    .find(|u| !u.anchors.grounded())
                    .map(|u| quote(u)),
            });
        }
        if mocking >= 2 || (mocking == 1 && irony >= 2) {
            out.push(Flag {
                id: "mocking".to_string(),
                message: "the rubric's words are used to mock them (scare quotes, sneers); \
                          mocked behaviours earn nothing and the answer is capped at Emerging"
                    .to_string(),
                excerpt: live.iter().find(|u| u.tone.mocking).map(|u| quote(u)),
            });
        }
        if buzz >= 3 {
            out.push(Flag {
                id: "buzzwords".to_string(),
                message: format!(
                    "{buzz} buzzwords (\"infinitely scalable\", \"future-proof\", ...) stand \
                     in for reasons and costs; the answer is capped at Emerging"
                ),
                excerpt: live.iter().find(|u| u.tone.buzzwords > 0).map(|u| quote(u)),
            });
        }
        (!out.is_empty()).then_some(out)
    }

    /// Words of new content: non-repeated units, investigation questions excluded.
    fn answer_words(&self, units: &[Scored<'_>]) -> usize {
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

    /// Words below which an answer is too short for this question.
    fn min_words(&self) -> usize {
        let spec = &self.rubric.file().scoring;
        let summed: u32 = self.steps.iter().map(|s| s.min_words.unwrap_or(0)).sum();
        spec.min_words_floor
            .max((summed as f64 * spec.min_words_share).round() as usize)
    }

    /// True when the answer barely touches the question's vocabulary.
    fn off_topic(&self, units: &[Scored<'_>]) -> bool {
        let mut answer_stems = HashSet::new();
        for u in units.iter().filter(|u| !u.inert) {
            for w in u.unit.words() {
                if is_content(w) && !lexicon::is_common_word(w) {
                    answer_stems.insert(stem(w));
                }
            }
        }
        if answer_stems.len() < 6 {
            return false;
        }
        let shared = answer_stems
            .iter()
            .filter(|s| self.topic_words.contains(*s))
            .count();
        let share = shared as f64 / answer_stems.len() as f64;
        // A rich answer that touches little of what the scenario is about answers another
        // question, however well.
        let covered = self
            .scenario_stems
            .iter()
            .filter(|t| answer_stems.contains(*t))
            .count();
        let coverage = covered as f64 / self.scenario_stems.len().max(1) as f64;
        if self.scenario_stems.len() >= 10
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

    /// True when most of the answer is the model answer, word for word.
    fn pasted(&self, units: &[Scored<'_>]) -> bool {
        if self.model_grams.is_empty() {
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
        let shared = answer
            .iter()
            .filter(|g| self.model_grams.contains(*g))
            .count();
        shared * 2 >= answer.len()
    }
}

fn dim_index(d: Dimension) -> usize {
    match d {
        Dimension::Context => 0,
        Dimension::TradeOffs => 1,
        Dimension::Ownership => 2,
        Dimension::Communication => 3,
    }
}

/// True when a unit's anchors speak for the answer: not repeated, not mocking, and free of
/// negation, so that appending a repeated or negated sentence can never make an answer look more
/// grounded than it is.
fn counts_for_density(u: &Scored<'_>) -> bool {
    !u.repeated
        && !u.mute
        && !u
            .unit
            .words()
            .iter()
            .any(|w| crate::text::negation::is_cue_word(w))
}

/// Anchors per hundred words over the units that count for it.
fn density(units: &[Scored<'_>]) -> f64 {
    let (words, anchors) = units
        .iter()
        .filter(|u| counts_for_density(u))
        .fold((0usize, 0.0f64), |(w, a), u| {
            (w + u.unit.len(), a + u.anchors.total())
        });
    anchors * 100.0 / words.max(1) as f64
}

/// True for a Markdown heading line: a label for what follows, not a claim that earns credit.
fn heading(source: &str) -> bool {
    let t = source.trim_start();
    t.starts_with('#') && t.trim_start_matches('#').starts_with(' ')
}

/// The answer's pieces in order: parts, follow-up, investigation questions.
fn pieces(answer: &Answer) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece<'_>> = answer
        .parts
        .iter()
        .map(|p| Piece {
            step: p.step.clone(),
            text: &p.text,
            context_only: false,
        })
        .collect();
    for q in &answer.investigation {
        out.push(Piece {
            step: Some(INVESTIGATION.to_string()),
            text: q,
            context_only: true,
        });
    }
    if let Some(f) = &answer.follow_up {
        out.push(Piece {
            step: Some(FOLLOW_UP.to_string()),
            text: f,
            context_only: false,
        });
    }
    out
}

fn add_content_words<'a>(
    pieces: impl IntoIterator<Item = &'a Vec<String>>,
    out: &mut HashSet<String>,
) {
    for w in pieces.into_iter().flatten() {
        if is_content(w) && !out.contains(w) {
            out.insert(w.clone());
        }
    }
}

/// Hashes of the word 5-grams of `tokens`.
fn grams(tokens: &[String]) -> HashSet<u64> {
    use std::hash::{Hash, Hasher};
    tokens
        .windows(5)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a cold rubric, `score` builds patterns on two threads at once; every question's model
    /// answer must score exactly as it does once the rubric is warm.
    #[test]
    fn a_cold_score_on_two_threads_equals_a_warm_one() {
        let pack = crate::pack::builtin::pack().unwrap();
        let rubric = CompiledRubric::builtin_uncached().unwrap();
        let answers: Vec<(&Question, Answer)> = pack
            .questions
            .iter()
            .filter_map(|q| {
                let model = q.model_answer.as_ref()?;
                let text = model.text.iter().chain(model.steps.values());
                Some((
                    q,
                    Answer::whole(text.cloned().collect::<Vec<_>>().join("\n")),
                ))
            })
            .collect();
        assert!(answers.len() > 20, "{} model answers", answers.len());
        let cold: Vec<String> = answers
            .iter()
            .map(|(q, a)| score(&rubric, q, a).to_json())
            .collect();
        assert!(
            rubric
                .compiled_criteria()
                .iter()
                .all(|c| c.pattern.is_built()),
            "every kind was scored, so every criterion was built"
        );
        for ((q, a), cold) in answers.iter().zip(cold) {
            assert_eq!(score(&rubric, q, a).to_json(), cold, "{}", q.id);
        }
    }

    #[test]
    fn shape_table() {
        let cases = [
            ("We would roll back the deploy first.", Shape::Sentence),
            ("Check recent deploys", Shape::Terse),
            ("check deploys, config, flags", Shape::Terse),
            ("deploys, p99, rollback, postmortem", Shape::List),
            (
                "rollback postmortem stakeholders alerting runbook dashboards",
                Shape::List,
            ),
            ("Rollback.", Shape::Fragment),
            ("the pool", Shape::Fragment),
            (
                "Deploys, config, flags and traffic are what I check",
                Shape::Sentence,
            ),
            (
                "goal was, assumed, gives you, cost, on call the, for a few, alert on anything, \
                 I underestimated, at the time, did not know, instead of, for our product",
                Shape::List,
            ),
        ];
        for (input, want) in cases {
            let unit = &text::analyse(input)[0];
            assert_eq!(shape(unit), want, "{input}");
        }
    }
}
