//! The tidy tables of a run (one observation per row), for pandas, R or a spreadsheet:
//! `incidents.csv`, `assets.csv`, `staff.csv` and `outbreaks.csv`. Times are seconds since T+0.

use super::csv_line::CsvRows;
use crate::engine::SimTime;
use crate::model::{IncidentRecord, IncidentSource, Outcome, UnknownIncident};
use crate::scenario::{CsirtId, IncidentType, Phase, Scenario, Severity, SopId, Target};
use crate::score::{StaffRow, phase_end};

fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    writer.into_inner().expect("writing to memory cannot fail")
}

/// The columns of `incidents.csv`.
pub(super) const INCIDENT_COLUMNS: [&str; 18] = [
    "incident",
    "known",
    "source",
    "type",
    "severity",
    "csirt",
    "sop",
    "targets",
    "occurred_s",
    "detected_s",
    "detected_by",
    "reported_s",
    "anonymous",
    "triage_started_s",
    "contained_s",
    "recovered_s",
    "closed_s",
    "queue_wait_s",
];

/// The targets' asset ids, space-separated, as one field.
fn targets_field(rows: &mut CsvRows, scenario: &Scenario, targets: &[Target]) {
    rows.field_with(|text| {
        for (k, t) in targets.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            text.push_str(&scenario.assets[t.asset].id);
        }
    });
}

/// The columns both kinds of row share: type, severity, CSIRT, SOP, targets.
fn what_and_whose(
    rows: &mut CsvRows,
    scenario: &Scenario,
    (incident_type, severity, csirt, sop): (IncidentType, Severity, CsirtId, SopId),
    targets: &[Target],
) {
    rows.plain(incident_type.as_str());
    rows.plain(severity.as_str());
    rows.field(&scenario.csirts[csirt].id);
    rows.field(&scenario.sops[sop].id);
    targets_field(rows, scenario, targets);
}

/// Appends the `incidents.csv` row of an incident its CSIRT learned of.
pub(super) fn known_incident_row(rows: &mut CsvRows, scenario: &Scenario, i: &IncidentRecord) {
    let time = |rows: &mut CsvRows, t: Option<SimTime>| match t {
        Some(t) => rows.number(t.as_secs()),
        None => rows.plain(""),
    };
    rows.number(i.number.number());
    rows.plain("true");
    match i.source {
        IncidentSource::Stream(s) => rows.field_with(|t| t.extend(["stream:", &scenario.streams[s].id])),
        IncidentSource::Inject(j) => rows.field_with(|t| t.extend(["inject:", &scenario.injects[j].id])),
        IncidentSource::Outbreak(j) => rows.field_with(|t| t.extend(["outbreak:", &scenario.outbreaks[j].id])),
        IncidentSource::Constituents(j) => rows.field_with(|t| t.extend(["constituents:", &scenario.outbreaks[j].id])),
    }
    what_and_whose(rows, scenario, (i.incident_type, i.severity, i.csirt, i.sop), &i.targets);
    rows.number(i.occurred.as_secs());
    rows.number(i.detected.as_secs());
    rows.plain(i.detected_by.as_str());
    rows.number(i.reported.as_secs());
    rows.plain(if i.anonymous { "true" } else { "false" });
    time(rows, i.steps.first().and_then(|s| s.started));
    time(rows, phase_end(scenario, i, Phase::Containment));
    time(rows, phase_end(scenario, i, Phase::Recovery));
    time(rows, i.closed);
    rows.number(i.queue_wait().as_secs());
    rows.end();
}

/// Appends the `incidents.csv` row of an incident no CSIRT learned of (ground truth).
pub(super) fn unknown_incident_row(rows: &mut CsvRows, scenario: &Scenario, u: &UnknownIncident) {
    let stream = &scenario.streams[u.stream];
    rows.number(u.number.number());
    rows.field("false");
    rows.field_with(|t| t.extend(["stream:", &stream.id]));
    what_and_whose(rows, scenario, (stream.incident_type, stream.severity, stream.csirt, stream.sop), &stream.targets);
    rows.number(u.occurred.as_secs());
    rows.number(u.detected.as_secs());
    rows.field("victim");
    for _ in 0..7 {
        rows.field("");
    }
    rows.end();
}

/// The header row of `incidents.csv`.
pub(super) fn incidents_header(rows: &mut CsvRows) {
    INCIDENT_COLUMNS.iter().for_each(|c| rows.field(c));
    rows.end();
}

/// One row per incident that happened, known to a CSIRT (by number) or not (by
/// number, after them), from records kept in the outcome. A run whose sink took
/// the records writes the same bytes as it goes ([`super::IncidentsCsvSink`]).
pub fn incidents_csv(scenario: &Scenario, outcome: &Outcome) -> Vec<u8> {
    let mut rows = CsvRows::default();
    incidents_header(&mut rows);
    for i in &outcome.incidents {
        known_incident_row(&mut rows, scenario, i);
    }
    for u in &outcome.unknown_incidents {
        unknown_incident_row(&mut rows, scenario, u);
    }
    rows.take().into_bytes()
}

/// Service level of every asset at T+0 and at each change (a step function).
pub fn assets_csv(scenario: &Scenario, outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["time_s", "asset", "sector", "criticality", "level"]).expect("memory");
    for (asset, state) in scenario.assets.iter().zip(&outcome.assets) {
        let sector = &scenario.sectors[asset.sector].id;
        for (t, level) in &state.history {
            let row = [
                t.as_secs().to_string(),
                asset.id.clone(),
                sector.clone(),
                asset.criticality.to_string(),
                format!("{level:.6}"),
            ];
            w.write_record(row).expect("memory");
        }
    }
    finish(w)
}

/// Per outbreak and nation, at the start and every change of the infected
/// counts: hosts infected, protected by a warning, and still exposed
/// (vulnerable, neither infected nor protected). Empty but for the header when
/// the scenario has no outbreak.
pub fn outbreaks_csv(scenario: &Scenario, outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["outbreak", "nation", "time_s", "infected", "protected", "exposed", "vulnerable"]).expect("memory");
    for (o, state) in scenario.outbreaks.iter().zip(&outcome.outbreaks) {
        for (k, p) in o.populations.iter().enumerate() {
            // Protection takes effect once, at protected_at, with the count it then got.
            let protected_at =
                |t: SimTime| if state.protected_at[k].is_some_and(|at| at <= t) { state.protected[k] } else { 0 };
            let mut times: Vec<(SimTime, u64)> = state.series.iter().map(|(t, infected)| (*t, infected[k])).collect();
            if let Some(at) = state.protected_at[k] {
                let infected = state.series.iter().take_while(|(t, _)| *t <= at).last().map_or(0, |(_, i)| i[k]);
                let at_pos = times.partition_point(|(t, _)| *t <= at);
                if !times.iter().any(|(t, _)| *t == at) {
                    times.insert(at_pos, (at, infected));
                }
            }
            for (t, infected) in times {
                let protected = protected_at(t);
                w.write_record([
                    o.id.clone(),
                    scenario.nations[p.nation].id.clone(),
                    t.as_secs().to_string(),
                    infected.to_string(),
                    protected.to_string(),
                    p.vulnerable.saturating_sub(infected + protected).to_string(),
                    p.vulnerable.to_string(),
                ])
                .expect("memory");
            }
        }
    }
    finish(w)
}

/// Every tracked relation's trust: its value at T+0, then after each change.
pub fn trust_csv(scenario: &Scenario, outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["relation", "kind", "time_s", "trust"]).expect("memory");
    for (relation, level) in &outcome.trust.levels {
        let label = scenario.relation_label(*relation);
        let rows = std::iter::once((SimTime::ZERO, level.start)).chain(level.changes.iter().copied());
        for (t, value) in rows {
            w.write_record([label.as_str(), relation.kind(), &t.as_secs().to_string(), &format!("{value:.4}")])
                .expect("memory");
        }
    }
    finish(w)
}

/// Analyst workload per team at each sample time.
pub fn staff_csv(rows: &[StaffRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["time_s", "csirt", "tier", "team", "headcount", "available", "busy", "queued", "utilisation"])
        .expect("memory");
    for r in rows {
        w.write_record([
            r.time_s.as_secs().to_string(),
            r.csirt.clone(),
            r.tier.to_string(),
            r.team.clone(),
            r.headcount.to_string(),
            r.available.to_string(),
            r.busy.to_string(),
            r.queued.to_string(),
            r.utilisation.map_or(String::new(), |u| format!("{u:.4}")),
        ])
        .expect("memory");
    }
    finish(w)
}
