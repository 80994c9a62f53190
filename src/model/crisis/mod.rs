//! Escalation: each nation has crisis levels above normal, entered when any
//! of a level's triggers holds (media pressure, sectors hit at once,
//! criticality-weighted service lost now) or when an effect sets it. Entering
//! a level applies its effects (surge staff, a statement, a TLP...), may
//! oblige victims to report (`mandatory_reporting`), and opens a crisis cell
//! whose `decision_delay` delays the nation's decisions and whose `authority`
//! directs operators to act on the national CSIRT's warnings.
//!
//! Triggers only raise a level; an effect (`SetCrisisLevel`) may lower it.
//! Levels are checked when what they watch changes: media pressure (after
//! each change) and service levels (after each cascade), never on a tick.

use super::event_log::LogEvent;
use super::infrastructure;
use super::injects;
use super::media::{self, Origin};
use super::world::{Ctx, scenario};
use crate::engine::{SimDuration, SimTime};
use crate::scenario::{AssetId, CsirtId, NationId, Scenario};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::collections::BTreeSet;

/// Why a nation's crisis level changed (events.csv's `cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrisisCause {
    MediaPressure,
    SectorsHit,
    Impact,
    /// An effect set it.
    Set(Origin),
    /// The CSIRT finished an escalation step of its SOP.
    Escalated(CsirtId),
}

impl CrisisCause {
    pub fn name(self) -> &'static str {
        match self {
            CrisisCause::MediaPressure => "media_pressure",
            CrisisCause::SectorsHit => "sectors_hit",
            CrisisCause::Impact => "impact",
            CrisisCause::Set(_) => "set",
            CrisisCause::Escalated(_) => "escalated",
        }
    }
}

/// One nation's level now (0: normal) and each change (time, level after it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NationCrisis {
    pub level: u8,
    pub changes: Vec<(SimTime, u8)>,
}

/// Every nation's crisis level, in scenario order.
#[derive(Resource, Debug, Clone, Default)]
pub struct CrisisLevels {
    pub nations: Vec<NationCrisis>,
}

/// Whether victims in `nation` must report now: the nation's law, or a crisis
/// level in force that obliges them.
pub(crate) fn mandatory_reporting(world: &World, scenario: &Scenario, nation: NationId) -> bool {
    let n = &scenario.nations[nation];
    let level = world.resource::<CrisisLevels>().nations[nation.index()].level;
    n.mandatory_reporting || n.crisis_levels[..usize::from(level)].iter().any(|l| l.mandatory_reporting)
}

/// Whether a crisis level in force in `nation` gives its cell the authority
/// to direct operators (all act on the warnings passed on to them).
pub(crate) fn directs_operators(world: &World, scenario: &Scenario, nation: NationId) -> bool {
    let level = world.resource::<CrisisLevels>().nations[nation.index()].level;
    scenario.nations[nation].crisis_levels[..usize::from(level)].iter().any(|l| l.authority)
}

/// The decision delay of `nation`'s crisis cell now: the longest of the levels in force.
pub(crate) fn decision_delay(world: &World, scenario: &Scenario, nation: NationId) -> SimDuration {
    let level = world.resource::<CrisisLevels>().nations[nation.index()].level;
    let levels = &scenario.nations[nation].crisis_levels[..usize::from(level)];
    levels.iter().map(|l| l.decision_delay).max().unwrap_or(SimDuration::ZERO)
}

/// Criticality-weighted service lost now in `nation`, and its sectors with an
/// asset below full service.
fn impact_now(world: &World, scenario: &Scenario, nation: NationId) -> (f64, usize) {
    let mut weighted = 0.0;
    let mut sectors = BTreeSet::new();
    for (a, asset) in scenario.each_asset() {
        if scenario.sectors[asset.sector].nation != nation {
            continue;
        }
        let level = infrastructure::level(world, a);
        weighted += f64::from(asset.criticality) * (1.0 - level);
        if level < 1.0 {
            sectors.insert(asset.sector);
        }
    }
    (weighted, sectors.len())
}

/// Raises `nation` to the highest level above its own whose trigger holds now.
pub(crate) fn check(world: &mut World, ctx: &mut Ctx, nation: NationId) {
    let scenario = ctx.tables().scenario();
    let levels = &scenario.nations[nation].crisis_levels;
    if levels.is_empty() {
        return;
    }
    let now = ctx.now();
    let current = usize::from(world.resource::<CrisisLevels>().nations[nation.index()].level);
    let pressure = media::pressure(world, scenario, nation, now);
    let (impact, sectors) = impact_now(world, scenario, nation);
    let holds = |k: usize| {
        let l = &levels[k];
        if l.media_above.is_some_and(|m| pressure >= m) {
            Some(CrisisCause::MediaPressure)
        } else if l.sectors_hit.is_some_and(|n| sectors >= n as usize) {
            Some(CrisisCause::SectorsHit)
        } else if l.impact_above.is_some_and(|x| impact >= x) {
            Some(CrisisCause::Impact)
        } else {
            None
        }
    };
    if let Some((k, cause)) = (current..levels.len()).rev().find_map(|k| holds(k).map(|c| (k, c))) {
        set(world, ctx, nation, (k + 1) as u8, cause);
    }
}

/// Sets `nation`'s level; entering higher levels applies each one's effects
/// in order (lowest first). Setting the level it is at does nothing.
pub(crate) fn set(world: &mut World, ctx: &mut Ctx, nation: NationId, level: u8, cause: CrisisCause) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let from = {
        let mut crisis = world.resource_mut::<CrisisLevels>();
        let n = &mut crisis.nations[nation.index()];
        if n.level == level {
            return;
        }
        let from = std::mem::replace(&mut n.level, level);
        n.changes.push((now, level));
        from
    };
    ctx.emit(LogEvent::CrisisLevelChanged { nation, from, to: level, cause });
    for entered in from + 1..=level {
        let origin = Origin::Crisis { nation, level: entered };
        for effect in &scenario.nations[nation].crisis_levels[usize::from(entered) - 1].effects {
            injects::apply_effect(world, ctx, origin, effect);
        }
    }
}

/// `csirt` finished a step that escalates to `level` (a name): its nation is
/// raised to that level unless it is there or above; a nation without a level
/// of that name is not escalated.
pub(crate) fn escalate(world: &mut World, ctx: &mut Ctx, csirt: CsirtId, level: &str) {
    let scenario = ctx.tables().scenario();
    let nation = scenario.csirts[csirt].nation;
    let Some(k) = scenario.nations[nation].crisis_levels.iter().position(|l| l.name == level) else { return };
    let target = (k + 1) as u8;
    if world.resource::<CrisisLevels>().nations[nation.index()].level < target {
        set(world, ctx, nation, target, CrisisCause::Escalated(csirt));
    }
}

/// Service levels changed (one cascade): public outages feed the media, and
/// every nation whose assets changed looks at its levels.
pub(crate) fn assets_changed(world: &mut World, ctx: &mut Ctx, changes: &[(AssetId, f64, f64)]) {
    media::assets_changed(world, ctx, changes);
    let scenario = ctx.tables().scenario();
    let nations: BTreeSet<NationId> =
        changes.iter().map(|(a, _, _)| scenario.sectors[scenario.assets[*a].sector].nation).collect();
    for nation in nations {
        check(world, ctx, nation);
    }
}

/// Every nation at normal.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    world.insert_resource(CrisisLevels { nations: vec![NationCrisis::default(); scenario.nations.len()] });
}
