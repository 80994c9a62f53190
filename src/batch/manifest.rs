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
    pub variants: Vec<String>,
    pub runs: u64,
    pub seed: u64,
    pub shard: Option<Shard>,
}

impl Manifest {
    /// The replications this batch (or shard) is responsible for.
    pub fn replications(&self) -> Vec<u64> {
        (0..self.runs).filter(|i| self.shard.is_none_or(|s| s.contains(*i))).collect()
    }
}
