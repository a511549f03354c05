//! One module per command. Each takes the context, its arguments and a writer, and returns an
//! exit code; none prints to stdout directly, so tests can capture everything.

pub mod calibrate;
pub mod completions;
pub mod diff;
pub mod drill;
pub mod export_history;
pub mod history;
pub mod list;
pub mod pack_info;
pub mod pack_install;
pub mod pack_list;
pub mod pack_new;
pub mod pack_remove;
pub mod pack_test;
pub mod pack_update;
pub mod pack_validate;
pub mod practice;
pub mod progress;
pub mod rescore;
pub mod schema;
pub mod score;
pub mod show;
pub mod template;
