//! Scores and objective ratings, on runs whose every time is known in advance.
//!
//! Fixture: five incidents reported at T+0 to a CSIRT with one analyst around the
//! clock; each needs triage (1 h) then containment (1 h), served in order of
//! queueing. Triage starts at 0, 1, 2, 3 and 4 h; containments end at 6, 7, 8, 9
//! and 10 h. An outage holds the port at 0 from T+1h to T+7h; the run ends with the
//! last event at T+10h, which is also the end of the exercise window scored.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{LogEntry, Outcome, Replication};
use ttx::scenario::{Scenario, load_str};
use ttx::score::{Rating, RunSummary, summarise};

fn fixture(objectives: &str, extra: &str) -> Arc<Scenario> {
    let report = r#"Report(incident_type: Intrusion, csirt: "cert")"#;
    let text = format!(
        r#"Scenario(
            version: 1, name: "scores", horizon: "1d", window: "10h",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1, sop: "ir")],
            sectors: [Sector(id: "ports", nation: "kv")],
            assets: [Asset(id: "port", sector: "ports", criticality: 3)],
            sops: [Sop(id: "ir", steps: [
                Step(name: "triage", effort: Fixed("1h")),
                Step(name: "contain", effort: Fixed("1h"), phase: Containment),
            ])],
            injects: [
                Inject(id: "wave", at: "0s", effects: [{report}, {report}, {report}, {report}, {report}]),
                Inject(id: "cut", at: "1h", effects: [Outage(asset: "port", level: 0.0, duration: "6h")]),
            ],
            objectives: [{objectives}],
            {extra}
        )"#
    );
    Arc::new(load_str("scores.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn outcome(s: &Arc<Scenario>) -> Outcome {
    common::replicate(s, 1)
}

fn summary(s: &Arc<Scenario>) -> RunSummary {
    summarise(s, &outcome(s))
}

const OBJECTIVES: &str = r#"
    Objective(id: "triage-exact", measure: Triaged(within: "2h"), target: 0.6),
    Objective(id: "triage-some", measure: Triaged(within: "2h"), target: 0.7),
    Objective(id: "contain-major", measure: Contained(within: "6h"), target: 0.4),
    Objective(id: "contain-unable", measure: Contained(within: "6h"), target: 1.0),
    Objective(id: "recover", measure: Recovered(within: "1d")),
    Objective(id: "port", measure: ServiceKept(asset: "port", level: 0.5), target: 0.4),
"#;

#[test]
fn objectives_are_rated_by_their_thresholds() {
    let s = summary(&fixture(OBJECTIVES, ""));
    assert_eq!(s.end_s.secs(), 36_000, "the last containment ends at T+10h");
    let got: Vec<(&str, usize, usize, Option<f64>, Rating)> =
        s.objectives.iter().map(|o| (o.id.as_str(), o.cases, o.met, o.value, o.rating)).collect();
    assert_eq!(
        got,
        vec![
            // Triage starts at 0, 1, 2 h within 2 h: 3 of 5 = 0.6 >= 0.6.
            ("triage-exact", 5, 3, Some(0.6), Rating::P),
            // 0.6 >= 0.8 x 0.7 = 0.56.
            ("triage-some", 5, 3, Some(0.6), Rating::S),
            // Contained 6 h after the report: only the first, 0.2 >= 0.5 x 0.4.
            ("contain-major", 5, 1, Some(0.2), Rating::M),
            ("contain-unable", 5, 1, Some(0.2), Rating::U),
            // The SOP has no recovery step: nothing to measure.
            ("recover", 0, 0, None, Rating::NotApplicable),
            // The port is down from 1 h to 7 h of a 10 h run: kept 40% of it.
            ("port", 1, 0, Some(0.4), Rating::P),
        ]
    );
    assert_eq!(s.objectives[2].evidence, "1 of 5 incidents contained within 6h of the report (20%; target 40%)");
}

#[test]
fn the_overall_score_is_the_weighted_mean_of_the_components_that_apply() {
    let s = summary(&fixture(OBJECTIVES, ""));
    let components: Vec<(&str, Option<f64>)> = s.overall.components.iter().map(|c| (c.name, c.score)).collect();
    let objectives = (100.0 + 200.0 / 3.0 + 100.0 / 3.0 + 0.0 + 100.0) / 5.0;
    // The port (criticality 3) lost 6 of 10 hours. Of the ten steps, the triages
    // started at 0-3 h are within 3 h of queueing; the one at 4 h and every
    // containment (queued at 1-5 h, started 4 h later) are late: 4 of 10 on time.
    let expected = [
        ("objectives", Some(objectives)),
        ("detection", Some(100.0)),
        ("response", Some(100.0)),
        ("impact", Some(40.0)),
        ("coordination", None),
        ("workload", Some(40.0)),
    ];
    for ((name, got), (want_name, want)) in components.iter().zip(expected) {
        assert_eq!(*name, want_name);
        match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{name}: {g} vs {w}"),
            (g, w) => assert_eq!(*g, w, "{name}"),
        }
    }
    let overall = (2.0 * objectives + 100.0 + 100.0 + 40.0 + 40.0) / 6.0;
    // The desk was behind (a step waiting) from T+0 until the last containment
    // started at T+9h: 90% of the window.
    assert!((s.csirts[0].share_behind - 0.9).abs() < 1e-12);
    assert!((s.overall.score.unwrap() - overall).abs() < 1e-9);
    // Weights from the scenario: impact alone.
    let weights = "score_weights: ScoreWeights(objectives: 0, detection: 0, response: 0, workload: 0),";
    let only_impact = summary(&fixture(OBJECTIVES, weights));
    assert!((only_impact.overall.score.unwrap() - 40.0).abs() < 1e-9);
}

#[test]
fn bad_objectives_are_reported_with_positions() {
    let text = r#"Scenario(version: 1, name: "t", horizon: "1d",
  nations: [Nation(id: "kv", name: "K", utc_offset: "+12:00")],
  csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1)],
  objectives: [Objective(id: "a", measure: Triaged(within: "soon", csirt: "cret"), target: 1.5, some: 0.4, major: 0.6)],
  score_weights: ScoreWeights(impact: -1),
)"#;
    let got: Vec<String> = load_str("t.ron", text, &[]).expect_err("invalid").0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        vec![
            "t.ron:4:60: malformed duration \"soon\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (time limit of objective \"a\")",
            "t.ron:4:75: unknown CSIRT \"cret\" in objective \"a\"; expected one of: cert",
            "t.ron:4:92: the target of objective \"a\" must be above 0 and at most 1, found 1.5",
            "t.ron:4:103: objective \"a\" needs 0 < major <= some <= 1 (shares of the target), found some 0.4 and major 0.6",
            "t.ron:5:39: the weight of impact in the overall score must be 0 or more, found -1",
        ]
    );
}

/// cable -> payments -> tourism, and a harbour on its own.
fn chain() -> Arc<Scenario> {
    let text = r#"Scenario(
        version: 1, name: "chain", horizon: "2d",
        nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
        csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1, sop: "ir")],
        sectors: [Sector(id: "infra", nation: "kv")],
        assets: [
            Asset(id: "cable", sector: "infra", criticality: 5),
            Asset(id: "payments", sector: "infra", depends_on: [Dependency(asset: "cable", weight: 1.0)]),
            Asset(id: "tourism", sector: "infra", depends_on: [Dependency(asset: "payments", weight: 0.5)]),
            Asset(id: "harbour", sector: "infra"),
        ],
        sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("1h"))])],
        injects: [
            Inject(id: "cut", at: "1h", effects: [Outage(asset: "cable", level: 0.0, duration: "10h")]),
            Inject(id: "storm", at: "20h", effects: [Outage(asset: "harbour", level: 0.5, duration: "2h")]),
        ],
    )"#;
    Arc::new(load_str("chain.ron", text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

#[test]
fn impact_counts_the_peak_of_degraded_assets_and_the_depth_of_the_cascade() {
    let s = chain();
    let summary = summarise(&s, &outcome(&s));
    let i = &summary.impact;
    assert_eq!((i.peak_assets_degraded, i.peak_at_s, i.cascade_depth).secs(), (3, Some(3_600), 2));
    // 10 h lost by cable and payments, 5 by tourism (weight 0.5), 1 by the harbour.
    assert!((i.service_hours_lost - 26.0).abs() < 1e-9, "{}", i.service_hours_lost);
    // Criticality: cable 5, the others the default 3.
    assert!((i.weighted_service_hours_lost - (50.0 + 30.0 + 15.0 + 3.0)).abs() < 1e-9);
}

#[test]
fn awareness_compares_what_a_csirt_knew_with_what_happened() {
    // Every incident is seen by the CSIRT's feeds exactly 1 h after it happens
    // (victims never report): 100 incidents a day, so at any time the CSIRT does not
    // yet know about the last hour's ~4; on average it knows 1 - 1h/age of what
    // happened. Over 20 days the time-average is close to 1 but below it.
    let text = r#"Scenario(
        version: 1, name: "aware", horizon: "20d",
        nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
        csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 20, sop: "ir", trust: 0.0)],
        sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("10m"))])],
        streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "cert", rate: "100/d",
            detection: Detection(victim: Fixed("3d"), feeds: Fixed("1h"), feed_quality: 1.0))],
    )"#;
    let s = Arc::new(load_str("aware.ron", text, &[]).unwrap());
    let summary = summarise(&s, &outcome(&s));
    let a = &summary.coordination.awareness[0];
    assert_eq!(a.occurred, summary.incidents.occurred);
    assert!(a.occurred - a.known <= 15, "only the last hour's incidents are unknown: {} of {}", a.known, a.occurred);
    let share = a.mean_known_share.unwrap();
    assert!(share > 0.9 && share < 1.0, "time-average known share {share}");
}

#[test]
fn sampling_a_run_does_not_change_it() {
    let s = Arc::new(ttx::scenario::load_file(std::path::Path::new("scenarios/island-cable-cut.ron"), &[]).unwrap());
    let plain = {
        let mut log: Vec<LogEntry> = Vec::new();
        let mut r = Replication::new(s.clone(), 3, 10_000_000, &mut log);
        r.run_to_horizon().unwrap();
        let end = r.finish().0.end_time;
        (log, end)
    };
    let mut samples = Vec::new();
    let sampled = {
        let mut log: Vec<LogEntry> = Vec::new();
        let mut r = Replication::new(s.clone(), 3, 10_000_000, &mut log);
        r.run_sampled(ttx::engine::SimDuration::from_secs(1_800), |x| samples.push(x)).unwrap();
        let end = r.finish().0.end_time;
        (log, end)
    };
    assert_eq!(plain, sampled);
    assert_eq!(samples.len(), 7 * 48 + 1, "T+0, every 30 min, and the horizon");
    assert!(samples.windows(2).all(|w| (w[1].time - w[0].time).secs() == 1_800));
}
