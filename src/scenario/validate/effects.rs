//! What injects and decision options do.

#[allow(unused_imports)]
use super::*;

/// What effects may refer to.
pub(super) struct Refs<'a> {
    pub(super) csirt_index: &'a BTreeMap<&'a str, usize>,
    pub(super) sop_index: &'a BTreeMap<&'a str, usize>,
    pub(super) targets: &'a TargetIndex<'a>,
    pub(super) vendor_index: &'a BTreeMap<&'a str, usize>,
    pub(super) nation_index: &'a BTreeMap<&'a str, usize>,
    pub(super) nations: &'a [Nation],
    /// Each region's members.
    pub(super) regions: &'a BTreeMap<String, Vec<CsirtId>>,
    /// Each nation's crisis level names, lowest first (from the file).
    pub(super) crisis_levels: &'a [Vec<&'a str>],
    /// Whether these effects are a crisis level's own (which may not set a level).
    pub(super) in_crisis_level: bool,
    /// Outbreak ids, and which outbreaks have a takedown.
    pub(super) outbreak_index: &'a BTreeMap<&'a str, usize>,
    pub(super) takedowns: &'a [bool],
    /// `None` when the coordination section has errors of its own.
    pub(super) coordination: Option<&'a Coordination>,
    pub(super) csirts: &'a [Option<Csirt>],
    pub(super) sops: &'a [Sop],
}

/// One effect of an inject or a decision option.
pub(super) fn check_effect(
    c: &mut Checker,
    epath: &Path,
    effect: &RawEffect,
    refs: &Refs,
    context: &str,
) -> Option<Effect> {
    let Refs { csirt_index, sop_index, targets: target_index, vendor_index, csirts, sops, .. } = refs;
    let context = context.to_string();
    if refs.in_crisis_level && matches!(effect, RawEffect::Report { .. } | RawEffect::Disclosure { .. }) {
        c.report(
            epath,
            format!("{context} reports an incident or discloses a vulnerability; a crisis level's effects act on people, policy, trust and the media (move it to an inject)"),
        );
        return None;
    }
    match effect {
        RawEffect::Disclosure { csirt, assets, vendor_patch, patching, exploitation, vendor } => {
            let vendor = match vendor {
                Some(v) => c.reference(&epath.field("vendor"), vendor_index, "vendor", v, &context).map(Some),
                None => Some(None),
            };
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            let sop = csirt.and_then(|k| csirts[k].as_ref()).and_then(|k| {
                let sop = k.sop_for(crate::scenario::IncidentType::Intrusion);
                if sop.is_none() {
                    c.report(epath, no_sop(k, crate::scenario::IncidentType::Intrusion, &context));
                }
                sop
            });
            let targets: Vec<Option<Vec<Target>>> = assets
                .iter()
                .enumerate()
                .map(|(k, t)| check_target(c, &epath.field("assets").index(k), t, target_index, &context))
                .collect();
            let vendor_patch = check_distribution(
                c,
                &epath.field("vendor_patch"),
                vendor_patch,
                &format!("vendor patch in {context}"),
            );
            let patching = check_distribution(c, &epath.field("patching"), patching, &format!("patching in {context}"));
            let rate = match parse_rate(exploitation) {
                Ok(r) => Some(r),
                Err(m) => {
                    c.report(&epath.field("exploitation"), format!("{m} (exploitation rate in {context})"));
                    None
                }
            };
            let assets: Option<Vec<Target>> = targets.into_iter().collect::<Option<Vec<_>>>().map(union_of_targets);
            if let (
                Some(csirt),
                Some(sop),
                Some(assets),
                Some(vendor_patch),
                Some(patching),
                Some(exploitation_per_s),
                Some(vendor),
            ) = (csirt, sop, assets, vendor_patch, patching, rate, vendor)
            {
                let effect = Effect::Disclosure {
                    csirt: CsirtId::new(csirt),
                    sop,
                    assets,
                    vendor_patch,
                    patching,
                    exploitation_per_s,
                    vendor: vendor.map(VendorId::new),
                };
                return Some(effect);
            }
        }
        RawEffect::Outage { asset, level, duration } => {
            let asset = c.reference(&epath.field("asset"), target_index.assets, "asset", asset, &context);
            check_level(c, &epath.field("level"), *level, &context);
            let duration = c.duration(&epath.field("duration"), duration, &format!("outage duration in {context}"));
            if let (Some(asset), Some(duration)) = (asset, duration) {
                return Some(Effect::Outage { asset: AssetId::new(asset), level: *level, duration });
            }
        }
        RawEffect::Report { incident_type, csirt, sop, severity, target } => {
            let targets = match target {
                Some(t) => check_target(c, &epath.field("target"), t, target_index, &context),
                None => Some(Vec::new()),
            };
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            let sop = match sop {
                Some(sop) => c.reference(&epath.field("sop"), sop_index, "SOP", sop, &context).map(SopId::new),
                None => csirt.and_then(|k| csirts[k].as_ref()).and_then(|k| {
                    let sop = k.sop_for(*incident_type);
                    if sop.is_none() {
                        c.report(epath, no_sop(k, *incident_type, &context));
                    }
                    sop
                }),
            };
            if let (Some(csirt), Some(sop), Some(targets)) = (csirt, sop, targets) {
                check_tiers(c, epath, csirts, sops, csirt, sop, &context);
                return Some(Effect::Report {
                    incident_type: *incident_type,
                    severity: *severity,
                    csirt: CsirtId::new(csirt),
                    sop,
                    targets,
                });
            }
        }
        RawEffect::SetAnalysts { csirt, analysts, tier, team } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 0 {
                c.report(
                    &epath.field("analysts"),
                    format!("{context} sets a negative number of analysts ({analysts}); use 0 or more"),
                );
            }
            super::organisations::check_headcount(c, &epath.field("analysts"), *analysts, &context);
            if let Some(team) = csirt.and_then(|k| team_of(c, epath, csirts, k, (*tier, team.as_deref()), &context)) {
                let csirt = csirt.unwrap_or_default();
                return Some(Effect::SetAnalysts {
                    csirt: CsirtId::new(csirt),
                    team,
                    analysts: clamp_count(*analysts),
                });
            }
        }
        RawEffect::StopProgramme { csirt, service } => {
            let k = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context)?;
            // A CSIRT that failed validation told its own errors.
            let x = csirts[k].as_ref()?;
            if x.programme(*service).is_none() {
                let runs: Vec<String> = x.programmes.iter().map(|p| format!("{:?}", p.service)).collect();
                let runs = if runs.is_empty() { "none".to_string() } else { runs.join(", ") };
                c.report(
                    &epath.field("service"),
                    format!("{context} stops a programme of {service:?} that CSIRT \"{csirt}\" does not run (it runs: {runs})"),
                );
                return None;
            }
            return Some(Effect::StopProgramme { csirt: CsirtId::new(k), service: *service });
        }
        RawEffect::SetCallOrder { order } => {
            let order = super::outbreaks::check_call_order(c, &epath.field("order"), order, csirt_index, &context);
            return order.map(|order| Effect::SetCallOrder { order });
        }
        RawEffect::SetWarningTlp { tlp } => return Some(Effect::SetWarningTlp { tlp: *tlp }),
        RawEffect::ChangeTrust { relation, by } => {
            if !(-1.0..=1.0).contains(by) {
                c.report(&epath.field("by"), format!("{context} changes trust by {by}; use -1 to 1"));
            }
            let relation = check_relation(c, &epath.field("relation"), relation, refs, &context)?;
            return Some(Effect::ChangeTrust { relation, by: by.clamp(-1.0, 1.0) });
        }
        RawEffect::RegionalExercise { region } => {
            let members = refs.regions.get(region).cloned().unwrap_or_default();
            if members.len() < 2 {
                let known = refs.regions.iter().filter(|(_, m)| m.len() >= 2).map(|(r, _)| r.as_str());
                let hint = match closest(region, known) {
                    Some(near) => format!("; did you mean \"{near}\"?"),
                    None => "; an exercise needs a region two or more CSIRTs list".to_string(),
                };
                let who = match members.first().and_then(|m| csirts[m.index()].as_ref()) {
                    None => "no CSIRT lists it in `regions`".to_string(),
                    Some(only) => format!("only CSIRT \"{}\" lists it in `regions`", only.id),
                };
                c.report(
                    &epath.field("region"),
                    format!("{context} holds an exercise of region \"{region}\", but {who}{hint}"),
                );
                return None;
            }
            return Some(Effect::RegionalExercise { region: region.clone(), members });
        }
        RawEffect::FalseWarning { csirt } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context)?;
            return Some(Effect::FalseWarning { csirt: CsirtId::new(csirt) });
        }
        RawEffect::Enforcement { csirt: id } => {
            let k = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", id, &context)?;
            let csirt = csirts[k].as_ref()?;
            if csirt.mandate != crate::scenario::Mandate::Regulator {
                c.report(
                    &epath.field("csirt"),
                    format!(
                        "{context}: CSIRT \"{id}\" enforces, but only a regulator can; give it `mandate: Regulator`"
                    ),
                );
                return None;
            }
            return Some(Effect::Enforcement { csirt: CsirtId::new(k) });
        }
        RawEffect::PressLeak { nation } => {
            let n = c.reference(&epath.field("nation"), refs.nation_index, "nation", nation, &context)?;
            return Some(Effect::PressLeak { nation: NationId::new(n) });
        }
        RawEffect::PublicStatement { csirt, names_victim } => {
            let k = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context)?;
            return Some(Effect::PublicStatement { csirt: CsirtId::new(k), names_victim: *names_victim });
        }
        RawEffect::ReferToPolice { outbreak } => {
            let o = c.reference(&epath.field("outbreak"), refs.outbreak_index, "outbreak", outbreak, &context)?;
            if !refs.takedowns[o] {
                c.report(
                    &epath.field("outbreak"),
                    format!(
                        "{context} refers outbreak \"{outbreak}\" to the police, but it has no `takedown` to carry out"
                    ),
                );
                return None;
            }
            return Some(Effect::ReferToPolice { outbreak: OutbreakId::new(o) });
        }
        RawEffect::RequestHelp { csirt, region, analysts, arrives, stays } => {
            let k = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 1 {
                c.report(
                    &epath.field("analysts"),
                    format!("{context} asks for {analysts} responders; ask for at least 1"),
                );
            }
            super::organisations::check_headcount(c, &epath.field("analysts"), *analysts, &context);
            let arrives = c.duration(&epath.field("arrives"), arrives, &format!("arrival of help in {context}"));
            let stays = c.duration(&epath.field("stays"), stays, &format!("stay of help in {context}"));
            let k = k?;
            let members = refs.regions.get(region).cloned().unwrap_or_default();
            if !members.contains(&CsirtId::new(k)) {
                let own = csirts[k].as_ref().map(|x| x.regions.join(", ")).unwrap_or_default();
                let hint =
                    if own.is_empty() { "it belongs to none".to_string() } else { format!("it belongs to {own}") };
                c.report(
                    &epath.field("region"),
                    format!(
                        "{context}: CSIRT \"{csirt}\" asks region \"{region}\" for help, but is not a member ({hint})"
                    ),
                );
                return None;
            }
            let helpers: Vec<CsirtId> = members.into_iter().filter(|m| m.index() != k).collect();
            if helpers.is_empty() {
                c.report(&epath.field("region"), format!("{context}: region \"{region}\" has no other member to help"));
                return None;
            }
            return Some(Effect::RequestHelp {
                csirt: CsirtId::new(k),
                helpers,
                analysts: clamp_count(*analysts),
                arrives: arrives?,
                stays: stays?,
            });
        }
        RawEffect::SetCrisisLevel { nation, level } => {
            let n = c.reference(&epath.field("nation"), refs.nation_index, "nation", nation, &context)?;
            if refs.in_crisis_level {
                c.report(
                    epath,
                    format!("{context} sets a crisis level; a level's effects may not set another (move it to an inject or a decision)"),
                );
                return None;
            }
            let names = &refs.crisis_levels[n];
            let found = if level == "normal" { Some(0) } else { names.iter().position(|l| l == level).map(|k| k + 1) };
            let Some(found) = found else {
                let hint = match closest(level, names.iter().copied().chain(["normal"])) {
                    Some(near) => format!("; did you mean \"{near}\"?"),
                    None => format!("; nation \"{nation}\" declares none: add `crisis_levels`"),
                };
                c.report(
                    &epath.field("level"),
                    format!("unknown crisis level \"{level}\" of nation \"{nation}\" in {context}{hint}"),
                );
                return None;
            };
            return Some(Effect::SetCrisisLevel { nation: NationId::new(n), level: found as u8 });
        }
        RawEffect::Hire { csirt, analysts, tier, team, ramp_up, learning, term } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 1 {
                c.report(&epath.field("analysts"), format!("{context} hires {analysts} analysts; hire at least 1"));
            }
            super::organisations::check_headcount(c, &epath.field("analysts"), *analysts, &context);
            let ramp_up = match ramp_up {
                Some(text) => c.duration(&epath.field("ramp_up"), text, &format!("ramp-up in {context}")),
                None => Some(SimDuration::ZERO),
            };
            let learning = match learning {
                Some(text) => c.duration(&epath.field("learning"), text, &format!("learning time in {context}")),
                None => Some(SimDuration::ZERO),
            };
            let term = match term {
                Some(text) => match c.duration(&epath.field("term"), text, &format!("term in {context}")) {
                    Some(t) if t.is_zero() => {
                        c.report(
                            &epath.field("term"),
                            format!("{context} hires analysts for a term of 0s; give a term of at least 1s, or none"),
                        );
                        None
                    }
                    t => t.map(Some),
                },
                None => Some(None),
            };
            let team = csirt.and_then(|k| team_of(c, epath, csirts, k, (*tier, team.as_deref()), &context));
            if let (Some(csirt), Some(team), Some(ramp_up), Some(learning), Some(term)) =
                (csirt, team, ramp_up, learning, term)
            {
                return Some(Effect::Hire {
                    csirt: CsirtId::new(csirt),
                    team,
                    analysts: clamp_count(*analysts),
                    ramp_up,
                    learning,
                    term,
                });
            }
        }
    }
    None
}

/// A relation named by its parties' ids.
fn check_relation(
    c: &mut Checker,
    path: &Path,
    relation: &RawRelation,
    refs: &Refs,
    context: &str,
) -> Option<Relation> {
    let csirt = |c: &mut Checker, i: usize, id: &str| {
        c.reference(&path.index(i), refs.csirt_index, "CSIRT", id, context).map(CsirtId::new)
    };
    match relation {
        RawRelation::Constituents(id) => csirt(c, 0, id).map(Relation::Constituents),
        RawRelation::Peers(a, b) => {
            let (a, b) = (csirt(c, 0, a), csirt(c, 1, b));
            let (a, b) = (a?, b?);
            let (x, y) = (refs.csirts[a.index()].as_ref()?, refs.csirts[b.index()].as_ref()?);
            if a == b {
                c.report(&path.index(1), format!("{context} names CSIRT \"{}\" twice as peers", x.id));
                return None;
            }
            if refs.coordination.is_some_and(|co| co.channel(x, y).is_none()) {
                c.report(
                    path,
                    format!(
                        "{context} changes the trust between CSIRTs \"{}\" and \"{}\", which cannot reach each other (no shared region, not both FIRST members, and `coordination.indirect` is None)",
                        x.id, y.id
                    ),
                );
                return None;
            }
            Some(Relation::peers(a, b))
        }
        RawRelation::Vendor(id) => c
            .reference(&path.index(0), refs.vendor_index, "vendor", id, context)
            .map(|v| Relation::Vendor(VendorId::new(v))),
        RawRelation::Police(id) => {
            let n = c.reference(&path.index(0), refs.nation_index, "nation", id, context)?;
            if refs.nations.get(n).is_some_and(|n| n.law_enforcement.is_none()) {
                c.report(
                    &path.index(0),
                    format!("{context} changes trust in the law enforcement of nation \"{id}\", which has none; give it `law_enforcement`"),
                );
                return None;
            }
            Some(Relation::Police(NationId::new(n)))
        }
    }
}

/// A decision: unique id, unique option ids, exactly one default.
pub(super) fn check_decision<'a>(
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
    let nation = match &d.nation {
        Some(n) => {
            Some(Some(NationId::new(c.reference(&path.field("nation"), refs.nation_index, "nation", n, &context)?)))
        }
        None => Some(None),
    };
    let owner = match &d.owner {
        Some(o) => {
            Some(Some(CsirtId::new(c.reference(&path.field("owner"), refs.csirt_index, "CSIRT", o, &context)?)))
        }
        None => Some(None),
    };
    Some(Decision {
        id: d.id.clone(),
        question: d.question.clone(),
        options,
        default: *defaults.first()?,
        nation: nation?,
        owner: owner?,
        expect: d.expect.clone(),
    })
}
