//! Coordination meetings: while an outbreak goes on, every `every` from its
//! first detection, the national CSIRTs that know of it (they noticed it, or
//! acted on a warning about it) meet. A meeting is an appointment, not queued
//! work: each CSIRT joins with one analyst on duty and free at that moment
//! (the lowest tier free), held for the meeting's `effort`, or misses it; an
//! analyst on call is not woken for it, and one whose shift ends leaves it.
//! Each two CSIRTs that both attend gain `gain` of trust in each other.
//!
//! So meetings cost the analyst time a busy desk does not have, and a desk
//! that is always busy, or asleep, builds no trust by them.

use super::desks::{self, Holder, desk_mut};
use super::event_log::LogEvent;
use super::outbreaks;
use super::trust::{self, TrustCause};
use super::world::{Ctx, Ttx};
use crate::engine::SimEvent;
use crate::scenario::{CsirtId, OutbreakId, Relation};
use bevy_ecs::world::World;

/// The next meeting about an outbreak is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingDue {
    pub outbreak: OutbreakId,
}

/// A meeting ends: its attendees' analysts go back to the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingEnds {
    pub outbreak: OutbreakId,
    pub attended: Vec<CsirtId>,
}

/// An outbreak was first noticed: its first meeting is due one interval later.
pub(crate) fn outbreak_noticed(ctx: &mut Ctx, outbreak: OutbreakId) {
    let scenario = ctx.tables().scenario();
    let Some(meetings) = scenario.coordination.meetings else { return };
    if ctx.now() + meetings.every <= scenario.horizon {
        ctx.schedule_in(meetings.every, MeetingDue { outbreak });
    }
}

impl SimEvent<Ttx> for MeetingDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let outbreak = self.outbreak;
        let scenario = ctx.tables().scenario();
        let Some(meetings) = scenario.coordination.meetings else { return };
        if !outbreaks::goes_on(world, outbreak) {
            return;
        }
        let now = ctx.now();
        let invited = outbreaks::informed_csirts(world, scenario, outbreak);
        if invited.len() >= 2 {
            let (mut attended, mut missed) = (Vec::new(), Vec::new());
            for csirt in invited {
                if desk_mut(world, ctx.tables(), csirt).join_now(now, outbreak, meetings.effort) {
                    attended.push(csirt);
                } else {
                    missed.push(csirt);
                }
            }
            ctx.emit(LogEvent::MeetingHeld { outbreak, attended: attended.clone(), missed });
            for (i, a) in attended.iter().enumerate() {
                for b in &attended[i + 1..] {
                    let cause = TrustCause::Meeting(outbreak);
                    trust::change(world, ctx, Relation::peers(*a, *b), meetings.gain, cause);
                }
            }
            ctx.schedule_in(meetings.effort, MeetingEnds { outbreak, attended });
        }
        if now + meetings.every <= scenario.horizon {
            ctx.schedule_in(meetings.every, MeetingDue { outbreak });
        }
    }
}

impl SimEvent<Ttx> for MeetingEnds {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let now = ctx.now();
        for csirt in &self.attended {
            // `None`: the analyst's shift ended first and it left then.
            desk_mut(world, ctx.tables(), *csirt).release(now, Holder::Meeting(self.outbreak));
            desks::dispatch(world, ctx, *csirt);
        }
    }
}
