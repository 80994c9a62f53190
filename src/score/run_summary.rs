//! The measures of one run, as written to `summary.json` and printed by `ttx run`.

use super::cases::CaseTimes;
use super::coordination_scores::{CoordinationScores, coordination_scores};
use super::impact_scores::{ImpactScores, impact_scores, window_loss};
use super::incident_scores::IncidentScores;
use super::objective_ratings::{ObjectiveResult, rate_objectives};
use super::overall_score::{OverallScore, ScoreInputs, overall_score};
use super::time_to_event::{TimeMeasure, TimeToEvent};
use super::workload_scores::{WorkloadScores, share_behind, workload_scores};
use crate::engine::{SimDuration, SimTime};
use crate::model::Outcome;
use crate::scenario::Scenario;
use serde::Serialize;

/// Everything `summary.json` holds. Times are in seconds since the scenario start.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub horizon_s: SimTime,
    /// The time the run covered: the horizon, or the last event if all work ended sooner.
    pub end_s: SimTime,
    pub events_processed: u64,
    /// End of the exercise window every score covers (docs/scoring.md).
    pub window_s: SimTime,
    pub incidents: IncidentTotals,
    /// Duration measures, each counting the cases still open at the end of the
    /// window (Kaplan-Meier quantiles, restricted mean up to the window):
    /// occurrence to the first party noticing (ground truth).
    pub time_to_detect_s: Option<TimeMeasure>,
    /// Occurrence to the CSIRT learning of it; incidents never known are open.
    pub time_to_report_s: Option<TimeMeasure>,
    /// Report to the start of the first SOP step.
    pub time_to_triage_s: Option<TimeMeasure>,
    /// Time spent waiting for an analyst, summed over an incident's steps.
    pub queue_wait_s: Option<TimeMeasure>,
    /// Report to the end of the last containment step, for SOPs that have one.
    pub time_to_contain_s: Option<TimeMeasure>,
    /// Report to the end of the last recovery step, for SOPs that have one.
    pub time_to_recover_s: Option<TimeMeasure>,
    /// Report to close.
    pub time_to_close_s: Option<TimeMeasure>,
    /// Occurrence (the start of the incident) to the end of containment.
    pub time_to_contain_from_start_s: Option<TimeMeasure>,
    /// Occurrence to the end of recovery.
    pub time_to_recover_from_start_s: Option<TimeMeasure>,
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
    /// Every tracked relation's trust over the window (docs/model.md, "Trust").
    pub trust: Vec<TrustSummary>,
    /// Per nation: media pressure and crisis levels (docs/model.md, "Media
    /// pressure" and "Crisis levels").
    pub nations: Vec<NationSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NationSummary {
    pub nation: String,
    /// The highest media pressure in the window, and when.
    pub media_peak: f64,
    pub media_peak_s: Option<SimTime>,
    /// Media pressure at the end of the window.
    pub media_end: f64,
    /// Each change of crisis level in the window: (time, level name).
    pub crisis_levels: Vec<CrisisChange>,
    /// The level at the end of the window, and the highest reached in it.
    pub crisis_level_end: String,
    pub crisis_level_max: String,
    /// The highest level's rank: 0 for none, 1 for the first level stated...
    /// (what a batch averages).
    pub crisis_level_max_rank: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrisisChange {
    pub time_s: SimTime,
    pub level: String,
}

/// One relation's trust: at T+0, at the end of the window, its lowest in the
/// window, and how often it changed in it.
#[derive(Debug, Clone, Serialize)]
pub struct TrustSummary {
    /// `constituents:natcert`, `peers:a+b`, `vendor:acme`, `police:fiji`.
    pub relation: String,
    pub kind: &'static str,
    pub start: f64,
    pub end: f64,
    pub min: f64,
    pub changes: usize,
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
    pub detected_s: Option<SimTime>,
    /// When a warning reached its national CSIRT.
    pub warned_s: Option<SimTime>,
    pub infected_share_when_warned: Option<f64>,
    /// Warned before the nation had noticed any infection of its own.
    pub warned_before_detection: Option<bool>,
    /// The warning was passed on to the nation's constituents (as its TLP label allows).
    pub passed_on: bool,
    pub protected_s: Option<SimTime>,
    /// The CSIRT whose warning call went (or could not go) to this nation.
    pub warning_from: Option<String>,
    /// The caller had no channel to this nation's CSIRT.
    pub warning_unreachable: bool,
    /// A warning arrived and was doubted (the channel's trust), not acted on.
    pub warning_doubted_s: Option<SimTime>,
    /// Kept as its TLP label requires, not passed on to constituents.
    pub warning_held: bool,
    /// How long the warning waited for someone on duty to read it.
    pub warning_read_after_s: Option<SimDuration>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompromisedAsset {
    pub asset: String,
    pub nation: String,
    pub time_s: SimTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub decision: String,
    pub option: String,
    pub time_s: SimTime,
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
    /// Types of the incidents that targeted it in the window.
    pub attacked_by: Vec<&'static str>,
}

/// Counts over the exercise window.
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
    /// Known incidents not closed by the end of the window.
    pub open_at_end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CsirtSummary {
    pub id: String,
    pub analysts_at_start: u32,
    pub analysts_at_end: u32,
    /// Busy analyst-time over staffed analyst-time.
    pub utilisation: Option<f64>,
    /// Analyst-hours of work in the window, of every kind (incident steps,
    /// warnings and coordination, outreach).
    pub busy_hours: f64,
    /// Time-average number of steps waiting (Lq).
    pub mean_queue_length: f64,
    /// Time-average number of open incidents (L).
    pub mean_open_incidents: f64,
    pub max_queue_length: usize,
    /// Per team: name, tier, headcount, seats, FTE needed, coverage, utilisation.
    pub teams: Vec<TeamSummary>,
    pub incidents_reported: usize,
    pub incidents_closed: usize,
    pub steps_started: u64,
    /// Warning calls it started (coordination work on its desk).
    pub calls_started: u64,
    /// Times its on-call analysts were woken within the window (for desk work
    /// or to notice an outbreak).
    pub call_outs: u64,
    /// Analyst-hours on warning calls within the window: part of the busy time
    /// in `utilisation`, taken from SOP work.
    pub call_hours: f64,
    /// Outreach sessions it started, and the analyst-hours they took in the window.
    pub outreach_sessions: u64,
    pub outreach_hours: f64,
    /// Its programmes of proactive services (training, audits, ...), in
    /// service order: the desk time each took and its effect at the end.
    pub programmes: Vec<ProgrammeSummary>,
    /// Warnings it started passing on to its constituents, peers' requests for
    /// details it started answering, and coordination meetings it joined.
    pub notifications: u64,
    pub answers: u64,
    pub meetings: u64,
    /// Analyst-hours in the window on all coordination work: calls,
    /// notifications, answers and meetings (part of the busy time in `utilisation`).
    pub coordination_hours: f64,
    /// Incidents in its remit that occurred in the window, known to it or not.
    pub incidents_occurred: usize,
    /// Its known incidents not closed at the end of the window.
    pub still_open: usize,
    /// Its response score 0-100: the share of incidents in its remit it resolved
    /// in the window (docs/scoring.md).
    pub response: Option<f64>,
    /// Share of the window some step waited for one of its analysts.
    pub share_behind: f64,
    /// Share of the window some step waited with nobody on shift at all.
    pub share_behind_unstaffed: f64,
    /// Its incidents that waited more than 3 h for triage (counting those still
    /// waiting past 3 h at the end), and of those, the ones still waiting.
    pub triage_late: usize,
    pub triage_still_waiting: usize,
    /// SOP steps its desk worked in the window, and those queued with nobody on shift.
    pub steps_worked: usize,
    pub steps_queued_off_shift: usize,
    /// Its own duration measures, censoring-aware like the pooled ones.
    pub time_to_triage_s: Option<TimeMeasure>,
    pub queue_wait_s: Option<TimeMeasure>,
    pub time_to_contain_s: Option<TimeMeasure>,
    pub time_to_recover_s: Option<TimeMeasure>,
    pub time_to_close_s: Option<TimeMeasure>,
}

/// One programme of a CSIRT's: sessions started and analyst-hours in the
/// window, and what its effect multiplies at the end of the run.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeSummary {
    pub service: crate::scenario::Service,
    /// The effect's name, as in events.csv (`incident_rate`, `exploitable`, ...).
    pub effect: crate::scenario::ProgrammeEffect,
    pub sessions: u64,
    pub hours: f64,
    pub factor_at_end: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamSummary {
    pub name: String,
    pub tier: u8,
    /// People in the team at T+0 and at the end.
    pub analysts_at_start: u32,
    pub analysts_at_end: u32,
    /// Seats filled while on duty: the rota's, or (without one) the headcount
    /// at T+0.
    pub seats: u32,
    /// Whether people take turns on a rota (`seats` given).
    pub rota: bool,
    /// Hours a week the team is on duty.
    pub hours_on_duty_a_week: f64,
    /// Full-time people its seats need over a week, after absences (for a
    /// team without a rota, what its always-filled seats amount to).
    pub fte_needed: f64,
    /// Share of its seat-hours on duty in the window that had someone in them.
    pub coverage: Option<f64>,
    pub utilisation: Option<f64>,
}

/// The summary of a finished run, its incident scores accumulated from the
/// run's records (for callers that kept them; a run scored as it went uses
/// [`summarise_with`] and a [`super::ScoreFold`], with the same result).
pub fn summarise(scenario: &Scenario, outcome: &Outcome) -> RunSummary {
    summarise_with(scenario, outcome, &IncidentScores::from_records(scenario, outcome))
}

/// The summary from incident scores accumulated as the run went, and the run's
/// end state (desks, assets, outbreaks: bounded whatever the number of incidents).
pub fn summarise_with(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> RunSummary {
    summarise_detail(scenario, outcome, scores, Detail::Full)
}

/// Only what a row of runs.csv holds (`batch::summary_row`), everything else
/// left empty: what a batch replication computes, as the row is all it keeps.
/// Crate-private, so that a partial summary is never taken for a whole one;
/// `tests/batch.rs` checks that every bundled scenario's row from it is the
/// row of the whole summary, bit for bit. The summary was about a seventh of
/// an island replication's instructions, half of it in measures no row holds.
pub(crate) fn summarise_for_row(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> RunSummary {
    summarise_detail(scenario, outcome, scores, Detail::Row)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    Row,
}

fn summarise_detail(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores, detail: Detail) -> RunSummary {
    let full = detail == Detail::Full;
    let w = scenario.window;
    // A measure no row holds: computed for the whole summary only.
    let unless_row = |m: &TimeToEvent| if full { m.summary(w.since_start()) } else { None };
    // How many of each list no row holds (teams, assets, outbreaks...) to summarise.
    let each = if full { usize::MAX } else { 0 };
    let pooled = &scores.pooled;
    let tau = w.since_start();
    let pooled_from_report = |m: fn(&CaseTimes) -> &TimeToEvent| scores.pooled_summary(m, tau);
    let (occurred, known_count, closed) = (scores.occurred(), scores.known(), scores.closed());
    let objectives = rate_objectives(scenario, outcome, scores);
    let coordination = coordination_scores(scenario, outcome, scores);
    let impact = impact_scores(scenario, outcome);
    let workload = workload_scores(scenario, outcome, scores);
    let inputs = ScoreInputs {
        objectives: &objectives,
        occurred,
        known: known_count,
        handled: scores.resolved() as f64,
        impact: &impact,
        coordination: &coordination,
        workload: &workload,
    };
    let overall = overall_score(&scenario.score_weights, &inputs);
    let span = w.since_start().as_secs_f64();
    let csirts = scenario
        .csirts
        .iter()
        .enumerate()
        .map(|(c, csirt)| {
            let desk = &outcome.desks[c];
            let totals = &desk.totals;
            let tally = &scores.csirts[c];
            let times = &tally.times;
            CsirtSummary {
                id: csirt.id.clone(),
                analysts_at_start: csirt.analysts(),
                analysts_at_end: desk.teams.iter().map(|t| t.headcount).sum(),
                utilisation: (totals.staffed_s > 0.0).then(|| totals.busy_s / totals.staffed_s),
                busy_hours: totals.busy_s / 3600.0,
                mean_queue_length: if span > 0.0 { totals.queue_s / span } else { 0.0 },
                mean_open_incidents: if span > 0.0 { totals.open_incidents_s / span } else { 0.0 },
                max_queue_length: totals.max_queue,
                teams: desk
                    .teams
                    .iter()
                    .take(each)
                    .zip(&csirt.teams)
                    .map(|(t, team)| TeamSummary {
                        name: team.name.clone(),
                        tier: t.tier,
                        analysts_at_start: team.analysts,
                        analysts_at_end: t.headcount,
                        seats: t.seats,
                        rota: team.seats.is_some(),
                        hours_on_duty_a_week: team.shift.hours_on_duty_a_week(),
                        fte_needed: team.fte_needed(scenario.rules.hours_per_week),
                        coverage: (t.window_seat_s > 0.0).then(|| t.window_filled_s / t.window_seat_s),
                        utilisation: (t.window_staffed_s > 0.0).then(|| t.window_busy_s / t.window_staffed_s),
                    })
                    .collect(),
                incidents_reported: tally.known,
                incidents_closed: tally.closed,
                steps_started: totals.steps_started,
                calls_started: totals.calls_started,
                call_outs: totals.call_outs,
                call_hours: totals.calls_busy_s / 3600.0,
                outreach_sessions: totals.outreach_started,
                outreach_hours: totals.outreach_busy_s / 3600.0,
                programmes: csirt
                    .programmes
                    .iter()
                    .take(each)
                    .enumerate()
                    .map(|(i, p)| ProgrammeSummary {
                        service: p.service,
                        effect: p.effect,
                        sessions: totals.programme_started[p.service.index()],
                        hours: totals.programme_busy_s[p.service.index()] / 3600.0,
                        factor_at_end: outcome.programme_factors.get(c).and_then(|f| f.get(i)).copied().unwrap_or(1.0),
                    })
                    .collect(),
                notifications: totals.notifications_started,
                answers: totals.answers_started,
                meetings: totals.meetings_attended,
                coordination_hours: (totals.calls_busy_s + totals.coordination_busy_s) / 3600.0,
                incidents_occurred: tally.occurred,
                still_open: tally.still_open,
                response: (tally.occurred > 0).then(|| 100.0 * tally.resolved as f64 / tally.occurred as f64),
                triage_late: tally.triage.not_met,
                triage_still_waiting: tally.triage.open_over,
                steps_worked: tally.steps,
                steps_queued_off_shift: tally.steps_off_shift,
                share_behind: share_behind(totals.waiting_s, w),
                share_behind_unstaffed: share_behind(totals.waiting_unstaffed_s, w),
                time_to_triage_s: times.triage.summary(w.since_start()),
                queue_wait_s: unless_row(&times.queue_wait),
                time_to_contain_s: times.contain.summary(w.since_start()),
                time_to_recover_s: times.recover.summary(w.since_start()),
                time_to_close_s: unless_row(&times.close),
            }
        })
        .collect();
    let assets = scenario
        .assets
        .iter()
        .take(each)
        .zip(&outcome.assets)
        .enumerate()
        .map(|(k, (a, state))| {
            let loss = window_loss(&state.history, w);
            let lost_h = loss.lost_s / 3600.0;
            AssetSummary {
                id: a.id.clone(),
                sector: scenario.sectors[a.sector].id.clone(),
                criticality: a.criticality,
                min_level: loss.min_level,
                hours_degraded: loss.degraded_s / 3600.0,
                service_hours_lost: lost_h,
                weighted_service_hours_lost: lost_h * f64::from(a.criticality),
                cost: lost_h * a.cost_per_hour,
                attacked_by: scores.attacked[k].iter().map(|t| t.as_str()).collect(),
            }
        })
        .collect();
    RunSummary {
        scenario: scenario.name.clone(),
        seed: outcome.seed,
        horizon_s: scenario.horizon,
        end_s: outcome.end_time,
        events_processed: outcome.events_processed,
        window_s: w,
        time_to_detect_s: unless_row(&pooled.detect),
        time_to_report_s: unless_row(&pooled.report),
        incidents: IncidentTotals {
            occurred,
            unknown_to_csirts: occurred - known_count,
            found_by_feeds: scores.found_by_feeds,
            anonymous: scores.anonymous,
            reported: known_count,
            closed,
            open_at_end: known_count - closed,
        },
        time_to_triage_s: pooled_from_report(|t| &t.triage),
        queue_wait_s: pooled_from_report(|t| &t.queue_wait),
        time_to_contain_s: pooled_from_report(|t| &t.contain),
        time_to_recover_s: pooled_from_report(|t| &t.recover),
        time_to_close_s: pooled_from_report(|t| &t.close),
        time_to_contain_from_start_s: unless_row(&pooled.contain_from_start),
        time_to_recover_from_start_s: unless_row(&pooled.recover_from_start),
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
            .take(each)
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
            .take(each)
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
                        warning_from: state.warning_from[k].map(|c| scenario.csirts[c].id.clone()),
                        warning_unreachable: state.warning_unreachable[k],
                        warning_doubted_s: state.warning_doubted_at[k],
                        warning_held: state.warning_held[k],
                        warning_read_after_s: state.warning_read_after[k],
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
        trust: outcome
            .trust
            .levels
            .iter()
            .map(|(relation, level)| {
                let in_window: Vec<f64> = level.changes.iter().filter(|c| c.0 <= w).map(|c| c.1).collect();
                TrustSummary {
                    relation: scenario.relation_label(*relation),
                    kind: relation.kind(),
                    start: level.start,
                    end: level.at(w),
                    min: in_window.iter().copied().fold(level.start, f64::min),
                    changes: in_window.len(),
                }
            })
            .collect(),
        nations: scenario
            .each_nation()
            .map(|(n, nation)| {
                let p = &outcome.media.nations[n.index()];
                let crisis = &outcome.crisis.nations[n.index()];
                let in_window: Vec<(SimTime, u8)> = crisis.changes.iter().copied().filter(|c| c.0 <= w).collect();
                let end = in_window.last().map_or(0, |c| c.1);
                let max = in_window.iter().map(|c| c.1).max().unwrap_or(0);
                let peak = p.peak();
                NationSummary {
                    nation: nation.id.clone(),
                    media_peak: peak.map_or(0.0, |p| p.1),
                    media_peak_s: peak.map(|p| p.0),
                    media_end: p.in_window_at(w, &scenario.media),
                    crisis_levels: in_window
                        .iter()
                        .map(|(t, l)| CrisisChange { time_s: *t, level: scenario.crisis_level_name(n, *l).to_string() })
                        .collect(),
                    crisis_level_end: scenario.crisis_level_name(n, end).to_string(),
                    crisis_level_max: scenario.crisis_level_name(n, max).to_string(),
                    crisis_level_max_rank: max,
                }
            })
            .collect(),
    }
}
