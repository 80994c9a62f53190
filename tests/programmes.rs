//! Proactive services run as programmes of desk sessions: each session done
//! multiplies what the service acts on by `1 - step`, down to `floor`. Every
//! test compares the same seed with and without the programme (common random
//! numbers) and checks the stated size of the effect and its desk time.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::model::{LogEvent, Outcome};
use ttx::scenario::{Phase, Scenario, Service, load_str};
use ttx::score::{phase_end, summarise};

const DAY: u64 = 86_400;
const HOUR: u64 = 3_600;

/// Two nations; or-cert offers `services` and runs `programmes`; a worm or
/// an inject from `extra`.
fn scenario(services: &str, programmes: &str, extra: &str) -> Arc<Scenario> {
    let text = format!(
        r#"Scenario(
            version: 1, name: "programmes", horizon: "10d",
            nations: [Nation(id: "or", name: "Oronde", utc_offset: "+01:00"), Nation(id: "bt", name: "Baltra", utc_offset: "+01:00")],
            csirts: [
                Csirt(id: "or-cert", nation: "or", kind: National, analysts: 5, sop: "ir", first_member: true,
                    {services} unassisted_recovery: "4d", programmes: [{programmes}]),
                Csirt(id: "bt-cert", nation: "bt", kind: National, analysts: 5, sop: "ir", first_member: true),
            ],
            sectors: [Sector(id: "ports", nation: "or")],
            assets: [
                Asset(id: "port", sector: "ports"),
                Asset(id: "terminal", sector: "ports", depends_on: [Dependency(asset: "port", weight: 1.0, recovery_delay: "10h")]),
            ],
            sops: [Sop(id: "ir", steps: [
                Step(name: "triage", effort: Fixed("1h")),
                Step(name: "contain", effort: Fixed("2h"), phase: Containment),
                Step(name: "recover", effort: Fixed("5h"), phase: Recovery),
            ])],
            {extra}
        )"#
    );
    Arc::new(load_str("programmes.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

fn run(s: &Arc<Scenario>) -> Outcome {
    common::replicate(s, 1)
}

/// One session at T+0 of `effort`, none again within the run, lowering what
/// `service` acts on by `step` with no floor in the way.
fn once(service: &str, effort: &str, step: f64) -> String {
    format!(r#"Programme(service: {service}, every: "30d", effort: "{effort}", step: {step}, floor: 0.0)"#)
}

const WORM: &str = r#"outbreaks: [Outbreak(id: "w", origin: "or", start: "1d", initial_infected: 5, detection_threshold: 0.01, contact_rate: "1.8/h", local_preference: 0.99,
    populations: [Population(nation: "or", vulnerable: 50000), Population(nation: "bt", vulnerable: 50000)])],"#;

const RANSOMWARE: &str = r#"injects: [Inject(id: "ransom", at: "1d", effects: [Report(incident_type: Ransomware, csirt: "or-cert", target: Target(asset: "port", level: 0.2))])],"#;

#[test]
fn technology_watch_notices_a_campaign_at_the_stated_share_of_its_spread() {
    // A session of 4 h at T+0 lowers the noticing threshold (1% of hosts) to a tenth before
    // the worm starts on day 1: infections grow by e^{1.8 t}, so it is noticed
    // ln(10)/1.8 = 1.28 h sooner, as IntrusionDetection's 10 x works the other way.
    let plain = run(&scenario("", "", WORM)).outbreaks[0].detected_at[0].unwrap().as_secs_f64();
    let services = "services: [AlertsAndWarnings, IncidentHandling, IntrusionDetection, TechnologyWatch],";
    let watched = scenario(services, &once("TechnologyWatch", "4h", 0.9), WORM);
    let (o, log) = common::replicate_logged(&watched, 1);
    let early_h = (plain - o.outbreaks[0].detected_at[0].unwrap().as_secs_f64()) / 3_600.0;
    assert!((early_h - 10f64.ln() / 1.8).abs() < 0.25, "noticed {early_h:.2} h sooner");
    // The session is desk time, logged with its factor.
    let done: Vec<(u64, f64)> = log
        .iter()
        .filter_map(|e| match e.event {
            LogEvent::ProgrammeDone { service: Service::TechnologyWatch, factor, .. } => {
                Some((e.time.as_secs(), factor))
            }
            _ => None,
        })
        .collect();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, 4 * HOUR);
    assert!((done[0].1 - 0.1).abs() < 1e-12);
    let summary = summarise(&watched, &o);
    let p = &summary.csirts[0].programmes[0];
    assert_eq!((p.service, p.sessions), (Service::TechnologyWatch, 1));
    assert!((p.hours - 4.0).abs() < 1e-9, "{}", p.hours);
}

#[test]
fn audits_fix_the_stated_share_of_vulnerable_hosts_before_the_worm_arrives() {
    // Half the 50,000 hosts fixed by day 1: the worm can infect at most
    // 25,000 in Oronde, where without audits it takes more than that.
    let plain = run(&scenario("", "", WORM));
    let services = "services: [AlertsAndWarnings, IncidentHandling, IntrusionDetection, SecurityAudits, RiskAnalysis],";
    let audited = run(&scenario(services, &once("SecurityAudits", "8h", 0.5), WORM));
    assert_eq!(audited.outbreaks[0].audited, vec![25_000, 0]);
    assert!(audited.outbreaks[0].infected[0] <= 25_000, "{:?}", audited.outbreaks[0].infected);
    assert!(plain.outbreaks[0].infected[0] > 25_000, "{:?}", plain.outbreaks[0].infected);
    // Baltra's hosts are not Oronde's to audit.
    assert_eq!(plain.outbreaks[0].audited, vec![0, 0]);
    // Audits and risk analysis act on the same hosts: their factors multiply.
    let both = format!("{}, {}", once("SecurityAudits", "8h", 0.5), once("RiskAnalysis", "8h", 0.5));
    let both = run(&scenario(services, &both, WORM));
    assert_eq!(both.outbreaks[0].audited, vec![37_500, 0]);
}

#[test]
fn business_continuity_shortens_recovery_delays_by_the_stated_share() {
    // Alerts only: the port's victim recovers on its own after 4 days (96 h at
    // 0.8 lost), and the terminal 10 h after the port. Continuity planning
    // done at 8 h halves both: 48 h and 5 h.
    let alerts = "services: [AlertsAndWarnings, BusinessContinuity],";
    let plain = scenario(alerts, "", RANSOMWARE);
    let planned = scenario(alerts, &once("BusinessContinuity", "8h", 0.5), RANSOMWARE);
    let (p, c) = (summarise(&plain, &run(&plain)), summarise(&planned, &run(&planned)));
    assert!((p.assets[0].service_hours_lost - 0.8 * 96.0).abs() < 1e-9, "{}", p.assets[0].service_hours_lost);
    assert!((c.assets[0].service_hours_lost - 0.8 * 48.0).abs() < 1e-9, "{}", c.assets[0].service_hours_lost);
    assert!((p.assets[1].service_hours_lost - 0.8 * 106.0).abs() < 1e-9, "{}", p.assets[1].service_hours_lost);
    assert!((c.assets[1].service_hours_lost - 0.8 * 53.0).abs() < 1e-9, "{}", c.assets[1].service_hours_lost);
}

#[test]
fn artifact_handling_makes_analysis_steps_faster_and_leaves_the_others_alone() {
    // Triage (Analysis) 1 h becomes 30 min; containment (2 h) and recovery
    // (5 h) are as written: contained at 1d 2h30m, recovered at 1d 7h30m.
    let plain = scenario("", "", RANSOMWARE);
    let lab = scenario("", &once("ArtifactHandling", "4h", 0.5), RANSOMWARE);
    let (po, lo) = (run(&plain), run(&lab));
    assert_eq!(phase_end(&plain, &po.incidents[0], Phase::Containment).secs(), Some(DAY + 3 * HOUR));
    assert_eq!(phase_end(&lab, &lo.incidents[0], Phase::Containment).secs(), Some(DAY + 2 * HOUR + 1_800));
    assert_eq!(phase_end(&lab, &lo.incidents[0], Phase::Recovery).secs(), Some(DAY + 7 * HOUR + 1_800));
}

/// One CSIRT at trust 0.6 whose constituents notice 3,000 incidents over 30
/// days and report them with probability 0.6, raised by `programmes`.
fn reporting(programmes: &str) -> Arc<Scenario> {
    common::load_text(
        "reporting.ron",
        &format!(
            r#"Scenario(
                version: 1, name: "reporting", horizon: "40d",
                nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+12:00")],
                csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 50, sop: "ir", trust: 0.6,
                    services: [IncidentHandling, Announcements, InformationDissemination], programmes: [{programmes}])],
                sops: [Sop(id: "ir", steps: [Step(name: "triage", effort: Fixed("10m"))])],
                streams: [IncidentStream(id: "s", incident_type: Intrusion, csirt: "cert", rate: "100/d", limit: 3000,
                    detection: Detection(victim: Fixed("2d")))],
            )"#
        ),
    )
}

#[test]
fn announcements_raise_reporting_by_shrinking_the_share_who_would_not() {
    // Two programmes of the Unheeded effect at 0.5 each: the 40% who would not
    // report become 40% x 0.25 = 10% once both sessions are done (1 h in, of
    // 3,000 incidents over 30 days): 0.9 reported, within 3 SE.
    let both = format!(
        "{}, {}",
        r#"Programme(service: Announcements, every: "60d", effort: "1h", step: 0.5, floor: 0.0)"#,
        r#"Programme(service: InformationDissemination, every: "60d", effort: "1h", step: 0.5, floor: 0.0)"#
    );
    for (programmes, p) in [("", 0.6), (both.as_str(), 0.9)] {
        let o = common::replicate(&reporting(programmes), 11);
        let n = (o.incidents.len() + o.unknown_incidents.len()) as f64;
        assert_eq!(n, 3_000.0);
        let share = o.incidents.len() as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!((share - p).abs() < 3.0 * se, "{share:.4} reported, expected {p} (se {se:.4})");
    }
}

#[test]
fn a_busy_desk_misses_sessions_and_the_effect_waits_for_it() {
    // One analyst, a session of 8 h due every 4 h: every other one comes due
    // while the last still waits and is missed; the floor stops the factor.
    let text = r#"Scenario(version: 1, name: "busy", horizon: "2d",
        nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
        csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 1, sop: "s", services: [IncidentHandling, TechnologyWatch],
            programmes: [Programme(service: TechnologyWatch, every: "4h", effort: "8h", step: 0.5, floor: 0.2)])],
        sops: [Sop(id: "s", steps: [Step(name: "s", effort: Fixed("30m"))])],
    )"#;
    let (_, log) = common::replicate_logged(&common::load_text("busy.ron", text), 1);
    let done: Vec<f64> = log
        .iter()
        .filter_map(|e| match e.event {
            LogEvent::ProgrammeDone { factor, .. } => Some(factor),
            _ => None,
        })
        .collect();
    let missed = log.iter().filter(|e| matches!(e.event, LogEvent::ProgrammeMissed { .. })).count();
    // Due at 0, 4, ..., 48 h (13); done at 8, 16, 24, 32, 40, 48 h (6): the
    // ones due at 4, 12, 20, 28, 36 and 44 h are missed.
    assert_eq!(done.len(), 6, "{done:?}");
    assert_eq!(missed, 6);
    for (f, expected) in done.iter().zip([0.5, 0.25, 0.2, 0.2, 0.2, 0.2]) {
        assert!((f - expected).abs() < 1e-12, "{done:?}");
    }
}

#[test]
fn bad_programmes_are_refused_at_their_position_and_the_csirt_stays_in_validation() {
    let text = |programmes: &str, services: &str| {
        format!(
            r#"Scenario(version: 1, name: "t", horizon: "10d",
    nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
    csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 5, sop: "s", services: [{services}],
        programmes: [{programmes}])],
    sops: [Sop(id: "s", steps: [Step(name: "s", effort: Fixed("30m"))])],
    outbreaks: [Outbreak(id: "w", origin: "or", start: "1d", initial_infected: 5, contact_rate: "1.8/h",
        populations: [Population(nation: "or", vulnerable: 500)])],
)"#
        )
    };
    let err =
        |programmes: &str, services: &str| load_str("t.ron", &text(programmes, services), &[]).unwrap_err().to_string();
    let e = err(r#"Programme(service: IncidentHandling, every: "10d", effort: "8h", step: 0.2)"#, "IncidentHandling");
    assert!(e.contains("t.ron:4:"), "{e}");
    assert!(
        e.contains("CSIRT \"or-cert\" runs a programme of IncidentHandling, which is not run as a programme; expected one of EducationTraining, SecurityAudits"),
        "{e}"
    );
    let e = err(r#"Programme(service: SecurityAudits, every: "10d", effort: "8h", step: 0.2)"#, "IncidentHandling");
    assert!(
        e.contains("runs a SecurityAudits programme but does not offer SecurityAudits; add it to `services`"),
        "{e}"
    );
    let two = r#"Programme(service: SecurityAudits, every: "10d", effort: "8h", step: 0.2),
        Programme(service: SecurityAudits, every: "5d", effort: "8h", step: 0.1)"#;
    let e = err(two, "IncidentHandling, SecurityAudits");
    assert!(e.contains("t.ron:5:"), "{e}");
    assert!(e.contains("runs two programmes of SecurityAudits; merge them"), "{e}");
    // A bad duration is its own error, and only that: the CSIRT is still the
    // nation's national CSIRT, so the outbreak finds it.
    let e = err(
        r#"Programme(service: SecurityAudits, every: "10 days", effort: "8h", step: 1.5)"#,
        "IncidentHandling, SecurityAudits",
    );
    assert!(e.contains("the SecurityAudits programme interval of CSIRT \"or-cert\""), "{e}");
    assert!(e.contains("the SecurityAudits programme step of CSIRT \"or-cert\" must be 0 to 1, found 1.5"), "{e}");
    assert!(!e.contains("no national CSIRT"), "{e}");
    assert_eq!(e.matches("t.ron:").count(), 2, "{e}");
}

/// Of Oronde's hosts still susceptible when its protection came into place,
/// the share it protected, and how many hosts that share is of.
fn protected_share(o: &Outcome) -> (f64, f64) {
    let state = &o.outbreaks[0];
    let at = state.protected_at[0].expect("Oronde was warned and prepared");
    let infected = state.series.iter().take_while(|(t, _)| *t <= at).last().map_or(0, |(_, i)| i[0]);
    let susceptible = (50_000 - infected) as f64;
    (state.protected[0] as f64 / susceptible, susceptible)
}

#[test]
fn announcements_make_warned_constituents_act_on_a_warning_more_often() {
    // The worm starts in Baltra, which warns Oronde. With announcements at
    // 0.5, the share of Oronde's constituents who do not act on the warning is
    // halved: protected share s becomes 1 - (1 - s) x 0.5, within 3 SE.
    let worm = WORM.replace(r#"origin: "or""#, r#"origin: "bt""#);
    let services = "services: [AlertsAndWarnings, IncidentHandling, IntrusionDetection, Announcements],";
    let plain = scenario(services, "", &worm);
    let announced = scenario(services, &once("Announcements", "4h", 0.5), &worm);
    for seed in 1..4 {
        let (s0, n0) = protected_share(&common::replicate(&plain, seed));
        let (s1, n1) = protected_share(&common::replicate(&announced, seed));
        let expected = 1.0 - (1.0 - s0) * 0.5;
        let se = (s0 * (1.0 - s0) / n0 * 0.25 + expected * (1.0 - expected) / n1).sqrt();
        assert!(s0 > 0.0 && s0 < 0.9, "seed {seed}: {s0}");
        assert!((s1 - expected).abs() < 3.0 * se, "seed {seed}: {s1:.4} vs {expected:.4} (se {se:.4})");
    }
}

/// One analyst, a 1 h triage SOP, a TechnologyWatch programme of `programme`
/// and the injects `injects`.
fn one_analyst(programme: &str, injects: &str, horizon: &str) -> Arc<Scenario> {
    common::load_text(
        "one.ron",
        &format!(
            r#"Scenario(version: 1, name: "one", horizon: "{horizon}",
        nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
        csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 1, sop: "s", services: [IncidentHandling, TechnologyWatch],
            programmes: [Programme(service: TechnologyWatch, {programme})])],
        sops: [Sop(id: "s", steps: [Step(name: "s", effort: Fixed("1h"))])],
        injects: [{injects}],
    )"#
        ),
    )
}

fn sessions_done(s: &Arc<Scenario>) -> Vec<(u64, f64)> {
    let (_, log) = common::replicate_logged(s, 1);
    log.iter()
        .filter_map(|e| match e.event {
            LogEvent::ProgrammeDone { factor, .. } => Some((e.time.as_secs(), factor)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_programme_s_priority_puts_its_sessions_before_lower_incidents() {
    // Sessions of 1 h due every 100 min; two Low reports at 10 and 20 min.
    // The first session runs 0-1 h, the first report 1-2 h; the session due
    // at 1 h 40 min waits. In the Low lane it waits behind the second report
    // (done at 4 h); in the Medium lane it goes first (done at 3 h).
    let report = |id: &str, at: &str| {
        format!(
            r#"Inject(id: "{id}", at: "{at}", effects: [Report(incident_type: Phishing, severity: Low, csirt: "or-cert")])"#
        )
    };
    let injects = format!("{}, {}", report("a", "10m"), report("b", "20m"));
    let programme = |lane: &str| format!(r#"every: "100m", effort: "1h", step: 0.5, floor: 0.0, priority: {lane}"#);
    let at = |lane: &str| -> Vec<u64> {
        sessions_done(&one_analyst(&programme(lane), &injects, "4h30m")).iter().map(|d| d.0).collect()
    };
    assert_eq!(at("Low"), vec![HOUR, 4 * HOUR]);
    assert_eq!(at("Medium"), vec![HOUR, 3 * HOUR]);
}

#[test]
fn stopping_a_programme_ends_its_sessions_and_keeps_what_they_achieved() {
    // Sessions of 1 h every day from T+0, halving the threshold each time;
    // stopped at 2 d 12 h: three sessions done (1 h, 1 d 1 h, 2 d 1 h), none
    // after, and the factor stays at 0.125 to the end.
    let programme = r#"every: "1d", effort: "1h", step: 0.5, floor: 0.0"#;
    let stop =
        r#"Inject(id: "stop", at: "2d12h", effects: [StopProgramme(csirt: "or-cert", service: TechnologyWatch)])"#;
    let s = one_analyst(programme, stop, "6d");
    let done = sessions_done(&s);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), vec![HOUR, DAY + HOUR, 2 * DAY + HOUR]);
    let (o, log) = common::replicate_logged(&s, 1);
    let stopped: Vec<u64> = log
        .iter()
        .filter(|e| matches!(e.event, LogEvent::ProgrammeStopped { service: Service::TechnologyWatch, .. }))
        .map(|e| e.time.as_secs())
        .collect();
    assert_eq!(stopped, vec![2 * DAY + 12 * HOUR]);
    let p = &summarise(&s, &o).csirts[0].programmes[0];
    assert_eq!(p.sessions, 3);
    assert!((p.factor_at_end - 0.125).abs() < 1e-12);
    // Without the stop, six sessions (days 0 to 5).
    assert_eq!(sessions_done(&one_analyst(programme, "", "6d")).len(), 6);
    // Stopping one it does not run is refused at the service.
    let text = r#"Scenario(version: 1, name: "t", horizon: "6d",
    nations: [Nation(id: "or", name: "Oronde", utc_offset: "+00:00")],
    csirts: [Csirt(id: "or-cert", nation: "or", kind: National, analysts: 1, sop: "s")],
    sops: [Sop(id: "s", steps: [Step(name: "s", effort: Fixed("1h"))])],
    injects: [Inject(id: "stop", at: "1d", effects: [StopProgramme(csirt: "or-cert", service: SecurityAudits)])],
)"#;
    let e = load_str("t.ron", text, &[]).unwrap_err().to_string();
    assert!(e.contains("t.ron:5:"), "{e}");
    assert!(
        e.contains(
            "inject \"stop\" stops a programme of SecurityAudits that CSIRT \"or-cert\" does not run (it runs: none)"
        ),
        "{e}"
    );
}
