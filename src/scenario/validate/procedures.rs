//! SOPs, effort distributions and detection delays.

#[allow(unused_imports)]
use super::*;

pub(super) fn check_sops(c: &mut Checker, raw: &RawScenario, root: &Path) -> Vec<Sop> {
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
            if let Some(level) = &step.escalate {
                let names = raw.nations.iter().flat_map(|n| n.crisis_levels.iter().map(|l| l.name.as_str()));
                if !names.clone().any(|n| n == level) {
                    let hint = match closest(level, names) {
                        Some(near) => format!("; did you mean \"{near}\"?"),
                        None => "; no nation declares `crisis_levels`".to_string(),
                    };
                    c.report(
                        &spath.field("escalate"),
                        format!("step \"{}\" in SOP \"{}\" escalates to crisis level \"{level}\", which no nation has{hint}", step.name, s.id),
                    );
                }
            }
            if let Some(effort) = check_distribution(c, &spath.field("effort"), &step.effort, &context) {
                steps.push(SopStep {
                    name: step.name.clone(),
                    effort,
                    tier: step.tier.clamp(1, MAX_TIER) as u8,
                    phase: step.phase,
                    escalate: step.escalate.clone(),
                });
            }
        }
        sops.push(Sop { id: s.id.clone(), description: s.description.clone(), steps });
    }
    sops
}

pub(super) fn check_distribution(
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

pub(super) fn check_detection(
    c: &mut Checker,
    path: &Path,
    d: &crate::scenario::raw::RawDetection,
    (csirt_index, csirts, victim_csirt): (&BTreeMap<&str, usize>, &[Option<Csirt>], Option<usize>),
    context: &str,
) -> Option<crate::scenario::Detection> {
    let peer_abroad = match &d.peer_abroad {
        None => Some(None),
        Some(p) => {
            let ppath = path.field("peer_abroad");
            let csirt = c.reference(&ppath.field("csirt"), csirt_index, "CSIRT", &p.csirt, context);
            let delay = check_distribution(c, &ppath.field("delay"), &p.delay, &format!("peer detection in {context}"));
            let nation_of = |k: usize| csirts.get(k).and_then(|x| x.as_ref()).map(|x| x.nation);
            if let (Some(peer), Some(victim)) = (csirt.and_then(nation_of), victim_csirt.and_then(nation_of))
                && peer == victim
            {
                c.report(
                    &ppath.field("csirt"),
                    format!("the peer abroad in {context} must be a CSIRT of another nation than the victim's CSIRT"),
                );
            }
            match (csirt, delay) {
                (Some(csirt), Some(delay)) => {
                    Some(Some(crate::scenario::PeerDetection { csirt: CsirtId::new(csirt), delay }))
                }
                _ => None,
            }
        }
    };
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
    Some(crate::scenario::Detection {
        victim: victim?,
        sector_team: sector_team?,
        feeds: feeds?,
        feed_quality: d.feed_quality.clamp(0.0, 1.0),
        peer_abroad: peer_abroad?,
    })
}
