//! Every incident that happened, known to a CSIRT or not, as the scores see it at
//! the end of the exercise window: what it was, whose remit, and which of its
//! times fell inside the window.

use super::objective_ratings::phase_end;
use super::time_to_event::TimeToEvent;
use crate::engine::{SimDuration, SimTime};
use crate::model::{IncidentRecord, IncidentSource, Outcome};
use crate::scenario::{CsirtId, IncidentFilter, IncidentType, Phase, Scenario, Severity, StreamId, Target};

/// One incident that occurred within the window.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub occurred: SimTime,
    pub incident_type: IncidentType,
    pub severity: Severity,
    /// The CSIRT whose remit it is in (for an unknown one: its stream's CSIRT).
    pub csirt: CsirtId,
    pub stream: Option<StreamId>,
    pub targets: &'a [Target],
    /// The record, when a CSIRT learned of it within the window.
    pub known: Option<&'a IncidentRecord>,
    /// The victim or another party noticed it (ground truth), within the window.
    pub detected: Option<SimTime>,
}

/// The incidents that occurred up to `window` (known first, by number, then the
/// unknown ones in order of occurrence), with everything after the window cut off.
pub fn cases<'a>(scenario: &'a Scenario, outcome: &'a Outcome) -> Vec<Case<'a>> {
    let w = scenario.window;
    let known = outcome.incidents.iter().filter(|i| i.occurred <= w).map(|i| {
        let stream = match i.source {
            IncidentSource::Stream(s) => Some(s),
            _ => None,
        };
        Case {
            occurred: i.occurred,
            incident_type: i.incident_type,
            severity: i.severity,
            csirt: i.csirt,
            stream,
            targets: &i.targets,
            known: (i.reported <= w).then_some(i),
            detected: (i.detected <= w).then_some(i.detected),
        }
    });
    let unknown = outcome.unknown_incidents.iter().filter(|u| u.occurred <= w).map(|u| {
        let s = &scenario.streams[u.stream];
        Case {
            occurred: u.occurred,
            incident_type: s.incident_type,
            severity: s.severity,
            csirt: s.csirt,
            stream: Some(u.stream),
            targets: &s.targets,
            known: None,
            detected: (u.detected <= w).then_some(u.detected),
        }
    });
    known.chain(unknown).collect()
}

impl Case<'_> {
    /// Whether every condition of `f` holds.
    pub fn matches(&self, scenario: &Scenario, f: &IncidentFilter) -> bool {
        let hits = |p: &dyn Fn(&Target) -> bool| self.targets.iter().any(p);
        f.csirt.is_none_or(|c| self.csirt == c)
            && f.severity.is_none_or(|s| self.severity >= s)
            && f.incident_type.is_none_or(|t| self.incident_type == t)
            && f.stream.is_none_or(|s| self.stream == Some(s))
            && f.asset.is_none_or(|a| hits(&|t| t.asset == a))
            && f.sector.is_none_or(|s| hits(&|t| scenario.assets[t.asset].sector == s))
            && f.nation.is_none_or(|n| scenario.csirts[self.csirt].nation == n)
    }

    /// Whether a CSIRT carried it through the phase that resolves it within the
    /// window: the last recovery step of its SOP, else the last containment step,
    /// else its last step. A step left to the victim (a service not offered) does
    /// not count, nor does an incident no CSIRT learned of. What was handled
    /// against what should have been: doing less can only lower it.
    pub fn resolved(&self, scenario: &Scenario) -> bool {
        let Some(i) = self.known else { return false };
        let steps = &scenario.sops[i.sop].steps;
        let required = steps
            .iter()
            .rposition(|s| s.phase == Phase::Recovery)
            .or_else(|| steps.iter().rposition(|s| s.phase == Phase::Containment))
            .or_else(|| steps.len().checked_sub(1));
        let Some(k) = required else { return true };
        i.steps.get(k).is_some_and(|s| !s.skipped && s.finished.is_some_and(|f| f <= scenario.window))
    }
}

/// The duration measures of a set of cases, censored at the window's end.
#[derive(Debug, Clone, Default)]
pub struct CaseTimes {
    pub detect: TimeToEvent,
    pub report: TimeToEvent,
    pub triage: TimeToEvent,
    pub queue_wait: TimeToEvent,
    pub contain: TimeToEvent,
    pub recover: TimeToEvent,
    pub close: TimeToEvent,
    pub contain_from_start: TimeToEvent,
    pub recover_from_start: TimeToEvent,
}

impl CaseTimes {
    /// The measures kept once, pooled: those from occurrence (detection, report,
    /// and containment and recovery from the start). The pooled measures from the
    /// report on are the CSIRTs' own taken together ([`TimeToEvent::summary_of`]):
    /// every case is in exactly one CSIRT's remit, so that is the same multiset,
    /// and each case is bucketed once rather than twice.
    pub fn add_from_occurrence(&mut self, scenario: &Scenario, case: &Case) {
        let w = scenario.window;
        match case.detected {
            Some(d) => self.detect.done(d - case.occurred),
            None => self.detect.open(w - case.occurred),
        }
        let Some(i) = case.known else {
            self.report.open(w - case.occurred);
            return;
        };
        self.report.done(i.reported - case.occurred);
        let sop = &scenario.sops[i.sop];
        if sop.steps.iter().any(|s| s.phase == Phase::Containment) {
            censored(&mut self.contain_from_start, w, i.occurred, phase_end(scenario, i, Phase::Containment));
        }
        if sop.steps.iter().any(|s| s.phase == Phase::Recovery) {
            censored(&mut self.recover_from_start, w, i.occurred, phase_end(scenario, i, Phase::Recovery));
        }
    }

    /// The measures kept per CSIRT: from the report on (triage, queue wait,
    /// contain, recover, close).
    pub fn add_from_report(&mut self, scenario: &Scenario, case: &Case) {
        let w = scenario.window;
        let Some(i) = case.known else { return };
        censored(&mut self.triage, w, i.reported, triage_start(i));
        censored(&mut self.close, w, i.reported, i.closed);
        let sop = &scenario.sops[i.sop];
        if sop.steps.iter().any(|s| s.phase == Phase::Containment) {
            censored(&mut self.contain, w, i.reported, phase_end(scenario, i, Phase::Containment));
        }
        if sop.steps.iter().any(|s| s.phase == Phase::Recovery) {
            censored(&mut self.recover, w, i.reported, phase_end(scenario, i, Phase::Recovery));
        }
        let (wait, final_) = queue_wait_at(i, w);
        if final_ { self.queue_wait.done(wait) } else { self.queue_wait.open(wait) }
    }
}

/// From `origin` to `end`, or still open at the window's end `w`.
fn censored(t: &mut TimeToEvent, w: SimTime, origin: SimTime, end: Option<SimTime>) {
    match end.filter(|e| *e <= w) {
        Some(e) => t.done(e - origin),
        None => t.open(w - origin),
    }
}

/// When the first step was started by an analyst (`None` if it was left to the
/// victim or never started).
pub fn triage_start(i: &IncidentRecord) -> Option<SimTime> {
    i.steps.first().filter(|s| !s.skipped).and_then(|s| s.started)
}

/// Time the incident's steps waited for an analyst up to `w`, and whether that
/// total is final (the incident closed within the window). Exact when the run
/// ended at the window; past it, a step worked again after the window counts its
/// first wait only.
fn queue_wait_at(i: &IncidentRecord, w: SimTime) -> (SimDuration, bool) {
    if i.closed.is_some_and(|c| c <= w) {
        return (i.queue_wait(), true);
    }
    let mut total = SimDuration::ZERO;
    for s in i.steps.iter().filter(|s| !s.skipped && s.queued <= w) {
        total += match (s.started, s.finished) {
            (_, Some(f)) if f <= w => s.waited,
            (Some(st), _) if st <= w => s.waited.min(st - s.queued),
            _ if s.in_queue_since <= w => s.waited + (w - s.in_queue_since),
            _ => s.waited,
        };
    }
    (total.min(w - i.reported), false)
}
