//! `end`: every branch played on to the horizon and written as a full run report
//! (`branch-N/`), and the exercise report (`report.md`, `report.html`) beside the
//! journal, comparing the branches.

use super::session::{Session, replay};
use crate::report::{
    self, BranchOutcome, CsvEventSink, OutputDir, exercise_report, to_html, to_markdown, write_run_report,
};
use crate::score::sample_interval;
use std::path::Path;

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
            let written = write_run_report(&out, scenario, &outcome, &scores, &samples, interval, &conduct, None)?;
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

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    report::write_atomically(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
