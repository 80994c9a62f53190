//! Organisations and staff, and handling by SOP: shifts in local time, on-call,
//! hand-overs, tiers and escalation, severity order, maturity, hiring, and the
//! one-SOP / per-type-SOP switch. Each mechanic isolated, expected times worked
//! out by hand.
//!
//! Default start: Monday 2026-01-05 00:00 UTC. The nation is at UTC+12, so T+0 is
//! Monday 12:00 local.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{NullSink, Outcome, Replication};
use ttx::scenario::{Scenario, load_str};
use ttx::score::{mean, summarise};

const HOUR: u64 = 3_600;

fn scenario(csirt: &str, sops: &str, streams: &str, injects: &str) -> Arc<Scenario> {
    let text = scenario_text(csirt, sops, streams, injects);
    Arc::new(load_str("staff.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

/// [`scenario`] with the judgement `rules` stated.
fn scenario_with_rules(csirt: &str, sops: &str, streams: &str, injects: &str, rules: &str) -> Arc<Scenario> {
    let text =
        scenario_text(csirt, sops, streams, injects).replacen("injects: [", &format!("rules: {rules}, injects: ["), 1);
    Arc::new(load_str("staff.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn scenario_text(csirt: &str, sops: &str, streams: &str, injects: &str) -> String {
    format!(
        r#"Scenario(
            version: 1, name: "staff", horizon: "30d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, {csirt})],
            sops: [{sops}],
            streams: [{streams}],
            injects: [{injects}],
        )"#
    )
}

const ONE_STEP: &str = r#"Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("2h"))])"#;

fn report(id: &str, at: &str, severity: &str) -> String {
    format!(
        r#"Inject(id: "{id}", at: "{at}", effects: [Report(incident_type: Malware, csirt: "cert", sop: "sop", severity: {severity})])"#
    )
}

fn run(s: Arc<Scenario>, seed: u64) -> Outcome {
    common::replicate(&s, seed)
}

const NINE_TO_FIVE: &str = r#"teams: [Team(analysts: 2, shift: BusinessHours(from: "08:00", to: "17:00"))]"#;

#[test]
fn a_report_at_two_in_the_night_waits_for_the_morning_shift() {
    // T+14h is Tuesday 02:00 local; the team starts at 08:00: a 6 h wait.
    let out = run(scenario(NINE_TO_FIVE, ONE_STEP, "", &report("night", "14h", "Medium")), 1);
    let incident = &out.incidents[0];
    assert_eq!(incident.triage_wait().secs(), Some(6 * HOUR));
    assert_eq!(incident.closed.secs(), Some(20 * HOUR + 2 * HOUR));
    // The same report during working hours (T+2h = Monday 14:00) waits not at all.
    let out = run(scenario(NINE_TO_FIVE, ONE_STEP, "", &report("day", "2h", "Medium")), 1);
    assert_eq!(out.incidents[0].triage_wait().secs(), Some(0));
}

#[test]
fn an_on_call_analyst_answers_after_the_call_out_delay() {
    let on_call = r#"teams: [Team(analysts: 2, shift: BusinessHours(from: "08:00", to: "17:00", on_call: "45m"))]"#;
    let out = run(scenario(on_call, ONE_STEP, "", &report("night", "14h", "Medium")), 1);
    assert_eq!(out.incidents[0].triage_wait().secs(), Some(45 * 60));
    assert_eq!(out.incidents[0].closed.secs(), Some(14 * HOUR + 45 * 60 + 2 * HOUR));
}

#[test]
fn work_in_hand_at_the_end_of_the_shift_is_handed_over() {
    // Reported Monday 16:00 local (T+4h): 1 h of the 2 h step is done at 17:00;
    // the rest (1 h) plus the 15 min hand-over resumes Tuesday 08:00 (T+20h).
    let out = run(scenario(NINE_TO_FIVE, ONE_STEP, "", &report("late", "4h", "Medium")), 1);
    let incident = &out.incidents[0];
    assert_eq!(incident.steps[0].handovers, 1);
    assert_eq!(incident.closed.secs(), Some(20 * HOUR + HOUR + 15 * 60));
    assert_eq!(incident.queue_wait().secs(), 15 * HOUR, "17:00 to 08:00 in the queue");
}

#[test]
fn weekends_are_off_for_business_hours_teams() {
    // T+4d12h is Saturday 00:00 local; the next working hour is Monday 08:00, 56 h later.
    let out = run(scenario(NINE_TO_FIVE, ONE_STEP, "", &report("weekend", "4d12h", "Medium")), 1);
    assert_eq!(out.incidents[0].triage_wait().secs(), Some(56 * HOUR));
}

const TIERED: &str = r#"structure: Tiered, teams: [Team(tier: 1, analysts: 1), Team(tier: 2, analysts: 1)]"#;

#[test]
fn severe_incidents_escalate_to_tier_two_in_a_tiered_team() {
    // Two High incidents at once: both need tier 2, so the second waits 2 h even
    // though the tier-1 analyst is free.
    let injects = format!("{}, {}", report("a", "1h", "High"), report("b", "1h", "High"));
    let out = run(scenario(TIERED, ONE_STEP, "", &injects), 1);
    assert_eq!(out.incidents[1].triage_wait().secs(), Some(2 * HOUR));
    assert_eq!(out.incidents.iter().map(|i| i.steps[0].tier).collect::<Vec<_>>(), vec![Some(2), Some(2)]);
    // Two Medium incidents: tier 1 takes one, tier 2 helps with the other.
    let injects = format!("{}, {}", report("a", "1h", "Medium"), report("b", "1h", "Medium"));
    let out = run(scenario(TIERED, ONE_STEP, "", &injects), 1);
    assert_eq!(out.incidents[1].triage_wait().secs(), Some(0));
    assert_eq!(out.incidents.iter().map(|i| i.steps[0].tier).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
    // A flat team with the same two analysts never escalates: both start at once.
    let flat = r#"teams: [Team(tier: 1, analysts: 1), Team(tier: 2, analysts: 1)]"#;
    let injects = format!("{}, {}", report("a", "1h", "High"), report("b", "1h", "High"));
    assert_eq!((run(scenario(flat, ONE_STEP, "", &injects), 1).incidents[1].triage_wait()).secs(), Some(0));
    // Escalating only from Critical (`rules.escalate_from`): two High
    // incidents are Medium ones as far as tiers go.
    let s = scenario_with_rules(TIERED, ONE_STEP, "", &injects, "Rules(escalate_from: Critical)");
    let out = run(s, 1);
    assert_eq!(out.incidents[1].triage_wait().secs(), Some(0));
    assert_eq!(out.incidents.iter().map(|i| i.steps[0].tier).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
}

#[test]
fn the_most_severe_waiting_incident_is_served_first() {
    // One analyst busy 1h-3h; a Low at 1h30m and a Critical at 2h wait; the
    // Critical goes first at 3h, the Low at 5h.
    let injects =
        [report("busy", "1h", "Medium"), report("low", "1h30m", "Low"), report("crit", "2h", "Critical")].join(", ");
    let out = run(scenario("analysts: 1", ONE_STEP, "", &injects), 1);
    assert_eq!(out.incidents[2].steps[0].started.secs(), Some(3 * HOUR));
    assert_eq!(out.incidents[1].steps[0].started.secs(), Some(5 * HOUR));
}

#[test]
fn hired_analysts_join_after_their_ramp_up() {
    let hire = r#"Inject(id: "hire", at: "1d", effects: [Hire(csirt: "cert", analysts: 3, ramp_up: "10d")])"#;
    let s = scenario("analysts: 2", ONE_STEP, "", hire);
    let mut r = Replication::new(s, 1, 1_000_000, NullSink);
    r.run_until(ttx::engine::SimTime::from_secs(11 * 24 * HOUR - 1), |_| false).unwrap();
    let (out, _) = r.finish();
    assert_eq!(out.desks[0].teams[0].headcount, 2, "not yet at T+11d minus a second");
    // A report at T+20d keeps the run going until it closes at T+20d2h.
    let injects = format!("{hire}, {}", report("later", "20d", "Medium"));
    let out = run(scenario("analysts: 2", ONE_STEP, "", &injects), 1);
    assert_eq!(out.desks[0].teams[0].headcount, 5);
    assert_eq!(out.end_time.secs(), 20 * 24 * HOUR + 2 * HOUR);
    // staffed analyst-time: 2 for 11 days, then 5 until the end
    let expected = 2.0 * 11.0 * 86_400.0 + 5.0 * (9.0 * 86_400.0 + 7_200.0);
    assert_eq!(out.desks[0].totals.staffed_s, expected);
}

const STREAM: &str = r#"IncidentStream(id: "bg", incident_type: Phishing, csirt: "cert", sop: "contain", rate: "3/h")"#;
const CONTAIN_SOP: &str = r#"Sop(id: "contain", steps: [
    Step(name: "triage", effort: Exponential(mean: "30m")),
    Step(name: "contain", effort: Exponential(mean: "1h"), phase: Containment),
    Step(name: "lessons", effort: Fixed("10m"), phase: PostIncident),
])"#;

#[test]
fn more_analysts_contain_incidents_sooner() {
    // Offered load 3/h x 1h40m = 5 analysts: 6 analysts queue heavily, 8 hardly.
    let contain = |analysts: u32| {
        let s = scenario(&format!("analysts: {analysts}"), CONTAIN_SOP, STREAM, "");
        summarise(&s, &run(s.clone(), 3)).time_to_contain_s.unwrap().restricted_mean_s / 3600.0
    };
    let (six, eight) = (contain(6), contain(8));
    // No waiting at all would give 30m + 1h = 1.5 h on average.
    assert!(eight < 1.8, "8 analysts: {eight:.2} h");
    assert!(six > eight + 0.5, "6 analysts: {six:.2} h vs 8: {eight:.2} h");
}

/// The default judgement tables (docs/model.md, "Maturity").
const EFFORT_FACTOR_BY_MATURITY: [f64; 5] = [1.5, 1.25, 1.0, 0.9, 0.8];
const REWORK_RATE_BY_MATURITY: [f64; 5] = [0.20, 0.12, 0.06, 0.03, 0.01];

#[test]
fn maturity_scales_effort_and_the_redo_rate() {
    let at = |maturity: u8| {
        let s = scenario(&format!("analysts: 30, maturity: {maturity}"), CONTAIN_SOP, STREAM, "");
        run(s, 5)
    };
    check_maturity(at, EFFORT_FACTOR_BY_MATURITY, REWORK_RATE_BY_MATURITY);
    // A team's own tables, stated in `rules`, replace the defaults.
    let (effort, rework) = ([2.0, 1.25, 1.0, 0.9, 0.5], [0.5, 0.12, 0.06, 0.03, 0.0]);
    let rules =
        "Rules(effort_by_maturity: [2.0, 1.25, 1.0, 0.9, 0.5], rework_by_maturity: [0.5, 0.12, 0.06, 0.03, 0.0])";
    let own = |maturity: u8| {
        let csirt = format!("analysts: 30, maturity: {maturity}");
        run(scenario_with_rules(&csirt, CONTAIN_SOP, STREAM, "", rules), 5)
    };
    check_maturity(own, effort, rework);
}

/// At maturity 0 and 4: the share of steps redone is the table's rate within
/// 4 standard errors, and efforts (same streams) are the table's factor times
/// those of a CSIRT with no stated maturity.
fn check_maturity(at: impl Fn(u8) -> Outcome, effort_table: [f64; 5], rework_table: [f64; 5]) {
    for maturity in [0u8, 4] {
        let out = at(maturity);
        let steps: Vec<_> =
            out.incidents.iter().flat_map(|i| i.steps.iter()).filter(|s| s.finished.is_some()).collect();
        let redone = steps.iter().filter(|s| s.reworked).count() as f64 / steps.len() as f64;
        let expected = rework_table[maturity as usize];
        let se = (expected * (1.0 - expected) / steps.len() as f64).sqrt();
        assert!(
            (redone - expected).abs() <= 4.0 * se,
            "maturity {maturity}: redone {redone:.4} vs {expected} (se {se:.4})"
        );
        // Efforts were drawn from the same streams: their ratio is the factor.
        let effort: Vec<f64> = out.incidents.iter().map(|i| i.work[0].effort.as_secs_f64()).collect();
        let neutral = run(scenario("analysts: 30", CONTAIN_SOP, STREAM, ""), 5);
        let base: Vec<f64> = neutral.incidents.iter().map(|i| i.work[0].effort.as_secs_f64()).collect();
        let ratio = mean(&effort) / mean(&base);
        assert!((ratio - effort_table[maturity as usize]).abs() < 0.001, "ratio {ratio}");
    }
    // Without a stated maturity nothing is redone.
    let neutral = run(scenario("analysts: 30", CONTAIN_SOP, STREAM, ""), 5);
    assert!(neutral.incidents.iter().all(|i| i.steps.iter().all(|s| !s.reworked)));
}

#[test]
fn one_switch_chooses_one_sop_for_all_or_one_per_type() {
    let sops = r#"Sop(id: "generic", steps: [Step(name: "all", effort: Fixed("2h"))]),
                  Sop(id: "phishing", steps: [Step(name: "quick", effort: Fixed("20m"))])"#;
    let streams = r#"IncidentStream(id: "ph", incident_type: Phishing, csirt: "cert", rate: "1/h"),
                     IncidentStream(id: "mw", incident_type: Malware, csirt: "cert", rate: "1/h")"#;
    let csirt = |per_type: bool| {
        format!(r#"analysts: 10, sop: "generic", sops_by_type: {{Phishing: "phishing"}}, per_type_sops: {per_type}"#)
    };
    let one = scenario(&csirt(false), sops, streams, "");
    let per_type = scenario(&csirt(true), sops, streams, "");
    assert!(one.streams.iter().all(|s| s.sop.index() == 0));
    assert_eq!(per_type.streams.iter().map(|s| s.sop.index()).collect::<Vec<_>>(), vec![1, 0]);
    let (a, b) = (run(one, 2), run(per_type, 2));
    // Same incidents at the same times (common random numbers)...
    assert_eq!(
        a.incidents.iter().map(|i| i.reported).collect::<Vec<_>>(),
        b.incidents.iter().map(|i| i.reported).collect::<Vec<_>>()
    );
    // ...handled by the SOP the switch picks: phishing takes 20 min of work instead of 2 h.
    let phishing_close = |o: &Outcome| {
        let t: Vec<f64> = o
            .incidents
            .iter()
            .filter(|i| i.incident_type == ttx::scenario::IncidentType::Phishing)
            .filter_map(|i| Some((i.closed? - i.steps[0].started?).as_secs_f64()))
            .collect();
        mean(&t)
    };
    assert_eq!(phishing_close(&a), 2.0 * 3600.0);
    assert_eq!(phishing_close(&b), 20.0 * 60.0);
}

#[test]
fn analysts_quit_at_random_at_the_stated_attrition_rate() {
    // 100 analysts, each leaving at 1 per 100 days: after 30 days the expected
    // headcount is 100 e^{-0.3} = 74.08 (binomial sd 4.4); over 40 seeds the mean is
    // within 3 standard errors of it.
    let s = scenario(r#"teams: [Team(analysts: 100, attrition: "1/100d")]"#, ONE_STEP, "", "");
    let left: Vec<f64> = (0..40)
        .map(|seed| {
            let mut r = Replication::new(s.clone(), seed, 1_000_000, NullSink);
            r.run_to_horizon().unwrap();
            f64::from(r.finish().0.desks[0].teams[0].headcount)
        })
        .collect();
    let expected = 100.0 * (-0.3f64).exp();
    let se = (100.0 * (-0.3f64).exp() * (1.0 - (-0.3f64).exp()) / 40.0).sqrt();
    assert!((mean(&left) - expected).abs() < 3.0 * se, "mean headcount {:.2}, expected {expected:.2}", mean(&left));
}

#[test]
fn replacement_hiring_keeps_the_mean_headcount_at_its_steady_state() {
    // Each of 10 seats is held for an exponential time of mean 30 d, then
    // vacant for 10 d: filled 30 / 40 of the time, a mean headcount of 7.5.
    // Over 10 years the start (all seats filled) moves the mean by about
    // 2.5 x 7.5 d / 3650 d = 0.005: far inside the tolerance.
    let team = r#"teams: [Team(analysts: 10, attrition: "1/30d", replaced_after: "10d")]"#;
    let text = scenario_text(team, ONE_STEP, "", "").replace(r#"horizon: "30d""#, r#"horizon: "3650d""#);
    let s = Arc::new(load_str("staff.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")));
    let window = 3650.0 * 24.0 * HOUR as f64;
    let means: Vec<f64> =
        (1..=40).map(|seed| run(s.clone(), seed).desks[0].teams[0].window_staffed_s / window).collect();
    let m = mean(&means);
    let sd = (means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (means.len() - 1) as f64).sqrt();
    let se = sd / (means.len() as f64).sqrt();
    assert!((m - 7.5).abs() < 3.0 * se, "mean headcount {m:.3} (se {se:.3})");
    // Without replacement the team empties: about 10 e^{-3650/30}, i.e. nobody.
    let gone = scenario_text(r#"teams: [Team(analysts: 10, attrition: "1/30d")]"#, ONE_STEP, "", "")
        .replace(r#"horizon: "30d""#, r#"horizon: "3650d""#);
    let s = Arc::new(load_str("staff.ron", &gone, &[]).unwrap_or_else(|d| panic!("{d}")));
    assert_eq!(run(s, 1).desks[0].teams[0].headcount, 0);
}
