//! "What the decisions changed": each answered decision replayed over many seeds
//! with its other options (common random numbers, paired CIs).

use crate::common;

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
    (cells[7].parse().unwrap(), cells[8].parse().unwrap(), cells[9].parse().unwrap())
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
    // The harbour draws 0.6 of its supply from the grid, through an 8-hour
    // buffer and a 2-hour recovery delay. Isolate's 12-hour cut to 20% reaches it
    // from T+2d8h to T+2d14h: 0.6 x 0.8 x 6 h = 2.88 harbour service-hours. The
    // 6-hour cut never outlasts the buffer. So monitor spares the harbour 2.88 h.
    let (harbour, low, high) = row(&csv, "port-response", "monitor", "asset.harbour.service_hours_lost");
    assert!((harbour + 2.88).abs() < 1e-6 && (low + 2.88).abs() < 1e-6 && (high + 2.88).abs() < 1e-6, "{harbour}");
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
        assert_eq!(&cells[7..], ["0.000000", "0.000000", "0.000000", "0", "0"], "{line}");
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
    // Each decision with a clear difference has its chart, linked from report.md.
    for d in ["port-response", "regional-help"] {
        assert!(one.contains(&format!("decision-{d}.png")), "{d}");
        assert_eq!(
            fs::read(dir.path().join("j1").join(format!("decision-{d}.svg"))).unwrap(),
            fs::read(dir.path().join("j2").join(format!("decision-{d}.svg"))).unwrap()
        );
    }
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
    let expected = if worse == 0 {
        "on the overall score, no seed of the 20 did worse".to_string()
    } else {
        format!("on the overall score, luckier than {:.0}% of the 20 seeds", 100.0 * worse as f64 / 20.0)
    };
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

/// `ttx play` of the island with `commands` on standard input.
fn play(out: &Path, commands: &str, extra: &[&str]) {
    let island = format!("{}/{ISLAND}", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["play", island.as_str(), "--plain", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let output = common::ttx_with_input(Path::new("."), &args, commands.as_bytes());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_played_branch_is_analysed_like_the_same_run_with_a_decisions_file() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    play(&session, "next\nnext\nchoose monitor too risky\nnext\nchoose ask\nend\n", &["--counterfactuals", "30"]);
    let decisions = dir.path().join("d.ron");
    fs::write(&decisions, r#"{"port-response": "monitor", "regional-help": "ask"}"#).unwrap();
    let (report, csv) =
        run(&dir.path().join("r"), &["--decisions", decisions.to_str().unwrap(), "--counterfactuals", "30"]);
    assert_eq!(fs::read_to_string(session.join("branch-1/counterfactuals.csv")).unwrap(), csv);
    let section =
        |md: &str| md[md.find("### What the decisions changed").unwrap()..md.find("## 4.").unwrap()].to_string();
    let branch = fs::read_to_string(session.join("branch-1/report.md")).unwrap();
    assert_eq!(section(&branch), section(&report));
    assert!(
        branch.contains("Decision port-response: the table chose monitor. Choosing isolate instead: overall score +")
    );
}

#[test]
fn a_branch_keeps_its_contingency_injects_in_every_replay() {
    // The grid trips at T+2d (a contingency the facilitator delivered): each
    // replay has it, so the grid's loss is the same whatever the port option.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    play(&session, "next\nnext\nchoose isolate\ninject power-cut\nend\n", &["--counterfactuals", "20"]);
    let csv = fs::read_to_string(session.join("branch-1/counterfactuals.csv")).unwrap();
    let (power, low, high) = row(&csv, "port-response", "monitor", "asset.power.service_hours_lost");
    assert_eq!((power, low, high), (0.0, 0.0, 0.0), "the power cut is in both options' replays");
    // With the options as chosen the grid loses exactly the cut: 10 h at level 0,
    // in every seed (without the contingency it would lose nothing).
    let chosen = |csv: &str| -> f64 {
        let line = csv.lines().find(|l| l.contains(",asset.power.service_hours_lost,")).unwrap();
        line.split(',').nth(6).unwrap().parse().unwrap()
    };
    assert_eq!(chosen(&csv), 10.0);
    let (_, without) = run(&dir.path().join("r"), &["--counterfactuals", "20"]);
    assert_eq!(chosen(&without), 0.0);
    let report = fs::read_to_string(session.join("branch-1/report.md")).unwrap();
    assert!(report.contains("Decision port-response: the table chose isolate."), "{report}");
    assert!(!csv.contains("regional-help"), "a decision not answered on the branch is not analysed");
}
