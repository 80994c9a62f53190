//! A CSIRT's office: the desk depends on an asset (the building's power,
//! with a generator as a dependency buffer). While the asset's service level
//! is below the rule `office_down_below` (default 0.5), nobody at the desk can work: work in hand
//! is handed over (back in line at its place, with the hand-over time), nothing
//! new starts, and messages wait until the office is back. Checked after
//! every cascade that changed the asset, never on a tick.

use super::desks::{self, desk, desk_mut};
use super::event_log::LogEvent;
use super::infrastructure;
use super::world::Ctx;
use crate::scenario::AssetId;
use bevy_ecs::world::World;

/// Service levels changed (one cascade): each CSIRT whose office asset is
/// among them stops or resumes work when it crossed the threshold.
pub(crate) fn assets_changed(world: &mut World, ctx: &mut Ctx, changes: &[(AssetId, f64, f64)]) {
    let scenario = ctx.tables().scenario();
    for (csirt, c) in scenario.each_csirt() {
        let Some(office) = c.office.filter(|o| changes.iter().any(|(a, _, _)| a == o)) else { continue };
        let down = infrastructure::level(world, office) < scenario.rules.office_down_below;
        if desk(world, ctx.tables(), csirt).halted() == down {
            continue;
        }
        let now = ctx.now();
        desk_mut(world, ctx.tables(), csirt).set_halted(now, down);
        ctx.emit(LogEvent::OfficeChanged { csirt, down });
        if down {
            for team in 0..c.teams.len() {
                for holder in desk(world, ctx.tables(), csirt).working_in(team) {
                    desks::hand_over(world, ctx, csirt, holder);
                }
            }
        } else {
            desks::dispatch(world, ctx, csirt);
        }
    }
}
