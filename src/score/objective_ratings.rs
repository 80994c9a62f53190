//! Exercise objectives rated HSEEP style: P, S, M or U, with the evidence.

use crate::engine::format_duration;
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
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
            Rating::NotApplicable => "N/A",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Rating::P => "performed without challenges",
            Rating::S => "performed with some challenges",
            Rating::M => "performed with major challenges",
            Rating::U => "unable to be performed",
            Rating::NotApplicable => "not exercised in this run",
        }
    }

    /// Points for the overall score: P 100, S 67, M 33, U 0.
    pub fn points(self) -> Option<f64> {
        match self {
            Rating::P => Some(100.0),
            Rating::S => Some(200.0 / 3.0),
            Rating::M => Some(100.0 / 3.0),
            Rating::U => Some(0.0),
            Rating::NotApplicable => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveResult {
    pub id: String,
    pub text: String,
    /// Cases the measure counted, and those that met it.
    pub cases: usize,
    pub met: usize,
    /// Share met (for `ServiceKept`, share of the run at or above the level).
    pub value: Option<f64>,
    pub target: f64,
    pub rating: Rating,
    pub evidence: String,
}

pub fn rate_objectives(scenario: &Scenario, outcome: &Outcome) -> Vec<ObjectiveResult> {
    scenario.objectives.iter().map(|o| rate(scenario, outcome, o)).collect()
}

fn rate(scenario: &Scenario, outcome: &Outcome, o: &Objective) -> ObjectiveResult {
    let (cases, met, value, what) = measure(scenario, outcome, &o.measure);
    let rating = match value {
        None => Rating::NotApplicable,
        Some(v) if v >= o.target - 1e-12 => Rating::P,
        Some(v) if v >= o.some * o.target - 1e-12 => Rating::S,
        Some(v) if v >= o.major * o.target - 1e-12 => Rating::M,
        Some(_) => Rating::U,
    };
    let evidence = match (&o.measure, value) {
        (_, None) => format!("no {what} in this run"),
        (Measure::ServiceKept { .. }, Some(v)) => {
            format!("{what} for {:.0}% of the run (target {:.0}%)", v * 100.0, o.target * 100.0)
        }
        (_, Some(v)) => format!("{met} of {cases} {what} ({:.0}%; target {:.0}%)", v * 100.0, o.target * 100.0),
    };
    ObjectiveResult { id: o.id.clone(), text: o.text.clone(), cases, met, value, target: o.target, rating, evidence }
}

/// (cases, met, share met, description of the cases).
fn measure(scenario: &Scenario, outcome: &Outcome, m: &Measure) -> (usize, usize, Option<f64>, String) {
    let share = |cases: usize, met: usize| (cases > 0).then(|| met as f64 / cases as f64);
    let selected = |f: IncidentFilter| {
        outcome
            .incidents
            .iter()
            .filter(move |i| f.csirt.is_none_or(|c| i.csirt == c) && f.severity.is_none_or(|s| i.severity >= s))
    };
    let describe = |f: &IncidentFilter, verb: &str, within: u64| {
        let severity = f.severity.map_or(String::new(), |s| format!("{}+ ", s.as_str()));
        let csirt = f.csirt.map_or(String::new(), |c| format!(" at {}", scenario.csirts[c].id));
        format!("{severity}incidents{csirt} {verb} within {} of the report", format_duration(within))
    };
    let phase_within = |f: &IncidentFilter, phase: Phase, within: u64, verb: &str| {
        let cases: Vec<&IncidentRecord> =
            selected(*f).filter(|i| scenario.sops[i.sop].steps.iter().any(|s| s.phase == phase)).collect();
        let met =
            cases.iter().filter(|i| phase_end(scenario, i, phase).is_some_and(|t| t - i.reported <= within)).count();
        (cases.len(), met, share(cases.len(), met), describe(f, verb, within))
    };
    match *m {
        Measure::Reported { within } => {
            let cases = outcome.incidents.len() + outcome.unknown_incidents.len();
            let met = outcome.incidents.iter().filter(|i| i.reported - i.occurred <= within).count();
            let what = format!("incidents known to a CSIRT within {} of occurring", format_duration(within));
            (cases, met, share(cases, met), what)
        }
        Measure::Triaged { within, filter } => {
            let cases: Vec<&IncidentRecord> = selected(filter).collect();
            let met = cases.iter().filter(|i| i.triage_wait().is_some_and(|w| w <= within)).count();
            (cases.len(), met, share(cases.len(), met), describe(&filter, "triaged", within))
        }
        Measure::Contained { within, filter } => phase_within(&filter, Phase::Containment, within, "contained"),
        Measure::Recovered { within, filter } => phase_within(&filter, Phase::Recovery, within, "recovered"),
        Measure::Warned { within } => {
            let (mut cases, mut met) = (0, 0);
            for state in &outcome.outbreaks {
                let first = state.detected_at.iter().enumerate().filter_map(|(k, d)| d.map(|t| (t, k))).min();
                let Some((t0, detector)) = first else { continue };
                for k in (0..state.warned_at.len()).filter(|k| *k != detector) {
                    cases += 1;
                    met += usize::from(state.warned_at[k].is_some_and(|w| w - t0 <= within));
                }
            }
            let what = format!("nations at risk warned within {} of the first detection", format_duration(within));
            (cases, met, share(cases, met), what)
        }
        Measure::ServiceKept { asset, level } => {
            let history = &outcome.assets[asset].history;
            let end = outcome.end_time;
            let mut kept = 0;
            for (k, (t, l)) in history.iter().enumerate() {
                let until = history.get(k + 1).map_or(end, |n| n.0).min(end);
                if *l >= level - 1e-12 {
                    kept += until.saturating_sub(*t);
                }
            }
            let what = format!("{} was at or above {:.0}%", scenario.assets[asset].id, level * 100.0);
            (1, usize::from(kept == end), (end > 0).then(|| kept as f64 / end as f64), what)
        }
    }
}

/// End of the last step of `phase` in the incident's SOP, if it ended.
pub fn phase_end(scenario: &Scenario, incident: &IncidentRecord, phase: Phase) -> Option<u64> {
    let steps = &scenario.sops[incident.sop].steps;
    let last = steps.iter().rposition(|s| s.phase == phase)?;
    incident.steps.get(last)?.finished
}
