//! Worm outbreaks: the random constant spread model (Staniford, Paxson and Weaver,
//! 2002), da/dt = K a (1 - a), played stochastically per nation.
//!
//! Each tick of length dt, a susceptible host in nation n is infected with
//! probability 1 - exp(-lambda_n dt), where
//! `lambda_n = K (p a_n + (1 - p) a)`: `a_n` the infected share of n's vulnerable
//! hosts, `a` the share over all nations, `p` the local preference of scanning.
//! With p = 0 this is the well-mixed model, whose expected path is the logistic
//! a(t) = e^{K(t-T)} / (1 + e^{K(t-T)}). New infections per nation are binomial.

use crate::engine::{SimDuration, SimTime};
use crate::scenario::{CsirtId, Outbreak, OutbreakId, Scenario};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};

/// The state of one outbreak: infected hosts per population, what each nation
/// knows, and which exposed assets fell.
#[derive(Debug, Clone)]
pub struct OutbreakState {
    pub index: OutbreakId,
    /// Per population, in scenario order.
    pub infected: Vec<u64>,
    /// Susceptible hosts made safe (by a warning, or fixed by audits), per population.
    pub protected: Vec<u64>,
    /// Per population: of `protected`, the hosts audits fixed.
    pub audited: Vec<u64>,
    /// (time, infected per population), at the start and whenever it changed.
    pub series: Vec<(SimTime, Vec<u64>)>,
    /// When each population's national CSIRT noticed the outbreak itself.
    pub detected_at: Vec<Option<SimTime>>,
    /// Per population: its CSIRT's on-call analyst has been paged about it
    /// and is on the way (noticed after the call-out delay).
    pub paged: Vec<bool>,
    /// When each population's national CSIRT received a warning.
    pub warned_at: Vec<Option<SimTime>>,
    /// Whether each population's national CSIRT passed the warning on to its constituents.
    pub forwarded: Vec<bool>,
    /// Warnings passed on against their TLP label.
    pub tlp_violations: u32,
    /// When each population's protection took effect.
    pub protected_at: Vec<Option<SimTime>>,
    /// Infected share of each population when its warning arrived.
    pub infected_share_when_warned: Vec<Option<f64>>,
    /// When each exposed asset was compromised.
    pub compromised_at: Vec<Option<SimTime>>,
    /// Per population: the CSIRT whose warning call went (or could not go) to it.
    pub warning_from: Vec<Option<CsirtId>>,
    /// Per population: the caller had no channel to its national CSIRT (or
    /// its link abroad was down, with no fallback, when the call ended).
    pub warning_unreachable: Vec<bool>,
    /// Per population: when the warning call to its national CSIRT ended and
    /// the warning went out.
    pub warning_sent_at: Vec<Option<SimTime>>,
    /// Per population: when a warning arrived and was not acted on (the channel's trust).
    pub warning_doubted_at: Vec<Option<SimTime>>,
    /// Per population: the warning was kept as its TLP label requires, not passed on.
    pub warning_held: Vec<bool>,
    /// Per population: how long the warning waited for someone on duty to read it.
    pub warning_read_after: Vec<Option<SimDuration>>,
    /// Per exposed asset: protected once its nation has prepared for a warning.
    asset_protected: Vec<bool>,
    /// Per exposed asset: a warning draw made at the start (common random numbers).
    asset_draw: Vec<f64>,
    /// Multiplies K: 1 until a takedown.
    pub k_factor: f64,
    pub takedown_at: Option<SimTime>,
}

/// What a tick asks the rest of the model to do.
#[derive(Debug, Default, PartialEq)]
pub struct TickOutcome {
    /// Populations whose national CSIRT noticed the outbreak in this tick.
    pub detected: Vec<usize>,
    /// Exposed assets compromised in this tick.
    pub compromised: Vec<usize>,
    /// Whether spread goes on (some susceptible host is left and some infected).
    pub continues: bool,
}

impl OutbreakState {
    /// `rng` is the outbreak's own stream; it stays with the caller (the state is
    /// plain data, cloned into the outcome).
    pub fn new(index: OutbreakId, outbreak: &Outbreak, rng: &mut ChaCha8Rng) -> Self {
        let n = outbreak.populations.len();
        let asset_draw = outbreak.exposed_assets.iter().map(|_| rng.random::<f64>()).collect();
        Self {
            index,
            infected: vec![0; n],
            protected: vec![0; n],
            audited: vec![0; n],
            series: Vec::new(),
            detected_at: vec![None; n],
            paged: vec![false; n],
            warned_at: vec![None; n],
            protected_at: vec![None; n],
            forwarded: vec![false; n],
            tlp_violations: 0,
            infected_share_when_warned: vec![None; n],
            compromised_at: vec![None; outbreak.exposed_assets.len()],
            warning_from: vec![None; n],
            warning_unreachable: vec![false; n],
            warning_sent_at: vec![None; n],
            warning_doubted_at: vec![None; n],
            warning_held: vec![false; n],
            warning_read_after: vec![None; n],
            asset_protected: vec![false; outbreak.exposed_assets.len()],
            asset_draw,
            k_factor: 1.0,
            takedown_at: None,
        }
    }

    /// Infects the first hosts in the origin nation. `watch[k]`: the infected share
    /// at which population k's national CSIRT notices now, `None` while nobody is
    /// on duty or on call.
    pub fn start(&mut self, outbreak: &Outbreak, now: SimTime, watch: &[Option<f64>]) -> TickOutcome {
        let origin = outbreak.populations.iter().position(|p| p.nation == outbreak.origin).unwrap_or(0);
        self.infected[origin] = outbreak.initial_infected;
        self.series.push((now, self.infected.clone()));
        let detected = self.notice(outbreak, now, watch);
        TickOutcome { detected, compromised: Vec::new(), continues: true }
    }

    fn share(&self, outbreak: &Outbreak, k: usize) -> f64 {
        self.infected[k] as f64 / outbreak.populations[k].vulnerable as f64
    }

    fn notice(&mut self, outbreak: &Outbreak, now: SimTime, watch: &[Option<f64>]) -> Vec<usize> {
        let detected: Vec<usize> = (0..self.infected.len())
            .filter(|k| {
                self.detected_at[*k].is_none()
                    && !self.paged[*k]
                    && watch[*k].is_some_and(|threshold| self.share(outbreak, *k) >= threshold)
            })
            .collect();
        for k in &detected {
            self.detected_at[*k] = Some(now);
        }
        detected
    }

    /// One step of spread of length `dt`, ending at `now`.
    pub fn tick(
        &mut self,
        outbreak: &Outbreak,
        scenario: &Scenario,
        now: SimTime,
        dt: SimDuration,
        rng: &mut ChaCha8Rng,
        watch: &[Option<f64>],
    ) -> TickOutcome {
        let total_n: u64 = outbreak.populations.iter().map(|p| p.vulnerable).sum();
        let total_i: u64 = self.infected.iter().sum();
        let global = total_i as f64 / total_n as f64;
        let p = outbreak.local_preference;
        let mut changed = false;
        let mut infection_prob = vec![0.0; self.infected.len()];
        for (k, population) in outbreak.populations.iter().enumerate() {
            let lambda =
                outbreak.contact_rate_per_s * self.k_factor * (p * self.share(outbreak, k) + (1.0 - p) * global);
            let prob = 1.0 - (-lambda * dt.as_secs_f64()).exp();
            infection_prob[k] = prob;
            let susceptible = population.vulnerable - self.infected[k] - self.protected[k];
            if susceptible == 0 || prob <= 0.0 {
                continue;
            }
            let new = Binomial::new(susceptible, prob.min(1.0)).map_or(0, |b| b.sample(rng));
            if new > 0 {
                self.infected[k] += new;
                changed = true;
            }
        }
        if changed {
            self.series.push((now, self.infected.clone()));
        }
        let mut compromised = Vec::new();
        for (a, target) in outbreak.exposed_assets.iter().enumerate() {
            if self.compromised_at[a].is_some() || self.asset_protected[a] {
                continue;
            }
            let nation = scenario.sectors[scenario.assets[target.asset].sector].nation;
            let k = outbreak.populations.iter().position(|p| p.nation == nation).unwrap_or(0);
            if rng.random::<f64>() < infection_prob[k] {
                self.compromised_at[a] = Some(now);
                compromised.push(a);
            }
        }
        let detected = self.notice(outbreak, now, watch);
        let continues = outbreak
            .populations
            .iter()
            .enumerate()
            .any(|(k, pop)| pop.vulnerable > self.infected[k] + self.protected[k]);
        TickOutcome { detected, compromised, continues }
    }

    /// Audits in population `k`'s nation have fixed `fixed[k]` of its hosts in
    /// all: the hosts still to fix come from the susceptible ones (never one
    /// infected or already protected), as many as are left.
    pub fn audit(&mut self, outbreak: &Outbreak, fixed: &[Option<u64>]) {
        for (k, fixed) in fixed.iter().enumerate() {
            let Some(fixed) = *fixed else { continue };
            let susceptible = outbreak.populations[k].vulnerable - self.infected[k] - self.protected[k];
            let n = fixed.saturating_sub(self.audited[k]).min(susceptible);
            self.audited[k] += n;
            self.protected[k] += n;
        }
    }

    /// A warning reaches population `k`'s national CSIRT.
    pub fn warned(&mut self, outbreak: &Outbreak, k: usize, now: SimTime) -> bool {
        if self.warned_at[k].is_some() {
            return false;
        }
        self.warned_at[k] = Some(now);
        self.infected_share_when_warned[k] = Some(self.share(outbreak, k));
        true
    }

    /// Population `k` has prepared: a share of its susceptible hosts, and each
    /// exposed asset whose draw falls below that share, become safe.
    pub fn protect(
        &mut self,
        outbreak: &Outbreak,
        scenario: &Scenario,
        k: usize,
        share: f64,
        rng: &mut ChaCha8Rng,
        now: SimTime,
    ) {
        self.protected_at[k] = Some(now);
        let susceptible = outbreak.populations[k].vulnerable - self.infected[k] - self.protected[k];
        self.protected[k] += Binomial::new(susceptible, share).map_or(0, |b| b.sample(rng));
        for (a, target) in outbreak.exposed_assets.iter().enumerate() {
            let nation = scenario.sectors[scenario.assets[target.asset].sector].nation;
            if nation == outbreak.populations[k].nation && self.asset_draw[a] < share {
                self.asset_protected[a] = true;
            }
        }
    }
}
