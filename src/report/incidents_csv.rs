//! `incidents.csv` written as the run goes, so that `ttx run` keeps no record of
//! a closed incident: memory follows the open work, not the length of the run.
//!
//! The rows must come out as [`super::incidents_csv`] writes them from kept
//! records: known incidents by number, then the unknown ones. Records arrive in
//! order of closing, so each waits in a reorder buffer until every incident
//! numbered before it that will be known has been written. The numbers to wait
//! for are read off the event stream: an incident's number is given when it
//! occurs (`incident_occurred`, with whether it will become known) or, when it is
//! reported as it happens, at its report. The buffer holds the incidents that
//! closed before an older one did (about a queue's worth on a desk that keeps
//! up); if an early incident stays open all run, it holds everything after it,
//! which is what keeping every record costs anyway.
//!
//! It also keeps the few records the report draws (the timeline's most severe
//! incidents, the key events' first severe ones), chosen exactly as the report
//! chooses them from all records.

use super::csv_line::CsvRows;
use super::tidy_csv::{incidents_header, known_incident_row, unknown_incident_row};
use crate::model::{EventSink, IncidentId, IncidentRecord, LogEntry, LogEvent, Outcome};
use crate::scenario::{Scenario, Severity};
use std::cmp::Reverse;
use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

/// Incidents the timeline chart draws: the most severe, then the first reported.
pub const TIMELINE_BARS: usize = 120;
/// Severe incidents the report's key events list, the first by number.
pub const KEY_SEVERE_INCIDENTS: usize = 20;

/// The records of a run the report needs, out of all of them.
#[derive(Debug, Default)]
pub struct ReportSelection {
    /// By (most severe first, number): the timeline's bars.
    most_severe: BTreeMap<(Reverse<Severity>, IncidentId), IncidentRecord>,
    /// High or critical, by number: the key events.
    first_severe: BTreeMap<IncidentId, IncidentRecord>,
}

impl ReportSelection {
    pub fn offer(&mut self, record: &IncidentRecord) {
        let key = (Reverse(record.severity), record.number);
        if self.most_severe.len() < TIMELINE_BARS || self.most_severe.last_key_value().is_some_and(|(k, _)| key < *k) {
            self.most_severe.insert(key, record.clone());
            if self.most_severe.len() > TIMELINE_BARS {
                self.most_severe.pop_last();
            }
        }
        if record.severity >= Severity::High
            && (self.first_severe.len() < KEY_SEVERE_INCIDENTS
                || self.first_severe.last_key_value().is_some_and(|(k, _)| record.number < *k))
        {
            self.first_severe.insert(record.number, record.clone());
            if self.first_severe.len() > KEY_SEVERE_INCIDENTS {
                self.first_severe.pop_last();
            }
        }
    }

    /// Every record either choice holds, by number: the report drawn from these
    /// is the report drawn from all records.
    pub fn into_records(self) -> Vec<IncidentRecord> {
        let mut by_number: BTreeMap<IncidentId, IncidentRecord> = self.first_severe;
        for ((_, number), record) in self.most_severe {
            by_number.entry(number).or_insert(record);
        }
        by_number.into_values().collect()
    }
}

/// Writes `incidents.csv` from the records handed to it; see the module doc.
pub struct IncidentsCsvSink {
    out: BufWriter<File>,
    scenario: Arc<Scenario>,
    error: Option<io::Error>,
    /// The row being formatted, reused.
    line: CsvRows,
    /// Numbers of incidents that will be known, in order, not yet written.
    awaited: VecDeque<IncidentId>,
    /// The newest number seen: a report with a newer one was numbered at its report.
    newest: Option<IncidentId>,
    /// Rows of records that came before an older awaited one.
    waiting: BTreeMap<IncidentId, String>,
    /// The most rows that ever waited: what this sink's memory grows with.
    most_waiting: usize,
    selection: ReportSelection,
}

impl IncidentsCsvSink {
    pub fn create(path: &Path, scenario: Arc<Scenario>) -> io::Result<Self> {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
        let mut line = CsvRows::default();
        incidents_header(&mut line);
        out.write_all(line.as_bytes())?;
        line.clear();
        Ok(Self {
            out,
            scenario,
            error: None,
            line,
            awaited: VecDeque::new(),
            newest: None,
            waiting: BTreeMap::new(),
            most_waiting: 0,
            selection: ReportSelection::default(),
        })
    }

    fn write(&mut self, row: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(row)
        {
            self.error = Some(e);
        }
    }

    /// Writes the rows that no longer wait for an older incident.
    fn flush_ready(&mut self) {
        while let Some(next) = self.awaited.front() {
            let Some(row) = self.waiting.remove(next) else { break };
            self.awaited.pop_front();
            self.write(row.as_bytes());
        }
    }

    /// Writes what is left (known incidents by number, skipping those that were
    /// still to be reported at the end: they are unknown within the run), then the
    /// unknown incidents, and hands back the records the report draws.
    pub fn finish(mut self, outcome: &Outcome) -> io::Result<(Vec<IncidentRecord>, usize)> {
        for (_, row) in std::mem::take(&mut self.waiting) {
            self.write(row.as_bytes());
        }
        for u in &outcome.unknown_incidents {
            let mut line = std::mem::take(&mut self.line);
            line.clear();
            unknown_incident_row(&mut line, &self.scenario, u);
            self.write(line.as_bytes());
            self.line = line;
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok((self.selection.into_records(), self.most_waiting))
    }
}

impl EventSink for IncidentsCsvSink {
    fn record(&mut self, entry: &LogEntry) {
        let (number, known) = match entry.event {
            LogEvent::IncidentOccurred { incident, known, .. } => (incident, known),
            LogEvent::IncidentReported { incident, .. } if self.newest.is_none_or(|n| incident > n) => (incident, true),
            _ => return,
        };
        self.newest = Some(number);
        if known {
            self.awaited.push_back(number);
        }
    }

    fn takes_records(&self) -> bool {
        true
    }

    fn archive(&mut self, record: &IncidentRecord) {
        self.selection.offer(record);
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        known_incident_row(&mut line, &self.scenario, record);
        if self.awaited.front() == Some(&record.number) {
            // The usual case: the oldest awaited incident; no copy kept.
            self.awaited.pop_front();
            self.write(line.as_bytes());
            self.line = line;
            self.flush_ready();
        } else {
            // A copy of its exact size: handing over the buffer would leave the
            // next row to regrow one (four reallocations a row, 6% of a run).
            self.waiting.insert(record.number, line.as_str().to_owned());
            self.most_waiting = self.most_waiting.max(self.waiting.len());
            self.line = line;
        }
    }
}
