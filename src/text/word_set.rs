//! Fast lookups in the closed word lists: a set of words, and a list of phrases found by their
//! first word.
//!
//! Every token of every answer is looked up in several lists and tried against every phrase of
//! the tone lists, so these lookups add up to a large share of a score. The sets are built once
//! from `'static` lists and only ever asked whether they hold a word, never iterated, so the
//! hasher decides speed and nothing else: a multiply-and-rotate hash over the word's bytes
//! (the `FxHash` of the Rust compiler) replaces the default SipHash, which guards against
//! inputs chosen to collide; a list fixed at build time has nothing to guard.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A fast, non-keyed hash for short strings (see the module's doc).
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words from a fixed list, for lookups only.
pub type WordSet = HashSet<&'static str, BuildHasherDefault<WordHasher>>;

/// The words of `list` as a [`WordSet`].
pub fn word_set(list: &[&'static str]) -> WordSet {
    list.iter().copied().collect()
}

/// A fixed list of phrases (each a run of normalised tokens), found in a text by their first
/// word: a token that starts no phrase costs one lookup, not a comparison with every phrase.
pub struct Phrases {
    list: &'static [&'static [&'static str]],
    /// The phrases by first word, and whether some phrase is empty (and so starts anywhere).
    by_first: OnceLock<(PhraseMap, bool)>,
}

type PhraseMap =
    HashMap<&'static str, Vec<&'static [&'static str]>, BuildHasherDefault<WordHasher>>;

impl Phrases {
    /// The phrases of `list`, indexed on first use.
    pub const fn new(list: &'static [&'static [&'static str]]) -> Phrases {
        Phrases {
            list,
            by_first: OnceLock::new(),
        }
    }

    /// The phrases, as listed.
    pub fn list(&self) -> &'static [&'static [&'static str]] {
        self.list
    }

    /// Index of each token of `words` where one of the phrases starts, in order: the same as
    /// `vocabulary::phrase_starts(words, self.list())`.
    pub fn starts(&self, words: &[&str]) -> Vec<usize> {
        let (by_first, empty) = self.by_first.get_or_init(|| {
            let mut map = PhraseMap::default();
            for &phrase in self.list {
                if let Some(&first) = phrase.first() {
                    map.entry(first).or_default().push(phrase);
                }
            }
            (map, self.list.iter().any(|p| p.is_empty()))
        });
        (0..words.len())
            .filter(|&i| {
                *empty
                    || by_first.get(words[i]).is_some_and(|phrases| {
                        phrases
                            .iter()
                            .any(|p| super::lexicon::phrase_at(words, i, p))
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn phrases_are_found_where_the_plain_scan_finds_them() {
        use super::super::vocabulary::{BUZZWORDS, DISMISSALS, IRONY, MOCKERY, phrase_starts};
        let text = "no need to loop in the dba team , it is state of the art and future proof , \
                    obviously just box ticking theater ; not my problem , best in class state";
        let words: Vec<&str> = text.split(' ').collect();
        for list in [BUZZWORDS, DISMISSALS, IRONY, MOCKERY] {
            let phrases = Phrases::new(list);
            assert_eq!(phrases.starts(&words), phrase_starts(&words, list));
            assert_eq!(phrases.starts(&[]), Vec::<usize>::new());
        }
        let found = Phrases::new(BUZZWORDS).starts(&words);
        assert!(found.len() >= 3, "{found:?}");
    }

    #[test]
    fn the_hash_tells_words_apart() {
        let build = BuildHasherDefault::<WordHasher>::default();
        let words = [
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "",
        ];
        let hashes: HashSet<u64> = words.iter().map(|w| build.hash_one(w)).collect();
        assert_eq!(hashes.len(), words.len());
        let set = word_set(&["deploy", "rollback"]);
        assert!(set.contains("deploy") && !set.contains("deploys"));
    }
}
