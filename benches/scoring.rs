//! Scoring benchmarks, without a benchmark framework: `cargo bench --bench scoring`.
//!
//! Prints the median time of (1) compiling the default rubric with every pattern checked, as
//! `pack validate` does, (2) compiling it as a command does (patterns parsed on first use),
//! (3) the first score with such a fresh rubric (the question's patterns parsed and their token
//! programs built on the way), (4) scoring a 300-word answer once the rubric is warm, and (5) a whole
//! `rehearse score --json` process on the built-in pack. The README quotes these figures.

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rehearse::answer::Answer;
use rehearse::embedded::DEFAULT_RUBRIC_YAML;
use rehearse::model::pack::{Kind, Question};
use rehearse::rubric::{CompiledRubric, score};

/// A strong degradation answer of about 300 words, by steps.
const STEPS: [(&str, &str); 4] = [
    (
        "first-checks",
        "First I would ask what changed on or just before Monday: our deploys, config and feature \
         flags, an Elasticsearch upgrade or reindex, and releases of the pricing service. I would \
         not trust the flat average, because an average hides the tail; I want p99 per endpoint, \
         per query type and per dependency, compared with last week. Is it every request or only \
         some tenants, some regions, only at peak?",
    ),
    (
        "hypotheses",
        "My candidates, most likely first: the pricing service got slower at its tail after a \
         release; a new query shape hits Elasticsearch without a good index; or the Redis hit \
         rate dropped after a key change, so more calls fall through. Tracing a sample of slow \
         requests would show where the time goes and rule out two of the three at once. If the \
         Redis hit ratio is flat, the cache is not it.",
    ),
    (
        "actions",
        "If the slow part lines up with a deploy, I roll it back or switch the flag off first, \
         one change at a time, and watch p99 for fifteen minutes. That costs us the feature for \
         a while, which is cheaper than slow search for every shopper. If it is the pricing \
         service, I would add a tight timeout with a fallback to cached prices rather than add \
         servers.",
    ),
    (
        "people",
        "I would loop in the pricing team early and share the traces with them, and tell support \
         and product what shoppers see: about 5% of searches take over a second. I would post \
         updates every 30 minutes in the incident channel. Afterwards, a blameless postmortem \
         with owners for the actions, and an alert on p99 rather than on the average, so the next \
         tail regression pages someone.",
    ),
];

fn question() -> Question {
    Question::minimal(
        "bench",
        Kind::Degradation,
        "Search got slow at the tail",
        "Since Monday the p99 latency of product search has tripled; no errors, average \
                 flat. Search calls Elasticsearch, a pricing service and Redis.",
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let answer = Answer::by_steps(STEPS);
    let words: usize = STEPS
        .iter()
        .map(|(_, t)| t.split_whitespace().count())
        .sum();
    let q = question();

    let checked = time(20, || CompiledRubric::from_yaml(DEFAULT_RUBRIC_YAML));
    let lazy = time(20, CompiledRubric::builtin_uncached);
    let first = time(20, || {
        let rubric = CompiledRubric::builtin_uncached().expect("default rubric");
        score(&rubric, &q, &answer).overall.score
    });
    let rubric = CompiledRubric::builtin();
    let _ = score(rubric, &q, &answer);
    let warm = time(500, || score(rubric, &q, &answer).overall.score);

    println!("rubric compile, every pattern checked (validate):  {checked:>10.2?}");
    println!("rubric compile as commands do (patterns lazy):     {lazy:>10.2?}");
    println!("first score with it (patterns parsed and built):    {first:>10.2?}");
    println!("score a {words}-word answer, warm:                   {warm:>10.2?}");

    // The whole process: `rehearse score ID --json` with the answer on stdin.
    let exe = env!("CARGO_BIN_EXE_rehearse");
    let mut text = String::new();
    for (step, body) in STEPS {
        text.push_str(&format!("## {step}\n{body}\n\n"));
    }
    let id = rehearse::pack::builtin::pack().ok().and_then(|p| {
        p.questions
            .iter()
            .find(|q| q.kind == Kind::Degradation)
            .map(|q| q.id.clone())
    });
    let Some(id) = id else {
        println!("whole process: skipped (the built-in pack has no degradation question)");
        return;
    };
    let process = time(41, || {
        let mut child = Command::new(exe)
            .args(["score", &id, "--json"])
            .env(
                "REHEARSE_HOME",
                std::env::temp_dir().join("rehearse-bench-home"),
            )
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("rehearse runs");
        if let Some(stdin) = child.stdin.as_mut() {
            let _ = stdin.write_all(text.as_bytes());
        }
        let status = child.wait().expect("rehearse exits");
        // A run that failed early would make a meaningless figure.
        assert!(status.success(), "rehearse score failed: {status}");
    });
    println!("`rehearse score {id} --json` process: {process:>10.2?}");
}
