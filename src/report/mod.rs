//! Files and text a run produces. Downstream of everything: reads the scenario,
//! the event log and the scores; nothing reads back from here.

mod after_action;
mod batch_report;
pub mod charts;
pub mod csv_line;
mod decisions_changed;
mod document;
mod events_csv;
mod exercise_conduct;
mod findings;
mod incidents_csv;
mod numbers;
mod output_dir;
mod run_report;
mod summary_table;
mod tidy_csv;

pub use after_action::{RenderedChart, after_action_report};
pub use batch_report::{ANSWERED, answer, batch_report};
pub use decisions_changed::{counterfactuals_csv, decisions_changed_blocks};
pub use document::{Block, to_html, to_markdown};
pub use events_csv::{CsvEventSink, describe_event};
pub use exercise_conduct::{BranchOutcome, Conduct, ConductEntry, conduct_blocks, conduct_rows, exercise_report};
pub use findings::{Claim, Findings, Improvement, SATURATED, Strength, findings};
pub use incidents_csv::{IncidentsCsvSink, ReportSelection};
pub use numbers::{money, thousands};
pub use output_dir::{
    MARKER, OutputDir, OutputError, check_replaceable, mark, remove_stale_staging, write_atomically, write_private,
};
pub use run_report::{RUN_FILES, ReportError, WrittenReport, write_run_report};
pub use summary_table::summary_table;
pub use tidy_csv::{assets_csv, incidents_csv, outbreaks_csv, staff_csv, trust_csv};

use crate::score::RunSummary;

/// `summary.json`, pretty-printed; serde_json writes floats by shortest
/// round-trip, so the bytes depend only on the values.
pub fn summary_json(summary: &RunSummary) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(summary).expect("summary is plain data");
    bytes.push(b'\n');
    bytes
}
