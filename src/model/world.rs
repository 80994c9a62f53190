//! What every mechanic shares in a replication's World: the scenario it plays,
//! the outbox of domain events, and two lookups written once.

use super::event_log::LogEvent;
use crate::engine::{SimEvent, SimTime};
use crate::scenario::{CsirtKind, Scenario};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::sync::Arc;

/// The validated scenario the replication plays (read-only).
#[derive(Resource)]
pub(crate) struct ScenarioRes(pub Arc<Scenario>);

/// The scenario of `world`, as a handle the handler can keep while it changes the World.
pub(crate) fn scenario(world: &World) -> Arc<Scenario> {
    Arc::clone(&world.resource::<ScenarioRes>().0)
}

/// What a handler gets from the kernel: the clock, what it schedules and the
/// domain events it emits (handed to the log and the scores after the event).
pub(crate) type Ctx = crate::engine::Ctx<LogEvent>;

/// The replication's scheduler: its events are the model's, its output domain events.
pub type Scheduler = crate::engine::Scheduler<LogEvent>;

/// Schedules a mechanic's first event when it is installed (before the run).
pub(crate) fn schedule_at_install(
    world: &mut World,
    delay: crate::engine::SimDuration,
    event: impl SimEvent<LogEvent>,
) {
    crate::engine::schedule_in(world, delay, event);
}

/// Local time of simulated instant `t` in a nation, in seconds since the Unix epoch.
pub(crate) fn local_time(scenario: &Scenario, nation: usize, t: SimTime) -> i64 {
    scenario.start_utc_s + i64::from(scenario.nations[nation].utc_offset_s) + t as i64
}

/// The national CSIRT of a nation: the first CSIRT of kind National it has.
pub(crate) fn national_csirt(scenario: &Scenario, nation: usize) -> Option<usize> {
    scenario.csirts.iter().position(|c| c.nation == nation && c.kind == CsirtKind::National)
}
