//! The files built into the binary, in one place: the built-in question bank (`question-bank/`,
//! listed by `build.rs` with a JSON copy of each file made at build time), the default rubric among
//! them, and the files `rehearse pack new` writes (kept in `src/distribute/new_pack/`).
//!
//! Data only, and a leaf: the pack loader, the rubric and the scaffold read from here, and nothing
//! here reads the rest of rehearse.

mod bank {
    include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
}

/// One embedded file of the built-in bank: its YAML, and the same converted to JSON at build time
/// when it converts (reading the JSON is about ten times faster).
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// The file as written.
    pub yaml: &'static str,
    /// Its JSON copy, or `None` when the YAML did not convert.
    pub json: Option<&'static str>,
}

/// Every file of the built-in bank as (path relative to the crate, file), sorted by path.
pub fn bank_files() -> impl Iterator<Item = (&'static str, Embedded)> {
    bank::FILES
        .iter()
        .map(|&(path, yaml, json)| (path, Embedded { yaml, json }))
}

/// Where the default rubric sits in the crate.
pub const DEFAULT_RUBRIC_PATH: &str = "question-bank/rubric.yaml";

/// The default rubric as shipped.
pub const DEFAULT_RUBRIC_YAML: &str = include_str!("../question-bank/rubric.yaml");

/// The default rubric, with the JSON copy `build.rs` made of it.
pub fn default_rubric() -> Embedded {
    Embedded {
        yaml: DEFAULT_RUBRIC_YAML,
        json: bank_files()
            .find(|(path, _)| *path == DEFAULT_RUBRIC_PATH)
            .and_then(|(_, file)| file.json),
    }
}

/// The files of a new pack (`rehearse pack new`), filled in with its id by the scaffold.
pub mod new_pack {
    /// The commented manifest.
    pub const MANIFEST: &str = include_str!("distribute/new_pack/pack.yaml");
    /// The README for the pack's authors.
    pub const README: &str = include_str!("distribute/new_pack/README.md");
    /// The CI workflow that checks the pack on every push.
    pub const CI: &str = include_str!("distribute/new_pack/ci/rehearse-pack.yml");
    /// The example trade-off question.
    pub const TRADE_OFF: &str = include_str!("distribute/new_pack/trade-off.yaml");
    /// The example degradation scenario.
    pub const DEGRADATION: &str = include_str!("distribute/new_pack/degradation.yaml");
    /// The example retrospective question.
    pub const RETROSPECTIVE: &str = include_str!("distribute/new_pack/retrospective.yaml");
    /// The example system-design question.
    pub const SYSTEM_DESIGN: &str = include_str!("distribute/new_pack/system-design.yaml");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without its JSON copy the default rubric would still load, from the YAML, ten times
    /// slower on every start: nothing else would notice a path that stopped matching.
    #[test]
    fn the_default_rubric_is_a_bank_file_and_has_its_json_copy() {
        let (_, file) = bank_files()
            .find(|(path, _)| *path == DEFAULT_RUBRIC_PATH)
            .expect("question-bank/rubric.yaml is embedded with the bank");
        assert_eq!(file.yaml, DEFAULT_RUBRIC_YAML);
        assert_eq!(default_rubric().json, file.json);
        assert!(default_rubric().json.is_some());
    }
}
