//! Coordination as analyst work: warning calls are jobs on the caller's desk
//! (their time is exactly calls x effort, and SOP work waits behind them), the
//! call order is a policy a decision can change from the next call on, and an
//! outbreak's infected constituents flood their national CSIRT with reports at
//! the stated rate.

use crate::common;

use common::{load_text, replicate, replicate_logged};
use std::sync::Arc;
use ttx::model::{IncidentSource, LogEntry, LogEvent, Outcome};
use ttx::scenario::Scenario;
use ttx::score::summarise;

/// Origin "o" (UTC+0) and four nations whose national CSIRTs differ in what
/// each call order ranks: exposure (b 5,000 > c 3,000 > d 2,000 > a 1,000),
/// channel (a and d share the caller's regional body, b is a FIRST member,
/// c is reached through an intermediary), trust (FIRST 0.9 > regional 0.6 >
/// indirect 0.5) and hours (d works office hours at UTC+12: asleep at the start).
/// `origin` is the origin CSIRT's extra fields, `outbreak` and `extra` are added
/// to the outbreak and the scenario.
fn region(origin: &str, outbreak: &str, extra: &str) -> Arc<Scenario> {
    region_with(origin, outbreak, "", extra)
}

/// [`region`] with `coordination` fields added.
fn region_with(origin: &str, outbreak: &str, coordination: &str, extra: &str) -> Arc<Scenario> {
    load_text("region.ron", &region_text(origin, outbreak, coordination, extra))
}

fn region_text(origin: &str, outbreak: &str, coordination: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
            version: 1, name: "region", horizon: "2d", start: "2026-05-04T12:00Z",
            nations: [
                Nation(id: "o", name: "Origin", utc_offset: "+00:00"),
                Nation(id: "a", name: "A", utc_offset: "+00:00"),
                Nation(id: "b", name: "B", utc_offset: "+00:00"),
                Nation(id: "c", name: "C", utc_offset: "+00:00"),
                Nation(id: "d", name: "D", utc_offset: "+12:00"),
            ],
            csirts: [
                Csirt(id: "o-cert", nation: "o", kind: National, sop: "clean", regions: ["reg"], first_member: true,
                    services: [AlertsAndWarnings, IncidentHandling, IntrusionDetection], {origin}),
                Csirt(id: "a-cert", nation: "a", kind: National, sop: "clean", regions: ["reg"], analysts: 5),
                Csirt(id: "b-cert", nation: "b", kind: National, sop: "clean", first_member: true, analysts: 5),
                Csirt(id: "c-cert", nation: "c", kind: National, sop: "clean", analysts: 5),
                Csirt(id: "d-cert", nation: "d", kind: National, sop: "clean", regions: ["reg"],
                    teams: [Team(analysts: 5, shift: BusinessHours(from: "09:00", to: "17:00"))]),
            ],
            sops: [Sop(id: "clean", steps: [Step(name: "clean", effort: Fixed("2h"), phase: Recovery)])],
            outbreaks: [Outbreak(id: "worm", origin: "o", start: "0s", initial_infected: 20, contact_rate: "1.8/h",
                local_preference: 0.95, tick: "1m", detection_threshold: 0.01,
                populations: [
                    Population(nation: "o", vulnerable: 20000),
                    Population(nation: "a", vulnerable: 1000),
                    Population(nation: "b", vulnerable: 5000),
                    Population(nation: "c", vulnerable: 3000),
                    Population(nation: "d", vulnerable: 2000),
                ], {outbreak})],
            coordination: Coordination(direct: "30m", indirect: "6h", call_effort: "25m",
                regional_trust: 0.6, first_trust: 0.9, indirect_trust: 0.5, {coordination}),
            {extra}
        )"#
    )
}

fn origin_summary(s: &ttx::score::RunSummary) -> &ttx::score::CsirtSummary {
    s.csirts.iter().find(|c| c.id == "o-cert").expect("the origin's CSIRT")
}

/// The callees in the order their calls were queued.
fn called(s: &Scenario, log: &[LogEntry]) -> Vec<String> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::CallQueued { to, .. } => Some(s.csirts[*to].id.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn call_time_is_exactly_the_calls_times_their_effort_and_is_taken_from_sop_work() {
    let s = region("analysts: 1", "", "");
    let (o, log) = replicate_logged(&s, 1);
    let summary = summarise(&s, &o);
    let origin = origin_summary(&summary);
    // Four reachable national CSIRTs, 25 minutes each, all within the window.
    assert_eq!(origin.calls_started, 4);
    assert_eq!(origin.call_hours * 3600.0, 4.0 * 25.0 * 60.0);
    let finished: Vec<u64> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::CallFinished { effort, .. } => Some(effort.as_secs()),
            _ => None,
        })
        .collect();
    assert_eq!(finished, vec![1500; 4]);
    // One call at a time: each starts when the one before ends.
    let starts: Vec<u64> =
        log.iter().filter(|e| matches!(e.event, LogEvent::CallStarted { .. })).map(|e| e.time.as_secs()).collect();
    assert!(starts.windows(2).all(|w| w[1] - w[0] >= 1500), "calls overlap: {starts:?}");
    // The analyst's calls are busy time: with no incident at all, utilisation
    // is the call time over the staffed time (one analyst, 48 h).
    assert!(origin.incidents_reported == 0);
    let utilisation = origin.utilisation.expect("staffed");
    assert!((utilisation - 6_000.0 / (48.0 * 3_600.0)).abs() < 1e-12, "utilisation {utilisation}");
}

#[test]
fn sop_work_waits_behind_the_calls_on_a_one_analyst_desk() {
    // Local reports about once an hour, 30 minutes of work each: the one analyst
    // is busy half the time. The four calls take 100 minutes of that analyst
    // (and jump the queue: they are High, the reports Medium).
    let stream = r#"streams: [IncidentStream(id: "local", csirt: "o-cert", incident_type: Malware, severity: Medium,
        rate: "1/h")],"#;
    let sop = |s: &str| s.replace(r#"effort: Fixed("2h")"#, r#"effort: Fixed("30m")"#);
    let with_calls = load_text("calls.ron", &sop(&region_text("analysts: 1", "", "", stream)));
    let without = load_text("quiet.ron", &sop(&region_text("analysts: 1", "warn_others: false", "", stream)));
    // When each incident reported in the first 12 hours was started on.
    let starts = |s: &Arc<Scenario>, seed| -> std::collections::BTreeMap<u64, u64> {
        let (_, log) = replicate_logged(s, seed);
        let mut starts = std::collections::BTreeMap::new();
        for e in &log {
            if let LogEvent::StepStarted { incident, .. } = &e.event {
                starts.entry(incident.number()).or_insert(e.time.as_secs());
            }
        }
        starts.retain(|_, t| *t < 12 * 3_600);
        starts
    };
    let (mut delayed_seeds, mut total_delay) = (0, 0);
    for seed in 1..21 {
        let (a, b) = (starts(&with_calls, seed), starts(&without, seed));
        let mut delay = 0;
        for (incident, t) in &b {
            // Extra work can only make a step start later, never earlier.
            let later = a.get(incident).copied().unwrap_or(u64::MAX);
            assert!(later >= *t, "seed {seed}: incident {incident} started at {later} s with the calls, {t} s without");
            delay += later.min(12 * 3_600) - t;
        }
        delayed_seeds += u32::from(delay > 0);
        total_delay += delay;
    }
    assert!(delayed_seeds >= 15, "the calls delayed SOP work in only {delayed_seeds} of 20 seeds");
    assert!(total_delay >= 20 * 1_800, "the steps started {total_delay} s later in all, over 20 seeds");
}

#[test]
fn two_analysts_fall_behind_in_a_report_flood_and_ten_do_not() {
    // Reports from one infected host in two hundred (about 100 at the origin)
    // within hours, two hours of work each: 200 analyst-hours.
    let flood = "reports_per_infection: 0.005";
    let still_open = |analysts: &str| -> (f64, f64) {
        let s = region(analysts, flood, "");
        let (mut open, mut behind) = (0.0, 0.0);
        for seed in 1..6 {
            let summary = summarise(&s, &replicate(&s, seed));
            let origin = origin_summary(&summary);
            open += origin.still_open as f64 / 5.0;
            behind += origin.share_behind / 5.0;
        }
        (open, behind)
    };
    let (open_two, behind_two) = still_open("analysts: 2");
    let (open_ten, behind_ten) = still_open("analysts: 10");
    // Two analysts work 96 h in the window for some 200 h of reports.
    assert!(open_two > 40.0, "two analysts left {open_two} reports open");
    assert!(behind_two > 0.8, "two analysts were behind {behind_two} of the time");
    assert!(open_ten < 1.0, "ten analysts left {open_ten} open, two {open_two}");
    assert!(behind_ten < 0.5 * behind_two, "{behind_ten} vs {behind_two}");
}

#[test]
fn the_report_flood_matches_its_stated_rate_within_three_standard_errors() {
    // No warnings (no protection): the worm infects every vulnerable host, and
    // every tick's new infections send Poisson(r x new) reports within the tick.
    let r = 0.01;
    let s = region("analysts: 50", &format!("warn_others: false, reports_per_infection: {r}"), "");
    let (mut reports, mut expected) = (0u64, 0.0);
    for seed in 1..21 {
        let (o, log) = replicate_logged(&s, seed);
        reports += log
            .iter()
            .filter(|e| matches!(e.event, LogEvent::IncidentReported { source: IncidentSource::Constituents(_), .. }))
            .count() as u64;
        let infected: u64 = o.outbreaks[0].infected.iter().sum();
        assert_eq!(infected, 31_000, "seed {seed}: the worm saturates within the horizon");
        expected += r * infected as f64;
    }
    let se = expected.sqrt();
    assert!(
        (reports as f64 - expected).abs() < 3.0 * se,
        "{reports} reports, expected {expected} (3 SE = {:.1})",
        3.0 * se
    );
    // And none without a rate.
    let quiet = region("analysts: 50", "warn_others: false", "");
    let (_, log) = replicate_logged(&quiet, 1);
    assert!(
        !log.iter()
            .any(|e| matches!(e.event, LogEvent::IncidentReported { source: IncidentSource::Constituents(_), .. }))
    );
}

#[test]
fn each_call_order_policy_produces_its_stated_order() {
    let cases = [
        ("LargestExposure", ["b-cert", "c-cert", "d-cert", "a-cert"]),
        ("RegionalFirst", ["d-cert", "a-cert", "b-cert", "c-cert"]),
        ("ByTrust", ["b-cert", "d-cert", "a-cert", "c-cert"]),
        // d-cert is asleep (00:00 at UTC+12) when the calls are made.
        ("AwakeFirst", ["b-cert", "c-cert", "a-cert", "d-cert"]),
        (r#"List(["a-cert", "c-cert"])"#, ["a-cert", "c-cert", "b-cert", "d-cert"]),
    ];
    for (order, expected) in cases {
        let s = region_with("analysts: 3", "", &format!("call_order: {order}"), "");
        for seed in [1, 2] {
            let (_, log) = replicate_logged(&s, seed);
            assert_eq!(called(&s, &log), expected, "{order} seed {seed}");
        }
    }
}

#[test]
fn a_decision_changes_the_call_order_from_the_next_call_on() {
    // The first call (to b-cert, the largest exposure) is in hand when the
    // decision sets a list: the next calls follow it.
    let decision = r#"injects: [Inject(id: "who-next", at: "FIRST_CALL",
        text: "Whom next?",
        decision: Decision(id: "call-order", question: "Whom next?", options: [
            Choice(id: "list", default: true, text: "Kavala first.",
                effects: [SetCallOrder(order: List(["a-cert"]))]),
            Choice(id: "keep", text: "Keep calling by exposure.", effects: [SetCallOrder(order: LargestExposure)]),
        ]))],"#;
    // When the first call is under way: find it in a run without the decision.
    let plain = region("analysts: 3", "", "");
    let (_, log) = replicate_logged(&plain, 1);
    assert_eq!(called(&plain, &log), ["b-cert", "c-cert", "d-cert", "a-cert"]);
    let first_start = log.iter().find(|e| matches!(e.event, LogEvent::CallStarted { .. })).unwrap().time.as_secs();
    let at = format!("{}s", first_start + 60);
    let s = region("analysts: 3", "", &decision.replace("FIRST_CALL", &at));
    let (_, log) = replicate_logged(&s, 1);
    assert_eq!(called(&s, &log), ["b-cert", "a-cert", "c-cert", "d-cert"]);
    let set_at = log.iter().find(|e| matches!(e.event, LogEvent::CallOrderSet { .. })).unwrap().time.as_secs();
    assert_eq!(set_at, first_start + 60);
    // The other option keeps the order: the decision has a consequence only
    // through the order it sets.
    let keep = decision
        .replace("FIRST_CALL", &at)
        .replace("default: true, ", "")
        .replace(r#"Choice(id: "keep", "#, r#"Choice(id: "keep", default: true, "#);
    let s = region("analysts: 3", "", &keep);
    let (o, log): (Outcome, _) = replicate_logged(&s, 1);
    assert_eq!(called(&s, &log), ["b-cert", "c-cert", "d-cert", "a-cert"]);
    assert_eq!(o.outbreaks.len(), 1);
}

#[test]
fn a_flood_rate_outside_0_to_1_is_refused_at_its_position() {
    let text = region_text("analysts: 1", "reports_per_infection: 1.5", "", "");
    let err = ttx::scenario::load_str("region.ron", &text, &[]).map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        err.lines().next().unwrap(),
        "error: region.ron:28:43: the reports per infection of outbreak \"worm\" must be 0 to 1, found 1.5"
    );
}

/// The region with a cable the origin's link abroad runs over, cut for 4 hours
/// from `cut_at` seconds; calls of 2 hours; `fallback` the link's fallback field.
fn cabled(cut_at: Option<u64>, fallback: &str) -> Arc<Scenario> {
    let injects = cut_at.map_or(String::new(), |at| {
        format!(
            r#"injects: [Inject(id: "cut", at: "{at}s", text: "The cable is cut.",
                effects: [Outage(asset: "cable", level: 0.0, duration: "4h")])],"#
        )
    });
    let extra = format!(
        r#"sectors: [Sector(id: "telecom", nation: "o")],
        assets: [Asset(id: "cable", sector: "telecom", criticality: 5)],
        {injects}"#
    );
    let origin = format!(r#"analysts: 10, international_link: Link(asset: "cable"{fallback})"#);
    let text = region_text(&origin, "", "", &extra).replace(r#"call_effort: "25m""#, r#"call_effort: "2h""#);
    load_text("cabled.ron", &text)
}

/// (call end, latency of the warning it sent), and the calls that could not
/// go out because a link was down.
fn sent(log: &[LogEntry]) -> (Vec<(u64, u64)>, Vec<u64>) {
    let mut sent = Vec::new();
    let mut down = Vec::new();
    for e in log {
        match &e.event {
            LogEvent::WarningSent { arrives, .. } => {
                sent.push((e.time.as_secs(), arrives.as_secs() - e.time.as_secs()))
            }
            LogEvent::WarningUnreachable { link_down: Some(_), .. } => down.push(e.time.as_secs()),
            _ => {}
        }
    }
    (sent, down)
}

#[test]
fn a_cut_cable_gives_the_fallback_latency_for_exactly_the_outage() {
    // Without a cut: calls end 2, 4, 6 and 8 hours after the first one starts,
    // over their channels (30 min direct, 6 h for c-cert through an intermediary).
    let (_, log) = replicate_logged(&cabled(None, r#", fallback: "9h""#), 1);
    let (calls, down) = sent(&log);
    assert!(down.is_empty());
    let first_end = calls[0].0;
    let normal: Vec<u64> = calls.iter().map(|c| c.1).collect();
    assert_eq!(normal, [1_800, 21_600, 1_800, 1_800], "b, c, d, a by exposure");
    // The cable is cut 1 h after the first call ends, for 4 h: the calls ending
    // 2 h and 4 h after the first fall in the cut and take the fallback's 9 h.
    let cut = first_end + 3_600;
    let (_, log) = replicate_logged(&cabled(Some(cut), r#", fallback: "9h""#), 1);
    let (calls, down) = sent(&log);
    assert!(down.is_empty());
    let ends: Vec<u64> = calls.iter().map(|c| c.0 - first_end).collect();
    assert_eq!(ends, [0, 7_200, 14_400, 21_600]);
    for (end, latency) in &calls {
        let in_cut = (cut..cut + 4 * 3_600).contains(end);
        let expected = if in_cut { 32_400 } else { normal[calls.iter().position(|c| c.0 == *end).unwrap()] };
        assert_eq!(*latency, expected, "call ending {} s after the cut", end.abs_diff(cut));
    }
    // Without a fallback the calls that end in the cut cannot go out at all.
    let (_, log) = replicate_logged(&cabled(Some(cut), ""), 1);
    let (calls, down) = sent(&log);
    assert_eq!(down, [first_end + 7_200, first_end + 14_400]);
    assert_eq!(calls.iter().map(|c| c.0 - first_end).collect::<Vec<_>>(), [0, 21_600]);
}

#[test]
fn calling_regional_partners_first_warns_a_different_share_in_time_on_the_pacific_scenario() {
    // Paired batch of the scenario's two variants (largest exposure first, the
    // baseline; regional partners first), 200 common-random-number replications.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("batch");
    let output = common::ttx(&[
        "batch",
        "scenarios/pacific-regional.ron",
        "--runs",
        "200",
        "--quiet",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary = std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
    let row = summary
        .lines()
        .find(|l| l.starts_with("regional-first,share_warned_before_hit,"))
        .expect("the regional-first row");
    let f: Vec<&str> = row.split(',').collect();
    let (diff, low, high): (f64, f64, f64) =
        (f[10].parse().expect("a difference"), f[11].parse().expect("a bound"), f[12].parse().expect("a bound"));
    // Warnings are read as desk work, so a warning arriving on a Friday night
    // at a CSIRT with nobody on call (Solen) is read on Monday: whichever
    // order Tavana calls in, about two thirds of the parties at risk have
    // read their warning before they are hit (0.657 and 0.679), and the
    // order changes that by +0.021 (-0.005 to 0.048). (Counting a warning as
    // received on arrival, before anyone read it, ttx used to report 0.784
    // and 0.900: +0.116.)
    let share = |variant: &str| -> f64 {
        let row =
            summary.lines().find(|l| l.starts_with(&format!("{variant},share_warned_before_hit,"))).expect(variant);
        row.split(',').nth(3).expect("a mean").parse().expect("a number")
    };
    for variant in ["largest-exposure", "regional-first"] {
        assert!((0.6..0.75).contains(&share(variant)), "{variant}: {}", share(variant));
    }
    assert!(diff.abs() < 0.06 && low < 0.03 && high > 0.0, "difference {diff} ({low} to {high})");
    // The institutional columns a planner compares: the origin's coordination
    // time is at least its four calls (30 min), plus an answer (20 min) to
    // each recipient that read its warning within the window and its
    // meetings; Kavala's crisis cell (level 2) sits in every run.
    let mean = |key: &str| -> f64 {
        let row = summary.lines().find(|l| l.starts_with(&format!("largest-exposure,{key},"))).expect(key);
        row.split(',').nth(3).expect("a mean").parse().expect("a number")
    };
    let coordination = mean("csirt.tv-cert.coordination_hours");
    assert!(coordination >= 4.0 * 30.0 / 60.0, "{coordination}");
    assert_eq!(mean("nation.kv.crisis_level_max"), 2.0);
    assert!(mean("nation.kv.media_peak") > 0.0);
}

/// The region with every channel fully trusted (every warning is acted on),
/// `coordination` fields added.
fn trusted_region(origin: &str, coordination: &str) -> Arc<Scenario> {
    let text = region_text(origin, "", coordination, "")
        .replace("regional_trust: 0.6, first_trust: 0.9, indirect_trust: 0.5", "preparation: \"1h\"");
    load_text("trusted.ron", &text)
}

/// Time (s) of each event the filter picks, with the CSIRT it names.
fn times_by_csirt(s: &Scenario, log: &[LogEntry], pick: impl Fn(&LogEvent) -> Option<usize>) -> Vec<(String, u64)> {
    log.iter().filter_map(|e| pick(&e.event).map(|c| (s.csirts[c].id.clone(), e.time.as_secs()))).collect()
}

#[test]
fn passing_a_warning_on_is_the_notify_effort_on_the_recipients_desk_and_waits_for_its_shift() {
    let s = trusted_region("analysts: 1", r#"notify_effort: "40m""#);
    let (o, log) = replicate_logged(&s, 1);
    let summary = summarise(&s, &o);
    // Read (10 min of `read_effort`, after waiting for someone on duty), then passed on.
    let received: Vec<(String, u64, u64)> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::WarningReceived { csirt, waited, .. } => {
                Some((s.csirts[*csirt].id.clone(), e.time.as_secs(), waited.as_secs()))
            }
            _ => None,
        })
        .collect();
    let notified: Vec<(String, u64, u64, u64)> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::ConstituentsNotified { csirt, waited, effort, .. } => {
                Some((s.csirts[*csirt].id.clone(), e.time.as_secs(), waited.as_secs(), effort.as_secs()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(received.len(), 4, "every warning trusted");
    assert_eq!(notified.len(), 4, "every received warning passed on");
    // d-cert works 09:00-17:00 at UTC+12; T+0 is 12:00 UTC = 00:00 in d: the
    // warning waits until 09:00 local (T+9h) to be read. The others (24/7)
    // read it at once. The notice follows the reading on the same desk.
    for (id, at, read_wait) in &received {
        if id == "d-cert" {
            assert_eq!(*at, 9 * 3_600 + 600, "read from 09:00 local");
            assert!(*read_wait > 0, "it waited for the shift");
        } else {
            assert_eq!(*read_wait, 0, "{id}");
        }
        let (_, done, waited, effort) = notified.iter().find(|n| &n.0 == id).expect("notified");
        assert_eq!(*effort, 2_400, "{id}");
        assert_eq!(*waited, 0, "{id}");
        assert_eq!(*done, at + 2_400, "{id}");
        // Protection 1 h (preparation) after the notice went out.
        let k = s.outbreaks[0].populations.iter().position(|p| s.nations[p.nation].id == id[..1]).unwrap();
        assert_eq!(o.outbreaks[0].protected_at[k].map(|t| t.as_secs()), Some(done + 3_600), "{id}");
        let csirt = summary.csirts.iter().find(|c| &c.id == id).unwrap();
        assert_eq!((csirt.notifications, csirt.answers, csirt.meetings), (1, 0, 0), "{id}");
        let hours = (10.0 + 40.0) / 60.0;
        assert!((csirt.coordination_hours - hours).abs() < 1e-12, "{id}: {}", csirt.coordination_hours);
    }
}

#[test]
fn a_request_for_details_costs_the_sender_its_answer_and_the_recipient_the_round_trip() {
    let quick = trusted_region("analysts: 1", r#"notify_effort: "10m""#);
    let asking = trusted_region("analysts: 1", r#"notify_effort: "10m", answer_effort: "15m""#);
    let (o_quick, log_quick) = replicate_logged(&quick, 1);
    let (o, log) = replicate_logged(&asking, 1);
    // The origin answers each of the four, 15 minutes each, on top of its calls.
    let answers: Vec<u64> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::DetailsAnswered { effort, link_down: None, .. } => Some(effort.as_secs()),
            _ => None,
        })
        .collect();
    assert_eq!(answers, vec![900; 4]);
    let origin = summarise(&asking, &o).csirts.into_iter().find(|c| c.id == "o-cert").unwrap();
    assert_eq!(origin.answers, 4);
    assert!(
        (origin.coordination_hours * 60.0 - (4.0 * 25.0 + 4.0 * 15.0)).abs() < 1e-9,
        "{}",
        origin.coordination_hours
    );
    // Each notice now starts when the answer is back: request and answer each
    // travel the channel (30 min direct, 6 h to c-cert), plus the answer's
    // wait at the origin and its 15 minutes.
    let asked = times_by_csirt(&asking, &log, |e| match e {
        LogEvent::DetailsRequested { from, .. } => Some(from.index()),
        _ => None,
    });
    let answered: Vec<(String, u64, u64)> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::DetailsAnswered { to, waited, .. } => {
                Some((asking.csirts[*to].id.clone(), e.time.as_secs(), waited.as_secs()))
            }
            _ => None,
        })
        .collect();
    let notified = |log: &[LogEntry]| {
        times_by_csirt(&asking, log, |e| match e {
            LogEvent::ConstituentsNotified { csirt, .. } => Some(csirt.index()),
            _ => None,
        })
    };
    let (before, after) = (notified(&log_quick), notified(&log));
    for (id, at) in &asked {
        let leg = if id == "c-cert" { 21_600 } else { 1_800 };
        let (_, done, waited) = answered.iter().find(|a| &a.0 == id).expect("answered");
        assert_eq!(*done, at + leg + waited + 900, "{id}: answered after the request's leg, its wait and 15 min");
        let (_, notice) = after.iter().find(|n| &n.0 == id).unwrap();
        let (_, quick_notice) = before.iter().find(|n| &n.0 == id).unwrap();
        assert!(*notice >= done + leg + 600, "{id}: the notice waits for the answer's leg");
        // d-cert is asleep until T+9h either way: its notice waits for the shift.
        if id != "d-cert" {
            assert!(notice - quick_notice >= 2 * leg + 900, "{id}: {notice} vs {quick_notice}");
        }
    }
    assert_eq!(o.outbreaks[0].warned_at, o_quick.outbreaks[0].warned_at, "the warnings themselves are not delayed");
}

#[test]
fn meetings_hold_an_analyst_at_each_attendee_and_build_trust_between_those_who_attend() {
    // Hourly meetings of 30 minutes from the detection on. The origin's one
    // analyst makes four 25-minute calls first: it is on a call at the first
    // meeting and misses it; d-cert misses every meeting before its shift.
    let s = trusted_region("analysts: 1", r#"meetings: Meetings(every: "1h", effort: "30m", gain: 0.01)"#);
    let (o, log) = replicate_logged(&s, 1);
    let detected = o.outbreaks[0].detected_at[0].unwrap().as_secs();
    let meetings: Vec<(u64, Vec<String>, Vec<String>)> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::MeetingHeld { attended, missed, .. } => {
                let ids = |l: &[ttx::scenario::CsirtId]| l.iter().map(|c| s.csirts[*c].id.clone()).collect();
                Some((e.time.as_secs(), ids(attended), ids(missed)))
            }
            _ => None,
        })
        .collect();
    assert!(!meetings.is_empty());
    for (i, (at, attended, missed)) in meetings.iter().enumerate() {
        assert_eq!((at - detected) % 3_600, 0, "meetings every hour from the detection");
        // T+0 is 12:00 UTC, midnight in d (UTC+12).
        let d_on_duty = (9 * 3_600..17 * 3_600).contains(&(at % 86_400));
        let d_there = attended.iter().chain(missed).any(|c| c == "d-cert");
        if d_there {
            assert_eq!(attended.contains(&"d-cert".to_string()), d_on_duty, "meeting {i} at {at}");
        }
        if i == 0 {
            assert!(missed.contains(&"o-cert".to_string()), "the origin's analyst is on a call: {meetings:?}");
        }
    }
    // Each two attendees (every pair here has a channel) gain 0.01.
    let pairs: usize = meetings.iter().map(|(_, a, _)| a.len() * a.len().saturating_sub(1) / 2).sum();
    let gains: Vec<f64> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::TrustChanged { from, to, cause: ttx::model::trust::TrustCause::Meeting(_), .. } => {
                Some(to - from)
            }
            _ => None,
        })
        .collect();
    assert_eq!(gains.len(), pairs);
    assert!(gains.iter().all(|g| (g - 0.01).abs() < 1e-12 || *g == 0.0), "{gains:?}");
    // a-cert (24/7, five analysts) attends every meeting it is invited to:
    // its coordination time is reading the warning (10 min) and its notice
    // (30 min), plus 30 minutes a meeting.
    let summary = summarise(&s, &o);
    let a = summary.csirts.iter().find(|c| c.id == "a-cert").unwrap();
    let invited = meetings.iter().filter(|(_, at, mi)| at.iter().chain(mi).any(|c| c == "a-cert")).count() as u64;
    assert!(meetings.iter().all(|(_, _, mi)| !mi.contains(&"a-cert".to_string())));
    let within: u64 =
        meetings.iter().filter(|(at, att, _)| att.contains(&"a-cert".to_string()) && at + 1_800 <= 48 * 3_600).count()
            as u64;
    assert_eq!(a.meetings, invited);
    let expected = (10.0 + 30.0) / 60.0 + 0.5 * within as f64;
    assert!((a.coordination_hours - expected).abs() < 1e-9, "{} vs {expected}", a.coordination_hours);
}

#[test]
fn a_meeting_longer_than_its_interval_is_refused_at_its_position() {
    let text = region_text("analysts: 1", "", r#"meetings: Meetings(every: "2h", effort: "3h", gain: 0.1)"#, "");
    let err = ttx::scenario::load_str("region.ron", &text, &[]).map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        err.lines().next().unwrap(),
        "error: region.ron:30:117: a meeting must take longer than 0s and at most its interval (2h), found 3h"
    );
}

/// An island CSIRT whose link abroad runs over a cable, and a peer abroad that
/// tips it off 1 h after each incident (its victims report in about a year:
/// the tip is how it learns). The cable is cut from T+10h for 10 h.
fn tipped(fallback: &str) -> Arc<Scenario> {
    load_text(
        "tipped.ron",
        &format!(
            r#"Scenario(
            version: 1, name: "tipped", horizon: "2d", start: "2026-05-04T00:00Z",
            nations: [Nation(id: "i", name: "Island", utc_offset: "+00:00"),
                Nation(id: "p", name: "Peer", utc_offset: "+00:00")],
            csirts: [
                Csirt(id: "i-cert", nation: "i", kind: National, sop: "s", regions: ["reg"], analysts: 20,
                    international_link: Link(asset: "cable"{fallback})),
                Csirt(id: "p-cert", nation: "p", kind: National, sop: "s", regions: ["reg"], analysts: 1),
            ],
            sectors: [Sector(id: "telecom", nation: "i")],
            assets: [Asset(id: "cable", sector: "telecom", criticality: 5)],
            sops: [Sop(id: "s", steps: [Step(name: "look", effort: Fixed("10m"))])],
            streams: [IncidentStream(id: "quiet", csirt: "i-cert", incident_type: Intrusion, severity: Medium,
                rate: "1/h", detection: Detection(victim: Fixed("365d"),
                    peer_abroad: Peer(csirt: "p-cert", delay: Fixed("1h"))))],
            coordination: Coordination(direct: "30m"),
            injects: [Inject(id: "cut", at: "10h", text: "The cable is cut.",
                effects: [Outage(asset: "cable", level: 0.0, duration: "10h")])],
        )"#
        ),
    )
}

/// (occurred, reported) of every incident, and the tips held for the link.
fn tip_times(log: &[LogEntry]) -> (Vec<(u64, u64)>, usize) {
    let mut occurred = std::collections::BTreeMap::new();
    let mut pairs = Vec::new();
    let mut held = 0;
    for e in log {
        match &e.event {
            LogEvent::IncidentOccurred { incident, .. } => {
                occurred.insert(*incident, e.time.as_secs());
            }
            LogEvent::IncidentReported { incident, .. } => pairs.push((occurred[incident], e.time.as_secs())),
            LogEvent::TipHeld { .. } => held += 1,
            _ => {}
        }
    }
    (pairs, held)
}

#[test]
fn a_tip_from_abroad_takes_the_fallback_latency_while_the_cable_is_cut_and_waits_without_one() {
    let (cut, back) = (10 * 3_600, 20 * 3_600);
    let (_, log) = replicate_logged(&tipped(r#", fallback: "5h""#), 1);
    let (pairs, held) = tip_times(&log);
    assert!(pairs.len() > 20 && held == 0, "{} incidents", pairs.len());
    for (occurred, reported) in &pairs {
        let sent = occurred + 3_600;
        let latency = if (cut..back).contains(&sent) { 5 * 3_600 } else { 1_800 };
        assert_eq!(reported - sent, latency, "tip sent at {sent}");
    }
    assert!(pairs.iter().any(|(o, _)| (cut..back).contains(&(o + 3_600))), "some tips fall in the cut");
    // No fallback: a tip sent during the cut goes when the cable is back.
    let (_, log) = replicate_logged(&tipped(""), 1);
    let (pairs, held) = tip_times(&log);
    let in_cut = pairs.iter().filter(|(o, _)| (cut..back).contains(&(o + 3_600))).count();
    assert_eq!(held, in_cut);
    for (occurred, reported) in &pairs {
        let sent = occurred + 3_600;
        let expected = if (cut..back).contains(&sent) { back + 1_800 } else { sent + 1_800 };
        assert_eq!(*reported, expected, "tip sent at {sent}");
    }
}
