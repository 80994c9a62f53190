//! `ttx batch`: the same bytes whatever --jobs, common random numbers, paired
//! differences checked against queueing theory, and clear errors for bad --vary.

use crate::common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use ttx::score::erlang_c;

fn batch(out: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("ttx")
        .unwrap()
        .args(["batch", "scenarios/triage-desk.ron", "--quiet", "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

/// summary.csv rows as (variant, score) -> the named columns.
fn summary(out: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    reader.records().map(|r| r.unwrap()).collect()
}

fn column(row: &csv::StringRecord, k: usize) -> f64 {
    row[k].parse().unwrap_or_else(|_| panic!("column {k} of {row:?}"))
}

#[test]
fn the_same_bytes_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--runs", "12", "--vary", "csirts.natcert.analysts=10,12", "--set", "horizon=3d"];
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    assert!(batch(&one, &[&args[..], &["--jobs", "1"]].concat()).status.success());
    assert!(batch(&two, &[&args[..], &["--jobs", "2"]].concat()).status.success());
    for file in ["runs.csv", "summary.csv"] {
        assert_eq!(fs::read(one.join(file)).unwrap(), fs::read(two.join(file)).unwrap(), "{file}");
    }
    let runs = fs::read_to_string(one.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 12 * 2, "one row per replication and variant");
    assert!(runs.lines().nth(1).unwrap().starts_with("0,\"natcert.analysts=10\",1,"));
    assert!(runs.lines().nth(2).unwrap().starts_with("0,\"natcert.analysts=12\",1,"));
}

#[test]
fn a_variant_identical_to_the_baseline_differs_by_exactly_zero() {
    // Renaming the scenario changes nothing the model sees.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("same");
    let status = batch(&out, &["--runs", "8", "--vary", "name=a,b", "--set", "horizon=3d"]).status;
    assert!(status.success());
    for row in summary(&out).iter().filter(|r| &r[0] == "name=b" && !r[10].is_empty()) {
        assert_eq!((&row[10], &row[11], &row[12]), ("0", "0", "0"), "{row:?}");
    }
}

#[test]
fn the_paired_difference_of_one_more_analyst_covers_erlang_c() {
    // 9 reports an hour, 1 h each: 12 vs 13 analysts. A long horizon keeps the
    // start-up transient small; the analytic difference must lie in the 95% CI.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("erlang");
    let args = ["--runs", "40", "--vary", "csirts.natcert.analysts=12,13", "--set", "horizon=120d", "--seed", "3"];
    let output = batch(&out, &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = summary(&out);
    let row = rows.iter().find(|r| &r[0] == "natcert.analysts=13" && &r[1] == "queue_wait_rmst_h").unwrap();
    let analytic = erlang_c(9.0, 1.0, 13).unwrap().wq - erlang_c(9.0, 1.0, 12).unwrap().wq;
    let (low, high) = (column(row, 11), column(row, 12));
    assert!(low <= analytic && analytic <= high, "Erlang C difference {analytic:.4} h outside [{low:.4}, {high:.4}]");
    assert!(high < 0.0, "one more analyst shortens the wait");
}

#[test]
fn bad_vary_options_are_clear_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--vary", "analysts"],
            "error: malformed --vary \"analysts\": expected KEY=V1,V2,..., e.g. csirts.natcert.analysts=4,8",
        ),
        (&["--vary", "csirts.natcert.analysts=4,,8"], "a value between commas is empty"),
        (&["--vary", "horizon=1d", "--vary", "horizon=2d"], "--vary gives the key \"horizon\" twice"),
        (
            &["--vary", "csirts.natcert.analysts=4,-1"],
            "error: --vary csirts.natcert.analysts=-1: CSIRT \"natcert\" needs at least 1 analyst, found -1",
        ),
        (&["--vary", "csirts.natcert.analysts=x,4"], "error: --vary csirts.natcert.analysts=x: expected integer"),
        (
            &["--vary", "csirts.natcert.analyst=4,5"],
            "error: --vary csirts.natcert.analyst=4: unknown field \"analyst\" in Csirt; did you mean \"analysts\"?",
        ),
    ];
    for (k, (args, message)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("bad-{k}"));
        let output = batch(&out, &[&["--runs", "2"], *args].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!out.exists(), "nothing written for bad input");
    }
}

use common::ttx;

fn ttx_batch(args: &[&str]) -> std::process::Output {
    common::ttx_command().args(["batch", "scenarios/triage-desk.ron", "--quiet"]).args(args).output().unwrap()
}

#[test]
fn shards_merged_equal_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let common = ["--runs", "9", "--vary", "csirts.natcert.analysts=10,12", "--set", "horizon=2d"];
    assert!(ttx_batch(&[&common[..], &["--out", &p("whole")]].concat()).status.success());
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = p(&format!("shard-{k}"));
        assert!(ttx_batch(&[&common[..], &["--shard", &shard, "--out", &out]].concat()).status.success());
    }
    let merged = Command::cargo_bin("ttx")
        .unwrap()
        .args(["merge", &p("shard-1"), &p("shard-2"), &p("shard-3"), "--out", &p("merged")])
        .output()
        .unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    for file in ["runs.csv", "summary.csv", "batch.json"] {
        assert_eq!(
            fs::read(dir.path().join("whole").join(file)).unwrap(),
            fs::read(dir.path().join("merged").join(file)).unwrap(),
            "{file}"
        );
    }
    // Two of three shards are not the whole batch.
    let partial = Command::cargo_bin("ttx")
        .unwrap()
        .args(["merge", &p("shard-1"), &p("shard-2"), "--out", &p("partial")])
        .output()
        .unwrap();
    assert_eq!(partial.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&partial.stderr).contains("the directories hold 12 of 18 rows: 6 are missing"));
}

#[test]
fn resume_after_a_kill_equals_the_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let common = ["--runs", "400", "--vary", "csirts.natcert.analysts=10,12", "--set", "horizon=20d", "--jobs", "2"];
    assert!(ttx_batch(&[&common[..], &["--out", &p("whole")]].concat()).status.success());
    // Kill a run part-way, then resume it.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ttx"))
        .args(["batch", "scenarios/triage-desk.ron", "--quiet"])
        .args(common)
        .args(["--out", &p("killed")])
        .spawn()
        .unwrap();
    let runs = dir.path().join("killed").join("runs.csv");
    let started = std::time::Instant::now();
    while fs::read_to_string(&runs).map_or(0, |t| t.lines().count()) < 50 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = fs::read_to_string(&runs).unwrap().lines().count();
    assert!(kept > 1, "some replications finished before the kill");
    // Also tear the last line, as a kill in the middle of a write would.
    let text = fs::read_to_string(&runs).unwrap();
    fs::write(&runs, &text[..text.len() - 3]).unwrap();
    let refused = ttx_batch(&[&common[..], &["--out", &p("killed")]].concat());
    assert_eq!(refused.status.code(), Some(2), "no silent overwrite of an interrupted batch");
    let resumed = ttx_batch(&[&common[..], &["--out", &p("killed"), "--resume"]].concat());
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    for file in ["runs.csv", "summary.csv", "batch.json"] {
        assert_eq!(
            fs::read(dir.path().join("whole").join(file)).unwrap(),
            fs::read(dir.path().join("killed").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn the_batch_report_answers_in_sentences_with_intervals_and_has_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let args = ["--runs", "10", "--vary", "csirts.natcert.analysts=10,12", "--set", "horizon=3d"];
    assert!(batch(&out, &args).status.success());
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let sentence = md.lines().find(|l| l.contains("queue_wait_rmst_h")).expect("an answer about queue wait");
    assert!(
        sentence.starts_with("- **natcert.analysts=12** instead of **natcert.analysts=10**: queue_wait_rmst_h "),
        "{sentence}"
    );
    assert!(md.starts_with("# Batch report: triage-desk\n"), "titled by the scenario's name");
    assert!(sentence.contains("95% CI") && sentence.contains("10 paired replications"), "{sentence}");
    // The triage desk has no assets: no service is ever lost, and the report says so once.
    assert!(md.contains("The same in every replication of every variant, so not compared: service_hours_lost."));
    assert!(!md.lines().any(|l| l.starts_with("- ") && l.contains("service_hours_lost")), "{md}");
    for (chart, title) in [
        ("distribution", "Distribution of queue_wait_rmst_h per variant"),
        ("cdf", "Cumulative distribution of queue_wait_rmst_h"),
        ("parameter", "queue_wait_rmst_h against natcert.analysts"),
    ] {
        let svg = fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        assert!(svg.contains(title), "{chart}.svg lacks its title");
        assert!(fs::metadata(out.join(format!("{chart}.png"))).unwrap().len() > 10_000);
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(!html.contains("src=") && !html.contains("<link"));
}

#[test]
fn a_variants_block_in_the_scenario_is_compared_without_vary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exodus");
    let output =
        ttx(&["batch", "scenarios/staff-exodus.ron", "--runs", "6", "--quiet", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest = fs::read_to_string(out.join("batch.json")).unwrap();
    for name in ["as it happened", "keep three tier-2 analysts", "hire on day 21, 7-day ramp-up"] {
        assert!(manifest.contains(&format!("\"{name}\"")), "{manifest}");
    }
    let rows = summary(&out);
    let score = |variant: &str| {
        rows.iter().find(|r| &r[0] == variant && &r[1] == "time_to_triage_rmst_h").map(|r| column(r, 3)).unwrap()
    };
    // Keeping tier 2 (to which severe incidents escalate) shortens triage in every paired run.
    assert!(score("keep three tier-2 analysts") < score("as it happened"));
    let kept = rows.iter().find(|r| &r[0] == "keep three tier-2 analysts" && &r[1] == "time_to_triage_rmst_h");
    assert!(column(kept.unwrap(), 12) < 0.0, "the whole paired CI is below 0");

    // --vary replaces the block, and says so.
    let vary = dir.path().join("vary");
    let output = ttx(&[
        "batch",
        "scenarios/staff-exodus.ron",
        "--runs",
        "2",
        "--set",
        "horizon=30d",
        "--vary",
        "seed=1,2",
        "--quiet",
        "--out",
        vary.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--vary is given, so the scenario's variants block is not used")
    );
}

#[test]
fn a_bad_variant_in_the_block_is_named_by_validate_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("scenarios/staff-exodus.ron").unwrap();
    let bad =
        text.replace(r#"{"injects.exodus.effects.1.analysts": "3"}"#, r#"{"injects.exodus.effects.1.analysts": "-3"}"#);
    assert_ne!(bad, text);
    let file = dir.path().join("bad.ron");
    fs::write(&file, bad).unwrap();
    let expected = format!(
        "error: {}: variant \"keep three tier-2 analysts\" sets injects.exodus.effects.1.analysts=-3:",
        file.display()
    );
    let validate = Command::cargo_bin("ttx").unwrap().arg("validate").arg(&file).output().unwrap();
    assert_eq!(validate.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&validate.stderr).contains(&expected),
        "{}",
        String::from_utf8_lossy(&validate.stderr)
    );
    let out = dir.path().join("out");
    let output = ttx(&["batch", file.to_str().unwrap(), "--runs", "2", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&expected));
    assert!(!out.exists());
}

#[test]
fn runs_csv_has_every_csirt_and_objective_and_measure_picks_the_headline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("island");
    let output = ttx(&[
        "batch",
        "scenarios/island-cable-cut.ron",
        "--runs",
        "8",
        "--quiet",
        "--vary",
        "csirts.kv-cert.teams.0.analysts=3,6",
        "--measure",
        "csirt.kv-cert.time_to_triage_rmst_h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let runs = fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    for column in [
        "time_to_triage_rmst_h",
        "incidents_still_open",
        "score.response",
        "score.workload",
        "csirt.kv-cert.response",
        "csirt.mr-cert.time_to_triage_rmst_h",
        "csirt.kv-cert.share_behind",
        "objective.kavala-triage.value",
        "objective.harbour-running.points",
    ] {
        assert!(header.contains(&column), "runs.csv lacks {column}: {header:?}");
    }
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.starts_with("# Batch report: island-cable-cut\n"), "{md}");
    // The headline comes first among the answers and is what the charts show.
    let first = md.lines().find(|l| l.starts_with("- **")).unwrap();
    assert!(
        first.starts_with("- **kv-cert.teams.0.analysts=6** instead of **kv-cert.teams.0.analysts=3**: csirt.kv-cert.time_to_triage_rmst_h"),
        "{first}"
    );
    let svg = fs::read_to_string(out.join("distribution.svg")).unwrap();
    assert!(svg.contains("Distribution of csirt.kv-cert.time_to_triage_rmst_h per variant"));
    // The overall score's answer names the components that moved.
    let overall = md.lines().find(|l| l.starts_with("- **") && l.contains(": overall_score ")).unwrap();
    assert!(
        overall.contains("Components that moved (CI excludes 0): ") || overall.contains("No component moved"),
        "{overall}"
    );
    assert!(overall.contains("Not applicable, left out: coordination."), "{overall}");
    // summary.csv rounds to the digits the interval makes meaningful.
    let rows = summary(&out);
    let row = rows.iter().find(|r| &r[1] == "overall_score" && r[0].ends_with("=3")).unwrap();
    let decimals = row[3].split('.').nth(1).map_or(0, str::len);
    assert!(decimals <= 3, "overall mean {} has too many digits", &row[3]);
}

#[test]
fn a_bad_measure_is_refused_with_a_suggestion_and_one_value_vary_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let output = batch(&out, &["--runs", "2", "--measure", "time_to_triage_rmst"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim_end(),
        "error: --measure time_to_triage_rmst: no such score column; did you mean \"time_to_triage_rmst_h\"? (the columns are the header of runs.csv, listed in docs/outputs.md)"
    );
    assert!(!out.exists());
    let output = batch(&out, &["--runs", "2", "--set", "horizon=1d", "--vary", "csirts.natcert.analysts=11"]);
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "warning: --vary csirts.natcert.analysts=11 gives one value, so there is nothing to compare it with; list two or more, or use --set"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn run_counts_that_do_not_fit_are_refused_and_an_early_killed_batch_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("huge");
    let output = batch(&out, &["--runs", "9223372036854775808", "--vary", "csirts.natcert.analysts=10,11"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--runs 9223372036854775808 with 2 variants and seed 1 does not fit in 64-bit counters"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.exists());
    // A batch killed after creating its folder but before runs.csv: --resume starts it.
    let early = dir.path().join("early");
    fs::create_dir(&early).unwrap();
    fs::write(early.join(".ttx-output"), "written by ttx").unwrap();
    let output = batch(&early, &["--runs", "3", "--set", "horizon=\"1d\"", "--resume"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(fs::read_to_string(early.join("runs.csv")).unwrap().lines().count(), 4);
    // A folder that is not ttx's is not taken over.
    let foreign = dir.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    let output = batch(&foreign, &["--runs", "3", "--resume"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds no runs.csv and was not written by ttx"));
}

/// A batch replication computes only the parts of its summary that its row
/// holds (`folded_row`): on every bundled scenario at three seeds, the row is
/// the whole summary's row, bit for bit, and it holds numbers (not a row of
/// empty cells that would match an equally empty one).
#[test]
fn a_batch_row_is_the_row_of_the_whole_summary() {
    let bits = |row: Vec<Option<f64>>| row.into_iter().map(|v| v.map(f64::to_bits)).collect::<Vec<_>>();
    let mut compared = 0;
    for file in common::bundled() {
        let s = common::scenario(file.to_str().expect("a UTF-8 path"), &[]);
        for seed in 1..=3 {
            let mut r =
                ttx::model::Replication::new(s.clone(), seed, 50_000_000, ttx::score::ScoreFold::new(s.clone()));
            r.forget_closed_incidents();
            r.run_to_horizon().expect("within the event budget");
            let (outcome, fold) = r.finish();
            let scores = fold.finish();
            let whole = ttx::batch::summary_row(&ttx::score::summarise_with(&s, &outcome, &scores));
            let filled = whole.iter().filter(|v| v.is_some()).count();
            assert!(filled * 2 > whole.len(), "{}: {filled} of {} cells filled", file.display(), whole.len());
            let folded = ttx::batch::folded_row(&s, &outcome, &scores);
            assert_eq!(bits(folded), bits(whole), "{} seed {seed}", file.display());
            compared += 1;
        }
    }
    assert!(compared >= 27, "{compared} replications compared");
}
