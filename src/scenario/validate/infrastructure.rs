//! Assets, targets and the dependency graph.

#[allow(unused_imports)]
use super::*;

/// A service level an incident or outage leaves an asset at: 0 (down) to below 1.
pub(super) fn check_level(c: &mut Checker, path: &Path, level: f64, context: &str) {
    if !(0.0..1.0).contains(&level) {
        c.report(path, format!("the service level in {context} must be at least 0 and below 1, found {level}"));
    }
}

/// What a target may name, resolved to the assets it covers.
pub(super) struct TargetIndex<'a> {
    pub(super) assets: &'a BTreeMap<&'a str, usize>,
    pub(super) sectors: &'a BTreeMap<&'a str, usize>,
    pub(super) nations: &'a BTreeMap<&'a str, usize>,
    /// The sector of every declared asset (`None` when it names an unknown sector).
    pub(super) asset_sector: Vec<Option<usize>>,
    /// The nation of every declared sector (`None` when it names an unknown nation).
    pub(super) sector_nation: Vec<Option<usize>>,
}

impl<'a> TargetIndex<'a> {
    pub(super) fn new(
        raw: &RawScenario,
        assets: &'a BTreeMap<&'a str, usize>,
        sectors: &'a BTreeMap<&'a str, usize>,
        nations: &'a BTreeMap<&'a str, usize>,
    ) -> Self {
        let asset_sector = raw.assets.iter().map(|a| sectors.get(a.sector.as_str()).copied()).collect();
        let sector_nation = raw.sectors.iter().map(|s| nations.get(s.nation.as_str()).copied()).collect();
        Self { assets, sectors, nations, asset_sector, sector_nation }
    }

    /// The nation an asset is in, when its sector and the sector's nation are known.
    pub(super) fn nation_of(&self, asset: usize) -> Option<usize> {
        self.asset_sector.get(asset).copied().flatten().and_then(|s| self.sector_nation.get(s).copied().flatten())
    }
}

/// The assets a target hits, one `Target` each, in declaration order; `None` when
/// a problem was reported.
pub(super) fn check_target(
    c: &mut Checker,
    path: &Path,
    t: &RawTarget,
    index: &TargetIndex,
    context: &str,
) -> Option<Vec<Target>> {
    check_level(c, &path.field("level"), t.level, context);
    let level_ok = (0.0..1.0).contains(&t.level);
    let named = [&t.asset, &t.sector, &t.nation].iter().filter(|n| n.is_some()).count();
    if named != 1 {
        c.report(
            path,
            format!("a target in {context} names exactly one of asset, sector or nation; this one names {named}"),
        );
        return None;
    }
    let assets: Vec<usize> = if let Some(asset) = &t.asset {
        vec![c.reference(&path.field("asset"), index.assets, "asset", asset, context)?]
    } else if let Some(sector) = &t.sector {
        let s = c.reference(&path.field("sector"), index.sectors, "sector", sector, context)?;
        (0..index.asset_sector.len()).filter(|a| index.asset_sector[*a] == Some(s)).collect()
    } else {
        let nation = t.nation.as_deref().unwrap_or_default();
        let n = c.reference(&path.field("nation"), index.nations, "nation", nation, context)?;
        (0..index.asset_sector.len()).filter(|a| index.nation_of(*a) == Some(n)).collect()
    };
    if assets.is_empty() {
        let what = t.sector.as_ref().map_or_else(
            || format!("nation \"{}\"", t.nation.as_deref().unwrap_or_default()),
            |s| format!("sector \"{s}\""),
        );
        c.report(path, format!("{context} targets {what}, which has no assets; declare its assets or target one"));
        return None;
    }
    level_ok.then(|| assets.into_iter().map(|asset| Target { asset: AssetId::new(asset), level: t.level }).collect())
}

/// Joins target lists, keeping the first mention of each asset.
pub(super) fn union_of_targets(lists: impl IntoIterator<Item = Vec<Target>>) -> Vec<Target> {
    let mut seen = std::collections::BTreeSet::new();
    lists.into_iter().flatten().filter(|t| seen.insert(t.asset)).collect()
}

pub(super) fn check_asset(
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
            None => Some(SimDuration::ZERO),
        };
        let (buffer, recovery_delay) =
            (duration(c, "buffer", &d.buffer), duration(c, "recovery_delay", &d.recovery_delay));
        if let (Some(asset), Some(buffer), Some(recovery_delay)) = (provider, buffer, recovery_delay) {
            depends_on.push(Dependency { asset: AssetId::new(asset), weight: d.weight, buffer, recovery_delay });
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
        sector: SectorId::new(sector?),
        criticality: x.criticality.clamp(1, 5) as u8,
        cost_per_hour: x.cost_per_hour,
        depends_on,
        public: x.public,
    })
}

/// Reports each dependency cycle once, naming its assets in order.
///
/// A depth-first search with an explicit stack: a valid chain of tens of
/// thousands of dependent assets must not exhaust the thread's stack.
pub(super) fn check_cycles(c: &mut Checker, root: &Path, assets: &[Option<Asset>]) {
    // 0 unvisited, 1 on the current path, 2 done
    let mut state = vec![0u8; assets.len()];
    // where an asset on the current path stands in it, so a back edge finds its
    // cycle's start at once (a scan would make many cycles quadratic)
    let mut depth = vec![0usize; assets.len()];
    let depends_on = |i: usize| assets[i].as_ref().map_or(&[][..], |a| a.depends_on.as_slice());
    let mut cycles = Vec::new();
    for first in 0..assets.len() {
        if state[first] != 0 {
            continue;
        }
        // the current path, each asset with the index of its next dependency
        let mut path: Vec<(usize, usize)> = vec![(first, 0)];
        state[first] = 1;
        depth[first] = 0;
        while let Some((asset, next)) = path.last_mut() {
            let Some(d) = depends_on(*asset).get(*next) else {
                state[*asset] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            let provider = d.asset.index();
            match state[provider] {
                0 => {
                    state[provider] = 1;
                    depth[provider] = path.len();
                    path.push((provider, 0));
                }
                1 => {
                    let from = depth[provider];
                    cycles.push(path[from..].iter().map(|(p, _)| *p).collect::<Vec<_>>());
                }
                _ => {}
            }
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
