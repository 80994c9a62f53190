//! Warnings between national CSIRTs about an outbreak: who calls whom (one call
//! after another, each an analyst's work on the caller's desk, in the call
//! order in force), whether the warning is trusted, whether its TLP label lets
//! the CSIRT pass it on, when someone on duty reads it, and the protection its
//! constituents put in place.

use super::{Outbreak, outbreak_mut};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::model::desks::{self, Holder, Job, Work, desk, desk_mut};
use crate::model::event_log::LogEvent;
use crate::model::infrastructure;
use crate::model::trust::{self, TrustCause, TrustLevels};
use crate::model::world::{Ctx, Ttx};
use crate::scenario::{CallOrder, CsirtId, OutbreakId, Relation, Scenario, Service, Tlp};
use bevy_ecs::resource::Resource;
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
        let nation = o.populations[population].nation;
        let heed = scenario.national_csirt(nation).map_or(1.0, |c| {
            if crate::model::crisis::directs_operators(world, scenario, nation) {
                return 1.0;
            }
            let moved = world.resource::<TrustLevels>().moved(Relation::Constituents(c));
            scenario.coordination.heed(&scenario.csirts[c], moved)
        });
        let share = scenario.coordination.warning_protection * heed;
        // Announcements and dissemination make constituents readier to act.
        let share = scenario
            .national_csirt(nation)
            .map_or(share, |c| crate::model::services::heeded(world, scenario, c, share));
        let now = ctx.now();
        let mut entity = outbreak_mut(world, outbreak);
        let Outbreak { state, spread, .. } = &mut *entity;
        state.protect(o, scenario, population, share, spread, now);
    }
}

/// The warning calls of one outbreak: its caller makes one call at a time, each
/// a job on its desk, and picks the next callee by the call order in force
/// when the previous call ends (a decision can change it from the next call on).
#[derive(Debug, Clone, Default)]
pub(crate) struct CallList {
    caller: Option<CsirtId>,
    /// Populations still to call, in scenario order; all reachable.
    pending: Vec<usize>,
    /// The call queued or in hand: its population, and since when it waits.
    current: Option<(usize, SimTime)>,
    /// Bumped at each hand-over: a [`CallDone`] of an older attempt is stale.
    attempt: u32,
}

/// The call order in force (the scenario's, until a decision sets another).
#[derive(Resource, Debug, Clone)]
pub(crate) struct CallPolicy(pub CallOrder);

/// The TLP label warnings are sent under (the scenario's `warning_tlp`, until
/// a decision sets another); read when a warning arrives.
#[derive(Resource, Debug, Clone, Copy)]
pub(crate) struct WarningLabel(pub Tlp);

/// The analyst on a warning call finishes it. Stale when `attempt` is older
/// than the call list's (the call was handed over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallDone {
    pub outbreak: OutbreakId,
    pub attempt: u32,
}

impl SimEvent<Ttx> for CallDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        call_done(world, ctx, *self);
    }
}

/// The national CSIRT of population `from` starts warning the others: one call
/// after another, each taking an analyst `call_effort` on its desk. A CSIRT it
/// has no channel to is logged unreachable at once (there is no call to make).
pub(super) fn send_warnings(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, from: usize) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let Some(caller) = scenario.national_csirt(o.populations[from].nation) else {
        return;
    };
    if !scenario.csirts[caller].offers(Service::AlertsAndWarnings) {
        return;
    }
    let mut pending = Vec::new();
    for k in (0..o.populations.len()).filter(|k| *k != from) {
        let Some(callee) = scenario.national_csirt(o.populations[k].nation) else {
            continue;
        };
        let channel = scenario.coordination.channel(&scenario.csirts[caller], &scenario.csirts[callee]);
        let state = &mut outbreak_mut(world, outbreak).into_inner().state;
        state.warning_from[k].get_or_insert(caller);
        state.warning_unreachable[k] = channel.is_none();
        match channel {
            Some(_) => pending.push(k),
            None => ctx.emit(LogEvent::WarningUnreachable { outbreak, from: caller, to: callee, link_down: None }),
        }
    }
    outbreak_mut(world, outbreak).calls = CallList { caller: Some(caller), pending, current: None, attempt: 0 };
    queue_next_call(world, ctx, outbreak);
    desks::dispatch(world, ctx, caller);
}

/// The national CSIRT called about `outbreak` for population `k` (only
/// populations with one are ever called).
fn callee_of(scenario: &Scenario, outbreak: OutbreakId, k: usize) -> CsirtId {
    scenario.national_csirt(scenario.outbreaks[outbreak].populations[k].nation).expect("a call has a callee")
}

/// Puts the next call, by the order in force now, on the caller's desk.
fn queue_next_call(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let now = ctx.now();
    let (caller, pending) = {
        let calls = &outbreak_mut(world, outbreak).calls;
        match calls.caller {
            Some(caller) if !calls.pending.is_empty() => (caller, calls.pending.clone()),
            _ => return,
        }
    };
    let order = &world.resource::<CallPolicy>().0;
    let awake = |csirt: CsirtId| desk(world, ctx.tables(), csirt).teams.iter().any(|t| t.capacity() > 0);
    let trust = |callee: CsirtId| trust::peers(world, caller, callee);
    let at = next_call(order, scenario, o, caller, &pending, (awake, trust));
    let k = pending[at];
    let callee = callee_of(scenario, outbreak, k);
    let order = order.name();
    {
        let calls = &mut outbreak_mut(world, outbreak).into_inner().calls;
        calls.pending.remove(at);
        calls.current = Some((k, now));
    }
    ctx.emit(LogEvent::CallQueued { outbreak, from: caller, to: callee, order });
    let coordination = &scenario.coordination;
    let job = Job { work: Work::Call { outbreak, callee: k }, tier: 1, effort: coordination.call_effort };
    desk_mut(world, ctx.tables(), caller).enqueue(now, coordination.call_priority, job);
}

/// Index in `pending` (populations, scenario order) of the one to call next:
/// the order's rank first, then the largest vulnerable population, then
/// scenario order.
pub(crate) fn next_call(
    order: &CallOrder,
    scenario: &Scenario,
    o: &crate::scenario::Outbreak,
    caller: CsirtId,
    pending: &[usize],
    (awake, trust): (impl Fn(CsirtId) -> bool, impl Fn(CsirtId) -> f64),
) -> usize {
    let from = &scenario.csirts[caller];
    let rank = |k: usize| -> i64 {
        let Some(callee) = scenario.national_csirt(o.populations[k].nation) else { return i64::MAX };
        let to = &scenario.csirts[callee];
        match order {
            CallOrder::LargestExposure => 0,
            CallOrder::RegionalFirst if from.regions.iter().any(|r| to.regions.contains(r)) => 0,
            CallOrder::RegionalFirst if from.first_member && to.first_member => 1,
            CallOrder::RegionalFirst => 2,
            // Trust now, in millionths, most trusted first.
            CallOrder::ByTrust => -(trust(callee) * 1e6).round() as i64,
            CallOrder::AwakeFirst => i64::from(!awake(callee)),
            CallOrder::List(ids) => ids.iter().position(|c| *c == callee).unwrap_or(ids.len()) as i64,
        }
    };
    (0..pending.len())
        .min_by_key(|i| {
            let k = pending[*i];
            (rank(k), std::cmp::Reverse(o.populations[k].vulnerable), k)
        })
        .expect("next_call needs a pending call")
}

/// A decision sets the call order: calls already queued or in hand go on; the
/// next callee of every outbreak is picked by the new order.
pub(crate) fn set_call_order(world: &mut World, ctx: &mut Ctx, order: &CallOrder) {
    world.resource_mut::<CallPolicy>().0 = order.clone();
    ctx.emit(LogEvent::CallOrderSet { order: order.clone() });
}

/// A decision sets the label of warnings: those arriving from now on carry it.
pub(crate) fn set_warning_tlp(world: &mut World, ctx: &mut Ctx, tlp: Tlp) {
    world.resource_mut::<WarningLabel>().0 = tlp;
    ctx.emit(LogEvent::WarningTlpSet { tlp });
}

/// An analyst picks up the outbreak's current call (after `callout` at night).
pub(crate) fn call_started(
    world: &mut World,
    ctx: &mut Ctx,
    outbreak: OutbreakId,
    k: usize,
    callout: SimDuration,
    effort: SimDuration,
) {
    let scenario = ctx.tables().scenario();
    let start = ctx.now() + callout;
    let calls = &outbreak_mut(world, outbreak).into_inner().calls;
    let (caller, since, attempt) =
        (calls.caller.expect("a call has a caller"), calls.current.map_or(start, |c| c.1), calls.attempt);
    let callee = callee_of(scenario, outbreak, k);
    ctx.schedule_in(callout + effort, CallDone { outbreak, attempt });
    ctx.emit(LogEvent::CallStarted { outbreak, from: caller, to: callee, waited: start - since, callout });
}

/// The analyst on the outbreak's current call goes off shift: the call goes
/// back in line with what is left of it.
pub(crate) fn call_handed_over(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, remaining: SimDuration) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let calls = &mut outbreak_mut(world, outbreak).into_inner().calls;
    calls.attempt += 1;
    let Some((k, since)) = calls.current.as_mut() else { return };
    *since = now;
    let (caller, k) = (calls.caller.expect("a call has a caller"), *k);
    let callee = callee_of(scenario, outbreak, k);
    ctx.emit(LogEvent::CallHandedOver { outbreak, from: caller, to: callee, remaining });
}

/// The latency of a call between two CSIRTs of different nations now: the
/// channel's, or the slower fallback when either's link abroad is down
/// (`Err` with that CSIRT when it has no fallback).
pub(crate) fn latency_now(
    world: &World,
    scenario: &Scenario,
    csirts: [CsirtId; 2],
    channel: SimDuration,
) -> Result<SimDuration, CsirtId> {
    let mut latency = channel;
    for csirt in csirts {
        let Some(link) = scenario.csirts[csirt].international_link else { continue };
        if infrastructure::level(world, link.asset) >= scenario.rules.link_down_below {
            continue;
        }
        latency = latency.max(link.fallback.ok_or(csirt)?);
    }
    Ok(latency)
}

/// A call ends: the warning is on its way (the channel's latency), and the
/// caller queues the next call.
fn call_done(world: &mut World, ctx: &mut Ctx, CallDone { outbreak, attempt }: CallDone) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let (caller, k) = {
        let calls = &mut outbreak_mut(world, outbreak).into_inner().calls;
        if calls.attempt != attempt {
            return;
        }
        let Some((k, _)) = calls.current.take() else { return };
        (calls.caller.expect("a call has a caller"), k)
    };
    let effort = scenario.coordination.call_effort;
    let worked =
        desk_mut(world, ctx.tables(), caller).release(now, Holder::Calls(outbreak)).map_or(effort, |start| now - start);
    let callee = callee_of(scenario, outbreak, k);
    ctx.emit(LogEvent::CallFinished { outbreak, from: caller, to: callee, effort: worked });
    let channel = scenario
        .coordination
        .channel(&scenario.csirts[caller], &scenario.csirts[callee])
        .expect("only reachable CSIRTs are called");
    let latency = match latency_now(world, scenario, [caller, callee], channel.latency) {
        Ok(latency) => latency,
        Err(down) => {
            outbreak_mut(world, outbreak).state.warning_unreachable[k] = true;
            ctx.emit(LogEvent::WarningUnreachable { outbreak, from: caller, to: callee, link_down: Some(down) });
            queue_next_call(world, ctx, outbreak);
            return desks::dispatch(world, ctx, caller);
        }
    };
    let channel = crate::scenario::Channel { latency, ..channel };
    outbreak_mut(world, outbreak).state.warning_sent_at[k] = Some(now);
    let arrives = now + channel.latency;
    ctx.emit(LogEvent::WarningSent { outbreak, from: caller, to: callee, arrives });
    ctx.schedule_in(channel.latency, WarningArrives { outbreak, population: k, from: caller });
    queue_next_call(world, ctx, outbreak);
    desks::dispatch(world, ctx, caller);
}

/// A warning reaches population `k`: its national CSIRT reads it as desk
/// work; a population without one is warned as it arrives.
fn warning_arrives(world: &mut World, ctx: &mut Ctx, WarningArrives { outbreak, population: k, from }: WarningArrives) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    match scenario.national_csirt(o.populations[k].nation) {
        Some(csirt) => super::reading::arrives(world, ctx, (outbreak, k), from, csirt),
        None => {
            let now = ctx.now();
            outbreak_mut(world, outbreak).state.warned(o, k, now);
        }
    }
}

/// `csirt`, the national CSIRT of population `k`, has read the warning from
/// `from`: it doubts it (the channel's trust), or is warned and holds it
/// under its label or passes it on.
pub(super) fn warning_read(
    world: &mut World,
    ctx: &mut Ctx,
    (outbreak, k): (OutbreakId, usize),
    (from, waited): (CsirtId, SimDuration),
    csirt: CsirtId,
) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let now = ctx.now();
    let trust = trust::peers(world, from, csirt);
    let mut entity = outbreak_mut(world, outbreak);
    if entity.trust.random::<f64>() >= trust {
        entity.state.warning_doubted_at[k].get_or_insert(now);
        ctx.emit(LogEvent::WarningDoubted { outbreak, csirt, waited });
        return;
    }
    let (first_time, share, news) = {
        let state = &mut outbreak_mut(world, outbreak).into_inner().state;
        let first_time = state.warned(o, k, now);
        (first_time, state.infected_share_when_warned[k].unwrap_or(0.0), state.detected_at[k].is_none())
    };
    if !first_time {
        return;
    }
    ctx.emit(LogEvent::WarningReceived { outbreak, csirt, infected_share: share, waited });
    // Acted on before the recipient noticed the outbreak itself: the warning
    // told it something it did not know.
    if news {
        let gain = scenario.trust.useful_warning;
        trust::change(world, ctx, Relation::peers(from, csirt), gain, TrustCause::UsefulWarning(outbreak));
    }
    // The label in force decides whether the CSIRT may pass the warning to its
    // constituents, who are the ones to protect themselves.
    let tlp = world.resource::<WarningLabel>().0;
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
    if violation {
        let loss = -scenario.trust.tlp_breach;
        trust::change(world, ctx, Relation::peers(from, csirt), loss, TrustCause::TlpBreach(outbreak));
    }
    super::relay::pass_on(world, ctx, outbreak, k, from);
}
