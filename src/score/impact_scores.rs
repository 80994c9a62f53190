//! Impact on the infrastructure: service lost, its cost, how wide and deep it spread.

use crate::model::Outcome;
use crate::scenario::Scenario;
use serde::Serialize;

/// docs/scoring.md, "Impact".
#[derive(Debug, Clone, Serialize)]
pub struct ImpactScores {
    pub service_hours_lost: f64,
    /// Service-hours lost times each asset's criticality (1-5).
    pub weighted_service_hours_lost: f64,
    /// Share of the criticality-weighted service-hours the run could have delivered.
    pub weighted_share_lost: Option<f64>,
    pub cost: f64,
    /// Most assets below full service at one time, and when that first happened.
    pub peak_assets_degraded: usize,
    pub peak_at_s: Option<u64>,
    /// Longest chain of dependencies along which degradation was felt: 0 when only
    /// directly hit assets suffered, 2 for cable -> payments -> tourism.
    pub cascade_depth: usize,
}

pub fn impact_scores(scenario: &Scenario, outcome: &Outcome) -> ImpactScores {
    let hours = outcome.end_time as f64 / 3_600.0;
    let mut scores = ImpactScores {
        service_hours_lost: 0.0,
        weighted_service_hours_lost: 0.0,
        weighted_share_lost: None,
        cost: 0.0,
        peak_assets_degraded: 0,
        peak_at_s: None,
        cascade_depth: 0,
    };
    let mut possible = 0.0;
    for (asset, state) in scenario.assets.iter().zip(&outcome.assets) {
        let lost = state.lost_s / 3_600.0;
        scores.service_hours_lost += lost;
        scores.weighted_service_hours_lost += lost * f64::from(asset.criticality);
        scores.cost += lost * asset.cost_per_hour;
        possible += hours * f64::from(asset.criticality);
    }
    scores.weighted_share_lost = (possible > 0.0).then(|| scores.weighted_service_hours_lost / possible);
    // Sweep every level change in time order, counting assets below full service
    // after all changes at one instant.
    let mut changes: Vec<(u64, usize, f64)> = outcome
        .assets
        .iter()
        .enumerate()
        .flat_map(|(a, s)| s.history.iter().map(move |(t, level)| (*t, a, *level)))
        .collect();
    changes.sort_by_key(|c| (c.0, c.1));
    let mut degraded = vec![false; outcome.assets.len()];
    let mut k = 0;
    while k < changes.len() {
        let t = changes[k].0;
        while k < changes.len() && changes[k].0 == t {
            degraded[changes[k].1] = changes[k].2 < 1.0;
            k += 1;
        }
        let count = degraded.iter().filter(|d| **d).count();
        if count > scores.peak_assets_degraded {
            scores.peak_assets_degraded = count;
            scores.peak_at_s = Some(t);
        }
    }
    let hit: Vec<bool> = outcome.assets.iter().map(|s| s.min_level < 1.0).collect();
    let mut depth: Vec<Option<usize>> = vec![None; hit.len()];
    for a in 0..hit.len() {
        scores.cascade_depth = scores.cascade_depth.max(chain_depth(scenario, &hit, &mut depth, a));
    }
    scores
}

/// Longest chain of degraded providers behind degraded asset `a` (the graph has no
/// cycle: validation rejects them).
fn chain_depth(scenario: &Scenario, hit: &[bool], memo: &mut [Option<usize>], a: usize) -> usize {
    if !hit[a] {
        return 0;
    }
    if let Some(d) = memo[a] {
        return d;
    }
    let d = scenario.assets[a]
        .depends_on
        .iter()
        .filter(|d| hit[d.asset])
        .map(|d| 1 + chain_depth(scenario, hit, memo, d.asset))
        .max()
        .unwrap_or(0);
    memo[a] = Some(d);
    d
}
