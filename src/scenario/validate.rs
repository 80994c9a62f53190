//! Turns the raw scenario into a [`Scenario`], collecting every problem instead of
//! stopping at the first.

use super::raw::{
    RawAsset, RawCsirt, RawDecision, RawDistribution, RawEffect, RawOutbreak, RawScenario, RawShift, RawTarget,
    Structure,
};
use super::syntax_tree::Segment;
use super::validated::{
    Asset, Choice, Coordination, Csirt, Decision, Dependency, Effect, IncidentStream, Inject, Nation, Outbreak,
    Population, Scenario, Sector, Shift, Sop, SopStep, Target, Team,
};
use crate::engine::calendar::{parse_clock, parse_utc_datetime};
use crate::engine::{DurationDistribution, SimDuration, format_duration, parse_duration};
use crate::scenario::diagnostic::closest;
use std::collections::BTreeMap;

/// The scenario format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// T+0 when a scenario gives no `start`: Monday 2026-01-05 00:00 UTC.
pub const DEFAULT_START_UTC_S: i64 = 1_767_571_200;

/// Highest analyst tier a team or step may have.
const MAX_TIER: i64 = 3;

fn clamp_count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn no_sop(csirt: &Csirt, incident_type: super::IncidentType, context: &str) -> String {
    format!(
        "{context} names no SOP and CSIRT \"{}\" has none for {incident_type:?} incidents; give the stream a `sop`, or the CSIRT a `sop` or `sops_by_type`",
        csirt.id
    )
}

/// The team of `tier` in CSIRT `k`, reporting its absence.
fn team_of(
    c: &mut Checker,
    path: &Path,
    csirts: &[Option<Csirt>],
    k: usize,
    tier: i64,
    context: &str,
) -> Option<usize> {
    let csirt = csirts[k].as_ref()?;
    let team = u8::try_from(tier).ok().and_then(|t| csirt.team_index(t));
    if team.is_none() {
        c.report(
            &path.field("tier"),
            format!("{context} names tier {tier}, but CSIRT \"{}\" has no tier-{tier} team", csirt.id),
        );
    }
    team
}

/// In a tiered CSIRT every step must have a team of at least its tier.
fn check_tiers(
    c: &mut Checker,
    path: &Path,
    csirts: &[Option<Csirt>],
    sops: &[Sop],
    k: usize,
    sop: usize,
    context: &str,
) {
    let (Some(csirt), Some(sop)) = (csirts[k].as_ref(), sops.get(sop)) else {
        return;
    };
    if csirt.structure != Structure::Tiered {
        return;
    }
    let top = csirt.teams.iter().map(|t| t.tier).max().unwrap_or(0);
    if let Some(step) = sop.steps.iter().find(|s| s.tier > top) {
        c.report(
            path,
            format!(
                "{context}: step \"{}\" of SOP \"{}\" needs a tier-{} analyst, but tiered CSIRT \"{}\" has no team of that tier or above",
                step.name, sop.id, step.tier, csirt.id
            ),
        );
    }
}

/// A service level an incident or outage leaves an asset at: 0 (down) to below 1.
fn check_level(c: &mut Checker, path: &Path, level: f64, context: &str) {
    if !(0.0..1.0).contains(&level) {
        c.report(path, format!("the service level in {context} must be at least 0 and below 1, found {level}"));
    }
}

/// `Some(Some(target))` when valid, `None` when a problem was reported.
fn check_target(
    c: &mut Checker,
    path: &Path,
    t: &RawTarget,
    assets: &BTreeMap<&str, usize>,
    context: &str,
) -> Option<Option<Target>> {
    let asset = c.reference(&path.field("asset"), assets, "asset", &t.asset, context);
    check_level(c, &path.field("level"), t.level, context);
    let level_ok = (0.0..1.0).contains(&t.level);
    asset.filter(|_| level_ok).map(|asset| Some(Target { asset, level: t.level }))
}

fn check_asset(
    c: &mut Checker,
    path: &Path,
    x: &RawAsset,
    sectors: &BTreeMap<&str, usize>,
    assets: &BTreeMap<&str, usize>,
) -> Option<Asset> {
    let context = format!("asset \"{}\"", x.id);
    let sector = c.reference(&path.field("sector"), sectors, "sector", &x.sector, &context);
    if !(1..=5).contains(&x.criticality) {
        c.report(
            &path.field("criticality"),
            format!("the criticality of {context} must be 1 to 5, found {}", x.criticality),
        );
    }
    if !(x.cost_per_hour.is_finite() && x.cost_per_hour >= 0.0) {
        c.report(
            &path.field("cost_per_hour"),
            format!("the cost per hour of {context} must be 0 or more, found {}", x.cost_per_hour),
        );
    }
    let mut depends_on = Vec::new();
    let mut total_weight = 0.0;
    for (j, d) in x.depends_on.iter().enumerate() {
        let dpath = path.field("depends_on").index(j);
        let provider = c.reference(&dpath.field("asset"), assets, "asset", &d.asset, &context);
        if d.asset == x.id {
            c.report(&dpath.field("asset"), format!("{context} depends on itself"));
        }
        if !(d.weight > 0.0 && d.weight <= 1.0) {
            c.report(
                &dpath.field("weight"),
                format!("a dependency weight must be above 0 and at most 1; {context} has {}", d.weight),
            );
        }
        total_weight += d.weight;
        let duration = |c: &mut Checker, field: &str, text: &Option<String>| match text {
            Some(text) => c.duration(&dpath.field(field), text, &format!("{field} of a dependency of {context}")),
            None => Some(0),
        };
        let (buffer, recovery_delay) =
            (duration(c, "buffer", &d.buffer), duration(c, "recovery_delay", &d.recovery_delay));
        if let (Some(asset), Some(buffer), Some(recovery_delay)) = (provider, buffer, recovery_delay) {
            depends_on.push(Dependency { asset, weight: d.weight, buffer, recovery_delay });
        }
    }
    if total_weight > 1.0 + 1e-9 {
        c.report(
            &path.field("depends_on"),
            format!(
                "the dependency weights of {context} add up to {}; at most 1 (the share of its service that needs providers)",
                (total_weight * 1e9).round() / 1e9
            ),
        );
    }
    Some(Asset {
        id: x.id.clone(),
        name: if x.name.is_empty() { x.id.clone() } else { x.name.clone() },
        sector: sector?,
        criticality: x.criticality.clamp(1, 5) as u8,
        cost_per_hour: x.cost_per_hour,
        depends_on,
    })
}

/// Reports each dependency cycle once, naming its assets in order.
fn check_cycles(c: &mut Checker, root: &Path, assets: &[Option<Asset>]) {
    // 0 unvisited, 1 on the current path, 2 done
    let mut state = vec![0u8; assets.len()];
    fn visit(
        i: usize,
        assets: &[Option<Asset>],
        state: &mut [u8],
        path: &mut Vec<usize>,
        cycles: &mut Vec<Vec<usize>>,
    ) {
        state[i] = 1;
        path.push(i);
        for d in assets[i].iter().flat_map(|a| &a.depends_on) {
            match state[d.asset] {
                0 => visit(d.asset, assets, state, path, cycles),
                1 => {
                    let from = path.iter().position(|p| *p == d.asset).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                }
                _ => {}
            }
        }
        path.pop();
        state[i] = 2;
    }
    let mut cycles = Vec::new();
    for i in 0..assets.len() {
        if state[i] == 0 {
            visit(i, assets, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    for cycle in cycles {
        let names: Vec<&str> = cycle.iter().filter_map(|i| assets[*i].as_ref().map(|a| a.id.as_str())).collect();
        let first = names.first().copied().unwrap_or_default();
        c.report(
            &root.field("assets").index(cycle[0]).field("depends_on"),
            format!("dependency cycle: {} -> {first}; dependencies must not loop", names.join(" -> ")),
        );
    }
}

fn check_csirt(
    c: &mut Checker,
    path: &Path,
    x: &RawCsirt,
    nations: &BTreeMap<&str, usize>,
    sops: &BTreeMap<&str, usize>,
) -> Option<Csirt> {
    let context = format!("CSIRT \"{}\"", x.id);
    let nation = c.reference(&path.field("nation"), nations, "nation", &x.nation, &context);
    let teams = match (x.analysts, x.teams.is_empty()) {
        (Some(n), true) => {
            if n < 1 {
                c.report(&path.field("analysts"), format!("{context} needs at least 1 analyst, found {n}"));
            }
            vec![Team { tier: 1, analysts: clamp_count(n), shift: Shift::Always, attrition_per_s: None }]
        }
        (None, false) => check_teams(c, path, x, &context),
        (Some(_), false) => {
            c.report(
                &path.field("analysts"),
                format!("{context} gives both `analysts` and `teams`; use `teams` alone"),
            );
            Vec::new()
        }
        (None, true) => {
            c.report(path, format!("{context} has no analysts: give `analysts: N` or `teams: [...]`"));
            Vec::new()
        }
    };
    if let Some(m) = x.maturity.filter(|m| !(0..=4).contains(m)) {
        c.report(&path.field("maturity"), format!("the maturity of {context} must be 0 to 4 (SIM3 scale), found {m}"));
    }
    for (field, value) in
        [("trust", x.trust), ("regulator_reluctance", x.regulator_reluctance), ("anonymous_share", x.anonymous_share)]
    {
        if !(0.0..=1.0).contains(&value) {
            c.report(&path.field(field), format!("`{field}` of {context} must be 0 to 1, found {value}"));
        }
    }
    let legal_review =
        check_distribution(c, &path.field("legal_review"), &x.legal_review, &format!("legal review of {context}"));
    let reporting_deadline = match &x.reporting_deadline {
        Some(t) => {
            c.duration(&path.field("reporting_deadline"), t, &format!("reporting deadline of {context}")).map(Some)
        }
        None => Some(None),
    };
    if !(0.0..=1.0).contains(&x.tlp_discipline) {
        c.report(
            &path.field("tlp_discipline"),
            format!("the TLP discipline of {context} must be 0 to 1, found {}", x.tlp_discipline),
        );
    }
    let handover = c.duration(&path.field("handover"), &x.handover, &format!("hand-over time of {context}"));
    let sop = x.sop.as_ref().map(|s| c.reference(&path.field("sop"), sops, "SOP", s, &context));
    let mut sops_by_type = BTreeMap::new();
    for (incident_type, s) in &x.sops_by_type {
        if let Some(i) = c.reference(&path.field("sops_by_type"), sops, "SOP", s, &context) {
            sops_by_type.insert(*incident_type, i);
        }
    }
    if x.per_type_sops && x.sops_by_type.is_empty() {
        c.report(
            &path.field("per_type_sops"),
            format!("{context} switches on `per_type_sops` but gives no `sops_by_type`"),
        );
    }
    Some(Csirt {
        id: x.id.clone(),
        name: if x.name.is_empty() { x.id.clone() } else { x.name.clone() },
        nation: nation?,
        kind: x.kind,
        teams,
        structure: x.structure,
        maturity: x.maturity.map(|m| m.clamp(0, 4) as u8),
        handover: handover?,
        sop: sop.flatten(),
        sops_by_type,
        per_type_sops: x.per_type_sops,
        first_member: x.first_member,
        regions: x.regions.clone(),
        services: x.services.as_deref().unwrap_or(&super::raw::Service::DEFAULT).iter().copied().collect(),
        unassisted_recovery: c.duration(
            &path.field("unassisted_recovery"),
            &x.unassisted_recovery,
            &format!("unassisted recovery of {context}"),
        )?,
        tlp_discipline: x.tlp_discipline.clamp(0.0, 1.0),
        mandate: x.mandate,
        trust: x.trust.clamp(0.0, 1.0),
        regulator_reluctance: x.regulator_reluctance.clamp(0.0, 1.0),
        legal_review: legal_review?,
        reporting_deadline: reporting_deadline?,
        anonymous_share: x.anonymous_share.clamp(0.0, 1.0),
    })
}

fn check_teams(c: &mut Checker, path: &Path, x: &RawCsirt, context: &str) -> Vec<Team> {
    let mut teams: Vec<Team> = Vec::new();
    for (i, team) in x.teams.iter().enumerate() {
        let tpath = path.field("teams").index(i);
        if !(1..=MAX_TIER).contains(&team.tier) {
            c.report(
                &tpath.field("tier"),
                format!("tiers run from 1 to {MAX_TIER}; {context} has a team of tier {}", team.tier),
            );
            continue;
        }
        if teams.iter().any(|t| i64::from(t.tier) == team.tier) {
            c.report(&tpath.field("tier"), format!("{context} has two teams of tier {}; merge them", team.tier));
            continue;
        }
        if team.analysts < 0 {
            c.report(
                &tpath.field("analysts"),
                format!("a team of {context} has {} analysts; use 0 or more", team.analysts),
            );
        }
        let shift = match &team.shift {
            RawShift::Always => Some(Shift::Always),
            RawShift::BusinessHours { from, to, on_call } => {
                let clock = |c: &mut Checker, field: &str, text: &str| {
                    let parsed = parse_clock(text);
                    if parsed.is_none() {
                        c.report(
                            &tpath.field("shift").field(field),
                            format!("malformed time of day \"{text}\": expected \"HH:MM\", e.g. \"08:00\""),
                        );
                    }
                    parsed
                };
                let (from_s, to_s) = (clock(c, "from", from), clock(c, "to", to));
                let on_call = match on_call {
                    Some(text) => c
                        .duration(&tpath.field("shift").field("on_call"), text, &format!("call-out delay of {context}"))
                        .map(Some),
                    None => Some(None),
                };
                if let (Some(f), Some(t)) = (from_s, to_s)
                    && f >= t
                {
                    c.report(
                        &tpath.field("shift"),
                        format!("a shift must start before it ends within the day; {context} has {from} to {to}"),
                    );
                }
                match (from_s, to_s, on_call) {
                    (Some(from_s), Some(to_s), Some(on_call)) => Some(Shift::BusinessHours { from_s, to_s, on_call }),
                    _ => None,
                }
            }
        };
        let attrition = match &team.attrition {
            None => Some(None),
            Some(text) => match parse_rate(text) {
                Ok(rate) => Some(Some(rate)),
                Err(m) => {
                    c.report(&tpath.field("attrition"), format!("{m} (attrition of a team of {context})"));
                    None
                }
            },
        };
        if let (Some(shift), Some(attrition_per_s)) = (shift, attrition) {
            teams.push(Team { tier: team.tier as u8, analysts: clamp_count(team.analysts), shift, attrition_per_s });
        }
    }
    teams.sort_by_key(|t| t.tier);
    if teams.iter().map(|t| t.analysts).sum::<u32>() == 0 && !teams.is_empty() {
        c.report(&path.field("teams"), format!("{context} needs at least 1 analyst, found 0"));
    }
    teams
}

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
        self.problems.push(Problem { path: path.0.clone(), message });
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
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };
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
    if horizon == Some(0) {
        c.report(&root.field("horizon"), "the horizon must be longer than 0s".into());
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
    let nations = check_nations(&mut c, raw, &root);
    let nation_index = c.index_ids(&root.field("nations"), "nation", raw.nations.iter().map(|n| n.id.as_str()));
    let csirt_index = c.index_ids(&root.field("csirts"), "CSIRT", raw.csirts.iter().map(|x| x.id.as_str()));
    let sop_index = c.index_ids(&root.field("sops"), "SOP", raw.sops.iter().map(|s| s.id.as_str()));
    c.index_ids(&root.field("streams"), "incident stream", raw.streams.iter().map(|s| s.id.as_str()));
    c.index_ids(&root.field("injects"), "inject", raw.injects.iter().map(|s| s.id.as_str()));

    let sector_index = c.index_ids(&root.field("sectors"), "sector", raw.sectors.iter().map(|s| s.id.as_str()));
    let asset_index = c.index_ids(&root.field("assets"), "asset", raw.assets.iter().map(|a| a.id.as_str()));
    let mut sectors = Vec::new();
    for (i, x) in raw.sectors.iter().enumerate() {
        let path = root.field("sectors").index(i);
        let context = format!("sector \"{}\"", x.id);
        if let Some(nation) = c.reference(&path.field("nation"), &nation_index, "nation", &x.nation, &context) {
            let name = if x.name.is_empty() { x.id.clone() } else { x.name.clone() };
            sectors.push(Sector { id: x.id.clone(), name, nation, critical: x.critical });
        }
    }
    let assets: Vec<Option<Asset>> = raw
        .assets
        .iter()
        .enumerate()
        .map(|(i, x)| check_asset(&mut c, &root.field("assets").index(i), x, &sector_index, &asset_index))
        .collect();
    check_cycles(&mut c, &root, &assets);
    let sops = check_sops(&mut c, raw, &root);
    if raw.csirts.is_empty() {
        c.report(&root.field("csirts"), "the scenario declares no CSIRT; it needs at least one".into());
    }
    let csirts: Vec<Option<Csirt>> = raw
        .csirts
        .iter()
        .enumerate()
        .map(|(i, x)| check_csirt(&mut c, &root.field("csirts").index(i), x, &nation_index, &sop_index))
        .collect();

    let mut streams = Vec::new();
    for (i, s) in raw.streams.iter().enumerate() {
        let path = root.field("streams").index(i);
        let context = format!("incident stream \"{}\"", s.id);
        let csirt = c.reference(&path.field("csirt"), &csirt_index, "CSIRT", &s.csirt, &context);
        let sop = match &s.sop {
            Some(sop) => c.reference(&path.field("sop"), &sop_index, "SOP", sop, &context),
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
        let target = s.target.as_ref().map(|t| check_target(&mut c, &path.field("target"), t, &asset_index, &context));
        if let (Some(csirt), Some(sop), Some(rate_per_s), Some(target)) =
            (csirt, sop, rate, target.unwrap_or(Some(None)))
        {
            streams.push(IncidentStream {
                detection: match &s.detection {
                    Some(d) => match check_detection(&mut c, &path.field("detection"), d, &context) {
                        Some(d) => Some(d),
                        None => continue,
                    },
                    None => None,
                },
                target,
                id: s.id.clone(),
                incident_type: s.incident_type,
                severity: s.severity,
                csirt,
                sop,
                rate_per_s,
                limit: s.limit.map(|l| l.max(1) as u64),
            });
        }
    }

    let mut injects = Vec::new();
    let mut decision_ids = BTreeMap::new();
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
            let refs = Refs {
                csirt_index: &csirt_index,
                sop_index: &sop_index,
                asset_index: &asset_index,
                csirts: &csirts,
                sops: &sops,
            };
            effects.extend(check_effect(&mut c, &epath, effect, &refs, &context));
        }
        let refs = Refs {
            csirt_index: &csirt_index,
            sop_index: &sop_index,
            asset_index: &asset_index,
            csirts: &csirts,
            sops: &sops,
        };
        let decision =
            inj.decision.as_ref().map(|d| check_decision(&mut c, &path.field("decision"), d, &refs, &mut decision_ids));
        if let Some(at) = at {
            injects.push(Inject {
                id: inj.id.clone(),
                at,
                text: inj.text.clone(),
                effects,
                decision: decision.flatten(),
            });
        }
    }

    c.index_ids(&root.field("outbreaks"), "outbreak", raw.outbreaks.iter().map(|o| o.id.as_str()));
    let outbreaks: Vec<Outbreak> = raw
        .outbreaks
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let path = root.field("outbreaks").index(i);
            check_outbreak(&mut c, &path, o, &nation_index, &asset_index, &sectors, &raw.assets, &csirts, horizon)
        })
        .collect();

    let coordination = check_coordination(&mut c, &root.field("coordination"), &raw.coordination);

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        horizon: horizon.unwrap_or_default(),
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
    })
}

fn check_nations(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Nation> {
    if raw.nations.is_empty() {
        c.report(&root.field("nations"), "the scenario declares no nation; it needs at least one".into());
    }
    let mut nations = Vec::new();
    for (i, n) in raw.nations.iter().enumerate() {
        let path = root.field("nations").index(i);
        match parse_utc_offset(&n.utc_offset) {
            Some(utc_offset_s) => nations.push(Nation { id: n.id.clone(), name: n.name.clone(), utc_offset_s, mandatory_reporting: n.mandatory_reporting }),
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
            c.report(&path.field("steps"), format!("SOP \"{}\" has no steps; it needs at least one", s.id));
        }
        let mut seen = BTreeMap::new();
        let mut steps = Vec::new();
        for (j, step) in s.steps.iter().enumerate() {
            let spath = path.field("steps").index(j);
            if seen.insert(step.name.as_str(), j).is_some() {
                c.report(
                    &spath.field("name"),
                    format!(
                        "duplicate step \"{}\" in SOP \"{}\": step names must be unique within a SOP",
                        step.name, s.id
                    ),
                );
            }
            let context = format!("effort of step \"{}\" in SOP \"{}\"", step.name, s.id);
            if !(1..=MAX_TIER).contains(&step.tier) {
                c.report(
                    &spath.field("tier"),
                    format!("tiers run from 1 to {MAX_TIER}; step \"{}\" has tier {}", step.name, step.tier),
                );
            }
            if let Some(effort) = check_distribution(c, &spath.field("effort"), &step.effort, &context) {
                steps.push(SopStep {
                    name: step.name.clone(),
                    effort,
                    tier: step.tier.clamp(1, MAX_TIER) as u8,
                    phase: step.phase,
                });
            }
        }
        sops.push(Sop { id: s.id.clone(), description: s.description.clone(), steps });
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
        let p = if name.is_empty() { path.index(0) } else { path.field(name) };
        c.duration(&p, text, context)
    };
    let built = match raw {
        RawDistribution::Fixed(v) => Ok(DurationDistribution::fixed(d("", v)?)),
        RawDistribution::Exponential { mean } => DurationDistribution::exponential(d("mean", mean)?),
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
    built.map_err(|e| c.report(path, format!("{e} ({context})"))).ok()
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
        return Err(format!("rate \"{text}\" must be above 0 incidents per duration"));
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

/// What effects may refer to.
struct Refs<'a> {
    csirt_index: &'a BTreeMap<&'a str, usize>,
    sop_index: &'a BTreeMap<&'a str, usize>,
    asset_index: &'a BTreeMap<&'a str, usize>,
    csirts: &'a [Option<Csirt>],
    sops: &'a [Sop],
}

/// One effect of an inject or a decision option.
fn check_effect(c: &mut Checker, epath: &Path, effect: &RawEffect, refs: &Refs, context: &str) -> Option<Effect> {
    let Refs { csirt_index, sop_index, asset_index, csirts, sops } = refs;
    let context = context.to_string();
    match effect {
        RawEffect::Outage { asset, level, duration } => {
            let asset = c.reference(&epath.field("asset"), asset_index, "asset", asset, &context);
            check_level(c, &epath.field("level"), *level, &context);
            let duration = c.duration(&epath.field("duration"), duration, &format!("outage duration in {context}"));
            if let (Some(asset), Some(duration)) = (asset, duration) {
                return Some(Effect::Outage { asset, level: *level, duration });
            }
        }
        RawEffect::Report { incident_type, csirt, sop, severity, target } => {
            let target = target.as_ref().map(|t| check_target(c, &epath.field("target"), t, asset_index, &context));
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            let sop = match sop {
                Some(sop) => c.reference(&epath.field("sop"), sop_index, "SOP", sop, &context),
                None => csirt.and_then(|k| csirts[k].as_ref()).and_then(|k| {
                    let sop = k.sop_for(*incident_type);
                    if sop.is_none() {
                        c.report(epath, no_sop(k, *incident_type, &context));
                    }
                    sop
                }),
            };
            if let (Some(csirt), Some(sop), Some(target)) = (csirt, sop, target.unwrap_or(Some(None))) {
                check_tiers(c, epath, csirts, sops, csirt, sop, &context);
                return Some(Effect::Report { incident_type: *incident_type, severity: *severity, csirt, sop, target });
            }
        }
        RawEffect::SetAnalysts { csirt, analysts, tier } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 0 {
                c.report(
                    &epath.field("analysts"),
                    format!("{context} sets a negative number of analysts ({analysts}); use 0 or more"),
                );
            }
            if let Some(team) = csirt.and_then(|k| team_of(c, epath, csirts, k, *tier, &context)) {
                let csirt = csirt.unwrap_or_default();
                return Some(Effect::SetAnalysts { csirt, team, analysts: clamp_count(*analysts) });
            }
        }
        RawEffect::Hire { csirt, analysts, tier, ramp_up } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 1 {
                c.report(&epath.field("analysts"), format!("{context} hires {analysts} analysts; hire at least 1"));
            }
            let ramp_up = match ramp_up {
                Some(text) => c.duration(&epath.field("ramp_up"), text, &format!("ramp-up in {context}")),
                None => Some(0),
            };
            let team = csirt.and_then(|k| team_of(c, epath, csirts, k, *tier, &context));
            if let (Some(csirt), Some(team), Some(ramp_up)) = (csirt, team, ramp_up) {
                return Some(Effect::Hire { csirt, team, analysts: clamp_count(*analysts), ramp_up });
            }
        }
    }
    None
}

/// A decision: unique id, unique option ids, exactly one default.
fn check_decision<'a>(
    c: &mut Checker,
    path: &Path,
    d: &'a RawDecision,
    refs: &Refs,
    seen: &mut BTreeMap<&'a str, ()>,
) -> Option<Decision> {
    let context = format!("decision \"{}\"", d.id);
    c.id(&path.field("id"), &d.id, "decision");
    if seen.insert(d.id.as_str(), ()).is_some() {
        c.report(&path.field("id"), format!("duplicate decision id \"{}\": each decision needs its own id", d.id));
    }
    if d.options.len() < 2 {
        c.report(&path.field("options"), format!("{context} needs at least two options"));
    }
    let mut options = Vec::new();
    let mut option_ids = BTreeMap::new();
    for (k, o) in d.options.iter().enumerate() {
        let opath = path.field("options").index(k);
        c.id(&opath.field("id"), &o.id, "option");
        if option_ids.insert(o.id.as_str(), k).is_some() {
            c.report(&opath.field("id"), format!("duplicate option \"{}\" in {context}", o.id));
        }
        let option_context = format!("option \"{}\" of {context}", o.id);
        let effects = o
            .effects
            .iter()
            .enumerate()
            .filter_map(|(j, e)| check_effect(c, &opath.field("effects").index(j), e, refs, &option_context))
            .collect();
        options.push(Choice { id: o.id.clone(), text: o.text.clone(), effects });
    }
    let defaults: Vec<usize> = d.options.iter().enumerate().filter(|(_, o)| o.default).map(|(k, _)| k).collect();
    if defaults.len() != 1 {
        c.report(
            &path.field("options"),
            format!(
                "{context} must mark exactly one option `default: true` (the choice when nobody decides); it marks {}",
                defaults.len()
            ),
        );
    }
    Some(Decision { id: d.id.clone(), question: d.question.clone(), options, default: *defaults.first()? })
}

#[allow(clippy::too_many_arguments)]
fn check_outbreak(
    c: &mut Checker,
    path: &Path,
    o: &RawOutbreak,
    nations: &BTreeMap<&str, usize>,
    assets: &BTreeMap<&str, usize>,
    sectors: &[Sector],
    raw_assets: &[RawAsset],
    csirts: &[Option<Csirt>],
    horizon: Option<u64>,
) -> Option<Outbreak> {
    let context = format!("outbreak \"{}\"", o.id);
    let origin = c.reference(&path.field("origin"), nations, "nation", &o.origin, &context);
    let start = c.duration(&path.field("start"), &o.start, &format!("start of {context}"));
    if let (Some(start), Some(h)) = (start, horizon)
        && start > h
    {
        c.report(&path.field("start"), format!("{context} starts after the horizon, so it would never happen"));
    }
    let rate = match parse_rate(&o.contact_rate) {
        Ok(r) => Some(r),
        Err(m) => {
            c.report(&path.field("contact_rate"), format!("{m} (contact rate K of {context})"));
            None
        }
    };
    if !(0.0..=1.0).contains(&o.local_preference) {
        c.report(
            &path.field("local_preference"),
            format!("the local preference of {context} must be 0 to 1, found {}", o.local_preference),
        );
    }
    if !(o.detection_threshold > 0.0 && o.detection_threshold < 1.0) {
        c.report(
            &path.field("detection_threshold"),
            format!(
                "the detection threshold of {context} must be above 0 and below 1, found {}",
                o.detection_threshold
            ),
        );
    }
    let tick = c.duration(&path.field("tick"), &o.tick, &format!("tick of {context}"));
    if tick == Some(0) {
        c.report(&path.field("tick"), format!("the tick of {context} must be longer than 0s"));
    }
    let mut populations = Vec::new();
    for (k, p) in o.populations.iter().enumerate() {
        let ppath = path.field("populations").index(k);
        let nation = c.reference(&ppath.field("nation"), nations, "nation", &p.nation, &context);
        if p.vulnerable < 1 {
            c.report(
                &ppath.field("vulnerable"),
                format!("a population of {context} needs at least 1 vulnerable host, found {}", p.vulnerable),
            );
        }
        if let Some(nation) = nation {
            if populations.iter().any(|q: &Population| q.nation == nation) {
                c.report(&ppath.field("nation"), format!("{context} gives nation \"{}\" two populations", p.nation));
            }
            populations.push(Population { nation, vulnerable: p.vulnerable.max(1) as u64 });
        }
    }
    if let Some(origin) = origin {
        match populations.iter().find(|p| p.nation == origin) {
            None => c.report(
                &path.field("origin"),
                format!("{context} starts in \"{}\", which has no population in it", o.origin),
            ),
            Some(p) if (o.initial_infected as u64) > p.vulnerable || o.initial_infected < 1 => c.report(
                &path.field("initial_infected"),
                format!(
                    "{context} needs 1 to {} initially infected hosts (the origin's population), found {}",
                    p.vulnerable, o.initial_infected
                ),
            ),
            Some(_) => {}
        }
    }
    let mut exposed_assets = Vec::new();
    let mut report_to = Vec::new();
    for (k, t) in o.exposed_assets.iter().enumerate() {
        let tpath = path.field("exposed_assets").index(k);
        let Some(Some(target)) = check_target(c, &tpath, t, assets, &context) else {
            continue;
        };
        let nation =
            raw_assets.get(target.asset).and_then(|a| sectors.iter().find(|s| s.id == a.sector)).map(|s| s.nation);
        let national = nation.and_then(|n| {
            csirts
                .iter()
                .position(|x| x.as_ref().is_some_and(|x| x.nation == n && x.kind == super::CsirtKind::National))
        });
        if !nation.is_some_and(|n| populations.iter().any(|p| p.nation == n)) {
            c.report(
                &tpath.field("asset"),
                format!("{context} exposes asset \"{}\", but its nation has no population in the outbreak", t.asset),
            );
            continue;
        }
        match national {
            Some(k) if csirts[k].as_ref().is_some_and(|x| x.sop.is_some() || x.sops_by_type.contains_key(&super::IncidentType::Malware)) => {
                exposed_assets.push(target);
                report_to.push(k);
            }
            _ => c.report(
                &tpath.field("asset"),
                format!("{context} exposes asset \"{}\", but its nation has no national CSIRT with a SOP for malware to report to", t.asset),
            ),
        }
    }
    Some(Outbreak {
        id: o.id.clone(),
        origin: origin?,
        start: start?,
        initial_infected: o.initial_infected.max(1) as u64,
        contact_rate_per_s: rate?,
        local_preference: o.local_preference.clamp(0.0, 1.0),
        tick: tick?.max(1),
        populations,
        detection_threshold: o.detection_threshold,
        exposed_assets,
        report_to,
        warn_others: o.warn_others,
        takedown: match &o.takedown {
            None => None,
            Some(t) => {
                let delay = c.duration(
                    &path.field("takedown").field("delay"),
                    &t.delay,
                    &format!("takedown delay of {context}"),
                );
                if !(0.0..=1.0).contains(&t.factor) {
                    c.report(
                        &path.field("takedown").field("factor"),
                        format!("the takedown factor of {context} must be 0 to 1, found {}", t.factor),
                    );
                }
                Some((delay?, t.factor.clamp(0.0, 1.0)))
            }
        },
    })
}

fn check_coordination(c: &mut Checker, path: &Path, x: &super::raw::RawCoordination) -> Option<Coordination> {
    let what = "coordination";
    let direct = c.duration(&path.field("direct"), &x.direct, &format!("direct latency in {what}"));
    let indirect = match &x.indirect {
        Some(t) => c.duration(&path.field("indirect"), t, &format!("indirect latency in {what}")).map(Some),
        None => Some(None),
    };
    let call_effort = c.duration(&path.field("call_effort"), &x.call_effort, &format!("call effort in {what}"));
    let preparation = c.duration(&path.field("preparation"), &x.preparation, &format!("preparation in {what}"));
    if !(0.0..=1.0).contains(&x.warned_containment_factor) {
        c.report(
            &path.field("warned_containment_factor"),
            format!("the warned containment factor must be 0 to 1, found {}", x.warned_containment_factor),
        );
    }
    if !(0.0..=1.0).contains(&x.warning_protection) {
        c.report(
            &path.field("warning_protection"),
            format!("the warning protection must be 0 to 1, found {}", x.warning_protection),
        );
    }
    Some(Coordination {
        direct: direct?,
        indirect: indirect?,
        call_effort: call_effort?,
        warning_protection: x.warning_protection.clamp(0.0, 1.0),
        preparation: preparation?,
        warning_tlp: x.warning_tlp,
        warned_containment_factor: x.warned_containment_factor.clamp(0.0, 1.0),
    })
}

fn check_detection(
    c: &mut Checker,
    path: &Path,
    d: &super::raw::RawDetection,
    context: &str,
) -> Option<super::Detection> {
    let victim = check_distribution(c, &path.field("victim"), &d.victim, &format!("victim detection in {context}"));
    let mut optional = |field: &str, raw: &Option<RawDistribution>| match raw {
        Some(r) => check_distribution(c, &path.field(field), r, &format!("{field} detection in {context}")).map(Some),
        None => Some(None),
    };
    let sector_team = optional("sector_team", &d.sector_team);
    let feeds = optional("feeds", &d.feeds);
    if !(0.0..=1.0).contains(&d.feed_quality) {
        c.report(
            &path.field("feed_quality"),
            format!("the feed quality in {context} must be 0 to 1, found {}", d.feed_quality),
        );
    }
    Some(super::Detection {
        victim: victim?,
        sector_team: sector_team?,
        feeds: feeds?,
        feed_quality: d.feed_quality.clamp(0.0, 1.0),
    })
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
