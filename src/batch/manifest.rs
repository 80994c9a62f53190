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
    pub fn parse(text: &str) -> Result<Self, String> {
        let err = || format!("malformed --shard \"{text}\": expected K/N with 1 <= K <= N, e.g. 2/8");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub scenario: String,
    /// The scenario's own name, for report titles.
    #[serde(default)]
    pub name: String,
    pub variants: Vec<String>,
    pub runs: u64,
    pub seed: u64,
    pub shard: Option<Shard>,
}

impl Manifest {
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
