//! The built-in pack, embedded in the binary at build time so rehearse works from any directory.
//!
//! `build.rs` lists the files of `question-bank/` ([`crate::embedded`] holds them); they are
//! loaded through the same loader and validator as any pack on disk, so a broken built-in pack
//! fails the test suite, not a user.

use std::sync::OnceLock;

use super::load::{self, MANIFEST, Origin, Pack};
use crate::diag::Diagnostics;
use crate::embedded::{Embedded, bank_files};

/// The embedded files as (path, content), manifest first.
fn embedded() -> Vec<(&'static str, Embedded)> {
    let mut files: Vec<_> = bank_files().collect();
    files.sort_by_key(|(path, _)| (!path.ends_with(&format!("/{MANIFEST}")), *path));
    files
}

/// The embedded files as (path, YAML text), manifest first.
pub fn files() -> Vec<(&'static str, &'static str)> {
    embedded()
        .into_iter()
        .map(|(path, file)| (path, file.yaml))
        .collect()
}

/// The built-in pack through the full loader and validator, as `pack validate` would check it.
pub fn pack_checked() -> Result<Pack, Diagnostics> {
    let files = files()
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect();
    load::load_files(files, true, Origin::Builtin, "question-bank")
}

/// The built-in pack, loaded once per process (without re-validation; see
/// [`load::load_trusted`]).
pub fn pack() -> Result<&'static Pack, &'static Diagnostics> {
    static PACK: OnceLock<Result<Pack, Diagnostics>> = OnceLock::new();
    PACK.get_or_init(|| {
        let files = embedded()
            .into_iter()
            .map(|(path, file)| (path.to_string(), file))
            .collect();
        load::load_trusted(files)
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::load::RUBRIC_FILE;
    use crate::pack::rubric::RubricSource;

    #[test]
    fn the_embedded_pack_passes_full_validation_and_the_fast_path_agrees() {
        let checked = match pack_checked() {
            Ok(p) => p,
            Err(d) => panic!("the embedded built-in pack is invalid:\n{d}"),
        };
        let fast = pack().expect("fast path loads");
        assert_eq!(checked.meta.id, fast.meta.id);
        let ids = |p: &Pack| p.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&checked), ids(fast));
        assert_eq!(checked.question_files, fast.question_files);
        // Field for field: the JSON copies made at build time say what the YAML says.
        assert_eq!(json(&checked.meta), json(&fast.meta));
        assert_eq!(json(&checked.questions), json(&fast.questions));
        assert_eq!(json(&checked.rubric), json(&fast.rubric));
        match (&checked.rubric_file, &fast.rubric_file) {
            (Some(RubricSource::Full(a)), Some(RubricSource::Full(b))) => {
                assert_eq!(json(&**a), json(&**b));
            }
            other => panic!("the built-in pack's rubric.yaml is a full rubric: {other:?}"),
        }
    }

    #[test]
    fn every_embedded_file_has_a_json_copy_that_reads() {
        for (path, file) in embedded() {
            let json = file
                .json
                .unwrap_or_else(|| panic!("{path} has no JSON copy"));
            let name = path.rsplit('/').next().unwrap_or(path);
            let reads = match name {
                MANIFEST => serde_json::from_str::<crate::model::pack::PackFile>(json).is_ok(),
                RUBRIC_FILE => serde_json::from_str::<crate::rubric::RubricFile>(json).is_ok(),
                _ => serde_json::from_str::<crate::model::pack::QuestionFile>(json).is_ok(),
            };
            assert!(
                reads,
                "{path}: the JSON copy does not read as the model (quote the scalar that YAML \
                 typed differently), so every start falls back to the slow YAML parse"
            );
        }
    }

    /// A follow-up is asked before the feedback shows the facts the candidate never uncovered, so
    /// one that opens with what "you" did to fix the problem ("You rolled the timeout back…")
    /// hands the cause to a candidate who never found it. An outcome may be supposed ("Suppose
    /// the duplicates have stopped."), never credited to the candidate.
    #[test]
    fn no_follow_up_of_a_scenario_credits_the_candidate_with_the_fix() {
        let pack = pack().expect("built-in pack loads");
        let mut wrong = Vec::new();
        for question in pack
            .questions
            .iter()
            .filter(|q| q.kind == crate::model::pack::Kind::Degradation)
        {
            for follow in &question.follow_ups {
                let first = follow.ask.split(['.', '?']).next().unwrap_or_default();
                if credits_the_candidate(first) {
                    wrong.push(format!("{}/{}: {first}", question.id, follow.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// True when `sentence` says the candidate did something ("you raised", "your changes")
    /// outside a supposition.
    fn credits_the_candidate(sentence: &str) -> bool {
        let words: Vec<String> = sentence
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.first().is_some_and(|w| w == "suppose") {
            return false;
        }
        const DEEDS: [&str; 8] = [
            "cut", "shed", "set", "put", "made", "took", "ran", "changes",
        ];
        words.windows(2).any(|pair| {
            matches!(pair[0].as_str(), "you" | "your")
                && ((pair[1].len() > 4 && pair[1].ends_with("ed"))
                    || DEEDS.contains(&pair[1].as_str()))
        })
    }

    #[test]
    fn a_sentence_that_credits_the_candidate_is_told_from_a_supposition() {
        assert!(credits_the_candidate("You rolled the timeout back to 30 s"));
        assert!(credits_the_candidate("Lag drained after your changes"));
        assert!(credits_the_candidate(
            "To stop the bleeding you raised the limit"
        ));
        assert!(credits_the_candidate(
            "You cut the cache to 500,000 entries"
        ));
        assert!(!credits_the_candidate("Suppose you stopped the 429s"));
        assert!(!credits_the_candidate("Finance asks what you need"));
    }

    /// A model value as JSON, for comparing two loads of the same files field for field.
    fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).expect("model values serialise")
    }
}
