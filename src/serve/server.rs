//! The HTTP side: one page, one event stream and the actions of each role,
//! under URLs that carry the role's token. Every handler checks the token
//! against the role its URL names (a team's token opens only that team's
//! URLs: 403 otherwise, as for no or a wrong token); actions are POSTs whose
//! command the exercise thread checks again against what is actually waiting.

use super::exercise::{Action, MAX_PACE, Published, Refusal, Request};
use super::pages;
use super::roles::{ExerciseTeam, Role, Tokens};
use super::views::Views;
use crate::console::Command;
use crate::console::command::Observed;
use crate::engine::parse_duration;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use futures_util::stream::{self, Stream};
use maud::Markup;
use serde::Deserialize;
use std::sync::{Arc, mpsc};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};

#[derive(Clone)]
pub struct AppState {
    pub tokens: Arc<Tokens>,
    pub teams: Arc<Vec<ExerciseTeam>>,
    pub scenario: Arc<crate::scenario::Scenario>,
    pub requests: mpsc::Sender<Request>,
    pub published: Published,
    pub shutdown: watch::Receiver<bool>,
}

/// A request answered with a status and a one-line reason.
struct Denied(StatusCode, String);

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        (self.0, self.1 + "\n").into_response()
    }
}

fn forbidden_reason(why: &str) -> Denied {
    Denied(StatusCode::FORBIDDEN, format!("forbidden: {why}"))
}

fn forbidden(why: &str) -> Response {
    forbidden_reason(why).into_response()
}

/// The role of `token`, when it is the one `wanted` accepts.
fn check(st: &AppState, token: &str, wanted: impl Fn(Role) -> bool) -> Result<Role, Denied> {
    match st.tokens.role_of(token) {
        Some(role) if wanted(role) => Ok(role),
        Some(_) => Err(forbidden_reason("this token does not open this view")),
        None => Err(forbidden_reason("unknown token")),
    }
}

fn team_role(st: &AppState, team: &str, token: &str) -> Result<Role, Denied> {
    let named = st.teams.iter().position(|t| t.id == team);
    check(st, token, |r| matches!((r, named), (Role::Team(t), Some(k)) if t.index() == k))
}

/// The live part of `role`'s page.
fn live(role: Role, v: &Views, st: &AppState) -> Markup {
    match role {
        Role::Controller => pages::controller(v, &format!("/controller/{}", st.tokens.controller())),
        Role::Projector => pages::projector(v),
        Role::Team(t) => {
            let id = &st.teams[t.index()].id;
            pages::team(v, v.team(t), &format!("/team/{id}/{}", st.tokens.team(t)))
        }
    }
}

fn title(role: Role, st: &AppState) -> String {
    match role {
        Role::Controller => format!("Controller: {}", st.scenario.name),
        Role::Projector => st.scenario.name.clone(),
        Role::Team(t) => format!("Team {}", st.teams[t.index()].name),
    }
}

fn page(st: &AppState, role: Role, base: &str) -> Response {
    let v = st.published.latest();
    pages::page(&title(role, st), &format!("{base}/events"), live(role, &v, st)).into_response()
}

async fn controller_page(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    match check(&st, &token, |r| r == Role::Controller) {
        Ok(role) => page(&st, role, &format!("/controller/{token}")),
        Err(e) => e.into_response(),
    }
}

async fn projector_page(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    match check(&st, &token, |r| r == Role::Projector) {
        Ok(role) => page(&st, role, &format!("/projector/{token}")),
        Err(e) => e.into_response(),
    }
}

async fn team_page(State(st): State<AppState>, Path((csirt, token)): Path<(String, String)>) -> Response {
    match team_role(&st, &csirt, &token) {
        Ok(role) => page(&st, role, &format!("/team/{csirt}/{token}")),
        Err(e) => e.into_response(),
    }
}

async fn controller_events(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    match check(&st, &token, |r| r == Role::Controller) {
        Ok(role) => sse(st, role),
        Err(e) => e.into_response(),
    }
}

async fn projector_events(State(st): State<AppState>, Path(token): Path<String>) -> Response {
    match check(&st, &token, |r| r == Role::Projector) {
        Ok(role) => sse(st, role),
        Err(e) => e.into_response(),
    }
}

async fn team_events(State(st): State<AppState>, Path((csirt, token)): Path<(String, String)>) -> Response {
    match team_role(&st, &csirt, &token) {
        Ok(role) => sse(st, role),
        Err(e) => e.into_response(),
    }
}

/// The fields any action may carry; each action reads its own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    option: String,
    rationale: String,
    by: String,
    id: String,
    text: String,
    objective: String,
    rating: String,
    factor: String,
    decision: String,
    branch: String,
}

/// The action's form fields. Read whatever the Content-Type says (a plain
/// `curl -X POST` sends none): the fields are URL-encoded or there are none.
fn form_of(body: &[u8]) -> Result<ActionForm, Denied> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| Denied(StatusCode::BAD_REQUEST, format!("the action's fields are not a URL-encoded form: {e}")))
}

/// Longest free text kept from a form (a note, a rationale).
const MAX_TEXT: usize = 2000;

fn clip(text: &str) -> String {
    text.trim().chars().take(MAX_TEXT).collect()
}

/// What an action URL asks for.
fn action_of(action: &str, form: &ActionForm) -> Result<Action, Denied> {
    let bad = |why: String| Denied(StatusCode::BAD_REQUEST, why);
    Ok(Action::Command(match action {
        "realtime" => {
            let factor = form.factor.trim().trim_start_matches(['x', '×']);
            return match factor.parse::<u32>() {
                Ok(n) if (1..=MAX_PACE).contains(&n) => Ok(Action::RealTime(n)),
                _ => Err(bad(format!(
                    "real time needs a pace from 1 to {MAX_PACE} (simulated seconds per second), e.g. 60; got \"{}\"",
                    form.factor.trim()
                ))),
            };
        }
        "pause" => return Ok(Action::Pause),
        "next" => Command::Next,
        "advance" => {
            let by = parse_duration(form.by.trim())
                .map_err(|e| bad(format!("advance by \"{}\": {e}; e.g. 1h or 30m", form.by.trim())))?;
            if by.is_zero() {
                return Err(bad("advance by a positive duration, e.g. 1h".into()));
            }
            Command::Advance(by)
        }
        "undo" => Command::Undo,
        "end" => Command::End,
        "choose" if form.option.trim().is_empty() => return Err(bad("choose needs an option".into())),
        "choose" => Command::Choose { option: form.option.trim().to_string(), rationale: clip(&form.rationale) },
        "inject" if form.id.trim().is_empty() => return Err(bad("inject needs the id of a contingency inject".into())),
        "inject" => Command::Inject(form.id.trim().to_string()),
        "note" if form.text.trim().is_empty() => return Err(bad("a note needs text".into())),
        "note" => Command::Note(clip(&form.text).replace(['\n', '\r'], " ")),
        "observe" => {
            let Some(rating) = Observed::parse(form.rating.trim()) else {
                return Err(bad(format!("an observation needs a rating P, S, M or U, not \"{}\"", form.rating.trim())));
            };
            if form.objective.trim().is_empty() || form.text.trim().is_empty() {
                return Err(bad("an observation needs an objective and what was seen".into()));
            }
            Command::Observe {
                objective: form.objective.trim().to_string(),
                rating,
                text: clip(&form.text).replace(['\n', '\r'], " "),
            }
        }
        "branch" if form.decision.trim().is_empty() => {
            return Err(bad("branch needs the answered decision to go back before".into()));
        }
        "branch" => Command::Branch(form.decision.trim().to_string()),
        "switch" => match form.branch.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Command::Switch(n),
            _ => return Err(bad(format!("switch needs a branch number from 1, not \"{}\"", form.branch.trim()))),
        },
        other => return Err(Denied(StatusCode::NOT_FOUND, format!("no action \"{other}\""))),
    }))
}

/// Sends the command to the exercise thread and answers with what happened:
/// 200 and the lines for a script's fetch, 303 back to the page for a plain
/// form, 403 or 409 with the reason when refused.
async fn act(st: &AppState, role: Role, page: String, headers: &HeaderMap, action: Action) -> Response {
    let (reply, answer) = oneshot::channel();
    if st.requests.send(Request { role, action, reply }).is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "the exercise has stopped\n").into_response();
    }
    let Ok(result) = answer.await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "the exercise has stopped\n").into_response();
    };
    match result {
        Ok(lines) if headers.contains_key("x-requested-with") => {
            (StatusCode::OK, lines.join("\n") + "\n").into_response()
        }
        Ok(_) => Redirect::to(&page).into_response(),
        Err(Refusal::Forbidden(why)) => forbidden(&why),
        Err(Refusal::Refused(why)) => (StatusCode::CONFLICT, why + "\n").into_response(),
    }
}

async fn controller_action(
    State(st): State<AppState>,
    Path((token, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let role = match check(&st, &token, |r| r == Role::Controller) {
        Ok(role) => role,
        Err(e) => return e.into_response(),
    };
    match form_of(&body).and_then(|form| action_of(&action, &form)) {
        Ok(action) => act(&st, role, format!("/controller/{token}"), &headers, action).await,
        Err(e) => e.into_response(),
    }
}

async fn team_action(
    State(st): State<AppState>,
    Path((csirt, token, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let role = match team_role(&st, &csirt, &token) {
        Ok(role) => role,
        Err(e) => return e.into_response(),
    };
    match form_of(&body).and_then(|form| action_of(&action, &form)) {
        // The exercise thread refuses (403) anything but the team's own decisions.
        Ok(action) => act(&st, role, format!("/team/{csirt}/{token}"), &headers, action).await,
        Err(e) => e.into_response(),
    }
}

async fn projector_action(State(st): State<AppState>, Path((token, _)): Path<(String, String)>) -> Response {
    match check(&st, &token, |r| r == Role::Projector) {
        Ok(_) => forbidden("the projector view shows the exercise; it cannot act"),
        Err(e) => e.into_response(),
    }
}

fn event_for(role: Role, v: &Views, st: &AppState) -> Event {
    Event::default().event("views").id(v.version.to_string()).data(live(role, v, st).into_string())
}

/// One event stream: the current views first, then every newer version. Ends
/// at shutdown; a client too slow for the channel skips to the next version,
/// which supersedes what it missed.
fn live_stream(st: AppState, role: Role) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    // Subscribe before reading the current views, so nothing falls between.
    let rx = st.published.updates.subscribe();
    let first = Some(st.published.latest());
    let shutdown = st.shutdown.clone();
    stream::unfold((rx, first, None::<u64>, shutdown, st), move |(mut rx, first, last, mut shutdown, st)| async move {
        if let Some(v) = first {
            let event = event_for(role, &v, &st);
            return Some((Ok(event), (rx, None, Some(v.version), shutdown, st)));
        }
        loop {
            let received = tokio::select! {
                r = rx.recv() => r,
                _ = shutdown.wait_for(|stop| *stop) => return None,
            };
            match received {
                Ok(v) if Some(v.version) > last => {
                    let event = event_for(role, &v, &st);
                    return Some((Ok(event), (rx, None, Some(v.version), shutdown, st)));
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

fn sse(st: AppState, role: Role) -> Response {
    Sse::new(live_stream(st, role)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    // Only the console's own script and style: nothing inline, nothing from elsewhere.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
    // Tokens are in URLs: never pass them on in a Referer header.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

async fn no_token() -> Response {
    forbidden("a token is needed: use the URL ttx serve printed for your role")
}

pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/controller", axum::routing::any(no_token))
        .route("/projector", axum::routing::any(no_token))
        .route("/team/{csirt}", axum::routing::any(no_token))
        .route("/controller/{token}", get(controller_page))
        .route("/controller/{token}/events", get(controller_events))
        .route("/controller/{token}/{action}", post(controller_action))
        .route("/projector/{token}", get(projector_page))
        .route("/projector/{token}/events", get(projector_events))
        .route("/projector/{token}/{action}", post(projector_action))
        .route("/team/{csirt}/{token}", get(team_page))
        .route("/team/{csirt}/{token}/events", get(team_events))
        .route("/team/{csirt}/{token}/{action}", post(team_action))
        .route("/assets/console.js", get(|| async { asset("text/javascript; charset=utf-8", pages::CONSOLE_JS) }))
        .route("/assets/console.css", get(|| async { asset("text/css; charset=utf-8", pages::CONSOLE_CSS) }))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}
