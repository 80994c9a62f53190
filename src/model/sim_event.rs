//! The events the kernel schedules for the world model.

use bevy_ecs::entity::Entity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimEvent {
    /// The next report of incident stream `stream` arrives.
    Arrival { stream: usize },
    /// The analyst working on the incident's current step finishes it. Stale when
    /// `attempt` is older than the incident's (the step was handed over).
    StepDone { incident: Entity, attempt: u32 },
    /// Scheduled inject `inject` is delivered.
    Inject { inject: usize },
    /// A team of a CSIRT comes on or goes off duty.
    ShiftChange { csirt: usize, team: usize, on_duty: bool },
    /// Hired analysts become effective after their ramp-up.
    StaffJoins { csirt: usize, team: usize, analysts: u32 },
    /// A dependency edge's buffer ran out or its recovery delay passed.
    EdgeDue { edge: usize, version: u64 },
    /// A physical outage is repaired.
    OutageEnds { outage: u64, asset: usize },
    /// The decision posed by inject `inject` is taken (the console stops before it).
    DecisionDue { inject: usize },
    /// An outbreak's first hosts are infected.
    OutbreakStart { outbreak: usize },
    /// One step of an outbreak's spread.
    OutbreakTick { outbreak: usize },
    /// A warning about an outbreak from CSIRT `from` reaches the national CSIRT of
    /// population `population`.
    WarningArrives { outbreak: usize, population: usize, from: usize },
    /// A warned population has its protection in place.
    ProtectionReady { outbreak: usize, population: usize },
    /// The origin's CSIRT takes down the worm's sources.
    Takedown { outbreak: usize },
    /// A victim whose CSIRT offers no incident handling has recovered on its own.
    UnassistedRecovery { incident: u64, asset: usize },
    /// An incident that happened earlier reaches its CSIRT (by report or by its feeds).
    BecomesKnown { incident: u64 },
    /// An analyst of a team quits (attrition). Void if `version` is stale.
    Departure { csirt: usize, team: usize, version: u64 },
    /// An asset exposed by a disclosed vulnerability is exploited before it is patched.
    Exploited { exploit: usize },
}
