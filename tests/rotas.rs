//! People and rotas: a team with `seats` is a pool of people taking turns
//! within a week's contracted hours and a minimum rest; shifts of any length
//! on any days, crossing midnight; several teams of one tier; leave and
//! sickness as absence rates. Coverage is the share of seat-hours on duty
//! that had someone in them.
//!
//! Start: Monday 2026-01-05 00:00 UTC; the nation is at UTC+06:00, so T+0 is
//! Monday 06:00 local, a change of shift of the 8-hour rotas below.

use crate::common;

use std::sync::Arc;
use ttx::model::LogEvent;
use ttx::scenario::{Scenario, load_str};
use ttx::score::{TeamSummary, summarise};

const HOUR: u64 = 3_600;

fn scenario_text(teams: &str, horizon: &str, injects: &str) -> String {
    format!(
        r#"Scenario(
            version: 1, name: "rota", horizon: "{horizon}",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+06:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, teams: [{teams}])],
            sops: [Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("1h"))])],
            injects: [{injects}],
        )"#
    )
}

fn scenario(teams: &str, horizon: &str, injects: &str) -> Arc<Scenario> {
    let text = scenario_text(teams, horizon, injects);
    Arc::new(load_str("rota.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn teams(s: &Arc<Scenario>, seed: u64) -> Vec<TeamSummary> {
    summarise(s, &common::replicate(s, seed)).csirts.remove(0).teams
}

/// Three 8-hour shifts a day, one seat.
fn round_the_clock(analysts: u32, absence: &str) -> String {
    format!(
        r#"Team(name: "duty", analysts: {analysts}, seats: 1, {absence} shift: Continuous(changes: ["06:00", "14:00", "22:00"]))"#
    )
}

#[test]
fn a_24_7_seat_needs_five_fte_and_four_fill_twenty_of_twenty_one_shifts() {
    // 21 shifts of 8 h a week; one person may work 40 h, so 5 shifts. Five
    // people (25 shifts) fill every seat-hour; four (20 shifts) leave one
    // shift a week empty. Exact: nobody is absent.
    let five = scenario(&round_the_clock(5, ""), "28d", "");
    let team = &teams(&five, 1)[0];
    assert_eq!(team.coverage, Some(1.0));
    assert!((team.fte_needed - 4.2).abs() < 1e-9, "168 h / 40 h = {}", team.fte_needed);
    let four = scenario(&round_the_clock(4, ""), "28d", "");
    let coverage = teams(&four, 1)[0].coverage.expect("on duty");
    assert!((coverage - 20.0 / 21.0).abs() < 1e-9, "coverage {coverage}");
    // The same seat "needs about five FTE" once leave and sickness (16%) are
    // counted, and the scenario says so.
    let stated = scenario(&round_the_clock(5, "leave: 0.12, sickness: 0.04,"), "28d", "");
    assert!((teams(&stated, 1)[0].fte_needed - 5.0).abs() < 1e-9);
    assert!(stated.warnings.is_empty(), "5 people meet 5.0 FTE: {:?}", stated.warnings);
    let short = scenario(&round_the_clock(4, "leave: 0.12, sickness: 0.04,"), "28d", "");
    assert_eq!(
        short.warnings.iter().map(|w| w.headline()).collect::<Vec<_>>(),
        [
            "rota.ron:4:78: team \"duty\" of CSIRT \"cert\" has 4 analysts for 1 seat on duty 168 h a week: that needs 5.0 FTE at 40 h a week with 16% absence, so it fills at most about 80% of its seat-hours"
        ]
    );
}

/// Pooled coverage over `seeds` replications, and its standard error from
/// the spread between replications.
fn pooled_coverage(s: &Arc<Scenario>, seeds: u64) -> (f64, f64) {
    let values: Vec<f64> = (1..=seeds).map(|seed| teams(s, seed)[0].coverage.expect("on duty")).collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn absences_leave_seats_empty_at_their_rate_unless_someone_else_can_step_in() {
    // One person on 09:00-17:00 weekdays, absent 20% of shifts: 80% covered.
    let one = r#"Team(analysts: 1, seats: 1, leave: 0.15, sickness: 0.05, shift: Hours(from: "09:00", to: "17:00", days: [Mon, Tue, Wed, Thu, Fri]))"#;
    let (mean, se) = pooled_coverage(&scenario(one, "180d", ""), 20);
    assert!((mean - 0.8).abs() < 3.0 * se, "coverage {mean} (se {se}), expected 0.8");
    // Two people for the seat: it is empty only when both are away, 4%.
    let two = one.replace("analysts: 1", "analysts: 2");
    let (mean, se) = pooled_coverage(&scenario(&two, "180d", ""), 20);
    assert!((mean - 0.96).abs() < 3.0 * se, "coverage {mean} (se {se}), expected 0.96");
    // A 24/7 seat of five people absent 16%: capacity after absences is
    // exactly the demand, so the rota cannot fill every seat-hour, but the
    // others step in often enough that more than 84% is filled.
    let (mean, se) = pooled_coverage(&scenario(&round_the_clock(5, "leave: 0.12, sickness: 0.04,"), "91d", ""), 10);
    assert!(mean > 0.84 + 3.0 * se && mean < 1.0, "coverage {mean} (se {se})");
}

#[test]
fn a_night_shift_runs_from_22_to_06_local_across_midnight_and_not_at_weekends() {
    let night = r#"Team(name: "night", analysts: 1, shift: Hours(from: "22:00", to: "06:00", days: [Mon, Tue, Wed, Thu, Fri]))"#;
    let s = scenario(night, "14d", "");
    let (_, log) = common::replicate_logged(&s, 1);
    let changes: Vec<(u64, bool)> = log
        .iter()
        .filter_map(|e| match e.event {
            LogEvent::ShiftChanged { on_duty, .. } => Some((e.time.as_secs(), on_duty)),
            _ => None,
        })
        .collect();
    // T+0 is Monday 06:00 local: Monday 22:00 is T+16h, Tuesday 06:00 T+24h.
    let day = 24 * HOUR;
    let mut expected = Vec::new();
    for week in 0..2 {
        for d in 0..5 {
            let start = week * 7 * day + d * day + 16 * HOUR;
            expected.push((start, true));
            expected.push((start + 8 * HOUR, false));
        }
    }
    assert_eq!(changes, expected, "Friday's shift ends Saturday 06:00; none starts on Saturday or Sunday");
}

#[test]
fn a_day_team_and_a_night_duty_officer_share_tier_one() {
    // Day 08:00-20:00 every day, night 20:00-08:00 every day: a report at any
    // hour is triaged at once by whichever is on.
    let both = r#"Team(name: "day", analysts: 2, shift: Hours(from: "08:00", to: "20:00")),
        Team(name: "night", analysts: 1, shift: Hours(from: "20:00", to: "08:00"))"#;
    let report = |id: &str, at: &str| {
        format!(
            r#"Inject(id: "{id}", at: "{at}", effects: [Report(incident_type: Malware, csirt: "cert", sop: "sop")])"#
        )
    };
    // T+20h is Tuesday 02:00 local (night); T+5d is Saturday 06:00 (night);
    // T+5d6h is Saturday 12:00 (day).
    let injects = [report("a", "20h"), report("b", "5d"), report("c", "5d6h")].join(", ");
    let s = scenario(both, "7d", &injects);
    let out = common::replicate(&s, 1);
    let waits: Vec<Option<u64>> = out.incidents.iter().map(|i| i.triage_wait().map(|w| w.as_secs())).collect();
    assert_eq!(waits, [Some(0), Some(0), Some(0)]);
    let summary = summarise(&s, &out);
    let names: Vec<&str> = summary.csirts[0].teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["day", "night"]);
    // Without the night team, the 02:00 report waits for 08:00: 6 h.
    let day_only =
        scenario(r#"Team(name: "day", analysts: 2, shift: Hours(from: "08:00", to: "20:00"))"#, "7d", &injects);
    assert_eq!(common::replicate(&day_only, 1).incidents[0].triage_wait().map(|w| w.as_secs()), Some(6 * HOUR));
}

#[test]
fn weekly_hours_keep_people_off_shifts_beyond_their_contract() {
    // Two people, 12-hour shifts round the clock (14 a week), 40 h each: at
    // most 3 shifts each (36 h), 6 of 14 filled. Exact with no absence.
    let team = r#"Team(analysts: 2, seats: 1, shift: Continuous(changes: ["06:00", "18:00"]))"#;
    let coverage = teams(&scenario(team, "28d", ""), 1)[0].coverage.expect("on duty");
    assert!((coverage - 6.0 / 14.0).abs() < 1e-9, "coverage {coverage}");
    // With 60 h a week each may work 5 shifts: 10 of 14 filled.
    let text =
        scenario_text(team, "28d", "").replacen("injects: [", r#"rules: Rules(hours_per_week: 60), injects: ["#, 1);
    let s = Arc::new(load_str("rota.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")));
    let coverage = teams(&s, 1)[0].coverage.expect("on duty");
    assert!((coverage - 10.0 / 14.0).abs() < 1e-9, "coverage {coverage}");
}

#[test]
fn minimum_rest_keeps_a_person_off_the_next_shift() {
    // One person, 8-hour shifts round the clock and no cap on hours (168 h):
    // after a shift they need 11 h off, so they skip the next two shifts (0 h
    // and 8 h off are not enough, 16 h is): one shift in three.
    let team = r#"Team(analysts: 1, seats: 1, shift: Continuous(changes: ["06:00", "14:00", "22:00"]))"#;
    let rules = |rest: &str| format!(r#"rules: Rules(hours_per_week: 168, min_rest: "{rest}"), injects: ["#);
    let with = |rest: &str| {
        let text = scenario_text(team, "28d", "").replacen("injects: [", &rules(rest), 1);
        Arc::new(load_str("rota.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
    };
    let coverage = teams(&with("11h"), 1)[0].coverage.expect("on duty");
    assert!((coverage - 1.0 / 3.0).abs() < 1e-9, "coverage {coverage}");
    // With 8 h of rest enough, one shift in two; with no rule, every shift.
    let coverage = teams(&with("8h"), 1)[0].coverage.expect("on duty");
    assert!((coverage - 0.5).abs() < 1e-9, "coverage {coverage}");
    let coverage = teams(&with("0s"), 1)[0].coverage.expect("on duty");
    assert!((coverage - 1.0).abs() < 1e-9, "coverage {coverage}");
}
