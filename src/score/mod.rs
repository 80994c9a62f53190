//! Measures computed from a replication's ground truth. Pure functions of an
//! [`crate::model::Outcome`] (and of snapshots for time series): no I/O, so batch
//! runs and reports share them. Formulas: docs/scoring.md.

mod coordination_scores;
mod impact_scores;
mod objective_ratings;
mod overall_score;
mod queueing_theory;
mod run_summary;
mod staff_series;
mod statistics;
mod workload_scores;

pub use coordination_scores::{Awareness, CoordinationScores, coordination_scores};
pub use impact_scores::{ImpactScores, impact_scores};
pub use objective_ratings::{ObjectiveResult, Rating, phase_end, rate_objectives};
pub use overall_score::{OverallScore, ScoreComponent, ScoreInputs, overall_score};
pub use queueing_theory::{ErlangC, erlang_c};
pub use run_summary::{
    AssetSummary, CompromisedAsset, CsirtSummary, DecisionRow, IncidentRow, IncidentTotals, OutbreakNation,
    OutbreakSummary, RunSummary, StepRow, TeamSummary, summarise,
};
pub use staff_series::{BusyStretch, StaffRow, busy_stretches, sample_interval, staff_rows};
pub use statistics::{Distribution, batch_means_ci95, mean};
pub use workload_scores::{LONG_TRIAGE_WAIT_S, WorkloadScores, workload_scores};
