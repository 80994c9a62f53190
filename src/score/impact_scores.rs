//! Impact on the infrastructure: service lost, its cost, how wide and deep it spread.

use crate::engine::SimTime;
use crate::model::Outcome;
use crate::scenario::Scenario;
use serde::Serialize;

/// docs/scoring.md, "Impact".
#[derive(Debug, Clone, Serialize)]
pub struct ImpactScores {
    pub service_hours_lost: f64,
    /// Service-hours lost times each asset's criticality (1-5).
    pub weighted_service_hours_lost: f64,
    /// Share of the criticality-weighted service-hours the window could have delivered.
    pub weighted_share_lost: Option<f64>,
    pub cost: f64,
    /// Most assets below full service at one time, and when that first happened.
    pub peak_assets_degraded: usize,
    pub peak_at_s: Option<SimTime>,
    /// Longest chain of dependencies along which degradation was felt: 0 when only
    /// directly hit assets suffered, 2 for cable -> payments -> tourism.
    pub cascade_depth: usize,
}

/// Service lost by one asset over the window [0, `w`], read off its history of
/// levels (the last level holds to `w` if the run fell quiet sooner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowLoss {
    pub lost_s: f64,
    pub degraded_s: f64,
    pub min_level: f64,
}

pub fn window_loss(history: &[(SimTime, f64)], w: SimTime) -> WindowLoss {
    let mut loss = WindowLoss { lost_s: 0.0, degraded_s: 0.0, min_level: 1.0 };
    for (k, (t, level)) in history.iter().enumerate() {
        if *t > w {
            break;
        }
        let until = history.get(k + 1).map_or(w, |n| n.0).min(w);
        let span = until.saturating_since(*t).as_secs_f64();
        loss.lost_s += (1.0 - level) * span;
        if *level < 1.0 {
            loss.degraded_s += span;
        }
        loss.min_level = loss.min_level.min(*level);
    }
    loss
}

pub fn impact_scores(scenario: &Scenario, outcome: &Outcome) -> ImpactScores {
    let w = scenario.window;
    let hours = w.as_hours();
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
        let lost = window_loss(&state.history, w).lost_s / 3_600.0;
        scores.service_hours_lost += lost;
        scores.weighted_service_hours_lost += lost * f64::from(asset.criticality);
        scores.cost += lost * asset.cost_per_hour;
        possible += hours * f64::from(asset.criticality);
    }
    scores.weighted_share_lost = (possible > 0.0).then(|| scores.weighted_service_hours_lost / possible);
    // Sweep every level change in time order, counting assets below full service
    // after all changes at one instant.
    let mut changes: Vec<(SimTime, usize, f64)> = outcome
        .assets
        .iter()
        .enumerate()
        .flat_map(|(a, s)| s.history.iter().map(move |(t, level)| (*t, a, *level)))
        .filter(|c| c.0 <= w)
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
    let hit: Vec<bool> = outcome.assets.iter().map(|s| window_loss(&s.history, w).min_level < 1.0).collect();
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
        .filter(|d| hit[d.asset.index()])
        .map(|d| 1 + chain_depth(scenario, hit, memo, d.asset.index()))
        .max()
        .unwrap_or(0);
    memo[a] = Some(d);
    d
}
