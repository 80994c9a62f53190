//! Per variant and score: location, spread, a 95% confidence interval of the mean,
//! and the paired difference to the baseline (common random numbers make
//! replication i of every variant see the same incidents).

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
    let mut moments = RunningMoments::default();
    values.iter().for_each(|v| moments.add(*v));
    moments.mean_ci()
}

/// Mean and variance of a stream in constant memory (Welford's update, which keeps
/// its accuracy where the naive sum of squares cancels). Adding the same values in
/// the same order gives the same bits, and a stream of zeros stays exactly zero.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunningMoments {
    n: usize,
    mean: f64,
    m2: f64,
}

impl RunningMoments {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The sample's mean, standard deviation and 95% Student-t interval.
    pub fn mean_ci(&self) -> Option<MeanCi> {
        let n = self.n;
        if n == 0 {
            return None;
        }
        let sd = if n > 1 { (self.m2 / (n - 1) as f64).sqrt() } else { 0.0 };
        let half = if n > 1 { t_975(n - 1) * sd / (n as f64).sqrt() } else { f64::NAN };
        Some(MeanCi { n, mean: self.mean, sd, low: self.mean - half, high: self.mean + half })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_of_a_known_sample() {
        let ci = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!((ci.n, ci.mean), (5, 3.0));
        assert_eq!(mean_ci(&[0.0; 50]).map(|c| (c.mean, c.sd, c.low, c.high)), Some((0.0, 0.0, 0.0, 0.0)));
        let shifted = mean_ci(&[1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0]).unwrap();
        assert!((shifted.sd - 1.0).abs() < 1e-9);
        assert!((ci.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert!((ci.high - 3.0 - 2.776 * 2.5f64.sqrt() / 5f64.sqrt()).abs() < 1e-12);
        assert!((t_975(120) - 1.98).abs() < 0.001 && (t_975(40) - 2.021).abs() < 0.002);
    }
}
