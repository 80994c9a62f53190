//! Proactive services as desk work with an effect. Each is a programme of
//! sessions due every so often, taken by an analyst from the same desk as
//! incident handling (so a service competes with handling for the same
//! people, the point of "pick one service and be good at it"), and acting
//! when a session is done. A session due while the last still waits is missed.
//!
//! - **Training** (EducationTraining): each session done multiplies the rate
//!   of incidents at the CSIRT's constituents by `1 - reduction`, down to
//!   `floor`. Arrivals are thinned: an incident of a background stream to the
//!   CSIRT happens with probability equal to that factor, drawn from the
//!   stream's own `prevention` stream (so variants share the draws).
//!
//! Outreach (AwarenessBuilding) follows the same pattern in `trust`.

use super::desks::{self, Holder, Job, Work, desk_mut};
use super::event_log::LogEvent;
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{SimDuration, SimEvent};
use crate::scenario::{CsirtId, Severity};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;

/// Training sessions wait behind every incident, as outreach does
/// (judgement: a desk puts teaching off when there is handling to do).
pub const TRAINING_PRIORITY: Severity = Severity::Low;

/// Per CSIRT, in scenario order: its training programme's state.
#[derive(Resource, Debug, Clone)]
pub(crate) struct TrainingState(Vec<Programme>);

#[derive(Debug, Clone, Copy)]
struct Programme {
    /// A session is queued or in hand.
    open: bool,
    /// Bumped at each hand-over: a [`TrainingDone`] of an older attempt is stale.
    attempt: u32,
    /// The rate of incidents at the constituents now, as a share of the scenario's.
    factor: f64,
}

/// A CSIRT's next training session is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingDue {
    pub csirt: CsirtId,
}

/// The analyst giving a training session finishes it (stale after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingDone {
    pub csirt: CsirtId,
    pub attempt: u32,
}

/// Every CSIRT's incidents at their scenario rate; each training programme's
/// first session due at T+0.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let programmes = scenario.csirts.iter().map(|_| Programme { open: false, attempt: 0, factor: 1.0 }).collect();
    world.insert_resource(TrainingState(programmes));
    for (csirt, c) in scenario.each_csirt() {
        if c.training.is_some() {
            schedule_at_install(world, SimDuration::ZERO, TrainingDue { csirt });
        }
    }
}

/// The rate of incidents at `csirt`'s constituents now, as a share of the
/// scenario's (1 without training).
pub(crate) fn incident_factor(world: &World, csirt: CsirtId) -> f64 {
    world.resource::<TrainingState>().0[csirt.index()].factor
}

fn programme(world: &mut World, csirt: CsirtId) -> &mut Programme {
    &mut world.resource_mut::<TrainingState>().into_inner().0[csirt.index()]
}

impl SimEvent<Ttx> for TrainingDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let csirt = self.csirt;
        let scenario = ctx.tables().scenario();
        let Some(training) = scenario.csirts[csirt].training else { return };
        let now = ctx.now();
        if now + training.every <= scenario.horizon {
            ctx.schedule_in(training.every, TrainingDue { csirt });
        }
        let p = programme(world, csirt);
        if p.open {
            ctx.emit(LogEvent::TrainingMissed { csirt });
            return;
        }
        p.open = true;
        let job = Job { work: Work::Training, tier: 1, effort: training.effort };
        desk_mut(world, ctx.tables(), csirt).enqueue(now, TRAINING_PRIORITY, job);
        desks::dispatch(world, ctx, csirt);
    }
}

impl SimEvent<Ttx> for TrainingDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let TrainingDone { csirt, attempt } = *self;
        let scenario = ctx.tables().scenario();
        let Some(training) = scenario.csirts[csirt].training else { return };
        let p = programme(world, csirt);
        if p.attempt != attempt || !p.open {
            return;
        }
        p.open = false;
        p.factor = (p.factor * (1.0 - training.reduction)).max(training.floor);
        let factor = p.factor;
        let now = ctx.now();
        let worked =
            desk_mut(world, ctx.tables(), csirt).release(now, Holder::Training).map_or(training.effort, |s| now - s);
        ctx.emit(LogEvent::TrainingDone { csirt, effort: worked, incident_factor: factor });
        desks::dispatch(world, ctx, csirt);
    }
}

/// An analyst takes the session: it ends after any call-out and its effort.
pub(crate) fn training_started(
    world: &mut World,
    ctx: &mut Ctx,
    csirt: CsirtId,
    delay: SimDuration,
    effort: SimDuration,
) {
    let attempt = programme(world, csirt).attempt;
    ctx.schedule_in(delay + effort, TrainingDone { csirt, attempt });
}

/// The analyst went off shift: the desk put the rest back in line.
pub(crate) fn training_handed_over(world: &mut World, csirt: CsirtId) {
    programme(world, csirt).attempt += 1;
}
