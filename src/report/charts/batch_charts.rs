//! Charts of a batch: the distribution of the headline score per variant, its
//! empirical CDF, and the score against the varied parameter with CI bands.

use super::{Chart, ChartError, PALETTE, draw_legend, err};
use crate::batch::QuantileSketch;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A score's distribution over the replications of each variant (a sketch, so
/// charts of 100,000 replications need no more memory than charts of 100).
pub struct VariantValues {
    pub score: String,
    /// (variant name, distribution).
    pub variants: Vec<(String, QuantileSketch)>,
}

fn range(values: &VariantValues) -> (f64, f64) {
    let all = values.variants.iter().flat_map(|v| v.1.min().into_iter().chain(v.1.max()));
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

/// Labels for the variant axis: the names when they fit side by side at 8 px a
/// character, else numbers with a key ("1: as it happened") to print below.
fn axis_labels(names: &[String], width: u32) -> (Vec<String>, Vec<String>) {
    let room = (width.saturating_sub(120) as usize / names.len().max(1)) / 8;
    if names.iter().all(|n| n.chars().count() <= room) {
        return (names.to_vec(), Vec::new());
    }
    let labels = (1..=names.len()).map(|k| k.to_string()).collect();
    let key = names.iter().enumerate().map(|(k, n)| format!("{}: {n}", k + 1)).collect();
    (labels, key)
}

/// Box per variant: box from p25 to p75, line at the median, whiskers p10 to p90,
/// dots at the minimum and maximum.
pub struct DistributionChart(pub VariantValues);

impl Chart for DistributionChart {
    fn name(&self) -> String {
        "distribution".into()
    }

    fn title(&self) -> String {
        format!("Distribution of {} per variant", self.0.score)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let n = self.0.variants.len();
        let (lo, hi) = range(&self.0);
        let names: Vec<String> = self.0.variants.iter().map(|v| v.0.clone()).collect();
        let (labels, key) = axis_labels(&names, area.dim_in_pixel().0);
        let area = if key.is_empty() {
            area.clone()
        } else {
            // The variants' names below the chart, one line each, numbered as on the axis.
            let lines = key.len() as u32;
            let (upper, lower) = area.split_vertically(area.dim_in_pixel().1 - 20 * lines - 10);
            for (k, line) in key.iter().enumerate() {
                let style = ("sans-serif", 15).into_font().color(&BLACK);
                lower.draw(&Text::new(line.clone(), (80, 4 + 20 * k as i32), style)).map_err(err)?;
            }
            upper
        };
        let mut chart = ChartBuilder::on(&area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.max(1))
            .x_label_formatter(&|x| {
                let k = x.round();
                if (x - k).abs() < 1e-6 && k >= 0.0 {
                    labels.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("Variant (box: 25th-75th percentile, line: median, whiskers: 10th-90th)")
            .y_desc(self.0.score.clone())
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        for (k, (_, values)) in self.0.variants.iter().enumerate() {
            let (Some(min), Some(max)) = (values.min(), values.max()) else { continue };
            let colour = PALETTE[k % PALETTE.len()];
            let x = k as f64;
            let q = |p: f64| values.quantile(p).unwrap_or(min);
            chart
                .draw_series([Rectangle::new([(x - 0.25, q(0.25)), (x + 0.25, q(0.75))], colour.mix(0.35).filled())])
                .map_err(err)?;
            chart
                .draw_series([Rectangle::new([(x - 0.25, q(0.25)), (x + 0.25, q(0.75))], colour.stroke_width(2))])
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new([(x - 0.25, q(0.5)), (x + 0.25, q(0.5))], colour.stroke_width(3)))
                .map_err(err)?;
            for (a, b) in [(q(0.1), q(0.25)), (q(0.75), q(0.9))] {
                chart.draw_series(LineSeries::new([(x, a), (x, b)], colour.stroke_width(2))).map_err(err)?;
            }
            chart
                .draw_series([Circle::new((x, min), 3, colour.filled()), Circle::new((x, max), 3, colour.filled())])
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Empirical CDF of the headline score per variant.
pub struct CdfChart(pub VariantValues);

impl Chart for CdfChart {
    fn name(&self) -> String {
        "cdf".into()
    }

    fn title(&self) -> String {
        format!("Cumulative distribution of {}", self.0.score)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (lo, hi) = range(&self.0);
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(lo..hi, 0f64..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.0.score.clone())
            .y_desc("Replications at or below (%)")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        for (k, (name, values)) in self.0.variants.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let mut points = vec![(lo, 0.0)];
            let mut below = 0.0;
            for (v, share) in values.cdf() {
                points.push((v, 100.0 * below));
                points.push((v, 100.0 * share));
                below = share;
            }
            points.push((hi, 100.0));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(3)));
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

/// The headline score's mean and 95% CI against the one numeric key that varies.
pub struct ParameterChart {
    pub key: String,
    pub score: String,
    /// (parameter value, mean, CI low, CI high), by parameter value.
    pub points: Vec<(f64, f64, f64, f64)>,
}

impl Chart for ParameterChart {
    fn name(&self) -> String {
        "parameter".into()
    }

    fn title(&self) -> String {
        format!("{} against {}", self.score, self.key)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let xs = self.points.iter().map(|p| p.0);
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        let ys = self.points.iter().flat_map(|p| [p.2, p.3]).filter(|y| y.is_finite());
        let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
        let (xpad, ypad) = (((x1 - x0) * 0.05).max(0.5), ((y1 - y0) * 0.1).max(1e-6));
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(x0 - xpad..x1 + xpad, y0 - ypad..y1 + ypad)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.key.clone())
            .y_desc(format!("{} (mean, 95% CI band)", self.score))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        let band: Vec<(f64, f64)> = self
            .points
            .iter()
            .map(|p| (p.0, p.3))
            .chain(self.points.iter().rev().map(|p| (p.0, p.2)))
            .filter(|p| p.1.is_finite())
            .collect();
        chart.draw_series([Polygon::new(band, PALETTE[0].mix(0.25).filled())]).map_err(err)?;
        chart
            .draw_series(LineSeries::new(self.points.iter().map(|p| (p.0, p.1)), PALETTE[0].stroke_width(3)))
            .map_err(err)?;
        chart.draw_series(self.points.iter().map(|p| Circle::new((p.0, p.1), 5, PALETTE[0].filled()))).map_err(err)?;
        Ok(())
    }
}
