//! The command line as clap sees it: raw, unchecked values.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ttx",
    version,
    about = "Tabletop cyber-exercise simulator for national CSIRTs",
    long_about = "ttx plays out incident scenarios (RON files) across national CSIRTs, sector teams and critical infrastructure, seeded and deterministic: the same scenario and seed always give the same bytes.",
    after_help = "Examples:\n  ttx validate scenarios/*.ron\n  ttx run scenarios/triage-desk.ron\n  ttx run scenarios/triage-desk.ron --seed 7 --set csirts.natcert.analysts=11\n\nExit status: 0 success, 1 the run failed, 2 bad input."
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
        after_help = "Examples:\n  ttx run scenarios/triage-desk.ron\n  ttx run scenarios/triage-desk.ron --seed 42 --out reports/desk-42\n  ttx run scenarios/triage-desk.ron --set csirts.natcert.analysts=12 --set streams.reports.rate=10/h\n  ttx run scenarios/triage-desk.ron --set horizon=5000d --set streams.reports.limit=1000000\n  ttx run scenarios/island-cable-cut.ron --decisions decisions.ron\n\nOverrides (--set KEY=VALUE): KEY is a dotted path; list items are named by id\n(csirts.natcert), SOP steps by name, or any item by position (sops.triage.steps.0).\nVALUE is RON; quotes around strings may be left out. See docs/scenario-format.md.\n\nOutputs go to reports/<scenario file name>/seed-<N>/ unless --out is given; an\nexisting directory is never replaced unless --force is given."
    )]
    Run(RunArgs),
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
    /// Stop with an error after this many events (a runaway scenario must end)
    #[arg(long, value_name = "N", default_value_t = crate::model::DEFAULT_EVENT_BUDGET)]
    pub max_events: u64,
}
