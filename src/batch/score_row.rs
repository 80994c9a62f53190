//! The scores of one replication as a row of `runs.csv`: every score a column,
//! pooled first, then each score component, then per CSIRT (`csirt.ID.NAME`),
//! per nation (`nation.ID.NAME`) and per objective (`objective.ID.NAME`), so that a small CSIRT's numbers are never
//! only seen pooled with its large neighbour's.
//!
//! Durations are censoring-aware restricted means up to the exercise window
//! (docs/scoring.md): an incident still waiting at the end counts with the time it
//! has waited, so a variant that leaves work undone cannot look faster.

use crate::model::Outcome;
use crate::scenario::Scenario;
use crate::score::{IncidentScores, RunSummary, TimeMeasure, summarise, summarise_for_row};

/// Pooled columns, in order. Times are in hours.
const POOLED: [&str; 16] = [
    "incidents_occurred",
    "incidents_known",
    "incidents_closed",
    "incidents_still_open",
    "time_to_triage_rmst_h",
    "queue_wait_rmst_h",
    "time_to_contain_rmst_h",
    "time_to_recover_rmst_h",
    "time_to_close_rmst_h",
    "service_hours_lost",
    "weighted_service_hours_lost",
    "cost",
    "share_warned_before_hit",
    "steps_queued_off_shift",
    "mean_utilisation",
    "overall_score",
];

/// The components of the overall score, each a column `score.NAME`.
pub const COMPONENTS: [&str; 6] = ["objectives", "detection", "response", "impact", "coordination", "workload"];

const PER_CSIRT: [&str; 9] = [
    "response",
    "incidents_still_open",
    "time_to_triage_rmst_h",
    "time_to_contain_rmst_h",
    "time_to_recover_rmst_h",
    "utilisation",
    "share_behind",
    "coordination_hours",
    "constituent_trust_end",
];

/// Per nation: the escalation a planner compares across variants.
const PER_NATION: [&str; 2] = ["media_peak", "crisis_level_max"];

const PER_OBJECTIVE: [&str; 2] = ["value", "points"];

/// The column names of a scenario's scores, in row order.
pub fn score_columns(scenario: &Scenario) -> Vec<String> {
    let mut columns: Vec<String> = POOLED.iter().map(|c| c.to_string()).collect();
    columns.extend(COMPONENTS.iter().map(|c| format!("score.{c}")));
    for csirt in &scenario.csirts {
        columns.extend(PER_CSIRT.iter().map(|c| format!("csirt.{}.{c}", csirt.id)));
    }
    for nation in &scenario.nations {
        columns.extend(PER_NATION.iter().map(|c| format!("nation.{}.{c}", nation.id)));
    }
    for o in &scenario.objectives {
        columns.extend(PER_OBJECTIVE.iter().map(|c| format!("objective.{}.{c}", o.id)));
    }
    columns
}

/// One value per [`score_columns`] entry; `None` when the run gives nothing to
/// measure (an empty cell, left out of the statistics).
pub fn score_row(scenario: &Scenario, outcome: &Outcome) -> Vec<Option<f64>> {
    summary_row(&summarise(scenario, outcome))
}

/// The row of a replication scored as it ran (a batch's): only the parts of
/// the summary the row holds are computed; the same row as
/// `summary_row(&summarise_with(..))`, bit for bit (tests/batch.rs).
pub fn folded_row(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> Vec<Option<f64>> {
    summary_row(&summarise_for_row(scenario, outcome, scores))
}

/// The row of an already computed summary.
pub fn summary_row(s: &RunSummary) -> Vec<Option<f64>> {
    let h = |m: &Option<TimeMeasure>| m.as_ref().map(|m| m.restricted_mean_s / 3_600.0);
    let utilisations: Vec<f64> = s.csirts.iter().filter_map(|c| c.utilisation).collect();
    let mut row = vec![
        Some(s.incidents.occurred as f64),
        Some(s.incidents.reported as f64),
        Some(s.incidents.closed as f64),
        Some(s.incidents.open_at_end as f64),
        h(&s.time_to_triage_s),
        h(&s.queue_wait_s),
        h(&s.time_to_contain_s),
        h(&s.time_to_recover_s),
        h(&s.time_to_close_s),
        Some(s.impact.service_hours_lost),
        Some(s.impact.weighted_service_hours_lost),
        Some(s.impact.cost),
        s.coordination.share_warned_before_hit,
        Some(s.workload.steps_queued_off_shift as f64),
        (!utilisations.is_empty()).then(|| utilisations.iter().sum::<f64>() / utilisations.len() as f64),
        s.overall.score,
    ];
    for name in COMPONENTS {
        row.push(s.overall.components.iter().find(|c| c.name == name).and_then(|c| c.score));
    }
    for c in &s.csirts {
        row.extend([
            c.response,
            Some(c.still_open as f64),
            h(&c.time_to_triage_s),
            h(&c.time_to_contain_s),
            h(&c.time_to_recover_s),
            c.utilisation,
            Some(c.share_behind),
            Some(c.coordination_hours),
            s.trust.iter().find(|t| t.relation == format!("constituents:{}", c.id)).map(|t| t.end),
        ]);
    }
    for n in &s.nations {
        row.extend([Some(n.media_peak), Some(f64::from(n.crisis_level_max_rank))]);
    }
    for o in &s.objectives {
        row.extend([o.value, o.rating.points()]);
    }
    row
}
