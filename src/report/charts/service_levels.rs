//! Service levels of the assets that lost most, one panel each so that no line
//! hides another (two assets at 0% at once would otherwise draw as one).

use super::{Chart, ChartError, PALETTE, draw_time_marks, err, local_midnights, time_axis};
use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::Scenario;
use crate::score::window_loss;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many panels, the assets that lost most service first.
const MAX_PANELS: usize = 8;

/// One panel: the asset's label and its step line in (hours, percent).
type Panel = (String, Vec<(f64, f64)>);

pub struct ServiceLevelChart {
    hours: f64,
    panels: Vec<Panel>,
    /// Assets that lost service but did not fit.
    left_out: usize,
    midnights: Vec<f64>,
    nation: String,
}

impl ServiceLevelChart {
    /// The assets that lost most service-hours in the window (the critical ones,
    /// criticality 4-5 or in a critical sector, when none lost any).
    pub fn new(scenario: &Scenario, outcome: &Outcome) -> Self {
        let end = outcome.end_time.max(SimTime::from_secs(1));
        let lost: Vec<f64> =
            outcome.assets.iter().map(|a| window_loss(&a.history, scenario.window).lost_s / 3_600.0).collect();
        let mut chosen: Vec<usize> = (0..scenario.assets.len()).filter(|a| lost[*a] > 0.0).collect();
        if chosen.is_empty() {
            chosen = (0..scenario.assets.len())
                .filter(|a| {
                    scenario.assets[*a].criticality >= 4 || scenario.sectors[scenario.assets[*a].sector].critical
                })
                .collect();
        }
        chosen.sort_by(|a, b| lost[*b].total_cmp(&lost[*a]).then(a.cmp(b)));
        let left_out = chosen.len().saturating_sub(MAX_PANELS);
        chosen.truncate(MAX_PANELS);
        let panels = chosen
            .iter()
            .map(|a| {
                let mut points = Vec::new();
                let history = &outcome.assets[*a].history;
                for (k, (t, level)) in history.iter().enumerate() {
                    if k > 0 {
                        points.push((t.as_hours(), history[k - 1].1 * 100.0));
                    }
                    points.push((t.as_hours(), level * 100.0));
                }
                points.push((end.as_hours(), history.last().map_or(100.0, |h| h.1 * 100.0)));
                let asset = &scenario.assets[*a];
                let label =
                    format!("{} (criticality {}): {:.1} service-hours lost", asset.name, asset.criticality, lost[*a]);
                (label, points)
            })
            .collect();
        let nation = scenario.home_nation();
        Self {
            hours: end.as_hours(),
            panels,
            left_out,
            midnights: local_midnights(scenario.start_utc_s, scenario.nations[nation].utc_offset_s, end.as_hours()),
            nation: scenario.nations[nation].name.clone(),
        }
    }
}

impl Chart for ServiceLevelChart {
    fn name(&self) -> String {
        "service_levels".into()
    }

    fn title(&self) -> String {
        match (self.panels.is_empty(), self.left_out) {
            (true, _) => "Service levels (no asset lost service, none critical)".into(),
            (false, 0) => "Service levels of the assets that lost most".into(),
            (false, n) => format!("Service levels of the assets that lost most ({n} more not shown)"),
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = area.titled(&self.title(), ("sans-serif", 24)).map_err(err)?;
        let empty = [(String::from("No asset lost service in the window"), Vec::new())];
        let panels = if self.panels.is_empty() { &empty[..] } else { &self.panels[..] };
        let n = panels.len();
        // The bottom panel carries the time axis: give it room for its labels.
        let height = area.dim_in_pixel().1 as i32;
        let axis = 55;
        let each = (height - axis) / n as i32;
        let mut rest = area.clone();
        for (k, (label, points)) in panels.iter().enumerate() {
            let last = k + 1 == n;
            let panel = if last {
                rest.clone()
            } else {
                let (panel, below) = rest.split_vertically(each);
                rest = below;
                panel
            };
            let mut chart = ChartBuilder::on(&panel)
                .margin_left(12)
                .margin_right(20)
                .margin_top(4)
                .x_label_area_size(if last { axis } else { 0 })
                .y_label_area_size(50)
                .build_cartesian_2d(0f64..self.hours, 0f64..118.0)
                .map_err(err)?;
            let mut mesh = chart.configure_mesh();
            mesh.disable_x_mesh()
                .y_desc(if k == 0 { "Service level (%)" } else { "" })
                .y_labels(3)
                .y_label_formatter(&|y| if [0.0, 50.0, 100.0].contains(y) { format!("{y:.0}%") } else { String::new() })
                .x_label_formatter(&|x| format!("{x:.0}"))
                .label_style(("sans-serif", 13));
            if last {
                mesh.x_desc(time_axis(&self.midnights, &self.nation)).axis_desc_style(("sans-serif", 15));
            }
            mesh.draw().map_err(err)?;
            draw_time_marks(&mut chart, &self.midnights, (0.0, 118.0))?;
            let colour = PALETTE[k % PALETTE.len()];
            chart.draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(3))).map_err(err)?;
            let style = ("sans-serif", 14).into_font().color(&BLACK);
            chart
                .draw_series(std::iter::once(Text::new(label.clone(), (self.hours * 0.005, 116.0), style)))
                .map_err(err)?;
        }
        Ok(())
    }
}
