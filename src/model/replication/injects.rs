//! Handlers for injects, their effects and the decisions they pose.

#[allow(unused_imports)]
use super::*;

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
}
