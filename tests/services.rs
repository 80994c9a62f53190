//! Services: a CSIRT without incident handling warns but does not contain; one
//! without alerts and warnings does not warn; one without intrusion detection
//! notices an outbreak later.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::Outcome;
use ttx::scenario::{Phase, Scenario, load_str};
use ttx::score::{phase_end, summarise};

fn scenario(services: &str, extra: &str) -> Arc<Scenario> {
    let text = format!(
        r#"Scenario(
            version: 1, name: "services", horizon: "10d",
            nations: [Nation(id: "or", name: "Oronde", utc_offset: "+01:00"), Nation(id: "bt", name: "Baltra", utc_offset: "+01:00")],
            csirts: [
                Csirt(id: "or-cert", nation: "or", kind: National, analysts: 5, sop: "ir", first_member: true, {services} unassisted_recovery: "4d"),
                Csirt(id: "bt-cert", nation: "bt", kind: National, analysts: 5, sop: "ir", first_member: true),
            ],
            sectors: [Sector(id: "ports", nation: "or")],
            assets: [Asset(id: "port", sector: "ports")],
            sops: [Sop(id: "ir", steps: [
                Step(name: "triage", effort: Fixed("1h")),
                Step(name: "contain", effort: Fixed("2h"), phase: Containment),
                Step(name: "recover", effort: Fixed("5h"), phase: Recovery),
                Step(name: "lessons", effort: Fixed("1h"), phase: PostIncident),
            ])],
            {extra}
        )"#
    );
    Arc::new(load_str("services.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn run(s: &Arc<Scenario>) -> Outcome {
    common::replicate(s, 1)
}

const RANSOMWARE: &str = r#"injects: [Inject(id: "ransom", at: "1d", effects: [Report(incident_type: Ransomware, csirt: "or-cert", target: Target(asset: "port", level: 0.2))])],"#;

#[test]
fn without_incident_handling_a_csirt_advises_but_the_victim_recovers_alone() {
    let full = scenario("", RANSOMWARE);
    let alerts_only = scenario("services: [AlertsAndWarnings],", RANSOMWARE);
    let day = 86_400;
    let (fo, ao) = (run(&full), run(&alerts_only));
    let (f, a) = (summarise(&full, &fo), summarise(&alerts_only, &ao));
    // Full handling: triage 1 h, contain 2 h, recover 5 h: the port is back at T+1d8h.
    assert_eq!((phase_end(&full, &fo.incidents[0], Phase::Containment)).secs(), Some(day + 3 * 3_600));
    assert_eq!((phase_end(&full, &fo.incidents[0], Phase::Recovery)).secs(), Some(day + 8 * 3_600));
    assert!((f.assets[0].service_hours_lost - 0.8 * 8.0).abs() < 1e-9);
    // Alerts only: triage and lessons are done, containment and recovery are not;
    // the port recovers on its own after 4 days.
    assert_eq!(phase_end(&alerts_only, &ao.incidents[0], Phase::Containment), None);
    assert_eq!(ao.incidents[0].closed.secs(), Some(day + 2 * 3_600), "closed after triage and lessons");
    let steps = &run(&alerts_only).incidents[0].steps;
    assert_eq!(steps.iter().map(|s| s.skipped).collect::<Vec<_>>(), vec![false, true, true, false]);
    assert!((a.assets[0].service_hours_lost - 0.8 * 96.0).abs() < 1e-9);
}

const WORM: &str = r#"outbreaks: [Outbreak(id: "w", origin: "or", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 0.99,
    populations: [Population(nation: "or", vulnerable: 50000), Population(nation: "bt", vulnerable: 50000)])],"#;

#[test]
fn without_alerts_and_warnings_nobody_is_warned() {
    let warns = run(&scenario("", WORM));
    let silent = run(&scenario("services: [IncidentHandling, IntrusionDetection],", WORM));
    assert!(warns.outbreaks[0].warned_at[1].is_some());
    assert_eq!(silent.outbreaks[0].warned_at[1], None);
}

#[test]
fn without_intrusion_detection_an_outbreak_is_noticed_at_ten_times_the_spread() {
    // Infections grow by e^{1.8 t}: ten times the share takes ln(10)/1.8 = 1.28 h more.
    let sensors = run(&scenario("", WORM)).outbreaks[0].detected_at[0].unwrap().as_secs_f64();
    let none = run(&scenario("services: [AlertsAndWarnings, IncidentHandling],", WORM)).outbreaks[0].detected_at[0]
        .unwrap()
        .as_secs_f64();
    let lag_h = (none - sensors) / 3_600.0;
    assert!((lag_h - 10f64.ln() / 1.8).abs() < 0.25, "detected {lag_h:.2} h later");
    // A scenario that judges victims' reports a better substitute states a
    // smaller factor (`rules.unsensed_detection_factor`): 3 x is ln(3)/1.8 = 0.61 h.
    let stated = format!("{WORM} rules: Rules(unsensed_detection_factor: 3.0),");
    let three = run(&scenario("services: [AlertsAndWarnings, IncidentHandling],", &stated)).outbreaks[0].detected_at[0]
        .unwrap()
        .as_secs_f64();
    let lag_h = (three - sensors) / 3_600.0;
    assert!((lag_h - 3f64.ln() / 1.8).abs() < 0.25, "detected {lag_h:.2} h later at 3 x");
}

/// One CSIRT with ample staff and a background stream of 10 a day (30 min
/// each) over 60 days; `training` added to it.
fn trained(training: &str) -> Arc<Scenario> {
    common::load_text(
        "training.ron",
        &format!(
            r#"Scenario(
                version: 1, name: "training", horizon: "60d",
                nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
                csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 5, sop: "triage",
                    services: [IncidentHandling, EducationTraining] {training})],
                sops: [Sop(id: "triage", steps: [Step(name: "triage", effort: Fixed("30m"))])],
                streams: [IncidentStream(id: "phishing", incident_type: Phishing, csirt: "or-cert", rate: "10/d")],
            )"#
        ),
    )
}

#[test]
fn training_makes_incidents_rarer_by_its_stated_share_and_costs_desk_time() {
    // A session every 10 days, 8 h of an analyst, each lowering the rate by
    // 20% down to half: the factor is 1 until 8 h, then 0.8, 0.64, 0.512 and
    // 0.5 from day 30 8 h on. Expected incidents in 60 days:
    // 10 x (1/3 + 0.8 x 10 + 0.64 x 10 + 0.512 x 10 + 0.5 x 29.667) = 346.9,
    // against 600 without.
    let with = trained(r#", training: Training(every: "10d", effort: "8h", reduction: 0.2, floor: 0.5)"#);
    let without = trained("");
    let (o, log) = common::replicate_logged(&with, 1);
    let done: Vec<(u64, f64)> = log
        .iter()
        .filter_map(|e| match &e.event {
            ttx::model::LogEvent::ProgrammeDone { factor, .. } => Some((e.time.as_secs(), *factor)),
            _ => None,
        })
        .collect();
    let day = 86_400;
    let at: Vec<u64> = done.iter().map(|d| d.0).collect();
    assert_eq!(at, (0..6).map(|k| k * 10 * day + 8 * 3_600).collect::<Vec<_>>());
    let factors: Vec<f64> = done.iter().map(|d| d.1).collect();
    for (f, expected) in factors.iter().zip([0.8, 0.64, 0.512, 0.5, 0.5, 0.5]) {
        assert!((f - expected).abs() < 1e-12, "{factors:?}");
    }
    // Its effort is desk time: six sessions of 8 h in the window (a seventh
    // starts at the horizon, day 60, outside it).
    let summary = summarise(&with, &o);
    let training = &summary.csirts[0].programmes[0];
    assert_eq!((training.service, training.sessions), (ttx::scenario::Service::EducationTraining, 6));
    assert!((training.hours - 48.0).abs() < 1e-9, "{}", training.hours);
    assert!((training.factor_at_end - 0.5).abs() < 1e-12);
    // Paired over 40 seeds: the same arrivals, thinned (happened + prevented
    // = without training), and the mean within 3 SE of 346.9.
    let prevented = |log: &[ttx::model::LogEntry]| {
        log.iter().filter(|e| matches!(e.event, ttx::model::LogEvent::IncidentPrevented { .. })).count()
    };
    let counts: Vec<f64> = (1..41)
        .map(|seed| {
            let (a, la) = common::replicate_logged(&with, seed);
            let b = common::replicate(&without, seed);
            assert_eq!(a.incidents.len() + prevented(&la), b.incidents.len(), "seed {seed}");
            a.incidents.len() as f64
        })
        .collect();
    let n = counts.len() as f64;
    let mean = counts.iter().sum::<f64>() / n;
    let sd = (counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let expected = 10.0 * (1.0 / 3.0 + 8.0 + 6.4 + 5.12 + 0.5 * (30.0 - 1.0 / 3.0));
    assert!((mean - expected).abs() < 3.0 * sd / n.sqrt(), "{mean:.1} vs {expected:.1} (sd {sd:.1})");
}

#[test]
fn training_without_its_service_is_refused_at_its_position() {
    let text = format!(
        r#"Scenario(version: 1, name: "t", horizon: "10d",
    nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
    csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 5, sop: "s", {})],
    sops: [Sop(id: "s", steps: [Step(name: "s", effort: Fixed("30m"))])],
)"#,
        r#"training: Training(every: "10d", effort: "8h", reduction: 0.2)"#
    );
    let e = load_str("t.ron", &text, &[]).unwrap_err().to_string();
    assert!(e.contains("t.ron:3:"), "{e}");
    assert!(e.contains("gives training sessions but does not offer EducationTraining; add it to `services`"), "{e}");
    let short = text
        .replace(r#"effort: "8h""#, r#"effort: "10m""#)
        .replace("sop: \"s\",", "sop: \"s\", services: [EducationTraining],");
    let e = load_str("t.ron", &short, &[]).unwrap_err().to_string();
    assert!(e.contains("must be at least 1h, found 10m"), "{e}");
}
