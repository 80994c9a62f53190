//! Durations that count the cases still waiting at the end of the window.
//!
//! A case (an incident waiting for triage, say) either ended (`done`, with its
//! duration) or was still waiting at the end of the exercise window (`open`, with
//! the time it had waited so far: its duration is *at least* that). Dropping the
//! open ones biases every mean towards fast, the more so the more work is left
//! undone, so that more analysts can look slower. These measures do not:
//!
//! - Kaplan-Meier (product-limit) quantiles of the duration (Kaplan & Meier 1958);
//!   a quantile the curve never reaches is reported as "longer than" the longest
//!   time observed, not invented;
//! - the restricted mean up to `tau` (RMST, Royston & Parmar 2013): the area under
//!   the survival curve from 0 to `tau`, which always exists and is what a paired
//!   batch comparison differences (`tau` comes from the scenario, the same for
//!   every variant);
//! - the share done within a threshold, open cases that already exceeded it
//!   counted as not met and those that had not yet reached it as not assessable.

use super::statistics::Distribution;
use serde::Serialize;

/// The cases of one duration measure, collected as a run is scored.
#[derive(Debug, Clone, Default)]
pub struct TimeToEvent {
    done: Vec<u64>,
    open: Vec<u64>,
}

/// A duration measure as written to summary.json (seconds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeMeasure {
    /// Cases counted: done plus still open.
    pub cases: usize,
    pub done: usize,
    /// Cases still waiting at the end of the window.
    pub still_open: usize,
    /// Longest a case still open at the end had waited.
    pub oldest_open_s: Option<u64>,
    /// Kaplan-Meier median; `None` when fewer than half are known to be done (then
    /// `median_above_s` says how long it is at least).
    pub median_s: Option<f64>,
    pub median_above_s: Option<f64>,
    /// Kaplan-Meier 90th percentile, or `p90_above_s` when not reached.
    pub p90_s: Option<f64>,
    pub p90_above_s: Option<f64>,
    /// Restricted mean up to `restricted_to_s`: open cases count for their whole wait.
    pub restricted_mean_s: f64,
    pub restricted_to_s: u64,
    /// The cases that were done, alone: biased towards fast when some are open.
    pub completed: Option<Distribution>,
}

/// A threshold measure: met, not met (done late, or open longer than the
/// threshold), and not assessable (open, not yet over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WithinCount {
    pub met: usize,
    pub not_met: usize,
    /// Of the not met, those still open at the end.
    pub open_over: usize,
    pub not_assessable: usize,
}

impl WithinCount {
    pub fn assessable(&self) -> usize {
        self.met + self.not_met
    }

    pub fn add(&mut self, other: WithinCount) {
        self.met += other.met;
        self.not_met += other.not_met;
        self.open_over += other.open_over;
        self.not_assessable += other.not_assessable;
    }
}

impl TimeMeasure {
    /// "2h 10m", or "> 3d 4h" when the curve never fell to one half.
    pub fn median_text(&self) -> String {
        bound_text(self.median_s, self.median_above_s)
    }

    pub fn p90_text(&self) -> String {
        bound_text(self.p90_s, self.p90_above_s)
    }

    pub fn restricted_mean_text(&self) -> String {
        to_minute(self.restricted_mean_s)
    }

    /// "3 of 40 still open (oldest 2d 1h)" or "none still open".
    pub fn open_text(&self) -> String {
        match self.oldest_open_s {
            Some(oldest) if self.still_open > 0 => {
                format!("{} of {} still open (oldest {})", self.still_open, self.cases, to_minute(oldest as f64))
            }
            _ => "none still open".into(),
        }
    }
}

fn bound_text(value: Option<f64>, above: Option<f64>) -> String {
    match (value, above) {
        (Some(v), _) => to_minute(v),
        (None, Some(a)) => format!("> {}", to_minute(a)),
        (None, None) => "-".into(),
    }
}

/// A duration to the minute ("4h 24m" reads better than "4h23m41s"); under a
/// minute, to the second.
pub fn to_minute(seconds: f64) -> String {
    let s = seconds.round() as u64;
    crate::engine::format_duration(if s >= 60 { (s + 30) / 60 * 60 } else { s })
}

impl TimeToEvent {
    pub fn done(&mut self, duration: u64) {
        self.done.push(duration);
    }

    /// A case still waiting at the end, having waited `elapsed`.
    pub fn open(&mut self, elapsed: u64) {
        self.open.push(elapsed);
    }

    pub fn cases(&self) -> usize {
        self.done.len() + self.open.len()
    }

    pub fn within(&self, limit: u64) -> WithinCount {
        let met = self.done.iter().filter(|d| **d <= limit).count();
        let open_over = self.open.iter().filter(|e| **e > limit).count();
        WithinCount {
            met,
            not_met: self.done.len() - met + open_over,
            open_over,
            not_assessable: self.open.len() - open_over,
        }
    }

    /// The measure, with the restricted mean up to `tau`; `None` with no case.
    pub fn summary(&self, tau: u64) -> Option<TimeMeasure> {
        if self.cases() == 0 {
            return None;
        }
        let curve = self.survival();
        let quantile = |q: f64| -> (Option<f64>, Option<f64>) {
            match curve.iter().find(|(_, s)| *s <= 1.0 - q + 1e-12) {
                Some((t, _)) => (Some(*t as f64), None),
                None => (None, Some(self.done.iter().chain(&self.open).copied().max().unwrap_or(0) as f64)),
            }
        };
        let (median_s, median_above_s) = quantile(0.5);
        let (p90_s, p90_above_s) = quantile(0.9);
        let done: Vec<f64> = self.done.iter().map(|d| *d as f64).collect();
        Some(TimeMeasure {
            cases: self.cases(),
            done: self.done.len(),
            still_open: self.open.len(),
            oldest_open_s: self.open.iter().copied().max(),
            median_s,
            median_above_s,
            p90_s,
            p90_above_s,
            restricted_mean_s: restricted_mean(&curve, tau),
            restricted_to_s: tau,
            completed: Distribution::of(&done),
        })
    }

    /// The Kaplan-Meier curve: (time, survival just after it) at each time some
    /// case was done. At a tie, cases done at `t` leave before those censored at `t`
    /// (the usual convention: a censored case was still at risk at its own time).
    fn survival(&self) -> Vec<(u64, f64)> {
        let mut times: Vec<(u64, bool)> =
            self.done.iter().map(|t| (*t, true)).chain(self.open.iter().map(|t| (*t, false))).collect();
        times.sort_unstable_by_key(|(t, done)| (*t, !*done));
        let mut at_risk = times.len() as f64;
        let mut s = 1.0;
        let mut curve = Vec::new();
        let mut k = 0;
        while k < times.len() {
            let t = times[k].0;
            let (mut events, mut leaving) = (0.0, 0.0);
            while k < times.len() && times[k].0 == t {
                events += f64::from(u8::from(times[k].1));
                leaving += 1.0;
                k += 1;
            }
            if events > 0.0 {
                s *= 1.0 - events / at_risk;
                curve.push((t, s));
            }
            at_risk -= leaving;
        }
        curve
    }
}

/// Area under the step curve (1 before its first drop) from 0 to `tau`; flat
/// after its last point, as nothing is known to end later.
fn restricted_mean(curve: &[(u64, f64)], tau: u64) -> f64 {
    let (mut area, mut last_t, mut last_s) = (0.0, 0u64, 1.0);
    for (t, s) in curve {
        if *t >= tau {
            break;
        }
        area += (*t - last_t) as f64 * last_s;
        (last_t, last_s) = (*t, *s);
    }
    area + tau.saturating_sub(last_t) as f64 * last_s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(done: &[u64], open: &[u64]) -> TimeToEvent {
        let mut t = TimeToEvent::default();
        done.iter().for_each(|d| t.done(*d));
        open.iter().for_each(|o| t.open(*o));
        t
    }

    #[test]
    fn without_censoring_the_restricted_mean_is_the_mean() {
        let m = sample(&[1, 2, 3, 10], &[]).summary(100).unwrap();
        assert_eq!(m.restricted_mean_s, 4.0);
        assert_eq!((m.median_s, m.p90_s, m.still_open), (Some(2.0), Some(10.0), 0));
    }

    #[test]
    fn kaplan_meier_by_hand() {
        // Done at 1, 3, 5; censored at 2 and 4 (Kaplan-Meier's own kind of example).
        // Risk sets 5, 3 and 1 at the three ends: S = 0.8, 0.8 x 2/3 = 0.533, then 0,
        // so the median (first S <= 0.5) is 5, not the 3 of the done cases alone.
        let m = sample(&[1, 3, 5], &[2, 4]).summary(10).unwrap();
        assert_eq!(m.median_s, Some(5.0));
        let area = 1.0 + 0.8 * 2.0 + (0.8 * 2.0 / 3.0) * 2.0;
        assert!((m.restricted_mean_s - area).abs() < 1e-12, "{}", m.restricted_mean_s);
        assert_eq!(m.oldest_open_s, Some(4));
    }

    #[test]
    fn a_median_never_reached_is_a_lower_bound() {
        let m = sample(&[1], &[50, 60, 70]).summary(100).unwrap();
        assert_eq!((m.median_s, m.median_above_s), (None, Some(70.0)));
        // Curve 0.75 from t=1, flat to tau.
        assert!((m.restricted_mean_s - (1.0 + 0.75 * 99.0)).abs() < 1e-12);
        // The completed-only mean says 1 s: what the old measure reported.
        assert_eq!(m.completed.unwrap().mean, 1.0);
    }

    #[test]
    fn threshold_counts_open_cases_over_it_as_not_met() {
        let w = sample(&[1, 5, 9], &[3, 12]).within(4);
        assert_eq!(w, WithinCount { met: 1, not_met: 3, open_over: 1, not_assessable: 1 });
    }

    #[test]
    fn more_waiting_never_lowers_the_restricted_mean() {
        // Turning a done case into one still open at the same time raises it.
        let a = sample(&[2, 4, 6], &[]).summary(20).unwrap().restricted_mean_s;
        let b = sample(&[2, 4], &[6]).summary(20).unwrap().restricted_mean_s;
        assert!(b > a, "{b} > {a}");
    }
}
