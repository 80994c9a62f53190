//! Infrastructure and cascades: each asset is an entity with an [`AssetState`];
//! the dependency graph between them is the [`Infrastructure`] resource. Incidents
//! and outages set impacts on an asset's own service; a change travels to its
//! dependants after the edges' buffers and recovery delays.

mod graph;

pub use graph::{AssetState, ImpactKey, Infrastructure};

use super::world::{Ctx, Ttx, scenario};
use crate::engine::{SimDuration, SimEvent};
use crate::model::IncidentId;
use crate::scenario::AssetId;
use bevy_ecs::world::World;

/// A dependency edge's buffer ran out or its recovery delay passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeDue {
    pub edge: usize,
    pub version: u64,
}

/// A physical outage is repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageEnds {
    pub outage: u64,
    pub asset: AssetId,
}

/// A victim whose CSIRT does not help it recover (no incident handling, or an
/// anonymous report) has recovered on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnassistedRecovery {
    pub incident: IncidentId,
    pub asset: AssetId,
}

impl SimEvent<Ttx> for EdgeDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        world.resource_scope(|world, mut graph: bevy_ecs::world::Mut<Infrastructure>| {
            graph.edge_due(world, ctx, self.edge, self.version)
        });
        cascade_done(world, ctx);
    }
}

impl SimEvent<Ttx> for OutageEnds {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        set_impact(world, ctx, self.asset, ImpactKey::Outage(self.outage), None);
    }
}

impl SimEvent<Ttx> for UnassistedRecovery {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        set_impact(world, ctx, self.asset, ImpactKey::Incident(self.incident), None);
    }
}

/// Spawns the asset entities and builds the graph.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let graph = Infrastructure::build(&scenario, world);
    world.insert_resource(graph);
}

/// Sets (or with `None` lifts) one impact on an asset's own service; the change
/// cascades to its dependants.
pub(crate) fn set_impact(world: &mut World, ctx: &mut Ctx, asset: AssetId, key: ImpactKey, level: Option<f64>) {
    world.resource_scope(|world, mut graph: bevy_ecs::world::Mut<Infrastructure>| {
        graph.set_impact(world, ctx, asset, key, level)
    });
    cascade_done(world, ctx);
}

/// A cascade ended: the service levels it changed go to the mechanics that
/// watch them (media pressure, crisis levels), once the graph is whole again.
fn cascade_done(world: &mut World, ctx: &mut Ctx) {
    let changed = &mut world.resource_mut::<Infrastructure>().changed;
    if changed.is_empty() {
        return;
    }
    let changes = std::mem::take(changed);
    super::offices::assets_changed(world, ctx, &changes);
    super::crisis::assets_changed(world, ctx, &changes);
    super::detection::assets_changed(world, ctx);
}

/// The service level of `asset` now.
pub(crate) fn level(world: &World, asset: AssetId) -> f64 {
    let entity = world.resource::<Infrastructure>().entity(asset);
    world.get::<AssetState>(entity).expect("every asset has an entity").level
}

/// A physical outage leaves `asset` at `level` for `duration`.
pub(crate) fn start_outage(world: &mut World, ctx: &mut Ctx, asset: AssetId, level: f64, duration: SimDuration) {
    let outage = {
        let mut graph = world.resource_mut::<Infrastructure>();
        graph.outages_started += 1;
        graph.outages_started
    };
    set_impact(world, ctx, asset, ImpactKey::Outage(outage), Some(level));
    ctx.schedule_in(duration, OutageEnds { outage, asset });
}
