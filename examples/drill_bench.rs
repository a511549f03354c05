//! Drill benchmark: grades a generated cohort of answer files and reports the wall time and the
//! peak memory of the process.
//!
//! ```sh
//! cargo run --release --example drill_bench -- 10000            # 10,000 files, JSON report
//! cargo run --release --example drill_bench -- 1000 --format junit
//! ```
//!
//! Each file answers one built-in question step by step with about 300 words drawn from a fixed
//! pool of sentences (a mix of strong, weak and neutral ones, so every rubric path runs), by a
//! seeded generator, so every run grades the same cohort. The files are written first; only the
//! drill itself is timed. Peak memory is the process's high-water mark (`VmHWM` in
//! `/proc/self/status`), read after the drill; generating files one by one adds almost nothing to
//! it, so comparing 1,000 with 10,000 files shows whether memory stays flat as the cohort grows.

use std::fmt::Write as _;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Words per generated answers file, roughly.
const WORDS_PER_FILE: usize = 300;

/// Sentences answers are built from: specific, vague and anti-pattern ones.
const SENTENCES: &[&str] = &[
    "Before changing anything I would ask what changed recently, such as a deploy, a config change or a feature flag.",
    "I would look for the pattern first: is it only at peak, only one endpoint, or one region?",
    "Averages hide the tail, so I would compare p50 with p99 against the same hour last week.",
    "My first hypothesis is that the connection pool saturates at lunchtime, and I would confirm it with the pool wait metric.",
    "A second hypothesis is a slow dependency, which I would rule out by timing each downstream call from our side.",
    "I would reproduce it with a replay of production traffic in staging before touching the code.",
    "To limit the impact right now I would roll back the last release or switch the new flag off.",
    "The cost of rolling back is that we lose the new feature for a day, which I would agree with product.",
    "One option is a cache with a short time to live, which gains latency at the cost of stale prices.",
    "The other option is to fix the slow query, which keeps data exact but takes longer to ship.",
    "I would choose the cache because the launch date matters most, and I would revisit it if staleness hurts sales.",
    "The risk is that invalidation silently fails, so I would alert on the age of cached entries.",
    "I would involve the team that owns the payment client and keep support informed with the impact in user terms.",
    "After the incident I would run a blameless postmortem with an owner and a date for each action.",
    "I would add an alert on saturation and write a runbook so the next on-call engineer sees it sooner.",
    "In hindsight I underestimated how fast the data would grow, and that was my call.",
    "We did not know at the time how many preference types the product would need.",
    "Today I would migrate in small steps behind a flag, with a backfill and a reconciliation job.",
    "About three percent of checkouts were slower than two seconds, which costs us orders every day.",
    "Then I would time-box the investigation to an hour and make the call on the best evidence we have.",
    "I would just add more servers and see if it helps.",
    "Kafka will fix this.",
    "It was not my problem, the other team broke it.",
    "The system is complex and there are many things to consider in general.",
    "We could use microservices, Kubernetes, Redis and a message queue.",
    "Finally I would share a short summary: what happened, what we changed, and what we watch now.",
];

fn main() {
    let mut files = 10_000usize;
    let mut format = "json".to_string();
    let mut keep: Option<std::path::PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => format = args.next().unwrap_or(format),
            // Leaves the generated cohort in DIR, to time `rehearse drill DIR/cohort` on its own.
            "--keep" => keep = args.next().map(Into::into),
            n => match n.replace([',', '_'], "").parse() {
                Ok(n) => files = n,
                Err(_) => {
                    eprintln!(
                        "usage: drill_bench [FILES] [--format text|json|junit|markdown] [--keep DIR]"
                    );
                    std::process::exit(2);
                }
            },
        }
    }

    let pack = match rehearse::pack::builtin::pack() {
        Ok(pack) => pack,
        Err(e) => {
            eprintln!("the built-in pack does not load:\n{e}");
            std::process::exit(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("cannot create a temporary directory: {e}");
            std::process::exit(2);
        }
    };
    let root = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    let cohort = root.join("cohort");
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut words = 0usize;
    for i in 0..files {
        let entry = &pack.questions[i % pack.questions.len()];
        let steps = entry.effective_steps();
        let mut text = format!(
            "candidate: Learner {i}\nanswers:\n  - question: {}\n    steps:\n",
            entry.id
        );
        let mut file_words = 0;
        for (s, step) in steps.iter().enumerate() {
            let _ = writeln!(text, "      {}: |", step.id);
            // Spread the words over the steps, the last step taking what is left.
            let budget = (WORDS_PER_FILE - file_words.min(WORDS_PER_FILE)) / (steps.len() - s);
            let mut step_words = 0;
            while step_words < budget {
                let sentence = SENTENCES[(rng.next_u32() as usize) % SENTENCES.len()];
                step_words += sentence.split_whitespace().count();
                let _ = writeln!(text, "        {sentence}");
            }
            file_words += step_words;
        }
        words += file_words;
        let sub = cohort.join(format!("group-{:02}", i % 20));
        if let Err(e) = std::fs::create_dir_all(&sub)
            .and_then(|()| std::fs::write(sub.join(format!("learner-{i:05}.yaml")), text))
        {
            eprintln!("cannot write the cohort: {e}");
            std::process::exit(2);
        }
    }
    eprintln!(
        "generated {files} answer files, {} words each on average, in {:.2} s",
        words / files.max(1),
        started.elapsed().as_secs_f64()
    );

    let report = dir.path().join(format!("report.{format}"));
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let code = rehearse::main([
        "rehearse".into(),
        "drill".into(),
        cohort.into_os_string(),
        "--format".into(),
        format.clone().into(),
        "--output".into(),
        report.clone().into_os_string(),
    ]);
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let size = std::fs::metadata(&report).map(|m| m.len()).unwrap_or(0);
    println!(
        "graded {files} files ({format}) in {seconds:.2} s wall, {} CPU: {:.0} files/s on {} \
         threads; report {:.1} MiB; peak memory (VmHWM) {}; exit code {code}",
        cpu.map_or_else(|| "unknown".to_string(), |c| format!("{c:.2} s")),
        files as f64 / seconds,
        rayon::current_num_threads(),
        size as f64 / (1024.0 * 1024.0),
        peak_memory().unwrap_or_else(|| "unknown (no /proc/self/status)".to_string()),
    );
}

/// User plus system CPU time of this process so far, from Linux's `/proc/self/stat` (in clock
/// ticks of 1/100 s, the value on every mainstream Linux). On a shared machine the wall time
/// depends on what else runs; the CPU time shows the work itself.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start with field 3, the state;
    // utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The process's peak resident memory, from Linux's `/proc/self/status`.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kib / 1024.0))
}
