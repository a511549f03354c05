//! The evaluation JSON of every graded example of the built-in bank, one document per example,
//! each headed by `== PACK/QUESTION LABEL`. Changes to text analysis or the pattern engine that
//! must not change scores are checked by diffing this output before and after:
//!
//! ```sh
//! cargo run --example bank_scores > before.txt   # on the old build
//! cargo run --example bank_scores > after.txt    # on the new one
//! cmp before.txt after.txt
//! ```

use std::io::Write;

use rehearse::commands::pack_test::example_answer;
use rehearse::pack::Bank;

fn main() -> anyhow::Result<()> {
    let bank = Bank::load(&[], false)?;
    let mut out = std::io::stdout().lock();
    let mut count = 0;
    for pack in bank.packs() {
        let judge = rehearse::judge::for_pack(pack)?;
        for question in &pack.questions {
            for example in &question.examples {
                let eval = judge.evaluate(question, &example_answer(question, example));
                writeln!(out, "== {}/{} {}", pack.meta.id, question.id, example.label)?;
                writeln!(out, "{}", eval.to_json())?;
                count += 1;
            }
        }
    }
    eprintln!("{count} graded examples");
    Ok(())
}
