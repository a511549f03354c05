//! Thresholds a drill holds answers to (`--min-level`, `--min-score`, `--min DIMENSION=LEVEL`),
//! and the shortfalls an answer shows against them.
//!
//! Scores are compared as printed (rounded to three decimals), so an answer shown with 0.700 never
//! fails `--min-score 0.7` because of a digit nobody can see.

use std::fmt;

use serde::Serialize;

use crate::model::pack::Dimension;
use crate::rubric::{Evaluation, Label, result::round3};

/// `--min DIMENSION=LEVEL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DimensionMin {
    /// The dimension.
    pub dimension: Dimension,
    /// The lowest acceptable level, 1-4.
    pub level: u8,
}

/// Parses `DIMENSION=LEVEL`, naming the dimensions on a typo.
pub fn parse_dimension_min(value: &str) -> Result<DimensionMin, String> {
    let Some((name, level)) = value.split_once('=') else {
        return Err(format!(
            "expected DIMENSION=LEVEL, such as context=3 (dimensions: {})",
            dimension_names()
        ));
    };
    let dimension = parse_dimension(name)?;
    let level = parse_level(level.trim())?;
    Ok(DimensionMin { dimension, level })
}

/// A dimension id as typed on the command line, naming the dimensions on a typo.
pub fn parse_dimension(name: &str) -> Result<Dimension, String> {
    let name = name.trim();
    Dimension::ALL
        .into_iter()
        .find(|d| d.as_str() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Dimension::ALL.iter().map(|d| d.as_str()).collect();
            match crate::yaml::suggest(name, &names) {
                Some(s) => format!("unknown dimension `{name}`; did you mean `{s}`?"),
                None => format!(
                    "unknown dimension `{name}`; expected one of: {}",
                    dimension_names()
                ),
            }
        })
}

fn dimension_names() -> String {
    Dimension::ALL
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A level as a number 1-4 or a label (`solid`).
fn parse_level(text: &str) -> Result<u8, String> {
    if let Some(label) = Label::ALL
        .into_iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(text))
    {
        return Ok(label.level());
    }
    match text.parse::<u8>() {
        Ok(n @ 1..=4) => Ok(n),
        _ => Err(format!(
            "level `{text}` is not 1-4 (or Missing, Emerging, Solid, Strong)"
        )),
    }
}

/// Parses `--min-score`: a number from 0 to 1.
pub fn parse_score(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{value}` is not a score from 0 to 1, such as 0.6")),
    }
}

/// Every threshold of one drill run. Empty means nothing can fail.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Thresholds {
    /// Lowest acceptable overall level.
    pub min_level: Option<u8>,
    /// Lowest acceptable overall score.
    pub min_score: Option<f64>,
    /// Lowest acceptable level per dimension, in the order given.
    pub min: Vec<DimensionMin>,
}

/// One threshold an answer falls below.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    /// What was measured: `overall level`, `overall score`, or a dimension id.
    pub measure: String,
    /// The answer's value, as printed.
    pub actual: String,
    /// The threshold, as given.
    pub required: String,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is below {}",
            self.measure, self.actual, self.required
        )
    }
}

impl Thresholds {
    /// True when no threshold is set.
    pub fn is_empty(&self) -> bool {
        self.min_level.is_none() && self.min_score.is_none() && self.min.is_empty()
    }

    /// Every threshold `eval` falls below, in a fixed order (overall first).
    pub fn check(&self, eval: &Evaluation) -> Vec<Shortfall> {
        let mut out = Vec::new();
        let level = |n: u8| format!("{n} ({})", Label::from_level(n));
        if let Some(min) = self.min_level
            && eval.overall.level < min
        {
            out.push(Shortfall {
                measure: "overall level".to_string(),
                actual: level(eval.overall.level),
                required: level(min),
            });
        }
        if let Some(min) = self.min_score {
            let score = round3(eval.overall.score);
            if score < min {
                out.push(Shortfall {
                    measure: "overall score".to_string(),
                    actual: format!("{score:.3}"),
                    required: format!("{min}"),
                });
            }
        }
        for m in &self.min {
            let got = eval.dimension(m.dimension).level;
            if got < m.level {
                out.push(Shortfall {
                    measure: format!("{} level", m.dimension.as_str()),
                    actual: level(got),
                    required: level(m.level),
                });
            }
        }
        out
    }

    /// The thresholds as a command line would give them, for report headers.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.min_level {
            parts.push(format!("--min-level {n}"));
        }
        if let Some(x) = self.min_score {
            parts.push(format!("--min-score {x}"));
        }
        for m in &self.min {
            parts.push(format!("--min {}={}", m.dimension.as_str(), m.level));
        }
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_minimums_parse_numbers_and_labels() {
        assert_eq!(
            parse_dimension_min("context=3"),
            Ok(DimensionMin {
                dimension: Dimension::Context,
                level: 3
            })
        );
        assert_eq!(
            parse_dimension_min("trade-offs=solid").map(|m| m.level),
            Ok(3)
        );
        for (bad, want) in [
            ("context", "expected DIMENSION=LEVEL"),
            ("contxt=3", "did you mean `context`"),
            ("zzz=3", "expected one of: context, trade-offs"),
            ("ownership=5", "not 1-4"),
            ("ownership=", "not 1-4"),
        ] {
            let err = parse_dimension_min(bad).unwrap_err();
            assert!(err.contains(want), "{bad}: {err}");
        }
    }

    #[test]
    fn scores_must_be_between_zero_and_one() {
        assert_eq!(parse_score("0.6"), Ok(0.6));
        assert_eq!(parse_score("1"), Ok(1.0));
        for bad in ["-0.1", "1.5", "NaN", "high", ""] {
            assert!(parse_score(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn describe_reads_like_the_command_line() {
        assert_eq!(Thresholds::default().describe(), "none");
        let t = Thresholds {
            min_level: Some(3),
            min_score: Some(0.5),
            min: vec![DimensionMin {
                dimension: Dimension::TradeOffs,
                level: 2,
            }],
        };
        assert_eq!(
            t.describe(),
            "--min-level 3 --min-score 0.5 --min trade-offs=2"
        );
    }
}
