//! The desk's queue: SOP steps waiting for an analyst, most severe first, then in
//! order of queueing (a ticket number).
//!
//! One FIFO per severity and tier instead of one ordered list: the next job a
//! free analyst may take is the front with the smallest ticket among the lanes
//! of the first severity that has a job of a tier the analyst may work, so
//! finding it costs the number of lanes, not the length of the queue. (A scan of
//! the whole queue, when the free analysts were juniors and every waiting step
//! needed a senior, was a sixth of an island replication.) A hand-over, which
//! puts a step back at its old place, costs a binary search.

use super::desk::Job;
use crate::scenario::Severity;
use std::collections::VecDeque;

/// Severities from the most severe, the order the queue is served in.
const SERVED: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

fn lane(severity: Severity) -> usize {
    SERVED.iter().position(|s| *s == severity).expect("every severity has a lane")
}

/// The jobs of one severity and one tier, by ticket.
#[derive(Debug, Clone)]
struct TierLane {
    tier: u8,
    jobs: VecDeque<(u64, Job)>,
}

#[derive(Debug, Clone, Default)]
pub struct WorkQueue {
    /// Per severity (most severe first), per tier (lowest first).
    lanes: [Vec<TierLane>; 4],
    len: usize,
}

impl WorkQueue {
    /// Puts a job at its place: after every job of its severity with a smaller ticket.
    pub fn insert(&mut self, severity: Severity, ticket: u64, job: Job) {
        let tiers = &mut self.lanes[lane(severity)];
        let at = match tiers.binary_search_by_key(&job.tier, |l| l.tier) {
            Ok(at) => at,
            Err(at) => {
                tiers.insert(at, TierLane { tier: job.tier, jobs: VecDeque::new() });
                at
            }
        };
        let jobs = &mut tiers[at].jobs;
        match jobs.back() {
            Some((last, _)) if *last > ticket => {
                let at = jobs.partition_point(|(t, _)| *t < ticket);
                jobs.insert(at, (ticket, job));
            }
            _ => jobs.push_back((ticket, job)),
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Jobs waiting whose tier is `tier`.
    pub fn len_of_tier(&self, tier: u8) -> usize {
        self.lanes.iter().flatten().filter(|l| l.tier == tier).map(|l| l.jobs.len()).sum()
    }

    /// The first job in serving order whose tier is at most `max_tier`, with its
    /// severity and ticket.
    pub fn first_within(&self, max_tier: u8) -> Option<(Severity, u64, Job)> {
        SERVED.iter().zip(&self.lanes).find_map(|(severity, tiers)| {
            tiers
                .iter()
                .take_while(|l| l.tier <= max_tier)
                .filter_map(|l| l.jobs.front())
                .min_by_key(|(ticket, _)| *ticket)
                .map(|(ticket, job)| (*severity, *ticket, *job))
        })
    }

    /// Takes out the job with this severity, tier and ticket.
    pub fn remove(&mut self, severity: Severity, tier: u8, ticket: u64) -> Option<Job> {
        let tiers = &mut self.lanes[lane(severity)];
        let jobs = &mut tiers.iter_mut().find(|l| l.tier == tier)?.jobs;
        let at = jobs.partition_point(|(t, _)| *t < ticket);
        let job = jobs.get(at).filter(|(t, _)| *t == ticket)?.1;
        jobs.remove(at);
        self.len -= 1;
        Some(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::entity::Entity;

    fn job(step: usize, tier: u8) -> Job {
        let work = super::super::desk::Work::Step { incident: Entity::PLACEHOLDER, step };
        Job { work, tier, effort: crate::engine::SimDuration::ZERO }
    }

    fn step(job: Job) -> usize {
        match job.work {
            super::super::desk::Work::Step { step, .. } => step,
            _ => unreachable!("only steps are queued here"),
        }
    }

    /// Every job in serving order, read by taking the first job out until none is left.
    fn drain(mut q: WorkQueue) -> Vec<u64> {
        let mut order = Vec::new();
        while let Some((severity, ticket, job)) = q.first_within(u8::MAX) {
            q.remove(severity, job.tier, ticket);
            order.push(ticket);
        }
        order
    }

    #[test]
    fn most_severe_first_then_by_ticket_and_a_requeued_job_keeps_its_place() {
        let mut q = WorkQueue::default();
        q.insert(Severity::Low, 1, job(1, 1));
        q.insert(Severity::Critical, 2, job(2, 2));
        q.insert(Severity::Low, 3, job(3, 2));
        q.insert(Severity::High, 4, job(4, 1));
        q.insert(Severity::Low, 0, job(0, 1)); // handed over: back at its old place
        assert_eq!(drain(q.clone()), [2, 4, 0, 1, 3]);
        assert_eq!(q.remove(Severity::Low, 1, 1).map(step), Some(1));
        assert_eq!(q.remove(Severity::Low, 1, 1), None);
        assert_eq!(q.remove(Severity::Low, 3, 3), None, "a job is found under its own tier only");
        assert_eq!(q.len(), 4);
        assert_eq!((q.len_of_tier(1), q.len_of_tier(2), q.len_of_tier(3)), (2, 2, 0));
        assert_eq!(drain(q), [2, 4, 0, 3]);
    }

    #[test]
    fn the_first_job_within_a_tier_skips_the_jobs_above_it_but_keeps_the_order() {
        let mut q = WorkQueue::default();
        q.insert(Severity::Critical, 0, job(0, 3));
        q.insert(Severity::High, 1, job(1, 2));
        q.insert(Severity::High, 2, job(2, 1));
        q.insert(Severity::Medium, 3, job(3, 1));
        let ticket = |q: &WorkQueue, max| q.first_within(max).map(|(_, t, _)| t);
        assert_eq!(ticket(&q, 3), Some(0));
        assert_eq!(ticket(&q, 2), Some(1), "the oldest of the severity among tiers 1 and 2");
        assert_eq!(ticket(&q, 1), Some(2));
        assert_eq!(ticket(&q, 0), None);
        assert_eq!(q.first_within(2).map(|(s, _, j)| (s, step(j))), Some((Severity::High, 1)));
    }
}
