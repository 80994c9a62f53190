//! `ttx run`: one replication, its event log, its tables, charts and after-action report.

use super::Failure;
use super::run_plan::RunPlan;
use crate::batch::{CounterfactualPlan, analyse, replication_runner};
use crate::model::Replication;
use crate::report::{
    CsvEventSink, IncidentsCsvSink, OutputDir, OutputError, RUN_FILES, summary_table, write_run_report,
};
use crate::score::ScoreFold;
use crate::score::sample_interval;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;

pub fn run(plan: &RunPlan) -> Result<(), Failure> {
    let started = Instant::now();
    let out = OutputDir::create(&plan.out, plan.force).map_err(output_failure)?;
    match play(plan, &out) {
        Ok((text, timing)) => {
            let dir = out.commit().map_err(output_failure)?;
            out!("{text}");
            let mut files = RUN_FILES.to_vec();
            if dir.join("counterfactuals.csv").exists() {
                files.push("counterfactuals.csv");
            }
            let charts = std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "svg"))).count()
                })
                .unwrap_or(4);
            outln!("\nwrote {}/: {} and {charts} charts (.svg, .png)", dir.display(), files.join(", "));
            eprintln!(
                "done in {:.2}s (simulation and events.csv {:.2}s, decisions replayed {:.2}s, scores and tables {:.2}s, charts and report {:.2}s)",
                started.elapsed().as_secs_f64(),
                timing[0],
                timing[1],
                timing[2],
                timing[3]
            );
            Ok(())
        }
        Err(failure) => {
            out.abandon();
            Err(failure)
        }
    }
}

/// Runs the replication into the staging directory; returns the table to print
/// and the seconds spent simulating, replaying the decisions, scoring and
/// writing tables, and reporting.
fn play(plan: &RunPlan, out: &OutputDir) -> Result<(String, [f64; 4]), Failure> {
    let started = Instant::now();
    let scenario = &plan.scenario;
    let events_path = out.file("events.csv");
    let csv = CsvEventSink::create(&events_path, scenario.clone())
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    let incidents_path = out.file("incidents.csv");
    let incidents = IncidentsCsvSink::create(&incidents_path, scenario.clone())
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", incidents_path.display())))?;
    // events.csv and the scores are fed the same rows as the run goes, and
    // incidents.csv takes each record as its incident closes: the run keeps none.
    let sink = ((csv, incidents), ScoreFold::new(scenario.clone()));
    let mut replication = Replication::new(scenario.clone(), plan.seed, plan.max_events, sink);
    for (inject, option) in &plan.choices {
        replication.choose(*inject, *option).map_err(|e| Failure::Input(e.to_string()))?;
    }
    let interval = sample_interval(scenario.horizon);
    replication.sample_every(interval);
    replication.run_to_horizon().map_err(|e| Failure::Run(e.to_string()))?;
    let samples = replication.take_samples();
    let (mut outcome, ((csv, incidents), fold)) = replication.finish();
    csv.finish().map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    // The report draws only these few records (the timeline, the key events).
    let (drawn, _) = incidents
        .finish(&outcome)
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", incidents_path.display())))?;
    outcome.incidents = drawn;
    let scores = fold.finish();
    let simulated = started.elapsed().as_secs_f64();
    // Every decision the run posed, as chosen (by the file or by default),
    // replayed over the seeds with each of its other options.
    let plan_cf = CounterfactualPlan {
        scenario: scenario.clone(),
        seed: plan.seed,
        seeds: plan.counterfactuals,
        jobs: plan.jobs,
        decisions: outcome.decisions.iter().map(|d| (d.inject, d.option)).collect(),
    };
    // The analysis costs about one played run per replay: say so when that is long.
    let options: u64 = plan_cf
        .decisions
        .iter()
        .map(|(inject, _)| scenario.injects[*inject].decision.as_ref().map_or(0, |d| d.options.len() as u64 - 1))
        .sum();
    let replays = plan_cf.seeds.saturating_mul(1 + options);
    let estimate_s = simulated * replays as f64 / plan_cf.jobs.max(1) as f64;
    if !plan_cf.decisions.is_empty() && estimate_s > 10.0 {
        eprintln!(
            "replaying the run's {} decision(s) over {} seeds ({replays} runs, about {:.0} s on {} jobs; --counterfactuals 0 skips it)",
            plan_cf.decisions.len(),
            plan_cf.seeds,
            estimate_s,
            plan_cf.jobs
        );
    }
    // A bar on a terminal, nothing in a pipe or a log.
    let bar = if std::io::stderr().is_terminal() && plan_cf.seeds > 0 && !plan_cf.decisions.is_empty() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} replays of the decisions, ETA {eta}")
            .expect("a valid template"),
    );
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let counterfactuals =
        analyse(&plan_cf, replication_runner(scenario.clone(), plan.max_events), progress).map_err(Failure::Run)?;
    bar.finish_and_clear();
    let replayed = started.elapsed().as_secs_f64() - simulated;
    let written = write_run_report(out, scenario, &outcome, &scores, &samples, interval, &[], counterfactuals.as_ref())
        .map_err(Failure::run)?;
    Ok((summary_table(&written.summary), [simulated, replayed, written.tables_s, written.report_s]))
}

fn output_failure(e: OutputError) -> Failure {
    match e {
        OutputError::Exists(_) | OutputError::NotOurs { .. } => Failure::Input(e.to_string()),
        OutputError::Io { .. } => Failure::Run(e.to_string()),
    }
}
