//! An incident's work, drawn when it happens so that staffing variants see the
//! same efforts (common random numbers).

use super::StepWork;
use crate::scenario::{Scenario, SopId};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// An incident's step efforts and redo draws.
pub(crate) type Work = Vec<StepWork>;

/// Efforts (the CSIRT's `maturity` now applied, by the scenario's
/// `rules.effort_by_maturity`) and rework draws for every step of `sop`.
pub(crate) fn draw_work(scenario: &Scenario, maturity: Option<u8>, sop: SopId, rng: &mut ChaCha8Rng) -> Work {
    let factor = scenario.rules.effort_factor(maturity);
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
