//! `ttx batch` and `ttx merge`: variants x replications in parallel; runs.csv
//! streamed in order (flushed row by row, so a kill loses no finished replication),
//! summary.csv computed from runs.csv at the end; shards and resume.

use super::Failure;
use super::args::{BatchArgs, MergeArgs};
use super::run_plan::parse_overrides;
use crate::batch::VariantSummary;
use crate::batch::{
    BatchPlan, BatchSummariser, Manifest, RunRow, RunsReader, Shard, Vary, first_difference, run_batch, runs_header,
    scenario_variants, score_columns, summary_csv, variants, write_run_row,
};
use crate::report::charts::{CdfChart, Chart, DistributionChart, ParameterChart, VariantValues, render};
use crate::report::{self, RenderedChart, batch_report, to_html, to_markdown};
use crate::scenario::{Diagnostics, load_file};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Write};
use std::iter::Peekable;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Scores the printed comparison shows, beside the headline measure (all are in summary.csv).
const SHOWN: [&str; 4] = ["time_to_triage_rmst_h", "time_to_contain_rmst_h", "service_hours_lost", "overall_score"];

pub fn batch(args: BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    if args.runs == 0 {
        return Err(Failure::Input("--runs must be at least 1".into()));
    }
    if args.jobs == Some(0) {
        return Err(Failure::Input("--jobs must be at least 1".into()));
    }
    let shard = args.shard.as_deref().map(Shard::parse).transpose().map_err(Failure::input)?;
    let vary: Vec<Vary> = args.vary.iter().map(|v| Vary::parse(v).map_err(Failure::input)).collect::<Result<_, _>>()?;
    if let Some(key) =
        vary.iter().enumerate().find_map(|(i, v)| vary[..i].iter().any(|w| w.key == v.key).then_some(&v.key))
    {
        return Err(Failure::Input(format!("--vary gives the key \"{key}\" twice; list all its values in one --vary")));
    }
    let base = parse_overrides(&args.overrides)?;
    if let Some(o) = base.iter().find(|o| vary.iter().any(|v| v.key == o.key)) {
        return Err(Failure::Input(format!(
            "--set {} and --vary {}=... change the same key; give its values in --vary alone",
            o.assignment(),
            o.key
        )));
    }
    let scenario = load_file(&args.file, &base).map_err(Failure::Scenario)?;
    super::print_warnings(&scenario);
    if vary.is_empty()
        && let Some((o, v)) = base
            .iter()
            .find_map(|o| scenario.variants.iter().find(|v| v.set.iter().any(|(k, _)| *k == o.key)).map(|v| (o, v)))
    {
        return Err(Failure::Input(format!(
            "--set {} changes a key that variant \"{}\" of the scenario's variants block also sets; \
             change it in the variants block, or compare with --vary",
            o.assignment(),
            v.name
        )));
    }
    let chosen = if !vary.is_empty() {
        if !scenario.variants.is_empty() {
            eprintln!("note: --vary is given, so the scenario's variants block is not used");
        }
        variants(&vary)
    } else if !scenario.variants.is_empty() {
        scenario_variants(&args.file.display().to_string(), &scenario.variants)
    } else {
        variants(&[])
    };
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for variant in chosen {
        let overrides: Vec<_> = base.iter().cloned().chain(variant.overrides.iter().cloned()).collect();
        match load_file(&args.file, &overrides) {
            Ok(scenario) => scenarios.push((variant.name, Arc::new(scenario))),
            Err(d) => problems.extend(d.0),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Scenario(Diagnostics(problems)));
    }
    let columns = score_columns(&scenarios[0].1);
    for (name, s) in &scenarios[1..] {
        let theirs = score_columns(s);
        if theirs != columns {
            return Err(Failure::Input(format!(
                "variant \"{name}\" changes the scenario's CSIRTs or objectives ({}), so its scores cannot be compared with the baseline's",
                first_difference(&theirs, &columns)
            )));
        }
    }
    if let Some(m) = &args.measure {
        check_measure(m, &columns)?;
    }
    for v in &vary {
        if v.values.len() == 1 {
            eprintln!(
                "warning: --vary {}={} gives one value, so there is nothing to compare it with; list two or more, or use --set",
                v.key, v.values[0]
            );
        }
    }
    let seed = args.seed.unwrap_or(scenarios[0].1.seed);
    // Seeds run from S to S + runs - 1, and tasks count runs x variants: both must fit.
    if args.runs.checked_mul(scenarios.len() as u64).is_none() || seed.checked_add(args.runs).is_none() {
        return Err(Failure::Input(format!(
            "--runs {} with {} variants and seed {seed} does not fit in 64-bit counters; give fewer runs or a smaller --seed",
            args.runs,
            scenarios.len()
        )));
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args.file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        let shard = shard.map_or(String::new(), |s| format!("-shard-{}-of-{}", s.index, s.count));
        Path::new("reports").join(stem).join(format!("batch-seed-{seed}{shard}"))
    });
    let text = fs::read_to_string(&args.file)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", args.file.display())))?;
    let manifest = Manifest {
        scenario: args.file.display().to_string(),
        name: scenarios[0].1.name.clone(),
        scenario_fingerprint: Manifest::fingerprint(&text),
        overrides: args.overrides.clone(),
        vary: args.vary.clone(),
        variants: scenarios.iter().map(|(n, _)| n.clone()).collect(),
        runs: args.runs,
        seed,
        shard,
    };
    // `--force` over an earlier batch: run beside it and swap only when complete,
    // so a failed batch loses nothing; and only over a directory ttx wrote.
    let target = out.clone();
    let replacing = args.force && !args.resume && target.exists();
    if replacing {
        report::check_replaceable(&target).map_err(|e| Failure::Input(e.to_string()))?;
    }
    let out = if replacing { staging_beside(&target, "partial") } else { target.clone() };
    if replacing {
        report::remove_stale_staging(&target);
        let _ = fs::remove_dir_all(&out);
    }
    let done = prepare(&out, &manifest, &columns, args.force, args.resume)?;
    let v = manifest.variants.len();
    let replications = manifest.replications().after(done);
    let plan = BatchPlan {
        variants: scenarios,
        choices: Vec::new(),
        row: crate::batch::score_columns_row,
        replications,
        seed,
        jobs,
        max_events: args.max_events,
    };
    let runs_path = out.join("runs.csv");
    let io = |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", runs_path.display()));
    let mut runs = OpenOptions::new().append(true).open(&runs_path).map_err(io)?;
    let total = plan.replications.count * v as u64;
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {per_sec}, ETA {eta}")
            .expect("a valid template"),
    );
    run_batch(&plan, |replication, variant, seed, row| {
        // One write per row, unbuffered: a kill loses at most the row being written.
        runs.write_all(write_run_row(replication, &plan.variants[variant].0, seed, row).as_bytes())
            .map_err(|e| e.to_string())?;
        bar.inc(1);
        Ok(())
    })
    .map_err(|e| {
        if replacing {
            let _ = fs::remove_dir_all(&out);
            Failure::Run(format!("{e} ({} is left as it was)", target.display()))
        } else {
            Failure::Run(format!(
                "{e} (finished replications are kept in {}; rerun with --resume)",
                runs_path.display()
            ))
        }
    })?;
    bar.finish_and_clear();
    runs.sync_all().map_err(io)?;
    let text = match finish(&out, &manifest, args.measure.as_deref()) {
        Err(e) if replacing => {
            let _ = fs::remove_dir_all(&out);
            return Err(e);
        }
        result => result?,
    };
    if replacing {
        swap_into_place(&out, &target)?;
    }
    let out = target;
    out!("{text}");
    outln!("\nwrote {}/: report.html, report.md, summary.csv, runs.csv, batch.json and charts", out.display());
    eprintln!("done in {:.2}s with {jobs} jobs", started.elapsed().as_secs_f64());
    Ok(())
}

/// Makes `out` ready: a fresh directory with batch.json and a runs.csv header, or
/// (with `resume`) the existing one cut back to its last whole replication.
/// Returns how many of its replications are already done.
fn prepare(out: &Path, manifest: &Manifest, columns: &[String], force: bool, resume: bool) -> Result<u64, Failure> {
    let runs_path = out.join("runs.csv");
    if resume && runs_path.exists() {
        let kept = read_manifest(out)?;
        let differ = kept.differences(manifest, true, ["recorded", "now"]);
        if !differ.is_empty() {
            return Err(Failure::Input(format!(
                "{} holds another batch: {} differ{}; resume with the same scenario and arguments, or use another --out",
                out.display(),
                differ.join("; "),
                if differ.len() == 1 { "s" } else { "" }
            )));
        }
        // Rows are appended in (replication, variant) order, so the finished
        // replications are a prefix of the manifest's; the first row out of place
        // (torn by a kill, or a replication left half done) is where to cut.
        let mut reader = RunsReader::open_expecting(&runs_path, columns).map_err(Failure::input)?;
        let replications = manifest.replications();
        let mut cut = reader.complete_length();
        let (mut done, mut variant) = (0, 0);
        while let Some(row) = reader.next() {
            let expected = (done < replications.count).then(|| replications.get(done));
            if (expected, manifest.variants.get(variant)) != (Some(row.replication), Some(&row.variant)) {
                break;
            }
            variant += 1;
            if variant == manifest.variants.len() {
                (done, variant) = (done + 1, 0);
                cut = reader.complete_length();
            }
        }
        let file = OpenOptions::new().write(true).open(&runs_path).map_err(|e| Failure::Run(e.to_string()))?;
        file.set_len(cut).map_err(|e| Failure::Run(format!("cannot trim {}: {e}", runs_path.display())))?;
        let _ = fs::remove_file(out.join("summary.csv"));
        return Ok(done);
    }
    if resume && out.exists() {
        // Killed before its first row: start it afresh in place, if it is ttx's and
        // its batch.json (when written) is this batch.
        let ours = out.join(report::MARKER).is_file();
        let same = !out.join("batch.json").exists()
            || read_manifest(out).is_ok_and(|m| m.differences(manifest, true, ["recorded", "now"]).is_empty());
        if !(ours && same) {
            return Err(Failure::Input(format!(
                "{} holds no runs.csv{}: there is nothing to resume",
                out.display(),
                if ours { " and a batch.json of another batch" } else { " and was not written by ttx" }
            )));
        }
        write_atomically(&out.join("batch.json"), &serde_json::to_vec_pretty(manifest).expect("plain data"))?;
        fs::write(&runs_path, format!("{}\n", runs_header(columns)))
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", runs_path.display())))?;
        return Ok(0);
    }
    if out.exists() && !force {
        return Err(Failure::Input(format!(
            "{} already exists; use --resume to finish it, --force to replace it, or another --out",
            out.display()
        )));
    }
    if out.exists() {
        return Err(Failure::Input(format!("{} exists: it is replaced only from staging", out.display())));
    }
    fs::create_dir_all(out).map_err(|e| Failure::Run(format!("cannot create {}: {e}", out.display())))?;
    report::mark(out, "a batch").map_err(|e| Failure::Run(format!("cannot write {}: {e}", out.display())))?;
    write_atomically(&out.join("batch.json"), &serde_json::to_vec_pretty(manifest).expect("plain data"))?;
    fs::write(&runs_path, format!("{}\n", runs_header(columns)))
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", runs_path.display())))?;
    Ok(0)
}

fn read_manifest(dir: &Path) -> Result<Manifest, Failure> {
    let path = dir.join("batch.json");
    let text = fs::read(&path).map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&text)
        .map_err(|e| Failure::Input(format!("{} is not a ttx batch manifest: {e}", path.display())))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    report::write_atomically(path, bytes).map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))
}

/// Reads runs.csv back, checks it is whole, writes summary.csv and returns the
/// comparison to print.
fn finish(out: &Path, manifest: &Manifest, measure: Option<&str>) -> Result<String, Failure> {
    let reader = RunsReader::open(&out.join("runs.csv")).map_err(Failure::run)?;
    if let Some(m) = measure {
        check_measure(m, reader.columns())?;
    }
    let mut summariser = BatchSummariser::new(&manifest.variants, reader.columns());
    for row in reader {
        summariser.add(&row).map_err(|e| Failure::Run(format!("{}/runs.csv: {e}", out.display())))?;
    }
    let expected = manifest.replications().count * manifest.variants.len() as u64;
    if summariser.rows() != expected {
        return Err(Failure::Run(format!(
            "{}/runs.csv has {} whole rows, expected {expected}",
            out.display(),
            summariser.rows()
        )));
    }
    let summary = summariser.summary();
    write_atomically(&out.join("summary.csv"), &summary_csv(&summary))?;
    let headline = headline(&summariser, measure);
    let charts = match &headline {
        Some(h) => draw_charts(out, manifest, &summariser, &summary, h)?,
        None => Vec::new(),
    };
    let name = if manifest.name.is_empty() { &manifest.scenario } else { &manifest.name };
    let blocks = batch_report(
        name,
        &manifest.variants,
        manifest.replications().count as usize,
        manifest.seed,
        &summary,
        headline.as_deref(),
        &charts,
    );
    write_atomically(&out.join("report.md"), to_markdown(&blocks).as_bytes())?;
    let title = format!("Batch report: {name}");
    write_atomically(&out.join("report.html"), to_html(&title, &blocks).as_bytes())?;
    let shard = manifest.shard.map_or(String::new(), |s| format!(" (shard {}/{})", s.index, s.count));
    let mut text = format!(
        "{} replications x {} variants{shard}, seeds from {}\n\n  {:<40} {:<24} {:>10} {:>22} {:>26}\n",
        manifest.replications().count,
        manifest.variants.len(),
        manifest.seed,
        "variant",
        "score",
        "mean",
        "95% CI",
        "vs baseline (95% CI)"
    );
    let shown = |score: &str| SHOWN.contains(&score) || headline.as_deref() == Some(score);
    for r in summary.iter().filter(|r| shown(&r.score)) {
        let Some(s) = r.stats else { continue };
        let ci = if s.n > 1 { format!("{:.3} to {:.3}", s.low, s.high) } else { "-".into() };
        let diff =
            r.difference.map_or("baseline".into(), |d| format!("{:+.3} ({:.3} to {:.3})", d.mean, d.low, d.high));
        let _ = writeln!(text, "  {:<40} {:<24} {:>10.3} {:>22} {:>26}", r.variant, r.score, s.mean, ci, diff);
    }
    Ok(text)
}

/// The score the charts show by default: the first of these the baseline has values for.
const HEADLINE: [&str; 3] = ["time_to_contain_rmst_h", "queue_wait_rmst_h", "overall_score"];

/// `--measure NAME` must name a runs.csv column; a near miss is suggested.
fn check_measure(measure: &str, columns: &[String]) -> Result<(), Failure> {
    if columns.iter().any(|c| c == measure) {
        return Ok(());
    }
    let hint = crate::scenario::closest(measure, columns.iter().map(String::as_str))
        .map_or(String::new(), |c| format!("; did you mean \"{c}\"?"));
    Err(Failure::Input(format!(
        "--measure {measure}: no such score column{hint} (the columns are the header of runs.csv, listed in docs/outputs.md)"
    )))
}

/// The headline measure: `--measure`, else the first default the baseline has values for.
fn headline(summariser: &BatchSummariser, measure: Option<&str>) -> Option<String> {
    let column = |score: &str| summariser.columns().iter().position(|c| c == score);
    if let Some(m) = measure {
        return Some(m.to_string());
    }
    HEADLINE.into_iter().find(|s| column(s).is_some_and(|c| summariser.sketches(c)[0].1.count() > 0)).map(String::from)
}

fn draw_charts(
    out: &Path,
    manifest: &Manifest,
    summariser: &BatchSummariser,
    summary: &[VariantSummary],
    score: &str,
) -> Result<Vec<RenderedChart>, Failure> {
    let Some(column) = summariser.columns().iter().position(|c| c == score) else {
        return Ok(Vec::new());
    };
    if summariser.sketches(column).iter().all(|(_, s)| s.count() == 0) {
        return Ok(Vec::new());
    }
    let per_variant = || VariantValues { score: score.to_string(), variants: summariser.sketches(column) };
    let mut charts = vec![draw(out, &DistributionChart(per_variant()))?, draw(out, &CdfChart(per_variant()))?];
    // One numeric key varied: the score against it.
    let pairs: Option<Vec<(&str, f64)>> = manifest
        .variants
        .iter()
        .map(|n| n.split_once('=').filter(|(k, _)| !k.contains(' ')).and_then(|(k, v)| Some((k, v.parse().ok()?))))
        .collect();
    if let Some(pairs) = pairs.filter(|p| p.len() > 1 && p.iter().all(|(k, _)| *k == p[0].0)) {
        let mut points: Vec<(f64, f64, f64, f64)> = pairs
            .iter()
            .zip(&manifest.variants)
            .filter_map(|((_, x), name)| {
                let s = summary.iter().find(|r| r.variant == *name && r.score == score)?.stats?;
                Some((*x, s.mean, s.low, s.high))
            })
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let chart = ParameterChart { key: pairs[0].0.to_string(), score: score.to_string(), points };
        charts.push(draw(out, &chart)?);
    }
    Ok(charts)
}

fn draw<C: Chart>(out: &Path, chart: &C) -> Result<RenderedChart, Failure> {
    let name = chart.name();
    let svg = render(chart, &out.join(format!("{name}.png")))
        .map_err(|e| Failure::Run(format!("cannot draw the {name} chart: {e}")))?;
    write_atomically(&out.join(format!("{name}.svg")), svg.as_bytes())?;
    Ok(RenderedChart { name: name.to_string(), title: chart.title(), svg })
}

/// `ttx merge DIR... --out OUT`: shard outputs combined into exactly what one
/// machine would have written. The shards' runs.csv are merged a row at a time
/// (each is in replication order), into a staging directory renamed into place
/// once everything checks out.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let Some(first_dir) = args.dirs.first() else {
        return Err(Failure::Input("give at least one batch directory to merge".into()));
    };
    let first = read_manifest(first_dir)?;
    let mut readers = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    for dir in &args.dirs {
        let m = read_manifest(dir)?;
        let differ = first.differences(&m, false, ["in the first", "here"]);
        if !differ.is_empty() {
            return Err(Failure::Input(format!(
                "{} holds another batch than {}: {} differ{}",
                dir.display(),
                first_dir.display(),
                differ.join("; "),
                if differ.len() == 1 { "s" } else { "" }
            )));
        }
        let reader = RunsReader::open(&dir.join("runs.csv")).map_err(Failure::input)?;
        match &columns {
            None => columns = Some(reader.columns().to_vec()),
            Some(first) if first.as_slice() != reader.columns() => {
                return Err(Failure::Input(format!(
                    "{} holds other score columns than {} ({}): shards of another scenario",
                    dir.display(),
                    first_dir.display(),
                    first_difference(reader.columns(), first)
                )));
            }
            Some(_) => {}
        }
        readers.push(reader.peekable());
    }
    let manifest = Manifest { shard: None, ..first };
    if args.out.exists() && !args.force {
        return Err(Failure::Input(format!("{} already exists; use --force to replace it", args.out.display())));
    }
    if args.force {
        report::check_replaceable(&args.out).map_err(|e| Failure::Input(e.to_string()))?;
    }
    let staging = staging_dir(&args.out);
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(|e| Failure::Run(format!("cannot create {}: {e}", staging.display())))?;
    report::mark(&staging, "a merged batch")
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", staging.display())))?;
    let columns = columns.unwrap_or_default();
    let merged = merge_into(&staging, &manifest, &columns, &args.dirs, &mut readers)
        .and_then(|_| finish(&staging, &manifest, args.measure.as_deref()));
    let text = match merged {
        Ok(text) => text,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap_into_place(&staging, &args.out)?;
    out!("{text}");
    outln!("\nmerged {} directories into {}/", args.dirs.len(), args.out.display());
    Ok(())
}

/// A hidden sibling of `out`, so the final rename stays on one file system.
fn staging_dir(out: &Path) -> PathBuf {
    let name = out.file_name().map_or_else(|| "merged".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.merging"))
}

/// `.NAME.KIND-PID` beside `target` (the pid lets a later run clear what a
/// killed one left).
fn staging_beside(target: &Path, kind: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "batch".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{kind}-{}", std::process::id()))
}

/// Puts the complete `staged` directory at `target`: an existing target is moved
/// aside first and deleted only once the new one is in place.
fn swap_into_place(staged: &Path, target: &Path) -> Result<(), Failure> {
    let io = |what: &str, p: &Path, e: std::io::Error| Failure::Run(format!("cannot {what} {}: {e}", p.display()));
    let aside = staged.with_extension("replaced");
    let displaced = target.exists();
    if displaced {
        fs::rename(target, &aside).map_err(|e| io("move aside", target, e))?;
    }
    fs::rename(staged, target).map_err(|e| io("move into place", target, e))?;
    if displaced {
        fs::remove_dir_all(&aside).map_err(|e| io("remove the replaced", &aside, e))?;
    }
    Ok(())
}

fn merge_into(
    staging: &Path,
    manifest: &Manifest,
    columns: &[String],
    dirs: &[PathBuf],
    readers: &mut [Peekable<RunsReader>],
) -> Result<(), Failure> {
    write_atomically(&staging.join("batch.json"), &serde_json::to_vec_pretty(manifest).expect("plain data"))?;
    let path = staging.join("runs.csv");
    let io = |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", path.display()));
    let mut runs = BufWriter::new(File::create(&path).map_err(io)?);
    writeln!(runs, "{}", runs_header(columns)).map_err(io)?;
    let key = |row: &RunRow| {
        let v = manifest.variants.iter().position(|n| *n == row.variant);
        v.map(|v| (row.replication, v)).ok_or_else(|| format!("names an unknown variant \"{}\"", row.variant))
    };
    let (mut written, mut last) = (0u64, None);
    loop {
        let mut next: Option<((u64, usize), usize)> = None;
        for (d, reader) in readers.iter_mut().enumerate() {
            if let Some(row) = reader.peek() {
                let k = key(row).map_err(|e| Failure::Input(format!("{}/runs.csv {e}", dirs[d].display())))?;
                if next.is_none_or(|(best, _)| k < best) {
                    next = Some((k, d));
                }
            }
        }
        let Some((k, d)) = next else { break };
        if last == Some(k) {
            return Err(Failure::Input(format!(
                "{} repeats replications of another directory given",
                dirs[d].display()
            )));
        }
        let row = readers[d].next().expect("peeked");
        runs.write_all(write_run_row(row.replication, &row.variant, row.seed, &row.values).as_bytes()).map_err(io)?;
        (written, last) = (written + 1, Some(k));
    }
    runs.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
    let expected = manifest.runs * manifest.variants.len() as u64;
    if written != expected {
        return Err(Failure::Input(format!(
            "the directories hold {written} of {expected} rows: {} are missing (a shard not given, or not finished: finish it with --resume)",
            expected.saturating_sub(written)
        )));
    }
    Ok(())
}
