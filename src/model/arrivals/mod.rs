//! Incident arrivals: each incident stream of the scenario is an entity with its
//! Poisson process ([`Stream`]). An arrival draws the incident's work and either
//! reports it at once (no detection model) or hands it to detection.

use super::detection;
use super::event_log::LogEvent;
use super::incidents::{self, IncidentSource, Report, draw_work};
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::scenario::StreamId;
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use bevy_ecs::world::World;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

/// An incident stream's random state. Arrival times are accumulated exactly in
/// floating point and rounded only when scheduled, so rounding never drifts the rate.
#[derive(Component)]
pub(crate) struct Stream {
    /// The stream, by position in the scenario.
    pub index: StreamId,
    arrivals: ChaCha8Rng,
    efforts: ChaCha8Rng,
    /// One draw per arrival: whether training prevented it.
    prevention: ChaCha8Rng,
    next_exact_s: f64,
    reported: u64,
}

/// The next incident of a stream happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub stream: Entity,
}

impl SimEvent<Ttx> for Arrival {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        arrival(world, ctx, self.stream);
    }
}

/// Spawns one entity per stream and schedules its first arrival.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let streams = *world.resource::<RngStreams>();
    for (index, stream) in scenario.each_stream() {
        let mut state = Stream {
            index,
            arrivals: streams.stream(&format!("arrivals/{}", stream.id)),
            efforts: streams.stream(&format!("efforts/{}", stream.id)),
            prevention: streams.stream(&format!("prevention/{}", stream.id)),
            next_exact_s: 0.0,
            reported: 0,
        };
        let first = next_arrival(&mut state, stream.rate_per_s);
        let entity = world.spawn(state).id();
        schedule_at_install(world, first, Arrival { stream: entity });
    }
}

fn arrival(world: &mut World, ctx: &mut Ctx, entity: Entity) {
    let scenario = ctx.tables().scenario();
    let index = world.get::<Stream>(entity).expect("arrivals name stream entities").index;
    let stream = &scenario.streams[index];
    let skill = super::desks::skill(world, ctx.tables(), stream.csirt);
    let mut state = world.get_mut::<Stream>(entity).expect("arrivals name stream entities");
    state.reported += 1;
    let work = draw_work(scenario, skill, stream.sop, &mut state.efforts);
    let prevented: f64 = state.prevention.random();
    let next =
        stream.limit.is_none_or(|limit| state.reported < limit).then(|| next_arrival(&mut state, stream.rate_per_s));
    if let Some(delay) = next {
        ctx.schedule_in(delay, Arrival { stream: entity });
    }
    // Thinning: at a factor f of its rate, an arrival happens with probability f.
    if prevented >= super::services::incident_factor(world, ctx.tables().scenario(), stream.csirt) {
        ctx.emit(LogEvent::IncidentPrevented { stream: index, csirt: stream.csirt });
        return;
    }
    let report = Report {
        source: IncidentSource::Stream(index),
        incident_type: stream.incident_type,
        severity: stream.severity,
        csirt: stream.csirt,
        sop: stream.sop,
        targets: stream.targets.clone(),
    };
    match &stream.detection {
        None => incidents::report(world, ctx, report, work),
        Some(_) => detection::occur(world, ctx, entity, report, work),
    }
}

/// Seconds until the next arrival of a Poisson stream, from the exact running sum.
fn next_arrival(state: &mut Stream, rate_per_s: f64) -> SimDuration {
    let previous = state.next_exact_s.round();
    let gap: f64 = Exp1.sample(&mut state.arrivals);
    state.next_exact_s += gap / rate_per_s;
    SimDuration::from_secs((state.next_exact_s.round() - previous).max(0.0) as u64)
}
