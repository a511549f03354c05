//! The rubric engine: explainable, deterministic scoring of free-text answers.
//!
//! The default rubric (`question-bank/rubric.yaml`, embedded in the binary) is compiled once per
//! process into a [`CompiledRubric`]: every synonym group, criterion and anti-pattern becomes a
//! linear-time regex over normalised text. A pack may [`extend`](CompiledRubric::extend) it; a
//! question may add criteria, switch some off and change weights. [`score`] then turns a question
//! and an [`Answer`] into an [`Evaluation`] that quotes the words behind every point.
//!
//! Nothing here does I/O, and nothing panics on any text.

mod grounding;
pub mod pattern;
pub mod result;
mod score;
mod structure;
mod token_regex;
mod tone;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use crate::model::rubric::{LevelThresholds, RubricFile, ScoringSpec, Signal, SignalSpec};
pub use pattern::{Groups, Matcher, Pattern, PatternError, compile_pattern};
pub use result::{
    DimensionResult, Dimensions, Evaluation, Flag, Hit, Label, Miss, NextStep, Overall, Penalty,
    RESULT_FORMAT_VERSION,
};
pub use score::Scorer;

use crate::answer::Answer;
use crate::embedded;
use crate::model::pack::{
    AntiPatternSpec, CriterionSpec, Dimension, Kind, PerDimension, Question, RubricExtension,
    Weights,
};

/// Version of the rubric format this build reads.
pub const RUBRIC_FORMAT_VERSION: u32 = 1;

/// Where in a rubric a bad pattern sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternSite {
    /// Entry `index` of synonym group `name`.
    Group {
        /// Group name.
        name: String,
        /// Index in the group's list.
        index: usize,
    },
    /// Pattern `pattern` of criterion `id`.
    Criterion {
        /// Criterion id.
        id: String,
        /// Index in the criterion's `patterns`.
        pattern: usize,
    },
    /// Pattern `pattern` of criterion `id`'s `not_with`.
    CriterionNotWith {
        /// Criterion id.
        id: String,
        /// Index in the criterion's `not_with`.
        pattern: usize,
    },
    /// Pattern `pattern` of anti-pattern `id`.
    AntiPattern {
        /// Anti-pattern id.
        id: String,
        /// Index in the anti-pattern's `patterns`.
        pattern: usize,
    },
}

impl fmt::Display for PatternSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternSite::Group { name, index } => write!(f, "group \"{name}\" entry {}", index + 1),
            PatternSite::Criterion { id, pattern } => {
                write!(f, "criterion \"{id}\" pattern {}", pattern + 1)
            }
            PatternSite::CriterionNotWith { id, pattern } => {
                write!(f, "criterion \"{id}\" not_with pattern {}", pattern + 1)
            }
            PatternSite::AntiPattern { id, pattern } => {
                write!(f, "anti-pattern \"{id}\" pattern {}", pattern + 1)
            }
        }
    }
}

/// Why a rubric (default, pack extension or question refinement) cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RubricError {
    /// The rubric file does not parse.
    #[error("rubric does not parse: {0}")]
    Parse(String),
    /// Wrong format version.
    #[error(
        "rubric format_version {found} is not supported (this build reads {RUBRIC_FORMAT_VERSION})"
    )]
    Version {
        /// The version found.
        found: u32,
    },
    /// A pattern does not compile.
    #[error("{site}: {error}")]
    Pattern {
        /// Where it sits.
        site: PatternSite,
        /// What is wrong with it.
        error: PatternError,
    },
    /// More criteria than a rubric may have.
    #[error(
        "{count} criteria in one rubric, over the limit of {MAX_CRITERIA}; every criterion is \
         matched against every sentence of every answer"
    )]
    TooManyCriteria {
        /// How many there are.
        count: usize,
    },
    /// More anti-patterns than a rubric may have.
    #[error(
        "{count} anti-patterns in one rubric, over the limit of {MAX_ANTI_PATTERNS}; every \
         anti-pattern is matched against every sentence of every answer"
    )]
    TooManyAntiPatterns {
        /// How many there are.
        count: usize,
    },
    /// Two criteria, signals or anti-patterns share an id.
    #[error("id \"{0}\" is defined twice")]
    Duplicate(String),
    /// `disable` names nothing that exists.
    #[error("cannot disable \"{0}\": no criterion, signal or anti-pattern has that id")]
    UnknownDisable(String),
    /// `strong_requires` names no criterion.
    #[error("scoring.strong_requires.{dimension} names unknown criterion \"{criterion}\"")]
    UnknownStrongRequirement {
        /// The dimension.
        dimension: Dimension,
        /// The unknown criterion id.
        criterion: String,
    },
    /// A dimension's need names neither a criterion nor a signal.
    #[error("scoring.needs.{dimension}.any_of names unknown criterion or signal \"{id}\"")]
    UnknownNeed {
        /// The dimension.
        dimension: Dimension,
        /// The unknown id.
        id: String,
    },
    /// A dimension's need has a flag id that is not kebab-case.
    #[error(
        "scoring.needs.{dimension}.flag \"{flag}\" must be kebab-case (lowercase letters, \
         digits and single dashes)"
    )]
    NeedFlag {
        /// The dimension.
        dimension: Dimension,
        /// The flag as written.
        flag: String,
    },
    /// A question's `disable` names one of its own criteria, which only it defines.
    #[error(
        "cannot disable \"{0}\": it is one of the question's own criteria; remove it from \
         `criteria` instead"
    )]
    DisableOwn(String),
    /// `unless` names no criterion.
    #[error("anti-pattern \"{anti_pattern}\" names unknown criterion \"{criterion}\" in `unless`")]
    UnknownUnless {
        /// The anti-pattern.
        anti_pattern: String,
        /// The unknown criterion id.
        criterion: String,
    },
    /// A number is out of range.
    #[error("{what} must be a number from 0 to {max}, found {found}")]
    Range {
        /// What the number is.
        what: String,
        /// Largest allowed value.
        max: f64,
        /// The value found.
        found: f64,
    },
    /// A criterion or anti-pattern has no patterns.
    #[error("\"{0}\" has no patterns")]
    NoPatterns(String),
}

/// A criterion ready to match.
#[derive(Debug, Clone)]
pub(crate) struct Criterion {
    pub spec: CriterionSpec,
    pub weight: f64,
    pub pattern: Pattern,
    /// `not_with`: a match in the same unit voids the criterion's match there.
    pub void: Option<Pattern>,
}

/// An anti-pattern ready to match.
#[derive(Debug, Clone)]
pub(crate) struct AntiPattern {
    pub spec: AntiPatternSpec,
    pub penalty: f64,
    pub pattern: Pattern,
}

/// A rubric compiled for scoring: the default rubric, possibly extended by a pack.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    pack: String,
    file: RubricFile,
    groups: Arc<Groups>,
    criteria: Vec<Criterion>,
    anti_patterns: Vec<AntiPattern>,
}

static BUILTIN: OnceLock<Result<CompiledRubric, RubricError>> = OnceLock::new();

impl CompiledRubric {
    /// The default rubric, compiled on first use and shared for the rest of the process.
    ///
    /// The embedded rubric is checked by the test suite; should it ever fail to compile, this
    /// returns an empty rubric (every answer scores zero) rather than panicking, and
    /// [`CompiledRubric::builtin_checked`] reports the error.
    pub fn builtin() -> &'static CompiledRubric {
        static EMPTY: OnceLock<CompiledRubric> = OnceLock::new();
        match CompiledRubric::builtin_checked() {
            Ok(rubric) => rubric,
            Err(_) => EMPTY.get_or_init(CompiledRubric::empty),
        }
    }

    /// Compiles the embedded default rubric anew, as [`CompiledRubric::builtin`] does once per
    /// process: from the JSON copy made at build time (ten times faster to read than the YAML),
    /// with its patterns parsed on first use. For benchmarks; everything else shares the one copy.
    pub fn builtin_uncached() -> Result<CompiledRubric, RubricError> {
        let file = embedded::default_rubric();
        crate::yaml::parse_with_copy::<RubricFile>(
            embedded::DEFAULT_RUBRIC_PATH,
            file.yaml,
            file.json,
        )
        .map_err(|d| RubricError::Parse(d.to_string()))
        .and_then(|file| CompiledRubric::compile(file, Parse::OnFirstUse))
    }

    /// Starts compiling the default rubric on a thread of its own and returns at once, so that
    /// a command that scores has it ready, or nearly, by the time its bank has loaded. Whoever
    /// asks for [`CompiledRubric::builtin`] first waits for this compilation rather than
    /// starting another; a process that ends first never needed it.
    pub fn prefetch_builtin() {
        let spawned = std::thread::Builder::new()
            .name("rubric".to_string())
            .spawn(|| {
                let _ = CompiledRubric::builtin_checked();
            });
        // Without a thread, the rubric is compiled on first use as before.
        drop(spawned);
    }

    /// The default rubric, or why the embedded copy does not compile.
    pub fn builtin_checked() -> Result<&'static CompiledRubric, &'static RubricError> {
        BUILTIN
            .get_or_init(CompiledRubric::builtin_uncached)
            .as_ref()
    }

    fn empty() -> CompiledRubric {
        CompiledRubric {
            pack: "core".to_string(),
            file: RubricFile {
                format_version: RUBRIC_FORMAT_VERSION,
                description: None,
                levels: LevelThresholds {
                    emerging: 0.25,
                    solid: 0.5,
                    strong: 0.8,
                },
                scoring: ScoringSpec {
                    saturation: BTreeMap::new(),
                    terse_credit: 0.75,
                    fragment_credit: 0.4,
                    list_credit: 0.25,
                    question_words_credit: 0.5,
                    penalty_cap: 0.3,
                    default_penalty: 0.15,
                    guard_cap: 0.45,
                    off_topic_factor: 0.3,
                    relevance_floor: 0.4,
                    min_words_floor: 30,
                    min_words_share: 0.35,
                    depth_terms: 50,
                    shallow_floor: 0.3,
                    strong_requires: BTreeMap::new(),
                    needs: BTreeMap::new(),
                },
                groups: BTreeMap::new(),
                criteria: Vec::new(),
                signals: Vec::new(),
                anti_patterns: Vec::new(),
                weights: BTreeMap::new(),
            },
            groups: Arc::default(),
            criteria: Vec::new(),
            anti_patterns: Vec::new(),
        }
    }

    /// Parses and compiles a full rubric file (the shape of `question-bank/rubric.yaml`).
    pub fn from_yaml(yaml: &str) -> Result<CompiledRubric, RubricError> {
        let file: RubricFile =
            serde_saphyr::from_str(yaml).map_err(|e| RubricError::Parse(e.to_string()))?;
        CompiledRubric::from_file(file)
    }

    /// Compiles a parsed rubric file.
    pub fn from_file(file: RubricFile) -> Result<CompiledRubric, RubricError> {
        CompiledRubric::compile(file, Parse::Now)
    }

    fn compile(file: RubricFile, parse: Parse) -> Result<CompiledRubric, RubricError> {
        if file.format_version != RUBRIC_FORMAT_VERSION {
            return Err(RubricError::Version {
                found: file.format_version,
            });
        }
        check_range("levels.emerging", file.levels.emerging, 1.0)?;
        check_range("levels.solid", file.levels.solid, 1.0)?;
        check_range("levels.strong", file.levels.strong, 1.0)?;
        let s = &file.scoring;
        for (what, value) in [
            ("scoring.terse_credit", s.terse_credit),
            ("scoring.fragment_credit", s.fragment_credit),
            ("scoring.list_credit", s.list_credit),
            ("scoring.question_words_credit", s.question_words_credit),
            ("scoring.penalty_cap", s.penalty_cap),
            ("scoring.default_penalty", s.default_penalty),
            ("scoring.guard_cap", s.guard_cap),
            ("scoring.off_topic_factor", s.off_topic_factor),
            ("scoring.relevance_floor", s.relevance_floor),
            ("scoring.min_words_share", s.min_words_share),
            ("scoring.shallow_floor", s.shallow_floor),
        ] {
            check_range(what, value, 1.0)?;
        }
        for (dimension, value) in &s.saturation {
            check_range(&format!("scoring.saturation.{dimension}"), *value, 1.0)?;
        }
        for (dimension, need) in &s.needs {
            check_range(&format!("scoring.needs.{dimension}.keep"), need.keep, 1.0)?;
        }
        let groups = Arc::new(
            Groups::compile(&file.groups).map_err(|e| RubricError::Pattern {
                site: PatternSite::Group {
                    name: e.group.clone(),
                    index: e.index,
                },
                error: e.error,
            })?,
        );
        let criteria = criteria(&file.criteria, &groups, parse)?;
        let anti_patterns = anti_patterns(&file.anti_patterns, &groups, parse, s.default_penalty)?;
        let mut ids: Vec<&str> = file
            .criteria
            .iter()
            .map(|c| c.id.as_str())
            .chain(file.signals.iter().map(|s| s.id.as_str()))
            .chain(file.anti_patterns.iter().map(|a| a.id.as_str()))
            .collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(RubricError::Duplicate(w[0].to_string()));
        }
        for signal in &file.signals {
            check_range(
                &format!("weight of \"{}\"", signal.id),
                signal.weight.unwrap_or(1.0),
                10.0,
            )?;
        }
        for weights in file.weights.values() {
            check_weights(weights)?;
        }
        let rubric = CompiledRubric {
            pack: "core".to_string(),
            file,
            groups,
            criteria,
            anti_patterns,
        };
        rubric.check_unless()?;
        rubric.check_scoring_names()?;
        Ok(rubric)
    }

    /// True when the rubric defines a criterion `id`.
    fn defines_criterion(&self, id: &str) -> bool {
        self.criteria.iter().any(|c| c.spec.id == id)
    }

    /// `strong_requires` and `needs` may only name what the rubric defines: a typo would
    /// otherwise turn a requirement off without a word.
    fn check_scoring_names(&self) -> Result<(), RubricError> {
        for (dimension, ids) in &self.file.scoring.strong_requires {
            for id in ids {
                if !self.defines_criterion(id) {
                    return Err(RubricError::UnknownStrongRequirement {
                        dimension: *dimension,
                        criterion: id.clone(),
                    });
                }
            }
        }
        for (dimension, need) in &self.file.scoring.needs {
            for id in &need.any_of {
                if !self.defines_criterion(id) && !self.file.signals.iter().any(|s| &s.id == id) {
                    return Err(RubricError::UnknownNeed {
                        dimension: *dimension,
                        id: id.clone(),
                    });
                }
            }
            if !crate::pack::validate::is_kebab(&need.flag) {
                return Err(RubricError::NeedFlag {
                    dimension: *dimension,
                    flag: need.flag.clone(),
                });
            }
        }
        Ok(())
    }

    fn check_unless(&self) -> Result<(), RubricError> {
        for anti in &self.anti_patterns {
            for id in &anti.spec.unless {
                if !self.defines_criterion(id) {
                    return Err(RubricError::UnknownUnless {
                        anti_pattern: anti.spec.id.clone(),
                        criterion: id.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// This rubric extended by a pack's `rubric:` section (or directory `rubric.yaml`): groups and
    /// criteria with a known name replace the default, new ones are added, `disable` removes,
    /// weights override per kind. The result keeps this rubric's pack id.
    pub fn extend(&self, ext: &RubricExtension) -> Result<CompiledRubric, RubricError> {
        let mut file = self.file.clone();
        for (name, entries) in &ext.groups {
            file.groups.insert(name.clone(), entries.clone());
        }
        merge_by_id(&mut file.criteria, &ext.criteria, |c| &c.id);
        merge_by_id(&mut file.anti_patterns, &ext.anti_patterns, |a| &a.id);
        for id in &ext.disable {
            let before = file.criteria.len() + file.signals.len() + file.anti_patterns.len();
            file.criteria.retain(|c| &c.id != id);
            file.signals.retain(|s| &s.id != id);
            file.anti_patterns.retain(|a| &a.id != id);
            if file.criteria.len() + file.signals.len() + file.anti_patterns.len() == before {
                return Err(RubricError::UnknownDisable(id.clone()));
            }
            for anti in &mut file.anti_patterns {
                anti.unless.retain(|u| u != id);
            }
        }
        for (kind, weights) in &ext.weights {
            let slot = file.weights.entry(*kind).or_default();
            overlay_weights(slot, weights);
        }
        let mut rubric = CompiledRubric::from_file(file)?;
        rubric.pack = self.pack.clone();
        Ok(rubric)
    }

    /// This rubric for pack `pack_id`, extended by the pack's rubric section when it has one.
    pub fn for_pack(
        self,
        pack_id: &str,
        ext: Option<&RubricExtension>,
    ) -> Result<CompiledRubric, RubricError> {
        let mut rubric = match ext {
            Some(ext) => self.extend(ext)?,
            None => self,
        };
        rubric.pack = pack_id.to_string();
        Ok(rubric)
    }

    /// The pack id reported in evaluations.
    pub fn pack_id(&self) -> &str {
        &self.pack
    }

    /// The synonym groups, for compiling patterns elsewhere (fact `asks`, question criteria).
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// Compiles one pattern against this rubric's groups.
    pub fn compile_pattern(&self, pattern: &str) -> Result<Pattern, PatternError> {
        compile_pattern(pattern, &self.groups)
    }

    /// A matcher for a fact's `asks` patterns; the error carries the failing pattern's index.
    pub fn matcher(&self, patterns: &[String]) -> Result<Matcher, (usize, PatternError)> {
        Matcher::new(patterns, &self.groups)
    }

    /// Checks a question's rubric refinement: every pattern compiles, `disable` names something
    /// that exists, weights are in range. The first problem; the validator asks for each one
    /// with [`CompiledRubric::criterion_errors`] and [`CompiledRubric::disable_error`].
    pub fn check_question(&self, question: &Question) -> Result<(), RubricError> {
        let Some(qr) = &question.rubric else {
            return Ok(());
        };
        compile_criteria(&qr.criteria, &self.groups)?;
        if let Some(e) = qr
            .disable
            .iter()
            .find_map(|id| self.disable_error(&qr.criteria, id))
        {
            return Err(e);
        }
        if let Some(w) = &qr.weights {
            check_weights(w)?;
        }
        Ok(())
    }

    /// Every problem of one criterion against this rubric's groups, in the order compiling meets
    /// them: its weight out of range, no patterns, each pattern (then each `not_with` pattern)
    /// that does not compile.
    pub fn criterion_errors(&self, spec: &CriterionSpec) -> Vec<RubricError> {
        let weight = check_range(
            &format!("weight of \"{}\"", spec.id),
            spec.weight.unwrap_or(1.0),
            10.0,
        )
        .err();
        let patterns = each_fragment(&spec.patterns, &self.groups, &spec.id, criterion_site(spec));
        let not_with = (!spec.not_with.is_empty())
            .then(|| each_fragment(&spec.not_with, &self.groups, &spec.id, not_with_site(spec)))
            .into_iter()
            .flatten();
        weight
            .into_iter()
            .chain(patterns.chain(not_with).filter_map(Result::err))
            .collect()
    }

    /// Why a question may not `disable` `id`, if it may not: no criterion, signal or
    /// anti-pattern of this rubric has that id, or only one of the question's `own` criteria
    /// does (a question leaves its own criterion out instead; [`Scorer::new`] refuses both).
    pub fn disable_error(&self, own: &[CriterionSpec], id: &str) -> Option<RubricError> {
        let known = self.criteria.iter().any(|c| c.spec.id == id)
            || self.file.signals.iter().any(|s| s.id == id)
            || self.anti_patterns.iter().any(|a| a.spec.id == id);
        if known {
            None
        } else if own.iter().any(|c| c.id == id) {
            Some(RubricError::DisableOwn(id.to_string()))
        } else {
            Some(RubricError::UnknownDisable(id.to_string()))
        }
    }

    /// Every id a question may `disable` beside its own criteria: the rubric's criteria, signals
    /// and anti-patterns, for suggestions when one is misspelt.
    pub fn disable_ids(&self) -> impl Iterator<Item = &str> {
        self.file
            .criteria
            .iter()
            .map(|x| x.id.as_str())
            .chain(self.file.signals.iter().map(|x| x.id.as_str()))
            .chain(self.file.anti_patterns.iter().map(|x| x.id.as_str()))
    }

    /// The parsed rubric (levels, scoring constants, specs).
    pub fn file(&self) -> &RubricFile {
        &self.file
    }

    /// Level thresholds.
    pub fn levels(&self) -> &LevelThresholds {
        &self.file.levels
    }

    /// Criteria specs that apply to `kind`, in rubric order.
    pub fn criteria_for(&self, kind: Kind) -> impl Iterator<Item = &CriterionSpec> {
        self.criteria
            .iter()
            .filter(move |c| applies(&c.spec.kinds, kind))
            .map(|c| &c.spec)
    }

    /// Anti-pattern specs that apply to `kind`, in rubric order.
    pub fn anti_patterns_for(&self, kind: Kind) -> impl Iterator<Item = &AntiPatternSpec> {
        self.anti_patterns
            .iter()
            .filter(move |a| applies(&a.spec.kinds, kind))
            .map(|a| &a.spec)
    }

    /// Dimension weights of `kind` (rubric defaults, then `question` overrides), normalised to
    /// sum to 1; a dimension no file weighs counts as much as the others by default.
    pub fn weights(&self, kind: Kind, question: Option<&Weights>) -> PerDimension<f64> {
        let mut w = Weights::default();
        if let Some(base) = self.file.weights.get(&kind) {
            overlay_weights(&mut w, base);
        }
        if let Some(q) = question {
            overlay_weights(&mut w, q);
        }
        let equal = 1.0 / Dimension::ALL.len() as f64;
        let raw = PerDimension::from_fn(|d| w.get(d).unwrap_or(equal));
        let total: f64 = raw.values().filter(|v| v.is_finite() && **v > 0.0).sum();
        if total <= 0.0 {
            return PerDimension::from_fn(|_| equal);
        }
        PerDimension::from_fn(|d| {
            let v = raw[d];
            if v.is_finite() && v > 0.0 {
                v / total
            } else {
                0.0
            }
        })
    }

    pub(crate) fn compiled_criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    pub(crate) fn compiled_anti_patterns(&self) -> &[AntiPattern] {
        &self.anti_patterns
    }
}

/// True when a criterion with `kinds` applies to `kind` (empty means every kind).
pub(crate) fn applies(kinds: &[Kind], kind: Kind) -> bool {
    kinds.is_empty() || kinds.contains(&kind)
}

fn check_range(what: &str, value: f64, max: f64) -> Result<(), RubricError> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(())
    } else {
        Err(RubricError::Range {
            what: what.to_string(),
            max,
            found: value,
        })
    }
}

pub(crate) fn check_weights(w: &Weights) -> Result<(), RubricError> {
    for d in Dimension::ALL {
        if let Some(v) = w.get(d) {
            check_range(&format!("weight of {d}"), v, 10.0)?;
        }
    }
    Ok(())
}

fn overlay_weights(slot: &mut Weights, top: &Weights) {
    for d in Dimension::ALL {
        let value = top.get(d).or(slot.get(d));
        *slot.get_mut(d) = value;
    }
}

fn merge_by_id<T: Clone>(base: &mut Vec<T>, extra: &[T], id: impl Fn(&T) -> &String) {
    for item in extra {
        match base.iter_mut().find(|b| id(b) == id(item)) {
            Some(slot) => *slot = item.clone(),
            None => base.push(item.clone()),
        }
    }
}

/// When a rubric's patterns are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    /// At once, so that every mistake is reported when the rubric loads.
    Now,
    /// When each is first used: only for the built-in rubric, which the test suite compiles with
    /// [`Parse::Now`], so that a command pays only for the criteria of the question it scores.
    OnFirstUse,
}

/// Compiles a question's own criteria (checked at once) against `groups`.
pub(crate) fn compile_criteria(
    specs: &[CriterionSpec],
    groups: &Groups,
) -> Result<Vec<Criterion>, RubricError> {
    criteria_with(specs, |spec, void| {
        if void {
            compile_all(&spec.not_with, groups, &spec.id, not_with_site(spec))
        } else {
            compile_all(&spec.patterns, groups, &spec.id, criterion_site(spec))
        }
    })
}

fn criteria(
    specs: &[CriterionSpec],
    groups: &Arc<Groups>,
    parse: Parse,
) -> Result<Vec<Criterion>, RubricError> {
    criteria_with(specs, |spec, void| {
        if void {
            patterns_of(&spec.not_with, groups, &spec.id, parse, not_with_site(spec))
        } else {
            patterns_of(
                &spec.patterns,
                groups,
                &spec.id,
                parse,
                criterion_site(spec),
            )
        }
    })
}

fn not_with_site(spec: &CriterionSpec) -> impl Fn(usize) -> PatternSite + '_ {
    |pattern| PatternSite::CriterionNotWith {
        id: spec.id.clone(),
        pattern,
    }
}

fn criterion_site(spec: &CriterionSpec) -> impl Fn(usize) -> PatternSite + '_ {
    |pattern| PatternSite::Criterion {
        id: spec.id.clone(),
        pattern,
    }
}

/// Most criteria one rubric (a rubric file, or a question's own) may have: with
/// [`pattern::MAX_PATTERN_COST`] it bounds the work of scoring per word of an answer. The
/// default rubric has a few dozen.
pub const MAX_CRITERIA: usize = 512;

/// Most anti-patterns one rubric may have: each is matched against every sentence, like a
/// criterion. The default rubric has a few dozen.
pub const MAX_ANTI_PATTERNS: usize = 512;

/// Most patterns one criterion or anti-pattern may list (each is bounded on its own by
/// [`pattern::MAX_PATTERN_COST`]).
pub const MAX_PATTERNS: usize = 64;

/// Builds each criterion with `pattern(spec, false)` for its patterns and, when it has any,
/// `pattern(spec, true)` for its `not_with`.
fn criteria_with(
    specs: &[CriterionSpec],
    pattern: impl Fn(&CriterionSpec, bool) -> Result<Pattern, RubricError>,
) -> Result<Vec<Criterion>, RubricError> {
    if specs.len() > MAX_CRITERIA {
        return Err(RubricError::TooManyCriteria { count: specs.len() });
    }
    specs
        .iter()
        .map(|spec| {
            let weight = spec.weight.unwrap_or(1.0);
            check_range(&format!("weight of \"{}\"", spec.id), weight, 10.0)?;
            Ok(Criterion {
                spec: spec.clone(),
                weight,
                pattern: pattern(spec, false)?,
                void: if spec.not_with.is_empty() {
                    None
                } else {
                    Some(pattern(spec, true)?)
                },
            })
        })
        .collect()
}

fn anti_patterns(
    specs: &[AntiPatternSpec],
    groups: &Arc<Groups>,
    parse: Parse,
    default_penalty: f64,
) -> Result<Vec<AntiPattern>, RubricError> {
    if specs.len() > MAX_ANTI_PATTERNS {
        return Err(RubricError::TooManyAntiPatterns { count: specs.len() });
    }
    specs
        .iter()
        .map(|spec| {
            let penalty = spec.penalty.unwrap_or(default_penalty);
            check_range(&format!("penalty of \"{}\"", spec.id), penalty, 1.0)?;
            let site = |pattern| PatternSite::AntiPattern {
                id: spec.id.clone(),
                pattern,
            };
            Ok(AntiPattern {
                spec: spec.clone(),
                penalty,
                pattern: patterns_of(&spec.patterns, groups, &spec.id, parse, site)?,
            })
        })
        .collect()
}

/// A spec's patterns as one: checked now, or (for the built-in rubric) parsed on first use.
fn patterns_of(
    patterns: &[String],
    groups: &Arc<Groups>,
    id: &str,
    parse: Parse,
    site: impl Fn(usize) -> PatternSite,
) -> Result<Pattern, RubricError> {
    match parse {
        Parse::Now => compile_all(patterns, groups, id, site),
        Parse::OnFirstUse if patterns.is_empty() => Err(RubricError::NoPatterns(id.to_string())),
        Parse::OnFirstUse => Ok(Pattern::deferred(patterns.to_vec(), Arc::clone(groups))),
    }
}

fn compile_all(
    patterns: &[String],
    groups: &Groups,
    id: &str,
    site: impl Fn(usize) -> PatternSite,
) -> Result<Pattern, RubricError> {
    let fragments = each_fragment(patterns, groups, id, site).collect::<Result<Vec<_>, _>>()?;
    Ok(Pattern::from_fragments(fragments))
}

/// Each of `patterns` compiled on its own, in order, or why it does not compile: the one rule
/// for an entry's patterns, whether the first problem is wanted (compiling) or every one
/// (validating). None at all is a problem; so is one past [`MAX_PATTERNS`], which ends the list.
fn each_fragment<'a>(
    patterns: &'a [String],
    groups: &'a Groups,
    id: &'a str,
    site: impl Fn(usize) -> PatternSite + 'a,
) -> impl Iterator<Item = Result<pattern::Fragment, RubricError>> + 'a {
    let none = patterns
        .is_empty()
        .then(|| Err(RubricError::NoPatterns(id.to_string())));
    let each = patterns
        .iter()
        .take(MAX_PATTERNS + 1)
        .enumerate()
        .map(move |(index, pattern)| {
            if index == MAX_PATTERNS {
                return Err(RubricError::Pattern {
                    site: site(index),
                    error: PatternError {
                        pattern: pattern.clone(),
                        column: 1,
                        message: format!(
                            "one entry may have at most {MAX_PATTERNS} patterns, and this one has {}",
                            patterns.len()
                        ),
                    },
                });
            }
            pattern::pattern_fragment(pattern, groups).map_err(|error| RubricError::Pattern {
                site: site(index),
                error,
            })
        });
    none.into_iter().chain(each)
}

/// Scores `answer` to `question` with `rubric`; see [`Scorer`] for a question scored many times.
///
/// The answer is read as [`Answer::analysed`] says, whoever calls: an answer typed in practice,
/// read from a file, kept in the history for `rescore` or written as a pack's example is scored
/// the same way, so no path lets invisible characters split words for the scorer alone.
/// A question whose own rubric refinement does not compile (the validator reports that) is scored
/// with the pack rubric alone and flagged `rubric-error`.
pub fn score(rubric: &CompiledRubric, question: &Question, answer: &Answer) -> Evaluation {
    score::score(rubric, question, &answer.analysed())
}

/// Scores `answer` to `question` with the default rubric (convenience for tests and tools).
pub fn score_default(question: &Question, answer: &Answer) -> Evaluation {
    score(CompiledRubric::builtin(), question, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default rubric as commands get it (patterns parsed on first use) has exactly the
    /// regexes of the same rubric checked at once, and the embedded copy passes that check.
    #[test]
    fn the_builtin_rubric_parsed_on_first_use_is_the_checked_rubric() {
        let file: RubricFile = serde_saphyr::from_str(embedded::DEFAULT_RUBRIC_YAML).unwrap();
        let checked = CompiledRubric::from_file(file).expect("the default rubric compiles");
        let lazy = CompiledRubric::builtin_checked().unwrap();
        assert_eq!(checked.criteria.len(), lazy.criteria.len());
        assert_eq!(checked.anti_patterns.len(), lazy.anti_patterns.len());
        for (a, b) in checked.criteria.iter().zip(&lazy.criteria) {
            assert_eq!(a.spec.id, b.spec.id);
            assert!(b.pattern.same_regex(&a.pattern), "{}", a.spec.id);
        }
        for (a, b) in checked.anti_patterns.iter().zip(&lazy.anti_patterns) {
            assert_eq!(a.spec.id, b.spec.id);
            assert!(b.pattern.same_regex(&a.pattern), "{}", a.spec.id);
        }
    }

    /// `strong_requires` may only name criteria the rubric defines: a typo would otherwise
    /// silently hold every answer below Strong, or never.
    #[test]
    fn strong_requires_names_known_criteria() {
        let mut file: RubricFile = serde_saphyr::from_str(embedded::DEFAULT_RUBRIC_YAML).unwrap();
        file.scoring
            .strong_requires
            .insert(Dimension::Ownership, vec!["decids".to_string()]);
        let Err(err) = CompiledRubric::from_file(file) else {
            panic!("an unknown id is refused");
        };
        assert_eq!(
            err.to_string(),
            "scoring.strong_requires.ownership names unknown criterion \"decids\""
        );
    }

    /// `needs` may only name criteria or signals the rubric defines (a typo would otherwise turn
    /// a need off, or hold every answer down) and a kebab-case flag.
    #[test]
    fn needs_name_known_criteria_and_signals() {
        let parse =
            || -> RubricFile { serde_saphyr::from_str(embedded::DEFAULT_RUBRIC_YAML).unwrap() };
        let mut file = parse();
        let need = file.scoring.needs.get_mut(&Dimension::Context).unwrap();
        need.any_of.push("finds-out-frist".to_string());
        let Err(err) = CompiledRubric::from_file(file) else {
            panic!("an unknown id is refused");
        };
        assert_eq!(
            err.to_string(),
            "scoring.needs.context.any_of names unknown criterion or signal \"finds-out-frist\""
        );
        let mut file = parse();
        file.scoring
            .needs
            .get_mut(&Dimension::Context)
            .unwrap()
            .flag = "Asks Nothing".into();
        let Err(err) = CompiledRubric::from_file(file) else {
            panic!("a flag that is not kebab-case is refused");
        };
        assert!(err.to_string().contains("must be kebab-case"), "{err}");
    }

    /// The validator reports every problem of a criterion, located; compiling stops at the
    /// first. Both come from the same rule, so the first of the one is the other.
    #[test]
    fn criterion_errors_lists_every_problem_and_the_first_is_what_compiling_reports() {
        let rubric = CompiledRubric::builtin();
        let spec: CriterionSpec = serde_json::from_value(serde_json::json!({
            "id": "crux",
            "dimension": "context",
            "title": "Crux",
            "hint": "Say it.",
            "weight": 11.0,
            "patterns": ["ok", "(open", "@nosuchgroup"],
            "not_with": ["also (("],
        }))
        .unwrap();
        let errors = rubric.criterion_errors(&spec);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:#?}");
        assert!(shown[0].starts_with("weight of \"crux\""), "{}", shown[0]);
        let sites: Vec<_> = errors
            .iter()
            .filter_map(|e| match e {
                RubricError::Pattern { site, .. } => Some(site.clone()),
                _ => None,
            })
            .collect();
        let id = "crux".to_string();
        assert_eq!(
            sites,
            [
                PatternSite::Criterion {
                    id: id.clone(),
                    pattern: 1
                },
                PatternSite::Criterion {
                    id: id.clone(),
                    pattern: 2
                },
                PatternSite::CriterionNotWith { id, pattern: 0 },
            ]
        );
        let first = compile_criteria(std::slice::from_ref(&spec), rubric.groups())
            .expect_err("the criterion does not compile");
        assert_eq!(first.to_string(), shown[0]);
    }

    #[test]
    fn a_question_may_disable_what_the_rubric_defines_and_not_its_own_criteria() {
        let rubric = CompiledRubric::builtin();
        let known = rubric
            .disable_ids()
            .next()
            .expect("the rubric has ids")
            .to_string();
        assert!(rubric.disable_error(&[], &known).is_none());
        assert!(matches!(
            rubric.disable_error(&[], "no-such-id"),
            Some(RubricError::UnknownDisable(id)) if id == "no-such-id"
        ));
        // What validation says of a question's own criterion is what scoring does.
        let mut question = crate::model::pack::Question::minimal("q", Kind::TradeOff, "T", "P");
        let own: CriterionSpec = serde_json::from_value(serde_json::json!({
            "id": "crux", "dimension": "context", "title": "Crux", "hint": "Say it.",
            "patterns": ["crux"]
        }))
        .unwrap();
        question.rubric = Some(crate::model::pack::QuestionRubric {
            criteria: vec![own.clone()],
            disable: vec!["crux".into()],
            weights: None,
        });
        assert!(matches!(
            rubric.disable_error(&[own], "crux"),
            Some(RubricError::DisableOwn(id)) if id == "crux"
        ));
        assert!(rubric.check_question(&question).is_err());
        assert!(Scorer::new(rubric, &question).is_err());
    }
}
