//! The facilitator console, `ttx play`: a live tabletop exercise. ttx keeps the
//! clock and the consequences; the people decide.
//!
//! - [`command`]: what the facilitator can say (typed, scripted, or by key).
//! - [`table`]: one branch in play, driven by commands.
//! - [`session`]: the branches of an exercise and the one in play.
//! - [`board`]: what the console shows.
//! - [`journal`]: the session saved as it goes (resume, replay).
//! - [`plain`] and [`tui`]: the line-based and the terminal front ends.
//! - [`exercise_files`]: the reports written at the end.

pub mod board;
pub mod command;
pub mod exercise_files;
pub mod journal;
pub mod plain;
pub mod session;
pub mod table;
pub mod tui;

pub use board::Board;
pub use command::{Command, HELP};
pub use journal::{Journal, JournalError, SessionManifest};
pub use plain::{Ending, Source, run_plain};
pub use session::{Branch, Session};
pub use table::Table;
