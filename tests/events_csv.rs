//! events.csv is formatted and written on a thread of its own: the rows must
//! still be exactly those of the log, in its order, across the batches the run
//! hands over, and a write error must reach the caller.

use crate::common;

use common::{replicate_logged, scenario};
use ttx::model::EventSink;
use ttx::report::{CsvEventSink, describe_event};

/// Every entry of a run longer than several batches, written by the thread,
/// equals the rows the csv crate writes for the same entries in the same order.
#[test]
fn the_writer_thread_writes_every_row_in_log_order() {
    let s = scenario("scenarios/triage-desk.ron", &[("horizon", "\"1000d\""), ("streams.reports.limit", "6000")]);
    let (_, log) = replicate_logged(&s, 3);
    assert!(log.len() > 5 * 4096, "{} entries: more than five batches", log.len());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("events.csv");
    let mut sink = CsvEventSink::create(&path, s.clone()).expect("created");
    for entry in &log {
        sink.record(entry);
    }
    sink.finish().expect("written");
    let mut expected = csv::Writer::from_writer(Vec::new());
    expected.write_record(["time", "sequence", "event", "entities", "details"]).unwrap();
    for entry in &log {
        let (kind, entities, details) = describe_event(&s, &entry.event);
        let (time, sequence) = (entry.time.as_secs().to_string(), entry.sequence.to_string());
        expected.write_record([time.as_str(), sequence.as_str(), kind, &entities, &details]).unwrap();
    }
    let expected = expected.into_inner().unwrap();
    let written = std::fs::read(&path).expect("events.csv");
    assert_eq!(written.len(), expected.len());
    assert!(written == expected, "the rows differ from the log's");
}

/// A full disk: the error comes back from `finish`, the run is not blocked.
#[test]
fn a_write_error_is_returned_by_finish() {
    let s = scenario("scenarios/triage-desk.ron", &[("streams.reports.limit", "3000")]);
    let (_, log) = replicate_logged(&s, 1);
    let mut sink = CsvEventSink::create(std::path::Path::new("/dev/full"), s.clone()).expect("opened");
    for entry in &log {
        sink.record(entry);
    }
    let error = sink.finish().expect_err("nothing can be written to /dev/full");
    assert_eq!(error.kind(), std::io::ErrorKind::StorageFull, "{error}");
}
