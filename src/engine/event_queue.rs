//! The future-event list: a binary heap keyed by `(time, sequence)`.

use super::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// An event with the key that fixes its place in the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled<E> {
    pub time: SimTime,
    pub sequence: u64,
    pub event: E,
}

struct Entry<E>(Scheduled<E>);

impl<E> Entry<E> {
    fn key(&self) -> (SimTime, u64) {
        (self.0.time, self.0.sequence)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest key must come out first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Pops events in `(time, sequence)` order. The sequence counter lives here so that
/// no caller can hand out a number twice or out of order.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_sequence: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self { heap: BinaryHeap::new(), next_sequence: 0 }
    }
}

impl<E> EventQueue<E> {
    /// Adds an event and returns the sequence number it was given.
    pub fn push(&mut self, time: SimTime, event: E) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Entry(Scheduled { time, sequence, event }));
        sequence
    }

    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        self.heap.pop().map(|entry| entry.0)
    }

    pub fn peek(&self) -> Option<&Scheduled<E>> {
        self.heap.peek().map(|entry| &entry.0)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
