//! Strengths and areas for improvement, generated from the measurements by stated
//! rules (docs/scoring.md, "Findings"), each with the evidence that triggered it.

use crate::engine::format_duration;
use crate::score::{BusyStretch, Rating, RunSummary, WorkloadScores};

/// Utilisation at or above this share over consecutive intervals is a stall.
pub const SATURATED: f64 = 0.95;

#[derive(Debug, Clone, PartialEq)]
pub struct Improvement {
    pub area: String,
    pub observation: String,
    pub recommendation: String,
    /// Who should own the fix (a CSIRT id, or "exercise planners").
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Findings {
    pub strengths: Vec<String>,
    pub improvements: Vec<Improvement>,
}

pub fn findings(summary: &RunSummary, stretches: &[BusyStretch]) -> Findings {
    let mut f = Findings::default();
    for o in &summary.objectives {
        match o.rating {
            Rating::P => f.strengths.push(format!("Objective \"{}\" met: {}.", o.text, o.evidence)),
            Rating::S | Rating::M | Rating::U => f.improvements.push(Improvement {
                area: format!("Objective: {}", o.text),
                observation: format!("Rated {} ({}): {}.", o.rating.as_str(), o.rating.meaning(), o.evidence),
                recommendation: "Review the procedure and staffing behind this objective (see the analysis above)."
                    .into(),
                owner: "exercise planners".into(),
            }),
            Rating::NotApplicable | Rating::NotEnoughEvidence => {}
        }
    }
    for s in stretches {
        f.improvements.push(Improvement {
            area: format!("Workload at {}", s.csirt),
            observation: format!(
                "Tier-{} analysts of {} were above {:.0}% busy from T+{} to T+{}.",
                s.tier,
                s.csirt,
                SATURATED * 100.0,
                format_duration(s.from_s),
                format_duration(s.to_s)
            ),
            recommendation: format!(
                "Add tier-{} capacity for surges (regional responders, reservists, or an on-call rota).",
                s.tier
            ),
            owner: s.csirt.clone(),
        });
    }
    workload_findings(&summary.workload, &mut f);
    for c in &summary.csirts {
        if let Some(u) = c.utilisation.filter(|u| *u < 0.7)
            && c.incidents_reported > 0
            && stretches.iter().all(|s| s.csirt != c.id)
        {
            f.strengths.push(format!(
                "{} handled its {} incidents at {:.0}% utilisation, with room for more.",
                c.id,
                c.incidents_reported,
                u * 100.0
            ));
        }
    }
    let totals = &summary.incidents;
    if totals.unknown_to_csirts > 0 {
        f.improvements.push(Improvement {
            area: "Detection and reporting".into(),
            observation: format!(
                "{} of {} incidents never reached a CSIRT (not reported, not caught by feeds).",
                totals.unknown_to_csirts, totals.occurred
            ),
            recommendation:
                "Build constituents' trust and reporting channels, and feed coverage (intrusion detection).".into(),
            owner: "national CSIRT".into(),
        });
    } else if totals.occurred > 0 {
        f.strengths.push(format!("Every one of the {} incidents reached a CSIRT.", totals.occurred));
    }
    let coordination = &summary.coordination;
    for outbreak in &summary.outbreaks {
        for n in &outbreak.nations {
            if let (Some(w), Some(d)) = (n.warned_s, n.detected_s)
                && w > d
            {
                f.improvements.push(Improvement {
                    area: format!("Warning {}", n.nation),
                    observation: format!(
                        "{} was warned about {} {} after it noticed the outbreak itself.",
                        n.nation,
                        outbreak.id,
                        format_duration(w - d)
                    ),
                    recommendation: "Shorten the path to this partner: FIRST or regional membership, a call list ordered by exposure.".into(),
                    owner: "national CSIRT".into(),
                });
            }
        }
    }
    for outbreak in &summary.outbreaks {
        for a in &outbreak.assets_compromised {
            let warned = outbreak.nations.iter().find(|n| n.nation == a.nation).and_then(|n| n.warned_s);
            let first_to_notice = outbreak
                .nations
                .iter()
                .filter_map(|n| n.detected_s.map(|d| (d, &n.nation)))
                .min()
                .is_some_and(|(_, n)| *n == a.nation);
            if first_to_notice {
                continue;
            }
            let observation = match warned {
                Some(w) if w > a.time_s => format!(
                    "{} (in {}) was compromised by {} {} before its nation was warned.",
                    a.asset,
                    a.nation,
                    outbreak.id,
                    format_duration(w - a.time_s)
                ),
                None => format!(
                    "{} (in {}) was compromised by {}; its nation was never warned.",
                    a.asset, a.nation, outbreak.id
                ),
                Some(_) => continue,
            };
            f.improvements.push(Improvement {
                area: format!("Warning in time: {}", a.asset),
                observation,
                recommendation: "Warn earlier: detect sooner at the origin, call the most exposed partners first, label warnings so they can be passed on.".into(),
                owner: "national CSIRT".into(),
            });
        }
    }
    if coordination.calls_attempted > coordination.calls_completed {
        f.improvements.push(Improvement {
            area: "Reaching partners abroad".into(),
            observation: format!(
                "{} of {} warning calls abroad had no channel to carry them.",
                coordination.calls_attempted - coordination.calls_completed,
                coordination.calls_attempted
            ),
            recommendation: "Join FIRST or a regional body the partners belong to, or agree an intermediary.".into(),
            owner: "national CSIRT".into(),
        });
    }
    if coordination.tlp_violations > 0 {
        f.improvements.push(Improvement {
            area: "Information sharing".into(),
            observation: format!("{} warnings were passed on against their TLP label.", coordination.tlp_violations),
            recommendation: "Train staff on TLP 2.0; label warnings no stricter than their recipients need.".into(),
            owner: "national CSIRT".into(),
        });
    }
    if coordination.share_warned_before_hit.is_some_and(|s| s >= 0.999) {
        f.strengths.push(format!(
            "All {} parties at risk abroad were warned before the outbreak reached them.",
            coordination.at_risk
        ));
    }
    for a in summary.assets.iter().filter(|a| a.criticality >= 4 && a.service_hours_lost >= 1.0) {
        f.improvements.push(Improvement {
            area: format!("Resilience of {}", a.id),
            observation: format!(
                "{} (criticality {}) lost {:.1} service-hours, down to {:.0}% at worst.",
                a.id,
                a.criticality,
                a.service_hours_lost,
                a.min_level * 100.0
            ),
            recommendation: "Review its dependencies: buffers (generators, backup links) and recovery procedures."
                .into(),
            owner: format!("{} sector", a.sector),
        });
    }
    f
}

fn workload_findings(w: &WorkloadScores, f: &mut Findings) {
    if w.incidents_waiting_over_3h > 0 {
        f.improvements.push(Improvement {
            area: "Triage delays".into(),
            observation: format!("{} incidents waited more than 3 h for triage.", w.incidents_waiting_over_3h),
            recommendation: "Triage on arrival: a duty analyst or an on-call rota outside office hours.".into(),
            owner: "national CSIRT".into(),
        });
    } else if w.steps > 0 {
        f.strengths.push("No incident waited more than 3 h for triage.".into());
    }
    if w.steps_queued_off_shift > 0 {
        f.improvements.push(Improvement {
            area: "Shift coverage".into(),
            observation: format!(
                "{} of {} SOP steps arrived when nobody on shift could take them.",
                w.steps_queued_off_shift, w.steps
            ),
            recommendation: "Cover nights and weekends: on-call analysts, a partner team in another time zone.".into(),
            owner: "national CSIRT".into(),
        });
    }
}
