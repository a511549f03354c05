//! What a practice session keeps, handed to it like its clock and its answer source: every
//! scored attempt recorded in the history, and its own state saved to the journal as it changes
//! and removed when it ends. [`DataDir`] keeps them in the data directory; tests hand in another.

use std::path::Path;

use anyhow::Context as _;

use super::state::SessionState;
use crate::history::record::NewAttempt;
use crate::history::{journal, store};

/// Where a session keeps its attempts and its journal.
pub trait Keeper {
    /// Records a scored attempt; returns the id the history gave it.
    fn record(&mut self, attempt: NewAttempt) -> anyhow::Result<u64>;

    /// Saves the session's state so that `--resume` continues from it.
    fn save(&mut self, state: &SessionState) -> anyhow::Result<()>;

    /// Forgets the saved state of the finished session `id`.
    fn finish(&mut self, id: &str) -> anyhow::Result<()>;
}

/// The history (`DATA/history.jsonl`) and the journal (`DATA/journal/`) of a data directory:
/// the keeper [`super::Session::run`] hands the session, and nothing else builds.
pub(super) struct DataDir<'a>(pub(super) &'a Path);

impl Keeper for DataDir<'_> {
    fn record(&mut self, attempt: NewAttempt) -> anyhow::Result<u64> {
        let stored =
            store::append(self.0, attempt).context("cannot record the attempt in the history")?;
        Ok(stored.id)
    }

    fn save(&mut self, state: &SessionState) -> anyhow::Result<()> {
        journal::save(self.0, &state.id, state).context("cannot save the session journal")
    }

    fn finish(&mut self, id: &str) -> anyhow::Result<()> {
        Ok(journal::remove(self.0, id)?)
    }
}
