//! Trust between parties as state. Each [`Relation`] (a CSIRT and its
//! constituents, two CSIRTs, a vendor, a nation's law enforcement) has a value
//! from 0 to 1 that starts at the probability the scenario states for it and
//! moves during the run by the scenario's [`crate::scenario::TrustRules`]:
//! outreach sessions and useful warnings raise it, TLP breaches, false
//! warnings and enforcement lower it, effects change it as stated.
//!
//! Every mechanic that asks "does this party act on what it is told?" reads
//! the value here at the time it asks (the reporting share, warning uptake,
//! tips, a vendor engaging, law enforcement acting). The draws those mechanics
//! compare with it are made whatever the value, so a change of trust shifts no
//! random stream: a run with more trust sees the same numbers.
//!
//! Outreach is desk work: a session is due every `every`, waits in the Low
//! lane behind incident work, takes `effort` of an analyst, and raises the
//! constituents' trust by `gain` when done. A session due while the last one
//! still waits is missed: a desk too busy for outreach builds no trust.

use super::desks::{self, Holder, Job, Work, desk_mut};
use super::event_log::LogEvent;
pub use super::media::Origin;
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{SimDuration, SimEvent, SimTime};
use crate::scenario::{CsirtId, NationId, OutbreakId, Relation, Scenario, Severity, VendorId};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use std::collections::BTreeMap;

/// Why a relation's trust changed (events.csv's `cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustCause {
    /// An outreach session was done.
    Outreach,
    /// A warning about the outbreak was acted on before the recipient had an infection.
    UsefulWarning(OutbreakId),
    /// The recipient passed a warning about the outbreak on against its label.
    TlpBreach(OutbreakId),
    /// Both attended a coordination meeting about the outbreak.
    Meeting(OutbreakId),
    /// Effects of an inject, of the decision it posed, or of a crisis level.
    FalseWarning(Origin),
    Enforcement(Origin),
    Exercise(Origin),
    Stated(Origin),
    /// A public statement that named no victim, or one that did.
    Statement(Origin),
    NamedVictim(Origin),
}

impl TrustCause {
    /// The rule's name, as events.csv writes it.
    pub fn name(self) -> &'static str {
        match self {
            TrustCause::Outreach => "outreach",
            TrustCause::UsefulWarning(_) => "useful_warning",
            TrustCause::TlpBreach(_) => "tlp_breach",
            TrustCause::Meeting(_) => "meeting",
            TrustCause::FalseWarning(_) => "false_warning",
            TrustCause::Enforcement(_) => "enforcement",
            TrustCause::Exercise(_) => "exercise",
            TrustCause::Stated(_) => "stated",
            TrustCause::Statement(_) => "statement",
            TrustCause::NamedVictim(_) => "named_victim",
        }
    }
}

/// One relation's trust: where it started, where it is now, and each change
/// (time, value after it). The changes are bounded by the scenario: its
/// injects, its warnings (one per pair and outbreak), its outreach
/// sessions and its meetings (at most one an hour each, by validation).
#[derive(Debug, Clone, PartialEq)]
pub struct TrustLevel {
    pub start: f64,
    pub now: f64,
    pub changes: Vec<(SimTime, f64)>,
}

impl TrustLevel {
    /// The lowest value it had.
    pub fn min(&self) -> f64 {
        self.changes.iter().map(|c| c.1).fold(self.start, f64::min)
    }

    /// Its value at `t` (after the changes at `t`).
    pub fn at(&self, t: SimTime) -> f64 {
        self.changes.iter().take_while(|c| c.0 <= t).last().map_or(self.start, |c| c.1)
    }
}

/// Every tracked relation's trust, in relation order.
#[derive(Resource, Debug, Clone, Default)]
pub struct TrustLevels {
    pub levels: BTreeMap<Relation, TrustLevel>,
}

impl TrustLevels {
    /// The relations a scenario states a trust for: each CSIRT's constituents,
    /// every two CSIRTs with a channel, every vendor, every nation's law
    /// enforcement.
    pub fn of(scenario: &Scenario) -> Self {
        let mut levels = BTreeMap::new();
        let mut put = |relation, start: f64| {
            levels.insert(relation, TrustLevel { start, now: start, changes: Vec::new() });
        };
        for (c, csirt) in scenario.each_csirt() {
            put(Relation::Constituents(c), csirt.trust);
            for (d, other) in scenario.each_csirt().filter(|(d, _)| *d > c) {
                if let Some(channel) = scenario.coordination.channel(csirt, other) {
                    put(Relation::peers(c, d), channel.trust);
                }
            }
        }
        for (v, vendor) in scenario.vendors.iter().enumerate() {
            put(Relation::Vendor(VendorId::new(v)), vendor.channel.trust);
        }
        for (n, nation) in scenario.each_nation() {
            if let Some(channel) = nation.law_enforcement {
                put(Relation::Police(n), channel.trust);
            }
        }
        Self { levels }
    }

    /// The relation's trust now; 0 for one with no channel.
    pub fn level(&self, relation: Relation) -> f64 {
        self.levels.get(&relation).map_or(0.0, |l| l.now)
    }

    /// How far the relation's trust has moved since T+0 (negative: fallen):
    /// what a probability the relation drives besides its trust moves by.
    pub fn moved(&self, relation: Relation) -> f64 {
        self.levels.get(&relation).map_or(0.0, |l| l.now - l.start)
    }
}

/// The trust of `relation` now.
pub(crate) fn level(world: &World, relation: Relation) -> f64 {
    world.resource::<TrustLevels>().level(relation)
}

/// Two CSIRTs' trust now.
pub(crate) fn peers(world: &World, a: CsirtId, b: CsirtId) -> f64 {
    level(world, Relation::peers(a, b))
}

/// The trust of a nation's law enforcement now.
pub(crate) fn police(world: &World, nation: NationId) -> f64 {
    level(world, Relation::Police(nation))
}

/// Moves `relation`'s trust by `by` (kept within 0 to 1) and logs it; a
/// relation with no channel has no trust to move.
pub(crate) fn change(world: &mut World, ctx: &mut Ctx, relation: Relation, by: f64, cause: TrustCause) {
    let mut levels = world.resource_mut::<TrustLevels>();
    let Some(level) = levels.levels.get_mut(&relation) else { return };
    let from = level.now;
    level.now = (from + by).clamp(0.0, 1.0);
    let to = level.now;
    level.changes.push((ctx.now(), to));
    ctx.emit(LogEvent::TrustChanged { relation, from, to, cause });
}

/// Every relation of `csirt` with another CSIRT, in relation order.
pub(crate) fn peer_relations_of(world: &World, csirt: CsirtId) -> Vec<Relation> {
    let levels = world.resource::<TrustLevels>();
    levels.levels.keys().copied().filter(|r| matches!(r, Relation::Peers(a, b) if *a == csirt || *b == csirt)).collect()
}

/// Outreach sessions per CSIRT: whether one is queued or in hand, and the
/// attempt a [`OutreachDone`] must match (bumped at each hand-over).
#[derive(Resource, Debug, Clone, Default)]
struct OutreachSessions {
    by_csirt: BTreeMap<CsirtId, Session>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Session {
    open: bool,
    attempt: u32,
}

/// A CSIRT's next outreach session is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutreachDue {
    pub csirt: CsirtId,
}

/// The analyst on an outreach session finishes it (stale after a hand-over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutreachDone {
    pub csirt: CsirtId,
    pub attempt: u32,
}

/// Outreach sessions wait behind every incident (judgement: a desk puts
/// briefings off when there is handling to do).
pub const OUTREACH_PRIORITY: Severity = Severity::Low;

impl SimEvent<Ttx> for OutreachDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let csirt = self.csirt;
        let scenario = ctx.tables().scenario();
        let Some(outreach) = scenario.csirts[csirt].outreach else { return };
        let now = ctx.now();
        if now + outreach.every <= scenario.horizon {
            ctx.schedule_in(outreach.every, OutreachDue { csirt });
        }
        let mut sessions = world.resource_mut::<OutreachSessions>();
        let session = sessions.by_csirt.entry(csirt).or_default();
        if session.open {
            ctx.emit(LogEvent::OutreachMissed { csirt });
            return;
        }
        session.open = true;
        let job = Job { work: Work::Outreach, tier: 1, effort: outreach.effort };
        desk_mut(world, ctx.tables(), csirt).enqueue(now, OUTREACH_PRIORITY, job);
        desks::dispatch(world, ctx, csirt);
    }
}

impl SimEvent<Ttx> for OutreachDone {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let OutreachDone { csirt, attempt } = *self;
        let mut sessions = world.resource_mut::<OutreachSessions>();
        let session = sessions.by_csirt.entry(csirt).or_default();
        if session.attempt != attempt || !session.open {
            return;
        }
        session.open = false;
        let now = ctx.now();
        let scenario = ctx.tables().scenario();
        let Some(outreach) = scenario.csirts[csirt].outreach else { return };
        let worked =
            desk_mut(world, ctx.tables(), csirt).release(now, Holder::Outreach).map_or(outreach.effort, |s| now - s);
        ctx.emit(LogEvent::OutreachDone { csirt, effort: worked });
        change(world, ctx, Relation::Constituents(csirt), outreach.gain, TrustCause::Outreach);
        desks::dispatch(world, ctx, csirt);
    }
}

/// An analyst takes the CSIRT's outreach session: it ends after any call-out and its effort.
pub(crate) fn outreach_started(
    world: &mut World,
    ctx: &mut Ctx,
    csirt: CsirtId,
    delay: SimDuration,
    effort: SimDuration,
) {
    let attempt = world.resource_mut::<OutreachSessions>().by_csirt.entry(csirt).or_default().attempt;
    ctx.schedule_in(delay + effort, OutreachDone { csirt, attempt });
}

/// The analyst on the session went off shift: the desk put the rest back in
/// line; the pending [`OutreachDone`] is stale.
pub(crate) fn outreach_handed_over(world: &mut World, csirt: CsirtId) {
    world.resource_mut::<OutreachSessions>().by_csirt.entry(csirt).or_default().attempt += 1;
}

/// Every relation's trust at its scenario value; each CSIRT's first outreach
/// session due at T+0.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    world.insert_resource(TrustLevels::of(&scenario));
    world.init_resource::<OutreachSessions>();
    for (csirt, c) in scenario.each_csirt() {
        if c.outreach.is_some() {
            schedule_at_install(world, SimDuration::ZERO, OutreachDue { csirt });
        }
    }
}
