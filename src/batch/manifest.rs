//! `batch.json`: what a batch directory holds, so `--resume` and `ttx merge` can
//! check that the pieces they combine belong together.

use serde::{Deserialize, Serialize};

/// `--shard K/N`: replication i belongs to shard K when i mod N = K - 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Self, MalformedShard> {
        let err = || MalformedShard(text.to_string());
        let (k, n) = text.split_once('/').ok_or_else(err)?;
        let (index, count): (u64, u64) = (k.trim().parse().map_err(|_| err())?, n.trim().parse().map_err(|_| err())?);
        if index < 1 || index > count {
            return Err(err());
        }
        Ok(Self { index, count })
    }

    pub fn contains(&self, replication: u64) -> bool {
        replication % self.count == self.index - 1
    }
}

/// A `--shard` that is not K/N with 1 <= K <= N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed --shard \"{0}\": expected K/N with 1 <= K <= N, e.g. 2/8")]
pub struct MalformedShard(pub String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The scenario file as given; informative only (the same file reached by
    /// another path is the same scenario: the fingerprint decides).
    pub scenario: String,
    /// The scenario's own name, for report titles.
    #[serde(default)]
    pub name: String,
    /// FNV-1a of the scenario file's text. With the overrides it fixes the
    /// effective scenario every variant ran. Empty in batches from before it
    /// was recorded (those are compared without it).
    #[serde(default)]
    pub scenario_fingerprint: String,
    /// `--set` assignments as given, in order.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// `--vary` options as given (variant names shorten their keys).
    #[serde(default)]
    pub vary: Vec<String>,
    pub variants: Vec<String>,
    pub runs: u64,
    pub seed: u64,
    pub shard: Option<Shard>,
}

impl Manifest {
    /// FNV-1a of a scenario's text, as recorded in `scenario_fingerprint`.
    pub fn fingerprint(text: &str) -> String {
        format!("{:016x}", crate::engine::stream_id(text))
    }

    /// What makes `now` another batch than `self` (recorded), in words; empty
    /// when they are the same batch. `with_shard`: whether the shard counts (it
    /// does for `--resume`, not for `merge`).
    pub fn differences(&self, now: &Manifest, with_shard: bool, labels: [&str; 2]) -> Vec<String> {
        let [then, here] = labels;
        let mut differ = Vec::new();
        let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(" ") };
        if !self.scenario_fingerprint.is_empty() && self.scenario_fingerprint != now.scenario_fingerprint {
            differ.push(format!(
                "the scenario's content (fingerprint {} from {} {then}, {} from {} {here})",
                self.scenario_fingerprint, self.scenario, now.scenario_fingerprint, now.scenario
            ));
        } else if self.scenario_fingerprint.is_empty() && self.name != now.name {
            differ.push(format!("the scenario (\"{}\" {then}, \"{}\" {here})", self.name, now.name));
        }
        if self.overrides != now.overrides {
            differ.push(format!("--set ({} {then}, {} {here})", list(&self.overrides), list(&now.overrides)));
        }
        if self.vary != now.vary {
            differ.push(format!("--vary ({} {then}, {} {here})", list(&self.vary), list(&now.vary)));
        }
        if self.variants != now.variants {
            differ.push(format!(
                "the variants ({} {then}, {} {here})",
                self.variants.join(", "),
                now.variants.join(", ")
            ));
        }
        if self.runs != now.runs {
            differ.push(format!("--runs ({} {then}, {} {here})", self.runs, now.runs));
        }
        if self.seed != now.seed {
            differ.push(format!("--seed ({} {then}, {} {here})", self.seed, now.seed));
        }
        if with_shard && self.shard != now.shard {
            let shard = |s: Option<Shard>| s.map_or("none".to_string(), |s| format!("{}/{}", s.index, s.count));
            differ.push(format!("--shard ({} {then}, {} {here})", shard(self.shard), shard(now.shard)));
        }
        differ
    }

    /// The replications this batch (or shard) is responsible for.
    pub fn replications(&self) -> Replications {
        let (first, step) = self.shard.map_or((0, 1), |s| (s.index - 1, s.count));
        Replications { first, step, count: self.runs.saturating_sub(first).div_ceil(step) }
    }
}

/// Replication numbers as an arithmetic sequence (`first`, `first + step`, ...),
/// so a batch of a million replications does not hold a million numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replications {
    pub first: u64,
    pub step: u64,
    pub count: u64,
}

impl Replications {
    /// The k-th replication number (k from 0).
    pub fn get(&self, k: u64) -> u64 {
        self.first + k * self.step
    }

    /// The sequence without its first `done` replications.
    pub fn after(&self, done: u64) -> Self {
        let done = done.min(self.count);
        Self { first: self.get(done), step: self.step, count: self.count - done }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_holds_exactly_the_replications_it_contains() {
        for (runs, count) in [(10, 3), (2, 3), (9, 3), (7, 1)] {
            for index in 1..=count {
                let shard = Shard { index, count };
                let m = Manifest {
                    scenario: String::new(),
                    name: String::new(),
                    scenario_fingerprint: String::new(),
                    overrides: vec![],
                    vary: vec![],
                    variants: vec![],
                    runs,
                    seed: 1,
                    shard: Some(shard),
                };
                let r = m.replications();
                let listed: Vec<u64> = (0..r.count).map(|k| r.get(k)).collect();
                let expected: Vec<u64> = (0..runs).filter(|i| shard.contains(*i)).collect();
                assert_eq!(listed, expected, "{runs} runs, shard {index}/{count}");
            }
        }
        assert_eq!(Replications { first: 1, step: 3, count: 4 }.after(1), Replications { first: 4, step: 3, count: 3 });
    }
}
