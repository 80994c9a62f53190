//! Exercise objectives and the weights of the overall score.

#[allow(unused_imports)]
use super::*;
use crate::scenario::raw::{RawMeasure, RawObjective, RawScoreWeights};
use crate::scenario::validated::{DEFAULT_MIN_CASES, IncidentFilter, Measure, Objective, ScoreWeights};

/// The id indexes an objective's filters refer to.
pub(super) struct ObjectiveIds<'a> {
    pub csirts: &'a BTreeMap<&'a str, usize>,
    pub assets: &'a BTreeMap<&'a str, usize>,
    pub streams: &'a BTreeMap<&'a str, usize>,
    pub sectors: &'a BTreeMap<&'a str, usize>,
    pub nations: &'a BTreeMap<&'a str, usize>,
}

pub(super) fn check_objectives(
    c: &mut Checker,
    root: &Path,
    raw: &[RawObjective],
    ids: &ObjectiveIds,
) -> Vec<Objective> {
    c.index_ids(&root.field("objectives"), "objective", raw.iter().map(|o| o.id.as_str()));
    let mut objectives = Vec::new();
    for (i, o) in raw.iter().enumerate() {
        let path = root.field("objectives").index(i);
        let context = format!("objective \"{}\"", o.id);
        let mpath = path.field("measure");
        if !(o.target > 0.0 && o.target <= 1.0) {
            c.report(
                &path.field("target"),
                format!("the target of {context} must be above 0 and at most 1, found {}", o.target),
            );
        }
        if !(0.0 < o.major && o.major <= o.some && o.some <= 1.0) {
            c.report(
                &path.field("some"),
                format!(
                    "{context} needs 0 < major <= some <= 1 (shares of the target), found some {} and major {}",
                    o.some, o.major
                ),
            );
        }
        let within = match &o.measure {
            RawMeasure::ServiceKept { .. } => None,
            m => c.duration(&mpath.field("within"), m.within(), &format!("time limit of {context}")),
        };
        let measure = match &o.measure {
            RawMeasure::Warned { .. } => within.map(|within| Measure::Warned { within }),
            RawMeasure::Reported { csirt, severity, incident_type, stream, asset, sector, nation, .. }
            | RawMeasure::Triaged { csirt, severity, incident_type, stream, asset, sector, nation, .. }
            | RawMeasure::Contained { csirt, severity, incident_type, stream, asset, sector, nation, .. }
            | RawMeasure::Recovered { csirt, severity, incident_type, stream, asset, sector, nation, .. } => {
                let mut refer = |field: &str, index: &BTreeMap<&str, usize>, what: &str, id: &Option<String>| match id {
                    Some(id) => c.reference(&mpath.field(field), index, what, id, &context).map(Some),
                    None => Some(None),
                };
                // Every reference is checked (each bad one reported) before any is used.
                let refs = (
                    refer("csirt", ids.csirts, "CSIRT", csirt),
                    refer("stream", ids.streams, "incident stream", stream),
                    refer("asset", ids.assets, "asset", asset),
                    refer("sector", ids.sectors, "sector", sector),
                    refer("nation", ids.nations, "nation", nation),
                );
                let filter = match refs {
                    (Some(csirt), Some(stream), Some(asset), Some(sector), Some(nation)) => Some(IncidentFilter {
                        csirt: csirt.map(CsirtId::new),
                        severity: *severity,
                        incident_type: *incident_type,
                        stream: stream.map(StreamId::new),
                        asset: asset.map(AssetId::new),
                        sector: sector.map(SectorId::new),
                        nation: nation.map(NationId::new),
                    }),
                    _ => None,
                };
                match (within, filter) {
                    (Some(within), Some(filter)) => Some(match &o.measure {
                        RawMeasure::Reported { .. } => Measure::Reported { within, filter },
                        RawMeasure::Triaged { .. } => Measure::Triaged { within, filter },
                        RawMeasure::Contained { .. } => Measure::Contained { within, filter },
                        _ => Measure::Recovered { within, filter },
                    }),
                    _ => None,
                }
            }
            RawMeasure::ServiceKept { asset, level } => {
                let asset = c.reference(&mpath.field("asset"), ids.assets, "asset", asset, &context);
                if !(0.0..=1.0).contains(level) {
                    c.report(&mpath.field("level"), format!("the level in {context} must be 0 to 1, found {level}"));
                }
                asset.map(|asset| Measure::ServiceKept { asset: AssetId::new(asset), level: *level })
            }
        };
        let min_cases = match o.min_cases {
            None => DEFAULT_MIN_CASES,
            Some(n) if n >= 1 => n as usize,
            Some(n) => {
                c.report(
                    &path.field("min_cases"),
                    format!("{context} needs min_cases of 1 or more (cases a rating needs), found {n}"),
                );
                DEFAULT_MIN_CASES
            }
        };
        if let Some(measure) = measure {
            objectives.push(Objective {
                id: o.id.clone(),
                text: if o.text.is_empty() { o.id.clone() } else { o.text.clone() },
                measure,
                target: o.target,
                some: o.some,
                major: o.major,
                min_cases,
            });
        }
    }
    objectives
}

pub(super) fn check_score_weights(c: &mut Checker, path: &Path, w: &RawScoreWeights) -> ScoreWeights {
    let fields = [
        ("objectives", w.objectives),
        ("detection", w.detection),
        ("response", w.response),
        ("impact", w.impact),
        ("coordination", w.coordination),
        ("workload", w.workload),
    ];
    for (field, value) in fields {
        if !(value.is_finite() && value >= 0.0) {
            c.report(
                &path.field(field),
                format!("the weight of {field} in the overall score must be 0 or more, found {value}"),
            );
        }
    }
    if fields.iter().all(|(_, v)| *v <= 0.0) {
        c.report(path, "every weight of the overall score is 0; give at least one a positive weight".into());
    }
    ScoreWeights {
        objectives: w.objectives.max(0.0),
        detection: w.detection.max(0.0),
        response: w.response.max(0.0),
        impact: w.impact.max(0.0),
        coordination: w.coordination.max(0.0),
        workload: w.workload.max(0.0),
    }
}
