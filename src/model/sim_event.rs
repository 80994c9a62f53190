//! The events the kernel schedules for the world model.

use bevy_ecs::entity::Entity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimEvent {
    /// The next report of incident stream `stream` arrives.
    Arrival { stream: usize },
    /// The analyst working on the incident's current step finishes it.
    StepDone { incident: Entity },
    /// Scheduled inject `inject` is delivered.
    Inject { inject: usize },
}
