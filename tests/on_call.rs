//! On call as a resource: the on-call analyst is woken after the call-out
//! delay, works through what waits, takes at most `call_outs` call-outs in
//! each 24 hours off duty, rests `call_out_rest` after the night's last one;
//! noticing an outbreak and reading a warning wait for the call-out too.
//! Expected times worked out by hand.
//!
//! Default start: Monday 2026-01-05 00:00 UTC; Kavala is at UTC+12, so T+0 is
//! Monday 12:00 local, 22:00 is T+10h, 02:00 is T+14h, Tuesday 08:00 is T+20h.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{LogEvent, Outcome};
use ttx::scenario::Scenario;

const HOUR: u64 = 3_600;
const MIN: u64 = 60;

/// One CSIRT at Kavala with `team`, a one-step SOP of 1 h, and `injects`.
fn desk(team: &str, injects: &[String]) -> Arc<Scenario> {
    common::load_text(
        "on-call.ron",
        &format!(
            r#"Scenario(
                version: 1, name: "on call", horizon: "10d",
                nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
                csirts: [Csirt(id: "cert", nation: "kv", kind: National, teams: [{team}])],
                sops: [Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("1h"))])],
                injects: [{}],
            )"#,
            injects.join(", ")
        ),
    )
}

fn report(id: &str, at: &str) -> String {
    format!(r#"Inject(id: "{id}", at: "{at}", effects: [Report(incident_type: Malware, csirt: "cert", sop: "sop")])"#)
}

/// (wait before triage started, closed at) of each incident, in report order.
fn times(o: &Outcome) -> Vec<(u64, u64)> {
    o.incidents.iter().map(|i| (i.triage_wait().secs().unwrap(), i.closed.secs().unwrap())).collect()
}

fn office(on_call: &str) -> String {
    format!(r#"Team(analysts: 2, shift: BusinessHours(from: "08:00", to: "17:00", {on_call}))"#)
}

#[test]
fn a_second_call_out_in_the_same_night_waits_for_the_first_when_the_limit_is_one() {
    // 22:00 a report: called out, at work 22:30, done 23:30. 22:10 another: the
    // on-call analyst is busy; it is taken at 23:30 with no new delay (still
    // up), done 00:30. 02:00 a third: the night's one call-out is spent, so it
    // waits for the 08:00 shift.
    let injects = [report("a", "10h"), report("b", "10h10m"), report("c", "14h")];
    let limited = common::replicate(&desk(&office(r#"on_call: "30m", call_outs: 1"#), &injects), 1);
    assert_eq!(
        times(&limited),
        [(30 * MIN, 11 * HOUR + 30 * MIN), (HOUR + 20 * MIN, 12 * HOUR + 30 * MIN), (6 * HOUR, 21 * HOUR)]
    );
    // Two call-outs a night: the third is a second call-out, at work 02:30.
    let two = common::replicate(&desk(&office(r#"on_call: "30m", call_outs: 2"#), &injects), 1);
    assert_eq!(times(&two)[2], (30 * MIN, 15 * HOUR + 30 * MIN));
    // No limit: the same.
    let free = common::replicate(&desk(&office(r#"on_call: "30m""#), &injects), 1);
    assert_eq!(times(&free), times(&two));
    // summary.json counts the call-outs: one, then two.
    let call_outs = |s: &Arc<Scenario>, o: &Outcome| ttx::score::summarise(s, o).csirts[0].call_outs;
    let one_a_night = desk(&office(r#"on_call: "30m", call_outs: 1"#), &injects);
    assert_eq!(call_outs(&one_a_night, &limited), 1);
    assert_eq!(call_outs(&desk(&office(r#"on_call: "30m", call_outs: 2"#), &injects), &two), 2);
    // The log shows the call-out delay on the steps that needed one.
    let (_, log) = common::replicate_logged(&desk(&office(r#"on_call: "30m", call_outs: 1"#), &injects), 1);
    let callouts: Vec<u64> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::StepStarted { callout, .. } => Some(callout.as_secs()),
            _ => None,
        })
        .collect();
    assert_eq!(callouts, [30 * MIN, 0, 0]);
}

#[test]
fn each_24_hours_off_duty_is_a_new_night_for_the_call_out_limit() {
    // Off duty from Friday 17:00 (T+4d5h) to Monday 08:00. Saturday 02:00
    // (T+4d14h): called out, at work 02:30. Saturday 10:00 (T+4d22h): the
    // first 24 hours' call-out is spent; a new night starts Saturday 17:00
    // (T+5d5h), so it is at work at 17:30.
    let injects = [report("sat-night", "4d14h"), report("sat-day", "4d22h")];
    let o = common::replicate(&desk(&office(r#"on_call: "30m", call_outs: 1"#), &injects), 1);
    assert_eq!(times(&o)[0].0, 30 * MIN);
    assert_eq!(times(&o)[1].0, 7 * HOUR + 30 * MIN);
}

#[test]
fn after_a_call_out_the_analyst_rests_and_the_morning_shift_starts_one_short() {
    // 02:00 a report: at work 02:30, done 03:30; with an 11 h rest the analyst
    // is back at 14:30 (T+26h30m). Two reports at 08:01: one analyst present,
    // so the second waits an hour. Two at 15:00, after the rest: no wait.
    let injects = [
        report("night", "14h"),
        report("m1", "20h1m"),
        report("m2", "20h1m"),
        report("a1", "27h"),
        report("a2", "27h"),
    ];
    let rested = common::replicate(&desk(&office(r#"on_call: "30m", call_out_rest: "11h""#), &injects), 1);
    let waits: Vec<u64> = times(&rested).iter().map(|t| t.0).collect();
    assert_eq!(waits, [30 * MIN, 0, HOUR, 0, 0]);
    // Without a rest rule both morning reports start at once.
    let unrested = common::replicate(&desk(&office(r#"on_call: "30m""#), &injects), 1);
    let waits: Vec<u64> = times(&unrested).iter().map(|t| t.0).collect();
    assert_eq!(waits, [30 * MIN, 0, 0, 0, 0]);
}

#[test]
fn call_out_fields_without_anyone_on_call_are_refused_at_their_position() {
    let text = format!(
        r#"Scenario(
    version: 1, name: "on call", horizon: "10d",
    nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
    csirts: [Csirt(id: "cert", nation: "kv", kind: National, teams: [{}])],
    sops: [Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("1h"))])],
)"#,
        r#"Team(analysts: 2, shift: BusinessHours(from: "08:00", to: "17:00", call_outs: 1))"#
    );
    let e = ttx::scenario::load_str("on-call.ron", &text, &[]).unwrap_err().to_string();
    assert!(
        e.contains(
            "on-call.ron:4:148: team \"tier 1\" of CSIRT \"cert\" has `call_outs` but nobody on call; add `on_call: \"30m\"` (the call-out delay) or remove it"
        ),
        "{e}"
    );
    let zero = text.replace("call_outs: 1", r#"on_call: "30m", call_outs: 0"#);
    let e = ttx::scenario::load_str("on-call.ron", &zero, &[]).unwrap_err().to_string();
    assert!(e.contains("allows 0 call-outs a night; expected at least 1"), "{e}");
}

/// Nations "aa" (origin, UTC) and "bb" (UTC+3), both FIRST members; the
/// origin's CSIRT has `origin_team`, B's `b_team`. The worm starts at T+22h
/// (22:00 in A, 01:00 in B).
fn worm(origin_team: &str, b_team: &str, injects: &str) -> Arc<Scenario> {
    common::load_text(
        "worm.ron",
        &format!(
            r#"Scenario(
                version: 1, name: "worm", horizon: "3d",
                nations: [Nation(id: "aa", name: "A", utc_offset: "+00:00"), Nation(id: "bb", name: "B", utc_offset: "+03:00")],
                csirts: [
                    Csirt(id: "a-cert", nation: "aa", kind: National, sop: "clean", first_member: true, teams: [{origin_team}]),
                    Csirt(id: "b-cert", nation: "bb", kind: National, sop: "clean", first_member: true, teams: [{b_team}]),
                ],
                sops: [Sop(id: "clean", steps: [Step(name: "clean", effort: Fixed("1h"))])],
                outbreaks: [Outbreak(id: "worm", origin: "aa", start: "22h", initial_infected: 5, contact_rate: "1.8/h",
                    local_preference: 0.99, detection_threshold: 0.001,
                    populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)])],
                coordination: Coordination(direct: "1h", call_effort: "20m", read_effort: "10m"),
                injects: [{injects}],
            )"#
        ),
    )
}

const AROUND_THE_CLOCK: &str = "Team(analysts: 5)";

#[test]
fn an_outbreak_at_night_is_noticed_after_the_call_out_delay() {
    let on_call = r#"Team(analysts: 5, shift: BusinessHours(from: "08:00", to: "17:00", on_call: "45m"))"#;
    let awake = common::replicate(&worm(AROUND_THE_CLOCK, AROUND_THE_CLOCK, ""), 3).outbreaks[0].detected_at[0];
    let paged = common::replicate(&worm(on_call, AROUND_THE_CLOCK, ""), 3).outbreaks[0].detected_at[0];
    // The spread is its own stream: the threshold is crossed at the same tick;
    // the on-call analyst notices 45 minutes later.
    let (awake, paged) = (awake.secs().unwrap(), paged.secs().unwrap());
    assert!((22 * HOUR..32 * HOUR).contains(&awake), "crossed at night: {awake}");
    assert_eq!(paged, awake + 45 * MIN);
    // The night's one call-out spent on a report at 21:00: nobody can be
    // woken, and the worm is noticed at the first tick of the 08:00 shift.
    let spent = r#"Team(analysts: 5, shift: BusinessHours(from: "08:00", to: "17:00", on_call: "45m", call_outs: 1))"#;
    let report =
        r#"Inject(id: "r", at: "21h", effects: [Report(incident_type: Malware, csirt: "a-cert", sop: "clean")])"#;
    let late = common::replicate(&worm(spent, AROUND_THE_CLOCK, report), 3).outbreaks[0].detected_at[0];
    let late = late.secs().unwrap();
    assert!((32 * HOUR..32 * HOUR + 60).contains(&late), "noticed at 08:00 (T+32h): {late}");
}

#[test]
fn a_warning_at_night_is_read_after_the_call_out_delay() {
    // A is awake and warns B at once; B's office works 08:00-17:00 at UTC+3,
    // so the warning arrives in its night. Its on-call analyst reads it after
    // the hour's call-out, for 10 minutes.
    let b_on_call = r#"Team(analysts: 5, shift: BusinessHours(from: "08:00", to: "17:00", on_call: "1h"))"#;
    let (o, log) = common::replicate_logged(&worm(AROUND_THE_CLOCK, b_on_call, ""), 3);
    let arrives = log
        .iter()
        .find_map(|e| match &e.event {
            LogEvent::WarningSent { arrives, .. } => Some(arrives.as_secs()),
            _ => None,
        })
        .expect("a warning was sent");
    let local_hour = (arrives + 3 * HOUR) % (24 * HOUR) / HOUR;
    assert!(!(8..17).contains(&local_hour), "arrives off duty in B: {local_hour}:00");
    let (at, waited) = log
        .iter()
        .find_map(|e| match &e.event {
            LogEvent::WarningReceived { waited, .. } => Some((e.time.as_secs(), waited.as_secs())),
            _ => None,
        })
        .expect("the warning was read");
    assert_eq!(waited, HOUR);
    assert_eq!(at, arrives + HOUR + 10 * MIN);
    assert_eq!(o.outbreaks[0].warned_at[1].secs(), Some(arrives + HOUR + 10 * MIN));
    // Around the clock, the same warning is read at once.
    let (o, _) = common::replicate_logged(&worm(AROUND_THE_CLOCK, AROUND_THE_CLOCK, ""), 3);
    assert_eq!(o.outbreaks[0].warned_at[1].secs(), Some(arrives + 10 * MIN));
}
