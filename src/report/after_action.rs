//! The after-action report, laid out as HSEEP's AAR: overview, timeline of key
//! events, analysis per objective, strengths, areas for improvement, improvement plan.

use super::document::Block;
use super::findings::Findings;
use crate::engine::calendar::weekday_and_time;
use crate::engine::{SimDuration, SimTime, format_duration};
use crate::model::{IncidentSource, Outcome};
use crate::scenario::{Measure, NationId, Scenario, Severity};
use crate::score::RunSummary;

/// A team as the report names it: by tier, with its name when it has one.
fn team_label(team: &crate::score::TeamSummary) -> String {
    if team.name == format!("tier {}", team.tier) {
        team.name.clone()
    } else {
        format!("{} (tier {})", team.name, team.tier)
    }
}

/// Per team: people, seats and the FTE the seats need, and how much of the
/// time on duty the seats were filled; per CSIRT: analyst-hours by kind of
/// work, so a service's effort shows beside incident handling.
fn staffing_block(summary: &RunSummary) -> Block {
    let mut items = Vec::new();
    for c in &summary.csirts {
        for team in &c.teams {
            let people = if team.analysts_at_end == team.analysts_at_start {
                format!("{} analysts", team.analysts_at_start)
            } else {
                format!("{} analysts ({} at the end)", team.analysts_at_start, team.analysts_at_end)
            };
            let coverage = team
                .coverage
                .map(|v| format!("; seats filled {:.0}% of the time on duty", 100.0 * v))
                .unwrap_or_default();
            let text = if team.rota {
                format!(
                    "{} {}: {people} on a rota for {} seat(s) {:.0} h a week, which needs {:.1} FTE{coverage}.",
                    c.id,
                    team_label(team),
                    team.seats,
                    team.hours_on_duty_a_week,
                    team.fte_needed,
                )
            } else {
                format!(
                    "{} {}: {people}, all on duty {:.0} h a week (no rota: the equivalent of {:.1} FTE){coverage}.",
                    c.id,
                    team_label(team),
                    team.hours_on_duty_a_week,
                    team.fte_needed,
                )
            };
            items.push(text);
        }
        let coordination = c.coordination_hours;
        let programmes: f64 = c.programmes.iter().map(|p| p.hours).sum();
        let steps = (c.busy_hours - coordination - c.outreach_hours - programmes).max(0.0);
        let mut text = format!(
            "{}: {:.0} analyst-hours on incident handling, {:.0} on warnings and coordination, {:.0} on outreach",
            c.id, steps, coordination, c.outreach_hours
        );
        for p in &c.programmes {
            text.push_str(&format!(
                ", {:.0} on {:?} ({} sessions; {} now {:.2} of the scenario's)",
                p.hours,
                p.service,
                p.sessions,
                p.effect.describe(),
                p.factor_at_end
            ));
        }
        text.push('.');
        items.push(text);
    }
    Block::List(items)
}

/// A chart already drawn: file stem, title, SVG text.
pub struct RenderedChart {
    pub name: String,
    pub title: String,
    pub svg: String,
}

/// At most this many incidents of High severity or above appear in the timeline.
use super::incidents_csv::KEY_SEVERE_INCIDENTS as MAX_INCIDENT_EVENTS;

/// "T+1d2h (Tue 14:00)", local time in the first CSIRT's nation (the one the
/// report's header names).
pub(super) fn when(scenario: &Scenario, t: SimTime) -> String {
    when_in(scenario, t, scenario.home_nation())
}

/// "T+1d2h (Tue 14:00 in Tenggara)": local time in `nation`, for findings about
/// a nation other than the report's own.
pub(super) fn when_in(scenario: &Scenario, t: SimTime, nation: NationId) -> String {
    let local = scenario.local_epoch_s(nation, t);
    // To the minute: seconds in a report are noise to a reader.
    let minutes = format_duration(SimDuration::from_secs((t.as_secs() + 30) / 60 * 60));
    let home = scenario.home_nation();
    if nation == home {
        format!("T+{minutes} ({})", weekday_and_time(local))
    } else {
        format!("T+{minutes} ({} in {})", weekday_and_time(local), scenario.nations[nation].name)
    }
}

pub fn after_action_report(
    scenario: &Scenario,
    outcome: &Outcome,
    summary: &RunSummary,
    findings: &Findings,
    charts: &[RenderedChart],
) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Heading(1, format!("After-action report: {}", scenario.name)));
    let nation = scenario.home_nation();
    b.push(Block::Paragraph(format!(
        "Simulated with ttx {}, seed {}, over {} of simulated time. Times are given from the start (T+0) and in local time in {}.",
        env!("CARGO_PKG_VERSION"),
        summary.seed,
        format_duration(summary.end_s.since_start()),
        scenario.nations[nation].name
    )));

    b.push(Block::Heading(2, "1. Exercise overview".into()));
    if !scenario.description.is_empty() {
        b.push(Block::Paragraph(scenario.description.clone()));
    }
    b.push(Block::Heading(3, "Participants".into()));
    let participants = scenario
        .csirts
        .iter()
        .map(|c| {
            let mut memberships: Vec<String> = c.regions.to_vec();
            if c.first_member {
                memberships.insert(0, "FIRST".into());
            }
            vec![
                c.name.clone(),
                scenario.nations[c.nation].name.clone(),
                format!("{:?}", c.kind),
                c.analysts().to_string(),
                if memberships.is_empty() { "none".into() } else { memberships.join(", ") },
            ]
        })
        .collect();
    b.push(Block::Table(
        vec!["CSIRT".into(), "Nation".into(), "Kind".into(), "Analysts at start".into(), "Memberships".into()],
        participants,
    ));
    b.push(Block::Heading(3, "Objectives".into()));
    if scenario.objectives.is_empty() {
        b.push(Block::Paragraph(
            "The scenario declares no objectives; the analysis below rests on the measures.".into(),
        ));
    } else {
        let rows = scenario
            .objectives
            .iter()
            .map(|o| {
                let filtered = |f: &crate::scenario::IncidentFilter, what: &str, within: SimDuration| {
                    format!("{} {what} within {}", crate::score::describe_filter(scenario, f), format_duration(within))
                };
                let measure = match o.measure {
                    Measure::Reported { within, filter } => filtered(&filter, "known to a CSIRT", within),
                    Measure::Triaged { within, filter } => filtered(&filter, "triaged", within),
                    Measure::Contained { within, filter } => filtered(&filter, "contained", within),
                    Measure::Recovered { within, filter } => filtered(&filter, "recovered", within),
                    Measure::Warned { within } => format!("warned within {}", format_duration(within)),
                    Measure::ServiceKept { asset, level } => {
                        format!("{} at or above {:.0}%", scenario.assets[asset].id, level * 100.0)
                    }
                };
                vec![
                    o.id.clone(),
                    o.text.clone(),
                    measure,
                    format!("{:.0}%", o.target * 100.0),
                    if matches!(o.measure, Measure::ServiceKept { .. }) { "-".into() } else { o.min_cases.to_string() },
                ]
            })
            .collect();
        b.push(Block::Table(
            vec!["Id".into(), "Objective".into(), "Measure".into(), "Target".into(), "Fewest cases to rate".into()],
            rows,
        ));
    }

    b.push(Block::Heading(2, "2. Overall score".into()));
    b.push(Block::Paragraph(match summary.overall.score {
        Some(s) => format!("**{s:.0} / 100**, the weighted mean of the components below (docs/scoring.md)."),
        None => "No component applies to this run.".into(),
    }));
    let components = summary
        .overall
        .components
        .iter()
        .map(|c| {
            vec![
                c.name.to_string(),
                c.score.map_or_else(|| format!("n/a: {}", c.not_applicable.unwrap_or("")), |s| format!("{s:.0}")),
                format!("{}", c.weight),
                c.rule.to_string(),
            ]
        })
        .collect();
    b.push(Block::Table(vec!["Component".into(), "Score".into(), "Weight".into(), "Rule".into()], components));

    b.push(Block::Heading(2, "3. Timeline of key events".into()));
    b.push(Block::Table(vec!["When".into(), "Event".into()], key_events(scenario, outcome)));

    b.push(Block::Heading(2, "4. Analysis of objectives".into()));
    if summary.objectives.is_empty() {
        b.push(Block::Paragraph("No objectives to rate.".into()));
    }
    for o in &summary.objectives {
        b.push(Block::Heading(3, format!("{}: {}", o.id, o.text)));
        b.push(Block::Paragraph(format!(
            "**Rating: {}** ({}). {}.",
            o.rating.as_str(),
            o.rating.meaning(),
            o.evidence
        )));
    }

    b.push(Block::Heading(2, "5. Measures".into()));
    b.push(Block::Heading(3, "Detection and response".into()));
    b.push(Block::Paragraph(format!(
        "Every time counts the incidents still waiting at the end of the exercise window (T+{}): medians and 90th percentiles are Kaplan-Meier estimates (\"> x\" when fewer than half or nine in ten were done), the restricted mean is the mean time with each open incident counted for the time it had waited (docs/scoring.md).",
        format_duration(summary.window_s.since_start())
    )));
    let measures = [
        ("Occurrence to detection", &summary.time_to_detect_s),
        ("Occurrence to the CSIRT knowing", &summary.time_to_report_s),
        ("Report to triage", &summary.time_to_triage_s),
        ("Report to containment", &summary.time_to_contain_s),
        ("Report to recovery", &summary.time_to_recover_s),
        ("Occurrence to containment", &summary.time_to_contain_from_start_s),
        ("Occurrence to recovery", &summary.time_to_recover_from_start_s),
    ];
    let rows = measures
        .iter()
        .map(|(name, d)| match d {
            Some(d) => vec![
                name.to_string(),
                d.cases.to_string(),
                d.median_text(),
                d.p90_text(),
                d.restricted_mean_text(),
                d.open_text(),
            ],
            None => vec![name.to_string(), "0".into(), "-".into(), "-".into(), "-".into(), "-".into()],
        })
        .collect();
    b.push(Block::Table(
        vec![
            "Measure".into(),
            "Incidents".into(),
            "Median".into(),
            "90th percentile".into(),
            "Restricted mean".into(),
            "Still open at the end".into(),
        ],
        rows,
    ));
    if summary.csirts.len() > 1 {
        b.push(Block::Heading(3, "Per CSIRT".into()));
        let cell = |d: &Option<crate::score::TimeMeasure>| d.as_ref().map_or("-".into(), |d| d.median_text());
        let rows = summary
            .csirts
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.incidents_occurred.to_string(),
                    c.incidents_reported.to_string(),
                    c.still_open.to_string(),
                    c.response.map_or("n/a".into(), |r| format!("{r:.0}")),
                    cell(&c.time_to_triage_s),
                    cell(&c.time_to_contain_s),
                    c.utilisation.map_or("-".into(), |u| format!("{:.0}%", u * 100.0)),
                    format!("{:.0}%", c.share_behind * 100.0),
                ]
            })
            .collect();
        b.push(Block::Table(
            [
                "CSIRT",
                "Occurred",
                "Known",
                "Still open",
                "Response",
                "Median to triage",
                "Median to contain",
                "Utilisation",
                "Time behind",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        ));
    }
    let t = &summary.incidents;
    b.push(Block::Paragraph(format!(
        "{} incidents occurred; {} reached a CSIRT ({} anonymously, {} found by feeds first), {} were closed and {} were still open at the end.",
        t.occurred, t.reported, t.anonymous, t.found_by_feeds, t.closed, t.open_at_end
    )));
    b.push(Block::Heading(3, "Impact".into()));
    let i = &summary.impact;
    b.push(Block::Paragraph(format!(
        "{:.1} service-hours lost ({:.1} weighted by criticality), costing {}. At most {} {} degraded at once{}; the longest cascade ran {} dependencies deep.",
        i.service_hours_lost,
        i.weighted_service_hours_lost,
        super::numbers::money(scenario, i.cost),
        i.peak_assets_degraded,
        if i.peak_assets_degraded == 1 { "asset was" } else { "assets were" },
        i.peak_at_s.map_or(String::new(), |t| format!(" (first at {})", when(scenario, t))),
        i.cascade_depth
    )));
    let assets = summary
        .assets
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.criticality.to_string(),
                format!("{:.0}%", a.min_level * 100.0),
                format!("{:.1}", a.service_hours_lost),
                super::numbers::money(scenario, a.cost),
            ]
        })
        .collect();
    b.push(Block::Table(
        vec!["Asset".into(), "Criticality".into(), "Lowest level".into(), "Service-hours lost".into(), "Cost".into()],
        assets,
    ));
    b.push(Block::Heading(3, "Coordination".into()));
    let c = &summary.coordination;
    let mut items = vec![match c.share_warned_before_hit {
        Some(s) => format!(
            "{} of {} parties at risk abroad warned before they were hit ({:.0}%){}.",
            c.warned_before_hit,
            c.at_risk,
            s * 100.0,
            c.lead_time_s.map_or(String::new(), |d| format!(
                ", a median {} ahead",
                format_duration(SimDuration::from_secs(d.p50 as u64))
            ))
        ),
        None => "No outbreak put other nations at risk in this run.".into(),
    }];
    if let Some(d) = c.notification_latency_s {
        items.push(format!(
            "Warnings arrived a median {} after the first detection.",
            format_duration(SimDuration::from_secs(d.p50 as u64))
        ));
    }
    items.push(format!(
        "Calls abroad: {} to make, {} made within the window (the warning sent).",
        c.calls_attempted, c.calls_completed
    ));
    items.push(format!("TLP violations: {}.", c.tlp_violations));
    for csirt in summary.csirts.iter().filter(|c| c.calls_started > 0) {
        items.push(format!(
            "{} made {} warning calls: {:.1} analyst-hours on its desk in the window, time not spent on SOP steps.",
            csirt.id, csirt.calls_started, csirt.call_hours
        ));
    }
    for csirt in summary.csirts.iter().filter(|c| c.notifications + c.answers + c.meetings > 0) {
        items.push(format!(
            "{} passed {} warnings on to its constituents, answered {} requests for details and joined {} \
             coordination meetings: {:.1} analyst-hours of coordination in all, calls included.",
            csirt.id, csirt.notifications, csirt.answers, csirt.meetings, csirt.coordination_hours
        ));
    }
    for a in &c.awareness {
        if let Some(share) = a.mean_known_share {
            items.push(format!(
                "{} knew of {} of the {} incidents in its remit; on average it knew {:.0}% of what had happened.",
                a.csirt,
                a.known,
                a.occurred,
                share * 100.0
            ));
        }
    }
    b.push(Block::List(items));
    b.push(Block::Heading(3, "Trust".into()));
    b.push(trust_block(summary));
    b.push(Block::Heading(3, "Escalation and media".into()));
    b.push(escalation_block(summary));
    b.push(Block::Heading(3, "Workload".into()));
    let w = &summary.workload;
    let mut items = vec![
        format!("Longest queue: {} steps.", w.longest_queue),
        format!("{} of {} SOP steps arrived with nobody on shift to take them.", w.steps_queued_off_shift, w.steps),
        format!(
            "{} incidents waited more than 3 h for triage ({} of them still waiting at the end).",
            w.incidents_waiting_over_3h, w.incidents_still_waiting_over_3h
        ),
    ];
    for c in &summary.csirts {
        for team in &c.teams {
            if let Some(u) = team.utilisation {
                items.push(format!("{} {}: {:.0}% busy while on shift.", c.id, team_label(team), u * 100.0));
            }
        }
    }
    b.push(Block::List(items));
    b.push(Block::Heading(3, "Staffing and service effort".into()));
    b.push(staffing_block(summary));

    b.push(Block::Heading(2, "6. Strengths".into()));
    b.push(if findings.strengths.is_empty() {
        Block::Paragraph("None stood out in the measurements.".into())
    } else {
        Block::List(findings.strengths.iter().map(|s| s.text.clone()).collect())
    });
    b.push(Block::Heading(2, "7. Areas for improvement".into()));
    b.push(if findings.improvements.is_empty() {
        Block::Paragraph("None found by the rules in docs/scoring.md.".into())
    } else {
        Block::List(findings.improvements.iter().map(|i| format!("**{}**: {}", i.area, i.observation)).collect())
    });

    b.push(Block::Heading(2, "8. Charts".into()));
    for chart in charts {
        b.push(Block::Chart { name: chart.name.clone(), title: chart.title.clone(), svg: chart.svg.clone() });
    }

    b.push(Block::Heading(2, "Appendix A: Improvement plan".into()));
    let plan = findings
        .improvements
        .iter()
        .enumerate()
        .map(|(k, i)| {
            vec![(k + 1).to_string(), i.area.clone(), i.recommendation.clone(), i.owner.clone(), "to agree".into()]
        })
        .collect();
    b.push(Block::Table(
        vec![
            "#".into(),
            "Area for improvement".into(),
            "Corrective action".into(),
            "Responsible".into(),
            "Completion date".into(),
        ],
        plan,
    ));
    b
}

/// Injects, decisions, outbreak milestones, and the most severe incidents.
fn key_events(scenario: &Scenario, outcome: &Outcome) -> Vec<Vec<String>> {
    let mut events: Vec<(SimTime, u8, String)> = Vec::new();
    for delivered in &outcome.injects {
        let inject = &scenario.injects[delivered.inject];
        let text = if inject.text.is_empty() { inject.id.clone() } else { inject.text.clone() };
        let kind = if inject.at.is_none() { "Contingency inject" } else { "Inject" };
        events.push((delivered.time, 0, format!("{kind} **{}**: {text}", inject.id)));
    }
    for d in &outcome.decisions {
        if let Some(decision) = &scenario.injects[d.inject].decision {
            let option = &decision.options[d.option];
            let how = if d.by_default { "by default" } else { "chosen" };
            events.push((
                d.time,
                1,
                format!("Decision **{}** ({how}): **{}**. {}", decision.id, option.id, option.text),
            ));
        }
    }
    for (o, state) in scenario.outbreaks.iter().zip(&outcome.outbreaks) {
        for (k, p) in o.populations.iter().enumerate() {
            let nation = &scenario.nations[p.nation].name;
            if let Some(t) = state.detected_at[k] {
                events.push((t, 2, format!("{nation} notices outbreak {}", o.id)));
            }
            if let Some(t) = state.warned_at[k] {
                events.push((t, 3, format!("{nation} receives a warning about {}", o.id)));
            }
        }
        if let Some(t) = state.takedown_at {
            events.push((t, 4, format!("Takedown of the sources of {}", o.id)));
        }
    }
    let mut severe: Vec<_> = outcome.incidents.iter().filter(|i| i.severity >= Severity::High).collect();
    severe.truncate(MAX_INCIDENT_EVENTS);
    for i in severe {
        let source = match i.source {
            IncidentSource::Inject(j) => format!(" (inject {})", scenario.injects[j].id),
            IncidentSource::Outbreak(j) => format!(" (outbreak {})", scenario.outbreaks[j].id),
            IncidentSource::Constituents(j) => format!(" (a constituent, outbreak {})", scenario.outbreaks[j].id),
            IncidentSource::Stream(_) => String::new(),
        };
        let csirt = &scenario.csirts[i.csirt].id;
        events.push((
            i.reported,
            5,
            format!(
                "Incident {} ({}, {}) reported to {csirt}{source}",
                i.number,
                i.incident_type.as_str(),
                i.severity.as_str()
            ),
        ));
        if let Some(closed) = i.closed {
            events.push((closed, 6, format!("Incident {} closed by {csirt}", i.number)));
        }
    }
    events.sort_by_key(|e| (e.0, e.1));
    events.into_iter().map(|(t, _, text)| vec![when(scenario, t), text]).collect()
}

/// What moved trust in the window: each relation that changed, where it started
/// and ended, its lowest; and each CSIRT's outreach (trust.csv has every change,
/// events.csv each one's cause).
fn trust_block(summary: &RunSummary) -> Block {
    let mut items: Vec<String> = summary
        .trust
        .iter()
        .filter(|t| t.changes > 0)
        .map(|t| {
            let low = if t.min < t.start.min(t.end) { format!(", {:.2} at its lowest", t.min) } else { String::new() };
            let times = if t.changes == 1 { "once".to_string() } else { format!("{} times", t.changes) };
            format!(
                "{}: {:.2} at T+0, {:.2} at the end of the window{low} (changed {times}).",
                t.relation, t.start, t.end
            )
        })
        .collect();
    for c in summary.csirts.iter().filter(|c| c.outreach_sessions > 0) {
        items.push(format!(
            "{} started {} outreach sessions: {:.1} analyst-hours on its desk in the window.",
            c.id, c.outreach_sessions, c.outreach_hours
        ));
    }
    if items.is_empty() {
        return Block::Paragraph(
            "No trust changed in the window: the reporting shares and warning uptake stayed as the scenario states them."
                .into(),
        );
    }
    Block::List(items)
}

/// Each nation's crisis levels (when entered) and media pressure (its peak
/// and where it ended), from summary.json's `nations[]`.
fn escalation_block(summary: &RunSummary) -> Block {
    let mut items = Vec::new();
    for n in &summary.nations {
        if !n.crisis_levels.is_empty() {
            let steps: Vec<String> = n
                .crisis_levels
                .iter()
                .map(|c| format!("{} at T+{}", c.level, format_duration(c.time_s.since_start())))
                .collect();
            items.push(format!(
                "{}: crisis level {}; at most {}, {} at the end of the window.",
                n.nation,
                steps.join(", then "),
                n.crisis_level_max,
                n.crisis_level_end
            ));
        }
        if let (Some(at), true) = (n.media_peak_s, n.media_peak > 0.0) {
            items.push(format!(
                "{}: media pressure peaked at {:.1} at T+{} and was {:.1} at the end of the window.",
                n.nation,
                n.media_peak,
                format_duration(at.since_start()),
                n.media_end
            ));
        }
    }
    if items.is_empty() {
        return Block::Paragraph("No nation changed crisis level and no media pressure built up in the window.".into());
    }
    Block::List(items)
}
