//! The command line: raw arguments (`args`) are turned into checked plans
//! (`run_plan`) before anything runs, then each command does its work.
//!
//! Exit status: 0 success; 1 the run failed (I/O, event budget); 2 bad input
//! (command line, scenario file, an existing report directory).

/// `print!` that cannot panic: when the reader has gone away (`ttx run FILE |
/// head`), the rest of the output is dropped quietly. The work is done and its
/// files written either way.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = std::io::stdout().lock().write_fmt(format_args!($($arg)*));
    }};
}

/// `println!` that cannot panic (see [`out!`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_fmt(format_args!($($arg)*)).and_then(|_| stdout.write_all(b"\n"));
    }};
}

mod args;
mod batch_command;
mod failure;
mod play_command;
mod run_command;
mod run_plan;
mod serve_command;
mod validate_command;

pub use args::{Cli, Command};

/// Prints what the loader found valid but probably not meant, on standard error
/// so that tables on standard output stay clean.
fn print_warnings(scenario: &crate::scenario::Scenario) {
    for warning in &scenario.warnings {
        eprintln!("{}", warning.as_warning());
    }
}
pub use failure::Failure;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the command, prints any error and maps it to an
/// exit status. Never panics on user input.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = match cli.command {
        Command::Validate(a) => validate_command::validate(&a),
        Command::Run(a) => run_plan::RunPlan::from_args(a).and_then(|plan| run_command::run(&plan)),
        Command::Batch(a) => batch_command::batch(a),
        Command::Merge(a) => batch_command::merge(a),
        Command::Play(a) => play_command::play(a),
        Command::Serve(a) => serve_command::serve(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
