//! Proactive services as programmes of desk work with an effect. A programme
//! (a CSIRT's `training`, or one of its `programmes`) has a session due every
//! so often, taken by an analyst from the same desk as incident handling (so a
//! service competes with handling for the same people, the point of "pick one
//! service and be good at it"), in the lane of its `priority` (Low by
//! default: behind every incident, the judgement that a desk puts proactive
//! work off when there is handling to do). A session due while the last still waits is
//! missed. Each session done multiplies the programme's factor by `1 - step`,
//! down to `floor`; what the factor multiplies is the service's
//! [`ProgrammeEffect`], read where that mechanic acts:
//!
//! - `IncidentRate` (EducationTraining): arrivals of a background stream to
//!   the CSIRT are thinned, each happening with probability equal to the
//!   factor, drawn from the stream's own `prevention` stream (so variants
//!   share the draws). See `arrivals`.
//! - `Exploitable` (SecurityAudits, RiskAnalysis): of an outbreak's
//!   vulnerable hosts in the CSIRT's nation, all but `round(vulnerable x
//!   factor)` are fixed before each tick (never those already infected). See
//!   `outbreaks`.
//! - `NoticeThreshold` (TechnologyWatch): the infected share at which the
//!   CSIRT notices an outbreak. See `outbreaks`.
//! - `RecoveryDelay` (BusinessContinuity): a dependency edge's recovery
//!   delay into an asset of the CSIRT's nation, and a victim's recovery on its
//!   own. See `infrastructure`, `incidents`, `detection`.
//! - `AnalysisEffort` (ArtifactHandling): the effort of the CSIRT's Analysis
//!   steps, drawn when an incident becomes known. See `incidents`.
//! - `Unheeded` (Announcements, InformationDissemination): the share of
//!   constituents who would not report an incident they noticed, or not act
//!   on a warning: a report probability `p` becomes `1 - (1 - p) x factor`,
//!   a warning's protection share likewise. See `detection`, `outbreaks`.
//!
//! Two programmes with the same effect (audits and risk analysis) multiply.
//! Outreach (AwarenessBuilding), whose effect is trust, follows the same
//! pattern in `trust`.

use super::desks::{self, Holder, Job, Work, desk_mut};
use super::event_log::LogEvent;
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{SimDuration, SimEvent};
use crate::scenario::{CsirtId, NationId, ProgrammeEffect, Scenario, Service};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;

/// Per CSIRT, in scenario order: its programmes' states, in the order of its
/// `programmes`.
#[derive(Resource, Debug, Clone)]
pub(crate) struct Programmes(Vec<Vec<ProgrammeState>>);

#[derive(Debug, Clone, Copy)]
struct ProgrammeState {
    /// A session is queued or in hand.
    open: bool,
    /// Bumped at each hand-over: a [`SessionDone`] of an older attempt is stale.
    attempt: u32,
    /// What the programme's effect multiplies, now (1 before any session).
    factor: f64,
    /// An inject stopped it: no session is due any more.
    stopped: bool,
}

/// A CSIRT's next session of its programme of `service` is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionDue {
    pub csirt: CsirtId,
    pub service: Service,
}

/// The analyst on a session finishes it (stale after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionDone {
    pub csirt: CsirtId,
    pub service: Service,
    pub attempt: u32,
}

/// Every factor at 1; each programme's first session due at T+0.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let states = scenario
        .csirts
        .iter()
        .map(|c| vec![ProgrammeState { open: false, attempt: 0, factor: 1.0, stopped: false }; c.programmes.len()])
        .collect();
    world.insert_resource(Programmes(states));
    for (csirt, c) in scenario.each_csirt() {
        for p in &c.programmes {
            schedule_at_install(world, SimDuration::ZERO, SessionDue { csirt, service: p.service });
        }
    }
}

/// What `effect` multiplies at `csirt`'s constituents now: the product of
/// its programmes' factors with that effect (1 without any).
pub(crate) fn factor(world: &World, scenario: &Scenario, csirt: CsirtId, effect: ProgrammeEffect) -> f64 {
    let states = &world.resource::<Programmes>().0[csirt.index()];
    scenario.csirts[csirt]
        .programmes
        .iter()
        .zip(states)
        .filter(|(p, _)| p.effect == effect)
        .map(|(_, s)| s.factor)
        .product()
}

/// How long a victim of `csirt`'s takes to recover on its own, now.
pub(crate) fn unassisted_recovery(world: &World, scenario: &Scenario, csirt: CsirtId) -> SimDuration {
    let f = factor(world, scenario, csirt, ProgrammeEffect::RecoveryDelay);
    let d = scenario.csirts[csirt].unassisted_recovery;
    if f == 1.0 { d } else { d.scaled(f) }
}

/// Every programme's factor now, per CSIRT in scenario order.
pub(crate) fn final_factors(world: &World) -> Vec<Vec<f64>> {
    world.resource::<Programmes>().0.iter().map(|c| c.iter().map(|s| s.factor).collect()).collect()
}

/// As [`factor`], for the national CSIRT of `nation` (1 when it has none).
pub(crate) fn national_factor(world: &World, scenario: &Scenario, nation: NationId, effect: ProgrammeEffect) -> f64 {
    scenario.national_csirt(nation).map_or(1.0, |c| factor(world, scenario, c, effect))
}

/// The rate of incidents at `csirt`'s constituents now, as a share of the
/// scenario's (1 without training).
pub(crate) fn incident_factor(world: &World, scenario: &Scenario, csirt: CsirtId) -> f64 {
    factor(world, scenario, csirt, ProgrammeEffect::IncidentRate)
}

/// A probability that the constituents do something (report, act on a
/// warning), raised by a programme that shrinks the share who would not.
pub(crate) fn heeded(world: &World, scenario: &Scenario, csirt: CsirtId, p: f64) -> f64 {
    1.0 - (1.0 - p) * factor(world, scenario, csirt, ProgrammeEffect::Unheeded)
}

fn state<'w>(world: &'w mut World, scenario: &Scenario, csirt: CsirtId, service: Service) -> &'w mut ProgrammeState {
    let i = scenario.csirts[csirt].programmes.iter().position(|p| p.service == service).expect("a declared programme");
    &mut world.resource_mut::<Programmes>().into_inner().0[csirt.index()][i]
}

impl SimEvent<Ttx> for SessionDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let SessionDue { csirt, service } = *self;
        let scenario = ctx.tables().scenario();
        let p = *scenario.csirts[csirt].programme(service).expect("a declared programme");
        if state(world, scenario, csirt, service).stopped {
            return;
        }
        let now = ctx.now();
        if now + p.every <= scenario.horizon {
            ctx.schedule_in(p.every, SessionDue { csirt, service });
        }
        let s = state(world, scenario, csirt, service);
        if s.open {
            ctx.emit(LogEvent::ProgrammeMissed { csirt, service });
            return;
        }
        s.open = true;
        let job = Job { work: Work::Programme(service), tier: 1, effort: p.effort };
        desk_mut(world, ctx.tables(), csirt).enqueue(now, p.priority, job);
        desks::dispatch(world, ctx, csirt);
    }
}

impl SimEvent<Ttx> for SessionDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let SessionDone { csirt, service, attempt } = *self;
        let scenario = ctx.tables().scenario();
        let p = *scenario.csirts[csirt].programme(service).expect("a declared programme");
        let s = state(world, scenario, csirt, service);
        if s.attempt != attempt || !s.open {
            return;
        }
        s.open = false;
        s.factor = (s.factor * (1.0 - p.step)).max(p.floor);
        let factor = s.factor;
        let now = ctx.now();
        let worked = desk_mut(world, ctx.tables(), csirt)
            .release(now, Holder::Programme(service))
            .map_or(p.effort, |start| now - start);
        ctx.emit(LogEvent::ProgrammeDone { csirt, service, effort: worked, factor });
        if p.effect == ProgrammeEffect::RecoveryDelay {
            let nation = scenario.csirts[csirt].nation;
            let f = scenario
                .csirts
                .iter()
                .enumerate()
                .filter(|(_, c)| c.nation == nation)
                .map(|(i, _)| self::factor(world, scenario, CsirtId::new(i), ProgrammeEffect::RecoveryDelay))
                .product();
            world.resource_mut::<super::infrastructure::Infrastructure>().set_recovery_factor(scenario, nation, f);
        }
        desks::dispatch(world, ctx, csirt);
    }
}

/// An inject stops `csirt`'s programme of `service`: no session is due from
/// now on; one queued or in hand is finished (the people are already on it,
/// or it is next in the Low lane), and the factor reached stays (judgement:
/// what constituents learned, or hosts fixed, does not undo itself within
/// an exercise).
pub(crate) fn stop(world: &mut World, ctx: &mut Ctx, csirt: CsirtId, service: Service) {
    let s = state(world, ctx.tables().scenario(), csirt, service);
    if !s.stopped {
        s.stopped = true;
        ctx.emit(LogEvent::ProgrammeStopped { csirt, service });
    }
}

/// An analyst takes the session: it ends after any call-out and its effort.
pub(crate) fn session_started(
    world: &mut World,
    ctx: &mut Ctx,
    csirt: CsirtId,
    service: Service,
    delay: SimDuration,
    effort: SimDuration,
) {
    let attempt = state(world, ctx.tables().scenario(), csirt, service).attempt;
    ctx.schedule_in(delay + effort, SessionDone { csirt, service, attempt });
}

/// The analyst went off shift: the desk put the rest back in line.
pub(crate) fn session_handed_over(world: &mut World, scenario: &Scenario, csirt: CsirtId, service: Service) {
    state(world, scenario, csirt, service).attempt += 1;
}
