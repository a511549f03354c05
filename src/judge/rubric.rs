//! The rubric engine as a [`Judge`]: a pack's compiled rubric, the questions prepared as
//! [`Scorer`]s, the fingerprint of the rubric that scores each question, and what its criteria
//! reward, for the probes.

use super::{Judge, Prepared};
use crate::answer::Answer;
use crate::history::record::rubric_fingerprint;
use crate::model::pack::Question;
use crate::rubric::pattern::sample_phrase;
use crate::rubric::{self, CompiledRubric, Evaluation, Scorer};

/// The rubric engine with one compiled rubric (a pack's, or the default).
#[derive(Clone, Copy)]
pub struct RubricJudge<'r> {
    rubric: &'r CompiledRubric,
}

impl<'r> RubricJudge<'r> {
    /// The judge that scores with `rubric`.
    pub fn new(rubric: &'r CompiledRubric) -> Self {
        RubricJudge { rubric }
    }
}

impl<'r> Judge<'r> for RubricJudge<'r> {
    fn prepare(&self, question: &Question) -> Box<dyn Prepared + 'r> {
        match Scorer::new(self.rubric, question) {
            Ok(scorer) => Box::new(Ready(scorer)),
            // The question's own rubric does not compile: every answer is scored as a single one
            // is, with the pack rubric alone and a flag saying why.
            Err(_) => Box::new(Plain {
                rubric: self.rubric,
                question: question.clone(),
            }),
        }
    }

    /// Scores through [`rubric::score`], which builds a cold rubric's patterns on a second
    /// thread while it analyses the answer: what a single answer gains most from.
    fn evaluate(&self, question: &Question, answer: &Answer) -> Evaluation {
        rubric::score(self.rubric, question, answer)
    }

    fn fingerprint(&self, question: &Question) -> anyhow::Result<String> {
        Ok(rubric_fingerprint(self.rubric.file(), question)?)
    }

    /// The phrases that match a criterion the question is scored with (a question whose own
    /// rubric does not compile is scored, so read, with the plain rubric).
    fn earning_phrases(&self, question: &Question, text: &str) -> Vec<(usize, String)> {
        let (scorer, _) = Scorer::new_or_plain(self.rubric, question);
        scorer.earning_phrases(text)
    }

    /// A phrase read off each pattern of the question's own criteria and off the first pattern
    /// of each default criterion it is scored with.
    fn keywords(&self, question: &Question) -> Vec<String> {
        let (scorer, _) = Scorer::new_or_plain(self.rubric, question);
        scorer
            .criterion_patterns()
            .into_iter()
            .map(|pattern| sample_phrase(pattern, self.rubric.groups().raw(), 0))
            .filter(|phrase| !phrase.is_empty())
            .collect()
    }
}

/// A question whose rubric compiled.
struct Ready<'r>(Scorer<'r>);

impl Prepared for Ready<'_> {
    fn evaluate(&self, answer: &Answer) -> Evaluation {
        self.0.score(&answer.analysed())
    }
}

/// A question whose own rubric refinement does not compile.
struct Plain<'r> {
    rubric: &'r CompiledRubric,
    question: Question,
}

impl Prepared for Plain<'_> {
    fn evaluate(&self, answer: &Answer) -> Evaluation {
        rubric::score(self.rubric, &self.question, answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Bank;

    /// A prepared question grades exactly as a single evaluation does, for a question whose own
    /// rubric compiles and for one whose does not (scored with the plain rubric and flagged).
    #[test]
    fn prepared_and_single_evaluations_agree() {
        let bank = Bank::load(&[], false).expect("the built-in bank loads");
        let entry = bank.entries().next().expect("a built-in question");
        let judge = RubricJudge::new(entry.pack.rubric().expect("the built-in rubric"));
        let answer = Answer::whole(
            "I would first ask which customers are affected and since when, then roll back the \
             last deploy behind a flag, and tell support what we know.",
        );
        let mut broken = entry.question.clone();
        let mut own = broken.rubric.clone().unwrap_or_default();
        own.disable.push("no-such-criterion".into());
        broken.rubric = Some(own);
        for question in [entry.question, &broken] {
            let once = judge.evaluate(question, &answer);
            let prepared = judge.prepare(question).evaluate(&answer);
            assert_eq!(once.to_json(), prepared.to_json(), "{}", question.id);
        }
        let flagged = judge.prepare(&broken).evaluate(&answer);
        assert!(flagged.flags.iter().any(|f| f.id == "rubric-error"));
    }

    /// The fingerprint is the one the history has always stored for the rubric engine.
    #[test]
    fn the_fingerprint_is_the_stored_rubric_fingerprint() {
        let bank = Bank::load(&[], false).expect("the built-in bank loads");
        let entry = bank.entries().next().expect("a built-in question");
        let rubric = entry.pack.rubric().expect("the built-in rubric");
        let judge = RubricJudge::new(rubric);
        assert_eq!(
            judge.fingerprint(entry.question).unwrap(),
            rubric_fingerprint(rubric.file(), entry.question).unwrap()
        );
    }
}
