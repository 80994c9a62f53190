//! Handlers for injects, their effects and the decisions they pose.

#[allow(unused_imports)]
use super::*;
use crate::engine::DurationDistribution;

impl<S: EventSink> Handlers<S> {
    pub(super) fn inject(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, inject: usize) {
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
            Effect::Disclosure { csirt, sop, assets, vendor_patch, patching, exploitation_per_s } => {
                self.disclose(sched, inject, (*csirt, *sop), assets, (vendor_patch, patching), *exploitation_per_s);
            }
            &Effect::Outage { asset, level, duration } => {
                self.outages_started += 1;
                let outage = self.outages_started;
                let Handlers { infrastructure, sink, .. } = self;
                let key = ImpactKey::Outage(outage);
                infrastructure.set_impact(world, sched, &mut log_to(sink), asset, key, Some(level));
                sched.schedule_in(duration, SimEvent::OutageEnds { outage, asset });
            }
            &Effect::Report { incident_type, severity, csirt, sop, target } => {
                let work = draw_work(&self.scenario, csirt, sop, &mut self.inject_efforts);
                let source = IncidentSource::Inject(inject);
                let report = Report { source, incident_type, severity, csirt, sop, target };
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
        (vendor_patch, patching): (&DurationDistribution, &DurationDistribution),
        exploitation_per_s: f64,
    ) {
        self.disclosures += 1;
        let mut rng = self.rngs.stream(&format!("disclosure/{}", self.disclosures));
        let model = &self.scenario.csirts[csirt];
        let vendor_factor = if model.offers(Service::VulnerabilityHandling) { VENDOR_COORDINATION_FACTOR } else { 1.0 };
        let advisory_factor = if model.offers(Service::AlertsAndWarnings) { ADVISORY_PATCHING_FACTOR } else { 1.0 };
        let patch = (vendor_patch.sample(&mut rng) as f64 * vendor_factor).round() as SimDuration;
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
        let report = Report { source, incident_type, severity: Severity::High, csirt, sop, target: Some(target) };
        self.report(world, sched, report, work);
    }
}
