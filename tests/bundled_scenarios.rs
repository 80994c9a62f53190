//! Every bundled scenario validates, runs, and gives the same bytes for the same
//! seed (and other bytes for another seed).

use crate::common;

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

/// A batch worker reuses one World from replication to replication
/// (`Replication::in_world`): every bundled scenario, at several seeds, one
/// after another in the same World, logs exactly what a fresh World logs and
/// ends in the same state. Entity ids differ between the two; nothing may
/// depend on them.
#[test]
fn a_reused_world_runs_every_bundled_scenario_as_a_fresh_one() {
    let mut world = bevy_ecs::world::World::new();
    let mut replications = 0;
    for file in common::bundled() {
        let s = common::scenario(file.to_str().expect("a UTF-8 path"), &[]);
        for seed in 1..=3 {
            let (fresh, fresh_log) = common::replicate_logged(&s, seed);
            let mut log = Vec::new();
            let mut r = ttx::model::Replication::in_world(world, s.clone(), seed, 50_000_000, &mut log);
            r.run_to_horizon().expect("within the event budget");
            let (outcome, _, used) = r.finish_keeping_world();
            world = used;
            assert!(log == fresh_log, "{} seed {seed}: the logs differ", file.display());
            let summary = |o: &ttx::model::Outcome| serde_json::to_string(&ttx::score::summarise(&s, o)).expect("JSON");
            assert_eq!(summary(&outcome), summary(&fresh), "{} seed {seed}: the summaries differ", file.display());
            replications += 1;
        }
    }
    assert!(replications >= 21, "{replications} replications");
}
