//! Scores as a fold over the run's event stream: an [`EventSink`] that reads the
//! same events events.csv records and accumulates every incident score as they
//! happen. It holds the story of the incidents still open (rebuilt from their
//! events) and folds each into [`IncidentScores`] when it closes, so its memory
//! follows the open work, never the number of incidents; a batch replication
//! keeps no incident records at all. The console can read it mid-run.
//!
//! What does not come from incidents (desks' utilisation and time behind,
//! assets' levels, outbreaks) is read from the run's end state, which is
//! bounded by the scenario: see [`super::summarise_with`].

use super::cases::Case;
use super::incident_scores::IncidentScores;
use super::open_stories::OpenStories;
use crate::engine::SimTime;
use crate::model::IncidentId;
use crate::model::{Detector, EventSink, IncidentRecord, IncidentSource, LogEntry, LogEvent, StepRecord};
use crate::scenario::{CsirtId, IncidentType, Scenario, Severity, StreamId, Target};
use std::collections::BTreeMap;
use std::sync::Arc;

/// An incident that happened and will become known, not yet reported.
#[derive(Debug, Clone)]
struct Pending {
    occurred: SimTime,
    incident_type: IncidentType,
    severity: Severity,
    csirt: CsirtId,
    source: IncidentSource,
    detected: SimTime,
    detected_by: Detector,
    targets: Vec<Target>,
}

fn stream_of(source: IncidentSource) -> Option<StreamId> {
    match source {
        IncidentSource::Stream(s) => Some(s),
        _ => None,
    }
}

pub struct ScoreFold {
    scenario: Arc<Scenario>,
    scores: IncidentScores,
    pending: BTreeMap<IncidentId, Pending>,
    open: OpenStories,
    /// The most incidents held open at once (what memory follows).
    most_open: usize,
}

impl ScoreFold {
    pub fn new(scenario: Arc<Scenario>) -> Self {
        let scores = IncidentScores::new(&scenario);
        Self { scenario, scores, pending: BTreeMap::new(), open: OpenStories::default(), most_open: 0 }
    }

    /// The most incidents whose story it held at once.
    pub fn most_open(&self) -> usize {
        self.most_open
    }

    /// The scores, with every incident still open or unreported at the end
    /// counted as such.
    pub fn finish(mut self) -> IncidentScores {
        for record in self.open.drain() {
            fold_known(&mut self.scores, &self.scenario, &record);
        }
        let pending = std::mem::take(&mut self.pending);
        for p in pending.values() {
            // To be known only after the end: unknown within the run.
            self.fold_unknown(p);
        }
        self.scores
    }

    /// An incident no CSIRT learned of within the run.
    fn fold_unknown(&mut self, p: &Pending) {
        let story = (p.occurred, p.incident_type, p.severity, p.csirt, p.source);
        fold(&mut self.scores, &self.scenario, story, &p.targets, p.detected, None);
    }
}

fn fold_known(scores: &mut IncidentScores, scenario: &Scenario, record: &IncidentRecord) {
    let known = (record.reported <= scenario.window).then_some(record);
    let story = (record.occurred, record.incident_type, record.severity, record.csirt, record.source);
    fold(scores, scenario, story, &record.targets, record.detected, known);
}

fn fold(
    scores: &mut IncidentScores,
    scenario: &Scenario,
    (occurred, incident_type, severity, csirt, source): (SimTime, IncidentType, Severity, CsirtId, IncidentSource),
    targets: &[Target],
    detected: SimTime,
    known: Option<&IncidentRecord>,
) {
    let w = scenario.window;
    if occurred > w {
        return;
    }
    let case = Case {
        occurred,
        incident_type,
        severity,
        csirt,
        stream: stream_of(source),
        targets,
        known,
        detected: (detected <= w).then_some(detected),
    };
    scores.add(scenario, &case);
}

impl EventSink for ScoreFold {
    fn record(&mut self, entry: &LogEntry) {
        let t = entry.time;
        let w = self.scenario.window;
        match entry.event {
            LogEvent::IncidentOccurred {
                incident,
                incident_type,
                severity,
                csirt,
                source,
                ref targets,
                detected,
                detected_by,
                known,
            } => {
                if t <= w {
                    self.scores.awareness[csirt.index()].occurred_at(t);
                }
                let targets = targets.clone();
                let p = Pending { occurred: t, incident_type, severity, csirt, source, detected, detected_by, targets };
                if known {
                    self.pending.insert(incident, p);
                } else {
                    self.fold_unknown(&p);
                }
            }
            LogEvent::IncidentReported {
                incident,
                incident_type,
                severity,
                csirt,
                source,
                sop,
                anonymous,
                ref targets,
            } => {
                // Reported as it happened unless it occurred (was logged) before.
                let p = self.pending.remove(&incident).unwrap_or_else(|| {
                    if t <= w {
                        self.scores.awareness[csirt.index()].occurred_at(t);
                    }
                    Pending {
                        occurred: t,
                        incident_type,
                        severity,
                        csirt,
                        source,
                        detected: t,
                        detected_by: Detector::Victim,
                        targets: targets.clone(),
                    }
                });
                if t <= w {
                    self.scores.awareness[csirt.index()].known_at(t);
                }
                let record = IncidentRecord {
                    occurred: p.occurred,
                    detected: p.detected,
                    detected_by: p.detected_by,
                    anonymous,
                    number: incident,
                    source,
                    incident_type,
                    severity,
                    csirt,
                    sop,
                    targets: p.targets,
                    reported: t,
                    work: Vec::new(),
                    steps: Vec::new(),
                    attempt: 0,
                    closed: None,
                };
                self.open.open(record, self.scenario.sops[sop].steps.len());
                self.most_open = self.most_open.max(self.open.len());
            }
            LogEvent::StepQueued { incident, step, off_shift, .. } => {
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                if step == r.steps.len() {
                    r.steps.push(StepRecord { queued: t, in_queue_since: t, ..StepRecord::default() });
                } else {
                    r.steps[step].in_queue_since = t;
                }
                r.steps[step].queued_off_shift |= off_shift;
            }
            LogEvent::StepSkipped { incident, .. } => {
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                r.steps.push(StepRecord { queued: t, in_queue_since: t, skipped: true, ..StepRecord::default() });
            }
            LogEvent::StepStarted { incident, step, tier, waited, callout, .. } => {
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                let s = &mut r.steps[step];
                s.started.get_or_insert(t + callout);
                s.waited += waited;
                s.tier = Some(tier);
            }
            LogEvent::StepHandedOver { incident, step, .. } => {
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                r.attempt += 1;
                r.steps[step].handovers += 1;
                r.steps[step].in_queue_since = t;
            }
            LogEvent::StepFinished { incident, step, .. } => {
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                r.steps[step].finished = Some(t);
            }
            LogEvent::StepRedone { incident, step, .. } => {
                // Logged right after the finish it undoes.
                let r = self.open.get_mut(&incident).expect("a step of an open incident");
                r.steps[step].finished = None;
                r.steps[step].reworked = true;
            }
            LogEvent::IncidentClosed { incident, .. } => {
                let r = self.open.close(&incident).expect("an open incident closes");
                r.closed = Some(t);
                fold_known(&mut self.scores, &self.scenario, r);
            }
            _ => {}
        }
    }
}
