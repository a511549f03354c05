//! Ctrl-C (or SIGTERM) as a flag, for commands that must finish a step before they stop: a drill
//! between two files, a rescore after writing what it has re-scored.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;

/// Ctrl-C (or SIGTERM) from now on sets the returned flag instead of killing the process, so
/// the caller can stop at a safe point, keep what it has done and exit 130. A second Ctrl-C ends
/// the process at once, as usual.
pub fn watch() -> anyhow::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&flag))
            .context("cannot watch for Ctrl-C")?;
        signal_hook::flag::register(signal, Arc::clone(&flag))
            .context("cannot watch for Ctrl-C")?;
    }
    Ok(flag)
}
