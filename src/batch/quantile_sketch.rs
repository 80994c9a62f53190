//! Quantiles of a batch score in memory that does not grow with the number of
//! replications: a log-bucketed histogram after DDSketch (Masson, Rim & Lee,
//! "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
//! guarantees", VLDB 2019).
//!
//! A value x > 0 falls in bucket i = ceil(ln x / ln gamma) with
//! gamma = (1 + alpha) / (1 - alpha); every value in a bucket is within a factor
//! gamma of every other. Each bucket keeps its count and the smallest and largest
//! value it saw, so a quantile is reported as a value within relative error alpha
//! of the nearest-rank sample quantile, and exactly when the bucket holds one
//! distinct value (counts, shares, any score with few distinct values). Negative
//! values use mirrored buckets; zeros are counted apart. Memory is bounded by the
//! spread of the values (at most ln(max/min) / ln(gamma) buckets), not by how many
//! there are. The result depends only on the multiset of values, so it is the same
//! whatever the order rows arrive in.

use std::collections::BTreeMap;

/// Relative accuracy of reported quantiles: 0.1%.
pub const RELATIVE_ACCURACY: f64 = 0.001;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Bucket {
    count: u64,
    min: f64,
    max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuantileSketch {
    ln_gamma: f64,
    count: u64,
    zeros: u64,
    /// Buckets of |x| for x > 0, by index.
    positive: BTreeMap<i32, Bucket>,
    /// Buckets of |x| for x < 0, by index.
    negative: BTreeMap<i32, Bucket>,
}

impl Default for QuantileSketch {
    fn default() -> Self {
        Self::new()
    }
}

impl QuantileSketch {
    pub fn new() -> Self {
        let gamma = (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY);
        Self { ln_gamma: gamma.ln(), count: 0, zeros: 0, positive: BTreeMap::new(), negative: BTreeMap::new() }
    }

    /// Adds a finite value (others are ignored: they are never written to runs.csv).
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.count += 1;
        if x == 0.0 {
            self.zeros += 1;
            return;
        }
        let index = (x.abs().ln() / self.ln_gamma).ceil() as i32;
        let store = if x > 0.0 { &mut self.positive } else { &mut self.negative };
        let bucket = store.entry(index).or_insert(Bucket { count: 0, min: x, max: x });
        bucket.count += 1;
        bucket.min = bucket.min.min(x);
        bucket.max = bucket.max.max(x);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Number of buckets held: what the memory use grows with.
    pub fn buckets(&self) -> usize {
        self.positive.len() + self.negative.len() + usize::from(self.zeros > 0)
    }

    /// Buckets from the smallest values to the largest: (count, min, max).
    fn ascending(&self) -> impl Iterator<Item = Bucket> + '_ {
        let zeros = (self.zeros > 0).then_some(Bucket { count: self.zeros, min: 0.0, max: 0.0 });
        self.negative.values().rev().copied().chain(zeros).chain(self.positive.values().copied())
    }

    /// Nearest-rank quantile q in [0, 1] (the ceil(q n)-th smallest value, at least
    /// the first), within relative error [`RELATIVE_ACCURACY`]; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut below = 0;
        for b in self.ascending() {
            if below + b.count >= rank {
                return Some(if rank == below + 1 {
                    b.min
                } else if rank == below + b.count {
                    b.max
                } else {
                    // Inside the bucket: its geometric middle, kept within what it saw.
                    (b.min * b.max).abs().sqrt().copysign(b.min).clamp(b.min, b.max)
                });
            }
            below += b.count;
        }
        unreachable!("the ranks sum to the count")
    }

    /// The empirical CDF as steps: (value, share of values at or below it), one
    /// point per bucket at the bucket's largest value.
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let mut below = 0;
        self.ascending()
            .map(|b| {
                below += b.count;
                (b.max, below as f64 / self.count as f64)
            })
            .collect()
    }

    pub fn min(&self) -> Option<f64> {
        self.ascending().next().map(|b| b.min)
    }

    pub fn max(&self) -> Option<f64> {
        self.ascending().last().map(|b| b.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(values: &mut [f64], q: f64) -> f64 {
        values.sort_by(f64::total_cmp);
        values[((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1]
    }

    #[test]
    fn quantiles_are_within_the_relative_accuracy_of_the_exact_ones() {
        // A deterministic spread over six orders of magnitude, with negatives and zeros.
        let mut values: Vec<f64> = (0..20_000)
            .map(|i| {
                let u = ((i as u64).wrapping_mul(2_654_435_761) % 1_000_003) as f64 / 1_000_003.0;
                if i % 17 == 0 {
                    0.0
                } else if i % 5 == 0 {
                    -(1e3 * u * u)
                } else {
                    1e-3 * 1e6f64.powf(u)
                }
            })
            .collect();
        let mut sketch = QuantileSketch::new();
        values.iter().for_each(|v| sketch.add(*v));
        for q in [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0] {
            let (got, want) = (sketch.quantile(q).unwrap(), exact(&mut values, q));
            assert!((got - want).abs() <= RELATIVE_ACCURACY * want.abs() + 1e-300, "q {q}: {got} vs {want}");
        }
        assert_eq!(sketch.min(), Some(exact(&mut values, 0.0)));
        assert_eq!(sketch.max(), Some(exact(&mut values, 1.0)));
    }

    #[test]
    fn discrete_values_are_reported_exactly() {
        let mut sketch = QuantileSketch::new();
        for i in 0..1000 {
            sketch.add((i % 10) as f64);
        }
        assert_eq!(sketch.quantile(0.5), Some(4.0));
        assert_eq!(sketch.quantile(0.9), Some(8.0));
        assert_eq!(sketch.quantile(0.91), Some(9.0));
        assert_eq!(sketch.cdf()[0], (0.0, 0.1));
    }

    #[test]
    fn memory_is_bounded_by_the_spread_not_the_count() {
        let mut sketch = QuantileSketch::new();
        for i in 0..1_000_000u64 {
            sketch.add(1.0 + (i % 9973) as f64 / 9973.0);
        }
        // ln 2 / ln gamma = 347 buckets, whatever the number of values.
        assert!(sketch.buckets() <= 348, "{}", sketch.buckets());
        assert_eq!(sketch.count(), 1_000_000);
    }
}
