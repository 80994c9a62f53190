//! One replication: a World with every mechanic installed, run by the kernel.
//!
//! The World holds everything: the [`Scheduler`] (clock and future-event list),
//! the seed's [`RngStreams`], the scenario, and each mechanic's entities,
//! components and resources. After each kernel event the replication hands the
//! domain events the event produced to its sink (events.csv, the score fold,
//! the console): the sink observes the run, it never reaches into a mechanic.

use super::desks::{Desk, DeskSnapshot};
use super::event_log::LogEvent;
use super::event_log::{EventSink, LogEntry};
use super::incidents::{DecisionRecord, IncidentRecord, IncidentSource, Incidents, InjectRecord, UnknownIncident};
use super::infrastructure::{AssetState, Infrastructure};
use super::injects::{DecisionDue, Exercise, Inject};
use super::outcome::Outcome;
use super::world::{ScenarioRes, Scheduler, Tables, Ttx};
use super::{
    arrivals, assistance, crisis, desks, detection, incidents, infrastructure, injects, media, outbreaks, services,
    staffing, trust, vulnerabilities,
};
use crate::engine::{self, BudgetExceeded, RngStreams, SimDuration, SimEvent, SimTime, StopReason, format_duration};
use crate::model::IncidentId;
use crate::scenario::{AssetId, CsirtId, IncidentType, InjectId, Scenario, Severity};
use bevy_ecs::entity::Entity;
use bevy_ecs::query::Without;
use bevy_ecs::resource::IsResource;
use bevy_ecs::world::World;
use std::any::Any;
use std::sync::Arc;

/// Default limit on events per replication: far above any realistic exercise
/// (a million incidents take about three million events), low enough that a
/// runaway scenario stops within seconds.
pub const DEFAULT_EVENT_BUDGET: u64 = 100_000_000;

/// Events of the budget per incident that may be held in memory at once: the
/// default budget allows 4 million, about 2 GB with records kept (`ttx run`). An
/// incident takes 3 to 6 events, so a run that ends within its event budget
/// rarely meets this bound unless its queues grow without end.
pub const EVENTS_PER_HELD_INCIDENT: u64 = 25;

/// What a caller may want to stop before: injects and decisions (the console),
/// everything else as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upcoming {
    Inject { inject: InjectId },
    Decision { inject: InjectId },
    Other,
}

impl Upcoming {
    pub fn of(event: &dyn SimEvent<Ttx>) -> Self {
        let any: &dyn Any = event;
        if let Some(i) = any.downcast_ref::<Inject>() {
            Upcoming::Inject { inject: i.inject }
        } else if let Some(d) = any.downcast_ref::<DecisionDue>() {
            Upcoming::Decision { inject: d.inject }
        } else {
            Upcoming::Other
        }
    }
}

/// A replication that can be run to its horizon in one go, or stopped before a
/// chosen event and resumed (the facilitator console answers decisions there).
pub struct Replication<S: EventSink> {
    world: World,
    tables: Tables,
    sink: S,
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

/// Empties a World for another replication: every entity despawned, every
/// resource removed (the installs insert them again, into the entities and
/// archetypes bevy keeps for them), the change trackers cleared.
fn empty(world: &mut World) {
    world.clear_resources();
    let entities: Vec<Entity> = world.query_filtered::<Entity, Without<IsResource>>().iter(world).collect();
    for e in entities {
        world.despawn(e);
    }
    world.clear_trackers();
}

/// Hands the domain events of the event just run to the sink, stamped with its
/// time and sequence, then the records of the incidents it closed when the sink
/// takes them (so that the run keeps none).
fn drain<S: EventSink>(world: &mut World, sink: &mut S, time: SimTime, sequence: u64, events: &mut Vec<LogEvent>) {
    for event in events.drain(..) {
        sink.record(&LogEntry { time, sequence, event });
    }
    if sink.takes_records() {
        let mut incidents = world.resource_mut::<Incidents>();
        if !incidents.closed.is_empty() {
            incidents.archived += incidents.closed.len() as u64;
            for record in incidents.closed.drain(..) {
                sink.archive(&record);
            }
        }
    }
}

impl<S: EventSink> Replication<S> {
    /// Builds the World for `scenario` with all randomness from `seed`. The
    /// order of the installs fixes the sequence numbers of every first event
    /// (shift changes, arrivals, injects, departures, outbreaks), so it is part
    /// of the ordering contract.
    pub fn new(scenario: Arc<Scenario>, seed: u64, event_budget: u64, sink: S) -> Self {
        Self::in_world(World::new(), scenario, seed, event_budget, sink)
    }

    /// [`Replication::new`] in a World handed back by [`Replication::finish_keeping_world`]:
    /// emptied of every entity and resource, it keeps its component
    /// registrations, archetypes and tables, which a small scenario's
    /// replication otherwise spends a tenth of its time building. The run is the
    /// same: nothing in the model depends on `Entity` values (the determinism
    /// rules), and a batch with reused Worlds writes the same runs.csv (tested).
    pub fn in_world(mut world: World, scenario: Arc<Scenario>, seed: u64, event_budget: u64, sink: S) -> Self {
        empty(&mut world);
        world.insert_resource(Scheduler::new(event_budget));
        world.insert_resource(RngStreams::new(seed));
        world.insert_resource(ScenarioRes(Arc::clone(&scenario)));
        incidents::install(&mut world, event_budget / EVENTS_PER_HELD_INCIDENT);
        let desks = desks::install(&mut world);
        staffing::install_shifts(&mut world);
        arrivals::install(&mut world);
        detection::install(&mut world);
        injects::install(&mut world);
        staffing::install_attrition(&mut world);
        infrastructure::install(&mut world);
        outbreaks::install(&mut world);
        vulnerabilities::install(&mut world);
        trust::install(&mut world);
        media::install(&mut world);
        crisis::install(&mut world);
        assistance::install(&mut world);
        services::install(&mut world);
        let tables = Tables { scenario, desks };
        Self { world, tables, sink, seed, sampler: None }
    }

    /// Takes a [`Snapshot`] at T+0, every `every` seconds and at the horizon as the
    /// run passes them ([`Self::take_samples`] hands them over). Sampling does not
    /// change the run.
    pub fn sample_every(&mut self, every: SimDuration) {
        self.sampler = Some(Sampler {
            every: every.max(SimDuration::SECOND),
            next: SimTime::ZERO,
            done: false,
            snapshots: Vec::new(),
        });
    }

    pub fn take_samples(&mut self) -> Vec<Snapshot> {
        self.sampler.as_mut().map(|s| std::mem::take(&mut s.snapshots)).unwrap_or_default()
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.tables.scenario
    }

    fn scheduler(&self) -> &Scheduler {
        self.world.resource::<Scheduler>()
    }

    /// Delivers contingency (or any) inject `inject` at `at` (no earlier than now):
    /// the facilitator's ad-hoc inject. It runs after the events already due then.
    pub fn deliver(&mut self, inject: InjectId, at: SimTime) -> Result<(), ReplicationError> {
        if inject.index() >= self.scenario().injects.len() {
            return Err(ReplicationError::NoSuchInject(inject));
        }
        let now = self.now();
        let delay = at.checked_since(now).ok_or(ReplicationError::InjectInThePast { at, now })?;
        engine::schedule_in::<Ttx>(&mut self.world, delay, Inject { inject });
        Ok(())
    }

    /// Keep no record of closed or never-known incidents: the outcome then holds
    /// the open ones only, and the scores must come from the event stream (a
    /// [`crate::score::ScoreFold`] as the sink). Memory then follows the open work.
    pub fn forget_closed_incidents(&mut self) {
        self.world.resource_mut::<Incidents>().keep_records = false;
    }

    /// The event sink, for readers of the log so far (the console's messages).
    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// Every incident its CSIRT knows of so far, closed and open, by number.
    pub fn known_incidents(&self) -> Vec<&IncidentRecord> {
        let mut all: Vec<&IncidentRecord> = self.world.resource::<Incidents>().closed.iter().collect();
        let open = self.world.iter_entities().filter_map(|e| e.get::<IncidentRecord>());
        all.extend(open);
        all.sort_unstable_by_key(|r| r.number);
        all
    }

    /// Ground truth so far: incidents that happened but that no CSIRT knows of
    /// yet (`will_be_known`), and those no CSIRT will ever learn of, by number.
    pub fn hidden_incidents(&self) -> Vec<HiddenIncident> {
        let scenario = self.scenario();
        let incidents = self.world.resource::<Incidents>();
        let pending = incidents.pending.iter().map(|(number, (report, _, truth))| HiddenIncident {
            number: *number,
            csirt: report.csirt,
            incident_type: report.incident_type,
            severity: report.severity,
            occurred: truth.occurred,
            will_be_known: true,
        });
        let now = self.now();
        let never = incidents.unknown.iter().filter(|u| u.occurred <= now).map(|u| {
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
        &self.world.resource::<Exercise>().decisions
    }

    /// Injects delivered so far, in order.
    pub fn injects_delivered(&self) -> &[InjectRecord] {
        &self.world.resource::<Exercise>().delivered
    }

    pub fn now(&self) -> SimTime {
        self.scheduler().now()
    }

    /// The next event and when it is due.
    pub fn next_event(&self) -> Option<(SimTime, Upcoming)> {
        self.scheduler().peek().map(|(t, e)| (t, Upcoming::of(e)))
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// Runs up to `until` (at most the horizon), stopping before any event for which
    /// `stop_before` is true.
    pub fn run_until(
        &mut self,
        until: SimTime,
        mut stop_before: impl FnMut(&Upcoming) -> bool,
    ) -> Result<StopReason, BudgetExceeded> {
        let horizon = self.scenario().horizon;
        let until = until.min(horizon);
        loop {
            let due = self.sampler.as_ref().filter(|s| !s.done && s.next <= until).map(|s| s.next);
            let target = due.unwrap_or(until);
            let sink = &mut self.sink;
            let reason = engine::run_until::<Ttx>(
                &mut self.world,
                &self.tables,
                target,
                |e| stop_before(&Upcoming::of(e)),
                |world, time, sequence, events| drain(world, sink, time, sequence, events),
            )?;
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
        let horizon = self.scenario().horizon;
        if self.scheduler().peek().is_none_or(|(t, _)| t > horizon) {
            return Ok(false);
        }
        let sink = &mut self.sink;
        engine::step::<Ttx>(&mut self.world, &self.tables, &mut |world, time, sequence, events| {
            drain(world, sink, time, sequence, events)
        })
    }

    /// Records the table's choice for the decision posed by inject `inject`;
    /// decisions nobody chose take their default.
    pub fn choose(&mut self, inject: InjectId, option: usize) -> Result<(), ReplicationError> {
        let scenario = Arc::clone(self.scenario());
        let Some(decision) = scenario.injects.get(inject.index()).and_then(|i| i.decision.as_ref()) else {
            return Err(ReplicationError::NoDecision(inject));
        };
        if option >= decision.options.len() {
            return Err(ReplicationError::NoSuchOption { decision: decision.id.clone(), option });
        }
        self.world.resource_mut::<Exercise>().choices.insert(inject, option);
        Ok(())
    }

    /// The decision the run is about to take, when it stopped before one.
    pub fn pending_decision(&self) -> Option<InjectId> {
        match self.next_event()? {
            (_, Upcoming::Decision { inject }) => Some(inject),
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
            .tables
            .desks
            .entities
            .iter()
            .map(|e| self.world.get::<Desk>(*e).expect("every CSIRT has a desk entity").snapshot(now))
            .collect();
        let graph = self.world.resource::<Infrastructure>();
        let asset_levels = (0..self.scenario().assets.len())
            .map(|i| {
                self.world.get::<AssetState>(graph.entity(AssetId::new(i))).expect("every asset has an entity").level
            })
            .collect();
        Snapshot { time: now, desks, asset_levels }
    }

    /// Every tracked relation's trust now.
    pub fn trust_levels(&self) -> &trust::TrustLevels {
        self.world.resource::<trust::TrustLevels>()
    }

    /// Every nation's media pressure now.
    pub fn media_now(&self) -> Vec<f64> {
        let scenario = self.scenario();
        let now = self.now();
        self.world.resource::<media::MediaPressure>().nations.iter().map(|p| p.at(now, &scenario.media)).collect()
    }

    /// Every nation's crisis level now (0: normal).
    pub fn crisis_levels(&self) -> Vec<u8> {
        self.world.resource::<crisis::CrisisLevels>().nations.iter().map(|n| n.level).collect()
    }

    pub fn run_to_horizon(&mut self) -> Result<StopReason, BudgetExceeded> {
        self.run_until(SimTime::MAX, |_| false)
    }

    /// Closes the books: integrates every desk and asset up to the end of the
    /// run and hands back the ground truth and the sink (the caller flushes the
    /// event log).
    pub fn finish(self) -> (Outcome, S) {
        let (outcome, sink, _) = self.finish_keeping_world();
        (outcome, sink)
    }

    /// [`Replication::finish`], handing back the World too, for the next
    /// replication of the same worker ([`Replication::in_world`]).
    pub fn finish_keeping_world(mut self) -> (Outcome, S, World) {
        let end_time = self.now();
        let world = &mut self.world;
        let desk_entities = self.tables.desks.entities.clone();
        let desks = desk_entities
            .iter()
            .map(|e| {
                let mut desk = world.get_mut::<Desk>(*e).expect("every CSIRT has a desk entity");
                desk.advance(end_time);
                desk.clone()
            })
            .collect();
        let asset_entities: Vec<_> = (0..self.scenario().assets.len())
            .map(|i| self.world.resource::<Infrastructure>().entity(AssetId::new(i)))
            .collect();
        let world = &mut self.world;
        let assets = asset_entities
            .iter()
            .map(|e| {
                let mut state = world.get_mut::<AssetState>(*e).expect("every asset has an entity");
                state.advance(end_time);
                state.clone()
            })
            .collect();
        // Moved out, not cloned: at a million incidents a copy doubles peak memory.
        let mut incidents = std::mem::take(&mut world.resource_mut::<Incidents>().closed);
        let mut query = world.query::<&mut IncidentRecord>();
        incidents.extend(query.iter_mut(world).map(|mut r| r.take()));
        incidents.sort_unstable_by_key(|i| i.number);
        let known_incidents = incidents.len() as u64 + world.resource::<Incidents>().archived;
        let incidents_archived = self.sink.takes_records();
        if incidents_archived {
            // Closed ones went to the sink as they closed; the open ones go now.
            for record in &incidents {
                self.sink.archive(record);
            }
            incidents.clear();
        }
        let held = world.resource::<Incidents>();
        // Those still to be reported after the end were unknown within the run.
        let mut unknown = held.unknown.clone();
        unknown.extend(held.pending.iter().filter_map(|(number, (report, _, truth))| {
            let IncidentSource::Stream(stream) = report.source else { return None };
            Some(UnknownIncident { number: *number, stream, occurred: truth.occurred, detected: truth.detected })
        }));
        unknown.sort_unstable_by_key(|u| u.number);
        let exercise = world.resource::<Exercise>();
        let outcome = Outcome {
            seed: self.seed,
            end_time,
            events_processed: world.resource::<Scheduler>().processed(),
            incidents,
            known_incidents,
            incidents_archived,
            desks,
            assets,
            decisions: exercise.decisions.clone(),
            injects: exercise.delivered.clone(),
            unknown_incidents: unknown,
            outbreaks: outbreaks::states(world),
            trust: world.resource::<trust::TrustLevels>().clone(),
            media: world.resource::<media::MediaPressure>().clone(),
            crisis: world.resource::<crisis::CrisisLevels>().clone(),
            programme_factors: super::services::final_factors(world),
        };
        let Self { world, sink, .. } = self;
        (outcome, sink, world)
    }
}

/// Why the replication refused a facilitator's request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplicationError {
    #[error("the scenario has no inject {}", .0.index())]
    NoSuchInject(InjectId),
    #[error("cannot deliver an inject at T+{} before the clock (T+{})", format_duration(at.since_start()), format_duration(now.since_start()))]
    InjectInThePast { at: SimTime, now: SimTime },
    #[error("inject {} poses no decision", .0.index())]
    NoDecision(InjectId),
    #[error("decision \"{decision}\" has no option {option}")]
    NoSuchOption { decision: String, option: usize },
}

/// An incident that has happened but that its CSIRT does not know of (ground
/// truth, for the facilitator's truth view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenIncident {
    pub number: IncidentId,
    pub csirt: CsirtId,
    pub incident_type: IncidentType,
    pub severity: Severity,
    pub occurred: SimTime,
    /// It will be reported later; otherwise no CSIRT ever learns of it.
    pub will_be_known: bool,
}

/// The state of a run at one instant (see [`Replication::snapshot_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub time: SimTime,
    pub desks: Vec<DeskSnapshot>,
    pub asset_levels: Vec<f64>,
}
