//! Warnings between national CSIRTs about an outbreak: who calls whom (one call
//! after another), whether the warning is trusted, whether its TLP label lets
//! the CSIRT pass it on, when someone on duty reads it, and the protection its
//! constituents put in place.

use super::{Outbreak, outbreak_mut};
use crate::engine::SimEvent;
use crate::model::event_log::LogEvent;
use crate::model::staffing::until_awake;
use crate::model::world::{Ctx, Ttx};
use crate::scenario::{CsirtId, OutbreakId, Service};
use bevy_ecs::world::World;
use rand::RngExt;

/// A warning about an outbreak from CSIRT `from` reaches the national CSIRT of
/// population `population`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningArrives {
    pub outbreak: OutbreakId,
    pub population: usize,
    pub from: CsirtId,
}

/// A warned population has its protection in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectionReady {
    pub outbreak: OutbreakId,
    pub population: usize,
}

impl SimEvent<Ttx> for WarningArrives {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        warning_arrives(world, ctx, *self);
    }
}

impl SimEvent<Ttx> for ProtectionReady {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let ProtectionReady { outbreak, population } = *self;
        let scenario = ctx.tables().scenario();
        let o = &scenario.outbreaks[outbreak];
        let heed = scenario
            .national_csirt(o.populations[population].nation)
            .map_or(1.0, |c| scenario.coordination.heed(&scenario.csirts[c]));
        let share = scenario.coordination.warning_protection * heed;
        let now = ctx.now();
        let mut entity = outbreak_mut(world, outbreak);
        let Outbreak { state, spread, .. } = &mut *entity;
        state.protect(o, scenario, population, share, spread, now);
    }
}

/// The national CSIRT of population `from` calls the others one after another
/// (each call takes the coordinator `call_effort`), largest population first.
pub(super) fn send_warnings(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, from: usize) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let Some(caller) = scenario.national_csirt(o.populations[from].nation) else {
        return;
    };
    if !scenario.csirts[caller].offers(Service::AlertsAndWarnings) {
        return;
    }
    let coordination = &scenario.coordination;
    let mut calls_made = 0;
    for k in super::call_order(o, from) {
        let Some(callee) = scenario.national_csirt(o.populations[k].nation) else {
            continue;
        };
        let channel = coordination.channel(&scenario.csirts[caller], &scenario.csirts[callee]);
        {
            let state = &mut outbreak_mut(world, outbreak).into_inner().state;
            state.warning_from[k].get_or_insert(caller);
            state.warning_unreachable[k] = channel.is_none();
        }
        match channel {
            Some(channel) => {
                calls_made += 1;
                let delay = coordination.call_effort * calls_made + channel.latency;
                let arrives = ctx.now() + delay;
                ctx.emit(LogEvent::WarningSent { outbreak, from: caller, to: callee, arrives });
                ctx.schedule_in(delay, WarningArrives { outbreak, population: k, from: caller });
            }
            None => ctx.emit(LogEvent::WarningUnreachable { outbreak, from: caller, to: callee }),
        }
    }
}

fn warning_arrives(world: &mut World, ctx: &mut Ctx, WarningArrives { outbreak, population: k, from }: WarningArrives) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let now = ctx.now();
    if let Some(csirt) = scenario.national_csirt(o.populations[k].nation) {
        let trust =
            scenario.coordination.channel(&scenario.csirts[from], &scenario.csirts[csirt]).map_or(0.0, |c| c.trust);
        let mut entity = outbreak_mut(world, outbreak);
        if entity.trust.random::<f64>() >= trust {
            entity.state.warning_doubted_at[k].get_or_insert(now);
            ctx.emit(LogEvent::WarningDoubted { outbreak, csirt });
            return;
        }
    }
    let (first_time, share) = {
        let state = &mut outbreak_mut(world, outbreak).into_inner().state;
        let first_time = state.warned(o, k, now);
        (first_time, state.infected_share_when_warned[k].unwrap_or(0.0))
    };
    if !first_time {
        return;
    }
    let Some(csirt) = scenario.national_csirt(o.populations[k].nation) else { return };
    ctx.emit(LogEvent::WarningReceived { outbreak, csirt, infected_share: share });
    // The label decides whether the CSIRT may pass the warning to its
    // constituents, who are the ones to protect themselves.
    let tlp = scenario.coordination.warning_tlp;
    let draw: f64 = outbreak_mut(world, outbreak).tlp.random();
    let violation = !tlp.allows_constituents() && draw >= scenario.csirts[csirt].tlp_discipline;
    if !tlp.allows_constituents() && !violation {
        outbreak_mut(world, outbreak).state.warning_held[k] = true;
        ctx.emit(LogEvent::WarningHeld { outbreak, csirt, tlp });
        return;
    }
    {
        let state = &mut outbreak_mut(world, outbreak).into_inner().state;
        state.forwarded[k] = true;
        state.tlp_violations += u32::from(violation);
    }
    ctx.emit(LogEvent::WarningForwarded { outbreak, csirt, tlp, violation });
    let read_after = until_awake(world, ctx.tables(), csirt, now);
    outbreak_mut(world, outbreak).state.warning_read_after[k] = Some(read_after);
    let ready = read_after + scenario.coordination.constituent_latency + scenario.coordination.preparation;
    ctx.schedule_in(ready, ProtectionReady { outbreak, population: k });
}
