//! Why a command failed, and which exit status that earns.

use crate::scenario::Diagnostics;
use std::fmt;

#[derive(Debug)]
pub enum Failure {
    /// The scenario has problems; every one is listed.
    Scenario(Diagnostics),
    /// Something else the user gave us is wrong (arguments, an existing directory).
    Input(String),
    /// The run itself failed: I/O, or the event budget.
    Run(String),
}

impl Failure {
    /// What the user gave is wrong: a typed error from below, in its own words.
    pub fn input(error: impl fmt::Display) -> Self {
        Failure::Input(error.to_string())
    }

    /// The run failed: a typed error from below, in its own words.
    pub fn run(error: impl fmt::Display) -> Self {
        Failure::Run(error.to_string())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Scenario(_) | Failure::Input(_) => 2,
            Failure::Run(_) => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Scenario(d) => write!(f, "{d}"),
            Failure::Input(m) | Failure::Run(m) => write!(f, "error: {m}"),
        }
    }
}
