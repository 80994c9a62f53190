//! `ttx run`'s arguments after checking: everything resolved before the run starts.

use super::Failure;
use super::args::RunArgs;
use crate::scenario::{InjectId, Override, Scenario, load_decisions, load_file};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct RunPlan {
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub out: PathBuf,
    pub force: bool,
    pub max_events: u64,
    /// (inject index, option index) chosen in the decisions file.
    pub choices: Vec<(InjectId, usize)>,
    /// Seeds of the decision counterfactuals (0: none), and their worker threads.
    pub counterfactuals: u64,
    pub jobs: usize,
}

pub fn parse_overrides(raw: &[String]) -> Result<Vec<Override>, Failure> {
    raw.iter().map(|a| Override::parse(a).map_err(Failure::input)).collect()
}

impl RunPlan {
    pub fn from_args(args: RunArgs) -> Result<Self, Failure> {
        let overrides = parse_overrides(&args.overrides)?;
        let scenario = load_file(&args.file, &overrides).map_err(Failure::Scenario)?;
        super::print_warnings(&scenario);
        let seed = args.seed.unwrap_or(scenario.seed);
        if args.max_events == 0 {
            return Err(Failure::Input("--max-events must be at least 1".into()));
        }
        let choices = match &args.decisions {
            Some(path) => load_decisions(path, &scenario).map_err(Failure::Scenario)?,
            None => Vec::new(),
        };
        let out = args.out.unwrap_or_else(|| default_out(&args.file, seed));
        if args.jobs == Some(0) {
            return Err(Failure::Input("--jobs must be at least 1".into()));
        }
        if seed.checked_add(args.counterfactuals).is_none() {
            return Err(Failure::Input(format!(
                "--seed {seed} with --counterfactuals {} runs past the largest seed; use a smaller seed or fewer seeds",
                args.counterfactuals
            )));
        }
        let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Ok(Self {
            scenario: Arc::new(scenario),
            seed,
            out,
            force: args.force,
            max_events: args.max_events,
            choices,
            counterfactuals: args.counterfactuals,
            jobs,
        })
    }
}

/// `reports/<file stem>/seed-<N>`: runs of one scenario sit together, one per seed.
fn default_out(file: &Path, seed: u64) -> PathBuf {
    let stem = file.file_stem().map_or_else(|| "scenario".to_string(), |s| s.to_string_lossy().into_owned());
    Path::new("reports").join(stem).join(format!("seed-{seed}"))
}
