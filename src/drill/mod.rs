//! Drill mode: headless practice and grading for CI jobs and bootcamps.
//!
//! [`template`] writes answers-file skeletons. The rest grades answer files (one, or a whole
//! cohort's directory) against the rubric: [`discover`] finds and sorts the files, [`grade`]
//! turns one file into a [`FileOutcome`], [`threshold`] decides pass or fail, and [`summary`]
//! aggregates the cohort. [`grade_all`] runs the grading on every core in sorted chunks and hands
//! outcomes on in file order, so output is byte-identical whatever the thread timing, and only
//! one chunk of evaluations is ever held in memory.

pub mod discover;
pub mod grade;
pub mod summary;
pub mod template;
pub mod threshold;

use rayon::prelude::*;

use crate::answer::Answer;
use crate::diag::Diagnostics;
use crate::pack::Entry;
use crate::rubric::Evaluation;

pub use discover::{Found, discover};
pub use grade::Grader;
pub use summary::Summary;
pub use threshold::{Shortfall, Thresholds};

/// Files graded per parallel batch. Big enough to keep every core busy between the ordered
/// hand-offs, small enough that a batch of evaluations stays a few megabytes.
const CHUNK: usize = 256;

/// One graded answer.
#[derive(Debug, Clone)]
pub struct Graded<'b> {
    /// The question and its pack.
    pub entry: Entry<'b>,
    /// The rubric's result.
    pub evaluation: Evaluation,
    /// Thresholds it falls below; empty when it passes.
    pub shortfalls: Vec<Shortfall>,
    /// The follow-up its `follow_up` answer answers.
    pub follow_up_id: Option<String>,
    /// The answer itself, kept only when it is to be recorded.
    pub answer: Option<Answer>,
}

impl Graded<'_> {
    /// True when every threshold holds.
    pub fn passed(&self) -> bool {
        self.shortfalls.is_empty()
    }
}

/// What became of one answers file.
#[derive(Debug, Clone)]
pub enum FileOutcome<'b> {
    /// Loaded and graded.
    Graded {
        /// The file as reports name it.
        source: String,
        /// The candidate the file names.
        candidate: Option<String>,
        /// Its answers, in file order.
        answers: Vec<Graded<'b>>,
    },
    /// Could not be graded; the problems say where and why.
    Broken {
        /// The file as reports name it.
        source: String,
        /// What is wrong, located.
        problems: Diagnostics,
    },
}

impl FileOutcome<'_> {
    /// The file as reports name it.
    pub fn source(&self) -> &str {
        match self {
            FileOutcome::Graded { source, .. } | FileOutcome::Broken { source, .. } => source,
        }
    }
}

/// Grades `files` on every core, calling `tick` as each file is done (from worker threads, for a
/// progress bar) and `each` with every outcome in the order of `files` (on the calling thread).
/// Stops at the first error `each` returns.
///
/// Grading runs a chunk ahead of `each`: a producer thread grades chunk after chunk on rayon's
/// pool and hands each finished chunk over a channel of capacity one, so the cores keep grading
/// while the calling thread writes the previous chunk out, and at most three chunks are alive at
/// once, whatever the number of files.
pub fn grade_all<'b, F>(
    grader: &Grader<'b>,
    files: &[Found],
    tick: &(dyn Fn() + Sync),
    mut each: F,
) -> anyhow::Result<()>
where
    F: FnMut(FileOutcome<'b>) -> anyhow::Result<()>,
{
    std::thread::scope(|scope| {
        let (done, ready) = std::sync::mpsc::sync_channel::<Vec<FileOutcome<'b>>>(1);
        scope.spawn(move || {
            for chunk in files.chunks(CHUNK) {
                let outcomes: Vec<FileOutcome<'b>> = chunk
                    .par_iter()
                    .map(|found| {
                        let outcome = grader.grade(found);
                        tick();
                        outcome
                    })
                    .collect();
                // The receiver is gone when `each` failed: stop grading what nobody will read.
                if done.send(outcomes).is_err() {
                    break;
                }
            }
        });
        for outcomes in ready {
            for outcome in outcomes {
                each(outcome)?;
            }
        }
        Ok(())
    })
}
