//! `ttx serve`: a new or resumed exercise session, served to the browser.

use super::Failure;
use super::args::ServeArgs;
use super::play_command::{resume, start};
use crate::console::{Command, Journal};
use std::net::SocketAddr;

pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    if args.max_events == 0 {
        return Err(Failure::Input("--max-events must be at least 1".into()));
    }
    // Checked before anything is created: a bad address leaves no session behind.
    let listen: SocketAddr = args.listen.parse().map_err(|_| {
        Failure::Input(format!(
            "--listen \"{}\" is not an address and port; e.g. 127.0.0.1:8080, 0.0.0.0:8080 (the room's network) or 127.0.0.1:0 (any free port)",
            args.listen
        ))
    })?;
    if args.jobs == Some(0) {
        return Err(Failure::Input("--jobs must be at least 1".into()));
    }
    let (mut session, journal, dir) = match &args.resume {
        Some(dir) => resume(dir)?,
        None => start(
            args.file.as_ref().expect("clap requires FILE without --resume"),
            args.seed,
            args.out.clone(),
            &args.overrides,
            args.max_events,
            "serve",
        )?,
    };
    if session.seed().checked_add(args.counterfactuals).is_none() {
        return Err(Failure::Input(format!(
            "seed {} with --counterfactuals {} runs past the largest seed; use fewer seeds",
            session.seed(),
            args.counterfactuals
        )));
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    session.set_counterfactuals(args.counterfactuals, jobs);
    // A journal whose exercise was ended shows it ended, reports written.
    let ended = Journal::read(&dir)
        .map_err(Failure::input)?
        .1
        .iter()
        .any(|l| matches!(Command::parse(l), Some(Ok(Command::End))))
        .then(|| vec![format!("the reports are in {}", dir.display())]);
    crate::serve::serve(session, journal, dir, listen, ended, &mut std::io::stdout()).map_err(|e| match e {
        crate::serve::ServeError::Listen { .. } | crate::serve::ServeError::BadTokens { .. } => {
            Failure::Input(e.to_string())
        }
        other => Failure::Run(other.to_string()),
    })
}
