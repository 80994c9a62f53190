//! Everything the scores need from incidents, accumulated one incident at a time
//! when its story within the window is complete (closed, or at the end of the
//! run), in memory that does not grow with the number of incidents: counters,
//! threshold counts and bounded duration histograms. [`super::ScoreFold`] feeds
//! it from the event stream as a run goes; [`IncidentScores::from_records`] from
//! a finished run's records. Both give the same scores.

use super::cases::{Case, CaseTimes, cases, triage_start};
use super::objective_ratings::phase_end;
use super::time_to_event::{TimeMeasure, TimeToEvent, WithinCount};
use super::workload_scores::LONG_TRIAGE_WAIT;
use crate::engine::{SimDuration, SimTime};
use crate::model::{Detector, Outcome};
use crate::scenario::{CsirtId, IncidentType, Measure, Phase, Scenario};

/// Per CSIRT, over the incidents in its remit.
#[derive(Debug, Clone, Default)]
pub struct CsirtTally {
    pub times: CaseTimes,
    pub occurred: usize,
    pub known: usize,
    pub closed: usize,
    pub still_open: usize,
    pub resolved: usize,
    /// Triage within 3 h of the report (open ones past 3 h count as late).
    pub triage: WithinCount,
    /// SOP steps worked by its desk in the window, and those queued off shift.
    pub steps: usize,
    pub steps_off_shift: usize,
}

/// Per objective with an incident measure: its cases, and the CSIRT whose remit
/// they are all in (if one is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectiveTally {
    pub count: WithinCount,
    /// `None`: no case yet; `Some(Some(c))`: all in CSIRT c's remit; `Some(None)`: several.
    pub csirt: Option<Option<CsirtId>>,
}

/// SOP steps due in the window, and how promptly they were taken up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepTally {
    pub worked: usize,
    pub off_shift: usize,
    pub due: usize,
    pub on_time: usize,
    pub not_assessable: usize,
}

/// Known(t) / occurred(t) integrated over time for one CSIRT, fed in time order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AwarenessIntegral {
    pub occurred: usize,
    pub known: usize,
    last: SimTime,
    area: f64,
    span: f64,
}

impl AwarenessIntegral {
    fn advance(&mut self, t: SimTime) {
        if self.occurred > 0 && t > self.last {
            let dt = (t - self.last).as_secs_f64();
            self.area += dt * self.known as f64 / self.occurred as f64;
            self.span += dt;
        }
        self.last = self.last.max(t);
    }

    pub fn occurred_at(&mut self, t: SimTime) {
        self.advance(t);
        self.occurred += 1;
    }

    pub fn known_at(&mut self, t: SimTime) {
        self.advance(t);
        self.known += 1;
    }

    /// The time-average from the first incident to `w`.
    pub fn mean_known_share(&self, w: SimTime) -> Option<f64> {
        let mut end = *self;
        end.advance(w);
        (end.span > 0.0).then(|| end.area / end.span)
    }
}

#[derive(Debug, Clone)]
pub struct IncidentScores {
    /// Pooled measures from occurrence only; those from the report on are the
    /// CSIRTs' own taken together ([`IncidentScores::pooled_summary`]).
    pub pooled: CaseTimes,
    pub csirts: Vec<CsirtTally>,
    pub found_by_feeds: usize,
    pub anonymous: usize,
    pub objectives: Vec<ObjectiveTally>,
    pub steps: StepTally,
    pub triage: WithinCount,
    /// Per asset, the incident types that targeted it in the window.
    pub attacked: Vec<Vec<IncidentType>>,
    pub awareness: Vec<AwarenessIntegral>,
}

impl IncidentScores {
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            pooled: CaseTimes::default(),
            csirts: vec![CsirtTally::default(); scenario.csirts.len()],
            found_by_feeds: 0,
            anonymous: 0,
            objectives: vec![ObjectiveTally::default(); scenario.objectives.len()],
            steps: StepTally::default(),
            triage: WithinCount::default(),
            attacked: vec![Vec::new(); scenario.assets.len()],
            awareness: vec![AwarenessIntegral::default(); scenario.csirts.len()],
        }
    }

    /// From a finished run's records: every case in turn, and the awareness
    /// integral from the occurrence and report times in time order.
    pub fn from_records(scenario: &Scenario, outcome: &Outcome) -> Self {
        let mut scores = Self::new(scenario);
        let all = cases(scenario, outcome);
        for c in &all {
            scores.add(scenario, c);
        }
        let mut steps: Vec<(SimTime, CsirtId, bool)> = Vec::new();
        for c in &all {
            steps.push((c.occurred, c.csirt, false));
            if let Some(i) = c.known {
                steps.push((i.reported, c.csirt, true));
            }
        }
        steps.sort_unstable();
        for (t, csirt, known) in steps {
            if known {
                scores.awareness[csirt.index()].known_at(t);
            } else {
                scores.awareness[csirt.index()].occurred_at(t);
            }
        }
        scores
    }

    /// A measure from the report on over every CSIRT's cases.
    pub fn pooled_summary(&self, measure: fn(&CaseTimes) -> &TimeToEvent, tau: SimDuration) -> Option<TimeMeasure> {
        TimeToEvent::summary_of(self.csirts.iter().map(|c| measure(&c.times)), tau)
    }

    pub fn occurred(&self) -> usize {
        self.csirts.iter().map(|c| c.occurred).sum()
    }

    pub fn known(&self) -> usize {
        self.csirts.iter().map(|c| c.known).sum()
    }

    pub fn closed(&self) -> usize {
        self.csirts.iter().map(|c| c.closed).sum()
    }

    pub fn resolved(&self) -> usize {
        self.csirts.iter().map(|c| c.resolved).sum()
    }

    /// One incident that occurred within the window, its story complete.
    pub fn add(&mut self, scenario: &Scenario, case: &Case) {
        let w = scenario.window;
        self.pooled.add_from_occurrence(scenario, case);
        let tally = &mut self.csirts[case.csirt.index()];
        tally.times.add_from_report(scenario, case);
        tally.occurred += 1;
        tally.resolved += usize::from(case.resolved(scenario));
        for t in case.targets {
            // Kept sorted, so the order incidents arrive in does not show.
            let types = &mut self.attacked[t.asset.index()];
            if let Err(at) = types.binary_search(&case.incident_type) {
                types.insert(at, case.incident_type);
            }
        }
        for (o, acc) in scenario.objectives.iter().zip(&mut self.objectives) {
            let (filter, within) = match o.measure {
                Measure::Reported { filter, within }
                | Measure::Triaged { filter, within }
                | Measure::Contained { filter, within }
                | Measure::Recovered { filter, within } => (filter, within),
                Measure::Warned { .. } | Measure::ServiceKept { .. } => continue,
            };
            if !case.matches(scenario, &filter) {
                continue;
            }
            let (from, end) = match (o.measure, case.known) {
                (Measure::Reported { .. }, known) => (case.occurred, known.map(|i| i.reported)),
                (_, None) => continue,
                (Measure::Triaged { .. }, Some(i)) => (i.reported, triage_start(i)),
                (Measure::Contained { .. } | Measure::Recovered { .. }, Some(i)) => {
                    let phase = if matches!(o.measure, Measure::Contained { .. }) {
                        Phase::Containment
                    } else {
                        Phase::Recovery
                    };
                    if !scenario.sops[i.sop].steps.iter().any(|s| s.phase == phase) {
                        continue;
                    }
                    (i.reported, phase_end(scenario, i, phase))
                }
                _ => continue,
            };
            match end.filter(|e| *e <= w) {
                Some(e) => acc.count.done(e - from, within),
                None => acc.count.open(w - from, within),
            }
            acc.csirt = Some(match acc.csirt {
                None => Some(case.csirt),
                Some(Some(c)) if c == case.csirt => Some(c),
                Some(_) => None,
            });
        }
        let Some(i) = case.known else { return };
        tally.known += 1;
        if i.closed.is_some_and(|c| c <= w) {
            tally.closed += 1;
        } else {
            tally.still_open += 1;
        }
        self.found_by_feeds += usize::from(i.detected_by == Detector::Feeds && i.reported == i.detected);
        self.anonymous += usize::from(i.anonymous);
        match triage_start(i).filter(|t| *t <= w) {
            Some(t) => {
                tally.triage.done(t - i.reported, LONG_TRIAGE_WAIT);
                self.triage.done(t - i.reported, LONG_TRIAGE_WAIT);
            }
            None => {
                tally.triage.open(w - i.reported, LONG_TRIAGE_WAIT);
                self.triage.open(w - i.reported, LONG_TRIAGE_WAIT);
            }
        }
        for s in i.steps.iter().filter(|s| s.queued <= w) {
            if !s.skipped {
                tally.steps += 1;
                tally.steps_off_shift += usize::from(s.queued_off_shift);
                self.steps.worked += 1;
                self.steps.off_shift += usize::from(s.queued_off_shift);
            }
            match s.started.filter(|t| *t <= w) {
                _ if s.skipped => self.steps.due += 1,
                Some(t) => {
                    self.steps.due += 1;
                    self.steps.on_time += usize::from(t - s.queued <= LONG_TRIAGE_WAIT);
                }
                None if w - s.queued > LONG_TRIAGE_WAIT => self.steps.due += 1,
                None => self.steps.not_assessable += 1,
            }
        }
    }
}
