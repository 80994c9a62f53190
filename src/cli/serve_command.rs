//! `ttx serve`: a new or resumed exercise session, served to the browser.

use super::Failure;
use super::args::ServeArgs;
use super::play_command::open_session;
use crate::console::{Command, Journal};
use std::net::SocketAddr;

pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    // Checked before anything is created: a bad address leaves no session behind.
    let listen: SocketAddr = args.listen.parse().map_err(|_| {
        Failure::Input(format!(
            "--listen \"{}\" is not an address and port; e.g. 127.0.0.1:8080, 0.0.0.0:8080 (the room's network) or 127.0.0.1:0 (any free port)",
            args.listen
        ))
    })?;
    let (session, journal, dir) = open_session(&args.session, "serve")?;
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
