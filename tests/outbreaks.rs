//! Worm spread (random constant spread model), detection, warnings across borders.

use crate::common;

use common::Secs;

use std::sync::Arc;
use ttx::engine::SimTime;
use ttx::model::Outcome;
use ttx::scenario::{Scenario, load_str};
use ttx::score::mean;

const HOUR: f64 = 3_600.0;

/// Nations "aa" (origin), "bb" and "cc", each with a national CSIRT; `csirts` adds
/// fields to them in that order; `outbreak` is the body of the Outbreak.
fn world(csirt_fields: [&str; 3], outbreak: &str, coordination: &str) -> Arc<Scenario> {
    let text = world_text(csirt_fields, outbreak, coordination);
    Arc::new(load_str("worm.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

/// The text [`world`] loads.
fn world_text(csirt_fields: [&str; 3], outbreak: &str, coordination: &str) -> String {
    format!(
        r#"Scenario(
            version: 1, name: "worm", horizon: "3d",
            nations: [
                Nation(id: "aa", name: "A", utc_offset: "+00:00"),
                Nation(id: "bb", name: "B", utc_offset: "+03:00"),
                Nation(id: "cc", name: "C", utc_offset: "+08:00"),
            ],
            csirts: [
                Csirt(id: "a-cert", nation: "aa", kind: National, sop: "clean", {}),
                Csirt(id: "b-cert", nation: "bb", kind: National, sop: "clean", {}),
                Csirt(id: "c-cert", nation: "cc", kind: National, sop: "clean", {}),
            ],
            sectors: [Sector(id: "b-gov", nation: "bb")],
            assets: [{}],
            sops: [Sop(id: "clean", steps: [Step(name: "clean", effort: Fixed("1h"), phase: Recovery)])],
            outbreaks: [Outbreak(id: "worm", {outbreak})],
            {coordination}
        )"#,
        staffed(csirt_fields[0]),
        staffed(csirt_fields[1]),
        staffed(csirt_fields[2]),
        (0..30).map(|i| format!(r#"Asset(id: "b-host-{i}", sector: "b-gov")"#)).collect::<Vec<_>>().join(", "),
    )
}

/// CSIRT fields with 50 analysts around the clock unless they give their own teams.
fn staffed(fields: &str) -> String {
    if fields.contains("teams") { fields.to_string() } else { format!("analysts: 50, {fields}") }
}

use common::replicate as run;

/// Least-squares slope of logit(a) against time (hours), over 5% < a < 95%.
fn fitted_k(series: &[(SimTime, Vec<u64>)], population: usize, vulnerable: f64) -> f64 {
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|(t, infected)| (t.as_secs_f64() / HOUR, infected[population] as f64 / vulnerable))
        .filter(|(_, a)| *a > 0.05 && *a < 0.95)
        .map(|(t, a)| (t, (a / (1.0 - a)).ln()))
        .collect();
    assert!(points.len() > 20, "too few points to fit: {}", points.len());
    let (mt, my) =
        (mean(&points.iter().map(|p| p.0).collect::<Vec<_>>()), mean(&points.iter().map(|p| p.1).collect::<Vec<_>>()));
    let sxy: f64 = points.iter().map(|(t, y)| (t - mt) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(t, _)| (t - mt).powi(2)).sum();
    sxy / sxx
}

#[test]
fn code_red_k_is_recovered_from_a_simulated_outbreak() {
    // Code Red: K = 1.8 per hour, 359,000 hosts (CAIDA); one population, uniform scanning.
    let s = world(
        ["", "", ""],
        r#"origin: "aa", start: "1h", initial_infected: 10, contact_rate: "1.8/h", tick: "10s",
           populations: [Population(nation: "aa", vulnerable: 359000)], warn_others: false"#,
        "",
    );
    for seed in [1, 2, 3] {
        let o = run(&s, seed);
        let k = fitted_k(&o.outbreaks[0].series, 0, 359_000.0);
        assert!((k - 1.8).abs() / 1.8 < 0.05, "seed {seed}: fitted K = {k:.4} per hour");
        // more than 359,000 hosts infected within 14 hours of the start (CAIDA)
        let t14 = (1.0 + 14.0) * HOUR;
        let at_14h = o.outbreaks[0].series.iter().take_while(|(t, _)| t.as_secs_f64() <= t14).last().unwrap().1[0];
        assert!(at_14h as f64 > 0.99 * 359_000.0, "seed {seed}: {at_14h} infected after 14 h");
    }
}

#[test]
fn the_same_worm_hits_nations_unevenly_by_their_technology_mix() {
    // Uniform scanning: every vulnerable host is equally likely to be hit, so the
    // infected counts follow the vulnerable populations (here 10:3:1).
    let s = world(
        ["", "", ""],
        r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h",
           populations: [Population(nation: "aa", vulnerable: 100000), Population(nation: "bb", vulnerable: 30000), Population(nation: "cc", vulnerable: 10000)],
           warn_others: false"#,
        "",
    );
    let o = run(&s, 4);
    // at the moment half of all hosts are infected, each nation is near half infected
    let (_, half) = o.outbreaks[0].series.iter().find(|(_, i)| i.iter().sum::<u64>() >= 70_000).unwrap();
    for (k, n) in [100_000.0, 30_000.0, 10_000.0].iter().enumerate() {
        let share = half[k] as f64 / n;
        assert!((share - 0.5).abs() < 0.03, "nation {k}: {share:.3} infected when half of all are");
    }
}

/// Origin A, then B with 30 exposed hosts; strong local preference makes B lag A
/// by hours, so a warning from A can arrive before the worm does.
fn lagging(warn: bool) -> Arc<Scenario> {
    let exposed: Vec<String> = (0..30).map(|i| format!(r#"Target(asset: "b-host-{i}", level: 0.5)"#)).collect();
    world(
        ["first_member: true", "first_member: true", ""],
        &format!(
            r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 0.995,
               populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)],
               detection_threshold: 0.001, exposed_assets: [{}], warn_others: {warn}"#,
            exposed.join(", ")
        ),
        r#"coordination: Coordination(direct: "1h", call_effort: "20m", warning_protection: 0.6, preparation: "2h"),"#,
    )
}

fn compromised(o: &Outcome) -> f64 {
    o.outbreaks[0].compromised_at.iter().filter(|c| c.is_some()).count() as f64
}

#[test]
fn warnings_before_arrival_mean_fewer_compromised_assets_over_200_seeds() {
    let (warned, silent) = (lagging(true), lagging(false));
    let differences: Vec<f64> =
        (0..200).map(|seed| compromised(&run(&silent, seed)) - compromised(&run(&warned, seed))).collect();
    let d = mean(&differences);
    let sd = (differences.iter().map(|x| (x - d).powi(2)).sum::<f64>() / 199.0).sqrt();
    let half_width = 1.972 * sd / 200f64.sqrt(); // t(199, 0.975)
    // Without a warning all 30 hosts fall; warned in time, each is protected with
    // probability 0.6: 18 fewer on average.
    assert!(d - half_width > 0.0, "warnings must help: {d:.2} +- {half_width:.2}");
    assert!((d - 18.0).abs() < half_width + 1.0, "expected 18 fewer, got {d:.2} +- {half_width:.2}");
    let one = run(&warned, 0);
    let share = one.outbreaks[0].infected_share_when_warned[1].unwrap();
    assert!(share < 0.001, "the warning arrives before B notices anything: {share}");
}

#[test]
fn without_first_membership_the_call_abroad_takes_longer() {
    let outbreak = r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 0.99,
        populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)]"#;
    let coordination = r#"coordination: Coordination(direct: "1h", indirect: "1d", call_effort: "20m"),"#;
    let members = world(["first_member: true", "first_member: true", ""], outbreak, coordination);
    let strangers = world(["first_member: true", "", ""], outbreak, coordination);
    let regional = world([r#"regions: ["pacific"]"#, r#"regions: ["pacific"]"#, ""], outbreak, coordination);
    let unreachable = world(["", "", ""], outbreak, r#"coordination: Coordination(indirect: None),"#);
    let warned = |s: &Arc<Scenario>| run(s, 7).outbreaks[0].warned_at[1];
    let detected = run(&members, 7).outbreaks[0].detected_at[0].unwrap().secs();
    // The call (20 min), the channel's latency, then 10 min to read it (`read_effort`).
    let read = 10 * 60;
    assert_eq!((warned(&members)).secs(), Some(detected + 20 * 60 + 3_600 + read));
    assert_eq!((warned(&strangers)).secs(), Some(detected + 20 * 60 + 86_400 + read));
    assert_eq!(
        (warned(&regional)).secs(),
        Some(detected + 20 * 60 + 3_600 + read),
        "a shared regional body works like FIRST"
    );
    assert_eq!(warned(&unreachable), None, "nobody to call");
}

#[test]
fn the_coordinator_calls_the_most_exposed_nation_first() {
    let outbreak = r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 0.99,
        populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 1000), Population(nation: "cc", vulnerable: 80000)]"#;
    let all = ["first_member: true"; 3];
    let s = world(all, outbreak, r#"coordination: Coordination(direct: "30m", call_effort: "20m"),"#);
    let o = run(&s, 3);
    let detected = o.outbreaks[0].detected_at[0].unwrap().secs();
    // C (80,000 hosts) is called first, B (1,000) second: 20 and 40 minutes of
    // calls, 30 min on the channel, 10 min to read.
    assert_eq!(o.outbreaks[0].warned_at[2].secs(), Some(detected + 20 * 60 + 1_800 + 600));
    assert_eq!(o.outbreaks[0].warned_at[1].secs(), Some(detected + 40 * 60 + 1_800 + 600));
}

#[test]
fn time_zones_decide_when_an_outbreak_is_noticed_and_a_warning_acted_on() {
    // T+0 is Monday 00:00 UTC. A's CSIRT (UTC) works 08:00-17:00; the worm starts
    // at 01:00 UTC and crosses the threshold within the hour, but A notices only at
    // 08:00. Its warning reaches C (UTC+8, also 08:00-17:00 local) at 09:20 UTC =
    // 17:20 in C: nobody is there, so C reads it at 08:00 local next day (Tuesday
    // 00:00 UTC; 10 min of `read_effort`), passes it on to its constituents
    // (45 min of an analyst's time) and is protected 2 h later. B is not in
    // the outbreak.
    let office = r#"teams: [Team(analysts: 5, shift: BusinessHours(from: "08:00", to: "17:00"))], first_member: true"#;
    let outbreak = r#"origin: "aa", start: "1h", initial_infected: 500, contact_rate: "1.8/h", local_preference: 1.0,
        populations: [Population(nation: "aa", vulnerable: 100000), Population(nation: "cc", vulnerable: 30000)]"#;
    let coordination =
        r#"coordination: Coordination(direct: "1h", call_effort: "20m", notify_effort: "45m", preparation: "2h"),"#;
    let s = world([office, office, office], outbreak, coordination);
    let o = &run(&s, 1).outbreaks[0];
    let h = |x: u64| x * 3_600;
    assert_eq!(o.detected_at[0].secs(), Some(h(8)), "noticed when the office opens");
    assert_eq!(o.warning_read_after[1].map(|d| d.as_secs()), Some(h(24) - (h(9) + 20 * 60)));
    assert_eq!(o.warned_at[1].secs(), Some(h(24) + 10 * 60), "warned when it has been read");
    assert_eq!(
        o.protected_at[1].secs(),
        Some(h(24) + 10 * 60 + 45 * 60 + h(2)),
        "read the next morning, passed on, 2 h to prepare"
    );
    // The same warning to a CSIRT on duty around the clock is passed on at once.
    let s = world([office, office, "first_member: true"], outbreak, coordination);
    let o = &run(&s, 1).outbreaks[0];
    assert_eq!(o.warning_read_after[1].map(|d| d.as_secs()), Some(0));
    assert_eq!(o.protected_at[1].secs(), Some(h(8) + 20 * 60 + h(1) + 10 * 60 + 45 * 60 + h(2)));
}

#[test]
fn a_takedown_at_the_origin_slows_the_worm_by_its_factor() {
    // Detected at 0.1% (about 50 hosts), takedown 1 h later multiplies K by 0.4:
    // the logistic growth rate fitted after the takedown is 0.4 x 1.8 = 0.72 per hour.
    let body = |takedown: &str| {
        format!(
            r#"origin: "aa", start: "1h", initial_infected: 10, contact_rate: "1.8/h", tick: "10s",
               populations: [Population(nation: "aa", vulnerable: 50000)], warn_others: false {takedown}"#
        )
    };
    let with = world(["", "", ""], &body(r#", takedown: Takedown(delay: "1h", factor: 0.4)"#), "");
    let without = world(["", "", ""], &body(""), "");
    let o = run(&with, 5);
    let state = &o.outbreaks[0];
    let takedown = state.takedown_at.expect("takedown happened");
    assert_eq!(Some(takedown).secs(), state.detected_at[0].secs().map(|d| d + 3_600));
    let after: Vec<(SimTime, Vec<u64>)> = state.series.iter().filter(|(t, _)| *t > takedown).cloned().collect();
    let k = fitted_k(&after, 0, 50_000.0);
    assert!((k - 0.72).abs() / 0.72 < 0.05, "fitted K after the takedown: {k:.4}");
    // Seven hours after the start: without a takedown logit(a) = -8.5 + 1.8 x 7 = 4.1,
    // a = 98%; with it (at about 0.6% infected, logit -5.1, 2.9 h in) the logit is
    // -5.1 + 0.72 x 5.1 = -1.4, a = 19%.
    let at =
        |o: &Outcome, t: u64| o.outbreaks[0].series.iter().take_while(|(at, _)| at.as_secs() <= t).last().unwrap().1[0];
    let t = 8 * 3_600;
    let (with_n, without_n) = (at(&o, t), at(&run(&without, 5), t));
    assert!(with_n < 15_000 && without_n > 48_000, "{with_n} vs {without_n}");
}

/// A warns B under `tlp`; B's CSIRT keeps to labels with probability `discipline`.
fn labelled(tlp: &str, discipline: &str) -> Arc<Scenario> {
    let exposed: Vec<String> = (0..30).map(|i| format!(r#"Target(asset: "b-host-{i}", level: 0.5)"#)).collect();
    world(
        ["first_member: true", &format!("first_member: true, tlp_discipline: {discipline}"), ""],
        &format!(
            r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 0.995,
               populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)],
               exposed_assets: [{}]"#,
            exposed.join(", ")
        ),
        &format!(
            r#"coordination: Coordination(direct: "1h", warning_protection: 0.6, preparation: "2h", warning_tlp: {tlp}),"#
        ),
    )
}

#[test]
fn tlp_red_never_reaches_a_third_party() {
    for (tlp, may_pass_on) in
        [("Clear", true), ("Green", true), ("Amber", true), ("AmberStrict", false), ("Red", false)]
    {
        let s = labelled(tlp, "1.0");
        for seed in 0..20 {
            let o = &run(&s, seed).outbreaks[0];
            assert!(o.warned_at[1].is_some(), "{tlp}: B is warned");
            assert_eq!(o.forwarded[1], may_pass_on, "{tlp}, seed {seed}: passed on to B's constituents?");
            assert_eq!(o.protected_at[1].is_some(), may_pass_on, "{tlp}: only constituents who hear can protect");
            assert_eq!(o.tlp_violations, 0);
        }
    }
}

#[test]
fn a_careless_recipient_breaks_the_label_at_its_stated_rate_and_each_breach_is_counted() {
    // Discipline 0.7: a RED warning is passed on in 30% of runs, each time counted.
    let s = labelled("Red", "0.7");
    let runs = 400;
    let violations: u32 = (0..runs).map(|seed| run(&s, seed).outbreaks[0].tlp_violations).sum();
    let rate = f64::from(violations) / runs as f64;
    let se = (0.3 * 0.7 / runs as f64).sqrt();
    assert!((rate - 0.3).abs() < 3.0 * se, "violation rate {rate:.3} (se {se:.3})");
}

#[test]
fn a_warning_before_compromise_halves_the_containment_effort() {
    // B's hosts that fall after the warning are contained in half the effort
    // (warned_containment_factor 0.5). Protection is off, so the same hosts fall in
    // both runs and only the containment effort differs.
    let exposed: Vec<String> = (0..30).map(|i| format!(r#"Target(asset: "b-host-{i}", level: 0.5)"#)).collect();
    let make = |warn: bool| {
        let text = format!(
            r#"Scenario(
            version: 1, name: "contain", horizon: "3d",
            nations: [Nation(id: "aa", name: "A", utc_offset: "+00:00"), Nation(id: "bb", name: "B", utc_offset: "+00:00")],
            csirts: [
                Csirt(id: "a-cert", nation: "aa", kind: National, analysts: 50, sop: "ir", first_member: true),
                Csirt(id: "b-cert", nation: "bb", kind: National, analysts: 50, sop: "ir", first_member: true),
            ],
            sectors: [Sector(id: "b-gov", nation: "bb")],
            assets: [{}],
            sops: [Sop(id: "ir", steps: [Step(name: "contain", effort: Fixed("4h"), phase: Containment)])],
            outbreaks: [Outbreak(id: "worm", origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h",
                local_preference: 0.995, warn_others: {warn},
                populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)],
                exposed_assets: [{}])],
            coordination: Coordination(warning_protection: 0.0, warned_containment_factor: 0.5),
        )"#,
            (0..30).map(|i| format!(r#"Asset(id: "b-host-{i}", sector: "b-gov")"#)).collect::<Vec<_>>().join(", "),
            exposed.join(", ")
        );
        Arc::new(load_str("contain.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")))
    };
    let efforts = |o: &Outcome| o.incidents.iter().map(|i| i.work[0].effort).collect::<Vec<_>>();
    let (warned, silent) = (run(&make(true), 2), run(&make(false), 2));
    assert_eq!((efforts(&silent)).secs(), vec![4 * 3_600; 30]);
    assert_eq!((efforts(&warned)).secs(), vec![2 * 3_600; 30], "every host fell after the warning arrived");
}

#[test]
fn constituents_act_on_a_warning_after_the_channel_latency_and_as_far_as_they_trust_the_csirt() {
    // B is warned before the worm reaches it (local preference 1: it never does).
    // Protection: 60% of its hosts x the share of constituents who heed the CSIRT.
    let make = |b_fields: &str| {
        world(
            ["first_member: true", b_fields, ""],
            r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 1.0,
               populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)]"#,
            r#"coordination: Coordination(direct: "1h", warning_protection: 0.6, preparation: "2h",
                constituent_latency: "3h", constituent_trust: 0.5),"#,
        )
    };
    let no_mandate = &run(&make("first_member: true"), 1).outbreaks[0];
    let mandate = &run(&make("first_member: true, mandate: Legal"), 1).outbreaks[0];
    let share = |o: &ttx::model::OutbreakState| o.protected[1] as f64 / 50_000.0;
    // binomial sd of the share: sqrt(0.3 x 0.7 / 50,000) = 0.002
    assert!((share(no_mandate) - 0.3).abs() < 0.01, "{}", share(no_mandate));
    assert!((share(mandate) - 0.6).abs() < 0.01, "{}", share(mandate));
    // A crisis cell with the authority to direct operators (B at its level
    // "directed" from T+30m, before the warning) makes every constituent act,
    // as a mandate does; a cell without it changes nothing.
    let directed = |authority: bool| {
        let text = world_text(
            ["first_member: true", "first_member: true", ""],
            r#"origin: "aa", start: "1h", initial_infected: 5, contact_rate: "1.8/h", local_preference: 1.0,
               populations: [Population(nation: "aa", vulnerable: 50000), Population(nation: "bb", vulnerable: 50000)]"#,
            r#"coordination: Coordination(direct: "1h", warning_protection: 0.6, preparation: "2h",
                constituent_latency: "3h", constituent_trust: 0.5),
               injects: [Inject(id: "cell", at: "30m", text: "B convenes its crisis cell.",
                   effects: [SetCrisisLevel(nation: "bb", level: "directed")])],"#,
        )
        .replace(
            r#"Nation(id: "bb", name: "B", utc_offset: "+03:00"),"#,
            &format!(
                r#"Nation(id: "bb", name: "B", utc_offset: "+03:00",
                    crisis_levels: [CrisisLevel(name: "directed", authority: {authority})]),"#
            ),
        );
        let s = Arc::new(load_str("worm.ron", &text, &[]).unwrap_or_else(|d| panic!("{d}")));
        share(&run(&s, 1).outbreaks[0])
    };
    assert!((directed(true) - 0.6).abs() < 0.01, "{}", directed(true));
    assert!((directed(false) - 0.3).abs() < 0.01, "{}", directed(false));
    let warned = no_mandate.warned_at[1].unwrap().secs();
    assert_eq!(
        no_mandate.protected_at[1].secs(),
        Some(warned + 30 * 60 + 3 * 3_600 + 2 * 3_600),
        "read and passed on (the default 30 min notice), received 3 h later, 2 h to prepare"
    );
}
