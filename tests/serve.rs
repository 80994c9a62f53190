//! `ttx serve` at the HTTP level, as a browser or a curious player would use it:
//! the real binary on a free port, its printed role URLs, pages, actions and
//! event streams; every cross-role attempt refused; who did what in the journal;
//! the ended exercise's reports equal to `ttx play --script` on the same journal.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `ttx serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    /// ROLE -> URL as printed ("controller", "projector", "team-kv-cert").
    urls: BTreeMap<String, String>,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &[&str], dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--counterfactuals", "5", "--jobs", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut urls = BTreeMap::new();
        let mut base = String::new();
        while let Some(Ok(line)) = lines.next() {
            if let Some(rest) = line.strip_prefix("serving ") {
                base = rest.rsplit(" at ").next().unwrap().to_string();
            } else if line.starts_with("Ctrl-C stops the server") || Instant::now() > deadline {
                break;
            } else if let Some((role, url)) = line.split_once(' ') {
                urls.insert(role.to_string(), url.to_string());
            }
        }
        // Keep draining stdout so that a full pipe never blocks the server.
        std::thread::spawn(move || for _ in lines {});
        assert!(urls.contains_key("controller"), "ttx serve printed its role URLs: {urls:?}");
        Server { child, base, urls, dir: dir.to_path_buf() }
    }

    fn url(&self, role: &str) -> &str {
        &self.urls[role]
    }

    /// The token in a role's URL.
    fn token(&self, role: &str) -> String {
        self.url(role).rsplit('/').next().unwrap().to_string()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(url: &str) -> (u16, String) {
    let r = client().get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A form POST as the page's script sends it (answered 200 with what happened).
async fn post(url: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = client().post(url).header("X-Requested-With", "ttx").form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn journal(server: &Server) -> String {
    std::fs::read_to_string(server.dir.join("journal.txt")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cross_role_attempt_is_refused_and_each_role_does_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let other_dir = tmp.path().join("other");
    let other = Server::start(&["scenarios/island-cable-cut.ron", "--out", other_dir.to_str().unwrap()], &other_dir);
    let b = &server.base;
    let (c, p, kv, mr) = (
        server.token("controller"),
        server.token("projector"),
        server.token("team-kv-cert"),
        server.token("team-mr-cert"),
    );
    assert_eq!(server.url("team-kv-cert"), format!("{b}/team/kv-cert/{kv}"));

    // Each role opens its own page.
    for role in ["controller", "projector", "team-kv-cert", "team-mr-cert"] {
        let (status, body) = get(server.url(role)).await;
        assert_eq!(status, 200, "{role}: {body}");
    }
    // Play to the port ransomware: its decision is kv-cert's.
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    let (_, controller_page) = get(server.url("controller")).await;
    assert!(controller_page.contains("Owner: <strong id=\"owner\">team kv-cert</strong>"), "{controller_page}");

    let zeros = "0".repeat(64);
    let foreign = other.token("controller");
    let attempts: Vec<(&str, String, &str)> = vec![
        ("team A reads team B's view", format!("{b}/team/mr-cert/{kv}"), "GET"),
        ("team A reads team B's stream", format!("{b}/team/mr-cert/{kv}/events"), "GET"),
        ("team B's token on team A's URL", format!("{b}/team/kv-cert/{mr}"), "GET"),
        ("team reads the controller's view (ground truth)", format!("{b}/controller/{kv}"), "GET"),
        ("team reads the controller's stream", format!("{b}/controller/{kv}/events"), "GET"),
        ("team reads the projector's view", format!("{b}/projector/{kv}"), "GET"),
        ("team paces the exercise", format!("{b}/controller/{kv}/next"), "POST"),
        ("team paces through its own URL", format!("{b}/team/kv-cert/{kv}/next"), "POST"),
        ("team advances the clock", format!("{b}/team/kv-cert/{kv}/advance"), "POST"),
        ("team adds a controller's note", format!("{b}/team/kv-cert/{kv}/note"), "POST"),
        ("team delivers a contingency", format!("{b}/team/kv-cert/{kv}/inject"), "POST"),
        ("team ends the exercise", format!("{b}/team/kv-cert/{kv}/end"), "POST"),
        ("team undoes", format!("{b}/team/kv-cert/{kv}/undo"), "POST"),
        ("team B answers team A's decision", format!("{b}/team/mr-cert/{mr}/choose"), "POST"),
        ("team overrides through the controller's URL", format!("{b}/controller/{kv}/choose"), "POST"),
        ("projector reads the controller's view", format!("{b}/controller/{p}"), "GET"),
        ("projector reads a team's view", format!("{b}/team/kv-cert/{p}"), "GET"),
        ("projector paces", format!("{b}/projector/{p}/next"), "POST"),
        ("projector answers a decision", format!("{b}/projector/{p}/choose"), "POST"),
        ("projector through the controller's URL", format!("{b}/controller/{p}/next"), "POST"),
        ("controller's token on a team's view", format!("{b}/team/kv-cert/{c}"), "GET"),
        ("no token", format!("{b}/controller"), "GET"),
        ("no token, a team", format!("{b}/team/kv-cert"), "GET"),
        ("wrong token", format!("{b}/controller/{zeros}"), "GET"),
        ("wrong token acts", format!("{b}/controller/{zeros}/next"), "POST"),
        ("a prefix of the token", format!("{b}/controller/{}", &c[..32]), "GET"),
        ("another session's token", format!("{b}/controller/{foreign}"), "GET"),
        ("another session's token acts", format!("{b}/controller/{foreign}/next"), "POST"),
    ];
    assert!(attempts.len() >= 20);
    let before = journal(&server);
    for (what, url, method) in &attempts {
        let (status, body) = match *method {
            "GET" => get(url).await,
            _ => {
                post(
                    url,
                    &[("option", "monitor"), ("rationale", "x"), ("by", "1h"), ("id", "power-cut"), ("text", "x")],
                )
                .await
            }
        };
        assert_eq!(status, 403, "{what}: {url} answered {status} {body}");
        assert!(body.starts_with("forbidden: "), "{what}: {body}");
    }
    assert_eq!(journal(&server), before, "no refused attempt reached the journal");

    // No GET changes anything.
    assert_eq!(get(&format!("{b}/controller/{c}/next")).await.0, 405);
    assert_eq!(journal(&server), before);

    // The team sees its inject, its decision without the default, and no truth.
    let (_, team_page) = get(server.url("team-kv-cert")).await;
    assert!(team_page.contains("port-ransomware: The port operator reports ransomware"), "{team_page}");
    assert!(team_page.contains("value=\"isolate\"") && !team_page.contains("(default)"), "{team_page}");
    assert!(!team_page.contains("Ground truth") && !team_page.contains("Marau CERT</h3>"), "{team_page}");
    let (_, mr_page) = get(server.url("team-mr-cert")).await;
    assert!(!mr_page.contains("port-ransomware"), "addressed to kv-cert only: {mr_page}");
    assert!(mr_page.contains("none waiting"), "{mr_page}");

    // The controller cannot override the team's decision without a reason.
    let (status, body) = post(&format!("{b}/controller/{c}/choose"), &[("option", "monitor")]).await;
    assert_eq!(
        (status, body.trim()),
        (409, "decision \"port-response\" belongs to team kv-cert: overriding it needs a reason")
    );
    // The owner team decides; the journal says who.
    let (status, body) = post(
        &format!("{b}/team/kv-cert/{kv}/choose"),
        &[("option", "isolate"), ("rationale", "the terminals matter more than 12 hours")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let text = journal(&server);
    assert!(text.ends_with("# by team kv-cert\nchoose isolate the terminals matter more than 12 hours\n"), "{text}");
    // The next decision (regional help) is the controller's.
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    let (status, _) = post(&format!("{b}/team/kv-cert/{kv}/choose"), &[("option", "ask")]).await;
    assert_eq!(status, 403);
    let (status, body) = post(&format!("{b}/controller/{c}/choose"), &[("option", "ask"), ("rationale", "")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(journal(&server).ends_with("# by controller\nchoose ask\n"));
    // A bad action is a clear 400, and nothing is journaled.
    let (status, body) = post(&format!("{b}/controller/{c}/advance"), &[("by", "soon")]).await;
    assert_eq!(status, 400);
    assert!(body.starts_with("advance by \"soon\": "), "{body}");
}

/// Reads an event stream until an event whose data contains `want`; returns
/// the ids seen.
async fn stream_until(url: &str, want: &str) -> Vec<u64> {
    let mut response = client().get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let mut buffer = String::new();
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let chunk = tokio::time::timeout_at(deadline, response.chunk()).await.expect("event in time").unwrap().unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(id) = event.lines().find_map(|l| l.strip_prefix("id: ")) {
                ids.push(id.parse().unwrap());
            }
            if event.contains(want) {
                return ids;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_follow_the_exercise_live_and_end_as_ttx_play_would() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let b = server.base.clone();
    let c = server.token("controller");
    let kv_events = format!("{}/events", server.url("team-kv-cert"));
    let projector_events = format!("{}/events", server.url("projector"));
    // The team's stream shows the cable cut once the controller plays to it.
    let watcher = tokio::spawn(async move { stream_until(&kv_events, "cable-cut: A cargo ship").await });
    let projector = tokio::spawn(async move { stream_until(&projector_events, "Harbour operations").await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    assert_eq!(watcher.await.unwrap(), vec![0, 1], "the current views first, then the change");
    assert!(!projector.await.unwrap().is_empty());

    for (action, form) in [
        ("advance", vec![("by", "30m")]),
        ("note", vec![("text", "the port's IT lead is unreachable")]),
        (
            "observe",
            vec![("objective", "kavala-triage"), ("rating", "M"), ("text", "the desk did not log the port's call")],
        ),
        ("next", vec![]),
    ] {
        let (status, body) = post(&format!("{b}/controller/{c}/{action}"), &form).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let kv = server.token("team-kv-cert");
    let (status, body) =
        post(&format!("{b}/team/kv-cert/{kv}/choose"), &[("option", "monitor"), ("rationale", "keep it running")])
            .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&format!("{b}/controller/{c}/end"), &[]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&format!("{b}/controller/{c}/next"), &[]).await;
    assert_eq!((status, body.trim()), (409, "the exercise has ended; its reports are written"));
    drop(server);

    assert_replays_to_the_same_reports(&dir, &tmp.path().join("replay"));
    let report = std::fs::read_to_string(dir.join("branch-1/report.md")).unwrap();
    assert!(report.contains("the port's IT lead is unreachable"), "the controller's note is in the report");
    // The observation is journaled as a console command and set under its
    // objective's simulated rating in the after-action report.
    assert!(
        journal_text(&dir).contains("# by controller\nobserve kavala-triage M the desk did not log the port's call\n")
    );
    let objective = report.split("### kavala-triage:").nth(1).unwrap().split("\n### ").next().unwrap();
    assert!(objective.contains("Observed at the table: M (the evaluators' ratings"), "{objective}");
    assert!(
        objective.contains(
            "| T+1d30m (Tue 12:30) | M (performed with major challenges) | the desk did not log the port's call |"
        ),
        "{objective}"
    );
}

/// The served session's journal through `ttx play --script` writes the same
/// reports, byte for byte.
fn assert_replays_to_the_same_reports(dir: &Path, replay: &Path) {
    let out = common::ttx(&[
        "play",
        "scenarios/island-cable-cut.ron",
        "--script",
        dir.join("journal.txt").to_str().unwrap(),
        "--out",
        replay.to_str().unwrap(),
        "--counterfactuals",
        "5",
        "--jobs",
        "1",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["report.md", "branch-1/report.md", "branch-1/events.csv", "branch-1/summary.json"] {
        assert!(
            std::fs::read(dir.join(file)).unwrap() == std::fs::read(replay.join(file)).unwrap(),
            "{file} differs between the served exercise and ttx play --script"
        );
    }
}

fn journal_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("journal.txt")).unwrap()
}

/// Polls the controller's page until its pace reads `want`.
async fn wait_for_pace(server: &Server, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let needle = format!("<span id=\"pace\">{want}</span>");
    loop {
        let (_, page) = get(server.url("controller")).await;
        if page.contains(&needle) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "the pace never read {want:?}: {}",
            page.split("id=\"pace\">").nth(1).unwrap_or("").split('<').next().unwrap_or("")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_time_plays_on_by_the_wall_clock_and_pauses_at_each_inject_and_decision() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let (b, c, kv) = (server.base.clone(), server.token("controller"), server.token("team-kv-cert"));
    // Only the controller sets the pace, and only a sensible one.
    assert_eq!(post(&format!("{b}/team/kv-cert/{kv}/realtime"), &[("factor", "60")]).await.0, 403);
    assert_eq!(post(&format!("{}/realtime", server.url("projector")), &[("factor", "60")]).await.0, 403);
    let (status, body) = post(&format!("{b}/controller/{c}/realtime"), &[("factor", "0")]).await;
    assert_eq!(
        (status, body.trim()),
        (400, "real time needs a pace from 1 to 86400 (simulated seconds per second), e.g. 60; got \"0\"")
    );

    // 12 simulated hours a second: one tick to T+12h, the next reaches the
    // cable cut at T+1d and stops there.
    let started = Instant::now();
    let (status, body) = post(&format!("{b}/controller/{c}/realtime"), &[("factor", "43200")]).await;
    assert_eq!(status, 200, "{body}");
    let page = wait_for_pace(&server, "paused at inject cable-cut").await;
    let took = started.elapsed();
    assert!(page.contains("<span id=\"clock\">T+1d</span>"), "paused at the inject's time");
    assert!(took >= Duration::from_millis(1900), "two ticks of a second each, not faster: {took:?}");
    let pace = "# by controller, real time x43200\n";
    assert_eq!(journal_text(&dir), format!("{pace}advance 12h\n{pace}next\n"));

    // Notes do not stop the pace; the next pause is the port's decision at T+2d.
    assert_eq!(post(&format!("{b}/controller/{c}/realtime"), &[("factor", "43200")]).await.0, 200);
    assert_eq!(post(&format!("{b}/controller/{c}/note"), &[("text", "cable repair ship sighted")]).await.0, 200);
    wait_for_pace(&server, "paused at decision port-response").await;
    let (status, body) = post(&format!("{b}/controller/{c}/realtime"), &[("factor", "60")]).await;
    assert_eq!((status, body.trim()), (409, "decision \"port-response\" is waiting: answer it first"));
    assert!(journal_text(&dir).ends_with(&format!("{pace}next\n")), "{}", journal_text(&dir));

    // Pausing by hand: the pace stops and no more ticks are journaled.
    assert_eq!(
        post(&format!("{b}/team/kv-cert/{kv}/choose"), &[("option", "isolate"), ("rationale", "")]).await.0,
        200
    );
    assert_eq!(post(&format!("{b}/controller/{c}/realtime"), &[("factor", "60")]).await.0, 200);
    assert_eq!(post(&format!("{b}/controller/{c}/pause"), &[]).await.0, 200);
    let journal = journal_text(&dir);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(journal_text(&dir), journal, "nothing played on after the pause");
    wait_for_pace(&server, "paused").await;

    // Branch and switch from the controller's page, as in the terminal console.
    let (status, body) = post(&format!("{b}/controller/{c}/branch"), &[("decision", "port-response")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("branch 2: back at T+2d, before decision port-response (branch 1 is kept)"), "{body}");
    let (_, page) = get(server.url("controller")).await;
    assert!(
        page.contains("<strong>in play</strong>")
            && page.contains("branch 2 (branch 1 before decision port-response; ")
    );
    let (status, body) = post(&format!("{b}/controller/{c}/switch"), &[("branch", "3")]).await;
    assert_eq!((status, body.trim()), (409, "there is no branch 3; branches are 1 to 2"));
    let (status, body) = post(&format!("{b}/controller/{c}/switch"), &[("branch", "1")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(journal_text(&dir).ends_with("# by controller\nbranch port-response\n# by controller\nswitch 1\n"));
    assert_eq!(post(&format!("{b}/team/kv-cert/{kv}/branch"), &[("decision", "port-response")]).await.0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_resumes_with_the_same_urls_and_views() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let mut server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let c = server.token("controller");
    let b = server.base.clone();
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    let (_, before) = get(server.url("team-kv-cert")).await;
    let urls = server.urls.clone();
    // SIGKILL: no chance to clean up.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(dir.join("serve-tokens.json")).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the tokens are the owner's only");

    let resumed = Server::start(&["--resume", dir.to_str().unwrap()], &dir);
    for role in ["controller", "projector", "team-kv-cert", "team-mr-cert"] {
        let path = |u: &str| {
            u.split_once("/team/")
                .or(u.split_once("/controller/"))
                .or(u.split_once("/projector/"))
                .map(|(_, p)| p.to_string())
        };
        assert_eq!(path(resumed.url(role)), path(&urls[role]), "{role} keeps its URL");
    }
    let (status, after) = get(resumed.url("team-kv-cert")).await;
    assert_eq!(status, 200);
    let live = |page: &str| page.split("<main id=\"live\">").nth(1).unwrap().to_string();
    assert_eq!(live(&after), live(&before), "the team view is as it was");
    drop(resumed);

    // One journal format: the served session continues in the terminal console.
    let out = common::ttx_with_input(
        tmp.path(),
        &["play", "--plain", "--resume", dir.to_str().unwrap()],
        b"choose isolate the terminals come first\nquit\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("at T+2d on branch 1 (2 commands replayed)"), "{stderr}");
    assert!(journal_text(&dir).ends_with("# by controller\nnext\nchoose isolate the terminals come first\n"));
}

#[test]
fn a_bad_listen_address_is_a_clear_input_error_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let out =
        common::ttx(&["serve", "scenarios/island-cable-cut.ron", "--listen", "room-7", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: --listen \"room-7\" is not an address and port; e.g. 127.0.0.1:8080, 0.0.0.0:8080 (the room's network) or 127.0.0.1:0 (any free port)"
    );
    assert!(!dir.exists(), "no session was started");
}

/// Resident and peak memory of a process, in kB (Linux /proc).
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The first option a refused `advance` names: "decision \"x\" is waiting:
/// `choose` one of a, b first".
fn first_option(refusal: &str) -> Option<String> {
    let list = refusal.split("one of ").nth(1)?;
    Some(list.split([',', ' ']).next()?.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_event_streams_follow_a_whole_exercise_without_falling_behind() {
    const CLIENTS: usize = 30;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let (b, c) = (server.base.clone(), server.token("controller"));
    // Every role watches: 2 controller screens, 10 projectors, 9 laptops per team.
    let roles: Vec<&str> = std::iter::repeat_n("controller", 2)
        .chain(std::iter::repeat_n("projector", 10))
        .chain(std::iter::repeat_n("team-kv-cert", 9))
        .chain(std::iter::repeat_n("team-mr-cert", 9))
        .collect();
    assert_eq!(roles.len(), CLIENTS);
    let t0 = Instant::now();
    // The stream client has no overall timeout: reqwest's would cover the whole body.
    let streams = reqwest::Client::new();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(CLIENTS);
    let (last_tx, _) = tokio::sync::watch::channel(u64::MAX);
    let mut clients = Vec::new();
    for role in &roles {
        let (streams, url, ready) = (streams.clone(), format!("{}/events", server.url(role)), ready_tx.clone());
        let mut last = last_tx.subscribe();
        clients.push(tokio::spawn(async move {
            let mut response = streams.get(&url).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
            let (mut ready, mut buffer, mut seen) = (Some(ready), String::new(), Vec::<(u64, Duration)>::new());
            loop {
                let chunk = tokio::select! {
                    chunk = response.chunk() => chunk.unwrap().expect("the stream stays open"),
                    _ = last.wait_for(|v| seen.last().is_some_and(|(s, _)| s >= v)) => return seen,
                };
                let at = t0.elapsed();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    let Some(id) = event.lines().find_map(|l| l.strip_prefix("id: ")) else { continue };
                    seen.push((id.parse().unwrap(), at));
                    // The first event is the current views: from here on nothing is missed.
                    if let Some(ready) = ready.take() {
                        ready.send(()).await.unwrap();
                    }
                }
                if last.borrow().le(&seen.last().map_or(0, |s| s.0)) {
                    return seen;
                }
            }
        }));
    }
    drop(ready_tx);
    for _ in 0..CLIENTS {
        ready_rx.recv().await.expect("every client connected");
    }
    let pid = server.child.id();
    let (rss_start, _) = memory_kb(pid);

    // The controller plays the whole week in 2-hour steps, answering each
    // decision with its first option; every accepted action is one version.
    let mut sent_at = vec![Duration::ZERO];
    loop {
        let started = t0.elapsed();
        let (status, body) = post(&format!("{b}/controller/{c}/advance"), &[("by", "2h")]).await;
        match status {
            200 => sent_at.push(started),
            409 => {
                let option = first_option(&body).unwrap_or_else(|| panic!("unexpected refusal: {body}"));
                let started = t0.elapsed();
                let (status, body) =
                    post(&format!("{b}/controller/{c}/choose"), &[("option", &option), ("rationale", "load test")])
                        .await;
                assert_eq!(status, 200, "{body}");
                sent_at.push(started);
            }
            _ => panic!("advance: {status} {body}"),
        }
        if body.contains("(the horizon") {
            break;
        }
    }
    let last = sent_at.len() as u64 - 1;
    let played = t0.elapsed();
    last_tx.send(last).unwrap();
    let (rss_end, peak) = memory_kb(pid);

    let mut lags = Vec::new();
    for (client, role) in clients.into_iter().zip(&roles) {
        let seen =
            tokio::time::timeout(Duration::from_secs(30), client).await.expect("every update within 30 s").unwrap();
        let versions: Vec<u64> = seen.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (0..=last).collect::<Vec<_>>(), "{role}: every update, once, in order");
        lags.extend(seen.iter().skip(1).map(|(v, at)| at.saturating_sub(sent_at[*v as usize])));
    }
    lags.sort();
    let (p50, p99, max) = (lags[lags.len() / 2], lags[lags.len() * 99 / 100], *lags.last().unwrap());
    println!(
        "{CLIENTS} event streams x {last} updates (the island's week in 2 h steps, {played:.1?}): {} deliveries, \
         lag p50 {p50:?} p99 {p99:?} max {max:?}; server memory {} MB at the start, {} MB at the end, peak {} MB",
        lags.len(),
        rss_start / 1024,
        rss_end / 1024,
        peak / 1024
    );
    assert_eq!(lags.len(), CLIENTS * last as usize);
    assert!(max < Duration::from_secs(1), "no client falls more than a second behind: max lag {max:?}");
    // Bounded: views are replaced, not accumulated per client or per version.
    assert!(rss_end < rss_start + 64 * 1024, "memory grew from {rss_start} kB to {rss_end} kB");
}

/// A headless Chromium with a profile directory of its own, driven over the
/// DevTools protocol. Always `close` it: it checks that no Chromium process
/// outlives the test.
struct Chrome {
    browser: chromiumoxide::Browser,
    handler: tokio::task::JoinHandle<()>,
    profile: PathBuf,
}

impl Chrome {
    async fn launch() -> Chrome {
        use chromiumoxide::browser::BrowserConfig;
        use chromiumoxide::handler::viewport::Viewport;
        use futures_util::StreamExt;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let profile =
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-{}-{nanos}", std::process::id()));
        // A projector's 1280x720: the pages must be readable at that size.
        let config = BrowserConfig::builder()
            // Chromium will not start its sandbox as root (CI runs as root).
            .no_sandbox()
            .new_headless_mode()
            // The default profile is shared: a second browser would collide with it.
            .user_data_dir(&profile)
            .window_size(1280, 720)
            .viewport(Viewport { width: 1280, height: 720, ..Viewport::default() })
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(Duration::from_secs(30))
            .args(["--disable-gpu", "--disable-component-update", "--no-default-browser-check"])
            .build()
            .unwrap_or_else(|e| {
                panic!("{e}: the browser test needs Chromium (Debian: apt-get install -y chromium; .ci/run installs it) or CHROME=/path/to/chrome")
            });
        let (browser, mut events) = chromiumoxide::Browser::launch(config).await.expect("launch Chromium");
        // The DevTools connection only moves while its handler is polled.
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Chrome { browser, handler, profile }
    }

    async fn close(mut self) {
        if tokio::time::timeout(Duration::from_secs(5), self.browser.close()).await.is_err() {
            let _ = self.browser.kill().await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.wait()).await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.handler).await;
        // Every Chromium process names the profile directory on its command line.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !processes_mentioning(&self.profile).is_empty() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let left = processes_mentioning(&self.profile);
        let _ = std::fs::remove_dir_all(&self.profile);
        assert!(left.is_empty(), "Chromium processes left running: {left:?}");
    }
}

/// Live processes whose command line contains `needle` (Linux /proc).
fn processes_mentioning(needle: &Path) -> Vec<u32> {
    let needle = needle.to_string_lossy();
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle.as_ref()))
        })
        .collect()
}

/// Polls the text of the first element `selector` picks until `ok` accepts it
/// (10 s at most); returns the text.
async fn wait_for(page: &chromiumoxide::Page, selector: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let js = format!("document.querySelector({selector:?})?.textContent ?? null");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = None;
    while Instant::now() < deadline {
        let result = page.evaluate(js.as_str()).await.expect("evaluate");
        last = result.value().and_then(|v| v.as_str()).map(str::to_string);
        if last.as_deref().is_some_and(&ok) {
            return last.unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{selector}: waited 30 s for {what}, last saw {last:?}");
}

/// Clicks like a person: the tab comes to the front (a background tab's
/// input events wait), then the mouse goes to the element.
async fn click(page: &chromiumoxide::Page, selector: &str) {
    page.bring_to_front().await.expect("bring the tab to the front");
    page.find_element(selector).await.unwrap_or_else(|e| panic!("{selector}: {e}")).click().await.expect("click");
}

/// Saves a screenshot of what `page` shows (1280x720) in the test's scratch
/// folder, and into docs/images/ when TTX_UPDATE_SCREENSHOTS is set.
async fn screenshot(page: &chromiumoxide::Page, name: &str) {
    page.bring_to_front().await.expect("bring the tab to the front");
    let png = page.screenshot(chromiumoxide::page::ScreenshotParams::builder().build()).await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    std::fs::write(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name), &png).unwrap();
    if std::env::var_os("TTX_UPDATE_SCREENSHOTS").is_some() {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/images").join(name), &png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exercise_played_in_headless_chromium_ends_as_ttx_play_would() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let server = Server::start(&["scenarios/island-cable-cut.ron", "--out", dir.to_str().unwrap()], &dir);
    let chrome = Chrome::launch().await;
    let pages = [
        chrome.browser.new_page("about:blank").await.expect("page"),
        chrome.browser.new_page("about:blank").await.expect("page"),
        chrome.browser.new_page("about:blank").await.expect("page"),
    ];
    let urls = [
        server.url("controller").to_string(),
        server.url("team-kv-cert").to_string(),
        server.url("projector").to_string(),
    ];

    // The body runs as its own task so that the browser is closed even when it fails.
    let body = tokio::spawn(async move {
        let [controller, team, projector] = pages;
        for (page, url) in [(&controller, &urls[0]), (&team, &urls[1]), (&projector, &urls[2])] {
            page.goto(url.as_str()).await.expect("open page");
            wait_for(page, "#conn", "the event stream", |t| t == "live").await;
        }
        let level = |asset: &str| format!("tr[data-asset=\"{asset}\"] .level");
        wait_for(&projector, &level("Submarine telecom cable"), "the cable in service", |t| t == "100%").await;

        // The controller plays to the cable cut: the team sees it in large type,
        // the projector the cable's service level.
        click(&controller, "#next").await;
        wait_for(&team, "#latest", "the cable cut", |t| t.starts_with("T+1d cable-cut: A cargo ship")).await;
        wait_for(&projector, &level("Submarine telecom cable"), "the cable down", |t| t == "0%").await;

        // On to the port's ransomware: its decision is the team's.
        click(&controller, "#next").await;
        wait_for(&team, "#decision legend", "the team's decision", |t| t.starts_with("port-response: Isolate")).await;
        wait_for(&controller, "#owner", "the decision's owner", |t| t == "team kv-cert").await;
        let percent = |t: &str| t.trim_end_matches('%').parse::<f64>().unwrap_or(f64::NAN);
        let harbour = percent(&wait_for(&projector, &level("Harbour operations"), "a level", |_| true).await);
        click(&team, "input[value=\"isolate\"]").await;
        team.find_element("textarea[name=\"rationale\"]")
            .await
            .expect("rationale box")
            .click()
            .await
            .expect("focus")
            .type_str("the terminals matter more than 12 hours of manual work")
            .await
            .expect("type");
        click(&team, "form.decision button").await;
        wait_for(&team, "#status", "the choice accepted", |t| t.contains("decision port-response: isolate")).await;
        // Isolating puts the harbour on manual procedures (20% of its own service).
        let manual = wait_for(&projector, &level("Harbour operations"), "the harbour on manual procedures", |t| {
            percent(t) < harbour
        })
        .await;
        println!("projector: harbour operations {harbour}% before the team isolated the port, {manual} after");
        assert!((percent(&manual) - 0.2 * harbour).abs() <= 1.0, "20% of {harbour}%, shown rounded: {manual}");
        wait_for(&team, "#decision p", "no decision left", |t| t == "none waiting").await;
        for (page, name) in
            [(&controller, "serve-controller.png"), (&team, "serve-team.png"), (&projector, "serve-projector.png")]
        {
            screenshot(page, name).await;
        }

        // The controller ends the exercise from its page.
        click(&controller, "#end").await;
        wait_for(&controller, "#ended h2", "the reports written", |t| t == "Exercise ended").await;
        wait_for(&team, "#ended h2", "the end shown to the team", |t| t == "Exercise ended").await;
    })
    .await;
    chrome.close().await;
    drop(server);
    if let Err(e) = body {
        std::panic::resume_unwind(e.into_panic());
    }

    let journal = journal_text(&dir);
    assert!(
        journal.contains("# by team kv-cert\nchoose isolate the terminals matter more than 12 hours of manual work\n"),
        "{journal}"
    );
    assert_replays_to_the_same_reports(&dir, &tmp.path().join("replay"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_group_plays_for_each_of_its_csirts_with_one_url() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("session");
    let group = r#"team_groups=[TeamGroup(id: "region", name: "Regional cell", csirts: ["kv-cert", "mr-cert"])]"#;
    let server =
        Server::start(&["scenarios/island-cable-cut.ron", "--set", group, "--out", dir.to_str().unwrap()], &dir);
    let roles: Vec<&str> = server.urls.keys().map(String::as_str).collect();
    assert_eq!(roles, ["controller", "projector", "team-region"], "one team for the two CSIRTs");
    let (b, c, region) = (server.base.clone(), server.token("controller"), server.token("team-region"));
    let (status, page) = get(server.url("team-region")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Team Regional cell - ttx</title>"), "{page}");
    assert!(page.contains("<h3>Kavala National CERT</h3>") && page.contains("<h3>Marau CERT</h3>"), "both desks");
    // A CSIRT in a group has no URL of its own.
    assert_eq!(get(&format!("{b}/team/kv-cert/{region}")).await.0, 403);

    // The port's decision is kv-cert's, so the group's.
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    assert_eq!(post(&format!("{b}/controller/{c}/next"), &[]).await.0, 200);
    let (_, page) = get(server.url("team-region")).await;
    assert!(page.contains("<legend>port-response: Isolate"), "{page}");
    let (status, body) = post(&format!("{b}/controller/{c}/choose"), &[("option", "isolate")]).await;
    assert_eq!(
        (status, body.trim()),
        (409, "decision \"port-response\" belongs to team region: overriding it needs a reason")
    );
    let (status, body) = post(
        &format!("{b}/team/region/{region}/choose"),
        &[("option", "monitor"), ("rationale", "keep the port open")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(journal(&server).ends_with("# by team region\nchoose monitor keep the port open\n"));
}
