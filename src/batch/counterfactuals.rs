//! What each decision at the table changed: the run replayed over many seeds
//! with the options as the table chose them, and again with each decision
//! switched to each of its other options (every other decision held as chosen),
//! compared pair by pair with common random numbers.
//!
//! Replication i of every variant runs with seed `played seed + i`, so
//! replication 0 is the run the table saw and every variant meets the same
//! incidents: a difference comes from the option, not from luck. Rows stream in
//! (replication, variant) order through the batch runner; only running moments
//! are kept, so memory is flat however many seeds.

use super::batch_statistics::{MeanCi, RunningMoments};
use super::runner::run_ordered;
use crate::model::{Outcome, Replication};
use crate::scenario::{InjectId, Scenario};
use crate::score::{RunSummary, ScoreFold, TimeMeasure, summarise_with, window_loss};
use serde::Serialize;
use std::sync::Arc;

/// Seeds of the analysis unless `--counterfactuals` says otherwise.
pub const DEFAULT_COUNTERFACTUAL_SEEDS: u64 = 200;

/// Which way a measure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Better {
    Lower,
    Higher,
}

/// How a measure's numbers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    Hours,
    Money,
    /// A share 0-1, shown in percentage points.
    Share,
    /// A score 0-100.
    Points,
}

/// One headline measure the decisions are compared on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionMeasure {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
}

/// The headline measures: the overall score, service lost (pooled, by asset, and
/// its cost), warnings in time, and per CSIRT its censoring-aware response times
/// and share resolved, and each objective's value. Per CSIRT and per asset, so a
/// small team's change is never hidden in a pooled number.
pub fn decision_measures(scenario: &Scenario) -> Vec<DecisionMeasure> {
    let m = |key: String, label: String, unit, better| DecisionMeasure { key, label, unit, better };
    let mut list = vec![
        m("overall_score".into(), "overall score".into(), Unit::Points, Better::Higher),
        m("service_hours_lost".into(), "service-hours lost, all assets".into(), Unit::Hours, Better::Lower),
        m("cost".into(), "cost of service lost".into(), Unit::Money, Better::Lower),
    ];
    for a in &scenario.assets {
        let label = format!("{} service-hours lost", a.name);
        list.push(m(format!("asset.{}.service_hours_lost", a.id), label, Unit::Hours, Better::Lower));
    }
    if !scenario.outbreaks.is_empty() {
        let label = "share of nations warned before the worm reached them".into();
        list.push(m("share_warned_before_hit".into(), label, Unit::Share, Better::Higher));
    }
    for c in &scenario.csirts {
        for (what, label) in [
            ("time_to_triage_rmst_h", "time to triage"),
            ("time_to_contain_rmst_h", "time to contain"),
            ("time_to_recover_rmst_h", "time to recover"),
        ] {
            let label = format!("{}: {label}", c.name);
            list.push(m(format!("csirt.{}.{what}", c.id), label, Unit::Hours, Better::Lower));
        }
        let label = format!("{}: share of its incidents resolved", c.name);
        list.push(m(format!("csirt.{}.response", c.id), label, Unit::Points, Better::Higher));
    }
    for o in &scenario.objectives {
        let label = format!("objective {}: share met", o.id);
        list.push(m(format!("objective.{}.value", o.id), label, Unit::Share, Better::Higher));
    }
    list
}

/// One replication's values of [`decision_measures`], in order.
pub fn decision_row(scenario: &Scenario, outcome: &Outcome, s: &RunSummary) -> Vec<Option<f64>> {
    let h = |m: &Option<TimeMeasure>| m.as_ref().map(|m| m.restricted_mean_s / 3_600.0);
    let mut row = vec![s.overall.score, Some(s.impact.service_hours_lost), Some(s.impact.cost)];
    for a in &outcome.assets {
        row.push(Some(window_loss(&a.history, scenario.window).lost_s / 3_600.0));
    }
    if !scenario.outbreaks.is_empty() {
        row.push(s.coordination.share_warned_before_hit);
    }
    for c in &s.csirts {
        row.extend([h(&c.time_to_triage_s), h(&c.time_to_contain_s), h(&c.time_to_recover_s), c.response]);
    }
    row.extend(s.objectives.iter().map(|o| o.value));
    row
}

/// What the analysis runs: the played run's scenario, seed and decisions.
pub struct CounterfactualPlan {
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    /// Seeds to replay, from the played one on.
    pub seeds: u64,
    pub jobs: usize,
    /// The decisions answered, as (inject, option chosen), in the order posed.
    pub decisions: Vec<(InjectId, usize)>,
}

/// Plays one seed with the given (inject, option) choices and returns its
/// [`decision_row`]. `ttx run` replays the scenario with the choices
/// ([`replication_runner`]); a `ttx play` branch replays its commands with the
/// answers switched, so its contingency injects and timing are kept.
pub trait VariantRunner: Fn(u64, &[(InjectId, usize)]) -> Result<Vec<Option<f64>>, String> + Sync {}
impl<F: Fn(u64, &[(InjectId, usize)]) -> Result<Vec<Option<f64>>, String> + Sync> VariantRunner for F {}

/// A scenario replayed to its horizon with the choices made up front.
pub fn replication_runner(scenario: Arc<Scenario>, max_events: u64) -> impl VariantRunner {
    move |seed, choices| {
        let mut r = Replication::new(Arc::clone(&scenario), seed, max_events, ScoreFold::new(Arc::clone(&scenario)));
        r.forget_closed_incidents();
        for (inject, option) in choices {
            r.choose(*inject, *option).map_err(|e| e.to_string())?;
        }
        r.run_to_horizon().map_err(|e| format!("seed {seed}: {e}"))?;
        let (outcome, fold) = r.finish();
        Ok(decision_row(&scenario, &outcome, &summarise_with(&scenario, &outcome, &fold.finish())))
    }
}

/// Switching one decision to another option, against the options as chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub option: String,
    /// Per measure (by index), the paired difference alternative minus chosen;
    /// `None` where no seed gave both numbers.
    pub differences: Vec<Option<Difference>>,
}

/// A paired difference over the seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub seeds: usize,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    /// Seeds in which the alternative did better, and worse, than the choice.
    pub better: usize,
    pub worse: usize,
}

impl Difference {
    /// Whether the 95% interval excludes 0 (an exact 0 in every seed never does).
    pub fn clear(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// One decision the table answered and what its other options would have changed.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionEffect {
    pub inject: InjectId,
    pub decision: String,
    pub chosen: String,
    pub alternatives: Vec<Alternative>,
}

/// Where the played run falls among the seeds played with the same choices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlayedRank {
    pub seeds: usize,
    /// Seeds whose value was worse than the played run's, and equal to it
    /// (the played run itself included).
    pub worse: usize,
    pub ties: usize,
}

/// The analysis: measures, what each decision's alternatives changed, and the
/// played run's place in the distribution of each measure.
#[derive(Debug, Clone, Serialize)]
pub struct Counterfactuals {
    pub seeds: u64,
    pub first_seed: u64,
    pub measures: Vec<DecisionMeasure>,
    pub decisions: Vec<DecisionEffect>,
    pub played: Vec<Option<PlayedRank>>,
    /// Per measure, its mean over the seeds with the options as chosen: what the
    /// differences are differences from.
    pub chosen_mean: Vec<Option<f64>>,
}

/// Accumulates rows as they stream in (replication, variant) order: variant 0
/// is the options as chosen, the others each switch one decision.
struct Accumulator {
    measures: Vec<DecisionMeasure>,
    /// Per alternative variant and measure: moments of the difference, seeds better, worse.
    moments: Vec<Vec<(RunningMoments, usize, usize)>>,
    chosen: Vec<Option<f64>>,
    played: Vec<Option<f64>>,
    /// Per measure: seeds worse than the played run, equal, all with a value.
    ranks: Vec<(usize, usize, usize)>,
    /// Per measure: moments of its value with the options as chosen.
    chosen_moments: Vec<RunningMoments>,
}

impl Accumulator {
    fn new(measures: Vec<DecisionMeasure>, alternatives: usize) -> Self {
        let n = measures.len();
        Self {
            measures,
            moments: vec![vec![(RunningMoments::default(), 0, 0); n]; alternatives],
            chosen: Vec::new(),
            played: Vec::new(),
            ranks: vec![(0, 0, 0); n],
            chosen_moments: vec![RunningMoments::default(); n],
        }
    }

    fn add(&mut self, replication: u64, variant: usize, row: &[Option<f64>]) {
        if variant == 0 {
            self.chosen = row.to_vec();
            if replication == 0 {
                self.played = row.to_vec();
            }
            for (m, value) in row.iter().enumerate() {
                if let Some(value) = value {
                    self.chosen_moments[m].add(*value);
                }
                let (Some(value), Some(played)) = (value, self.played.get(m).copied().flatten()) else { continue };
                let worse = *value != played && self.is_better(m, played, *value);
                let rank = &mut self.ranks[m];
                rank.2 += 1;
                rank.1 += usize::from(*value == played);
                rank.0 += usize::from(worse);
            }
            return;
        }
        for (m, value) in row.iter().enumerate() {
            let (Some(value), Some(chosen)) = (value, self.chosen.get(m).copied().flatten()) else { continue };
            let better = self.is_better(m, *value, chosen);
            let worse = self.is_better(m, chosen, *value);
            let entry = &mut self.moments[variant - 1][m];
            entry.0.add(value - chosen);
            entry.1 += usize::from(better);
            entry.2 += usize::from(worse);
        }
    }

    /// Whether `a` is better than `b` on measure `m`.
    fn is_better(&self, m: usize, a: f64, b: f64) -> bool {
        match self.measures[m].better {
            Better::Lower => a < b,
            Better::Higher => a > b,
        }
    }
}

/// Runs the analysis, each variant of each seed by `run`; `progress(done,
/// total)` after each replication (for a progress bar). Returns `None` when no
/// decision was answered.
pub fn analyse(
    plan: &CounterfactualPlan,
    run: impl VariantRunner,
    mut progress: impl FnMut(u64, u64),
) -> Result<Option<Counterfactuals>, String> {
    if plan.decisions.is_empty() || plan.seeds == 0 {
        return Ok(None);
    }
    let scenario = &plan.scenario;
    // Variant 0: as chosen; then each decision switched to each other option.
    let mut choices = vec![plan.decisions.clone()];
    let mut switched = Vec::new();
    for (k, (inject, chosen)) in plan.decisions.iter().enumerate() {
        let decision =
            scenario.injects[*inject].decision.as_ref().ok_or("a decision record names an inject without one")?;
        for option in (0..decision.options.len()).filter(|o| o != chosen) {
            let mut these = plan.decisions.clone();
            these[k].1 = option;
            choices.push(these);
            switched.push((k, option));
        }
    }
    let measures = decision_measures(scenario);
    let mut acc = Accumulator::new(measures, switched.len());
    let v = choices.len() as u64;
    let total = plan.seeds.checked_mul(v).ok_or("too many seeds for the number of options")?;
    let work = |task: u64| run(plan.seed.wrapping_add(task / v), &choices[(task % v) as usize]);
    run_ordered(total, plan.jobs, work, |task, row| {
        acc.add(task / v, (task % v) as usize, row);
        progress(task + 1, total);
        Ok(())
    })?;
    let summary = |(moments, better, worse): &(RunningMoments, usize, usize)| {
        moments.mean_ci().map(|MeanCi { n, mean, low, high, .. }| Difference {
            seeds: n,
            mean,
            // One seed has no interval: say nothing is clear rather than NaN.
            low: if low.is_nan() { f64::NEG_INFINITY } else { low },
            high: if high.is_nan() { f64::INFINITY } else { high },
            better: *better,
            worse: *worse,
        })
    };
    let mut decisions: Vec<DecisionEffect> = plan
        .decisions
        .iter()
        .map(|(inject, chosen)| {
            let d = scenario.injects[*inject].decision.as_ref().expect("checked above");
            DecisionEffect {
                inject: *inject,
                decision: d.id.clone(),
                chosen: d.options[*chosen].id.clone(),
                alternatives: Vec::new(),
            }
        })
        .collect();
    for ((k, option), moments) in switched.iter().zip(&acc.moments) {
        let d = scenario.injects[plan.decisions[*k].0].decision.as_ref().expect("checked above");
        decisions[*k].alternatives.push(Alternative {
            option: d.options[*option].id.clone(),
            differences: moments.iter().map(summary).collect(),
        });
    }
    let played = acc
        .ranks
        .iter()
        .zip(&acc.played)
        .map(|(&(worse, ties, seeds), value)| value.map(|_| PlayedRank { seeds, worse, ties }))
        .collect();
    let chosen_mean = acc.chosen_moments.iter().map(|m| m.mean_ci().map(|c| c.mean)).collect();
    Ok(Some(Counterfactuals {
        seeds: plan.seeds,
        first_seed: plan.seed,
        measures: acc.measures,
        decisions,
        played,
        chosen_mean,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(better: Better) -> DecisionMeasure {
        DecisionMeasure { key: "m".into(), label: "m".into(), unit: Unit::Hours, better }
    }

    #[test]
    fn the_played_run_is_ranked_against_the_seeds_of_the_same_choices() {
        // Lower is better; the played run (replication 0) had 3; the seeds 1..=5.
        let mut acc = Accumulator::new(vec![measure(Better::Lower)], 0);
        for (r, v) in [3.0, 1.0, 5.0, 4.0, 3.0, 2.0].into_iter().enumerate() {
            acc.add(r as u64, 0, &[Some(v)]);
        }
        // Worse than 3: 5 and 4; equal: itself and the other 3; six seeds.
        assert_eq!(acc.ranks, [(2, 2, 6)]);
    }

    #[test]
    fn differences_are_paired_by_seed_and_counted_by_direction() {
        let mut acc = Accumulator::new(vec![measure(Better::Higher)], 1);
        for (r, (chosen, other)) in [(10.0, 12.0), (20.0, 21.0), (5.0, 5.0), (7.0, 6.0)].into_iter().enumerate() {
            acc.add(r as u64, 0, &[Some(chosen)]);
            acc.add(r as u64, 1, &[Some(other)]);
        }
        let (moments, better, worse) = acc.moments[0][0];
        assert_eq!((better, worse), (2, 1));
        let ci = moments.mean_ci().unwrap();
        assert_eq!((ci.n, ci.mean), (4, 0.5));
    }
}
