//! The practical ceiling of an ECS kernel, copied unchanged (apart from this header) from
//! `../shared/notes/bevy-ecs-des-example.rs`: the recommended observer design on one M/M/c desk,
//! measured beside ttx by `scripts/bench-performance.sh`. Usage: cargo run --release --example ecs_ceiling -- [incidents] [seed]
//!
//! DES on bevy_ecs 0.20.1 (default-features = false, features = ["std"]), rand 0.10.3 ("chacha"),
//! rand_distr 0.6.0. The kernel pops (time, seq, event) from the `Scheduler` resource, fires it
//! with `world.trigger`, then `world.flush()`. Each mechanic is a module (components, events,
//! observers, resources) installed by `fn install(&mut World, ..)`. Here: one M/M/c triage desk
//! (lambda 9/h, mu 1/h, c = 10). `cargo run --release -- 1000000 1`; Erlang C Wq = 0.6687 h.

use bevy_ecs::prelude::*;
use std::{cmp::Ordering, collections::BinaryHeap, collections::VecDeque};

// =============================== kernel ===============================
pub mod kernel {
    use super::*;
    use rand::{SeedableRng, rngs::ChaCha8Rng};

    /// Integer seconds since the scenario start.
    pub type SimTime = u64;

    /// Anything the future-event list can hold: every observer `Event` with a default trigger
    /// (`#[derive(Event)]` and `#[derive(EntityEvent)]` both qualify). Modules schedule their own
    /// event types; the kernel never names them. `as_any` lets a logger or a console's
    /// stop-before-decision check downcast a pending event (`downcast_ref::<DecisionDue>()`).
    pub trait Scheduled: Send + Sync + 'static {
        fn fire(self: Box<Self>, world: &mut World);
        fn as_any(&self) -> &dyn std::any::Any;
    }
    impl<E> Scheduled for E
    where
        E: Event,
        for<'a> E::Trigger<'a>: Default,
    {
        fn fire(self: Box<Self>, world: &mut World) {
            world.trigger(*self);
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    struct Entry {
        time: SimTime,
        seq: u64,
        event: Box<dyn Scheduled>,
    }
    impl PartialEq for Entry {
        fn eq(&self, o: &Self) -> bool {
            (self.time, self.seq) == (o.time, o.seq)
        }
    }
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Entry {
        /// Reversed: BinaryHeap is a max-heap; the smallest (time, seq) must pop first.
        fn cmp(&self, o: &Self) -> Ordering {
            (o.time, o.seq).cmp(&(self.time, self.seq))
        }
    }

    /// Future-event list and clock. FIFO among equal times through the sequence number.
    #[derive(Resource, Default)]
    pub struct Scheduler {
        now: SimTime,
        next_seq: u64,
        heap: BinaryHeap<Entry>,
    }
    impl Scheduler {
        pub fn now(&self) -> SimTime {
            self.now
        }
        /// A delay, never an absolute time: nothing can be scheduled in the past.
        pub fn schedule_in(&mut self, delay: SimTime, event: impl Scheduled) -> u64 {
            let seq = self.next_seq;
            self.next_seq += 1;
            self.heap.push(Entry { time: self.now.saturating_add(delay), seq, event: Box::new(event) });
            seq
        }
        fn pop(&mut self) -> Option<Box<dyn Scheduled>> {
            let e = self.heap.pop()?;
            self.now = e.time;
            Some(e.event)
        }
    }

    /// Named ChaCha8 streams: one key per replication, one stream per process (ttx's RngStreams).
    #[derive(Resource, Clone, Copy)]
    pub struct RngStreams(pub u64);
    impl RngStreams {
        pub fn stream(&self, name: &str) -> ChaCha8Rng {
            let id = name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            let mut rng = ChaCha8Rng::seed_from_u64(self.0);
            rng.set_stream(id);
            rng
        }
    }

    pub fn new_world(seed: u64) -> World {
        let mut world = World::new();
        world.init_resource::<Scheduler>();
        world.insert_resource(RngStreams(seed));
        world
    }

    /// Runs every event due at or before `until`; returns how many ran.
    pub fn run_until(world: &mut World, until: SimTime, budget: u64) -> Result<u64, String> {
        let mut processed = 0u64;
        loop {
            let mut sched = world.resource_mut::<Scheduler>();
            match sched.heap.peek().map(|e| e.time) {
                Some(t) if t <= until => {}
                _ => return Ok(processed),
            }
            if processed == budget {
                return Err(format!("event budget {budget} exceeded at t={}", sched.now()));
            }
            let event = sched.pop().expect("peeked");
            event.fire(world);
            // Observers' Commands (spawn, despawn, commands.trigger) are NOT applied by
            // world.trigger: apply them now, before the next event, depth-first, in queue order.
            world.flush();
            processed += 1;
            // No schedule runs these for us: drain removed-component buffers, clamp change ticks.
            if processed.is_multiple_of(1024) {
                world.clear_trackers();
                world.check_change_ticks();
            }
        }
    }
}

// =========================== module: triage desk ===========================
pub mod triage {
    use super::kernel::{RngStreams, Scheduler, SimTime};
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand_distr::{Distribution, Exp1};

    /// An open incident. Spawned on arrival, despawned on close.
    #[derive(Component)]
    pub struct Incident {
        pub id: u64,
        pub arrived: SimTime,
    }

    /// Optional incident -> desk relationship: bevy maintains `DeskLoad` (insertion order) on the
    /// desk. Costs ~2x a plain spawn+despawn; drop it if nothing reads `DeskLoad`.
    #[derive(Component)]
    #[relationship(relationship_target = DeskLoad)]
    pub struct AtDesk(pub Entity);
    #[derive(Component, Default)]
    #[relationship_target(relationship = AtDesk)]
    pub struct DeskLoad(Vec<Entity>);

    #[derive(Component)]
    pub struct Desk {
        pub servers: u32,
        pub busy: u32,
        pub waiting: VecDeque<Entity>,
        arrivals: ChaCha8Rng,
        service: ChaCha8Rng,
        next_arrival_exact_s: f64,
        mean_interarrival_s: f64,
        mean_service_s: f64,
        remaining: u64,
    }

    /// Targets the desk entity (EntityEvent: `entity` is the event target).
    #[derive(EntityEvent)]
    pub struct Arrival {
        pub entity: Entity,
    }
    #[derive(EntityEvent)]
    pub struct Departure {
        #[event_target]
        pub incident: Entity,
        pub desk: Entity,
    }

    #[derive(Resource, Default)]
    pub struct DeskStats {
        pub arrived: u64,
        pub wait_s: u64,
        pub closed: u64,
    }

    pub struct DeskConfig {
        pub name: &'static str,
        pub servers: u32,
        pub lambda_per_h: f64,
        pub mu_per_h: f64,
        pub incidents: u64,
    }

    /// The module's whole footprint on the World: resources, observers, entities, first events.
    pub fn install(world: &mut World, cfg: DeskConfig) -> Entity {
        let streams = *world.resource::<RngStreams>();
        world.init_resource::<DeskStats>();
        world.add_observer(on_arrival);
        world.add_observer(on_departure);
        let mut desk = Desk {
            servers: cfg.servers,
            busy: 0,
            waiting: VecDeque::new(),
            arrivals: streams.stream(&format!("arrivals/{}", cfg.name)),
            service: streams.stream(&format!("service/{}", cfg.name)),
            next_arrival_exact_s: 0.0,
            mean_interarrival_s: 3600.0 / cfg.lambda_per_h,
            mean_service_s: 3600.0 / cfg.mu_per_h,
            remaining: cfg.incidents,
        };
        let first = desk.next_arrival_delay(0);
        let entity = world.spawn(desk).id();
        world.resource_mut::<Scheduler>().schedule_in(first, Arrival { entity });
        entity
    }

    impl Desk {
        fn next_arrival_delay(&mut self, now: SimTime) -> SimTime {
            let x: f64 = Exp1.sample(&mut self.arrivals);
            self.next_arrival_exact_s += x * self.mean_interarrival_s;
            (self.next_arrival_exact_s.round() as SimTime).saturating_sub(now)
        }
        fn service_s(&mut self) -> SimTime {
            let x: f64 = Exp1.sample(&mut self.service);
            (x * self.mean_service_s).round() as SimTime
        }
    }

    fn on_arrival(
        ev: On<Arrival>,
        mut desks: Query<&mut Desk>,
        mut sched: ResMut<Scheduler>,
        mut stats: ResMut<DeskStats>,
        mut commands: Commands,
    ) {
        let now = sched.now();
        let desk_e = ev.entity;
        let mut desk = desks.get_mut(desk_e).expect("desk exists");
        desk.remaining -= 1;
        if desk.remaining > 0 {
            let d = desk.next_arrival_delay(now);
            sched.schedule_in(d, Arrival { entity: desk_e });
        }
        let id = stats.arrived;
        stats.arrived += 1;
        // Deferred: the entity id is reserved now, the components land at the kernel's flush.
        let incident = commands.spawn((Incident { id, arrived: now }, AtDesk(desk_e))).id();
        if desk.busy < desk.servers {
            desk.busy += 1;
            let s = desk.service_s();
            sched.schedule_in(s, Departure { incident, desk: desk_e });
        } else {
            desk.waiting.push_back(incident);
        }
    }

    fn on_departure(
        ev: On<Departure>,
        incidents: Query<&Incident>,
        mut desks: Query<&mut Desk>,
        mut sched: ResMut<Scheduler>,
        mut stats: ResMut<DeskStats>,
        mut commands: Commands,
    ) {
        let now = sched.now();
        stats.closed += 1;
        commands.entity(ev.incident).despawn();
        let mut desk = desks.get_mut(ev.desk).expect("desk exists");
        if let Some(next) = desk.waiting.pop_front() {
            stats.wait_s += now - incidents.get(next).expect("waiting incident exists").arrived;
            let s = desk.service_s();
            sched.schedule_in(s, Departure { incident: next, desk: ev.desk });
        } else {
            desk.busy -= 1;
        }
    }
}

fn replicate(n: u64, seed: u64) -> (f64, u64) {
    let mut world = kernel::new_world(seed);
    let cfg = triage::DeskConfig { name: "mmc", servers: 10, lambda_per_h: 9.0, mu_per_h: 1.0, incidents: n };
    triage::install(&mut world, cfg);
    let events = kernel::run_until(&mut world, u64::MAX, 100 * n).expect("within budget");
    let s = world.resource::<triage::DeskStats>();
    assert_eq!((s.arrived, s.closed), (n, n));
    (s.wait_s as f64 / n as f64 / 3600.0, events)
}

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().expect("number")).collect();
    let (n, seed) = (args.first().copied().unwrap_or(1_000_000), args.get(1).copied().unwrap_or(1));
    let t = std::time::Instant::now();
    let (wq, events) = replicate(n, seed);
    let wall = t.elapsed().as_secs_f64();
    println!("design=example n={n} seed={seed} Wq={wq:.10} events={events} wall_s={wall:.4}");
    // Same seed, same World construction => same result to the last bit.
    assert_eq!(replicate(n.min(100_000), seed), replicate(n.min(100_000), seed));
}
