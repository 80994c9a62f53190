//! The statistics of a batch, read off runs.csv one row at a time: memory depends
//! on the number of variants and scores, never on the number of replications.

use super::batch_statistics::RunningMoments;
use super::quantile_sketch::QuantileSketch;
use super::runs_csv::RunRow;
use super::summary_csv::VariantSummary;

/// Takes rows in runs.csv order, (replication, variant) with the baseline first in
/// each replication, and checks that order as it goes.
pub struct BatchSummariser {
    variants: Vec<String>,
    columns: Vec<String>,
    moments: Vec<Vec<RunningMoments>>,
    differences: Vec<Vec<RunningMoments>>,
    sketches: Vec<Vec<QuantileSketch>>,
    /// The baseline row of the replication being read.
    baseline: Option<(u64, Vec<Option<f64>>)>,
    /// (replication, variant index) of the last row, to check the order.
    last: Option<(u64, usize)>,
    rows: u64,
}

impl BatchSummariser {
    pub fn new(variants: &[String], columns: &[String]) -> Self {
        let (v, n) = (variants.len(), columns.len());
        Self {
            variants: variants.to_vec(),
            columns: columns.to_vec(),
            moments: vec![vec![RunningMoments::default(); n]; v],
            differences: vec![vec![RunningMoments::default(); n]; v],
            sketches: vec![vec![QuantileSketch::new(); n]; v],
            baseline: None,
            last: None,
            rows: 0,
        }
    }

    /// Adds the next row; an error names what is out of place.
    pub fn add(&mut self, row: &RunRow) -> Result<(), RowError> {
        let v = self
            .variants
            .iter()
            .position(|n| *n == row.variant)
            .ok_or_else(|| RowError::UnknownVariant { replication: row.replication, variant: row.variant.clone() })?;
        let in_order = match self.last {
            None => v == 0,
            Some((r, w)) if w + 1 < self.variants.len() => (row.replication, v) == (r, w + 1),
            Some((r, _)) => row.replication > r && v == 0,
        };
        if !in_order {
            return Err(RowError::OutOfOrder {
                row: self.rows + 1,
                replication: row.replication,
                variant: row.variant.clone(),
            });
        }
        self.last = Some((row.replication, v));
        self.rows += 1;
        if v == 0 {
            self.baseline = Some((row.replication, row.values.clone()));
        }
        let baseline = self.baseline.as_ref().map(|b| &b.1).expect("the baseline comes first");
        for (s, value) in row.values.iter().enumerate() {
            let Some(x) = *value else { continue };
            self.moments[v][s].add(x);
            self.sketches[v][s].add(x);
            if v > 0
                && let Some(b) = baseline[s]
            {
                self.differences[v][s].add(x - b);
            }
        }
        Ok(())
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Per variant and score: statistics, quantiles and the paired difference.
    pub fn summary(&self) -> Vec<VariantSummary> {
        let mut out = Vec::new();
        for (v, name) in self.variants.iter().enumerate() {
            for (s, score) in self.columns.iter().enumerate() {
                let sketch = &self.sketches[v][s];
                out.push(VariantSummary {
                    variant: name.clone(),
                    score: score.clone(),
                    stats: self.moments[v][s].mean_ci(),
                    p10: sketch.quantile(0.1),
                    p50: sketch.quantile(0.5),
                    p90: sketch.quantile(0.9),
                    difference: if v == 0 { None } else { self.differences[v][s].mean_ci() },
                });
            }
        }
        out
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The distribution of one score per variant, for the charts.
    pub fn sketches(&self, score: usize) -> Vec<(String, QuantileSketch)> {
        self.variants.iter().cloned().zip(self.sketches.iter().map(|s| s[score].clone())).collect()
    }
}

/// A runs.csv row that does not belong where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("replication {replication} names an unknown variant \"{variant}\"")]
    UnknownVariant { replication: u64, variant: String },
    #[error(
        "row {row} (replication {replication}, variant \"{variant}\") is out of order: rows must go by replication, variants in batch.json order"
    )]
    OutOfOrder { row: u64, replication: u64, variant: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: usize = 3;

    fn columns() -> Vec<String> {
        (0..N).map(|k| format!("score{k}")).collect()
    }

    fn row(replication: u64, variant: &str, x: f64) -> RunRow {
        let mut values = vec![None; N];
        values[0] = Some(x);
        RunRow { replication, variant: variant.into(), seed: replication, values }
    }

    #[test]
    fn paired_differences_use_the_same_replication() {
        let mut s = BatchSummariser::new(&["a".into(), "b".into()], &columns());
        for (r, (a, b)) in [(1.0, 3.0), (2.0, 3.5), (4.0, 6.5)].into_iter().enumerate() {
            s.add(&row(r as u64, "a", a)).unwrap();
            s.add(&row(r as u64, "b", b)).unwrap();
        }
        let summary = s.summary();
        let d = summary[N].difference.unwrap();
        assert_eq!((d.n, d.mean), (3, 2.0));
        assert!((d.sd - 0.5).abs() < 1e-12);
        assert_eq!(summary[0].p50, Some(2.0));
    }

    #[test]
    fn rows_out_of_order_are_refused() {
        let mut s = BatchSummariser::new(&["a".into(), "b".into()], &columns());
        assert!(
            s.add(&row(0, "b", 1.0))
                .unwrap_err()
                .to_string()
                .contains("row 1 (replication 0, variant \"b\") is out of order")
        );
        let mut s = BatchSummariser::new(&["a".into(), "b".into()], &columns());
        s.add(&row(0, "a", 1.0)).unwrap();
        assert!(s.add(&row(1, "a", 1.0)).is_err());
        assert_eq!(s.add(&row(0, "c", 1.0)).unwrap_err().to_string(), "replication 0 names an unknown variant \"c\"");
    }
}
