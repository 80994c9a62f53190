//! What a finished replication hands to scoring.

use super::{DeskTotals, IncidentRecord};
use crate::engine::SimTime;

/// Ground truth at the end of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub seed: u64,
    /// The time the run covered: the horizon, or the last event if the world fell
    /// quiet before it.
    pub end_time: SimTime,
    pub events_processed: u64,
    /// In report order.
    pub incidents: Vec<IncidentRecord>,
    /// Per CSIRT, in scenario order, integrated up to `end_time`.
    pub desks: Vec<DeskTotals>,
    /// Analysts on each CSIRT's staff at the end.
    pub final_staff: Vec<u32>,
}
