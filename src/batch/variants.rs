//! Variants of a batch: the cross product of `--vary KEY=V1,V2,...` values, each a
//! list of overrides applied on top of the scenario (and any `--set`).

use crate::scenario::{Override, ScenarioVariant};

/// One `--vary` option: a key and the values it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vary {
    pub key: String,
    pub values: Vec<String>,
}

impl Vary {
    /// `KEY=V1,V2,...`: values are separated by the commas outside brackets and
    /// quotes, so a value may be any RON value (`BusinessHours(from: "08:00", to:
    /// "16:30")`, `[1, 2]`, `"a, b"`).
    pub fn parse(text: &str) -> Result<Self, VaryError> {
        let fail = |problem| VaryError { text: text.to_string(), problem };
        let (key, values) = text.split_once('=').ok_or_else(|| fail(VaryProblem::NoEquals))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(fail(VaryProblem::EmptyKey));
        }
        let values: Vec<String> = split_top_level(values)
            .map_err(|why| fail(VaryProblem::Unbalanced(why)))?
            .into_iter()
            .map(|v| v.trim().to_string())
            .collect();
        if values.iter().any(String::is_empty) {
            return Err(fail(VaryProblem::EmptyValue));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = values.iter().find(|v| !seen.insert(v.as_str())) {
            return Err(fail(VaryProblem::Repeated(dup.clone())));
        }
        Ok(Self { key: key.to_string(), values })
    }
}

/// A `--vary` that cannot be read, with the text as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed --vary \"{text}\": {problem}")]
pub struct VaryError {
    pub text: String,
    pub problem: VaryProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaryProblem {
    #[error("expected KEY=V1,V2,..., e.g. csirts.natcert.analysts=4,8")]
    NoEquals,
    #[error("the key before '=' is empty")]
    EmptyKey,
    /// Brackets or quotes that do not balance, in words.
    #[error("{0}")]
    Unbalanced(String),
    #[error("a value between commas is empty")]
    EmptyValue,
    #[error("the value \"{0}\" is given twice")]
    Repeated(String),
}

/// Splits at commas that are outside brackets and strings; unbalanced brackets
/// or an unclosed string are errors, not a silent wrong split.
fn split_top_level(text: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let mut open: Vec<char> = Vec::new();
    let (mut start, mut in_string, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let expected = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(expected) {
                    return Err(format!("'{c}' at character {} closes nothing", text[..i].chars().count() + 1));
                }
            }
            ',' if open.is_empty() => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if in_string {
        return Err("a string is not closed (a '\"' is missing)".into());
    }
    if let Some(c) = open.last() {
        return Err(format!("a '{c}' is not closed"));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

/// A variant: its name (`key=value` pairs, or `baseline` when nothing varies) and
/// its overrides. The first variant (every key at its first value) is the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub overrides: Vec<Override>,
}

/// A short label for each varied key: without its first segment when it has
/// three or more (`natcert.analysts` for `csirts.natcert.analysts`,
/// `kv-cert.teams.0.analysts`), the whole key where two labels would read alike.
/// Reports and charts name variants by these.
pub fn short_keys(keys: &[&str]) -> Vec<String> {
    let short: Vec<String> = keys
        .iter()
        .map(|k| match k.split_once('.') {
            Some((_, rest)) if rest.contains('.') => rest.to_string(),
            _ => k.to_string(),
        })
        .collect();
    let unique = short.iter().enumerate().all(|(i, l)| !short[..i].contains(l));
    if unique { short } else { keys.iter().map(|k| k.to_string()).collect() }
}

/// The cross product of the values, the first key varying slowest.
pub fn variants(vary: &[Vary]) -> Vec<Variant> {
    let mut out = vec![Variant { name: String::new(), overrides: Vec::new() }];
    let labels = short_keys(&vary.iter().map(|v| v.key.as_str()).collect::<Vec<_>>());
    for (v, label) in vary.iter().zip(&labels) {
        out = out
            .into_iter()
            .flat_map(|base| {
                v.values.iter().map(move |value| {
                    let mut overrides = base.overrides.clone();
                    overrides.push(Override::new(&v.key, value).via("--vary"));
                    let pair = format!("{label}={value}");
                    let name = if base.name.is_empty() { pair } else { format!("{} {pair}", base.name) };
                    Variant { name, overrides }
                })
            })
            .collect();
    }
    if vary.is_empty() {
        out[0].name = "baseline".into();
    }
    out
}

/// The variants of a scenario's `variants` block, their overrides attributed to
/// the variant in errors (`FILE: variant "8 analysts" sets KEY=VALUE: ...`).
pub fn scenario_variants(file: &str, block: &[ScenarioVariant]) -> Vec<Variant> {
    block
        .iter()
        .map(|v| Variant {
            name: v.name.clone(),
            overrides: v
                .set
                .iter()
                .map(|(key, value)| Override::new(key, value).via(format!("{file}: variant \"{}\" sets", v.name)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_product_varies_the_first_key_slowest() {
        let a = Vary::parse("csirts.x.analysts=4,8").unwrap();
        let b = Vary::parse("horizon=1d,2d").unwrap();
        let names: Vec<String> = variants(&[a, b]).into_iter().map(|v| v.name).collect();
        assert_eq!(
            names,
            [
                "x.analysts=4 horizon=1d",
                "x.analysts=4 horizon=2d",
                "x.analysts=8 horizon=1d",
                "x.analysts=8 horizon=2d"
            ]
        );
        assert_eq!(variants(&[])[0].name, "baseline");
    }

    #[test]
    fn short_labels_keep_the_segments_that_tell_keys_apart() {
        assert_eq!(short_keys(&["csirts.kv.analysts", "horizon"]), ["kv.analysts", "horizon"]);
        assert_eq!(
            short_keys(&["csirts.kv.teams.0.analysts", "coordination.direct"]),
            ["kv.teams.0.analysts", "coordination.direct"]
        );
        assert_eq!(short_keys(&["a.b.c", "x.b.c"]), ["a.b.c", "x.b.c"], "the whole keys where short ones collide");
    }

    #[test]
    fn malformed_vary_options_say_what_is_wrong() {
        assert_eq!(
            Vary::parse("analysts").unwrap_err().to_string(),
            "malformed --vary \"analysts\": expected KEY=V1,V2,..., e.g. csirts.natcert.analysts=4,8"
        );
        assert_eq!(
            Vary::parse("a=1,,2").unwrap_err().to_string(),
            "malformed --vary \"a=1,,2\": a value between commas is empty"
        );
        assert_eq!(
            Vary::parse("a=1,1").unwrap_err().to_string(),
            "malformed --vary \"a=1,1\": the value \"1\" is given twice"
        );
        assert_eq!(Vary::parse("a=(1,2").unwrap_err().to_string(), "malformed --vary \"a=(1,2\": a '(' is not closed");
        assert_eq!(
            Vary::parse("a=1),2").unwrap_err().to_string(),
            "malformed --vary \"a=1),2\": ')' at character 2 closes nothing"
        );
        assert_eq!(
            Vary::parse("a=\"x,2").unwrap_err().to_string(),
            "malformed --vary \"a=\"x,2\": a string is not closed (a '\"' is missing)"
        );
    }
}
