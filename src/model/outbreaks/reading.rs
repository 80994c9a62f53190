//! Reading a warning: a warning that reaches a national CSIRT is desk work
//! (`read_effort`, in the call lane): someone must be awake to read it and
//! decide (doubt it, hold it under its TLP label, or pass it on). At night the
//! on-call analyst reads it after the call-out delay, or it waits for the
//! next shift. Warnings from several senders are read one after another.

use super::{outbreak_mut, warnings};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::model::desks::{self, Holder, Job, Work, desk_mut};
use crate::model::event_log::LogEvent;
use crate::model::world::{Ctx, Ttx};
use crate::scenario::{CsirtId, OutbreakId};
use bevy_ecs::world::World;
use std::collections::VecDeque;

/// One outbreak's warnings waiting to be read, per population.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading {
    /// Senders whose warnings have arrived and wait, first arrived first.
    waiting: Vec<VecDeque<CsirtId>>,
    /// The read queued or in hand: since when its warning waits.
    current: Vec<Option<SimTime>>,
    /// Bumped at each hand-over: a [`ReadDone`] of an older attempt is stale.
    attempt: Vec<u32>,
    /// From arrival to first picked up (a call-out included), of the read in hand.
    waited: Vec<Option<SimDuration>>,
}

impl Reading {
    pub(crate) fn new(populations: usize) -> Self {
        Self {
            waiting: vec![VecDeque::new(); populations],
            current: vec![None; populations],
            attempt: vec![0; populations],
            waited: vec![None; populations],
        }
    }
}

/// The analyst reading population `population`'s warning finishes (stale
/// after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadDone {
    pub outbreak: OutbreakId,
    pub population: usize,
    pub attempt: u32,
}

fn reading_mut(world: &mut World, outbreak: OutbreakId) -> &mut Reading {
    &mut outbreak_mut(world, outbreak).into_inner().reading
}

/// A warning from `from` reaches `csirt`, the national CSIRT of population `k`.
pub(super) fn arrives(
    world: &mut World,
    ctx: &mut Ctx,
    (outbreak, k): (OutbreakId, usize),
    from: CsirtId,
    csirt: CsirtId,
) {
    let reading = reading_mut(world, outbreak);
    reading.waiting[k].push_back(from);
    if reading.current[k].is_none() {
        queue_read(world, ctx, (outbreak, k), csirt);
    }
}

fn queue_read(world: &mut World, ctx: &mut Ctx, (outbreak, k): (OutbreakId, usize), csirt: CsirtId) {
    let now = ctx.now();
    reading_mut(world, outbreak).current[k] = Some(now);
    let coordination = &ctx.tables().scenario().coordination;
    let job = Job { work: Work::Read { outbreak, population: k }, tier: 1, effort: coordination.read_effort };
    desk_mut(world, ctx.tables(), csirt).enqueue(now, coordination.call_priority, job);
    desks::dispatch(world, ctx, csirt);
}

/// An analyst picks up a warning to read (after `callout` at night).
pub(crate) fn read_started(
    world: &mut World,
    ctx: &mut Ctx,
    (outbreak, k): (OutbreakId, usize),
    callout: SimDuration,
    effort: SimDuration,
) {
    let start = ctx.now() + callout;
    let entity = outbreak_mut(world, outbreak).into_inner();
    let since = entity.reading.current[k].unwrap_or(start);
    entity.state.warning_read_after[k].get_or_insert(start.saturating_since(since));
    entity.reading.waited[k].get_or_insert(start.saturating_since(since));
    let attempt = entity.reading.attempt[k];
    ctx.schedule_in(callout + effort, ReadDone { outbreak, population: k, attempt });
}

/// The analyst reading went off shift: the read waits again.
pub(crate) fn read_handed_over(
    world: &mut World,
    ctx: &mut Ctx,
    csirt: CsirtId,
    (outbreak, k): (OutbreakId, usize),
    remaining: SimDuration,
) {
    reading_mut(world, outbreak).attempt[k] += 1;
    ctx.emit(LogEvent::CoordinationHandedOver { outbreak, csirt, work: "read", remaining });
}

impl SimEvent<Ttx> for ReadDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let ReadDone { outbreak, population: k, attempt } = *self;
        let now = ctx.now();
        let (from, more) = {
            let reading = reading_mut(world, outbreak);
            if reading.attempt[k] != attempt {
                return;
            }
            reading.current[k] = None;
            let from = reading.waiting[k].pop_front().expect("a read has a warning");
            let waited = reading.waited[k].take().unwrap_or(SimDuration::ZERO);
            ((from, waited), !reading.waiting[k].is_empty())
        };
        let scenario = ctx.tables().scenario();
        let csirt =
            scenario.national_csirt(scenario.outbreaks[outbreak].populations[k].nation).expect("read by a CSIRT");
        desk_mut(world, ctx.tables(), csirt).release(now, Holder::Read(outbreak, k));
        warnings::warning_read(world, ctx, (outbreak, k), from, csirt);
        if more {
            queue_read(world, ctx, (outbreak, k), csirt);
        }
        desks::dispatch(world, ctx, csirt);
    }
}
