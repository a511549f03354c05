//! Question packs: loading from disk or from the binary, validation, and the bank of every loaded
//! pack that commands query. The types a pack is made of live in the model floor ([`crate::model`]).

pub mod bank;
pub mod builtin;
pub mod limits;
pub mod load;
pub mod rubric;
pub mod schema;
pub mod validate;

pub use bank::{Bank, Entry};
pub use load::{Origin, Pack};
