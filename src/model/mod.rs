//! The world model: what happens inside a replication. CSIRTs are entities with a
//! work desk (analysts and a queue), incidents are entities with their timeline,
//! and handlers move incidents through their SOP steps as events come due.
//!
//! The model reads a validated [`crate::scenario::Scenario`] and writes
//! [`LogEntry`] rows to a sink and records into the World; it knows nothing of
//! files or statistics (those are `report` and `score`, downstream).

mod components;
mod desk;
mod event_log;
mod infrastructure;
mod outbreak;
mod outcome;
mod replication;
mod shift_calendar;
mod sim_event;
mod work_queue;

pub use components::{
    DecisionRecord, Detector, IncidentRecord, IncidentSource, InjectRecord, StepRecord, StepWork, UnknownIncident,
};
pub use desk::{Desk, DeskSnapshot, DeskTotals, TeamSnapshot, TeamState};
pub use event_log::{EventSink, LogEntry, LogEvent, NullSink};
pub use infrastructure::{AssetState, ImpactKey, Infrastructure};
pub use outbreak::{OutbreakState, TickOutcome, call_order};
pub use outcome::Outcome;
pub use replication::{
    ADVISORY_PATCHING_FACTOR, DEFAULT_EVENT_BUDGET, EFFORT_FACTOR_BY_MATURITY, HiddenIncident, REWORK_RATE_BY_MATURITY,
    Replication, Snapshot,
};
pub use shift_calendar::{next_change, on_duty_at};
pub use sim_event::SimEvent;
