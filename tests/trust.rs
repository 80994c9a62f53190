//! Trust as state: each rule moves its relation by exactly the stated amount
//! (kept within 0 to 1), outreach is desk work that raises constituents' trust
//! only when an analyst gets to it, and the reporting share, warning uptake
//! and constituents' protection follow the trust in force when they are drawn.

use crate::common;

use common::{load_text, replicate, replicate_logged};
use std::sync::Arc;
use ttx::model::{LogEntry, LogEvent};
use ttx::scenario::{Relation, Scenario};
use ttx::score::summarise;

/// Every `trust_changed` of the log: (time, relation label, from, to, cause).
fn changes(s: &Scenario, log: &[LogEntry]) -> Vec<(u64, String, f64, f64, &'static str)> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::TrustChanged { relation, from, to, cause } => {
                Some((e.time.as_secs(), s.relation_label(*relation), *from, *to, cause.name()))
            }
            _ => None,
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn three_text(injects: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
                version: 1, name: "three", horizon: "10d",
                nations: [Nation(id: "na", name: "A", utc_offset: "+00:00"), Nation(id: "nb", name: "B", utc_offset: "+00:00"), Nation(id: "nr", name: "R", utc_offset: "+00:00")],
                csirts: [
                    Csirt(id: "a", nation: "na", kind: National, analysts: 2, regions: ["reg"], trust: 0.8),
                    Csirt(id: "b", nation: "nb", kind: National, analysts: 2, regions: ["reg"]),
                    Csirt(id: "r", nation: "nr", kind: National, analysts: 2, mandate: Regulator, trust: 0.6),
                ],
                coordination: Coordination(regional_trust: 0.7, indirect: None),
                injects: [{injects}],
                {extra}
            )"#
    )
}

/// Three CSIRTs: a and b in one regional body (regional trust 0.7), r a
/// regulator whose constituents trust it 0.6; `injects` and `extra` are added.
fn three(injects: &str, extra: &str) -> Arc<Scenario> {
    load_text("three.ron", &three_text(injects, extra))
}

#[test]
fn each_trust_rule_moves_its_relation_by_the_stated_amount() {
    let s = three(
        r#"Inject(id: "doubt", at: "1d", effects: [ChangeTrust(relation: Constituents("a"), by: -0.25)]),
           Inject(id: "drill", at: "2d", effects: [RegionalExercise(region: "reg")]),
           Inject(id: "cry-wolf", at: "3d", effects: [FalseWarning(csirt: "a")]),
           Inject(id: "fine", at: "4d", effects: [Enforcement(csirt: "r")]),
           Inject(id: "praise", at: "5d", effects: [ChangeTrust(relation: Peers("b", "a"), by: 0.9)])"#,
        "trust: TrustRules(exercise: 0.07, false_warning: 0.11, enforcement: 0.13),",
    );
    let (outcome, log) = replicate_logged(&s, 1);
    let got = changes(&s, &log);
    let expected: [(u64, &str, f64, f64, &str); 6] = [
        (86_400, "constituents:a", 0.8, 0.55, "stated"),
        (172_800, "peers:a+b", 0.7, 0.77, "exercise"),
        (259_200, "constituents:a", 0.55, 0.44, "false_warning"),
        (259_200, "peers:a+b", 0.77, 0.66, "false_warning"),
        (345_600, "constituents:r", 0.6, 0.47, "enforcement"),
        // Kept within 0 to 1.
        (432_000, "peers:a+b", 0.66, 1.0, "stated"),
    ];
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!((g.0, g.1.as_str(), g.4), (e.0, e.1, e.4), "{got:?}");
        assert!(close(g.2, e.2) && close(g.3, e.3), "{g:?} is not {e:?}");
    }
    // The outcome and summary.json carry the same trajectory.
    let a = outcome.trust.levels[&Relation::Constituents(ttx::scenario::CsirtId::new(0))].clone();
    assert!(close(a.start, 0.8) && close(a.now, 0.44) && a.changes.len() == 2);
    let summary = summarise(&s, &outcome);
    let peers = summary.trust.iter().find(|t| t.relation == "peers:a+b").expect("a and b share a region");
    assert!(close(peers.start, 0.7) && close(peers.end, 1.0) && close(peers.min, 0.66) && peers.changes == 3);
    // r reaches nobody (no region, no FIRST, no intermediary): no peer relation to move.
    let labels: Vec<&str> = summary.trust.iter().map(|t| t.relation.as_str()).collect();
    assert_eq!(labels, ["constituents:a", "constituents:b", "constituents:r", "peers:a+b"]);
}

#[test]
fn trust_between_csirts_that_cannot_reach_each_other_is_refused() {
    let text =
        three_text(r#"Inject(id: "i", at: "1d", effects: [ChangeTrust(relation: Peers("a", "r"), by: 0.1)])"#, "");
    let err = ttx::scenario::load_str("three.ron", &text, &[]).expect_err("no channel between a and r");
    let got: Vec<String> = err.0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        [
            "three.ron:10:85: inject \"i\" changes the trust between CSIRTs \"a\" and \"r\", which cannot reach each other (no shared region, not both FIRST members, and `coordination.indirect` is None)"
        ]
    );
}

#[test]
fn outreach_is_desk_work_that_builds_trust_only_when_someone_does_it() {
    let outreach = r#"services: [IncidentHandling, AwarenessBuilding],
        outreach: Outreach(every: "1d", effort: "3h", gain: 0.02)"#;
    let desk = |streams: &str| {
        load_text(
            "outreach.ron",
            &format!(
                r#"Scenario(version: 1, name: "outreach", horizon: "10d",
                    nations: [Nation(id: "n", name: "N", utc_offset: "+00:00")],
                    csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 1, sop: "ir", trust: 0.5, {outreach})],
                    sops: [Sop(id: "ir", steps: [Step(name: "handle", effort: Fixed("20h"))])],
                    streams: [{streams}])"#
            ),
        )
    };
    let quiet = desk("");
    let (outcome, log) = replicate_logged(&quiet, 1);
    let done = log.iter().filter(|e| matches!(e.event, LogEvent::OutreachDone { .. })).count();
    // Due at T+0, 1d, ..., 10d; the session due at the horizon ends after it.
    assert_eq!(done, 10);
    let summary = summarise(&quiet, &outcome);
    let c = &summary.csirts[0];
    assert_eq!(c.outreach_sessions, 11);
    assert!((c.outreach_hours - 30.0).abs() < 1e-9, "{} analyst-hours", c.outreach_hours);
    let t = &summary.trust[0];
    assert!(close(t.end, 0.5 + 10.0 * 0.02), "trust {}", t.end);

    // The same desk with 20 h incidents arriving twice a day: every session
    // waits in the Low lane behind them, most come due while the last still waits.
    let busy = desk(r#"IncidentStream(id: "s", incident_type: Phishing, csirt: "c", rate: "2/d", severity: High)"#);
    let (outcome, log) = replicate_logged(&busy, 1);
    let done = log.iter().filter(|e| matches!(e.event, LogEvent::OutreachDone { .. })).count();
    let missed = log.iter().filter(|e| matches!(e.event, LogEvent::OutreachMissed { .. })).count();
    assert!(done <= 3 && missed >= 6, "{done} done, {missed} missed");
    let t = &summarise(&busy, &outcome).trust[0];
    assert!(close(t.end, 0.5 + done as f64 * 0.02), "trust {} after {done} sessions", t.end);
}

#[test]
fn the_reporting_share_follows_the_constituents_trust_in_force() {
    // 100 incidents a day for 30 days, victims always notice: the share that
    // report is the trust at the time each occurs, 0.8 and then 0.4 from day 15.
    let s = load_text(
        "reporting.ron",
        r#"Scenario(version: 1, name: "reporting", horizon: "40d",
            nations: [Nation(id: "n", name: "N", utc_offset: "+00:00")],
            csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 50, sop: "ir", trust: 0.8)],
            sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("10m"))])],
            streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "c", rate: "100/d", limit: 3000,
                detection: Detection(victim: Fixed("1h")))],
            injects: [Inject(id: "leak", at: "15d", effects: [ChangeTrust(relation: Constituents("c"), by: -0.4)])])"#,
    );
    let (_, log) = replicate_logged(&s, 5);
    common::assert_known_share_before_after(&log, 15 * 86_400, [0.8, 0.4], 1_000.0);
}

/// An origin "o" whose CSIRT warns b's (both FIRST members, trust `first`);
/// b's constituents heed a warning with `constituent_trust` 0.8.
fn worm(first: f64, coordination: &str, injects: &str) -> Arc<Scenario> {
    load_text(
        "worm.ron",
        &format!(
            r#"Scenario(version: 1, name: "worm", horizon: "1d",
                nations: [Nation(id: "o", name: "O", utc_offset: "+00:00"), Nation(id: "b", name: "B", utc_offset: "+00:00")],
                csirts: [
                    Csirt(id: "o-cert", nation: "o", kind: National, analysts: 3, first_member: true,
                        services: [AlertsAndWarnings, IncidentHandling, IntrusionDetection]),
                    Csirt(id: "b-cert", nation: "b", kind: National, analysts: 3, first_member: true, tlp_discipline: 0.0),
                ],
                outbreaks: [Outbreak(id: "worm", origin: "o", start: "0s", initial_infected: 20, contact_rate: "1.8/h",
                    local_preference: 0.99, tick: "1m", detection_threshold: 0.01,
                    populations: [Population(nation: "o", vulnerable: 20000), Population(nation: "b", vulnerable: 100000)])],
                coordination: Coordination(direct: "10m", call_effort: "5m", first_trust: {first},
                    constituent_trust: 0.8, warning_protection: 0.9, preparation: "1h", {coordination}),
                injects: [{injects}])"#
        ),
    )
}

#[test]
fn warning_uptake_follows_the_peers_trust_in_force() {
    // Trust 0.9 falls to 0.35 before the outbreak is noticed: over 400 seeds
    // the share of warnings acted on is 0.35, not the channel's 0.9.
    let s = worm(
        0.9,
        "",
        r#"Inject(id: "row", at: "0s", effects: [ChangeTrust(relation: Peers("o-cert", "b-cert"), by: -0.55)])"#,
    );
    let (mut acted, mut doubted) = (0u32, 0u32);
    for seed in 1..=400 {
        let (_, log) = replicate_logged(&s, seed);
        for e in &log {
            match e.event {
                LogEvent::WarningReceived { .. } => acted += 1,
                LogEvent::WarningDoubted { .. } => doubted += 1,
                _ => {}
            }
        }
    }
    let n = f64::from(acted + doubted);
    let (p, share) = (0.35, f64::from(acted) / n);
    let se = (p * (1.0 - p) / n).sqrt();
    assert!(n == 400.0 && (share - p).abs() < 3.0 * se, "{share:.4} of {n} acted on, expected {p} (se {se:.4})");
}

#[test]
fn a_useful_warning_raises_and_a_tlp_breach_lowers_the_peers_trust() {
    // Under TLP:RED, b (discipline 0) passes the warning on anyway: +0.05 for a
    // warning acted on before b noticed the worm, then -0.15 for the breach.
    let s = worm(0.9, "warning_tlp: Red", "");
    let (_, log) = replicate_logged(&s, 3);
    let got = changes(&s, &log);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].1.as_str(), got[0].4), ("peers:o-cert+b-cert", "useful_warning"));
    assert!(close(got[0].2, 0.9) && close(got[0].3, 0.95), "{got:?}");
    assert_eq!(got[1].4, "tlp_breach");
    assert!(close(got[1].2, 0.95) && close(got[1].3, 0.80), "{got:?}");
    assert_eq!(got[0].0, got[1].0, "both when the warning arrives");
}

#[test]
fn constituents_heed_warnings_by_as_much_as_their_trust_has_moved() {
    // constituent_trust 0.8 moved by -0.5: 0.3 of b's constituents act, so the
    // share of susceptible hosts protected is 0.9 x 0.3 = 0.27 (binomial over
    // about 100,000 hosts).
    let s = worm(
        1.0,
        "",
        r#"Inject(id: "scandal", at: "0s", effects: [ChangeTrust(relation: Constituents("b-cert"), by: -0.5)])"#,
    );
    let outcome = replicate(&s, 2);
    let state = &outcome.outbreaks[0];
    let at = state.protected_at[1].expect("b protects itself");
    let infected = state.series.iter().take_while(|(t, _)| *t <= at).last().map_or(0, |(_, i)| i[1]);
    let susceptible = (100_000 - infected) as f64;
    let (p, share) = (0.27, state.protected[1] as f64 / susceptible);
    let se = (p * (1.0 - p) / susceptible).sqrt();
    assert!((share - p).abs() < 3.0 * se, "{share:.4} protected, expected {p} (se {se:.4})");
}
