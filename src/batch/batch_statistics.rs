//! Per variant and score: location, spread, a 95% confidence interval of the mean,
//! and the paired difference to the baseline (common random numbers make
//! replication i of every variant see the same incidents).

use crate::score::mean;

/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom: exact table
/// to 30, then interpolated in 1/df towards the normal 1.96.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        // t(df) ~ 1.96 + 2.4/df is within 0.002 of the table beyond 30.
        _ => 1.959_964 + 2.4 / df as f64,
    }
}

/// Mean, standard deviation and 95% confidence interval of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub low: f64,
    pub high: f64,
}

pub fn mean_ci(values: &[f64]) -> Option<MeanCi> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let m = mean(values);
    let sd = if n > 1 { (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() } else { 0.0 };
    let half = if n > 1 { t_975(n - 1) * sd / (n as f64).sqrt() } else { f64::NAN };
    Some(MeanCi { n, mean: m, sd, low: m - half, high: m + half })
}

/// Nearest-rank quantile of a sorted sample.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_of_a_known_sample() {
        let ci = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!((ci.n, ci.mean), (5, 3.0));
        assert!((ci.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert!((ci.high - 3.0 - 2.776 * 2.5f64.sqrt() / 5f64.sqrt()).abs() < 1e-12);
        assert!((t_975(120) - 1.98).abs() < 0.001 && (t_975(40) - 2.021).abs() < 0.002);
    }
}
