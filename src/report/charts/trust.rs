//! Trust over time: a step line per relation whose trust moved, the ones that
//! moved most first, with the kind of each change readable from events.csv.

use super::{Chart, ChartError, PALETTE, draw_time_marks, err, local_midnights, time_axis};
use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many lines (more would not be told apart).
const MAX_LINES: usize = 8;

pub struct TrustChart {
    hours: f64,
    /// (label, step line in (hours, trust 0-1)).
    lines: Vec<(String, Vec<(f64, f64)>)>,
    left_out: usize,
    midnights: Vec<f64>,
    nation: String,
}

impl TrustChart {
    /// `None` when no relation's trust moved: a chart of flat lines says nothing.
    pub fn new(scenario: &Scenario, outcome: &Outcome) -> Option<Self> {
        let end = outcome.end_time.max(SimTime::from_secs(1));
        let mut moved: Vec<_> = outcome
            .trust
            .levels
            .iter()
            .filter(|(_, l)| !l.changes.is_empty())
            .map(|(r, l)| {
                let swing = l.changes.iter().map(|c| (c.1 - l.start).abs()).fold(0.0, f64::max);
                (*r, l, swing)
            })
            .collect();
        if moved.is_empty() {
            return None;
        }
        moved.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let left_out = moved.len().saturating_sub(MAX_LINES);
        moved.truncate(MAX_LINES);
        let lines = moved
            .iter()
            .map(|(relation, level, _)| {
                let mut points = vec![(0.0, level.start)];
                let mut last = level.start;
                for (t, value) in &level.changes {
                    points.push((t.as_hours(), last));
                    points.push((t.as_hours(), *value));
                    last = *value;
                }
                points.push((end.as_hours(), last));
                let label = format!("{} ({:.2} to {:.2})", scenario.relation_label(*relation), level.start, last);
                (label, points)
            })
            .collect();
        let nation = scenario.home_nation();
        Some(Self {
            hours: end.as_hours(),
            lines,
            left_out,
            midnights: local_midnights(scenario.start_utc_s, scenario.nations[nation].utc_offset_s, end.as_hours()),
            nation: scenario.nations[nation].name.clone(),
        })
    }
}

impl Chart for TrustChart {
    fn name(&self) -> String {
        "trust".into()
    }

    fn title(&self) -> String {
        match self.left_out {
            0 => "Trust between parties".into(),
            n => format!("Trust between parties ({n} more relations moved, not shown)"),
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = area.titled(&self.title(), ("sans-serif", 24)).map_err(err)?;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(12)
            .margin_right(20)
            .x_label_area_size(55)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..self.hours, 0f64..1.05)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc("Trust (0 to 1)")
            .x_desc(time_axis(&self.midnights, &self.nation))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut chart, &self.midnights, (0.0, 1.05))?;
        for (k, (label, points)) in self.lines.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(3)))
                .map_err(err)?
                .label(label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}
