//! A facilitated exercise: its branches (each the list of commands that made it)
//! and the live table of the branch in play.
//!
//! Only commands are kept. A branch is rebuilt by applying its commands to a fresh
//! table with the same seed; the engine's determinism makes that the same run, so
//! going back to a decision, switching branch, resuming a session and writing a
//! branch's report all replay the same history.

use super::board::Board;
use super::command::{Command, HELP};
use super::table::Table;
use crate::engine::format_duration;
use crate::model::{EventSink, LogEntry};
use crate::scenario::{InjectId, Scenario};
use std::sync::Arc;

/// One line of play: its commands, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub name: String,
    /// "the start", or "branch 1 before decision port-response".
    pub origin: String,
    /// Commands that changed the exercise, with the decision (by inject) each
    /// `choose` answered.
    pub history: Vec<(Command, Option<InjectId>)>,
}

pub struct Session {
    scenario: Arc<Scenario>,
    seed: u64,
    max_events: u64,
    branches: Vec<Branch>,
    current: usize,
    table: Table<Vec<LogEntry>>,
    truth: bool,
    /// Whether the last thing done on this branch was a command `undo` can take
    /// back (so an undo never silently reaches past a branch or switch).
    undoable: bool,
    /// Seeds over which `end` replays each branch's answered decisions with
    /// their other options (0: none), and the worker threads for it.
    counterfactual_seeds: u64,
    jobs: usize,
}

/// Applies `history` to a fresh table: the branch as it was.
pub fn replay<S: EventSink>(
    scenario: &Arc<Scenario>,
    seed: u64,
    max_events: u64,
    history: &[(Command, Option<InjectId>)],
    sink: S,
    sample_every: Option<crate::engine::SimDuration>,
) -> Result<Table<S>, String> {
    let mut table = Table::new(Arc::clone(scenario), seed, max_events, sink);
    if let Some(every) = sample_every {
        table.sample_every(every);
    }
    for (command, _) in history {
        table.apply(command).map_err(|e| format!("replaying `{}`: {e}", command.to_line()))?;
    }
    Ok(table)
}

impl Session {
    pub fn new(scenario: Arc<Scenario>, seed: u64, max_events: u64) -> Self {
        let table = Table::new(Arc::clone(&scenario), seed, max_events, Vec::new());
        let main = Branch { name: "branch 1".into(), origin: "from the start".into(), history: Vec::new() };
        Self {
            scenario,
            seed,
            max_events,
            branches: vec![main],
            current: 0,
            table,
            truth: false,
            undoable: false,
            counterfactual_seeds: 0,
            jobs: 1,
        }
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn max_events(&self) -> u64 {
        self.max_events
    }

    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }

    pub fn current(&self) -> usize {
        self.current
    }

    pub fn table(&self) -> &Table<Vec<LogEntry>> {
        &self.table
    }

    /// Sets the analysis `end` adds to each branch's report: its answered
    /// decisions replayed over `seeds` seeds with their other options.
    pub fn set_counterfactuals(&mut self, seeds: u64, jobs: usize) {
        self.counterfactual_seeds = seeds;
        self.jobs = jobs.max(1);
    }

    pub fn counterfactuals(&self) -> (u64, usize) {
        (self.counterfactual_seeds, self.jobs)
    }

    /// Whether the ground truth is on show.
    pub fn truth_shown(&self) -> bool {
        self.truth
    }

    pub fn board(&self) -> Board {
        Board::of(&self.table, &self.branches[self.current].name, self.truth)
    }

    /// Carries out a command (except `end` and `quit`, which the front end handles)
    /// and says what happened. An error changes nothing.
    pub fn execute(&mut self, command: &Command) -> Result<Vec<String>, String> {
        match command {
            Command::Truth => {
                self.truth = !self.truth;
                Ok(vec![format!("ground truth {}", if self.truth { "shown" } else { "hidden" })])
            }
            Command::Show => Ok(self.board().to_text().lines().map(str::to_string).collect()),
            Command::Branches => Ok(self.list_branches()),
            Command::Help => Ok(HELP.lines().map(str::to_string).collect()),
            Command::Branch(decision) => {
                let said = self.branch(decision)?;
                self.undoable = false;
                Ok(said)
            }
            Command::Switch(n) => {
                let said = self.switch(*n)?;
                self.undoable = false;
                Ok(said)
            }
            Command::Undo => self.undo(),
            Command::End | Command::Quit => Err(format!("`{}` is handled by the console", command.to_line())),
            _ => {
                let pending = self.table.pending_decision();
                let happened = self.table.apply(command)?;
                let answered = matches!(command, Command::Choose { .. }).then_some(pending).flatten();
                self.branches[self.current].history.push((command.clone(), answered));
                self.undoable = true;
                Ok(happened.lines)
            }
        }
    }

    /// The option a decision's number stands for (1-based, as the board lists
    /// them), when a decision is waiting.
    pub fn option_numbered(&self, n: usize) -> Option<String> {
        let inject = self.table.pending_decision()?;
        let decision = self.scenario.injects[inject].decision.as_ref()?;
        decision.options.get(n.checked_sub(1)?).map(|o| o.id.clone())
    }

    fn undo(&mut self) -> Result<Vec<String>, String> {
        let history = &self.branches[self.current].history;
        let (Some((last, _)), true) = (history.last(), self.undoable) else {
            return Err("nothing to undo: undo takes back the last command that changed the exercise, \
                        and only before a branch, a switch or another undo"
                .into());
        };
        let last = last.to_line();
        let kept = &history[..history.len() - 1];
        self.table = replay(&self.scenario, self.seed, self.max_events, kept, Vec::new(), None)?;
        self.branches[self.current].history.pop();
        self.undoable = false;
        let mut lines =
            vec![format!("undid `{last}`: back at T+{}", format_duration(self.table.clock().since_start()))];
        lines.extend(self.decision_lines());
        Ok(lines)
    }

    fn list_branches(&self) -> Vec<String> {
        self.branches
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let mark = if k == self.current { "*" } else { " " };
                format!("{mark} {} ({}; {} commands)", b.name, b.origin, b.history.len())
            })
            .collect()
    }

    fn branch(&mut self, decision_id: &str) -> Result<Vec<String>, String> {
        let scenario = Arc::clone(&self.scenario);
        let id_of = |inject: InjectId| scenario.injects[inject].decision.as_ref().map_or("", |d| d.id.as_str());
        let history = &self.branches[self.current].history;
        let Some(at) = history.iter().position(|(_, answered)| answered.is_some_and(|i| id_of(i) == decision_id))
        else {
            let answered: Vec<&str> = history.iter().filter_map(|(_, a)| a.map(id_of)).collect();
            return Err(if answered.is_empty() {
                format!(
                    "no decision has been answered on this branch yet, so there is nothing to go back to (asked for \"{decision_id}\")"
                )
            } else {
                format!("decision \"{decision_id}\" was not answered on this branch; answered: {}", answered.join(", "))
            });
        };
        let name = format!("branch {}", self.branches.len() + 1);
        let origin = format!("{} before decision {decision_id}", self.branches[self.current].name);
        let history = history[..at].to_vec();
        self.table = replay(&self.scenario, self.seed, self.max_events, &history, Vec::new(), None)?;
        self.branches.push(Branch { name: name.clone(), origin, history });
        let kept = self.branches[self.current].name.clone();
        self.current = self.branches.len() - 1;
        let mut lines = vec![format!(
            "{name}: back at T+{}, before decision {decision_id} ({kept} is kept)",
            format_duration(self.table.clock().since_start())
        )];
        lines.extend(self.decision_lines());
        Ok(lines)
    }

    fn switch(&mut self, n: usize) -> Result<Vec<String>, String> {
        if n == 0 || n > self.branches.len() {
            return Err(format!("there is no branch {n}; branches are 1 to {}", self.branches.len()));
        }
        let history = &self.branches[n - 1].history;
        self.table = replay(&self.scenario, self.seed, self.max_events, history, Vec::new(), None)?;
        self.current = n - 1;
        let mut lines =
            vec![format!("{} at T+{}", self.branches[n - 1].name, format_duration(self.table.clock().since_start()))];
        lines.extend(self.decision_lines());
        Ok(lines)
    }

    fn decision_lines(&self) -> Vec<String> {
        self.board()
            .decision
            .map(|(q, options)| {
                std::iter::once(format!("DECISION {q}")).chain(options.into_iter().map(|o| format!("  {o}"))).collect()
            })
            .unwrap_or_default()
    }
}
