//! Vulnerability disclosure: an inject discloses a flaw in some assets. Each is
//! exposed until the vendor's patch plus its own patching (shorter with the
//! CSIRT's advisory, and the vendor faster when the CSIRT's vulnerability
//! handling engages it over a trusted channel), and is exploited, becoming an
//! intrusion reported to the CSIRT, if an attempt comes first.

use super::event_log::LogEvent;
use super::incidents::{self, IncidentSource, Report, draw_work};
use super::injects::InjectEfforts;
use super::world::{Ctx, Ttx};
use crate::engine::{DurationDistribution, RngStreams, SimDuration, SimEvent};
use crate::scenario::{CsirtId, IncidentType, InjectId, Service, Severity, SopId, Target};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// A CSIRT that offers alerts and warnings issues an advisory; its constituents
/// then patch in this share of the time (judgement).
pub const ADVISORY_PATCHING_FACTOR: f64 = 0.5;

/// A disclosed flaw, as an inject's effect states it.
pub(crate) struct Disclosure<'a> {
    pub inject: InjectId,
    pub csirt: CsirtId,
    pub sop: SopId,
    pub assets: &'a [Target],
    pub vendor_patch: &'a DurationDistribution,
    pub patching: &'a DurationDistribution,
    pub vendor: Option<crate::scenario::VendorId>,
    pub exploitation_per_s: f64,
}

/// One exploitation to come: (inject, CSIRT, SOP, target).
#[derive(Clone, Copy)]
struct Exploit {
    inject: InjectId,
    csirt: CsirtId,
    sop: SopId,
    target: Target,
}

#[derive(Resource)]
pub(crate) struct Disclosures {
    /// Disclosures so far (each gets its own stream).
    count: u64,
    exploits: Vec<Exploit>,
}

/// An exposed asset is exploited before it is patched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exploited {
    pub exploit: usize,
}

impl SimEvent<Ttx> for Exploited {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let scenario = ctx.tables().scenario();
        let Exploit { inject, csirt, sop, target } = world.resource::<Disclosures>().exploits[self.exploit];
        let skill = crate::model::desks::skill(world, ctx.tables(), csirt);
        let work = draw_work(scenario, skill, sop, &mut world.resource_mut::<InjectEfforts>().0);
        let source = IncidentSource::Inject(inject);
        let incident_type = IncidentType::Intrusion;
        let report = Report { source, incident_type, severity: Severity::High, csirt, sop, targets: vec![target] };
        incidents::report(world, ctx, report, work);
    }
}

pub(crate) fn install(world: &mut World) {
    world.insert_resource(Disclosures { count: 0, exploits: Vec::new() });
}

/// A flaw is disclosed: everything is drawn now from the disclosure's own stream.
pub(crate) fn disclose(world: &mut World, ctx: &mut Ctx, d: Disclosure) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let count = {
        let mut disclosures = world.resource_mut::<Disclosures>();
        disclosures.count += 1;
        disclosures.count
    };
    let mut rng = world.resource::<RngStreams>().stream(&format!("disclosure/{count}"));
    let model = &scenario.csirts[d.csirt];
    let advisory_factor = if model.offers(Service::AlertsAndWarnings) { ADVISORY_PATCHING_FACTOR } else { 1.0 };
    let own_schedule = d.vendor_patch.sample(&mut rng);
    let engage_u: f64 = rng.random();
    // A CSIRT with vulnerability handling reports the flaw to the vendor; a
    // vendor that acts on it patches sooner, but never later than on its own.
    let patch = match d.vendor.filter(|_| model.offers(Service::VulnerabilityHandling)) {
        None => own_schedule,
        Some(v) => {
            let vendor = &scenario.vendors[v];
            let engaged = engage_u < super::trust::level(world, crate::scenario::Relation::Vendor(v));
            let hastened = vendor.channel.latency + own_schedule.scaled(vendor.patch_factor);
            let patch = if engaged { own_schedule.min(hastened) } else { own_schedule };
            ctx.emit(LogEvent::VendorContacted { csirt: d.csirt, vendor: v, engaged, patch_at: now + patch });
            patch
        }
    };
    for target in d.assets {
        let own = d.patching.sample(&mut rng).scaled(advisory_factor);
        let gap: f64 = Exp1.sample(&mut rng);
        let attempt = SimDuration::from_secs_f64_rounded(gap / d.exploitation_per_s);
        if attempt < patch + own {
            let mut disclosures = world.resource_mut::<Disclosures>();
            disclosures.exploits.push(Exploit { inject: d.inject, csirt: d.csirt, sop: d.sop, target: *target });
            let exploit = disclosures.exploits.len() - 1;
            ctx.schedule_in(attempt, Exploited { exploit });
        }
    }
}
