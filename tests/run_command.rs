//! `ttx run` as a user runs it: outputs, determinism, common random numbers,
//! refusal to overwrite, I/O errors, the event budget.

use crate::common;

use std::path::Path;

const SCENARIO: &str = "scenarios/triage-desk.ron";

use common::ttx_command as ttx;

fn run(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = ttx();
    cmd.args(["run", SCENARIO, "--out"]).arg(out).args(extra);
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (incident number, report time) for every report in an events.csv.
fn report_times(events: &Path) -> Vec<(String, u64)> {
    let mut reader = csv::Reader::from_path(events).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[2] == "incident_reported")
        .map(|r| (r[3].split(' ').next().unwrap().to_string(), r[0].parse().unwrap()))
        .collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    run(&a, &["--seed", "5"]);
    run(&b, &["--seed", "5"]);
    run(&c, &["--seed", "6"]);
    for file in ["events.csv", "summary.json"] {
        assert_eq!(read(&a.join(file)), read(&b.join(file)), "{file} differs for one seed");
        assert_ne!(read(&a.join(file)), read(&c.join(file)), "{file} equal for two seeds");
    }
}

#[test]
fn changing_staffing_leaves_arrivals_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (ten, twelve) = (dir.path().join("10"), dir.path().join("12"));
    run(&ten, &[]);
    run(&twelve, &["--set", "csirts.natcert.analysts=12"]);
    let (a, b) = (report_times(&ten.join("events.csv")), report_times(&twelve.join("events.csv")));
    assert!(a.len() > 6_000, "30 days at 9/h: about 6,480 reports, got {}", a.len());
    assert_eq!(a, b, "report times must not depend on staffing (common random numbers)");
    let summary = |d: &Path| -> serde_json::Value { serde_json::from_slice(&read(&d.join("summary.json"))).unwrap() };
    let wait = |d: &Path| summary(d)["queue_wait_s"]["restricted_mean_s"].as_f64().unwrap();
    // Erlang C: Wq = 0.669 h with 10 analysts, 0.070 h with 12 at rho = 0.9 / 0.75.
    assert!(wait(&twelve) < 0.3 * wait(&ten), "12 analysts: {} s vs 10: {} s", wait(&twelve), wait(&ten));
}

#[test]
fn outputs_have_the_promised_shape() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let output = run(&out, &[]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("triage-desk (seed 1): "), "{stdout}");
    assert!(stdout.contains("queue wait"), "{stdout}");
    assert!(stdout.contains("natcert"), "{stdout}");

    let events = String::from_utf8(read(&out.join("events.csv"))).unwrap();
    assert_eq!(events.lines().next(), Some("time,sequence,event,entities,details"));
    let summary: serde_json::Value = serde_json::from_slice(&read(&out.join("summary.json"))).unwrap();
    let reported = summary["incidents"]["reported"].as_u64().unwrap();
    let closed = summary["incidents"]["closed"].as_u64().unwrap();
    assert_eq!(events.lines().filter(|l| l.contains(",incident_reported,")).count() as u64, reported);
    assert_eq!(events.lines().filter(|l| l.contains(",incident_closed,")).count() as u64, closed);
    // Per-incident rows are in incidents.csv only, not repeated in summary.json.
    assert!(summary.get("incident_list").is_none());
    let incidents = String::from_utf8(read(&out.join("incidents.csv"))).unwrap();
    let known = incidents.lines().skip(1).filter(|l| l.split(',').nth(1) == Some("true")).count();
    assert_eq!(known as u64, reported);
    let wait = &summary["time_to_triage_s"];
    assert_eq!(wait["cases"].as_u64().unwrap(), reported);
    assert_eq!(wait["still_open"].as_u64().unwrap() + wait["done"].as_u64().unwrap(), reported);
    let utilisation = summary["csirts"][0]["utilisation"].as_f64().unwrap();
    assert!((utilisation - 0.9).abs() < 0.03, "utilisation {utilisation}");
    // the event log is in kernel order: times never go back
    let times: Vec<u64> = events.lines().skip(1).map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn never_overwrites_earlier_results_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    run(&out, &["--seed", "1"]);
    let before = read(&out.join("summary.json"));
    ttx()
        .args(["run", SCENARIO, "--seed", "2", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(format!(
            "error: {} already exists: ttx does not overwrite earlier results; choose another --out, or pass --force to replace it\n",
            out.display()
        ));
    assert_eq!(read(&out.join("summary.json")), before, "earlier results untouched");
    run(&out, &["--seed", "2", "--force"]);
    assert_ne!(read(&out.join("summary.json")), before, "--force replaces");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("r")], "no staging directories left behind");
}

#[test]
fn default_output_directory_is_per_scenario_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    std::fs::copy(SCENARIO, dir.path().join(SCENARIO)).unwrap();
    ttx().current_dir(dir.path()).args(["run", SCENARIO, "--seed", "3"]).assert().success();
    assert!(dir.path().join("reports/triage-desk/seed-3/summary.json").is_file());
}

#[test]
fn an_unwritable_output_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let out = blocker.join("report");
    let assert = ttx().args(["run", SCENARIO, "--out"]).arg(&out).assert().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.starts_with(&format!("error: cannot create the directory {}: ", blocker.display())), "{stderr}");
}

#[test]
fn a_runaway_scenario_stops_at_the_event_budget() {
    let dir = tempfile::tempdir().unwrap();
    let assert = ttx()
        .args([
            "run",
            SCENARIO,
            "--set",
            "streams.reports.rate=1000/s",
            "--set",
            "horizon=3650d",
            "--max-events",
            "5000",
            "--out",
        ])
        .arg(dir.path().join("r"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // Arrivals that outpace handling hit the bound on incidents held in memory
    // (one per 25 events of the budget) before the event budget itself.
    assert!(stderr.starts_with("error: the run held more than 200 incidents in memory at T+"), "{stderr}");
    assert!(!dir.path().join("r").exists(), "a failed run leaves no report");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nor a staging directory");
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    for args in [vec!["--help"], vec!["run", "--help"], vec!["validate", "--help"]] {
        let output = ttx().args(&args).output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("Examples:\n  ttx "), "{args:?}: {text}");
    }
    ttx().args(["run"]).assert().code(2);
    ttx().args(["run", SCENARIO, "--seed", "minus-one"]).assert().code(2);
}

#[test]
fn validate_reports_every_bundled_scenario_ok() {
    let assert = ttx().args(["validate", SCENARIO]).assert().success();
    assert_eq!(
        String::from_utf8_lossy(&assert.get_output().stdout),
        "scenarios/triage-desk.ron: ok (1 nation, 1 CSIRT, 1 SOP, 1 incident stream, 0 injects; horizon 30d)\n"
    );
}

#[test]
fn a_reader_that_goes_away_does_not_make_ttx_panic() {
    // `ttx run FILE | head -1`: stdout closed before the summary is printed.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["run", SCENARIO, "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.join("report.html").exists(), "the work is done and kept");
}
