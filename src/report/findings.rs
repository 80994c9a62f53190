//! Strengths and areas for improvement, generated from the measurements by stated
//! rules (docs/scoring.md, "Findings").
//!
//! Every finding says who it is about (a CSIRT, a sector, the planners), states
//! its evidence in numbers and times, and carries [`Claim`]s: statements about
//! events.csv that a reader (and the tests) can check row by row. A
//! recommendation is given only where it applies (no channel advice to a CSIRT
//! that has one, no dependency advice for an asset without dependencies), and the
//! same recommendation is never repeated: assets that share one share a finding.

use super::after_action::{when, when_in};
use crate::engine::{SimDuration, SimTime, format_duration};
use crate::model::Outcome;
use crate::model::staffing::on_duty_at;
use crate::scenario::{CsirtId, CsirtKind, Effect, IncidentType, Measure, NationId, Scenario, Service};
use crate::score::{BusyStretch, LONG_TRIAGE_WAIT, MIN_STRETCH, Rating, RunSummary, window_loss};
use std::collections::BTreeMap;

/// Utilisation at or above this share over consecutive intervals is a stall.
pub const SATURATED: f64 = 0.95;

/// A statement about events.csv. Entities are written as in its `entities`
/// column (`csirt:kv-cert`, `asset:harbour`) or its details (`violation=true`); a
/// row matches when its entities and details hold all of them, as whole words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// A row of `event` at `time_s`.
    Event { time_s: SimTime, event: &'static str, entities: Vec<String> },
    /// No row of `event` up to `until_s`.
    NoEvent { event: &'static str, entities: Vec<String>, until_s: SimTime },
    /// Exactly `count` rows of `event` up to `until_s`.
    Count { event: &'static str, entities: Vec<String>, until_s: SimTime, count: usize },
    /// Exactly `count` incidents reported to `csirt` by `until_s` had not started
    /// triage (step_started time + callout_s) within `over_s` of their report, or
    /// by `until_s`, having waited longer than `over_s`.
    TriageLate { csirt: String, over_s: SimDuration, until_s: SimTime, count: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    pub text: String,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Improvement {
    pub area: String,
    pub observation: String,
    pub recommendation: String,
    /// Who should own the fix (a CSIRT id, a sector, or "exercise planners").
    pub owner: String,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Findings {
    pub strengths: Vec<Strength>,
    pub improvements: Vec<Improvement>,
}

impl Findings {
    fn strength(&mut self, text: String, claims: Vec<Claim>) {
        self.strengths.push(Strength { text, claims });
    }

    fn improve(&mut self, area: String, observation: String, recommendation: &str, owner: &str, claims: Vec<Claim>) {
        self.improvements.push(Improvement {
            area,
            observation,
            recommendation: recommendation.to_string(),
            owner: owner.to_string(),
            claims,
        });
    }
}

fn entities(list: &[(&str, &str)]) -> Vec<String> {
    list.iter().map(|(k, v)| format!("{k}:{v}")).collect()
}

pub fn findings(scenario: &Scenario, outcome: &Outcome, summary: &RunSummary, stretches: &[BusyStretch]) -> Findings {
    let mut f = Findings::default();
    objective_findings(scenario, summary, &mut f);
    for s in stretches {
        f.improve(
            format!("Workload at {}", s.csirt),
            format!(
                "{} analysts of {} were above {:.0}% busy with work waiting for {} in the window, {}from {} to {}.",
                if s.team == format!("tier {}", s.tier) {
                    format!("Tier-{}", s.tier)
                } else {
                    format!("Team \"{}\" (tier {})", s.team, s.tier)
                },
                s.csirt,
                SATURATED * 100.0,
                format_duration(s.total),
                if s.stretches == 1 {
                    String::new()
                } else {
                    format!("in {} stretches of {} or more; the longest ", s.stretches, format_duration(MIN_STRETCH))
                },
                when(scenario, s.from_s),
                when(scenario, s.to_s)
            ),
            &format!("Add tier-{} capacity for surges (regional responders, reservists, or an on-call rota).", s.tier),
            &s.csirt,
            Vec::new(),
        );
    }
    desk_findings(scenario, summary, stretches, &mut f);
    detection_findings(scenario, summary, &mut f);
    warning_findings(scenario, summary, &mut f);
    resilience_findings(scenario, outcome, summary, &mut f);
    f.improvements = merge_repeats(std::mem::take(&mut f.improvements));
    f
}

/// Improvements with the same recommendation for the same owner become one, so
/// that the plan never asks one party for the same thing twice.
fn merge_repeats(items: Vec<Improvement>) -> Vec<Improvement> {
    let mut out: Vec<Improvement> = Vec::new();
    for item in items {
        match out.iter_mut().find(|o| o.recommendation == item.recommendation && o.owner == item.owner) {
            Some(o) => {
                // "Warning kl about w" and "Warning kv about w" read "Warnings kl, kv about w".
                let pair = (o.area.strip_prefix("Warning"), item.area.strip_prefix("Warning "));
                o.area = match pair {
                    (Some(a), Some(b))
                        if a.split_once(" about ").map(|x| x.1) == b.split_once(" about ").map(|x| x.1) =>
                    {
                        let (first, topic) = a.trim_start_matches('s').trim().split_once(" about ").expect("checked");
                        let (second, _) = b.split_once(" about ").expect("checked");
                        format!("Warnings {first}, {second} about {topic}")
                    }
                    _ => format!("{}; {}", o.area, item.area),
                };
                o.observation = format!("{} {}", o.observation, item.observation);
                o.claims.extend(item.claims);
            }
            None => out.push(item),
        }
    }
    out
}

fn objective_findings(scenario: &Scenario, summary: &RunSummary, f: &mut Findings) {
    let mut design = Vec::new();
    for (o, r) in scenario.objectives.iter().zip(&summary.objectives) {
        let owner = match o.measure {
            Measure::Reported { .. }
            | Measure::Triaged { .. }
            | Measure::Contained { .. }
            | Measure::Recovered { .. } => r.owner.clone(),
            Measure::ServiceKept { asset, .. } => {
                Some(format!("{} sector", scenario.sectors[scenario.assets[asset].sector].id))
            }
            Measure::Warned { .. } => None,
        }
        .unwrap_or_else(|| "exercise planners".into());
        let recommendation = match o.measure {
            Measure::Reported { .. } => {
                "Shorten the path to the CSIRT: reporting channels constituents trust, feeds that see these incidents, tips from partners."
            }
            Measure::Triaged { .. } => {
                "Triage on arrival: enough analysts on shift for the load, a duty analyst or on-call rota outside office hours."
            }
            Measure::Contained { .. } | Measure::Recovered { .. } => {
                "Review the containment and recovery steps of the SOP and the tier that does them (effort, escalation, hand-overs)."
            }
            Measure::Warned { .. } => {
                "Shorten the warning path: detect sooner at the origin, channels to every partner, call the most exposed first."
            }
            Measure::ServiceKept { .. } => {
                "Review the asset's continuity: buffers for its dependencies, and how fast its attack paths are contained."
            }
        };
        match r.rating {
            Rating::P => f.strength(format!("Objective \"{}\" met: {}.", r.text, r.evidence), Vec::new()),
            Rating::S | Rating::M | Rating::U => f.improve(
                format!("Objective: {}", r.text),
                format!("Rated {} ({}): {}.", r.rating.as_str(), r.rating.meaning(), r.evidence),
                recommendation,
                &owner,
                Vec::new(),
            ),
            Rating::NotEnoughEvidence => design.push(Improvement {
                area: format!("Exercise design: objective {}", r.id),
                observation: format!(
                    "Not rated: {} case(s) could be judged and a rating needs {} ({}).",
                    r.cases, r.min_cases, r.evidence
                ),
                recommendation: "Play more cases of this kind (more injects, a longer window), or state a lower min_cases if fewer are enough to judge.".into(),
                owner: "exercise planners".into(),
                claims: Vec::new(),
            }),
            Rating::NotApplicable => {}
        }
    }
    f.improvements.extend(design);
}

/// Whether some quarter-hour of the week finds none of the CSIRT's teams on
/// duty or on call (a day team with a night duty team covers it all).
fn leaves_hours_uncovered(csirt: &crate::scenario::Csirt) -> bool {
    const MONDAY: i64 = 1_767_571_200; // 2026-01-05T00:00, any Monday midnight
    (0..7 * 96).any(|q| {
        let at = MONDAY + q * 900;
        csirt.teams.iter().all(|t| t.analysts == 0 || (!on_duty_at(&t.shift, at) && t.shift.on_call().is_none()))
    })
}

/// Triage delays, shift coverage and spare capacity, per CSIRT.
fn desk_findings(scenario: &Scenario, summary: &RunSummary, stretches: &[BusyStretch], f: &mut Findings) {
    let w = scenario.window;
    for (csirt, s) in scenario.csirts.iter().zip(&summary.csirts) {
        let known = s.incidents_reported;
        if known == 0 {
            continue;
        }
        let claim =
            Claim::TriageLate { csirt: csirt.id.clone(), over_s: LONG_TRIAGE_WAIT, until_s: w, count: s.triage_late };
        let office_hours_only = leaves_hours_uncovered(csirt);
        let busy = s.utilisation.is_some_and(|u| u >= 0.85);
        if s.triage_late > 0 {
            let still = if s.triage_still_waiting > 0 {
                format!(", {} of them still waiting at the end of the window", s.triage_still_waiting)
            } else {
                String::new()
            };
            let recommendation = match (office_hours_only, busy) {
                (true, _) => {
                    "Cover nights and weekends for triage: an on-call duty analyst, or a partner team in another time zone."
                }
                (false, true) => {
                    "Add triage capacity: the analysts on shift were busy most of the time (see utilisation)."
                }
                (false, false) => {
                    "Triage on arrival: check the escalation tiers and hand-overs that hold first steps back."
                }
            };
            f.improve(
                format!("Triage delays at {}", csirt.id),
                format!(
                    "{} of the {known} incidents reported to {} waited more than {} for triage{still}.",
                    s.triage_late,
                    csirt.id,
                    format_duration(LONG_TRIAGE_WAIT)
                ),
                recommendation,
                &csirt.id,
                vec![claim],
            );
        } else {
            f.strength(
                format!(
                    "{} started triage of each of its {known} incidents within {} of the report.",
                    csirt.id,
                    format_duration(LONG_TRIAGE_WAIT)
                ),
                vec![claim],
            );
        }
        if s.steps_queued_off_shift > 0 {
            f.improve(
                format!("Shift coverage at {}", csirt.id),
                format!(
                    "{} of {} SOP steps at {} arrived when nobody on shift could take them (behind {:.0}% of the window with nobody on shift).",
                    s.steps_queued_off_shift,
                    s.steps_worked,
                    csirt.id,
                    s.share_behind_unstaffed * 100.0
                ),
                "Cover nights and weekends: on-call analysts, a partner team in another time zone.",
                &csirt.id,
                Vec::new(),
            );
        }
        if let Some(u) = s.utilisation.filter(|u| *u < 0.7)
            && stretches.iter().all(|b| b.csirt != csirt.id)
            && s.triage_late == 0
        {
            let count = Claim::Count {
                event: "incident_reported",
                entities: entities(&[("csirt", &csirt.id)]),
                until_s: w,
                count: known,
            };
            f.strength(
                format!(
                    "{} handled its {known} incidents at {:.0}% utilisation, with room for more.",
                    csirt.id,
                    u * 100.0
                ),
                vec![count],
            );
        }
    }
}

fn detection_findings(scenario: &Scenario, summary: &RunSummary, f: &mut Findings) {
    let w = scenario.window;
    let mut everyone = true;
    for (c, a) in summary.coordination.awareness.iter().enumerate() {
        let c = CsirtId::new(c);
        if a.occurred == 0 {
            continue;
        }
        let claim = Claim::Count {
            event: "incident_reported",
            entities: entities(&[("csirt", &a.csirt)]),
            until_s: w,
            count: a.known,
        };
        if a.known < a.occurred {
            everyone = false;
            let csirt = &scenario.csirts[c];
            let feeds = scenario
                .streams
                .iter()
                .any(|s| s.csirt == c && s.detection.as_ref().is_some_and(|d| d.feeds.is_some()));
            let recommendation = if feeds {
                "Build constituents' trust and reporting channels (a mandate, a reporting deadline, anonymous reporting)."
            } else {
                "Add detection of its own (sensors, feeds, partners' tips) and build constituents' trust in reporting."
            };
            f.improve(
                format!("Detection and reporting at {}", csirt.id),
                format!(
                    "{} of the {} incidents in {}'s remit never reached it within the window.",
                    a.occurred - a.known,
                    a.occurred,
                    csirt.id
                ),
                recommendation,
                &csirt.id,
                vec![claim],
            );
        }
    }
    let t = &summary.incidents;
    if everyone && t.occurred > 0 {
        f.strength(format!("Every one of the {} incidents reached a CSIRT.", t.occurred), Vec::new());
    }
}

/// One finding per outbreak and nation at risk whose warning went wrong: no
/// channel, doubted, late, held under its label, or read late for want of
/// anyone on duty; with the assets it cost.
fn warning_findings(scenario: &Scenario, summary: &RunSummary, f: &mut Findings) {
    let w = scenario.window;
    let national = |nation: &str| {
        scenario
            .csirts
            .iter()
            .find(|c| c.kind == CsirtKind::National && scenario.nations[c.nation].id == nation)
            .map(|c| c.id.clone())
    };
    for outbreak in &summary.outbreaks {
        let Some((first_detection, first)) =
            outbreak.nations.iter().filter_map(|n| n.detected_s.filter(|d| *d <= w).map(|d| (d, &n.nation))).min()
        else {
            continue;
        };
        let ob = &outbreak.id;
        for n in outbreak.nations.iter().filter(|n| &n.nation != first) {
            let Some(recipient) = national(&n.nation) else { continue };
            // Times in the local time of the nation concerned.
            let nation_index = NationId::new(scenario.nations.iter().position(|x| x.id == n.nation).unwrap_or(0));
            let at = |t: SimTime| when_in(scenario, t, nation_index);
            let hits: Vec<_> =
                outbreak.assets_compromised.iter().filter(|a| a.nation == n.nation && a.time_s <= w).collect();
            let first_hit = hits.iter().map(|a| a.time_s).min();
            let hit_text = if hits.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = hits.iter().map(|a| format!("{} at {}", a.asset, at(a.time_s))).collect();
                format!(" Compromised: {}.", list.join(", "))
            };
            let hit_claims = hits.iter().map(|a| Claim::Event {
                time_s: a.time_s,
                event: "asset_compromised",
                entities: entities(&[("outbreak", ob), ("asset", &a.asset)]),
            });
            let area = format!("Warning {} about {ob}", n.nation);
            let Some(caller) = n.warning_from.clone() else {
                if hits.is_empty() {
                    continue;
                }
                let why = match national(first) {
                    Some(c) if !scenario.csirts.iter().any(|x| x.id == c && x.offers(Service::AlertsAndWarnings)) => {
                        format!("{c} does not offer alerts and warnings")
                    }
                    Some(c) => format!("{c} was not set to warn other nations of {ob}"),
                    None => format!("{first} has no national CSIRT to warn others"),
                };
                let mut claims = vec![Claim::NoEvent {
                    event: "warning_sent",
                    entities: entities(&[("outbreak", ob), ("to", &recipient)]),
                    until_s: w,
                }];
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!("{} was never warned about {ob}: {why}.{hit_text}", n.nation),
                    "Offer alerts and warnings to partners abroad: whoever sees an outbreak first warns the others.",
                    national(first).as_deref().unwrap_or("exercise planners"),
                    claims,
                );
                continue;
            };
            let caller_model = scenario.csirts.iter().find(|c| c.id == caller);
            let recipient_model = scenario.csirts.iter().find(|c| c.id == recipient);
            let channel = caller_model.zip(recipient_model).and_then(|(a, b)| scenario.coordination.channel(a, b));
            if n.warning_unreachable {
                let mut claims = vec![Claim::Event {
                    time_s: first_detection,
                    event: "warning_unreachable",
                    entities: entities(&[("outbreak", ob), ("from", &caller), ("to", &recipient)]),
                }];
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!(
                        "{caller} had no channel to {recipient} (no shared FIRST membership or regional body, no indirect route), so no warning about {ob} could reach {}.{hit_text}",
                        n.nation
                    ),
                    "Join FIRST or a regional body the partner belongs to, or agree an intermediary that can pass warnings on.",
                    &caller,
                    claims,
                );
                continue;
            }
            if let Some(doubted) = n.warning_doubted_s.filter(|d| *d <= w)
                && n.warned_s.is_none_or(|x| x > w)
            {
                let mut claims = vec![Claim::Event {
                    time_s: doubted,
                    event: "warning_doubted",
                    entities: entities(&[("outbreak", ob), ("csirt", &recipient)]),
                }];
                claims.extend(hit_claims);
                let trust = channel.map_or(String::new(), |c| format!(" (the channel's trust is {:.2})", c.trust));
                f.improve(
                    area,
                    format!(
                        "{caller}'s warning about {ob} reached {recipient} at {} but was doubted{trust} and not acted on.{hit_text}",
                        at(doubted)
                    ),
                    "Build trust between the two teams before a crisis: regular contact, joint exercises, an information-sharing agreement.",
                    &recipient,
                    claims,
                );
                continue;
            }
            let Some(warned) = n.warned_s.filter(|x| *x <= w) else {
                if !hits.is_empty() {
                    let mut claims = vec![Claim::NoEvent {
                        event: "warning_received",
                        entities: entities(&[("outbreak", ob), ("csirt", &recipient)]),
                        until_s: w,
                    }];
                    claims.extend(hit_claims);
                    f.improve(
                        area,
                        format!(
                            "{caller}'s warning about {ob} had not reached {recipient} by the end of the window.{hit_text}"
                        ),
                        "Call the most exposed partners first and keep calls short: the last call went out too late.",
                        &caller,
                        claims,
                    );
                }
                continue;
            };
            let received = Claim::Event {
                time_s: warned,
                event: "warning_received",
                entities: entities(&[("outbreak", ob), ("csirt", &recipient)]),
            };
            let path_advice = match channel {
                Some(c) if c.latency > scenario.coordination.direct => {
                    "Shorten the path to this partner: a direct channel (FIRST or a shared regional body) instead of an intermediary."
                }
                _ => "Warn sooner: detect earlier at the origin and call the most exposed partners first.",
            };
            if let Some(hit) = first_hit.filter(|h| *h <= warned) {
                let mut claims = vec![received];
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!(
                        "{recipient} was warned about {ob} by {caller} at {}, {} after the first compromise in {}.{hit_text}",
                        at(warned),
                        format_duration(warned - hit),
                        n.nation
                    ),
                    path_advice,
                    &caller,
                    claims,
                );
                continue;
            }
            if let Some(detected) = n.detected_s.filter(|d| *d < warned) {
                let mut claims = vec![
                    received,
                    Claim::Event {
                        time_s: detected,
                        event: "outbreak_detected",
                        entities: entities(&[("outbreak", ob), ("nation", &n.nation)]),
                    },
                ];
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!(
                        "{recipient} was warned about {ob} by {caller} at {}, {} after {} had noticed it itself.{hit_text}",
                        at(warned),
                        format_duration(warned - detected),
                        n.nation
                    ),
                    path_advice,
                    &caller,
                    claims,
                );
                continue;
            }
            if hits.is_empty() {
                continue;
            }
            let mut claims = vec![received];
            if n.warning_held {
                claims.push(Claim::Event {
                    time_s: warned,
                    event: "warning_held",
                    entities: entities(&[("outbreak", ob), ("csirt", &recipient)]),
                });
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!(
                        "{recipient} was warned about {ob} in time ({}), but kept the warning as its label {} requires and did not pass it on.{hit_text}",
                        at(warned),
                        scenario.coordination.warning_tlp.as_str()
                    ),
                    "Label warnings no stricter than their recipients need: TLP:GREEN or CLEAR lets a CSIRT warn its constituents.",
                    &caller,
                    claims,
                );
            } else if let Some(read) = n.warning_read_after_s.filter(|r| !r.is_zero()) {
                claims.extend(hit_claims);
                f.improve(
                    area,
                    format!(
                        "{recipient} received {caller}'s warning about {ob} at {} with nobody on duty; it was read {} later.{hit_text}",
                        at(warned),
                        format_duration(read)
                    ),
                    "Keep someone able to read warnings at all hours: an on-call duty officer, or a partner who can call them out.",
                    &recipient,
                    claims,
                );
            }
        }
    }
    let c = &summary.coordination;
    if c.tlp_violations > 0 {
        f.improve(
            "Information sharing".into(),
            format!("{} warnings were passed on against their TLP label.", c.tlp_violations),
            "Train staff on TLP 2.0; label warnings no stricter than their recipients need.",
            "the receiving CSIRTs",
            vec![Claim::Count {
                event: "warning_forwarded",
                entities: vec!["violation=true".into()],
                until_s: SimTime::MAX,
                count: c.tlp_violations as usize,
            }],
        );
    }
    if c.share_warned_before_hit.is_some_and(|s| s >= 0.999) {
        f.strength(
            format!("All {} parties at risk abroad were warned before the outbreak reached them.", c.at_risk),
            Vec::new(),
        );
    }
}

/// Why an asset lost service, for advice that fits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    /// Targeted by incidents of these types (or compromised by an outbreak).
    Attacked(Vec<IncidentType>),
    /// An outage of its own (a cut, a blackout).
    Outage,
    /// Only through its providers.
    Cascade,
}

fn resilience_findings(scenario: &Scenario, outcome: &Outcome, summary: &RunSummary, f: &mut Findings) {
    let w = scenario.window;
    let mut attacked: BTreeMap<usize, Vec<IncidentType>> = BTreeMap::new();
    for (k, a) in summary.assets.iter().enumerate() {
        for t in &a.attacked_by {
            if let Some(t) = IncidentType::from_output_name(t) {
                attacked.entry(k).or_default().push(t);
            }
        }
    }
    for (o, state) in scenario.outbreaks.iter().zip(&outcome.outbreaks) {
        for (t, at) in o.exposed_assets.iter().zip(&state.compromised_at) {
            if at.is_some_and(|a| a <= w) {
                let types = attacked.entry(t.asset.index()).or_default();
                if !types.contains(&IncidentType::Malware) {
                    types.push(IncidentType::Malware);
                }
            }
        }
    }
    let mut outaged = vec![false; scenario.assets.len()];
    let mut mark = |effects: &[Effect]| {
        for e in effects {
            if let Effect::Outage { asset, .. } = e {
                outaged[asset.index()] = true;
            }
        }
    };
    for i in outcome.injects.iter().filter(|i| i.time <= w) {
        mark(&scenario.injects[i.inject].effects);
    }
    for d in outcome.decisions.iter().filter(|d| d.time <= w) {
        if let Some(decision) = &scenario.injects[d.inject].decision {
            mark(&decision.options[d.option].effects);
        }
    }
    // Group the assets that get the same advice into one finding.
    let mut groups: BTreeMap<(Cause, String), Vec<String>> = BTreeMap::new();
    for (k, a) in summary.assets.iter().enumerate() {
        if a.criticality < 4 || a.service_hours_lost < 1.0 {
            continue;
        }
        let model = &scenario.assets[k];
        let cause = match attacked.get(&k) {
            Some(types) => {
                let mut types = types.clone();
                types.sort();
                Cause::Attacked(types)
            }
            None if outaged[k] => Cause::Outage,
            None => Cause::Cascade,
        };
        let advice = match &cause {
            Cause::Attacked(types) => {
                let paths: Vec<&str> = types.iter().map(|t| attack_advice(*t)).collect();
                format!("Close the attack path: {}.", paths.join("; "))
            }
            Cause::Outage if model.depends_on.is_empty() => {
                "Plan for its loss: a second route or supply (a backup link, a generator), spares and a repair agreement.".into()
            }
            Cause::Outage => "Plan for its loss: a second supply, and buffers so that what depends on it holds out.".into(),
            Cause::Cascade => {
                let degraded: Vec<String> = model
                    .depends_on
                    .iter()
                    .filter(|d| window_loss(&outcome.assets[d.asset.index()].history, w).min_level < 1.0)
                    .map(|d| {
                        format!(
                            "{} (buffer now {})",
                            scenario.assets[d.asset].id,
                            if d.buffer.is_zero() { "none".into() } else { format_duration(d.buffer) }
                        )
                    })
                    .collect();
                format!("Buffer its dependence on {}: stock, a generator or a backup link that outlasts a typical outage.", degraded.join(", "))
            }
        };
        groups.entry((cause, advice)).or_default().push(format!(
            "{} (criticality {}) lost {:.1} service-hours, down to {:.0}% at worst",
            a.id,
            a.criticality,
            a.service_hours_lost,
            a.min_level * 100.0
        ));
    }
    for ((cause, advice), assets) in groups {
        let names: Vec<&str> = assets.iter().map(|a| a.split(' ').next().unwrap_or("")).collect();
        let how = match cause {
            Cause::Attacked(_) => "hit directly by attacks",
            Cause::Outage => "hit by an outage of its own, from an inject or a decision",
            Cause::Cascade => "degraded through the assets it depends on",
        };
        let sectors: Vec<String> = {
            let mut s: Vec<String> = names
                .iter()
                .filter_map(|n| scenario.assets.iter().find(|a| a.id == *n))
                .map(|a| format!("{} sector", scenario.sectors[a.sector].id))
                .collect();
            s.dedup();
            s
        };
        f.improve(
            format!("Resilience: {}", names.join(", ")),
            format!("{} ({how}).", assets.join("; ")),
            &advice,
            &sectors.join(", "),
            Vec::new(),
        );
    }
}

fn attack_advice(t: IncidentType) -> &'static str {
    match t {
        IncidentType::Ransomware => "offline backups with tested restores, and office IT segmented from operations",
        IncidentType::Intrusion => "multi-factor authentication and monitoring of remote access",
        IncidentType::Phishing => "mail filtering and reporting of suspicious mail",
        IncidentType::Malware => "patching of exposed services and segmentation against spread",
        IncidentType::Ddos => "upstream filtering (scrubbing) agreed with the provider",
        IncidentType::Vulnerability => "patching within the vendor's window, or mitigations until then",
        IncidentType::PhysicalOutage => "physical protection and a second route",
        IncidentType::Other => "hardening of the systems that were hit",
    }
}
