//! The `variants` block: named options for `ttx batch`. Their assignments are
//! checked when a batch applies them (as overrides, so nothing escapes validation);
//! here, what can be checked without applying them.

#[allow(unused_imports)]
use super::*;

pub(super) fn check_variants(c: &mut Checker, path: &Path, raw: &[RawVariant]) -> Vec<ScenarioVariant> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, v) in raw.iter().enumerate() {
        let at = path.index(i);
        let name = v.name.trim();
        if name.is_empty() {
            c.report(&at.field("name"), "a variant needs a name: it labels its rows and its answers".into());
        } else if !seen.insert(name) {
            c.report(&at.field("name"), format!("the variant name \"{name}\" is used twice; names must be unique"));
        } else if name.chars().any(char::is_control) {
            c.report(
                &at.field("name"),
                format!(
                    "the variant name {name:?} holds a control character (a line break, a tab): it labels a row of runs.csv; use plain text on one line"
                ),
            );
        }
        for (key, value) in &v.set {
            if key.trim().is_empty() || value.trim().is_empty() {
                c.report(
                    &at.field("set"),
                    format!("variant \"{name}\" sets \"{key}\" to \"{value}\": key and value must both be given"),
                );
            } else if key.split('.').next() == Some("variants") {
                c.report(&at.field("set"), format!("variant \"{name}\" cannot change the variants block itself"));
            }
        }
        out.push(ScenarioVariant {
            name: name.to_string(),
            set: v.set.iter().map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect(),
        });
    }
    if raw.len() == 1 {
        c.report(path, "a variants block needs at least two variants to compare (the first is the baseline)".into());
    }
    out
}
