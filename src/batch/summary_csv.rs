//! `summary.csv`: per variant and score, the statistics of its replications and
//! the paired difference to the baseline variant, rounded to the digits their
//! confidence intervals make meaningful (runs.csv keeps every digit).

use super::batch_statistics::MeanCi;

#[derive(Debug, Clone, PartialEq)]
pub struct VariantSummary {
    pub variant: String,
    pub score: String,
    pub stats: Option<MeanCi>,
    /// Quantiles within 0.1% of the nearest-rank ones (see [`super::QuantileSketch`]).
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    /// Variant minus baseline, over replications where both have a value.
    pub difference: Option<MeanCi>,
}

/// Decimals that show a 95% half-width to two significant digits (a mean of
/// 23.0652 with half-width 3.14 reads 23.1): digits beyond that are noise. With
/// no interval (one replication, or none needed), four significant digits.
pub fn meaningful_decimals(half_width: Option<f64>, value: f64) -> usize {
    let reference = match half_width {
        Some(h) if h.is_finite() && h > 0.0 => h / 10.0,
        _ if value != 0.0 && value.is_finite() => value.abs() / 1_000.0,
        _ => return 0,
    };
    (-reference.log10().floor()).clamp(0.0, 9.0) as usize
}

/// `x` to `decimals`, without trailing zeros ("0", "2.5", "23.1").
pub fn rounded(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    if text == "-0" { "0".into() } else { text }
}

fn cell(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => rounded(x, decimals),
        _ => String::new(),
    }
}

pub fn summary_csv(rows: &[VariantSummary]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "variant",
        "score",
        "n",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "p10",
        "p50",
        "p90",
        "diff_vs_baseline",
        "diff_ci95_low",
        "diff_ci95_high",
    ])
    .expect("memory");
    for r in rows {
        let s = r.stats;
        let d = r.difference;
        let half = |m: crate::batch::MeanCi| (m.high - m.low) / 2.0;
        let k = s.map_or(0, |s| meaningful_decimals(Some(half(s)), s.mean));
        let kd = d.map_or(0, |d| meaningful_decimals(Some(half(d)), d.mean));
        w.write_record([
            r.variant.clone(),
            r.score.clone(),
            s.map_or("0".into(), |s| s.n.to_string()),
            cell(s.map(|s| s.mean), k),
            cell(s.map(|s| s.sd), k),
            cell(s.map(|s| s.low), k),
            cell(s.map(|s| s.high), k),
            cell(r.p10, k),
            cell(r.p50, k),
            cell(r.p90, k),
            cell(d.map(|d| d.mean), kd),
            cell(d.map(|d| d.low), kd),
            cell(d.map(|d| d.high), kd),
        ])
        .expect("memory");
    }
    w.into_inner().expect("memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_interval() {
        assert_eq!(rounded(23.0652, meaningful_decimals(Some(3.2), 23.0652)), "23.1");
        assert_eq!(meaningful_decimals(Some(31.4), 0.0), 0);
        assert_eq!(meaningful_decimals(Some(0.0123), 0.0), 3);
        assert_eq!(rounded(0.0, 3), "0");
        assert_eq!(rounded(-0.00001, 2), "0");
        assert_eq!(rounded(2.50, 3), "2.5");
        // No interval: four significant digits of the value.
        assert_eq!(rounded(1234.5678, meaningful_decimals(None, 1234.5678)), "1235");
        assert_eq!(rounded(0.012346, meaningful_decimals(Some(f64::NAN), 0.012346)), "0.01235");
    }
}
