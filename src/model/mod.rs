//! The world model: what happens inside a replication, as an ECS.
//!
//! Each mechanic is one module that owns its components, its event types, its
//! handlers, its random streams and its resources, and installs itself into the
//! replication's World with one function (see docs/architecture.md):
//!
//! - [`arrivals`]: incident streams (Poisson arrivals) as entities;
//! - [`detection`]: incidents that happen before anyone knows; who notices, who reports;
//! - [`incidents`]: numbering, entering the World when known, the archive;
//! - [`desks`]: CSIRT desks and SOP steps (queue, dispatch, rework, hand-over);
//! - [`staffing`]: teams, shifts, hiring, cuts and attrition;
//! - [`infrastructure`]: assets, dependencies and cascades, outages;
//! - [`outbreaks`]: worm spread, detection, takedown, warnings, channels and trust;
//! - [`vulnerabilities`]: disclosures, patching and exploitation;
//! - [`trust`]: trust between parties as state, its rules, outreach;
//! - [`media`]: media pressure on each nation, leaks and public statements;
//! - [`crisis`]: nations' crisis levels, their triggers, effects and crisis cells;
//! - [`assistance`]: responders lent by a regional body on request;
//! - [`meetings`]: coordination meetings about an outbreak among the CSIRTs that know of it;
//! - [`offices`]: a CSIRT's desk halts while its office asset (power) is down;
//! - [`injects`]: injects, their effects and the decisions they pose.
//!
//! Mechanics emit domain events ([`LogEvent`]) into the World's outbox; the
//! [`Replication`] hands them to an [`EventSink`] after every kernel event. The
//! model knows nothing of files or statistics (`report` and `score`, downstream).

pub mod arrivals;
pub mod assistance;
pub mod crisis;
pub mod desks;
pub mod detection;
mod event_log;
pub mod incidents;
pub mod infrastructure;
pub mod injects;
pub mod media;
pub mod meetings;
pub mod offices;
pub mod outbreaks;
mod outcome;
mod replication;
pub mod services;
pub mod staffing;
pub mod trust;
pub mod vulnerabilities;
mod world;

pub use desks::{Desk, DeskSnapshot, DeskTotals, TeamSnapshot, TeamState};
pub use event_log::{EventSink, LogEntry, LogEvent, NullSink};
pub use incidents::{
    DecisionRecord, Detector, IncidentId, IncidentRecord, IncidentSource, InjectRecord, StepRecord, StepWork,
    UnknownIncident,
};
pub use infrastructure::{AssetState, ImpactKey, Infrastructure};
pub use outbreaks::{OutbreakState, TickOutcome};
pub use outcome::Outcome;
pub use replication::{
    DEFAULT_EVENT_BUDGET, EVENTS_PER_HELD_INCIDENT, HiddenIncident, Replication, ReplicationError, Snapshot, Upcoming,
};
pub use staffing::{next_change, on_duty_at};
pub use vulnerabilities::ADVISORY_PATCHING_FACTOR;
