//! Question packs: the YAML model, the default steps of each kind, loading from disk or from the
//! binary, validation, and the bank of every loaded pack that commands query.

pub mod bank;
pub mod builtin;
pub mod defaults;
pub mod limits;
pub mod load;
pub mod model;
pub mod schema;
pub mod validate;

pub use bank::{Bank, Entry};
pub use load::{Origin, Pack};
