//! `ttx run`: one replication, its event log, its summary.

use super::Failure;
use super::run_plan::RunPlan;
use crate::model::Replication;
use crate::report::{CsvEventSink, OutputDir, OutputError, summary_json, summary_table};
use crate::score::summarise;
use std::time::Instant;

pub fn run(plan: &RunPlan) -> Result<(), Failure> {
    let started = Instant::now();
    let out = OutputDir::create(&plan.out, plan.force).map_err(output_failure)?;
    match play(plan, &out) {
        Ok(text) => {
            let dir = out.commit().map_err(output_failure)?;
            print!("{text}");
            println!("\nwrote {}/events.csv and summary.json", dir.display());
            eprintln!("done in {:.2}s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Err(failure) => {
            out.abandon();
            Err(failure)
        }
    }
}

/// Runs the replication into the staging directory; returns the table to print.
fn play(plan: &RunPlan, out: &OutputDir) -> Result<String, Failure> {
    let events_path = out.file("events.csv");
    let sink = CsvEventSink::create(&events_path, plan.scenario.clone())
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    let mut replication = Replication::new(plan.scenario.clone(), plan.seed, plan.max_events, sink);
    for (inject, option) in &plan.choices {
        replication.choose(*inject, *option).map_err(Failure::Input)?;
    }
    replication.run_to_horizon().map_err(|e| Failure::Run(e.to_string()))?;
    let (outcome, sink) = replication.finish();
    sink.finish().map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    let summary = summarise(&plan.scenario, &outcome);
    out.write("summary.json", &summary_json(&summary)).map_err(output_failure)?;
    Ok(summary_table(&summary))
}

fn output_failure(e: OutputError) -> Failure {
    match e {
        OutputError::Exists(_) => Failure::Input(e.to_string()),
        OutputError::Io { .. } => Failure::Run(e.to_string()),
    }
}
