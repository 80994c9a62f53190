//! Measures computed from a replication's ground truth. Pure functions of an
//! [`crate::model::Outcome`]: no I/O, so batch runs and reports share them.

mod queueing_theory;
mod run_summary;
mod statistics;

pub use queueing_theory::{ErlangC, erlang_c};
pub use run_summary::{
    AssetSummary, CompromisedAsset, CsirtSummary, DecisionRow, IncidentRow, IncidentTotals, OutbreakNation,
    OutbreakSummary, RunSummary, StepRow, TeamSummary, summarise,
};
pub use statistics::{Distribution, batch_means_ci95, mean};
