//! Analyst workload over time (staff.csv and the workload chart), from snapshots
//! taken at a fixed interval.

use crate::engine::{SimDuration, SimTime};
use crate::model::Snapshot;
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::BTreeMap;

/// One team at one sample time: a tidy row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffRow {
    pub time_s: SimTime,
    pub csirt: String,
    pub tier: u8,
    /// The team's name ("tier N" unless the scenario names it).
    pub team: String,
    pub headcount: u32,
    /// On duty (or one on call) at the sample time.
    pub available: u32,
    pub busy: u32,
    /// Steps waiting for this tier at the sample time.
    pub queued: usize,
    /// Busy over staffed analyst-time in the interval ending at `time_s`; `None`
    /// when nobody was staffed in it.
    pub utilisation: Option<f64>,
}

pub fn staff_rows(scenario: &Scenario, samples: &[Snapshot]) -> Vec<StaffRow> {
    let mut rows = Vec::new();
    for (k, sample) in samples.iter().enumerate() {
        for (c, desk) in sample.desks.iter().enumerate() {
            for (t, team) in desk.teams.iter().enumerate() {
                let previous = k.checked_sub(1).map(|p| &samples[p].desks[c].teams[t]);
                let (busy, staffed) = match previous {
                    Some(p) => (team.busy_s - p.busy_s, team.staffed_s - p.staffed_s),
                    None => (0.0, 0.0),
                };
                rows.push(StaffRow {
                    time_s: sample.time,
                    csirt: scenario.csirts[c].id.clone(),
                    tier: team.tier,
                    team: scenario.csirts[c].teams[t].name.clone(),
                    headcount: team.headcount,
                    available: team.available,
                    busy: team.busy,
                    queued: team.queued,
                    utilisation: (staffed > 1e-9).then(|| (busy / staffed).clamp(0.0, 1.0)),
                });
            }
        }
    }
    rows
}

/// The longest stretch of consecutive intervals in which a team was at least
/// `threshold` busy with work waiting at the end of each: (CSIRT, tier, from, to).
/// A team that is busy with nothing queued is working, not stalling: more
/// people would not have changed anything, so such a stretch is no finding (a
/// lone on-call analyst working one intrusion through the night is 100% busy).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusyStretch {
    pub csirt: String,
    pub tier: u8,
    /// The team's name, when the scenario gives one ("tier N" otherwise).
    pub team: String,
    /// The longest stretch.
    pub from_s: SimTime,
    pub to_s: SimTime,
    /// Every stretch of at least [`MIN_STRETCH`]: how many, and their total
    /// length, so a week with one long crisis night reads differently from a
    /// week with the same night and three more behind it.
    pub stretches: usize,
    pub total: SimDuration,
}

/// Shorter busy stretches are ordinary peaks, not stalls (judgement).
pub const MIN_STRETCH: SimDuration = SimDuration::from_hours(2);

pub fn busy_stretches(rows: &[StaffRow], interval: SimDuration, threshold: f64) -> Vec<BusyStretch> {
    // Rows by team in one pass (teams sorted by CSIRT id and tier), not a scan
    // of every row per team.
    let mut teams: BTreeMap<(&str, u8, &str), Vec<&StaffRow>> = BTreeMap::new();
    for r in rows {
        teams.entry((r.csirt.as_str(), r.tier, r.team.as_str())).or_default().push(r);
    }
    let mut stretches = Vec::new();
    for ((csirt, tier, team), mine) in teams {
        let mut best: Option<(SimTime, SimTime)> = None;
        let mut current: Option<(SimTime, SimTime)> = None;
        let (mut count, mut total) = (0, SimDuration::ZERO);
        let mut close = |current: Option<(SimTime, SimTime)>| {
            if let Some((a, b)) = current.filter(|(a, b)| *b - *a >= MIN_STRETCH) {
                count += 1;
                total = total.saturating_add(b - a);
            }
        };
        for r in mine {
            if r.queued > 0 && r.utilisation.is_some_and(|u| u >= threshold) {
                let start = r.time_s.saturating_sub(interval);
                current = Some(current.map_or((start, r.time_s), |(from, _)| (from, r.time_s)));
                if current.map(|(a, b)| b - a) > best.map(|(a, b)| b - a) {
                    best = current;
                }
            } else {
                close(current.take());
            }
        }
        close(current);
        if let Some((from_s, to_s)) = best.filter(|(a, b)| *b - *a >= MIN_STRETCH) {
            stretches.push(BusyStretch {
                csirt: csirt.to_string(),
                tier,
                team: team.to_string(),
                from_s,
                to_s,
                stretches: count,
                total,
            });
        }
    }
    stretches
}

/// A sampling interval for a horizon: the smallest round step giving at most
/// about 500 samples.
pub fn sample_interval(horizon: SimTime) -> SimDuration {
    const STEPS: [u64; 10] = [60, 300, 600, 900, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400];
    let horizon = horizon.as_secs();
    let step = STEPS.iter().copied().find(|s| horizon / s <= 500).unwrap_or(86_400 * (horizon / (86_400 * 500) + 1));
    SimDuration::from_secs(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_intervals_are_round_and_bounded() {
        let interval = |horizon| sample_interval(SimTime::from_secs(horizon)).as_secs();
        assert_eq!(interval(3_600), 60);
        assert_eq!(interval(7 * 86_400), 1_800);
        assert_eq!(interval(30 * 86_400), 7_200);
        assert!(365 * 86_400 / interval(365 * 86_400) <= 500);
    }
}
