//! Media pressure and crisis levels: pressure decays at the stated half-life
//! and moves by the stated amounts; a statement moves trust; each crisis
//! trigger fires at its threshold, and entering a level applies its effects
//! (surge staff, mandatory reporting, a crisis cell that delays decisions).

use crate::common;

use common::{load_text, replicate_logged};
use std::sync::Arc;
use ttx::model::{LogEntry, LogEvent};
use ttx::scenario::Scenario;
use ttx::score::summarise;

const H: u64 = 3_600;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// One nation "n" with CSIRT "c" (Legal mandate, constituents' trust 0.3),
/// three sectors with an asset each; `nation`, `csirt`, `injects` and `extra`
/// are added.
fn island(nation: &str, csirt: &str, injects: &str, extra: &str) -> Arc<Scenario> {
    load_text(
        "island.ron",
        &format!(
            r#"Scenario(version: 1, name: "island", horizon: "4d",
                nations: [Nation(id: "n", name: "N", utc_offset: "+00:00", {nation})],
                csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 3, mandate: Legal, trust: 0.3, sop: "ir", {csirt})],
                sectors: [Sector(id: "port", nation: "n"), Sector(id: "power", nation: "n"), Sector(id: "tour", nation: "n")],
                assets: [
                    Asset(id: "harbour", sector: "port", criticality: 5, public: true),
                    Asset(id: "grid", sector: "power", criticality: 4),
                    Asset(id: "hotels", sector: "tour", criticality: 2, public: true),
                ],
                sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("5m"))])],
                injects: [{injects}],
                {extra})"#
        ),
    )
}

/// (time, from, to, cause) of every media change.
fn media(log: &[LogEntry]) -> Vec<(u64, f64, f64, &'static str)> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::MediaPressureChanged { from, to, cause, .. } => {
                Some((e.time.as_secs(), *from, *to, cause.name()))
            }
            _ => None,
        })
        .collect()
}

/// (time, from, to, cause) of every crisis level change.
fn levels(log: &[LogEntry]) -> Vec<(u64, u8, u8, &'static str)> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::CrisisLevelChanged { from, to, cause, .. } => Some((e.time.as_secs(), *from, *to, cause.name())),
            _ => None,
        })
        .collect()
}

#[test]
fn media_pressure_decays_at_its_half_life_and_statements_move_it_and_trust() {
    let s = island(
        "",
        "",
        r#"Inject(id: "leak", at: "1d", effects: [PressLeak(nation: "n")]),
           Inject(id: "calm", at: "1d12h", effects: [PublicStatement(csirt: "c")]),
           Inject(id: "blame", at: "2d", effects: [PublicStatement(csirt: "c", names_victim: true)])"#,
        r#"media: Media(half_life: "6h", leak: 4.0, statement_relief: 0.6),
           trust: TrustRules(statement: 0.04, named_victim: 0.2),"#,
    );
    let (outcome, log) = replicate_logged(&s, 1);
    let got = media(&log);
    // 4 after the leak; two half-lives later 1.0, less 0.6; two more: 0.1, less 0.6 floors at 0.
    let expected = [(24 * H, 0.0, 4.0, "leak"), (36 * H, 1.0, 0.4, "statement"), (48 * H, 0.1, 0.0, "statement")];
    assert_eq!(got.len(), 3, "{got:?}");
    for (g, e) in got.iter().zip(&expected) {
        assert!(g.0 == e.0 && close(g.1, e.1) && close(g.2, e.2) && g.3 == e.3, "{g:?} is not {e:?}");
    }
    let trust: Vec<(f64, f64, &str)> = log
        .iter()
        .filter_map(|e| match &e.event {
            LogEvent::TrustChanged { from, to, cause, .. } => Some((*from, *to, cause.name())),
            _ => None,
        })
        .collect();
    assert_eq!(trust.len(), 2);
    assert!(close(trust[0].0, 0.3) && close(trust[0].1, 0.34) && trust[0].2 == "statement", "{trust:?}");
    assert!(close(trust[1].1, 0.14) && trust[1].2 == "named_victim", "{trust:?}");
    let summary = summarise(&s, &outcome);
    let n = &summary.nations[0];
    assert!(close(n.media_peak, 4.0) && n.media_peak_s == Some(ttx::engine::SimTime::from_secs(24 * H)));
    assert!(close(n.media_end, 0.0));
}

#[test]
fn a_public_outage_feeds_the_media_once_per_fall_below_half() {
    // The harbour falls to 0.4 (news), to 0.1 (already news), recovers, falls
    // again; the grid is not public.
    let s = island(
        "",
        "",
        r#"Inject(id: "a", at: "1h", effects: [Outage(asset: "harbour", level: 0.4, duration: "2h")]),
           Inject(id: "b", at: "2h", effects: [Outage(asset: "harbour", level: 0.1, duration: "30m")]),
           Inject(id: "c", at: "5h", effects: [Outage(asset: "harbour", level: 0.0, duration: "1h")]),
           Inject(id: "d", at: "6h", effects: [Outage(asset: "grid", level: 0.0, duration: "1h")])"#,
        r#"media: Media(half_life: "1h", public_outage: 2.0),"#,
    );
    let (_, log) = replicate_logged(&s, 1);
    let got = media(&log);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].0 == H && close(got[0].2, 2.0) && got[0].3 == "public_outage");
    // Four half-lives after the first: 2/16 + 2.
    assert!(got[1].0 == 5 * H && close(got[1].1, 0.125) && close(got[1].2, 2.125), "{got:?}");
}

#[test]
fn each_crisis_trigger_fires_at_its_threshold() {
    let levels_text = r#"crisis_levels: [
            CrisisLevel(name: "watch", media_above: Some(3.0)),
            CrisisLevel(name: "alert", sectors_hit: Some(2)),
            CrisisLevel(name: "crisis", impact_above: Some(7.0)),
        ]"#;
    // Leaks of 2 at 0 and 1h (2 x 2^(-1/6) + 2 = 3.78 >= 3: watch at 1h); the
    // grid down at 10h is one sector, the hotels at 11h a second (alert); at
    // 12h the harbour at 0.4 adds 5 x 0.6 = 3 to 4 + 2 (crisis at 9 >= 7).
    let s = island(
        levels_text,
        "",
        r#"Inject(id: "l1", at: "0s", effects: [PressLeak(nation: "n")]),
           Inject(id: "l2", at: "1h", effects: [PressLeak(nation: "n")]),
           Inject(id: "grid", at: "10h", effects: [Outage(asset: "grid", level: 0.0, duration: "1d")]),
           Inject(id: "hotels", at: "11h", effects: [Outage(asset: "hotels", level: 1.0e-9, duration: "1d")]),
           Inject(id: "harbour", at: "12h", effects: [Outage(asset: "harbour", level: 0.4, duration: "1d")]),
           Inject(id: "stand-down", at: "3d", effects: [SetCrisisLevel(nation: "n", level: "normal")])"#,
        r#"media: Media(half_life: "6h", leak: 2.0, public_outage: 0.0),"#,
    );
    let (outcome, log) = replicate_logged(&s, 1);
    assert_eq!(
        levels(&log),
        [(H, 0, 1, "media_pressure"), (11 * H, 1, 2, "sectors_hit"), (12 * H, 2, 3, "impact"), (72 * H, 3, 0, "set")]
    );
    let summary = summarise(&s, &outcome);
    let n = &summary.nations[0];
    assert_eq!((n.crisis_level_max.as_str(), n.crisis_level_end.as_str()), ("crisis", "normal"));
    assert_eq!(n.crisis_levels.len(), 4);
}

#[test]
fn entering_a_level_applies_its_effects_obliges_reporting_and_delays_decisions() {
    // At day 1 a leak of 5 enters "crisis": two surge analysts join 6 h later,
    // victims must report (0.95 instead of the constituents' trust 0.3), and the
    // government's decision at day 2 waits 3 h in the crisis cell.
    let s = island(
        r#"crisis_levels: [CrisisLevel(name: "crisis", media_above: Some(5.0), decision_delay: "3h",
            mandatory_reporting: true, effects: [Hire(csirt: "c", analysts: 2, ramp_up: "6h")])]"#,
        "",
        r#"Inject(id: "leak", at: "1d", effects: [PressLeak(nation: "n")]),
           Inject(id: "ask", at: "2d", decision: Decision(id: "cut", question: "Cut staff?", nation: "n", options: [
               Choice(id: "cut", default: true, effects: [SetAnalysts(csirt: "c", analysts: 1)]),
               Choice(id: "keep"),
           ]))"#,
        r#"media: Media(leak: 5.0),
           streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "c", rate: "400/d", limit: 1200,
               detection: Detection(victim: Fixed("1m")))],"#,
    );
    let (_, log) = replicate_logged(&s, 4);
    let at = |pred: &dyn Fn(&LogEvent) -> bool| log.iter().find(|e| pred(&e.event)).map(|e| e.time.as_secs());
    assert_eq!(at(&|e| matches!(e, LogEvent::CrisisLevelChanged { to: 1, .. })), Some(24 * H));
    let joins = log.iter().find_map(|e| match e.event {
        LogEvent::StaffChanged { from, to, .. } if to == from + 2 => Some(e.time.as_secs()),
        _ => None,
    });
    assert_eq!(joins, Some(30 * H), "the surge arrives after its ramp-up");
    assert_eq!(at(&|e| matches!(e, LogEvent::DecisionReferred { .. })), Some(48 * H));
    assert_eq!(at(&|e| matches!(e, LogEvent::DecisionTaken { .. })), Some(51 * H), "3 h in the crisis cell");
    assert_eq!(
        at(&|e| matches!(e, LogEvent::StaffChanged { to: 1, .. })),
        Some(51 * H),
        "the decision's effect comes with it"
    );
    // Reporting: the trust (0.3) before day 1, the obligation (0.95) after.
    common::assert_known_share_before_after(&log, 24 * H, [0.3, 0.95], 300.0);
}

#[test]
fn bad_crisis_levels_and_escalation_effects_are_refused_with_positions() {
    let text = r#"Scenario(version: 1, name: "bad", horizon: "1d",
    nations: [Nation(id: "n", name: "N", utc_offset: "+00:00", crisis_levels: [
        CrisisLevel(name: "normal"),
        CrisisLevel(name: "alert", sectors_hit: Some(0), effects: [SetCrisisLevel(nation: "n", level: "alert"),
            Report(incident_type: Phishing, csirt: "c")]),
        CrisisLevel(name: "alert", media_above: Some(-1.0)),
    ])],
    csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 1, sop: "ir")],
    sops: [Sop(id: "ir", steps: [Step(name: "t", effort: Fixed("5m"))])],
    injects: [Inject(id: "i", at: "1h", effects: [SetCrisisLevel(nation: "n", level: "alrt"), PressLeak(nation: "m")])],
    media: Media(half_life: "0s"),
)"#;
    let err = ttx::scenario::load_str("bad.ron", text, &[]).expect_err("invalid");
    let got: Vec<String> = err.0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        [
            "bad.ron:3:27: \"normal\" is the level below every crisis level of nation \"n\"; name this one otherwise",
            "bad.ron:4:49: `sectors_hit` of crisis level \"alert\" of nation \"n\" must be 1 or more, found 0",
            "bad.ron:4:68: crisis level \"alert\" of nation \"n\" sets a crisis level; a level's effects may not set another (move it to an inject or a decision)",
            "bad.ron:5:13: crisis level \"alert\" of nation \"n\" reports an incident or discloses a vulnerability; a crisis level's effects act on people, policy, trust and the media (move it to an inject)",
            "bad.ron:6:27: nation \"n\" has two crisis levels named \"alert\"",
            "bad.ron:6:49: `media_above` of crisis level \"alert\" of nation \"n\" must be 0 or more, found -1",
            "bad.ron:10:86: unknown crisis level \"alrt\" of nation \"n\" in inject \"i\"; did you mean \"alert\"?",
            "bad.ron:10:113: unknown nation \"m\" in inject \"i\"; did you mean \"n\"?",
            "bad.ron:11:29: the half-life of media pressure must be longer than 0s",
        ]
    );
}

/// Three CSIRTs of one regional body with 2, 6 and 4 analysts; `trust` between them.
fn region(trust: f64) -> Arc<Scenario> {
    load_text(
        "region.ron",
        &format!(
            r#"Scenario(version: 1, name: "region", horizon: "10d",
                nations: [Nation(id: "a", name: "A", utc_offset: "+00:00"), Nation(id: "b", name: "B", utc_offset: "+00:00"),
                    Nation(id: "c", name: "C", utc_offset: "+00:00")],
                csirts: [
                    Csirt(id: "a-cert", nation: "a", kind: National, analysts: 2, regions: ["pac"]),
                    Csirt(id: "b-cert", nation: "b", kind: National, analysts: 6, regions: ["pac"]),
                    Csirt(id: "c-cert", nation: "c", kind: National, analysts: 4, regions: ["pac"]),
                ],
                coordination: Coordination(regional_trust: {trust}),
                injects: [Inject(id: "ask", at: "1d", decision: Decision(id: "help", question: "Ask the region?", options: [
                    Choice(id: "ask", default: true, effects: [RequestHelp(csirt: "a-cert", region: "pac", analysts: 3, arrives: "12h", stays: "2d")]),
                    Choice(id: "alone"),
                ]))])"#
        ),
    )
}

/// (time, CSIRT index, headcount after) of every staff change.
fn staff(log: &[LogEntry]) -> Vec<(u64, usize, u32)> {
    log.iter()
        .filter_map(|e| match e.event {
            LogEvent::StaffChanged { csirt, to, .. } => Some((e.time.as_secs(), csirt.index(), to)),
            _ => None,
        })
        .collect()
}

#[test]
fn regional_help_comes_from_the_largest_team_when_trusted_and_goes_home() {
    let (_, log) = replicate_logged(&region(1.0), 1);
    // b-cert (6) lends 3 at once; they join a-cert 12 h later and go home after 2 days.
    assert_eq!(staff(&log), [(24 * H, 1, 3), (36 * H, 0, 5), (84 * H, 0, 2), (84 * H, 1, 6)]);
    let asked = log.iter().find_map(|e| match e.event {
        LogEvent::HelpRequested { helper, analysts, granted, .. } => {
            Some((helper.map(|h| h.index()), analysts, granted))
        }
        _ => None,
    });
    assert_eq!(asked, Some((Some(1), 3, true)));
    // With no trust between them the request is refused and nobody moves.
    let (_, log) = replicate_logged(&region(0.0), 1);
    assert!(staff(&log).is_empty());
    assert!(log.iter().any(|e| matches!(e.event, LogEvent::HelpRequested { granted: false, .. })));
}

#[test]
fn a_referral_to_the_police_brings_the_takedown_forward_and_is_made_once() {
    // The origin notices the worm at some point; a decision at 10 min refers it
    // first: law enforcement (trust 1, 2 h) acts and the takedown (1 h) comes at
    // 10 min + 3 h; the origin does not refer it again when it notices.
    let text = |injects: &str| {
        format!(
            r#"Scenario(version: 1, name: "worm", horizon: "2d",
                nations: [Nation(id: "o", name: "O", utc_offset: "+00:00", law_enforcement: LawEnforcement(latency: "2h", trust: 1.0))],
                csirts: [Csirt(id: "o-cert", nation: "o", kind: National, analysts: 3)],
                outbreaks: [Outbreak(id: "worm", origin: "o", start: "0s", initial_infected: 5, contact_rate: "0.5/h",
                    tick: "1m", detection_threshold: 0.05, takedown: Takedown(delay: "1h", factor: 0.9),
                    populations: [Population(nation: "o", vulnerable: 50000)])],
                injects: [{injects}])"#
        )
    };
    let early =
        load_text("worm.ron", &text(r#"Inject(id: "tip", at: "10m", effects: [ReferToPolice(outbreak: "worm")])"#));
    let (_, log) = replicate_logged(&early, 1);
    let times = |want: fn(&LogEvent) -> bool| -> Vec<u64> {
        log.iter().filter(|e| want(&e.event)).map(|e| e.time.as_secs()).collect()
    };
    assert_eq!(times(|e| matches!(e, LogEvent::TakedownReferred { acts: true, .. })), [600]);
    assert_eq!(times(|e| matches!(e, LogEvent::Takedown { .. })), [600 + 3 * H]);
    let noticed = times(|e| matches!(e, LogEvent::OutbreakDetected { .. }));
    assert!(noticed.len() == 1 && noticed[0] > 600, "the origin noticed later: {noticed:?}");
    // Without the referral the takedown comes 3 h after the origin noticed.
    let late = load_text("worm.ron", &text(""));
    let (_, log) = replicate_logged(&late, 1);
    let noticed = log.iter().find(|e| matches!(e.event, LogEvent::OutbreakDetected { .. })).map(|e| e.time.as_secs());
    let takedown = log.iter().find(|e| matches!(e.event, LogEvent::Takedown { .. })).map(|e| e.time.as_secs());
    assert_eq!(takedown, noticed.map(|t| t + 3 * H));
}

#[test]
fn a_power_cut_beyond_the_generator_halts_the_desk_for_exactly_the_outage() {
    // The office runs on the grid with a 2 h generator: the grid is out from
    // 24 h to 30 h, so the desk is dark from 26 h to 30 h. A 4 h step started
    // at 25 h is handed over at 26 h (3 h left + 15 min hand-over) and finishes
    // at 33 h 15 min.
    let s = load_text(
        "office.ron",
        r#"Scenario(version: 1, name: "office", horizon: "3d",
            nations: [Nation(id: "n", name: "N", utc_offset: "+00:00")],
            csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 2, sop: "ir", office: "hq", handover: "15m")],
            sectors: [Sector(id: "energy", nation: "n")],
            assets: [
                Asset(id: "grid", sector: "energy"),
                Asset(id: "hq", sector: "energy", depends_on: [Dependency(asset: "grid", weight: 1.0, buffer: "2h")]),
            ],
            sops: [Sop(id: "ir", steps: [Step(name: "handle", effort: Fixed("4h"))])],
            injects: [
                Inject(id: "cut", at: "1d", effects: [Outage(asset: "grid", level: 0.0, duration: "6h")]),
                Inject(id: "case", at: "25h", effects: [Report(incident_type: Phishing, csirt: "c")]),
            ])"#,
    );
    let (outcome, log) = replicate_logged(&s, 1);
    let office: Vec<(u64, bool)> = log
        .iter()
        .filter_map(|e| match e.event {
            LogEvent::OfficeChanged { down, .. } => Some((e.time.as_secs(), down)),
            _ => None,
        })
        .collect();
    assert_eq!(office, [(26 * H, true), (30 * H, false)]);
    let handed = log.iter().find_map(|e| match e.event {
        LogEvent::StepHandedOver { remaining, .. } => Some((e.time.as_secs(), remaining.as_secs())),
        _ => None,
    });
    assert_eq!(handed, Some((26 * H, 3 * H + 900)));
    let finished = log.iter().find(|e| matches!(e.event, LogEvent::StepFinished { .. })).map(|e| e.time.as_secs());
    assert_eq!(finished, Some(33 * H + 900));
    // The step waited the 4 h with nobody able to take it.
    let totals = &outcome.desks[0].totals;
    assert!((totals.waiting_unstaffed_s - 4.0 * 3600.0).abs() < 1e-6, "{}", totals.waiting_unstaffed_s);
}

#[test]
fn an_escalation_step_raises_its_nation_when_done() {
    let text = |escalate: &str| {
        format!(
            r#"Scenario(version: 1, name: "sop", horizon: "1d",
                nations: [Nation(id: "n", name: "N", utc_offset: "+00:00",
                    crisis_levels: [CrisisLevel(name: "alert"), CrisisLevel(name: "cell")])],
                csirts: [Csirt(id: "c", nation: "n", kind: National, analysts: 1, sop: "ir")],
                sops: [Sop(id: "ir", steps: [
                    Step(name: "triage", effort: Fixed("20m")),
                    Step(name: "brief-government", effort: Fixed("30m"), escalate: Some("{escalate}")),
                ])],
                injects: [
                    Inject(id: "a", at: "1h", effects: [Report(incident_type: Ransomware, csirt: "c")]),
                    Inject(id: "b", at: "5h", effects: [Report(incident_type: Ransomware, csirt: "c")]),
                ])"#
        )
    };
    let s = load_text("sop.ron", &text("cell"));
    let (_, log) = replicate_logged(&s, 1);
    // Done at 1 h 50 min; the second incident's escalation finds it there already.
    assert_eq!(levels(&log), [(H + 50 * 60, 0, 2, "escalated")]);
    let err = ttx::scenario::load_str("sop.ron", &text("cel"), &[]).expect_err("no such level");
    let got: Vec<String> = err.0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        [
            "sop.ron:7:84: step \"brief-government\" in SOP \"ir\" escalates to crisis level \"cel\", which no nation has; did you mean \"cell\"?"
        ]
    );
}
