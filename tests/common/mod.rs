//! Helpers shared by the integration tests: loading scenarios with overrides,
//! running replications, reading events.csv and checking a finding's claims
//! against it. Each test binary uses some of them.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use ttx::engine::{SimDuration, SimTime};
use ttx::model::{NullSink, Outcome, Replication};
use ttx::report::Claim;
use ttx::scenario::{Override, Scenario, load_file};

/// A bundled scenario with `KEY=VALUE` overrides.
pub fn scenario(file: &str, set: &[(&str, &str)]) -> Arc<Scenario> {
    let overrides: Vec<Override> = set.iter().map(|(k, v)| Override::new(k, v)).collect();
    Arc::new(load_file(Path::new(file), &overrides).unwrap_or_else(|d| panic!("{d}")))
}

/// A scenario from text (`name` is the file name its messages give).
pub fn load_text(name: &str, text: &str) -> Arc<Scenario> {
    Arc::new(ttx::scenario::load_str(name, text, &[]).unwrap_or_else(|d| panic!("{d}")))
}

/// One replication to its horizon, without an event log.
pub fn replicate(s: &Arc<Scenario>, seed: u64) -> Outcome {
    let mut r = Replication::new(s.clone(), seed, 50_000_000, NullSink);
    r.run_to_horizon().expect("within the event budget");
    r.finish().0
}

/// One replication to its horizon with its event log.
pub fn replicate_logged(s: &Arc<Scenario>, seed: u64) -> (Outcome, Vec<ttx::model::LogEntry>) {
    let mut log = Vec::new();
    let mut r = Replication::new(s.clone(), seed, 50_000_000, &mut log);
    r.run_to_horizon().expect("within the event budget");
    let outcome = r.finish().0;
    (outcome, log)
}

/// The bundled scenario files, sorted.
pub fn bundled() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("scenarios")
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

/// The `ttx` binary as a command to add arguments to (with `assert_cmd`'s assertions).
pub fn ttx_command() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_ttx"))
}

/// The `ttx` binary with these arguments.
pub fn ttx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx")).args(args).output().expect("ttx runs")
}

/// The `ttx` binary with these arguments, run in `dir`.
pub fn ttx_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx")).current_dir(dir).args(args).output().expect("ttx runs")
}

/// The `ttx` binary run in `dir` with `input` on its standard input.
pub fn ttx_with_input(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ttx runs");
    // A command that stops reading early closes the pipe: that is its answer.
    let _ = child.stdin.take().expect("piped").write_all(input);
    child.wait_with_output().expect("ttx runs")
}

/// One row of events.csv.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub time: SimTime,
    pub event: String,
    pub entities: Vec<String>,
    pub details: String,
}

impl EventRow {
    /// Whether the row names every one of `words` among its entities or details.
    pub fn names(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.entities.contains(w) || self.details.split(' ').any(|d| d == w))
    }

    /// A `key=value` of the details.
    pub fn detail(&self, key: &str) -> Option<&str> {
        self.details.split(' ').find_map(|d| d.strip_prefix(key)?.strip_prefix('='))
    }
}

pub fn read_events(path: &Path) -> Vec<EventRow> {
    let mut reader = csv::Reader::from_path(path).expect("events.csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            EventRow {
                time: SimTime::from_secs(r[0].parse().expect("a time")),
                event: r[2].to_string(),
                entities: r[3].split(' ').map(String::from).collect(),
                details: r[4].to_string(),
            }
        })
        .collect()
}

/// Checks a claim against the event log: `Err` says how it is contradicted.
pub fn check_claim(events: &[EventRow], claim: &Claim) -> Result<(), String> {
    match claim {
        Claim::Event { time_s, event, entities } => {
            if events.iter().any(|e| e.time == *time_s && e.event == *event && e.names(entities)) {
                Ok(())
            } else {
                Err(format!("no {event} {entities:?} at {}", time_s.as_secs()))
            }
        }
        Claim::NoEvent { event, entities, until_s } => {
            match events.iter().find(|e| e.time <= *until_s && e.event == *event && e.names(entities)) {
                Some(e) => Err(format!("{event} {entities:?} found at {}", e.time.as_secs())),
                None => Ok(()),
            }
        }
        Claim::Count { event, entities, until_s, count } => {
            let n = events.iter().filter(|e| e.time <= *until_s && e.event == *event && e.names(entities)).count();
            if n == *count { Ok(()) } else { Err(format!("{n} rows of {event} {entities:?}, not {count}")) }
        }
        Claim::TriageLate { csirt, over_s, until_s, count } => {
            let csirt = format!("csirt:{csirt}");
            let mut late = 0;
            for r in events.iter().filter(|e| e.event == "incident_reported" && e.entities.contains(&csirt)) {
                if r.time > *until_s {
                    continue;
                }
                let incident = r.entities.iter().find(|x| x.starts_with("incident:")).expect("an incident");
                let first_start = events
                    .iter()
                    .filter(|e| e.event == "step_started" && e.entities.contains(incident))
                    .map(|e| {
                        e.time + SimDuration::from_secs(e.detail("callout_s").map_or(0, |c| c.parse::<u64>().unwrap()))
                    })
                    .min()
                    .filter(|t| t <= until_s);
                late += usize::from(match first_start {
                    Some(t) => t - r.time > *over_s,
                    None => until_s.saturating_since(r.time) > *over_s,
                });
            }
            if late == *count {
                Ok(())
            } else {
                Err(format!("{late} incidents at {csirt} late for triage, not {count}"))
            }
        }
    }
}

/// Seconds of a simulated time or span (or of an optional one), so a test can
/// state expected times as plain numbers worked out by hand.
pub trait Secs {
    type Out;
    fn secs(self) -> Self::Out;
}

impl Secs for SimTime {
    type Out = u64;
    fn secs(self) -> u64 {
        self.as_secs()
    }
}

impl Secs for SimDuration {
    type Out = u64;
    fn secs(self) -> u64 {
        self.as_secs()
    }
}

impl<T: Secs> Secs for Option<T> {
    type Out = Option<T::Out>;
    fn secs(self) -> Option<T::Out> {
        self.map(Secs::secs)
    }
}

/// The instant `seconds` after T+0.
pub const fn at(seconds: u64) -> SimTime {
    SimTime::from_secs(seconds)
}

impl<T: Secs> Secs for Vec<T> {
    type Out = Vec<T::Out>;
    fn secs(self) -> Vec<T::Out> {
        self.into_iter().map(Secs::secs).collect()
    }
}

/// Counts and shares beside times in one tuple stay as they are.
macro_rules! plain_secs {
    ($($t:ty),*) => {$(
        impl Secs for $t {
            type Out = $t;
            fn secs(self) -> $t {
                self
            }
        }
    )*};
}
plain_secs!(usize, u64, f64);

impl<A: Secs, B: Secs> Secs for (A, B) {
    type Out = (A::Out, B::Out);
    fn secs(self) -> Self::Out {
        (self.0.secs(), self.1.secs())
    }
}

impl<A: Secs, B: Secs, C: Secs> Secs for (A, B, C) {
    type Out = (A::Out, B::Out, C::Out);
    fn secs(self) -> Self::Out {
        (self.0.secs(), self.1.secs(), self.2.secs())
    }
}

impl<A: Secs, B: Secs, C: Secs, D: Secs> Secs for (A, B, C, D) {
    type Out = (A::Out, B::Out, C::Out, D::Out);
    fn secs(self) -> Self::Out {
        (self.0.secs(), self.1.secs(), self.2.secs(), self.3.secs())
    }
}

/// The share of incidents known to their CSIRT among those that occurred
/// before `split_s` and from it on, each within 3 standard errors of its
/// expected probability, with more than `min_n` cases on each side.
#[allow(dead_code)]
pub fn assert_known_share_before_after(log: &[ttx::model::LogEntry], split_s: u64, expected: [f64; 2], min_n: f64) {
    let mut tallies = [(0u32, 0u32); 2];
    for e in log {
        if let ttx::model::LogEvent::IncidentOccurred { known, .. } = e.event {
            let after = usize::from(e.time.as_secs() >= split_s);
            tallies[after].0 += 1;
            tallies[after].1 += u32::from(known);
        }
    }
    for ((n, known), p) in tallies.into_iter().zip(expected) {
        let (n, share) = (f64::from(n), f64::from(known) / f64::from(n));
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(n > min_n && (share - p).abs() < 3.0 * se, "{share:.4} of {n} reported, expected {p} (se {se:.4})");
    }
}

/// One line of a batch's summary.csv: the mean, and against the baseline the
/// paired difference and its 95% CI.
#[derive(Debug, Clone, Copy)]
pub struct BatchRow {
    pub mean: f64,
    pub diff: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// Runs `ttx batch FILE --runs RUNS` and reads its summary.csv, by (variant,
/// measure); a measure with nothing to measure (no mean) is left out.
#[allow(dead_code)]
pub fn batch_summary(file: &str, runs: &str) -> std::collections::BTreeMap<(String, String), BatchRow> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("batch");
    let output = ttx(&["batch", file, "--runs", runs, "--quiet", "--out", out.to_str().expect("a UTF-8 path")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_path(out.join("summary.csv")).expect("summary.csv");
    let mut rows = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("a row");
        let number = |i: usize| row.get(i).filter(|v| !v.is_empty()).map(|v| v.parse::<f64>().expect("a number"));
        if let Some(mean) = number(3) {
            let line = BatchRow { mean, diff: number(10), ci: number(11).zip(number(12)) };
            rows.insert((row[0].to_string(), row[1].to_string()), line);
        }
    }
    rows
}
