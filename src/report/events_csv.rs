//! `events.csv`: one row per happening, written as the run goes.

use crate::model::{EventSink, IncidentSource, LogEntry, LogEvent};
use crate::scenario::Scenario;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

/// Streams log rows to a CSV file with the columns
/// `time,sequence,event,entities,details`. Rows are written as they come, so
/// memory does not grow with the run; the first write error is kept and
/// returned by [`CsvEventSink::finish`].
pub struct CsvEventSink {
    writer: csv::Writer<BufWriter<File>>,
    scenario: Arc<Scenario>,
    error: Option<csv::Error>,
}

impl CsvEventSink {
    pub fn create(path: &Path, scenario: Arc<Scenario>) -> io::Result<Self> {
        let file = File::create(path)?;
        let mut writer = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        writer.write_record(["time", "sequence", "event", "entities", "details"])?;
        Ok(Self { writer, scenario, error: None })
    }

    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e.into());
        }
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error())?.get_ref().sync_all()
    }
}

/// An event as (kind, entities, details): the columns of events.csv, and the
/// console's message lines.
fn source_text(s: &Scenario, source: &IncidentSource) -> String {
    match source {
        IncidentSource::Stream(i) => format!("stream:{}", s.streams[*i].id),
        IncidentSource::Inject(i) => format!("inject:{}", s.injects[*i].id),
        IncidentSource::Outbreak(i) => format!("outbreak:{}", s.outbreaks[*i].id),
    }
}

pub fn describe_event(s: &Scenario, event: &LogEvent) -> (&'static str, String, String) {
    {
        let step_name = |sop: usize, step: usize| &s.sops[sop].steps[step].name;
        let at = |incident: &u64, csirt: &usize| format!("incident:{incident} csirt:{}", s.csirts[*csirt].id);
        let step = |sop: &usize, step: &usize| format!("sop={} step={}", s.sops[*sop].id, step_name(*sop, *step));
        match event {
            LogEvent::InjectDelivered { inject } => {
                ("inject_delivered", format!("inject:{}", s.injects[*inject].id), s.injects[*inject].text.clone())
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
                let targets: Vec<&str> = targets.iter().map(|t| s.assets[t.asset].id.as_str()).collect();
                (
                    "incident_occurred",
                    at(incident, csirt),
                    format!(
                        "type={} severity={} source={} detected_s={detected} detected_by={} known={known} targets={}",
                        incident_type.as_str(),
                        severity.as_str(),
                        source_text(s, source),
                        detected_by.as_str(),
                        targets.join("+")
                    ),
                )
            }
            LogEvent::IncidentReported {
                incident,
                incident_type,
                severity,
                csirt,
                source,
                sop,
                anonymous,
                targets,
            } => {
                let mut details = format!(
                    "type={} severity={} source={} sop={} anonymous={anonymous}",
                    incident_type.as_str(),
                    severity.as_str(),
                    source_text(s, source),
                    s.sops[*sop].id
                );
                if !targets.is_empty() {
                    let ids: Vec<&str> = targets.iter().map(|t| s.assets[t.asset].id.as_str()).collect();
                    details.push_str(&format!(" targets={}", ids.join("+")));
                }
                ("incident_reported", at(incident, csirt), details)
            }
            LogEvent::StepQueued { incident, csirt, sop, step: k, tier, off_shift } => {
                ("step_queued", at(incident, csirt), format!("{} tier={tier} off_shift={off_shift}", step(sop, k)))
            }
            LogEvent::StepSkipped { incident, csirt, sop, step: k } => {
                ("step_skipped", at(incident, csirt), format!("{} left to the victim", step(sop, k)))
            }
            LogEvent::StepStarted { incident, csirt, sop, step: k, tier, waited, callout } => (
                "step_started",
                at(incident, csirt),
                format!("{} tier={tier} waited_s={waited} callout_s={callout}", step(sop, k)),
            ),
            LogEvent::StepFinished { incident, csirt, sop, step: k, effort } => {
                ("step_finished", at(incident, csirt), format!("{} effort_s={effort}", step(sop, k)))
            }
            LogEvent::StepHandedOver { incident, csirt, sop, step: k, remaining } => {
                ("step_handed_over", at(incident, csirt), format!("{} remaining_s={remaining}", step(sop, k)))
            }
            LogEvent::StepRedone { incident, csirt, sop, step: k, effort } => {
                ("step_redone", at(incident, csirt), format!("{} effort_s={effort}", step(sop, k)))
            }
            LogEvent::IncidentClosed { incident, csirt, time_in_system } => {
                ("incident_closed", at(incident, csirt), format!("time_in_system_s={time_in_system}"))
            }
            LogEvent::StaffChanged { csirt, tier, from, to } => (
                "staff_changed",
                format!("csirt:{}", s.csirts[*csirt].id),
                format!("tier={tier} analysts_from={from} analysts_to={to}"),
            ),
            LogEvent::DecisionTaken { inject, option, by_default } => {
                let decision = s.injects[*inject].decision.as_ref().expect("decision events come from decisions");
                (
                    "decision_taken",
                    format!("decision:{}", decision.id),
                    format!("option={} by_default={by_default}", decision.options[*option].id),
                )
            }
            LogEvent::OutbreakDetected { outbreak, nation } => (
                "outbreak_detected",
                format!("outbreak:{} nation:{}", s.outbreaks[*outbreak].id, s.nations[*nation].id),
                String::new(),
            ),
            LogEvent::WarningSent { outbreak, from, to, arrives } => (
                "warning_sent",
                format!("outbreak:{} from:{} to:{}", s.outbreaks[*outbreak].id, s.csirts[*from].id, s.csirts[*to].id),
                format!("arrives_s={arrives}"),
            ),
            LogEvent::WarningUnreachable { outbreak, from, to } => (
                "warning_unreachable",
                format!("outbreak:{} from:{} to:{}", s.outbreaks[*outbreak].id, s.csirts[*from].id, s.csirts[*to].id),
                "no FIRST or regional channel and no indirect route".to_string(),
            ),
            LogEvent::WarningReceived { outbreak, csirt, infected_share } => (
                "warning_received",
                format!("outbreak:{} csirt:{}", s.outbreaks[*outbreak].id, s.csirts[*csirt].id),
                format!("infected_share={infected_share:.6}"),
            ),
            LogEvent::Takedown { outbreak, factor } => {
                ("takedown", format!("outbreak:{}", s.outbreaks[*outbreak].id), format!("k_factor={factor}"))
            }
            LogEvent::WarningForwarded { outbreak, csirt, tlp, violation } => (
                "warning_forwarded",
                format!("outbreak:{} csirt:{}", s.outbreaks[*outbreak].id, s.csirts[*csirt].id),
                format!("tlp={} violation={violation}", tlp.as_str()),
            ),
            LogEvent::WarningHeld { outbreak, csirt, tlp } => (
                "warning_held",
                format!("outbreak:{} csirt:{}", s.outbreaks[*outbreak].id, s.csirts[*csirt].id),
                format!("tlp={}", tlp.as_str()),
            ),
            LogEvent::AssetCompromised { outbreak, asset } => (
                "asset_compromised",
                format!("outbreak:{} asset:{}", s.outbreaks[*outbreak].id, s.assets[*asset].id),
                String::new(),
            ),
            LogEvent::WarningDoubted { outbreak, csirt } => (
                "warning_doubted",
                format!("outbreak:{} csirt:{}", s.outbreaks[*outbreak].id, s.csirts[*csirt].id),
                "not acted upon: the channel's trust".to_string(),
            ),
            LogEvent::TakedownReferred { outbreak, acts } => (
                "takedown_referred",
                format!(
                    "outbreak:{} nation:{}",
                    s.outbreaks[*outbreak].id, s.nations[s.outbreaks[*outbreak].origin].id
                ),
                format!("law_enforcement_acts={acts}"),
            ),
            LogEvent::VendorContacted { csirt, vendor, engaged, patch_at } => (
                "vendor_contacted",
                format!("csirt:{} vendor:{}", s.csirts[*csirt].id, s.vendors[*vendor].id),
                format!("engaged={engaged} patch_at_s={patch_at}"),
            ),
            LogEvent::ServiceLevelChanged { asset, from, to } => (
                "service_level_changed",
                format!("asset:{}", s.assets[*asset].id),
                format!("level_from={from:.4} level_to={to:.4}"),
            ),
            LogEvent::ShiftChanged { csirt, tier, on_duty } => {
                ("shift_changed", format!("csirt:{}", s.csirts[*csirt].id), format!("tier={tier} on_duty={on_duty}"))
            }
        }
    }
}

impl EventSink for CsvEventSink {
    fn record(&mut self, entry: LogEntry) {
        if self.error.is_some() {
            return;
        }
        let (event, entities, details) = describe_event(&self.scenario, &entry.event);
        let result = self.writer.write_record([
            entry.time.to_string().as_str(),
            entry.sequence.to_string().as_str(),
            event,
            &entities,
            &details,
        ]);
        if let Err(e) = result {
            self.error = Some(e);
        }
    }
}
