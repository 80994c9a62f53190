//! Coordination: warnings across borders and what each CSIRT knew.

use super::incident_scores::IncidentScores;
use super::statistics::Distribution;
use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::{AssetId, NationId, Scenario, Service};
use serde::Serialize;

/// docs/scoring.md, "Coordination".
#[derive(Debug, Clone, Serialize)]
pub struct CoordinationScores {
    /// Parties at risk in an outbreak, outside the nation that noticed it first:
    /// its exposed assets (or, when it has none, the nations in it).
    pub at_risk: usize,
    /// Of those, warned (their nation's CSIRT) before they were hit, or never hit.
    pub warned_before_hit: usize,
    pub share_warned_before_hit: Option<f64>,
    /// Hit minus warning, for parties warned before they were hit.
    pub lead_time_s: Option<Distribution>,
    /// From the first detection of the outbreak to each warning's arrival.
    pub notification_latency_s: Option<Distribution>,
    /// Calls abroad the first detecting CSIRT set out to make (one per other nation).
    pub calls_attempted: usize,
    /// Of those, calls with a channel to carry them.
    pub calls_completed: usize,
    pub tlp_violations: u32,
    /// What each CSIRT knew against the ground truth.
    pub awareness: Vec<Awareness>,
}

/// Situational awareness of one CSIRT: incidents it learned of against those that
/// happened in its remit.
#[derive(Debug, Clone, Serialize)]
pub struct Awareness {
    pub csirt: String,
    pub occurred: usize,
    pub known: usize,
    /// Time-average of known / occurred over the part of the run after the first
    /// incident in its remit (1 = it always knew everything that had happened).
    pub mean_known_share: Option<f64>,
}

pub fn coordination_scores(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> CoordinationScores {
    let mut scores = CoordinationScores {
        at_risk: 0,
        warned_before_hit: 0,
        share_warned_before_hit: None,
        lead_time_s: None,
        notification_latency_s: None,
        calls_attempted: 0,
        calls_completed: 0,
        tlp_violations: 0,
        awareness: scenario
            .csirts
            .iter()
            .zip(&scores.awareness)
            .map(|(c, a)| Awareness {
                csirt: c.id.clone(),
                occurred: a.occurred,
                known: a.known,
                mean_known_share: a.mean_known_share(scenario.window),
            })
            .collect(),
    };
    let (mut leads, mut latencies) = (Vec::new(), Vec::new());
    // Only what happened within the exercise window counts.
    let w = scenario.window;
    let within = |t: Option<SimTime>| t.filter(|t| *t <= w);
    for (o, state) in scenario.outbreaks.iter().zip(&outcome.outbreaks) {
        scores.tlp_violations += state.tlp_violations;
        let first = (0..o.populations.len()).filter_map(|k| within(state.detected_at[k]).map(|t| (t, k))).min();
        let Some((first_detection, detector)) = first else { continue };
        let national = |nation: NationId| scenario.national_csirt(nation);
        let caller = national(o.populations[detector].nation);
        // The parties at risk are the exposed assets' operators abroad; an outbreak
        // without exposed assets puts whole nations at risk (hit: first infection).
        let population_of = |asset: AssetId| {
            let nation = scenario.sectors[scenario.assets[asset].sector].nation;
            o.populations.iter().position(|p| p.nation == nation)
        };
        let parties: Vec<(usize, Option<SimTime>)> = if o.exposed_assets.is_empty() {
            (0..o.populations.len())
                .map(|k| (k, within(state.series.iter().find(|(_, infected)| infected[k] > 0).map(|(t, _)| *t))))
                .collect()
        } else {
            o.exposed_assets
                .iter()
                .zip(&state.compromised_at)
                .filter_map(|(t, at)| population_of(t.asset).map(|k| (k, within(*at))))
                .collect()
        };
        for (k, hit) in parties.into_iter().filter(|(k, _)| *k != detector) {
            scores.at_risk += 1;
            match (within(state.warned_at[k]), hit) {
                (Some(w), Some(h)) if w < h => {
                    scores.warned_before_hit += 1;
                    leads.push((h - w).as_secs_f64());
                }
                (Some(_), None) => scores.warned_before_hit += 1,
                _ => {}
            }
        }
        for k in (0..o.populations.len()).filter(|k| *k != detector) {
            if let Some(warned) = within(state.warned_at[k]) {
                latencies.push(warned.saturating_since(first_detection).as_secs_f64());
            }
            let callee = national(o.populations[k].nation);
            if let (Some(from), Some(_), true) = (caller, callee, o.warn_others)
                && scenario.csirts[from].offers(Service::AlertsAndWarnings)
            {
                // Calls are desk work: a call still to make at the end of the
                // window is attempted, not completed.
                scores.calls_attempted += 1;
                scores.calls_completed += usize::from(within(state.warning_sent_at[k]).is_some());
            }
        }
    }
    scores.share_warned_before_hit =
        (scores.at_risk > 0).then(|| scores.warned_before_hit as f64 / scores.at_risk as f64);
    scores.lead_time_s = Distribution::of(&leads);
    scores.notification_latency_s = Distribution::of(&latencies);
    scores
}
