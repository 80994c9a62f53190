//! Handlers for injects, their effects and the decisions they pose.

#[allow(unused_imports)]
use super::*;
use crate::engine::DurationDistribution;

impl<S: EventSink> Handlers<S> {
    pub(super) fn inject(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
        self.injects_delivered.push(InjectRecord { inject, time: sched.now() });
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
    pub(super) fn decide(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
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

    pub(super) fn apply(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize, effect: &Effect) {
        match effect {
            Effect::Disclosure { csirt, sop, assets, vendor_patch, patching, exploitation_per_s, vendor } => {
                let patches = (vendor_patch, patching, *vendor);
                self.disclose(sched, inject, (*csirt, *sop), assets, patches, *exploitation_per_s);
            }
            &Effect::Outage { asset, level, duration } => {
                self.outages_started += 1;
                let outage = self.outages_started;
                let Handlers { infrastructure, sink, .. } = self;
                let key = ImpactKey::Outage(outage);
                infrastructure.set_impact(world, sched, &mut log_to(sink), asset, key, Some(level));
                sched.schedule_in(duration, SimEvent::OutageEnds { outage, asset });
            }
            Effect::Report { incident_type, severity, csirt, sop, targets } => {
                let (incident_type, severity, csirt, sop) = (*incident_type, *severity, *csirt, *sop);
                let work = draw_work(&self.scenario, csirt, sop, &mut self.inject_efforts);
                let source = IncidentSource::Inject(inject);
                let report = Report { source, incident_type, severity, csirt, sop, targets: targets.clone() };
                self.report(world, sched, report, work);
            }
            &Effect::SetAnalysts { csirt, team, analysts } => self.set_headcount(world, sched, csirt, team, analysts),
            &Effect::Hire { csirt, team, analysts, ramp_up } => {
                sched.schedule_in(ramp_up, SimEvent::StaffJoins { csirt, team, analysts });
            }
        }
    }

    /// A vulnerability is disclosed: each listed asset is exposed until the
    /// vendor's patch plus its own patching, and is exploited if an attempt comes
    /// first. Everything is drawn now from the disclosure's own stream.
    fn disclose(
        &mut self,
        sched: &mut Scheduler<SimEvent>,
        inject: usize,
        (csirt, sop): (usize, usize),
        assets: &[Target],
        (vendor_patch, patching, vendor): (&DurationDistribution, &DurationDistribution, Option<usize>),
        exploitation_per_s: f64,
    ) {
        self.disclosures += 1;
        let mut rng = self.rngs.stream(&format!("disclosure/{}", self.disclosures));
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.csirts[csirt];
        let advisory_factor = if model.offers(Service::AlertsAndWarnings) { ADVISORY_PATCHING_FACTOR } else { 1.0 };
        let own_schedule = vendor_patch.sample(&mut rng);
        let engage_u: f64 = rng.random();
        // A CSIRT with vulnerability handling reports the flaw to the vendor; a
        // vendor that acts on it patches sooner, but never later than on its own.
        let patch = match vendor.filter(|_| model.offers(Service::VulnerabilityHandling)) {
            None => own_schedule,
            Some(v) => {
                let vendor = &scenario.vendors[v];
                let engaged = engage_u < vendor.channel.trust;
                let hastened =
                    vendor.channel.latency + (own_schedule as f64 * vendor.patch_factor).round() as SimDuration;
                let patch = if engaged { own_schedule.min(hastened) } else { own_schedule };
                let patch_at = sched.now() + patch;
                self.log(sched, LogEvent::VendorContacted { csirt, vendor: v, engaged, patch_at });
                patch
            }
        };
        for target in assets {
            let own = (patching.sample(&mut rng) as f64 * advisory_factor).round() as SimDuration;
            let gap: f64 = Exp1.sample(&mut rng);
            let attempt = (gap / exploitation_per_s).round() as SimDuration;
            if attempt < patch + own {
                self.exploits.push((inject, csirt, sop, *target));
                let exploit = self.exploits.len() - 1;
                sched.schedule_in(attempt, SimEvent::Exploited { exploit });
            }
        }
    }

    /// An exposed asset is exploited: an intrusion is reported to the coordinating CSIRT.
    pub(super) fn exploited(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, exploit: usize) {
        let (inject, csirt, sop, target) = self.exploits[exploit];
        let work = draw_work(&self.scenario, csirt, sop, &mut self.inject_efforts);
        let source = IncidentSource::Inject(inject);
        let incident_type = IncidentType::Intrusion;
        let report = Report { source, incident_type, severity: Severity::High, csirt, sop, targets: vec![target] };
        self.report(world, sched, report, work);
    }
}
