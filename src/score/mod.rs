//! Measures computed from a replication's ground truth, over the scenario's
//! exercise window. Pure functions of an
//! [`crate::model::Outcome`] (and of snapshots for time series): no I/O, so batch
//! runs and reports share them. Formulas: docs/scoring.md.

mod cases;
mod coordination_scores;
mod impact_scores;
mod incident_scores;
mod objective_ratings;
mod open_stories;
mod overall_score;
mod queueing_theory;
mod run_summary;
mod score_fold;
mod staff_series;
mod statistics;
mod time_to_event;
mod workload_scores;

pub use cases::{Case, CaseTimes, cases, triage_start};
pub use coordination_scores::{Awareness, CoordinationScores, coordination_scores};
pub use impact_scores::{ImpactScores, impact_scores};
pub use impact_scores::{WindowLoss, window_loss};
pub use incident_scores::{AwarenessIntegral, CsirtTally, IncidentScores, ObjectiveTally, StepTally};
pub use objective_ratings::{ObjectiveResult, Rating, describe_filter, phase_end, rate_objectives};
pub use overall_score::{OverallScore, ScoreComponent, ScoreInputs, overall_score};
pub use queueing_theory::{ErlangC, erlang_c};
pub(crate) use run_summary::summarise_for_row;
pub use run_summary::{
    AssetSummary, CompromisedAsset, CsirtSummary, DecisionRow, IncidentTotals, OutbreakNation, OutbreakSummary,
    RunSummary, TeamSummary, summarise, summarise_with,
};
pub use score_fold::ScoreFold;
pub use staff_series::{BusyStretch, MIN_STRETCH, StaffRow, busy_stretches, sample_interval, staff_rows};
pub use statistics::{Distribution, batch_means_ci95, mean};
pub use time_to_event::{TimeMeasure, TimeToEvent, WithinCount};
pub use workload_scores::{LONG_TRIAGE_WAIT, WorkloadScores, share_behind, workload_scores};
