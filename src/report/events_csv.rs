//! `events.csv`: one row per happening, written as the run goes.

use super::csv_line::CsvRows;
use crate::model::crisis::CrisisCause;
use crate::model::media::{MediaCause, Origin};
use crate::model::trust::TrustCause;
use crate::model::{EventSink, IncidentId, IncidentSource, LogEntry, LogEvent};
use crate::scenario::{CsirtId, OutbreakId, Scenario, SopId};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write as _};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Streams log rows to a CSV file with the columns
/// `time,sequence,event,entities,details`, formatted and written on a thread
/// of its own: the run hands it batches of entries through a bounded channel
/// and goes on simulating. Formatting five million rows was a third of a
/// million-incident `ttx run`; on two cores it now overlaps the simulation.
/// The rows come out in the order they were recorded (one writer, one
/// channel), so the file is the same bytes whatever the threads do. Memory is
/// bounded: at most [`BATCHES_IN_FLIGHT`] batches of [`BATCH`] entries wait.
/// The first write error is kept and returned by [`CsvEventSink::finish`].
pub struct CsvEventSink {
    batch: Vec<LogEntry>,
    to_writer: Option<SyncSender<Vec<LogEntry>>>,
    /// Batches the writer has emptied, for reuse.
    spare: Receiver<Vec<LogEntry>>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

/// Entries per batch handed to the writer.
const BATCH: usize = 4096;
/// Batches queued for the writer before the run waits for it.
const BATCHES_IN_FLIGHT: usize = 2;

impl CsvEventSink {
    pub fn create(path: &Path, scenario: Arc<Scenario>) -> io::Result<Self> {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
        out.write_all(b"time,sequence,event,entities,details\n")?;
        let (to_writer, batches) = mpsc::sync_channel::<Vec<LogEntry>>(BATCHES_IN_FLIGHT);
        let (give_back, spare) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("events.csv".into())
            .spawn(move || write_rows(out, &scenario, &batches, &give_back))?;
        Ok(Self { batch: Vec::with_capacity(BATCH), to_writer: Some(to_writer), spare, writer: Some(writer) })
    }

    fn hand_over(&mut self) {
        let next = self.spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let full = std::mem::replace(&mut self.batch, next);
        if let Some(to_writer) = &self.to_writer
            && to_writer.send(full).is_err()
        {
            // The writer stopped (it panicked): `finish` says so.
            self.to_writer = None;
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        if !self.batch.is_empty() {
            self.hand_over();
        }
        self.to_writer = None;
        let writer = self.writer.take().expect("finish runs once");
        writer.join().unwrap_or_else(|_| Err(io::Error::other("the events.csv writer thread stopped")))
    }
}

/// The writer thread: every batch's rows, in order; after the first error it
/// keeps taking batches (so the run is never blocked) but writes nothing.
fn write_rows(
    mut out: BufWriter<File>,
    scenario: &Scenario,
    batches: &Receiver<Vec<LogEntry>>,
    give_back: &mpsc::Sender<Vec<LogEntry>>,
) -> io::Result<()> {
    let mut error = None;
    let (mut row, mut entities, mut details) = (CsvRows::default(), String::new(), String::new());
    for mut batch in batches {
        for entry in batch.drain(..) {
            if error.is_some() {
                continue;
            }
            let event = describe_into(scenario, &entry.event, &mut entities, &mut details);
            row.clear();
            row.number(entry.time.as_secs());
            row.number(entry.sequence);
            row.plain(event);
            row.field(&entities);
            row.field(&details);
            row.end();
            if let Err(e) = out.write_all(row.as_bytes()) {
                error = Some(e);
            }
        }
        // The run may have finished and stopped listening: nothing is lost.
        let _ = give_back.send(batch);
    }
    if let Some(e) = error {
        return Err(e);
    }
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

fn push_number(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Where an effect came from: ` inject=ID` or ` crisis=NATION:LEVEL`.
fn write_origin(out: &mut String, s: &Scenario, origin: Origin) {
    let _ = match origin {
        Origin::Inject(i) => write!(out, " inject={}", s.injects[i].id),
        Origin::Crisis { nation, level } => {
            write!(out, " crisis={}:{}", s.nations[nation].id, s.crisis_level_name(nation, level))
        }
    };
}

/// What reported an incident, as events.csv names it.
fn write_source(out: &mut String, s: &Scenario, source: &IncidentSource) {
    let (kind, id) = match source {
        IncidentSource::Stream(i) => ("stream:", &s.streams[*i].id),
        IncidentSource::Inject(i) => ("inject:", &s.injects[*i].id),
        IncidentSource::Outbreak(i) => ("outbreak:", &s.outbreaks[*i].id),
        IncidentSource::Constituents(i) => ("constituents:", &s.outbreaks[*i].id),
    };
    out.push_str(kind);
    out.push_str(id);
}

/// Asset ids joined by `+`.
fn write_targets(out: &mut String, s: &Scenario, targets: &[crate::scenario::Target]) {
    for (k, t) in targets.iter().enumerate() {
        if k > 0 {
            out.push('+');
        }
        out.push_str(&s.assets[t.asset].id);
    }
}

/// An event as (kind, entities, details): the columns of events.csv, and the
/// console's message lines.
pub fn describe_event(s: &Scenario, event: &LogEvent) -> (&'static str, String, String) {
    let (mut entities, mut details) = (String::new(), String::new());
    let kind = describe_into(s, event, &mut entities, &mut details);
    (kind, entities, details)
}

/// [`describe_event`] into the caller's buffers (cleared first): events.csv
/// reuses two Strings for every row instead of allocating a few per row.
pub fn describe_into(s: &Scenario, event: &LogEvent, e: &mut String, d: &mut String) -> &'static str {
    e.clear();
    d.clear();
    // Writing to a String cannot fail.
    // The rows of every incident and step (nine in ten of a big run's) are
    // built with push_str and itoa: through `write!` they were a quarter of the
    // file's cost.
    let at = |e: &mut String, incident: &IncidentId, csirt: &CsirtId| {
        e.push_str("incident:");
        push_number(e, incident.number());
        e.push_str(" csirt:");
        e.push_str(&s.csirts[*csirt].id);
    };
    let step = |d: &mut String, sop: &SopId, step: &usize| {
        d.push_str("sop=");
        d.push_str(&s.sops[*sop].id);
        d.push_str(" step=");
        d.push_str(&s.sops[*sop].steps[*step].name);
    };
    let call = |e: &mut String, outbreak: &OutbreakId, from: &CsirtId, to: &CsirtId| {
        let _ = write!(e, "outbreak:{} from:{} to:{}", s.outbreaks[*outbreak].id, s.csirts[*from].id, s.csirts[*to].id);
    };
    let pair = |e: &mut String, a: &str, x: &str, b: &str, y: &str| {
        let _ = write!(e, "{a}:{x} {b}:{y}");
    };
    match event {
        LogEvent::InjectDelivered { inject } => {
            let _ = write!(e, "inject:{}", s.injects[*inject].id);
            d.push_str(&s.injects[*inject].text);
            "inject_delivered"
        }
        LogEvent::IncidentOccurred {
            incident,
            incident_type,
            severity,
            csirt,
            source,
            targets,
            detected,
            detected_by,
            known,
        } => {
            at(e, incident, csirt);
            let _ = write!(d, "type={} severity={} source=", incident_type.as_str(), severity.as_str());
            write_source(d, s, source);
            let _ = write!(
                d,
                " detected_s={} detected_by={} known={known} targets=",
                detected.as_secs(),
                detected_by.as_str()
            );
            write_targets(d, s, targets);
            "incident_occurred"
        }
        LogEvent::IncidentReported { incident, incident_type, severity, csirt, source, sop, anonymous, targets } => {
            at(e, incident, csirt);
            d.push_str("type=");
            d.push_str(incident_type.as_str());
            d.push_str(" severity=");
            d.push_str(severity.as_str());
            d.push_str(" source=");
            write_source(d, s, source);
            d.push_str(" sop=");
            d.push_str(&s.sops[*sop].id);
            d.push_str(if *anonymous { " anonymous=true" } else { " anonymous=false" });
            if !targets.is_empty() {
                d.push_str(" targets=");
                write_targets(d, s, targets);
            }
            "incident_reported"
        }
        LogEvent::StepQueued { incident, csirt, sop, step: k, tier, off_shift } => {
            at(e, incident, csirt);
            step(d, sop, k);
            d.push_str(" tier=");
            push_number(d, *tier);
            d.push_str(if *off_shift { " off_shift=true" } else { " off_shift=false" });
            "step_queued"
        }
        LogEvent::StepSkipped { incident, csirt, sop, step: k } => {
            at(e, incident, csirt);
            step(d, sop, k);
            d.push_str(" left to the victim");
            "step_skipped"
        }
        LogEvent::StepStarted { incident, csirt, sop, step: k, tier, waited, callout } => {
            at(e, incident, csirt);
            step(d, sop, k);
            d.push_str(" tier=");
            push_number(d, *tier);
            d.push_str(" waited_s=");
            push_number(d, waited.as_secs());
            d.push_str(" callout_s=");
            push_number(d, callout.as_secs());
            "step_started"
        }
        LogEvent::StepFinished { incident, csirt, sop, step: k, effort } => {
            at(e, incident, csirt);
            step(d, sop, k);
            d.push_str(" effort_s=");
            push_number(d, effort.as_secs());
            "step_finished"
        }
        LogEvent::StepHandedOver { incident, csirt, sop, step: k, remaining } => {
            at(e, incident, csirt);
            step(d, sop, k);
            let _ = write!(d, " remaining_s={}", remaining.as_secs());
            "step_handed_over"
        }
        LogEvent::StepRedone { incident, csirt, sop, step: k, effort } => {
            at(e, incident, csirt);
            step(d, sop, k);
            let _ = write!(d, " effort_s={}", effort.as_secs());
            "step_redone"
        }
        LogEvent::IncidentClosed { incident, csirt, time_in_system } => {
            at(e, incident, csirt);
            d.push_str("time_in_system_s=");
            push_number(d, time_in_system.as_secs());
            "incident_closed"
        }
        LogEvent::StaffChanged { csirt, tier, from, to } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "tier={tier} analysts_from={from} analysts_to={to}");
            "staff_changed"
        }
        LogEvent::DecisionTaken { inject, option, by_default } => {
            let decision = s.injects[*inject].decision.as_ref().expect("decision events come from decisions");
            let _ = write!(e, "decision:{}", decision.id);
            let _ = write!(d, "option={} by_default={by_default}", decision.options[*option].id);
            "decision_taken"
        }
        LogEvent::OutbreakDetected { outbreak, nation } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "nation", &s.nations[*nation].id);
            "outbreak_detected"
        }
        LogEvent::CallQueued { outbreak, from, to, order } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "call_order={order}");
            "call_queued"
        }
        LogEvent::CallStarted { outbreak, from, to, waited, callout } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "waited_s={} callout_s={}", waited.as_secs(), callout.as_secs());
            "call_started"
        }
        LogEvent::CallFinished { outbreak, from, to, effort } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "effort_s={}", effort.as_secs());
            "call_finished"
        }
        LogEvent::CallHandedOver { outbreak, from, to, remaining } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "remaining_s={}", remaining.as_secs());
            "call_handed_over"
        }
        LogEvent::CallOrderSet { order } => {
            let _ = write!(d, "call_order={}", order.name());
            if let crate::scenario::CallOrder::List(ids) = order {
                let ids: Vec<&str> = ids.iter().map(|c| s.csirts[*c].id.as_str()).collect();
                let _ = write!(d, " list={}", ids.join(","));
            }
            "call_order_set"
        }
        LogEvent::WarningSent { outbreak, from, to, arrives } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "arrives_s={}", arrives.as_secs());
            "warning_sent"
        }
        LogEvent::WarningUnreachable { outbreak, from, to, link_down } => {
            call(e, outbreak, from, to);
            match link_down {
                None => d.push_str("no FIRST or regional channel and no indirect route"),
                Some(c) => {
                    let _ = write!(d, "the international link of {} was down, with no fallback", s.csirts[*c].id);
                }
            }
            "warning_unreachable"
        }
        LogEvent::WarningReceived { outbreak, csirt, infected_share, waited } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "infected_share={infected_share:.6} waited_s={}", waited.as_secs());
            "warning_received"
        }
        LogEvent::Takedown { outbreak, factor } => {
            let _ = write!(e, "outbreak:{}", s.outbreaks[*outbreak].id);
            let _ = write!(d, "k_factor={factor}");
            "takedown"
        }
        LogEvent::WarningForwarded { outbreak, csirt, tlp, violation } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "tlp={} violation={violation}", tlp.as_str());
            "warning_forwarded"
        }
        LogEvent::WarningHeld { outbreak, csirt, tlp } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "tlp={}", tlp.as_str());
            "warning_held"
        }
        LogEvent::AssetCompromised { outbreak, asset } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "asset", &s.assets[*asset].id);
            "asset_compromised"
        }
        LogEvent::ProgrammeDone { csirt, service, effort, factor } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let effect = s.csirts[*csirt].programme(*service).map(|p| p.effect.as_str()).unwrap_or_default();
            let _ = write!(d, "service={service:?} effect={effect} effort_s={} factor={factor:.6}", effort.as_secs());
            "programme_done"
        }
        LogEvent::ProgrammeMissed { csirt, service } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "service={service:?}");
            "programme_missed"
        }
        LogEvent::ProgrammeStopped { csirt, service } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "service={service:?}");
            "programme_stopped"
        }
        LogEvent::IncidentPrevented { stream, csirt } => {
            pair(e, "stream", &s.streams[*stream].id, "csirt", &s.csirts[*csirt].id);
            "incident_prevented"
        }
        LogEvent::MaturityChanged { csirt, from, to } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "maturity_from={from} maturity_to={to}");
            "maturity_changed"
        }
        LogEvent::WarningDoubted { outbreak, csirt, waited } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "waited_s={} not acted upon: the channel's trust", waited.as_secs());
            "warning_doubted"
        }
        LogEvent::TakedownReferred { outbreak, acts } => {
            let origin = &s.nations[s.outbreaks[*outbreak].origin].id;
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "nation", origin);
            let _ = write!(d, "law_enforcement_acts={acts}");
            "takedown_referred"
        }
        LogEvent::VendorContacted { csirt, vendor, engaged, patch_at } => {
            pair(e, "csirt", &s.csirts[*csirt].id, "vendor", &s.vendors[*vendor].id);
            let _ = write!(d, "engaged={engaged} patch_at_s={}", patch_at.as_secs());
            "vendor_contacted"
        }
        LogEvent::ServiceLevelChanged { asset, from, to } => {
            let _ = write!(e, "asset:{}", s.assets[*asset].id);
            let _ = write!(d, "level_from={from:.4} level_to={to:.4}");
            "service_level_changed"
        }
        LogEvent::ShiftChanged { csirt, tier, on_duty } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "tier={tier} on_duty={on_duty}");
            "shift_changed"
        }
        LogEvent::TrustChanged { relation, from, to, cause } => {
            e.push_str(&s.relation_label(*relation));
            let _ = write!(d, "trust_from={from:.4} trust_to={to:.4} cause={}", cause.name());
            match cause {
                TrustCause::UsefulWarning(o) | TrustCause::TlpBreach(o) | TrustCause::Meeting(o) => {
                    let _ = write!(d, " outbreak={}", s.outbreaks[*o].id);
                }
                TrustCause::FalseWarning(o)
                | TrustCause::Enforcement(o)
                | TrustCause::Exercise(o)
                | TrustCause::Stated(o)
                | TrustCause::Statement(o)
                | TrustCause::NamedVictim(o) => write_origin(d, s, *o),
                TrustCause::Outreach => {}
            }
            "trust_changed"
        }
        LogEvent::MediaPressureChanged { nation, from, to, cause } => {
            let _ = write!(e, "nation:{}", s.nations[*nation].id);
            let _ = write!(d, "pressure_from={from:.4} pressure_to={to:.4} cause={}", cause.name());
            match cause {
                MediaCause::PublicOutage(a) => {
                    let _ = write!(d, " asset={}", s.assets[*a].id);
                }
                MediaCause::Leak(o) | MediaCause::Statement(o) => write_origin(d, s, *o),
            }
            "media_pressure_changed"
        }
        LogEvent::CrisisLevelChanged { nation, from, to, cause } => {
            let _ = write!(e, "nation:{}", s.nations[*nation].id);
            let name = |k: u8| s.crisis_level_name(*nation, k);
            let _ = write!(d, "level_from={} level_to={} cause={}", name(*from), name(*to), cause.name());
            match cause {
                CrisisCause::Set(o) => write_origin(d, s, *o),
                CrisisCause::Escalated(c) => {
                    let _ = write!(d, " csirt={}", s.csirts[*c].id);
                }
                _ => {}
            }
            "crisis_level_changed"
        }
        LogEvent::OfficeChanged { csirt, down } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "down={down}");
            "office_changed"
        }
        LogEvent::HelpRequested { csirt, helper, analysts, granted } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            if let Some(h) = helper {
                let _ = write!(e, " helper:{}", s.csirts[*h].id);
            }
            let _ = write!(d, "analysts={analysts} granted={granted}");
            "help_requested"
        }
        LogEvent::DecisionReferred { inject, delay } => {
            let _ = write!(e, "inject:{}", s.injects[*inject].id);
            let _ = write!(d, "delay_s={}", delay.as_secs());
            "decision_referred"
        }
        LogEvent::WarningTlpSet { tlp } => {
            let _ = write!(d, "tlp={}", tlp.as_str());
            "warning_tlp_set"
        }
        LogEvent::OutreachDone { csirt, effort } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            let _ = write!(d, "effort_s={}", effort.as_secs());
            "outreach_done"
        }
        LogEvent::OutreachMissed { csirt } => {
            let _ = write!(e, "csirt:{}", s.csirts[*csirt].id);
            d.push_str("due while the last session still waited");
            "outreach_missed"
        }
        LogEvent::TipHeld { incident, from, to, link_down } => {
            at(e, incident, to);
            let _ = write!(e, " from:{}", s.csirts[*from].id);
            let _ = write!(d, "link_down={} held until the link is back", s.csirts[*link_down].id);
            "tip_held"
        }
        LogEvent::DetailsRequested { outbreak, from, to, link_down } => {
            call(e, outbreak, from, to);
            if let Some(down) = link_down {
                let _ = write!(d, "link_down={} notifies without details", s.csirts[*down].id);
            }
            "details_requested"
        }
        LogEvent::DetailsAnswered { outbreak, from, to, waited, effort, link_down } => {
            call(e, outbreak, from, to);
            let _ = write!(d, "waited_s={} effort_s={}", waited.as_secs(), effort.as_secs());
            if let Some(down) = link_down {
                let _ = write!(d, " link_down={} answer lost", s.csirts[*down].id);
            }
            "details_answered"
        }
        LogEvent::ConstituentsNotified { outbreak, csirt, waited, effort } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "waited_s={} effort_s={}", waited.as_secs(), effort.as_secs());
            "constituents_notified"
        }
        LogEvent::CoordinationHandedOver { outbreak, csirt, work, remaining } => {
            pair(e, "outbreak", &s.outbreaks[*outbreak].id, "csirt", &s.csirts[*csirt].id);
            let _ = write!(d, "work={work} remaining_s={}", remaining.as_secs());
            "coordination_handed_over"
        }
        LogEvent::MeetingHeld { outbreak, attended, missed } => {
            let _ = write!(e, "outbreak:{}", s.outbreaks[*outbreak].id);
            let ids = |list: &[CsirtId]| list.iter().map(|c| s.csirts[*c].id.as_str()).collect::<Vec<_>>().join(",");
            let _ = write!(d, "attended={} missed={}", ids(attended), ids(missed));
            "meeting_held"
        }
    }
}
impl EventSink for CsvEventSink {
    fn record(&mut self, entry: &LogEntry) {
        self.batch.push(entry.clone());
        if self.batch.len() == BATCH {
            self.hand_over();
        }
    }
}
