//! Sectors, assets and the dependency graph: service levels follow the stated
//! rule at stated times, buffers hold, recovery restores dependants, cycles are
//! rejected, and incidents degrade their target until recovered.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::Outcome;
use ttx::scenario::{Phase, Scenario, load_str};
use ttx::score::{phase_end, summarise};

const HOUR: u64 = 3_600;

/// An island: the submarine cable, card payments that need it wholly, the power
/// grid, the harbour (60% power with an 8 h generator, 40% its port systems), and
/// tourism (50% cable, 30% card payments, 20% harbour).
const ISLAND_ASSETS: &str = r#"
    sectors: [
        Sector(id: "telecom", nation: "kv", critical: true),
        Sector(id: "finance", nation: "kv"),
        Sector(id: "energy", nation: "kv", critical: true),
        Sector(id: "maritime", nation: "kv", critical: true),
        Sector(id: "tourism", nation: "kv", critical: true),
    ],
    assets: [
        Asset(id: "cable", sector: "telecom", criticality: 5, cost_per_hour: 10000.0),
        Asset(id: "payments", sector: "finance", depends_on: [Dependency(asset: "cable", weight: 1.0)]),
        Asset(id: "power", sector: "energy", criticality: 5),
        Asset(id: "port-it", sector: "maritime"),
        Asset(id: "harbour", sector: "maritime", criticality: 5, cost_per_hour: 2000.0, depends_on: [
            Dependency(asset: "power", weight: 0.6, buffer: "8h", recovery_delay: "2h"),
            Dependency(asset: "port-it", weight: 0.4),
        ]),
        Asset(id: "tourism", sector: "tourism", criticality: 4, cost_per_hour: 5000.0, depends_on: [
            Dependency(asset: "cable", weight: 0.5),
            Dependency(asset: "payments", weight: 0.3),
            Dependency(asset: "harbour", weight: 0.2),
        ]),
    ],"#;

fn island(injects: &str, extra_sop: &str) -> Arc<Scenario> {
    let text = format!(
        r#"Scenario(
            version: 1, name: "island", horizon: "10d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 2)],
            {ISLAND_ASSETS}
            sops: [Sop(id: "ir", steps: [
                Step(name: "analyse", effort: Fixed("2h")),
                Step(name: "contain", effort: Fixed("4h"), phase: Containment),
                Step(name: "restore", effort: Fixed("6h"), phase: Recovery),
                Step(name: "lessons", effort: Fixed("1h"), phase: PostIncident),
            ]){extra_sop}],
            injects: [{injects}],
        )"#
    );
    Arc::new(load_str("island.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn run(s: Arc<Scenario>) -> Outcome {
    common::replicate(&s, 1)
}

/// Level of asset `id` at time `t` from its recorded history.
fn level_at(s: &Scenario, o: &Outcome, id: &str, t: u64) -> f64 {
    let i = s.assets.iter().position(|a| a.id == id).unwrap();
    o.assets[i].history.iter().take_while(|(at, _)| at.as_secs() <= t).last().unwrap().1
}

const CABLE_CUT: &str = r#"Inject(id: "cut", at: "1d", text: "Anchor drag cuts the cable", effects: [Outage(asset: "cable", level: 0.0, duration: "3d")])"#;

#[test]
fn a_cable_cut_cascades_to_tourism_by_the_weighted_rule() {
    let s = island(CABLE_CUT, "");
    let o = run(s.clone());
    let day = 24 * HOUR;
    assert_eq!(level_at(&s, &o, "tourism", day - 1), 1.0);
    assert_eq!(level_at(&s, &o, "cable", day), 0.0);
    assert_eq!(level_at(&s, &o, "payments", day), 0.0, "payments need the cable wholly");
    // tourism = 1 - 0.5 (cable) - 0.3 (payments) = 0.2, the harbour untouched
    assert!((level_at(&s, &o, "tourism", day) - 0.2).abs() < 1e-12);
    assert_eq!(level_at(&s, &o, "harbour", day), 1.0);
    // repaired after 3 days: everything back
    assert_eq!(level_at(&s, &o, "tourism", 4 * day), 1.0);
    let summary = summarise(&s, &o);
    let tourism = summary.assets.iter().find(|a| a.id == "tourism").unwrap();
    assert!((tourism.service_hours_lost - 0.8 * 72.0).abs() < 1e-9);
    assert!((tourism.cost - 0.8 * 72.0 * 5000.0).abs() < 1e-6);
    assert_eq!(tourism.hours_degraded, 72.0);
}

#[test]
fn a_generator_holds_the_harbour_for_its_buffer_then_recovery_takes_its_delay() {
    // Power out for 12 h from T+1d: the harbour holds 8 h, then drops to 0.4 for the
    // last 4 h of the outage, and comes back 2 h after power returns.
    let outage = r#"Inject(id: "blackout", at: "1d", effects: [Outage(asset: "power", level: 0.0, duration: "12h")])"#;
    let s = island(outage, "");
    let o = run(s.clone());
    let t0 = 24 * HOUR;
    assert_eq!(level_at(&s, &o, "harbour", t0 + 8 * HOUR - 1), 1.0, "generator holds");
    assert!((level_at(&s, &o, "harbour", t0 + 8 * HOUR) - 0.4).abs() < 1e-12);
    assert!((level_at(&s, &o, "harbour", t0 + 14 * HOUR - 1) - 0.4).abs() < 1e-12, "restart takes 2 h");
    assert_eq!(level_at(&s, &o, "harbour", t0 + 14 * HOUR), 1.0);
    // tourism feels 20% of the harbour's loss: 1 - 0.2 x 0.6 = 0.88
    assert!((level_at(&s, &o, "tourism", t0 + 9 * HOUR) - 0.88).abs() < 1e-12);
    // A blackout shorter than the buffer never reaches the harbour.
    let short = r#"Inject(id: "blip", at: "1d", effects: [Outage(asset: "power", level: 0.0, duration: "7h")])"#;
    let s = island(short, "");
    let o = run(s.clone());
    let harbour = s.assets.iter().position(|a| a.id == "harbour").unwrap();
    assert_eq!(o.assets[harbour].min_level, 1.0);
}

#[test]
fn ransomware_at_the_port_degrades_the_harbour_until_recovered() {
    // Reported at T+1d, port IT at 10%: harbour = 1 - 0.4 x 0.9 = 0.64. The SOP takes
    // 2 h + 4 h + 6 h to the end of recovery with an analyst free at once.
    let ransomware = r#"Inject(id: "ransom", at: "1d", effects: [Report(incident_type: Ransomware, csirt: "cert", sop: "ir", severity: High, target: Target(asset: "port-it", level: 0.1))])"#;
    let s = island(ransomware, "");
    let o = run(s.clone());
    let t0 = 24 * HOUR;
    assert!((level_at(&s, &o, "harbour", t0) - 0.64).abs() < 1e-12);
    assert!((level_at(&s, &o, "harbour", t0 + 12 * HOUR - 1) - 0.64).abs() < 1e-12);
    assert_eq!(level_at(&s, &o, "harbour", t0 + 12 * HOUR), 1.0, "restored when the recovery step ends");
    assert_eq!((phase_end(&s, &o.incidents[0], Phase::Containment)).secs(), Some(t0 + 6 * HOUR));
    assert_eq!((phase_end(&s, &o.incidents[0], Phase::Recovery)).secs(), Some(t0 + 12 * HOUR));
}

#[test]
fn dependency_cycles_and_bad_weights_are_rejected_with_positions() {
    let text = r#"Scenario(
    version: 1, name: "loop", horizon: "1d",
    nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
    csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1)],
    sectors: [Sector(id: "energy", nation: "kv")],
    assets: [
        Asset(id: "grid", sector: "energy", depends_on: [Dependency(asset: "scada", weight: 0.5)]),
        Asset(id: "scada", sector: "energy", depends_on: [Dependency(asset: "grid", weight: 0.7), Dependency(asset: "telco", weight: 0.6)]),
        Asset(id: "telco", sector: "energy"),
    ],
)"#;
    let err = load_str("loop.ron", text, &[]).unwrap_err();
    let got: Vec<String> = err.0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        vec![
            "loop.ron:7:57: dependency cycle: grid -> scada -> grid; dependencies must not loop".to_string(),
            "loop.ron:8:58: the dependency weights of asset \"scada\" add up to 1.3; at most 1 (the share of its service that needs providers)".to_string(),
        ]
    );
}
