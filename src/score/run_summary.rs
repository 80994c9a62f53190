//! The measures of one run, as written to `summary.json` and printed by `ttx run`.

use super::coordination_scores::{CoordinationScores, coordination_scores};
use super::impact_scores::{ImpactScores, impact_scores};
use super::objective_ratings::{ObjectiveResult, phase_end, rate_objectives};
use super::overall_score::{OverallScore, ScoreInputs, overall_score};
use super::statistics::Distribution;
use super::workload_scores::{WorkloadScores, workload_scores};
use crate::model::{IncidentSource, Outcome};
use crate::scenario::{Phase, Scenario};
use serde::Serialize;

/// Everything `summary.json` holds. Times are in seconds since the scenario start.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub horizon_s: u64,
    /// The time the run covered: the horizon, or the last event if all work ended sooner.
    pub end_s: u64,
    pub events_processed: u64,
    pub incidents: IncidentTotals,
    /// Occurrence to the first party noticing (ground truth).
    pub time_to_detect_s: Option<Distribution>,
    /// Occurrence to the CSIRT learning of it.
    pub time_to_report_s: Option<Distribution>,
    /// Report to the start of the first SOP step.
    pub time_to_triage_s: Option<Distribution>,
    /// Time spent waiting for an analyst, summed over an incident's steps.
    pub queue_wait_s: Option<Distribution>,
    /// Report to the end of the last containment step, for SOPs that have one.
    pub time_to_contain_s: Option<Distribution>,
    /// Report to the end of the last recovery step, for SOPs that have one.
    pub time_to_recover_s: Option<Distribution>,
    /// Report to close, for closed incidents.
    pub time_to_close_s: Option<Distribution>,
    /// Occurrence (the start of the incident) to the end of containment.
    pub time_to_contain_from_start_s: Option<Distribution>,
    /// Occurrence to the end of recovery.
    pub time_to_recover_from_start_s: Option<Distribution>,
    /// The overall score 0-100 and its components (docs/scoring.md).
    pub overall: OverallScore,
    pub objectives: Vec<ObjectiveResult>,
    pub coordination: CoordinationScores,
    pub impact: ImpactScores,
    pub workload: WorkloadScores,
    pub csirts: Vec<CsirtSummary>,
    pub assets: Vec<AssetSummary>,
    pub decisions: Vec<DecisionRow>,
    pub outbreaks: Vec<OutbreakSummary>,
    pub incident_list: Vec<IncidentRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutbreakSummary {
    pub id: String,
    /// Warnings passed on against their TLP label.
    pub tlp_violations: u32,
    pub nations: Vec<OutbreakNation>,
    pub assets_compromised: Vec<CompromisedAsset>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutbreakNation {
    pub nation: String,
    pub vulnerable: u64,
    pub infected_at_end: u64,
    /// When its national CSIRT noticed the outbreak itself.
    pub detected_s: Option<u64>,
    /// When a warning reached its national CSIRT.
    pub warned_s: Option<u64>,
    pub infected_share_when_warned: Option<f64>,
    /// Warned before the nation had noticed any infection of its own.
    pub warned_before_detection: Option<bool>,
    /// The warning was passed on to the nation's constituents (as its TLP label allows).
    pub passed_on: bool,
    pub protected_s: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompromisedAsset {
    pub asset: String,
    pub nation: String,
    pub time_s: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub decision: String,
    pub option: String,
    pub time_s: u64,
    pub by_default: bool,
}

/// Service an asset lost over the run.
#[derive(Debug, Clone, Serialize)]
pub struct AssetSummary {
    pub id: String,
    pub sector: String,
    pub criticality: u8,
    pub min_level: f64,
    /// Hours below full service.
    pub hours_degraded: f64,
    /// Integral of (1 - level) in hours: a full outage of 3 h is 3.
    pub service_hours_lost: f64,
    /// Service-hours lost times criticality.
    pub weighted_service_hours_lost: f64,
    /// Service-hours lost times cost per hour.
    pub cost: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct IncidentTotals {
    /// Incidents that happened (ground truth), known to a CSIRT or not.
    pub occurred: usize,
    /// Incidents no CSIRT ever learned of.
    pub unknown_to_csirts: usize,
    /// Known incidents a CSIRT found through its own feeds before any report.
    pub found_by_feeds: usize,
    /// Known incidents reported without the victim's identity.
    pub anonymous: usize,
    pub reported: usize,
    pub closed: usize,
    pub open_at_end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CsirtSummary {
    pub id: String,
    pub analysts_at_start: u32,
    pub analysts_at_end: u32,
    /// Busy analyst-time over staffed analyst-time.
    pub utilisation: Option<f64>,
    /// Time-average number of steps waiting (Lq).
    pub mean_queue_length: f64,
    /// Time-average number of open incidents (L).
    pub mean_open_incidents: f64,
    pub max_queue_length: usize,
    /// Per team: tier, headcount at the end, utilisation.
    pub teams: Vec<TeamSummary>,
    pub incidents_reported: usize,
    pub incidents_closed: usize,
    pub steps_started: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamSummary {
    pub tier: u8,
    pub analysts_at_end: u32,
    pub utilisation: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    pub number: u64,
    /// `stream:<id>` or `inject:<id>`.
    pub source: String,
    pub incident_type: &'static str,
    pub severity: &'static str,
    pub occurred_s: u64,
    pub detected_s: u64,
    pub detected_by: &'static str,
    pub anonymous: bool,
    pub csirt: String,
    pub sop: String,
    pub reported_s: u64,
    pub triage_started_s: Option<u64>,
    pub contained_s: Option<u64>,
    pub recovered_s: Option<u64>,
    pub closed_s: Option<u64>,
    pub queue_wait_s: u64,
    pub steps: Vec<StepRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    pub step: String,
    pub queued_s: u64,
    pub started_s: Option<u64>,
    pub finished_s: Option<u64>,
    pub wait_s: u64,
    pub tier: Option<u8>,
    pub handovers: u32,
    pub redone: bool,
}

pub fn summarise(scenario: &Scenario, outcome: &Outcome) -> RunSummary {
    let incidents = &outcome.incidents;
    let closed = incidents.iter().filter(|i| i.closed.is_some()).count();
    let triage: Vec<f64> = incidents.iter().filter_map(|i| i.triage_wait()).map(|w| w as f64).collect();
    let waits: Vec<f64> =
        incidents.iter().filter(|i| i.triage_wait().is_some()).map(|i| i.queue_wait() as f64).collect();
    let to_close: Vec<f64> = incidents.iter().filter_map(|i| i.closed.map(|c| (c - i.reported) as f64)).collect();
    let since_report = |phase: Phase| -> Vec<f64> {
        incidents.iter().filter_map(|i| phase_end(scenario, i, phase).map(|t| (t - i.reported) as f64)).collect()
    };
    let since_start = |phase: Phase| -> Vec<f64> {
        incidents.iter().filter_map(|i| phase_end(scenario, i, phase).map(|t| (t - i.occurred) as f64)).collect()
    };
    let objectives = rate_objectives(scenario, outcome);
    let coordination = coordination_scores(scenario, outcome);
    let impact = impact_scores(scenario, outcome);
    let workload = workload_scores(outcome);
    let inputs = ScoreInputs {
        objectives: &objectives,
        occurred: incidents.len() + outcome.unknown_incidents.len(),
        known: incidents.len(),
        closed,
        impact: &impact,
        coordination: &coordination,
        workload: &workload,
    };
    let overall = overall_score(&scenario.score_weights, &inputs);
    let span = outcome.end_time as f64;
    let csirts = scenario
        .csirts
        .iter()
        .enumerate()
        .map(|(c, csirt)| {
            let desk = &outcome.desks[c];
            let totals = &desk.totals;
            let mine = incidents.iter().filter(|i| i.csirt == c);
            CsirtSummary {
                id: csirt.id.clone(),
                analysts_at_start: csirt.analysts(),
                analysts_at_end: desk.teams.iter().map(|t| t.headcount).sum(),
                utilisation: (totals.staffed_s > 0.0).then(|| totals.busy_s / totals.staffed_s),
                mean_queue_length: if span > 0.0 { totals.queue_s / span } else { 0.0 },
                mean_open_incidents: if span > 0.0 { totals.open_incidents_s / span } else { 0.0 },
                max_queue_length: totals.max_queue,
                teams: desk
                    .teams
                    .iter()
                    .map(|t| TeamSummary {
                        tier: t.tier,
                        analysts_at_end: t.headcount,
                        utilisation: (t.staffed_s > 0.0).then(|| t.busy_s / t.staffed_s),
                    })
                    .collect(),
                incidents_reported: mine.clone().count(),
                incidents_closed: mine.filter(|i| i.closed.is_some()).count(),
                steps_started: totals.steps_started,
            }
        })
        .collect();
    let assets = scenario
        .assets
        .iter()
        .zip(&outcome.assets)
        .map(|(a, state)| {
            let lost_h = state.lost_s / 3600.0;
            AssetSummary {
                id: a.id.clone(),
                sector: scenario.sectors[a.sector].id.clone(),
                criticality: a.criticality,
                min_level: state.min_level,
                hours_degraded: state.degraded_s / 3600.0,
                service_hours_lost: lost_h,
                weighted_service_hours_lost: lost_h * f64::from(a.criticality),
                cost: lost_h * a.cost_per_hour,
            }
        })
        .collect();
    let incident_list = incidents
        .iter()
        .map(|i| {
            let sop = &scenario.sops[i.sop];
            IncidentRow {
                number: i.number,
                source: match i.source {
                    IncidentSource::Stream(s) => format!("stream:{}", scenario.streams[s].id),
                    IncidentSource::Inject(j) => format!("inject:{}", scenario.injects[j].id),
                    IncidentSource::Outbreak(j) => format!("outbreak:{}", scenario.outbreaks[j].id),
                },
                incident_type: i.incident_type.as_str(),
                severity: i.severity.as_str(),
                occurred_s: i.occurred,
                detected_s: i.detected,
                detected_by: i.detected_by.as_str(),
                anonymous: i.anonymous,
                csirt: scenario.csirts[i.csirt].id.clone(),
                sop: sop.id.clone(),
                reported_s: i.reported,
                triage_started_s: i.steps.first().and_then(|s| s.started),
                contained_s: phase_end(scenario, i, Phase::Containment),
                recovered_s: phase_end(scenario, i, Phase::Recovery),
                closed_s: i.closed,
                queue_wait_s: i.queue_wait(),
                steps: i
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(k, s)| StepRow {
                        step: sop.steps[k].name.clone(),
                        queued_s: s.queued,
                        started_s: s.started,
                        finished_s: s.finished,
                        wait_s: s.waited,
                        tier: s.tier,
                        handovers: s.handovers,
                        redone: s.reworked,
                    })
                    .collect(),
            }
        })
        .collect();
    RunSummary {
        scenario: scenario.name.clone(),
        seed: outcome.seed,
        horizon_s: scenario.horizon,
        end_s: outcome.end_time,
        events_processed: outcome.events_processed,
        time_to_detect_s: Distribution::of(
            &incidents.iter().map(|i| (i.detected - i.occurred) as f64).collect::<Vec<_>>(),
        ),
        time_to_report_s: Distribution::of(
            &incidents.iter().map(|i| (i.reported - i.occurred) as f64).collect::<Vec<_>>(),
        ),
        incidents: IncidentTotals {
            occurred: incidents.len() + outcome.unknown_incidents.len(),
            unknown_to_csirts: outcome.unknown_incidents.len(),
            found_by_feeds: incidents
                .iter()
                .filter(|i| i.detected_by == crate::model::Detector::Feeds && i.reported == i.detected)
                .count(),
            anonymous: incidents.iter().filter(|i| i.anonymous).count(),
            reported: incidents.len(),
            closed,
            open_at_end: incidents.len() - closed,
        },
        time_to_triage_s: Distribution::of(&triage),
        queue_wait_s: Distribution::of(&waits),
        time_to_contain_s: Distribution::of(&since_report(Phase::Containment)),
        time_to_recover_s: Distribution::of(&since_report(Phase::Recovery)),
        time_to_close_s: Distribution::of(&to_close),
        time_to_contain_from_start_s: Distribution::of(&since_start(Phase::Containment)),
        time_to_recover_from_start_s: Distribution::of(&since_start(Phase::Recovery)),
        overall,
        objectives,
        coordination,
        impact,
        workload,
        csirts,
        assets,
        decisions: outcome
            .decisions
            .iter()
            .filter_map(|d| {
                let decision = scenario.injects[d.inject].decision.as_ref()?;
                Some(DecisionRow {
                    decision: decision.id.clone(),
                    option: decision.options[d.option].id.clone(),
                    time_s: d.time,
                    by_default: d.by_default,
                })
            })
            .collect(),
        outbreaks: scenario
            .outbreaks
            .iter()
            .zip(&outcome.outbreaks)
            .map(|(o, state)| OutbreakSummary {
                id: o.id.clone(),
                tlp_violations: state.tlp_violations,
                nations: o
                    .populations
                    .iter()
                    .enumerate()
                    .map(|(k, p)| OutbreakNation {
                        nation: scenario.nations[p.nation].id.clone(),
                        vulnerable: p.vulnerable,
                        infected_at_end: state.infected[k],
                        detected_s: state.detected_at[k],
                        warned_s: state.warned_at[k],
                        infected_share_when_warned: state.infected_share_when_warned[k],
                        warned_before_detection: state.warned_at[k].map(|w| state.detected_at[k].is_none_or(|d| w < d)),
                        passed_on: state.forwarded[k],
                        protected_s: state.protected_at[k],
                    })
                    .collect(),
                assets_compromised: o
                    .exposed_assets
                    .iter()
                    .zip(&state.compromised_at)
                    .filter_map(|(t, at)| {
                        at.map(|time_s| {
                            let asset = &scenario.assets[t.asset];
                            let nation = scenario.nations[scenario.sectors[asset.sector].nation].id.clone();
                            CompromisedAsset { asset: asset.id.clone(), nation, time_s }
                        })
                    })
                    .collect(),
            })
            .collect(),
        incident_list,
    }
}
