//! Shifts and staffing: each team is an entity ([`Team`]) of its CSIRT's desk.
//! Teams come on and go off duty by their shift pattern in their nation's local
//! time (steps in progress are handed over), analysts are hired, cut and quit
//! (attrition). Messages (a warning to pass on, a peer's request) are desk
//! work, so a desk with nobody on duty reads them when the next shift starts
//! or its on-call analyst has been called out.

mod attrition;
mod on_call;
mod roster;
mod shift_calendar;

pub(crate) use attrition::install as install_attrition;
pub(crate) use on_call::rests_begun;
pub use shift_calendar::{next_change, on_duty_at};

use super::desks::{self, Newcomer, desk, desk_mut};
use super::event_log::LogEvent;
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{RngStreams, SimDuration, SimEvent, SimTime};
use crate::scenario::CsirtId;
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use roster::Roster;

/// A team: a tier of analysts on one shift pattern, at one CSIRT's desk.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Team {
    /// The CSIRT, by position in the scenario.
    pub csirt: CsirtId,
    /// The team, by position among its CSIRT's teams (and in its desk).
    pub team: usize,
}

/// The team entities of each CSIRT, in scenario order.
#[derive(Resource)]
pub(crate) struct TeamIndex(pub Vec<Vec<Entity>>);

/// A team comes on or goes off duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftChange {
    pub team: Entity,
    pub on_duty: bool,
}

/// Hired analysts join (after their ramp-up); newcomers learn, and may
/// leave at the end of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffJoins {
    pub team: Entity,
    pub analysts: u32,
    /// `None`: experienced people (lent by a peer, a replacement, a hire
    /// with neither learning nor term).
    pub newcomers: Option<Newcomers>,
}

/// How hired people join: learning for `learning`, leaving `term` after joining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newcomers {
    pub learning: SimDuration,
    pub term: Option<SimDuration>,
}

/// A hire's newcomers have finished learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearningDone {
    pub team: Entity,
    pub hire: u64,
}

/// A hire's term ends: those of its people still in the team leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermEnds {
    pub team: Entity,
    pub hire: u64,
}

/// Hires joined so far: names each hire's newcomers.
#[derive(Resource, Default)]
struct Hires(u64);

impl SimEvent<Ttx> for ShiftChange {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        shift_change(world, ctx, *self);
    }
}

impl SimEvent<Ttx> for StaffJoins {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let Team { csirt, team } = team(world, self.team);
        let headcount = desk(world, ctx.tables(), csirt).teams[team].headcount;
        let to = headcount.saturating_add(self.analysts);
        let Some(Newcomers { learning, term }) = self.newcomers else {
            return set_headcount(world, ctx, csirt, team, to);
        };
        let hire = {
            let mut hires = world.get_resource_or_insert_with(Hires::default);
            hires.0 += 1;
            hires.0
        };
        let start = ctx.tables().scenario().rules.new_starter_effort;
        let newcomer = Newcomer { hire, joined: ctx.now(), learning, start, leaves: term.is_some() };
        set_headcount_with(world, ctx, (csirt, team), to, Some((self.analysts, newcomer)));
        if !learning.is_zero() {
            ctx.schedule_in(learning, LearningDone { team: self.team, hire });
        }
        if let Some(term) = term {
            ctx.schedule_in(term, TermEnds { team: self.team, hire });
        }
    }
}

impl SimEvent<Ttx> for LearningDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let Team { csirt, team } = team(world, self.team);
        let now = ctx.now();
        let change = {
            let mut desk = desk_mut(world, ctx.tables(), csirt);
            desk.finish_learning(now, team, self.hire);
            desk.update_maturity(now)
        };
        if let Some((from, to)) = change {
            ctx.emit(LogEvent::MaturityChanged { csirt, from, to });
        }
    }
}

impl SimEvent<Ttx> for TermEnds {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let Team { csirt, team } = team(world, self.team);
        let (headcount, leaving) = {
            let mut desk = desk_mut(world, ctx.tables(), csirt);
            let leaving = desk.remove_hire(team, self.hire);
            (desk.teams[team].headcount, leaving)
        };
        if leaving > 0 {
            set_headcount(world, ctx, csirt, team, headcount.saturating_sub(leaving));
        }
    }
}

fn team(world: &World, entity: Entity) -> Team {
    *world.get::<Team>(entity).expect("team events name team entities")
}

/// The entity of team `team` of CSIRT `csirt`.
pub(crate) fn team_entity(world: &World, csirt: CsirtId, team: usize) -> Entity {
    world.resource::<TeamIndex>().0[csirt.index()][team]
}

/// Spawns the team entities and schedules every team's first change of shift,
/// CSIRT by CSIRT; rota teams get their roster and, if on duty at T+0, the
/// people of the shift in progress.
pub(crate) fn install_shifts(world: &mut World) {
    let scenario = scenario(world);
    let streams = *world.resource::<RngStreams>();
    let mut index = Vec::with_capacity(scenario.csirts.len());
    let mut on_shift_at_start = Vec::new();
    for (c, csirt) in scenario.each_csirt() {
        let local = scenario.local_epoch_s(csirt.nation, SimTime::ZERO);
        let mut teams = Vec::with_capacity(csirt.teams.len());
        for (t, team) in csirt.teams.iter().enumerate() {
            let entity = world.spawn(Team { csirt: c, team: t }).id();
            teams.push(entity);
            let next = next_change(&team.shift, local);
            if !on_duty_at(&team.shift, local) {
                on_call::off_duty(world, entity, team, SimTime::ZERO);
            }
            if let Some((at, on_duty)) = next {
                schedule_at_install(
                    world,
                    SimDuration::from_secs((at - local) as u64),
                    ShiftChange { team: entity, on_duty },
                );
            }
            let stream = format!("roster/{}/{}", csirt.id, team.name);
            if let Some(mut roster) = Roster::new(team, &scenario.rules, &streams, &stream) {
                if on_duty_at(&team.shift, local) {
                    let length = next.map_or(SimDuration::DAY, |(at, _)| SimDuration::from_secs((at - local) as u64));
                    on_shift_at_start.push((c, t, roster.start_shift(SimTime::ZERO, local, length)));
                }
                world.entity_mut(entity).insert(roster);
            }
        }
        index.push(teams);
    }
    let mut desks = world.query::<&mut desks::Desk>();
    for mut desk in desks.iter_mut(world) {
        let csirt = desk.csirt;
        for (_, t, on) in on_shift_at_start.iter().filter(|(c, ..)| *c == csirt) {
            desk.set_rostered(SimTime::ZERO, *t, *on);
        }
    }
    world.insert_resource(TeamIndex(index));
}

/// Sets a team's headcount (a cut takes effect as analysts finish; the
/// experienced leave first); attrition then runs at the new headcount, and
/// the CSIRT's maturity follows its experienced people.
pub(crate) fn set_headcount(world: &mut World, ctx: &mut Ctx, csirt: CsirtId, team: usize, analysts: u32) {
    set_headcount_with(world, ctx, (csirt, team), analysts, None);
}

/// [`set_headcount`], `newcomers` of them (how many, and how they learn)
/// having just joined by a hire.
fn set_headcount_with(
    world: &mut World,
    ctx: &mut Ctx,
    (csirt, team): (CsirtId, usize),
    analysts: u32,
    newcomers: Option<(u32, Newcomer)>,
) {
    let now = ctx.now();
    let entity = team_entity(world, csirt, team);
    let on_shift = world.get_mut::<Roster>(entity).map(|mut r| r.set_headcount(analysts));
    let mut desk = desk_mut(world, ctx.tables(), csirt);
    let from = desk.set_headcount(now, team, analysts);
    if let Some((n, newcomer)) = newcomers {
        desk.add_newcomers(now, team, n, newcomer);
    }
    if let Some(on_shift) = on_shift {
        desk.set_rostered(now, team, on_shift);
    }
    let tier = desk.teams[team].tier;
    let maturity = desk.update_maturity(now);
    ctx.emit(LogEvent::StaffChanged { csirt, tier, from, to: analysts });
    if let Some((from, to)) = maturity {
        ctx.emit(LogEvent::MaturityChanged { csirt, from, to });
    }
    attrition::headcount_changed(world, ctx, entity, analysts);
    desks::dispatch(world, ctx, csirt);
}

/// A team comes on duty (queued work starts) or goes off (steps in progress are
/// handed over); on a continuous rota, the people change (handing over too).
fn shift_change(world: &mut World, ctx: &mut Ctx, ShiftChange { team: entity, on_duty }: ShiftChange) {
    let now = ctx.now();
    let scenario = ctx.tables().scenario();
    let Team { csirt, team } = team(world, entity);
    let csirt_model = &scenario.csirts[csirt];
    let local = scenario.local_epoch_s(csirt_model.nation, now);
    let next = next_change(&csirt_model.teams[team].shift, local);
    let was_on_duty = desk(world, ctx.tables(), csirt).teams[team].on_duty;
    if on_duty && was_on_duty {
        for holder in desk(world, ctx.tables(), csirt).working_in(team) {
            desks::hand_over(world, ctx, csirt, holder);
        }
    }
    let rostered = world.get_mut::<Roster>(entity).map(|mut roster| {
        if was_on_duty {
            roster.end_shift(now);
        }
        if on_duty {
            let length = next.map_or(SimDuration::DAY, |(at, _)| SimDuration::from_secs((at - local) as u64));
            roster.start_shift(now, local, length)
        } else {
            0
        }
    });
    let tier = {
        let mut desk = desk_mut(world, ctx.tables(), csirt);
        desk.set_on_duty(now, team, on_duty, rostered);
        desk.teams[team].tier
    };
    if !(on_duty && was_on_duty) {
        ctx.emit(LogEvent::ShiftChanged { csirt, tier, on_duty });
    }
    if !on_duty {
        on_call::off_duty_now(world, ctx, entity, &csirt_model.teams[team]);
    }
    if !on_duty {
        for holder in desk(world, ctx.tables(), csirt).working_in(team) {
            desks::hand_over(world, ctx, csirt, holder);
        }
    }
    if let Some((at, next)) = next {
        ctx.schedule_in(SimDuration::from_secs((at - local) as u64), ShiftChange { team: entity, on_duty: next });
    }
    desks::dispatch(world, ctx, csirt);
}
