//! Loading packs from disk or from the copy embedded in the binary.
//!
//! A pack is a single YAML file or a directory with a `pack.yaml` manifest. Both, and the embedded
//! built-in pack, go through the same path: read each file's text, check its structure against the
//! schema (every problem at once), parse it, then run the semantic checks across the whole pack
//! (duplicate ids span files). A pack that has any problem is not loaded at all: half a pack would
//! score answers against a rubric the author did not write.

use std::path::{Path, PathBuf};

use std::borrow::Cow;
use std::sync::OnceLock;

use super::limits::{self, FileKind};
use super::rubric::{RubricSource, compile_rubric};
use super::validate::{self, Parsed};
use crate::diag::{Diagnostic, Diagnostics};
use crate::embedded::Embedded;
use crate::model::pack::{FORMAT_VERSION, PackFile, Question, QuestionFile, RubricExtension};
use crate::rubric::{CompiledRubric, RubricError, RubricFile};
use crate::yaml::{self, Node, Value};

/// The file name of a directory pack's manifest.
pub const MANIFEST: &str = "pack.yaml";
/// The file name of a directory pack's rubric file (in the built-in pack: the default rubric).
pub const RUBRIC_FILE: &str = "rubric.yaml";

/// The id of the built-in pack.
pub const BUILTIN_ID: &str = "core";

/// Where a pack came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// A file or directory on disk.
    Path(PathBuf),
    /// A pack installed with `rehearse pack install`, in its directory under the data directory.
    Installed {
        /// Its directory.
        path: PathBuf,
        /// What exactly is installed: `git:COMMIT` or `sha256:HEX` (see `docs/distributing-packs.md`).
        revision: Option<String>,
    },
}

/// A loaded, validated pack.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The manifest fields (its `questions` moved into [`Pack::questions`]).
    pub meta: PackFile,
    /// Every question of the pack, in file order (manifest first, then files by name).
    pub questions: Vec<Question>,
    /// Rubric additions: the manifest's `rubric:` section.
    pub rubric: Option<RubricExtension>,
    /// The directory pack's `rubric.yaml`, if any (in the built-in pack, the default rubric).
    pub rubric_file: Option<RubricSource>,
    /// Where it came from.
    pub origin: Origin,
    /// The file each question was defined in (same order as `questions`).
    pub question_files: Vec<String>,
    /// The compiled rubric, built on first use.
    rubric_cache: OnceLock<Result<Cow<'static, CompiledRubric>, RubricError>>,
}

impl Pack {
    /// True for the pack embedded in the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin == Origin::Builtin
    }

    /// A pack of questions defined somewhere other than a pack file (a calibration file's own
    /// `questions:`), scored with the default rubric. The caller has checked the questions.
    pub fn inline(meta: PackFile, questions: Vec<Question>, origin: Origin, file: &str) -> Pack {
        Pack {
            meta,
            question_files: vec![file.to_string(); questions.len()],
            questions,
            rubric: None,
            rubric_file: None,
            origin,
            rubric_cache: OnceLock::new(),
        }
    }

    /// For an installed pack, the commit or checksum installed; history records it with the
    /// version, since an author may change questions without bumping the version.
    pub fn revision(&self) -> Option<&str> {
        match &self.origin {
            Origin::Installed { revision, .. } => revision.as_deref(),
            _ => None,
        }
    }

    /// The rubric this pack's answers are scored with: the default rubric (or the pack's own
    /// complete `rubric.yaml`), extended by its `rubric.yaml` additions and then by the manifest's
    /// `rubric:` section. Compiled once per pack. A validated pack always compiles; the error is
    /// for packs built by hand in code.
    pub fn rubric(&self) -> Result<&CompiledRubric, &RubricError> {
        self.rubric_cache
            .get_or_init(|| {
                // The embedded pack's rubric.yaml is the default rubric itself: use the copy
                // compiled once per process rather than compiling or copying it again.
                if self.is_builtin() {
                    if let (None, Ok(default)) = (&self.rubric, CompiledRubric::builtin_checked())
                        && default.pack_id() == self.meta.id
                    {
                        return Ok(Cow::Borrowed(default));
                    }
                    return compile_rubric(&self.meta.id, None, self.rubric.as_ref())
                        .map(Cow::Owned);
                }
                compile_rubric(
                    &self.meta.id,
                    self.rubric_file.as_ref(),
                    self.rubric.as_ref(),
                )
                .map(Cow::Owned)
            })
            .as_ref()
            .map(|rubric| &**rubric)
    }
}

/// Loads a pack file or directory from disk.
pub fn load_path(path: &Path) -> Result<Pack, Diagnostics> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::file(
            &shown,
            format!("cannot read: {}", crate::diag::io_reason(&e)),
        )
    })?;
    let files = if meta.is_dir() {
        read_dir_files(path)?
    } else {
        vec![read_file(path, &shown)?]
    };
    load_files(
        files,
        meta.is_dir(),
        Origin::Path(path.to_path_buf()),
        &shown,
    )
}

fn read_file(path: &Path, shown: &str) -> Result<(String, Vec<u8>), Diagnostic> {
    let bytes = crate::input::read_file(path, shown, crate::yaml::MAX_FILE_BYTES)?;
    Ok((shown.to_string(), bytes))
}

/// Every `*.yaml`/`*.yml` file under `dir`, manifest first, then by path, so that load order (and
/// with it list order and seeded sampling) does not depend on the file system.
fn read_dir_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let manifest = dir.join(MANIFEST);
    if !manifest.is_file() {
        return Err(Diagnostic::file(
            dir.display().to_string(),
            format!(
                "no {MANIFEST} in this directory; a directory pack needs a manifest with \
                 format_version, id, title and version (see docs/pack-format.md)"
            ),
        )
        .into());
    }
    // Packs are shallow; loops, second names and unreadable names are found by the walk.
    let walk = crate::walk::yaml_files(dir, MAX_DIR_DEPTH);
    let mut paths = walk.files;
    paths.sort();
    paths.retain(|p| p != &manifest);
    paths.insert(0, manifest);
    let mut files = Vec::new();
    let mut problems = walk.problems;
    for p in paths {
        match read_file(&p, &p.display().to_string()) {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

/// How many directories deep a directory pack's files may sit; deeper files are not read.
pub const MAX_DIR_DEPTH: usize = 8;

/// True for a file the loader reads from a directory pack, given its path inside the pack: a
/// `*.yaml` or `*.yml` file, no part of its path starting with `.`, at most [`MAX_DIR_DEPTH`]
/// directories deep. The walk of a directory reads exactly these; installers pick files from an
/// archive or a repository with it, so an installed pack holds what `pack validate` checked.
pub fn is_pack_file(rel: &Path) -> bool {
    let mut parts = 0;
    for part in rel.components() {
        let std::path::Component::Normal(name) = part else {
            return false;
        };
        if name.to_str().is_none_or(|n| n.starts_with('.')) {
            return false;
        }
        parts += 1;
    }
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    parts <= MAX_DIR_DEPTH + 1 && is_yaml_name(name)
}

fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Loads a pack from already-read files. For a directory pack the manifest comes first.
pub fn load_files(
    files: Vec<(String, Vec<u8>)>,
    is_dir: bool,
    origin: Origin,
    shown: &str,
) -> Result<Pack, Diagnostics> {
    let mut problems = Vec::new();
    let mut files = files.into_iter();
    let Some((manifest_name, manifest_bytes)) = files.next() else {
        return Err(Diagnostic::file(shown, "no pack files found").into());
    };
    let manifest = match parse_one::<PackFile>(
        &manifest_name,
        &manifest_bytes,
        &super::schema::pack_file(),
        "a pack: format_version, id, title, version and questions",
        FileKind::Manifest,
    ) {
        Ok((m, mut d)) => {
            problems.append(&mut d);
            Some(m)
        }
        Err(mut d) => {
            let fatal = d.iter().any(|d| d.message.contains("newer rehearse"));
            problems.append(&mut d);
            if fatal {
                return Err(Diagnostics(problems));
            }
            None
        }
    };
    let mut question_files: Vec<Parsed<QuestionFile>> = Vec::new();
    let mut rubric_file = None;
    if is_dir {
        for (name, bytes) in files {
            if Path::new(&name).file_name().and_then(|n| n.to_str()) == Some(RUBRIC_FILE) {
                match parse_rubric_file(&name, &bytes) {
                    Ok((parsed, mut d)) => {
                        problems.append(&mut d);
                        rubric_file = Some(parsed);
                    }
                    Err(mut d) => problems.append(&mut d),
                }
                continue;
            }
            match parse_one::<QuestionFile>(
                &name,
                &bytes,
                &super::schema::question_file(),
                "a list of questions under `questions:`",
                FileKind::Questions,
            ) {
                Ok((parsed, mut d)) => {
                    problems.append(&mut d);
                    question_files.push(parsed);
                }
                Err(mut d) => problems.append(&mut d),
            }
        }
    }
    let Some(manifest) = manifest else {
        return Err(Diagnostics(problems).sorted());
    };
    let files_ok = problems.is_empty();
    problems.extend(validate::check_pack(
        &manifest,
        &question_files,
        rubric_file.as_ref(),
        files_ok,
    ));
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    let Parsed {
        name: manifest_name,
        value: mut meta,
        ..
    } = manifest;
    let mut questions = std::mem::take(&mut meta.questions);
    let mut names = vec![manifest_name; questions.len()];
    for file in question_files {
        names.extend(std::iter::repeat_n(file.name, file.value.questions.len()));
        questions.extend(file.value.questions);
    }
    let rubric = meta.rubric.take();
    Ok(Pack {
        meta,
        questions,
        rubric,
        rubric_file: rubric_file.map(|p| p.value),
        origin,
        question_files: names,
        rubric_cache: OnceLock::new(),
    })
}

/// Loads the embedded built-in pack without re-checking it: the same files pass
/// `rehearse pack validate question-bank` in the test suite and in CI (and a unit test loads the
/// embedded copy through the full path), so a second check on every start would only cost time:
/// it is most of what a short command like `rehearse score` spends. Files are read from their
/// JSON copies, one after another: that takes about 3 ms in all, less than starting threads and
/// their allocator arenas costs.
pub fn load_trusted(files: Vec<(String, Embedded)>) -> Result<Pack, Diagnostics> {
    let Some(((manifest_name, manifest), rest)) = files.split_first() else {
        return Err(Diagnostic::file("question-bank", "no pack files found").into());
    };
    let parse = |(name, file): &(String, Embedded)| {
        if Path::new(name).file_name().and_then(|n| n.to_str()) == Some(RUBRIC_FILE) {
            yaml::parse_with_copy::<RubricFile>(name, file.yaml, file.json)
                .map(|f| Either::Rubric(RubricSource::Full(Box::new(f))))
        } else {
            yaml::parse_with_copy::<QuestionFile>(name, file.yaml, file.json).map(Either::Questions)
        }
    };
    let mut results = vec![
        yaml::parse_with_copy::<PackFile>(manifest_name, manifest.yaml, manifest.json)
            .map(Either::Manifest),
    ];
    results.extend(rest.iter().map(parse));
    let mut meta = None;
    let mut questions = Vec::new();
    let mut names = Vec::new();
    let mut rubric_file = None;
    let mut problems = Vec::new();
    for ((name, _), result) in files.iter().zip(results) {
        match result {
            Ok(Either::Manifest(m)) => meta = Some(m),
            Ok(Either::Questions(q)) => {
                names.extend(std::iter::repeat_n(name.clone(), q.questions.len()));
                questions.extend(q.questions);
            }
            Ok(Either::Rubric(r)) => rubric_file = Some(r),
            Err(d) => problems.push(d),
        }
    }
    let Some(mut meta) = meta.filter(|_| problems.is_empty()) else {
        return Err(Diagnostics(problems).sorted());
    };
    let mut all = std::mem::take(&mut meta.questions);
    let mut all_names = vec![manifest_name.clone(); all.len()];
    all.append(&mut questions);
    all_names.append(&mut names);
    let rubric = meta.rubric.take();
    Ok(Pack {
        meta,
        questions: all,
        rubric,
        rubric_file,
        origin: Origin::Builtin,
        question_files: all_names,
        rubric_cache: OnceLock::new(),
    })
}

/// One parsed file of the built-in pack.
enum Either {
    Manifest(PackFile),
    Questions(QuestionFile),
    Rubric(RubricSource),
}

/// A file's typed value and its structural problems: `Ok` with the problems when a value could
/// be had (repaired where the problems are, for the semantic checks), `Err` when none could.
type Checked<T> = Result<(Parsed<T>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Reads a directory pack's `rubric.yaml`: a complete rubric when it has `levels` or `scoring`,
/// additions to the default rubric otherwise.
fn parse_rubric_file(name: &str, bytes: &[u8]) -> Checked<RubricSource> {
    let text = yaml::text_of(name, bytes, "a rubric").map_err(|d| vec![d])?;
    let tree = yaml::parse_tree(name, text).map_err(|d| vec![d])?;
    refuse_long_lists(name, &tree, FileKind::Rubric)?;
    let full = ["levels", "scoring"]
        .iter()
        .any(|k| tree.get(&crate::path![*k]).is_some());
    if full {
        let (parsed, problems) =
            typed::<RubricFile>(name, text, tree, &super::schema::rubric_file())?;
        Ok((parsed.map(|f| RubricSource::Full(Box::new(f))), problems))
    } else {
        let (parsed, problems) =
            typed::<RubricExtension>(name, text, tree, &super::schema::rubric_extension())?;
        Ok((parsed.map(RubricSource::Extension), problems))
    }
}

/// Reads one file: text checks, format version, schema walk, typed parse.
fn parse_one<T: serde::de::DeserializeOwned>(
    name: &str,
    bytes: &[u8],
    schema: &serde_json::Value,
    what: &str,
    kind: FileKind,
) -> Checked<T> {
    let text = yaml::text_of(name, bytes, what).map_err(|d| vec![d])?;
    let tree = yaml::parse_tree(name, text).map_err(|d| vec![d])?;
    if !matches!(tree.value, Value::Map(_)) {
        return Err(vec![Diagnostic::at(
            name,
            tree.pos,
            format!("expected a mapping at the top level with {what}"),
        )]);
    }
    check_format_version(name, &tree)?;
    refuse_long_lists(name, &tree, kind)?;
    typed(name, text, tree, schema)
}

/// The schema walk, then the typed value: parsed from the text when the walk found nothing, else
/// read from the walk's repaired copy, so that the semantic checks still run and every problem
/// of the file is reported in one run.
fn typed<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
    tree: Node,
    schema: &serde_json::Value,
) -> Checked<T> {
    let checked = yaml::check_and_repair(name, &tree, schema);
    let parsed = |value, placeholders| Parsed {
        name: name.to_string(),
        tree,
        value,
        placeholders,
    };
    if checked.problems.is_empty() {
        let value = yaml::parse_typed::<T>(name, text).map_err(|d| vec![d])?;
        return Ok((parsed(value, Vec::new()), Vec::new()));
    }
    match checked.repaired.map(serde_json::from_value::<T>) {
        Some(Ok(value)) => Ok((parsed(value, checked.placeholders), checked.problems)),
        // The repair always deserialises for the pack model; if it ever does not, the
        // structural problems alone are still the right report.
        _ => Err(checked.problems),
    }
}

impl<T> Parsed<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed {
            name: self.name,
            tree: self.tree,
            value: f(self.value),
            placeholders: self.placeholders,
        }
    }
}

/// Lists longer than a rubric may have end the reading of a file before the schema walk, the
/// typed parse and the semantic checks go through every entry (see [`limits`]).
fn refuse_long_lists(name: &str, tree: &Node, kind: FileKind) -> Result<(), Vec<Diagnostic>> {
    let over = limits::check(name, tree, kind);
    if over.is_empty() { Ok(()) } else { Err(over) }
}

/// `format_version` is checked before anything else: a newer pack may use fields this build does
/// not know, and listing those as typos would mislead the author.
fn check_format_version(name: &str, tree: &Node) -> Result<(), Vec<Diagnostic>> {
    let Some(node) = tree.get(&crate::path!["format_version"]) else {
        return Ok(());
    };
    match node.value {
        Value::Int(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Value::Int(v) if v > i64::from(FORMAT_VERSION) => Err(vec![Diagnostic::at(
            name,
            node.pos,
            format!(
                "this pack uses format_version {v}, but this rehearse reads format_version \
                 {FORMAT_VERSION}; it needs a newer rehearse (upgrade with `cargo install rehearse` \
                 or from the project's repository)"
            ),
        )]),
        _ => Err(vec![Diagnostic::at(
            name,
            node.pos,
            format!(
                "format_version: expected {FORMAT_VERSION}, the only version this rehearse reads"
            ),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    const MINI: &str = include_str!("../../tests/fixtures/packs/mini.yaml");

    fn load(bytes: Vec<u8>) -> Result<Pack, Diagnostics> {
        load_files(
            vec![("t.yaml".to_string(), bytes)],
            false,
            Origin::Path("t.yaml".into()),
            "t.yaml",
        )
    }

    #[test]
    fn the_test_pack_loads_with_default_steps_available() {
        let pack = load(MINI.as_bytes().to_vec()).expect("mini pack is valid");
        assert_eq!(pack.meta.id, "mini");
        assert_eq!(pack.questions.len(), 4);
    }

    /// Whatever the bytes, loading returns a value or diagnostics: never a panic. Mutations of a
    /// valid pack reach deep into the validator; random bytes exercise the text checks.
    #[test]
    fn no_input_makes_the_loader_panic() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let base = MINI.as_bytes();
        for round in 0..400 {
            let mut bytes = base.to_vec();
            match round % 4 {
                0 => {
                    // Flip a few bytes anywhere.
                    for _ in 0..rng.random_range(1..6) {
                        let i = rng.random_range(0..bytes.len());
                        bytes[i] = rng.random();
                    }
                }
                1 => {
                    // Cut the file short.
                    bytes.truncate(rng.random_range(0..bytes.len()));
                }
                2 => {
                    // Replace a punctuation byte that YAML cares about.
                    let marks = [
                        b':', b'-', b'[', b']', b'{', b'}', b'&', b'*', b'|', b'\n', b' ',
                    ];
                    for _ in 0..rng.random_range(1..4) {
                        let i = rng.random_range(0..bytes.len());
                        bytes[i] = marks[rng.random_range(0..marks.len())];
                    }
                }
                _ => {
                    bytes = (0..rng.random_range(0..512))
                        .map(|_| rng.random())
                        .collect();
                }
            }
            let _ = load(bytes);
        }
    }
}
