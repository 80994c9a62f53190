//! `ttx batch`: variants x replications in parallel; runs.csv streamed in order,
//! summary.csv at the end, a comparison printed.

use super::Failure;
use super::args::BatchArgs;
use super::run_plan::parse_overrides;
use crate::batch::{BatchPlan, SCORE_COLUMNS, Vary, run_batch, summarise_variants, summary_csv, variants};
use crate::report::{OutputDir, OutputError};
use crate::scenario::load_file;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
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
    let vary: Vec<Vary> = args.vary.iter().map(|v| Vary::parse(v).map_err(Failure::Input)).collect::<Result<_, _>>()?;
    if let Some(key) =
        vary.iter().enumerate().find_map(|(i, v)| vary[..i].iter().any(|w| w.key == v.key).then_some(&v.key))
    {
        return Err(Failure::Input(format!("--vary gives the key \"{key}\" twice; list all its values in one --vary")));
    }
    let base = parse_overrides(&args.overrides)?;
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for variant in variants(&vary) {
        let overrides: Vec<_> = base.iter().cloned().chain(variant.overrides.iter().cloned()).collect();
        match load_file(&args.file, &overrides) {
            Ok(s) => scenarios.push((variant.name, Arc::new(s))),
            Err(d) => problems.push(d),
        }
    }
    if let Some(first) = problems.into_iter().next() {
        return Err(Failure::Scenario(first));
    }
    let seed = args.seed.unwrap_or(scenarios[0].1.seed);
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let stem = args.file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        Path::new("reports").join(stem).join(format!("batch-seed-{seed}"))
    });
    let out = OutputDir::create(&out_dir, args.force).map_err(output_failure)?;
    let plan = BatchPlan { variants: scenarios, runs: args.runs, seed, jobs, max_events: args.max_events };
    match write_batch(&plan, &out, args.quiet) {
        Ok(text) => {
            let dir = out.commit().map_err(output_failure)?;
            print!("{text}");
            println!("\nwrote {}/: runs.csv, summary.csv", dir.display());
            eprintln!("done in {:.2}s with {jobs} jobs", started.elapsed().as_secs_f64());
            Ok(())
        }
        Err(failure) => {
            out.abandon();
            Err(failure)
        }
    }
}

fn write_batch(plan: &BatchPlan, out: &OutputDir, quiet: bool) -> Result<String, Failure> {
    let path = out.file("runs.csv");
    let io = |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", path.display()));
    let mut runs = BufWriter::new(File::create(&path).map_err(io)?);
    let header: Vec<&str> = ["replication", "variant", "seed"].into_iter().chain(SCORE_COLUMNS).collect();
    writeln!(runs, "{}", header.join(",")).map_err(io)?;
    let total = plan.runs * plan.variants.len() as u64;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {per_sec}, ETA {eta}")
            .expect("a valid template"),
    );
    let result = run_batch(plan, |replication, variant, seed, row| {
        let mut line = format!("{replication},\"{}\",{seed}", plan.variants[variant].0.replace('"', "\"\""));
        for v in row {
            let _ = match v {
                Some(x) if x.is_finite() => write!(line, ",{x}"),
                _ => write!(line, ","),
            };
        }
        writeln!(runs, "{line}").map_err(|e| e.to_string())?;
        bar.inc(1);
        Ok(())
    })
    .map_err(Failure::Run)?;
    bar.finish_and_clear();
    runs.flush().map_err(io)?;
    runs.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
    let names: Vec<String> = plan.variants.iter().map(|(n, _)| n.clone()).collect();
    let summary = summarise_variants(&names, &result.values);
    out.write("summary.csv", &summary_csv(&summary)).map_err(output_failure)?;
    let mut text = format!(
        "{} replications x {} variants, seeds {}..{}\n\n  {:<40} {:<24} {:>10} {:>22} {:>26}\n",
        plan.runs,
        plan.variants.len(),
        plan.seed,
        plan.seed.wrapping_add(plan.runs - 1),
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

fn output_failure(e: OutputError) -> Failure {
    match e {
        OutputError::Exists(_) => Failure::Input(e.to_string()),
        OutputError::Io { .. } => Failure::Run(e.to_string()),
    }
}
