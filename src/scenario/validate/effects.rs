//! What injects and decision options do.

#[allow(unused_imports)]
use super::*;

/// What effects may refer to.
pub(super) struct Refs<'a> {
    pub(super) csirt_index: &'a BTreeMap<&'a str, usize>,
    pub(super) sop_index: &'a BTreeMap<&'a str, usize>,
    pub(super) targets: &'a TargetIndex<'a>,
    pub(super) vendor_index: &'a BTreeMap<&'a str, usize>,
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
    let Refs { csirt_index, sop_index, targets: target_index, vendor_index, csirts, sops } = refs;
    let context = context.to_string();
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
                    vendor,
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
        RawEffect::SetAnalysts { csirt, analysts, tier } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 0 {
                c.report(
                    &epath.field("analysts"),
                    format!("{context} sets a negative number of analysts ({analysts}); use 0 or more"),
                );
            }
            super::organisations::check_headcount(c, &epath.field("analysts"), *analysts, &context);
            if let Some(team) = csirt.and_then(|k| team_of(c, epath, csirts, k, *tier, &context)) {
                let csirt = csirt.unwrap_or_default();
                return Some(Effect::SetAnalysts {
                    csirt: CsirtId::new(csirt),
                    team,
                    analysts: clamp_count(*analysts),
                });
            }
        }
        RawEffect::SetCallOrder { order } => {
            let order = super::outbreaks::check_call_order(c, &epath.field("order"), order, csirt_index, &context);
            return order.map(|order| Effect::SetCallOrder { order });
        }
        RawEffect::Hire { csirt, analysts, tier, ramp_up } => {
            let csirt = c.reference(&epath.field("csirt"), csirt_index, "CSIRT", csirt, &context);
            if *analysts < 1 {
                c.report(&epath.field("analysts"), format!("{context} hires {analysts} analysts; hire at least 1"));
            }
            super::organisations::check_headcount(c, &epath.field("analysts"), *analysts, &context);
            let ramp_up = match ramp_up {
                Some(text) => c.duration(&epath.field("ramp_up"), text, &format!("ramp-up in {context}")),
                None => Some(SimDuration::ZERO),
            };
            let team = csirt.and_then(|k| team_of(c, epath, csirts, k, *tier, &context));
            if let (Some(csirt), Some(team), Some(ramp_up)) = (csirt, team, ramp_up) {
                return Some(Effect::Hire {
                    csirt: CsirtId::new(csirt),
                    team,
                    analysts: clamp_count(*analysts),
                    ramp_up,
                });
            }
        }
    }
    None
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
    Some(Decision { id: d.id.clone(), question: d.question.clone(), options, default: *defaults.first()? })
}
