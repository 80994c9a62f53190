//! `ttx run` writes incidents.csv as incidents close and keeps no record of them.
//! The file must be the one written from every kept record, byte for byte, and
//! the few records the report draws must be those it would choose from all.

use crate::common;

use std::cmp::Reverse;
use ttx::model::{IncidentRecord, NullSink, Replication};
use ttx::report::{IncidentsCsvSink, incidents_csv};
use ttx::scenario::Severity;

/// incidents.csv from a streamed run, the records it kept, and the most rows
/// that ever waited for an older incident.
fn streamed(s: &std::sync::Arc<ttx::scenario::Scenario>, seed: u64) -> (Vec<u8>, Vec<IncidentRecord>, usize, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incidents.csv");
    let sink = (IncidentsCsvSink::create(&path, s.clone()).unwrap(), NullSink);
    let mut r = Replication::new(s.clone(), seed, 50_000_000, sink);
    r.run_to_horizon().expect("within the event budget");
    let (outcome, (sink, _)) = r.finish();
    assert!(outcome.incidents_archived && outcome.incidents.is_empty(), "the run kept no record");
    let (drawn, most_waiting) = sink.finish(&outcome).unwrap();
    (std::fs::read(&path).unwrap(), drawn, most_waiting, outcome.known_incidents)
}

#[test]
fn streamed_incidents_csv_is_the_one_written_from_every_record() {
    for file in common::bundled() {
        let s = common::scenario(file.to_str().unwrap(), &[]);
        for seed in [1, 2] {
            let kept = common::replicate(&s, seed);
            let (bytes, drawn, _, known) = streamed(&s, seed);
            let name = file.display();
            assert_eq!(bytes, incidents_csv(&s, &kept), "{name} seed {seed}: incidents.csv differs");
            assert_eq!(known, kept.incidents.len() as u64, "{name} seed {seed}");
            // The report's choices from all records are among those kept.
            let mut most_severe: Vec<&IncidentRecord> = kept.incidents.iter().collect();
            most_severe.sort_by_key(|i| (Reverse(i.severity), i.number));
            most_severe.truncate(120);
            let first_severe = kept.incidents.iter().filter(|i| i.severity >= Severity::High).take(20);
            for wanted in most_severe.into_iter().chain(first_severe) {
                assert!(drawn.contains(wanted), "{name} seed {seed}: incident {} not kept", wanted.number);
            }
            assert!(drawn.len() <= 140, "{name} seed {seed}: {} records kept", drawn.len());
        }
    }
}

/// On a desk that keeps up, the rows waiting for an older incident are about a
/// queue's worth, not the run: 20,000 incidents through the triage desk.
#[test]
fn the_reorder_buffer_holds_a_queue_not_the_run() {
    let s =
        common::scenario("scenarios/triage-desk.ron", &[("horizon", "\"10000d\""), ("streams.reports.limit", "20000")]);
    let (bytes, _, most_waiting, known) = streamed(&s, 1);
    assert_eq!(known, 20_000);
    assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 20_001, "a header and a row per incident");
    assert!(most_waiting < 200, "{most_waiting} rows waited at once");
}
