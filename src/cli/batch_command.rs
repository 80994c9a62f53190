//! `ttx batch` and `ttx merge`: variants x replications in parallel; runs.csv
//! streamed in order (flushed row by row, so a kill loses no finished replication),
//! summary.csv computed from runs.csv at the end; shards and resume.

use super::Failure;
use super::args::{BatchArgs, MergeArgs};
use super::run_plan::parse_overrides;
use crate::batch::{
    BatchPlan, Manifest, RunRow, Shard, Vary, read_runs, run_batch, runs_header, summarise_variants, summary_csv,
    variants, write_run_row,
};
use crate::batch::{SCORE_COLUMNS, VariantSummary};
use crate::report::charts::{CdfChart, Chart, DistributionChart, ParameterChart, VariantValues, render};
use crate::report::{RenderedChart, batch_report, to_html, to_markdown};
use crate::scenario::load_file;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Scores the printed comparison shows (all are in summary.csv).
const SHOWN: [&str; 4] = ["mean_time_to_triage_h", "mean_time_to_contain_h", "service_hours_lost", "overall_score"];

pub fn batch(args: BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    if args.runs == 0 {
        return Err(Failure::Input("--runs must be at least 1".into()));
    }
    if args.jobs == Some(0) {
        return Err(Failure::Input("--jobs must be at least 1".into()));
    }
    let shard = args.shard.as_deref().map(Shard::parse).transpose().map_err(Failure::Input)?;
    let vary: Vec<Vary> = args.vary.iter().map(|v| Vary::parse(v).map_err(Failure::Input)).collect::<Result<_, _>>()?;
    if let Some(key) =
        vary.iter().enumerate().find_map(|(i, v)| vary[..i].iter().any(|w| w.key == v.key).then_some(&v.key))
    {
        return Err(Failure::Input(format!("--vary gives the key \"{key}\" twice; list all its values in one --vary")));
    }
    let base = parse_overrides(&args.overrides)?;
    let mut scenarios = Vec::new();
    for variant in variants(&vary) {
        let overrides: Vec<_> = base.iter().cloned().chain(variant.overrides.iter().cloned()).collect();
        let scenario = load_file(&args.file, &overrides).map_err(Failure::Scenario)?;
        scenarios.push((variant.name, Arc::new(scenario)));
    }
    let seed = args.seed.unwrap_or(scenarios[0].1.seed);
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args.file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        let shard = shard.map_or(String::new(), |s| format!("-shard-{}-of-{}", s.index, s.count));
        Path::new("reports").join(stem).join(format!("batch-seed-{seed}{shard}"))
    });
    let manifest = Manifest {
        scenario: args.file.display().to_string(),
        variants: scenarios.iter().map(|(n, _)| n.clone()).collect(),
        runs: args.runs,
        seed,
        shard,
    };
    let done = prepare(&out, &manifest, args.force, args.resume)?;
    let v = manifest.variants.len();
    let replications: Vec<u64> = manifest.replications().into_iter().filter(|r| !done.contains(r)).collect();
    let plan = BatchPlan { variants: scenarios, replications, seed, jobs, max_events: args.max_events };
    let runs_path = out.join("runs.csv");
    let io = |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", runs_path.display()));
    let mut runs = OpenOptions::new().append(true).open(&runs_path).map_err(io)?;
    let total = (plan.replications.len() * v) as u64;
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
        Failure::Run(format!("{e} (finished replications are kept in {}; rerun with --resume)", runs_path.display()))
    })?;
    bar.finish_and_clear();
    runs.sync_all().map_err(io)?;
    let text = finish(&out, &manifest)?;
    print!("{text}");
    println!("\nwrote {}/: report.html, report.md, summary.csv, runs.csv, batch.json and charts", out.display());
    eprintln!("done in {:.2}s with {jobs} jobs", started.elapsed().as_secs_f64());
    Ok(())
}

/// Makes `out` ready: a fresh directory with batch.json and a runs.csv header, or
/// (with `resume`) the existing one cut back to its last whole replication.
/// Returns the replications already done.
fn prepare(out: &Path, manifest: &Manifest, force: bool, resume: bool) -> Result<Vec<u64>, Failure> {
    let runs_path = out.join("runs.csv");
    if resume && runs_path.exists() {
        let kept = read_manifest(out)?;
        if kept != *manifest {
            return Err(Failure::Input(format!(
                "{} holds a different batch (scenario, variants, --runs, --seed or --shard differ); \
                 resume with the same arguments, or use another --out",
                out.display()
            )));
        }
        let rows = read_runs(&runs_path).map_err(Failure::Input)?;
        let v = manifest.variants.len();
        let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
        let mut cut = runs_header().len() as u64 + 1;
        let mut done = Vec::new();
        for (row, end) in &rows {
            let n = counts.entry(row.replication).or_default();
            *n += 1;
            if *n == v {
                cut = *end;
                done.push(row.replication);
            }
        }
        let file = OpenOptions::new().write(true).open(&runs_path).map_err(|e| Failure::Run(e.to_string()))?;
        file.set_len(cut).map_err(|e| Failure::Run(format!("cannot trim {}: {e}", runs_path.display())))?;
        let _ = fs::remove_file(out.join("summary.csv"));
        return Ok(done);
    }
    if resume && out.exists() {
        return Err(Failure::Input(format!("{} holds no runs.csv: there is nothing to resume", out.display())));
    }
    if out.exists() {
        if !force {
            return Err(Failure::Input(format!(
                "{} already exists; use --resume to finish it, --force to replace it, or another --out",
                out.display()
            )));
        }
        fs::remove_dir_all(out).map_err(|e| Failure::Run(format!("cannot replace {}: {e}", out.display())))?;
    }
    fs::create_dir_all(out).map_err(|e| Failure::Run(format!("cannot create {}: {e}", out.display())))?;
    write_atomically(&out.join("batch.json"), &serde_json::to_vec_pretty(manifest).expect("plain data"))?;
    fs::write(&runs_path, format!("{}\n", runs_header()))
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", runs_path.display())))?;
    Ok(Vec::new())
}

fn read_manifest(dir: &Path) -> Result<Manifest, Failure> {
    let path = dir.join("batch.json");
    let text = fs::read(&path).map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&text)
        .map_err(|e| Failure::Input(format!("{} is not a ttx batch manifest: {e}", path.display())))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let tmp = path.with_extension("tmp");
    let fail = |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", path.display()));
    let mut f = File::create(&tmp).map_err(fail)?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(fail)?;
    fs::rename(&tmp, path).map_err(fail)
}

/// Reads runs.csv back, checks it is whole, writes summary.csv and returns the
/// comparison to print.
fn finish(out: &Path, manifest: &Manifest) -> Result<String, Failure> {
    let rows: Vec<RunRow> = read_runs(&out.join("runs.csv")).map_err(Failure::Run)?.into_iter().map(|r| r.0).collect();
    let expected = manifest.replications().len() * manifest.variants.len();
    if rows.len() != expected {
        return Err(Failure::Run(format!("{}/runs.csv has {} rows, expected {expected}", out.display(), rows.len())));
    }
    let mut values = vec![Vec::new(); manifest.variants.len()];
    for row in rows {
        let v = manifest.variants.iter().position(|n| *n == row.variant).ok_or_else(|| {
            Failure::Run(format!("{}/runs.csv names an unknown variant \"{}\"", out.display(), row.variant))
        })?;
        values[v].push(row.values);
    }
    let summary = summarise_variants(&manifest.variants, &values);
    write_atomically(&out.join("summary.csv"), &summary_csv(&summary))?;
    let charts = draw_charts(out, manifest, &values, &summary)?;
    let blocks = batch_report(
        &manifest.scenario,
        &manifest.variants,
        manifest.replications().len(),
        manifest.seed,
        &summary,
        &charts,
    );
    write_atomically(&out.join("report.md"), to_markdown(&blocks).as_bytes())?;
    let title = format!("Batch report: {}", manifest.scenario);
    write_atomically(&out.join("report.html"), to_html(&title, &blocks).as_bytes())?;
    let shard = manifest.shard.map_or(String::new(), |s| format!(" (shard {}/{})", s.index, s.count));
    let mut text = format!(
        "{} replications x {} variants{shard}, seeds from {}\n\n  {:<40} {:<24} {:>10} {:>22} {:>26}\n",
        manifest.replications().len(),
        manifest.variants.len(),
        manifest.seed,
        "variant",
        "score",
        "mean",
        "95% CI",
        "vs baseline (95% CI)"
    );
    for r in summary.iter().filter(|r| SHOWN.contains(&r.score)) {
        let Some(s) = r.stats else { continue };
        let ci = if s.n > 1 { format!("{:.3} to {:.3}", s.low, s.high) } else { "-".into() };
        let diff =
            r.difference.map_or("baseline".into(), |d| format!("{:+.3} ({:.3} to {:.3})", d.mean, d.low, d.high));
        let _ = writeln!(text, "  {:<40} {:<24} {:>10.3} {:>22} {:>26}", r.variant, r.score, s.mean, ci, diff);
    }
    Ok(text)
}

/// The score the charts show: the first of these the baseline has values for.
const HEADLINE: [&str; 3] = ["mean_time_to_contain_h", "mean_queue_wait_h", "overall_score"];

fn draw_charts(
    out: &Path,
    manifest: &Manifest,
    values: &[Vec<Vec<Option<f64>>>],
    summary: &[VariantSummary],
) -> Result<Vec<RenderedChart>, Failure> {
    let column = |score: &str| SCORE_COLUMNS.iter().position(|c| *c == score).expect("a score column");
    let Some(score) = HEADLINE.into_iter().find(|s| values[0].iter().any(|row| row[column(s)].is_some())) else {
        return Ok(Vec::new());
    };
    let per_variant = || VariantValues {
        score: score.to_string(),
        variants: manifest
            .variants
            .iter()
            .zip(values)
            .map(|(name, rows)| {
                let mut v: Vec<f64> = rows.iter().filter_map(|r| r[column(score)]).collect();
                v.sort_by(f64::total_cmp);
                (name.clone(), v)
            })
            .collect(),
    };
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
/// machine would have written.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let mut manifests = Vec::new();
    let mut rows: BTreeMap<(u64, usize), RunRow> = BTreeMap::new();
    for dir in &args.dirs {
        let m = read_manifest(dir)?;
        if let Some(first) = manifests.first() {
            let same = |a: &Manifest, b: &Manifest| {
                (&a.scenario, &a.variants, a.runs, a.seed) == (&b.scenario, &b.variants, b.runs, b.seed)
            };
            if !same(first, &m) {
                return Err(Failure::Input(format!(
                    "{} holds another batch than {} (scenario, variants, --runs or --seed differ)",
                    dir.display(),
                    args.dirs[0].display()
                )));
            }
        }
        for (row, _) in read_runs(&dir.join("runs.csv")).map_err(Failure::Input)? {
            let v = m.variants.iter().position(|n| *n == row.variant).ok_or_else(|| {
                Failure::Input(format!("{}/runs.csv names an unknown variant \"{}\"", dir.display(), row.variant))
            })?;
            if rows.insert((row.replication, v), row).is_some() {
                return Err(Failure::Input(format!(
                    "{} repeats replications of another directory given",
                    dir.display()
                )));
            }
        }
        manifests.push(m);
    }
    let Some(first) = manifests.first() else {
        return Err(Failure::Input("give at least one batch directory to merge".into()));
    };
    let manifest = Manifest { shard: None, ..first.clone() };
    let missing = manifest.runs * manifest.variants.len() as u64 - rows.len() as u64;
    if missing > 0 {
        return Err(Failure::Input(format!(
            "the directories hold {} of {} rows: {missing} are missing (a shard not given, or not finished: finish it with --resume)",
            rows.len(),
            manifest.runs * manifest.variants.len() as u64
        )));
    }
    if args.out.exists() {
        if !args.force {
            return Err(Failure::Input(format!("{} already exists; use --force to replace it", args.out.display())));
        }
        fs::remove_dir_all(&args.out)
            .map_err(|e| Failure::Run(format!("cannot replace {}: {e}", args.out.display())))?;
    }
    fs::create_dir_all(&args.out).map_err(|e| Failure::Run(format!("cannot create {}: {e}", args.out.display())))?;
    write_atomically(&args.out.join("batch.json"), &serde_json::to_vec_pretty(&manifest).expect("plain data"))?;
    let mut text = format!("{}\n", runs_header());
    for row in rows.values() {
        text.push_str(&write_run_row(row.replication, &row.variant, row.seed, &row.values));
    }
    write_atomically(&args.out.join("runs.csv"), text.as_bytes())?;
    print!("{}", finish(&args.out, &manifest)?);
    println!("\nmerged {} directories into {}/", args.dirs.len(), args.out.display());
    Ok(())
}
