//! Warnings over time: per nation in each outbreak, when it was hit, when it noticed
//! itself, when a warning reached it, and when its protection was in place.

use super::{Chart, ChartError, PALETTE, draw_legend, draw_time_marks, err, time_axis};
use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Per row: label, first infection, own detection, warning acted on, warning
/// doubted, protection (hours).
type Row = (String, [Option<f64>; 5]);

const MARKS: [(&str, RGBColor); 5] = [
    ("first infection", RGBColor(200, 30, 30)),
    ("noticed it itself", RGBColor(0, 0, 0)),
    ("warning received and acted on", PALETTE[0]),
    ("warning received but doubted", PALETTE[1]),
    ("protection in place", PALETTE[2]),
];

pub struct WarningsChart {
    hours: f64,
    rows: Vec<Row>,
    midnights: Vec<f64>,
    nation: String,
}

impl WarningsChart {
    pub fn new(scenario: &Scenario, outcome: &Outcome, midnights: Vec<f64>, nation: String) -> Self {
        let h = |t: Option<SimTime>| t.map(SimTime::as_hours);
        let mut rows = Vec::new();
        let several = scenario.outbreaks.len() > 1;
        for (o, state) in scenario.outbreaks.iter().zip(&outcome.outbreaks) {
            for (k, p) in o.populations.iter().enumerate() {
                let hit = state.series.iter().find(|(_, infected)| infected[k] > 0).map(|(t, _)| *t);
                // Nations by name, with who warned them.
                let mut label = scenario.nations[p.nation].name.clone();
                if let Some(from) = state.warning_from[k] {
                    label = format!("{label} (from {})", scenario.csirts[from].id);
                }
                if several {
                    label = format!("{}: {label}", o.id);
                }
                let doubted = state.warning_doubted_at[k].filter(|_| state.warned_at[k].is_none());
                rows.push((
                    label,
                    [h(hit), h(state.detected_at[k]), h(state.warned_at[k]), h(doubted), h(state.protected_at[k])],
                ));
            }
        }
        Self { hours: outcome.end_time.max(SimTime::from_secs(1)).as_hours(), rows, midnights, nation }
    }
}

impl Chart for WarningsChart {
    fn name(&self) -> String {
        "warnings".into()
    }

    fn title(&self) -> String {
        if self.rows.is_empty() {
            "Warnings over time (no outbreak in this run)".into()
        } else {
            "Warnings over time: before or after each nation was hit".into()
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let n = self.rows.len().max(1) as f64;
        let labels: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..self.hours, -0.5f64..n - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(self.rows.len().max(1))
            .y_label_formatter(&|y| {
                let k = y.round();
                if (y - k).abs() < 1e-6 && k >= 0.0 {
                    labels.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc(time_axis(&self.midnights, &self.nation))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc("Nation (who warned it)")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut chart, &self.midnights, (-0.5, n - 0.5))?;
        if self.rows.is_empty() {
            let style = ("sans-serif", 20).into_font().color(&RGBColor(90, 90, 90));
            chart
                .draw_series(std::iter::once(Text::new(
                    "No warnings were sent in this run",
                    (self.hours * 0.3, 0.0),
                    style,
                )))
                .map_err(err)?;
            return Ok(());
        }
        for (k, (label, colour)) in MARKS.iter().enumerate() {
            let colour = *colour;
            let points: Vec<(f64, f64)> =
                self.rows.iter().enumerate().filter_map(|(row, r)| r.1[k].map(|x| (x, row as f64))).collect();
            let series = chart
                .draw_series(points.iter().map(|p| {
                    match k {
                        0 => Cross::new(*p, 8, colour.stroke_width(3)).into_dyn(),
                        1 => TriangleMarker::new(*p, 8, colour.filled()).into_dyn(),
                        2 => Circle::new(*p, 7, colour.filled()).into_dyn(),
                        3 => Circle::new(*p, 7, colour.stroke_width(3)).into_dyn(),
                        _ => {
                            Rectangle::new([(p.0, p.1 - 0.12), (p.0 + self.hours / 250.0, p.1 + 0.12)], colour.filled())
                                .into_dyn()
                        }
                    }
                }))
                .map_err(err)?;
            // The legend shows each mark as it is drawn.
            series.label(*label).legend(move |(x, y)| match k {
                0 => Cross::new((x + 6, y), 6, colour.stroke_width(3)).into_dyn(),
                1 => TriangleMarker::new((x + 6, y), 7, colour.filled()).into_dyn(),
                2 => Circle::new((x + 6, y), 6, colour.filled()).into_dyn(),
                3 => Circle::new((x + 6, y), 6, colour.stroke_width(3)).into_dyn(),
                _ => Rectangle::new([(x + 4, y - 7), (x + 8, y + 7)], colour.filled()).into_dyn(),
            });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
