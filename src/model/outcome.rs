//! What a finished replication hands to scoring.

use super::{AssetState, DecisionRecord, Desk, IncidentRecord, InjectRecord, OutbreakState, UnknownIncident};
use crate::engine::SimTime;

/// Ground truth at the end of a run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub seed: u64,
    /// The time the run covered: the horizon, or the last event if the world fell
    /// quiet before it.
    pub end_time: SimTime,
    pub events_processed: u64,
    /// Incidents their CSIRT learned of, by number; empty when the sink took
    /// the records as the run went ([`super::EventSink::takes_records`]).
    pub incidents: Vec<IncidentRecord>,
    /// How many incidents their CSIRT learned of, kept or not.
    pub known_incidents: u64,
    /// The records went to the sink (`incidents.csv` was written from them).
    pub incidents_archived: bool,
    /// Incidents that happened but that no CSIRT learned of.
    pub unknown_incidents: Vec<UnknownIncident>,
    /// Per CSIRT, in scenario order, with totals integrated up to `end_time`.
    pub desks: Vec<Desk>,
    /// Per asset, in scenario order, with totals integrated up to `end_time`.
    pub assets: Vec<AssetState>,
    /// Injects delivered, in order (contingency ones included).
    pub injects: Vec<InjectRecord>,
    /// In the order taken.
    pub decisions: Vec<DecisionRecord>,
    /// Per outbreak, in scenario order.
    pub outbreaks: Vec<OutbreakState>,
    /// Every tracked relation's trust and its trajectory.
    pub trust: super::trust::TrustLevels,
    /// Every nation's media pressure (its peak; its value at any time after its last change).
    pub media: super::media::MediaPressure,
    /// Every nation's crisis level and its changes.
    pub crisis: super::crisis::CrisisLevels,
    /// Per CSIRT, in scenario order: its programmes' factors at the end, in
    /// the order of its `programmes`.
    pub programme_factors: Vec<Vec<f64>>,
}
