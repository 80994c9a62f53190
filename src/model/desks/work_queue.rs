//! The desk's queue: SOP steps waiting for an analyst, most severe first, then in
//! order of queueing (a ticket number). One FIFO per severity instead of an
//! ordered map: queueing and taking the first job cost O(1), and a hand-over,
//! which puts a step back at its old place, a binary search.

use super::desk::Job;
use crate::scenario::Severity;
use std::collections::VecDeque;

/// Severities from the most severe, the order the queue is served in.
const SERVED: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

fn lane(severity: Severity) -> usize {
    SERVED.iter().position(|s| *s == severity).expect("every severity has a lane")
}

#[derive(Debug, Clone, Default)]
pub struct WorkQueue {
    /// Per severity (most severe first): (ticket, job) by ticket.
    lanes: [VecDeque<(u64, Job)>; 4],
    len: usize,
}

impl WorkQueue {
    /// Puts a job at its place: after every job of its severity with a smaller ticket.
    pub fn insert(&mut self, severity: Severity, ticket: u64, job: Job) {
        let lane = &mut self.lanes[lane(severity)];
        match lane.back() {
            Some((last, _)) if *last > ticket => {
                let at = lane.partition_point(|(t, _)| *t < ticket);
                lane.insert(at, (ticket, job));
            }
            _ => lane.push_back((ticket, job)),
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Jobs in the order they are served, with their severity and ticket.
    pub fn iter(&self) -> impl Iterator<Item = (Severity, u64, &Job)> {
        SERVED.iter().zip(&self.lanes).flat_map(|(s, lane)| lane.iter().map(move |(t, j)| (*s, *t, j)))
    }

    /// Takes out the job with this severity and ticket.
    pub fn remove(&mut self, severity: Severity, ticket: u64) -> Option<Job> {
        let lane = &mut self.lanes[lane(severity)];
        let at = lane.partition_point(|(t, _)| *t < ticket);
        let job = lane.get(at).filter(|(t, _)| *t == ticket)?.1;
        lane.remove(at);
        self.len -= 1;
        Some(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::entity::Entity;

    fn job(step: usize) -> Job {
        Job { incident: Entity::PLACEHOLDER, step, tier: 1, effort: crate::engine::SimDuration::ZERO }
    }

    #[test]
    fn most_severe_first_then_by_ticket_and_a_requeued_job_keeps_its_place() {
        let mut q = WorkQueue::default();
        q.insert(Severity::Low, 1, job(1));
        q.insert(Severity::Critical, 2, job(2));
        q.insert(Severity::Low, 3, job(3));
        q.insert(Severity::High, 4, job(4));
        q.insert(Severity::Low, 0, job(0)); // handed over: back at its old place
        let order: Vec<u64> = q.iter().map(|(_, t, _)| t).collect();
        assert_eq!(order, [2, 4, 0, 1, 3]);
        assert_eq!(q.remove(Severity::Low, 1).map(|j| j.step), Some(1));
        assert_eq!(q.remove(Severity::Low, 1), None);
        assert_eq!(q.len(), 4);
        let order: Vec<u64> = q.iter().map(|(_, t, _)| t).collect();
        assert_eq!(order, [2, 4, 0, 3]);
    }
}
