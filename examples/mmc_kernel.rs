//! Speed of a ttx batch replication on the triage desk (no files: the scores
//! folded from the event stream as the run goes, no incident records kept), for
//! comparison with `../shared/bench/mmc_rs` and `mmc_simpy.py` on the same
//! parameters. Usage: cargo run --release --example mmc_kernel -- [incidents]

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use ttx::model::Replication;
use ttx::scenario::{Override, load_file};
use ttx::score::{ScoreFold, summarise_with};

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let set = |k: &str, v: String| Override::new(k, &v);
    let overrides = [set("horizon", "\"100000d\"".into()), set("streams.reports.limit", n.to_string())];
    let scenario = Arc::new(load_file(Path::new("scenarios/triage-desk.ron"), &overrides).expect("valid scenario"));
    let started = Instant::now();
    let mut replication = Replication::new(scenario.clone(), 1, u64::MAX, ScoreFold::new(scenario.clone()));
    replication.forget_closed_incidents();
    replication.run_to_horizon().expect("within budget");
    let (outcome, fold) = replication.finish();
    let summary = summarise_with(&scenario, &outcome, &fold.finish());
    let wall = started.elapsed().as_secs_f64();
    // Every incident closes (the horizon is far), so the mean wait is the plain mean.
    let wq = summary.queue_wait_s.expect("incidents").restricted_mean_s / 3600.0;
    println!("impl=ttx customers={n} Wq={wq:.6} wall_s={wall:.4} incidents_per_s={:.0}", n as f64 / wall);
}
