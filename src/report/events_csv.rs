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
        Ok(Self {
            writer,
            scenario,
            error: None,
        })
    }

    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e.into());
        }
        self.writer.flush()?;
        self.writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .get_ref()
            .sync_all()
    }

    fn describe(&self, event: &LogEvent) -> (&'static str, String, String) {
        let s = &self.scenario;
        let step_name = |sop: usize, step: usize| &s.sops[sop].steps[step].name;
        match event {
            LogEvent::InjectDelivered { inject } => (
                "inject_delivered",
                format!("inject:{}", s.injects[*inject].id),
                s.injects[*inject].text.clone(),
            ),
            LogEvent::IncidentReported {
                incident,
                incident_type,
                csirt,
                source,
            } => (
                "incident_reported",
                format!("incident:{incident} csirt:{}", s.csirts[*csirt].id),
                format!(
                    "type={} source={}",
                    incident_type.as_str(),
                    match source {
                        IncidentSource::Stream(i) => format!("stream:{}", s.streams[*i].id),
                        IncidentSource::Inject(i) => format!("inject:{}", s.injects[*i].id),
                    }
                ),
            ),
            LogEvent::StepStarted {
                incident,
                csirt,
                sop,
                step,
                waited,
            } => (
                "step_started",
                format!("incident:{incident} csirt:{}", s.csirts[*csirt].id),
                format!(
                    "sop={} step={} waited_s={waited}",
                    s.sops[*sop].id,
                    step_name(*sop, *step)
                ),
            ),
            LogEvent::StepFinished {
                incident,
                csirt,
                sop,
                step,
                effort,
            } => (
                "step_finished",
                format!("incident:{incident} csirt:{}", s.csirts[*csirt].id),
                format!(
                    "sop={} step={} effort_s={effort}",
                    s.sops[*sop].id,
                    step_name(*sop, *step)
                ),
            ),
            LogEvent::IncidentClosed {
                incident,
                csirt,
                time_in_system,
            } => (
                "incident_closed",
                format!("incident:{incident} csirt:{}", s.csirts[*csirt].id),
                format!("time_in_system_s={time_in_system}"),
            ),
            LogEvent::StaffChanged { csirt, from, to } => (
                "staff_changed",
                format!("csirt:{}", s.csirts[*csirt].id),
                format!("analysts_from={from} analysts_to={to}"),
            ),
        }
    }
}

impl EventSink for CsvEventSink {
    fn record(&mut self, entry: LogEntry) {
        if self.error.is_some() {
            return;
        }
        let (event, entities, details) = self.describe(&entry.event);
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
