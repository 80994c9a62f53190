//! The stories of the incidents still open, as the score fold rebuilds them:
//! records in a slab whose slots are reused, found through a small ordered
//! index. A closed record is folded where it lies and its slot (with its
//! vectors' capacity) goes to the next incident reported, so the fold neither
//! moves records about (a `BTreeMap` of records shifted them on every insert and
//! removal: 7% of the triage desk's kernel) nor allocates per incident once the
//! open work has peaked. Memory follows the most incidents open at once.

use crate::model::{IncidentId, IncidentRecord};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub(super) struct OpenStories {
    slots: Vec<IncidentRecord>,
    free: Vec<usize>,
    /// Slot of each open incident, by number (the order [`OpenStories::numbers`] walks).
    index: BTreeMap<IncidentId, usize>,
}

impl OpenStories {
    /// A new story. Its `steps` and `work` (given empty) take over a freed
    /// slot's vectors, capacity and all; a new slot reserves `steps` entries.
    pub fn open(&mut self, mut record: IncidentRecord, steps: usize) {
        debug_assert!(record.steps.is_empty() && record.work.is_empty());
        let number = record.number;
        let slot = match self.free.pop() {
            Some(slot) => {
                let r = &mut self.slots[slot];
                std::mem::swap(&mut record.steps, &mut r.steps);
                std::mem::swap(&mut record.work, &mut r.work);
                record.steps.clear();
                record.work.clear();
                *r = record;
                slot
            }
            None => {
                record.steps.reserve(steps);
                self.slots.push(record);
                self.slots.len() - 1
            }
        };
        let previous = self.index.insert(number, slot);
        debug_assert!(previous.is_none(), "incident {number} opened twice");
    }

    pub fn get_mut(&mut self, number: &IncidentId) -> Option<&mut IncidentRecord> {
        let slot = *self.index.get(number)?;
        Some(&mut self.slots[slot])
    }

    /// Ends a story: the record (to fold) stays valid until the next `open`.
    pub fn close(&mut self, number: &IncidentId) -> Option<&mut IncidentRecord> {
        let slot = self.index.remove(number)?;
        self.free.push(slot);
        Some(&mut self.slots[slot])
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The open records by number, leaving none open.
    pub fn drain(&mut self) -> Vec<IncidentRecord> {
        let index = std::mem::take(&mut self.index);
        let mut slots: Vec<Option<IncidentRecord>> = std::mem::take(&mut self.slots).into_iter().map(Some).collect();
        self.free.clear();
        index.into_values().map(|slot| slots[slot].take().expect("one number per slot")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimTime;
    use crate::model::{Detector, IncidentSource};
    use crate::scenario::{CsirtId, IncidentType, Severity, SopId, StreamId};

    fn record(number: u64) -> IncidentRecord {
        IncidentRecord {
            occurred: SimTime::ZERO,
            detected: SimTime::ZERO,
            detected_by: Detector::Victim,
            anonymous: false,
            number: IncidentId::from_number(number),
            source: IncidentSource::Stream(StreamId::new(0)),
            incident_type: IncidentType::Other,
            severity: Severity::Low,
            csirt: CsirtId::new(0),
            sop: SopId::new(0),
            targets: Vec::new(),
            reported: SimTime::ZERO,
            work: Vec::new(),
            steps: Vec::new(),
            attempt: 0,
            closed: None,
        }
    }

    /// Slots are reused after a close, the records come back by number, and
    /// a reused slot holds only what its new incident put there.
    #[test]
    fn slots_are_reused_and_drained_in_number_order() {
        let mut stories = OpenStories::default();
        let id = IncidentId::from_number;
        for n in [3, 1, 2] {
            stories.open(record(n), 4);
        }
        let one = stories.get_mut(&id(1)).unwrap();
        one.attempt = 7;
        one.steps.push(crate::model::StepRecord::default());
        assert_eq!(stories.close(&id(1)).unwrap().attempt, 7);
        assert!(stories.get_mut(&id(1)).is_none());
        stories.open(record(4), 4);
        assert_eq!(stories.slots.len(), 3, "the freed slot was reused");
        let four = stories.get_mut(&id(4)).unwrap();
        assert_eq!((four.attempt, four.steps.len()), (0, 0), "nothing of incident 1 is left");
        assert!(four.steps.capacity() >= 4, "its steps' capacity was kept");
        assert_eq!(stories.len(), 3);
        let numbers: Vec<u64> = stories.drain().iter().map(|r| r.number.number()).collect();
        assert_eq!(numbers, [2, 3, 4]);
        assert_eq!(stories.len(), 0);
    }
}
