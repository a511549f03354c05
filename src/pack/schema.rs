//! JSON Schemas of the pack format, derived from the serde types so they cannot drift apart.
//!
//! The same schema serves two readers: `rehearse schema` hands it to editors, and the loader walks
//! YAML against it to report every structural problem in a file at once.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::Value;

use super::model::{PackFile, QuestionFile, RubricExtension};
use crate::rubric::RubricFile;

fn schema_of<T: JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null)
}

/// The schema of a pack manifest or single-file pack.
pub fn pack_file() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(schema_of::<PackFile>).clone()
}

/// The schema of a question file inside a directory pack.
pub fn question_file() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(schema_of::<QuestionFile>).clone()
}

/// The schema of a complete rubric file (`question-bank/rubric.yaml`).
pub fn rubric_file() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(schema_of::<RubricFile>).clone()
}

/// The schema of a pack's rubric additions (`rubric.yaml` without `levels`/`scoring`).
pub fn rubric_extension() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(schema_of::<RubricExtension>).clone()
}

/// The schema editors use: a pack manifest, a single-file pack or a question file. Question files
/// have no required fields, so one schema fits all three; `title` and `$id` help editors show it.
pub fn editor_schema() -> Value {
    let mut schema = pack_file();
    if let Value::Object(map) = &mut schema {
        map.insert(
            "title".into(),
            Value::String("rehearse question pack (format_version 1)".into()),
        );
        map.insert(
            "description".into(),
            Value::String(
                "A rehearse pack manifest, single-file pack, or a question file of a directory \
                 pack. Reference: docs/pack-format.md"
                    .into(),
            ),
        );
        // A question file of a directory pack carries only `questions`; an editor cannot tell the
        // two apart by name, so nothing is required here and the loader checks the rest.
        map.insert("required".into(), Value::Array(Vec::new()));
    }
    schema
}
