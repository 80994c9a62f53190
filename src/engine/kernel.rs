//! The kernel: the [`Scheduler`] resource (clock and future-event list) and the
//! loop that pops the next event and fires it into the World.
//!
//! The kernel knows no mechanic. Each mechanic defines its own event types and
//! implements [`SimEvent`] for them; firing one runs its mechanic's handler with
//! the whole World and the event's [`Ctx`], synchronously. The loop, per event:
//! pop the smallest `(time, sequence)`, set the clock, fire, queue what the handler scheduled
//! (in the order it scheduled it), hand what it emitted to the caller (the
//! model's domain events, for the log and the scores), and every
//! [`TRACKER_PERIOD`] events clear bevy's change trackers so that removed
//! components do not pile up in memory.

use super::{EventQueue, SimDuration, SimTime};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::any::Any;
use std::fmt;

/// What a model built on the kernel brings: the domain events its handlers
/// emit, and the read-only tables they all consult (the scenario, the entity of
/// each CSIRT's desk...), handed to every handler in its [`Ctx`] so that the hot
/// path never looks them up in the World (a resource lookup costs about as
/// much as a small handler).
pub trait Model: 'static {
    type Log: Send + Sync + 'static;
    type Tables: Send + Sync + 'static;
}

/// Something the future-event list can hold: a mechanic's event, carried out by
/// its mechanic's handler when it comes due.
///
/// Handlers get `&mut World` and run to the end before the next event: a step
/// that finishes queues the next step and starts whatever the analyst can take,
/// all at once, in the order written in the handler. (bevy observers defer
/// spawns and nested triggers to the flush, which would reorder that cascade.)
pub trait SimEvent<M: Model>: Any + Send + Sync {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx<'_, M>);
}

/// A handler's view of the kernel while its event runs: the clock, the model's
/// tables, the events it schedules and the domain events it emits, committed
/// when it returns. Handlers pass it down to whatever they call, so the hot path
/// never looks the scheduler up in the World.
pub struct Ctx<'t, M: Model> {
    now: SimTime,
    tables: &'t M::Tables,
    scheduled: Vec<(SimDuration, Box<dyn SimEvent<M>>)>,
    emitted: Vec<M::Log>,
    halted: Option<(Budget, u64)>,
}

impl<'t, M: Model> Ctx<'t, M> {
    fn new(tables: &'t M::Tables) -> Self {
        Self { now: SimTime::ZERO, tables, scheduled: Vec::new(), emitted: Vec::new(), halted: None }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The model's read-only tables, for as long as the run (not tied to this borrow).
    pub fn tables(&self) -> &'t M::Tables {
        self.tables
    }

    /// Schedules `event` after `delay`. A delay, not an absolute time, so nothing
    /// can be scheduled in the past (ordering contract, rule 3). Sequence numbers
    /// are given in the order of these calls.
    pub fn schedule_in(&mut self, delay: SimDuration, event: impl SimEvent<M>) {
        self.scheduled.push((delay, Box::new(event)));
    }

    /// Emits a domain event: it is handed out with this event's time and sequence.
    pub fn emit(&mut self, event: M::Log) {
        self.emitted.push(event);
    }

    /// Asks the kernel to stop once this event is handled: the model has
    /// exceeded `budget` of `kind`. Handlers cannot return errors; this is how a
    /// bound they watch stops the run with one.
    pub fn halt(&mut self, kind: Budget, budget: u64) {
        self.halted.get_or_insert((kind, budget));
    }
}

/// Every this many events the kernel clears bevy's trackers of removed
/// components (about 16 bytes per despawned incident otherwise, never freed).
pub const TRACKER_PERIOD: u64 = 1024;

/// Why [`run_until`] returned without error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The clock reached the requested time; events due later are still pending.
    ReachedTime,
    /// No event is left to run.
    Exhausted,
    /// The next event is one the caller asked to stop before; it has not run.
    StoppedBefore,
}

/// What a run ran out of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Events handled: a scenario whose events feed each other without end.
    Events,
    /// Incidents held in memory at once (a model's bound, see
    /// [`Scheduler::halt`]): arrivals that outpace handling, or a run so long
    /// its records would exhaust memory.
    Incidents,
}

/// The run hit one of its bounds and stopped, rather than run for ever or
/// exhaust memory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BudgetExceeded {
    pub budget: u64,
    pub time: SimTime,
    pub kind: Budget,
}

impl fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = super::format_duration(self.time.since_start());
        match self.kind {
            Budget::Events => write!(
                f,
                "the run exceeded its budget of {} events at T+{at}; a scenario that keeps scheduling events must end (raise the budget with --max-events if the run is really this large)",
                self.budget
            ),
            Budget::Incidents => write!(
                f,
                "the run held more than {} incidents in memory at T+{at} and stopped before exhausting memory: incidents arrive faster than the CSIRTs close them, or the run is very long (the bound is one incident for every 25 events of --max-events; raise that if the machine has the memory, about 0.75 KB an incident)",
                self.budget
            ),
        }
    }
}

/// The clock and the future-event list, a resource of the replication's World.
#[derive(Resource)]
pub struct Scheduler<M: Model> {
    now: SimTime,
    sequence: u64,
    queue: EventQueue<Box<dyn SimEvent<M>>>,
    /// A bound a handler found exceeded: the kernel stops after the event.
    halted: Option<(Budget, u64)>,
    processed: u64,
    budget: u64,
}

impl<M: Model> Scheduler<M> {
    /// `budget` is the most events this replication may run in total.
    pub fn new(budget: u64) -> Self {
        Self { now: SimTime::ZERO, sequence: 0, queue: EventQueue::default(), halted: None, processed: 0, budget }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Events run so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Schedules `event` after `delay` from outside a handler (a mechanic's
    /// first events at install, the facilitator's inject).
    pub fn schedule_in(&mut self, delay: SimDuration, event: impl SimEvent<M>) -> u64 {
        let time = self.now.saturating_add(delay);
        self.queue.push(time, Box::new(event))
    }

    /// The next event and when it is due, without running it.
    pub fn peek(&self) -> Option<(SimTime, &dyn SimEvent<M>)> {
        self.queue.peek().map(|s| (s.time, s.event.as_ref()))
    }

    /// Pops the next event and sets the clock to it.
    fn pop_next(&mut self) -> Result<Option<Next<M>>, BudgetExceeded> {
        let Some(next) = self.queue.pop() else {
            return Ok(None);
        };
        self.now = next.time;
        if self.processed >= self.budget {
            return Err(BudgetExceeded { budget: self.budget, time: next.time, kind: Budget::Events });
        }
        self.processed += 1;
        self.sequence = next.sequence;
        Ok(Some(Next { event: next.event, time: next.time, sequence: next.sequence, processed: self.processed }))
    }

    /// Queues what the handler scheduled, in the order it did.
    fn commit(&mut self, ctx: &mut Ctx<'_, M>) {
        for (delay, event) in ctx.scheduled.drain(..) {
            self.queue.push(self.now.saturating_add(delay), event);
        }
        if let Some(h) = ctx.halted.take() {
            self.halted.get_or_insert(h);
        }
    }

    /// The bound a handler found exceeded, as the error the run stops with.
    fn halted(&self) -> Result<(), BudgetExceeded> {
        match self.halted {
            Some((kind, budget)) => Err(BudgetExceeded { budget, time: self.now, kind }),
            None => Ok(()),
        }
    }
}

struct Next<M: Model> {
    event: Box<dyn SimEvent<M>>,
    time: SimTime,
    sequence: u64,
    processed: u64,
}

/// Fires a popped event with `ctx` (the caller's, reused so its buffers are
/// allocated once) and hands `after` what it emitted (with its time and
/// sequence); what it scheduled stays in `ctx` until the scheduler commits it (at the
/// caller's next lookup of the scheduler: one per event).
///
/// Handlers change the World directly (`&mut World`), so there are no queued
/// commands to apply and the kernel does not `flush` (it cost 8% of a run). A
/// handler that queues commands (`world.commands()`) must flush them itself.
fn fire<M: Model>(
    world: &mut World,
    next: Next<M>,
    ctx: &mut Ctx<'_, M>,
    after: &mut impl FnMut(&mut World, SimTime, u64, &mut Vec<M::Log>),
) {
    ctx.now = next.time;
    next.event.fire(world, ctx);
    after(world, next.time, next.sequence, &mut ctx.emitted);
    ctx.emitted.clear();
    if next.processed.is_multiple_of(TRACKER_PERIOD) {
        world.clear_trackers();
        world.check_change_ticks();
    }
}

/// Schedules `event` after `delay` on the World's [`Scheduler`], from outside a handler.
pub fn schedule_in<M: Model>(world: &mut World, delay: SimDuration, event: impl SimEvent<M>) -> u64 {
    world.resource_mut::<Scheduler<M>>().schedule_in(delay, event)
}

/// Runs the next event if there is one, whatever its time, then hands `after`
/// what it emitted.
pub fn step<M: Model>(
    world: &mut World,
    tables: &M::Tables,
    after: &mut impl FnMut(&mut World, SimTime, u64, &mut Vec<M::Log>),
) -> Result<bool, BudgetExceeded> {
    let mut scheduler = world.resource_mut::<Scheduler<M>>();
    scheduler.halted()?;
    let Some(next) = scheduler.pop_next()? else { return Ok(false) };
    let mut ctx = Ctx::new(tables);
    fire(world, next, &mut ctx, after);
    let mut scheduler = world.resource_mut::<Scheduler<M>>();
    scheduler.commit(&mut ctx);
    scheduler.halted()?;
    Ok(true)
}

/// Runs every event due at or before `until`, in `(time, sequence)` order, but
/// stops before the first event for which `stop_before` is true (a decision
/// point the facilitator must answer). On [`StopReason::ReachedTime`] the clock
/// is advanced to `until`, so time-weighted statistics cover the whole span.
pub fn run_until<M: Model>(
    world: &mut World,
    tables: &M::Tables,
    until: SimTime,
    mut stop_before: impl FnMut(&dyn SimEvent<M>) -> bool,
    mut after: impl FnMut(&mut World, SimTime, u64, &mut Vec<M::Log>),
) -> Result<StopReason, BudgetExceeded> {
    let mut ctx = Ctx::new(tables);
    loop {
        let mut scheduler = world.resource_mut::<Scheduler<M>>();
        scheduler.commit(&mut ctx);
        scheduler.halted()?;
        let Some((time, event)) = scheduler.peek() else {
            return Ok(StopReason::Exhausted);
        };
        if time > until {
            scheduler.now = scheduler.now.max(until);
            return Ok(StopReason::ReachedTime);
        }
        if stop_before(event) {
            return Ok(StopReason::StoppedBefore);
        }
        if let Some(next) = scheduler.pop_next()? {
            fire(world, next, &mut ctx, &mut after);
        }
    }
}
