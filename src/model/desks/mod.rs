//! CSIRT desks and SOP steps: each CSIRT is an entity with a [`Desk`] (its teams
//! of analysts and the queue of steps waiting for one). A step is queued, started
//! when an analyst of a fitting tier is free (on duty, or on call after a
//! call-out), finished after its effort, possibly redone, and the next step queued.

mod desk;
mod work_queue;

pub(crate) use desk::Job;
pub use desk::{Desk, DeskSnapshot, DeskTotals, Holder, Newcomer, TeamSnapshot, TeamState, Work};

use super::crisis;
use super::event_log::LogEvent;
use super::incidents::{self, IncidentRecord, StepRecord};
use super::infrastructure::{self, ImpactKey};
use super::outbreaks;
use super::services;
use super::staffing::{self, on_duty_at};
use super::trust;
use super::world::{Ctx, ScenarioRes, Tables, Ttx};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::scenario::{CsirtId, Phase, Scenario, Structure};
use bevy_ecs::entity::Entity;
use bevy_ecs::world::{Mut, World};
use std::sync::Arc;

/// A redone step takes this share of its first effort.
const REWORK_SHARE: f64 = 0.5;

/// The desks' part of the replication's tables: the desk entity of each CSIRT,
/// in scenario order (scenario effects name CSIRTs by position), and per SOP the
/// step whose end recovers a targeted asset (the last Recovery step, or the
/// last step if there is none).
pub(crate) struct DeskTable {
    pub entities: Vec<Entity>,
    recovery_steps: Vec<usize>,
}

/// The analyst working on an incident's current step finishes it. Stale when
/// `attempt` is older than the incident's (the step was handed over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepDone {
    pub incident: Entity,
    pub attempt: u32,
}

impl SimEvent<Ttx> for StepDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        step_done(world, ctx, *self);
    }
}

/// Spawns one desk entity per CSIRT, its teams on duty or not at T+0.
pub(crate) fn install(world: &mut World) -> DeskTable {
    let scenario = Arc::clone(&world.resource::<ScenarioRes>().0);
    let entities = scenario
        .each_csirt()
        .map(|(i, csirt)| {
            let local = scenario.local_epoch_s(csirt.nation, SimTime::ZERO);
            let on_duty: Vec<bool> = csirt.teams.iter().map(|t| on_duty_at(&t.shift, local)).collect();
            world.spawn(Desk::new(i, csirt, &on_duty, scenario.window, scenario.rules.knowledge_levels)).id()
        })
        .collect();
    let recovery_steps = scenario
        .sops
        .iter()
        .map(|sop| {
            let last = sop.steps.len().saturating_sub(1);
            sop.steps.iter().rposition(|s| s.phase == Phase::Recovery).unwrap_or(last)
        })
        .collect();
    DeskTable { entities, recovery_steps }
}

/// The desk of CSIRT `csirt`.
pub(crate) fn desk_mut<'w>(world: &'w mut World, tables: &Tables, csirt: CsirtId) -> Mut<'w, Desk> {
    world.get_mut::<Desk>(tables.desks.entities[csirt.index()]).expect("every CSIRT has a desk entity")
}

pub(crate) fn desk<'w>(world: &'w World, tables: &Tables, csirt: CsirtId) -> &'w Desk {
    world.get::<Desk>(tables.desks.entities[csirt.index()]).expect("every CSIRT has a desk entity")
}

/// The CSIRT's maturity now (knowledge lost with experienced people gone).
pub(crate) fn maturity(world: &World, tables: &Tables, csirt: CsirtId) -> Option<u8> {
    desk(world, tables, csirt).maturity
}

/// What scales the work of an incident `csirt` learns of now.
pub(crate) fn skill(world: &World, tables: &Tables, csirt: CsirtId) -> crate::model::incidents::Skill {
    let analysis = services::factor(world, tables.scenario(), csirt, crate::scenario::ProgrammeEffect::AnalysisEffort);
    crate::model::incidents::Skill { maturity: maturity(world, tables, csirt), analysis }
}

fn record_mut(world: &mut World, incident: Entity) -> Mut<'_, IncidentRecord> {
    world.get_mut::<IncidentRecord>(incident).expect("a queued incident is open")
}

/// Queues step `step` of an incident (a new step, or a redo with `effort`).
/// Returns whether it ended by dispatching the CSIRT's desk: `false` when the
/// incident closed instead (every step left was skipped), so a caller that must
/// see the desk dispatched knows whether to do it (a second dispatch with
/// nothing changed in between is a no-op, and costs a take-next and a settle).
pub(crate) fn queue_step(
    world: &mut World,
    ctx: &mut Ctx,
    scenario: &Scenario,
    incident: Entity,
    step: usize,
    effort: Option<SimDuration>,
) -> bool {
    let now = ctx.now();
    let mut record = record_mut(world, incident);
    let (csirt, sop) = (record.csirt, record.sop);
    let phase = scenario.sops[sop].steps[step].phase;
    let victim_only = record.anonymous && matches!(phase, Phase::Containment | Phase::Recovery);
    if !scenario.csirts[csirt].performs(phase) || victim_only {
        // Not a service this CSIRT offers: the step is left to the victim.
        record.steps.push(StepRecord { queued: now, in_queue_since: now, skipped: true, ..StepRecord::default() });
        let (number, steps) = (record.number, record.work.len());
        ctx.emit(LogEvent::StepSkipped { incident: number, csirt, sop, step });
        if step + 1 < steps {
            return queue_step(world, ctx, scenario, incident, step + 1, None);
        }
        incidents::close(world, ctx, incident);
        return false;
    }
    if step == record.steps.len() {
        record.steps.push(StepRecord { queued: now, in_queue_since: now, ..StepRecord::default() });
    } else {
        record.steps[step].in_queue_since = now;
    }
    let severity = record.severity;
    let csirt_model = &scenario.csirts[csirt];
    let tier = match csirt_model.structure {
        Structure::Flat => 1,
        Structure::Tiered => {
            let escalated = if severity >= scenario.rules.escalate_from { 2 } else { 1 };
            let top = csirt_model.teams.iter().map(|t| t.tier).max().unwrap_or(1);
            scenario.sops[sop].steps[step].tier.max(escalated).min(top)
        }
    };
    let job = Job { work: Work::Step { incident, step }, tier, effort: effort.unwrap_or(record.work[step].effort) };
    let number = record.number;
    let mut desk = desk_mut(world, ctx.tables(), csirt);
    let off_shift = desk.nobody_on_shift_for(tier);
    desk.enqueue(now, severity, job);
    if off_shift {
        record_mut(world, incident).steps[step].queued_off_shift = true;
    }
    ctx.emit(LogEvent::StepQueued { incident: number, csirt, sop, step, tier, off_shift });
    dispatch(world, ctx, csirt);
    true
}

/// Starts queued work while analysts are available.
pub(crate) fn dispatch(world: &mut World, ctx: &mut Ctx, csirt: CsirtId) {
    let now = ctx.now();
    let desk = ctx.tables().desks.entities[csirt.index()];
    while let Some(a) = world.get_mut::<Desk>(desk).expect("every CSIRT has a desk entity").take_next(now) {
        let (incident, step) = match a.job.work {
            Work::Step { incident, step } => (incident, step),
            Work::Call { outbreak, callee } => {
                outbreaks::call_started(world, ctx, outbreak, callee, a.delay, a.job.effort);
                continue;
            }
            Work::Outreach => {
                trust::outreach_started(world, ctx, csirt, a.delay, a.job.effort);
                continue;
            }
            Work::Programme(service) => {
                services::session_started(world, ctx, csirt, service, a.delay, a.job.effort);
                continue;
            }
            work @ (Work::Notify { .. } | Work::Answer { .. }) => {
                outbreaks::relay_started(world, ctx, work, a.delay, a.job.effort);
                continue;
            }
            Work::Read { outbreak, population } => {
                outbreaks::read_started(world, ctx, (outbreak, population), a.delay, a.job.effort);
                continue;
            }
            Work::Meeting { .. } => unreachable!("meetings are joined, never queued"),
        };
        let tier = a.tier;
        let mut record = record_mut(world, incident);
        let start = now + a.delay;
        let attempt = record.attempt;
        let step_record = &mut record.steps[step];
        step_record.started.get_or_insert(start);
        let waited = start - step_record.in_queue_since;
        step_record.waited += waited;
        step_record.tier = Some(tier);
        let (number, sop) = (record.number, record.sop);
        ctx.schedule_in(a.delay + a.job.effort, StepDone { incident, attempt });
        let event = LogEvent::StepStarted { incident: number, csirt, sop, step, tier, waited, callout: a.delay };
        ctx.emit(event);
    }
    let mut desk = world.get_mut::<Desk>(desk).expect("every CSIRT has a desk entity");
    desk.settle(now);
    let rests = desk.take_rests();
    staffing::rests_begun(ctx, csirt, &rests);
}

fn step_done(world: &mut World, ctx: &mut Ctx, StepDone { incident, attempt }: StepDone) {
    let now = ctx.now();
    let scenario = ctx.tables().scenario();
    // Gone from the World: closed (and archived) by whoever took it over.
    let Some(csirt) = world.get::<IncidentRecord>(incident).map(|r| r.csirt) else { return };
    let rework_rate = scenario.rules.rework_rate(desk(world, ctx.tables(), csirt).maturity);
    let Some(mut record) = world.get_mut::<IncidentRecord>(incident) else { return };
    if record.attempt != attempt {
        return; // handed over: someone else finishes it
    }
    let step = record.steps.len() - 1;
    let (number, csirt, sop) = (record.number, record.csirt, record.sop);
    let redo = !record.steps[step].reworked && record.work[step].rework_draw < rework_rate;
    let effort = record.work[step].effort;
    if redo {
        record.steps[step].reworked = true;
    } else {
        record.steps[step].finished = Some(now);
    }
    let last_step = !redo && step + 1 == record.work.len();
    let assisted = scenario.csirts[csirt].performs(Phase::Recovery) && !record.anonymous;
    let recovers = !redo && assisted && step == ctx.tables().desks.recovery_steps[sop.index()];
    if recovers {
        let targets = record_mut(world, incident).targets.clone();
        for target in targets {
            infrastructure::set_impact(world, ctx, target.asset, ImpactKey::Incident(number), None);
        }
    }
    // The time this analyst actually worked on it: the remainder after a
    // hand-over (plus the hand-over), or the redo's share, not the first draw.
    let worked = desk_mut(world, ctx.tables(), csirt)
        .release(now, Holder::Incident(incident))
        .map_or(effort, |start| now - start);
    ctx.emit(LogEvent::StepFinished { incident: number, csirt, sop, step, effort: worked });
    if let (false, Some(level)) = (redo, &scenario.sops[sop].steps[step].escalate) {
        crisis::escalate(world, ctx, csirt, level);
    }
    // The analyst is free: the desk is dispatched once, by queue_step when it
    // queued the next step, else here.
    let dispatched = if redo {
        let redo_effort = effort.scaled(REWORK_SHARE);
        ctx.emit(LogEvent::StepRedone { incident: number, csirt, sop, step, effort: redo_effort });
        queue_step(world, ctx, scenario, incident, step, Some(redo_effort))
    } else if last_step {
        incidents::close(world, ctx, incident);
        false
    } else {
        queue_step(world, ctx, scenario, incident, step + 1, None)
    };
    if !dispatched {
        dispatch(world, ctx, csirt);
    }
}

/// The analyst working for `holder` goes off shift: the work goes back in line
/// at its old place, with the hand-over time added to what is left.
pub(crate) fn hand_over(world: &mut World, ctx: &mut Ctx, csirt: CsirtId, holder: Holder) {
    let now = ctx.now();
    let handover = ctx.tables().scenario().csirts[csirt].handover;
    // A meeting is not handed over: its analyst leaves it at the end of the shift.
    if let Holder::Meeting(_) = holder {
        desk_mut(world, ctx.tables(), csirt).release(now, holder);
        return;
    }
    let Some(remaining) = desk_mut(world, ctx.tables(), csirt).hand_over(now, holder, handover) else {
        return;
    };
    let incident = match holder {
        Holder::Incident(incident) => incident,
        Holder::Calls(outbreak) => return outbreaks::call_handed_over(world, ctx, outbreak, remaining),
        Holder::Outreach => return trust::outreach_handed_over(world, csirt),
        Holder::Programme(service) => {
            return services::session_handed_over(world, ctx.tables().scenario(), csirt, service);
        }
        Holder::Notify(..) | Holder::Answer(..) => {
            return outbreaks::relay_handed_over(world, ctx, csirt, holder, remaining);
        }
        Holder::Read(outbreak, k) => return outbreaks::read_handed_over(world, ctx, csirt, (outbreak, k), remaining),
        Holder::Meeting(_) => unreachable!("released above"),
    };
    let mut record = record_mut(world, incident);
    record.attempt += 1;
    let step = record.steps.len() - 1;
    record.steps[step].handovers += 1;
    record.steps[step].in_queue_since = now;
    let (number, sop) = (record.number, record.sop);
    ctx.emit(LogEvent::StepHandedOver { incident: number, csirt, sop, step, remaining });
}
