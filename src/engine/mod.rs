//! The discrete-event kernel: simulated time, the future-event list, named random
//! streams and the duration distributions scenarios may use.
//!
//! # Ordering contract
//!
//! Everything that makes ttx reproducible rests on these rules; a change to any of
//! them is a breaking change to every stored result.
//!
//! 1. Simulated time is an integer number of seconds since the scenario start
//!    ([`SimTime`]). There is no floating-point clock anywhere.
//! 2. Every scheduled event receives a sequence number from a counter that only
//!    grows. The future-event list pops the smallest `(time, sequence)` first, so
//!    events due at the same second run in the order they were scheduled (FIFO).
//! 3. A handler may only schedule events at or after the current time
//!    ([`Ctx::schedule_in`] takes a non-negative delay), so popped times never
//!    decrease. What a handler schedules is given its sequence numbers in the
//!    order it scheduled it, before any later event runs.
//! 4. A replication owns one `bevy_ecs::World` and runs on the thread that calls
//!    the kernel. An event's handler runs to its end before the next event is
//!    popped, and what it does (and the domain events it emits) happens in the
//!    order its code says. ttx builds `bevy_ecs` without its `multi_threaded`
//!    feature; the simulation is parallel only across replications (the one
//!    other thread, events.csv's writer, formats rows already emitted, in order).
//! 5. All randomness comes from [`RngStreams`]: one ChaCha8 key per replication and
//!    one ChaCha stream per named stochastic process. Adding a process adds a stream;
//!    it never shifts the numbers another process sees.
//! 6. The kernel stops at the horizon (events due after it are never run), when the
//!    list is empty, before an event a caller asked to stop at, or with
//!    [`BudgetExceeded`] once the event budget is spent.

pub mod calendar;
mod distribution;
mod event_queue;
mod kernel;
mod rng_streams;
mod sim_time;

pub use distribution::{DistributionError, DurationDistribution};
pub use event_queue::{EventQueue, Scheduled};
pub use kernel::{
    Budget, BudgetExceeded, Ctx, Model, Scheduler, SimEvent, StopReason, TRACKER_PERIOD, run_until, schedule_in, step,
};
pub use rng_streams::{RngStreams, stream_id};
pub use sim_time::{DurationParseError, SimDuration, SimTime, format_duration, parse_duration};
