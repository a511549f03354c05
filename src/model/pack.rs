//! The question-pack model, version 1: plain serde types that mirror the YAML a pack author writes.
//!
//! Every struct denies unknown fields so that a typo in a field name is an error rather than a
//! silently ignored line. Kind-specific fields (facts for a degradation scenario, say) are plain
//! options here and are checked by the validator after parsing, because serde's tagged enums lose
//! source locations. The doc comments double as the field reference in `rehearse schema`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The pack format version this build of rehearse reads and writes.
pub const FORMAT_VERSION: u32 = 1;

// The limits below are written into the JSON Schema (`rehearse schema`), which the loader walks
// and editors check as the author types; the validator reports what a schema cannot say.

/// Ids and tags: lowercase letters and digits, in words joined by single dashes.
pub const KEBAB_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// A pack version: semver `MAJOR.MINOR.PATCH`, with optional `-pre` and `+build` parts.
pub const SEMVER_PATTERN: &str =
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-+][0-9A-Za-z.+-]*)?$";
/// Text that is not blank: at least one character that is not white space.
pub const NOT_BLANK_PATTERN: &str = r"\S";
/// Upper bound on `time_budget`, in minutes: no interview question takes longer than four hours.
pub const MAX_TIME_BUDGET: u32 = 240;
/// Upper bound on a step's `min_words`.
pub const MAX_MIN_WORDS: u32 = 2_000;
/// Upper bound on a dimension weight.
pub const MAX_WEIGHT: f64 = 10.0;

/// A whole pack file: the manifest of a directory pack, or a single-file pack.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// Version of the pack format. Must be 1; checked before anything else.
    #[schemars(range(min = FORMAT_VERSION, max = FORMAT_VERSION))]
    pub format_version: u32,
    /// Pack id, kebab-case. Questions are addressed as `PACK/ID`.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// Human title of the pack.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub title: String,
    /// Version of the pack content, semver (`1.2.0`). Bump it when questions change.
    #[schemars(pattern(SEMVER_PATTERN))]
    pub version: String,
    /// What the pack covers and who it is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Authors, as `Name <email>` or just a name.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Licence of the pack content (an SPDX id such as `CC-BY-4.0`).
    #[serde(default)]
    pub license: Option<String>,
    /// Questions. Optional in a directory manifest; the whole content of a single-file pack.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Rubric additions for every question of this pack, on top of the default rubric.
    #[serde(default)]
    pub rubric: Option<RubricExtension>,
}

/// A question file inside a directory pack.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionFile {
    /// Optional; when given it must match the manifest's `format_version`.
    #[serde(default)]
    #[schemars(range(min = FORMAT_VERSION, max = FORMAT_VERSION))]
    pub format_version: Option<u32>,
    /// The questions in this file.
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// The four kinds of question rehearse knows how to run and score.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Choose between options and name what each gains and costs.
    TradeOff,
    /// An ambiguous production degradation with hidden facts to uncover.
    Degradation,
    /// "What would you change today?" about a past decision.
    Retrospective,
    /// Design a system, then defend it against follow-up tension.
    SystemDesign,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 4] = [
        Kind::TradeOff,
        Kind::Degradation,
        Kind::Retrospective,
        Kind::SystemDesign,
    ];

    /// The id used in YAML, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TradeOff => "trade-off",
            Kind::Degradation => "degradation",
            Kind::Retrospective => "retrospective",
            Kind::SystemDesign => "system-design",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The seniority a question is pitched at.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Deserialize,
    Serialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Mid-level engineer.
    Mid,
    /// Senior engineer (the default).
    #[default]
    Senior,
    /// Staff engineer.
    Staff,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 3] = [Level::Mid, Level::Senior, Level::Staff];

    /// The id used in YAML, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Mid => "mid",
            Level::Senior => "senior",
            Level::Staff => "staff",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One interview question.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Kebab-case id, unique in the pack and stable across pack versions (history keys on it).
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// What kind of question this is; decides the default steps and which criteria apply.
    pub kind: Kind,
    /// A short title for lists.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub title: String,
    /// The scenario as the candidate reads it.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub prompt: String,
    /// Seniority the question is pitched at (default `senior`).
    #[serde(default)]
    pub level: Option<Level>,
    /// Lowercase tags for filtering (`payments`, `caching`, ...).
    #[serde(default)]
    #[schemars(inner(pattern(KEBAB_PATTERN)))]
    pub tags: Vec<String>,
    /// Suggested time in minutes, 1-240. Shown, and noted when exceeded; never enforced.
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_TIME_BUDGET), extend("x-note" = "in minutes"))]
    pub time_budget: Option<u32>,
    /// Structured sub-questions asked in order. Omitted: the default steps of the kind.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Hidden facts of a degradation scenario, revealed only when the candidate asks for them.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Tension questions asked after the main answer.
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// What an excellent answer says, shown only after an attempt.
    #[serde(default)]
    pub model_answer: Option<ModelAnswer>,
    /// Question-specific rubric refinements.
    #[serde(default)]
    pub rubric: Option<QuestionRubric>,
    /// Graded example answers that `rehearse pack test` checks against the rubric.
    #[serde(default)]
    pub examples: Vec<Example>,
}

impl Question {
    /// A question with only the required fields, as the smallest valid YAML question is: it gets
    /// the default steps of its kind and no facts, follow-ups, model answer or examples.
    pub fn minimal(
        id: impl Into<String>,
        kind: Kind,
        title: impl Into<String>,
        prompt: impl Into<String>,
    ) -> Question {
        Question {
            id: id.into(),
            kind,
            title: title.into(),
            prompt: prompt.into(),
            level: None,
            tags: Vec::new(),
            time_budget: None,
            steps: Vec::new(),
            facts: Vec::new(),
            follow_ups: Vec::new(),
            model_answer: None,
            rubric: None,
            examples: Vec::new(),
        }
    }

    /// The level, with the documented default applied.
    pub fn level(&self) -> Level {
        self.level.unwrap_or_default()
    }
}

/// One structured sub-question of a question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Kebab-case id, unique in the question; answers and model answers refer to it.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// The sub-question as asked.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub ask: String,
    /// A nudge shown on request; using it is recorded.
    #[serde(default)]
    pub hint: Option<String>,
    /// Answers shorter than this many words (0-2000) are flagged as too short.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_MIN_WORDS))]
    pub min_words: Option<u32>,
}

/// A hidden fact of a degradation scenario.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Kebab-case id, unique in the question.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// A short label: what the fact is about ("Recent deploys").
    pub about: String,
    /// Patterns (rubric pattern language) matching the ways a candidate would ask for it; at
    /// least one.
    #[schemars(length(min = 1))]
    pub asks: Vec<String>,
    /// What the coach answers when asked.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub reveal: String,
    /// A plausible fact that has nothing to do with the cause.
    #[serde(default)]
    pub red_herring: bool,
    /// Questions a candidate might ask that must not reveal this fact, because they ask for
    /// something else; `pack test` checks each against the coach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_asked_by: Vec<String>,
}

/// A tension question asked after the main answer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Kebab-case id, unique in the question.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// The follow-up as asked.
    #[schemars(pattern(NOT_BLANK_PATTERN))]
    pub ask: String,
    /// A nudge shown on request.
    #[serde(default)]
    pub hint: Option<String>,
    /// An excellent answer to the follow-up, shown after an attempt.
    #[serde(default)]
    pub model_answer: Option<String>,
}

/// A model answer: whole (`text`) or per step (`steps`), exactly one of the two.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelAnswer {
    /// The whole model answer as one text.
    #[serde(default)]
    pub text: Option<String>,
    /// The model answer per step id, in step order.
    #[serde(default)]
    pub steps: BTreeMap<String, String>,
}

/// One scoring dimension. The ids are part of every machine-readable output.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
pub enum Dimension {
    /// Building context before acting.
    #[serde(rename = "context")]
    Context,
    /// Naming what a decision gains and costs.
    #[serde(rename = "trade-offs")]
    TradeOffs,
    /// Owning the outcome beyond one's own code and the closed ticket.
    #[serde(rename = "ownership")]
    Ownership,
    /// Structured, concise, in product terms.
    #[serde(rename = "communication")]
    Communication,
}

impl Dimension {
    /// Every dimension, in report order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Context,
        Dimension::TradeOffs,
        Dimension::Ownership,
        Dimension::Communication,
    ];

    /// The id used in YAML, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Context => "context",
            Dimension::TradeOffs => "trade-offs",
            Dimension::Ownership => "ownership",
            Dimension::Communication => "communication",
        }
    }

    /// The human name used in feedback.
    pub fn title(self) -> &'static str {
        match self {
            Dimension::Context => "Context-building",
            Dimension::TradeOffs => "Trade-offs",
            Dimension::Ownership => "Ownership",
            Dimension::Communication => "Communication",
        }
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `PerDimension<T>`: one value per scoring dimension, indexed by [`Dimension`] and iterated in
/// report order ([`Dimension::ALL`]), so that no code keeps dimensions at positions of its own
/// and a new dimension is a variant of the enum, not a hunt for every list of four.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerDimension<T>([T; Dimension::ALL.len()]);

impl<T> PerDimension<T> {
    /// The value of each dimension, as `value` gives it, computed in report order.
    pub fn from_fn(mut value: impl FnMut(Dimension) -> T) -> PerDimension<T> {
        PerDimension(Dimension::ALL.map(&mut value))
    }

    /// Every dimension with its value, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (Dimension, &T)> {
        Dimension::ALL.into_iter().zip(self.0.iter())
    }

    /// Every value, in report order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// Every value, mutable, in report order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut()
    }
}

impl<T> std::ops::Index<Dimension> for PerDimension<T> {
    type Output = T;

    fn index(&self, dimension: Dimension) -> &T {
        &self.0[dimension as usize]
    }
}

impl<T> std::ops::IndexMut<Dimension> for PerDimension<T> {
    fn index_mut(&mut self, dimension: Dimension) -> &mut T {
        &mut self.0[dimension as usize]
    }
}

/// A map from each dimension's id to its value, in report order: the shape every JSON output
/// gives per-dimension values.
impl<T: Serialize> Serialize for PerDimension<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (dimension, value) in self.iter() {
            map.serialize_entry(dimension.as_str(), value)?;
        }
        map.end()
    }
}

/// Weights of the four dimensions in the overall score, each 0-10. Missing entries keep the
/// default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of context-building.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = MAX_WEIGHT))]
    pub context: Option<f64>,
    /// Weight of trade-offs.
    #[serde(default, rename = "trade-offs")]
    #[schemars(range(min = 0.0, max = MAX_WEIGHT))]
    pub trade_offs: Option<f64>,
    /// Weight of ownership.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = MAX_WEIGHT))]
    pub ownership: Option<f64>,
    /// Weight of communication.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = MAX_WEIGHT))]
    pub communication: Option<f64>,
}

impl Weights {
    /// The weight given to `dimension`, if any.
    pub fn get(&self, dimension: Dimension) -> Option<f64> {
        match dimension {
            Dimension::Context => self.context,
            Dimension::TradeOffs => self.trade_offs,
            Dimension::Ownership => self.ownership,
            Dimension::Communication => self.communication,
        }
    }

    /// The weight given to `dimension`, to change.
    pub fn get_mut(&mut self, dimension: Dimension) -> &mut Option<f64> {
        match dimension {
            Dimension::Context => &mut self.context,
            Dimension::TradeOffs => &mut self.trade_offs,
            Dimension::Ownership => &mut self.ownership,
            Dimension::Communication => &mut self.communication,
        }
    }
}

/// A rubric criterion: an observable behaviour that earns credit in one dimension.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    /// Kebab-case id, unique in the rubric; shown in feedback and machine output.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// The dimension it earns credit in.
    pub dimension: Dimension,
    /// Kinds it applies to; empty means every kind.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// What the behaviour is, as feedback names it ("Asks what changed recently").
    pub title: String,
    /// What to add when it is missed.
    pub hint: String,
    /// Relative weight within its dimension (default 1), from 0 to 10.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = MAX_WEIGHT))]
    pub weight: Option<f64>,
    /// Patterns in the rubric pattern language; any match earns the criterion. At least one.
    #[schemars(length(min = 1))]
    pub patterns: Vec<String>,
    /// Answer structures that also earn the criterion, for answers too terse for patterns
    /// (`docs/rubric-format.md`): `option-lines`, `option-gain`, `option-cost`, `decision-line`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub structures: Vec<Structure>,
    /// Patterns that void a match in the same sentence: the act said together with one of these
    /// is not the behaviour ("switch everything off to be safe" is not mitigation; "tell the team
    /// it's fixed" is not involving anyone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_with: Vec<String>,
}

/// A shape of answer that shows a behaviour without the words patterns look for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Structure {
    /// Two or more option lines ("Scale workers: minutes, reversible, costs money"): the second
    /// one earns.
    OptionLines,
    /// An option line that names what the option gains ("fast", "reversible", "isolation").
    OptionGain,
    /// An option line that names what the option costs ("costs money", "brittle", "one more
    /// queue to own").
    OptionCost,
    /// A line that states the choice: "Pick: the big-file lane", "Go: proxy plus outreach".
    DecisionLine,
}

/// Rubric additions a pack makes for all its questions.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricExtension {
    /// Synonym groups usable in patterns as `@name`; a name already defined replaces the default.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
    /// Extra criteria; an id that exists in the default rubric replaces that criterion.
    #[serde(default)]
    pub criteria: Vec<CriterionSpec>,
    /// Default criteria switched off for this pack.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Dimension weights per kind, overriding the default rubric's.
    #[serde(default)]
    pub weights: BTreeMap<Kind, Weights>,
    /// Extra anti-patterns; an id that exists in the default rubric replaces that anti-pattern.
    #[serde(default)]
    pub anti_patterns: Vec<AntiPatternSpec>,
}

/// An anti-pattern: a behaviour that lowers one dimension when it appears un-negated.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AntiPatternSpec {
    /// Kebab-case id, unique in the rubric; shown in feedback and machine output.
    #[schemars(pattern(KEBAB_PATTERN))]
    pub id: String,
    /// The dimension it lowers.
    pub dimension: Dimension,
    /// Kinds it applies to; empty means every kind.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// What the behaviour is ("Scales before any diagnosis").
    pub title: String,
    /// Why a senior interviewer minds; shown with the quoted excerpt.
    pub reason: String,
    /// Points taken off the dimension score (0..1, default 0.15); the total per dimension is capped.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub penalty: Option<f64>,
    /// Patterns in the rubric pattern language; the first un-negated match fires it.
    pub patterns: Vec<String>,
    /// Fires only when no criterion of this dimension was earned earlier in the answer
    /// (`context` for "acts before any diagnosis").
    #[serde(default)]
    pub before: Option<Dimension>,
    /// Criterion ids that defuse it: when any of them was earned, it does not fire.
    #[serde(default)]
    pub unless: Vec<String>,
}

/// Rubric refinements for one question.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionRubric {
    /// Extra criteria that reward the crux of this question.
    #[serde(default)]
    pub criteria: Vec<CriterionSpec>,
    /// Criteria switched off for this question.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Dimension weights for this question.
    #[serde(default)]
    pub weights: Option<Weights>,
}

/// Expected levels (1-4) per dimension for a graded example.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedLevels {
    /// Expected context-building level, 1-4.
    #[schemars(range(min = 1, max = 4), extend("x-note" = LEVEL_NOTE))]
    pub context: u8,
    /// Expected trade-offs level, 1-4.
    #[serde(rename = "trade-offs")]
    #[schemars(range(min = 1, max = 4), extend("x-note" = LEVEL_NOTE))]
    pub trade_offs: u8,
    /// Expected ownership level, 1-4.
    #[schemars(range(min = 1, max = 4), extend("x-note" = LEVEL_NOTE))]
    pub ownership: u8,
    /// Expected communication level, 1-4.
    #[schemars(range(min = 1, max = 4), extend("x-note" = LEVEL_NOTE))]
    pub communication: u8,
}

/// What the four levels are called, for messages about a level out of range.
const LEVEL_NOTE: &str = "1 Missing, 2 Emerging, 3 Solid, 4 Strong";

impl ExpectedLevels {
    /// The expected level of one dimension.
    pub fn get(&self, dimension: Dimension) -> u8 {
        match dimension {
            Dimension::Context => self.context,
            Dimension::TradeOffs => self.trade_offs,
            Dimension::Ownership => self.ownership,
            Dimension::Communication => self.communication,
        }
    }
}

/// A graded example answer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A label for reports (`strong`, `mid`, `weak`, ...).
    pub label: String,
    /// The answer as one text.
    #[serde(default)]
    pub text: Option<String>,
    /// The answer per step id.
    #[serde(default)]
    pub steps: BTreeMap<String, String>,
    /// Answer to the first follow-up.
    #[serde(default)]
    pub follow_up: Option<String>,
    /// The level a senior interviewer gives this answer in each dimension.
    pub expect: ExpectedLevels,
}

#[cfg(test)]
mod per_dimension_tests {
    use super::*;

    /// Indexing by `dimension as usize` is right only while the enum's order is report order.
    #[test]
    fn a_dimension_indexes_its_own_value() {
        let mut map = PerDimension::from_fn(Dimension::as_str);
        for d in Dimension::ALL {
            assert_eq!(map[d], d.as_str());
        }
        let order: Vec<&str> = map.values_mut().map(|v| *v).collect();
        assert_eq!(
            order,
            ["context", "trade-offs", "ownership", "communication"]
        );
    }

    #[test]
    fn serialises_as_a_map_by_id_in_report_order() {
        let map = PerDimension::from_fn(|d| d as u8);
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"context":0,"trade-offs":1,"ownership":2,"communication":3}"#
        );
    }
}
