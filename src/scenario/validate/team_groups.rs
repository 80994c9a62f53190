//! The `team_groups` block: players who sit as one team for several CSIRTs in
//! `ttx serve`. Each group names existing CSIRTs; a CSIRT belongs to at most
//! one group (else two teams would answer its decisions), and a group's id
//! is not a CSIRT's (both are team ids in the URLs and the journal).

#[allow(unused_imports)]
use super::*;
use crate::scenario::TeamGroup;
use crate::scenario::raw::RawTeamGroup;

pub(super) fn check_team_groups(
    c: &mut Checker,
    path: &Path,
    raw: &[RawTeamGroup],
    csirt_index: &BTreeMap<&str, usize>,
) -> Vec<TeamGroup> {
    let group_index = c.index_ids(path, "team group", raw.iter().map(|g| g.id.as_str()));
    let mut grouped: BTreeMap<usize, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, group) in raw.iter().enumerate() {
        let at = path.index(i);
        let context = format!("team group \"{}\"", group.id);
        if csirt_index.contains_key(group.id.as_str()) {
            c.report(
                &at.field("id"),
                format!(
                    "{context} has the id of a CSIRT: a team is named by its id in the URLs and the journal, so give the group its own"
                ),
            );
        }
        if group.csirts.is_empty() {
            c.report(&at.field("csirts"), format!("{context} lists no CSIRTs: name the CSIRTs its players stand for"));
        }
        let mut csirts = Vec::new();
        for (j, id) in group.csirts.iter().enumerate() {
            let jpath = at.field("csirts").index(j);
            let Some(k) = c.reference(&jpath, csirt_index, "CSIRT", id, &context) else { continue };
            if csirts.contains(&CsirtId::new(k)) {
                c.report(&jpath, format!("{context} names CSIRT \"{id}\" twice"));
                continue;
            }
            match grouped.get(&k) {
                Some(other) if *other != group.id.as_str() => c.report(
                    &jpath,
                    format!(
                        "CSIRT \"{id}\" is in team group \"{other}\" and in \"{}\": one team answers for a CSIRT",
                        group.id
                    ),
                ),
                _ => {
                    grouped.insert(k, &group.id);
                }
            }
            csirts.push(CsirtId::new(k));
        }
        if group_index.get(group.id.as_str()) == Some(&i) {
            let name = if group.name.trim().is_empty() { group.id.clone() } else { group.name.trim().to_string() };
            out.push(TeamGroup { id: group.id.clone(), name, csirts });
        }
    }
    out
}
