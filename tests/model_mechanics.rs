//! The desk model's mechanics, each isolated with fixed efforts so the expected
//! times can be worked out by hand.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{LogEntry, LogEvent, Outcome, Replication, Upcoming};
use ttx::scenario::{Scenario, load_str};

/// A desk with `analysts`, a two-step SOP of fixed efforts (30m then 1h), and the
/// given injects; no background stream unless `stream` is set.
fn scenario(analysts: u32, stream: &str, injects: &str) -> Arc<Scenario> {
    let text = format!(
        r#"Scenario(
            version: 1, name: "mechanics", horizon: "2d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: {analysts})],
            sops: [Sop(id: "two-step", steps: [
                Step(name: "triage", effort: Fixed("30m")),
                Step(name: "contain", effort: Fixed("1h")),
            ])],
            streams: [{stream}],
            injects: [{injects}],
        )"#
    );
    Arc::new(load_str("mechanics.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn report_at(id: &str, at: &str) -> String {
    format!(
        r#"Inject(id: "{id}", at: "{at}", text: "A report", effects: [Report(incident_type: Phishing, csirt: "cert", sop: "two-step")])"#
    )
}

fn run(s: Arc<Scenario>) -> Outcome {
    common::replicate(&s, 1)
}

#[test]
fn steps_run_in_order_and_close_after_their_efforts() {
    let outcome = run(scenario(1, "", &report_at("one", "1h")));
    let incident = &outcome.incidents[0];
    assert_eq!(incident.reported.secs(), 3_600);
    assert_eq!(incident.steps[0].started.secs(), Some(3_600));
    assert_eq!(incident.steps[1].started.secs(), Some(3_600 + 1_800));
    assert_eq!(incident.closed.secs(), Some(3_600 + 1_800 + 3_600));
}

#[test]
fn a_second_incident_waits_for_the_only_analyst() {
    // Two reports at the same instant, one analyst: the second waits for the first
    // step of the first (30m); then the first's second step queues behind the
    // second's first step (FIFO), and so on.
    let injects = format!("{}, {}", report_at("a", "1h"), report_at("b", "1h"));
    let outcome = run(scenario(1, "", &injects));
    let (a, b) = (&outcome.incidents[0], &outcome.incidents[1]);
    assert_eq!(b.triage_wait().secs(), Some(1_800));
    assert_eq!(a.steps[1].started.secs(), Some(3_600 + 3_600), "a's 2nd step waits for b's triage");
    assert_eq!(a.queue_wait().secs(), 1_800);
    assert_eq!(b.closed.secs(), Some(3_600 + 1_800 + 1_800 + 3_600 + 3_600), "b waits 1h for its 2nd step");
    // two analysts: nobody waits
    let outcome = run(scenario(2, "", &injects));
    assert!(outcome.incidents.iter().all(|i| i.queue_wait().secs() == 0));
}

#[test]
fn staff_cuts_take_effect_as_analysts_finish_and_slow_the_desk() {
    let stream = r#"IncidentStream(id: "bg", incident_type: Other, csirt: "cert", sop: "two-step", rate: "5/h")"#;
    let cut = r#"Inject(id: "exodus", at: "1d", text: "10 analysts resign", effects: [SetAnalysts(csirt: "cert", analysts: 2)])"#;
    let full = run(scenario(12, stream, ""));
    let reduced = run(scenario(12, stream, cut));
    // Same arrivals (common random numbers)...
    let reports = |o: &Outcome| o.incidents.iter().map(|i| i.reported).collect::<Vec<_>>();
    assert_eq!(reports(&full), reports(&reduced));
    // ... but after the cut the offered load (5/h x 1.5h = 7.5 analysts) exceeds the
    // 2 left, who close 2/1.5h = 1.33 incidents an hour: over the last 24 h the
    // backlog grows by (5 - 1.33) x 24 = 88 (Poisson sd of 120 arrivals: 11).
    let open = |o: &Outcome| o.incidents.iter().filter(|i| i.closed.is_none()).count();
    assert!(open(&full) < 20, "full staff keeps up: {} open", open(&full));
    assert!((66..=110).contains(&open(&reduced)), "two analysts cannot: {} open", open(&reduced));
    assert_eq!(reduced.desks[0].teams[0].headcount, 2);
    // staffed analyst-time: 12 for the first day, 2 for the second, plus the time
    // the 10 leavers spend finishing the steps in their hands (at most 1h each).
    let staffed = reduced.desks[0].totals.staffed_s;
    let base = (12.0 + 2.0) * 86_400.0;
    assert!((base..=base + 10.0 * 3_600.0).contains(&staffed), "{staffed}");
}

#[test]
fn stopping_before_each_inject_and_resuming_changes_nothing() {
    let stream = r#"IncidentStream(id: "bg", incident_type: Other, csirt: "cert", sop: "two-step", rate: "2/h")"#;
    let injects = format!("{}, {}", report_at("a", "3h"), report_at("b", "20h"));
    let s = scenario(2, stream, &injects);
    let mut straight_log = Vec::<LogEntry>::new();
    let mut straight = Replication::new(s.clone(), 9, 1_000_000, &mut straight_log);
    straight.run_to_horizon().unwrap();
    let straight = straight.finish().0;

    let mut paused_log = Vec::<LogEntry>::new();
    let mut paused = Replication::new(s, 9, 1_000_000, &mut paused_log);
    let mut stops = Vec::new();
    loop {
        let reason = paused.run_until(ttx::engine::SimTime::MAX, |e| matches!(e, Upcoming::Inject { .. })).unwrap();
        if reason != ttx::engine::StopReason::StoppedBefore {
            break;
        }
        stops.push(paused.next_event().unwrap().0);
        assert!(paused.step().unwrap());
    }
    let paused = paused.finish().0;
    assert_eq!(stops.secs(), vec![3 * 3_600, 20 * 3_600]);
    assert_eq!(straight.incidents, paused.incidents);
    assert_eq!(straight.events_processed, paused.events_processed);
    assert_eq!(straight_log, paused_log);
    assert!(
        straight_log.iter().any(|e| matches!(e.event, LogEvent::InjectDelivered { inject } if inject.index() == 1))
    );
}
