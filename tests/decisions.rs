//! Decision points: the engine stops before each, the table's choice (or the
//! decisions file) changes the world exactly as the option states, and the
//! default is taken when nobody decides.

use crate::common;

use assert_cmd::Command;
use std::path::Path;
use std::sync::Arc;
use ttx::engine::SimTime;
use ttx::model::{NullSink, Outcome, Replication, Upcoming};
use ttx::scenario::{InjectId, Scenario, load_decisions};

const ISLAND: &str = "scenarios/island-cable-cut.ron";
const DAY: u64 = 86_400;

fn island() -> Arc<Scenario> {
    common::scenario(ISLAND, &[])
}

fn inject(s: &Scenario, id: &str) -> InjectId {
    s.each_inject().find(|(_, i)| i.id == id).unwrap().0
}

fn harbour_at(s: &Scenario, o: &Outcome, t: u64) -> f64 {
    let i = s.assets.iter().position(|a| a.id == "harbour").unwrap();
    o.assets[i].history.iter().take_while(|(at, _)| at.as_secs() <= t).last().unwrap().1
}

fn run_with(s: &Arc<Scenario>, choices: &[(InjectId, usize)]) -> Outcome {
    let mut r = Replication::new(s.clone(), 1, 10_000_000, NullSink);
    for (inject, option) in choices {
        r.choose(*inject, *option).unwrap();
    }
    r.run_to_horizon().unwrap();
    r.finish().0
}

#[test]
fn each_option_changes_the_harbour_as_it_states() {
    let s = island();
    let port = inject(&s, "port-ransomware");
    // Port IT at 10% weighs 40% on the harbour: 1 - 0.4 x 0.9 = 0.64.
    // isolate (default): harbour's own level 0.2 for 12 h -> 0.2 x 0.64 = 0.128.
    let isolated = run_with(&s, &[]);
    assert!((harbour_at(&s, &isolated, 2 * DAY) - 0.128).abs() < 1e-12);
    assert!((harbour_at(&s, &isolated, 2 * DAY + 12 * 3600) - 0.64).abs() < 1e-12, "manual mode ends after 12 h");
    assert!(isolated.decisions[0].by_default);
    // monitor: a second ransomware incident holds the harbour at 0.3 -> 0.3 x 0.64 = 0.192,
    // until that incident is recovered, much later than 12 h.
    let monitored = run_with(&s, &[(port, 1)]);
    assert!((harbour_at(&s, &monitored, 2 * DAY) - 0.192).abs() < 1e-12);
    assert!(harbour_at(&s, &monitored, 2 * DAY + 12 * 3600) < 0.64);
    let ransomware =
        |o: &Outcome| o.incidents.iter().filter(|i| i.incident_type == ttx::scenario::IncidentType::Ransomware).count();
    assert_eq!((ransomware(&isolated), ransomware(&monitored)), (1, 2));
    assert!(!monitored.decisions[0].by_default);
}

#[test]
fn accepting_regional_help_adds_two_responders_after_eighteen_hours() {
    // With Kavala's one generic SOP for everything (every phishing report ~10 h
    // of work) its desk has a queue for the responders to shorten; with its
    // short per-type SOPs the crisis cell's surge staff empty it on their own.
    let s = common::scenario(ISLAND, &[("csirts.kv-cert.per_type_sops", "false")]);
    let help = inject(&s, "regional-offer");
    let accepted = run_with(&s, &[(help, 0)]);
    let declined = run_with(&s, &[]);
    // Either way the national crisis cell (convened at day 2) brings two surge
    // analysts: 3 + 2, and 2 more responders when the help is accepted.
    assert_eq!(accepted.desks[0].teams[0].headcount, 7);
    assert_eq!(declined.desks[0].teams[0].headcount, 5);
    assert_eq!(accepted.desks[1].teams[0].headcount, 4, "Marau lends two of its six");
    // Same incidents either way; with more responders Kavala's queue is shorter.
    assert_eq!(accepted.incidents.len(), declined.incidents.len());
    let (a, d) = (accepted.desks[0].totals.queue_s, declined.desks[0].totals.queue_s);
    assert!(a < 0.98 * d, "queue integral {a} vs {d}");
}

#[test]
fn the_engine_stops_before_each_decision_and_resumes_with_the_tables_choice() {
    let s = island();
    let mut r = Replication::new(s.clone(), 1, 10_000_000, NullSink);
    let mut posed = Vec::new();
    loop {
        r.run_until(SimTime::MAX, |e| matches!(e, Upcoming::Decision { .. })).unwrap();
        let Some(inject) = r.pending_decision() else {
            break;
        };
        posed.push((r.next_event().unwrap().0.as_secs(), s.injects[inject].decision.as_ref().unwrap().id.clone()));
        r.choose(inject, 1).unwrap(); // the second option each time
        assert!(r.step().unwrap());
    }
    assert_eq!(posed, vec![(2 * DAY, "port-response".to_string()), (2 * DAY + 6 * 3600, "regional-help".to_string())]);
    let live = r.finish().0;
    // The same choices from a decisions file give the same run.
    let from_file = run_with(&s, &[(inject(&s, "port-ransomware"), 1), (inject(&s, "regional-offer"), 1)]);
    assert_eq!(live.incidents, from_file.incidents);
    assert_eq!(live.decisions, from_file.decisions);
}

#[test]
fn choosing_rejects_injects_without_decisions_and_missing_options() {
    let s = island();
    let mut r = Replication::new(s.clone(), 1, 1_000, NullSink);
    let cut = inject(&s, "cable-cut");
    assert_eq!(r.choose(cut, 0).unwrap_err().to_string(), format!("inject {} poses no decision", cut.index()));
    assert_eq!(
        r.choose(inject(&s, "port-ransomware"), 9).unwrap_err().to_string(),
        "decision \"port-response\" has no option 9"
    );
}

/// `ttx run` on the island with a decisions file, into `out`.
fn run_island_cli(decisions: &Path, out: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("ttx")
        .unwrap()
        .args(["run", ISLAND, "--decisions"])
        .arg(decisions)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn decisions_files_are_checked_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.ron");
    std::fs::write(&path, "{\n  \"port-respons\": \"isolate\",\n  \"regional-help\": \"maybe\",\n}\n").unwrap();
    let err = load_decisions(&path, &island()).unwrap_err();
    let got: Vec<String> = err.0.iter().map(|d| d.headline()).collect();
    let file = path.display();
    assert_eq!(
        got,
        vec![
            format!("{file}:2:3: unknown decision \"port-respons\"; did you mean \"port-response\"?"),
            format!("{file}:3:20: decision \"regional-help\" has no option \"maybe\"; expected one of: ask, decline"),
        ]
    );
    // through the CLI: exit 2, nothing written
    let out = dir.path().join("r");
    run_island_cli(&path, &out).code(2);
    assert!(!out.exists());
    // a good file: the summary records the choices
    std::fs::write(&path, "{\"port-response\": \"monitor\"}").unwrap();
    run_island_cli(&path, &out).success();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["decisions"][0]["option"], "monitor");
    assert_eq!(summary["decisions"][0]["by_default"], false);
    assert_eq!(summary["decisions"][1]["option"], "decline");
    assert_eq!(summary["decisions"][1]["by_default"], true);
}
