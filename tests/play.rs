//! `ttx play` driven as a script or by stdin (`--plain`): the table's decisions
//! change the outcome as the options state, a session replayed from its journal
//! gives the same files, a killed session resumes losing nothing, and branches
//! are both kept and compared in the exercise report.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

const ISLAND: &str = "scenarios/island-cable-cut.ron";
const DAY: u64 = 86_400;

use common::ttx_command as ttx;

/// Plays `commands` (one per line) on stdin in `out`.
fn play(out: &Path, commands: &str) -> std::process::Output {
    let output = ttx().args(["play", ISLAND, "--plain", "--out"]).arg(out).write_stdin(commands).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The harbour's service level at time t in a branch's assets.csv.
fn harbour_at(branch: &Path, t: u64) -> f64 {
    let mut reader = csv::Reader::from_path(branch.join("assets.csv")).unwrap();
    let rows: Vec<(u64, f64)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] == "harbour")
        .map(|r| (r[0].parse().unwrap(), r[4].parse().unwrap()))
        .collect();
    rows.iter().take_while(|(at, _)| *at <= t).last().unwrap().1
}

fn ransomware_incidents(branch: &Path) -> usize {
    let mut reader = csv::Reader::from_path(branch.join("incidents.csv")).unwrap();
    reader.records().filter(|r| &r.as_ref().unwrap()[3] == "ransomware").count()
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Both directories hold the same files with the same bytes; returns how many.
fn assert_same_files(a: &Path, b: &Path) -> usize {
    let (a, b) = (files(a), files(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(*bytes == b[path], "{} differs", path.display());
    }
    a.len()
}

const SESSION: &str = "\
next
next
choose monitor we keep the terminal running
note the port CISO did not answer for 40 minutes
next
choose ask regional help is cheap
inject power-cut
advance 6h
branch port-response
choose isolate safety first
end
";

#[test]
fn the_tables_decisions_change_the_outcome_as_the_options_state() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    let output = play(&out, "next\nnext\nchoose monitor\nbranch port-response\nchoose isolate\nend\n");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("DECISION port-response: Isolate the port operator's network"), "{stdout}");
    // Port IT at 10% weighs 40% on the harbour: 1 - 0.4 x 0.9 = 0.64.
    // monitor: a second ransomware holds the harbour at 0.3 -> 0.3 x 0.64 = 0.192;
    // isolate: manual procedures at 0.2 for 12 h -> 0.2 x 0.64 = 0.128, then 0.64.
    let (monitor, isolate) = (out.join("branch-1"), out.join("branch-2"));
    assert!((harbour_at(&monitor, 2 * DAY) - 0.192).abs() < 1e-6);
    assert!((harbour_at(&isolate, 2 * DAY) - 0.128).abs() < 1e-6);
    assert!((harbour_at(&isolate, 2 * DAY + 12 * 3_600) - 0.64).abs() < 1e-6, "manual mode ends after 12 h");
    assert!(harbour_at(&monitor, 2 * DAY + 12 * 3_600) < 0.64);
    assert_eq!((ransomware_incidents(&monitor), ransomware_incidents(&isolate)), (2, 1));
    // The same numbers as `ttx run` with the same choices: one model, two front ends.
    let run = dir.path().join("run");
    let decisions = dir.path().join("decisions.ron");
    fs::write(&decisions, r#"{"port-response": "monitor"}"#).unwrap();
    let status = ttx().args(["run", ISLAND, "--decisions"]).arg(&decisions).arg("--out").arg(&run).output().unwrap();
    assert!(status.status.success());
    assert_eq!(fs::read(run.join("assets.csv")).unwrap(), fs::read(monitor.join("assets.csv")).unwrap());
    assert_eq!(fs::read(run.join("events.csv")).unwrap(), fs::read(monitor.join("events.csv")).unwrap());
}

#[test]
fn a_contingency_inject_and_a_note_reach_the_after_action_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    play(&out, "advance 1d6h\ninject power-cut\nnote grid operator called the CSIRT directly\nend\n");
    // The grid is down from T+1d6h for 10 h: the harbour's generator buffer (8 h) runs
    // out at T+1d14h, so the harbour (power weighs 0.6) drops to 0.4 until the grid returns.
    let branch = out.join("branch-1");
    assert!((harbour_at(&branch, DAY + 14 * 3_600 - 1) - 1.0).abs() < 1e-6);
    assert!((harbour_at(&branch, DAY + 14 * 3_600) - 0.4).abs() < 1e-6);
    let report = fs::read_to_string(branch.join("report.md")).unwrap();
    assert!(report.contains("| T+1d6h (Tue 18:00) | Contingency inject power-cut | The island grid trips"), "{report}");
    assert!(report.contains("| T+1d6h (Tue 18:00) | Facilitator note | grid operator called the CSIRT directly |"));
    assert!(report.contains("Contingency inject **power-cut**"), "in the timeline of key events");
}

#[test]
fn a_session_replayed_from_its_journal_gives_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (first, replay) = (dir.path().join("first"), dir.path().join("replay"));
    play(&first, SESSION);
    let output = ttx()
        .args(["play", ISLAND, "--plain", "--script"])
        .arg(first.join("journal.txt"))
        .arg("--out")
        .arg(&replay)
        .write_stdin("")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let compared = assert_same_files(&first, &replay);
    assert!(compared > 30, "two branch reports and the exercise report: {compared} files");
}

#[test]
fn branching_keeps_both_branches_and_compares_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    let output = play(&out, SESSION);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("branch 2: back at T+2d, before decision port-response (branch 1 is kept)"), "{stdout}");
    let report = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("| Measure | branch 1 | branch 2 |"), "{report}");
    assert!(report.contains("| Objective harbour-running | M | P |"), "{report}");
    assert!(report.contains(
        "| Decisions | port-response: monitor; regional-help: ask | port-response: isolate; regional-help: decline (default) |"
    ));
    assert!(report.contains("Rationale: we keep the terminal running"));
    assert!(report.contains("Rationale: safety first"));
    // Branch 2 inherits what was said before the decision it went back to.
    let branch_2 = fs::read_to_string(out.join("branch-2/report.md")).unwrap();
    assert!(branch_2.contains("Decision port-response: **isolate**"));
    assert!(!branch_2.contains("power-cut"), "the contingency came after the branch point");
    for branch in ["branch-1", "branch-2"] {
        assert!(out.join(branch).join("report.html").exists());
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Branches compared"));
}

#[test]
fn a_killed_session_resumes_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, killed) = (dir.path().join("whole"), dir.path().join("killed"));
    play(&whole, SESSION);
    let lines: Vec<&str> = SESSION.lines().collect();
    let (before, after) = lines.split_at(7);

    // Type the first commands, wait until the console has answered the last one, kill it.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ttx"))
        .args(["play", ISLAND, "--plain", "--out"])
        .arg(&killed)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for line in before {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    let mut seen = String::new();
    while !seen.contains("T+2d6h contingency inject power-cut") {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "the console stopped early: {seen}");
        seen.push_str(&line);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(fs::read_to_string(killed.join("journal.txt")).unwrap().lines().count(), 7);

    let rest: String = after.iter().map(|l| format!("{l}\n")).collect();
    let output = ttx().args(["play", "--plain", "--resume"]).arg(&killed).write_stdin(rest).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("(7 commands replayed)"));
    assert_same_files(&whole, &killed);
}

#[test]
fn mistakes_are_explained_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    let output = play(
        &out,
        "choose isolate\ninject flood\nobserve speed P fast\nobserve kavala-triage great fast\nnext\nnext\nchoose nothing\nadvance 1h\nbranch port-response\nfly\nuntil 1d\nquit\n",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    for message in [
        "error: no decision is waiting; `next` plays on to the next one",
        "error: decision \"port-response\" has no option \"nothing\"; choose one of: isolate, monitor",
        "error: decision \"port-response\" is waiting: `choose` one of isolate, monitor first",
        "error: no contingency inject \"flood\"; the scenario has: power-cut, booking-ransomware, press-call",
        "error: no decision has been answered on this branch yet, so there is nothing to go back to (asked for \"port-response\")",
        "error: unknown command \"fly\"; type `help` for the list",
        "error: no objective \"speed\"; the scenario's objectives are: harbour-running, severe-contained, kavala-triage, intrusions-known",
        "error: \"great\" is not a rating: expected P, S, M or U (HSEEP), e.g. `observe triage S the desk triaged the port's report in 40 minutes`",
    ] {
        assert!(stdout.contains(message), "missing {message:?} in:\n{stdout}");
    }
    assert!(stdout.contains("session saved in"), "{stdout}");
    // Only what worked was journaled.
    assert_eq!(fs::read_to_string(out.join("journal.txt")).unwrap(), "next\nnext\n");

    // A script stops at its first bad line, naming it.
    let script = dir.path().join("script.txt");
    fs::write(&script, "next\n\n# a comment\nadvance soon\n").unwrap();
    let output = ttx()
        .args(["play", ISLAND, "--plain", "--script"])
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("scripted"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "error: {}:4: \"soon\" is not a duration: expected e.g. 30m, 1h, 2d6h",
            script.display()
        )),
        "{stderr}"
    );

    // An existing session is not overwritten; a changed scenario does not resume.
    let again = ttx().args(["play", ISLAND, "--plain", "--out"]).arg(&out).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("holds a session already: continue it with `ttx play --resume")
    );
    let copy = dir.path().join("island.ron");
    fs::copy(ISLAND, &copy).unwrap();
    let copied = dir.path().join("copied");
    let status =
        ttx().args(["play", "--plain", "--out"]).arg(&copied).arg(&copy).write_stdin("next\n").output().unwrap();
    assert!(status.status.success());
    // The session resumes from its own copy of the scenario: editing the
    // original changes nothing, editing the copy stops the resume.
    fs::write(&copy, fs::read_to_string(ISLAND).unwrap().replace("analysts: 6", "analysts: 7")).unwrap();
    let resumed = ttx().args(["play", "--plain", "--resume"]).arg(&copied).output().unwrap();
    assert_eq!(resumed.status.code(), Some(0), "{}", String::from_utf8_lossy(&resumed.stderr));
    let kept = copied.join("scenario.ron");
    fs::write(&kept, fs::read_to_string(&kept).unwrap().replace("analysts: 6", "analysts: 7")).unwrap();
    let resumed = ttx().args(["play", "--plain", "--resume"]).arg(&copied).output().unwrap();
    assert_eq!(resumed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&resumed.stderr).contains("has changed since the session"));
}

#[test]
fn the_board_shows_what_the_csirts_know_and_the_truth_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let output = ttx()
        .args(["play", "scenarios/education-phishing.ron", "--plain", "--out"])
        .arg(dir.path().join("exercise"))
        .write_stdin("advance 5d\nshow\ntruth\nshow\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (hidden_view, truth_view) = stdout.split_once("ground truth shown").unwrap();
    assert!(hidden_view.contains("== education-phishing | branch 1 | T+5d | Republic of Mwamba Sat 08:00"));
    assert!(!hidden_view.contains("not known"), "{hidden_view}");
    // Two phishing incidents of the first five days were never reported: only the truth view lists them.
    assert!(
        truth_view.contains(
            "ground truth: 69 incidents known; 0 happened that no CSIRT knows of yet; 2 that no CSIRT will learn of"
        ),
        "{truth_view}"
    );
    assert_eq!(truth_view.matches("not known: #").count(), 2);
    assert!(truth_view.contains("not known: #22 medium phishing, occurred T+22h5m28s, never reported"));
}

#[test]
fn the_board_shows_the_warning_calls_on_the_callers_desk() {
    let dir = tempfile::tempdir().unwrap();
    let output = ttx()
        .args(["play", "scenarios/worm-time-zones.ron", "--plain", "--out"])
        .arg(dir.path().join("exercise"))
        .write_stdin("advance 50m\nshow\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Saranda noticed at T+22m; its first call (20 minutes of one analyst) is
    // in hand when the call-order decision stops the clock at T+30m.
    assert!(
        stdout.contains(
            "Saranda CERT: 0 open, 0 closed, 0 steps queued\n  tier 1: 8 of 8 on shift, 1 busy\n  warning calls: 1 started, 1 analyst on a call\n"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.matches("warning calls:").count(), 1, "only the caller has calls: {stdout}");
}
