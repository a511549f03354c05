//! One stored attempt, as it lives in `history.jsonl`, and the typed view of its scores.
//!
//! An attempt keeps everything needed to show, diff, re-score and export it later without the
//! pack at hand: the answer text per step, what the session revealed, and the rubric's result
//! embedded verbatim as JSON. The evaluation is kept as the rubric emitted it (not re-typed here)
//! so that fields the rubric adds later survive in old records; [`Scores`] reads just the part
//! history needs (levels and scores per dimension, which criteria were hit) and is checked before
//! anything is written, so every stored record can be read back.
//!
//! The on-disk layout is documented in `docs/history-format.md`; bump [`FORMAT_VERSION`] with any
//! change to it.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::answer::Answer;
use crate::model::pack::Dimension;

/// The history format this build writes. Records of another version are reported, not guessed at.
pub const FORMAT_VERSION: u32 = 1;

/// Which command produced an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// An interactive `rehearse practice` session.
    Practice,
    /// `rehearse score --record`.
    Score,
    /// `rehearse drill --record`.
    Drill,
}

impl Source {
    /// The id used in JSON, CSV and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Practice => "practice",
            Source::Score => "score",
            Source::Drill => "drill",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The pack a question came from, at the version it had when the attempt was scored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub struct PackRef {
    /// Pack id (`core` for the built-in pack).
    pub id: String,
    /// Pack version (semver) at the time.
    pub version: String,
    /// For an installed pack, exactly what was installed: `git:COMMIT` or `sha256:HEX`. Absent
    /// for the built-in pack, `--bank` packs, and records written before packs were installable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

impl PackRef {
    /// A pack reference from its id and version.
    pub fn new(id: impl Into<String>, version: impl Into<String>) -> Self {
        PackRef {
            id: id.into(),
            version: version.into(),
            revision: None,
        }
    }

    /// The reference to a loaded pack: its id, version and, when installed, its revision.
    pub fn of(pack: &crate::pack::Pack) -> Self {
        PackRef {
            id: pack.meta.id.clone(),
            version: pack.meta.version.clone(),
            revision: pack.revision().map(str::to_string),
        }
    }
}

/// What a caller hands to [`crate::history::store::append`]: an attempt without its id, which
/// the store assigns under the file lock so that ids stay unique across processes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttempt {
    /// When the attempt was scored. Passed in, never read from the clock here, so tests and
    /// imports can fix it.
    pub recorded_at: Timestamp,
    /// Which command produced it.
    pub source: Source,
    /// Stable question id (unique within its pack).
    pub question: String,
    /// The pack and its version.
    pub pack: PackRef,
    /// Fingerprint of the rubric that scored it; see [`rubric_fingerprint`].
    pub rubric_fingerprint: String,
    /// Who answered, when known (drill answer files may name a candidate). Dropped by
    /// `export --anonymize`.
    pub candidate: Option<String>,
    /// The answer: text per step, follow-up answer, investigation questions.
    pub answer: Answer,
    /// Id of the follow-up question that was asked, if any.
    pub follow_up: Option<String>,
    /// Ids of the steps (or follow-up) whose hint was shown, in the order they were asked for.
    pub hints_used: Vec<String>,
    /// Ids of the hidden facts the candidate uncovered, in the order they were revealed.
    pub facts_uncovered: Vec<String>,
    /// Seed of the session's random choices, so a session can be replayed.
    pub seed: Option<u64>,
    /// Wall time spent on the question, in seconds.
    pub time_taken_secs: Option<u64>,
    /// The rubric's evaluation, exactly as it serialises.
    pub evaluation: serde_json::Value,
}

impl NewAttempt {
    /// An attempt with the required parts; optional details start empty and can be set on the
    /// returned value. `evaluation` is the rubric's result (any type that serialises to the
    /// documented evaluation JSON); it is checked here so that nothing unreadable is stored.
    pub fn new(
        recorded_at: Timestamp,
        source: Source,
        pack: PackRef,
        question: impl Into<String>,
        answer: Answer,
        evaluation: &impl Serialize,
        rubric_fingerprint: impl Into<String>,
    ) -> Result<Self, ShapeError> {
        let evaluation = serde_json::to_value(evaluation).map_err(|e| ShapeError(e.to_string()))?;
        Scores::from_evaluation(&evaluation)?;
        Ok(NewAttempt {
            recorded_at,
            source,
            question: question.into(),
            pack,
            rubric_fingerprint: rubric_fingerprint.into(),
            candidate: None,
            answer,
            follow_up: None,
            hints_used: Vec::new(),
            facts_uncovered: Vec::new(),
            seed: None,
            time_taken_secs: None,
            evaluation,
        })
    }

    /// The stored attempt this becomes once the store has chosen its id.
    pub(crate) fn with_id(self, id: u64) -> Attempt {
        Attempt {
            id,
            recorded_at: self.recorded_at,
            source: self.source,
            question: self.question,
            pack: self.pack,
            rubric_fingerprint: self.rubric_fingerprint,
            candidate: self.candidate,
            answer: self.answer,
            follow_up: self.follow_up,
            hints_used: self.hints_used,
            facts_uncovered: self.facts_uncovered,
            seed: self.seed,
            time_taken_secs: self.time_taken_secs,
            evaluation: self.evaluation,
            rescored: Vec::new(),
        }
    }
}

/// One stored attempt. Field order is the order in the file and in `--json` output.
///
/// Unknown fields are tolerated on read (not denied, unlike pack files): the file is written by
/// rehearse itself, and a record from a slightly newer build should still show what it can.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Attempt {
    /// Attempt id: 1, 2, 3... in the order attempts were stored; never reused.
    pub id: u64,
    /// When the attempt was scored (RFC 3339, UTC).
    pub recorded_at: Timestamp,
    /// Which command produced it.
    pub source: Source,
    /// Stable question id.
    pub question: String,
    /// The pack and its version at the time.
    pub pack: PackRef,
    /// Fingerprint of the rubric that produced `evaluation`.
    pub rubric_fingerprint: String,
    /// Who answered, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// The answer as given.
    pub answer: Answer,
    /// Id of the follow-up question that was asked.
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Ids of the hints shown.
    #[serde(default)]
    pub hints_used: Vec<String>,
    /// Ids of the facts uncovered.
    #[serde(default)]
    pub facts_uncovered: Vec<String>,
    /// Seed of the session.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Seconds spent.
    #[serde(default)]
    pub time_taken_secs: Option<u64>,
    /// The rubric's evaluation when the attempt was made.
    pub evaluation: serde_json::Value,
    /// Later re-scorings with a newer rubric, oldest first. Never written inside the attempt's
    /// own line (rescores are appended as lines of their own); filled in when history is read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rescored: Vec<Rescore>,
}

impl Attempt {
    /// True when this attempt is at the question `address` (`ID` or `PACK/ID`).
    pub fn is_at(&self, address: &str) -> bool {
        match address.split_once('/') {
            Some((pack, id)) => self.pack.id == pack && self.question == id,
            None => self.question == address,
        }
    }

    /// The evaluation that counts now: the newest re-scoring, or the original one.
    pub fn current_evaluation(&self) -> &serde_json::Value {
        self.rescored
            .last()
            .map_or(&self.evaluation, |r| &r.evaluation)
    }

    /// Typed scores of [`Self::current_evaluation`]. Records are checked when read, so this only
    /// fails for an attempt built by hand with a malformed evaluation.
    pub fn scores(&self) -> Result<Scores, ShapeError> {
        Scores::from_evaluation(self.current_evaluation())
    }

    /// The rubric fingerprint that goes with [`Self::current_evaluation`].
    pub fn current_fingerprint(&self) -> &str {
        self.rescored
            .last()
            .map_or(&self.rubric_fingerprint, |r| &r.rubric_fingerprint)
    }
}

/// A re-scoring of a stored attempt with a newer rubric or pack; the original stays.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Rescore {
    /// When it was re-scored.
    pub rescored_at: Timestamp,
    /// The pack version used.
    pub pack: PackRef,
    /// Fingerprint of the rubric used.
    pub rubric_fingerprint: String,
    /// The new evaluation.
    pub evaluation: serde_json::Value,
}

/// One line of `history.jsonl`: exactly one of `attempt` or `rescore` is present. An envelope
/// rather than a tagged enum so a reader can check `format_version` before anything else and
/// serde reports field errors plainly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line {
    // Checked on the raw JSON before this struct is parsed; kept so the envelope stays exact.
    #[allow(dead_code)]
    pub format_version: u32,
    #[serde(default)]
    pub attempt: Option<Attempt>,
    #[serde(default)]
    pub rescore: Option<RescoreLine>,
}

/// The borrowing twin of [`Line`] used for writing, so the caller keeps its values.
#[derive(Debug, Serialize)]
pub(crate) struct LineOut<'a> {
    pub format_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<&'a Attempt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rescore: Option<&'a RescoreLine>,
}

/// A rescore line: which attempt, and the new scores.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct RescoreLine {
    pub attempt: u64,
    pub rescored_at: Timestamp,
    pub pack: PackRef,
    pub rubric_fingerprint: String,
    pub evaluation: serde_json::Value,
}

/// An evaluation that lacks what history reads from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("evaluation is not in the documented shape: {0}")]
pub struct ShapeError(pub String);

/// Overall or per-dimension grade.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Grade {
    /// Score in 0..=1.
    pub score: f64,
    /// Level 1-4.
    pub level: u8,
    /// Missing, Emerging, Solid or Strong.
    pub label: String,
}

/// What history reads from one dimension of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionScore {
    /// The grade of the dimension.
    pub grade: Grade,
    /// Ids of the criteria that were met.
    pub hits: Vec<String>,
    /// Ids of the criteria that were missed.
    pub misses: Vec<String>,
    /// Titles of the met criteria by id, where the evaluation gives them.
    pub titles: BTreeMap<String, String>,
}

/// The typed view of an evaluation that history works with.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Overall grade.
    pub overall: Grade,
    /// Grade per dimension, in report order.
    pub dimensions: BTreeMap<Dimension, DimensionScore>,
}

impl Scores {
    /// Reads the parts of an evaluation JSON that history needs, ignoring the rest.
    pub fn from_evaluation(value: &serde_json::Value) -> Result<Scores, ShapeError> {
        #[derive(Deserialize)]
        struct View {
            overall: Grade,
            dimensions: BTreeMap<Dimension, DimView>,
        }
        #[derive(Deserialize)]
        struct DimView {
            score: f64,
            level: u8,
            label: String,
            #[serde(default)]
            hits: Vec<CriterionRef>,
            #[serde(default)]
            misses: Vec<CriterionRef>,
        }
        #[derive(Deserialize)]
        struct CriterionRef {
            criterion: String,
            #[serde(default)]
            title: Option<String>,
        }
        let view: View =
            serde_json::from_value(value.clone()).map_err(|e| ShapeError(e.to_string()))?;
        let check = |what: &str, g: &Grade| {
            if !(1..=4).contains(&g.level) {
                return Err(ShapeError(format!("{what} level {} is not 1-4", g.level)));
            }
            if !(0.0..=1.0).contains(&g.score) {
                return Err(ShapeError(format!(
                    "{what} score {} is not in 0..1",
                    g.score
                )));
            }
            Ok(())
        };
        check("overall", &view.overall)?;
        let mut dimensions = BTreeMap::new();
        for (dimension, d) in view.dimensions {
            let grade = Grade {
                score: d.score,
                level: d.level,
                label: d.label,
            };
            check(dimension.as_str(), &grade)?;
            let titles = d
                .hits
                .iter()
                .filter_map(|c| Some((c.criterion.clone(), c.title.clone()?)))
                .collect();
            dimensions.insert(
                dimension,
                DimensionScore {
                    grade,
                    hits: d.hits.into_iter().map(|c| c.criterion).collect(),
                    misses: d.misses.into_iter().map(|c| c.criterion).collect(),
                    titles,
                },
            );
        }
        Ok(Scores {
            overall: view.overall,
            dimensions,
        })
    }

    /// The level of one dimension, if the evaluation graded it.
    pub fn level(&self, dimension: Dimension) -> Option<u8> {
        self.dimensions.get(&dimension).map(|d| d.grade.level)
    }
}

/// A stable fingerprint of the rubric that scores one question: the compiled rubric plus the
/// question's own criteria, kind and weights, as canonical JSON hashed with FNV-1a (64 bit).
///
/// Canonical because it goes through `serde_json::Value`, whose maps keep keys sorted, so a
/// `HashMap` inside the rubric cannot make the fingerprint vary between runs; FNV because std's
/// hasher is randomly seeded per process. The fingerprint only tells "same rubric or not", so a
/// non-cryptographic hash is enough. Returns `fnv1a64:` and 16 hex digits.
pub fn rubric_fingerprint(
    rubric: &impl Serialize,
    question: &crate::model::pack::Question,
) -> Result<String, ShapeError> {
    let canonical = serde_json::json!({
        "rubric": serde_json::to_value(rubric).map_err(|e| ShapeError(e.to_string()))?,
        "kind": question.kind,
        "question_rubric": question.rubric,
    });
    Ok(format!(
        "fnv1a64:{}",
        fnv1a64_hex(canonical.to_string().as_bytes())
    ))
}

/// The record of an attempt just graded, and the one way one is made: what `practice`,
/// `score --record` and `drill --record` hand to the history. `entry` is the question with its
/// pack, `fingerprint` what the judge that produced `evaluation` says of the question
/// ([`crate::judge::Judge::fingerprint`]); optional details (hints, facts, seed, time,
/// candidate) can be set on the result.
pub fn attempt_for(
    recorded_at: Timestamp,
    source: Source,
    entry: crate::pack::Entry<'_>,
    answer: Answer,
    evaluation: &crate::rubric::Evaluation,
    fingerprint: String,
) -> Result<NewAttempt, ShapeError> {
    NewAttempt::new(
        recorded_at,
        source,
        PackRef::of(entry.pack),
        &entry.question.id,
        answer,
        evaluation,
        fingerprint,
    )
}

/// FNV-1a (64 bit) of `bytes` as 16 lowercase hex digits.
pub fn fnv1a64_hex(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(bytes))
}

/// FNV-1a, 64 bit: a fixed, documented hash, tiny enough not to need a crate.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn evaluation(levels: [u8; 4]) -> serde_json::Value {
        let dim = |l: u8| {
            json!({"score": f64::from(l) / 4.0, "level": l, "label": "Solid",
                   "hits": [{"criterion": format!("c{l}"), "excerpt": "x"}], "misses": [], "penalties": []})
        };
        json!({"question": "q", "overall": {"score": 0.5, "level": 2, "label": "Emerging"},
               "dimensions": {"context": dim(levels[0]), "trade-offs": dim(levels[1]),
                              "ownership": dim(levels[2]), "communication": dim(levels[3])},
               "flags": []})
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        // Published FNV-1a 64 test vectors: the fingerprint must never change between builds.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn scores_read_levels_and_criteria_and_ignore_extra_fields() {
        let mut v = evaluation([1, 2, 3, 4]);
        v["future_field"] = json!(true);
        let s = Scores::from_evaluation(&v).unwrap();
        assert_eq!(s.level(Dimension::Context), Some(1));
        assert_eq!(s.level(Dimension::Communication), Some(4));
        assert_eq!(s.dimensions[&Dimension::Ownership].hits, vec!["c3"]);
        assert_eq!(s.overall.level, 2);
    }

    #[test]
    fn scores_reject_out_of_range_levels() {
        let mut v = evaluation([1, 2, 3, 4]);
        v["dimensions"]["context"]["level"] = json!(9);
        let e = Scores::from_evaluation(&v).unwrap_err();
        assert!(e.0.contains("context level 9"), "{e}");
        assert!(Scores::from_evaluation(&json!({"overall": 1})).is_err());
    }

    #[test]
    fn pack_revision_is_optional_both_ways() {
        // Records written before packs were installable have no revision and read as before.
        let old: PackRef =
            serde_json::from_value(json!({"id": "core", "version": "1.0.0"})).unwrap();
        assert_eq!(old, PackRef::new("core", "1.0.0"));
        assert_eq!(
            serde_json::to_value(&old).unwrap(),
            json!({"id": "core", "version": "1.0.0"})
        );
        let mut installed = old;
        installed.revision = Some("git:abc".into());
        assert_eq!(
            serde_json::to_value(&installed).unwrap(),
            json!({"id": "core", "version": "1.0.0", "revision": "git:abc"})
        );
    }

    #[test]
    fn current_evaluation_prefers_the_newest_rescore() {
        let a = NewAttempt::new(
            Timestamp::UNIX_EPOCH,
            Source::Score,
            PackRef::new("core", "1.0.0"),
            "q",
            Answer::whole("text"),
            &evaluation([1, 1, 1, 1]),
            "fnv1a64:0",
        )
        .unwrap();
        let mut a = a.with_id(1);
        assert_eq!(a.scores().unwrap().level(Dimension::Context), Some(1));
        a.rescored.push(Rescore {
            rescored_at: Timestamp::UNIX_EPOCH,
            pack: PackRef::new("core", "1.1.0"),
            rubric_fingerprint: "fnv1a64:1".into(),
            evaluation: evaluation([3, 3, 3, 3]),
        });
        assert_eq!(a.scores().unwrap().level(Dimension::Context), Some(3));
        assert_eq!(a.current_fingerprint(), "fnv1a64:1");
    }
}
