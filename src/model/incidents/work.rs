//! An incident's work, drawn when it happens so that staffing variants see the
//! same efforts (common random numbers).

use super::StepWork;
use crate::scenario::{CsirtId, Scenario, SopId};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// Effort multiplier by maturity 0-4 (judgement: a SIM3 level-4 team works a step
/// in 80% of the time a level-2 team needs; a level-0 team in 150%).
pub const EFFORT_FACTOR_BY_MATURITY: [f64; 5] = [1.5, 1.25, 1.0, 0.9, 0.8];

/// An incident's step efforts and redo draws.
pub(crate) type Work = Vec<StepWork>;

/// Efforts (maturity applied) and rework draws for every step of `sop`.
pub(crate) fn draw_work(scenario: &Scenario, csirt: CsirtId, sop: SopId, rng: &mut ChaCha8Rng) -> Work {
    let factor = scenario.csirts[csirt].maturity.map_or(1.0, |m| EFFORT_FACTOR_BY_MATURITY[usize::from(m)]);
    scenario.sops[sop]
        .steps
        .iter()
        .map(|step| {
            let effort = step.effort.sample(rng);
            let rework_draw: f64 = rng.random();
            StepWork { effort: effort.scaled(factor), rework_draw }
        })
        .collect()
}
