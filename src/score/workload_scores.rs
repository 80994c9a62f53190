//! Workload: how busy the desks were and where procedures stalled.

use crate::model::Outcome;
use serde::Serialize;

/// Triage waits longer than this are counted as stalls (judgement: half a shift's
/// first hours).
pub const LONG_TRIAGE_WAIT_S: u64 = 3 * 3_600;

/// docs/scoring.md, "Workload".
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadScores {
    /// SOP steps that reached a desk (skipped services excluded).
    pub steps: usize,
    /// Steps that joined the queue with nobody on duty who could take them.
    pub steps_queued_off_shift: usize,
    /// Incidents whose triage started more than three hours after the report.
    pub incidents_waiting_over_3h: usize,
    /// Longest queue of any desk.
    pub longest_queue: usize,
}

pub fn workload_scores(outcome: &Outcome) -> WorkloadScores {
    let worked = || outcome.incidents.iter().flat_map(|i| i.steps.iter()).filter(|s| !s.skipped);
    WorkloadScores {
        steps: worked().count(),
        steps_queued_off_shift: worked().filter(|s| s.queued_off_shift).count(),
        incidents_waiting_over_3h: outcome
            .incidents
            .iter()
            .filter(|i| i.triage_wait().is_some_and(|w| w > LONG_TRIAGE_WAIT_S))
            .count(),
        longest_queue: outcome.desks.iter().map(|d| d.totals.max_queue).max().unwrap_or(0),
    }
}
