//! Rotas: a team with `seats` is a pool of people who take turns. At each
//! start of shift the roster puts on duty, up to the seats, people who are
//! present (each is absent for the shift with the team's absence rate),
//! rested (`rules.min_rest` since their last shift ended) and within their
//! week (`rules.hours_per_week`, counted by the local calendar week in which
//! a shift starts), those with the fewest hours this week first, then the
//! longest rested, then the first listed. A seat nobody can fill stays empty,
//! which the team's coverage counts.

use crate::engine::{RngStreams, SimDuration, SimTime};
use crate::scenario::{Rules, Team};
use bevy_ecs::component::Component;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

const WEEK_S: i64 = 7 * 86_400;

/// One person of a rota team.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Person {
    /// When their last shift ended; `None` before their first.
    last_end: Option<SimTime>,
    /// The local calendar week (Monday-based) of `week_s`.
    week: i64,
    /// Seconds rostered in that week.
    week_s: u64,
    on_duty: bool,
}

/// On a rota team: its people and the rules it rosters them by.
#[derive(Component)]
pub(crate) struct Roster {
    seats: u32,
    absence: f64,
    week_cap_s: u64,
    min_rest: SimDuration,
    people: Vec<Person>,
    /// Draws who is absent: one number per person per shift, whatever the
    /// rate, so the other draws do not shift with it.
    rng: ChaCha8Rng,
}

impl Roster {
    pub(crate) fn new(team: &Team, rules: &Rules, streams: &RngStreams, stream: &str) -> Option<Self> {
        let seats = team.seats?;
        Some(Self {
            seats,
            absence: team.absence,
            week_cap_s: (rules.hours_per_week * 3600.0).round() as u64,
            min_rest: rules.min_rest,
            people: vec![Person::default(); team.analysts as usize],
            rng: streams.stream(stream),
        })
    }

    /// A shift starts at `now` (local instant `local_s`) and lasts `length`:
    /// puts people on it and returns how many.
    pub(crate) fn start_shift(&mut self, now: SimTime, local_s: i64, length: SimDuration) -> u32 {
        // Monday-based week: 1970-01-01 was a Thursday.
        let week = (local_s + 3 * 86_400).div_euclid(WEEK_S);
        let length_s = length.as_secs();
        let mut candidates: Vec<(u64, Option<SimTime>, usize)> = Vec::with_capacity(self.people.len());
        for (i, person) in self.people.iter_mut().enumerate() {
            let absent = self.rng.random::<f64>() < self.absence;
            if person.week != week {
                person.week = week;
                person.week_s = 0;
            }
            let rested = person.last_end.is_none_or(|end| now.saturating_since(end) >= self.min_rest);
            if !absent && !person.on_duty && rested && person.week_s + length_s <= self.week_cap_s {
                candidates.push((person.week_s, person.last_end, i));
            }
        }
        candidates.sort_unstable();
        let mut on = 0;
        for (_, _, i) in candidates.into_iter().take(self.seats as usize) {
            let person = &mut self.people[i];
            person.on_duty = true;
            person.week_s += length_s;
            on += 1;
        }
        on
    }

    /// The shift ends at `now`: its people go off duty and start resting.
    pub(crate) fn end_shift(&mut self, now: SimTime) {
        for person in self.people.iter_mut().filter(|p| p.on_duty) {
            person.on_duty = false;
            person.last_end = Some(now);
        }
    }

    /// The headcount becomes `analysts`: joiners are fresh; leavers are those
    /// off duty first (the last listed), then those on duty. Returns the people
    /// on the current shift.
    pub(crate) fn set_headcount(&mut self, analysts: u32) -> u32 {
        let analysts = analysts as usize;
        while self.people.len() > analysts {
            let leaver = self.people.iter().rposition(|p| !p.on_duty).unwrap_or(self.people.len() - 1);
            self.people.remove(leaver);
        }
        self.people.resize(analysts, Person::default());
        self.on_shift()
    }

    pub(crate) fn on_shift(&self) -> u32 {
        self.people.iter().filter(|p| p.on_duty).count() as u32
    }
}
