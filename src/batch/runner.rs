//! Runs every (replication, variant) pair on a rayon pool and hands the rows back
//! in order, as they become available.

use super::manifest::Replications;
use super::score_row::folded_row;
use crate::engine::BudgetExceeded;
use crate::model::{Outcome, Replication};
use crate::scenario::{InjectId, Scenario};
use crate::score::{IncidentScores, ScoreFold};
use bevy_ecs::world::World;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// The numbers a replication contributes: its row, from its end state and the
/// scores folded as it ran.
pub type RowFn = fn(&Scenario, &Outcome, &IncidentScores) -> Vec<Option<f64>>;

/// A batch's row: its scores, as runs.csv has them.
pub fn score_columns_row(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> Vec<Option<f64>> {
    folded_row(scenario, outcome, scores)
}

/// What a batch runs: the variants' scenarios, how many replications, from which seed.
pub struct BatchPlan {
    pub variants: Vec<(String, Arc<Scenario>)>,
    /// Per variant, the options its decisions take, as (inject, option); a
    /// variant without an entry (or an empty one) takes the defaults.
    pub choices: Vec<Vec<(InjectId, usize)>>,
    /// What each replication's row holds.
    pub row: RowFn,
    /// The replications to run (a shard's slice, less those already done), in order.
    pub replications: Replications,
    pub seed: u64,
    pub jobs: usize,
    pub max_events: u64,
}

thread_local! {
    /// The World of this worker's last replication, emptied and reused by its next.
    static SPARE_WORLD: std::cell::Cell<Option<World>> = const { std::cell::Cell::new(None) };
}

/// Runs the batch. `on_row(replication, variant, seed, row)` is called in
/// (replication, variant) order, whatever the number of jobs, as soon as every
/// earlier row is done: callers stream rows to disk through it.
///
/// Workers take tasks in order from a shared counter (not rayon's halving split,
/// which would start a second worker half-way through and leave half the rows
/// waiting in memory), so the rows held back for ordering are at most a few per
/// worker and memory stays flat however many replications run.
/// Returns the most rows that were ever held back waiting for an earlier one:
/// what the batch's memory grows with (tested to stay small).
pub fn run_batch(
    plan: &BatchPlan,
    mut on_row: impl FnMut(u64, usize, u64, &[Option<f64>]) -> Result<(), String>,
) -> Result<usize, String> {
    let v = plan.variants.len() as u64;
    let locate = |task: u64| {
        let (replication, variant) = (plan.replications.get(task / v), (task % v) as usize);
        (replication, variant, plan.seed.wrapping_add(replication))
    };
    let work = |task: u64| {
        let (replication, variant, seed) = locate(task);
        let scenario = &plan.variants[variant].1;
        // Scores folded from the event stream: no incident records kept.
        let fold = ScoreFold::new(Arc::clone(scenario));
        // Each worker reuses one World from replication to replication.
        let world = SPARE_WORLD.with(|w| w.take()).unwrap_or_default();
        let mut r = Replication::in_world(world, Arc::clone(scenario), seed, plan.max_events, fold);
        r.forget_closed_incidents();
        for (inject, option) in plan.choices.get(variant).into_iter().flatten() {
            // Choices were checked against the scenario when the plan was made.
            let _ = r.choose(*inject, *option);
        }
        r.run_to_horizon()
            .map(|_| {
                let (outcome, fold, world) = r.finish_keeping_world();
                SPARE_WORLD.with(|w| w.set(Some(world)));
                (plan.row)(scenario, &outcome, &fold.finish())
            })
            .map_err(|e: BudgetExceeded| {
                format!("replication {replication} (seed {seed}) of variant {}: {e}", plan.variants[variant].0)
            })
    };
    run_ordered(plan.replications.count * v, plan.jobs, work, |task, row| {
        let (replication, variant, seed) = locate(task);
        on_row(replication, variant, seed, row)
    })
}

/// Runs tasks `0..total` on `jobs` workers and hands each row to `on_row` in task
/// order, as soon as every earlier one is done; the first error stops the run.
///
/// Workers take tasks in order from a shared counter (not rayon's halving split,
/// which would start a second worker half-way through and leave half the rows
/// waiting in memory), so the rows held back for ordering are at most a few per
/// worker. Returns the most rows ever held back.
pub fn run_ordered(
    total: u64,
    jobs: usize,
    work: impl Fn(u64) -> Result<Vec<Option<f64>>, String> + Sync,
    mut on_row: impl FnMut(u64, &[Option<f64>]) -> Result<(), String>,
) -> Result<usize, String> {
    let jobs = jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start {jobs} worker threads: {e}"))?;
    let next_task = AtomicU64::new(0);
    let (sender, receiver) = mpsc::channel::<(u64, Result<Vec<Option<f64>>, String>)>();
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.scope(|workers| {
                for _ in 0..jobs {
                    let sender = sender.clone();
                    let next_task = &next_task;
                    workers.spawn(move |_| {
                        loop {
                            let task = next_task.fetch_add(1, Ordering::Relaxed);
                            if task >= total {
                                break;
                            }
                            // The receiver only goes away after an error: stop then.
                            if sender.send((task, work(task))).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
            drop(sender);
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        let mut most_held = 0;
        let result = (|| {
            for (task, row) in receiver.iter() {
                pending.insert(task, row);
                most_held = most_held.max(pending.len() - 1);
                while let Some(row) = pending.remove(&next) {
                    on_row(next, &row?)?;
                    next += 1;
                }
            }
            Ok::<usize, String>(most_held)
        })();
        if result.is_err() {
            // Let the workers see the closed channel and finish their current task.
            next_task.store(total, Ordering::Relaxed);
        }
        drop(receiver);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_file;
    use std::path::Path;

    #[test]
    fn rows_held_back_for_order_stay_few_however_many_replications() {
        let island = Arc::new(load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).unwrap());
        let plan = BatchPlan {
            variants: vec![("a".into(), Arc::clone(&island)), ("b".into(), island)],
            choices: Vec::new(),
            row: score_columns_row,
            replications: Replications { first: 0, step: 1, count: 1_500 },
            seed: 1,
            jobs: 2,
            max_events: 10_000_000,
        };
        let mut order = Vec::new();
        let most_held = run_batch(&plan, |r, v, _, _| {
            order.push((r, v));
            Ok(())
        })
        .unwrap();
        assert_eq!(order.len(), 3_000);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "rows come in (replication, variant) order");
        // Splitting the range in halves (rayon's default) would hold about 1,500 rows back.
        assert!(most_held < 100, "{most_held} rows held back");
    }
}
