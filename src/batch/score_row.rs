//! The scores of one replication as a row of `runs.csv`: every score a column.

use crate::model::Outcome;
use crate::scenario::Scenario;
use crate::score::summarise;

/// Column names of the scores, in order. Times are in hours.
pub const SCORE_COLUMNS: [&str; 15] = [
    "incidents_occurred",
    "incidents_known",
    "incidents_closed",
    "mean_time_to_triage_h",
    "mean_queue_wait_h",
    "mean_time_to_contain_h",
    "p50_time_to_contain_h",
    "mean_time_to_recover_h",
    "service_hours_lost",
    "weighted_service_hours_lost",
    "cost",
    "share_warned_before_hit",
    "steps_queued_off_shift",
    "mean_utilisation",
    "overall_score",
];

/// One value per [`SCORE_COLUMNS`] entry; `None` when the run gives nothing to
/// measure (an empty cell, left out of the statistics).
pub fn score_row(scenario: &Scenario, outcome: &Outcome) -> Vec<Option<f64>> {
    let s = summarise(scenario, outcome);
    let h =
        |d: Option<crate::score::Distribution>, f: fn(&crate::score::Distribution) -> f64| d.map(|d| f(&d) / 3_600.0);
    let utilisations: Vec<f64> = s.csirts.iter().filter_map(|c| c.utilisation).collect();
    vec![
        Some(s.incidents.occurred as f64),
        Some(s.incidents.reported as f64),
        Some(s.incidents.closed as f64),
        h(s.time_to_triage_s, |d| d.mean),
        h(s.queue_wait_s, |d| d.mean),
        h(s.time_to_contain_s, |d| d.mean),
        h(s.time_to_contain_s, |d| d.p50),
        h(s.time_to_recover_s, |d| d.mean),
        Some(s.impact.service_hours_lost),
        Some(s.impact.weighted_service_hours_lost),
        Some(s.impact.cost),
        s.coordination.share_warned_before_hit,
        Some(s.workload.steps_queued_off_shift as f64),
        (!utilisations.is_empty()).then(|| utilisations.iter().sum::<f64>() / utilisations.len() as f64),
        s.overall.score,
    ]
}
