//! Turns the raw scenario into a [`Scenario`], collecting every problem instead of
//! stopping at the first.

use super::raw::{RawDistribution, RawEffect, RawScenario};
use super::syntax_tree::Segment;
use super::validated::{Csirt, Effect, IncidentStream, Inject, Nation, Scenario, Sop, SopStep};
use crate::engine::{DurationDistribution, SimDuration, format_duration, parse_duration};
use crate::scenario::diagnostic::closest;
use std::collections::BTreeMap;

/// The scenario format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// A problem found by validation, located by its path in the scenario; the loader
/// turns the path into `line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Segment>,
    pub message: String,
}

/// Builds paths such as `csirts[2].analysts` without noise at every call site.
#[derive(Clone)]
struct Path(Vec<Segment>);

impl Path {
    fn root() -> Self {
        Path(Vec::new())
    }
    fn field(&self, name: &str) -> Self {
        let mut p = self.0.clone();
        p.push(Segment::Field(name.to_string()));
        Path(p)
    }
    fn index(&self, i: usize) -> Self {
        let mut p = self.0.clone();
        p.push(Segment::Index(i));
        Path(p)
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn report(&mut self, path: &Path, message: String) {
        self.problems.push(Problem {
            path: path.0.clone(),
            message,
        });
    }

    fn duration(&mut self, path: &Path, text: &str, what: &str) -> Option<SimDuration> {
        match parse_duration(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.report(path, format!("{e} ({what})"));
                None
            }
        }
    }

    fn id(&mut self, path: &Path, id: &str, kind: &str) {
        let valid = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            self.report(
                path,
                format!("invalid {kind} id \"{id}\": ids use lowercase letters, digits, '-' and '_', and start with a letter or digit"),
            );
        }
    }

    /// Index of every id, reporting duplicates and malformed ids.
    fn index_ids<'a>(
        &mut self,
        list: &Path,
        kind: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> BTreeMap<&'a str, usize> {
        let mut index = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            let path = list.index(i).field("id");
            self.id(&path, id, kind);
            if index.insert(id, i).is_some() {
                self.report(
                    &path,
                    format!("duplicate {kind} id \"{id}\": each {kind} needs its own id"),
                );
                index.insert(id, index[id].min(i));
            }
        }
        index
    }

    fn reference(
        &mut self,
        path: &Path,
        index: &BTreeMap<&str, usize>,
        kind: &str,
        wanted: &str,
        context: &str,
    ) -> Option<usize> {
        if let Some(i) = index.get(wanted) {
            return Some(*i);
        }
        let hint = match closest(wanted, index.keys().copied()) {
            Some(near) => format!("; did you mean \"{near}\"?"),
            None if index.is_empty() => format!("; the scenario declares no {kind}"),
            None => format!(
                "; expected one of: {}",
                index.keys().copied().collect::<Vec<_>>().join(", ")
            ),
        };
        self.report(
            path,
            format!("unknown {kind} \"{wanted}\" in {context}{hint}"),
        );
        None
    }
}

/// Validates `raw`, returning the typed scenario or every problem found.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let root = Path::root();

    if raw.version != FORMAT_VERSION {
        c.report(
            &root.field("version"),
            format!(
                "unsupported scenario version {}: this ttx reads version {FORMAT_VERSION}",
                raw.version
            ),
        );
    }
    if raw.name.trim().is_empty() {
        c.report(
            &root.field("name"),
            "the scenario name is empty; give it a short name".into(),
        );
    }
    let horizon = c.duration(&root.field("horizon"), &raw.horizon, "horizon");
    if horizon == Some(0) {
        c.report(
            &root.field("horizon"),
            "the horizon must be longer than 0s".into(),
        );
    }

    let nations = check_nations(&mut c, raw, &root);
    let nation_index = c.index_ids(
        &root.field("nations"),
        "nation",
        raw.nations.iter().map(|n| n.id.as_str()),
    );
    let csirt_index = c.index_ids(
        &root.field("csirts"),
        "CSIRT",
        raw.csirts.iter().map(|x| x.id.as_str()),
    );
    let sop_index = c.index_ids(
        &root.field("sops"),
        "SOP",
        raw.sops.iter().map(|s| s.id.as_str()),
    );
    c.index_ids(
        &root.field("streams"),
        "incident stream",
        raw.streams.iter().map(|s| s.id.as_str()),
    );
    c.index_ids(
        &root.field("injects"),
        "inject",
        raw.injects.iter().map(|s| s.id.as_str()),
    );

    let mut csirts = Vec::new();
    if raw.csirts.is_empty() {
        c.report(
            &root.field("csirts"),
            "the scenario declares no CSIRT; it needs at least one".into(),
        );
    }
    for (i, x) in raw.csirts.iter().enumerate() {
        let path = root.field("csirts").index(i);
        let context = format!("CSIRT \"{}\"", x.id);
        let nation = c.reference(
            &path.field("nation"),
            &nation_index,
            "nation",
            &x.nation,
            &context,
        );
        if x.analysts < 1 {
            c.report(
                &path.field("analysts"),
                format!(
                    "CSIRT \"{}\" needs at least 1 analyst, found {}",
                    x.id, x.analysts
                ),
            );
        }
        if let Some(nation) = nation {
            csirts.push(Csirt {
                id: x.id.clone(),
                name: if x.name.is_empty() {
                    x.id.clone()
                } else {
                    x.name.clone()
                },
                nation,
                kind: x.kind,
                analysts: u32::try_from(x.analysts.max(1)).unwrap_or(u32::MAX),
            });
        }
    }

    let sops = check_sops(&mut c, raw, &root);

    let mut streams = Vec::new();
    for (i, s) in raw.streams.iter().enumerate() {
        let path = root.field("streams").index(i);
        let context = format!("incident stream \"{}\"", s.id);
        let csirt = c.reference(
            &path.field("csirt"),
            &csirt_index,
            "CSIRT",
            &s.csirt,
            &context,
        );
        let sop = c.reference(&path.field("sop"), &sop_index, "SOP", &s.sop, &context);
        let rate = match parse_rate(&s.rate) {
            Ok(rate) => Some(rate),
            Err(message) => {
                c.report(
                    &path.field("rate"),
                    format!("{message} (rate of {context})"),
                );
                None
            }
        };
        if let Some(limit) = s.limit.filter(|l| *l < 1) {
            c.report(
                &path.field("limit"),
                format!("the limit of {context} must be at least 1, found {limit}"),
            );
        }
        if let (Some(csirt), Some(sop), Some(rate_per_s)) = (csirt, sop, rate) {
            streams.push(IncidentStream {
                id: s.id.clone(),
                incident_type: s.incident_type,
                csirt,
                sop,
                rate_per_s,
                limit: s.limit.map(|l| l.max(1) as u64),
            });
        }
    }

    let mut injects = Vec::new();
    for (i, inj) in raw.injects.iter().enumerate() {
        let path = root.field("injects").index(i);
        let context = format!("inject \"{}\"", inj.id);
        let at = c.duration(&path.field("at"), &inj.at, &format!("time of {context}"));
        if let (Some(at), Some(h)) = (at, horizon)
            && at > h
        {
            c.report(
                &path.field("at"),
                format!(
                    "{context} at {} is after the horizon {}, so it would never happen",
                    format_duration(at),
                    format_duration(h)
                ),
            );
        }
        let mut effects = Vec::new();
        for (j, effect) in inj.effects.iter().enumerate() {
            let epath = path.field("effects").index(j);
            match effect {
                RawEffect::Report {
                    incident_type,
                    csirt,
                    sop,
                } => {
                    let csirt = c.reference(
                        &epath.field("csirt"),
                        &csirt_index,
                        "CSIRT",
                        csirt,
                        &context,
                    );
                    let sop = c.reference(&epath.field("sop"), &sop_index, "SOP", sop, &context);
                    if let (Some(csirt), Some(sop)) = (csirt, sop) {
                        effects.push(Effect::Report {
                            incident_type: *incident_type,
                            csirt,
                            sop,
                        });
                    }
                }
                RawEffect::SetAnalysts { csirt, analysts } => {
                    let csirt = c.reference(
                        &epath.field("csirt"),
                        &csirt_index,
                        "CSIRT",
                        csirt,
                        &context,
                    );
                    if *analysts < 0 {
                        c.report(
                            &epath.field("analysts"),
                            format!("{context} sets a negative number of analysts ({analysts}); use 0 or more"),
                        );
                    }
                    if let Some(csirt) = csirt {
                        effects.push(Effect::SetAnalysts {
                            csirt,
                            analysts: u32::try_from((*analysts).max(0)).unwrap_or(u32::MAX),
                        });
                    }
                }
            }
        }
        if let Some(at) = at {
            injects.push(Inject {
                id: inj.id.clone(),
                at,
                text: inj.text.clone(),
                effects,
            });
        }
    }

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        horizon: horizon.unwrap_or_default(),
        seed: raw.seed,
        nations,
        csirts,
        sops,
        streams,
        injects,
    })
}

fn check_nations(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Nation> {
    if raw.nations.is_empty() {
        c.report(
            &root.field("nations"),
            "the scenario declares no nation; it needs at least one".into(),
        );
    }
    let mut nations = Vec::new();
    for (i, n) in raw.nations.iter().enumerate() {
        let path = root.field("nations").index(i);
        match parse_utc_offset(&n.utc_offset) {
            Some(utc_offset_s) => nations.push(Nation { id: n.id.clone(), name: n.name.clone(), utc_offset_s }),
            None => c.report(
                &path.field("utc_offset"),
                format!(
                    "malformed UTC offset \"{}\" for nation \"{}\": expected \"+HH:MM\" or \"-HH:MM\" between -12:00 and +14:00, e.g. \"+12:00\"",
                    n.utc_offset, n.id
                ),
            ),
        }
    }
    nations
}

fn check_sops(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Sop> {
    let mut sops = Vec::new();
    for (i, s) in raw.sops.iter().enumerate() {
        let path = root.field("sops").index(i);
        if s.steps.is_empty() {
            c.report(
                &path.field("steps"),
                format!("SOP \"{}\" has no steps; it needs at least one", s.id),
            );
        }
        let mut seen = BTreeMap::new();
        let mut steps = Vec::new();
        for (j, step) in s.steps.iter().enumerate() {
            let spath = path.field("steps").index(j);
            if seen.insert(step.name.as_str(), j).is_some() {
                c.report(
                    &spath.field("name"),
                    format!("duplicate step \"{}\" in SOP \"{}\": step names must be unique within a SOP", step.name, s.id),
                );
            }
            let context = format!("effort of step \"{}\" in SOP \"{}\"", step.name, s.id);
            if let Some(effort) =
                check_distribution(c, &spath.field("effort"), &step.effort, &context)
            {
                steps.push(SopStep {
                    name: step.name.clone(),
                    effort,
                });
            }
        }
        sops.push(Sop {
            id: s.id.clone(),
            description: s.description.clone(),
            steps,
        });
    }
    sops
}

fn check_distribution(
    c: &mut Checker,
    path: &Path,
    raw: &RawDistribution,
    context: &str,
) -> Option<DurationDistribution> {
    let mut d = |name: &str, text: &str| {
        // Fixed("45m") is a one-element sequence in the text: its value is index 0.
        let p = if name.is_empty() {
            path.index(0)
        } else {
            path.field(name)
        };
        c.duration(&p, text, context)
    };
    let built = match raw {
        RawDistribution::Fixed(v) => Ok(DurationDistribution::fixed(d("", v)?)),
        RawDistribution::Exponential { mean } => {
            DurationDistribution::exponential(d("mean", mean)?)
        }
        RawDistribution::Uniform { min, max } => {
            let (min, max) = (d("min", min), d("max", max));
            DurationDistribution::uniform(min?, max?)
        }
        RawDistribution::Triangular { min, mode, max } => {
            let (min, mode, max) = (d("min", min), d("mode", mode), d("max", max));
            DurationDistribution::triangular(min?, mode?, max?)
        }
        RawDistribution::LogNormal { mean, sd } => {
            let (mean, sd) = (d("mean", mean), d("sd", sd));
            DurationDistribution::log_normal(mean?, sd?)
        }
    };
    built
        .map_err(|e| c.report(path, format!("{e} ({context})")))
        .ok()
}

/// `"9/h"`, `"12/d"`, `"1/45m"`, `"0.5/h"`: incidents per duration, as reports per second.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let malformed = || {
        format!(
            "malformed rate \"{text}\": expected a number of incidents per duration, e.g. \"9/h\", \"12/d\", \"1/45m\""
        )
    };
    let (count, per) = text.split_once('/').ok_or_else(malformed)?;
    let count: f64 = count.trim().parse().map_err(|_| malformed())?;
    let per = per.trim();
    let per_s = if per.chars().all(|c| c.is_ascii_alphabetic()) {
        parse_duration(&format!("1{per}"))
    } else {
        parse_duration(per)
    }
    .map_err(|_| malformed())?;
    if !count.is_finite() || count <= 0.0 || per_s == 0 {
        return Err(format!(
            "rate \"{text}\" must be above 0 incidents per duration"
        ));
    }
    Ok(count / per_s as f64)
}

/// `"+12:00"`, `"-05:00"`, `"+05:45"` as seconds east of UTC.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = text[1..].split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let seconds = sign * (h * 3600 + m * 60);
    (m < 60 && (-12 * 3600..=14 * 3600).contains(&seconds)).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_in_people_units() {
        assert_eq!(parse_rate("9/h"), Ok(9.0 / 3600.0));
        assert_eq!(parse_rate("1/45m"), Ok(1.0 / 2700.0));
        assert_eq!(parse_rate("0.5/d"), Ok(0.5 / 86400.0));
        assert!(parse_rate("9 per hour").is_err());
        assert!(parse_rate("-1/h").is_err());
        assert!(parse_rate("0/h").is_err());
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(parse_utc_offset("+12:00"), Some(43_200));
        assert_eq!(parse_utc_offset("-05:00"), Some(-18_000));
        assert_eq!(parse_utc_offset("+05:45"), Some(20_700));
        assert_eq!(parse_utc_offset("+14:00"), Some(50_400));
        for bad in ["12:00", "+15:00", "+5:00", "+05:60", "", "-12:30"] {
            assert_eq!(parse_utc_offset(bad), None, "{bad}");
        }
    }
}
