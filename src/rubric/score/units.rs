//! Stage 1, units: the answer cut into pieces (its parts, the investigation questions, the
//! follow-up answer) and each piece into analysed units, every unit with what decides its credit:
//! its shape, its anchors in the scenario, its tone, whether it repeats an earlier unit, and the
//! option and decision lines of terse answers.

use std::collections::HashSet;

use crate::answer::Answer;
use crate::text::{self, Unit, lexicon};

use super::super::grounding::{self, Anchors, is_content};
use super::super::structure::{self, Marks};
use super::super::tone::{self, Tone};
use super::Scorer;

/// Share of its credit a unit keeps when it carries buzzwords ("infinitely scalable").
const BUZZWORD_CREDIT: f64 = 0.5;

/// Step label of investigation questions and of the follow-up answer.
const INVESTIGATION: &str = "investigation";
pub(super) const FOLLOW_UP: &str = "follow-up";

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
pub(super) struct Piece<'a> {
    pub step: Option<String>,
    pub text: &'a str,
    /// Investigation questions only earn context-building.
    pub context_only: bool,
}

/// An analysed unit with its place in the answer.
pub(super) struct Scored<'a> {
    pub piece: usize,
    pub unit: Unit,
    pub text: &'a str,
    pub shape: Shape,
    pub credit: f64,
    pub repeated: bool,
    /// Repeated, or a denial that earns nothing ("I would not roll back"): such units count for
    /// nothing anywhere, so appending them can never raise a score.
    pub inert: bool,
    /// What ties the unit to this question; scales its credit.
    pub anchors: Anchors,
    /// Mockery, dismissal and buzzwords.
    pub tone: Tone,
    /// Mocks or dismisses what it names: earns no criterion at all.
    pub mute: bool,
    /// The interviewer's line in a dialogue answer.
    pub interviewer: bool,
    /// A Markdown heading: a label for what follows, earning nothing itself.
    pub heading: bool,
    /// Option and decision lines.
    pub marks: Marks,
    /// Option lines before this unit.
    pub earlier_options: usize,
}

impl Scored<'_> {
    /// The whole unit quoted, within `max` characters.
    pub fn quote(&self, max: usize) -> String {
        self.unit
            .excerpt(self.text, 0, self.unit.len().saturating_sub(1), max)
    }
}

/// The answer's pieces in order: parts, follow-up, investigation questions.
pub(super) fn pieces(answer: &Answer) -> Vec<Piece<'_>> {
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

impl Scorer<'_> {
    /// Splits, analyses and grades every piece.
    pub(super) fn units<'a>(&self, pieces: &[Piece<'a>]) -> Vec<Scored<'a>> {
        let mut seen = Seen::default();
        let mut out = Vec::new();
        let mut options = 0;
        let analysed: Vec<(usize, Unit)> = pieces
            .iter()
            .enumerate()
            .flat_map(|(p, piece)| text::analyse(piece.text).into_iter().map(move |u| (p, u)))
            .filter(|(_, u)| !u.is_empty())
            .collect();
        let own = grounding::own_terms(&analysed.iter().map(|(_, u)| u).collect::<Vec<_>>());
        for (p, unit) in analysed {
            let piece = &pieces[p];
            {
                let scored = self.unit(p, piece.text, unit, options, &own, &mut seen);
                if scored.marks.option && !scored.repeated && !scored.mute {
                    options += 1;
                }
                out.push(scored);
            }
        }
        borrow_grounding(&mut out);
        // A unit's anchors are read against the whole answer: a short general sentence in an
        // answer dense with the scenario is still about it; in a recital it is about nothing.
        let density = density(&out);
        for u in &mut out {
            u.credit *= u.anchors.factor(density);
        }
        out
    }

    /// One unit of piece `piece` graded: `options` option lines came before it.
    fn unit<'a>(
        &self,
        piece: usize,
        text: &'a str,
        unit: Unit,
        options: usize,
        own: &HashSet<String>,
        seen: &mut Seen,
    ) -> Scored<'a> {
        let spec = &self.rubric.file().scoring;
        let shape = shape(&unit);
        let mut credit = match shape {
            Shape::Sentence => 1.0,
            Shape::Terse => spec.terse_credit,
            Shape::Fragment => spec.fragment_credit,
            Shape::List => spec.list_credit,
        };
        // A unit made only of words the question supplies restates it.
        let content: Vec<&str> = unit.words().into_iter().filter(|w| is_content(w)).collect();
        if content.len() >= 2
            && content
                .iter()
                .all(|w| self.vocabulary.question_words.contains(*w))
        {
            credit *= spec.question_words_credit;
        }
        let repeated = seen.repeats(&unit, &content);
        let anchors = grounding::anchors(&unit, &self.vocabulary.topic_words, own);
        let tone = tone::read(&unit, text, &self.vocabulary.question_words);
        // The interviewer's lines in a dialogue count for nothing anywhere, like a repeat.
        let interviewer = interviewer_line(unit.source(text));
        let heading = heading(unit.source(text));
        if heading || interviewer {
            credit = 0.0;
        }
        if tone.buzzwords > 0 {
            credit *= BUZZWORD_CREDIT;
        }
        let mute = tone.mocking || tone.dismissive;
        let marks = structure::marks(&unit, text);
        Scored {
            piece,
            unit,
            text,
            shape,
            credit,
            repeated,
            inert: repeated || mute || interviewer,
            anchors,
            tone,
            mute,
            interviewer,
            heading,
            marks,
            earlier_options: options,
        }
    }
}

/// The units said so far: their normalised text, and the bags of their content words.
#[derive(Default)]
struct Seen {
    norms: HashSet<String>,
    bags: HashSet<Vec<String>>,
}

impl Seen {
    /// True when `unit` says again what an earlier unit said, word for word or (for four content
    /// words or more) in another order.
    fn repeats(&mut self, unit: &Unit, content: &[&str]) -> bool {
        let mut bag: Vec<String> = content.iter().map(|w| w.to_string()).collect();
        bag.sort_unstable();
        bag.dedup();
        let fresh = self.norms.insert(unit.norm.clone());
        let fresh_bag = bag.len() < 4 || self.bags.insert(bag);
        !(fresh && fresh_bag)
    }
}

/// "This part is my fault" after a sentence about the leaked tokens is about the tokens: a unit
/// that only refers back borrows grounding from the grounded sentence before it in the same part.
/// Only a unit's own anchors lend, so a recital cannot chain its way in.
fn borrow_grounding(units: &mut [Scored<'_>]) {
    let lends: Vec<bool> = units
        .iter()
        .map(|u| u.anchors.grounded() && !u.inert)
        .collect();
    for i in 1..units.len() {
        let borrows = units[i].piece == units[i - 1].piece
            && lends[i - 1]
            && !units[i].anchors.grounded()
            && grounding::refers_back(&units[i].unit);
        if borrows {
            let a = &mut units[i].anchors;
            a.concrete = a.concrete.max(grounding::BORROWED);
        }
    }
}

/// True when a unit's anchors speak for the answer: not repeated, not mocking, and free of
/// negation, so that appending a repeated or negated sentence can never make an answer look more
/// grounded than it is.
pub(super) fn counts_for_density(u: &Scored<'_>) -> bool {
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

/// True for a line the interviewer says in an answer written as a dialogue ("Interviewer: About
/// 180,000 between 06:00 and 09:00."): the facts it gives are the interviewer's, not the
/// candidate's, so they earn nothing.
fn interviewer_line(source: &str) -> bool {
    const SPEAKERS: &[&str] = &["interviewer", "int", "q", "them", "panel", "panelist", "hm"];
    let t = source.trim_start().trim_start_matches(['*', '_']);
    let Some((speaker, _)) = t.split_once(':') else {
        return false;
    };
    let speaker = speaker.trim_end_matches(['*', '_']).trim();
    SPEAKERS.iter().any(|s| speaker.eq_ignore_ascii_case(s))
}

/// True for a Markdown heading line: a label for what follows, not a claim that earns credit.
fn heading(source: &str) -> bool {
    text::split::is_atx_heading(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interviewer_lines_are_told_from_the_candidate_s() {
        assert!(interviewer_line("Interviewer: About 180,000 an hour."));
        assert!(interviewer_line("**Q:** Only three cities."));
        assert!(!interviewer_line("Me: I'd ask what changed."));
        assert!(!interviewer_line(
            "Options: a queue per tenant, or one queue."
        ));
        assert!(!interviewer_line(
            "I'd ask the interviewer: is it every tenant?"
        ));
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
