//! The exercise's own thread: it owns the session and its journal, takes
//! requests one at a time in arrival order, checks that the role may do what it
//! asks, journals the command with who gave it, applies it, and publishes the
//! new [`Views`]. The web side never touches the session: the simulation stays
//! single-threaded and deterministic, and the journal is the same as `ttx play`
//! writes (the actor as a `# by ...` comment line, which a script skips).

use super::roles::Role;
use super::views::Views;
use crate::console::exercise_files::write_exercise;
use crate::console::journal::perform_as;
use crate::console::{Command, Journal, Session};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use tokio::sync::{broadcast, oneshot};

/// Why a request was not carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The role may not do this at all, or not to this decision (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// Allowed, but not now or not like this (HTTP 409): no decision waiting,
    /// an unknown option, the exercise already ended, a journal that cannot be
    /// written.
    #[error("{0}")]
    Refused(String),
}

/// A role's request: a console command, answered once it is journaled and
/// applied (or refused).
pub struct Request {
    pub role: Role,
    pub command: Command,
    pub reply: oneshot::Sender<Result<Vec<String>, Refusal>>,
}

/// The published state: the latest views, and their fan-out to open streams.
#[derive(Clone)]
pub struct Published {
    pub current: Arc<RwLock<Arc<Views>>>,
    pub updates: broadcast::Sender<Arc<Views>>,
}

impl Published {
    pub fn latest(&self) -> Arc<Views> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// May `role` give `command` now? Checked on the exercise thread, against the
/// decision actually waiting, so no page can ask for more than its role allows.
pub fn permitted(session: &Session, role: Role, command: &Command) -> Result<(), Refusal> {
    let scenario = session.scenario();
    let waiting = session.table().pending_decision().and_then(|i| scenario.injects[i].decision.as_ref());
    match (role, command) {
        (Role::Projector, _) => Err(Refusal::Forbidden("the projector view shows the exercise; it cannot act".into())),
        (Role::Team(c), Command::Choose { .. }) => match waiting {
            Some(d) if d.owner == Some(c) => Ok(()),
            Some(d) => Err(Refusal::Forbidden(format!(
                "decision \"{}\" belongs to {}, not to team {}",
                d.id,
                d.owner.map_or("the controller".to_string(), |o| format!("team {}", scenario.csirts[o.index()].id)),
                scenario.csirts[c.index()].id
            ))),
            None => Err(Refusal::Refused("no decision is waiting".into())),
        },
        (Role::Team(_), _) => Err(Refusal::Forbidden("a team can only answer the decisions it owns".into())),
        (Role::Controller, Command::Choose { rationale, .. }) => match waiting {
            Some(d) if d.owner.is_some() && rationale.trim().is_empty() => Err(Refusal::Refused(format!(
                "decision \"{}\" belongs to team {}: overriding it needs a reason",
                d.id,
                scenario.csirts[d.owner.expect("checked").index()].id
            ))),
            _ => Ok(()),
        },
        (
            Role::Controller,
            Command::Next
            | Command::Advance(_)
            | Command::Until(_)
            | Command::Inject(_)
            | Command::Note(_)
            | Command::Branch(_)
            | Command::Switch(_)
            | Command::Undo
            | Command::End,
        ) => Ok(()),
        (Role::Controller, other) => {
            Err(Refusal::Refused(format!("`{}` is a terminal console command, not a web action", other.to_line())))
        }
    }
}

/// Runs the exercise until every request sender is gone. `ended` is set when
/// the session was already ended (a resumed journal whose last line is `end`).
pub fn run(
    mut session: Session,
    mut journal: Journal,
    dir: PathBuf,
    requests: mpsc::Receiver<Request>,
    published: Published,
) {
    let mut version = published.latest().version;
    let mut ended = published.latest().ended.clone();
    while let Ok(Request { role, command, reply }) = requests.recv() {
        let result = if ended.is_some() {
            Err(Refusal::Refused("the exercise has ended; its reports are written".into()))
        } else {
            permitted(&session, role, &command).and_then(|()| {
                let actor = role.actor(session.scenario());
                let actor = match (&command, role) {
                    (Command::Choose { .. }, Role::Controller) => session
                        .table()
                        .pending_decision()
                        .and_then(|i| session.scenario().injects[i].decision.as_ref())
                        .and_then(|d| d.owner)
                        .map_or(actor.clone(), |o| {
                            format!("{actor}, overriding team {}", session.scenario().csirts[o.index()].id)
                        }),
                    _ => actor,
                };
                if command == Command::End {
                    journal.append_as(Some(&actor), &Command::End).map_err(|e| Refusal::Refused(e.to_string()))?;
                    let lines = write_exercise(&dir, &session).map_err(Refusal::Refused)?;
                    ended = Some(lines.clone());
                    Ok(lines)
                } else {
                    perform_as(&mut session, &mut journal, Some(&actor), &command).map_err(Refusal::Refused)
                }
            })
        };
        if result.is_ok() {
            version += 1;
            let views = Arc::new(Views::of(&session, version, ended.clone()));
            *published.current.write().unwrap_or_else(|e| e.into_inner()) = views.clone();
            // Err only means no stream is open right now.
            let _ = published.updates.send(views);
        }
        let _ = reply.send(result);
    }
}
