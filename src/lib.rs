//! rehearse: a terminal coach for senior backend interviews.
//!
//! The library holds everything; `main.rs` only parses arguments and maps the outcome to an exit
//! code. The pure core (pack model, rubric scoring) does no I/O; the edges (terminal, files,
//! output formats) are thin adapters around it.

pub mod answer;
pub mod history;
pub mod pack;
