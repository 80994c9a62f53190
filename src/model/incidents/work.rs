//! An incident's work, drawn when it happens so that staffing variants see the
//! same efforts (common random numbers).

use super::StepWork;
use crate::scenario::{CsirtId, Scenario, SopId};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// An incident's step efforts and redo draws.
pub(crate) type Work = Vec<StepWork>;

/// Efforts (maturity applied, by the scenario's `rules.effort_by_maturity`)
/// and rework draws for every step of `sop`.
pub(crate) fn draw_work(scenario: &Scenario, csirt: CsirtId, sop: SopId, rng: &mut ChaCha8Rng) -> Work {
    let factor = scenario.rules.effort_factor(scenario.csirts[csirt].maturity);
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
