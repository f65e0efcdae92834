//! Seeded random draws shared by the permutation tests: shuffles and samples without replacement.
//!
//! The generator is PCG-64 seeded from a `u64`, so a seed reproduces every pseudo p-value.

use rand_pcg::Pcg64;
use rand_pcg::rand_core::{Rng, SeedableRng};

/// The generator every permutation test draws from.
pub(crate) fn generator(seed: u64) -> Pcg64 {
    Pcg64::seed_from_u64(seed)
}

/// A uniform integer in `0..m` (`m` > 0), by Lemire's multiply-shift.
// The bias is at most m / 2⁶⁴, far below anything 999 permutations can resolve.
fn below(rng: &mut Pcg64, m: usize) -> usize {
    ((u128::from(rng.next_u64()) * m as u128) >> 64) as usize
}

/// Moves a uniform random sample of `k` items of `pool` to its front (partial Fisher–Yates), and
/// records each swap in `swaps` so the caller can put the pool back with [`unswap`].
pub(crate) fn sample_front(rng: &mut Pcg64, pool: &mut [usize], k: usize, swaps: &mut Vec<(u32, u32)>) {
    let n = pool.len();
    for i in 0..k.min(n) {
        let j = i + below(rng, n - i);
        pool.swap(i, j);
        swaps.push((i as u32, j as u32));
    }
}

/// Undoes the recorded swaps, last first, and clears the record.
pub(crate) fn unswap(pool: &mut [usize], swaps: &mut Vec<(u32, u32)>) {
    for &(i, j) in swaps.iter().rev() {
        pool.swap(i as usize, j as usize);
    }
    swaps.clear();
}

/// Shuffles `values` uniformly (Fisher–Yates).
pub(crate) fn shuffle(rng: &mut Pcg64, values: &mut [f64]) {
    for i in (1..values.len()).rev() {
        let j = below(rng, i + 1);
        values.swap(i, j);
    }
}

/// The folded pseudo p-value of esda: (m + 1)/(permutations + 1), where m counts the
/// simulated values at least as large as the observed one, or those below it when fewer.
pub(crate) fn pseudo_p(larger: usize, permutations: usize) -> f64 {
    let m = larger.min(permutations - larger);
    (m as f64 + 1.0) / (permutations as f64 + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_holds_distinct_items_of_the_pool() {
        let mut rng = generator(1);
        let mut pool: Vec<usize> = (0..10).collect();
        let mut swaps = Vec::new();
        sample_front(&mut rng, &mut pool, 4, &mut swaps);
        sample_front(&mut rng, &mut pool, 4, &mut swaps);
        let mut front = pool[..4].to_vec();
        front.sort_unstable();
        front.dedup();
        assert_eq!(front.len(), 4);
        let mut all = pool.clone();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        unswap(&mut pool, &mut swaps);
        assert_eq!(pool, (0..10).collect::<Vec<_>>(), "undoing the swaps restores the order");
        assert!(swaps.is_empty());
    }

    #[test]
    fn the_pseudo_p_value_folds_to_the_rarer_tail() {
        assert_eq!(pseudo_p(999, 999), 0.001);
        assert_eq!(pseudo_p(0, 999), 0.001);
        assert_eq!(pseudo_p(499, 999), 0.5);
    }
}
