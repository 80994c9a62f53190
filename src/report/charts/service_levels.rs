//! Service levels of the critical assets over the run.

use super::{Chart, PALETTE, draw_legend, draw_time_marks, err, local_midnights, time_axis};
use crate::model::Outcome;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many lines, most critical first.
const MAX_LINES: usize = 8;

pub struct ServiceLevelChart {
    hours: f64,
    /// (label, step points in (hours, percent)).
    lines: Vec<(String, Vec<(f64, f64)>)>,
    midnights: Vec<f64>,
    nation: String,
}

impl ServiceLevelChart {
    /// Critical assets: criticality 4-5 or in a sector the nation declares critical.
    pub fn new(scenario: &Scenario, outcome: &Outcome) -> Self {
        let end = outcome.end_time.max(1);
        let mut chosen: Vec<usize> = (0..scenario.assets.len())
            .filter(|a| scenario.assets[*a].criticality >= 4 || scenario.sectors[scenario.assets[*a].sector].critical)
            .collect();
        chosen.sort_by_key(|a| (std::cmp::Reverse(scenario.assets[*a].criticality), *a));
        chosen.truncate(MAX_LINES);
        chosen.sort_unstable();
        let lines = chosen
            .iter()
            .map(|a| {
                let mut points = Vec::new();
                let history = &outcome.assets[*a].history;
                for (k, (t, level)) in history.iter().enumerate() {
                    if k > 0 {
                        points.push((*t as f64 / 3_600.0, history[k - 1].1 * 100.0));
                    }
                    points.push((*t as f64 / 3_600.0, level * 100.0));
                }
                points.push((end as f64 / 3_600.0, history.last().map_or(100.0, |h| h.1 * 100.0)));
                let asset = &scenario.assets[*a];
                (format!("{} (criticality {})", asset.name, asset.criticality), points)
            })
            .collect();
        let nation = scenario.csirts.first().map_or(0, |c| c.nation);
        Self {
            hours: end as f64 / 3_600.0,
            lines,
            midnights: local_midnights(
                scenario.start_utc_s,
                scenario.nations[nation].utc_offset_s,
                end as f64 / 3_600.0,
            ),
            nation: scenario.nations[nation].name.clone(),
        }
    }
}

impl Chart for ServiceLevelChart {
    fn name(&self) -> &'static str {
        "service_levels"
    }

    fn title(&self) -> String {
        if self.lines.is_empty() {
            "Service levels of critical assets (none declared)".into()
        } else {
            "Service levels of critical assets".into()
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..self.hours, 0f64..105.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(time_axis(&self.midnights, &self.nation))
            .y_desc("Service level (%)")
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut chart, &self.midnights, (0.0, 105.0))?;
        for (k, (label, points)) in self.lines.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(3)))
                .map_err(err)?
                .label(label.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(3)));
        }
        if !self.lines.is_empty() {
            draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
        }
        Ok(())
    }
}
