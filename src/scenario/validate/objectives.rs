//! Exercise objectives and the weights of the overall score.

#[allow(unused_imports)]
use super::*;
use crate::scenario::raw::{RawMeasure, RawObjective, RawScoreWeights};
use crate::scenario::validated::{IncidentFilter, Measure, Objective, ScoreWeights};

pub(super) fn check_objectives(
    c: &mut Checker,
    root: &Path,
    raw: &[RawObjective],
    csirts: &BTreeMap<&str, usize>,
    assets: &BTreeMap<&str, usize>,
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
        let mut within = |text: &str| c.duration(&mpath.field("within"), text, &format!("time limit of {context}"));
        let measure = match &o.measure {
            RawMeasure::Reported { within: w } => within(w).map(|within| Measure::Reported { within }),
            RawMeasure::Warned { within: w } => within(w).map(|within| Measure::Warned { within }),
            RawMeasure::Triaged { within: w, csirt, severity }
            | RawMeasure::Contained { within: w, csirt, severity }
            | RawMeasure::Recovered { within: w, csirt, severity } => {
                let limit = within(w);
                let csirt = match csirt {
                    Some(id) => c.reference(&mpath.field("csirt"), csirts, "CSIRT", id, &context).map(Some),
                    None => Some(None),
                };
                match (limit, csirt) {
                    (Some(within), Some(csirt)) => {
                        let filter = IncidentFilter { csirt, severity: *severity };
                        Some(match &o.measure {
                            RawMeasure::Triaged { .. } => Measure::Triaged { within, filter },
                            RawMeasure::Contained { .. } => Measure::Contained { within, filter },
                            _ => Measure::Recovered { within, filter },
                        })
                    }
                    _ => None,
                }
            }
            RawMeasure::ServiceKept { asset, level } => {
                let asset = c.reference(&mpath.field("asset"), assets, "asset", asset, &context);
                if !(0.0..=1.0).contains(level) {
                    c.report(&mpath.field("level"), format!("the level in {context} must be 0 to 1, found {level}"));
                }
                asset.map(|asset| Measure::ServiceKept { asset, level: *level })
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
