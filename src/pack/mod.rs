//! Question packs: the YAML model, the default steps of each kind, and (soon) loading and
//! validation.

pub mod defaults;
pub mod model;
