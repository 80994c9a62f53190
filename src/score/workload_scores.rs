//! Workload: how busy the desks were, how long they were behind, and where
//! procedures stalled, over the exercise window.

use super::incident_scores::IncidentScores;
use crate::engine::{SimDuration, SimTime};
use crate::model::Outcome;
use crate::scenario::Scenario;
use serde::Serialize;

/// Triage waits longer than this are counted as stalls (judgement: half a shift's
/// first hours).
pub const LONG_TRIAGE_WAIT: SimDuration = SimDuration::from_hours(3);

/// docs/scoring.md, "Workload".
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadScores {
    /// SOP steps that reached a desk within the window (skipped services excluded).
    pub steps: usize,
    /// Steps that joined the queue with nobody on duty who could take them.
    pub steps_queued_off_shift: usize,
    /// Incidents whose triage started more than 3 h after the report, or that were
    /// still waiting for triage at the end after more than 3 h.
    pub incidents_waiting_over_3h: usize,
    /// Of those, still waiting for triage at the end of the window.
    pub incidents_still_waiting_over_3h: usize,
    /// Longest queue of any desk.
    pub longest_queue: usize,
    /// Per CSIRT with work in the window, the share of the window during which
    /// some step waited for an analyst, averaged (time behind; Erlang C's P(N > c)).
    pub mean_share_behind: Option<f64>,
    /// SOP steps due in the window (queued, or left to the victim) that an analyst
    /// started within 3 h; a step left undone for want of the service counts as
    /// missed, one still waiting past 3 h too. The workload score.
    pub steps_due: usize,
    pub steps_on_time: usize,
    /// Steps still waiting at the end, not yet 3 h: neither on time nor late.
    pub steps_not_assessable: usize,
    pub share_steps_on_time: Option<f64>,
}

pub fn workload_scores(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> WorkloadScores {
    let w = scenario.window;
    let behind: Vec<f64> = outcome
        .desks
        .iter()
        .filter(|d| scores.csirts[d.csirt.index()].known > 0)
        .map(|d| share_behind(d.totals.waiting_s, w))
        .collect();
    let steps = scores.steps;
    WorkloadScores {
        steps: steps.worked,
        steps_queued_off_shift: steps.off_shift,
        incidents_waiting_over_3h: scores.triage.not_met,
        incidents_still_waiting_over_3h: scores.triage.open_over,
        longest_queue: outcome.desks.iter().map(|d| d.totals.max_queue).max().unwrap_or(0),
        mean_share_behind: (!behind.is_empty()).then(|| behind.iter().sum::<f64>() / behind.len() as f64),
        steps_due: steps.due,
        steps_on_time: steps.on_time,
        steps_not_assessable: steps.not_assessable,
        share_steps_on_time: (steps.due > 0).then(|| steps.on_time as f64 / steps.due as f64),
    }
}

/// Share of the window a desk was behind.
pub fn share_behind(waiting_s: f64, window: SimTime) -> f64 {
    if window == SimTime::ZERO { 0.0 } else { (waiting_s / window.since_start().as_secs_f64()).clamp(0.0, 1.0) }
}
