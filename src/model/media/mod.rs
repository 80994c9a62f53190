//! Media pressure on each nation: a quantity (0 or more) that outages the
//! public sees and press leaks raise, public statements relieve, and that
//! halves every `media.half_life` when nothing feeds it. Crisis levels may be
//! triggered by it (the `crisis` mechanic checks after every change).
//!
//! The value is kept as (value, since): between changes it decays
//! continuously, so it is exact at any time without a tick event.

use super::crisis;
use super::event_log::LogEvent;
use super::world::{Ctx, scenario};
use crate::engine::SimTime;
use crate::scenario::{AssetId, InjectId, Media, NationId, Scenario};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;

/// A public asset is felt to be down below this service level (judgement:
/// half a ferry schedule is news).
pub const PUBLIC_OUTAGE_BELOW: f64 = 0.5;

/// What moved media pressure (events.csv's `cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaCause {
    /// A public asset fell below half service.
    PublicOutage(AssetId),
    /// A press leak (an inject's or decision's effect, or a crisis level's).
    Leak(Origin),
    /// A public statement.
    Statement(Origin),
}

/// Where an effect comes from: an inject (its own effects or its decision's),
/// or a nation entering a crisis level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Inject(InjectId),
    Crisis { nation: NationId, level: u8 },
}

impl MediaCause {
    pub fn name(self) -> &'static str {
        match self {
            MediaCause::PublicOutage(_) => "public_outage",
            MediaCause::Leak(_) => "leak",
            MediaCause::Statement(_) => "statement",
        }
    }
}

/// One nation's pressure: its value at `since`, decaying from there; and each
/// change within the exercise window (time, value after it), which is what
/// the scores read (one entry per leak, statement or public outage).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pressure {
    value: f64,
    since: SimTime,
    pub changes: Vec<(SimTime, f64)>,
}

impl Pressure {
    /// The pressure now, at `t` at or after the last change.
    pub fn at(&self, t: SimTime, media: &Media) -> f64 {
        decayed(self.value, t.saturating_since(self.since).as_secs_f64(), media)
    }

    /// The pressure at `t` within the window, from the changes up to `t`.
    pub fn in_window_at(&self, t: SimTime, media: &Media) -> f64 {
        self.changes
            .iter()
            .take_while(|c| c.0 <= t)
            .last()
            .map_or(0.0, |(since, v)| decayed(*v, t.saturating_since(*since).as_secs_f64(), media))
    }

    /// The highest pressure in the window and when (it peaks at a change).
    pub fn peak(&self) -> Option<(SimTime, f64)> {
        self.changes.iter().copied().filter(|c| c.1 > 0.0).max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }
}

fn decayed(value: f64, dt_s: f64, media: &Media) -> f64 {
    value * 0.5f64.powf(dt_s / media.half_life.as_secs_f64())
}

/// Every nation's media pressure, in scenario order.
#[derive(Resource, Debug, Clone, Default)]
pub struct MediaPressure {
    pub nations: Vec<Pressure>,
}

/// The pressure on `nation` now.
pub(crate) fn pressure(world: &World, scenario: &Scenario, nation: NationId, now: SimTime) -> f64 {
    world.resource::<MediaPressure>().nations[nation.index()].at(now, &scenario.media)
}

/// Moves the pressure on `nation` by `by` (not below 0), logs it, and lets
/// the nation's crisis levels look at it.
pub(crate) fn change(world: &mut World, ctx: &mut Ctx, nation: NationId, by: f64, cause: MediaCause) {
    let scenario = ctx.tables().scenario();
    let now = ctx.now();
    let (from, to) = {
        let mut media = world.resource_mut::<MediaPressure>();
        let p = &mut media.nations[nation.index()];
        let from = p.at(now, &scenario.media);
        let to = (from + by).max(0.0);
        (p.value, p.since) = (to, now);
        if now <= scenario.window {
            p.changes.push((now, to));
        }
        (from, to)
    };
    ctx.emit(LogEvent::MediaPressureChanged { nation, from, to, cause });
    crisis::check(world, ctx, nation);
}

/// Service levels changed (one cascade): each public asset that fell below
/// half service raises the pressure on its nation.
pub(crate) fn assets_changed(world: &mut World, ctx: &mut Ctx, changes: &[(AssetId, f64, f64)]) {
    let scenario = ctx.tables().scenario();
    for &(asset, from, to) in changes {
        if scenario.assets[asset].public && from >= PUBLIC_OUTAGE_BELOW && to < PUBLIC_OUTAGE_BELOW {
            let nation = scenario.sectors[scenario.assets[asset].sector].nation;
            change(world, ctx, nation, scenario.media.public_outage, MediaCause::PublicOutage(asset));
        }
    }
}

/// No pressure anywhere at T+0.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    world.insert_resource(MediaPressure { nations: vec![Pressure::default(); scenario.nations.len()] });
}
