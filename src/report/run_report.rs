//! Every file of a run's report directory except events.csv (which streams as the
//! run goes): tables, charts and the after-action report. Shared by `ttx run`
//! and the branches of a `ttx play` exercise, so both write the same files.

use super::charts::{
    Chart, ChartError, DecisionEffectsChart, ServiceLevelChart, TimelineChart, TrustChart, WarningsChart,
    WorkloadChart, local_midnights, render,
};
use super::exercise_conduct::{ConductEntry, conduct_blocks, observation_blocks};
use super::{
    OutputDir, OutputError, RenderedChart, SATURATED, after_action_report, assets_csv, findings, incidents_csv,
    outbreaks_csv, staff_csv, summary_json, to_html, to_markdown, trust_csv,
};
use crate::batch::Counterfactuals;
use crate::engine::{SimDuration, SimTime};
use crate::model::{Outcome, Snapshot};
use crate::scenario::Scenario;
use crate::score::{IncidentScores, RunSummary, busy_stretches, staff_rows, summarise_with};
use std::time::Instant;

/// The files a run writes besides its charts, as the closing line lists them.
pub const RUN_FILES: [&str; 9] = [
    "report.html",
    "report.md",
    "summary.json",
    "events.csv",
    "incidents.csv",
    "assets.csv",
    "staff.csv",
    "outbreaks.csv",
    "trust.csv",
];

/// What was written, and the seconds spent on tables and on charts and report.
pub struct WrittenReport {
    pub summary: RunSummary,
    pub tables_s: f64,
    pub report_s: f64,
}

/// Writes summary.json, the tidy tables, four charts and report.md/.html into
/// `out`. `samples` are the run's snapshots every `interval`; `conduct` is what
/// the table decided and noted (empty outside `ttx play`).
/// `scores` are the incident scores folded from the run's event stream
/// ([`crate::score::ScoreFold`]); the tables of incidents come from `outcome`.
/// `counterfactuals`, when the decisions were analysed, adds "What the decisions
/// changed" and counterfactuals.csv.
#[allow(clippy::too_many_arguments)]
pub fn write_run_report(
    out: &OutputDir,
    scenario: &Scenario,
    outcome: &Outcome,
    scores: &IncidentScores,
    samples: &[Snapshot],
    interval: SimDuration,
    conduct: &[ConductEntry],
    counterfactuals: Option<&Counterfactuals>,
) -> Result<WrittenReport, ReportError> {
    let started = Instant::now();
    let summary = summarise_with(scenario, outcome, scores);
    let staff = staff_rows(scenario, samples);
    let write = |name: &str, bytes: &[u8]| out.write(name, bytes);
    write("summary.json", &summary_json(&summary))?;
    if !outcome.incidents_archived {
        write("incidents.csv", &incidents_csv(scenario, outcome))?;
    }
    write("assets.csv", &assets_csv(scenario, outcome))?;
    write("staff.csv", &staff_csv(&staff))?;
    write("outbreaks.csv", &outbreaks_csv(scenario, outcome))?;
    write("trust.csv", &trust_csv(scenario, outcome))?;
    let tables_s = started.elapsed().as_secs_f64();

    let nation = scenario.home_nation();
    let hours = outcome.end_time.max(SimTime::from_secs(1)).as_hours();
    let midnights = local_midnights(scenario.start_utc_s, scenario.nations[nation].utc_offset_s, hours);
    let nation_name = scenario.nations[nation].name.clone();
    let csirt_name = |id: &str| scenario.csirts.iter().find(|c| c.id == id).map_or(id.to_string(), |c| c.name.clone());
    let mut charts = vec![
        draw(out, &TimelineChart::new(scenario, outcome))?,
        draw(out, &ServiceLevelChart::new(scenario, outcome))?,
        draw(out, &WorkloadChart::new(&staff, &csirt_name, hours, midnights.clone(), nation_name.clone()))?,
        draw(out, &WarningsChart::new(scenario, outcome, midnights, nation_name))?,
    ];
    if let Some(chart) = TrustChart::new(scenario, outcome) {
        charts.push(draw(out, &chart)?);
    }
    let found = findings(scenario, outcome, &summary, &busy_stretches(&staff, interval, SATURATED));
    let mut blocks = after_action_report(scenario, outcome, &summary, &found, &charts);
    if !conduct.is_empty() {
        // The table's own record goes right after the timeline of key events.
        let at = blocks
            .iter()
            .position(|b| matches!(b, super::Block::Heading(2, t) if t.starts_with("4.")))
            .unwrap_or(blocks.len());
        blocks.splice(at..at, conduct_blocks(scenario, conduct));
        // Each objective's observations go under its simulated rating, last
        // objective first so the positions found stay valid.
        for (k, objective) in scenario.objectives.iter().enumerate().rev() {
            let heading = format!("{}: ", objective.id);
            let section = blocks
                .iter()
                .position(|b| matches!(b, super::Block::Heading(2, t) if t.starts_with("4.")))
                .unwrap_or(0);
            let Some(at) = blocks[section..]
                .iter()
                .position(|b| matches!(b, super::Block::Heading(3, t) if t.starts_with(&heading)))
                .map(|k| section + k)
            else {
                continue;
            };
            let at = (at + 2).min(blocks.len());
            blocks.splice(at..at, observation_blocks(scenario, conduct, k));
        }
    }
    if let Some(cf) = counterfactuals {
        write("counterfactuals.csv", &super::counterfactuals_csv(cf))?;
        // After the timeline (and the table's record), before the objectives.
        let at = blocks
            .iter()
            .position(|b| matches!(b, super::Block::Heading(2, t) if t.starts_with("4.")))
            .unwrap_or(blocks.len());
        let mut decision_charts = Vec::new();
        for d in &cf.decisions {
            if let Some(chart) = DecisionEffectsChart::new(cf, d) {
                decision_charts.push(draw(out, &chart)?);
            }
        }
        blocks.splice(at..at, super::decisions_changed_blocks(scenario, cf, &decision_charts));
    }
    write("report.md", to_markdown(&blocks).as_bytes())?;
    write("report.html", to_html(&format!("After-action report: {}", scenario.name), &blocks).as_bytes())?;
    let report_s = started.elapsed().as_secs_f64() - tables_s;
    Ok(WrittenReport { summary, tables_s, report_s })
}

/// Why the report files of a run could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot draw the {name} chart: {source}")]
    Chart { name: String, source: ChartError },
}

/// Renders one chart as `<name>.png` and `<name>.svg` in the staging directory.
fn draw<C: Chart>(out: &OutputDir, chart: &C) -> Result<RenderedChart, ReportError> {
    let name = chart.name();
    let svg = render(chart, &out.file(&format!("{name}.png")))
        .map_err(|source| ReportError::Chart { name: name.to_string(), source })?;
    out.write(&format!("{name}.svg"), svg.as_bytes())?;
    Ok(RenderedChart { name: name.to_string(), title: chart.title(), svg })
}
