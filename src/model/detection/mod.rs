//! Detection and reporting: an incident of a stream with a detection model
//! happens before anyone knows. Who notices it (victim, sector team, the CSIRT's
//! feeds, a peer abroad), whether the victim reports it (trust, mandate, legal
//! review, deadline) and when its CSIRT learns of it are drawn when it happens,
//! from the stream's own detection stream; the incident then waits, as ground
//! truth, until it [`BecomesKnown`].

use super::arrivals::Stream;
use super::event_log::LogEvent;
use super::incidents::{self, Detector, Incidents, Report, Truth, UnknownIncident, Work};
use super::infrastructure::{self, ImpactKey, UnassistedRecovery};
use super::world::{Ctx, Ttx, scenario};
use super::{crisis, trust};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::model::IncidentId;
use crate::scenario::{CsirtId, Mandate, Relation, Service, StreamId};
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// On a stream entity with a detection model: its detection draws.
#[derive(Component)]
struct DetectionStream(ChaCha8Rng);

/// An incident that happened earlier reaches its CSIRT (by report, its feeds
/// or a tip), the first of those routes to arrive; `via_report`: by the
/// victim's report (which may be anonymous).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BecomesKnown {
    pub incident: IncidentId,
    pub via_report: bool,
}

impl SimEvent<Ttx> for BecomesKnown {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let pending = world.resource_mut::<Incidents>().pending.remove(&self.incident);
        if let Some((report, work, mut truth)) = pending {
            // `truth.anonymous` holds the draw: a report keeps it, a tip or the
            // feeds name the victim.
            truth.anonymous &= self.via_report;
            incidents::make_known(world, ctx, self.incident, report, work, truth);
        }
    }
}

/// A peer abroad sends its tip about an incident over a channel that runs
/// over a link abroad (`international_link` of either CSIRT): its latency is
/// the channel's at the time it is sent, the fallback's while a link is down;
/// with no fallback it waits until the link is back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipSent {
    pub incident: IncidentId,
    pub from: CsirtId,
    pub to: CsirtId,
}

impl SimEvent<Ttx> for TipSent {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        if world.resource::<Incidents>().pending.contains_key(&self.incident) {
            send_tip(world, ctx, *self);
        }
    }
}

/// Tips waiting for a link abroad to come back, in the order they were sent.
#[derive(Resource, Debug, Default)]
struct HeldTips(Vec<TipSent>);

fn send_tip(world: &mut World, ctx: &mut Ctx, tip: TipSent) {
    let scenario = ctx.tables().scenario();
    let channel =
        scenario.coordination.channel(&scenario.csirts[tip.from], &scenario.csirts[tip.to]).expect("a tip's channel");
    match crate::model::outbreaks::latency_now(world, scenario, [tip.from, tip.to], channel.latency) {
        Ok(latency) => ctx.schedule_in(latency, BecomesKnown { incident: tip.incident, via_report: false }),
        Err(down) => {
            ctx.emit(LogEvent::TipHeld { incident: tip.incident, from: tip.from, to: tip.to, link_down: down });
            world.resource_mut::<HeldTips>().0.push(tip);
        }
    }
}

/// Service levels changed (one cascade): held tips whose links are back go out.
pub(crate) fn assets_changed(world: &mut World, ctx: &mut Ctx) {
    if world.resource::<HeldTips>().0.is_empty() {
        return;
    }
    let held = std::mem::take(&mut world.resource_mut::<HeldTips>().0);
    for tip in held {
        send_tip(world, ctx, tip);
    }
}

/// Gives every stream entity its detection stream.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let streams = *world.resource::<RngStreams>();
    let mut query = world.query::<(Entity, &Stream)>();
    let mut entities: Vec<(StreamId, Entity)> = query.iter(world).map(|(e, s)| (s.index, e)).collect();
    entities.sort_unstable();
    for (index, entity) in entities {
        let rng = streams.stream(&format!("detection/{}", scenario.streams[index].id));
        world.entity_mut(entity).insert(DetectionStream(rng));
    }
    world.init_resource::<HeldTips>();
}

/// An incident happens (ground truth) on the stream of entity `stream`.
pub(crate) fn occur(world: &mut World, ctx: &mut Ctx, stream: Entity, r: Report, work: Work) {
    let scenario = ctx.tables().scenario();
    let index = world.get::<Stream>(stream).expect("a stream entity").index;
    let Some(detection) = &scenario.streams[index].detection else { return };
    let csirt = &scenario.csirts[r.csirt];
    let mandatory = crisis::mandatory_reporting(world, scenario, csirt.nation);
    let trust_now = trust::level(world, Relation::Constituents(r.csirt));
    let report_probability = super::services::heeded(
        world,
        scenario,
        r.csirt,
        csirt.report_probability(mandatory, trust_now, scenario.rules.mandated_compliance),
    );
    let peer_trust = detection.peer_abroad.as_ref().map(|p| trust::peers(world, p.csirt, r.csirt));
    let mut rng = world.get_mut::<DetectionStream>(stream).expect("installed on every stream");
    let rng = &mut rng.0;
    // Every draw is made whatever is used, so variants see the same numbers.
    let victim = detection.victim.sample(rng);
    let sector = detection.sector_team.as_ref().map(|d| d.sample(rng));
    let feeds = detection.feeds.as_ref().map(|d| d.sample(rng));
    let (feed_u, report_u, anonymous_u): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
    let legal = csirt.legal_review.sample(rng);
    // Drawn only when a peer is declared, after the draws above.
    let peer = detection.peer_abroad.as_ref().map(|p| (p.csirt, p.delay.sample(rng), rng.random::<f64>()));

    let number = incidents::number_incident(world, ctx);
    let now = ctx.now();
    for target in &r.targets {
        infrastructure::set_impact(world, ctx, target.asset, ImpactKey::Incident(number), Some(target.level));
    }
    let (outside, outside_detector) = match sector {
        Some(s) if s < victim => (s, Detector::SectorTeam),
        _ => (victim, Detector::Victim),
    };
    let caught = feeds.filter(|_| feed_u < detection.feed_quality && csirt.offers(Service::IntrusionDetection));
    let mandated = mandatory && csirt.mandate != Mandate::NoMandate;
    let report_delay = if mandated { legal.min(csirt.reporting_deadline.unwrap_or(SimDuration::MAX)) } else { legal };
    let reported = (report_u < report_probability).then(|| outside + report_delay);
    let (mut detected, mut detected_by) = match caught {
        Some(f) if f <= outside => (f, Detector::Feeds),
        _ => (outside, outside_detector),
    };
    // A peer abroad tips off the CSIRT over their channel; it is acted on with
    // the two CSIRTs' trust now. Over a link abroad its latency is known only
    // when it is sent (`deferred_tip`).
    let (mut tip, mut deferred_tip) = (None, None);
    if let (Some((from, delay, trust_u)), Some(trust)) = (peer, peer_trust) {
        if delay < detected {
            (detected, detected_by) = (delay, Detector::PeerAbroad);
        }
        let channel = scenario.coordination.channel(&scenario.csirts[from], csirt).filter(|_| trust_u < trust);
        let over_a_link = [from, r.csirt].iter().any(|c| scenario.csirts[*c].international_link.is_some());
        match channel {
            Some(_) if over_a_link => deferred_tip = Some((from, delay)),
            Some(c) => tip = Some(delay + c.latency),
            None => {}
        }
    }
    // When the CSIRT learns of it first, and whether that was the victim's report.
    let first = [(caught, false), (reported, true), (tip, false)]
        .into_iter()
        .filter_map(|(at, via_report)| at.map(|at| (at, via_report)))
        .min_by_key(|(at, via_report)| (*at, *via_report));
    let known = first.is_some() || deferred_tip.is_some();
    let noticed = if known { now + detected } else { now + outside };
    let noticed_by = if known { detected_by } else { outside_detector };
    ctx.emit(LogEvent::IncidentOccurred {
        incident: number,
        incident_type: r.incident_type,
        severity: r.severity,
        csirt: r.csirt,
        source: r.source,
        targets: r.targets.clone(),
        detected: noticed,
        detected_by: noticed_by,
        known,
    });
    match known {
        true => {
            let truth = Truth {
                occurred: now,
                detected: now + detected,
                detected_by,
                anonymous: anonymous_u < csirt.anonymous_share,
                impact_applied: true,
            };
            let to = r.csirt;
            world.resource_mut::<Incidents>().pending.insert(number, (r, work, truth));
            if let Some((after, via_report)) = first {
                ctx.schedule_in(after, BecomesKnown { incident: number, via_report });
            }
            if let Some((from, delay)) = deferred_tip {
                ctx.schedule_in(delay, TipSent { incident: number, from, to });
            }
        }
        false => {
            let mut incidents = world.resource_mut::<Incidents>();
            if incidents.keep_records {
                incidents.unknown.push(UnknownIncident {
                    number,
                    stream: index,
                    occurred: now,
                    detected: now + outside,
                });
            }
            let recovery = super::services::unassisted_recovery(world, scenario, r.csirt);
            for target in &r.targets {
                let event = UnassistedRecovery { incident: number, asset: target.asset };
                ctx.schedule_in(outside + recovery, event);
            }
        }
    }
}
