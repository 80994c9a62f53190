//! In-process benchmarks (divan): the kernel on the triage desk (the M/M/c queue
//! of `../shared/bench`), one island replication as a batch runs it, and the
//! future-event list alone. `cargo bench --bench kernel`; docs/performance.md
//! has the numbers and the whole-command measurements beside the references.

use std::path::Path;
use std::sync::Arc;
use ttx::batch::summary_row;
use ttx::engine::EventQueue;
use ttx::model::{NullSink, Replication};
use ttx::scenario::{Override, Scenario, load_file};
use ttx::score::{ScoreFold, summarise_with};

fn main() {
    divan::main();
}

fn triage_desk(incidents: u64) -> Arc<Scenario> {
    let overrides =
        [Override::new("horizon", "100000d"), Override::new("streams.reports.limit", &incidents.to_string())];
    Arc::new(load_file(Path::new("scenarios/triage-desk.ron"), &overrides).expect("a valid scenario"))
}

/// Incidents through the triage desk (lambda 9/h, mu 1/h, c 10), simulation only:
/// the figure compared with `mmc_rs` and SimPy.
#[divan::bench(args = [10_000, 100_000])]
fn triage_desk_incidents(bencher: divan::Bencher, incidents: u64) {
    let scenario = triage_desk(incidents);
    bencher.counter(divan::counter::ItemsCount::new(incidents)).bench(|| {
        let mut r = Replication::new(Arc::clone(&scenario), 1, u64::MAX, NullSink);
        r.run_to_horizon().expect("within budget");
        r.finish().0.incidents.len()
    });
}

/// Incidents through the triage desk as a batch replication runs them: scores
/// folded from the event stream, no incident records kept.
#[divan::bench(args = [10_000, 100_000])]
fn triage_desk_incidents_scored(bencher: divan::Bencher, incidents: u64) {
    let scenario = triage_desk(incidents);
    bencher.counter(divan::counter::ItemsCount::new(incidents)).bench(|| {
        let mut r = Replication::new(Arc::clone(&scenario), 1, u64::MAX, ScoreFold::new(Arc::clone(&scenario)));
        r.forget_closed_incidents();
        r.run_to_horizon().expect("within budget");
        let (outcome, fold) = r.finish();
        summary_row(&summarise_with(&scenario, &outcome, &fold.finish()))
    });
}

/// One replication of the island scenario and its scores: the unit of `ttx batch`.
#[divan::bench]
fn island_replication_with_scores(bencher: divan::Bencher) {
    let scenario = Arc::new(load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).expect("a valid scenario"));
    let mut seed = 0;
    bencher.bench_local(|| {
        seed += 1;
        let mut r = Replication::new(Arc::clone(&scenario), seed, u64::MAX, ScoreFold::new(Arc::clone(&scenario)));
        r.forget_closed_incidents();
        r.run_to_horizon().expect("within budget");
        let (outcome, fold) = r.finish();
        summary_row(&summarise_with(&scenario, &outcome, &fold.finish()))
    });
}

/// The future-event list alone: 100,000 events scheduled and popped in order.
#[divan::bench]
fn event_queue_push_pop(bencher: divan::Bencher) {
    bencher.counter(divan::counter::ItemsCount::new(100_000u64)).bench(|| {
        let mut queue = EventQueue::default();
        let mut x: u64 = 12345;
        for i in 0..100_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            queue.push(ttx::engine::SimTime::from_secs(x % 1_000_000), i);
        }
        let mut sum = 0;
        while let Some(e) = queue.pop() {
            sum += e.event;
        }
        sum
    });
}
