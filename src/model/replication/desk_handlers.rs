//! Handlers for CSIRT desks: queueing SOP steps, starting and finishing them, staffing and shifts.

#[allow(unused_imports)]
use super::*;

impl<S: EventSink> Handlers<S> {
    /// Queues step `step` of an incident (a new step, or a redo with `effort`).
    pub(super) fn queue_step(
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
            let number = record.number;
            self.log(sched, LogEvent::StepSkipped { incident: number, csirt, sop, step });
            let mut record = world.get_mut::<IncidentRecord>(incident).expect("incident exists");
            if step + 1 < record.work.len() {
                return self.queue_step(world, sched, incident, step + 1, None);
            }
            record.closed = Some(now);
            let (number, reported) = (record.number, record.reported);
            self.desk(world, csirt).close_incident(now);
            self.log(sched, LogEvent::IncidentClosed { incident: number, csirt, time_in_system: now - reported });
            self.archive(world, incident);
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
        let job = Job { incident, step, tier, effort: effort.unwrap_or(record.work[step].effort) };
        let number = record.number;
        let mut desk = self.desk(world, csirt);
        let off_shift = desk.nobody_on_shift_for(tier);
        desk.enqueue(now, severity, job);
        if off_shift {
            world.get_mut::<IncidentRecord>(incident).expect("incident exists").steps[step].queued_off_shift = true;
        }
        self.log(sched, LogEvent::StepQueued { incident: number, csirt, sop, step, tier, off_shift });
        self.dispatch(world, sched, csirt);
    }

    /// Starts queued steps while analysts are available.
    pub(super) fn dispatch(&mut self, world: &mut World, sched: &mut Scheduler<SimEvent>, csirt: usize) {
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

    pub(super) fn step_done(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        incident: Entity,
        attempt: u32,
    ) {
        let now = sched.now();
        // Gone from the World: closed (and archived) by whoever took it over.
        let Some(mut record) = world.get_mut::<IncidentRecord>(incident) else { return };
        if record.attempt != attempt {
            return; // handed over: someone else finishes it
        }
        let step = record.steps.len() - 1;
        let (number, csirt, sop, reported) = (record.number, record.csirt, record.sop, record.reported);
        let rework_rate = self.scenario.csirts[csirt].maturity.map_or(0.0, |m| REWORK_RATE_BY_MATURITY[usize::from(m)]);
        let redo = !record.steps[step].reworked && record.work[step].rework_draw < rework_rate;
        let effort = record.work[step].effort;
        if redo {
            record.steps[step].reworked = true;
        } else {
            record.steps[step].finished = Some(now);
        }
        let last_step = !redo && step + 1 == record.work.len();
        if last_step {
            record.closed = Some(now);
        }
        let assisted = self.scenario.csirts[csirt].performs(Phase::Recovery) && !record.anonymous;
        let recovers =
            if !redo && assisted && step == self.recovery_step[sop] { record.targets.clone() } else { Vec::new() };
        for target in recovers {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, None);
        }
        // The time this analyst actually worked on it: the remainder after a
        // hand-over (plus the hand-over), or the redo's share, not the first draw.
        let worked = self.desk(world, csirt).release(now, incident).map_or(effort, |start| now - start);
        self.log(sched, LogEvent::StepFinished { incident: number, csirt, sop, step, effort: worked });
        if redo {
            let redo_effort = (effort as f64 * REWORK_SHARE).round() as SimDuration;
            self.log(sched, LogEvent::StepRedone { incident: number, csirt, sop, step, effort: redo_effort });
            self.queue_step(world, sched, incident, step, Some(redo_effort));
        } else if last_step {
            self.desk(world, csirt).close_incident(now);
            self.log(sched, LogEvent::IncidentClosed { incident: number, csirt, time_in_system: now - reported });
            self.archive(world, incident);
        } else {
            self.queue_step(world, sched, incident, step + 1, None);
        }
        self.dispatch(world, sched, csirt);
    }

    pub(super) fn set_headcount(
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
    pub(super) fn shift_change(
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

    /// A closed incident leaves the World for the archive: the World holds only
    /// open work, so it stays small however long the run (at a million incidents
    /// this halves the run time, which went to growing tables and page faults).
    fn archive(&mut self, world: &mut World, incident: Entity) {
        // Moved out in place (its heap parts; the husk is dropped with the entity):
        // cheaper than removing the component, which moves the entity to another table.
        if self.keep_records
            && let Some(mut record) = world.get_mut::<IncidentRecord>(incident)
        {
            self.closed.push(record.take());
        }
        self.open_incidents = self.open_incidents.saturating_sub(1);
        world.despawn(incident);
    }

    pub(super) fn hand_over(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        csirt: usize,
        incident: Entity,
    ) {
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
