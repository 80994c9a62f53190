//! What every mechanic shares in a replication's World: the scenario it plays,
//! the outbox of domain events, and two lookups written once.

use super::event_log::LogEvent;
use crate::engine::SimTime;
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

/// Domain events the current kernel event produced, in the order they happened.
/// Mechanics only write here; the replication hands them, stamped with the
/// event's time and sequence, to whatever observes the run (events.csv, the
/// score fold, the console) after each kernel event.
#[derive(Resource, Default)]
pub(crate) struct Outbox(pub Vec<LogEvent>);

/// Emits a domain event.
pub(crate) fn emit(world: &mut World, event: LogEvent) {
    world.resource_mut::<Outbox>().0.push(event);
}

/// Local time of simulated instant `t` in a nation, in seconds since the Unix epoch.
pub(crate) fn local_time(scenario: &Scenario, nation: usize, t: SimTime) -> i64 {
    scenario.start_utc_s + i64::from(scenario.nations[nation].utc_offset_s) + t as i64
}

/// The national CSIRT of a nation: the first CSIRT of kind National it has.
pub(crate) fn national_csirt(scenario: &Scenario, nation: usize) -> Option<usize> {
    scenario.csirts.iter().position(|c| c.nation == nation && c.kind == CsirtKind::National)
}
