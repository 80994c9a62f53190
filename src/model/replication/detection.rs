//! Handler for incidents that happen before anyone knows: detection and reporting.

#[allow(unused_imports)]
use super::*;

impl<S: EventSink> Handlers<S> {
    /// An incident happens (ground truth). Who notices it, and whether and when its
    /// CSIRT learns of it, are drawn now from the stream's detection stream.
    pub(super) fn occur(
        &mut self,
        world: &mut World,
        sched: &mut Scheduler<SimEvent>,
        stream_index: usize,
        r: Report,
        work: Work,
    ) {
        let scenario = Arc::clone(&self.scenario);
        let stream = &scenario.streams[stream_index];
        let Some(detection) = &stream.detection else { return };
        let csirt = &scenario.csirts[r.csirt];
        let nation = &scenario.nations[csirt.nation];
        let rng = &mut self.streams[stream_index].detection;
        // Every draw is made whatever is used, so variants see the same numbers.
        let victim = detection.victim.sample(rng);
        let sector = detection.sector_team.as_ref().map(|d| d.sample(rng));
        let feeds = detection.feeds.as_ref().map(|d| d.sample(rng));
        let (feed_u, report_u, anonymous_u): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
        let legal = csirt.legal_review.sample(rng);
        // Drawn only when a peer is declared, after the draws above.
        let peer = detection.peer_abroad.as_ref().map(|p| (p.csirt, p.delay.sample(rng), rng.random::<f64>()));

        self.count_incident(sched);
        let number = self.incident_count;
        let now = sched.now();
        for target in &r.targets {
            let Handlers { infrastructure, sink, .. } = self;
            let key = ImpactKey::Incident(number);
            infrastructure.set_impact(world, sched, &mut log_to(sink), target.asset, key, Some(target.level));
        }
        let (outside, outside_detector) = match sector {
            Some(s) if s < victim => (s, Detector::SectorTeam),
            _ => (victim, Detector::Victim),
        };
        let caught = feeds.filter(|_| feed_u < detection.feed_quality && csirt.offers(Service::IntrusionDetection));
        let mandated = nation.mandatory_reporting && csirt.mandate != crate::scenario::Mandate::NoMandate;
        let report_delay =
            if mandated { legal.min(csirt.reporting_deadline.unwrap_or(SimDuration::MAX)) } else { legal };
        let reported = (report_u < csirt.report_probability(nation)).then(|| outside + report_delay);
        let (mut detected, mut detected_by) = match caught {
            Some(f) if f <= outside => (f, Detector::Feeds),
            _ => (outside, outside_detector),
        };
        // A peer abroad tips off the CSIRT over their channel; it is acted on
        // with the channel's trust.
        let mut tip = None;
        if let Some((from, delay, trust_u)) = peer {
            if delay < detected {
                (detected, detected_by) = (delay, Detector::PeerAbroad);
            }
            let channel = scenario.coordination.channel(&scenario.csirts[from], csirt);
            tip = channel.filter(|c| trust_u < c.trust).map(|c| delay + c.latency);
        }
        // When the CSIRT learns of it first, and whether that was the victim's report.
        let known = [(caught, false), (reported, true), (tip, false)]
            .into_iter()
            .filter_map(|(at, via_report)| at.map(|at| (at, via_report)))
            .min_by_key(|(at, via_report)| (*at, *via_report));
        let noticed = if known.is_some() { now + detected } else { now + outside };
        let noticed_by = if known.is_some() { detected_by } else { outside_detector };
        self.log_occurred(sched, number, &r, noticed, noticed_by, known.is_some());
        match known {
            Some((after, via_report)) => {
                let truth = Truth {
                    occurred: now,
                    detected: now + detected,
                    detected_by,
                    anonymous: via_report && anonymous_u < csirt.anonymous_share,
                    impact_applied: true,
                };
                self.pending.insert(number, (r, work, truth));
                sched.schedule_in(after, SimEvent::BecomesKnown { incident: number });
            }
            None => {
                if self.keep_records {
                    self.unknown.push(UnknownIncident {
                        number,
                        stream: stream_index,
                        occurred: now,
                        detected: now + outside,
                    });
                }
                for target in &r.targets {
                    let delay = outside + csirt.unassisted_recovery;
                    sched.schedule_in(delay, SimEvent::UnassistedRecovery { incident: number, asset: target.asset });
                }
            }
        }
    }
}
