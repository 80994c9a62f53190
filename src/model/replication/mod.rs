//! One replication: a World built from the scenario, the kernel, and the handlers
//! that play incidents through CSIRT desks.

use super::components::{
    DecisionRecord, Detector, IncidentRecord, IncidentSource, InjectRecord, StepRecord, StepWork, UnknownIncident,
};
use super::desk::{Desk, Job};
use super::event_log::{EventSink, LogEntry, LogEvent};
use super::infrastructure::{AssetState, ImpactKey, Infrastructure};
use super::outbreak::{OutbreakState, call_order};
use super::outcome::Outcome;
use super::shift_calendar::{next_change, on_duty_at};
use super::sim_event::SimEvent;
use crate::engine::{BudgetExceeded, Kernel, RngStreams, Scheduler, SimDuration, SimTime, StopReason};
use crate::scenario::{Effect, IncidentType, Phase, Scenario, Service, Severity, Structure, Target};
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};
use std::collections::BTreeMap;
use std::sync::Arc;

mod desk_handlers;
mod detection;
mod injects;
mod outbreak_handlers;

/// Default limit on events per replication: far above any realistic exercise
/// (a million incidents take about three million events), low enough that a
/// runaway scenario stops within seconds.
pub const DEFAULT_EVENT_BUDGET: u64 = 100_000_000;

/// Events of the budget per incident that may be held in memory at once: the
/// default budget allows 4 million, about 2 GB with records kept (`ttx run`). An
/// incident takes 3 to 6 events, so a run that ends within its event budget
/// rarely meets this bound unless its queues grow without end.
pub const EVENTS_PER_HELD_INCIDENT: u64 = 25;

/// Effort multiplier by maturity 0-4 (judgement: a SIM3 level-4 team works a step
/// in 80% of the time a level-2 team needs; a level-0 team in 150%).
pub const EFFORT_FACTOR_BY_MATURITY: [f64; 5] = [1.5, 1.25, 1.0, 0.9, 0.8];

/// Chance that a step must be redone, by maturity 0-4 (judgement).
pub const REWORK_RATE_BY_MATURITY: [f64; 5] = [0.20, 0.12, 0.06, 0.03, 0.01];

/// A CSIRT that offers alerts and warnings issues an advisory; its constituents
/// then patch in this share of the time (judgement).
pub const ADVISORY_PATCHING_FACTOR: f64 = 0.5;

/// A redone step takes this share of its first effort.
const REWORK_SHARE: f64 = 0.5;

/// Random state of one incident stream. Arrival times are accumulated exactly in
/// floating point and rounded only when scheduled, so rounding never drifts the rate.
struct StreamState {
    arrivals: ChaCha8Rng,
    efforts: ChaCha8Rng,
    detection: ChaCha8Rng,
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
    /// Incidents that have happened (known or not), numbering them.
    incident_count: u64,
    /// Incidents that happened and will become known to their CSIRT, by number.
    pending: BTreeMap<u64, (Report, Work, Truth)>,
    /// Incidents no CSIRT ever learns of.
    unknown: Vec<UnknownIncident>,
    /// Closed incidents, in order of closing (open ones are entities in the World).
    closed: Vec<IncidentRecord>,
    /// Incidents in the World (known and open).
    open_incidents: u64,
    /// The most incidents held in memory at once (pending, open, and records
    /// kept): the run stops on it before memory runs out.
    max_held_incidents: u64,
    /// Whether closed and never-known incidents are kept for the outcome; off when
    /// the scores are folded from the event stream as the run goes (batch).
    keep_records: bool,
    infrastructure: Infrastructure,
    outages_started: u64,
    /// Options chosen for decisions (by inject index); the rest take their default.
    choices: BTreeMap<usize, usize>,
    decisions: Vec<DecisionRecord>,
    injects_delivered: Vec<InjectRecord>,
    outbreaks: Vec<Entity>,
    /// One stream per outbreak, for its spread and warnings.
    outbreak_rngs: Vec<ChaCha8Rng>,
    /// Per (CSIRT, team) with attrition: its departures stream and the version of
    /// its pending departure (bumped at every headcount change).
    attrition: BTreeMap<(usize, usize), (ChaCha8Rng, u64)>,
    /// The seed's named streams, for processes that start during the run.
    rngs: RngStreams,
    /// Vulnerability disclosures so far (each gets its own stream).
    disclosures: u64,
    /// Exploitations scheduled: (inject, CSIRT, SOP, target).
    exploits: Vec<(usize, usize, usize, Target)>,
    /// One stream per outbreak for TLP discipline draws, so labels do not shift the spread.
    tlp_rngs: Vec<ChaCha8Rng>,
    /// One stream per outbreak for whether parties act on what they are told
    /// (warnings from abroad, takedown referrals).
    trust_rngs: Vec<ChaCha8Rng>,
    outbreak_efforts: ChaCha8Rng,
    /// Per SOP, the step whose end recovers a targeted asset: the last Recovery
    /// step, or the last step if there is none.
    recovery_step: Vec<usize>,
}

/// Sends log rows from code that holds other parts of the handlers.
fn log_to<S: EventSink>(sink: &mut S) -> impl FnMut(&Scheduler<SimEvent>, LogEvent) + '_ {
    |sched, event| sink.record(LogEntry { time: sched.now(), sequence: sched.current_sequence(), event })
}

/// A replication that can be run to its horizon in one go, or stopped before a
/// chosen event and resumed (the facilitator console answers decisions there).
pub struct Replication<S: EventSink> {
    world: World,
    kernel: Kernel<SimEvent>,
    handlers: Handlers<S>,
    seed: u64,
    sampler: Option<Sampler>,
}

/// Snapshots at T+0, every `every` seconds and at the horizon, taken inside
/// [`Replication::run_until`] so that however a run is driven (in one go, or
/// step by step from the facilitator console) it samples the same instants.
struct Sampler {
    every: SimDuration,
    next: SimTime,
    done: bool,
    snapshots: Vec<Snapshot>,
}

/// Local time of simulated instant `t` in a nation.
fn local_time(scenario: &Scenario, nation: usize, t: SimTime) -> i64 {
    scenario.start_utc_s + i64::from(scenario.nations[nation].utc_offset_s) + t as i64
}

impl<S: EventSink> Replication<S> {
    /// Builds the World for `scenario` with all randomness from `seed`, and
    /// schedules the first report of every stream, every inject and every team's
    /// first change of shift.
    pub fn new(scenario: Arc<Scenario>, seed: u64, event_budget: u64, sink: S) -> Self {
        let rngs = RngStreams::new(seed);
        let mut world = World::new();
        let mut kernel = Kernel::new(event_budget);
        let mut desks = Vec::with_capacity(scenario.csirts.len());
        for (i, csirt) in scenario.csirts.iter().enumerate() {
            let local = local_time(&scenario, csirt.nation, 0);
            let on_duty: Vec<bool> = csirt.teams.iter().map(|t| on_duty_at(&t.shift, local)).collect();
            desks.push(world.spawn(Desk::new(i, csirt, &on_duty, scenario.window)).id());
            for (team, t) in csirt.teams.iter().enumerate() {
                if let Some((at, on_duty)) = next_change(&t.shift, local) {
                    let event = SimEvent::ShiftChange { csirt: i, team, on_duty };
                    kernel.scheduler().schedule_in((at - local) as u64, event);
                }
            }
        }
        let mut streams = Vec::with_capacity(scenario.streams.len());
        for (i, stream) in scenario.streams.iter().enumerate() {
            let mut state = StreamState {
                arrivals: rngs.stream(&format!("arrivals/{}", stream.id)),
                efforts: rngs.stream(&format!("efforts/{}", stream.id)),
                detection: rngs.stream(&format!("detection/{}", stream.id)),
                next_exact_s: 0.0,
                reported: 0,
            };
            let first = next_arrival(&mut state, stream.rate_per_s);
            kernel.scheduler().schedule_in(first, SimEvent::Arrival { stream: i });
            streams.push(state);
        }
        for (i, inject) in scenario.injects.iter().enumerate() {
            if let Some(at) = inject.at {
                kernel.scheduler().schedule_in(at, SimEvent::Inject { inject: i });
            }
        }
        let mut attrition = BTreeMap::new();
        for (c, csirt) in scenario.csirts.iter().enumerate() {
            for (t, team) in csirt.teams.iter().enumerate() {
                if let Some(rate) = team.attrition_per_s {
                    let mut rng = rngs.stream(&format!("attrition/{}/{}", csirt.id, team.tier));
                    if let Some(delay) = next_departure(&mut rng, rate, team.analysts) {
                        kernel.scheduler().schedule_in(delay, SimEvent::Departure { csirt: c, team: t, version: 0 });
                    }
                    attrition.insert((c, t), (rng, 0));
                }
            }
        }
        let infrastructure = Infrastructure::build(&scenario, &mut world);
        let tlp_rngs = scenario.outbreaks.iter().map(|o| rngs.stream(&format!("tlp/{}", o.id))).collect();
        let trust_rngs = scenario.outbreaks.iter().map(|o| rngs.stream(&format!("trust/{}", o.id))).collect();
        let (outbreaks, outbreak_rngs): (Vec<Entity>, Vec<ChaCha8Rng>) = scenario
            .outbreaks
            .iter()
            .enumerate()
            .map(|(i, o)| {
                kernel.scheduler().schedule_in(o.start, SimEvent::OutbreakStart { outbreak: i });
                let mut rng = rngs.stream(&format!("outbreak/{}", o.id));
                let entity = world.spawn(OutbreakState::new(i, o, &mut rng)).id();
                (entity, rng)
            })
            .unzip();
        let recovery_step = scenario
            .sops
            .iter()
            .map(|sop| {
                let last = sop.steps.len().saturating_sub(1);
                sop.steps.iter().rposition(|s| s.phase == Phase::Recovery).unwrap_or(last)
            })
            .collect();
        Self {
            world,
            kernel,
            handlers: Handlers {
                scenario,
                sink,
                desks,
                streams,
                inject_efforts: rngs.stream("efforts/injects"),
                incident_count: 0,
                pending: BTreeMap::new(),
                unknown: Vec::new(),
                closed: Vec::new(),
                keep_records: true,
                open_incidents: 0,
                max_held_incidents: (event_budget / EVENTS_PER_HELD_INCIDENT).max(1),
                infrastructure,
                outages_started: 0,
                choices: BTreeMap::new(),
                decisions: Vec::new(),
                injects_delivered: Vec::new(),
                outbreaks,
                outbreak_rngs,
                tlp_rngs,
                trust_rngs,
                rngs,
                disclosures: 0,
                exploits: Vec::new(),
                attrition,
                outbreak_efforts: rngs.stream("efforts/outbreaks"),
                recovery_step,
            },
            seed,
            sampler: None,
        }
    }

    /// Takes a [`Snapshot`] at T+0, every `every` seconds and at the horizon as the
    /// run passes them ([`Self::take_samples`] hands them over). Sampling does not
    /// change the run.
    pub fn sample_every(&mut self, every: SimDuration) {
        self.sampler = Some(Sampler { every: every.max(1), next: 0, done: false, snapshots: Vec::new() });
    }

    pub fn take_samples(&mut self) -> Vec<Snapshot> {
        self.sampler.as_mut().map(|s| std::mem::take(&mut s.snapshots)).unwrap_or_default()
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.handlers.scenario
    }

    /// Delivers contingency (or any) inject `inject` at `at` (no earlier than now):
    /// the facilitator's ad-hoc inject. It runs after the events already due then.
    pub fn deliver(&mut self, inject: usize, at: SimTime) -> Result<(), String> {
        if inject >= self.handlers.scenario.injects.len() {
            return Err(format!("the scenario has no inject {inject}"));
        }
        let delay = at.checked_sub(self.kernel.now()).ok_or_else(|| {
            format!("cannot deliver an inject at T+{} before the clock (T+{})", at, self.kernel.now())
        })?;
        self.kernel.scheduler().schedule_in(delay, SimEvent::Inject { inject });
        Ok(())
    }

    /// Keep no record of closed or never-known incidents: the outcome then holds
    /// the open ones only, and the scores must come from the event stream (a
    /// [`crate::score::ScoreFold`] as the sink). Memory then follows the open work.
    pub fn forget_closed_incidents(&mut self) {
        self.handlers.keep_records = false;
    }

    /// The event sink, for readers of the log so far (the console's messages).
    pub fn sink(&self) -> &S {
        &self.handlers.sink
    }

    /// Every incident its CSIRT knows of so far, closed and open, by number.
    pub fn known_incidents(&self) -> Vec<&IncidentRecord> {
        let mut all: Vec<&IncidentRecord> = self.handlers.closed.iter().collect();
        let open = self.world.iter_entities().filter_map(|e| e.get::<IncidentRecord>());
        all.extend(open);
        all.sort_unstable_by_key(|r| r.number);
        all
    }

    /// Ground truth so far: incidents that happened but that no CSIRT knows of
    /// yet (`will_be_known`), and those no CSIRT will ever learn of, by number.
    pub fn hidden_incidents(&self) -> Vec<HiddenIncident> {
        let scenario = &self.handlers.scenario;
        let pending = self.handlers.pending.iter().map(|(number, (report, _, truth))| HiddenIncident {
            number: *number,
            csirt: report.csirt,
            incident_type: report.incident_type,
            severity: report.severity,
            occurred: truth.occurred,
            will_be_known: true,
        });
        let never = self.handlers.unknown.iter().filter(|u| u.occurred <= self.kernel.now()).map(|u| {
            let stream = &scenario.streams[u.stream];
            HiddenIncident {
                number: u.number,
                csirt: stream.csirt,
                incident_type: stream.incident_type,
                severity: stream.severity,
                occurred: u.occurred,
                will_be_known: false,
            }
        });
        let mut all: Vec<HiddenIncident> = pending.chain(never).collect();
        all.sort_by_key(|h| h.number);
        all
    }

    /// Decisions taken so far, in order.
    pub fn decisions(&self) -> &[DecisionRecord] {
        &self.handlers.decisions
    }

    /// Injects delivered so far, in order.
    pub fn injects_delivered(&self) -> &[InjectRecord] {
        &self.handlers.injects_delivered
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
        mut stop_before: impl FnMut(&SimEvent) -> bool,
    ) -> Result<StopReason, BudgetExceeded> {
        let horizon = self.handlers.scenario.horizon;
        let until = until.min(horizon);
        loop {
            let due = self.sampler.as_ref().filter(|s| !s.done && s.next <= until).map(|s| s.next);
            let target = due.unwrap_or(until);
            let (world, handlers) = (&mut self.world, &mut self.handlers);
            let reason =
                self.kernel.run_until(target, &mut stop_before, |sched, event| handlers.handle(world, sched, event))?;
            let Some(at) = due else { return Ok(reason) };
            if reason == StopReason::StoppedBefore {
                return Ok(reason);
            }
            let snapshot = self.snapshot_at(at);
            let sampler = self.sampler.as_mut().expect("due only when sampling");
            sampler.snapshots.push(snapshot);
            if at >= horizon {
                sampler.done = true;
            } else {
                sampler.next = (at + sampler.every).min(horizon);
            }
        }
    }

    /// Runs the next event, even one a previous `run_until` stopped before.
    pub fn step(&mut self) -> Result<bool, BudgetExceeded> {
        if self.kernel.peek().is_none_or(|e| e.time > self.handlers.scenario.horizon) {
            return Ok(false);
        }
        let (world, handlers) = (&mut self.world, &mut self.handlers);
        self.kernel.step(&mut |sched, event| handlers.handle(world, sched, event))
    }

    /// Records the table's choice for the decision posed by inject `inject`;
    /// decisions nobody chose take their default. Errors name what is wrong.
    pub fn choose(&mut self, inject: usize, option: usize) -> Result<(), String> {
        let Some(decision) = self.handlers.scenario.injects.get(inject).and_then(|i| i.decision.as_ref()) else {
            return Err(format!("inject {inject} poses no decision"));
        };
        if option >= decision.options.len() {
            return Err(format!("decision \"{}\" has no option {option}", decision.id));
        }
        self.handlers.choices.insert(inject, option);
        Ok(())
    }

    /// The decision the run is about to take, when it stopped before one.
    pub fn pending_decision(&self) -> Option<usize> {
        match self.next_event()? {
            (_, SimEvent::DecisionDue { inject }) => Some(inject),
            _ => None,
        }
    }

    /// Runs to the horizon, handing `on_sample` a snapshot at T+0 and every
    /// `every` seconds (and at the horizon). Sampling does not change the run: the
    /// events and the outcome are those of [`Self::run_to_horizon`].
    pub fn run_sampled(
        &mut self,
        every: SimDuration,
        mut on_sample: impl FnMut(Snapshot),
    ) -> Result<StopReason, BudgetExceeded> {
        self.sample_every(every);
        let reason = self.run_to_horizon();
        self.take_samples().into_iter().for_each(&mut on_sample);
        reason
    }

    /// Every desk and asset as they stand at `now` (no earlier than the last event
    /// handled), for time series; reading it does not change the run.
    pub fn snapshot_at(&self, now: SimTime) -> Snapshot {
        let desks = self
            .handlers
            .desks
            .iter()
            .map(|e| self.world.get::<Desk>(*e).expect("desk entity spawned in new").snapshot(now))
            .collect();
        let asset_levels = (0..self.handlers.scenario.assets.len())
            .map(|i| {
                let entity = self.handlers.infrastructure.entity(i);
                self.world.get::<AssetState>(entity).expect("asset entity spawned in new").level
            })
            .collect();
        Snapshot { time: now, desks, asset_levels }
    }

    pub fn run_to_horizon(&mut self) -> Result<StopReason, BudgetExceeded> {
        self.run_until(SimTime::MAX, |_| false)
    }

    /// Closes the books: integrates every desk up to the end of the run and hands
    /// back the ground truth and the sink (the caller flushes the event log).
    pub fn finish(mut self) -> (Outcome, S) {
        let end_time = self.kernel.now();
        let mut desks = Vec::with_capacity(self.handlers.desks.len());
        for entity in &self.handlers.desks {
            let mut desk = self.world.get_mut::<Desk>(*entity).expect("desk entity spawned in new");
            desk.advance(end_time);
            desks.push(desk.clone());
        }
        let assets = (0..self.handlers.scenario.assets.len())
            .map(|i| {
                let entity = self.handlers.infrastructure.entity(i);
                let mut state = self.world.get_mut::<AssetState>(entity).expect("asset entity spawned in new");
                state.advance(end_time);
                state.clone()
            })
            .collect();
        // Moved out, not cloned: at a million incidents a copy doubles peak memory.
        let mut incidents = std::mem::take(&mut self.handlers.closed);
        let mut query = self.world.query::<&mut IncidentRecord>();
        incidents.extend(query.iter_mut(&mut self.world).map(|mut r| r.take()));
        incidents.sort_unstable_by_key(|i| i.number);
        let outcome = Outcome {
            seed: self.seed,
            end_time,
            events_processed: self.kernel.processed(),
            incidents,
            desks,
            assets,
            decisions: self.handlers.decisions.clone(),
            injects: self.handlers.injects_delivered.clone(),
            unknown_incidents: {
                // Those still to be reported after the end were unknown within the run.
                let mut unknown = self.handlers.unknown.clone();
                unknown.extend(self.handlers.pending.iter().filter_map(|(number, (report, _, truth))| {
                    let IncidentSource::Stream(stream) = report.source else { return None };
                    Some(UnknownIncident {
                        number: *number,
                        stream,
                        occurred: truth.occurred,
                        detected: truth.detected,
                    })
                }));
                unknown.sort_unstable_by_key(|u| u.number);
                unknown
            },
            outbreaks: self
                .handlers
                .outbreaks
                .iter()
                .map(|e| self.world.get::<OutbreakState>(*e).expect("outbreak entity spawned in new").clone())
                .collect(),
        };
        (outcome, self.handlers.sink)
    }
}

/// An incident that has happened but that its CSIRT does not know of (ground
/// truth, for the facilitator's truth view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenIncident {
    pub number: u64,
    pub csirt: usize,
    pub incident_type: IncidentType,
    pub severity: Severity,
    pub occurred: SimTime,
    /// It will be reported later; otherwise no CSIRT ever learns of it.
    pub will_be_known: bool,
}

/// The state of a run at one instant (see [`Replication::snapshot`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub time: SimTime,
    pub desks: Vec<super::desk::DeskSnapshot>,
    pub asset_levels: Vec<f64>,
}

/// Seconds until the next of `headcount` analysts quits, each at `rate_per_s`.
fn next_departure(rng: &mut ChaCha8Rng, rate_per_s: f64, headcount: u32) -> Option<SimDuration> {
    if headcount == 0 {
        return None;
    }
    let gap: f64 = Exp1.sample(rng);
    Some((gap / (rate_per_s * f64::from(headcount))).round() as SimDuration)
}

/// Seconds until the next arrival of a Poisson stream, from the exact running sum.
fn next_arrival(state: &mut StreamState, rate_per_s: f64) -> u64 {
    let previous = state.next_exact_s.round();
    let gap: f64 = Exp1.sample(&mut state.arrivals);
    state.next_exact_s += gap / rate_per_s;
    (state.next_exact_s.round() - previous).max(0.0) as u64
}

/// Efforts (maturity applied) and rework draws for every step of `sop`.
fn draw_work(scenario: &Scenario, csirt: usize, sop: usize, rng: &mut ChaCha8Rng) -> Work {
    let factor = scenario.csirts[csirt].maturity.map_or(1.0, |m| EFFORT_FACTOR_BY_MATURITY[usize::from(m)]);
    scenario.sops[sop]
        .steps
        .iter()
        .map(|step| {
            let effort = step.effort.sample(rng);
            let rework_draw: f64 = rng.random();
            StepWork { effort: (effort as f64 * factor).round() as SimDuration, rework_draw }
        })
        .collect()
}

impl<S: EventSink> Handlers<S> {
    fn handle(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, event: SimEvent) {
        match event {
            SimEvent::Arrival { stream } => self.arrival(world, sched, stream),
            SimEvent::StepDone { incident, attempt } => self.step_done(world, sched, incident, attempt),
            SimEvent::Inject { inject } => self.inject(world, sched, inject),
            SimEvent::ShiftChange { csirt, team, on_duty } => self.shift_change(world, sched, csirt, team, on_duty),
            SimEvent::StaffJoins { csirt, team, analysts } => {
                let headcount = self.desk(world, csirt).teams[team].headcount;
                self.set_headcount(world, sched, csirt, team, headcount.saturating_add(analysts));
            }
            SimEvent::EdgeDue { edge, version } => {
                let Handlers { infrastructure, sink, .. } = self;
                infrastructure.edge_due(world, sched, &mut log_to(sink), edge, version);
            }
            SimEvent::DecisionDue { inject } => self.decide(world, sched, inject),
            SimEvent::OutbreakStart { outbreak } | SimEvent::OutbreakTick { outbreak } => {
                self.outbreak_step(world, sched, outbreak, matches!(event, SimEvent::OutbreakStart { .. }))
            }
            SimEvent::WarningArrives { outbreak, population, from } => {
                self.warning_arrives(world, sched, outbreak, population, from)
            }
            SimEvent::Departure { csirt, team, version } => {
                let current = self.attrition.get(&(csirt, team)).map(|(_, v)| *v);
                if current == Some(version) {
                    let headcount = self.desk(world, csirt).teams[team].headcount;
                    self.set_headcount(world, sched, csirt, team, headcount.saturating_sub(1));
                }
            }
            SimEvent::Exploited { exploit } => self.exploited(world, sched, exploit),
            SimEvent::BecomesKnown { incident } => {
                if let Some((report, work, truth)) = self.pending.remove(&incident) {
                    self.make_known(world, sched, incident, report, work, truth);
                }
            }
            SimEvent::UnassistedRecovery { incident, asset } => {
                let Handlers { infrastructure, sink, .. } = self;
                let key = ImpactKey::Incident(incident);
                infrastructure.set_impact(world, sched, &mut log_to(sink), asset, key, None);
            }
            SimEvent::Takedown { outbreak } => {
                let factor = self.scenario.outbreaks[outbreak].takedown.map_or(1.0, |(_, f)| f);
                {
                    let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                    state.k_factor *= factor;
                    state.takedown_at = Some(sched.now());
                }
                self.log(sched, LogEvent::Takedown { outbreak, factor });
            }
            SimEvent::ProtectionReady { outbreak, population } => {
                let scenario = Arc::clone(&self.scenario);
                let o = &scenario.outbreaks[outbreak];
                let heed = national_csirt(&scenario, o.populations[population].nation)
                    .map_or(1.0, |c| scenario.coordination.heed(&scenario.csirts[c]));
                let share = scenario.coordination.warning_protection * heed;
                let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                state.protect(o, &scenario, population, share, &mut self.outbreak_rngs[outbreak], sched.now());
            }
            SimEvent::OutageEnds { outage, asset } => {
                let Handlers { infrastructure, sink, .. } = self;
                let key = ImpactKey::Outage(outage);
                infrastructure.set_impact(world, sched, &mut log_to(sink), asset, key, None);
            }
        }
    }

    fn desk<'w>(&self, world: &'w mut World, csirt: usize) -> bevy_ecs::world::Mut<'w, Desk> {
        world.get_mut::<Desk>(self.desks[csirt]).expect("desk exists")
    }

    fn log(&mut self, sched: &Scheduler<SimEvent>, event: LogEvent) {
        self.sink.record(LogEntry { time: sched.now(), sequence: sched.current_sequence(), event });
    }

    fn arrival(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, stream_index: usize) {
        let scenario = Arc::clone(&self.scenario);
        let stream = &scenario.streams[stream_index];
        let state = &mut self.streams[stream_index];
        state.reported += 1;
        let work = draw_work(&scenario, stream.csirt, stream.sop, &mut state.efforts);
        if stream.limit.is_none_or(|limit| state.reported < limit) {
            let delay = next_arrival(state, stream.rate_per_s);
            sched.schedule_in(delay, SimEvent::Arrival { stream: stream_index });
        }
        let report = Report {
            source: IncidentSource::Stream(stream_index),
            incident_type: stream.incident_type,
            severity: stream.severity,
            csirt: stream.csirt,
            sop: stream.sop,
            targets: stream.targets.clone(),
        };
        match &stream.detection {
            None => self.report(world, sched, report, work),
            Some(_) => self.occur(world, sched, stream_index, report, work),
        }
    }

    /// Stops the run when it holds more incidents than its bound allows.
    fn count_incident(&mut self, sched: &mut Scheduler<SimEvent>) {
        self.incident_count += 1;
        let held =
            self.pending.len() as u64 + self.unknown.len() as u64 + self.closed.len() as u64 + self.open_incidents;
        if held >= self.max_held_incidents {
            sched.halt(crate::engine::Budget::Incidents, self.max_held_incidents);
        }
    }

    fn report(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, r: Report, work: Work) {
        self.count_incident(sched);
        let number = self.incident_count;
        let now = sched.now();
        let truth = Truth {
            occurred: now,
            detected: now,
            detected_by: Detector::Victim,
            anonymous: false,
            impact_applied: false,
        };
        self.make_known(world, sched, number, r, work, truth);
    }

    /// Ground truth for the event log (and the scores folded from it).
    pub(super) fn log_occurred(
        &mut self,
        sched: &Scheduler<SimEvent>,
        number: u64,
        r: &Report,
        detected: SimTime,
        detected_by: Detector,
        known: bool,
    ) {
        let event = LogEvent::IncidentOccurred {
            incident: number,
            incident_type: r.incident_type,
            severity: r.severity,
            csirt: r.csirt,
            source: r.source,
            targets: r.targets.clone(),
            detected,
            detected_by,
            known,
        };
        self.log(sched, event);
    }

    /// The CSIRT learns of an incident: it enters the World and the desk's queue.
    fn make_known(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        number: u64,
        r: Report,
        work: Work,
        truth: Truth,
    ) {
        let now = sched.now();
        self.open_incidents += 1;
        let incident = world
            .spawn(IncidentRecord {
                occurred: truth.occurred,
                detected: truth.detected,
                detected_by: truth.detected_by,
                anonymous: truth.anonymous,
                number,
                source: r.source,
                incident_type: r.incident_type,
                severity: r.severity,
                csirt: r.csirt,
                sop: r.sop,
                targets: r.targets.clone(),
                reported: now,
                // Sized to the SOP: an empty Vec would grow to four steps at the first push.
                steps: Vec::with_capacity(work.len()),
                work,
                attempt: 0,
                closed: None,
            })
            .id();
        let event = LogEvent::IncidentReported {
            incident: number,
            incident_type: r.incident_type,
            severity: r.severity,
            csirt: r.csirt,
            source: r.source,
            sop: r.sop,
            anonymous: truth.anonymous,
            targets: r.targets.clone(),
        };
        self.log(sched, event);
        let assisted = self.scenario.csirts[r.csirt].performs(Phase::Recovery) && !truth.anonymous;
        for target in r.targets.iter().filter(|_| !assisted) {
            // Without incident handling (or without knowing who the victim is) the
            // victim recovers on its own.
            let delay = self.scenario.csirts[r.csirt].unassisted_recovery;
            sched.schedule_in(delay, SimEvent::UnassistedRecovery { incident: number, asset: target.asset });
        }
        for target in r.targets.iter().filter(|_| !truth.impact_applied) {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, Some(target.level));
        }
        self.desk(world, r.csirt).open_incident(now);
        self.queue_step(world, sched, incident, 0, None);
    }
}

/// An incident's step efforts and redo draws, drawn when it happens.
type Work = Vec<StepWork>;

/// What the ground truth says about how an incident came to be known.
struct Truth {
    occurred: SimTime,
    detected: SimTime,
    detected_by: Detector,
    anonymous: bool,
    /// Its target's impact started at occurrence already.
    impact_applied: bool,
}

/// What an arrival or inject reports.
struct Report {
    targets: Vec<Target>,
    source: IncidentSource,
    incident_type: IncidentType,
    severity: Severity,
    csirt: usize,
    sop: usize,
}

/// The national CSIRT of a nation: the first CSIRT of kind National it has.
fn national_csirt(scenario: &Scenario, nation: usize) -> Option<usize> {
    scenario.csirts.iter().position(|c| c.nation == nation && c.kind == crate::scenario::CsirtKind::National)
}
