//! Worm outbreaks: each outbreak is an entity ([`Outbreak`]) with its spread
//! state and its own random streams. Every tick it spreads (the random constant
//! spread model in `spread.rs`), nations notice it, compromised exposed assets
//! are reported as incidents, infected constituents report to their national
//! CSIRT (the report flood), the origin may take its sources down, and the
//! first nation to notice warns the others (`warnings.rs`).

mod reading;
mod relay;
mod spread;
mod warnings;

pub use reading::ReadDone;
pub(crate) use reading::{read_handed_over, read_started};
pub use relay::{AnswerArrives, AnswerDone, NotifyDone, RequestArrives};
pub(crate) use relay::{relay_handed_over, relay_started};
pub use spread::{OutbreakState, TickOutcome};
pub(crate) use warnings::latency_now;
pub use warnings::{CallDone, ProtectionReady, WarningArrives};
pub(crate) use warnings::{CallPolicy, WarningLabel, call_handed_over, call_started, set_call_order, set_warning_tlp};

use super::desks::{self, desk, desk_mut};
use super::event_log::LogEvent;
use super::incidents::{self, IncidentSource, Report, draw_work};
use super::meetings;
use super::services;
use super::trust;
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::scenario::{CsirtId, IncidentType, OutbreakId, Phase, ProgrammeEffect, Scenario, Service, Severity};
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::{Mut, World};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// An outbreak entity: its state (copied into the outcome) and its streams, one
/// per process so that a label or a channel never shifts the spread.
#[derive(Component)]
pub(crate) struct Outbreak {
    pub state: OutbreakState,
    /// Spread and protection draws.
    pub spread: ChaCha8Rng,
    /// TLP discipline draws.
    pub tlp: ChaCha8Rng,
    /// Whether parties act on what they are told (warnings, takedown referrals).
    pub trust: ChaCha8Rng,
    /// Its warning calls.
    pub calls: warnings::CallList,
    /// Its requests for details and notifications to constituents.
    pub relay: relay::Relay,
    /// Its warnings waiting to be read.
    pub reading: reading::Reading,
    /// The report flood: how many constituents report and when; and their
    /// incidents' efforts (own streams: a flood shifts no other draw).
    pub flood: ChaCha8Rng,
    pub flood_efforts: ChaCha8Rng,
    /// Whether its sources were referred to law enforcement (or taken down
    /// without it); and the draw of a referral a decision makes (own stream:
    /// a decision shifts no warning's draw).
    pub referred: bool,
    pub referral: ChaCha8Rng,
    /// Whether it still spreads (its next tick is scheduled).
    pub goes_on: bool,
}

/// The outbreak entities, in scenario order; and the efforts stream of the
/// incidents outbreaks cause.
#[derive(Resource)]
pub(crate) struct Outbreaks {
    pub entities: Vec<Entity>,
    efforts: ChaCha8Rng,
}

/// An outbreak's first hosts are infected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutbreakStart {
    pub outbreak: OutbreakId,
}

/// One step of an outbreak's spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutbreakTick {
    pub outbreak: OutbreakId,
}

/// A constituent of population `population` reports its infection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloodReport {
    pub outbreak: OutbreakId,
    pub population: usize,
}

impl SimEvent<Ttx> for FloodReport {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let FloodReport { outbreak, population } = *self;
        let scenario = ctx.tables().scenario();
        let nation = scenario.outbreaks[outbreak].populations[population].nation;
        let incident_type = IncidentType::Malware;
        let Some((csirt, sop)) =
            scenario.national_csirt(nation).and_then(|c| Some((c, scenario.csirts[c].sop_for(incident_type)?)))
        else {
            return;
        };
        let skill = desks::skill(world, ctx.tables(), csirt);
        let work = draw_work(scenario, skill, sop, &mut outbreak_mut(world, outbreak).flood_efforts);
        let source = IncidentSource::Constituents(outbreak);
        let report = Report { source, incident_type, severity: FLOOD_SEVERITY, csirt, sop, targets: Vec::new() };
        incidents::report(world, ctx, report, work);
    }
}

/// A constituent's own infected machines: less urgent than a compromised
/// critical asset (High), more than background reports (judgement).
pub const FLOOD_SEVERITY: Severity = Severity::Medium;

/// The origin takes down the worm's sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Takedown {
    pub outbreak: OutbreakId,
}

impl SimEvent<Ttx> for OutbreakStart {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        outbreak_step(world, ctx, self.outbreak, true);
    }
}

impl SimEvent<Ttx> for OutbreakTick {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        outbreak_step(world, ctx, self.outbreak, false);
    }
}

impl SimEvent<Ttx> for Takedown {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let outbreak = self.outbreak;
        let factor = ctx.tables().scenario().outbreaks[outbreak].takedown.map_or(1.0, |(_, f)| f);
        let now = ctx.now();
        let mut o = outbreak_mut(world, outbreak);
        o.state.k_factor *= factor;
        o.state.takedown_at = Some(now);
        ctx.emit(LogEvent::Takedown { outbreak, factor });
    }
}

/// Spawns the outbreak entities (each draws its assets' warning draws from its
/// own stream now) and schedules their starts.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let streams = *world.resource::<RngStreams>();
    let mut entities = Vec::with_capacity(scenario.outbreaks.len());
    for (i, o) in scenario.each_outbreak() {
        schedule_at_install(world, o.start.since_start(), OutbreakStart { outbreak: i });
        let mut spread = streams.stream(&format!("outbreak/{}", o.id));
        let state = OutbreakState::new(i, o, &mut spread);
        let tlp = streams.stream(&format!("tlp/{}", o.id));
        let trust = streams.stream(&format!("trust/{}", o.id));
        let calls = warnings::CallList::default();
        let flood = streams.stream(&format!("flood/{}", o.id));
        let flood_efforts = streams.stream(&format!("efforts/flood/{}", o.id));
        let referral = streams.stream(&format!("referral/{}", o.id));
        let relay = relay::Relay::new(o.populations.len());
        let reading = reading::Reading::new(o.populations.len());
        let outbreak = Outbreak {
            state,
            spread,
            tlp,
            trust,
            calls,
            relay,
            reading,
            flood,
            flood_efforts,
            referred: false,
            referral,
            goes_on: true,
        };
        entities.push(world.spawn(outbreak).id());
    }
    world.insert_resource(Outbreaks { entities, efforts: streams.stream("efforts/outbreaks") });
    world.insert_resource(CallPolicy(scenario.coordination.call_order.clone()));
    world.insert_resource(WarningLabel(scenario.coordination.warning_tlp));
}

/// A decision refers the outbreak's sources to the origin's law enforcement
/// now: as when the origin refers them on noticing (which it then does not do
/// again), with a draw of its own; nothing when they were referred already.
pub(crate) fn refer_to_police(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let Some((delay, _)) = o.takedown else { return };
    if std::mem::replace(&mut outbreak_mut(world, outbreak).referred, true) {
        return;
    }
    match scenario.nations[o.origin].law_enforcement {
        None => ctx.schedule_in(delay, Takedown { outbreak }),
        Some(channel) => {
            let trust = trust::police(world, o.origin);
            let acts = outbreak_mut(world, outbreak).referral.random::<f64>() < trust;
            ctx.emit(LogEvent::TakedownReferred { outbreak, acts });
            if acts {
                ctx.schedule_in(channel.latency + delay, Takedown { outbreak });
            }
        }
    }
}

pub(crate) fn outbreak_mut(world: &mut World, outbreak: OutbreakId) -> Mut<'_, Outbreak> {
    let entity = world.resource::<Outbreaks>().entities[outbreak.index()];
    world.get_mut::<Outbreak>(entity).expect("every outbreak has an entity")
}

/// Every outbreak's state, in scenario order.
pub(crate) fn states(world: &World) -> Vec<OutbreakState> {
    let outbreaks = world.resource::<Outbreaks>();
    outbreaks
        .entities
        .iter()
        .map(|e| world.get::<Outbreak>(*e).expect("every outbreak has an entity").state.clone())
        .collect()
}

/// The reports of one tick's new infections in population `k`: Poisson with
/// mean `expected`, each at a uniform time within the tick (the infections
/// happened during it).
fn schedule_flood(
    ctx: &mut Ctx,
    (outbreak, k): (OutbreakId, usize),
    expected: f64,
    (tick, cap): (SimDuration, u64),
    rng: &mut ChaCha8Rng,
) {
    if expected <= 0.0 {
        return;
    }
    let n = (rand_distr::Poisson::new(expected).map_or(0.0, |p| rng.sample(p)) as u64).min(cap);
    for _ in 0..n {
        let at = SimDuration::from_secs(rng.random_range(0..tick.as_secs().max(1)));
        ctx.schedule_in(at, FloodReport { outbreak, population: k });
    }
}

/// Starts an outbreak or advances it one tick; reports compromised assets and
/// lets the first nation to notice warn the others.
fn outbreak_step(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, first: bool) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    let now = ctx.now();
    // Without intrusion detection a CSIRT notices only when infections are
    // `unsensed_detection_factor` times more widespread (judgement, default
    // 10: victims' reports instead of sensors).
    let watch: Vec<Option<f64>> = o
        .populations
        .iter()
        .map(|p| {
            let csirt = scenario.national_csirt(p.nation)?;
            if !desk(world, ctx.tables(), csirt).teams.iter().any(|t| t.capacity() > 0) {
                return None;
            }
            let sensed = scenario.csirts[csirt].offers(Service::IntrusionDetection);
            let factor = if sensed { 1.0 } else { scenario.rules.unsensed_detection_factor };
            let watch = services::factor(world, scenario, csirt, ProgrammeEffect::NoticeThreshold);
            Some((o.detection_threshold * factor * watch).min(1.0))
        })
        .collect();
    // Audits have fixed all but `round(vulnerable x factor)` of each
    // population's hosts (never one infected or already safe).
    let audited: Vec<Option<u64>> = o
        .populations
        .iter()
        .map(|p| {
            let f = services::national_factor(world, scenario, p.nation, ProgrammeEffect::Exploitable);
            (f < 1.0).then(|| p.vulnerable - (p.vulnerable as f64 * f).round() as u64)
        })
        .collect();
    // More reports in one tick than incidents the run may hold would stop it
    // anyway: scheduling them all would only spend memory first.
    let flood_cap = world.resource::<incidents::Incidents>().max_held;
    let (result, anyone_detected_before) = {
        let mut entity = outbreak_mut(world, outbreak);
        let Outbreak { state, spread, flood, .. } = &mut *entity;
        let before = state.detected_at.iter().any(|d| d.is_some());
        let infected_before = if first { vec![0; o.populations.len()] } else { state.infected.clone() };
        let result = if first {
            let result = state.start(o, now, &watch);
            state.audit(o, &audited);
            result
        } else {
            state.audit(o, &audited);
            state.tick(o, scenario, now, o.tick, spread, &watch)
        };
        if o.reports_per_infection > 0.0 {
            for (k, (after, before)) in state.infected.iter().zip(&infected_before).enumerate() {
                let expected = o.reports_per_infection * after.saturating_sub(*before) as f64;
                schedule_flood(ctx, (outbreak, k), expected, (o.tick, flood_cap), flood);
            }
        }
        (result, before)
    };
    // Noticing needs someone awake: at night the on-call analyst is paged and
    // notices after the call-out delay.
    let mut noticed_now = Vec::with_capacity(result.detected.len());
    for &k in &result.detected {
        let csirt = scenario.national_csirt(o.populations[k].nation).expect("only watched populations notice");
        match desk_mut(world, ctx.tables(), csirt).page(now) {
            Some((_, delay)) if delay.is_zero() => noticed_now.push(k),
            Some((team, delay)) => {
                let state = &mut outbreak_mut(world, outbreak).into_inner().state;
                state.detected_at[k] = None;
                state.paged[k] = true;
                ctx.schedule_in(delay, Noticed { outbreak, population: k, team });
            }
            // Nobody left to wake (a call-out limit reached within this
            // tick): noticed at a later tick.
            None => outbreak_mut(world, outbreak).state.detected_at[k] = None,
        }
    }
    noticed(world, ctx, outbreak, &noticed_now, anyone_detected_before);
    for a in result.compromised {
        ctx.emit(LogEvent::AssetCompromised { outbreak, asset: o.exposed_assets[a].asset });
        let csirt = o.report_to[a];
        let incident_type = IncidentType::Malware;
        let Some(sop) = scenario.csirts[csirt].sop_for(incident_type) else {
            continue;
        };
        let skill = desks::skill(world, ctx.tables(), csirt);
        let mut work = draw_work(scenario, skill, sop, &mut world.resource_mut::<Outbreaks>().efforts);
        // A nation warned before this compromise contains it faster.
        let nation = scenario.sectors[scenario.assets[o.exposed_assets[a].asset].sector].nation;
        let warned_before = o.populations.iter().position(|p| p.nation == nation).is_some_and(|k| {
            let entity = world.resource::<Outbreaks>().entities[outbreak.index()];
            let state = &world.get::<Outbreak>(entity).expect("every outbreak has an entity").state;
            state.warned_at[k].is_some_and(|w| w < now)
        });
        if warned_before {
            let factor = scenario.coordination.warned_containment_factor;
            for (w, step) in work.iter_mut().zip(&scenario.sops[sop].steps) {
                if step.phase == Phase::Containment {
                    w.effort = w.effort.scaled(factor);
                }
            }
        }
        let source = IncidentSource::Outbreak(outbreak);
        let targets = vec![o.exposed_assets[a]];
        let report = Report { source, incident_type, severity: Severity::High, csirt, sop, targets };
        incidents::report(world, ctx, report, work);
    }
    let goes_on = result.continues && now + o.tick <= scenario.horizon;
    outbreak_mut(world, outbreak).goes_on = goes_on;
    if goes_on {
        ctx.schedule_in(o.tick, OutbreakTick { outbreak });
    }
}

/// The on-call analyst paged about an outbreak has noticed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noticed {
    pub outbreak: OutbreakId,
    pub population: usize,
    /// The paged team, by position in its desk.
    pub team: usize,
}

impl SimEvent<Ttx> for Noticed {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let Noticed { outbreak, population: k, team } = *self;
        let scenario = ctx.tables().scenario();
        let now = ctx.now();
        let before = {
            let state = &mut outbreak_mut(world, outbreak).into_inner().state;
            let before = state.detected_at.iter().any(|d| d.is_some());
            state.detected_at[k] = Some(now);
            state.paged[k] = false;
            before
        };
        let csirt = scenario.national_csirt(scenario.outbreaks[outbreak].populations[k].nation).expect("paged");
        desk_mut(world, ctx.tables(), csirt).wake(now, team);
        noticed(world, ctx, outbreak, &[k], before);
        desks::dispatch(world, ctx, csirt);
    }
}

/// Populations `detected` have just noticed the outbreak: each logs it, the
/// origin refers the sources to law enforcement, and the first to notice
/// (when nobody had before) calls a meeting and warns the others.
fn noticed(world: &mut World, ctx: &mut Ctx, outbreak: OutbreakId, detected: &[usize], anyone_detected_before: bool) {
    let scenario = ctx.tables().scenario();
    let o = &scenario.outbreaks[outbreak];
    for k in detected {
        ctx.emit(LogEvent::OutbreakDetected { outbreak, nation: o.populations[*k].nation });
        let origin_noticed = o.populations[*k].nation == o.origin;
        // Referred already (a decision did it): the origin does not refer again.
        let referred = {
            let mut o = outbreak_mut(world, outbreak);
            let was = o.referred;
            o.referred |= origin_noticed;
            was
        };
        if let (true, false, Some((delay, _))) = (origin_noticed, referred, o.takedown) {
            // Acting on the source needs the origin's law enforcement, when the
            // scenario declares one: its latency adds, its trust decides.
            match scenario.nations[o.origin].law_enforcement {
                None => {
                    ctx.schedule_in(delay, Takedown { outbreak });
                }
                Some(channel) => {
                    let trust = trust::police(world, o.origin);
                    let acts = outbreak_mut(world, outbreak).trust.random::<f64>() < trust;
                    ctx.emit(LogEvent::TakedownReferred { outbreak, acts });
                    if acts {
                        ctx.schedule_in(channel.latency + delay, Takedown { outbreak });
                    }
                }
            }
        }
    }
    if let (false, Some(first_detector)) = (anyone_detected_before, detected.first()) {
        meetings::outbreak_noticed(ctx, outbreak);
        if o.warn_others {
            warnings::send_warnings(world, ctx, outbreak, *first_detector);
        }
    }
}

/// Whether the outbreak still spreads.
pub(crate) fn goes_on(world: &mut World, outbreak: OutbreakId) -> bool {
    outbreak_mut(world, outbreak).goes_on
}

/// The national CSIRTs that know of the outbreak (they noticed it, or acted
/// on a warning about it), each once, in population order.
pub(crate) fn informed_csirts(world: &mut World, scenario: &Scenario, outbreak: OutbreakId) -> Vec<CsirtId> {
    let o = &scenario.outbreaks[outbreak];
    let state = &outbreak_mut(world, outbreak).into_inner().state;
    let mut csirts = Vec::new();
    for (k, p) in o.populations.iter().enumerate() {
        let knows = state.detected_at[k].is_some() || state.warned_at[k].is_some();
        if let (true, Some(c)) = (knows, scenario.national_csirt(p.nation))
            && !csirts.contains(&c)
        {
            csirts.push(c);
        }
    }
    csirts
}
