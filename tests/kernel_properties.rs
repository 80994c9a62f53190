//! The ordering contract of the kernel, checked on random schedules.

use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use proptest::prelude::*;
use ttx::engine::{self, Ctx, EventQueue, Model, SimDuration, SimEvent, SimTime, StopReason};

/// What the test handlers emit: (time, name).
type Seen = (u64, &'static str);

const fn after(seconds: u64) -> SimDuration {
    SimDuration::from_secs(seconds)
}

const fn at(seconds: u64) -> SimTime {
    SimTime::from_secs(seconds)
}

/// A model of test events: they emit what they saw and consult no tables.
struct Test;

impl Model for Test {
    type Log = Seen;
    type Tables = ();
}

type Scheduler = ttx::engine::Scheduler<Test>;

/// A test event that emits itself and, up to generation 3, schedules a child
/// after the next delay left in `Plan`.
struct Spawning {
    generation: u32,
}

#[derive(Resource, Default)]
struct Plan(Vec<u64>);

impl SimEvent<Test> for Spawning {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx<'_, Test>) {
        ctx.emit((ctx.now().as_secs(), "spawning"));
        if self.generation < 3
            && let Some(delay) = world.resource_mut::<Plan>().0.pop()
        {
            ctx.schedule_in(after(delay), Spawning { generation: self.generation + 1 });
        }
    }
}

/// A named test event that only emits itself.
struct Named(&'static str);

impl SimEvent<Test> for Named {
    fn fire(self: Box<Self>, _: &mut World, ctx: &mut Ctx<'_, Test>) {
        ctx.emit((ctx.now().as_secs(), self.0));
    }
}

/// Schedules itself again at the same instant: a runaway loop.
struct Forever;

impl SimEvent<Test> for Forever {
    fn fire(self: Box<Self>, _: &mut World, ctx: &mut Ctx<'_, Test>) {
        ctx.schedule_in(SimDuration::ZERO, Forever);
    }
}

fn world(budget: u64) -> World {
    let mut world = World::new();
    world.insert_resource(Scheduler::new(budget));
    world.init_resource::<Plan>();
    world
}

fn now(world: &World) -> u64 {
    world.resource::<Scheduler>().now().as_secs()
}

proptest! {
    /// Pops come out in non-decreasing time, and FIFO (by sequence) among ties.
    #[test]
    fn queue_pops_in_time_then_fifo_order(times in prop::collection::vec(0u64..50, 1..300)) {
        let mut queue = EventQueue::default();
        for (i, t) in times.iter().enumerate() {
            queue.push(at(*t), i);
        }
        let mut popped = Vec::new();
        while let Some(e) = queue.pop() {
            prop_assert_eq!(e.event as u64, e.sequence, "payload order = scheduling order");
            popped.push((e.time.as_secs(), e.sequence));
        }
        prop_assert_eq!(popped.len(), times.len());
        for pair in popped.windows(2) {
            prop_assert!(pair[0] < pair[1], "out of order: {:?}", pair);
        }
    }

    /// Handlers that schedule more events (with zero delays among them) still see
    /// time never go back, and same-time events in the order they were scheduled;
    /// what a handler emits is handed out with its own event's time and sequence.
    #[test]
    fn kernel_runs_handler_scheduled_events_in_order(
        delays in prop::collection::vec(0u64..5, 1..200),
        initial in prop::collection::vec(0u64..10, 1..20),
    ) {
        let mut world = world(u64::MAX);
        world.resource_mut::<Plan>().0 = delays.clone();
        for t in &initial {
            engine::schedule_in::<Test>(&mut world, after(*t), Spawning { generation: 0 });
        }
        let mut seen: Vec<(u64, u64)> = Vec::new();
        let stop = engine::run_until::<Test>(&mut world, &(), SimTime::MAX, |_| false, |_, time, sequence, emitted: &mut Vec<Seen>| {
            let time = time.as_secs();
            assert_eq!(emitted.len(), 1);
            assert_eq!(emitted[0].0, time, "emitted at its event's time");
            seen.push((time, sequence));
        }).unwrap();
        prop_assert_eq!(stop, StopReason::Exhausted);
        let spawned = delays.len() - world.resource::<Plan>().0.len();
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
    let mut world = world(1_000);
    engine::schedule_in::<Test>(&mut world, SimDuration::ZERO, Forever);
    // Every event schedules another at the same instant: without a budget this
    // never ends and the clock never moves.
    let err =
        engine::run_until::<Test>(&mut world, &(), at(10), |_| false, |_, _, _, _: &mut Vec<Seen>| {}).unwrap_err();
    assert_eq!((err.budget, err.time), (1_000, SimTime::ZERO));
    assert_eq!(world.resource::<Scheduler>().processed(), 1_000);
    assert!(err.to_string().starts_with("the run exceeded its budget of 1000 events at T+0s"));
}

#[test]
fn run_until_stops_before_a_chosen_event_and_resumes() {
    let mut world = world(100);
    for (t, name) in [(5, "a"), (10, "decision"), (15, "b")] {
        engine::schedule_in::<Test>(&mut world, after(t), Named(name));
    }
    let is_decision =
        |e: &dyn SimEvent<Test>| (e as &dyn std::any::Any).downcast_ref::<Named>().is_some_and(|n| n.0 == "decision");
    let mut ran: Vec<Seen> = Vec::new();
    let mut after = |_: &mut World, _, _, emitted: &mut Vec<Seen>| ran.append(emitted);
    let stop = engine::run_until::<Test>(&mut world, &(), at(100), is_decision, &mut after).unwrap();
    assert_eq!(stop, StopReason::StoppedBefore);
    assert_eq!(now(&world), 5, "the clock stays at the last event run");
    assert!(engine::step::<Test>(&mut world, &(), &mut after).unwrap(), "the decision runs when asked");
    let stop = engine::run_until::<Test>(&mut world, &(), at(12), is_decision, &mut after).unwrap();
    assert_eq!((stop, now(&world)), (StopReason::ReachedTime, 12));
    assert_eq!(
        engine::run_until::<Test>(&mut world, &(), at(100), |_| false, &mut after).unwrap(),
        StopReason::Exhausted
    );
    assert_eq!(ran, vec![(5, "a"), (10, "decision"), (15, "b")]);
}

/// Despawned entities leave nothing behind in bevy's trackers: the kernel
/// clears them every `TRACKER_PERIOD` events, so memory follows the open work.
#[test]
fn the_kernel_clears_the_trackers_of_despawned_entities() {
    #[derive(bevy_ecs::component::Component)]
    struct Thing;
    struct SpawnAndDespawn(u32);
    impl SimEvent<Test> for SpawnAndDespawn {
        fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx<'_, Test>) {
            let e = world.spawn(Thing).id();
            world.despawn(e);
            if self.0 > 1 {
                ctx.schedule_in(SimDuration::SECOND, SpawnAndDespawn(self.0 - 1));
            }
        }
    }
    let mut world = world(u64::MAX);
    let n = 10 * engine::TRACKER_PERIOD as u32;
    engine::schedule_in::<Test>(&mut world, SimDuration::ZERO, SpawnAndDespawn(n));
    engine::run_until::<Test>(&mut world, &(), SimTime::MAX, |_| false, |_, _, _, _: &mut Vec<Seen>| {}).unwrap();
    let id = world.component_id::<Thing>().expect("registered");
    let removed = world.removed_components().get(id).map_or(0, |m| m.len());
    assert!(removed <= 2 * engine::TRACKER_PERIOD as usize, "{removed} removals kept after {n} despawns");
}
