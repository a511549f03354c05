//! Stage 0, the question: a rubric prepared for one question (its criteria, with the question's
//! own added and the disabled ones left out, its weights and steps) and the question's vocabulary
//! (the words it supplies, its topic, its scenario and the model answer's word sequences), read
//! once however many answers are scored against it.

use std::collections::{BTreeSet, HashSet};

use crate::model::pack::{Question, Step};
use crate::text::{self, vocabulary};

use super::super::grounding::{self, is_content, stem};
use super::super::{CompiledRubric, RubricError, applies, compile_criteria};
use super::Scorer;

/// Content words that make up a question's closing ask.
const ASK_WORDS: usize = 8;

/// Words by which a prompt's stakeholder pushes a course of action: "The VP wants the CDN
/// switched off tonight", "A product director proposes moving all sync to ...".
const PUSH_CUES: &[&str] = &[
    "want",
    "wants",
    "propose",
    "proposes",
    "proposed",
    "suggest",
    "suggests",
    "insist",
    "insists",
    "argue",
    "argues",
    "pushing",
    "pushes",
    "recommend",
    "recommends",
    "demand",
    "demands",
];

/// What a question says, as sets of words the stages compare an answer with.
pub(super) struct Vocabulary {
    /// Content words of the title, prompt, steps' asks and follow-ups' asks: a unit made only of
    /// them restates the question.
    pub question_words: HashSet<String>,
    /// Stems of everything specific to the question (hints, facts, model answers, tags too).
    pub topic_words: HashSet<String>,
    /// Stems of the specific words of the title and prompt: what the scenario itself is about.
    pub scenario_stems: HashSet<String>,
    /// The model answers' word 5-grams.
    pub model_grams: HashSet<u64>,
    /// Stems of the content words of the title, and of the prompt's closing sentences (the ask
    /// and, before it, the stakeholder's push): what the question asks, as against the scenario
    /// it sets.
    pub title_stems: HashSet<String>,
    pub ask_stems: HashSet<String>,
    /// Stems of the content words of the whole prompt.
    pub prompt_stems: HashSet<String>,
    /// The prompt ends with a question, so its closing sentences are the ask (a pack question
    /// may set the scene and leave the asking to its steps).
    pub ends_asking: bool,
    /// Stems of the content words of the prompt's sentences where someone pushes a course of
    /// action (the cue and the pusher's role left out): the proposal an answer takes a view on.
    pub push_stems: HashSet<String>,
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
                super::super::check_weights(w)?;
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
    pub(super) fn empty(rubric: &'r CompiledRubric, question: &Question) -> Scorer<'r> {
        let kind = question.kind;
        let steps = question.effective_steps();
        Scorer {
            rubric,
            question_id: question.id.clone(),
            title: question.title.clone(),
            kind,
            criteria: rubric
                .compiled_criteria()
                .iter()
                .filter(|c| applies(&c.spec.kinds, kind))
                .collect(),
            own: Vec::new(),
            disabled: BTreeSet::new(),
            weights: rubric.weights(kind, None),
            vocabulary: Vocabulary::of(question, &steps),
            steps,
        }
    }
}

impl Vocabulary {
    /// The vocabulary of `question`, whose steps (its own or its kind's defaults) are `steps`.
    fn of(question: &Question, steps: &[Step]) -> Vocabulary {
        // Each piece of the question is normalised once, though several sets use it.
        let norm = |text: &str| text::normalize_phrase(text);
        let (title, prompt) = (norm(&question.title), norm(&question.prompt));
        let title_prompt = [title.as_slice(), prompt.as_slice()].concat();
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
        let content_stems = |words: &[String]| -> HashSet<String> {
            words
                .iter()
                .filter(|w| is_content(w))
                .map(|w| stem(w))
                .collect()
        };
        // The ask: the prompt's closing sentences, back to the first that makes it at least
        // ASK_WORDS content words ("What would you do?" alone says nothing; "They want it live
        // next sprint" before it says what is asked about).
        // Only the sentence boundaries are needed, not a full analysis of each sentence.
        let sentences: Vec<Vec<String>> = text::split_units(&question.prompt)
            .iter()
            .map(|span| norm(question.prompt.get(span.start..span.end).unwrap_or("")))
            .collect();
        let mut ask_stems = HashSet::new();
        for sentence in sentences.iter().rev() {
            ask_stems.extend(content_stems(sentence));
            if ask_stems.len() >= ASK_WORDS {
                break;
            }
        }
        let push_stems = sentences
            .iter()
            .filter(|s| s.iter().any(|w| PUSH_CUES.contains(&w.as_str())))
            .flat_map(|s| {
                s.iter()
                    .filter(|w| {
                        is_content(w) && !PUSH_CUES.contains(&w.as_str()) && !vocabulary::is_role(w)
                    })
                    .map(|w| stem(w))
            })
            .collect();
        Vocabulary {
            title_stems: content_stems(&title),
            prompt_stems: content_stems(&prompt),
            ends_asking: question.prompt.trim_end().ends_with('?'),
            ask_stems,
            push_stems,
            question_words,
            topic_words: topic_words.iter().map(|w| stem(w)).collect(),
            scenario_stems: title_prompt
                .iter()
                .filter(|w| grounding::is_specific(w))
                .map(|w| stem(w))
                .collect(),
            model_grams: grams(&model),
        }
    }
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
pub(super) fn grams(tokens: &[String]) -> HashSet<u64> {
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
