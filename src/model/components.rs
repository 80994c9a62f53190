//! ECS components that carry an incident's ground truth through the run.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::IncidentType;
use bevy_ecs::component::Component;

/// What reported the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentSource {
    Stream(usize),
    Inject(usize),
}

/// An incident's whole timeline, kept on its entity and read once at the end.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    /// 1-based, in order of report: the stable name of the incident in every output.
    pub number: u64,
    pub source: IncidentSource,
    pub incident_type: IncidentType,
    pub csirt: usize,
    pub sop: usize,
    pub reported: SimTime,
    /// Analyst effort of each SOP step, drawn when the incident is reported so that
    /// staffing variants see the same work (common random numbers).
    pub efforts: Vec<SimDuration>,
    /// One record per step reached so far.
    pub steps: Vec<StepRecord>,
    pub closed: Option<SimTime>,
}

/// When a step joined the queue, and when an analyst started and finished it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRecord {
    pub queued: SimTime,
    pub started: Option<SimTime>,
    pub finished: Option<SimTime>,
}

impl IncidentRecord {
    /// Time from report to the start of the first step: the wait for triage.
    pub fn triage_wait(&self) -> Option<SimDuration> {
        self.steps.first()?.started.map(|s| s - self.reported)
    }

    /// Sum of every step's wait for a free analyst.
    pub fn queue_wait(&self) -> SimDuration {
        self.steps
            .iter()
            .filter_map(|s| s.started.map(|t| t - s.queued))
            .sum()
    }
}
