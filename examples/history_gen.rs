//! Writes a large history to measure what the history commands cost: attempts at six built-in
//! questions, scored for real and recorded as `score --record` records them, repeated with new
//! ids and times (one every hour) until the log reaches the size asked for, with a rescore after
//! every hundredth attempt so that rescores are read too.
//!
//! ```sh
//! cargo run --release --example history_gen -- 200 /tmp/big     # 200 MB in /tmp/big/history.jsonl
//! REHEARSE_HOME=/tmp/big /usr/bin/time -v target/release/rehearse progress > /dev/null
//! ```
//!
//! `/usr/bin/time -v` reports the peak memory as "Maximum resident set size"; the figures are in
//! the README's Performance section and in `docs/security.md`.

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use rehearse::answer::Answer;
use rehearse::history::record::{PackRef, Rescore, Source, attempt_for};
use rehearse::history::store;

const ANSWER: &str = "I would first ask what changed recently: deploys, config, traffic, and \
    check whether the metrics can be trusted before touching anything. The trade-off is latency \
    against consistency; I would pick the cache with a short TTL, accept a minute of stale reads, \
    and own the follow-up: tell the payments team what we know and when we update next, then \
    write down what we would change today.";

fn main() {
    let mut args = std::env::args().skip(1);
    let megabytes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/rehearse-history".into()),
    );
    let pack = rehearse::pack::builtin::pack().expect("the built-in pack loads");
    let judge = rehearse::judge::for_pack(pack).expect("the built-in rubric compiles");
    let bank = rehearse::pack::Bank::from_packs(vec![pack.clone()]);
    let start = Timestamp::from_second(1_767_603_600).expect("a valid time");
    let templates: Vec<_> = pack
        .questions
        .iter()
        .take(6)
        .map(|q| {
            let entry = bank.find(&q.id).expect("a built-in question");
            let answer = Answer::whole(ANSWER.repeat(4));
            let evaluation = judge.evaluate(q, &answer);
            let fingerprint = judge.fingerprint(q).expect("a fingerprint");
            attempt_for(
                start,
                Source::Score,
                entry,
                answer,
                &evaluation,
                fingerprint,
            )
            .expect("a well-formed attempt")
        })
        .collect();
    let path = store::history_path(&dir);
    let target = megabytes * 1_000_000;
    let mut n: i64 = 0;
    while std::fs::metadata(&path).map_or(0, |m| m.len()) < target {
        let batch: Vec<_> = (0..500)
            .map(|i| {
                let mut a = templates[((n + i) % 6) as usize].clone();
                a.recorded_at = start
                    .checked_add(SignedDuration::from_hours(n + i))
                    .expect("a time within range");
                a
            })
            .collect();
        let kept = store::append_all(&dir, batch).expect("the history is writable");
        let rescores = kept
            .iter()
            .filter(|a| a.id % 100 == 0)
            .map(|a| {
                let rescore = Rescore {
                    rescored_at: a.recorded_at,
                    pack: PackRef::new(&pack.meta.id, "9.9.9"),
                    rubric_fingerprint: "fnv1a64:0000000000000000".into(),
                    evaluation: a.evaluation.clone(),
                };
                (a.id, rescore)
            })
            .collect();
        store::append_rescores(&dir, rescores).expect("the history is writable");
        n += 500;
    }
    let len = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!("{}: {n} attempts, {len} bytes", path.display());
}
