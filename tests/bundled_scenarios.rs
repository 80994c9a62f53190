//! Every bundled scenario validates, runs, and gives the same bytes for the same
//! seed (and other bytes for another seed).

mod common;

use assert_cmd::Command;

use common::bundled;

#[test]
fn the_bundle_has_the_scenarios_the_docs_promise() {
    let names: Vec<String> = bundled().iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for expected in [
        "education-phishing",
        "island-cable-cut",
        "new-csirt-services",
        "sop-comparison",
        "staff-exodus",
        "triage-desk",
        "worm-time-zones",
    ] {
        assert!(names.contains(&expected.to_string()), "missing {expected}: {names:?}");
    }
}

#[test]
fn every_bundled_scenario_runs_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    for file in bundled() {
        Command::cargo_bin("ttx").unwrap().arg("validate").arg(&file).assert().success();
        let run = |name: &str, seed: &str| {
            let out = dir.path().join(format!("{}-{name}", file.file_stem().unwrap().to_string_lossy()));
            Command::cargo_bin("ttx")
                .unwrap()
                .arg("run")
                .arg(&file)
                .args(["--seed", seed, "--out"])
                .arg(&out)
                .assert()
                .success();
            (std::fs::read(out.join("events.csv")).unwrap(), std::fs::read(out.join("summary.json")).unwrap())
        };
        let (a, b, c) = (run("a", "3"), run("b", "3"), run("c", "4"));
        assert!(a == b, "{}: same seed, different bytes", file.display());
        assert!(a.0 != c.0, "{}: another seed, same events", file.display());
    }
}
