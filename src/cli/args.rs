//! The command line as clap sees it: raw, unchecked values.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ttx",
    version,
    about = "Tabletop cyber-exercise simulator for national CSIRTs",
    long_about = "ttx plays out incident scenarios (RON files) across national CSIRTs, sector teams and critical infrastructure, seeded and deterministic: the same scenario and seed always give the same bytes.",
    after_help = "Examples:\n  ttx validate scenarios/*.ron\n  ttx run scenarios/triage-desk.ron\n  ttx run scenarios/triage-desk.ron --seed 7 --set csirts.natcert.analysts=11\n  ttx batch scenarios/staff-exodus.ron --runs 500\n  ttx play scenarios/island-cable-cut.ron\n\nExit status: 0 success, 1 the run failed, 2 bad input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and report every problem with file:line:column
    #[command(
        after_help = "Examples:\n  ttx validate scenarios/triage-desk.ron\n  ttx validate scenarios/*.ron\n  ttx validate scenarios/triage-desk.ron --set csirts.natcert.analysts=0\n\nExit status: 0 when every file is valid, 2 otherwise."
    )]
    Validate(ValidateArgs),
    /// Run one replication and write events.csv and summary.json
    #[command(
        after_help = "Examples:\n  ttx run scenarios/triage-desk.ron\n  ttx run scenarios/triage-desk.ron --seed 42 --out reports/desk-42\n  ttx run scenarios/triage-desk.ron --set csirts.natcert.analysts=12 --set streams.reports.rate=10/h\n  ttx run scenarios/triage-desk.ron --set horizon=5000d --set streams.reports.limit=1000000\n  ttx run scenarios/island-cable-cut.ron --decisions decisions.ron\n  ttx run scenarios/island-cable-cut.ron --counterfactuals 500 --jobs 2\n\nEvery decision the run poses is replayed over --counterfactuals seeds (default\n200) with its other options, for the report's \"What the decisions changed\" and\ncounterfactuals.csv.\n\nOverrides (--set KEY=VALUE): KEY is a dotted path; list items are named by id\n(csirts.natcert), SOP steps by name, or any item by position (sops.triage.steps.0).\nVALUE is one RON value; quotes around text may be left out (name=rapid,\nrate=12/h, currency=USD). See docs/scenario-format.md.\n\nOutputs go to reports/<scenario file name>/seed-<N>/ unless --out is given; an\nexisting directory is never replaced unless --force is given."
    )]
    Run(RunArgs),
    /// Run many seeded replications of one or more variants and compare them
    #[command(
        after_help = "Examples:\n  ttx batch scenarios/triage-desk.ron --runs 200\n  ttx batch scenarios/triage-desk.ron --runs 500 --vary csirts.natcert.analysts=10,11,14 --jobs 2\n  ttx batch scenarios/staff-exodus.ron --runs 300 --vary injects.exodus.effects.0.analysts=2,6 --out reports/exodus\n\nVariants are the cross product of the --vary values (the first is the baseline).\nReplication i of every variant uses seed S+i: the same random streams, so paired\ndifferences come from the variant, not from luck. Results are the same bytes\nwhatever --jobs.\n\nWrites runs.csv (one row per replication and variant, streamed as they finish)\nand summary.csv (per variant and score: mean, sd, 95% CI, p10/p50/p90, paired\ndifference to the baseline with its 95% CI). An interrupted batch keeps every\nfinished replication: rerun the same command with --resume to finish it.\n--shard K/N runs a slice; ttx merge combines the slices."
    )]
    Batch(BatchArgs),
    /// Combine the outputs of batch shards into what one machine would have written
    #[command(
        after_help = "Examples:\n  ttx batch scenarios/triage-desk.ron --runs 1000 --shard 1/2 --out shard-1\n  ttx batch scenarios/triage-desk.ron --runs 1000 --shard 2/2 --out shard-2\n  ttx merge shard-1 shard-2 --out merged\n\nThe shards must come from the same scenario, variants, --runs and --seed, and\ntogether hold every replication."
    )]
    Merge(MergeArgs),
    /// Facilitate a live tabletop exercise: the clock, the injects, the table's decisions
    #[command(
        after_help = "Examples:\n  ttx play scenarios/island-cable-cut.ron\n  ttx play scenarios/island-cable-cut.ron --seed 3 --out reports/exercise-march\n  ttx play --resume reports/exercise-march\n  ttx play scenarios/island-cable-cut.ron --plain < commands.txt\n  ttx play scenarios/island-cable-cut.ron --script reports/exercise-march/journal.txt --out replay\n\nThe terminal console shows the clock (and every nation's local time), the latest\ninject, the decision waiting, each CSIRT's incidents, queues and staff, services\nand messages; press ? for its keys. --plain (automatic when stdin is not a\nterminal) reads the same commands as lines; type help for them.\n\nEverything is saved as it goes in DIR/journal.txt: after a crash, continue with\n--resume DIR. `end` plays every branch to the horizon and writes DIR/report.html\n(branches compared) and a full report per branch in DIR/branch-N/."
    )]
    Play(PlayArgs),
    /// Run a facilitated exercise in the browser: a controller, a projector and one view per team
    #[command(
        after_help = "Examples:\n  ttx serve scenarios/island-cable-cut.ron\n  ttx serve scenarios/island-cable-cut.ron --listen 0.0.0.0:8080 --out reports/exercise-march\n  ttx serve --resume reports/exercise-march\n\nPrints one line per role, ROLE URL: the controller, the projector and a team per\nCSIRT (team-ID). Each URL carries its own token and opens only that view and its\nactions; hand each team only its own. The server listens on 127.0.0.1 unless\n--listen opens it to the room's network.\n\nThe session is ttx play's: DIR/journal.txt records every command (and who gave\nit) before it is carried out; after a crash, --resume DIR continues with the\nsame URLs, and `ttx play --resume DIR` can continue it in the terminal. The\ncontroller's End writes the reports of ttx play into DIR."
    )]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
}

#[derive(Debug, Args)]
pub struct PlayArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Line-based console reading commands from stdin (automatic when stdin is not a terminal)
    #[arg(long)]
    pub plain: bool,
    /// Carry out the commands of FILE first (a journal.txt replays a session exactly)
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
}

/// What `ttx play` and `ttx serve` share: the session to start or resume.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Scenario file (RON); not needed with --resume
    #[arg(value_name = "FILE", required_unless_present = "resume")]
    pub file: Option<PathBuf>,
    /// Seed of the exercise [default: the scenario's seed]
    #[arg(long, conflicts_with = "resume")]
    pub seed: Option<u64>,
    /// Session directory [default: reports/<scenario>/<play or serve>-seed-<N>]
    #[arg(long, value_name = "DIR", conflicts_with = "resume")]
    pub out: Option<PathBuf>,
    /// Change a scenario value: KEY=VALUE, repeatable
    #[arg(long = "set", value_name = "KEY=VALUE", conflicts_with = "resume")]
    pub overrides: Vec<String>,
    /// Continue the session saved in DIR (by ttx play or ttx serve)
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    pub resume: Option<PathBuf>,
    /// Stop with an error after this many events in a branch (it also bounds the incidents held in memory: one per 25 events)
    #[arg(long, value_name = "N", default_value_t = crate::model::DEFAULT_EVENT_BUDGET)]
    pub max_events: u64,
    /// At the end, seeds over which each branch's answered decisions are replayed
    /// with their other options, for "What the decisions changed" (0: no analysis)
    #[arg(long, value_name = "N", default_value_t = crate::batch::DEFAULT_COUNTERFACTUAL_SEEDS)]
    pub counterfactuals: u64,
    /// Worker threads for that analysis [default: the number of CPUs]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Batch output directories (shards)
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output directory
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output directory if it exists
    #[arg(long)]
    pub force: bool,
    /// Headline measure of the report and charts (a runs.csv column), as for batch
    #[arg(long, value_name = "NAME")]
    pub measure: Option<String>,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Scenario file (RON)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replications per variant
    #[arg(long, value_name = "N")]
    pub runs: u64,
    /// A key and the values it takes: KEY=V1,V2,... (repeatable; variants are the cross product)
    #[arg(long = "vary", value_name = "KEY=V1,V2")]
    pub vary: Vec<String>,
    /// Change a scenario value in every variant: KEY=VALUE, repeatable
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Seed of replication 0; replication i uses seed + i [default: the scenario's seed]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads [default: the number of CPUs]
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// Output directory [default: reports/<scenario>/batch-seed-<S>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists
    #[arg(long)]
    pub force: bool,
    /// No progress bar
    #[arg(long)]
    pub quiet: bool,
    /// Run only slice K of N: replications i with i mod N = K-1 (combine with ttx merge)
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Finish an interrupted batch in --out: keep its finished replications, run the rest
    #[arg(long)]
    pub resume: bool,
    /// Stop with an error after this many events in one replication (it also bounds the incidents held in memory: one per 25 events)
    #[arg(long, value_name = "N", default_value_t = crate::model::DEFAULT_EVENT_BUDGET)]
    pub max_events: u64,
    /// Headline measure of the report and charts: a runs.csv column, e.g.
    /// time_to_triage_rmst_h or csirt.kv-cert.response [default: time to contain,
    /// else queue wait, else the overall score]
    #[arg(long, value_name = "NAME")]
    pub measure: Option<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (RON)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Check the scenario as changed by KEY=VALUE (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (RON)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Seed of the replication [default: the scenario's seed]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Report directory [default: reports/<scenario>/seed-<N>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Change a scenario value: KEY=VALUE, repeatable
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Choices for the scenario's decisions: a RON map, {"decision-id": "option-id"};
    /// decisions not in it take their default option
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Replace the report directory if it exists
    #[arg(long)]
    pub force: bool,
    /// Stop with an error after this many events (a runaway scenario must end; it also bounds the incidents held in memory: one per 25 events)
    #[arg(long, value_name = "N", default_value_t = crate::model::DEFAULT_EVENT_BUDGET)]
    pub max_events: u64,
    /// Seeds over which to replay each decision with its other options, for the
    /// report's "What the decisions changed" (0: no analysis)
    #[arg(long, value_name = "N", default_value_t = crate::batch::DEFAULT_COUNTERFACTUAL_SEEDS)]
    pub counterfactuals: u64,
    /// Worker threads for that analysis [default: the number of CPUs]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}
