//! The shape of `question-bank/rubric.yaml`, the default rubric every pack builds on.
//!
//! Criteria and anti-patterns use the pack model's types, so a pack's rubric extension and a
//! question's own criteria read exactly like the default rubric. The default rubric adds what only
//! it may set: level thresholds, scoring constants and the computed communication signals.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::pack::{AntiPatternSpec, CriterionSpec, Dimension, Kind, Weights};

/// The default rubric file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    /// Version of the rubric format. Must be 1.
    pub format_version: u32,
    /// What this rubric is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Score thresholds of the levels.
    pub levels: LevelThresholds,
    /// Scoring constants.
    pub scoring: ScoringSpec,
    /// Synonym groups usable in patterns as `@name`.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
    /// Criteria earned by matching patterns.
    #[serde(default)]
    pub criteria: Vec<CriterionSpec>,
    /// Communication criteria computed from the shape of the text rather than matched.
    #[serde(default)]
    pub signals: Vec<SignalSpec>,
    /// Behaviours that lower a dimension.
    #[serde(default)]
    pub anti_patterns: Vec<AntiPatternSpec>,
    /// Dimension weights in the overall score, per kind.
    #[serde(default)]
    pub weights: BTreeMap<Kind, Weights>,
}

/// Lowest score of each level above Missing.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelThresholds {
    /// Lowest score of level 2.
    pub emerging: f64,
    /// Lowest score of level 3.
    pub solid: f64,
    /// Lowest score of level 4.
    pub strong: f64,
}

impl LevelThresholds {
    /// The level 1-4 of a score.
    pub fn level(&self, score: f64) -> u8 {
        if score >= self.strong {
            4
        } else if score >= self.solid {
            3
        } else if score >= self.emerging {
            2
        } else {
            1
        }
    }
}

/// Constants of the scoring arithmetic (see `docs/rubric-format.md`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    /// Share of a dimension's applicable criterion weight that earns a full score, per dimension.
    pub saturation: BTreeMap<Dimension, f64>,
    /// Credit of a match in a terse clause without function words ("check recent deploys").
    pub terse_credit: f64,
    /// Credit of a match in a fragment of one or two words.
    pub fragment_credit: f64,
    /// Credit of a match in a bare keyword list.
    pub list_credit: f64,
    /// Credit of a match whose content words all come from the question itself.
    pub question_words_credit: f64,
    /// Total penalty points one dimension can lose to anti-patterns.
    pub penalty_cap: f64,
    /// Default penalty of an anti-pattern that sets none.
    pub default_penalty: f64,
    /// Highest score any dimension keeps when a guard (off-topic, pasted, too short) fires.
    pub guard_cap: f64,
    /// Mean score of context, trade-offs and ownership at which communication counts in full;
    /// below it communication is scaled down in proportion.
    pub relevance_floor: f64,
    /// Multiplier applied to every dimension of an off-topic answer.
    pub off_topic_factor: f64,
    /// An answer with fewer words than this is too short (never less than `min_words_floor`).
    pub min_words_floor: usize,
    /// Share of the question's summed step `min_words` an answer needs not to be too short.
    pub min_words_share: f64,
    /// Distinct specific words (the situation's components, numbers, people and times, or
    /// concrete terms of the answer's own) from which an answer counts as working with the
    /// situation in full; with fewer, context, trade-offs and ownership keep a share of their
    /// scores in proportion (default 50).
    #[serde(default = "default_depth_terms")]
    pub depth_terms: usize,
    /// The share of those scores an answer keeps with no such word at all (default 0.3).
    #[serde(default = "default_shallow_floor")]
    pub shallow_floor: f64,
    /// Per dimension, criteria of which one must be earned for the dimension to reach Strong
    /// (when any of them applies to the question's kind): trade-offs that name gains and costs
    /// but never put two options side by side or choose are not Strong, however many they name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strong_requires: BTreeMap<Dimension, Vec<String>>,
    /// Per dimension, the acts it needs to count in full: when none of a need's criteria and
    /// signals that apply to the question's kind is earned, the dimension keeps only `keep` of
    /// its score. Context-building is finding out; ownership is what happens after the fix.
    /// One need per dimension.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub needs: BTreeMap<Dimension, Need>,
}

/// An act a dimension needs to count in full (see [`ScoringSpec::needs`]).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// Criteria and signals of which one must be earned.
    pub any_of: Vec<String>,
    /// Kinds of question the need applies to; empty means every kind its criteria apply to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<Kind>,
    /// The share of the dimension's score an answer without any of them keeps.
    pub keep: f64,
    /// The flag that says so (kebab-case).
    pub flag: String,
    /// What such an answer fails to do, completing "the answer ...".
    pub missing: String,
}

/// `depth_terms` of a rubric file written before it existed.
fn default_depth_terms() -> usize {
    50
}

/// `shallow_floor` of a rubric file written before it existed.
fn default_shallow_floor() -> f64 {
    0.3
}

/// A computed communication criterion.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// Kebab-case id, shown in feedback.
    pub id: String,
    /// Which computation earns it.
    pub signal: Signal,
    /// The dimension it earns credit in (default `communication`).
    #[serde(default)]
    pub dimension: Option<Dimension>,
    /// Kinds it applies to; empty means every kind.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// What it rewards.
    pub title: String,
    /// What to do to earn it.
    pub hint: String,
    /// Relative weight within communication (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
}

/// The computed signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Signal {
    /// Share of the question's steps (and the follow-up) that got a real answer.
    EveryStep,
    /// Structure: signposts ("first", "then", "finally"), numbered or bulleted steps.
    Signposting,
    /// Whole sentences of readable length rather than fragments or run-ons.
    ReadableSentences,
    /// Numbers with units, percentiles, sizes.
    Numbers,
    /// Questions the candidate asks (in the answer or, for degradations, while investigating).
    Questions,
}
