//! A pack's rubric: what its `rubric.yaml` holds, and how the default rubric (or the pack's own
//! complete one), its additions and the manifest's `rubric:` section compile into the rubric its
//! answers are scored with. Shared by the loaded pack and the validator, which sit above it.

use crate::model::pack::RubricExtension;
use crate::rubric::{CompiledRubric, RubricError, RubricFile};

/// What a directory pack's `rubric.yaml` holds.
#[derive(Debug, Clone)]
pub enum RubricSource {
    /// A complete rubric (it has `levels` and `scoring`, like `question-bank/rubric.yaml`): it
    /// replaces the default rubric for this pack.
    Full(Box<RubricFile>),
    /// Additions to the default rubric, shaped like the manifest's `rubric:` section.
    Extension(RubricExtension),
}

/// Builds a pack's rubric from its parts; shared by [`Pack::rubric`](super::Pack::rubric) and
/// the validator.
pub(crate) fn compile_rubric(
    pack_id: &str,
    file: Option<&RubricSource>,
    manifest: Option<&RubricExtension>,
) -> Result<CompiledRubric, RubricError> {
    let base = match file {
        Some(RubricSource::Full(f)) => CompiledRubric::from_file((**f).clone())?,
        _ => CompiledRubric::builtin_checked()
            .map_err(Clone::clone)?
            .clone(),
    };
    let base = match file {
        Some(RubricSource::Extension(ext)) => base.extend(ext)?,
        _ => base,
    };
    base.for_pack(pack_id, manifest)
}
