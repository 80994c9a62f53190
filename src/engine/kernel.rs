//! Runs a replication: pops events in order and hands each to the model's handler.

use super::{EventQueue, Scheduled, SimDuration, SimTime};
use std::fmt;

/// Why [`Kernel::run_until`] returned without error.
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl std::error::Error for BudgetExceeded {}

/// What a handler may do to the future: read the clock and schedule events.
pub struct Scheduler<E> {
    now: SimTime,
    sequence: u64,
    queue: EventQueue<E>,
    /// A bound a handler found exceeded: the kernel stops after the event.
    halted: Option<(Budget, u64)>,
}

impl<E> Scheduler<E> {
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Sequence number of the event being handled: lets logs tie a row to the
    /// kernel's order.
    pub fn current_sequence(&self) -> u64 {
        self.sequence
    }

    /// Schedules `event` after `delay`. A delay, not an absolute time, so nothing
    /// can be scheduled in the past (ordering contract, rule 3).
    pub fn schedule_in(&mut self, delay: SimDuration, event: E) -> u64 {
        let time = self.now.saturating_add(delay);
        self.queue.push(time, event)
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Asks the kernel to stop once the current event is handled: the model has
    /// exceeded `budget` of `kind`. Handlers cannot return errors; this is how a
    /// bound they watch stops the run with one.
    pub fn halt(&mut self, kind: Budget, budget: u64) {
        self.halted.get_or_insert((kind, budget));
    }
}

/// The event loop of one replication. The model is passed in as a handler closure
/// so that the kernel knows nothing of CSIRTs, and the World stays with the caller.
pub struct Kernel<E> {
    scheduler: Scheduler<E>,
    processed: u64,
    budget: u64,
}

impl<E> Kernel<E> {
    /// `budget` is the most events this replication may run in total.
    pub fn new(budget: u64) -> Self {
        Self {
            scheduler: Scheduler { now: 0, sequence: 0, queue: EventQueue::default(), halted: None },
            processed: 0,
            budget,
        }
    }

    pub fn now(&self) -> SimTime {
        self.scheduler.now
    }

    pub fn processed(&self) -> u64 {
        self.processed
    }

    pub fn scheduler(&mut self) -> &mut Scheduler<E> {
        &mut self.scheduler
    }

    pub fn peek(&self) -> Option<&Scheduled<E>> {
        self.scheduler.queue.peek()
    }

    /// Runs the next event if there is one, whatever its time.
    pub fn step(&mut self, handler: &mut impl FnMut(&mut Scheduler<E>, E)) -> Result<bool, BudgetExceeded> {
        let Some(next) = self.scheduler.queue.pop() else {
            return Ok(false);
        };
        if self.processed >= self.budget {
            self.scheduler.now = next.time;
            return Err(BudgetExceeded { budget: self.budget, time: next.time, kind: Budget::Events });
        }
        self.processed += 1;
        self.scheduler.now = next.time;
        self.scheduler.sequence = next.sequence;
        handler(&mut self.scheduler, next.event);
        match self.scheduler.halted {
            Some((kind, budget)) => Err(BudgetExceeded { budget, time: self.scheduler.now, kind }),
            None => Ok(true),
        }
    }

    /// Runs every event due at or before `until`, in `(time, sequence)` order, but
    /// stops before the first event for which `stop_before` is true (a decision
    /// point the facilitator must answer). On [`StopReason::ReachedTime`] the clock
    /// is advanced to `until`, so time-weighted statistics cover the whole span.
    pub fn run_until(
        &mut self,
        until: SimTime,
        mut stop_before: impl FnMut(&E) -> bool,
        mut handler: impl FnMut(&mut Scheduler<E>, E),
    ) -> Result<StopReason, BudgetExceeded> {
        loop {
            let Some(next) = self.scheduler.queue.peek() else {
                return Ok(StopReason::Exhausted);
            };
            if next.time > until {
                self.scheduler.now = self.scheduler.now.max(until);
                return Ok(StopReason::ReachedTime);
            }
            if stop_before(&next.event) {
                return Ok(StopReason::StoppedBefore);
            }
            self.step(&mut handler)?;
        }
    }
}
