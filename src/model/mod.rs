//! The model floor: the plain types a question pack and a rubric are made of (questions, kinds,
//! steps, dimensions, levels, weights, criteria, the rubric file), and the default steps of each
//! kind. Serde and schemars types only; nothing here imports the rest of rehearse, so loading,
//! validation, rubric compilation, scoring and every command can build on it in one direction.

pub mod pack;
pub mod rubric;
pub mod steps;
