//! The open incident's component, and the records the outcome keeps.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::{CsirtId, IncidentType, InjectId, OutbreakId, Severity, SopId, StreamId, Target};
use bevy_ecs::component::Component;

/// What reported the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentSource {
    Stream(StreamId),
    Inject(InjectId),
    /// A compromised exposed asset of an outbreak.
    Outbreak(OutbreakId),
    /// A constituent reporting an outbreak's infection on its own machines (the
    /// report flood).
    Constituents(OutbreakId),
}

/// Who noticed an incident first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    Victim,
    SectorTeam,
    /// The national CSIRT's own sensors and feeds.
    Feeds,
    /// A CSIRT abroad that saw it first.
    PeerAbroad,
}

impl Detector {
    pub fn as_str(self) -> &'static str {
        match self {
            Detector::Victim => "victim",
            Detector::SectorTeam => "sector_team",
            Detector::Feeds => "feeds",
            Detector::PeerAbroad => "peer_abroad",
        }
    }
}

/// An incident's number: 1-based, in order of occurrence (known or not), the
/// stable name of the incident in every output ("incident:42" in events.csv,
/// "#42" on the console, "Incident 42" in the report). Printed with `{}` it is
/// the bare number, so each of those labels is written where its format is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId(u64);

impl IncidentId {
    pub const fn from_number(number: u64) -> Self {
        Self(number)
    }

    pub const fn number(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for IncidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An incident no CSIRT learned of: ground truth only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownIncident {
    pub number: IncidentId,
    pub stream: StreamId,
    pub occurred: SimTime,
    /// When the victim noticed (and chose not to report).
    pub detected: SimTime,
}

/// An incident's whole timeline, kept on its entity and read once at the end.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    /// Ground truth: when it happened and when someone first noticed.
    pub occurred: SimTime,
    pub detected: SimTime,
    pub detected_by: Detector,
    /// Reported without the victim's identity: the CSIRT can advise but not act.
    pub anonymous: bool,
    /// 1-based, in order of report: the stable name of the incident in every output.
    pub number: IncidentId,
    pub source: IncidentSource,
    pub incident_type: IncidentType,
    pub severity: Severity,
    pub csirt: CsirtId,
    pub sop: SopId,
    /// The assets it degrades until recovered (none for most reports).
    pub targets: Vec<Target>,
    /// When its CSIRT learned of it.
    pub reported: SimTime,
    /// Per SOP step, its work, drawn when the incident is reported so that
    /// staffing variants see the same work (one allocation per incident).
    pub work: Vec<StepWork>,
    /// One record per step reached so far.
    pub steps: Vec<StepRecord>,
    /// Bumped at each hand-over, so the abandoned step's completion is ignored.
    pub attempt: u32,
    pub closed: Option<SimTime>,
}

/// The work one SOP step of an incident needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepWork {
    /// Analyst effort (maturity applied).
    pub effort: SimDuration,
    /// A uniform draw: the step must be redone once if it falls below the CSIRT's
    /// error rate.
    pub rework_draw: f64,
}

/// When a step joined the queue, and when an analyst started and finished it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepRecord {
    /// First time the step joined the queue.
    pub queued: SimTime,
    /// When it last joined the queue (after a hand-over or a redo).
    pub in_queue_since: SimTime,
    pub started: Option<SimTime>,
    pub finished: Option<SimTime>,
    /// Tier of the analyst who finished it.
    pub tier: Option<u8>,
    /// Time spent in the queue, over every hand-over and redo.
    pub waited: SimDuration,
    pub handovers: u32,
    pub reworked: bool,
    /// Not done by the CSIRT: a service it does not offer.
    pub skipped: bool,
    /// Joined the queue when nobody on duty could take it (night, weekend, or a
    /// tier with nobody left): it waits for a shift or a call-out.
    pub queued_off_shift: bool,
}

impl IncidentRecord {
    /// The record, leaving an empty husk (no steps, efforts or targets) behind.
    pub fn take(&mut self) -> Self {
        Self {
            targets: std::mem::take(&mut self.targets),
            work: std::mem::take(&mut self.work),
            steps: std::mem::take(&mut self.steps),
            ..*self
        }
    }

    /// Time from report to the start of the first step: the wait for triage.
    pub fn triage_wait(&self) -> Option<SimDuration> {
        self.steps.first()?.started.map(|s| s - self.reported)
    }

    /// Time the incident's steps spent waiting for an analyst.
    pub fn queue_wait(&self) -> SimDuration {
        self.steps.iter().map(|s| s.waited).sum()
    }
}

/// A decision taken during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionRecord {
    /// The inject that posed it.
    pub inject: InjectId,
    pub option: usize,
    pub time: SimTime,
    /// Nobody chose: the option marked default was taken.
    pub by_default: bool,
}

/// An inject as delivered: scheduled ones at their time, contingency ones when
/// the facilitator chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectRecord {
    pub inject: InjectId,
    pub time: SimTime,
}
