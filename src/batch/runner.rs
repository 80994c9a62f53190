//! Runs every (replication, variant) pair on a rayon pool and hands the rows back
//! in order, as they become available.

use super::score_row::score_row;
use crate::engine::BudgetExceeded;
use crate::model::{NullSink, Replication};
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc;

/// What a batch runs: the variants' scenarios, how many replications, from which seed.
pub struct BatchPlan {
    pub variants: Vec<(String, Arc<Scenario>)>,
    /// The replications to run (a shard's slice, less those already done), in order.
    pub replications: Vec<u64>,
    pub seed: u64,
    pub jobs: usize,
    pub max_events: u64,
}

/// Runs the batch. `on_row(replication, variant, seed, row)` is called in
/// (replication, variant) order, whatever the number of jobs, as soon as every
/// earlier row is done: callers stream rows to disk through it.
pub fn run_batch(
    plan: &BatchPlan,
    mut on_row: impl FnMut(u64, usize, u64, &[Option<f64>]) -> Result<(), String>,
) -> Result<(), String> {
    let v = plan.variants.len() as u64;
    let total = plan.replications.len() as u64 * v;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.max(1))
        .build()
        .map_err(|e| format!("cannot start {} worker threads: {e}", plan.jobs))?;
    let (sender, receiver) = mpsc::channel::<(u64, Result<Vec<Option<f64>>, BudgetExceeded>)>();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.install(|| {
                (0..total).into_par_iter().for_each_with(sender, |sender, task| {
                    let (replication, variant) = (plan.replications[(task / v) as usize], (task % v) as usize);
                    let scenario = &plan.variants[variant].1;
                    let seed = plan.seed.wrapping_add(replication);
                    let mut r = Replication::new(Arc::clone(scenario), seed, plan.max_events, NullSink);
                    let row = r.run_to_horizon().map(|_| score_row(scenario, &r.finish().0));
                    // The receiver only goes away after an error; the rest is moot then.
                    let _ = sender.send((task, row));
                });
            });
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (task, row) in receiver.iter() {
            pending.insert(task, row);
            while let Some(row) = pending.remove(&next) {
                let (replication, variant) = (plan.replications[(next / v) as usize], (next % v) as usize);
                let seed = plan.seed.wrapping_add(replication);
                let row = row.map_err(|e| {
                    format!("replication {replication} (seed {seed}) of variant {}: {e}", plan.variants[variant].0)
                })?;
                on_row(replication, variant, seed, &row)?;
                next += 1;
            }
        }
        Ok::<(), String>(())
    })
}
