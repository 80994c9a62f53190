//! Batch runs for planners: many seeded replications of each variant, in parallel
//! across replications (one World each), compared fairly.
//!
//! Replication i of every variant runs with seed `seed + i`, so every variant sees
//! the same random streams (common random numbers): differences come from the
//! variant, not from luck. Rows are written in (replication, variant) order
//! whatever the number of jobs, so the files are the same bytes for any `--jobs`.

mod batch_statistics;
mod batch_summariser;
mod counterfactuals;
mod manifest;
mod quantile_sketch;
mod runner;
mod runs_csv;
mod score_row;
mod summary_csv;
mod variants;

pub use batch_statistics::{MeanCi, RunningMoments, mean_ci, t_975};
pub use batch_summariser::{BatchSummariser, RowError};
pub use counterfactuals::{
    Alternative, Better, CounterfactualPlan, Counterfactuals, DEFAULT_COUNTERFACTUAL_SEEDS, DecisionEffect,
    DecisionMeasure, Difference, PlayedRank, Unit, VariantRunner, analyse, decision_measures, decision_row,
    replication_runner,
};
pub use manifest::{MalformedShard, Manifest, Replications, Shard};
pub use quantile_sketch::{QuantileSketch, RELATIVE_ACCURACY};
pub use runner::{BatchPlan, RowFn, run_batch, run_ordered, score_columns_row};
pub use runs_csv::{RunRow, RunsCsvError, RunsReader, first_difference, runs_header, write_run_row};
pub use score_row::{COMPONENTS, folded_row, score_columns, score_row, summary_row};
pub use summary_csv::{VariantSummary, summary_csv};
pub use variants::{Variant, Vary, VaryError, VaryProblem, scenario_variants, variants};
