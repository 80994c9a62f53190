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
//!   counted as not met and those that had not yet reached it as not assessable
//!   ([`WithinCount`], counted exactly as cases arrive).
//!
//! Memory is bounded whatever the number of incidents: durations are kept as a
//! log-bucketed histogram after DDSketch (Masson et al., VLDB 2019, as the batch
//! quantiles are): bucket i holds whole seconds in (gamma^(i-1), gamma^i] with
//! gamma = 1.001/0.999, so every second up to about 500 s has a bucket of its own
//! and longer times share one within 0.2% of each other. Each bucket keeps, for
//! done and for open cases, the count, the exact integer sum and the extremes: a
//! bucket with one distinct value gives exact results, others are within 0.1%.
//! The result depends only on the multiset of cases, never on their order.

use super::statistics::Distribution;
use crate::engine::{SimDuration, format_duration};
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Relative accuracy of the buckets.
const ALPHA: f64 = 0.001;

/// Bucket index of a duration: zero apart, then ceil(ln d / ln gamma) ([`bucket_of`]).
/// Durations under [`TABLE`] seconds (about 36 h) are looked up in tables
/// computed once by that formula, so the logarithm is not paid per case.
///
/// The tables are small enough to stay in cache (32 KB): one entry per second
/// under [`DIRECT`] seconds; above, one per cell of 1/512 of an octave, narrower
/// than a bucket (1/512 < gamma - 1), so a cell holds at most one bucket
/// boundary: its first bucket and the first second of the next. A table with an
/// entry for every second under 36 h (512 KB) missed the cache on most cases: a
/// twentieth of an island batch's time went to that one load.
fn bucket(d: u64) -> i32 {
    if d < DIRECT {
        return lookup().direct[d as usize];
    }
    if d < TABLE {
        let (first, next_from) = lookup().cells[cell(d)];
        return first + i32::from(d >= u64::from(next_from));
    }
    bucket_of(d)
}

const TABLE: u64 = 1 << 17;

/// Durations under this many seconds have a table entry each.
const DIRECT: u64 = 1 << 10;

/// A cell is 1/2^CELL_BITS of an octave.
const CELL_BITS: u32 = 9;

struct BucketLookup {
    direct: Vec<i32>,
    /// Per cell: the bucket of its first second, and the first second in it
    /// of the next bucket (`u32::MAX` when the cell holds one bucket).
    cells: Vec<(i32, u32)>,
}

/// The cell of a duration from [`DIRECT`] up: its octave and the 9 bits after
/// the leading one.
fn cell(d: u64) -> usize {
    let octave = 63 - d.leading_zeros();
    let within = (d >> (octave - CELL_BITS)) & ((1 << CELL_BITS) - 1);
    ((octave - DIRECT.trailing_zeros()) as usize) << CELL_BITS | within as usize
}

fn lookup() -> &'static BucketLookup {
    static LOOKUP: std::sync::OnceLock<BucketLookup> = std::sync::OnceLock::new();
    LOOKUP.get_or_init(|| {
        let direct = (0..DIRECT).map(bucket_of).collect();
        let mut cells = vec![(0, u32::MAX); cell(TABLE - 1) + 1];
        let mut d = DIRECT;
        while d < TABLE {
            let width = 1u64 << (63 - d.leading_zeros() - CELL_BITS);
            let first = bucket_of(d);
            let next_from = (d..d + width).find(|x| bucket_of(*x) != first);
            cells[cell(d)] = (first, next_from.map_or(u32::MAX, |x| x as u32));
            d += width;
        }
        BucketLookup { direct, cells }
    })
}

fn bucket_of(d: u64) -> i32 {
    if d == 0 {
        return i32::MIN;
    }
    let ln_gamma = ((1.0 + ALPHA) / (1.0 - ALPHA)).ln();
    ((d as f64).ln() / ln_gamma).ceil() as i32
}

/// Cases of one kind (done, or open) in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Tally {
    count: u64,
    sum: u128,
    min: u64,
    max: u64,
}

impl Tally {
    fn add(&mut self, d: u64) {
        if self.count == 0 {
            (self.min, self.max) = (d, d);
        }
        self.count += 1;
        self.sum += u128::from(d);
        self.min = self.min.min(d);
        self.max = self.max.max(d);
    }

    fn merge(&mut self, other: &Tally) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The bucket's representative time: its mean (exact with one distinct value).
    fn time(&self) -> f64 {
        if self.min == self.max { self.min as f64 } else { self.sum as f64 / self.count as f64 }
    }
}

/// Buckets are kept in a hash map while cases arrive (one lookup per case, no
/// sorting: a sorted buffer merged into a `BTreeMap` took a fifth of a
/// million-incident run) and put in order only when summarised, so the
/// unspecified order of the map never reaches a result. The hasher is fixed
/// (no per-process random keys): the same cases give the same map. Done and open
/// cases have a map each: open ones arrive only at the end, and the map the run
/// touches for every case is then half the size (the lookup's cache miss was a
/// fifth of the triage desk's kernel time).
type BucketMap = HashMap<i32, Tally, BuildHasherDefault<BucketHasher>>;

/// The buckets sorted by index, as the summary walks them.
struct Sorted(Vec<(i32, (Tally, Tally))>);

impl Sorted {
    /// Buckets from entries in any order, those of one index (from several
    /// measures pooled) merged: the result depends only on the multiset.
    fn from_entries(entries: Vec<(i32, bool, Tally)>) -> Self {
        // Sorted as one u64 each (the index, order-preserving, over the entry's
        // position) rather than moving 64-byte entries: a third of the sort's
        // cost. Merging is exact and commutative, so ties may go either way.
        let mut order: Vec<u64> = (0..entries.len() as u64)
            .map(|i| (u64::from(entries[i as usize].0 as u32 ^ 0x8000_0000) << 32) | i)
            .collect();
        order.sort_unstable();
        let mut sorted: Vec<(i32, (Tally, Tally))> = Vec::with_capacity(entries.len());
        for (k, open, t) in order.into_iter().map(|o| entries[(o & 0xffff_ffff) as usize]) {
            if sorted.last().is_none_or(|(last, _)| *last != k) {
                sorted.push((k, (Tally::default(), Tally::default())));
            }
            let cell = &mut sorted.last_mut().expect("pushed above").1;
            if open { cell.1.merge(&t) } else { cell.0.merge(&t) }
        }
        Sorted(sorted)
    }

    fn values(&self) -> impl DoubleEndedIterator<Item = &(Tally, Tally)> {
        self.0.iter().map(|(_, t)| t)
    }
}

/// Fibonacci hashing of a bucket index: the keys are small, dense integers.
#[derive(Default)]
struct BucketHasher(u64);

impl Hasher for BucketHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_i32(&mut self, i: i32) {
        self.0 = (i as u32 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The cases of one duration measure, collected as a run is scored.
#[derive(Debug, Clone, Default)]
pub struct TimeToEvent {
    /// Cases of no duration (done, open), the commonest time (a report that is
    /// its own detection, a step started at once), kept without a lookup.
    zero: (Tally, Tally),
    done_buckets: BucketMap,
    open_buckets: BucketMap,
    done: u64,
    open: u64,
    done_sum: u128,
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
    pub oldest_open_s: Option<SimDuration>,
    /// Kaplan-Meier median; `None` when fewer than half are known to be done (then
    /// `median_above_s` says how long it is at least).
    pub median_s: Option<f64>,
    pub median_above_s: Option<f64>,
    /// Kaplan-Meier 90th percentile, or `p90_above_s` when not reached.
    pub p90_s: Option<f64>,
    pub p90_above_s: Option<f64>,
    /// Restricted mean up to `restricted_to_s`: open cases count for their whole wait.
    pub restricted_mean_s: f64,
    pub restricted_to_s: SimDuration,
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
    /// A case done after `duration`, against `limit`.
    pub fn done(&mut self, duration: SimDuration, limit: SimDuration) {
        if duration <= limit {
            self.met += 1;
        } else {
            self.not_met += 1;
        }
    }

    /// A case still open after `elapsed`, against `limit`.
    pub fn open(&mut self, elapsed: SimDuration, limit: SimDuration) {
        if elapsed > limit {
            self.not_met += 1;
            self.open_over += 1;
        } else {
            self.not_assessable += 1;
        }
    }

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
                format!("{} of {} still open (oldest {})", self.still_open, self.cases, to_minute(oldest.as_secs_f64()))
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
    format_duration(SimDuration::from_secs(if s >= 60 { (s + 30) / 60 * 60 } else { s }))
}

impl TimeToEvent {
    pub fn done(&mut self, duration: SimDuration) {
        let duration = duration.as_secs();
        self.push(duration, true);
        self.done += 1;
        self.done_sum += u128::from(duration);
    }

    /// A case still waiting at the end, having waited `elapsed`.
    pub fn open(&mut self, elapsed: SimDuration) {
        self.push(elapsed.as_secs(), false);
        self.open += 1;
    }

    fn push(&mut self, d: u64, done: bool) {
        if d == 0 {
            if done {
                self.zero.0.add(0)
            } else {
                self.zero.1.add(0)
            }
            return;
        }
        let map = if done { &mut self.done_buckets } else { &mut self.open_buckets };
        if map.capacity() == 0 {
            // Room for the few dozen buckets of a small run at once, rather
            // than growing through every power of two.
            map.reserve(64);
        }
        map.entry(bucket(d)).or_default().add(d);
    }

    /// Every non-empty bucket as (index, open, tally), unordered.
    fn entries(&self) -> impl Iterator<Item = (i32, bool, Tally)> + '_ {
        let zero =
            [(i32::MIN, false, self.zero.0), (i32::MIN, true, self.zero.1)].into_iter().filter(|e| e.2.count > 0);
        let done = self.done_buckets.iter().map(|(k, t)| (*k, false, *t));
        let open = self.open_buckets.iter().map(|(k, t)| (*k, true, *t));
        zero.chain(done).chain(open)
    }

    pub fn cases(&self) -> usize {
        (self.done + self.open) as usize
    }

    /// Buckets held: what memory grows with (the spread of the times, not their
    /// number).
    pub fn buckets(&self) -> usize {
        Sorted::from_entries(self.entries().collect()).0.len()
    }

    /// The measure, with the restricted mean up to `tau`; `None` with no case.
    pub fn summary(&self, tau: SimDuration) -> Option<TimeMeasure> {
        Self::summary_of([self], tau)
    }

    /// The measure over the cases of several (each CSIRT's, pooled): the same as
    /// one measure that had every case pushed.
    pub fn summary_of<'a>(parts: impl IntoIterator<Item = &'a TimeToEvent>, tau: SimDuration) -> Option<TimeMeasure> {
        let mut totals = TimeToEvent::default();
        let mut entries = Vec::new();
        for p in parts {
            totals.done += p.done;
            totals.open += p.open;
            totals.done_sum += p.done_sum;
            // Sized up front: a chain of filters gives no exact size hint, and
            // growing this one buffer was a tenth of a replication's summary.
            entries.reserve(2 + p.done_buckets.len() + p.open_buckets.len());
            entries.extend(p.entries());
        }
        if totals.cases() == 0 {
            return None;
        }
        totals.summary_from(&Sorted::from_entries(entries), tau)
    }

    fn summary_from(&self, buckets: &Sorted, tau: SimDuration) -> Option<TimeMeasure> {
        let curve = self.survival(buckets);
        let longest = buckets.values().map(|(d, o)| d.max.max(o.max)).max().unwrap_or(0);
        let quantile = |q: f64| -> (Option<f64>, Option<f64>) {
            match curve.iter().find(|(_, s)| *s <= 1.0 - q + 1e-12) {
                Some((t, _)) => (Some(*t), None),
                None => (None, Some(longest as f64)),
            }
        };
        let (median_s, median_above_s) = quantile(0.5);
        let (p90_s, p90_above_s) = quantile(0.9);
        Some(TimeMeasure {
            cases: self.cases(),
            done: self.done as usize,
            still_open: self.open as usize,
            oldest_open_s: buckets
                .values()
                .rev()
                .find(|(_, o)| o.count > 0)
                .map(|(_, o)| SimDuration::from_secs(o.max)),
            median_s,
            median_above_s,
            p90_s,
            p90_above_s,
            restricted_mean_s: restricted_mean(&curve, tau.as_secs_f64()),
            restricted_to_s: tau,
            completed: self.completed(buckets),
        })
    }

    /// The done cases alone: mean exact, quantiles nearest-rank within 0.1%.
    fn completed(&self, buckets: &Sorted) -> Option<Distribution> {
        if self.done == 0 {
            return None;
        }
        let rank_value = |q: f64| {
            let rank = ((q * self.done as f64).ceil() as u64).clamp(1, self.done);
            let mut below = 0;
            for (d, _) in buckets.values().filter(|(d, _)| d.count > 0) {
                if below + d.count >= rank {
                    return if rank == below + 1 {
                        d.min as f64
                    } else if rank == below + d.count {
                        d.max as f64
                    } else {
                        d.time().clamp(d.min as f64, d.max as f64)
                    };
                }
                below += d.count;
            }
            unreachable!("the ranks sum to the count")
        };
        let max = buckets.values().rev().find(|(d, _)| d.count > 0).map_or(0, |(d, _)| d.max);
        Some(Distribution {
            n: self.done as usize,
            mean: self.done_sum as f64 / self.done as f64,
            p50: rank_value(0.5),
            p90: rank_value(0.9),
            max: max as f64,
        })
    }

    /// The Kaplan-Meier curve: (time, survival just after it) at each bucket where
    /// some case was done. Cases done at a time leave before those censored at it
    /// (the usual convention: a censored case was still at risk at its own time);
    /// within a bucket holding both, whichever kind has the smaller time goes first.
    fn survival(&self, buckets: &Sorted) -> Vec<(f64, f64)> {
        let mut at_risk = (self.done + self.open) as f64;
        let mut s = 1.0;
        let mut curve = Vec::with_capacity(buckets.0.len());
        for (done, open) in buckets.values() {
            let censor_first = open.count > 0 && done.count > 0 && open.time() < done.time();
            if censor_first {
                at_risk -= open.count as f64;
            }
            if done.count > 0 {
                s *= 1.0 - done.count as f64 / at_risk;
                curve.push((done.time(), s));
                at_risk -= done.count as f64;
            }
            if !censor_first {
                at_risk -= open.count as f64;
            }
        }
        curve
    }
}

/// Area under the step curve (1 before its first drop) from 0 to `tau`; flat
/// after its last point, as nothing is known to end later.
fn restricted_mean(curve: &[(f64, f64)], tau: f64) -> f64 {
    let (mut area, mut last_t, mut last_s) = (0.0, 0.0, 1.0);
    for (t, s) in curve {
        if *t >= tau {
            break;
        }
        area += (*t - last_t) * last_s;
        (last_t, last_s) = (*t, *s);
    }
    area + (tau - last_t).max(0.0) * last_s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_tables_give_the_formula_for_every_second_they_cover() {
        let wrong: Vec<u64> = (0..TABLE + 4096).filter(|d| bucket(*d) != bucket_of(*d)).take(5).collect();
        assert_eq!(wrong, Vec::<u64>::new());
        assert_eq!(lookup().cells.len(), 7 * 512, "seven octaves from 1,024 s to 36 h");
    }

    const fn s(seconds: u64) -> SimDuration {
        SimDuration::from_secs(seconds)
    }

    fn sample(done: &[u64], open: &[u64]) -> TimeToEvent {
        let mut t = TimeToEvent::default();
        done.iter().for_each(|d| t.done(s(*d)));
        open.iter().for_each(|o| t.open(s(*o)));
        t
    }

    #[test]
    fn without_censoring_the_restricted_mean_is_the_mean() {
        let m = sample(&[1, 2, 3, 10], &[]).summary(s(100)).unwrap();
        assert_eq!(m.restricted_mean_s, 4.0);
        assert_eq!((m.median_s, m.p90_s, m.still_open), (Some(2.0), Some(10.0), 0));
    }

    #[test]
    fn kaplan_meier_by_hand() {
        // Done at 1, 3, 5; censored at 2 and 4 (Kaplan-Meier's own kind of example).
        // Risk sets 5, 3 and 1 at the three ends: S = 0.8, 0.8 x 2/3 = 0.533, then 0,
        // so the median (first S <= 0.5) is 5, not the 3 of the done cases alone.
        let m = sample(&[1, 3, 5], &[2, 4]).summary(s(10)).unwrap();
        assert_eq!(m.median_s, Some(5.0));
        let area = 1.0 + 0.8 * 2.0 + (0.8 * 2.0 / 3.0) * 2.0;
        assert!((m.restricted_mean_s - area).abs() < 1e-12, "{}", m.restricted_mean_s);
        assert_eq!(m.oldest_open_s, Some(s(4)));
    }

    #[test]
    fn a_median_never_reached_is_a_lower_bound() {
        let m = sample(&[1], &[50, 60, 70]).summary(s(100)).unwrap();
        assert_eq!((m.median_s, m.median_above_s), (None, Some(70.0)));
        // Curve 0.75 from t=1, flat to tau.
        assert!((m.restricted_mean_s - (1.0 + 0.75 * 99.0)).abs() < 1e-12);
        // The completed-only mean says 1 s: what the old measure reported.
        assert_eq!(m.completed.unwrap().mean, 1.0);
    }

    #[test]
    fn threshold_counts_open_cases_over_it_as_not_met() {
        let mut w = WithinCount::default();
        [1, 5, 9].iter().for_each(|d| w.done(s(*d), s(4)));
        [3, 12].iter().for_each(|o| w.open(s(*o), s(4)));
        assert_eq!(w, WithinCount { met: 1, not_met: 3, open_over: 1, not_assessable: 1 });
    }

    #[test]
    fn memory_is_bounded_by_the_spread_not_the_count() {
        let mut t = TimeToEvent::default();
        for k in 0..1_000_000u64 {
            t.done(s(3_600 + (k * 7_919) % 86_400));
        }
        assert!(t.buckets() < 3_000, "{} buckets", t.buckets());
        let m = t.summary(s(1_000_000)).unwrap();
        // Uniform on [3600, 90000): median 46800, within the buckets' 0.1%.
        assert!((m.median_s.unwrap() - 46_800.0).abs() / 46_800.0 < 2e-3, "{:?}", m.median_s);
        let mean = m.completed.unwrap().mean;
        assert!((m.restricted_mean_s - mean).abs() / mean < 2e-3, "{} vs {mean}", m.restricted_mean_s);
    }

    #[test]
    fn the_order_of_cases_does_not_matter() {
        let (mut a, mut b) = (TimeToEvent::default(), TimeToEvent::default());
        let values: Vec<u64> = (0..500).map(|k| (k * 104_729) % 100_000).collect();
        for (k, v) in values.iter().enumerate() {
            if k % 3 == 0 { a.open(s(*v)) } else { a.done(s(*v)) }
        }
        for (k, v) in values.iter().enumerate().rev() {
            if k % 3 == 0 { b.open(s(*v)) } else { b.done(s(*v)) }
        }
        assert_eq!(a.summary(s(100_000)), b.summary(s(100_000)));
    }

    #[test]
    fn more_waiting_never_lowers_the_restricted_mean() {
        // Turning a done case into one still open at the same time raises it.
        let a = sample(&[2, 4, 6], &[]).summary(s(20)).unwrap().restricted_mean_s;
        let b = sample(&[2, 4], &[6]).summary(s(20)).unwrap().restricted_mean_s;
        assert!(b > a, "{b} > {a}");
    }
}
