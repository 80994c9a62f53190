//! The overall score 0-100: a weighted mean of component scores, each shown beside it.

use super::coordination_scores::CoordinationScores;
use super::impact_scores::ImpactScores;
use super::objective_ratings::ObjectiveResult;
use super::workload_scores::WorkloadScores;
use crate::scenario::ScoreWeights;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct OverallScore {
    /// `None` when no component applies.
    pub score: Option<f64>,
    pub components: Vec<ScoreComponent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreComponent {
    pub name: &'static str,
    /// 0-100, or `None` when the run gives it nothing to measure (left out).
    pub score: Option<f64>,
    pub weight: f64,
    pub rule: &'static str,
    /// Why it does not apply to this run, when `score` is `None`.
    pub not_applicable: Option<&'static str>,
}

/// The inputs of the overall score (docs/scoring.md, "Overall score"), all over
/// the exercise window.
pub struct ScoreInputs<'a> {
    pub objectives: &'a [ObjectiveResult],
    pub occurred: usize,
    pub known: usize,
    /// Incidents that occurred that a CSIRT resolved in the window ([`super::Case::resolved`]).
    pub handled: f64,
    pub impact: &'a ImpactScores,
    pub coordination: &'a CoordinationScores,
    pub workload: &'a WorkloadScores,
}

pub fn overall_score(weights: &ScoreWeights, x: &ScoreInputs) -> OverallScore {
    let rated: Vec<f64> = x.objectives.iter().filter_map(|o| o.rating.points()).collect();
    let component = |name, score: Option<f64>, weight, rule, why| ScoreComponent {
        name,
        score,
        weight,
        rule,
        not_applicable: if score.is_none() { Some(why) } else { None },
    };
    let components = vec![
        component(
            "objectives",
            (!rated.is_empty()).then(|| rated.iter().sum::<f64>() / rated.len() as f64),
            weights.objectives,
            "mean of objective ratings: P 100, S 67, M 33, U 0 (N/A and not-enough-evidence left out)",
            "no objective could be rated",
        ),
        component(
            "detection",
            (x.occurred > 0).then(|| 100.0 * x.known as f64 / x.occurred as f64),
            weights.detection,
            "100 x incidents known to a CSIRT in the window / incidents that occurred in it",
            "no incident occurred in the window",
        ),
        component(
            "response",
            (x.occurred > 0).then(|| 100.0 * x.handled / x.occurred as f64),
            weights.response,
            "100 x incidents a CSIRT resolved in the window (finished the SOP's last recovery step, else its last containment step, else its last step; not left to the victim) / incidents that occurred",
            "no incident occurred in the window",
        ),
        component(
            "impact",
            x.impact.weighted_share_lost.map(|s| 100.0 * (1.0 - s)),
            weights.impact,
            "100 x (1 - criticality-weighted service-hours lost / possible in the window)",
            "the scenario has no assets",
        ),
        component(
            "coordination",
            x.coordination.share_warned_before_hit.map(|s| 100.0 * s),
            weights.coordination,
            "100 x parties at risk abroad warned before they were hit / parties at risk",
            "no outbreak put a party abroad at risk",
        ),
        component(
            "workload",
            x.workload.share_steps_on_time.map(|s| 100.0 * s),
            weights.workload,
            "100 x SOP steps due in the window that an analyst started within 3 h / steps due (a step left undone for want of the service, or waiting past 3 h, is late)",
            "no SOP step was due in the window",
        ),
    ];
    let (sum, total) = components
        .iter()
        .filter_map(|c| c.score.map(|s| (s * c.weight, c.weight)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    OverallScore { score: (total > 0.0).then(|| sum / total), components }
}
