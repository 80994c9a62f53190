//! On call: off duty, one analyst of a team with `on_call` can be woken. The
//! desk holds the state (awake, call-outs this night, rest) because it decides
//! who takes work; this module keeps its clock: every 24 hours off duty a new
//! night's call-outs are allowed, and a rest after a night's call-outs ends.
//!
//! Every path that needs someone awake goes through the desk: SOP steps,
//! warning calls, reading and passing on warnings and answers are desk work
//! (taken by the on-call analyst after the call-out delay); noticing an
//! outbreak pages the on-call analyst ([`crate::model::desks::Desk::page`]).

use super::{Team, team};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::model::desks::{self, desk_mut};
use crate::model::world::{Ctx, Ttx, schedule_at_install};
use crate::scenario::{self, CsirtId};
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;

/// 24 hours of an off-duty stretch that began at `since` have passed: the
/// on-call analyst may be called out `per_night` times again. Stale once the
/// team has been on duty since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNight {
    pub team: Entity,
    pub since: SimTime,
}

/// The rest of a team's called-out analyst, begun for `until`, is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestOver {
    pub csirt: CsirtId,
    pub team: usize,
    pub until: SimTime,
}

/// When the team's current off-duty stretch began (teams with a call-out limit).
#[derive(bevy_ecs::component::Component, Debug, Clone, Copy)]
pub(crate) struct OffDutySince(SimTime);

fn limited(team: &scenario::Team) -> bool {
    team.shift.on_call().is_some_and(|o| o.per_night.is_some())
}

/// At install: a team off duty at T+0 starts its first night then.
pub(super) fn off_duty(world: &mut World, entity: Entity, team: &scenario::Team, now: SimTime) {
    if limited(team) {
        world.entity_mut(entity).insert(OffDutySince(now));
        schedule_at_install(world, SimDuration::DAY, NewNight { team: entity, since: now });
    }
}

/// A team goes off duty: its first night starts now.
pub(super) fn off_duty_now(world: &mut World, ctx: &mut Ctx, entity: Entity, team: &scenario::Team) {
    if limited(team) {
        let now = ctx.now();
        world.entity_mut(entity).insert(OffDutySince(now));
        ctx.schedule_in(SimDuration::DAY, NewNight { team: entity, since: now });
    }
}

/// Schedules the end of each rest a desk has begun.
pub(crate) fn rests_begun(ctx: &mut Ctx, csirt: CsirtId, rests: &[(usize, SimTime)]) {
    let now = ctx.now();
    for &(team, until) in rests {
        ctx.schedule_in(until.saturating_since(now), RestOver { csirt, team, until });
    }
}

impl SimEvent<Ttx> for NewNight {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let NewNight { team: entity, since } = *self;
        let Team { csirt, team: t } = team(world, entity);
        let current = world.get::<OffDutySince>(entity).map(|s| s.0);
        let mut desk = desk_mut(world, ctx.tables(), csirt);
        if current != Some(since) || desk.teams[t].on_duty {
            return;
        }
        desk.new_night(ctx.now(), t);
        ctx.schedule_in(SimDuration::DAY, NewNight { team: entity, since });
        desks::dispatch(world, ctx, csirt);
    }
}

impl SimEvent<Ttx> for RestOver {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let RestOver { csirt, team, until } = *self;
        desk_mut(world, ctx.tables(), csirt).end_rest(ctx.now(), team, until);
        desks::dispatch(world, ctx, csirt);
    }
}
