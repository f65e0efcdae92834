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

/// How many permutation statistics lie at or beyond the observed one on each side, counting a
/// tie (equal within rounding) on both: the folded pseudo p-value is then
/// (m + 1)/(permutations + 1) with m the smaller side. Without ties this is esda's p-value; with
/// them (a handful of areas, whose neighbours' values can be drawn only a few ways) esda counts
/// a tie below the observed value on neither side and can call p = 0.001 what a fifth of the
/// permutations equal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tally {
    observed: f64,
    tolerance: f64,
    at_least: usize,
    at_most: usize,
    permutations: usize,
}

impl Tally {
    pub(crate) fn new(observed: f64) -> Tally {
        Tally { observed, tolerance: 1e-9 * (1.0 + observed.abs()), at_least: 0, at_most: 0, permutations: 0 }
    }

    pub(crate) fn add(&mut self, simulated: f64) {
        self.permutations += 1;
        if simulated >= self.observed - self.tolerance {
            self.at_least += 1;
        }
        if simulated <= self.observed + self.tolerance {
            self.at_most += 1;
        }
    }

    pub(crate) fn pseudo_p(&self) -> f64 {
        (self.at_least.min(self.at_most) as f64 + 1.0) / (self.permutations as f64 + 1.0)
    }
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

    fn tally(observed: f64, simulated: &[f64]) -> f64 {
        let mut tally = Tally::new(observed);
        simulated.iter().for_each(|&s| tally.add(s));
        tally.pseudo_p()
    }

    #[test]
    fn the_pseudo_p_value_folds_to_the_rarer_tail() {
        let below = vec![0.0; 999];
        let above = vec![2.0; 999];
        assert_eq!(tally(1.0, &below), 0.001);
        assert_eq!(tally(1.0, &above), 0.001);
        let half: Vec<f64> = (0..999).map(|k| if k < 499 { 2.0 } else { 0.0 }).collect();
        assert_eq!(tally(1.0, &half), 0.5);
    }

    #[test]
    fn a_tie_counts_on_both_sides() {
        // The observed statistic is the least that can be drawn, and 200 of 999 draws equal it (a
        // neighbourhood drawn only five ways): esda would fold 999 "at least as large" to 0 and say
        // p = 0.001; the draws as extreme as the observed one number 200.
        let simulated: Vec<f64> = (0..999).map(|k| if k < 200 { -0.3368 + 1e-13 } else { 0.5 }).collect();
        assert_eq!(tally(-0.3368, &simulated), 201.0 / 1000.0);
    }
}
