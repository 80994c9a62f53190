//! Worm outbreaks and coordination between CSIRTs.

#[allow(unused_imports)]
use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn check_outbreak(
    c: &mut Checker,
    path: &Path,
    o: &RawOutbreak,
    nations: &BTreeMap<&str, usize>,
    targets: &TargetIndex,
    csirts: &[Option<Csirt>],
    horizon: Option<SimDuration>,
) -> Option<Outbreak> {
    let context = format!("outbreak \"{}\"", o.id);
    let origin = c.reference(&path.field("origin"), nations, "nation", &o.origin, &context).map(NationId::new);
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
    if tick == Some(SimDuration::ZERO) {
        c.report(&path.field("tick"), format!("the tick of {context} must be longer than 0s"));
    }
    let mut populations = Vec::new();
    for (k, p) in o.populations.iter().enumerate() {
        let ppath = path.field("populations").index(k);
        let nation = c.reference(&ppath.field("nation"), nations, "nation", &p.nation, &context).map(NationId::new);
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
        let Some(hits) = check_target(c, &tpath, t, targets, &context) else {
            continue;
        };
        for target in hits {
            if exposed_assets.iter().any(|e: &Target| e.asset == target.asset) {
                continue;
            }
            let nation = targets.nation_of(target.asset.index());
            let name = targets.assets.iter().find(|(_, i)| **i == target.asset.index()).map_or("", |(n, _)| *n);
            let at = if t.asset.is_some() { tpath.field("asset") } else { tpath.clone() };
            let national = nation.and_then(|n| {
                csirts.iter().position(|x| {
                    x.as_ref().is_some_and(|x| x.nation.index() == n && x.kind == crate::scenario::CsirtKind::National)
                })
            });
            if !nation.is_some_and(|n| populations.iter().any(|p| p.nation.index() == n)) {
                c.report(
                    &at,
                    format!("{context} exposes asset \"{name}\", but its nation has no population in the outbreak"),
                );
                continue;
            }
            match national {
            Some(k) if csirts[k].as_ref().is_some_and(|x| x.sop.is_some() || x.sops_by_type.contains_key(&crate::scenario::IncidentType::Malware)) => {
                exposed_assets.push(target);
                report_to.push(CsirtId::new(k));
            }
            _ => c.report(
                &at,
                format!("{context} exposes asset \"{name}\", but its nation has no national CSIRT with a SOP for malware to report to"),
            ),
        }
        }
    }
    check_share(
        c,
        &path.field("reports_per_infection"),
        o.reports_per_infection,
        &format!("the reports per infection of {context}"),
    );
    Some(Outbreak {
        id: o.id.clone(),
        origin: origin?,
        start: start?.after_start(),
        initial_infected: o.initial_infected.max(1) as u64,
        contact_rate_per_s: rate?,
        local_preference: o.local_preference.clamp(0.0, 1.0),
        tick: tick?.max(SimDuration::SECOND),
        populations,
        detection_threshold: o.detection_threshold,
        exposed_assets,
        report_to,
        warn_others: o.warn_others,
        reports_per_infection: o.reports_per_infection.clamp(0.0, 1.0),
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

pub(super) fn check_coordination(
    c: &mut Checker,
    path: &Path,
    x: &crate::scenario::raw::RawCoordination,
    csirt_index: &BTreeMap<&str, usize>,
) -> Option<Coordination> {
    let what = "coordination";
    let call_order = check_call_order(c, &path.field("call_order"), &x.call_order, csirt_index, "the call order");
    let direct = c.duration(&path.field("direct"), &x.direct, &format!("direct latency in {what}"));
    let indirect = match &x.indirect {
        Some(t) => c.duration(&path.field("indirect"), t, &format!("indirect latency in {what}")).map(Some),
        None => Some(None),
    };
    let call_effort = c.duration(&path.field("call_effort"), &x.call_effort, &format!("call effort in {what}"));
    let preparation = c.duration(&path.field("preparation"), &x.preparation, &format!("preparation in {what}"));
    let constituent_latency = c.duration(
        &path.field("constituent_latency"),
        &x.constituent_latency,
        &format!("constituent latency in {what}"),
    );
    let notify_effort = c.duration(&path.field("notify_effort"), &x.notify_effort, &format!("notify effort in {what}"));
    let read_effort = c.duration(&path.field("read_effort"), &x.read_effort, &format!("read effort in {what}"));
    let answer_effort = match &x.answer_effort {
        Some(t) => c.duration(&path.field("answer_effort"), t, &format!("answer effort in {what}")).map(Some),
        None => Some(None),
    };
    let meetings = check_meetings(c, &path.field("meetings"), x.meetings.as_ref());
    for (field, value) in [
        ("constituent_trust", x.constituent_trust),
        ("regional_trust", x.regional_trust),
        ("first_trust", x.first_trust),
        ("indirect_trust", x.indirect_trust),
    ] {
        check_share(c, &path.field(field), value, &format!("the {} in {what}", field.replace('_', " ")));
    }
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
        call_order: call_order?,
        call_priority: x.call_priority,
        warning_protection: x.warning_protection.clamp(0.0, 1.0),
        preparation: preparation?,
        warning_tlp: x.warning_tlp,
        warned_containment_factor: x.warned_containment_factor.clamp(0.0, 1.0),
        constituent_latency: constituent_latency?,
        notify_effort: notify_effort?,
        read_effort: read_effort?,
        answer_effort: answer_effort?,
        meetings: meetings?,
        constituent_trust: x.constituent_trust.clamp(0.0, 1.0),
        regional_trust: x.regional_trust.clamp(0.0, 1.0),
        first_trust: x.first_trust.clamp(0.0, 1.0),
        indirect_trust: x.indirect_trust.clamp(0.0, 1.0),
    })
}

/// Meetings: an interval of at least an hour (more often is a standing
/// call, not a meeting, and would flood the trust trajectory), an effort
/// shorter than the interval, a gain of 0 to 1.
fn check_meetings(
    c: &mut Checker,
    path: &Path,
    x: Option<&crate::scenario::raw::RawMeetings>,
) -> Option<Option<crate::scenario::validated::Meetings>> {
    let Some(m) = x else { return Some(None) };
    let every = c.duration(&path.field("every"), &m.every, "the meeting interval");
    let effort = c.duration(&path.field("effort"), &m.effort, "the meeting effort");
    check_share(c, &path.field("gain"), m.gain, "the meeting gain");
    let (every, effort) = (every?, effort?);
    if every < SimDuration::HOUR {
        c.report(
            &path.field("every"),
            format!("meetings every {} are more often than ttx models (at most one an hour)", format_duration(every)),
        );
        return None;
    }
    if effort.is_zero() || effort > every {
        c.report(
            &path.field("effort"),
            format!(
                "a meeting must take longer than 0s and at most its interval ({}), found {}",
                format_duration(every),
                format_duration(effort)
            ),
        );
        return None;
    }
    Some(Some(crate::scenario::validated::Meetings { every, effort, gain: m.gain.clamp(0.0, 1.0) }))
}

/// A call order; a list names CSIRTs, each once.
pub(super) fn check_call_order(
    c: &mut Checker,
    path: &Path,
    order: &crate::scenario::raw::RawCallOrder,
    csirt_index: &BTreeMap<&str, usize>,
    context: &str,
) -> Option<crate::scenario::validated::CallOrder> {
    use crate::scenario::raw::RawCallOrder as Raw;
    use crate::scenario::validated::CallOrder;
    Some(match order {
        Raw::LargestExposure => CallOrder::LargestExposure,
        Raw::RegionalFirst => CallOrder::RegionalFirst,
        Raw::ByTrust => CallOrder::ByTrust,
        Raw::AwakeFirst => CallOrder::AwakeFirst,
        Raw::List(ids) => {
            let mut listed = Vec::with_capacity(ids.len());
            let mut ok = true;
            // `List([...])` is a newtype variant: its list is the variant's one item.
            let item = |i: usize| path.index(0).index(i);
            for (i, id) in ids.iter().enumerate() {
                match c.reference(&item(i), csirt_index, "CSIRT", id, context) {
                    Some(k) if listed.contains(&CsirtId::new(k)) => {
                        c.report(&item(i), format!("CSIRT \"{id}\" is listed twice in {context}"));
                        ok = false;
                    }
                    Some(k) => listed.push(CsirtId::new(k)),
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            CallOrder::List(listed)
        }
    })
}

/// A probability or share: 0 to 1.
pub(super) fn check_share(c: &mut Checker, path: &Path, value: f64, what: &str) {
    if !(0.0..=1.0).contains(&value) {
        c.report(path, format!("{what} must be 0 to 1, found {value}"));
    }
}

/// Vendors a CSIRT can call about their products' vulnerabilities.
pub(super) fn check_vendors(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Vendor> {
    let mut vendors = Vec::new();
    for (i, v) in raw.vendors.iter().enumerate() {
        let path = root.field("vendors").index(i);
        let context = format!("vendor \"{}\"", v.id);
        let latency = c.duration(&path.field("latency"), &v.latency, &format!("latency of {context}"));
        check_share(c, &path.field("trust"), v.trust, &format!("the trust of {context}"));
        check_share(c, &path.field("patch_factor"), v.patch_factor, &format!("the patch factor of {context}"));
        if let Some(latency) = latency {
            vendors.push(Vendor {
                id: v.id.clone(),
                name: if v.name.is_empty() { v.id.clone() } else { v.name.clone() },
                channel: Channel { latency, trust: v.trust.clamp(0.0, 1.0) },
                patch_factor: v.patch_factor.clamp(0.0, 1.0),
            });
        }
    }
    vendors
}
