//! Drill mode: headless practice and grading for CI jobs and bootcamps.
//!
//! `template` writes answers-file skeletons; the rest of the module grades answer files (one, or a
//! whole cohort's directory) against the rubric, checks thresholds, and streams results in a fixed
//! order to one of the output formats in [`crate::export`].

pub mod template;
