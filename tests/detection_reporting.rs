//! Detection and reporting: who notices, whether and when victims report, what the
//! CSIRT's feeds find, and ground truth kept apart from what the CSIRT knows.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{Detector, Outcome};
use ttx::scenario::{Override, Scenario, load_str};
use ttx::score::mean;

const DAY: f64 = 86_400.0;

fn scenario(nation: &str, csirt: &str, detection: &str, target: &str) -> Arc<Scenario> {
    let text = scenario_text(nation, csirt, detection, target);
    Arc::new(load_str("reporting.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn scenario_text(nation: &str, csirt: &str, detection: &str, target: &str) -> String {
    format!(
        r#"Scenario(
            version: 1, name: "reporting", horizon: "40d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00", {nation})],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 50, sop: "ir", {csirt})],
            sectors: [Sector(id: "ports", nation: "kv")],
            assets: [Asset(id: "port", sector: "ports")],
            sops: [Sop(id: "ir", steps: [
                Step(name: "triage", effort: Fixed("10m")),
                Step(name: "contain", effort: Fixed("1h"), phase: Containment),
            ])],
            streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "cert", rate: "100/d", limit: 3000,
                detection: Detection({detection}) {target})],
        )"#
    )
}

fn run(s: &Arc<Scenario>) -> Outcome {
    common::replicate(s, 11)
}

/// Share of the 3,000 incidents the CSIRT learned of, checked against `p` within
/// three standard errors.
fn assert_known_share(o: &Outcome, p: f64, what: &str) {
    let n = (o.incidents.len() + o.unknown_incidents.len()) as f64;
    assert_eq!(n, 3_000.0);
    let share = o.incidents.len() as f64 / n;
    let se = (p * (1.0 - p) / n).sqrt();
    assert!((share - p).abs() < 3.0 * se, "{what}: {share:.4} known, expected {p} (se {se:.4})");
}

const VICTIM_ONLY: &str = r#"victim: Fixed("2d")"#;

#[test]
fn whether_victims_report_follows_trust_mandate_and_the_regulator_role() {
    assert_known_share(&run(&scenario("", "trust: 0.6", VICTIM_ONLY, "")), 0.6, "trust 0.6");
    assert_known_share(
        &run(&scenario("mandatory_reporting: true", "mandate: Legal, trust: 0.6", VICTIM_ONLY, "")),
        0.95,
        "mandatory reporting",
    );
    assert_known_share(&run(&scenario("", "mandate: Regulator, trust: 0.6", VICTIM_ONLY, "")), 0.3, "regulator");
    // The compliance with the law is a rule a scenario may state (`rules`).
    let stated = Override::new("rules", "Rules(mandated_compliance: 0.8)");
    let text = scenario_text("mandatory_reporting: true", "mandate: Legal, trust: 0.6", VICTIM_ONLY, "");
    let s = Arc::new(load_str("reporting.ron", &text, &[stated]).unwrap_or_else(|d| panic!("{d}")));
    assert_known_share(&run(&s), 0.8, "mandatory reporting at a stated compliance of 0.8");
    // A law without a mandate behind the CSIRT does not oblige anyone to it.
    assert_known_share(
        &run(&scenario("mandatory_reporting: true", "trust: 0.6", VICTIM_ONLY, "")),
        0.6,
        "law, no mandate",
    );
}

#[test]
fn legal_review_delays_reports_and_a_deadline_caps_them() {
    let delays =
        |o: &Outcome| o.incidents.iter().map(|i| (i.reported - i.detected).as_secs_f64() / DAY).collect::<Vec<_>>();
    // Exponential legal review with a mean of 1 day.
    let free = delays(&run(&scenario("", "trust: 1.0", VICTIM_ONLY, "")));
    let se = 1.0 / (free.len() as f64).sqrt();
    assert!((mean(&free) - 1.0).abs() < 3.0 * se, "mean legal review {:.3} d", mean(&free));
    // Mandatory reporting within 24 h: E[min(Exp(1 d), 1 d)] = 1 - 1/e = 0.632 d.
    let capped = delays(&run(&scenario(
        "mandatory_reporting: true",
        r#"mandate: Legal, reporting_deadline: "24h""#,
        VICTIM_ONLY,
        "",
    )));
    assert!(capped.iter().all(|d| *d <= 1.0));
    assert!((mean(&capped) - (1.0 - (-1.0f64).exp())).abs() < 0.02, "mean {:.3} d", mean(&capped));
}

#[test]
fn better_feeds_find_more_incidents_first() {
    // Victims notice after 3 days and never report; the CSIRT's feeds see an
    // incident after 1 hour with probability `feed_quality`.
    let with_feeds = |q: &str| {
        run(&scenario("", "trust: 0.0", &format!(r#"victim: Fixed("3d"), feeds: Fixed("1h"), feed_quality: {q}"#), ""))
    };
    for (q, p) in [("0.5", 0.5), ("0.9", 0.9)] {
        let o = with_feeds(q);
        assert_known_share(&o, p, &format!("feed quality {q}"));
        assert!(
            o.incidents.iter().all(|i| i.detected_by == Detector::Feeds && (i.reported - i.occurred).secs() == 3_600)
        );
    }
    // Without intrusion detection the feeds are not watched.
    let blind = run(&scenario(
        "",
        "trust: 0.0, services: [AlertsAndWarnings, IncidentHandling]",
        r#"victim: Fixed("3d"), feeds: Fixed("1h"), feed_quality: 0.9"#,
        "",
    ));
    assert_eq!(blind.incidents.len(), 0);
}

#[test]
fn ground_truth_is_kept_apart_from_what_the_csirt_knows() {
    // Nobody reports and there are no feeds: the CSIRT knows nothing, yet the port
    // suffers from every incident until its owner has recovered alone (noticed
    // after 1 day, recovered 3 days later by default).
    let s = scenario("", "trust: 0.0", r#"victim: Fixed("1d")"#, r#", target: Target(asset: "port", level: 0.5)"#);
    let o = run(&s);
    assert_eq!((o.incidents.len(), o.unknown_incidents.len()), (0, 3_000));
    assert!(o.unknown_incidents.iter().all(|u| (u.detected - u.occurred).secs() == 86_400));
    assert!(o.assets[0].lost_s > 0.0 && o.desks[0].totals.steps_started == 0);
}

#[test]
fn anonymous_reports_get_advice_but_no_containment() {
    let s = scenario("", r#"trust: 1.0, anonymous_share: 1.0, legal_review: Fixed("0s")"#, VICTIM_ONLY, "");
    let o = run(&s);
    assert!(o.incidents.iter().all(|i| i.anonymous));
    assert!(o.incidents.iter().all(|i| i.steps[0].finished.is_some() && i.steps[1].skipped));
}
