//! A candidate's answer to one question, as every scorer and recorder sees it.
//!
//! The interactive session, answer files and stored attempts all turn into this one shape, so the
//! rubric engine never needs to know where an answer came from.

use serde::{Deserialize, Serialize};

/// The text given for one step, or for the whole question when `step` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct AnswerPart {
    /// The step id this text answers; `None` for a single free-text answer.
    pub step: Option<String>,
    /// What the candidate wrote.
    pub text: String,
}

/// Everything a candidate said about one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Answer {
    /// Step answers in the order they were given.
    pub parts: Vec<AnswerPart>,
    /// The answer to the follow-up question that was asked, if any.
    pub follow_up: Option<String>,
    /// Degradation scenarios: the candidate's investigation questions, in order, asked before the
    /// first hypothesis.
    pub investigation: Vec<String>,
}

impl Answer {
    /// A single free-text answer.
    pub fn whole(text: impl Into<String>) -> Self {
        Answer {
            parts: vec![AnswerPart {
                step: None,
                text: text.into(),
            }],
            ..Answer::default()
        }
    }

    /// An answer given step by step.
    pub fn by_steps<I, S, T>(steps: I) -> Self
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: Into<String>,
    {
        Answer {
            parts: steps
                .into_iter()
                .map(|(step, text)| AnswerPart {
                    step: Some(step.into()),
                    text: text.into(),
                })
                .collect(),
            ..Answer::default()
        }
    }

    /// The answer as it is analysed and kept: invisible characters (zero-width space, soft
    /// hyphen and the like, see [`crate::text::normalize::is_invisible`]) removed from every
    /// text. They change nothing a reader sees, but split words for a machine: a pasted answer
    /// with U+200B inside its words would otherwise slip past the copy checks, and an honest one
    /// with soft hyphens from a word processor would lose the words they break.
    pub fn without_invisible(self) -> Self {
        match self.analysed() {
            std::borrow::Cow::Owned(clean) => clean,
            std::borrow::Cow::Borrowed(_) => self,
        }
    }

    /// [`Answer::without_invisible`] without a copy when there is nothing to remove: what every
    /// scoring path reads (`rubric::score`, a prepared [`crate::rubric::Scorer`]).
    pub fn analysed(&self) -> std::borrow::Cow<'_, Answer> {
        use crate::text::normalize::is_invisible;
        let texts = self
            .parts
            .iter()
            .map(|p| &p.text)
            .chain(&self.follow_up)
            .chain(&self.investigation);
        if !texts.into_iter().any(|t| t.contains(is_invisible)) {
            return std::borrow::Cow::Borrowed(self);
        }
        let strip = |text: &mut String| {
            if let std::borrow::Cow::Owned(clean) = crate::text::normalize::strip_invisible(text) {
                *text = clean;
            }
        };
        let mut clean = self.clone();
        clean.parts.iter_mut().for_each(|p| strip(&mut p.text));
        clean.follow_up.iter_mut().for_each(strip);
        clean.investigation.iter_mut().for_each(strip);
        std::borrow::Cow::Owned(clean)
    }

    /// True when nothing but white space was written anywhere.
    pub fn is_blank(&self) -> bool {
        self.parts.iter().all(|p| p.text.trim().is_empty())
            && self
                .follow_up
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
    }
}
