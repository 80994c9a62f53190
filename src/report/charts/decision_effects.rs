//! One chart per decision: what each other option would have changed, as paired
//! differences with their 95% intervals, in per cent of the measure's mean with
//! the options as chosen (so hours, money and scores share one axis).

use super::{Chart, ChartError, PALETTE, err};
use crate::batch::{Better, Counterfactuals, DecisionEffect};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Most rows one chart shows (the largest relative effects).
const MOST_ROWS: usize = 12;

/// One row: its label, the relative mean and interval (%), and whether the
/// change is for the better.
struct Row {
    label: String,
    mean: f64,
    low: f64,
    high: f64,
    better: bool,
}

pub struct DecisionEffectsChart {
    decision: String,
    chosen: String,
    rows: Vec<Row>,
    /// Clear differences left out: their chosen mean is 0, so no per cent
    /// exists; and those beyond the most rows shown.
    from_zero: usize,
    beyond: usize,
}

impl DecisionEffectsChart {
    /// The chart of `d`, or `None` when no option differs clearly on anything.
    pub fn new(cf: &Counterfactuals, d: &DecisionEffect) -> Option<Self> {
        let mut rows = Vec::new();
        let mut from_zero = 0;
        for alt in &d.alternatives {
            for (m, x) in alt.differences.iter().enumerate() {
                let Some(x) = x.filter(|x| x.clear()) else { continue };
                let base = cf.chosen_mean[m].unwrap_or(0.0).abs();
                if base < 1e-9 {
                    from_zero += 1;
                    continue;
                }
                let measure = &cf.measures[m];
                rows.push(Row {
                    label: format!("{}: {}", alt.option, measure.label),
                    mean: 100.0 * x.mean / base,
                    low: 100.0 * x.low / base,
                    high: 100.0 * x.high / base,
                    better: (measure.better == Better::Higher) == (x.mean > 0.0),
                });
            }
        }
        if rows.is_empty() {
            return None;
        }
        // The largest effects first; ties keep the measures' order (stable sort).
        rows.sort_by(|a, b| b.mean.abs().partial_cmp(&a.mean.abs()).unwrap_or(std::cmp::Ordering::Equal));
        let beyond = rows.len().saturating_sub(MOST_ROWS);
        rows.truncate(MOST_ROWS);
        Some(Self { decision: d.decision.clone(), chosen: d.chosen.clone(), rows, from_zero, beyond })
    }
}

impl Chart for DecisionEffectsChart {
    fn name(&self) -> String {
        format!("decision-{}", self.decision)
    }

    fn title(&self) -> String {
        format!("Decision {}: other options against {} (chosen)", self.decision, self.chosen)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let bounds = self.rows.iter().flat_map(|r| [r.low, r.high, r.mean]).filter(|v| v.is_finite());
        let (lo, hi) = bounds.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.08).max(1.0);
        let n = self.rows.len();
        let (upper, lower) = area.split_vertically(area.dim_in_pixel().1 - 40);
        let mut chart = ChartBuilder::on(&upper)
            .caption(self.title(), ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(430)
            .build_cartesian_2d(lo - pad..hi + pad, -0.5..n as f64 - 0.5)
            .map_err(err)?;
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let k = y.round();
                if (y - k).abs() > 1e-6 || k < 0.0 {
                    return String::new();
                }
                labels.get(n.saturating_sub(1 + k as usize)).map_or(String::new(), |l| shorten(l, 60))
            })
            .x_desc("difference, % of the mean with the options as chosen (95% CI)")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        chart.draw_series(LineSeries::new([(0.0, -0.5), (0.0, n as f64 - 0.5)], BLACK.stroke_width(1))).map_err(err)?;
        for (k, row) in self.rows.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            // Blue for better, orange for worse (Okabe-Ito, distinct for colour blindness).
            let colour = if row.better { PALETTE[0] } else { PALETTE[1] };
            let (low, high) = (row.low.max(lo - pad), row.high.min(hi + pad));
            chart.draw_series(LineSeries::new([(low, y), (high, y)], colour.stroke_width(3))).map_err(err)?;
            chart.draw_series([Circle::new((row.mean, y), 6, colour.filled())]).map_err(err)?;
        }
        let mut note = "blue: better, orange: worse".to_string();
        if self.beyond > 0 {
            note += &format!("; {} smaller clear difference(s) not drawn", self.beyond);
        }
        if self.from_zero > 0 {
            note += &format!("; {} clear difference(s) from a mean of 0 (no per cent)", self.from_zero);
        }
        if self.beyond + self.from_zero > 0 {
            note += ": all are in counterfactuals.csv";
        }
        lower.draw_text(&note, &("sans-serif", 14).into_font().color(&BLACK), (20, 10)).map_err(err)?;
        Ok(())
    }
}

/// A label cut to `most` characters, with `…` when cut.
fn shorten(label: &str, most: usize) -> String {
    if label.chars().count() <= most {
        label.to_string()
    } else {
        label.chars().take(most - 1).chain(std::iter::once('…')).collect()
    }
}
