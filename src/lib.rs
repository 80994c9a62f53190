//! ttx: a tabletop cyber-exercise simulator for national CSIRTs.
//!
//! Data flows one way, and the modules read in that order:
//!
//! - [`scenario`]: RON text -> validated [`scenario::Scenario`] (every problem at once).
//! - [`engine`]: the discrete-event kernel, integer time, named random streams.
//! - [`model`]: the world of CSIRTs and incidents, built from a scenario and run by
//!   the engine; produces an event log and an [`model::Outcome`].
//! - [`score`]: measures computed from an outcome.
//! - [`batch`]: many replications of several variants in parallel, compared with
//!   common random numbers.
//! - [`report`]: files and tables written from scores and logs.
//! - [`console`]: `ttx play`, a live exercise driven by a facilitator.
//! - [`serve`]: `ttx serve`, the same exercise in the browser, a view per role.
//! - [`cli`]: the `ttx` command line tying them together.

pub mod batch;
pub mod cli;
pub mod console;
pub mod engine;
pub mod model;
pub mod report;
pub mod scenario;
pub mod score;
pub mod serve;
