//! Exercise objectives rated HSEEP style: P, S, M or U, with the evidence.

use super::incident_scores::{IncidentScores, ObjectiveTally};
use super::time_to_event::WithinCount;
use crate::engine::{SimDuration, SimTime, format_duration};
use crate::model::{IncidentRecord, Outcome};
use crate::scenario::{IncidentFilter, Measure, Objective, Phase, Scenario};
use serde::Serialize;

/// HSEEP's ratings of how a capability was performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
    /// Nothing happened that the objective measures.
    #[serde(rename = "N/A")]
    NotApplicable,
    /// Fewer cases than the objective's `min_cases`: too few to rate.
    #[serde(rename = "NEE")]
    NotEnoughEvidence,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
            Rating::NotApplicable => "N/A",
            Rating::NotEnoughEvidence => "NEE",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Rating::P => "performed without challenges",
            Rating::S => "performed with some challenges",
            Rating::M => "performed with major challenges",
            Rating::U => "unable to be performed",
            Rating::NotApplicable => "not exercised in this run",
            Rating::NotEnoughEvidence => "not enough evidence to rate",
        }
    }

    /// Points for the overall score: P 100, S 67, M 33, U 0.
    pub fn points(self) -> Option<f64> {
        match self {
            Rating::P => Some(100.0),
            Rating::S => Some(200.0 / 3.0),
            Rating::M => Some(100.0 / 3.0),
            Rating::U => Some(0.0),
            Rating::NotApplicable | Rating::NotEnoughEvidence => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveResult {
    pub id: String,
    pub text: String,
    /// Cases the measure could judge (met or not met), and those that met it.
    pub cases: usize,
    pub met: usize,
    /// Of the cases not met, those still open at the end of the window, already
    /// past the limit.
    pub open_past_limit: usize,
    /// Cases still open at the end but not yet past the limit: neither met nor
    /// missed, left out of `cases`.
    pub not_assessable: usize,
    /// Fewest cases a rating needs.
    pub min_cases: usize,
    /// Share met (for `ServiceKept`, share of the window at or above the level).
    pub value: Option<f64>,
    pub target: f64,
    pub rating: Rating,
    pub evidence: String,
    /// The CSIRT whose remit every case is in, when there is one.
    pub owner: Option<String>,
}

pub fn rate_objectives(scenario: &Scenario, outcome: &Outcome, scores: &IncidentScores) -> Vec<ObjectiveResult> {
    scenario.objectives.iter().zip(&scores.objectives).map(|(o, tally)| rate(scenario, outcome, tally, o)).collect()
}

fn rate(scenario: &Scenario, outcome: &Outcome, tally: &ObjectiveTally, o: &Objective) -> ObjectiveResult {
    let m = measure(scenario, outcome, tally, &o.measure);
    let judged = m.count.assessable();
    let service = matches!(o.measure, Measure::ServiceKept { .. });
    let value = if service { m.share } else { (judged > 0).then(|| m.count.met as f64 / judged as f64) };
    let enough = service || judged >= o.min_cases;
    let rating = match value {
        None => Rating::NotApplicable,
        Some(_) if !enough => Rating::NotEnoughEvidence,
        Some(v) if v >= o.target - 1e-12 => Rating::P,
        Some(v) if v >= o.some * o.target - 1e-12 => Rating::S,
        Some(v) if v >= o.major * o.target - 1e-12 => Rating::M,
        Some(_) => Rating::U,
    };
    let c = m.count;
    let mut evidence = match value {
        None if c.not_assessable > 0 => format!("no {} could be judged yet in the window", m.what),
        None => format!("no {} in this run", m.what),
        Some(v) if service => {
            format!("{} for {:.0}% of the window (target {:.0}%)", m.what, v * 100.0, o.target * 100.0)
        }
        Some(v) => format!("{} of {judged} {} ({:.0}%; target {:.0}%)", c.met, m.what, v * 100.0, o.target * 100.0),
    };
    if c.open_over > 0 {
        let verb = if c.open_over == 1 { "was" } else { "were" };
        evidence.push_str(&format!("; {} of those missed {verb} still open past the limit at the end", c.open_over));
    }
    if c.not_assessable > 0 {
        evidence.push_str(&format!("; {} still open but not yet past the limit, not counted", c.not_assessable));
    }
    if rating == Rating::NotEnoughEvidence {
        evidence.push_str(&format!("; a rating needs at least {} cases", o.min_cases));
    }
    ObjectiveResult {
        id: o.id.clone(),
        text: o.text.clone(),
        cases: judged,
        met: c.met,
        open_past_limit: c.open_over,
        not_assessable: c.not_assessable,
        min_cases: o.min_cases,
        value,
        target: o.target,
        rating,
        evidence,
        owner: tally.csirt.flatten().map(|c| scenario.csirts[c].id.clone()),
    }
}

struct Measured {
    count: WithinCount,
    /// For `ServiceKept`: the share of the window.
    share: Option<f64>,
    what: String,
}

/// Words for a filter: "high+ intrusion incidents from stream x at kv-cert".
pub fn describe_filter(scenario: &Scenario, f: &IncidentFilter) -> String {
    let mut text = String::new();
    if let Some(s) = f.severity {
        text.push_str(&format!("{}+ ", s.as_str()));
    }
    if let Some(t) = f.incident_type {
        text.push_str(&format!("{} ", t.as_str()));
    }
    text.push_str("incidents");
    if let Some(s) = f.stream {
        text.push_str(&format!(" of stream {}", scenario.streams[s].id));
    }
    if let Some(a) = f.asset {
        text.push_str(&format!(" hitting {}", scenario.assets[a].id));
    }
    if let Some(s) = f.sector {
        text.push_str(&format!(" in sector {}", scenario.sectors[s].id));
    }
    if let Some(n) = f.nation {
        text.push_str(&format!(" in {}", scenario.nations[n].id));
    }
    if let Some(c) = f.csirt {
        text.push_str(&format!(" at {}", scenario.csirts[c].id));
    }
    text
}

fn measure(scenario: &Scenario, outcome: &Outcome, tally: &ObjectiveTally, m: &Measure) -> Measured {
    let w = scenario.window;
    let timed = |f: &IncidentFilter, within: SimDuration, verb: &str| {
        let what = format!("{} {verb} within {} of the report", describe_filter(scenario, f), format_duration(within));
        Measured { count: tally.count, share: None, what }
    };
    match *m {
        Measure::Reported { within, filter } => {
            let what = format!(
                "{} known to a CSIRT within {} of occurring",
                describe_filter(scenario, &filter),
                format_duration(within)
            );
            Measured { count: tally.count, share: None, what }
        }
        Measure::Triaged { within, filter } => timed(&filter, within, "triaged"),
        Measure::Contained { within, filter } => timed(&filter, within, "contained"),
        Measure::Recovered { within, filter } => timed(&filter, within, "recovered"),
        Measure::Warned { within } => {
            let mut count = WithinCount::default();
            for state in &outcome.outbreaks {
                let first = state
                    .detected_at
                    .iter()
                    .enumerate()
                    .filter_map(|(k, d)| d.filter(|t| *t <= w).map(|t| (t, k)))
                    .min();
                let Some((t0, detector)) = first else { continue };
                for k in (0..state.warned_at.len()).filter(|k| *k != detector) {
                    match state.warned_at[k].filter(|x| *x <= w) {
                        Some(x) => count.done(x.saturating_since(t0), within),
                        None => count.open(w - t0, within),
                    }
                }
            }
            let what = format!("nations at risk warned within {} of the first detection", format_duration(within));
            Measured { count, share: None, what }
        }
        Measure::ServiceKept { asset, level } => {
            let history = &outcome.assets[asset.index()].history;
            let mut kept = SimDuration::ZERO;
            for (k, (t, l)) in history.iter().enumerate() {
                let until = history.get(k + 1).map_or(w, |n| n.0).min(w);
                if *l >= level - 1e-12 {
                    kept += until.saturating_since(*t);
                }
            }
            let w = w.since_start();
            let what = format!("{} was at or above {:.0}%", scenario.assets[asset].id, level * 100.0);
            let count =
                WithinCount { met: usize::from(kept == w), not_met: usize::from(kept < w), ..Default::default() };
            Measured { count, share: (!w.is_zero()).then(|| kept.as_secs_f64() / w.as_secs_f64()), what }
        }
    }
}

/// End of the last step of `phase` in the incident's SOP, if it ended.
pub fn phase_end(scenario: &Scenario, incident: &IncidentRecord, phase: Phase) -> Option<SimTime> {
    let steps = &scenario.sops[incident.sop].steps;
    let last = steps.iter().rposition(|s| s.phase == phase)?;
    incident.steps.get(last)?.finished
}
