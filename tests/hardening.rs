//! Hostile inputs and faults (issue: hardening): each class gets a clear,
//! positioned answer and an exit status, never a panic, an abort, a hang or
//! unbounded memory. The inputs are files in `tests/corpus/` (see its README);
//! the large ones are generated here.

use crate::common;

use common::Secs;

use common::{ttx, ttx_in};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use ttx::scenario::{Override, load_file, load_str};

fn corpus(name: &str) -> String {
    format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The first line of each error `ttx validate FILE` prints, and its exit status.
fn validate(file: &str, set: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut args = vec!["validate", file];
    for s in set {
        args.extend(["--set", s]);
    }
    let output = ttx(&args);
    let text = stderr(&output);
    assert!(!text.contains("panicked"), "{file}: {text}");
    let heads = text
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .map(|l| l.replace(&corpus(""), ""))
        .collect();
    (output.status.code(), heads)
}

#[test]
fn every_corpus_file_gets_its_exact_answer() {
    let cases: &[(&str, i32, &[&str])] = &[
        ("bom.ron", 0, &[]),
        ("crlf.ron", 0, &[]),
        (
            "old-mac-line-endings.ron",
            2,
            &["error: old-mac-line-endings.ron:19:93: CSIRT \"natcert\" needs at least 1 analyst, found -1"],
        ),
        (
            "vertical-tab.ron",
            2,
            &["error: vertical-tab.ron:19:93: CSIRT \"natcert\" needs at least 1 analyst, found -1"],
        ),
        ("decimal-maturity.ron", 2, &["error: decimal-maturity.ron:19:108: expected a whole number here, found 1.5"]),
        (
            "utc-offset-double-sign.ron",
            2,
            &[
                "error: utc-offset-double-sign.ron:16:78: malformed UTC offset \"+-1:00\" for nation \"kv\": expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and +14:00, e.g. \"+12:00\"",
            ],
        ),
        (
            "utc-offset-negative-minutes.ron",
            2,
            &[
                "error: utc-offset-negative-minutes.ron:16:78: malformed UTC offset \"+00:-1\" for nation \"kv\": expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and +14:00, e.g. \"+12:00\"",
            ],
        ),
        (
            "start-signed-year.ron",
            2,
            &[
                "error: start-signed-year.ron:14:12: malformed start \"+999-01-01T00:00Z\": expected a UTC date and time, e.g. \"2026-03-02T08:00Z\"",
            ],
        ),
        (
            "duplicate-map-key.ron",
            2,
            &["error: duplicate-map-key.ron:35:54: key Ransomware is given twice in this map; give each key once"],
        ),
        (
            "lone-region.ron",
            0,
            &[
                "warning: lone-region.ron:37:23: region \"pacific-cert\" has only one member, CSIRT \"kv-cert\"; did you mean \"pacifc-cert\"?",
                "warning: lone-region.ron:40:43: region \"pacifc-cert\" has only one member, CSIRT \"mr-cert\"; did you mean \"pacific-cert\"?",
            ],
        ),
        (
            "headcount-wraps.ron",
            2,
            &[
                "error: headcount-wraps.ron:19:93: CSIRT \"natcert\": 4294967296 analysts is more than ttx models (at most 100000 a team)",
            ],
        ),
        (
            "hire-wraps.ron",
            2,
            &[
                "error: hire-wraps.ron:33:87: inject \"hire\": 4294967295 analysts is more than ttx models (at most 100000 a team)",
            ],
        ),
        (
            "horizon-near-u64.ron",
            2,
            &[
                "error: horizon-near-u64.ron:13:14: the horizon 106751991167300d is longer than ttx plays (at most 1000000d, about 2,700 years): local clocks and calendars would overflow",
            ],
        ),
        ("rate-1e12.ron", 0, &[]),
        ("nested-brackets.ron", 2, &["error: nested-brackets.ron:33:15: expected opening `(` for struct `Inject`"]),
        (
            "invalid-utf8.ron",
            2,
            &["error: invalid-utf8.ron:19:46: bytes that are not UTF-8 text: save the scenario as UTF-8"],
        ),
        (
            "torn-utf8-tail.ron",
            2,
            &["error: torn-utf8-tail.ron:33:17: bytes that are not UTF-8 text: save the scenario as UTF-8"],
        ),
        ("unclosed-comment.ron", 2, &["error: unclosed-comment.ron:31:103: unclosed block comment"]),
        ("long-line.ron", 2, &["error: long-line.ron:12:200021: expected comma"]),
    ];
    for (file, status, expected) in cases {
        let (code, heads) = validate(&corpus(file), &[]);
        assert_eq!(code, Some(*status), "{file}: {heads:?}");
        assert_eq!(heads, *expected, "{file}");
    }
}

#[test]
fn a_long_source_line_is_shown_as_a_window_around_the_error() {
    let output = ttx(&["validate", &corpus("long-line.ron")]);
    let text = stderr(&output);
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} characters was printed");
    assert!(text.contains("12 | …xxxxxxxx") && text.contains("xxxxxxxx\" bogus \"One national"), "{text}");
}

#[test]
fn overrides_are_blamed_on_the_override_and_text_may_go_unquoted() {
    let desk = "scenarios/triage-desk.ron";
    let ok = |set: &[&str]| {
        let overrides: Vec<Override> = set.iter().map(|s| Override::parse(s).unwrap()).collect();
        load_file(Path::new(desk), &overrides).unwrap_or_else(|d| panic!("{set:?}: {d}"))
    };
    // A bare word is text where the file has text, or where only text fits.
    assert_eq!(ok(&["name=rapid"]).name, "rapid");
    assert_eq!(ok(&["name=Rapid desk"]).name, "Rapid desk");
    assert_eq!(ok(&["currency=USD"]).currency, "USD");
    assert_eq!((ok(&["window=3d"]).window).secs(), 3 * 86_400);
    assert_eq!(ok(&["start=2026-03-02T00:00Z"]).start_utc_s, 1_772_409_600);
    for (set, expected) in [
        (
            "seed=1, horizon: \"9d\"",
            "--set seed=1, horizon: \"9d\": the value `1, horizon: \"9d\"` is not one RON value (at character 2); write a single value, quoting text: a number, \"text\", a list [..] or Name(field: ..)",
        ),
        (
            "csirts.natcert.kind=0s",
            "--set csirts.natcert.kind=0s: unexpected name `0s`; a text value goes in double quotes: \"0s\"",
        ),
        ("csirts.natcert.maturity=1.5", "--set csirts.natcert.maturity=1.5: expected a whole number here, found 1.5"),
        (
            "csirts.natcert.x(=1",
            "--set csirts.natcert.x(=1: \"csirts.natcert\" has no field \"x(\"; it has: id, name, nation, kind, analysts",
        ),
        (
            "csirts.natcert.analysts=4294967296",
            "--set csirts.natcert.analysts=4294967296: CSIRT \"natcert\": 4294967296 analysts is more than ttx models (at most 100000 a team)",
        ),
        (
            "nations.kv.utc_offset=-+1:00",
            "--set nations.kv.utc_offset=-+1:00: malformed UTC offset \"-+1:00\" for nation \"kv\": expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and +14:00, e.g. \"+12:00\"",
        ),
    ] {
        let (code, heads) = validate(desk, &[set]);
        assert_eq!((code, heads), (Some(2), vec![format!("error: {expected}")]), "--set {set}");
    }
}

#[test]
fn deep_nesting_with_an_override_is_an_error_not_an_abort() {
    let (code, heads) = validate(&corpus("nested-brackets.ron"), &["seed=2"]);
    assert_eq!(code, Some(2));
    assert_eq!(heads, ["error: nested-brackets.ron:33:15: expected opening `(` for struct `Inject`"]);
    // Deeper than the tree builder follows: ron's own error still comes first.
    let text = include_str!("../scenarios/triage-desk.ron")
        .replace("description: \"One", &format!("description: {}\"One", "Some(".repeat(200)));
    let d = load_str("deep.ron", &text, &[Override::new("seed", "2")]).unwrap_err();
    assert_eq!(d.0[0].headline(), "deep.ron:12:17: expected string");
}

/// The island's setting with `n` assets in one dependency chain (`reverse`: each
/// depends on the next, so a depth-first walk from the first goes `n` deep).
fn chain(n: usize, reverse: bool, outage: bool) -> String {
    let base = include_str!("../scenarios/triage-desk.ron");
    let mut assets = String::new();
    for i in 0..n {
        let dep = if reverse { i + 1 } else { i.wrapping_sub(1) };
        let depends =
            if dep < n { format!(", depends_on: [Dependency(asset: \"a{dep}\", weight: 1.0)]") } else { String::new() };
        assets +=
            &format!("Asset(id: \"a{i}\", name: \"A\", sector: \"s\", criticality: 1, cost_per_hour: 1.0{depends}),\n");
    }
    let source = if reverse { n - 1 } else { 0 };
    let inject = if outage {
        format!(
            "Inject(id: \"cut\", at: \"1h\", effects: [Outage(asset: \"a{source}\", level: 0.0, duration: \"3h\")])"
        )
    } else {
        String::new()
    };
    base.replace(
        "    streams: [",
        &format!(
            "    sectors: [Sector(id: \"s\", name: \"S\", nation: \"kv\")],\n    assets: [\n{assets}],\n    streams: ["
        ),
    )
    .replace("injects: [],", &format!("injects: [{inject}],"))
    .replace("\"30d\"", "\"1d\"")
}

#[test]
fn a_valid_chain_of_60000_dependent_assets_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("chain.ron");
    fs::write(&long, chain(60_000, true, false)).unwrap();
    let (code, heads) = validate(long.to_str().unwrap(), &[]);
    assert_eq!((code, heads), (Some(0), vec![]));
    // The outage's effect reaches the end of a 40,000-asset chain.
    let run = dir.path().join("chain-outage.ron");
    fs::write(&run, chain(40_000, false, true)).unwrap();
    let out = dir.path().join("out");
    let output = ttx(&["run", run.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let assets = fs::read_to_string(out.join("assets.csv")).unwrap();
    let down: Vec<&str> = assets.lines().filter(|l| l.contains(",a39999,")).collect();
    assert_eq!(down, ["0,a39999,s,1,1.000000", "3600,a39999,s,1,0.000000", "14400,a39999,s,1,1.000000"]);
}

#[test]
fn a_runaway_arrival_rate_stops_on_its_bound_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // 250,000 events allow 10,000 incidents held at once.
    let output = ttx(&["run", &corpus("rate-1e12.ron"), "--out", out.to_str().unwrap(), "--max-events", "250000"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with(
            "error: the run held more than 10000 incidents in memory at T+0s and stopped before exhausting memory"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "a failed run leaves no results behind");
}

#[test]
fn a_run_of_many_events_but_few_incidents_stops_at_the_event_budget() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let output = ttx(&[
        "batch",
        "scenarios/island-cable-cut.ron",
        "--set",
        "horizon=3650d",
        "--max-events",
        "5000",
        "--runs",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with(
            "error: replication 0 (seed 1) of variant baseline: the run exceeded its budget of 5000 events at T+"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn decisions_files_refuse_duplicate_keys_and_contingency_decisions() {
    let island = "scenarios/island-cable-cut.ron";
    for (file, expected) in [
        (
            "decisions-duplicate-key.ron",
            "decisions-duplicate-key.ron:1:30: key \"port-response\" is given twice in this map; give each key once",
        ),
        (
            "decisions-contingency.ron",
            "decisions-contingency.ron:1:2: decision \"press-statement\" belongs to contingency inject \"press-call\", which only a facilitator delivers (ttx play); a decisions file cannot choose it",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let output = ttx(&["run", island, "--decisions", &corpus(file), "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2));
        let text = stderr(&output).replace(&corpus(""), "");
        assert!(text.starts_with(&format!("error: {expected}")), "{text}");
    }
}

#[test]
fn decisions_files_and_scripts_are_read_as_editors_write_them() {
    let island = "scenarios/island-cable-cut.ron";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output =
        ttx(&["run", island, "--decisions", &corpus("decisions-bom-crlf.ron"), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"monitor\""), "the file's choice was taken");
    let bad =
        ttx(&["run", island, "--decisions", &corpus("decisions-invalid-utf8.ron"), "--out", out.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).replace(&corpus(""), "").starts_with(
            "error: decisions-invalid-utf8.ron:1:23: bytes that are not UTF-8 text: save the decisions file as UTF-8"
        ),
        "{}",
        stderr(&bad)
    );
    let island = format!("{}/{island}", env!("CARGO_MANIFEST_DIR"));
    let played = play(dir.path(), &["play", &island, "--script", &corpus("script-bom-crlf.txt"), "--out", "s"], b"");
    assert_eq!(played.status.code(), Some(0), "{}", stderr(&played));
    assert_eq!(fs::read_to_string(dir.path().join("s/journal.txt")).unwrap(), "next\nnext\n");
}

#[test]
fn a_set_and_a_vary_on_one_key_are_refused_and_vary_splits_outside_brackets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let output = ttx(&[
        "batch",
        "scenarios/triage-desk.ron",
        "--runs",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--vary",
        "csirts.natcert.analysts=10,11",
        "--set",
        "csirts.natcert.analysts=12",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: --set csirts.natcert.analysts=12 and --vary csirts.natcert.analysts=... change the same key; give its values in --vary alone"
    );
    // A value holding commas inside brackets is one value.
    let output = ttx(&[
        "batch",
        "scenarios/island-cable-cut.ron",
        "--runs",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--vary",
        "csirts.kv-cert.teams.0.shift=BusinessHours(from: \"08:00\", to: \"17:00\"),BusinessHours(from: \"08:00\", to: \"16:30\")",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("batch.json")).unwrap()).unwrap();
    let variants: Vec<&str> = manifest["variants"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(variants.len(), 2, "{variants:?}");
    assert!(variants[1].contains("to: \"16:30\""), "{variants:?}");
}

#[test]
fn resume_and_merge_refuse_another_scenario_and_say_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.ron");
    fs::write(&file, include_str!("../scenarios/triage-desk.ron")).unwrap();
    let batch = |args: &[&str]| {
        let mut all = vec!["batch", "desk.ron", "--runs", "4", "--out", "b"];
        all.extend(args);
        ttx_in(dir.path(), &all)
    };
    assert_eq!(batch(&[]).status.code(), Some(0));
    // The same file through another path is the same batch.
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let via = format!("../{name}/desk.ron");
    let same = ttx_in(dir.path(), &["batch", &via, "--runs", "4", "--out", "b", "--resume"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let other = batch(&["--resume", "--set", "seed=3"]);
    assert_eq!(other.status.code(), Some(2));
    assert_eq!(
        stderr(&other).trim(),
        "error: b holds another batch: --set (none recorded, seed=3 now); --seed (1 recorded, 3 now) differ; resume with the same scenario and arguments, or use another --out"
    );
    fs::write(&file, include_str!("../scenarios/triage-desk.ron").replace("9/h", "8/h")).unwrap();
    let edited = batch(&["--resume"]);
    assert_eq!(edited.status.code(), Some(2));
    assert!(
        stderr(&edited).contains("b holds another batch: the scenario's content (fingerprint "),
        "{}",
        stderr(&edited)
    );
    // Shards of an edited file do not merge.
    for (k, text) in [(1, "9/h"), (2, "8/h")] {
        fs::write(&file, include_str!("../scenarios/triage-desk.ron").replace("9/h", text)).unwrap();
        let shard = format!("{k}/2");
        let out = format!("s{k}");
        let o = ttx_in(dir.path(), &["batch", "desk.ron", "--runs", "4", "--shard", &shard, "--out", &out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let merged = ttx_in(dir.path(), &["merge", "s1", "s2", "--out", "m"]);
    assert_eq!(merged.status.code(), Some(2));
    assert!(stderr(&merged).contains("s2 holds another batch than s1: the scenario's content"), "{}", stderr(&merged));
}

/// `ttx play` in `dir` with `input` on standard input.
fn play(dir: &Path, args: &[&str], input: &[u8]) -> std::process::Output {
    common::ttx_with_input(dir, args, input)
}

#[test]
fn a_session_resumes_from_anywhere_keeps_whole_lines_of_a_torn_journal_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("isl.ron"), include_str!("../scenarios/island-cable-cut.ron")).unwrap();
    let started = play(root, &["play", "isl.ron", "--out", "s"], b"next\nnext\nundo\nundo\nnext\n2 too risky\n");
    assert_eq!(started.status.code(), Some(0), "{}", stderr(&started));
    let said = String::from_utf8_lossy(&started.stdout);
    assert!(said.contains("undid `next`: back at T+1d"), "{said}");
    assert!(said.contains("error: nothing to undo"), "{said}");
    // `2` is the board's option number for `monitor`; the refused undo is not saved.
    assert_eq!(
        fs::read_to_string(root.join("s/journal.txt")).unwrap(),
        "next\nnext\nundo\nnext\nchoose monitor too risky\n"
    );
    // The original file is gone and the session is resumed from elsewhere.
    fs::remove_file(root.join("isl.ron")).unwrap();
    fs::create_dir(root.join("elsewhere")).unwrap();
    let mut journal = fs::OpenOptions::new().append(true).open(root.join("s/journal.txt")).unwrap();
    std::io::Write::write_all(&mut journal, &fs::read(corpus("journal-torn-multibyte.txt")).unwrap()).unwrap();
    let resumed = play(&root.join("elsewhere"), &["play", "--resume", "../s"], b"show\n");
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let notes = stderr(&resumed);
    assert!(notes.contains("dropped an unfinished last line (9 bytes,"), "{notes}");
    assert!(notes.contains("resumed ../s at T+2d6h on branch 1 (6 commands replayed)"), "{notes}");
    assert!(
        fs::read_to_string(root.join("s/journal.txt")).unwrap().ends_with("choose monitor too risky\nnext\n"),
        "whole lines kept, the torn one dropped"
    );
}

#[test]
fn input_that_is_not_text_exits_2_and_a_second_console_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let island = format!("{}/scenarios/island-cable-cut.ron", env!("CARGO_MANIFEST_DIR"));
    let bad = play(root, &["play", &island, "--out", "s", "--plain"], b"next\n\xff\xfe\n");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("error: stdin:2: the line is not UTF-8 text"), "{}", stderr(&bad));
    // A console holding the session (its stdin kept open) locks out a second one.
    let mut first = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .current_dir(root)
        .args(["play", "--resume", "s"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lock = root.join("s/.lock");
    for _ in 0..200 {
        if lock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let second = play(root, &["play", "--resume", "s"], b"next\n");
    assert_eq!(second.status.code(), Some(2));
    assert!(stderr(&second).contains("is open in another console (process "), "{}", stderr(&second));
    drop(first.stdin.take());
    assert!(first.wait().unwrap().success());
    assert!(!lock.exists(), "the lock goes with its console");
    let third = play(root, &["play", "--resume", "s"], b"next\n");
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
}

#[test]
fn thousands_of_problems_are_counted_and_the_first_hundred_shown() {
    // Each asset depends on both neighbours: 2,999 two-asset cycles.
    let n: usize = 3_000;
    let assets: Vec<String> = (0..n)
        .map(|i| {
            let deps: Vec<String> = [i.checked_sub(1), Some(i + 1).filter(|j| *j < n)]
                .into_iter()
                .flatten()
                .map(|j| format!("Dependency(asset: \"a{j}\", weight: 0.1)"))
                .collect();
            format!(
                "Asset(id: \"a{i}\", name: \"A\", sector: \"s\", criticality: 1, cost_per_hour: 1.0, depends_on: [{}])",
                deps.join(", ")
            )
        })
        .collect();
    let text = include_str!("../scenarios/triage-desk.ron").replace(
        "    streams: [",
        &format!(
            "    sectors: [Sector(id: \"s\", name: \"S\", nation: \"kv\")],\n    assets: [\n{}\n    ],\n    streams: [",
            assets.join(",\n")
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cycles.ron");
    fs::write(&file, text).unwrap();
    let output = ttx(&["validate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert_eq!(text.lines().filter(|l| l.starts_with("error: ")).count(), 100);
    assert!(text.contains("cycles.ron:33:"), "{}", &text[..300]);
    assert!(text.ends_with("... and 2899 more not shown\n2999 problems found\n"), "{}", &text[text.len() - 200..]);
    // A megabyte-long unknown field name gets no did-you-mean search through it.
    let long = include_str!("../scenarios/triage-desk.ron")
        .replace("analysts: 10)", &format!("analysts: 10, {}: 1)", "a".repeat(1_000_000)));
    let d = load_str("long.ron", &long, &[]).unwrap_err();
    assert!(d.0[0].headline().starts_with("long.ron:19:97: unknown field \"aaaa"), "{}", &d.0[0].headline()[..80]);
    assert!(d.0[0].headline().ends_with("; expected one of: id, name, nation, kind, analysts, teams, structure, maturity, handover, sop, sops_by_type, per_type_sops, first_member, regions, services, unassisted_recovery, tlp_discipline, mandate, trust, regulator_reluctance, legal_review, reporting_deadline, anonymous_share, international_link, outreach, training, programmes, office"));
}
