//! Every choice rehearse makes from a seed: the order of a practice session's questions, the
//! follow-up each gets, the questions `rehearse template --count N` picks.
//!
//! A `--seed` must make the same choices on every platform and with every version of the
//! dependencies, so the generator is a named, specified one (ChaCha8, keyed with the seed's
//! little-endian bytes) and the shuffle and the range reduction are written out here rather than
//! taken from `rand::seq`, whose algorithms may change between rand releases. Golden tests pin
//! the results. (A release that adds questions to the bank changes what a seed picks anyway; the
//! pins are about the same release choosing the same way everywhere.)

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The generator behind every choice made with one seed.
#[derive(Debug, Clone)]
pub struct Seeded(ChaCha8Rng);

impl Seeded {
    /// The generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Seeded(ChaCha8Rng::from_seed(bytes))
    }

    /// A uniform number below `n` (n > 0) by rejection, so no value is favoured.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// `items` in a uniformly random order: Fisher-Yates, from the end.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// Up to `count` of `pool` (all of them when `None`), in the shuffled order.
    pub fn sample<T>(&mut self, mut pool: Vec<T>, count: Option<usize>) -> Vec<T> {
        self.shuffle(&mut pool);
        pool.truncate(count.unwrap_or(pool.len()));
        pool
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// If this changes, a seed no longer makes the same choices: find what changed the generator
    /// instead of updating the numbers.
    #[test]
    fn the_generator_and_the_shuffle_are_pinned() {
        assert_eq!(Seeded::new(0).0.next_u64(), 15_438_444_565_445_410_878);
        let pool: Vec<u32> = (0..10).collect();
        assert_eq!(Seeded::new(42).sample(pool, Some(3)), PINNED_42);
    }

    const PINNED_42: [u32; 3] = [2, 1, 4];

    #[test]
    fn below_stays_in_range() {
        let mut rng = Seeded::new(1);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
    }

    #[test]
    fn a_sample_is_a_subset_without_repeats_and_reproducible() {
        let pool: Vec<u32> = (0..10).collect();
        let a = Seeded::new(7).sample(pool.clone(), Some(4));
        assert_eq!(a, Seeded::new(7).sample(pool.clone(), Some(4)));
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 4);
        assert_ne!(a, Seeded::new(8).sample(pool.clone(), Some(4)));
        assert_eq!(Seeded::new(1).sample(pool.clone(), Some(50)).len(), 10);
        let mut all = Seeded::new(7).sample(pool.clone(), None);
        all.sort();
        assert_eq!(all, pool);
        assert!(Seeded::new(1).sample(Vec::<u32>::new(), Some(3)).is_empty());
    }
}
