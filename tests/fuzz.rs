//! A mutation fuzzer over the project's own inputs, on the stable toolchain: the built-in pack's
//! files, the test packs and the answers fixtures are mutated (bytes flipped, inserted, deleted
//! and duplicated; lines spliced in from other files; YAML anchors, aliases, tags, documents and
//! nesting planted; control, bidi and invisible characters sprinkled in) and fed through the
//! full pack loader (structure, schema and semantic checks, rubric compilation with every
//! pattern checked), the answers loader and the scorer.
//!
//! Each case must end in a result or in located problems, never a panic; every problem names the
//! file it is in; scoring the same answer twice gives the same JSON. Cases are numbered and each
//! is drawn from its own seed, so a failure names the case that reproduces it.
//!
//! ```sh
//! cargo test --test fuzz -- --nocapture                              # 300 cases or 20 s
//! REHEARSE_FUZZ_CASES=100000 REHEARSE_FUZZ_SECONDS=3600 \
//!     cargo test --release --test fuzz -- --nocapture                 # the long run
//! REHEARSE_FUZZ_FROM=4711 REHEARSE_FUZZ_CASES=1 cargo test --test fuzz  # replay one case
//! ```

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use rehearse::pack::Bank;
use rehearse::pack::load::{Origin, load_files};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Named files: the seed inputs and their mutations.
type Files = Vec<(String, Vec<u8>)>;

/// The seed inputs: every YAML file of the built-in pack and the test fixtures.
fn corpus() -> (Files, Files) {
    let mut packs = Vec::new();
    let mut answers = Vec::new();
    let add = |dir: &Path, into: &mut Files| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for p in paths {
            into.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    };
    add(&root().join("question-bank"), &mut packs);
    add(&root().join("tests/fixtures/packs"), &mut packs);
    add(&root().join("tests/fixtures/answers"), &mut answers);
    (packs, answers)
}

/// Things worth planting: YAML's sharp edges and characters a terminal or a scorer could trip on.
const PLANTS: &[&str] = &[
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object:os.system ",
    "!custom ",
    "\n---\n",
    "\n...\n",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "\n  - ",
    "? ",
    "|",
    ">-",
    "\"",
    "'",
    "#",
    "\t",
    "\r",
    "\r\n",
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{1b}[2J",
    "\u{9b}",
    "\u{202e}",
    "\u{200b}",
    "\u{ad}",
    "\u{feff}",
    "\u{430}",
    "\u{ff41}",
    "\0",
    "~12",
    "@",
    "*",
    "(a|b",
    "9999999999999999999999",
    "-1",
    "1e309",
    "null",
    "yes",
];

fn mutate(rng: &mut ChaCha8Rng, input: &[u8], others: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    let rounds = rng.random_range(1..=8);
    for _ in 0..rounds {
        let len = bytes.len().max(1);
        let at = rng.random_range(0..len).min(bytes.len());
        match rng.random_range(0..8) {
            0 if !bytes.is_empty() => {
                let i = rng.random_range(0..bytes.len());
                bytes[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let b: u8 = rng.random();
                bytes.insert(at, b);
            }
            2 if !bytes.is_empty() => {
                let end = (at + rng.random_range(1..64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if !bytes.is_empty() => {
                let end = (at + rng.random_range(1..256)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.random_range(0..=bytes.len());
                bytes.splice(to..to, copy);
            }
            4 => {
                let (_, other) = &others[rng.random_range(0..others.len())];
                let lines: Vec<&[u8]> = other.split(|b| *b == b'\n').collect();
                let line = lines[rng.random_range(0..lines.len())];
                let mut piece = line.to_vec();
                piece.push(b'\n');
                // At a line start, so the spliced line keeps its meaning.
                let start = bytes[..at]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |i| i + 1);
                bytes.splice(start..start, piece);
            }
            5 => {
                let depth = rng.random_range(1..80);
                let nest = "[".repeat(depth) + &"]".repeat(depth);
                bytes.splice(at..at, nest.bytes());
            }
            _ => {
                let plant = PLANTS[rng.random_range(0..PLANTS.len())];
                bytes.splice(at..at, plant.bytes());
            }
        }
    }
    bytes
}

/// What one case found wrong, if anything.
fn check_pack(name: &str, bytes: Vec<u8>) -> Option<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        load_files(
            vec![(name.to_string(), bytes)],
            false,
            Origin::Path(name.into()),
            name,
        )
        .map(|pack| {
            // Every pattern compiled and checked, as `pack validate` does.
            let _ = pack.rubric();
        })
    }));
    match result {
        Err(_) => Some("panicked".to_string()),
        Ok(Err(problems)) if problems.0.is_empty() => Some("failed with no problem".to_string()),
        Ok(Err(problems)) => problems
            .0
            .iter()
            .find(|d| d.file != name)
            .map(|d| format!("a problem names another file: {d}")),
        Ok(Ok(())) => None,
    }
}

fn check_answers(name: &str, bytes: &[u8], bank: &Bank) -> Option<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        match rehearse::answers::load(name, bytes, bank) {
            Err(problems) if problems.0.is_empty() => Some("failed with no problem".to_string()),
            Err(problems) => problems
                .0
                .iter()
                .find(|d| d.file != name)
                .map(|d| format!("a problem names another file: {d}")),
            Ok(loaded) => loaded.items.iter().find_map(|item| {
                let entry = item.entry;
                let rubric = entry.pack.rubric().ok()?;
                let once = rehearse::rubric::score(rubric, entry.question, &item.answer);
                let twice = rehearse::rubric::score(rubric, entry.question, &item.answer);
                (once.to_json() != twice.to_json()).then(|| "scores differ".to_string())
            }),
        }
    }));
    result.unwrap_or_else(|_| Some("panicked".to_string()))
}

#[test]
fn mutated_packs_and_answers_never_panic() {
    let cases = env_number("REHEARSE_FUZZ_CASES", 300);
    let budget = Duration::from_secs(env_number("REHEARSE_FUZZ_SECONDS", 20));
    let from = env_number("REHEARSE_FUZZ_FROM", 0);
    let (packs, answers) = corpus();
    let mini = std::fs::read(root().join("tests/fixtures/packs/mini.yaml")).unwrap();
    let mini = load_files(
        vec![("mini.yaml".into(), mini)],
        false,
        Origin::Path("mini.yaml".into()),
        "mini.yaml",
    )
    .unwrap();
    let builtin = rehearse::pack::builtin::pack().unwrap().clone();
    let bank = Bank::from_packs(vec![builtin, mini]);
    let everything: Files = packs.iter().chain(&answers).cloned().collect();
    // Panics are caught and counted; their default report would drown the summary.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut ran, mut failures) = (0u64, Vec::new());
    for case in from..from + cases {
        if started.elapsed() > budget {
            break;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(case);
        let failure = if case % 3 == 0 {
            let (name, bytes) = &packs[rng.random_range(0..packs.len())];
            let mutated = mutate(&mut rng, bytes, &everything);
            check_pack(name, mutated).map(|f| format!("case {case} ({name}): {f}"))
        } else {
            let (name, bytes) = &answers[rng.random_range(0..answers.len())];
            let mutated = mutate(&mut rng, bytes, &everything);
            check_answers(name, &mutated, &bank).map(|f| format!("case {case} ({name}): {f}"))
        };
        failures.extend(failure);
        ran += 1;
    }
    std::panic::set_hook(hook);
    println!(
        "fuzz: {ran} cases (from {from}) in {:.1} s, {} failures",
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
