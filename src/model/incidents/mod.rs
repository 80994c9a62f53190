//! Incidents: numbering, the bound on incidents held, an incident entering the
//! World when its CSIRT learns of it, and leaving it for the archive when closed.
//!
//! An open incident is an entity with an [`IncidentRecord`]; closed ones and
//! those no CSIRT knows of yet live in the [`Incidents`] resource (ground truth),
//! so the World holds only open work however long the run.

mod record;
mod work;

pub use record::{
    DecisionRecord, Detector, IncidentId, IncidentRecord, IncidentSource, InjectRecord, StepRecord, StepWork,
    UnknownIncident,
};
pub(crate) use work::{Skill, Work, draw_work};

use super::desks;
use super::event_log::LogEvent;
use super::infrastructure::{self, ImpactKey, UnassistedRecovery};
use super::world::Ctx;
use crate::engine::{Budget, SimTime};
use crate::scenario::{CsirtId, IncidentType, Phase, Severity, SopId, Target};
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::collections::BTreeMap;

/// What an arrival, inject or outbreak reports.
pub(crate) struct Report {
    pub targets: Vec<Target>,
    pub source: IncidentSource,
    pub incident_type: IncidentType,
    pub severity: Severity,
    pub csirt: CsirtId,
    pub sop: SopId,
}

/// What the ground truth says about how an incident came to be known.
pub(crate) struct Truth {
    pub occurred: SimTime,
    pub detected: SimTime,
    pub detected_by: Detector,
    pub anonymous: bool,
    /// Its target's impact started at occurrence already.
    pub impact_applied: bool,
}

/// The incidents that are not open entities, and the counters that bound them.
#[derive(Resource)]
pub(crate) struct Incidents {
    /// Incidents that have happened (known or not), numbering them.
    pub count: u64,
    /// Incidents that happened and will become known to their CSIRT, by number.
    pub pending: BTreeMap<IncidentId, (Report, Work, Truth)>,
    /// Incidents no CSIRT ever learns of.
    pub unknown: Vec<UnknownIncident>,
    /// Closed incidents, in order of closing (until a sink takes them).
    pub closed: Vec<IncidentRecord>,
    /// Closed incidents handed to the sink so far.
    pub archived: u64,
    /// Incidents in the World (known and open).
    pub open: u64,
    /// The most incidents held in memory at once (pending, open, and records
    /// kept): the run stops on it before memory runs out.
    pub max_held: u64,
    /// Whether closed and never-known incidents are kept for the outcome; off when
    /// the scores are folded from the event stream as the run goes (batch).
    pub keep_records: bool,
}

pub(crate) fn install(world: &mut World, max_held: u64) {
    world.insert_resource(Incidents {
        count: 0,
        pending: BTreeMap::new(),
        unknown: Vec::new(),
        closed: Vec::new(),
        archived: 0,
        open: 0,
        max_held: max_held.max(1),
        keep_records: true,
    });
}

/// Numbers a new incident; stops the run when it holds more than its bound allows.
pub(crate) fn number_incident(world: &mut World, ctx: &mut Ctx) -> IncidentId {
    let mut incidents = world.resource_mut::<Incidents>();
    incidents.count += 1;
    let number = IncidentId::from_number(incidents.count);
    let held = incidents.pending.len() as u64
        + incidents.unknown.len() as u64
        + incidents.closed.len() as u64
        + incidents.open;
    if held >= incidents.max_held {
        ctx.halt(Budget::Incidents, incidents.max_held);
    }
    number
}

/// An incident reported as it happens (by its victim, an inject or an outbreak).
pub(crate) fn report(world: &mut World, ctx: &mut Ctx, r: Report, work: Work) {
    let number = number_incident(world, ctx);
    let now = ctx.now();
    let truth =
        Truth { occurred: now, detected: now, detected_by: Detector::Victim, anonymous: false, impact_applied: false };
    make_known(world, ctx, number, r, work, truth);
}

/// The CSIRT learns of an incident: it enters the World and the desk's queue.
pub(crate) fn make_known(world: &mut World, ctx: &mut Ctx, number: IncidentId, r: Report, work: Work, truth: Truth) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    world.resource_mut::<Incidents>().open += 1;
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
    let csirt = &scenario.csirts[r.csirt];
    let assisted = csirt.performs(Phase::Recovery) && !truth.anonymous;
    ctx.emit(LogEvent::IncidentReported {
        incident: number,
        incident_type: r.incident_type,
        severity: r.severity,
        csirt: r.csirt,
        source: r.source,
        sop: r.sop,
        anonymous: truth.anonymous,
        targets: r.targets.clone(),
    });
    // Without incident handling (or without knowing who the victim is) the
    // victim recovers on its own, sooner with business continuity plans.
    let recovery = super::services::unassisted_recovery(world, ctx.tables().scenario(), r.csirt);
    for target in r.targets.iter().filter(|_| !assisted) {
        let event = UnassistedRecovery { incident: number, asset: target.asset };
        ctx.schedule_in(recovery, event);
    }
    for target in r.targets.iter().filter(|_| !truth.impact_applied) {
        infrastructure::set_impact(world, ctx, target.asset, ImpactKey::Incident(number), Some(target.level));
    }
    desks::desk_mut(world, ctx.tables(), r.csirt).open_incident(now);
    desks::queue_step(world, ctx, scenario, incident, 0, None);
}

/// The incident's last step is done (or left to the victim): it closes, and
/// leaves the World for the archive.
pub(crate) fn close(world: &mut World, ctx: &mut Ctx, incident: Entity) {
    let now = ctx.now();
    let mut record = world.get_mut::<IncidentRecord>(incident).expect("an open incident is in the World");
    record.closed = Some(now);
    let (number, csirt, reported) = (record.number, record.csirt, record.reported);
    desks::desk_mut(world, ctx.tables(), csirt).close_incident(now);
    ctx.emit(LogEvent::IncidentClosed { incident: number, csirt, time_in_system: now - reported });
    // Moved out in place (its heap parts; the husk is dropped with the entity):
    // cheaper than removing the component, which moves the entity to another
    // table. At a million incidents keeping the World small halves the run time.
    let kept = world.get_mut::<IncidentRecord>(incident).map(|mut r| r.take());
    let mut incidents = world.resource_mut::<Incidents>();
    if incidents.keep_records {
        incidents.closed.extend(kept);
    }
    incidents.open = incidents.open.saturating_sub(1);
    world.despawn(incident);
}
