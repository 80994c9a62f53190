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
}

/// The inputs of the overall score (docs/scoring.md, "Overall score").
pub struct ScoreInputs<'a> {
    pub objectives: &'a [ObjectiveResult],
    pub occurred: usize,
    pub known: usize,
    pub closed: usize,
    pub impact: &'a ImpactScores,
    pub coordination: &'a CoordinationScores,
    pub workload: &'a WorkloadScores,
}

pub fn overall_score(weights: &ScoreWeights, x: &ScoreInputs) -> OverallScore {
    let rated: Vec<f64> = x.objectives.iter().filter_map(|o| o.rating.points()).collect();
    let components = vec![
        ScoreComponent {
            name: "objectives",
            score: (!rated.is_empty()).then(|| rated.iter().sum::<f64>() / rated.len() as f64),
            weight: weights.objectives,
            rule: "mean of objective ratings: P 100, S 67, M 33, U 0",
        },
        ScoreComponent {
            name: "detection",
            score: (x.occurred > 0).then(|| 100.0 * x.known as f64 / x.occurred as f64),
            weight: weights.detection,
            rule: "100 x incidents known to a CSIRT / incidents that occurred",
        },
        ScoreComponent {
            name: "response",
            score: (x.known > 0).then(|| 100.0 * x.closed as f64 / x.known as f64),
            weight: weights.response,
            rule: "100 x known incidents closed by the end / known incidents",
        },
        ScoreComponent {
            name: "impact",
            score: x.impact.weighted_share_lost.map(|s| 100.0 * (1.0 - s)),
            weight: weights.impact,
            rule: "100 x (1 - criticality-weighted service-hours lost / possible)",
        },
        ScoreComponent {
            name: "coordination",
            score: x.coordination.share_warned_before_hit.map(|s| 100.0 * s),
            weight: weights.coordination,
            rule: "100 x parties at risk abroad warned before they were hit / parties at risk",
        },
        ScoreComponent {
            name: "workload",
            score: (x.workload.steps > 0)
                .then(|| 100.0 * (1.0 - x.workload.steps_queued_off_shift as f64 / x.workload.steps as f64)),
            weight: weights.workload,
            rule: "100 x (1 - SOP steps queued with nobody on shift / SOP steps)",
        },
    ];
    let (sum, total) = components
        .iter()
        .filter_map(|c| c.score.map(|s| (s * c.weight, c.weight)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    OverallScore { score: (total > 0.0).then(|| sum / total), components }
}
