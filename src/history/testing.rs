//! Builders shared by the history unit tests: fixed times, evaluations with chosen levels, and
//! ready-made attempts, so each test states only what it is about.

use jiff::Timestamp;
use serde_json::json;

use super::record::{NewAttempt, PackRef, Source};
use crate::answer::Answer;

/// A fixed instant `secs` seconds after 2026-01-05T09:00:00Z (a Monday).
pub(crate) fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_767_603_600 + secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// An evaluation in the documented JSON shape with the given levels (context, trade-offs,
/// ownership, communication); hits name `DIM-hit` when the level is 3 or more, else a miss.
pub(crate) fn evaluation(levels: [u8; 4]) -> serde_json::Value {
    let dims = ["context", "trade-offs", "ownership", "communication"];
    let mut dimensions = serde_json::Map::new();
    for (name, level) in dims.iter().zip(levels) {
        let (hits, misses) = if level >= 3 {
            (
                json!([{"criterion": format!("{name}-hit"), "excerpt": "..."}]),
                json!([]),
            )
        } else {
            (
                json!([]),
                json!([{"criterion": format!("{name}-hit"), "hint": "..."}]),
            )
        };
        let label = ["Missing", "Emerging", "Solid", "Strong"][usize::from(level.clamp(1, 4)) - 1];
        dimensions.insert(
            (*name).to_string(),
            json!({"score": f64::from(level) / 4.0, "level": level, "label": label,
                   "hits": hits, "misses": misses, "penalties": []}),
        );
    }
    let mean = levels.iter().map(|l| f64::from(*l)).sum::<f64>() / 4.0;
    json!({"question": "q", "overall": {"score": mean / 4.0, "level": mean.round() as u8, "label": "Solid"},
           "dimensions": dimensions, "flags": []})
}

/// A scored attempt at `question` of the `core` pack, recorded at `when`.
pub(crate) fn new_attempt(question: &str, when: Timestamp, levels: [u8; 4]) -> NewAttempt {
    let mut n = NewAttempt::new(
        when,
        Source::Score,
        PackRef::new("core", "1.0.0"),
        question,
        Answer::whole(format!("An answer to {question}.")),
        &evaluation(levels),
        "fnv1a64:0000000000000000",
    )
    .unwrap_or_else(|e| panic!("test evaluation is malformed: {e}"));
    n.seed = Some(7);
    n
}
