//! Injects and decisions: scheduled injects are delivered at their time (the
//! facilitator delivers contingency ones), apply their effects, and pose their
//! decision; the decision is taken with the table's choice, or its default, and
//! its option's effects are applied. Effects act through the mechanic they name
//! (a report becomes an incident, an outage hits an asset, staffing changes a
//! desk, a disclosure exposes assets).

use super::assistance::{self, Request};
use super::crisis::{self, CrisisCause};
use super::event_log::LogEvent;
use super::incidents::{self, DecisionRecord, IncidentSource, InjectRecord, Report, draw_work};
use super::infrastructure;
use super::media::{self, MediaCause, Origin};
use super::outbreaks;
use super::staffing::{self, StaffJoins, team_entity};
use super::trust::{self, TrustCause};
use super::vulnerabilities::{self, Disclosure};
use super::world::{Ctx, Ttx, scenario, schedule_at_install};
use crate::engine::{RngStreams, SimDuration, SimEvent};
use crate::scenario::{Effect, InjectId, Relation};
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use rand::rngs::ChaCha8Rng;
use std::collections::BTreeMap;

/// Scheduled (or facilitator-delivered) inject `inject` is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inject {
    pub inject: InjectId,
}

/// The decision posed by inject `inject` is taken (the console stops before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionDue {
    pub inject: InjectId,
}

/// The table's choices and what was delivered and decided, in order.
#[derive(Resource, Default)]
pub(crate) struct Exercise {
    /// Options chosen for decisions (by inject index); the rest take their default.
    pub choices: BTreeMap<InjectId, usize>,
    pub decisions: Vec<DecisionRecord>,
    pub delivered: Vec<InjectRecord>,
}

/// The efforts stream of incidents that injects cause (reports, and exploited
/// disclosures).
#[derive(Resource)]
pub(crate) struct InjectEfforts(pub ChaCha8Rng);

impl SimEvent<Ttx> for Inject {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let inject = self.inject;
        let scenario = ctx.tables().scenario();
        let now = ctx.now();
        world.resource_mut::<Exercise>().delivered.push(InjectRecord { inject, time: now });
        ctx.emit(LogEvent::InjectDelivered { inject });
        for effect in &scenario.injects[inject].effects {
            apply_effect(world, ctx, Origin::Inject(inject), effect);
        }
        if scenario.injects[inject].decision.is_some() {
            ctx.schedule_in(SimDuration::ZERO, DecisionDue { inject });
        }
    }
}

impl SimEvent<Ttx> for DecisionDue {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        let inject = self.inject;
        let scenario = ctx.tables().scenario();
        let Some(decision) = &scenario.injects[inject].decision else { return };
        let (option, by_default) = match world.resource::<Exercise>().choices.get(&inject) {
            Some(option) => (*option, false),
            None => (decision.default, true),
        };
        // A crisis cell in force takes its time before the decision is carried out.
        let delay = decision.nation.map_or(SimDuration::ZERO, |n| crisis::decision_delay(world, scenario, n));
        if delay.is_zero() {
            take_decision(world, ctx, inject, option, by_default);
        } else {
            ctx.emit(LogEvent::DecisionReferred { inject, delay });
            ctx.schedule_in(delay, DecisionApplies { inject, option, by_default });
        }
    }
}

/// A decision referred to a crisis cell is taken, its delay over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionApplies {
    pub inject: InjectId,
    pub option: usize,
    pub by_default: bool,
}

impl SimEvent<Ttx> for DecisionApplies {
    fn fire(self: Box<Self>, world: &mut World, ctx: &mut Ctx) {
        take_decision(world, ctx, self.inject, self.option, self.by_default);
    }
}

/// Records the decision and applies its option's effects.
fn take_decision(world: &mut World, ctx: &mut Ctx, inject: InjectId, option: usize, by_default: bool) {
    let scenario = ctx.tables().scenario();
    let Some(decision) = &scenario.injects[inject].decision else { return };
    let now = ctx.now();
    world.resource_mut::<Exercise>().decisions.push(DecisionRecord { inject, option, time: now, by_default });
    ctx.emit(LogEvent::DecisionTaken { inject, option, by_default });
    for effect in &decision.options[option].effects {
        apply_effect(world, ctx, Origin::Inject(inject), effect);
    }
}

/// Schedules every inject that has a time.
pub(crate) fn install(world: &mut World) {
    let scenario = scenario(world);
    let efforts = world.resource::<RngStreams>().stream("efforts/injects");
    world.insert_resource(InjectEfforts(efforts));
    world.init_resource::<Exercise>();
    for (inject, i) in scenario.each_inject() {
        if let Some(at) = i.at {
            schedule_at_install(world, at.since_start(), Inject { inject });
        }
    }
}

/// Carries out one effect, from an inject (or its decision) or a crisis level.
pub(crate) fn apply_effect(world: &mut World, ctx: &mut Ctx, origin: Origin, effect: &Effect) {
    // Reports and disclosures come only from injects (validation keeps them
    // out of crisis levels): their incidents name the inject as their source.
    let inject = match origin {
        Origin::Inject(inject) => Some(inject),
        Origin::Crisis { .. } => None,
    };
    match effect {
        Effect::Disclosure { csirt, sop, assets, vendor_patch, patching, exploitation_per_s, vendor } => {
            let Some(inject) = inject else { return };
            let disclosure = Disclosure {
                inject,
                csirt: *csirt,
                sop: *sop,
                assets,
                vendor_patch,
                patching,
                vendor: *vendor,
                exploitation_per_s: *exploitation_per_s,
            };
            vulnerabilities::disclose(world, ctx, disclosure);
        }
        &Effect::Outage { asset, level, duration } => infrastructure::start_outage(world, ctx, asset, level, duration),
        Effect::Report { incident_type, severity, csirt, sop, targets } => {
            let Some(inject) = inject else { return };
            let scenario = ctx.tables().scenario();
            let skill = super::desks::skill(world, ctx.tables(), *csirt);
            let work = draw_work(scenario, skill, *sop, &mut world.resource_mut::<InjectEfforts>().0);
            let source = IncidentSource::Inject(inject);
            let (incident_type, severity, csirt, sop) = (*incident_type, *severity, *csirt, *sop);
            let report = Report { source, incident_type, severity, csirt, sop, targets: targets.clone() };
            incidents::report(world, ctx, report, work);
        }
        &Effect::SetAnalysts { csirt, team, analysts } => staffing::set_headcount(world, ctx, csirt, team, analysts),
        &Effect::StopProgramme { csirt, service } => super::services::stop(world, ctx, csirt, service),
        &Effect::Hire { csirt, team, analysts, ramp_up, learning, term } => {
            let team = team_entity(world, csirt, team);
            let newcomers = (!learning.is_zero() || term.is_some()).then_some(staffing::Newcomers { learning, term });
            ctx.schedule_in(ramp_up, StaffJoins { team, analysts, newcomers });
        }
        Effect::SetCallOrder { order } => outbreaks::set_call_order(world, ctx, order),
        &Effect::SetWarningTlp { tlp } => outbreaks::set_warning_tlp(world, ctx, tlp),
        &Effect::ChangeTrust { relation, by } => trust::change(world, ctx, relation, by, TrustCause::Stated(origin)),
        Effect::RegionalExercise { members, .. } => {
            let gain = ctx.tables().scenario().trust.exercise;
            for (i, a) in members.iter().enumerate() {
                for b in &members[i + 1..] {
                    trust::change(world, ctx, Relation::peers(*a, *b), gain, TrustCause::Exercise(origin));
                }
            }
        }
        &Effect::FalseWarning { csirt } => {
            let loss = -ctx.tables().scenario().trust.false_warning;
            let cause = TrustCause::FalseWarning(origin);
            trust::change(world, ctx, Relation::Constituents(csirt), loss, cause);
            for relation in trust::peer_relations_of(world, csirt) {
                trust::change(world, ctx, relation, loss, cause);
            }
        }
        &Effect::Enforcement { csirt } => {
            let loss = -ctx.tables().scenario().trust.enforcement;
            trust::change(world, ctx, Relation::Constituents(csirt), loss, TrustCause::Enforcement(origin));
        }
        &Effect::PressLeak { nation } => {
            let leak = ctx.tables().scenario().media.leak;
            media::change(world, ctx, nation, leak, MediaCause::Leak(origin));
        }
        &Effect::PublicStatement { csirt, names_victim } => {
            let scenario = ctx.tables().scenario();
            let relief = -scenario.media.statement_relief;
            media::change(world, ctx, scenario.csirts[csirt].nation, relief, MediaCause::Statement(origin));
            let (by, cause) = if names_victim {
                (-scenario.trust.named_victim, TrustCause::NamedVictim(origin))
            } else {
                (scenario.trust.statement, TrustCause::Statement(origin))
            };
            trust::change(world, ctx, Relation::Constituents(csirt), by, cause);
        }
        &Effect::ReferToPolice { outbreak } => outbreaks::refer_to_police(world, ctx, outbreak),
        Effect::RequestHelp { csirt, helpers, analysts, arrives, stays } => {
            let request = Request { csirt: *csirt, helpers, analysts: *analysts, arrives: *arrives, stays: *stays };
            assistance::request_help(world, ctx, request);
        }
        &Effect::SetCrisisLevel { nation, level } => crisis::set(world, ctx, nation, level, CrisisCause::Set(origin)),
    }
}
