//! "What the decisions changed": each answered decision replayed over many seeds
//! with its other options (common random numbers, paired CIs).

mod common;

use common::ttx;
use std::fs;
use std::path::Path;

const ISLAND: &str = "scenarios/island-cable-cut.ron";

/// `ttx run` of the island into `out` with these extra arguments.
fn run(out: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["run", ISLAND, "--out", out.to_str().unwrap()];
    args.extend(extra);
    let output = ttx(&args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (fs::read_to_string(out.join("report.md")).unwrap(), fs::read_to_string(out.join("counterfactuals.csv")).unwrap())
}

/// The counterfactuals.csv row of (decision, option, measure): mean, low, high.
fn row(csv: &str, decision: &str, option: &str, measure: &str) -> (f64, f64, f64) {
    let line = csv
        .lines()
        .find(|l| l.starts_with(&format!("{decision},")) && l.contains(&format!(",{option},{measure},")))
        .unwrap_or_else(|| panic!("no row {decision} {option} {measure}"));
    let cells: Vec<&str> = line.split(',').collect();
    (cells[6].parse().unwrap(), cells[7].parse().unwrap(), cells[8].parse().unwrap())
}

#[test]
fn an_option_s_effect_has_the_size_its_outages_imply() {
    // Both options of the port decision become outages of the island grid, which
    // depends on nothing: isolate loses 0.8 of it for 12 h (9.6 service-hours),
    // monitor 0.5 for 6 h (3.0). Monitor instead of isolate: -6.6 h in every seed.
    let dir = tempfile::tempdir().unwrap();
    let (report, csv) = run(
        &dir.path().join("r"),
        &[
            "--counterfactuals",
            "50",
            "--set",
            "injects.port-ransomware.decision.options.isolate.effects=[Outage(asset: \"power\", level: 0.2, duration: \"12h\")]",
            "--set",
            "injects.port-ransomware.decision.options.monitor.effects=[Outage(asset: \"power\", level: 0.5, duration: \"6h\")]",
        ],
    );
    let (mean, low, high) = row(&csv, "port-response", "monitor", "asset.power.service_hours_lost");
    assert!((mean + 6.6).abs() < 1e-6 && (low + 6.6).abs() < 1e-6 && (high + 6.6).abs() < 1e-6, "{mean} {low} {high}");
    assert!(
        report
            .contains("Island grid service-hours lost -6.6 h (better; 95% CI -6.6 to -6.6; better in 50 of 50 seeds)"),
        "{report}"
    );
    // The harbour depends on the grid through an 8-hour buffer: the 12-hour cut
    // reaches it, the 6-hour one does not, so monitor spares the harbour.
    let (harbour, _, high) = row(&csv, "port-response", "monitor", "asset.harbour.service_hours_lost");
    assert!(harbour < 0.0 && high < 0.0, "{harbour}");
}

#[test]
fn options_with_identical_effects_differ_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let (report, csv) = run(
        &dir.path().join("r"),
        &[
            "--counterfactuals",
            "30",
            "--set",
            "injects.port-ransomware.decision.options.monitor.effects=[Outage(asset: \"harbour\", level: 0.2, duration: \"12h\")]",
        ],
    );
    let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("port-response,isolate,monitor,")).collect();
    assert!(rows.len() > 10);
    for line in rows {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(&cells[6..], ["0.000000", "0.000000", "0.000000", "0", "0"], "{line}");
    }
    assert!(
        report.contains(
            "Choosing monitor instead would have changed nothing measured: every seed gives the same numbers."
        ),
        "{report}"
    );
}

#[test]
fn the_analysis_is_the_same_bytes_for_any_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let (one, csv_one) = run(&dir.path().join("j1"), &["--counterfactuals", "40", "--jobs", "1"]);
    let (two, csv_two) = run(&dir.path().join("j2"), &["--counterfactuals", "40", "--jobs", "2"]);
    assert_eq!(csv_one, csv_two);
    assert_eq!(one, two);
    // Monitoring instead of isolating the port costs harbour service: a second
    // ransomware reaches the terminal (level 0.3 until it is resolved).
    let (harbour, low, _) = row(&csv_one, "port-response", "monitor", "asset.harbour.service_hours_lost");
    assert!(harbour > 0.0 && low > 0.0, "{harbour} {low}");
}

#[test]
fn the_played_run_is_ranked_among_the_same_seeds_a_batch_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = run(&dir.path().join("r"), &["--counterfactuals", "20"]);
    // A batch of the same 20 seeds with the default choices (as this run made them).
    let batch = dir.path().join("b");
    let output = ttx(&["batch", ISLAND, "--runs", "20", "--seed", "1", "--out", batch.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let runs = fs::read_to_string(batch.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|c| *c == "overall_score").unwrap();
    let scores: Vec<f64> = runs.lines().skip(1).map(|l| l.split(',').nth(column).unwrap().parse().unwrap()).collect();
    let worse = scores.iter().filter(|s| **s < scores[0]).count();
    let expected = format!("on the overall score, luckier than {:.0}% of the 20 seeds", 100.0 * worse as f64 / 20.0);
    assert!(report.contains(&expected), "expected {expected:?} in\n{report}");
}

#[test]
fn zero_seeds_switch_the_analysis_off_and_a_run_without_decisions_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("off");
    let output = ttx(&["run", ISLAND, "--counterfactuals", "0", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!out.join("counterfactuals.csv").exists());
    assert!(!fs::read_to_string(out.join("report.md")).unwrap().contains("What the decisions changed"));
    let desk = dir.path().join("desk");
    let output = ttx(&["run", "scenarios/triage-desk.ron", "--out", desk.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!desk.join("counterfactuals.csv").exists());
}
