//! Analyst utilisation and queue length per team over the run. Utilisation is
//! drawn only where someone was staffed: a night with nobody on duty or on call
//! is a gap, not a line joined across it.

use super::{Chart, ChartError, PALETTE, draw_legend, draw_time_marks, err, time_axis};
use crate::score::StaffRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;

/// A team's label, utilisation as segments of (hours, %) (broken where nobody
/// was staffed), and queue (hours, steps).
type TeamLines = (String, Vec<Vec<(f64, f64)>>, Vec<(f64, f64)>);

pub struct WorkloadChart {
    hours: f64,
    /// Per team: label, (hours, utilisation %) and (hours, queued).
    teams: Vec<TeamLines>,
    midnights: Vec<f64>,
    nation: String,
}

impl WorkloadChart {
    /// `names` gives a CSIRT's name for its id (labels read "Kavala CERT tier 1").
    pub fn new(
        rows: &[StaffRow],
        names: &dyn Fn(&str) -> String,
        hours: f64,
        midnights: Vec<f64>,
        nation: String,
    ) -> Self {
        // Rows by team, teams in order of first appearance: one pass, as a
        // scenario a thousand times the island has thousands of teams.
        let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut groups: Vec<(&str, u8, &str, Vec<&StaffRow>)> = Vec::new();
        for r in rows {
            let k = *index.entry((r.csirt.as_str(), r.team.as_str())).or_insert_with(|| {
                groups.push((r.csirt.as_str(), r.tier, r.team.as_str(), Vec::new()));
                groups.len() - 1
            });
            groups[k].3.push(r);
        }
        let teams = groups
            .into_iter()
            .map(|(csirt, tier, team, mine)| {
                let mine = mine.into_iter();
                // A gap where nobody was staffed: no line is drawn across it.
                let mut utilisation: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for r in mine.clone() {
                    match r.utilisation {
                        Some(u) => utilisation.last_mut().expect("one segment").push((r.time_s.as_hours(), u * 100.0)),
                        None if utilisation.last().is_some_and(|s| !s.is_empty()) => utilisation.push(Vec::new()),
                        None => {}
                    }
                }
                utilisation.retain(|s| !s.is_empty());
                let queued = mine.map(|r| (r.time_s.as_hours(), r.queued as f64)).collect();
                let label = if team == format!("tier {tier}") {
                    format!("{} tier {tier}", names(csirt))
                } else {
                    format!("{} {team} (tier {tier})", names(csirt))
                };
                (label, utilisation, queued)
            })
            .collect();
        Self { hours: hours.max(1.0 / 60.0), teams, midnights, nation }
    }
}

impl Chart for WorkloadChart {
    fn name(&self) -> String {
        "workload".into()
    }

    fn title(&self) -> String {
        "Analyst workload and queue by team".into()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = area.titled(&self.title(), ("sans-serif", 24)).map_err(err)?;
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 55 / 100);
        let max_queue = self.teams.iter().flat_map(|t| t.2.iter().map(|p| p.1)).fold(1.0, f64::max);
        let mut upper = ChartBuilder::on(&top)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..self.hours, 0f64..105.0)
            .map_err(err)?;
        upper
            .configure_mesh()
            .y_desc("Busy (% of analysts on shift)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut upper, &self.midnights, (0.0, 105.0))?;
        let mut lower = ChartBuilder::on(&bottom)
            .margin(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..self.hours, 0f64..max_queue * 1.1)
            .map_err(err)?;
        lower
            .configure_mesh()
            .x_desc(time_axis(&self.midnights, &self.nation))
            .y_desc("Steps waiting")
            .x_label_formatter(&|x| format!("{x:.0}"))
            // Counts: whole numbers only.
            .y_label_formatter(&|y| if (y - y.round()).abs() < 1e-9 { format!("{y:.0}") } else { String::new() })
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        draw_time_marks(&mut lower, &self.midnights, (0.0, max_queue * 1.1))?;
        for (k, (label, utilisation, queued)) in self.teams.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            for (s, segment) in utilisation.iter().enumerate() {
                let series =
                    upper.draw_series(LineSeries::new(segment.iter().copied(), colour.stroke_width(2))).map_err(err)?;
                if s == 0 {
                    series
                        .label(label.clone())
                        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(3)));
                }
            }
            lower.draw_series(LineSeries::new(queued.iter().copied(), colour.stroke_width(2))).map_err(err)?;
        }
        draw_legend(&mut upper, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
