//! `summary.csv`: per variant and score, the statistics of its replications and
//! the paired difference to the baseline variant.

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

fn cell(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x}"),
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
        w.write_record([
            r.variant.clone(),
            r.score.clone(),
            s.map_or("0".into(), |s| s.n.to_string()),
            cell(s.map(|s| s.mean)),
            cell(s.map(|s| s.sd)),
            cell(s.map(|s| s.low)),
            cell(s.map(|s| s.high)),
            cell(r.p10),
            cell(r.p50),
            cell(r.p90),
            cell(d.map(|d| d.mean)),
            cell(d.map(|d| d.low)),
            cell(d.map(|d| d.high)),
        ])
        .expect("memory");
    }
    w.into_inner().expect("memory")
}
