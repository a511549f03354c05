//! Helpers shared by the binary tests: run `rehearse` in a temporary home with a clean
//! environment, so nothing on the developer's machine (colour settings, an editor, packs in
//! REHEARSE_BANK, history in the real data directory) leaks into a test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The only escape sequences rehearse writes: the looks of `style::Paint` and the reset.
pub const OWN_SGR: [&str; 8] = [
    "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[4m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m",
];

/// The crate root, where `tests/fixtures` lives.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// `rehearse` with an empty environment, a temporary HOME/REHEARSE_HOME, run from the crate root.
pub fn rehearse(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rehearse").expect("binary builds");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("REHEARSE_HOME", home.join("data"))
        .env("TERM", "dumb")
        .current_dir(root());
    cmd
}
