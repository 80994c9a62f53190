//! Turns the raw scenario into a [`Scenario`], collecting every problem instead of
//! stopping at the first.

use super::ids::{AssetId, CsirtId, NationId, OutbreakId, SectorId, SopId, StreamId, VendorId};
use super::raw::{
    Day, RawAsset, RawCsirt, RawDecision, RawDistribution, RawEffect, RawOutbreak, RawProgramme, RawRelation,
    RawScenario, RawShift, RawTarget, RawVariant, Structure,
};
use super::syntax_tree::Segment;
use super::validated::{
    Asset, Channel, Choice, Coordination, CrisisLevel, Csirt, Decision, Dependency, Effect, IncidentStream, Inject,
    Nation, OnCall, Outbreak, Outreach, Population, Programme, ProgrammeEffect, Relation, Rules, Scenario,
    ScenarioVariant, Sector, Shift, Sop, SopStep, Target, Team, Vendor,
};
use crate::engine::calendar::{parse_clock, parse_utc_datetime};
use crate::engine::{DurationDistribution, SimDuration, format_duration, parse_duration};
use crate::scenario::diagnostic::closest;
use std::collections::BTreeMap;

mod effects;
mod infrastructure;
mod objectives;
mod organisations;
mod outbreaks;
mod procedures;
mod team_groups;
mod units;
mod variants;
use effects::*;
use infrastructure::*;
use objectives::*;
use organisations::*;
use outbreaks::*;
use procedures::*;
use team_groups::*;
pub use units::{RateError, parse_rate, parse_utc_offset};
use variants::*;

/// The scenario format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// The longest horizon: a million days (about 2,700 years). Far beyond any
/// exercise or planning study (validation runs with a stream limit use a few
/// hundred years as "until the limit"); it keeps every instant, local time and
/// calendar date of a run well inside 64-bit arithmetic.
pub const MAX_HORIZON: SimDuration = SimDuration::from_secs(1_000_000 * 86_400);

/// T+0 when a scenario gives no `start`: Monday 2026-01-05 00:00 UTC.
pub const DEFAULT_START_UTC_S: i64 = 1_767_571_200;

/// Highest analyst tier a team or step may have.
const MAX_TIER: i64 = 3;

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
    /// Valid but probably not meant: shown, never refused.
    warnings: Vec<Problem>,
}

impl Checker {
    fn report(&mut self, path: &Path, message: String) {
        self.problems.push(Problem { path: path.0.clone(), message });
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.warnings.push(Problem { path: path.0.clone(), message });
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
        let valid = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
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
                self.report(&path, format!("duplicate {kind} id \"{id}\": each {kind} needs its own id"));
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
            None => format!("; expected one of: {}", index.keys().copied().collect::<Vec<_>>().join(", ")),
        };
        self.report(path, format!("unknown {kind} \"{wanted}\" in {context}{hint}"));
        None
    }
}

/// Validates `raw`, returning the typed scenario or every problem found.
/// A valid scenario comes with its warnings (things that are valid but probably
/// a mistake, such as a region only one CSIRT belongs to).
pub fn validate(raw: &RawScenario) -> Result<(Scenario, Vec<Problem>), Vec<Problem>> {
    let mut c = Checker { problems: Vec::new(), warnings: Vec::new() };
    let root = Path::root();

    if raw.version != FORMAT_VERSION {
        c.report(
            &root.field("version"),
            format!("unsupported scenario version {}: this ttx reads version {FORMAT_VERSION}", raw.version),
        );
    }
    if raw.name.trim().is_empty() {
        c.report(&root.field("name"), "the scenario name is empty; give it a short name".into());
    }
    let horizon = c.duration(&root.field("horizon"), &raw.horizon, "horizon");
    if horizon.is_some_and(|h| h > MAX_HORIZON) {
        c.report(
            &root.field("horizon"),
            format!(
                "the horizon {} is longer than ttx plays (at most {}, about 2,700 years): local clocks and calendars would overflow",
                raw.horizon,
                format_duration(MAX_HORIZON)
            ),
        );
    }
    if horizon == Some(SimDuration::ZERO) {
        c.report(&root.field("horizon"), "the horizon must be longer than 0s".into());
    }

    let window = match &raw.window {
        None => horizon,
        Some(text) => {
            let window = c.duration(&root.field("window"), text, "exercise window");
            match (window, horizon) {
                (Some(SimDuration::ZERO), _) => {
                    c.report(&root.field("window"), "the exercise window must be longer than 0s".into());
                    None
                }
                (Some(w), Some(h)) if w > h => {
                    c.report(
                        &root.field("window"),
                        format!(
                            "the exercise window {} is longer than the horizon {}; scores cannot cover time that is not played",
                            format_duration(w),
                            format_duration(h)
                        ),
                    );
                    None
                }
                (w, _) => w,
            }
        }
    };

    let currency = raw.currency.clone().unwrap_or_default();
    if raw.currency.is_some()
        && (currency.trim().is_empty() || currency.len() > 8 || currency.contains(char::is_whitespace))
    {
        c.report(
            &root.field("currency"),
            format!("malformed currency \"{currency}\": expected a short code without spaces, e.g. \"USD\" or \"FJD\""),
        );
    }

    let start_utc_s = match &raw.start {
        None => DEFAULT_START_UTC_S,
        Some(text) => parse_utc_datetime(text).unwrap_or_else(|| {
            c.report(
                &root.field("start"),
                format!("malformed start \"{text}\": expected a UTC date and time, e.g. \"2026-03-02T08:00Z\""),
            );
            DEFAULT_START_UTC_S
        }),
    };
    let mut nations = check_nations(&mut c, raw, &root);
    let nation_index = c.index_ids(&root.field("nations"), "nation", raw.nations.iter().map(|n| n.id.as_str()));
    let csirt_index = c.index_ids(&root.field("csirts"), "CSIRT", raw.csirts.iter().map(|x| x.id.as_str()));
    let sop_index = c.index_ids(&root.field("sops"), "SOP", raw.sops.iter().map(|s| s.id.as_str()));
    let vendor_index = c.index_ids(&root.field("vendors"), "vendor", raw.vendors.iter().map(|v| v.id.as_str()));
    let vendors = check_vendors(&mut c, raw, &root);
    let stream_index =
        c.index_ids(&root.field("streams"), "incident stream", raw.streams.iter().map(|s| s.id.as_str()));
    c.index_ids(&root.field("injects"), "inject", raw.injects.iter().map(|s| s.id.as_str()));
    c.index_ids(&root.field("contingencies"), "contingency inject", raw.contingencies.iter().map(|s| s.id.as_str()));
    for (i, inj) in raw.contingencies.iter().enumerate() {
        if raw.injects.iter().any(|s| s.id == inj.id) {
            c.report(
                &root.field("contingencies").index(i).field("id"),
                format!("contingency inject \"{}\" has the id of a scheduled inject; ids must differ", inj.id),
            );
        }
    }

    let sector_index = c.index_ids(&root.field("sectors"), "sector", raw.sectors.iter().map(|s| s.id.as_str()));
    let asset_index = c.index_ids(&root.field("assets"), "asset", raw.assets.iter().map(|a| a.id.as_str()));
    let mut sectors = Vec::new();
    for (i, x) in raw.sectors.iter().enumerate() {
        let path = root.field("sectors").index(i);
        let context = format!("sector \"{}\"", x.id);
        if let Some(nation) = c.reference(&path.field("nation"), &nation_index, "nation", &x.nation, &context) {
            let name = if x.name.is_empty() { x.id.clone() } else { x.name.clone() };
            sectors.push(Sector { id: x.id.clone(), name, nation: NationId::new(nation), critical: x.critical });
        }
    }
    let assets: Vec<Option<Asset>> = raw
        .assets
        .iter()
        .enumerate()
        .map(|(i, x)| check_asset(&mut c, &root.field("assets").index(i), x, &sector_index, &asset_index))
        .collect();
    check_cycles(&mut c, &root, &assets);
    let target_index = TargetIndex::new(raw, &asset_index, &sector_index, &nation_index);
    let sops = check_sops(&mut c, raw, &root);
    if raw.csirts.is_empty() {
        c.report(&root.field("csirts"), "the scenario declares no CSIRT; it needs at least one".into());
    }
    let rules = check_rules(&mut c, &root.field("rules"), &raw.rules);
    let csirts: Vec<Option<Csirt>> = raw
        .csirts
        .iter()
        .enumerate()
        .map(|(i, x)| {
            check_csirt(&mut c, &root.field("csirts").index(i), x, [&nation_index, &sop_index, &asset_index], &rules)
        })
        .collect();

    let mut streams = Vec::new();
    for (i, s) in raw.streams.iter().enumerate() {
        let path = root.field("streams").index(i);
        let context = format!("incident stream \"{}\"", s.id);
        let csirt = c.reference(&path.field("csirt"), &csirt_index, "CSIRT", &s.csirt, &context);
        let sop = match &s.sop {
            Some(sop) => c.reference(&path.field("sop"), &sop_index, "SOP", sop, &context).map(SopId::new),
            None => csirt.and_then(|k| csirts[k].as_ref()).and_then(|k| {
                let sop = k.sop_for(s.incident_type);
                if sop.is_none() {
                    c.report(&path, no_sop(k, s.incident_type, &context));
                }
                sop
            }),
        };
        let rate = match parse_rate(&s.rate) {
            Ok(rate) => Some(rate),
            Err(message) => {
                c.report(&path.field("rate"), format!("{message} (rate of {context})"));
                None
            }
        };
        if let Some(limit) = s.limit.filter(|l| *l < 1) {
            c.report(&path.field("limit"), format!("the limit of {context} must be at least 1, found {limit}"));
        }
        if let (Some(csirt), Some(sop)) = (csirt, sop) {
            check_tiers(&mut c, &path, &csirts, &sops, csirt, sop, &context);
        }
        let targets = match &s.target {
            Some(t) => check_target(&mut c, &path.field("target"), t, &target_index, &context),
            None => Some(Vec::new()),
        };
        if let (Some(csirt), Some(sop), Some(rate_per_s), Some(targets)) = (csirt, sop, rate, targets) {
            streams.push(IncidentStream {
                detection: match &s.detection {
                    Some(d) => match check_detection(
                        &mut c,
                        &path.field("detection"),
                        d,
                        (&csirt_index, &csirts, Some(csirt)),
                        &context,
                    ) {
                        Some(d) => Some(d),
                        None => continue,
                    },
                    None => None,
                },
                targets,
                id: s.id.clone(),
                incident_type: s.incident_type,
                severity: s.severity,
                csirt: CsirtId::new(csirt),
                sop,
                rate_per_s,
                limit: s.limit.map(|l| l.max(1) as u64),
            });
        }
    }

    let mut injects = Vec::new();
    let mut decision_ids = BTreeMap::new();
    let coordination = check_coordination(&mut c, &root.field("coordination"), &raw.coordination, &csirt_index);
    let regions = region_members(&csirts);
    let level_names: Vec<Vec<&str>> =
        raw.nations.iter().map(|n| n.crisis_levels.iter().map(|l| l.name.as_str()).collect()).collect();
    let outbreak_index = c.index_ids(&root.field("outbreaks"), "outbreak", raw.outbreaks.iter().map(|o| o.id.as_str()));
    let takedowns: Vec<bool> = raw.outbreaks.iter().map(|o| o.takedown.is_some()).collect();
    let refs = Refs {
        outbreak_index: &outbreak_index,
        takedowns: &takedowns,
        crisis_levels: &level_names,
        in_crisis_level: false,
        csirt_index: &csirt_index,
        sop_index: &sop_index,
        targets: &target_index,
        vendor_index: &vendor_index,
        nation_index: &nation_index,
        nations: &nations,
        regions: &regions,
        coordination: coordination.as_ref(),
        csirts: &csirts,
        sops: &sops,
    };
    let scheduled = raw.injects.iter().enumerate().map(|(i, inj)| (root.field("injects").index(i), inj, false));
    let contingent =
        raw.contingencies.iter().enumerate().map(|(i, inj)| (root.field("contingencies").index(i), inj, true));
    for (path, inj, contingency) in scheduled.chain(contingent) {
        let context = format!("{} \"{}\"", if contingency { "contingency inject" } else { "inject" }, inj.id);
        let at = match (&inj.at, contingency) {
            (Some(_), true) => {
                c.report(
                    &path.field("at"),
                    format!("{context} is delivered when the facilitator chooses (ttx play): remove `at`, or move it to `injects`"),
                );
                None
            }
            (None, true) => Some(None),
            (None, false) => {
                c.report(&path, format!("{context} needs `at`: when it is delivered, e.g. at: \"1d6h\""));
                None
            }
            (Some(text), false) => c.duration(&path.field("at"), text, &format!("time of {context}")).map(Some),
        };
        if let (Some(Some(at)), Some(h)) = (at, horizon)
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
            effects.extend(check_effect(&mut c, &epath, effect, &refs, &context));
        }
        let decision =
            inj.decision.as_ref().map(|d| check_decision(&mut c, &path.field("decision"), d, &refs, &mut decision_ids));
        let mut to = Vec::new();
        for (j, id) in inj.to.iter().enumerate() {
            if let Some(k) = c.reference(&path.field("to").index(j), refs.csirt_index, "CSIRT", id, &context) {
                if to.contains(&CsirtId::new(k)) {
                    c.report(&path.field("to").index(j), format!("{context} names CSIRT \"{id}\" twice in `to`"));
                }
                to.push(CsirtId::new(k));
            }
        }
        if let Some(at) = at {
            injects.push(Inject {
                id: inj.id.clone(),
                at: at.map(SimDuration::after_start),
                text: inj.text.clone(),
                effects,
                decision: decision.flatten(),
                to,
                expect: inj.expect.clone(),
            });
        }
    }

    let outbreaks: Vec<Outbreak> = raw
        .outbreaks
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let path = root.field("outbreaks").index(i);
            check_outbreak(&mut c, &path, o, &nation_index, &target_index, &csirts, horizon)
        })
        .collect();

    let ids = ObjectiveIds {
        csirts: &csirt_index,
        assets: &asset_index,
        streams: &stream_index,
        sectors: &sector_index,
        nations: &nation_index,
    };
    let objectives = check_objectives(&mut c, &root, &raw.objectives, &ids);
    let team_groups = check_team_groups(&mut c, &root.field("team_groups"), &raw.team_groups, &csirt_index);
    let score_weights = check_score_weights(&mut c, &root.field("score_weights"), &raw.score_weights);
    let trust = check_trust_rules(&mut c, &root.field("trust"), &raw.trust);
    let media = check_media(&mut c, &root.field("media"), &raw.media);
    let crisis_levels: Vec<Vec<CrisisLevel>> = raw
        .nations
        .iter()
        .enumerate()
        .map(|(n, x)| {
            check_crisis_levels(&mut c, &root.field("nations").index(n), x, &Refs { in_crisis_level: true, ..refs })
        })
        .collect();
    for (nation, levels) in nations.iter_mut().zip(crisis_levels) {
        nation.crisis_levels = levels;
    }
    let variants = check_variants(&mut c, &root.field("variants"), &raw.variants);

    warn_lonely_regions(&mut c, raw, &root);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let scenario = Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        horizon: horizon.unwrap_or_default().after_start(),
        window: window.or(horizon).unwrap_or_default().after_start(),
        currency,
        start_utc_s,
        seed: raw.seed,
        nations,
        csirts: csirts.into_iter().flatten().collect(),
        sectors,
        assets: assets.into_iter().flatten().collect(),
        sops,
        streams,
        injects,
        outbreaks,
        coordination: coordination.expect("reported above when missing"),
        vendors,
        objectives,
        team_groups,
        score_weights,
        variants,
        trust,
        rules,
        media: media.unwrap_or(crate::scenario::Media {
            half_life: SimDuration::HOUR,
            public_outage: 0.0,
            leak: 0.0,
            statement_relief: 0.0,
        }),
        warnings: Vec::new(),
    };
    Ok((scenario, c.warnings))
}

/// Each region's member CSIRTs (valid ones), in scenario order.
fn region_members(csirts: &[Option<Csirt>]) -> BTreeMap<String, Vec<CsirtId>> {
    let mut members: BTreeMap<String, Vec<CsirtId>> = BTreeMap::new();
    for (k, csirt) in csirts.iter().enumerate() {
        for region in csirt.iter().flat_map(|c| &c.regions) {
            members.entry(region.clone()).or_default().push(CsirtId::new(k));
        }
    }
    members
}

/// Media pressure: a positive half-life, amounts of 0 or more.
fn check_media(c: &mut Checker, path: &Path, raw: &super::raw::RawMedia) -> Option<crate::scenario::Media> {
    let half_life = c.duration(&path.field("half_life"), &raw.half_life, "the half-life of media pressure");
    if half_life.is_some_and(|h| h.is_zero()) {
        c.report(&path.field("half_life"), "the half-life of media pressure must be longer than 0s".into());
    }
    let amounts =
        [("public_outage", raw.public_outage), ("leak", raw.leak), ("statement_relief", raw.statement_relief)];
    for (field, value) in amounts {
        if !(0.0..=1e6).contains(&value) {
            c.report(&path.field(field), format!("media `{field}` must be 0 or more (at most 1e6), found {value}"));
        }
    }
    let v = |x: f64| x.clamp(0.0, 1e6);
    Some(crate::scenario::Media {
        half_life: half_life.filter(|h| !h.is_zero())?,
        public_outage: v(raw.public_outage),
        leak: v(raw.leak),
        statement_relief: v(raw.statement_relief),
    })
}

/// A nation's crisis levels: unique names (not "normal"), thresholds of 0 or
/// more, a delay, and effects that do not themselves set a level.
fn check_crisis_levels(c: &mut Checker, path: &Path, nation: &super::raw::RawNation, refs: &Refs) -> Vec<CrisisLevel> {
    let mut levels = Vec::new();
    let mut seen = BTreeMap::new();
    for (k, l) in nation.crisis_levels.iter().enumerate() {
        let lpath = path.field("crisis_levels").index(k);
        let context = format!("crisis level \"{}\" of nation \"{}\"", l.name, nation.id);
        c.id(&lpath.field("name"), &l.name, "crisis level");
        if l.name == "normal" {
            c.report(
                &lpath.field("name"),
                format!(
                    "\"normal\" is the level below every crisis level of nation \"{}\"; name this one otherwise",
                    nation.id
                ),
            );
        }
        if seen.insert(l.name.as_str(), ()).is_some() {
            c.report(
                &lpath.field("name"),
                format!("nation \"{}\" has two crisis levels named \"{}\"", nation.id, l.name),
            );
        }
        for (field, value) in [("media_above", l.media_above), ("impact_above", l.impact_above)] {
            if let Some(v) = value.filter(|v| !(0.0..=1e9).contains(v)) {
                c.report(&lpath.field(field), format!("`{field}` of {context} must be 0 or more, found {v}"));
            }
        }
        if let Some(n) = l.sectors_hit.filter(|n| !(1..=100_000).contains(n)) {
            c.report(&lpath.field("sectors_hit"), format!("`sectors_hit` of {context} must be 1 or more, found {n}"));
        }
        let decision_delay = match &l.decision_delay {
            Some(t) => c.duration(&lpath.field("decision_delay"), t, &format!("decision delay of {context}")),
            None => Some(SimDuration::ZERO),
        };
        let effects = l
            .effects
            .iter()
            .enumerate()
            .filter_map(|(j, e)| check_effect(c, &lpath.field("effects").index(j), e, refs, &context))
            .collect();
        if let Some(decision_delay) = decision_delay {
            levels.push(CrisisLevel {
                name: l.name.clone(),
                media_above: l.media_above,
                sectors_hit: l.sectors_hit.map(|n| n.clamp(1, 100_000) as u32),
                impact_above: l.impact_above,
                decision_delay,
                mandatory_reporting: l.mandatory_reporting,
                authority: l.authority,
                effects,
            });
        }
    }
    levels
}

/// The judgement tables have one entry per maturity level 0 to 4; effort
/// factors are positive, rates and levels shares, the detection factor at
/// least 1 (without sensors a CSIRT notices no earlier than with them).
fn check_rules(c: &mut Checker, path: &Path, raw: &super::raw::RawRules) -> super::validated::Rules {
    let table = |c: &mut Checker, field: &str, values: &[f64], ok: fn(f64) -> bool, what: &str| -> [f64; 5] {
        let fpath = path.field(field);
        if values.len() != 5 {
            c.report(&fpath, format!("`{field}` needs 5 values, for maturity 0 to 4; found {}", values.len()));
            return [1.0; 5];
        }
        for (i, v) in values.iter().enumerate() {
            if !ok(*v) {
                c.report(&fpath.index(i), format!("`{field}` for maturity {i} must be {what}, found {v}"));
            }
        }
        std::array::from_fn(|i| values[i])
    };
    let effort_by_maturity =
        table(c, "effort_by_maturity", &raw.effort_by_maturity, |v| v.is_finite() && v > 0.0, "above 0");
    let rework_by_maturity =
        table(c, "rework_by_maturity", &raw.rework_by_maturity, |v| (0.0..=1.0).contains(&v), "0 to 1");
    for (field, value) in [
        ("mandated_compliance", raw.mandated_compliance),
        ("link_down_below", raw.link_down_below),
        ("office_down_below", raw.office_down_below),
    ] {
        check_share(c, &path.field(field), value, &format!("the rule `{field}`"));
    }
    // Below an hour a week nobody works a shift; above a week's hours, one
    // person would be on duty more than there is time.
    let hours_per_week = raw.hours_per_week;
    if !(hours_per_week.is_finite() && (1.0..=168.0).contains(&hours_per_week)) {
        c.report(
            &path.field("hours_per_week"),
            format!("the rule `hours_per_week` must be 1 to 168, found {hours_per_week}"),
        );
    }
    let min_rest =
        c.duration(&path.field("min_rest"), &raw.min_rest, "the rule `min_rest`").unwrap_or(SimDuration::ZERO);
    if !(raw.new_starter_effort.is_finite() && (1.0..=10.0).contains(&raw.new_starter_effort)) {
        c.report(
            &path.field("new_starter_effort"),
            format!("the rule `new_starter_effort` must be 1 to 10, found {}", raw.new_starter_effort),
        );
    }
    if !(raw.knowledge_levels.is_finite() && (0.0..=4.0).contains(&raw.knowledge_levels)) {
        c.report(
            &path.field("knowledge_levels"),
            format!("the rule `knowledge_levels` must be 0 to 4 (maturity levels), found {}", raw.knowledge_levels),
        );
    }
    if !(raw.unsensed_detection_factor.is_finite() && raw.unsensed_detection_factor >= 1.0) {
        c.report(
            &path.field("unsensed_detection_factor"),
            format!("the rule `unsensed_detection_factor` must be at least 1, found {}", raw.unsensed_detection_factor),
        );
    }
    super::validated::Rules {
        effort_by_maturity,
        rework_by_maturity,
        escalate_from: raw.escalate_from,
        mandated_compliance: raw.mandated_compliance.clamp(0.0, 1.0),
        unsensed_detection_factor: raw.unsensed_detection_factor.max(1.0),
        link_down_below: raw.link_down_below.clamp(0.0, 1.0),
        office_down_below: raw.office_down_below.clamp(0.0, 1.0),
        hours_per_week: if hours_per_week.is_finite() { hours_per_week.clamp(1.0, 168.0) } else { 40.0 },
        min_rest,
        new_starter_effort: if raw.new_starter_effort.is_finite() {
            raw.new_starter_effort.clamp(1.0, 10.0)
        } else {
            2.0
        },
        knowledge_levels: if raw.knowledge_levels.is_finite() { raw.knowledge_levels.clamp(0.0, 4.0) } else { 2.0 },
    }
}

/// Every rule's amount is a change on the 0-1 trust scale.
fn check_trust_rules(c: &mut Checker, path: &Path, raw: &super::raw::RawTrustRules) -> super::validated::TrustRules {
    let rules = [
        ("useful_warning", raw.useful_warning),
        ("tlp_breach", raw.tlp_breach),
        ("false_warning", raw.false_warning),
        ("enforcement", raw.enforcement),
        ("exercise", raw.exercise),
        ("statement", raw.statement),
        ("named_victim", raw.named_victim),
    ];
    for (field, value) in rules {
        check_share(c, &path.field(field), value, &format!("the trust rule `{field}`"));
    }
    let v = |x: f64| x.clamp(0.0, 1.0);
    super::validated::TrustRules {
        useful_warning: v(raw.useful_warning),
        tlp_breach: v(raw.tlp_breach),
        false_warning: v(raw.false_warning),
        enforcement: v(raw.enforcement),
        exercise: v(raw.exercise),
        statement: v(raw.statement),
        named_victim: v(raw.named_victim),
    }
}

/// A region only one CSIRT names changes nothing (regional trust is between
/// members), so it is most likely a misspelling of another CSIRT's region.
fn warn_lonely_regions(c: &mut Checker, raw: &RawScenario, root: &Path) {
    let mut members: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, csirt) in raw.csirts.iter().enumerate() {
        for (j, region) in csirt.regions.iter().enumerate() {
            members.entry(region.as_str()).or_default().push((i, j));
        }
    }
    for (region, m) in &members {
        let [(i, j)] = m.as_slice() else { continue };
        let others = members.keys().copied().filter(|r| r != region);
        let hint = match closest(region, others) {
            Some(near) => format!("; did you mean \"{near}\"?"),
            None => "; regional trust applies only between two or more members".to_string(),
        };
        c.warn(
            &root.field("csirts").index(*i).field("regions").index(*j),
            format!("region \"{region}\" has only one member, CSIRT \"{}\"{hint}", raw.csirts[*i].id),
        );
    }
}
