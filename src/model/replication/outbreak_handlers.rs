//! Handlers for worm outbreaks: spread, detection, warnings and protection.

#[allow(unused_imports)]
use super::*;

impl<S: EventSink> Handlers<S> {
    /// Starts an outbreak or advances it one tick; reports compromised assets and
    /// lets the first nation to notice warn the others.
    pub(super) fn outbreak_step(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        outbreak: usize,
        first: bool,
    ) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        let now = sched.now();
        // Without intrusion detection a CSIRT notices only when infections are ten
        // times more widespread (judgement: victims' reports instead of sensors).
        let watch: Vec<Option<f64>> = o
            .populations
            .iter()
            .map(|p| {
                let csirt = national_csirt(&scenario, p.nation)?;
                if !self.desk(world, csirt).teams.iter().any(|t| t.capacity() > 0) {
                    return None;
                }
                let factor = if scenario.csirts[csirt].offers(Service::IntrusionDetection) { 1.0 } else { 10.0 };
                Some((o.detection_threshold * factor).min(1.0))
            })
            .collect();
        let (result, anyone_detected_before) = {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            let before = state.detected_at.iter().any(|d| d.is_some());
            let rng = &mut self.outbreak_rngs[outbreak];
            let result =
                if first { state.start(o, now, &watch) } else { state.tick(o, &scenario, now, o.tick, rng, &watch) };
            (result, before)
        };
        for k in &result.detected {
            self.log(sched, LogEvent::OutbreakDetected { outbreak, nation: o.populations[*k].nation });
            let origin_noticed = o.populations[*k].nation == o.origin;
            if let (true, Some((delay, _))) = (origin_noticed, o.takedown) {
                // Acting on the source needs the origin's law enforcement, when the
                // scenario declares one: its latency adds, its trust decides.
                match scenario.nations[o.origin].law_enforcement {
                    None => {
                        sched.schedule_in(delay, SimEvent::Takedown { outbreak });
                    }
                    Some(channel) => {
                        let acts = self.trust_rngs[outbreak].random::<f64>() < channel.trust;
                        self.log(sched, LogEvent::TakedownReferred { outbreak, acts });
                        if acts {
                            sched.schedule_in(channel.latency + delay, SimEvent::Takedown { outbreak });
                        }
                    }
                }
            }
        }
        if let (false, Some(first_detector)) = (anyone_detected_before, result.detected.first())
            && o.warn_others
        {
            self.send_warnings(world, sched, outbreak, *first_detector);
        }
        for a in result.compromised {
            self.log(sched, LogEvent::AssetCompromised { outbreak, asset: o.exposed_assets[a].asset });
            let csirt = o.report_to[a];
            let incident_type = IncidentType::Malware;
            let Some(sop) = scenario.csirts[csirt].sop_for(incident_type) else {
                continue;
            };
            let mut work = draw_work(&scenario, csirt, sop, &mut self.outbreak_efforts);
            // A nation warned before this compromise contains it faster.
            let nation = scenario.sectors[scenario.assets[o.exposed_assets[a].asset].sector].nation;
            let warned_before = o.populations.iter().position(|p| p.nation == nation).is_some_and(|k| {
                let state = world.get::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                state.warned_at[k].is_some_and(|w| w < now)
            });
            if warned_before {
                let factor = scenario.coordination.warned_containment_factor;
                for (w, step) in work.iter_mut().zip(&scenario.sops[sop].steps) {
                    if step.phase == Phase::Containment {
                        w.effort = (w.effort as f64 * factor).round() as SimDuration;
                    }
                }
            }
            let source = IncidentSource::Outbreak(outbreak);
            let targets = vec![o.exposed_assets[a]];
            let report = Report { source, incident_type, severity: Severity::High, csirt, sop, targets };
            self.report(world, sched, report, work);
        }
        if result.continues && now + o.tick <= scenario.horizon {
            sched.schedule_in(o.tick, SimEvent::OutbreakTick { outbreak });
        }
    }

    /// The national CSIRT of population `from` calls the others one after another
    /// (each call takes the coordinator `call_effort`), largest population first.
    pub(super) fn send_warnings(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        outbreak: usize,
        from: usize,
    ) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        let Some(caller) = national_csirt(&scenario, o.populations[from].nation) else {
            return;
        };
        if !scenario.csirts[caller].offers(Service::AlertsAndWarnings) {
            return;
        }
        let coordination = &scenario.coordination;
        let mut calls_made = 0;
        for k in call_order(o, from) {
            let Some(callee) = national_csirt(&scenario, o.populations[k].nation) else {
                continue;
            };
            let channel = coordination.channel(&scenario.csirts[caller], &scenario.csirts[callee]);
            {
                let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                state.warning_from[k].get_or_insert(caller);
                state.warning_unreachable[k] = channel.is_none();
            }
            match channel {
                Some(channel) => {
                    let latency = channel.latency;
                    calls_made += 1;
                    let delay = calls_made * coordination.call_effort + latency;
                    let arrives = sched.now() + delay;
                    self.log(sched, LogEvent::WarningSent { outbreak, from: caller, to: callee, arrives });
                    sched.schedule_in(delay, SimEvent::WarningArrives { outbreak, population: k, from: caller });
                }
                None => self.log(sched, LogEvent::WarningUnreachable { outbreak, from: caller, to: callee }),
            }
        }
    }

    pub(super) fn warning_arrives(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        outbreak: usize,
        k: usize,
        from: usize,
    ) {
        let scenario = Arc::clone(&self.scenario);
        let o = &scenario.outbreaks[outbreak];
        if let Some(csirt) = national_csirt(&scenario, o.populations[k].nation) {
            let trust =
                scenario.coordination.channel(&scenario.csirts[from], &scenario.csirts[csirt]).map_or(0.0, |c| c.trust);
            if self.trust_rngs[outbreak].random::<f64>() >= trust {
                let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
                state.warning_doubted_at[k].get_or_insert(sched.now());
                self.log(sched, LogEvent::WarningDoubted { outbreak, csirt });
                return;
            }
        }
        let (first_time, share) = {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            let first_time = state.warned(o, k, sched.now());
            (first_time, state.infected_share_when_warned[k].unwrap_or(0.0))
        };
        if !first_time {
            return;
        }
        if let Some(csirt) = national_csirt(&scenario, o.populations[k].nation) {
            self.log(sched, LogEvent::WarningReceived { outbreak, csirt, infected_share: share });
        }
        let Some(csirt) = national_csirt(&scenario, o.populations[k].nation) else { return };
        // The label decides whether the CSIRT may pass the warning to its
        // constituents, who are the ones to protect themselves.
        let tlp = scenario.coordination.warning_tlp;
        let draw: f64 = self.tlp_rngs[outbreak].random();
        let violation = !tlp.allows_constituents() && draw >= scenario.csirts[csirt].tlp_discipline;
        if !tlp.allows_constituents() && !violation {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            state.warning_held[k] = true;
            self.log(sched, LogEvent::WarningHeld { outbreak, csirt, tlp });
            return;
        }
        {
            let mut state = world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists");
            state.forwarded[k] = true;
            state.tlp_violations += u32::from(violation);
        }
        self.log(sched, LogEvent::WarningForwarded { outbreak, csirt, tlp, violation });
        let read_after = self.until_awake(world, csirt, sched.now());
        world.get_mut::<OutbreakState>(self.outbreaks[outbreak]).expect("outbreak exists").warning_read_after[k] =
            Some(read_after);
        let ready = read_after + scenario.coordination.constituent_latency + scenario.coordination.preparation;
        sched.schedule_in(ready, SimEvent::ProtectionReady { outbreak, population: k });
    }

    /// How long until CSIRT `csirt` has someone on duty or on call (0 if now):
    /// the earliest next start of one of its teams' shifts. A warning is read then.
    pub(super) fn until_awake(&self, world: &mut World, csirt: usize, now: SimTime) -> SimDuration {
        if self.desk(world, csirt).teams.iter().any(|t| t.capacity() > 0) {
            return 0;
        }
        let local = local_time(&self.scenario, self.scenario.csirts[csirt].nation, now);
        self.scenario.csirts[csirt]
            .teams
            .iter()
            .filter(|t| t.analysts > 0)
            .filter_map(|t| {
                next_change(&t.shift, local).filter(|(_, on)| *on).map(|(at, _)| (at - local) as SimDuration)
            })
            .min()
            .unwrap_or(0)
    }
}
