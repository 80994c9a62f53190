//! The ordering contract of the kernel, checked on random schedules.

use proptest::prelude::*;
use ttx::engine::{EventQueue, Kernel, StopReason};

proptest! {
    /// Pops come out in non-decreasing time, and FIFO (by sequence) among ties.
    #[test]
    fn queue_pops_in_time_then_fifo_order(times in prop::collection::vec(0u64..50, 1..300)) {
        let mut queue = EventQueue::default();
        for (i, t) in times.iter().enumerate() {
            queue.push(*t, i);
        }
        let mut popped = Vec::new();
        while let Some(e) = queue.pop() {
            prop_assert_eq!(e.event as u64, e.sequence, "payload order = scheduling order");
            popped.push((e.time, e.sequence));
        }
        prop_assert_eq!(popped.len(), times.len());
        for pair in popped.windows(2) {
            prop_assert!(pair[0] < pair[1], "out of order: {:?}", pair);
        }
    }

    /// Handlers that schedule more events (with zero delays among them) still see
    /// time never go back, and same-time events in the order they were scheduled.
    #[test]
    fn kernel_runs_handler_scheduled_events_in_order(
        delays in prop::collection::vec(0u64..5, 1..200),
        initial in prop::collection::vec(0u64..10, 1..20),
    ) {
        let mut kernel: Kernel<usize> = Kernel::new(u64::MAX);
        for t in &initial {
            kernel.scheduler().schedule_in(*t, 0);
        }
        let mut seen: Vec<(u64, u64)> = Vec::new();
        let mut next_delay = delays.iter().cycle();
        let mut spawned = 0;
        let stop = kernel.run_until(u64::MAX, |_| false, |sched, generation| {
            seen.push((sched.now(), sched.current_sequence()));
            if spawned < delays.len() && generation < 3 {
                spawned += 1;
                sched.schedule_in(*next_delay.next().unwrap(), generation + 1);
            }
        }).unwrap();
        prop_assert_eq!(stop, StopReason::Exhausted);
        prop_assert_eq!(seen.len(), initial.len() + spawned);
        for pair in seen.windows(2) {
            prop_assert!(pair[0].0 <= pair[1].0, "time went back: {:?}", pair);
            if pair[0].0 == pair[1].0 {
                prop_assert!(pair[0].1 < pair[1].1, "FIFO broken among ties: {:?}", pair);
            }
        }
    }
}

#[test]
fn the_event_budget_stops_a_runaway_loop() {
    let mut kernel: Kernel<()> = Kernel::new(1_000);
    kernel.scheduler().schedule_in(0, ());
    // Every event schedules another at the same instant: without a budget this
    // never ends and the clock never moves.
    let err = kernel
        .run_until(
            10,
            |_| false,
            |sched, ()| {
                sched.schedule_in(0, ());
            },
        )
        .unwrap_err();
    assert_eq!((err.budget, err.time), (1_000, 0));
    assert_eq!(kernel.processed(), 1_000);
    assert!(err.to_string().starts_with("the run exceeded its budget of 1000 events at T+0s"));
}

#[test]
fn run_until_stops_before_a_chosen_event_and_resumes() {
    let mut kernel: Kernel<&str> = Kernel::new(100);
    for (t, name) in [(5, "a"), (10, "decision"), (15, "b")] {
        kernel.scheduler().schedule_in(t, name);
    }
    let mut ran = Vec::new();
    let mut handler = |sched: &mut ttx::engine::Scheduler<&str>, e: &str| ran.push((sched.now(), e.to_string()));
    let stop = kernel.run_until(100, |e| *e == "decision", &mut handler).unwrap();
    assert_eq!(stop, StopReason::StoppedBefore);
    assert_eq!(kernel.now(), 5, "the clock stays at the last event run");
    assert!(kernel.step(&mut handler).unwrap(), "the decision runs when asked");
    let stop = kernel.run_until(12, |e| *e == "decision", &mut handler).unwrap();
    assert_eq!((stop, kernel.now()), (StopReason::ReachedTime, 12));
    assert_eq!(kernel.run_until(100, |_| false, &mut handler).unwrap(), StopReason::Exhausted);
    assert_eq!(ran, vec![(5, "a".into()), (10, "decision".into()), (15, "b".into())]);
}
