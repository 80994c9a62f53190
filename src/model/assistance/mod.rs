//! Help from a regional body: a CSIRT asks its region for responders; the
//! member with the largest first team (that can spare them and still keep
//! one analyst) lends them when it trusts the requester enough (one draw
//! against the two CSIRTs' trust now, from the `assistance` stream). The
//! responders leave the helper's desk at once, join the requester's first
//! team `arrives` later and go home after `stays`.

use super::desks::desk;
use super::event_log::LogEvent;
use super::staffing::{self, StaffJoins, team_entity};
use super::trust;
use super::world::{Ctx, Ttx};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::scenario::CsirtId;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// The draws of help requests, in the order they are made.
#[derive(Resource)]
struct AssistanceStream(ChaCha8Rng);

/// Lent responders go home: the requester's first team loses them, the
/// helper's gets them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpEnds {
    pub csirt: CsirtId,
    pub helper: CsirtId,
    pub analysts: u32,
}

impl SimEvent<Ttx> for HelpEnds {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let HelpEnds { csirt, helper, analysts } = *self;
        let requester = desk(world, ctx.tables(), csirt).teams[0].headcount;
        staffing::set_headcount(world, ctx, csirt, 0, requester.saturating_sub(analysts));
        let home = desk(world, ctx.tables(), helper).teams[0].headcount;
        staffing::set_headcount(world, ctx, helper, 0, home.saturating_add(analysts));
    }
}

/// What a request for help asks.
pub(crate) struct Request<'a> {
    pub csirt: CsirtId,
    pub helpers: &'a [CsirtId],
    pub analysts: u32,
    pub arrives: SimDuration,
    pub stays: SimDuration,
}

/// `csirt` asks its region; see the module comment.
pub(crate) fn request_help(world: &mut World, ctx: &mut Ctx, r: Request) {
    let tables = ctx.tables();
    let u: f64 = world.resource_mut::<AssistanceStream>().0.random();
    // The largest first team that keeps one analyst after lending; scenario order on ties.
    let helper = r
        .helpers
        .iter()
        .map(|h| (*h, desk(world, tables, *h).teams.first().map_or(0, |t| t.headcount)))
        .filter(|(_, n)| *n > r.analysts)
        .max_by_key(|(h, n)| (*n, std::cmp::Reverse(*h)))
        .map(|(h, _)| h);
    let granted = helper.is_some_and(|h| u < trust::peers(world, r.csirt, h));
    ctx.emit(LogEvent::HelpRequested { csirt: r.csirt, helper, analysts: r.analysts, granted });
    let Some(helper) = helper.filter(|_| granted) else { return };
    let home = desk(world, tables, helper).teams[0].headcount;
    staffing::set_headcount(world, ctx, helper, 0, home - r.analysts);
    let team = team_entity(world, r.csirt, 0);
    ctx.schedule_in(r.arrives, StaffJoins { team, analysts: r.analysts, newcomers: None });
    ctx.schedule_in(r.arrives + r.stays, HelpEnds { csirt: r.csirt, helper, analysts: r.analysts });
}

/// The stream of help requests' draws.
pub(crate) fn install(world: &mut World) {
    let rng = world.resource::<RngStreams>().stream("assistance");
    world.insert_resource(AssistanceStream(rng));
}
