//! Attrition: analysts of a team quit one at a time, each at the team's rate, so
//! the next departure comes after an exponential gap at `rate x headcount`.
//! With `replaced_after`, each leaver's replacement joins that long after
//! (a vacancy per leaver; a cut or an exodus by inject is not replaced).

use super::{Team, TeamIndex, set_headcount};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::model::desks::desk;
use crate::model::world::{Ctx, Ttx, scenario, schedule_at_install};
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

/// On a team with attrition: its departures stream and the version of its
/// pending departure (bumped at every headcount change, voiding the old one).
#[derive(Component)]
pub(crate) struct Attrition {
    rate_per_s: f64,
    rng: ChaCha8Rng,
    version: u64,
}

/// An analyst of a team quits. Void if `version` is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Departure {
    pub team: Entity,
    pub version: u64,
}

impl SimEvent<Ttx> for Departure {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let current = world.get::<Attrition>(self.team).map(|a| a.version);
        if current == Some(self.version) {
            let Team { csirt, team } = *world.get::<Team>(self.team).expect("a departure names a team");
            let headcount = desk(world, ctx.tables(), csirt).teams[team].headcount;
            set_headcount(world, ctx, csirt, team, headcount.saturating_sub(1));
            let replaced_after = ctx.tables().scenario().csirts[csirt].teams[team].replaced_after;
            if let Some(delay) = replaced_after.filter(|_| headcount > 0) {
                ctx.schedule_in(delay, Replacement { team: self.team });
            }
        }
    }
}

/// A leaver's replacement joins the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacement {
    pub team: Entity,
}

impl SimEvent<Ttx> for Replacement {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let Team { csirt, team } = *world.get::<Team>(self.team).expect("a replacement names a team");
        let headcount = desk(world, ctx.tables(), csirt).teams[team].headcount;
        set_headcount(world, ctx, csirt, team, headcount + 1);
    }
}

/// Gives every team with attrition its stream and schedules its first departure.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let streams = *world.resource::<RngStreams>();
    for (c, csirt) in scenario.csirts.iter().enumerate() {
        for (t, team) in csirt.teams.iter().enumerate() {
            let Some(rate_per_s) = team.attrition_per_s else { continue };
            let entity = world.resource::<TeamIndex>().0[c][t];
            let mut rng = streams.stream(&format!("attrition/{}/{}", csirt.id, team.tier));
            if let Some(delay) = next_departure(&mut rng, rate_per_s, team.analysts) {
                schedule_at_install(world, delay, Departure { team: entity, version: 0 });
            }
            world.entity_mut(entity).insert(Attrition { rate_per_s, rng, version: 0 });
        }
    }
}

/// The pending departure is replaced by one drawn at the new headcount.
pub(super) fn headcount_changed(world: &mut World, ctx: &mut Ctx, team: Entity, analysts: u32) {
    let Some(mut attrition) = world.get_mut::<Attrition>(team) else { return };
    attrition.version += 1;
    let version = attrition.version;
    let rate = attrition.rate_per_s;
    if let Some(delay) = next_departure(&mut attrition.rng, rate, analysts) {
        ctx.schedule_in(delay, Departure { team, version });
    }
}

/// Seconds until the next of `headcount` analysts quits, each at `rate_per_s`.
fn next_departure(rng: &mut ChaCha8Rng, rate_per_s: f64, headcount: u32) -> Option<SimDuration> {
    if headcount == 0 {
        return None;
    }
    let gap: f64 = Exp1.sample(rng);
    Some(SimDuration::from_secs_f64_rounded(gap / (rate_per_s * f64::from(headcount))))
}
