//! An incident's work, drawn when it happens so that staffing variants see the
//! same efforts (common random numbers).

use super::StepWork;
use crate::scenario::{Phase, Scenario, SopId};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// An incident's step efforts and redo draws.
pub(crate) type Work = Vec<StepWork>;

/// What scales a CSIRT's step efforts when an incident's work is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Skill {
    /// Its maturity now (`rules.effort_by_maturity` scales every step).
    pub maturity: Option<u8>,
    /// Its artifact handling programme's factor on Analysis steps (1 without).
    pub analysis: f64,
}

/// Efforts (the CSIRT's [`Skill`] now applied) and rework draws for every
/// step of `sop`.
pub(crate) fn draw_work(scenario: &Scenario, skill: Skill, sop: SopId, rng: &mut ChaCha8Rng) -> Work {
    let factor = scenario.rules.effort_factor(skill.maturity);
    scenario.sops[sop]
        .steps
        .iter()
        .map(|step| {
            let effort = step.effort.sample(rng);
            let rework_draw: f64 = rng.random();
            let scale = if step.phase == Phase::Analysis { factor * skill.analysis } else { factor };
            StepWork { effort: effort.scaled(scale), rework_draw }
        })
        .collect()
}
