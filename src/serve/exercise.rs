//! The exercise's own thread: it owns the session and its journal, takes
//! requests one at a time in arrival order, checks that the role may do what it
//! asks, journals the command with who gave it, applies it, and publishes the
//! new [`Views`]. The web side never touches the session: the simulation stays
//! single-threaded and deterministic, and the journal is the same as `ttx play`
//! writes (the actor as a `# by ...` comment line, which a script skips).

use super::roles::{ExerciseTeam, Role, team_of, teams};
use super::views::Views;
use crate::console::exercise_files::write_exercise;
use crate::console::journal::perform_as;
use crate::console::{Command, Journal, Session};
use crate::engine::SimDuration;
use crate::scenario::Decision;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};
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

/// What a role asks for: a console command (journaled), or the controller's
/// pace (not journaled itself: only the commands the pace gives are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Command(Command),
    /// Play on in real time, `N` simulated seconds per second of the wall
    /// clock, pausing by itself at every inject and decision.
    RealTime(u32),
    Pause,
}

/// A role's request, answered once it is journaled and applied (or refused).
pub struct Request {
    pub role: Role,
    pub action: Action,
    pub reply: oneshot::Sender<Result<Vec<String>, Refusal>>,
}

/// Fastest real-time pace: a simulated day per second of the wall clock.
pub const MAX_PACE: u32 = 86_400;

/// How often a real-time pace plays on (and so how often views change).
pub const PACE_TICK: Duration = Duration::from_secs(1);

/// The real-time pace, while it runs.
#[derive(Debug, Clone, Copy)]
struct Pacing {
    factor: u32,
    next_tick: Instant,
}

/// The actor a pace's commands are journaled with.
fn pace_actor(factor: u32) -> String {
    format!("controller, real time x{factor}")
}

/// The command one tick of a real-time pace gives: play on by the tick's share
/// of simulated time, or to the next scheduled inject when that comes first
/// (`next` delivers it and stops there, so the pace pauses at it).
pub fn pace_step(session: &Session, factor: u32) -> Command {
    let table = session.table();
    let step = SimDuration::from_secs(u64::from(factor) * PACE_TICK.as_secs());
    let until = table.clock().saturating_add(step);
    let delivered = table.replication().injects_delivered();
    let next_inject = session
        .scenario()
        .each_inject()
        .filter(|(k, _)| !delivered.iter().any(|d| d.inject == *k))
        .filter_map(|(_, i)| i.at)
        .filter(|at| *at >= table.clock())
        .min();
    match next_inject {
        Some(at) if at <= until => Command::Next,
        _ => Command::Advance(step),
    }
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
pub fn permitted(session: &Session, teams: &[ExerciseTeam], role: Role, command: &Command) -> Result<(), Refusal> {
    let scenario = session.scenario();
    let waiting = session.table().pending_decision().and_then(|i| scenario.injects[i].decision.as_ref());
    let owner = |d: &Decision| d.owner.and_then(|o| team_of(teams, o));
    match (role, command) {
        (Role::Projector, _) => Err(Refusal::Forbidden("the projector view shows the exercise; it cannot act".into())),
        (Role::Team(t), Command::Choose { .. }) => match waiting {
            Some(d) if owner(d) == Some(t) => Ok(()),
            Some(d) => Err(Refusal::Forbidden(format!(
                "decision \"{}\" belongs to {}, not to team {}",
                d.id,
                owner(d).map_or("the controller".to_string(), |o| format!("team {}", teams[o.index()].id)),
                teams[t.index()].id
            ))),
            None => Err(Refusal::Refused("no decision is waiting".into())),
        },
        (Role::Team(_), _) => Err(Refusal::Forbidden("a team can only answer the decisions it owns".into())),
        (Role::Controller, Command::Choose { rationale, .. }) => match waiting.and_then(|d| Some((d, owner(d)?))) {
            Some((d, t)) if rationale.trim().is_empty() => Err(Refusal::Refused(format!(
                "decision \"{}\" belongs to team {}: overriding it needs a reason",
                d.id,
                teams[t.index()].id
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
            | Command::Observe { .. }
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

/// May `role` ask for `action` now?
fn allowed(session: &Session, teams: &[ExerciseTeam], role: Role, action: &Action) -> Result<(), Refusal> {
    match (action, role) {
        (Action::Command(command), _) => permitted(session, teams, role, command),
        (Action::RealTime(_) | Action::Pause, Role::Controller) => Ok(()),
        (_, Role::Projector) => Err(Refusal::Forbidden("the projector view shows the exercise; it cannot act".into())),
        (_, Role::Team(_)) => Err(Refusal::Forbidden("only the controller sets the pace".into())),
    }
}

/// The exercise thread's state between requests.
struct Exercise {
    session: Session,
    teams: Vec<ExerciseTeam>,
    journal: Journal,
    dir: PathBuf,
    published: Published,
    version: u64,
    ended: Option<Vec<String>>,
    pacing: Option<Pacing>,
    /// What the pace last said: "real time x60" or why it paused.
    pace_status: String,
}

impl Exercise {
    fn publish(&mut self) {
        self.version += 1;
        let views = Arc::new(Views::of(&self.session, self.version, self.ended.clone(), &self.pace_status));
        *self.published.current.write().unwrap_or_else(|e| e.into_inner()) = views.clone();
        // Err only means no stream is open right now.
        let _ = self.published.updates.send(views);
    }

    fn handle(&mut self, role: Role, action: Action) -> Result<Vec<String>, Refusal> {
        if self.ended.is_some() {
            return Err(Refusal::Refused("the exercise has ended; its reports are written".into()));
        }
        allowed(&self.session, &self.teams, role, &action)?;
        let session = &self.session;
        let teams = &self.teams;
        let actor = role.actor(teams);
        match action {
            Action::RealTime(factor) => {
                if let Some(inject) = session.table().pending_decision() {
                    let id = session.scenario().injects[inject].decision.as_ref().map_or("", |d| d.id.as_str());
                    return Err(Refusal::Refused(format!("decision \"{id}\" is waiting: answer it first")));
                }
                if session.table().at_horizon() {
                    return Err(Refusal::Refused("the exercise is at its horizon: nothing more can happen".into()));
                }
                if !(1..=MAX_PACE).contains(&factor) {
                    return Err(Refusal::Refused(format!("a pace is 1 to {MAX_PACE} times real time, not {factor}")));
                }
                self.pacing = Some(Pacing { factor, next_tick: Instant::now() + PACE_TICK });
                self.pace_status = format!("real time x{factor}");
                Ok(vec![format!("playing on at {factor} times real time; it pauses at the next inject or decision")])
            }
            Action::Pause => {
                self.pacing = None;
                self.pace_status = "paused".into();
                Ok(vec!["paused".into()])
            }
            Action::Command(command) => {
                // Playing on by hand stops the real-time pace; a note or an
                // observation (written while the exercise runs) does not.
                if !matches!(command, Command::Note(_) | Command::Observe { .. }) {
                    self.pacing = None;
                    self.pace_status = "paused".into();
                }
                let actor = match (&command, role) {
                    (Command::Choose { .. }, Role::Controller) => session
                        .table()
                        .pending_decision()
                        .and_then(|i| session.scenario().injects[i].decision.as_ref())
                        .and_then(|d| d.owner)
                        .and_then(|o| team_of(teams, o))
                        .map_or(actor.clone(), |t| format!("{actor}, overriding team {}", teams[t.index()].id)),
                    _ => actor,
                };
                if command == Command::End {
                    self.journal.append_as(Some(&actor), &Command::End).map_err(|e| Refusal::Refused(e.to_string()))?;
                    let lines = write_exercise(&self.dir, &self.session).map_err(Refusal::Refused)?;
                    self.ended = Some(lines.clone());
                    Ok(lines)
                } else {
                    perform_as(&mut self.session, &mut self.journal, Some(&actor), &command).map_err(Refusal::Refused)
                }
            }
        }
    }

    /// One tick of the real-time pace: play on, and pause at an inject, a
    /// decision or the horizon.
    fn tick(&mut self, pacing: Pacing) {
        let command = pace_step(&self.session, pacing.factor);
        let delivered = self.session.table().replication().injects_delivered().len();
        let actor = pace_actor(pacing.factor);
        match perform_as(&mut self.session, &mut self.journal, Some(&actor), &command) {
            Ok(_) => {
                let table = self.session.table();
                let scenario = self.session.scenario();
                let paused = if let Some(inject) = table.pending_decision() {
                    Some(format!(
                        "paused at decision {}",
                        scenario.injects[inject].decision.as_ref().map_or("", |d| d.id.as_str())
                    ))
                } else if let Some(d) = table.replication().injects_delivered().get(delivered) {
                    Some(format!("paused at inject {}", scenario.injects[d.inject].id))
                } else if table.at_horizon() {
                    Some("paused at the horizon".into())
                } else {
                    None
                };
                match paused {
                    Some(why) => {
                        self.pacing = None;
                        self.pace_status = why;
                    }
                    None => {
                        // Keep to the wall clock's schedule: a slow tick does not slow the pace.
                        let next_tick = (pacing.next_tick + PACE_TICK).max(Instant::now());
                        self.pacing = Some(Pacing { next_tick, ..pacing });
                    }
                }
            }
            Err(e) => {
                self.pacing = None;
                self.pace_status = format!("paused: {e}");
            }
        }
        self.publish();
    }
}

/// Runs the exercise until every request sender is gone. `ended` is set when
/// the session was already ended (a resumed journal whose last line is `end`).
pub fn run(session: Session, journal: Journal, dir: PathBuf, requests: mpsc::Receiver<Request>, published: Published) {
    let latest = published.latest();
    let mut exercise = Exercise {
        teams: teams(session.scenario()),
        session,
        journal,
        dir,
        version: latest.version,
        ended: latest.ended.clone(),
        pace_status: latest.pace.clone(),
        published,
        pacing: None,
    };
    loop {
        let request = match exercise.pacing {
            None => match requests.recv() {
                Ok(request) => request,
                Err(mpsc::RecvError) => return,
            },
            Some(pacing) => match requests.recv_timeout(pacing.next_tick.saturating_duration_since(Instant::now())) {
                Ok(request) => request,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    exercise.tick(pacing);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
        };
        let Request { role, action, reply } = request;
        let result = exercise.handle(role, action);
        if result.is_ok() {
            exercise.publish();
        }
        let _ = reply.send(result);
    }
}
