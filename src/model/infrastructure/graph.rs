//! Critical infrastructure as a dependency graph: each asset's service level
//! follows its own damage and what it depends on, with buffers and recovery delays.
//!
//! Rule (docs/model.md, "Assets and dependencies"):
//! `level = own x clamp(1 - sum_d weight_d x (1 - felt_d), 0, 1)` where `own` is
//! the lowest level any active incident or outage leaves the asset at (1 without
//! any), and `felt_d` is the provider's level as the dependant feels it: a drop is
//! felt only once the provider has been degraded for the edge's `buffer`; a
//! recovery is felt after the edge's `recovery_delay`.

use super::EdgeDue;
use crate::engine::{SimDuration, SimTime};
use crate::model::IncidentId;
use crate::model::event_log::LogEvent;
use crate::model::world::Ctx;

use crate::scenario::{AssetId, Scenario};
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::collections::BTreeMap;

/// What is holding an asset's own service level down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImpactKey {
    Incident(IncidentId),
    /// Numbered in the order outages start.
    Outage(u64),
}

/// An asset's service over time.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct AssetState {
    pub index: usize,
    pub impacts: BTreeMap<ImpactKey, f64>,
    pub level: f64,
    /// (time, level) at every change, starting with (0, 1).
    pub history: Vec<(SimTime, f64)>,
    /// Integral of (1 - level): service-seconds lost.
    pub lost_s: f64,
    /// Time spent below full service.
    pub degraded_s: f64,
    pub min_level: f64,
    last_change: SimTime,
}

impl AssetState {
    fn new(index: usize) -> Self {
        Self {
            index,
            impacts: BTreeMap::new(),
            level: 1.0,
            history: vec![(SimTime::ZERO, 1.0)],
            lost_s: 0.0,
            degraded_s: 0.0,
            min_level: 1.0,
            last_change: SimTime::ZERO,
        }
    }

    /// Integrates up to `now`.
    pub fn advance(&mut self, now: SimTime) {
        let dt = now.saturating_since(self.last_change).as_secs_f64();
        self.lost_s += (1.0 - self.level) * dt;
        if self.level < 1.0 {
            self.degraded_s += dt;
        }
        self.last_change = now;
    }

    fn own(&self) -> f64 {
        self.impacts.values().copied().fold(1.0, f64::min)
    }
}

/// One dependency edge and what its dependant currently feels of the provider.
#[derive(Debug, Clone)]
struct Edge {
    provider: AssetId,
    dependant: AssetId,
    weight: f64,
    buffer: SimDuration,
    recovery_delay: SimDuration,
    felt: f64,
    /// Bumped at every provider change: a pending update with an older version is void.
    version: u64,
    /// When the provider dropped below full service while the dependant still felt it whole.
    onset: Option<SimTime>,
}

/// The graph and its asset entities: the infrastructure mechanic's resource.
#[derive(Resource)]
pub struct Infrastructure {
    assets: Vec<Entity>,
    edges: Vec<Edge>,
    /// Edges by provider.
    outgoing: Vec<Vec<usize>>,
    /// Edges by dependant.
    incoming: Vec<Vec<usize>>,
    /// Outages started so far, numbering them.
    pub(super) outages_started: u64,
    /// Whether another mechanic watches service levels (public assets, crisis
    /// levels): then each cascade's changes are kept in `changed` for it.
    watch: bool,
    /// (asset, from, to) of the cascade in progress, when watched.
    pub(super) changed: Vec<(AssetId, f64, f64)>,
    /// Per asset: the share of its edges' recovery delays it takes now
    /// (business continuity programmes in its nation; 1 without).
    recovery_factor: Vec<f64>,
}

impl Infrastructure {
    pub fn build(scenario: &Scenario, world: &mut World) -> Self {
        let n = scenario.assets.len();
        let assets = (0..n).map(|i| world.spawn(AssetState::new(i)).id()).collect();
        let mut edges = Vec::new();
        let (mut outgoing, mut incoming) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (dependant, asset) in scenario.each_asset() {
            for d in &asset.depends_on {
                outgoing[d.asset.index()].push(edges.len());
                incoming[dependant.index()].push(edges.len());
                edges.push(Edge {
                    provider: d.asset,
                    dependant,
                    weight: d.weight,
                    buffer: d.buffer,
                    recovery_delay: d.recovery_delay,
                    felt: 1.0,
                    version: 0,
                    onset: None,
                });
            }
        }
        let watch = scenario.assets.iter().any(|a| a.public)
            || scenario.nations.iter().any(|n| !n.crisis_levels.is_empty())
            || scenario.csirts.iter().any(|c| c.office.is_some() || c.international_link.is_some());
        Self {
            assets,
            edges,
            outgoing,
            incoming,
            outages_started: 0,
            watch,
            changed: Vec::new(),
            recovery_factor: vec![1.0; n],
        }
    }

    /// Business continuity in `nation` now makes its assets take `factor` of
    /// their edges' recovery delays (from the next change of a provider).
    pub fn set_recovery_factor(&mut self, scenario: &Scenario, nation: crate::scenario::NationId, factor: f64) {
        for (asset, a) in scenario.each_asset() {
            if scenario.sectors[a.sector].nation == nation {
                self.recovery_factor[asset.index()] = factor;
            }
        }
    }

    pub fn entity(&self, asset: AssetId) -> Entity {
        self.assets[asset.index()]
    }

    fn level(&self, world: &World, asset: AssetId) -> f64 {
        world.get::<AssetState>(self.assets[asset.index()]).expect("asset exists").level
    }

    /// Sets (or with `None` lifts) one impact on an asset's own service.
    pub fn set_impact(&mut self, world: &mut World, ctx: &mut Ctx, asset: AssetId, key: ImpactKey, level: Option<f64>) {
        {
            let mut state = world.get_mut::<AssetState>(self.assets[asset.index()]).expect("asset exists");
            match level {
                Some(l) => state.impacts.insert(key, l),
                None => state.impacts.remove(&key),
            };
        }
        self.recompute(world, ctx, asset);
    }

    /// A pending change on an edge comes due.
    pub fn edge_due(&mut self, world: &mut World, ctx: &mut Ctx, edge: usize, version: u64) {
        if self.edges[edge].version != version {
            return;
        }
        let dependant = self.feel(world, edge);
        self.recompute(world, ctx, dependant);
    }

    /// The dependant of `edge` now feels its provider's current level.
    fn feel(&mut self, world: &World, edge: usize) -> AssetId {
        self.edges[edge].felt = self.level(world, self.edges[edge].provider);
        self.edges[edge].dependant
    }

    /// Recomputes `asset`'s level and passes a change on to its dependants, depth
    /// first: a change felt at once (no buffer, no delay) reaches the end of its
    /// chain before the asset's next edge is looked at. The walk keeps its own
    /// stack, as a valid chain of tens of thousands of assets would exhaust the
    /// thread's.
    fn recompute(&mut self, world: &mut World, ctx: &mut Ctx, asset: AssetId) {
        // each asset whose level changed, its new level and its next outgoing edge
        let mut stack: Vec<(usize, f64, usize)> = Vec::new();
        if let Some(to) = self.update_level(world, ctx, asset) {
            stack.push((asset.index(), to, 0));
        }
        while let Some((asset, to, next)) = stack.last_mut() {
            let Some(&edge) = self.outgoing[*asset].get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            let level = *to;
            if self.provider_changed(ctx, edge, level) {
                let dependant = self.feel(world, edge);
                if let Some(to) = self.update_level(world, ctx, dependant) {
                    stack.push((dependant.index(), to, 0));
                }
            }
        }
    }

    /// Sets the asset's level from its own impacts and what its providers supply;
    /// the new level when it changed.
    fn update_level(&mut self, world: &mut World, ctx: &mut Ctx, asset: AssetId) -> Option<f64> {
        let supply = 1.0
            - self.incoming[asset.index()]
                .iter()
                .map(|e| self.edges[*e].weight * (1.0 - self.edges[*e].felt))
                .sum::<f64>();
        let now = ctx.now();
        let (from, to) = {
            let mut state = world.get_mut::<AssetState>(self.assets[asset.index()]).expect("asset exists");
            let level = state.own() * supply.clamp(0.0, 1.0);
            if (level - state.level).abs() < 1e-12 {
                return None;
            }
            state.advance(now);
            let from = std::mem::replace(&mut state.level, level);
            state.min_level = state.min_level.min(level);
            state.history.push((now, level));
            (from, level)
        };
        ctx.emit(LogEvent::ServiceLevelChanged { asset, from, to });
        if self.watch {
            self.changed.push((asset, from, to));
        }
        Some(to)
    }

    /// A provider's level changed: schedules when its dependant feels it, and says
    /// whether that is now (the caller then passes the change on at once).
    fn provider_changed(&mut self, ctx: &mut Ctx, e: usize, level: f64) -> bool {
        let now = ctx.now();
        let edge = &mut self.edges[e];
        edge.version += 1;
        let version = edge.version;
        if level >= 1.0 {
            edge.onset = None;
        } else if edge.felt >= 1.0 && edge.onset.is_none() {
            edge.onset = Some(now);
        }
        let due = if level < edge.felt {
            // a drop: felt once the buffer (counted from the onset) runs out
            edge.onset.map_or(now, |onset| (onset + edge.buffer).max(now))
        } else {
            let f = self.recovery_factor[edge.dependant.index()];
            now + if f == 1.0 { edge.recovery_delay } else { edge.recovery_delay.scaled(f) }
        };
        if due == now {
            return true;
        }
        ctx.schedule_in(due - now, EdgeDue { edge: e, version });
        false
    }
}
