//! Descriptive statistics and the batch-means confidence interval.

use serde::Serialize;

/// Location and spread of a sample. Quantiles use the nearest-rank rule on the
/// sorted sample, so they are values that actually occurred.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Distribution {
    pub n: usize,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub max: f64,
}

impl Distribution {
    /// `None` for an empty sample: no measure is better than a made-up zero.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
        Some(Self {
            n: sorted.len(),
            mean: mean(values),
            p50: rank(0.5),
            p90: rank(0.9),
            max: sorted[sorted.len() - 1],
        })
    }
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Half-width of the 95% confidence interval of the mean of a correlated series
/// (queue waits in arrival order) by the method of batch means with 20 batches:
/// t(19, 0.975) * sd(batch means) / sqrt(20). Same definition as
/// `shared/bench/mmc_common.py`, so ttx and the reference kernels compare directly.
pub fn batch_means_ci95(series: &[f64]) -> Option<f64> {
    const BATCHES: usize = 20;
    const T_19: f64 = 2.093;
    if series.len() < BATCHES * 2 {
        return None;
    }
    let n = series.len();
    let means: Vec<f64> = (0..BATCHES).map(|b| mean(&series[b * n / BATCHES..(b + 1) * n / BATCHES])).collect();
    let m = mean(&means);
    let variance = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (BATCHES as f64 - 1.0);
    Some(T_19 * variance.sqrt() / (BATCHES as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let d = Distribution::of(&[5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0]).unwrap();
        assert_eq!((d.n, d.mean, d.p50, d.p90, d.max), (10, 5.5, 5.0, 9.0, 10.0));
        assert_eq!(Distribution::of(&[]), None);
    }

    #[test]
    fn batch_means_of_iid_series_matches_standard_error() {
        // 20 batches of constant blocks 0..19: batch means are 0..19, sd = 5.916.
        let series: Vec<f64> = (0..2000).map(|i| (i / 100) as f64).collect();
        let ci = batch_means_ci95(&series).unwrap();
        assert!((ci - 2.093 * 5.916_079_783 / 20f64.sqrt()).abs() < 1e-6);
        assert_eq!(batch_means_ci95(&[1.0; 10]), None);
    }
}
