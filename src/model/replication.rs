//! One replication: a World built from the scenario, the kernel, and the handlers
//! that play incidents through CSIRT desks.

use super::components::{DecisionRecord, Detector, IncidentRecord, IncidentSource, StepRecord, UnknownIncident};
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

/// Default limit on events per replication: far above any realistic exercise
/// (a million incidents take about three million events), low enough that a
/// runaway scenario stops within seconds.
pub const DEFAULT_EVENT_BUDGET: u64 = 100_000_000;

/// Effort multiplier by maturity 0-4 (judgement: a SIM3 level-4 team works a step
/// in 80% of the time a level-2 team needs; a level-0 team in 150%).
pub const EFFORT_FACTOR_BY_MATURITY: [f64; 5] = [1.5, 1.25, 1.0, 0.9, 0.8];

/// Chance that a step must be redone, by maturity 0-4 (judgement).
pub const REWORK_RATE_BY_MATURITY: [f64; 5] = [0.20, 0.12, 0.06, 0.03, 0.01];

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
    infrastructure: Infrastructure,
    outages_started: u64,
    /// Options chosen for decisions (by inject index); the rest take their default.
    choices: BTreeMap<usize, usize>,
    decisions: Vec<DecisionRecord>,
    outbreaks: Vec<Entity>,
    /// One stream per outbreak, for its spread and warnings.
    outbreak_rngs: Vec<ChaCha8Rng>,
    /// Per (CSIRT, team) with attrition: its departures stream and the version of
    /// its pending departure (bumped at every headcount change).
    attrition: BTreeMap<(usize, usize), (ChaCha8Rng, u64)>,
    /// One stream per outbreak for TLP discipline draws, so labels do not shift the spread.
    tlp_rngs: Vec<ChaCha8Rng>,
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
            desks.push(world.spawn(Desk::new(i, csirt, &on_duty)).id());
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
            kernel.scheduler().schedule_in(inject.at, SimEvent::Inject { inject: i });
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
                infrastructure,
                outages_started: 0,
                choices: BTreeMap::new(),
                decisions: Vec::new(),
                outbreaks,
                outbreak_rngs,
                tlp_rngs,
                attrition,
                outbreak_efforts: rngs.stream("efforts/outbreaks"),
                recovery_step,
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
        self.kernel.run_until(until, stop_before, |sched, event| handlers.handle(world, sched, event))
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
        let mut query = self.world.query::<&IncidentRecord>();
        let mut incidents: Vec<IncidentRecord> = query.iter(&self.world).cloned().collect();
        incidents.sort_unstable_by_key(|i| i.number);
        let outcome = Outcome {
            seed: self.seed,
            end_time,
            events_processed: self.kernel.processed(),
            incidents,
            desks,
            assets,
            decisions: self.handlers.decisions.clone(),
            unknown_incidents: self.handlers.unknown.clone(),
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
fn draw_work(scenario: &Scenario, csirt: usize, sop: usize, rng: &mut ChaCha8Rng) -> (Vec<SimDuration>, Vec<f64>) {
    let factor = scenario.csirts[csirt].maturity.map_or(1.0, |m| EFFORT_FACTOR_BY_MATURITY[usize::from(m)]);
    scenario.sops[sop]
        .steps
        .iter()
        .map(|step| {
            let effort = step.effort.sample(rng);
            let u: f64 = rng.random();
            ((effort as f64 * factor).round() as SimDuration, u)
        })
        .unzip()
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
                self.set_headcount(world, sched, csirt, team, headcount + analysts);
            }
            SimEvent::EdgeDue { edge, version } => {
                let Handlers { infrastructure, sink, .. } = self;
                infrastructure.edge_due(world, sched, &mut log_to(sink), edge, version);
            }
            SimEvent::DecisionDue { inject } => self.decide(world, sched, inject),
            SimEvent::OutbreakStart { outbreak } | SimEvent::OutbreakTick { outbreak } => {
                self.outbreak_step(world, sched, outbreak, matches!(event, SimEvent::OutbreakStart { .. }))
            }
            SimEvent::WarningArrives { outbreak, population } => {
                self.warning_arrives(world, sched, outbreak, population)
            }
            SimEvent::Departure { csirt, team, version } => {
                let current = self.attrition.get(&(csirt, team)).map(|(_, v)| *v);
                if current == Some(version) {
                    let headcount = self.desk(world, csirt).teams[team].headcount;
                    self.set_headcount(world, sched, csirt, team, headcount.saturating_sub(1));
                }
            }
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
                let share = scenario.coordination.warning_protection;
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
            target: stream.target,
        };
        match &stream.detection {
            None => self.report(world, sched, report, work),
            Some(_) => self.occur(world, sched, stream_index, report, work),
        }
    }

    /// An incident happens (ground truth). Who notices it, and whether and when its
    /// CSIRT learns of it, are drawn now from the stream's detection stream.
    fn occur(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        stream_index: usize,
        r: Report,
        work: Work,
    ) {
        let scenario = Arc::clone(&self.scenario);
        let stream = &scenario.streams[stream_index];
        let Some(detection) = &stream.detection else { return };
        let csirt = &scenario.csirts[r.csirt];
        let nation = &scenario.nations[csirt.nation];
        let rng = &mut self.streams[stream_index].detection;
        // Every draw is made whatever is used, so variants see the same numbers.
        let victim = detection.victim.sample(rng);
        let sector = detection.sector_team.as_ref().map(|d| d.sample(rng));
        let feeds = detection.feeds.as_ref().map(|d| d.sample(rng));
        let (feed_u, report_u, anonymous_u): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
        let legal = csirt.legal_review.sample(rng);

        self.incident_count += 1;
        let number = self.incident_count;
        let now = sched.now();
        if let Some(target) = r.target {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, Some(target.level));
        }
        let (outside, outside_detector) = match sector {
            Some(s) if s < victim => (s, Detector::SectorTeam),
            _ => (victim, Detector::Victim),
        };
        let caught = feeds.filter(|_| feed_u < detection.feed_quality && csirt.offers(Service::IntrusionDetection));
        let mandated = nation.mandatory_reporting && csirt.mandate != crate::scenario::Mandate::NoMandate;
        let report_delay =
            if mandated { legal.min(csirt.reporting_deadline.unwrap_or(SimDuration::MAX)) } else { legal };
        let reported = (report_u < csirt.report_probability(nation)).then(|| outside + report_delay);
        let (detected, detected_by) = match caught {
            Some(f) if f <= outside => (f, Detector::Feeds),
            _ => (outside, outside_detector),
        };
        let known = match (caught, reported) {
            (Some(f), Some(r)) => Some((f.min(r), r < f)),
            (Some(f), None) => Some((f, false)),
            (None, Some(r)) => Some((r, true)),
            (None, None) => None,
        };
        match known {
            Some((after, via_report)) => {
                let truth = Truth {
                    occurred: now,
                    detected: now + detected,
                    detected_by,
                    anonymous: via_report && anonymous_u < csirt.anonymous_share,
                    impact_applied: true,
                };
                self.pending.insert(number, (r, work, truth));
                sched.schedule_in(after, SimEvent::BecomesKnown { incident: number });
            }
            None => {
                self.unknown.push(UnknownIncident {
                    number,
                    stream: stream_index,
                    occurred: now,
                    detected: now + outside,
                });
                if let Some(target) = r.target {
                    let delay = outside + csirt.unassisted_recovery;
                    sched.schedule_in(delay, SimEvent::UnassistedRecovery { incident: number, asset: target.asset });
                }
            }
        }
    }

    fn report(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, r: Report, work: Work) {
        self.incident_count += 1;
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
                target: r.target,
                reported: now,
                efforts: work.0,
                rework_draws: work.1,
                steps: Vec::new(),
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
        };
        self.log(sched, event);
        let assisted = self.scenario.csirts[r.csirt].performs(Phase::Recovery) && !truth.anonymous;
        if let Some(target) = r.target.filter(|_| !assisted) {
            // Without incident handling (or without knowing who the victim is) the
            // victim recovers on its own.
            let delay = self.scenario.csirts[r.csirt].unassisted_recovery;
            sched.schedule_in(delay, SimEvent::UnassistedRecovery { incident: number, asset: target.asset });
        }
        if let Some(target) = r.target.filter(|_| !truth.impact_applied) {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, Some(target.level));
        }
        self.desk(world, r.csirt).open_incident(now);
        self.queue_step(world, sched, incident, 0, None);
    }

    /// Queues step `step` of an incident (a new step, or a redo with `effort`).
    fn queue_step(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        incident: Entity,
        step: usize,
        effort: Option<SimDuration>,
    ) {
        let now = sched.now();
        let scenario = Arc::clone(&self.scenario);
        let mut record = world.get_mut::<IncidentRecord>(incident).expect("incident exists");
        let (csirt, sop) = (record.csirt, record.sop);
        let phase = scenario.sops[sop].steps[step].phase;
        let victim_only = record.anonymous && matches!(phase, Phase::Containment | Phase::Recovery);
        if !scenario.csirts[csirt].performs(phase) || victim_only {
            // Not a service this CSIRT offers: the step is left to the victim.
            record.steps.push(StepRecord { queued: now, in_queue_since: now, skipped: true, ..StepRecord::default() });
            if step + 1 < record.efforts.len() {
                return self.queue_step(world, sched, incident, step + 1, None);
            }
            record.closed = Some(now);
            let (number, reported) = (record.number, record.reported);
            self.desk(world, csirt).close_incident(now);
            self.log(sched, LogEvent::IncidentClosed { incident: number, csirt, time_in_system: now - reported });
            return;
        }
        if step == record.steps.len() {
            record.steps.push(StepRecord { queued: now, in_queue_since: now, ..StepRecord::default() });
        } else {
            record.steps[step].in_queue_since = now;
        }
        let (csirt, severity) = (record.csirt, record.severity);
        let csirt_model = &scenario.csirts[csirt];
        let tier = match csirt_model.structure {
            Structure::Flat => 1,
            Structure::Tiered => {
                let escalated = if severity >= Severity::High { 2 } else { 1 };
                let top = csirt_model.teams.iter().map(|t| t.tier).max().unwrap_or(1);
                scenario.sops[record.sop].steps[step].tier.max(escalated).min(top)
            }
        };
        let job = Job { incident, step, tier, effort: effort.unwrap_or(record.efforts[step]) };
        self.desk(world, csirt).enqueue(now, severity, job);
        self.dispatch(world, sched, csirt);
    }

    /// Starts queued steps while analysts are available.
    fn dispatch(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, csirt: usize) {
        let now = sched.now();
        while let Some(a) = self.desk(world, csirt).take_next(now) {
            let tier = self.desk(world, csirt).teams[a.team].tier;
            let mut record = world.get_mut::<IncidentRecord>(a.job.incident).expect("incident exists");
            let start = now + a.delay;
            let attempt = record.attempt;
            let step = &mut record.steps[a.job.step];
            step.started.get_or_insert(start);
            let waited = start - step.in_queue_since;
            step.waited += waited;
            step.tier = Some(tier);
            let (number, sop) = (record.number, record.sop);
            sched.schedule_in(a.delay + a.job.effort, SimEvent::StepDone { incident: a.job.incident, attempt });
            let event = LogEvent::StepStarted {
                incident: number,
                csirt,
                sop,
                step: a.job.step,
                tier,
                waited,
                callout: a.delay,
            };
            self.log(sched, event);
        }
    }

    fn step_done(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, incident: Entity, attempt: u32) {
        let now = sched.now();
        let mut record = world.get_mut::<IncidentRecord>(incident).expect("incident exists");
        if record.attempt != attempt {
            return; // handed over: someone else finishes it
        }
        let step = record.steps.len() - 1;
        let (number, csirt, sop, reported) = (record.number, record.csirt, record.sop, record.reported);
        let rework_rate = self.scenario.csirts[csirt].maturity.map_or(0.0, |m| REWORK_RATE_BY_MATURITY[usize::from(m)]);
        let redo = !record.steps[step].reworked && record.rework_draws[step] < rework_rate;
        let effort = record.efforts[step];
        if redo {
            record.steps[step].reworked = true;
        } else {
            record.steps[step].finished = Some(now);
        }
        let last_step = !redo && step + 1 == record.efforts.len();
        if last_step {
            record.closed = Some(now);
        }
        let assisted = self.scenario.csirts[csirt].performs(Phase::Recovery) && !record.anonymous;
        let recovers = (!redo && assisted && step == self.recovery_step[sop]).then_some(record.target).flatten();
        if let Some(target) = recovers {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, None);
        }
        self.log(sched, LogEvent::StepFinished { incident: number, csirt, sop, step, effort });
        self.desk(world, csirt).release(now, incident);
        if redo {
            let redo_effort = (effort as f64 * REWORK_SHARE).round() as SimDuration;
            self.log(sched, LogEvent::StepRedone { incident: number, csirt, sop, step, effort: redo_effort });
            self.queue_step(world, sched, incident, step, Some(redo_effort));
        } else if last_step {
            self.desk(world, csirt).close_incident(now);
            self.log(sched, LogEvent::IncidentClosed { incident: number, csirt, time_in_system: now - reported });
        } else {
            self.queue_step(world, sched, incident, step + 1, None);
        }
        self.dispatch(world, sched, csirt);
    }

    fn inject(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
        self.log(sched, LogEvent::InjectDelivered { inject });
        let scenario = Arc::clone(&self.scenario);
        for effect in &scenario.injects[inject].effects {
            self.apply(world, sched, inject, effect);
        }
        if scenario.injects[inject].decision.is_some() {
            sched.schedule_in(0, SimEvent::DecisionDue { inject });
        }
    }

    /// Takes the decision posed by `inject`: the choice made for it, else its default.
    fn decide(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
        let scenario = Arc::clone(&self.scenario);
        let Some(decision) = &scenario.injects[inject].decision else {
            return;
        };
        let (option, by_default) = match self.choices.get(&inject) {
            Some(option) => (*option, false),
            None => (decision.default, true),
        };
        self.decisions.push(DecisionRecord { inject, option, time: sched.now(), by_default });
        self.log(sched, LogEvent::DecisionTaken { inject, option, by_default });
        for effect in &decision.options[option].effects {
            self.apply(world, sched, inject, effect);
        }
    }

    fn apply(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize, effect: &Effect) {
        match *effect {
            Effect::Outage { asset, level, duration } => {
                self.outages_started += 1;
                let outage = self.outages_started;
                let Handlers { infrastructure, sink, .. } = self;
                let key = ImpactKey::Outage(outage);
                infrastructure.set_impact(world, sched, &mut log_to(sink), asset, key, Some(level));
                sched.schedule_in(duration, SimEvent::OutageEnds { outage, asset });
            }
            Effect::Report { incident_type, severity, csirt, sop, target } => {
                let work = draw_work(&self.scenario, csirt, sop, &mut self.inject_efforts);
                let source = IncidentSource::Inject(inject);
                let report = Report { source, incident_type, severity, csirt, sop, target };
                self.report(world, sched, report, work);
            }
            Effect::SetAnalysts { csirt, team, analysts } => self.set_headcount(world, sched, csirt, team, analysts),
            Effect::Hire { csirt, team, analysts, ramp_up } => {
                sched.schedule_in(ramp_up, SimEvent::StaffJoins { csirt, team, analysts });
            }
        }
    }

    /// Starts an outbreak or advances it one tick; reports compromised assets and
    /// lets the first nation to notice warn the others.
    fn outbreak_step(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, outbreak: usize, first: bool) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        let now = sched.now();
        // Without intrusion detection a CSIRT notices only when infections are ten
        // times more widespread (judgement: victims' reports instead of sensors).
        let watch: Vec<Option<f64>> = o
            .populations
            .iter()
            .map(|p| {
                let csirt = national_csirt(&scenario, p.nation)?;
                if !self.desk(world, csirt).teams.iter().any(|t| t.capacity() > 0) {
                    return None;
                }
                let factor = if scenario.csirts[csirt].offers(Service::IntrusionDetection) { 1.0 } else { 10.0 };
                Some((o.detection_threshold * factor).min(1.0))
            })
            .collect();
        let (result, anyone_detected_before) = {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            let before = state.detected_at.iter().any(|d| d.is_some());
            let rng = &mut self.outbreak_rngs[outbreak];
            let result =
                if first { state.start(o, now, &watch) } else { state.tick(o, &scenario, now, o.tick, rng, &watch) };
            (result, before)
        };
        for k in &result.detected {
            self.log(sched, LogEvent::OutbreakDetected { outbreak, nation: o.populations[*k].nation });
            let origin_noticed = o.populations[*k].nation == o.origin;
            if let (true, Some((delay, _))) = (origin_noticed, o.takedown) {
                sched.schedule_in(delay, SimEvent::Takedown { outbreak });
            }
        }
        if let (false, Some(first_detector)) = (anyone_detected_before, result.detected.first())
            && o.warn_others
        {
            self.send_warnings(sched, outbreak, *first_detector);
        }
        for a in result.compromised {
            self.log(sched, LogEvent::AssetCompromised { outbreak, asset: o.exposed_assets[a].asset });
            let csirt = o.report_to[a];
            let incident_type = IncidentType::Malware;
            let Some(sop) = scenario.csirts[csirt].sop_for(incident_type) else {
                continue;
            };
            let mut work = draw_work(&scenario, csirt, sop, &mut self.outbreak_efforts);
            // A nation warned before this compromise contains it faster.
            let nation = scenario.sectors[scenario.assets[o.exposed_assets[a].asset].sector].nation;
            let warned_before = o.populations.iter().position(|p| p.nation == nation).is_some_and(|k| {
                let state = world.get::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                state.warned_at[k].is_some_and(|w| w < now)
            });
            if warned_before {
                let factor = scenario.coordination.warned_containment_factor;
                for (effort, step) in work.0.iter_mut().zip(&scenario.sops[sop].steps) {
                    if step.phase == Phase::Containment {
                        *effort = (*effort as f64 * factor).round() as SimDuration;
                    }
                }
            }
            let source = IncidentSource::Outbreak(outbreak);
            let target = Some(o.exposed_assets[a]);
            let report = Report { source, incident_type, severity: Severity::High, csirt, sop, target };
            self.report(world, sched, report, work);
        }
        if result.continues && now + o.tick <= scenario.horizon {
            sched.schedule_in(o.tick, SimEvent::OutbreakTick { outbreak });
        }
    }

    /// The national CSIRT of population `from` calls the others one after another
    /// (each call takes the coordinator `call_effort`), largest population first.
    fn send_warnings(&mut self, sched: &mut Scheduler<SimEvent>, outbreak: usize, from: usize) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        let Some(caller) = national_csirt(&scenario, o.populations[from].nation) else {
            return;
        };
        if !scenario.csirts[caller].offers(Service::AlertsAndWarnings) {
            return;
        }
        let coordination = &scenario.coordination;
        let mut calls_made = 0;
        for k in call_order(o, from) {
            let Some(callee) = national_csirt(&scenario, o.populations[k].nation) else {
                continue;
            };
            match coordination.latency(&scenario.csirts[caller], &scenario.csirts[callee]) {
                Some(latency) => {
                    calls_made += 1;
                    let delay = calls_made * coordination.call_effort + latency;
                    let arrives = sched.now() + delay;
                    self.log(sched, LogEvent::WarningSent { outbreak, from: caller, to: callee, arrives });
                    sched.schedule_in(delay, SimEvent::WarningArrives { outbreak, population: k });
                }
                None => self.log(sched, LogEvent::WarningUnreachable { outbreak, from: caller, to: callee }),
            }
        }
    }

    fn warning_arrives(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, outbreak: usize, k: usize) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        let (first_time, share) = {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            let first_time = state.warned(o, k, sched.now());
            (first_time, state.infected_share_when_warned[k].unwrap_or(0.0))
        };
        if !first_time {
            return;
        }
        if let Some(csirt) = national_csirt(&scenario, o.populations[k].nation) {
            self.log(sched, LogEvent::WarningReceived { outbreak, csirt, infected_share: share });
        }
        let Some(csirt) = national_csirt(&scenario, o.populations[k].nation) else { return };
        // The label decides whether the CSIRT may pass the warning to its
        // constituents, who are the ones to protect themselves.
        let tlp = scenario.coordination.warning_tlp;
        let draw: f64 = self.tlp_rngs[outbreak].random();
        let violation = !tlp.allows_constituents() && draw >= scenario.csirts[csirt].tlp_discipline;
        if !tlp.allows_constituents() && !violation {
            self.log(sched, LogEvent::WarningHeld { outbreak, csirt, tlp });
            return;
        }
        {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            state.forwarded[k] = true;
            state.tlp_violations += u32::from(violation);
        }
        self.log(sched, LogEvent::WarningForwarded { outbreak, csirt, tlp, violation });
        let read_after = self.until_awake(world, csirt, sched.now());
        let ready = read_after + scenario.coordination.preparation;
        sched.schedule_in(ready, SimEvent::ProtectionReady { outbreak, population: k });
    }

    /// How long until CSIRT `csirt` has someone on duty or on call (0 if now):
    /// the earliest next start of one of its teams' shifts. A warning is read then.
    fn until_awake(&self, world: &mut World, csirt: usize, now: SimTime) -> SimDuration {
        if self.desk(world, csirt).teams.iter().any(|t| t.capacity() > 0) {
            return 0;
        }
        let local = local_time(&self.scenario, self.scenario.csirts[csirt].nation, now);
        self.scenario.csirts[csirt]
            .teams
            .iter()
            .filter(|t| t.analysts > 0)
            .filter_map(|t| {
                next_change(&t.shift, local).filter(|(_, on)| *on).map(|(at, _)| (at - local) as SimDuration)
            })
            .min()
            .unwrap_or(0)
    }

    fn set_headcount(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        csirt: usize,
        team: usize,
        analysts: u32,
    ) {
        let mut desk = self.desk(world, csirt);
        let from = desk.set_headcount(sched.now(), team, analysts);
        let tier = desk.teams[team].tier;
        self.log(sched, LogEvent::StaffChanged { csirt, tier, from, to: analysts });
        // Attrition runs at the new headcount: the pending departure is replaced.
        let rate = self.scenario.csirts[csirt].teams[team].attrition_per_s;
        if let (Some(rate), Some((rng, version))) = (rate, self.attrition.get_mut(&(csirt, team))) {
            *version += 1;
            if let Some(delay) = next_departure(rng, rate, analysts) {
                sched.schedule_in(delay, SimEvent::Departure { csirt, team, version: *version });
            }
        }
        self.dispatch(world, sched, csirt);
    }

    /// A team comes on duty (queued work starts) or goes off (steps in progress
    /// are handed over: back in line at their old place, with the hand-over time
    /// added to what is left).
    fn shift_change(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        csirt: usize,
        team: usize,
        on_duty: bool,
    ) {
        let now = sched.now();
        let scenario = Arc::clone(&self.scenario);
        let csirt_model = &scenario.csirts[csirt];
        let tier = {
            let mut desk = self.desk(world, csirt);
            desk.set_on_duty(now, team, on_duty);
            desk.teams[team].tier
        };
        self.log(sched, LogEvent::ShiftChanged { csirt, tier, on_duty });
        if !on_duty {
            for incident in self.desk(world, csirt).working_in(team) {
                self.hand_over(world, sched, csirt, incident);
            }
        }
        let local = local_time(&scenario, csirt_model.nation, now);
        if let Some((at, next)) = next_change(&csirt_model.teams[team].shift, local) {
            sched.schedule_in((at - local) as u64, SimEvent::ShiftChange { csirt, team, on_duty: next });
        }
        self.dispatch(world, sched, csirt);
    }

    fn hand_over(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, csirt: usize, incident: Entity) {
        let now = sched.now();
        let handover = self.scenario.csirts[csirt].handover;
        let Some(remaining) = self.desk(world, csirt).hand_over(now, incident, handover) else {
            return;
        };
        let mut record = world.get_mut::<IncidentRecord>(incident).expect("incident exists");
        record.attempt += 1;
        let step = record.steps.len() - 1;
        record.steps[step].handovers += 1;
        record.steps[step].in_queue_since = now;
        let (number, sop) = (record.number, record.sop);
        self.log(sched, LogEvent::StepHandedOver { incident: number, csirt, sop, step, remaining });
    }
}

/// An incident's step efforts and redo draws, drawn when it happens.
type Work = (Vec<SimDuration>, Vec<f64>);

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
    target: Option<Target>,
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
