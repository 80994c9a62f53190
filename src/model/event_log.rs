//! The model's account of what happened, row by row, for `events.csv`.

use crate::engine::{SimDuration, SimTime};
use crate::model::IncidentId;
use crate::scenario::{
    AssetId, CsirtId, IncidentType, InjectId, NationId, OutbreakId, Service, Severity, SopId, StreamId,
};

/// One observable happening, with the kernel sequence number of the event whose
/// handling produced it (several rows may share one).
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub time: SimTime,
    pub sequence: u64,
    pub event: LogEvent,
}

/// Indices refer to the validated scenario's lists; the report turns them into ids.
#[derive(Debug, Clone, PartialEq)]
pub enum LogEvent {
    InjectDelivered {
        inject: InjectId,
    },
    /// Ground truth: an incident happens, in `csirt`'s remit, before its CSIRT
    /// knows of it (an incident reported as it happens has only its
    /// `IncidentReported`). `detected` is when someone first notices it; `known`
    /// whether its CSIRT will ever learn of it (then an `IncidentReported` follows).
    IncidentOccurred {
        incident: IncidentId,
        incident_type: IncidentType,
        severity: Severity,
        csirt: CsirtId,
        source: super::IncidentSource,
        targets: Vec<crate::scenario::Target>,
        detected: SimTime,
        detected_by: super::Detector,
        known: bool,
    },
    IncidentReported {
        incident: IncidentId,
        incident_type: IncidentType,
        severity: Severity,
        csirt: CsirtId,
        source: super::IncidentSource,
        sop: SopId,
        /// Reported without the victim's identity: the CSIRT can advise but not act.
        anonymous: bool,
        /// The assets it degrades.
        targets: Vec<crate::scenario::Target>,
    },
    /// A step joins the desk's queue (again, after a redo); `off_shift`: nobody
    /// on duty could take it.
    StepQueued {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
        tier: u8,
        off_shift: bool,
    },
    /// A step the CSIRT does not do (a service it does not offer, or an anonymous
    /// report it cannot act on): left to the victim.
    StepSkipped {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
    },
    StepStarted {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
        tier: u8,
        waited: SimDuration,
        callout: SimDuration,
    },
    StepFinished {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
        effort: SimDuration,
    },
    StepHandedOver {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
        remaining: SimDuration,
    },
    StepRedone {
        incident: IncidentId,
        csirt: CsirtId,
        sop: SopId,
        step: usize,
        effort: SimDuration,
    },
    IncidentClosed {
        incident: IncidentId,
        csirt: CsirtId,
        time_in_system: SimDuration,
    },
    StaffChanged {
        csirt: CsirtId,
        tier: u8,
        from: u32,
        to: u32,
    },
    ShiftChanged {
        csirt: CsirtId,
        tier: u8,
        on_duty: bool,
    },
    DecisionTaken {
        inject: InjectId,
        option: usize,
        by_default: bool,
    },
    OutbreakDetected {
        outbreak: OutbreakId,
        nation: NationId,
    },
    /// A warning call joins the caller's desk queue, picked by the call order `order`.
    CallQueued {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        order: &'static str,
    },
    /// An analyst starts a warning call after `waited` in the queue (and a
    /// call-out at night).
    CallStarted {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        waited: SimDuration,
        callout: SimDuration,
    },
    /// A warning call ends: `effort` is the analyst time this last attempt took.
    CallFinished {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        effort: SimDuration,
    },
    /// The analyst on a call went off shift; the call waits again with `remaining`.
    CallHandedOver {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        remaining: SimDuration,
    },
    /// A decision set the call order for the calls still to make.
    CallOrderSet {
        order: crate::scenario::CallOrder,
    },
    WarningSent {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        arrives: SimTime,
    },
    /// No call could carry the warning: no channel at all, or (`link_down`)
    /// that CSIRT's link abroad was down with no fallback when the call ended.
    WarningUnreachable {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        link_down: Option<CsirtId>,
    },
    /// The recipient read the warning and acts on it; `waited` from its
    /// arrival until an analyst picked it up (a call-out included).
    WarningReceived {
        outbreak: OutbreakId,
        csirt: CsirtId,
        infected_share: f64,
        waited: SimDuration,
    },
    Takedown {
        outbreak: OutbreakId,
        factor: f64,
    },
    /// Passed on to the constituents (sector CSIRTs, asset owners), within or against the label.
    WarningForwarded {
        outbreak: OutbreakId,
        csirt: CsirtId,
        tlp: crate::scenario::Tlp,
        violation: bool,
    },
    /// Kept by the recipient as its TLP label requires.
    WarningHeld {
        outbreak: OutbreakId,
        csirt: CsirtId,
        tlp: crate::scenario::Tlp,
    },
    AssetCompromised {
        outbreak: OutbreakId,
        asset: AssetId,
    },
    /// A session of the CSIRT's programme of `service` was done: what the
    /// service's effect multiplies is now `factor` of the scenario's.
    ProgrammeDone {
        csirt: CsirtId,
        service: Service,
        effort: SimDuration,
        factor: f64,
    },
    /// A session came due while the last one still waited.
    ProgrammeMissed {
        csirt: CsirtId,
        service: Service,
    },
    /// An inject stopped the programme: no session is due from now on.
    ProgrammeStopped {
        csirt: CsirtId,
        service: Service,
    },
    /// An incident of a background stream did not happen: its constituents'
    /// training prevented it.
    IncidentPrevented {
        stream: StreamId,
        csirt: CsirtId,
    },
    /// The CSIRT's maturity changed as experienced people left or newcomers
    /// finished learning (`rules.knowledge_levels`).
    MaturityChanged {
        csirt: CsirtId,
        from: u8,
        to: u8,
    },
    /// A warning from abroad the recipient did not act on (the channel's trust).
    WarningDoubted {
        outbreak: OutbreakId,
        csirt: CsirtId,
        waited: SimDuration,
    },
    /// The origin's CSIRT referred the source to its law enforcement, which acts
    /// (`acts`) or does not on it.
    TakedownReferred {
        outbreak: OutbreakId,
        acts: bool,
    },
    /// A CSIRT reported a vulnerability to its vendor; `patch_at` is when the patch comes.
    VendorContacted {
        csirt: CsirtId,
        vendor: crate::scenario::VendorId,
        engaged: bool,
        patch_at: SimTime,
    },

    ServiceLevelChanged {
        asset: AssetId,
        from: f64,
        to: f64,
    },
    /// A relation's trust moved from `from` to `to` (0 to 1) by a rule.
    TrustChanged {
        relation: crate::scenario::Relation,
        from: f64,
        to: f64,
        cause: super::trust::TrustCause,
    },
    /// The media pressure on a nation moved from `from` to `to` (after decay).
    MediaPressureChanged {
        nation: NationId,
        from: f64,
        to: f64,
        cause: super::media::MediaCause,
    },
    /// A nation's crisis level changed (0: normal; k: its k-th level).
    CrisisLevelChanged {
        nation: NationId,
        from: u8,
        to: u8,
        cause: super::crisis::CrisisCause,
    },
    /// A CSIRT's office went down (`down`: nobody can work) or came back.
    OfficeChanged {
        csirt: CsirtId,
        down: bool,
    },
    /// A CSIRT asked its region for `analysts` responders; `helper` the member
    /// asked (none could spare them), `granted` whether it lends them.
    HelpRequested {
        csirt: CsirtId,
        helper: Option<CsirtId>,
        analysts: u32,
        granted: bool,
    },
    /// A decision went to the nation's crisis cell: it is taken `delay` later.
    DecisionReferred {
        inject: InjectId,
        delay: SimDuration,
    },
    /// From now on warnings carry this TLP label (a decision set it).
    WarningTlpSet {
        tlp: crate::scenario::Tlp,
    },
    /// An outreach session was done; `effort` is the analyst time it took.
    OutreachDone {
        csirt: CsirtId,
        effort: SimDuration,
    },
    /// An outreach session came due while the last one still waited: not held.
    OutreachMissed {
        csirt: CsirtId,
    },
    /// A peer abroad's tip about an incident cannot go: `link_down`'s link
    /// abroad is down with no fallback; it goes when the link is back.
    TipHeld {
        incident: IncidentId,
        from: CsirtId,
        to: CsirtId,
        link_down: CsirtId,
    },
    /// CSIRT `from`, about to pass a warning on, asks its sender `to` for the
    /// details; `link_down`: the request could not go (that CSIRT's link
    /// abroad is down with no fallback) and `from` notifies without them.
    DetailsRequested {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        link_down: Option<CsirtId>,
    },
    /// CSIRT `from` answered `to`'s request after `waited` in its queue;
    /// `effort` is the analyst time the last attempt took; `link_down` as for
    /// a request (the answer could not go back).
    DetailsAnswered {
        outbreak: OutbreakId,
        from: CsirtId,
        to: CsirtId,
        waited: SimDuration,
        effort: SimDuration,
        link_down: Option<CsirtId>,
    },
    /// CSIRT `csirt` passed the warning on to its constituents after `waited`
    /// in its queue (from the warning, or the answer, reaching it); `effort` as above.
    ConstituentsNotified {
        outbreak: OutbreakId,
        csirt: CsirtId,
        waited: SimDuration,
        effort: SimDuration,
    },
    /// The analyst on a notification or an answer (`work`) went off shift; it
    /// waits again with `remaining`.
    CoordinationHandedOver {
        outbreak: OutbreakId,
        csirt: CsirtId,
        work: &'static str,
        remaining: SimDuration,
    },
    /// A coordination meeting about an outbreak: the CSIRTs that knew of it and
    /// had an analyst on duty free joined; the others missed it.
    MeetingHeld {
        outbreak: OutbreakId,
        attended: Vec<CsirtId>,
        missed: Vec<CsirtId>,
    },
}

/// Where log rows go. Generic so that runs without a log (batch replications)
/// pay nothing for it.
pub trait EventSink {
    /// One entry, lent: a sink that keeps it clones it, so an entry fed to
    /// several sinks is copied only by those that keep it.
    fn record(&mut self, entry: &LogEntry);

    /// Whether this sink takes incident records as they close (and, at the end,
    /// those still open) through [`EventSink::archive`]; the outcome then keeps
    /// none of them, and a million-incident run holds only its open work.
    fn takes_records(&self) -> bool {
        false
    }

    /// A closed incident's record (or, at the end of the run, an open one's).
    /// Closed ones come in order of closing; the open ones at the end by number.
    fn archive(&mut self, _record: &super::IncidentRecord) {}
}

/// Discards every row.
pub struct NullSink;

impl EventSink for NullSink {
    #[inline]
    fn record(&mut self, _entry: &LogEntry) {}
}

impl EventSink for Vec<LogEntry> {
    fn record(&mut self, entry: &LogEntry) {
        self.push(entry.clone());
    }
}

/// Two sinks fed the same rows: events.csv and the score fold, say.
impl<A: EventSink, B: EventSink> EventSink for (A, B) {
    fn record(&mut self, entry: &LogEntry) {
        self.0.record(entry);
        self.1.record(entry);
    }

    fn takes_records(&self) -> bool {
        self.0.takes_records() || self.1.takes_records()
    }

    fn archive(&mut self, record: &super::IncidentRecord) {
        self.0.archive(record);
        self.1.archive(record);
    }
}

/// Lets a caller keep its sink (and read it afterwards) while a replication runs.
impl<S: EventSink + ?Sized> EventSink for &mut S {
    fn record(&mut self, entry: &LogEntry) {
        (**self).record(entry);
    }

    fn takes_records(&self) -> bool {
        (**self).takes_records()
    }

    fn archive(&mut self, record: &super::IncidentRecord) {
        (**self).archive(record);
    }
}
