//! Passing a warning on: a CSIRT that may forward a warning to its
//! constituents does so as desk work (`notify_effort`, in the call lane, after
//! any call-out at night), and, when the scenario says a call does not carry
//! everything (`answer_effort`), first asks the warning's sender for the
//! details, which the sender answers as desk work of its own. Each leg between
//! two nations travels at the latency of their channel now (the fallback while
//! a link abroad is down). Protection starts when the constituents have the
//! notice: `constituent_latency` after it is sent, then `preparation`.
//!
//! So a worm's origin CERT answers as many requests as it made calls, and a
//! two-person desk that is handling incidents passes warnings on late.

use super::warnings::{ProtectionReady, latency_now};
use super::{Outbreak, outbreak_mut};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::model::desks::{self, Holder, Job, Work, desk_mut};
use crate::model::event_log::LogEvent;
use crate::model::world::{Ctx, Ttx};
use crate::scenario::{CsirtId, OutbreakId, Scenario};
use bevy_ecs::world::World;

/// One outbreak's requests and notifications, per population: who sent the
/// warning, since when each piece of work waits, and the attempt a done event
/// must match (bumped at each hand-over).
#[derive(Debug, Clone, Default)]
pub(crate) struct Relay {
    sender: Vec<Option<CsirtId>>,
    notify: Vec<Pending>,
    answer: Vec<Pending>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Pending {
    /// Queued at.
    since: Option<SimTime>,
    /// First picked up at (after any call-out).
    started: Option<SimTime>,
    attempt: u32,
}

impl Pending {
    /// From queued to first picked up.
    fn waited(&self) -> SimDuration {
        match (self.since, self.started) {
            (Some(since), Some(started)) => started.saturating_since(since),
            _ => SimDuration::ZERO,
        }
    }
}

impl Relay {
    pub(crate) fn new(populations: usize) -> Self {
        Self {
            sender: vec![None; populations],
            notify: vec![Pending::default(); populations],
            answer: vec![Pending::default(); populations],
        }
    }
}

/// The request of population `population`'s CSIRT reaches the warning's sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestArrives {
    pub outbreak: OutbreakId,
    pub population: usize,
}

/// The sender's answer to population `population`'s CSIRT reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerArrives {
    pub outbreak: OutbreakId,
    pub population: usize,
}

/// The analyst answering population `population`'s request finishes (stale
/// after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerDone {
    pub outbreak: OutbreakId,
    pub population: usize,
    pub attempt: u32,
}

/// The analyst passing the warning on to population `population`'s
/// constituents finishes (stale after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotifyDone {
    pub outbreak: OutbreakId,
    pub population: usize,
    pub attempt: u32,
}

fn csirt_of(scenario: &Scenario, outbreak: OutbreakId, k: usize) -> CsirtId {
    scenario.national_csirt(scenario.outbreaks[outbreak].populations[k].nation).expect("only CSIRTs pass warnings on")
}

fn relay_mut(world: &mut World, outbreak: OutbreakId) -> &mut Relay {
    &mut outbreak_mut(world, outbreak).into_inner().relay
}

/// The CSIRT of population `k` has a warning from `from` it may pass on: it
/// asks for the details first when the scenario says so, else queues the
/// notification.
pub(super) fn pass_on(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, k: usize, from: CsirtId) {
    let scenario = ctx.tables().scenario();
    relay_mut(world, outbreak).sender[k] = Some(from);
    if scenario.coordination.answer_effort.is_none() {
        return queue_notify(world, ctx, outbreak, k);
    }
    let csirt = csirt_of(scenario, outbreak, k);
    let leg = leg_latency(world, scenario, csirt, from);
    ctx.emit(LogEvent::DetailsRequested { outbreak, from: csirt, to: from, link_down: leg.err() });
    match leg {
        Ok(latency) => ctx.schedule_in(latency, RequestArrives { outbreak, population: k }),
        Err(_) => queue_notify(world, ctx, outbreak, k),
    }
}

/// The latency between two CSIRTs now (their channel's, or the fallback of a
/// link abroad that is down); `Err` with a CSIRT whose link is down with no
/// fallback.
fn leg_latency(world: &World, scenario: &Scenario, a: CsirtId, b: CsirtId) -> Result<SimDuration, CsirtId> {
    let channel = scenario
        .coordination
        .channel(&scenario.csirts[a], &scenario.csirts[b])
        .expect("a warning came over this channel");
    latency_now(world, scenario, [a, b], channel.latency)
}

fn queue_notify(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, k: usize) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let csirt = csirt_of(scenario, outbreak, k);
    relay_mut(world, outbreak).notify[k].since = Some(now);
    let coordination = &scenario.coordination;
    let job = Job { work: Work::Notify { outbreak, population: k }, tier: 1, effort: coordination.notify_effort };
    desk_mut(world, ctx.tables(), csirt).enqueue(now, coordination.call_priority, job);
    desks::dispatch(world, ctx, csirt);
}

impl SimEvent<Ttx> for RequestArrives {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let RequestArrives { outbreak, population: k } = *self;
        let scenario = ctx.tables().scenario();
        let now = ctx.now();
        let sender = {
            let relay = relay_mut(world, outbreak);
            relay.answer[k].since = Some(now);
            relay.sender[k].expect("a request answers a warning")
        };
        let coordination = &scenario.coordination;
        let effort = coordination.answer_effort.expect("requests only with an answer effort");
        let job = Job { work: Work::Answer { outbreak, population: k }, tier: 1, effort };
        desk_mut(world, ctx.tables(), sender).enqueue(now, coordination.call_priority, job);
        desks::dispatch(world, ctx, sender);
    }
}

/// An analyst picks up a notification or an answer (after `callout` at night).
pub(crate) fn relay_started(world: &mut World, ctx: &mut Ctx, work: Work, callout: SimDuration, effort: SimDuration) {
    let start = ctx.now() + callout;
    match work {
        Work::Notify { outbreak, population } => {
            let Outbreak { relay, .. } = &mut *outbreak_mut(world, outbreak);
            relay.notify[population].started.get_or_insert(start);
            let attempt = relay.notify[population].attempt;
            ctx.schedule_in(callout + effort, NotifyDone { outbreak, population, attempt });
        }
        Work::Answer { outbreak, population } => {
            let pending = &mut relay_mut(world, outbreak).answer[population];
            pending.started.get_or_insert(start);
            let attempt = pending.attempt;
            ctx.schedule_in(callout + effort, AnswerDone { outbreak, population, attempt });
        }
        _ => unreachable!("only notifications and answers are relayed"),
    }
}

/// The analyst on a notification or an answer went off shift: it waits again
/// (the desk put it back in line); the pending done event is stale.
pub(crate) fn relay_handed_over(
    world: &mut World,
    ctx: &mut Ctx,
    csirt: CsirtId,
    holder: Holder,
    remaining: SimDuration,
) {
    let (outbreak, work) = match holder {
        Holder::Notify(outbreak, k) => {
            relay_mut(world, outbreak).notify[k].attempt += 1;
            (outbreak, "notify")
        }
        Holder::Answer(outbreak, k) => {
            relay_mut(world, outbreak).answer[k].attempt += 1;
            (outbreak, "answer")
        }
        _ => unreachable!("only notifications and answers are relayed"),
    };
    ctx.emit(LogEvent::CoordinationHandedOver { outbreak, csirt, work, remaining });
}

impl SimEvent<Ttx> for AnswerDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let AnswerDone { outbreak, population: k, attempt } = *self;
        let scenario = ctx.tables().scenario();
        let now = ctx.now();
        let (sender, waited) = {
            let relay = relay_mut(world, outbreak);
            if relay.answer[k].attempt != attempt {
                return;
            }
            (relay.sender[k].expect("an answer has a sender"), relay.answer[k].waited())
        };
        let effort = scenario.coordination.answer_effort.unwrap_or(SimDuration::ZERO);
        let start = desk_mut(world, ctx.tables(), sender).release(now, Holder::Answer(outbreak, k));
        let worked = start.map_or(effort, |s| now - s);
        let requester = csirt_of(scenario, outbreak, k);
        let leg = leg_latency(world, scenario, sender, requester);
        let link_down = leg.err();
        ctx.emit(LogEvent::DetailsAnswered {
            outbreak,
            from: sender,
            to: requester,
            waited,
            effort: worked,
            link_down,
        });
        match leg {
            Ok(latency) => ctx.schedule_in(latency, AnswerArrives { outbreak, population: k }),
            // The answer cannot go back: the requester gives up waiting and
            // notifies without the details (judgement).
            Err(_) => queue_notify(world, ctx, outbreak, k),
        }
        desks::dispatch(world, ctx, sender);
    }
}

impl SimEvent<Ttx> for AnswerArrives {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        queue_notify(world, ctx, self.outbreak, self.population);
    }
}

impl SimEvent<Ttx> for NotifyDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let NotifyDone { outbreak, population: k, attempt } = *self;
        let scenario = ctx.tables().scenario();
        let now = ctx.now();
        let waited = {
            let relay = relay_mut(world, outbreak);
            if relay.notify[k].attempt != attempt {
                return;
            }
            relay.notify[k].waited()
        };
        let csirt = csirt_of(scenario, outbreak, k);
        let effort = scenario.coordination.notify_effort;
        let start = desk_mut(world, ctx.tables(), csirt).release(now, Holder::Notify(outbreak, k));
        let worked = start.map_or(effort, |s| now - s);
        ctx.emit(LogEvent::ConstituentsNotified { outbreak, csirt, waited, effort: worked });
        let coordination = &scenario.coordination;
        ctx.schedule_in(
            coordination.constituent_latency + coordination.preparation,
            ProtectionReady { outbreak, population: k },
        );
        desks::dispatch(world, ctx, csirt);
    }
}
