//! Workload: how busy the desks were, how long they were behind, and where
//! procedures stalled, over the exercise window.

use super::cases::Case;
use super::time_to_event::{TimeToEvent, WithinCount};
use crate::model::Outcome;
use crate::scenario::Scenario;
use serde::Serialize;

/// Triage waits longer than this are counted as stalls (judgement: half a shift's
/// first hours).
pub const LONG_TRIAGE_WAIT_S: u64 = 3 * 3_600;

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

pub fn workload_scores(scenario: &Scenario, outcome: &Outcome, cases: &[Case]) -> WorkloadScores {
    let w = scenario.window;
    let worked =
        || cases.iter().filter_map(|c| c.known).flat_map(|i| i.steps.iter()).filter(|s| !s.skipped && s.queued <= w);
    let mut triage = TimeToEvent::default();
    for i in cases.iter().filter_map(|c| c.known) {
        match super::cases::triage_start(i).filter(|t| *t <= w) {
            Some(t) => triage.done(t - i.reported),
            None => triage.open(w - i.reported),
        }
    }
    let long: WithinCount = triage.within(LONG_TRIAGE_WAIT_S);
    let (mut due, mut on_time, mut open) = (0, 0, 0);
    for s in cases.iter().filter_map(|c| c.known).flat_map(|i| i.steps.iter()).filter(|s| s.queued <= w) {
        match s.started.filter(|t| *t <= w) {
            _ if s.skipped => due += 1,
            Some(t) => {
                due += 1;
                on_time += usize::from(t - s.queued <= LONG_TRIAGE_WAIT_S);
            }
            None if w - s.queued > LONG_TRIAGE_WAIT_S => due += 1,
            None => open += 1,
        }
    }
    let behind: Vec<f64> = outcome
        .desks
        .iter()
        .filter(|d| cases.iter().any(|c| c.csirt == d.csirt && c.known.is_some()))
        .map(|d| share_behind(d.totals.waiting_s, w))
        .collect();
    WorkloadScores {
        steps: worked().count(),
        steps_queued_off_shift: worked().filter(|s| s.queued_off_shift).count(),
        incidents_waiting_over_3h: long.not_met,
        incidents_still_waiting_over_3h: long.open_over,
        longest_queue: outcome.desks.iter().map(|d| d.totals.max_queue).max().unwrap_or(0),
        mean_share_behind: (!behind.is_empty()).then(|| behind.iter().sum::<f64>() / behind.len() as f64),
        steps_due: due,
        steps_on_time: on_time,
        steps_not_assessable: open,
        share_steps_on_time: (due > 0).then(|| on_time as f64 / due as f64),
    }
}

/// Share of the window a desk was behind.
pub fn share_behind(waiting_s: f64, window: u64) -> f64 {
    if window == 0 { 0.0 } else { (waiting_s / window as f64).clamp(0.0, 1.0) }
}
