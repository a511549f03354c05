//! Distributing packs: starting one (`pack new`), and installing, updating and removing packs
//! that a mentor or a bootcamp publishes as a directory, a YAML file, a `.tar.gz` archive or a git
//! repository.
//!
//! An installed pack is data, never code. Every source is first read into memory as a [`tree`]
//! of files, within fixed limits and refusing anything that would land outside the pack (`../`,
//! absolute paths, links that point out); that tree is validated by the same loader as
//! `pack validate`, and only a valid pack is written, to a fresh directory under `DATA/packs/`.
//! The [`lock`] file names the directory of each installed pack with its source and resolved
//! commit or checksum; replacing that file (an atomic rename) is the one step that makes an
//! install, an update or a removal take effect, so a failure at any point before it leaves the
//! installed packs as they were. [`store`] holds those steps; [`changes`] says what an update
//! changes; [`report`] renders what the pack commands print, and [`escape`] is the one way text
//! taken from a pack or a source is shown.

pub mod archive;
pub mod changes;
pub mod escape;
pub mod git;
pub mod lock;
pub mod report;
pub mod scaffold;
pub mod source;
pub mod store;
pub mod tree;
