//! `ttx run`: one replication, its event log, its tables, charts and after-action report.

use super::Failure;
use super::run_plan::RunPlan;
use crate::model::Replication;
use crate::report::charts::{Chart, ServiceLevelChart, TimelineChart, WarningsChart, WorkloadChart, render};
use crate::report::{
    CsvEventSink, OutputDir, OutputError, RenderedChart, SATURATED, after_action_report, assets_csv, findings,
    incidents_csv, staff_csv, summary_json, summary_table, to_html, to_markdown,
};
use crate::score::{busy_stretches, sample_interval, staff_rows, summarise};
use std::time::Instant;

/// The files a run writes besides its charts, as the closing line lists them.
pub const RUN_FILES: [&str; 7] =
    ["report.html", "report.md", "summary.json", "events.csv", "incidents.csv", "assets.csv", "staff.csv"];

pub fn run(plan: &RunPlan) -> Result<(), Failure> {
    let started = Instant::now();
    let out = OutputDir::create(&plan.out, plan.force).map_err(output_failure)?;
    match play(plan, &out) {
        Ok((text, timing)) => {
            let dir = out.commit().map_err(output_failure)?;
            print!("{text}");
            println!("\nwrote {}/: {} and 4 charts (.svg, .png)", dir.display(), RUN_FILES.join(", "));
            eprintln!(
                "done in {:.2}s (simulation and events.csv {:.2}s, scores and tables {:.2}s, charts and report {:.2}s)",
                started.elapsed().as_secs_f64(),
                timing[0],
                timing[1],
                timing[2]
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
/// and the seconds spent simulating, scoring and writing tables, and reporting.
fn play(plan: &RunPlan, out: &OutputDir) -> Result<(String, [f64; 3]), Failure> {
    let started = Instant::now();
    let scenario = &plan.scenario;
    let events_path = out.file("events.csv");
    let sink = CsvEventSink::create(&events_path, scenario.clone())
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    let mut replication = Replication::new(scenario.clone(), plan.seed, plan.max_events, sink);
    for (inject, option) in &plan.choices {
        replication.choose(*inject, *option).map_err(Failure::Input)?;
    }
    let interval = sample_interval(scenario.horizon);
    let mut samples = Vec::new();
    replication.run_sampled(interval, |s| samples.push(s)).map_err(|e| Failure::Run(e.to_string()))?;
    let (outcome, sink) = replication.finish();
    sink.finish().map_err(|e| Failure::Run(format!("cannot write {}: {e}", events_path.display())))?;
    let simulated = started.elapsed().as_secs_f64();

    let summary = summarise(scenario, &outcome);
    let staff = staff_rows(scenario, &samples);
    let write = |name: &str, bytes: &[u8]| out.write(name, bytes).map_err(output_failure);
    write("summary.json", &summary_json(&summary))?;
    write("incidents.csv", &incidents_csv(scenario, &outcome))?;
    write("assets.csv", &assets_csv(scenario, &outcome))?;
    write("staff.csv", &staff_csv(&staff))?;

    let tabled = started.elapsed().as_secs_f64();
    let nation = scenario.csirts.first().map_or(0, |c| c.nation);
    let hours = outcome.end_time.max(1) as f64 / 3_600.0;
    let midnights =
        crate::report::charts::local_midnights(scenario.start_utc_s, scenario.nations[nation].utc_offset_s, hours);
    let nation_name = scenario.nations[nation].name.clone();
    let charts = vec![
        draw(out, &TimelineChart::new(scenario, &outcome))?,
        draw(out, &ServiceLevelChart::new(scenario, &outcome))?,
        draw(out, &WorkloadChart::new(&staff, hours, midnights.clone(), nation_name.clone()))?,
        draw(out, &WarningsChart::new(scenario, &outcome, midnights, nation_name))?,
    ];

    let found = findings(&summary, &busy_stretches(&staff, interval, SATURATED));
    let blocks = after_action_report(scenario, &outcome, &summary, &found, &charts);
    write("report.md", to_markdown(&blocks).as_bytes())?;
    write("report.html", to_html(&format!("After-action report: {}", scenario.name), &blocks).as_bytes())?;
    let reported = started.elapsed().as_secs_f64();
    Ok((summary_table(&summary), [simulated, tabled - simulated, reported - tabled]))
}

/// Renders one chart as `<name>.png` and `<name>.svg` in the staging directory.
fn draw<C: Chart>(out: &OutputDir, chart: &C) -> Result<RenderedChart, Failure> {
    let name = chart.name();
    let svg = render(chart, &out.file(&format!("{name}.png")))
        .map_err(|e| Failure::Run(format!("cannot draw the {name} chart: {e}")))?;
    out.write(&format!("{name}.svg"), svg.as_bytes()).map_err(output_failure)?;
    Ok(RenderedChart { name: name.to_string(), title: chart.title(), svg })
}

fn output_failure(e: OutputError) -> Failure {
    match e {
        OutputError::Exists(_) => Failure::Input(e.to_string()),
        OutputError::Io { .. } => Failure::Run(e.to_string()),
    }
}
