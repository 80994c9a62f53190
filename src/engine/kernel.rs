//! The kernel: the [`Scheduler`] resource (clock and future-event list) and the
//! loop that pops the next event and fires it into the World.
//!
//! The kernel knows no mechanic. Each mechanic defines its own event types and
//! implements [`SimEvent`] for them; firing one runs its mechanic's handler with
//! the whole World, synchronously. The loop, per event: pop the smallest
//! `(time, sequence)`, set the clock, fire, `world.flush()` (commands queued by
//! hooks or observers), let the caller drain what the event produced (the model
//! hands its domain events to the log and the scores), and every
//! [`TRACKER_PERIOD`] events clear bevy's change trackers so that removed
//! components do not pile up in memory.

use super::{EventQueue, SimDuration, SimTime};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::any::Any;
use std::fmt;

/// Something the future-event list can hold: a mechanic's event, carried out by
/// its mechanic's handler when it comes due.
///
/// Handlers get `&mut World` and run to the end before the next event: a step
/// that finishes queues the next step and starts whatever the analyst can take,
/// all at once, in the order written in the handler. (bevy observers defer
/// spawns and nested triggers to the flush, which would reorder that cascade.)
pub trait SimEvent: Any + Send + Sync {
    fn fire(self: Box<Self>, world: &mut World);
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
        let at = super::format_duration(self.time);
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

/// The clock and the future-event list, a resource of the replication's World:
/// handlers read the time and schedule events through it.
#[derive(Resource)]
pub struct Scheduler {
    now: SimTime,
    sequence: u64,
    queue: EventQueue<Box<dyn SimEvent>>,
    /// A bound a handler found exceeded: the kernel stops after the event.
    halted: Option<(Budget, u64)>,
    processed: u64,
    budget: u64,
}

impl Scheduler {
    /// `budget` is the most events this replication may run in total.
    pub fn new(budget: u64) -> Self {
        Self { now: 0, sequence: 0, queue: EventQueue::default(), halted: None, processed: 0, budget }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Sequence number of the event being handled: lets logs tie a row to the
    /// kernel's order.
    pub fn current_sequence(&self) -> u64 {
        self.sequence
    }

    /// Events run so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Schedules `event` after `delay`. A delay, not an absolute time, so nothing
    /// can be scheduled in the past (ordering contract, rule 3).
    pub fn schedule_in(&mut self, delay: SimDuration, event: impl SimEvent) -> u64 {
        let time = self.now.saturating_add(delay);
        self.queue.push(time, Box::new(event))
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// The next event and when it is due, without running it.
    pub fn peek(&self) -> Option<(SimTime, &dyn SimEvent)> {
        self.queue.peek().map(|s| (s.time, s.event.as_ref()))
    }

    /// Asks the kernel to stop once the current event is handled: the model has
    /// exceeded `budget` of `kind`. Handlers cannot return errors; this is how a
    /// bound they watch stops the run with one.
    pub fn halt(&mut self, kind: Budget, budget: u64) {
        self.halted.get_or_insert((kind, budget));
    }
}

/// Schedules `event` after `delay` on the World's [`Scheduler`].
pub fn schedule_in(world: &mut World, delay: SimDuration, event: impl SimEvent) -> u64 {
    world.resource_mut::<Scheduler>().schedule_in(delay, event)
}

/// The World's clock.
pub fn now(world: &World) -> SimTime {
    world.resource::<Scheduler>().now
}

/// Runs the next event if there is one, whatever its time, then hands the World
/// to `after` (which sees the event's effects before anything else runs).
pub fn step(world: &mut World, after: &mut impl FnMut(&mut World)) -> Result<bool, BudgetExceeded> {
    let mut scheduler = world.resource_mut::<Scheduler>();
    let Some(next) = scheduler.queue.pop() else {
        return Ok(false);
    };
    scheduler.now = next.time;
    if scheduler.processed >= scheduler.budget {
        return Err(BudgetExceeded { budget: scheduler.budget, time: next.time, kind: Budget::Events });
    }
    scheduler.processed += 1;
    scheduler.sequence = next.sequence;
    let processed = scheduler.processed;
    next.event.fire(world);
    world.flush();
    after(world);
    if processed.is_multiple_of(TRACKER_PERIOD) {
        world.clear_trackers();
        world.check_change_ticks();
    }
    let scheduler = world.resource::<Scheduler>();
    match scheduler.halted {
        Some((kind, budget)) => Err(BudgetExceeded { budget, time: scheduler.now, kind }),
        None => Ok(true),
    }
}

/// Runs every event due at or before `until`, in `(time, sequence)` order, but
/// stops before the first event for which `stop_before` is true (a decision
/// point the facilitator must answer). On [`StopReason::ReachedTime`] the clock
/// is advanced to `until`, so time-weighted statistics cover the whole span.
pub fn run_until(
    world: &mut World,
    until: SimTime,
    mut stop_before: impl FnMut(&dyn SimEvent) -> bool,
    mut after: impl FnMut(&mut World),
) -> Result<StopReason, BudgetExceeded> {
    loop {
        let mut scheduler = world.resource_mut::<Scheduler>();
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
        step(world, &mut after)?;
    }
}
