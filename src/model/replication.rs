//! One replication: a World built from the scenario, the kernel, and the handlers
//! that play incidents through CSIRT desks.

use super::components::{IncidentRecord, IncidentSource, StepRecord};
use super::desk::{Desk, Job};
use super::event_log::{EventSink, LogEntry, LogEvent};
use super::outcome::Outcome;
use super::sim_event::SimEvent;
use crate::engine::{BudgetExceeded, Kernel, RngStreams, Scheduler, SimTime, StopReason};
use crate::scenario::{Effect, IncidentType, Scenario};
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};
use std::sync::Arc;

/// Default limit on events per replication: far above any realistic exercise
/// (a million incidents take about three million events), low enough that a
/// runaway scenario stops within seconds.
pub const DEFAULT_EVENT_BUDGET: u64 = 100_000_000;

/// Random state of one incident stream. Arrival times are accumulated exactly in
/// floating point and rounded only when scheduled, so rounding never drifts the rate.
struct StreamState {
    arrivals: ChaCha8Rng,
    efforts: ChaCha8Rng,
    next_exact_s: f64,
    reported: u64,
}

/// Everything the handlers need besides the World and the scheduler.
struct Handlers<S> {
    scenario: Arc<Scenario>,
    sink: S,
    desks: Vec<Entity>,
    streams: Vec<StreamState>,
    inject_efforts: ChaCha8Rng,
    incidents_reported: u64,
}

/// A replication that can be run to its horizon in one go, or stopped before a
/// chosen event and resumed (the facilitator console answers decisions there).
pub struct Replication<S: EventSink> {
    world: World,
    kernel: Kernel<SimEvent>,
    handlers: Handlers<S>,
    seed: u64,
}

impl<S: EventSink> Replication<S> {
    /// Builds the World for `scenario` with all randomness from `seed`, and
    /// schedules the first report of every stream and every inject.
    pub fn new(scenario: Arc<Scenario>, seed: u64, event_budget: u64, sink: S) -> Self {
        let rngs = RngStreams::new(seed);
        let mut world = World::new();
        let desks = scenario
            .csirts
            .iter()
            .enumerate()
            .map(|(i, c)| world.spawn(Desk::new(i, c.analysts)).id())
            .collect();
        let mut kernel = Kernel::new(event_budget);
        let mut streams = Vec::with_capacity(scenario.streams.len());
        for (i, stream) in scenario.streams.iter().enumerate() {
            let mut state = StreamState {
                arrivals: rngs.stream(&format!("arrivals/{}", stream.id)),
                efforts: rngs.stream(&format!("efforts/{}", stream.id)),
                next_exact_s: 0.0,
                reported: 0,
            };
            let first = next_arrival(&mut state, stream.rate_per_s);
            kernel
                .scheduler()
                .schedule_in(first, SimEvent::Arrival { stream: i });
            streams.push(state);
        }
        for (i, inject) in scenario.injects.iter().enumerate() {
            kernel
                .scheduler()
                .schedule_in(inject.at, SimEvent::Inject { inject: i });
        }
        Self {
            world,
            kernel,
            handlers: Handlers {
                scenario,
                sink,
                desks,
                streams,
                inject_efforts: rngs.stream("efforts/injects"),
                incidents_reported: 0,
            },
            seed,
        }
    }

    pub fn now(&self) -> SimTime {
        self.kernel.now()
    }

    pub fn next_event(&self) -> Option<(SimTime, SimEvent)> {
        self.kernel.peek().map(|s| (s.time, s.event))
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// Runs up to `until` (at most the horizon), stopping before any event for which
    /// `stop_before` is true.
    pub fn run_until(
        &mut self,
        until: SimTime,
        stop_before: impl FnMut(&SimEvent) -> bool,
    ) -> Result<StopReason, BudgetExceeded> {
        let until = until.min(self.handlers.scenario.horizon);
        let (world, handlers) = (&mut self.world, &mut self.handlers);
        self.kernel.run_until(until, stop_before, |sched, event| {
            handlers.handle(world, sched, event)
        })
    }

    /// Runs the next event, even one a previous `run_until` stopped before.
    pub fn step(&mut self) -> Result<bool, BudgetExceeded> {
        if self
            .kernel
            .peek()
            .is_none_or(|e| e.time > self.handlers.scenario.horizon)
        {
            return Ok(false);
        }
        let (world, handlers) = (&mut self.world, &mut self.handlers);
        self.kernel
            .step(&mut |sched, event| handlers.handle(world, sched, event))
    }

    pub fn run_to_horizon(&mut self) -> Result<StopReason, BudgetExceeded> {
        self.run_until(SimTime::MAX, |_| false)
    }

    /// Closes the books: integrates every desk up to the end of the run and hands
    /// back the ground truth and the sink (the caller flushes the event log).
    pub fn finish(mut self) -> (Outcome, S) {
        let end_time = self.kernel.now();
        let mut desks = Vec::with_capacity(self.handlers.desks.len());
        let mut final_staff = Vec::with_capacity(self.handlers.desks.len());
        for entity in &self.handlers.desks {
            let mut desk = self
                .world
                .get_mut::<Desk>(*entity)
                .expect("desk entity spawned in new");
            desk.advance(end_time);
            desks.push(desk.totals);
            final_staff.push(desk.staffed);
        }
        let mut query = self.world.query::<&IncidentRecord>();
        let mut incidents: Vec<IncidentRecord> = query.iter(&self.world).cloned().collect();
        incidents.sort_unstable_by_key(|i| i.number);
        let outcome = Outcome {
            seed: self.seed,
            end_time,
            events_processed: self.kernel.processed(),
            incidents,
            desks,
            final_staff,
        };
        (outcome, self.handlers.sink)
    }
}

/// Seconds until the next arrival of a Poisson stream, from the exact running sum.
fn next_arrival(state: &mut StreamState, rate_per_s: f64) -> u64 {
    let previous = state.next_exact_s.round();
    let gap: f64 = Exp1.sample(&mut state.arrivals);
    state.next_exact_s += gap / rate_per_s;
    (state.next_exact_s.round() - previous).max(0.0) as u64
}

impl<S: EventSink> Handlers<S> {
    fn handle(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, event: SimEvent) {
        match event {
            SimEvent::Arrival { stream } => self.arrival(world, sched, stream),
            SimEvent::StepDone { incident } => self.step_done(world, sched, incident),
            SimEvent::Inject { inject } => self.inject(world, sched, inject),
        }
    }

    fn log(&mut self, sched: &Scheduler<SimEvent>, event: LogEvent) {
        self.sink.record(LogEntry {
            time: sched.now(),
            sequence: sched.current_sequence(),
            event,
        });
    }

    fn arrival(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, stream_index: usize) {
        let scenario = Arc::clone(&self.scenario);
        let stream = &scenario.streams[stream_index];
        let state = &mut self.streams[stream_index];
        state.reported += 1;
        let efforts = scenario.sops[stream.sop]
            .steps
            .iter()
            .map(|step| step.effort.sample(&mut state.efforts))
            .collect();
        if stream.limit.is_none_or(|limit| state.reported < limit) {
            let delay = next_arrival(state, stream.rate_per_s);
            sched.schedule_in(
                delay,
                SimEvent::Arrival {
                    stream: stream_index,
                },
            );
        }
        let source = IncidentSource::Stream(stream_index);
        self.report(
            world,
            sched,
            source,
            stream.incident_type,
            stream.csirt,
            stream.sop,
            efforts,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        source: IncidentSource,
        incident_type: IncidentType,
        csirt: usize,
        sop: usize,
        efforts: Vec<u64>,
    ) {
        self.incidents_reported += 1;
        let number = self.incidents_reported;
        let now = sched.now();
        let incident = world
            .spawn(IncidentRecord {
                number,
                source,
                incident_type,
                csirt,
                sop,
                reported: now,
                efforts,
                steps: Vec::new(),
                closed: None,
            })
            .id();
        self.log(
            sched,
            LogEvent::IncidentReported {
                incident: number,
                incident_type,
                csirt,
                source,
            },
        );
        world
            .get_mut::<Desk>(self.desks[csirt])
            .expect("desk exists")
            .open_incident(now);
        self.queue_step(world, sched, incident, 0);
    }

    fn queue_step(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        incident: Entity,
        step: usize,
    ) {
        let now = sched.now();
        let mut record = world
            .get_mut::<IncidentRecord>(incident)
            .expect("incident exists");
        record.steps.push(StepRecord {
            queued: now,
            started: None,
            finished: None,
        });
        let csirt = record.csirt;
        world
            .get_mut::<Desk>(self.desks[csirt])
            .expect("desk exists")
            .enqueue(now, Job { incident, step });
        self.dispatch(world, sched, csirt);
    }

    /// Starts queued steps while analysts are free.
    fn dispatch(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, csirt: usize) {
        let now = sched.now();
        loop {
            let Some(job) = world
                .get_mut::<Desk>(self.desks[csirt])
                .expect("desk exists")
                .take_next(now)
            else {
                return;
            };
            let mut record = world
                .get_mut::<IncidentRecord>(job.incident)
                .expect("incident exists");
            let step = &mut record.steps[job.step];
            step.started = Some(now);
            let waited = now - step.queued;
            let effort = record.efforts[job.step];
            let (number, sop) = (record.number, record.sop);
            sched.schedule_in(
                effort,
                SimEvent::StepDone {
                    incident: job.incident,
                },
            );
            self.log(
                sched,
                LogEvent::StepStarted {
                    incident: number,
                    csirt,
                    sop,
                    step: job.step,
                    waited,
                },
            );
        }
    }

    fn step_done(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, incident: Entity) {
        let now = sched.now();
        let mut record = world
            .get_mut::<IncidentRecord>(incident)
            .expect("incident exists");
        let step = record.steps.len() - 1;
        record.steps[step].finished = Some(now);
        let (number, csirt, sop, effort) = (
            record.number,
            record.csirt,
            record.sop,
            record.efforts[step],
        );
        let last_step = step + 1 == record.efforts.len();
        if last_step {
            record.closed = Some(now);
        }
        let reported = record.reported;
        self.log(
            sched,
            LogEvent::StepFinished {
                incident: number,
                csirt,
                sop,
                step,
                effort,
            },
        );
        let mut desk = world
            .get_mut::<Desk>(self.desks[csirt])
            .expect("desk exists");
        desk.release_analyst(now);
        if last_step {
            desk.open_incidents -= 1;
            self.log(
                sched,
                LogEvent::IncidentClosed {
                    incident: number,
                    csirt,
                    time_in_system: now - reported,
                },
            );
        } else {
            self.queue_step(world, sched, incident, step + 1);
        }
        self.dispatch(world, sched, csirt);
    }

    fn inject(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
        self.log(sched, LogEvent::InjectDelivered { inject });
        let scenario = Arc::clone(&self.scenario);
        for effect in &scenario.injects[inject].effects {
            match *effect {
                Effect::Report {
                    incident_type,
                    csirt,
                    sop,
                } => {
                    let efforts = scenario.sops[sop]
                        .steps
                        .iter()
                        .map(|step| step.effort.sample(&mut self.inject_efforts))
                        .collect();
                    self.report(
                        world,
                        sched,
                        IncidentSource::Inject(inject),
                        incident_type,
                        csirt,
                        sop,
                        efforts,
                    );
                }
                Effect::SetAnalysts { csirt, analysts } => {
                    let from = world
                        .get_mut::<Desk>(self.desks[csirt])
                        .expect("desk exists")
                        .set_staff(sched.now(), analysts);
                    self.log(
                        sched,
                        LogEvent::StaffChanged {
                            csirt,
                            from,
                            to: analysts,
                        },
                    );
                    self.dispatch(world, sched, csirt);
                }
            }
        }
    }
}
