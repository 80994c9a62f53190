//! Malformed scenarios: each gets its exact message at its exact `line:column`,
//! exit status 2 from the CLI, and no panic.

use assert_cmd::Command;
use std::path::Path;
use ttx::scenario::load_str;

const GOOD: &str = include_str!("../scenarios/triage-desk.ron");

/// The bundled scenario with one piece of text replaced (the replacement must apply).
fn mutate(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "fixture text {from:?} not in triage-desk.ron");
    GOOD.replacen(from, to, 1)
}

/// (case name, scenario text, the headline of every diagnostic, in order).
fn cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        (
            "empty file",
            String::new(),
            vec!["bad.ron: the file is empty: expected a scenario, Scenario(version: 1, name: ..., ...)"],
        ),
        (
            "not RON (JSON)",
            "{\"name\": \"desk\"}\n".into(),
            vec!["bad.ron:1:1: expected opening `(` for struct `Scenario`"],
        ),
        (
            "syntax error: missing comma",
            mutate("horizon: \"30d\",", "horizon: \"30d\""),
            vec!["bad.ron:14:5: expected comma"],
        ),
        (
            "truncated file",
            GOOD[..GOOD.find("sops:").unwrap()].to_string(),
            vec!["bad.ron:20:7: unexpected end of file: a bracket or parenthesis is not closed"],
        ),
        (
            "unknown field",
            mutate("analysts: 10)", "analysts: 10, shifts: 3)"),
            vec![
                "bad.ron:19:97: unknown field \"shifts\" in Csirt; expected one of: id, name, nation, kind, analysts, teams, structure, maturity, handover, sop, sops_by_type, per_type_sops, first_member, regions, services, unassisted_recovery, tlp_discipline, mandate, trust, regulator_reluctance, legal_review, reporting_deadline, anonymous_share, international_link, outreach, training, programmes, office",
            ],
        ),
        (
            "misspelt field",
            mutate("analysts: 10)", "analyst: 10)"),
            vec!["bad.ron:19:83: unknown field \"analyst\" in Csirt; did you mean \"analysts\"?"],
        ),
        ("missing field", mutate(" kind: National,", ""), vec!["bad.ron:19:79: missing field \"kind\" in Csirt"]),
        (
            "maturity off the SIM3 scale",
            mutate("analysts: 10)", "analysts: 10, maturity: 5)"),
            vec!["bad.ron:19:107: the maturity of CSIRT \"natcert\" must be 0 to 4 (SIM3 scale), found 5"],
        ),
        (
            "malformed shift time and a bad tier",
            mutate(
                "analysts: 10)",
                "teams: [Team(tier: 4, analysts: 2), Team(analysts: 3, shift: BusinessHours(from: \"8am\", to: \"17:00\"))])",
            ),
            vec![
                "bad.ron:19:102: tiers run from 1 to 3; CSIRT \"natcert\" has a team of tier 4",
                "bad.ron:19:164: malformed time of day \"8am\": expected \"HH:MM\", e.g. \"08:00\"",
            ],
        ),
        (
            "two teams of one tier without names, and a rota that cannot be worked",
            mutate(
                "analysts: 10)",
                "teams: [Team(analysts: 2), Team(analysts: 1, shift: Hours(from: \"20:00\", to: \"08:00\")), Team(tier: 2, analysts: 2, seats: 1, shift: Always)])",
            ),
            vec![
                "bad.ron:19:110: CSIRT \"natcert\" has two teams of tier 1; give each a `name` (e.g. \"day\", \"night\") or merge them",
                "bad.ron:19:215: team \"tier 2\" of CSIRT \"natcert\" takes turns (`seats`), but `Always` has nobody changing over; use `Continuous(changes: [\"07:00\", \"19:00\"])`",
            ],
        ),
        (
            "rota faults: bad days, no length, leave without a rota, changes out of order",
            mutate(
                "analysts: 10)",
                "teams: [Team(name: \"a\", analysts: 2, shift: Hours(from: \"08:00\", to: \"08:00\")), Team(name: \"b\", analysts: 2, leave: 0.1, shift: Hours(from: \"09:00\", to: \"17:00\", days: [Mon, Mon])), Team(name: \"c\", tier: 2, analysts: 3, seats: 1, leave: 0.7, sickness: 0.4, shift: Continuous(changes: [\"19:00\", \"07:00\"])), Team(name: \"d\", tier: 3, analysts: 3, seats: 0, shift: Continuous(changes: [\"07:00\"]))])",
            ),
            vec![
                "bad.ron:19:127: the shift of team \"a\" of CSIRT \"natcert\" from 08:00 to 08:00 has no length; for a team on duty around the clock use `Always` or `Continuous`",
                "bad.ron:19:163: team \"b\" of CSIRT \"natcert\" has leave or sickness but no rota; give it `seats` (how many are on duty at once)",
                "bad.ron:19:257: the shift of team \"b\" of CSIRT \"natcert\" lists Mon twice",
                "bad.ron:19:265: team \"c\" of CSIRT \"natcert\" is absent 110% of the time (leave plus sickness); it must be under 100%",
                "bad.ron:19:377: the changes of shift of team \"c\" of CSIRT \"natcert\" must be in order within the day; 07:00 comes after a later one",
                "bad.ron:19:434: team \"d\" of CSIRT \"natcert\" has 0 seats; a rota needs at least 1",
            ],
        ),
        (
            "a shift longer than a week's hours, and an inject naming a shared tier",
            mutate(
                "analysts: 10)",
                "teams: [Team(name: \"day\", analysts: 2), Team(name: \"night\", analysts: 2, seats: 1, shift: Continuous(changes: [\"07:00\"]))])",
            )
            .replacen("injects: [],", "rules: Rules(hours_per_week: 20), injects: [Inject(id: \"h\", at: \"1d\", effects: [Hire(csirt: \"natcert\", analysts: 1), Hire(csirt: \"natcert\", analysts: 1, team: \"nite\")])],", 1),
            vec![
                "bad.ron:19:173: team \"night\" of CSIRT \"natcert\" cannot be staffed: its shifts of 24h are longer than a person's week (`rules.hours_per_week` 20)",
                "bad.ron:33:85: inject \"h\" names tier 1, but CSIRT \"natcert\" has several tier-1 teams (day, night); name one with `team`",
                "bad.ron:33:164: inject \"h\" names team \"nite\", but CSIRT \"natcert\" has none; expected one of: day, night",
            ],
        ),
        (
            "tiered team without the tier a step needs",
            mutate("analysts: 10)", "structure: Tiered, teams: [Team(analysts: 3)])").replacen(
                "Exponential(mean: \"1h\")",
                "Exponential(mean: \"1h\"), tier: 2",
                1,
            ),
            vec![
                "bad.ron:31:9: incident stream \"reports\": step \"triage\" of SOP \"triage\" needs a tier-2 analyst, but tiered CSIRT \"natcert\" has no team of that tier or above",
            ],
        ),
        (
            "per-type switch without per-type SOPs, and a bad start",
            mutate("analysts: 10)", "analysts: 10, per_type_sops: true)").replacen(
                "seed: 1,",
                "seed: 1, start: \"2026-02-30T08:00Z\",",
                1,
            ),
            vec![
                "bad.ron:14:21: malformed start \"2026-02-30T08:00Z\": expected a UTC date and time, e.g. \"2026-03-02T08:00Z\"",
                "bad.ron:19:112: CSIRT \"natcert\" switches on `per_type_sops` but gives no `sops_by_type`",
            ],
        ),
        (
            "no analysts",
            mutate(", analysts: 10)", ")"),
            vec!["bad.ron:19:9: CSIRT \"natcert\" has no analysts: give `analysts: N` or `teams: [...]`"],
        ),
        (
            "duplicate field",
            mutate("seed: 1,", "seed: 1, seed: 2,"),
            vec!["bad.ron:14:14: field \"seed\" is given twice in Scenario"],
        ),
        (
            "unknown enum variant",
            mutate("kind: National", "kind: Nationl"),
            vec!["bad.ron:19:73: unknown CsirtKind \"Nationl\"; did you mean \"National\"?"],
        ),
        (
            "unknown reference",
            mutate("csirt: \"natcert\"", "csirt: \"natcrt\""),
            vec!["bad.ron:31:68: unknown CSIRT \"natcrt\" in incident stream \"reports\"; did you mean \"natcert\"?"],
        ),
        (
            "unknown reference, nothing close",
            mutate("sop: \"triage\", rate", "sop: \"forensics\", rate"),
            vec!["bad.ron:31:84: unknown SOP \"forensics\" in incident stream \"reports\"; expected one of: triage"],
        ),
        (
            "negative rate",
            mutate("rate: \"9/h\"", "rate: \"-2/h\""),
            vec![
                "bad.ron:31:100: rate \"-2/h\" must be above 0 incidents per duration (rate of incident stream \"reports\")",
            ],
        ),
        (
            "malformed rate",
            mutate("rate: \"9/h\"", "rate: \"9 per hour\""),
            vec![
                "bad.ron:31:100: malformed rate \"9 per hour\": expected a number of incidents per duration, e.g. \"9/h\", \"12/d\", \"1/45m\" (rate of incident stream \"reports\")",
            ],
        ),
        (
            "zero analysts",
            mutate("analysts: 10", "analysts: 0"),
            vec!["bad.ron:19:93: CSIRT \"natcert\" needs at least 1 analyst, found 0"],
        ),
        (
            "malformed duration",
            mutate("mean: \"1h\"", "mean: \"1 hour\""),
            vec![
                "bad.ron:26:64: malformed duration \"1 hour\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (effort of step \"triage\" in SOP \"triage\")",
            ],
        ),
        (
            "impossible distribution",
            mutate("Exponential(mean: \"1h\")", "Uniform(min: \"2h\", max: \"1h\")"),
            vec![
                "bad.ron:26:46: a uniform distribution needs min < max, found min 2h and max 1h (effort of step \"triage\" in SOP \"triage\")",
            ],
        ),
        (
            "unsupported version",
            mutate("version: 1", "version: 2"),
            vec!["bad.ron:10:14: unsupported scenario version 2: this ttx reads version 1"],
        ),
        (
            "zero horizon",
            mutate("horizon: \"30d\"", "horizon: \"0s\""),
            vec!["bad.ron:13:14: the horizon must be longer than 0s"],
        ),
        (
            "bad UTC offset",
            mutate("\"+12:00\"", "\"+25:00\""),
            vec![
                "bad.ron:16:78: malformed UTC offset \"+25:00\" for nation \"kv\": expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and +14:00, e.g. \"+12:00\"",
            ],
        ),
        (
            "duplicate ids and an invalid id, all reported",
            mutate(
                "Csirt(id: \"natcert\"",
                "Csirt(id: \"natcert\", name: \"A\", nation: \"kv\", kind: Sector, analysts: 2), Csirt(id: \"Nat Cert\", name: \"B\", nation: \"kv\", kind: Sector, analysts: 2), Csirt(id: \"natcert\"",
            ),
            vec![
                "bad.ron:19:93: invalid CSIRT id \"Nat Cert\": ids use lowercase letters, digits, '-' and '_', and start with a letter or digit",
                "bad.ron:19:168: duplicate CSIRT id \"natcert\": each CSIRT needs its own id",
            ],
        ),
        (
            "inject after the horizon",
            mutate("injects: [],", "injects: [Inject(id: \"late\", at: \"31d\", text: \"too late\")],"),
            vec!["bad.ron:33:38: inject \"late\" at 31d is after the horizon 30d, so it would never happen"],
        ),
        (
            "an inject without a time, a contingency with one, and a shared id",
            mutate(
                "injects: [],",
                "injects: [Inject(id: \"x\", text: \"when?\")], contingencies: [Inject(id: \"x\", at: \"1d\", text: \"now\")],",
            ),
            vec![
                "bad.ron:33:15: inject \"x\" needs `at`: when it is delivered, e.g. at: \"1d6h\"",
                "bad.ron:33:75: contingency inject \"x\" has the id of a scheduled inject; ids must differ",
                "bad.ron:33:84: contingency inject \"x\" is delivered when the facilitator chooses (ttx play): remove `at`, or move it to `injects`",
            ],
        ),
        (
            "SOP without steps",
            mutate(
                "steps: [\n                Step(name: \"triage\", effort: Exponential(mean: \"1h\")),\n            ],",
                "steps: [],",
            ),
            vec!["bad.ron:25:20: SOP \"triage\" has no steps; it needs at least one"],
        ),
        (
            "a window longer than the horizon, and a bad currency",
            mutate("horizon: \"30d\",", "horizon: \"30d\", window: \"31d\", currency: \"US dollars\","),
            vec![
                "bad.ron:13:29: the exercise window 31d is longer than the horizon 30d; scores cannot cover time that is not played",
                "bad.ron:13:46: malformed currency \"US dollars\": expected a short code without spaces, e.g. \"USD\" or \"FJD\"",
            ],
        ),
        (
            "objective filters with unknown ids and too few cases",
            mutate(
                "injects: [],",
                "injects: [], objectives: [Objective(id: \"o\", measure: Triaged(within: \"4h\", stream: \"report\", sector: \"ports\"), min_cases: 0)],",
            ),
            vec![
                "bad.ron:33:89: unknown incident stream \"report\" in objective \"o\"; did you mean \"reports\"?",
                "bad.ron:33:107: unknown sector \"ports\" in objective \"o\"; the scenario declares no sector",
                "bad.ron:33:128: objective \"o\" needs min_cases of 1 or more (cases a rating needs), found 0",
            ],
        ),
        (
            "a variant name with a line break",
            mutate(
                "injects: [],",
                "injects: [], variants: [Variant(name: \"two\\nlines\", set: {}), Variant(name: \"b\")],",
            ),
            vec![
                "bad.ron:33:43: the variant name \"two\\nlines\" holds a control character (a line break, a tab): it labels a row of runs.csv; use plain text on one line",
            ],
        ),
        (
            "several problems at once, in file order",
            mutate("analysts: 10", "analysts: -1").replacen("rate: \"9/h\"", "rate: \"0/h\"", 1).replacen(
                "nation: \"kv\"",
                "nation: \"kw\"",
                1,
            ),
            vec![
                "bad.ron:19:61: unknown nation \"kw\" in CSIRT \"natcert\"; did you mean \"kv\"?",
                "bad.ron:19:93: CSIRT \"natcert\" needs at least 1 analyst, found -1",
                "bad.ron:31:100: rate \"0/h\" must be above 0 incidents per duration (rate of incident stream \"reports\")",
            ],
        ),
        (
            "call order naming an unknown CSIRT, and one twice",
            mutate(
                "horizon: \"30d\",",
                "horizon: \"30d\", coordination: Coordination(call_order: List([\"natcrt\", \"natcert\", \"natcert\"])),",
            ),
            vec![
                "bad.ron:13:66: unknown CSIRT \"natcrt\" in the call order; did you mean \"natcert\"?",
                "bad.ron:13:87: CSIRT \"natcert\" is listed twice in the call order",
            ],
        ),
        (
            "outreach without the service, too often, gaining too much",
            mutate(
                "kind: National, analysts: 10),",
                "kind: National, analysts: 10,\n            outreach: Outreach(every: \"30m\", effort: \"0s\", gain: 1.5)),",
            ),
            vec![
                "bad.ron:20:23: CSIRT \"natcert\" holds outreach sessions but does not offer AwarenessBuilding; add it to `services`",
                "bad.ron:20:39: outreach sessions of CSIRT \"natcert\" every 30m are more often than ttx models (at most one an hour)",
                "bad.ron:20:54: the outreach effort of CSIRT \"natcert\" must be longer than 0s",
                "bad.ron:20:66: the outreach gain of CSIRT \"natcert\" must be 0 to 1, found 1.5",
            ],
        ),
        (
            "trust effects naming what cannot be",
            mutate(
                "injects: [],",
                "injects: [Inject(id: \"i\", at: \"1d\", effects: [ChangeTrust(relation: Peers(\"natcert\", \"natcert\"), by: 2.0), RegionalExercise(region: \"pacific\"), Enforcement(csirt: \"natcert\"), ChangeTrust(relation: Police(\"kv\"), by: 0.1), ChangeTrust(relation: Vendor(\"acme\"), by: 0.1)])],\n    trust: TrustRules(exercise: -0.1),",
            ),
            vec![
                "bad.ron:33:90: inject \"i\" names CSIRT \"natcert\" twice as peers",
                "bad.ron:33:106: inject \"i\" changes trust by 2; use -1 to 1",
                "bad.ron:33:137: inject \"i\" holds an exercise of region \"pacific\", but no CSIRT lists it in `regions`; an exercise needs a region two or more CSIRTs list",
                "bad.ron:33:168: inject \"i\": CSIRT \"natcert\" enforces, but only a regulator can; give it `mandate: Regulator`",
                "bad.ron:33:209: inject \"i\" changes trust in the law enforcement of nation \"kv\", which has none; give it `law_enforcement`",
                "bad.ron:33:255: unknown vendor \"acme\" in inject \"i\"; the scenario declares no vendor",
                "bad.ron:34:33: the trust rule `exercise` must be 0 to 1, found -0.1",
            ],
        ),
        (
            "meetings too often, a bad gain, a bad answer effort",
            mutate(
                "horizon: \"30d\",",
                "horizon: \"30d\", coordination: Coordination(answer_effort: \"soon\", meetings: Meetings(every: \"20m\", effort: \"10m\", gain: 2.0)),",
            ),
            vec![
                "bad.ron:13:63: malformed duration \"soon\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (answer effort in coordination)",
                "bad.ron:13:97: meetings every 20m are more often than ttx models (at most one an hour)",
                "bad.ron:13:125: the meeting gain must be 0 to 1, found 2",
            ],
        ),
        (
            "replacement without attrition, and a malformed delay",
            mutate(
                "kind: National, analysts: 10),",
                "kind: National, teams: [Team(analysts: 4, replaced_after: \"30d\"), Team(tier: 2, analysts: 1, attrition: \"1/90d\", replaced_after: \"a month\")]),",
            ),
            vec![
                "bad.ron:19:125: a team of CSIRT \"natcert\" replaces leavers but has no `attrition`; add one",
                "bad.ron:19:196: malformed duration \"a month\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (the replacement delay of a team of CSIRT \"natcert\")",
            ],
        ),
        (
            "judgement rules out of range",
            mutate(
                "horizon: \"30d\",",
                "horizon: \"30d\", rules: Rules(effort_by_maturity: [1.5, 1.0, 1.0, 0.9], rework_by_maturity: [0.2, 0.1, 1.5, 0.0, 0.0], mandated_compliance: 1.2, unsensed_detection_factor: 0.5),",
            ),
            vec![
                "bad.ron:13:54: `effort_by_maturity` needs 5 values, for maturity 0 to 4; found 4",
                "bad.ron:13:107: `rework_by_maturity` for maturity 2 must be 0 to 1, found 1.5",
                "bad.ron:13:144: the rule `mandated_compliance` must be 0 to 1, found 1.2",
                "bad.ron:13:176: the rule `unsensed_detection_factor` must be at least 1, found 0.5",
            ],
        ),
        (
            "unknown call order",
            mutate("horizon: \"30d\",", "horizon: \"30d\", coordination: Coordination(call_order: Nearest),"),
            vec![
                "bad.ron:13:60: unknown CallOrder \"Nearest\"; expected one of: LargestExposure, RegionalFirst, ByTrust, AwakeFirst, List",
            ],
        ),
        (
            "an inject to an unknown team, twice to one, and a decision owned by nobody known",
            mutate(
                "injects: [],",
                "injects: [Inject(id: \"i\", at: \"1d\", text: \"t\", to: [\"natcrt\", \"natcert\", \"natcert\"], \
                 decision: Decision(id: \"d\", question: \"q\", owner: \"police\", options: [\
                 Choice(id: \"a\", default: true), Choice(id: \"b\")]))],",
            ),
            vec![
                "bad.ron:33:57: unknown CSIRT \"natcrt\" in inject \"i\"; did you mean \"natcert\"?",
                "bad.ron:33:78: inject \"i\" names CSIRT \"natcert\" twice in `to`",
                "bad.ron:33:140: unknown CSIRT \"police\" in decision \"d\"; expected one of: natcert",
            ],
        ),
        (
            "team groups: a CSIRT's id, an unknown CSIRT, one CSIRT in two groups, an empty group",
            mutate(
                "injects: [],",
                "injects: [], team_groups: [TeamGroup(id: \"natcert\", csirts: [\"natcrt\"]), \
                 TeamGroup(id: \"a\", csirts: [\"natcert\"]), TeamGroup(id: \"b\", csirts: [\"natcert\"]), \
                 TeamGroup(id: \"c\", csirts: [])],",
            ),
            vec![
                "bad.ron:33:46: team group \"natcert\" has the id of a CSIRT: a team is named by its id in the URLs and the journal, so give the group its own",
                "bad.ron:33:66: unknown CSIRT \"natcrt\" in team group \"natcert\"; did you mean \"natcert\"?",
                "bad.ron:33:147: CSIRT \"natcert\" is in team group \"a\" and in \"b\": one team answers for a CSIRT",
                "bad.ron:33:187: team group \"c\" lists no CSIRTs: name the CSIRTs its players stand for",
            ],
        ),
    ]
}

#[test]
fn every_malformed_scenario_gets_its_exact_messages() {
    let cases = cases();
    assert!(cases.len() >= 15);
    for (name, text, expected) in cases {
        let diagnostics = load_str("bad.ron", &text, &[]).expect_err(name);
        let got: Vec<String> = diagnostics.0.iter().map(|d| d.headline()).collect();
        assert_eq!(got, expected, "case: {name}");
    }
}

#[test]
fn the_cli_exits_2_without_panicking_on_every_malformed_scenario() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expected) in cases() {
        let path = dir.path().join("bad.ron");
        std::fs::write(&path, text).unwrap();
        let output =
            Command::cargo_bin("ttx").unwrap().current_dir(dir.path()).args(["validate", "bad.ron"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "case: {name}\n{stderr}");
        assert!(!stderr.contains("panicked"), "case: {name}\n{stderr}");
        assert!(stderr.contains(&format!("error: {}", expected[0])), "case: {name}\n{stderr}");
        let count = expected.len();
        let footer = format!("{count} problem{} found", if count == 1 { "" } else { "s" });
        assert!(stderr.trim_end().ends_with(&footer), "case: {name}\n{stderr}");
    }
}

#[test]
fn a_caret_points_at_the_column() {
    let diagnostics = load_str("bad.ron", &mutate("analysts: 10", "analysts: 0"), &[]).unwrap_err();
    let rendered = diagnostics.0[0].to_string();
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(
        lines[2],
        "19 |         Csirt(id: \"natcert\", name: \"National CERT\", nation: \"kv\", kind: National, analysts: 0),"
    );
    let caret = lines[3].find('^').unwrap() - "   | ".len();
    assert_eq!(caret + 1, 93);
}

#[test]
fn a_missing_file_is_a_clear_input_error() {
    Command::cargo_bin("ttx")
        .unwrap()
        .args(["validate", "no/such/scenario.ron"])
        .assert()
        .code(2)
        .stderr("error: no/such/scenario.ron: cannot read the scenario: no such file\n1 problem found\n");
}

#[test]
fn bad_overrides_are_reported_against_the_set_that_caused_them() {
    let file = Path::new("scenarios/triage-desk.ron");
    let o = |a: &str| ttx::scenario::Override::parse(a).unwrap();
    let cases = [
        (
            "csirts.natcrt.analysts=4",
            "--set csirts.natcrt.analysts=4: \"csirts\" has no item \"natcrt\"; did you mean \"natcert\"?",
        ),
        (
            "csirts.natcert.analysts=0",
            "--set csirts.natcert.analysts=0: CSIRT \"natcert\" needs at least 1 analyst, found 0",
        ),
        (
            "streams.reports.rate=fast",
            "--set streams.reports.rate=fast: malformed rate \"fast\": expected a number of incidents per duration, e.g. \"9/h\", \"12/d\", \"1/45m\" (rate of incident stream \"reports\")",
        ),
        (
            "streams.reports.shifts=3",
            "--set streams.reports.shifts=3: unknown field \"shifts\" in IncidentStream; expected one of: id, incident_type, csirt, sop, rate, limit, severity, target, detection",
        ),
        ("horizon.days=3", "--set horizon.days=3: \"horizon\" is a single value; \"days\" cannot be found inside it"),
        (
            "csirts.natcert.analysts=4 5",
            "--set csirts.natcert.analysts=4 5: the value `4 5` is not one RON value (at character 3); write a single value, quoting text: a number, \"text\", a list [..] or Name(field: ..)",
        ),
    ];
    for (assignment, expected) in cases {
        let err = ttx::scenario::load_file(file, &[o(assignment)]).unwrap_err();
        assert_eq!(err.0.iter().map(|d| d.headline()).collect::<Vec<_>>(), vec![expected.to_string()], "{assignment}");
    }
    assert_eq!(
        ttx::scenario::Override::parse("analysts").unwrap_err().to_string(),
        "malformed override \"analysts\": expected KEY=VALUE, e.g. csirts.natcert.analysts=4"
    );
    assert_eq!(
        ttx::scenario::Override::parse("csirts.natcert.analysts=").unwrap_err().to_string(),
        "malformed override \"csirts.natcert.analysts=\": the value after '=' is empty"
    );
}

#[test]
fn an_unknown_nation_does_not_hide_the_csirts_other_problems() {
    let text = mutate(
        "nation: \"kv\", kind: National, analysts: 10)",
        "nation: \"kw\", kind: National, analysts: 10, unassisted_recovery: \"soon\", trust: 2.0)",
    );
    let got: Vec<String> = load_str("bad.ron", &text, &[]).unwrap_err().0.iter().map(|d| d.headline()).collect();
    assert_eq!(
        got,
        vec![
            "bad.ron:19:61: unknown nation \"kw\" in CSIRT \"natcert\"; did you mean \"kv\"?".to_string(),
            "bad.ron:19:118: malformed duration \"soon\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\" (unassisted recovery of CSIRT \"natcert\")".to_string(),
            "bad.ron:19:133: `trust` of CSIRT \"natcert\" must be 0 to 1, found 2".to_string(),
        ]
    );
}

#[test]
fn a_byte_order_mark_and_any_line_endings_are_read_as_editors_show_them() {
    let bom = format!("\u{feff}{GOOD}");
    assert!(load_str("bom.ron", &bom, &[]).is_ok(), "a UTF-8 BOM is accepted");
    let crlf = GOOD.replace('\n', "\r\n");
    assert!(load_str("crlf.ron", &crlf, &[]).is_ok());
    // Old Mac line endings: the error is on its own line, not line 1.
    let broken = mutate("horizon: \"30d\",", "horizon: \"30d\"").replace('\n', "\r");
    let got: Vec<String> = load_str("bad.ron", &broken, &[]).unwrap_err().0.iter().map(|d| d.headline()).collect();
    assert_eq!(got, vec!["bad.ron:14:5: expected comma"]);
    let broken_crlf = mutate("horizon: \"30d\",", "horizon: \"30d\"").replace('\n', "\r\n");
    let got: Vec<String> = load_str("bad.ron", &broken_crlf, &[]).unwrap_err().0.iter().map(|d| d.headline()).collect();
    assert_eq!(got, vec!["bad.ron:14:5: expected comma"]);
}
