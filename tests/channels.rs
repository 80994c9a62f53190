//! Channels between parties: CSIRT to CSIRT abroad (latency and trust), a peer
//! abroad tipping off the victim's CSIRT, law enforcement acting on the source,
//! and targets that name a whole sector or nation.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{Detector, LogEvent, Outcome};
use ttx::scenario::{Scenario, load_str};

fn load(text: &str) -> Arc<Scenario> {
    common::load_text("channels.ron", text)
}

use common::replicate as run;

use common::replicate_logged as run_logged;

/// Checks a share of `n` Bernoulli trials against `p` within three standard errors.
fn assert_share(hits: usize, n: usize, p: f64, what: &str) {
    let share = hits as f64 / n as f64;
    let se = (p * (1.0 - p) / n as f64).sqrt();
    assert!((share - p).abs() < 3.0 * se, "{what}: {share:.4}, expected {p} (se {se:.4})");
}

/// Two nations; incidents at "port" in Kavala are never reported by the victim
/// (trust 0) and its CSIRT has no feeds; `peer` describes the CSIRT abroad.
fn tipped(kv_cert: &str, abroad_cert: &str, coordination: &str) -> Arc<Scenario> {
    load(&format!(
        r#"Scenario(
            version: 1, name: "tips", horizon: "40d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00"), Nation(id: "ml", name: "Malua", utc_offset: "+10:00")],
            csirts: [
                Csirt(id: "kv-cert", nation: "kv", kind: National, analysts: 50, sop: "ir", trust: 0.0, {kv_cert}),
                Csirt(id: "ml-cert", nation: "ml", kind: National, analysts: 5, sop: "ir", {abroad_cert}),
            ],
            sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("10m"))])],
            streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "kv-cert", rate: "100/d", limit: 3000,
                detection: Detection(victim: Fixed("3d"), peer_abroad: Peer(csirt: "ml-cert", delay: Fixed("2h"))))],
            {coordination}
        )"#
    ))
}

#[test]
fn a_peer_abroad_tips_off_the_victims_csirt_over_its_channel_as_far_as_it_is_trusted() {
    let coordination = r#"coordination: Coordination(direct: "1h", first_trust: 0.7),"#;
    let s = tipped("first_member: true", "first_member: true", coordination);
    let o = run(&s, 4);
    assert_eq!(o.incidents.len() + o.unknown_incidents.len(), 3_000);
    assert_share(o.incidents.len(), 3_000, 0.7, "tips acted upon over FIRST at trust 0.7");
    // Seen abroad 2 h after it happened, known to Kavala 1 h later.
    assert!(o.incidents.iter().all(|i| i.detected_by == Detector::PeerAbroad
        && (i.detected - i.occurred).secs() == 7_200
        && (i.reported - i.occurred).secs() == 10_800));
}

#[test]
fn a_peer_without_a_channel_cannot_tip_anyone_off_and_a_slow_channel_is_slow() {
    let cut_off = tipped("", "", r#"coordination: Coordination(indirect: None),"#);
    assert_eq!(run(&cut_off, 4).incidents.len(), 0, "no FIRST, no shared region, no intermediary");
    let slow = tipped("", "", r#"coordination: Coordination(indirect: "1d"),"#);
    let o = run(&slow, 4);
    assert_eq!(o.incidents.len(), 3_000, "trust defaults to 1");
    assert!(o.incidents.iter().all(|i| (i.reported - i.occurred).secs() == 7_200 + 86_400));
}

#[test]
fn the_channel_between_two_csirts_depends_on_what_they_share() {
    let coordination = r#"coordination: Coordination(direct: "1h", indirect: "1d",
        regional_trust: 0.9, first_trust: 0.7, indirect_trust: 0.4),"#;
    let channel = |a: &str, b: &str| {
        let s = tipped(a, b, coordination);
        let c = s.coordination.channel(&s.csirts[0], &s.csirts[1]).unwrap();
        (c.latency, c.trust)
    };
    assert_eq!((channel(r#"regions: ["pacific"]"#, r#"regions: ["pacific"]"#)).secs(), (3_600, 0.9));
    assert_eq!((channel("first_member: true", "first_member: true")).secs(), (3_600, 0.7));
    assert_eq!((channel("first_member: true", r#"regions: ["pacific"]"#)).secs(), (86_400, 0.4));
}

/// A worm starting in "aa" that "aa" notices and warns "bb" about; `extra` adds to
/// the scenario (coordination, nation fields via `aa_nation`).
fn worm(aa_nation: &str, outbreak: &str, coordination: &str) -> Arc<Scenario> {
    load(&format!(
        r#"Scenario(
            version: 1, name: "worm", horizon: "12h",
            nations: [Nation(id: "aa", name: "A", utc_offset: "+00:00", {aa_nation}), Nation(id: "bb", name: "B", utc_offset: "+00:00")],
            csirts: [
                Csirt(id: "a-cert", nation: "aa", kind: National, analysts: 5, sop: "clean", first_member: true),
                Csirt(id: "b-cert", nation: "bb", kind: National, analysts: 5, sop: "clean", first_member: true),
            ],
            sops: [Sop(id: "clean", steps: [Step(name: "clean", effort: Fixed("1h"))])],
            outbreaks: [Outbreak(id: "worm", origin: "aa", start: "1h", initial_infected: 10, contact_rate: "1.8/h",
                local_preference: 0.99, tick: "1m",
                populations: [Population(nation: "aa", vulnerable: 5000), Population(nation: "bb", vulnerable: 5000)] {outbreak})],
            {coordination}
        )"#
    ))
}

#[test]
fn a_warning_from_abroad_is_acted_on_with_the_channels_trust() {
    let s = worm("", "", r#"coordination: Coordination(first_trust: 0.5),"#);
    let seeds = 300;
    let mut acted = 0;
    for seed in 0..seeds {
        let (o, log) = run_logged(&s, seed);
        let doubted =
            log.iter().any(|e| matches!(e.event, LogEvent::WarningDoubted { csirt, .. } if csirt.index() == 1));
        let warned = o.outbreaks[0].warned_at[1].is_some();
        assert!(doubted != warned, "seed {seed}: a warning is either acted on or doubted");
        acted += usize::from(warned);
    }
    assert_share(acted, seeds as usize, 0.5, "warnings acted on at trust 0.5");
}

#[test]
fn the_source_is_taken_down_through_the_origins_law_enforcement() {
    let takedown = r#", takedown: Takedown(delay: "1h", factor: 0.4)"#;
    let detected_and_down = |s: &Arc<Scenario>| {
        let o = run(s, 2);
        (o.outbreaks[0].detected_at[0].unwrap().secs(), o.outbreaks[0].takedown_at)
    };
    // No law enforcement declared: the CSIRT's own action, 1 h after noticing.
    let (detected, down) = detected_and_down(&worm("", takedown, ""));
    assert_eq!(down.secs(), Some(detected + 3_600));
    // Referred to a unit that takes 6 h to act.
    let police = r#"law_enforcement: LawEnforcement(latency: "6h")"#;
    let (detected, down) = detected_and_down(&worm(police, takedown, ""));
    assert_eq!(down.secs(), Some(detected + 6 * 3_600 + 3_600));
    // A unit that does not act on referrals: no takedown.
    let idle = r#"law_enforcement: LawEnforcement(latency: "6h", trust: 0.0)"#;
    let (o, log) = run_logged(&worm(idle, takedown, ""), 2);
    assert_eq!(o.outbreaks[0].takedown_at, None);
    assert!(
        log.iter()
            .any(|e| matches!(e.event, LogEvent::TakedownReferred { outbreak, acts: false } if outbreak.index() == 0))
    );
    // Trust 0.3: the unit acts on 30% of referrals.
    let reluctant = worm(r#"law_enforcement: LawEnforcement(latency: "6h", trust: 0.3)"#, takedown, "");
    let seeds = 300;
    let acted = (0..seeds).filter(|seed| run(&reluctant, *seed).outbreaks[0].takedown_at.is_some()).count();
    assert_share(acted, seeds as usize, 0.3, "referrals acted on at trust 0.3");
}

/// The island: a harbour and two tourism assets in Kavala, a cable in Malua.
fn island(target: &str) -> Arc<Scenario> {
    load(&format!(
        r#"Scenario(
            version: 1, name: "targets", horizon: "2d",
            nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00"), Nation(id: "ml", name: "Malua", utc_offset: "+10:00")],
            csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 5, sop: "ir")],
            sectors: [Sector(id: "ports", nation: "kv"), Sector(id: "tourism", nation: "kv"), Sector(id: "telecom", nation: "ml")],
            assets: [Asset(id: "harbour", sector: "ports"), Asset(id: "hotels", sector: "tourism"),
                     Asset(id: "resorts", sector: "tourism"), Asset(id: "cable", sector: "telecom")],
            sops: [Sop(id: "ir", steps: [Step(name: "recover", effort: Fixed("4h"), phase: Recovery)])],
            injects: [Inject(id: "hit", at: "1h", effects: [Report(incident_type: Ransomware, csirt: "cert", target: {target})])],
        )"#
    ))
}

#[test]
fn a_target_may_name_a_sector_or_a_whole_nation() {
    let lost_hours =
        |o: &Outcome| o.assets.iter().map(|a| (a.lost_s / 3_600.0 * 1e6).round() / 1e6).collect::<Vec<_>>();
    // Recovered 4 h after the 1 h report: each hit asset loses 4 h x (1 - 0.25) = 3 service-hours.
    let sector = run(&island(r#"Target(sector: "tourism", level: 0.25)"#), 1);
    assert_eq!(lost_hours(&sector), vec![0.0, 3.0, 3.0, 0.0]);
    let nation = run(&island(r#"Target(nation: "kv", level: 0.25)"#), 1);
    assert_eq!(lost_hours(&nation), vec![3.0, 3.0, 3.0, 0.0]);
    assert_eq!(nation.incidents.len(), 1, "one incident hitting three assets");
    assert_eq!(nation.incidents[0].targets.len(), 3);
}

#[test]
fn a_target_must_name_exactly_one_thing_that_has_assets() {
    let problems = |target: &str| {
        let raw = format!(
            r#"Scenario(version: 1, name: "t", horizon: "1d",
  nations: [Nation(id: "kv", name: "K", utc_offset: "+12:00")],
  csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1, sop: "ir")],
  sectors: [Sector(id: "ports", nation: "kv"), Sector(id: "empty", nation: "kv")],
  assets: [Asset(id: "harbour", sector: "ports")],
  sops: [Sop(id: "ir", steps: [Step(name: "s", effort: Fixed("1h"))])],
  injects: [Inject(id: "hit", at: "1h", effects: [Report(incident_type: Ransomware, csirt: "cert", target: {target})])],
)"#
        );
        match load_str("t.ron", &raw, &[]) {
            Ok(_) => panic!("{target} should be rejected"),
            Err(d) => d.0.iter().map(|d| d.headline()).collect::<Vec<_>>(),
        }
    };
    assert_eq!(
        problems(r#"Target(asset: "harbour", sector: "ports", level: 0.5)"#),
        vec![
            "t.ron:7:108: a target in inject \"hit\" names exactly one of asset, sector or nation; this one names 2"
                .to_string()
        ]
    );
    assert_eq!(
        problems(r#"Target(sector: "empty", level: 0.5)"#),
        vec!["t.ron:7:108: inject \"hit\" targets sector \"empty\", which has no assets; declare its assets or target one".to_string()]
    );
    assert_eq!(
        problems(r#"Target(sector: "port", level: 1.5)"#),
        vec![
            "t.ron:7:123: unknown sector \"port\" in inject \"hit\"; did you mean \"ports\"?".to_string(),
            "t.ron:7:138: the service level in inject \"hit\" must be at least 0 and below 1, found 1.5".to_string(),
        ]
    );
}

#[test]
fn channels_are_validated_with_positions() {
    let text = r#"Scenario(version: 1, name: "t", horizon: "1d",
  nations: [Nation(id: "kv", name: "K", utc_offset: "+12:00", law_enforcement: LawEnforcement(latency: "soon"))],
  csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1, sop: "ir"),
           Csirt(id: "sector", nation: "kv", kind: Sector, analysts: 1, sop: "ir")],
  sops: [Sop(id: "ir", steps: [Step(name: "s", effort: Fixed("1h"))])],
  vendors: [Vendor(id: "acme", trust: 1.5)],
  streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "cert", rate: "1/d",
    detection: Detection(victim: Fixed("1d"), peer_abroad: Peer(csirt: "sector", delay: Fixed("1h"))))],
  coordination: Coordination(regional_trust: -0.1),
)"#;
    let got: Vec<String> = load_str("t.ron", text, &[]).expect_err("invalid").0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        vec![
            "t.ron:2:104: malformed duration \"soon\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (latency of the law enforcement of nation \"kv\")",
            "t.ron:6:39: the trust of vendor \"acme\" must be 0 to 1, found 1.5",
            "t.ron:8:72: the peer abroad in incident stream \"s\" must be a CSIRT of another nation than the victim's CSIRT",
            "t.ron:9:46: the regional trust in coordination must be 0 to 1, found -0.1",
        ]
    );
}
