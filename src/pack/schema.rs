//! JSON Schemas of the pack format, derived from the serde types so they cannot drift apart.
//!
//! The same schema serves two readers: `rehearse schema` hands it to editors, and the loader walks
//! YAML against it to report every structural problem in a file at once.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::Value;

use crate::model::pack::{PackFile, QuestionFile, RubricExtension};
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

/// The schema editors use for a pack's `rubric.yaml`: a complete rubric (with `levels` and
/// `scoring`, like the built-in `question-bank/rubric.yaml`) or additions to the default rubric.
/// A rubric file is not a pack, so the pack schema would flag a legal one.
pub fn editor_rubric_schema() -> Value {
    let mut defs = serde_json::Map::new();
    let mut root = |name: &str, schema: Value| {
        let Value::Object(mut map) = schema else {
            return;
        };
        if let Some(Value::Object(inner)) = map.remove("$defs") {
            defs.extend(inner);
        }
        map.remove("$schema");
        defs.insert(name.to_string(), Value::Object(map));
    };
    root("RubricFile", rubric_file());
    root("RubricExtension", rubric_extension());
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "rehearse rubric file (rubric.yaml of a pack directory)",
        "description": "A complete rubric (levels, scoring, groups, criteria, signals, \
            anti-patterns, weights), or additions to the default rubric (groups, criteria, \
            disable, weights, anti_patterns). Reference: docs/rubric-format.md",
        "anyOf": [
            {"$ref": "#/$defs/RubricFile"},
            {"$ref": "#/$defs/RubricExtension"}
        ],
        "$defs": defs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pack::{Dimension, KEBAB_PATTERN, NOT_BLANK_PATTERN, SEMVER_PATTERN};
    use crate::pack::validate::{is_kebab, is_semver};

    /// Every file of the built-in pack passes the schema an editor would use for it: the rubric
    /// schema for `rubric.yaml`, the pack schema for the manifest and the question files.
    #[test]
    fn every_builtin_file_passes_its_published_schema() {
        let files = crate::pack::builtin::files();
        assert!(files.len() > 2);
        for (name, text) in files {
            let tree = crate::yaml::parse_tree(name, text).unwrap();
            let schema = if name.ends_with("/rubric.yaml") {
                editor_rubric_schema()
            } else {
                editor_schema()
            };
            let problems = crate::yaml::check_schema(name, &tree, &schema);
            assert!(problems.is_empty(), "{name}: {problems:?}");
        }
    }

    fn at<'v>(schema: &'v Value, pointer: &str) -> &'v Value {
        schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in the schema"))
    }

    /// Each limit `docs/pack-format.md` documents is in the schema editors check against.
    #[test]
    fn each_documented_limit_is_in_the_schema() {
        let s = editor_schema();
        let q = "/$defs/Question/properties";
        assert_eq!(at(&s, &format!("{q}/time_budget/minimum")), 1);
        assert_eq!(at(&s, &format!("{q}/time_budget/maximum")), 240);
        assert_eq!(at(&s, &format!("{q}/id/pattern")), KEBAB_PATTERN);
        assert_eq!(at(&s, &format!("{q}/prompt/pattern")), NOT_BLANK_PATTERN);
        assert_eq!(at(&s, &format!("{q}/tags/items/pattern")), KEBAB_PATTERN);
        assert_eq!(at(&s, "/properties/id/pattern"), KEBAB_PATTERN);
        assert_eq!(at(&s, "/properties/version/pattern"), SEMVER_PATTERN);
        assert_eq!(at(&s, "/properties/format_version/minimum"), 1);
        assert_eq!(at(&s, "/properties/format_version/maximum"), 1);
        for dim in Dimension::ALL.map(Dimension::as_str) {
            let p = format!("/$defs/ExpectedLevels/properties/{dim}");
            assert_eq!(at(&s, &format!("{p}/minimum")), 1, "{dim}");
            assert_eq!(at(&s, &format!("{p}/maximum")), 4, "{dim}");
            let w = format!("/$defs/Weights/properties/{dim}");
            assert_eq!(at(&s, &format!("{w}/minimum")), 0.0, "{dim}");
            assert_eq!(at(&s, &format!("{w}/maximum")), 10.0, "{dim}");
        }
        for def in ["Step", "Fact", "FollowUp", "CriterionSpec"] {
            assert_eq!(
                at(&s, &format!("/$defs/{def}/properties/id/pattern")),
                KEBAB_PATTERN
            );
        }
        assert_eq!(
            at(&s, "/$defs/Step/properties/ask/pattern"),
            NOT_BLANK_PATTERN
        );
        assert_eq!(at(&s, "/$defs/Step/properties/min_words/maximum"), 2000);
        assert_eq!(at(&s, "/$defs/Fact/properties/asks/minItems"), 1);
        // The rubric schema carries the same shared definitions.
        let r = editor_rubric_schema();
        assert_eq!(
            at(&r, "/$defs/CriterionSpec/properties/id/pattern"),
            KEBAB_PATTERN
        );
        assert_eq!(at(&r, "/anyOf/0/$ref"), "#/$defs/RubricFile");
    }

    /// The schema's patterns say what the validator checks, so an editor and `pack validate`
    /// agree on every id and version.
    #[test]
    fn the_patterns_agree_with_the_validator() {
        let regex = |p: &str| regex_automata::meta::Regex::new(p).unwrap();
        let (kebab, semver, not_blank) = (
            regex(KEBAB_PATTERN),
            regex(SEMVER_PATTERN),
            regex(NOT_BLANK_PATTERN),
        );
        for id in [
            "a",
            "slow-login",
            "a1-b2",
            "Slow_Login",
            "-a",
            "a-",
            "a--b",
            "",
            "a b",
            "é",
            "1",
        ] {
            assert_eq!(kebab.is_match(id), is_kebab(id), "{id:?}");
        }
        for v in [
            "1.0.0",
            "0.1.0",
            "10.20.30",
            "1.0.0-rc.1",
            "1.0.0+build",
            "1.0",
            "01.0.0",
            "1.0.0.0",
            "v1.0.0",
            "1.0.0-",
            "",
        ] {
            assert_eq!(semver.is_match(v), is_semver(v), "{v:?}");
        }
        assert!(not_blank.is_match(" x "));
        assert!(!not_blank.is_match(" \n\t"));
    }

    /// A criterion weight an editor accepts by the published schemas is one the rubric
    /// compiler accepts, and the other way round: 0 to 10, both ends included.
    #[test]
    fn criterion_weights_agree_with_the_rubric_compiler() {
        let rubric = crate::rubric::CompiledRubric::builtin();
        for schema in [editor_schema(), editor_rubric_schema()] {
            let weight = at(&schema, "/$defs/CriterionSpec/properties/weight");
            let bound = |key: &str| weight.get(key).and_then(Value::as_f64);
            let schema_accepts = |w: f64| {
                bound("minimum").is_none_or(|m| w >= m)
                    && bound("exclusiveMinimum").is_none_or(|m| w > m)
                    && bound("maximum").is_none_or(|m| w <= m)
                    && bound("exclusiveMaximum").is_none_or(|m| w < m)
            };
            for w in [-1.0, -0.01, 0.0, 0.5, 1.0, 10.0, 10.01, 11.0] {
                let spec: crate::model::pack::CriterionSpec =
                    serde_json::from_value(serde_json::json!({
                        "id": "c", "dimension": "context", "title": "C", "hint": "H",
                        "weight": w, "patterns": ["crux"]
                    }))
                    .unwrap();
                let compiler_accepts = rubric.criterion_errors(&spec).is_empty();
                assert_eq!(schema_accepts(w), compiler_accepts, "weight {w}");
            }
        }
    }
}
