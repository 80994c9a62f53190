//! `ttx serve`: a facilitated exercise in the browser, on the session core and
//! journal of `ttx play`, with a view per role.
//!
//! - [`roles`]: controller, projector and one team per CSIRT, each with its token.
//! - [`views`]: what each role may see, taken from the session after each change.
//! - [`exercise`]: the session's own thread: checks, journals and applies requests.
//! - [`pages`]: the HTML of each view (server-rendered) and its small script.
//! - [`server`]: URLs, token checks, actions and event streams (axum, SSE).
//!
//! Data flows one way: HTTP request -> [`exercise::Request`] -> session ->
//! [`views::Views`] -> every open stream. The simulation never sees HTTP.

pub mod exercise;
pub mod pages;
pub mod roles;
pub mod server;
pub mod views;

use crate::console::{Journal, Session};
use exercise::Published;
use roles::{Role, TeamId, Tokens};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use tokio::sync::{broadcast, watch};
use views::Views;

/// The tokens of a served session, kept beside its journal so that a restarted
/// server (`--resume`) opens the same URLs: browsers reconnect by themselves.
pub const TOKENS_FILE: &str = "serve-tokens.json";

#[derive(Serialize, Deserialize)]
struct SavedTokens {
    controller: String,
    projector: String,
    teams: Vec<String>,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot {action} {}: {source}", path.display())]
    Tokens { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{} is not a token file of this session ({why}); remove it to issue new tokens", path.display())]
    BadTokens { path: PathBuf, why: String },
    #[error("the operating system's random generator failed: {0}")]
    Random(getrandom::Error),
    #[error("the web server failed: {0}")]
    Server(std::io::Error),
}

/// The session's tokens: those saved in `dir`, or new ones saved there (owner
/// read/write only: a token is a password).
pub fn session_tokens(dir: &Path, session: &Session) -> Result<Tokens, ServeError> {
    let path = dir.join(TOKENS_FILE);
    let teams = roles::teams(session.scenario());
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let saved: SavedTokens = serde_json::from_str(&text)
                .map_err(|e| ServeError::BadTokens { path: path.clone(), why: e.to_string() })?;
            if saved.teams.len() != teams.len() {
                return Err(ServeError::BadTokens {
                    path,
                    why: format!("{} team tokens for {} teams", saved.teams.len(), teams.len()),
                });
            }
            Ok(Tokens::from_parts(saved.controller, saved.projector, saved.teams))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let tokens = Tokens::new(&teams).map_err(ServeError::Random)?;
            let saved = SavedTokens {
                controller: tokens.controller().to_string(),
                projector: tokens.projector().to_string(),
                teams: (0..teams.len()).map(|k| tokens.team(TeamId::new(k)).to_string()).collect(),
            };
            let text = serde_json::to_string_pretty(&saved).expect("plain data") + "\n";
            crate::report::write_private(&path, text.as_bytes()).map_err(|source| ServeError::Tokens {
                action: "write",
                path: path.clone(),
                source,
            })?;
            Ok(tokens)
        }
        Err(source) => Err(ServeError::Tokens { action: "read", path, source }),
    }
}

/// The role URLs, one `ROLE URL` line each.
pub fn role_lines(base: &str, session: &Session, tokens: &Tokens) -> Vec<String> {
    let mut lines = vec![
        format!("controller {base}/controller/{}", tokens.controller()),
        format!("projector {base}/projector/{}", tokens.projector()),
    ];
    for (k, team) in roles::teams(session.scenario()).iter().enumerate() {
        lines.push(format!("team-{} {base}/team/{}/{}", team.id, team.id, tokens.team(TeamId::new(k))));
    }
    lines
}

/// Serves the session until Ctrl-C (or SIGTERM): prints the role URLs to `out`,
/// then answers every view. `ended` holds the report lines when the journal
/// already ends the exercise.
pub fn serve(
    session: Session,
    journal: Journal,
    dir: PathBuf,
    listen: SocketAddr,
    ended: Option<Vec<String>>,
    out: &mut dyn Write,
) -> Result<(), ServeError> {
    let tokens = Arc::new(session_tokens(&dir, &session)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(listen).await.map_err(|source| ServeError::Listen { addr: listen, source })?;
        let local = listener.local_addr().map_err(ServeError::Server)?;
        let base = format!("http://{local}");
        let first = Arc::new(Views::of(&session, 0, ended, "paused"));
        let (updates, _) = broadcast::channel(64);
        let published = Published { current: Arc::new(RwLock::new(first)), updates };
        let scenario = Arc::clone(session.scenario());
        let _ = writeln!(out, "serving {} from {} at {base}", scenario.name, dir.display());
        for line in role_lines(&base, &session, &tokens) {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "Ctrl-C stops the server; ttx serve --resume {} continues with the same URLs", dir.display());
        let _ = out.flush();
        let (requests, received) = mpsc::channel();
        let exercise = {
            let published = published.clone();
            std::thread::Builder::new()
                .name("exercise".into())
                .spawn(move || exercise::run(session, journal, dir, received, published))
                .map_err(ServeError::Server)?
        };
        let (stop, shutdown) = watch::channel(false);
        let teams = Arc::new(roles::teams(&scenario));
        let state = server::AppState { tokens, teams, scenario, requests, published, shutdown };
        let stopped = async move {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
            // Ends every event stream; graceful shutdown would wait for them forever.
            let _ = stop.send(true);
        };
        let served = axum::serve(listener, server::app(state)).with_graceful_shutdown(stopped).await;
        // The router and its request senders are gone: the exercise thread ends
        // and releases the session's lock.
        let _ = exercise.join();
        served.map_err(ServeError::Server)
    })
}

impl Role {
    /// The role's page path under the server.
    pub fn path(self, session: &Session, tokens: &Tokens) -> String {
        match self {
            Role::Controller => format!("/controller/{}", tokens.controller()),
            Role::Projector => format!("/projector/{}", tokens.projector()),
            Role::Team(t) => format!("/team/{}/{}", roles::teams(session.scenario())[t.index()].id, tokens.team(t)),
        }
    }
}
