//! `end`: every branch played on to the horizon and written as a full run report
//! (`branch-N/`), and the exercise report (`report.md`, `report.html`) beside the
//! journal, comparing the branches.

use super::command::Command;
use super::session::{Branch, Session, replay};
use crate::batch::{CounterfactualPlan, Counterfactuals, analyse, decision_row};
use crate::report::{
    self, BranchOutcome, CsvEventSink, OutputDir, exercise_report, to_html, to_markdown, write_run_report,
};
use crate::scenario::{InjectId, Scenario};
use crate::score::sample_interval;
use crate::score::{ScoreFold, summarise_with};
use std::path::Path;
use std::sync::Arc;

/// Writes the reports of every branch and the exercise report into `dir`; returns
/// the lines to tell the facilitator. Earlier reports of the same session are
/// replaced (they are derived from the journal, which is kept).
pub fn write_exercise(dir: &Path, session: &Session) -> Result<Vec<String>, String> {
    let scenario = session.scenario();
    let interval = sample_interval(scenario.horizon);
    let mut outcomes = Vec::new();
    let mut lines = Vec::new();
    for (k, branch) in session.branches().iter().enumerate() {
        let name = format!("branch-{}", k + 1);
        let out = OutputDir::create(&dir.join(&name), true).map_err(|e| e.to_string())?;
        let written = (|| {
            let events = out.file("events.csv");
            let csv = CsvEventSink::create(&events, scenario.clone())
                .map_err(|e| format!("cannot write {}: {e}", events.display()))?;
            let sink = (csv, crate::score::ScoreFold::new(scenario.clone()));
            let history = &branch.history;
            let table = replay(scenario, session.seed(), session.max_events(), history, sink, Some(interval))?;
            let (outcome, (csv, fold), samples, conduct) = table.finish()?;
            csv.finish().map_err(|e| format!("cannot write {}: {e}", events.display()))?;
            let scores = fold.finish();
            let counterfactuals = branch_counterfactuals(session, branch)?;
            let written = write_run_report(
                &out,
                scenario,
                &outcome,
                &scores,
                &samples,
                interval,
                &conduct,
                counterfactuals.as_ref(),
            )
            .map_err(|e| e.to_string())?;
            Ok::<_, String>((written, conduct))
        })();
        let (written, conduct) = match written {
            Ok(w) => w,
            Err(e) => {
                out.abandon();
                return Err(e);
            }
        };
        out.commit().map_err(|e| e.to_string())?;
        lines.push(format!(
            "{}: overall score {} -> {}/{name}/report.html",
            branch.name,
            written.summary.overall.score.map_or("-".into(), |s| format!("{s:.1}")),
            dir.display()
        ));
        outcomes.push(BranchOutcome {
            name: branch.name.clone(),
            origin: branch.origin.clone(),
            conduct,
            summary: written.summary,
            dir: name,
        });
    }
    let blocks = exercise_report(scenario, session.seed(), &outcomes);
    write_atomically(&dir.join("report.md"), to_markdown(&blocks).as_bytes())?;
    let title = format!("Exercise report: {}", scenario.name);
    write_atomically(&dir.join("report.html"), to_html(&title, &blocks).as_bytes())?;
    lines.push(format!("exercise report: {}/report.html", dir.display()));
    Ok(lines)
}

/// The branch's answered decisions replayed over the session's counterfactual
/// seeds: its commands again with one answer switched at a time, so the
/// contingency injects, notes and timing of the table's play are kept.
fn branch_counterfactuals(session: &Session, branch: &Branch) -> Result<Option<Counterfactuals>, String> {
    let (seeds, jobs) = session.counterfactuals();
    let scenario = session.scenario();
    let option_index = |inject: InjectId, id: &str| {
        scenario.injects[inject].decision.as_ref().and_then(|d| d.options.iter().position(|o| o.id == id))
    };
    // (history index, inject, option chosen) of every answer on the branch.
    let answers: Vec<(usize, InjectId, usize)> = branch
        .history
        .iter()
        .enumerate()
        .filter_map(|(k, (command, answered))| match (command, answered) {
            (Command::Choose { option, .. }, Some(inject)) => option_index(*inject, option).map(|o| (k, *inject, o)),
            _ => None,
        })
        .collect();
    let plan = CounterfactualPlan {
        scenario: Arc::clone(scenario),
        seed: session.seed(),
        seeds,
        jobs,
        decisions: answers.iter().map(|(_, inject, option)| (*inject, *option)).collect(),
    };
    let max_events = session.max_events();
    let run = |seed: u64, choices: &[(InjectId, usize)]| {
        let mut history = branch.history.clone();
        for ((k, inject, _), (_, option)) in answers.iter().zip(choices) {
            if let (Command::Choose { option: id, .. }, _) = &mut history[*k] {
                *id = option_id(scenario, *inject, *option);
            }
        }
        let table = replay(scenario, seed, max_events, &history, ScoreFold::new(Arc::clone(scenario)), None)?;
        let (outcome, fold, _, _) = table.finish()?;
        Ok(decision_row(scenario, &outcome, &summarise_with(scenario, &outcome, &fold.finish())))
    };
    analyse(&plan, run, |_, _| {})
}

fn option_id(scenario: &Scenario, inject: InjectId, option: usize) -> String {
    scenario.injects[inject].decision.as_ref().map_or(String::new(), |d| d.options[option].id.clone())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    report::write_atomically(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
