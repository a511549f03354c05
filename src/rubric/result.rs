//! The result of scoring one answer: the `Evaluation` object that `score --json`, drills, exports
//! and the history store all share.
//!
//! The field order of every struct here is the field order of the JSON, so it is part of the
//! contract documented in `docs/json-output.md`; add fields at the end, never rename or reorder.
//! Scores are kept as full `f64` in memory and rounded to three decimals when serialised, so two
//! runs on the same input print byte-identical JSON and a stored result reads back as it printed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::pack::{Dimension, Kind};

/// Version of the JSON result object. Bump it when a field changes meaning or goes away.
pub const RESULT_FORMAT_VERSION: u32 = 1;

/// The four labels of the 1-4 scale, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Label {
    /// Level 1: the behaviour is absent.
    Missing,
    /// Level 2: a start, with big gaps.
    Emerging,
    /// Level 3: what a solid senior answer shows.
    Solid,
    /// Level 4: complete and well argued.
    Strong,
}

impl Label {
    /// Every label, lowest first.
    pub const ALL: [Label; 4] = [Label::Missing, Label::Emerging, Label::Solid, Label::Strong];

    /// The label of a level 1-4 (anything lower is Missing, anything higher Strong).
    pub fn from_level(level: u8) -> Label {
        match level {
            0 | 1 => Label::Missing,
            2 => Label::Emerging,
            3 => Label::Solid,
            _ => Label::Strong,
        }
    }

    /// The level 1-4 of this label.
    pub fn level(self) -> u8 {
        match self {
            Label::Missing => 1,
            Label::Emerging => 2,
            Label::Solid => 3,
            Label::Strong => 4,
        }
    }

    /// The label as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Missing => "Missing",
            Label::Emerging => "Emerging",
            Label::Solid => "Solid",
            Label::Strong => "Strong",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialises a score rounded to three decimals (and never `-0`), so output is stable.
fn ser_score<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round3(*value))
}

fn de_score<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let value = f64::deserialize(deserializer)?;
    Ok(if value.is_finite() { value } else { 0.0 })
}

/// Rounds to three decimals; non-finite values become 0 and `-0` becomes `0`.
pub fn round3(value: f64) -> f64 {
    if !value.is_finite() {
        return 0.0;
    }
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// The overall result: dimension scores combined with the weights of the question's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overall {
    /// Weighted score in [0, 1].
    #[serde(serialize_with = "ser_score", deserialize_with = "de_score")]
    pub score: f64,
    /// Level 1-4.
    pub level: u8,
    /// Missing, Emerging, Solid or Strong.
    pub label: Label,
}

/// A criterion the answer earned, with the words that earned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Criterion id.
    pub criterion: String,
    /// What the criterion rewards, as feedback names it.
    pub title: String,
    /// The step the excerpt came from (`investigation` and `follow-up` for those); `None` for a
    /// whole-text answer.
    pub step: Option<String>,
    /// The quoted words of the answer, trimmed around the match.
    pub excerpt: String,
    /// Share of a full credit earned: 1 from a real sentence, less from a fragment or a bare list.
    #[serde(serialize_with = "ser_score", deserialize_with = "de_score")]
    pub credit: f64,
}

/// A criterion the answer did not earn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Miss {
    /// Criterion id.
    pub criterion: String,
    /// What the criterion rewards.
    pub title: String,
    /// What to add to earn it.
    pub hint: String,
}

/// An anti-pattern that fired and lowered the dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Penalty {
    /// Anti-pattern id.
    pub anti_pattern: String,
    /// The quoted words that fired it.
    pub excerpt: String,
    /// Why a senior interviewer minds.
    pub reason: String,
    /// How much it took off the dimension score (after the per-dimension cap).
    #[serde(serialize_with = "ser_score", deserialize_with = "de_score")]
    pub points: f64,
}

/// The result of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionResult {
    /// Score in [0, 1].
    #[serde(serialize_with = "ser_score", deserialize_with = "de_score")]
    pub score: f64,
    /// Level 1-4.
    pub level: u8,
    /// Missing, Emerging, Solid or Strong.
    pub label: Label,
    /// Criteria earned, in rubric order.
    pub hits: Vec<Hit>,
    /// Criteria not earned, in rubric order.
    pub misses: Vec<Miss>,
    /// Anti-patterns that fired, in answer order.
    pub penalties: Vec<Penalty>,
}

impl DimensionResult {
    /// An empty result at level 1.
    pub fn empty() -> Self {
        DimensionResult {
            score: 0.0,
            level: 1,
            label: Label::Missing,
            hits: Vec::new(),
            misses: Vec::new(),
            penalties: Vec::new(),
        }
    }
}

/// The four dimensions, in report order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimensions {
    /// Context-building.
    pub context: DimensionResult,
    /// Trade-offs.
    #[serde(rename = "trade-offs")]
    pub trade_offs: DimensionResult,
    /// Ownership.
    pub ownership: DimensionResult,
    /// Communication.
    pub communication: DimensionResult,
}

impl Dimensions {
    /// The result of one dimension.
    pub fn get(&self, dimension: Dimension) -> &DimensionResult {
        match dimension {
            Dimension::Context => &self.context,
            Dimension::TradeOffs => &self.trade_offs,
            Dimension::Ownership => &self.ownership,
            Dimension::Communication => &self.communication,
        }
    }

    /// The result of one dimension, mutable.
    pub fn get_mut(&mut self, dimension: Dimension) -> &mut DimensionResult {
        match dimension {
            Dimension::Context => &mut self.context,
            Dimension::TradeOffs => &mut self.trade_offs,
            Dimension::Ownership => &mut self.ownership,
            Dimension::Communication => &mut self.communication,
        }
    }

    /// Every dimension with its result, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (Dimension, &DimensionResult)> {
        Dimension::ALL.into_iter().map(|d| (d, self.get(d)))
    }
}

/// A guard that fired: something about the answer as a whole that the candidate should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// Stable id: `blank`, `too-short`, `off-topic`, `misses-the-ask`, `keyword-stuffing`,
    /// `repeated-sentence`, `pasted-model-answer`, `generic`, `mocking`, `buzzwords`, `shallow`,
    /// `strong-needs`.
    pub id: String,
    /// What it means and what it did to the score.
    pub message: String,
    /// The words concerned, when there are some to quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// One of the most valuable things to add next time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    /// The dimension it would raise.
    pub dimension: Dimension,
    /// The criterion it would earn.
    pub criterion: String,
    /// What the criterion rewards.
    pub title: String,
    /// How to earn it.
    pub hint: String,
}

/// The full, explainable result of scoring one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Version of this object's format ([`RESULT_FORMAT_VERSION`]).
    pub format_version: u32,
    /// Question id.
    pub question: String,
    /// Pack id the question came from (`core` for the built-in pack).
    pub pack: String,
    /// Kind of the question; decides the criteria and the weights.
    pub kind: Kind,
    /// The weighted overall result.
    pub overall: Overall,
    /// Per-dimension results.
    pub dimensions: Dimensions,
    /// Guards that fired, in a fixed order.
    pub flags: Vec<Flag>,
    /// Up to three most valuable things to add next time, most valuable first.
    pub next: Vec<NextStep>,
}

impl Evaluation {
    /// The result of one dimension.
    pub fn dimension(&self, dimension: Dimension) -> &DimensionResult {
        self.dimensions.get(dimension)
    }

    /// True when a flag with this id fired.
    pub fn has_flag(&self, id: &str) -> bool {
        self.flags.iter().any(|f| f.id == id)
    }

    /// The result as pretty JSON, byte-identical for identical input.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and finite numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Evaluation {
        let mut context = DimensionResult::empty();
        context.score = 0.123_456;
        context.hits.push(Hit {
            criterion: "asks-what-changed".into(),
            title: "Asks what changed recently".into(),
            step: Some("first-checks".into()),
            excerpt: "What changed since Monday?".into(),
            credit: 1.0,
        });
        Evaluation {
            format_version: RESULT_FORMAT_VERSION,
            question: "q".into(),
            pack: "core".into(),
            kind: Kind::Degradation,
            overall: Overall {
                score: 2.0 / 3.0,
                level: 3,
                label: Label::Solid,
            },
            dimensions: Dimensions {
                context,
                trade_offs: DimensionResult::empty(),
                ownership: DimensionResult::empty(),
                communication: DimensionResult::empty(),
            },
            flags: vec![Flag {
                id: "too-short".into(),
                message: "m".into(),
                excerpt: None,
            }],
            next: Vec::new(),
        }
    }

    #[test]
    fn json_has_fixed_field_order_and_rounded_scores() {
        let json = serde_json::to_string(&sample()).unwrap();
        let order = [
            "\"format_version\":1",
            "\"question\":\"q\"",
            "\"pack\":\"core\"",
            "\"kind\":\"degradation\"",
            "\"overall\":{\"score\":0.667,\"level\":3,\"label\":\"Solid\"}",
            "\"dimensions\":{\"context\":{\"score\":0.123",
            "\"trade-offs\"",
            "\"ownership\"",
            "\"communication\"",
            "\"flags\":[{\"id\":\"too-short\",\"message\":\"m\"}]",
            "\"next\":[]",
        ];
        let mut from = 0;
        for part in order {
            let at = json[from..]
                .find(part)
                .unwrap_or_else(|| panic!("{part} missing or out of order in {json}"));
            from += at + part.len();
        }
        assert!(json.contains(
            "\"hits\":[{\"criterion\":\"asks-what-changed\",\"title\":\"Asks what changed recently\",\"step\":\"first-checks\",\"excerpt\":\"What changed since Monday?\",\"credit\":1.0}]"
        ));
    }

    #[test]
    fn json_round_trips() {
        let json = sample().to_json();
        let back: Evaluation = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_json(), json);
        assert_eq!(back.overall.score, 0.667);
    }

    #[test]
    fn rounding_is_stable() {
        for (input, want) in [
            (0.0, 0.0),
            (-0.0001, 0.0),
            (0.0005, 0.001),
            (0.99949, 0.999),
            (f64::NAN, 0.0),
            (f64::INFINITY, 0.0),
        ] {
            assert_eq!(round3(input), want, "{input}");
            assert!(!round3(input).is_sign_negative() || round3(input) != 0.0);
        }
    }

    #[test]
    fn labels_map_to_levels() {
        for label in Label::ALL {
            assert_eq!(Label::from_level(label.level()), label);
        }
        assert_eq!(Label::from_level(0), Label::Missing);
        assert_eq!(Label::from_level(9), Label::Strong);
    }
}
