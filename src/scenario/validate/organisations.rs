//! Nations, CSIRTs and their teams.

#[allow(unused_imports)]
use super::*;

pub(super) fn clamp_count(n: i64) -> u32 {
    u32::try_from(n.clamp(0, MAX_HEADCOUNT)).unwrap_or(0)
}

/// The most analysts one team may have, or one change may add. Far above any
/// real CSIRT (the largest national teams have a few hundred people); its point is
/// that headcounts stay well inside 32 bits however many hires add up, so a typo
/// of a few extra digits is an error and not a team that wraps to 9.
pub(super) const MAX_HEADCOUNT: i64 = 100_000;

/// Reports a headcount above [`MAX_HEADCOUNT`].
pub(super) fn check_headcount(c: &mut Checker, path: &Path, n: i64, context: &str) {
    if n > MAX_HEADCOUNT {
        c.report(path, format!("{context}: {n} analysts is more than ttx models (at most {MAX_HEADCOUNT} a team)"));
    }
}

pub(super) fn no_sop(csirt: &Csirt, incident_type: crate::scenario::IncidentType, context: &str) -> String {
    format!(
        "{context} names no SOP and CSIRT \"{}\" has none for {incident_type:?} incidents; give the stream a `sop`, or the CSIRT a `sop` or `sops_by_type`",
        csirt.id
    )
}

/// The team an effect names in CSIRT `k`: by `team` name, else by `tier`
/// (1 if neither), reporting its absence or an ambiguous tier.
pub(super) fn team_of(
    c: &mut Checker,
    path: &Path,
    csirts: &[Option<Csirt>],
    k: usize,
    (tier, name): (Option<i64>, Option<&str>),
    context: &str,
) -> Option<usize> {
    let csirt = csirts[k].as_ref()?;
    if let Some(name) = name {
        let Some(team) = csirt.teams.iter().position(|t| t.name == name) else {
            let names = csirt.teams.iter().map(|t| t.name.as_str());
            let hint = match closest(name, names.clone()) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => format!("expected one of: {}", names.collect::<Vec<_>>().join(", ")),
            };
            c.report(
                &path.field("team"),
                format!("{context} names team \"{name}\", but CSIRT \"{}\" has none; {hint}", csirt.id),
            );
            return None;
        };
        if let Some(tier) = tier
            && i64::from(csirt.teams[team].tier) != tier
        {
            c.report(
                &path.field("tier"),
                format!(
                    "{context} names team \"{name}\" of tier {}, and tier {tier}; drop `tier`",
                    csirt.teams[team].tier
                ),
            );
            return None;
        }
        return Some(team);
    }
    let tier = tier.unwrap_or(1);
    let mut of_tier = csirt.teams.iter().enumerate().filter(|(_, t)| i64::from(t.tier) == tier);
    let Some((team, _)) = of_tier.next() else {
        c.report(
            &path.field("tier"),
            format!("{context} names tier {tier}, but CSIRT \"{}\" has no tier-{tier} team", csirt.id),
        );
        return None;
    };
    if of_tier.next().is_some() {
        let names: Vec<&str> =
            csirt.teams.iter().filter(|t| i64::from(t.tier) == tier).map(|t| t.name.as_str()).collect();
        c.report(
            path,
            format!(
                "{context} names tier {tier}, but CSIRT \"{}\" has several tier-{tier} teams ({}); name one with `team`",
                csirt.id,
                names.join(", ")
            ),
        );
        return None;
    }
    Some(team)
}

/// In a tiered CSIRT every step must have a team of at least its tier.
pub(super) fn check_tiers(
    c: &mut Checker,
    path: &Path,
    csirts: &[Option<Csirt>],
    sops: &[Sop],
    k: usize,
    sop: SopId,
    context: &str,
) {
    let (Some(csirt), Some(sop)) = (csirts[k].as_ref(), sops.get(sop.index())) else {
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

pub(super) fn check_csirt(
    c: &mut Checker,
    path: &Path,
    x: &RawCsirt,
    [nations, sops, assets]: [&BTreeMap<&str, usize>; 3],
    rules: &Rules,
) -> Option<Csirt> {
    let context = format!("CSIRT \"{}\"", x.id);
    let international_link = match &x.international_link {
        None => Some(None),
        Some(link) => {
            let lpath = path.field("international_link");
            let what = format!("the international link of {context}");
            let asset = c.reference(&lpath.field("asset"), assets, "asset", &link.asset, &what);
            let fallback = match &link.fallback {
                Some(t) => c.duration(&lpath.field("fallback"), t, &format!("fallback latency of {what}")).map(Some),
                None => Some(None),
            };
            match (asset, fallback) {
                (Some(asset), Some(fallback)) => {
                    Some(Some(crate::scenario::validated::Link { asset: AssetId::new(asset), fallback }))
                }
                _ => None,
            }
        }
    };
    let nation = c.reference(&path.field("nation"), nations, "nation", &x.nation, &context);
    let teams = match (x.analysts, x.teams.is_empty()) {
        (Some(n), true) => {
            if n < 1 {
                c.report(&path.field("analysts"), format!("{context} needs at least 1 analyst, found {n}"));
            }
            check_headcount(c, &path.field("analysts"), n, &context);
            vec![Team {
                name: "tier 1".into(),
                tier: 1,
                analysts: clamp_count(n),
                seats: None,
                absence: 0.0,
                shift: Shift::Always { changes: Vec::new() },
                attrition_per_s: None,
                replaced_after: None,
            }]
        }
        (None, false) => check_teams(c, path, x, &context, rules),
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
            sops_by_type.insert(*incident_type, SopId::new(i));
        }
    }
    if x.per_type_sops && x.sops_by_type.is_empty() {
        c.report(
            &path.field("per_type_sops"),
            format!("{context} switches on `per_type_sops` but gives no `sops_by_type`"),
        );
    }
    // Every field is checked before any is required, so one bad reference does not
    // hide the CSIRT's other problems.
    let outreach = check_outreach(c, path, x, &context);
    let programmes = check_programmes(c, path, x, &context);
    let office = match &x.office {
        Some(a) => c
            .reference(&path.field("office"), assets, "asset", a, &format!("the office of {context}"))
            .map(|a| Some(AssetId::new(a))),
        None => Some(None),
    };
    let unassisted_recovery = c.duration(
        &path.field("unassisted_recovery"),
        &x.unassisted_recovery,
        &format!("unassisted recovery of {context}"),
    );
    Some(Csirt {
        id: x.id.clone(),
        name: if x.name.is_empty() { x.id.clone() } else { x.name.clone() },
        nation: NationId::new(nation?),
        kind: x.kind,
        teams,
        structure: x.structure,
        maturity: x.maturity.map(|m| m.clamp(0, 4) as u8),
        handover: handover.unwrap_or_default(),
        sop: sop.flatten().map(SopId::new),
        sops_by_type,
        per_type_sops: x.per_type_sops,
        first_member: x.first_member,
        regions: x.regions.clone(),
        services: x.services.as_deref().unwrap_or(&crate::scenario::raw::Service::DEFAULT).iter().copied().collect(),
        unassisted_recovery: unassisted_recovery.unwrap_or_default(),
        tlp_discipline: x.tlp_discipline.clamp(0.0, 1.0),
        mandate: x.mandate,
        trust: x.trust.clamp(0.0, 1.0),
        regulator_reluctance: x.regulator_reluctance.clamp(0.0, 1.0),
        legal_review: legal_review?,
        reporting_deadline: reporting_deadline.flatten(),
        anonymous_share: x.anonymous_share.clamp(0.0, 1.0),
        international_link: international_link.flatten(),
        // Each of these reported its own error: a stand-in keeps the CSIRT in
        // validation, so nothing that refers to it reports a false follow-on.
        outreach: outreach.flatten(),
        programmes,
        office: office.flatten(),
    })
}

/// Programmes: `training` (EducationTraining) and the `programmes` list, each
/// with an interval and effort of at least an hour, a step and floor of 0 to
/// 1, a service the CSIRT offers and that runs as a programme, at most one per
/// service. A bad programme is reported and left out, so the CSIRT stays in
/// validation and its other problems (and those of what refers to it) are
/// still told.
fn check_programmes(c: &mut Checker, path: &Path, x: &RawCsirt, context: &str) -> Vec<Programme> {
    use crate::scenario::raw::Service;
    let services = x.services.as_deref().unwrap_or(&Service::DEFAULT);
    let training = x.training.as_ref().map(|t| {
        let raw = RawProgramme {
            service: Service::EducationTraining,
            every: t.every.clone(),
            effort: t.effort.clone(),
            step: t.reduction,
            floor: t.floor,
            priority: crate::scenario::Severity::Low,
        };
        (path.field("training"), raw, "reduction")
    });
    let listed = x.programmes.iter().enumerate().map(|(i, p)| (path.field("programmes").index(i), p.clone(), "step"));
    let mut programmes: Vec<Programme> = Vec::new();
    for (ppath, p, step_field) in training.into_iter().chain(listed) {
        let name =
            if step_field == "reduction" { "training".to_string() } else { format!("{:?} programme", p.service) };
        let positive = |c: &mut Checker, field: &str, text: &str, what: String| {
            let d = c.duration(&ppath.field(field), text, &what)?;
            if d < SimDuration::HOUR {
                c.report(&ppath.field(field), format!("{what} must be at least 1h, found {}", format_duration(d)));
                return None;
            }
            Some(d)
        };
        let every = positive(c, "every", &p.every, format!("the {name} interval of {context}"));
        let effort = positive(c, "effort", &p.effort, format!("the {name} effort of {context}"));
        super::outbreaks::check_share(
            c,
            &ppath.field(step_field),
            p.step,
            &format!("the {name} {step_field} of {context}"),
        );
        super::outbreaks::check_share(c, &ppath.field("floor"), p.floor, &format!("the {name} floor of {context}"));
        let Some(effect) = ProgrammeEffect::of(p.service) else {
            c.report(
                &ppath.field("service"),
                format!(
                    "{context} runs a programme of {:?}, which is not run as a programme; expected one of {}",
                    p.service,
                    ProgrammeEffect::SERVICES
                ),
            );
            continue;
        };
        if !services.contains(&p.service) {
            let what = if step_field == "reduction" {
                "gives training sessions".to_string()
            } else {
                format!("runs a {name}")
            };
            c.report(&ppath, format!("{context} {what} but does not offer {:?}; add it to `services`", p.service));
            continue;
        }
        if programmes.iter().any(|q| q.service == p.service) {
            let hint = if p.service == Service::EducationTraining { " (`training` is one)" } else { "" };
            c.report(
                &ppath.field("service"),
                format!("{context} runs two programmes of {:?}{hint}; merge them", p.service),
            );
            continue;
        }
        let (Some(every), Some(effort)) = (every, effort) else { continue };
        programmes.push(Programme {
            service: p.service,
            effect,
            every,
            effort,
            step: p.step.clamp(0.0, 1.0),
            floor: p.floor.clamp(0.0, 1.0),
            priority: p.priority,
        });
    }
    programmes.sort_by_key(|p| p.service);
    programmes
}

/// Outreach sessions: positive durations, a gain of 0 to 1, and the service that does them.
fn check_outreach(c: &mut Checker, path: &Path, x: &RawCsirt, context: &str) -> Option<Option<Outreach>> {
    let Some(o) = &x.outreach else { return Some(None) };
    let opath = path.field("outreach");
    let positive = |c: &mut Checker, field: &str, text: &str, what: String| {
        let d = c.duration(&opath.field(field), text, &what)?;
        if d.is_zero() {
            c.report(&opath.field(field), format!("{what} must be longer than 0s"));
            return None;
        }
        Some(d)
    };
    let every = positive(c, "every", &o.every, format!("the outreach interval of {context}"));
    // More often than hourly is not outreach; the bound also keeps the trust
    // trajectory a run records small.
    if let Some(e) = every.filter(|e| *e < SimDuration::HOUR) {
        c.report(
            &opath.field("every"),
            format!(
                "outreach sessions of {context} every {} are more often than ttx models (at most one an hour)",
                format_duration(e)
            ),
        );
    }
    let effort = positive(c, "effort", &o.effort, format!("the outreach effort of {context}"));
    super::outbreaks::check_share(c, &opath.field("gain"), o.gain, &format!("the outreach gain of {context}"));
    let services = x.services.as_deref().unwrap_or(&crate::scenario::raw::Service::DEFAULT);
    if !services.contains(&crate::scenario::raw::Service::AwarenessBuilding) {
        c.report(
            &opath,
            format!("{context} holds outreach sessions but does not offer AwarenessBuilding; add it to `services`"),
        );
        return None;
    }
    Some(Some(Outreach { every: every?, effort: effort?, gain: o.gain.clamp(0.0, 1.0) }))
}

pub(super) fn check_teams(c: &mut Checker, path: &Path, x: &RawCsirt, context: &str, rules: &Rules) -> Vec<Team> {
    let mut teams: Vec<Team> = Vec::new();
    let mut named: Vec<(i64, bool)> = Vec::new();
    for (i, team) in x.teams.iter().enumerate() {
        let tpath = path.field("teams").index(i);
        if !(1..=MAX_TIER).contains(&team.tier) {
            c.report(
                &tpath.field("tier"),
                format!("tiers run from 1 to {MAX_TIER}; {context} has a team of tier {}", team.tier),
            );
            continue;
        }
        if let Some(name) = &team.name
            && name.trim().is_empty()
        {
            c.report(&tpath.field("name"), format!("a team of {context} has an empty name"));
        }
        if named.iter().any(|(tier, has_name)| *tier == team.tier && !(*has_name && team.name.is_some())) {
            c.report(
                &tpath.field("tier"),
                format!(
                    "{context} has two teams of tier {}; give each a `name` (e.g. \"day\", \"night\") or merge them",
                    team.tier
                ),
            );
            continue;
        }
        named.push((team.tier, team.name.is_some()));
        let name = team.name.clone().unwrap_or_else(|| format!("tier {}", team.tier));
        let team_context = format!("team \"{name}\" of {context}");
        if teams.iter().any(|t| t.name == name) {
            c.report(&tpath.field("name"), format!("{context} has two teams named \"{name}\"; rename one"));
            continue;
        }
        if team.analysts < 0 {
            c.report(
                &tpath.field("analysts"),
                format!("a team of {context} has {} analysts; use 0 or more", team.analysts),
            );
        }
        check_headcount(c, &tpath.field("analysts"), team.analysts, &format!("a team of {context}"));
        let shift = check_shift(c, &tpath, &team.shift, &team_context);
        let seats = match team.seats {
            None => Some(None),
            Some(n) if n < 1 => {
                c.report(&tpath.field("seats"), format!("{team_context} has {n} seats; a rota needs at least 1"));
                None
            }
            Some(n) => {
                check_headcount(c, &tpath.field("seats"), n, &team_context);
                Some(Some(clamp_count(n)))
            }
        };
        super::outbreaks::check_share(c, &tpath.field("leave"), team.leave, &format!("the leave of {team_context}"));
        super::outbreaks::check_share(
            c,
            &tpath.field("sickness"),
            team.sickness,
            &format!("the sickness of {team_context}"),
        );
        let absence = team.leave.clamp(0.0, 1.0) + team.sickness.clamp(0.0, 1.0);
        if absence >= 1.0 {
            c.report(
                &tpath,
                format!(
                    "{team_context} is absent {:.0}% of the time (leave plus sickness); it must be under 100%",
                    100.0 * absence
                ),
            );
        }
        if absence > 0.0 && team.seats.is_none() {
            c.report(
                &tpath,
                format!(
                    "{team_context} has leave or sickness but no rota; give it `seats` (how many are on duty at once)"
                ),
            );
        }
        if let (Some(Some(_)), Some(Shift::Always { changes })) = (seats, &shift)
            && changes.is_empty()
        {
            c.report(
                &tpath.field("shift"),
                format!(
                    "{team_context} takes turns (`seats`), but `Always` has nobody changing over; use `Continuous(changes: [\"07:00\", \"19:00\"])`"
                ),
            );
        }
        if let (Some(None), Some(Shift::Always { changes })) = (seats, &shift)
            && !changes.is_empty()
        {
            c.report(
                &tpath.field("seats"),
                format!("{team_context} changes people over (`Continuous`) but has no `seats`; say how many are on duty at once"),
            );
        }
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
        let rpath = tpath.field("replaced_after");
        let replaced_after = match (&team.replaced_after, &team.attrition) {
            (None, _) => Some(None),
            (Some(_), None) => {
                c.report(&rpath, format!("a team of {context} replaces leavers but has no `attrition`; add one"));
                None
            }
            (Some(text), Some(_)) => {
                c.duration(&rpath, text, &format!("the replacement delay of a team of {context}")).map(Some)
            }
        };
        if let (Some(shift), Some(seats), Some(attrition_per_s), Some(replaced_after)) =
            (shift, seats, attrition, replaced_after)
        {
            let analysts = clamp_count(team.analysts);
            let team = Team {
                name,
                tier: team.tier as u8,
                analysts,
                seats,
                absence: absence.min(0.99),
                shift,
                attrition_per_s,
                replaced_after,
            };
            check_rota(c, &tpath, &team, &team_context, rules);
            teams.push(team);
        }
    }
    teams.sort_by_key(|t| t.tier);
    if teams.iter().map(|t| t.analysts).sum::<u32>() == 0 && !teams.is_empty() {
        c.report(&path.field("teams"), format!("{context} needs at least 1 analyst, found 0"));
    }
    teams
}

/// A team's shift: times of day as "HH:MM", a shift with a length, days
/// listed once, changes of a continuous rota in order.
fn check_shift(c: &mut Checker, tpath: &Path, shift: &RawShift, context: &str) -> Option<Shift> {
    let spath = tpath.field("shift");
    let clock = |c: &mut Checker, field: &str, text: &str| {
        let parsed = parse_clock(text);
        if parsed.is_none() {
            c.report(
                &spath.field(field),
                format!("malformed time of day \"{text}\": expected \"HH:MM\", e.g. \"08:00\""),
            );
        }
        parsed
    };
    let on_call = |c: &mut Checker, on_call: &Option<String>, per_night: &Option<i64>, rest: &Option<String>| {
        let Some(text) = on_call else {
            for (field, given) in [("call_outs", per_night.is_some()), ("call_out_rest", rest.is_some())] {
                if given {
                    c.report(
                        &spath.field(field),
                        format!("{context} has `{field}` but nobody on call; add `on_call: \"30m\"` (the call-out delay) or remove it"),
                    );
                }
            }
            return Some(None);
        };
        let delay = c.duration(&spath.field("on_call"), text, &format!("call-out delay of {context}"));
        let per_night = match per_night {
            Some(n) if *n < 1 || *n > i64::from(u32::MAX) => {
                c.report(
                    &spath.field("call_outs"),
                    format!("{context} allows {n} call-outs a night; expected at least 1 (remove `on_call` for nobody on call)"),
                );
                None
            }
            Some(n) => Some(Some(*n as u32)),
            None => Some(None),
        };
        let rest = match rest {
            Some(text) => c
                .duration(&spath.field("call_out_rest"), text, &format!("rest after a call-out of {context}"))
                .map(Some),
            None => Some(None),
        };
        Some(Some(OnCall { delay: delay?, per_night: per_night?, rest: rest? }))
    };
    match shift {
        RawShift::Always => Some(Shift::Always { changes: Vec::new() }),
        RawShift::BusinessHours { from, to, on_call: call, call_outs, call_out_rest } => {
            let (from_s, to_s) = (clock(c, "from", from), clock(c, "to", to));
            let on_call = on_call(c, call, call_outs, call_out_rest);
            if let (Some(f), Some(t)) = (from_s, to_s)
                && f >= t
            {
                c.report(
                    &spath,
                    format!(
                        "business hours must start before they end within the day; {context} has {from} to {to} (for a night shift use `Hours`)"
                    ),
                );
                return None;
            }
            Some(Shift::Hours { from_s: from_s?, to_s: to_s?, days: Shift::WEEKDAYS, on_call: on_call? })
        }
        RawShift::Hours { from, to, days, on_call: call, call_outs, call_out_rest } => {
            let (from_s, to_s) = (clock(c, "from", from), clock(c, "to", to));
            let on_call = on_call(c, call, call_outs, call_out_rest);
            if from_s == Some(86_400) {
                c.report(&spath.field("from"), format!("the shift of {context} starts at 24:00; write \"00:00\""));
                return None;
            }
            if let (Some(f), Some(t)) = (from_s, to_s)
                && f % 86_400 == t % 86_400
            {
                c.report(
                    &spath,
                    format!(
                        "the shift of {context} from {from} to {to} has no length; for a team on duty around the clock use `Always` or `Continuous`"
                    ),
                );
                return None;
            }
            let mut mask = [false; 7];
            match days {
                None => mask = [true; 7],
                Some(days) if days.is_empty() => {
                    c.report(
                        &spath.field("days"),
                        format!("the shift of {context} lists no days; name at least one, e.g. [Mon]"),
                    );
                    return None;
                }
                Some(days) => {
                    for (k, day) in days.iter().enumerate() {
                        let d = Day::WEEK.iter().position(|w| w == day).unwrap_or(0);
                        if mask[d] {
                            c.report(
                                &spath.field("days").index(k),
                                format!("the shift of {context} lists {day:?} twice"),
                            );
                        }
                        mask[d] = true;
                    }
                }
            }
            Some(Shift::Hours { from_s: from_s?, to_s: to_s?, days: mask, on_call: on_call? })
        }
        RawShift::Continuous { changes } => {
            if changes.is_empty() {
                c.report(
                    &spath.field("changes"),
                    format!(
                        "the rota of {context} lists no change of shift; give at least one, e.g. [\"07:00\", \"19:00\"]"
                    ),
                );
                return None;
            }
            let mut parsed = Vec::with_capacity(changes.len());
            for (k, text) in changes.iter().enumerate() {
                let Some(at) = parse_clock(text) else {
                    c.report(
                        &spath.field("changes").index(k),
                        format!("malformed time of day \"{text}\": expected \"HH:MM\", e.g. \"07:00\""),
                    );
                    return None;
                };
                let at = at % 86_400;
                if parsed.last().is_some_and(|last| *last >= at) {
                    c.report(
                        &spath.field("changes").index(k),
                        format!("the changes of shift of {context} must be in order within the day; {text} comes after a later one"),
                    );
                    return None;
                }
                parsed.push(at);
            }
            Some(Shift::Always { changes: parsed })
        }
    }
}

/// A rota nobody can work is an error (a shift longer than a week's
/// contracted hours); one short of people is valid (planners model exactly
/// that) but warned about, with the FTE it would need.
fn check_rota(c: &mut Checker, tpath: &Path, team: &Team, context: &str, rules: &Rules) {
    let Some(seats) = team.seats else { return };
    let length_h = f64::from(team.shift.length_s()) / 3600.0;
    if length_h > rules.hours_per_week {
        c.report(
            &tpath.field("shift"),
            format!(
                "{context} cannot be staffed: its shifts of {length_h:.0}h are longer than a person's week (`rules.hours_per_week` {})",
                rules.hours_per_week
            ),
        );
        return;
    }
    let needed = team.fte_needed(rules.hours_per_week);
    if f64::from(team.analysts) + 1e-9 < needed {
        c.warn(
            tpath,
            format!(
                "{context} has {} analysts for {seats} seat{} on duty {:.0} h a week: that needs {needed:.1} FTE at {} h a week with {:.0}% absence, so it fills at most about {:.0}% of its seat-hours",
                team.analysts,
                if seats == 1 { "" } else { "s" },
                team.shift.hours_on_duty_a_week(),
                rules.hours_per_week,
                100.0 * team.absence,
                100.0 * f64::from(team.analysts) / needed,
            ),
        );
    }
}

pub(super) fn check_nations(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Nation> {
    if raw.nations.is_empty() {
        c.report(&root.field("nations"), "the scenario declares no nation; it needs at least one".into());
    }
    let mut nations = Vec::new();
    for (i, n) in raw.nations.iter().enumerate() {
        let path = root.field("nations").index(i);
        let context = format!("nation \"{}\"", n.id);
        let law_enforcement = match &n.law_enforcement {
            None => Some(None),
            Some(le) => {
                let lpath = path.field("law_enforcement");
                let what = format!("law enforcement of {context}");
                check_share(c, &lpath.field("trust"), le.trust, &format!("the trust in the {what}"));
                c.duration(&lpath.field("latency"), &le.latency, &format!("latency of the {what}"))
                    .map(|latency| Some(Channel { latency, trust: le.trust.clamp(0.0, 1.0) }))
            }
        };
        match (parse_utc_offset(&n.utc_offset), law_enforcement) {
            (Some(utc_offset_s), Some(law_enforcement)) => nations.push(Nation {
                id: n.id.clone(),
                name: n.name.clone(),
                utc_offset_s,
                mandatory_reporting: n.mandatory_reporting,
                law_enforcement,
                crisis_levels: Vec::new(),
            }),
            (Some(_), None) => {}
            (None, _) => c.report(
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
