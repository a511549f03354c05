//! Exit codes, named once. Documented in the README; scripts and CI jobs depend on them.

/// Everything went as asked.
pub const SUCCESS: u8 = 0;
/// A drill or self-test ran, and something fell below its threshold.
pub const BELOW_THRESHOLD: u8 = 1;
/// Bad usage or bad input: a malformed pack or answer file, an unknown id, no terminal.
pub const INPUT_ERROR: u8 = 2;
/// Interrupted by Ctrl-C (128 + SIGINT), after saving what was recorded.
pub const INTERRUPTED: u8 = 130;
