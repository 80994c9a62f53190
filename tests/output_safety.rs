//! `--force` replaces only what ttx wrote, never the working directory, an
//! ancestor of it or the home directory; an earlier result is replaced only once
//! the new one is complete; staging left by killed runs is cleared.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SCENARIO: &str = "scenarios/triage-desk.ron";

fn ttx_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx")).current_dir(dir).args(args).output().unwrap()
}

/// A working directory with the scenario copied in, and an unrelated folder.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("scenarios")).unwrap();
    fs::copy(SCENARIO, dir.path().join(SCENARIO)).unwrap();
    fs::create_dir(dir.path().join("thesis")).unwrap();
    fs::write(dir.path().join("thesis/chapter1.tex"), "my work").unwrap();
    dir
}

#[test]
fn force_never_replaces_what_ttx_did_not_write() {
    let ws = workspace();
    let quick = ["--set", "horizon=\"1d\""];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["run", SCENARIO, "--out", "thesis", "--force"], "refusing to replace thesis: it was not written by ttx"),
        (vec!["run", SCENARIO, "--out", ".", "--force"], "refusing to replace .: it is the working directory"),
        (
            vec!["run", SCENARIO, "--out", "..", "--force"],
            "refusing to replace ..: it is an ancestor of the working directory",
        ),
        (
            vec!["batch", SCENARIO, "--runs", "2", "--quiet", "--out", "thesis", "--force"],
            "refusing to replace thesis: it was not written by ttx",
        ),
        (
            vec!["batch", SCENARIO, "--runs", "2", "--quiet", "--out", "..", "--force"],
            "refusing to replace ..: it is an ancestor of the working directory",
        ),
        (vec!["merge", "thesis", "--out", "thesis", "--force"], "thesis/batch.json"),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> =
            args.iter().copied().chain(if args[0] == "merge" { &[][..] } else { &quick[..] }.iter().copied()).collect();
        let output = ttx_in(ws.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(fs::read_to_string(ws.path().join("thesis/chapter1.tex")).unwrap(), "my work", "{args:?}");
        assert!(ws.path().join(SCENARIO).exists(), "{args:?}");
    }
}

#[test]
fn force_replaces_ttx_output_only_once_the_new_one_is_complete() {
    let ws = workspace();
    let quick = ["--set", "horizon=\"1d\""];
    // A run replaces its own earlier run.
    assert!(ttx_in(ws.path(), &[&["run", SCENARIO, "--out", "r"][..], &quick].concat()).status.success());
    assert!(ws.path().join("r/.ttx-output").is_file());
    let again = ttx_in(ws.path(), &[&["run", SCENARIO, "--out", "r", "--force", "--seed", "2"][..], &quick].concat());
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    // A batch over an earlier batch that fails (event budget) leaves the old one whole.
    let batch = |extra: &[&str]| {
        ttx_in(ws.path(), &[&["batch", SCENARIO, "--runs", "3", "--quiet", "--out", "b"][..], &quick, extra].concat())
    };
    assert!(batch(&[]).status.success());
    let before = fs::read(ws.path().join("b/runs.csv")).unwrap();
    let failed = batch(&["--force", "--max-events", "50"]);
    assert_eq!(failed.status.code(), Some(1), "{}", String::from_utf8_lossy(&failed.stderr));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("(b is left as it was)"));
    assert_eq!(fs::read(ws.path().join("b/runs.csv")).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(ws.path())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.starts_with(".b.").then_some(name)
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // And a batch that succeeds replaces it.
    assert!(batch(&["--force", "--seed", "9"]).status.success());
    assert_ne!(fs::read(ws.path().join("b/runs.csv")).unwrap(), before);
    assert!(ws.path().join("b/.ttx-output").is_file());
}

#[test]
fn staging_left_by_a_killed_run_is_cleared() {
    let ws = workspace();
    // A dead process's staging (pid far above any live one here), marked as ttx's,
    // and a look-alike folder that is not ttx's.
    let stale = ws.path().join(".r.partial-4000000");
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join(".ttx-output"), "written by ttx").unwrap();
    let foreign = ws.path().join(".r.partial-4000001");
    fs::create_dir(&foreign).unwrap();
    let output = ttx_in(ws.path(), &["run", SCENARIO, "--out", "r", "--set", "horizon=\"1d\""]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stale.exists(), "the dead run's staging is removed");
    assert!(foreign.exists(), "what ttx did not mark is left alone");
}
