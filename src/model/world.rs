//! What every mechanic shares in a replication: the model as the kernel sees it
//! ([`Ttx`]), the read-only [`Tables`] handlers consult, the scenario as a
//! resource for installs, and two lookups written once.

use super::event_log::LogEvent;
use crate::engine::{Model, SimDuration, SimEvent};
use crate::scenario::Scenario;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::sync::Arc;

/// ttx's world model, for the kernel: handlers emit [`LogEvent`]s and consult
/// the replication's [`Tables`].
pub struct Ttx;

impl Model for Ttx {
    type Log = LogEvent;
    type Tables = Tables;
}

/// What every handler consults and nothing changes during a run: the scenario,
/// and the entities the scenario's positions name. Built as the mechanics are
/// installed, owned by the replication, handed to each handler in its [`Ctx`].
pub struct Tables {
    pub(crate) scenario: Arc<Scenario>,
    pub(crate) desks: super::desks::DeskTable,
}

impl Tables {
    pub(crate) fn scenario(&self) -> &Scenario {
        &self.scenario
    }
}

/// What a handler gets from the kernel: the clock, the tables, what it
/// schedules and the domain events it emits (handed to the log and the scores
/// after the event).
pub(crate) type Ctx<'t> = crate::engine::Ctx<'t, Ttx>;

/// The replication's scheduler.
pub type Scheduler = crate::engine::Scheduler<Ttx>;

/// Schedules a mechanic's first event when it is installed (before the run).
pub(crate) fn schedule_at_install(world: &mut World, delay: SimDuration, event: impl SimEvent<Ttx>) {
    crate::engine::schedule_in(world, delay, event);
}

/// The validated scenario, as a resource for mechanics' installs (handlers use
/// the [`Tables`]).
#[derive(Resource)]
pub(crate) struct ScenarioRes(pub Arc<Scenario>);

/// The scenario of `world`, as a handle the installer can keep while it changes the World.
pub(crate) fn scenario(world: &World) -> Arc<Scenario> {
    Arc::clone(&world.resource::<ScenarioRes>().0)
}
