//! One branch of an exercise in play: a replication the table drives forward,
//! the table's clock, and what the table decided and noted.
//!
//! The same commands applied to a fresh table give the same run, event for
//! event: this is how branches are rebuilt, sessions resumed and scripts replayed,
//! and how each branch's report is written (with a file-writing sink).

use super::command::Command;
use crate::engine::{SimDuration, SimTime, format_duration};
use crate::model::{EventSink, Outcome, Replication, Snapshot, Upcoming};
use crate::report::{Conduct, ConductEntry};
use crate::scenario::{InjectId, Scenario};
use std::sync::Arc;

/// What a command did, for the facilitator to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Happened {
    pub lines: Vec<String>,
}

pub struct Table<S: EventSink> {
    replication: Replication<S>,
    /// The table's clock: where play has got to (the replication may have had
    /// nothing to do since its last event).
    clock: SimTime,
    conduct: Vec<ConductEntry>,
}

fn is_inject_or_decision(event: &Upcoming) -> bool {
    matches!(event, Upcoming::Inject { .. } | Upcoming::Decision { .. })
}

fn is_decision(event: &Upcoming) -> bool {
    matches!(event, Upcoming::Decision { .. })
}

impl<S: EventSink> Table<S> {
    pub fn new(scenario: Arc<Scenario>, seed: u64, max_events: u64, sink: S) -> Self {
        Self {
            replication: Replication::new(scenario, seed, max_events, sink),
            clock: SimTime::ZERO,
            conduct: Vec::new(),
        }
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        self.replication.scenario()
    }

    pub fn clock(&self) -> SimTime {
        self.clock
    }

    pub fn replication(&self) -> &Replication<S> {
        &self.replication
    }

    pub fn conduct(&self) -> &[ConductEntry] {
        &self.conduct
    }

    /// Samples the run for the report's time series (see [`Replication::sample_every`]).
    pub fn sample_every(&mut self, every: SimDuration) {
        self.replication.sample_every(every);
    }

    /// The decision waiting for the table: (inject posing it).
    pub fn pending_decision(&self) -> Option<InjectId> {
        self.replication.pending_decision()
    }

    pub fn at_horizon(&self) -> bool {
        self.clock >= self.scenario().horizon
    }

    /// Applies a command that changes the exercise; view-only commands and the
    /// session's own (branch, switch, end) are not for a table.
    pub fn apply(&mut self, command: &Command) -> Result<Happened, String> {
        let delivered_before = self.replication.injects_delivered().len();
        let decided_before = self.replication.decisions().len();
        match command {
            Command::Next => {
                self.refuse_while_deciding()?;
                let horizon = self.scenario().horizon;
                self.run_to(horizon, is_inject_or_decision)?;
                if self
                    .replication
                    .next_event()
                    .is_some_and(|(t, e)| t <= horizon && matches!(e, Upcoming::Inject { .. }))
                {
                    self.step()?;
                    // Whatever the inject sets off at the same instant, up to its decision.
                    let now = self.replication.now();
                    self.run_to(now, is_inject_or_decision)?;
                }
            }
            Command::Advance(d) => {
                self.refuse_while_deciding()?;
                self.run_to(self.clock.saturating_add(*d), is_decision)?;
            }
            Command::Until(t) => {
                self.refuse_while_deciding()?;
                if *t < self.clock {
                    return Err(format!(
                        "T+{} is in the past (the clock is at T+{}); to replay from earlier, branch at a decision",
                        format_duration(t.since_start()),
                        format_duration(self.clock.since_start())
                    ));
                }
                self.run_to(*t, is_decision)?;
            }
            Command::Choose { option, rationale } => {
                let Some(inject) = self.pending_decision() else {
                    return Err("no decision is waiting; `next` plays on to the next one".into());
                };
                let decision = self.scenario().injects[inject].decision.clone().expect("a decision is pending");
                let Some(index) = decision.options.iter().position(|o| o.id == *option) else {
                    let ids: Vec<&str> = decision.options.iter().map(|o| o.id.as_str()).collect();
                    return Err(format!(
                        "decision \"{}\" has no option \"{option}\"; choose one of: {}",
                        decision.id,
                        ids.join(", ")
                    ));
                };
                self.replication.choose(inject, index).map_err(|e| e.to_string())?;
                self.step()?;
                let entry = Conduct::Decision { inject, option: index, rationale: rationale.clone() };
                self.conduct.push(ConductEntry { time: self.clock, what: entry });
                // Whatever the choice sets off at once, up to the next decision.
                self.run_to(self.clock, is_decision)?;
            }
            Command::Inject(id) => {
                self.refuse_while_deciding()?;
                let scenario = Arc::clone(self.scenario());
                let Some((inject, _)) = scenario.each_inject().find(|(_, i)| i.at.is_none() && i.id == *id) else {
                    let ids: Vec<&str> =
                        scenario.injects.iter().filter(|i| i.at.is_none()).map(|i| i.id.as_str()).collect();
                    return Err(if ids.is_empty() {
                        "the scenario has no contingency injects (a `contingencies` list)".into()
                    } else {
                        format!("no contingency inject \"{id}\"; the scenario has: {}", ids.join(", "))
                    });
                };
                if self.at_horizon() {
                    return Err("the exercise has reached its horizon: nothing more can happen".into());
                }
                self.replication.deliver(inject, self.clock).map_err(|e| e.to_string())?;
                self.conduct.push(ConductEntry { time: self.clock, what: Conduct::Contingency { inject } });
                self.run_to(self.clock, is_decision)?;
            }
            Command::Note(text) => {
                self.conduct.push(ConductEntry { time: self.clock, what: Conduct::Note(text.clone()) });
                return Ok(Happened {
                    lines: vec![format!("noted at T+{}", format_duration(self.clock.since_start()))],
                });
            }
            Command::Observe { objective, rating, text } => {
                let scenario = self.scenario();
                let Some(k) = scenario.objectives.iter().position(|o| o.id == *objective) else {
                    let ids: Vec<&str> = scenario.objectives.iter().map(|o| o.id.as_str()).collect();
                    return Err(if ids.is_empty() {
                        "the scenario has no objectives to observe against; use `note` instead".into()
                    } else {
                        format!("no objective \"{objective}\"; the scenario's objectives are: {}", ids.join(", "))
                    });
                };
                let what = Conduct::Observation { objective: k, rating: rating.rating(), text: text.clone() };
                self.conduct.push(ConductEntry { time: self.clock, what });
                return Ok(Happened {
                    lines: vec![format!(
                        "observed at T+{}: {objective} rated {}",
                        format_duration(self.clock.since_start()),
                        rating.rating().as_str()
                    )],
                });
            }
            other => return Err(format!("`{}` is not something a branch can do", other.to_line())),
        }
        Ok(self.narrate(delivered_before, decided_before))
    }

    fn refuse_while_deciding(&self) -> Result<(), String> {
        match self.pending_decision() {
            Some(inject) => {
                let decision = self.scenario().injects[inject].decision.as_ref().expect("pending");
                let ids: Vec<&str> = decision.options.iter().map(|o| o.id.as_str()).collect();
                Err(format!("decision \"{}\" is waiting: `choose` one of {} first", decision.id, ids.join(", ")))
            }
            None => Ok(()),
        }
    }

    /// Runs to `until` (at most the horizon), stopping before events `stop` picks;
    /// the clock ends at `until`, or at the time of the event stopped before.
    fn run_to(&mut self, until: SimTime, stop: fn(&Upcoming) -> bool) -> Result<(), String> {
        let until = until.min(self.scenario().horizon);
        let reason = self.replication.run_until(until, stop).map_err(|e| e.to_string())?;
        self.clock = match reason {
            // Stopped before an event: the table stands at that event's time.
            crate::engine::StopReason::StoppedBefore => {
                let at = self.replication.next_event().map_or(self.replication.now(), |(t, _)| t);
                at.max(self.clock)
            }
            _ => until.max(self.clock),
        };
        Ok(())
    }

    fn step(&mut self) -> Result<(), String> {
        self.replication.step().map_err(|e| e.to_string())?;
        self.clock = self.clock.max(self.replication.now());
        Ok(())
    }

    /// Injects delivered and decisions taken since the counts given, the decision
    /// now waiting, and the clock.
    fn narrate(&self, delivered_before: usize, decided_before: usize) -> Happened {
        let scenario = self.scenario();
        let mut lines = Vec::new();
        for d in &self.replication.injects_delivered()[delivered_before..] {
            let inject = &scenario.injects[d.inject];
            let kind = if inject.at.is_none() { "contingency inject" } else { "inject" };
            lines.push(format!("T+{} {kind} {}: {}", format_duration(d.time.since_start()), inject.id, inject.text));
        }
        for d in &self.replication.decisions()[decided_before..] {
            let decision = scenario.injects[d.inject].decision.as_ref().expect("decisions come from decisions");
            let how = if d.by_default { " (by default)" } else { "" };
            lines.push(format!(
                "T+{} decision {}: {}{how}: {}",
                format_duration(d.time.since_start()),
                decision.id,
                decision.options[d.option].id,
                decision.options[d.option].text
            ));
        }
        if let Some(inject) = self.pending_decision() {
            let decision = scenario.injects[inject].decision.as_ref().expect("pending");
            lines.push(format!("DECISION {}: {}", decision.id, decision.question));
            for (k, option) in decision.options.iter().enumerate() {
                let default = if k == decision.default { " (default)" } else { "" };
                lines.push(format!("  {} {}{default}: {}", k + 1, option.id, option.text));
            }
        }
        let horizon = if self.at_horizon() { " (the horizon: `end` writes the report)" } else { "" };
        lines.push(format!("clock T+{}{horizon}", format_duration(self.clock.since_start())));
        Happened { lines }
    }

    /// Plays on to the horizon (decisions not answered take their default) and
    /// hands back the outcome, the sink, the samples and the conduct.
    pub fn finish(mut self) -> Result<(Outcome, S, Vec<Snapshot>, Vec<ConductEntry>), String> {
        self.replication.run_to_horizon().map_err(|e| e.to_string())?;
        let samples = self.replication.take_samples();
        let (outcome, sink) = self.replication.finish();
        Ok((outcome, sink, samples, self.conduct))
    }
}
