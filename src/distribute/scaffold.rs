//! `rehearse pack new`: a new directory pack that validates and passes its self-tests as created.
//!
//! The files are data kept beside this module (`new_pack/`) and embedded at build time
//! ([`crate::embedded::new_pack`]): a
//! commented manifest, one commented question per kind (with steps, a follow-up, facts for a
//! degradation, and a strong and a weak graded example), a README for the pack's authors (how to
//! validate, test, calibrate and publish) and a CI workflow that runs the checks on every push.
//! Only the pack id, its title and the directory name are filled in; the test suite runs
//! `pack validate` and `pack test` over the result for every kind.

use std::path::{Path, PathBuf};

use crate::embedded::new_pack;
use crate::model::pack::Kind;
use crate::pack::load::{BUILTIN_ID, MANIFEST};
use crate::pack::validate::is_kebab;

/// Where the CI workflow goes in a new pack.
pub const CI_PATH: &str = ".github/workflows/rehearse-pack.yml";

/// The example question of one kind.
fn question_template(kind: Kind) -> &'static str {
    match kind {
        Kind::TradeOff => new_pack::TRADE_OFF,
        Kind::Degradation => new_pack::DEGRADATION,
        Kind::Retrospective => new_pack::RETROSPECTIVE,
        Kind::SystemDesign => new_pack::SYSTEM_DESIGN,
    }
}

/// Why a pack could not be created.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScaffoldError {
    /// The id is not usable.
    #[error("{0}")]
    BadId(String),
    /// The directory has files in it already.
    #[error(
        "{0} exists and is not empty; `rehearse pack new` writes into a new or empty directory"
    )]
    NotEmpty(String),
    /// Writing failed.
    #[error("cannot write {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The pack id for `dir` when none is given: its name, lowercased, with `_` and spaces as `-`.
pub fn id_for(dir: &Path, given: Option<&str>) -> Result<String, ScaffoldError> {
    let id = match given {
        Some(id) => id.to_string(),
        None => dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_lowercase()
            .replace(['_', ' '], "-"),
    };
    if !is_kebab(&id) {
        let shown = super::escape::clean(&id);
        return Err(ScaffoldError::BadId(match given {
            Some(_) => format!(
                "pack id `{shown}` must be kebab-case (lowercase letters, digits and single \
                 dashes), such as `backend-bootcamp`"
            ),
            None => format!(
                "cannot make a pack id from the directory name `{shown}`; give one with --id, \
                 such as --id backend-bootcamp"
            ),
        }));
    }
    if id == BUILTIN_ID {
        return Err(ScaffoldError::BadId(format!(
            "`{BUILTIN_ID}` is the built-in pack's id; choose another with --id"
        )));
    }
    Ok(id)
}

/// The files of a new pack, by path inside it. `kinds` empty means every kind.
pub fn files(id: &str, dir_name: &str, kinds: &[Kind]) -> Vec<(PathBuf, String)> {
    let title = title_for(id);
    let fill = |t: &str| {
        t.replace("{{id}}", id)
            .replace("{{title}}", &title)
            .replace("{{dir}}", dir_name)
    };
    let mut out = vec![(PathBuf::from(MANIFEST), fill(new_pack::MANIFEST))];
    for kind in Kind::ALL {
        if kinds.is_empty() || kinds.contains(&kind) {
            out.push((
                Path::new("questions").join(format!("{kind}.yaml")),
                fill(question_template(kind)),
            ));
        }
    }
    out.push((PathBuf::from("README.md"), fill(new_pack::README)));
    out.push((PathBuf::from(CI_PATH), fill(new_pack::CI)));
    out
}

/// "backend-bootcamp" → "Backend bootcamp".
fn title_for(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Creates the pack in `dir` (new, or empty). Returns the files written, by path inside it.
pub fn create(dir: &Path, id: &str, kinds: &[Kind]) -> Result<Vec<PathBuf>, ScaffoldError> {
    let shown = dir.display().to_string();
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(ScaffoldError::NotEmpty(shown));
    }
    let dir_name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(id)
        .to_string();
    let mut written = Vec::new();
    for (rel, text) in files(id, &dir_name, kinds) {
        let path = dir.join(&rel);
        let write = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = write {
            return Err(ScaffoldError::Io {
                path: path.display().to_string(),
                reason: crate::diag::io_reason(&e),
            });
        }
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::load::load_path;

    #[test]
    fn ids_come_from_the_directory_or_the_flag_and_must_be_kebab() {
        assert_eq!(
            id_for(Path::new("/x/Backend_Pack"), None).unwrap(),
            "backend-pack"
        );
        assert_eq!(id_for(Path::new("x"), Some("mine")).unwrap(), "mine");
        let e = id_for(Path::new("/x/Ünï"), None).unwrap_err().to_string();
        assert!(e.contains("give one with --id"), "{e}");
        assert!(id_for(Path::new("x"), Some("Not Kebab")).is_err());
        assert!(id_for(Path::new("core"), None).is_err());
        assert_eq!(title_for("backend-bootcamp"), "Backend bootcamp");
    }

    #[test]
    fn a_new_pack_validates_for_every_choice_of_kinds_and_refuses_a_full_directory() {
        let tmp = tempfile::tempdir().unwrap();
        for kinds in [
            vec![],
            vec![Kind::Degradation],
            vec![Kind::SystemDesign, Kind::TradeOff],
        ] {
            let dir = tmp.path().join(format!("p{}", kinds.len()));
            let written = create(&dir, "bootcamp", &kinds).unwrap();
            assert!(written.contains(&PathBuf::from(CI_PATH)));
            let pack = load_path(&dir).unwrap_or_else(|d| panic!("{d}"));
            let expected = if kinds.is_empty() { 4 } else { kinds.len() };
            assert_eq!(pack.questions.len(), expected);
            assert_eq!(pack.meta.title, "Bootcamp");
            for q in &pack.questions {
                assert_eq!(q.examples.len(), 2, "{}", q.id);
                assert!(!q.follow_ups.is_empty(), "{}", q.id);
                assert!(!q.steps.is_empty(), "{}", q.id);
                assert_eq!(q.kind == Kind::Degradation, !q.facts.is_empty(), "{}", q.id);
            }
            let e = create(&dir, "bootcamp", &kinds).unwrap_err();
            assert!(matches!(e, ScaffoldError::NotEmpty(_)), "{e}");
        }
    }

    #[test]
    fn every_example_question_passes_its_self_tests() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("bootcamp");
        create(&dir, "bootcamp", &[]).unwrap();
        let pack = load_path(&dir).unwrap_or_else(|d| panic!("{d}"));
        let rubric = pack.rubric().expect("the pack's rubric compiles");
        let judge = crate::judge::for_pack(&pack).expect("the pack has a judge");
        for q in &pack.questions {
            let failures = crate::commands::pack_test::test_question(&*judge, rubric, q);
            assert!(failures.is_empty(), "{}:\n{}", q.id, failures.join("\n"));
        }
    }
}
