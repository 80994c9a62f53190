//! One bar per incident, coloured by phase, with injects and decisions marked.

use super::{Chart, ChartError, PALETTE, draw_legend, draw_time_marks, err, local_midnights, time_axis};
use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::{Phase, Scenario};
use crate::score::phase_end;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many bars; beyond it the most severe incidents are shown.
pub use crate::report::incidents_csv::TIMELINE_BARS as MAX_BARS;

/// Phases of an incident's life as bar segments.
const SEGMENTS: [(&str, RGBColor); 4] = [
    ("not yet known to the CSIRT", RGBColor(190, 190, 190)),
    ("waiting for triage", PALETTE[4]),
    ("detection and analysis, containment", PALETTE[1]),
    ("eradication, recovery, post-incident", PALETTE[0]),
];

pub struct TimelineChart {
    hours: f64,
    /// Per bar: label and (from, to, segment) in hours.
    bars: Vec<Vec<(f64, f64, usize)>>,
    shown_of: (usize, usize),
    marks: Vec<(f64, String, RGBColor)>,
    midnights: Vec<f64>,
    nation: String,
}

impl TimelineChart {
    pub fn new(scenario: &Scenario, outcome: &Outcome) -> Self {
        let h = |t: SimTime| t.as_hours();
        let end = outcome.end_time.max(SimTime::from_secs(1));
        let mut chosen: Vec<&crate::model::IncidentRecord> = outcome.incidents.iter().collect();
        chosen.sort_by_key(|i| (std::cmp::Reverse(i.severity), i.number));
        chosen.truncate(MAX_BARS);
        chosen.sort_by_key(|i| (i.occurred, i.number));
        let bars = chosen
            .iter()
            .map(|i| {
                let triage = i.steps.first().and_then(|s| s.started).unwrap_or(end);
                let contained = phase_end(scenario, i, Phase::Containment)
                    .or(phase_end(scenario, i, Phase::Analysis))
                    .unwrap_or(i.closed.unwrap_or(end))
                    .max(triage);
                let closed = i.closed.unwrap_or(end).max(contained);
                vec![
                    (h(i.occurred), h(i.reported), 0),
                    (h(i.reported), h(triage), 1),
                    (h(triage), h(contained), 2),
                    (h(contained), h(closed), 3),
                ]
            })
            .collect();
        let mut marks: Vec<(f64, String, RGBColor)> = outcome
            .injects
            .iter()
            .map(|i| (h(i.time), scenario.injects[i.inject].id.clone(), RGBColor(60, 60, 60)))
            .collect();
        for d in &outcome.decisions {
            if let Some(decision) = &scenario.injects[d.inject].decision {
                let label = format!("{}: {}", decision.id, decision.options[d.option].id);
                marks.push((h(d.time), label, PALETTE[3]));
            }
        }
        marks.sort_by(|a, b| a.0.total_cmp(&b.0));
        let nation = scenario.home_nation();
        Self {
            hours: h(end),
            bars,
            shown_of: (chosen.len(), outcome.known_incidents as usize),
            marks,
            midnights: local_midnights(scenario.start_utc_s, scenario.nations[nation].utc_offset_s, h(end)),
            nation: scenario.nations[nation].name.clone(),
        }
    }
}

impl Chart for TimelineChart {
    fn name(&self) -> String {
        "timeline".into()
    }

    fn title(&self) -> String {
        let (shown, of) = self.shown_of;
        if shown < of {
            format!("Incident timeline ({shown} most severe of {of} incidents)")
        } else {
            format!("Incident timeline ({of} incidents)")
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let rows = self.bars.len().max(1) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..self.hours, 0f64..rows + 1.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(time_axis(&self.midnights, &self.nation))
            .y_desc("Incidents, in order of occurrence")
            .y_label_formatter(&|_| String::new())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut chart, &self.midnights, (0.0, rows + 1.5))?;
        for (k, (label, colour)) in SEGMENTS.iter().enumerate() {
            let rects: Vec<Rectangle<(f64, f64)>> = self
                .bars
                .iter()
                .enumerate()
                .flat_map(|(row, segments)| {
                    segments.iter().filter(move |(a, b, s)| *s == k && b > a).map(move |(a, b, _)| {
                        Rectangle::new([(*a, row as f64 + 0.15), (*b, row as f64 + 0.85)], colour.filled())
                    })
                })
                .collect();
            let colour = *colour;
            chart
                .draw_series(rects)
                .map_err(err)?
                .label(*label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
        }
        // Each label goes on the highest free line, so labels of marks close in time
        // do not overlap (width estimated at 7.5 px per character of a ~1000 px plot).
        let mut line_ends: Vec<f64> = Vec::new();
        for (at, label, colour) in &self.marks {
            let colour = *colour;
            let width = label.chars().count() as f64 * 7.5 * self.hours / 1_000.0;
            let line = line_ends.iter().position(|end| *end < *at).unwrap_or(line_ends.len());
            if line == line_ends.len() {
                line_ends.push(0.0);
            }
            line_ends[line] = at + width;
            let lift = line as f64 * (rows + 1.5) * 0.035;
            chart.draw_series(LineSeries::new([(*at, 0.0), (*at, rows + 0.5)], colour.stroke_width(2))).map_err(err)?;
            let style = ("sans-serif", 13).into_font().color(&colour);
            chart
                .draw_series(std::iter::once(Text::new(label.clone(), (*at, rows + 1.2 - lift), style)))
                .map_err(err)?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}
