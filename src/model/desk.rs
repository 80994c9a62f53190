//! A CSIRT's work desk: analysts on duty, the queue of steps waiting for one, and
//! the time-weighted totals that utilisation and queue lengths come from.

use crate::engine::SimTime;
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;
use std::collections::VecDeque;

/// A SOP step of an incident waiting for an analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub incident: Entity,
    pub step: usize,
}

/// Integrals over time of the desk's state, in unit-seconds; divided by the span
/// they cover they give mean analysts busy, mean queue length and so on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DeskTotals {
    pub busy_s: f64,
    pub staffed_s: f64,
    pub queue_s: f64,
    pub open_incidents_s: f64,
    pub max_queue: usize,
    pub steps_started: u64,
}

/// The CSIRT's desk component. Steps are served first come, first served.
#[derive(Component, Debug, Clone)]
pub struct Desk {
    pub csirt: usize,
    pub staffed: u32,
    pub busy: u32,
    pub open_incidents: u32,
    pub queue: VecDeque<Job>,
    pub totals: DeskTotals,
    last_update: SimTime,
}

impl Desk {
    pub fn new(csirt: usize, staffed: u32) -> Self {
        Self {
            csirt,
            staffed,
            busy: 0,
            open_incidents: 0,
            queue: VecDeque::new(),
            totals: DeskTotals::default(),
            last_update: 0,
        }
    }

    /// Adds the state since the last change to the integrals. Must be called before
    /// any change of `busy`, `staffed`, the queue or the open incidents.
    pub fn advance(&mut self, now: SimTime) {
        let dt = now.saturating_sub(self.last_update) as f64;
        if dt > 0.0 {
            self.totals.busy_s += f64::from(self.busy) * dt;
            self.totals.staffed_s += f64::from(self.staffed) * dt;
            self.totals.queue_s += self.queue.len() as f64 * dt;
            self.totals.open_incidents_s += f64::from(self.open_incidents) * dt;
        }
        self.last_update = now;
    }

    pub fn open_incident(&mut self, now: SimTime) {
        self.advance(now);
        self.open_incidents += 1;
    }

    /// Changes the headcount; returns the previous one.
    pub fn set_staff(&mut self, now: SimTime, analysts: u32) -> u32 {
        self.advance(now);
        std::mem::replace(&mut self.staffed, analysts)
    }

    pub fn enqueue(&mut self, now: SimTime, job: Job) {
        self.advance(now);
        self.queue.push_back(job);
        self.totals.max_queue = self.totals.max_queue.max(self.queue.len());
    }

    /// The next job an analyst can start now, if one is free. A reduced headcount
    /// takes effect as analysts finish: nobody is pulled off a step mid-way.
    pub fn take_next(&mut self, now: SimTime) -> Option<Job> {
        if self.busy >= self.staffed || self.queue.is_empty() {
            return None;
        }
        self.advance(now);
        self.busy += 1;
        self.totals.steps_started += 1;
        self.queue.pop_front()
    }

    pub fn release_analyst(&mut self, now: SimTime) {
        self.advance(now);
        self.busy -= 1;
    }
}
