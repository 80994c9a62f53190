//! What each role may see, taken from the session after every command: the
//! controller's master events list, decisions and ground truth; each team's own
//! injects, incidents, staff, decisions and messages; the projector's clock,
//! latest inject and critical services. Built once per change on the session's
//! thread and shared by every open view, so a view is never a delta and a
//! reconnecting browser needs only the latest one.
//!
//! Whatever a role must not see is left out here, not hidden in its page.

use super::roles::{TeamId, teams};
use crate::console::board::{Board, CsirtPanel, local_time};
use crate::console::{Session, Table};
use crate::engine::format_duration;
use crate::model::LogEntry;
use crate::report::describe_event;
use crate::scenario::Scenario;

/// One row of the master scenario events list (MSEL).
#[derive(Debug, Clone, PartialEq)]
pub struct MselRow {
    pub inject: String,
    /// "T+1d", or "contingency" for one the controller delivers.
    pub at: String,
    /// CSIRT ids it goes to; empty: every team.
    pub to: Vec<String>,
    pub text: String,
    pub expect: Option<String>,
    /// "delivered T+1d" once delivered.
    pub delivered: Option<String>,
    /// Its decision: "port-response (owner kv-cert)".
    pub decision: Option<String>,
}

/// A decision waiting, as a team sees it: no default marked.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionView {
    pub id: String,
    pub question: String,
    /// (option id, text).
    pub options: Vec<(String, String)>,
    /// The CSIRT id of the team that owns it; `None`: the controller's.
    pub owner: Option<String>,
    pub expect: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamView {
    /// The team's id: its CSIRT's, or its group's.
    pub id: String,
    pub name: String,
    /// "Wed 12:00"; for a group across nations, each nation's.
    pub local_time: String,
    /// Injects delivered to any of its CSIRTs, latest first: "T+1d cable-cut: text".
    pub injects: Vec<String>,
    /// What each of its CSIRTs knows (no ground truth).
    pub panels: Vec<CsirtPanel>,
    /// The decision waiting, when one of its CSIRTs owns it.
    pub decision: Option<DecisionView>,
    /// Messages its CSIRTs sent or received, latest last.
    pub messages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectorView {
    pub latest_inject: Option<String>,
    /// (asset, service level %) of critical sectors' assets, least served first.
    pub critical: Vec<(String, f64)>,
    /// Injects delivered and decisions taken, in order.
    pub timeline: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ControllerView {
    /// The board with the ground truth.
    pub board: Board,
    pub msel: Vec<MselRow>,
    /// The decision waiting, with its owner and the default option's id.
    pub decision: Option<(DecisionView, String)>,
    /// The table's record: decisions with rationale, notes, contingencies.
    pub conduct: Vec<String>,
    /// Contingency injects not yet delivered (ids).
    pub contingencies: Vec<String>,
    /// The scenario's objectives (id, text), for observations.
    pub objectives: Vec<(String, String)>,
    /// Every branch: (name, where it came from, commands), and which is in play.
    pub branches: Vec<(String, String, usize)>,
    pub current_branch: usize,
    /// Decisions answered on the branch in play (ids), to branch before.
    pub answered: Vec<String>,
}

/// Everything the views show at one version of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Views {
    pub version: u64,
    pub scenario: String,
    pub clock: String,
    /// (nation, local weekday and time).
    pub local_times: Vec<(String, String)>,
    pub at_horizon: bool,
    /// Set once the controller has ended the exercise: where the reports are.
    pub ended: Option<Vec<String>>,
    /// The pace: "paused", "real time x60", or why it paused.
    pub pace: String,
    pub controller: ControllerView,
    pub projector: ProjectorView,
    /// Per team, in [`teams`] order.
    pub teams: Vec<TeamView>,
}

/// Messages kept per team view (the latest).
const TEAM_MESSAGES: usize = 12;

fn mentions(entities: &str, csirt: &str) -> bool {
    entities.split_whitespace().any(|e| e.split_once(':').is_some_and(|(_, id)| id == csirt))
}

fn decision_view(scenario: &Scenario, table: &Table<Vec<LogEntry>>) -> Option<(DecisionView, String)> {
    let inject = &scenario.injects[table.pending_decision()?];
    let d = inject.decision.as_ref()?;
    let view = DecisionView {
        id: d.id.clone(),
        question: d.question.clone(),
        options: d.options.iter().map(|o| (o.id.clone(), o.text.clone())).collect(),
        owner: d.owner.map(|c| scenario.csirts[c.index()].id.clone()),
        expect: d.expect.clone(),
    };
    Some((view, d.options[d.default].id.clone()))
}

impl Views {
    pub fn of(session: &Session, version: u64, ended: Option<Vec<String>>, pace: &str) -> Self {
        let table = session.table();
        let scenario = table.scenario();
        let clock = table.clock();
        let branch = &session.branches()[session.current()].name;
        let board = Board::of(table, branch, true);
        let replication = table.replication();
        let delivered = replication.injects_delivered();
        let at = |t: crate::engine::SimTime| format!("T+{}", format_duration(t.since_start()));
        let inject_line = |d: &crate::model::InjectRecord| {
            let inject = &scenario.injects[d.inject];
            format!("{} {}: {}", at(d.time), inject.id, inject.text)
        };
        let decision = decision_view(scenario, table);

        let msel = scenario
            .injects
            .iter()
            .enumerate()
            .map(|(k, inject)| MselRow {
                inject: inject.id.clone(),
                at: inject.at.map_or_else(|| "contingency".into(), at),
                to: inject.to.iter().map(|c| scenario.csirts[c.index()].id.clone()).collect(),
                text: inject.text.clone(),
                expect: inject.expect.clone(),
                delivered: delivered
                    .iter()
                    .find(|d| d.inject.index() == k)
                    .map(|d| format!("delivered {}", at(d.time))),
                decision: inject.decision.as_ref().map(|d| {
                    let owner = d.owner.map_or("controller", |c| scenario.csirts[c.index()].id.as_str());
                    format!("{} (owner {owner})", d.id)
                }),
            })
            .collect();
        let contingencies = scenario
            .injects
            .iter()
            .enumerate()
            .filter(|(k, i)| i.at.is_none() && !delivered.iter().any(|d| d.inject.index() == *k))
            .map(|(_, i)| i.id.clone())
            .collect();
        let conduct = crate::report::conduct_rows(scenario, table.conduct())
            .into_iter()
            .map(|row| row.join(" ").replace("**", ""))
            .collect();

        let log = replication.sink();
        let described: Vec<(crate::engine::SimTime, &'static str, String, String)> = log
            .iter()
            .filter_map(|e| {
                let (kind, entities, details) = describe_event(scenario, &e.event);
                crate::console::board::is_message(kind).then_some((e.time, kind, entities, details))
            })
            .collect();
        let teams = teams(scenario)
            .into_iter()
            .map(|team| {
                let mut injects: Vec<String> = delivered
                    .iter()
                    .filter(|d| {
                        let to = &scenario.injects[d.inject].to;
                        to.is_empty() || to.iter().any(|c| team.csirts.contains(c))
                    })
                    .map(inject_line)
                    .collect();
                injects.reverse();
                let panels = team
                    .csirts
                    .iter()
                    .map(|c| {
                        let mut panel = board.csirts[c.index()].clone();
                        panel.hidden.clear();
                        panel
                    })
                    .collect();
                let ids: Vec<&str> = team.csirts.iter().map(|c| scenario.csirts[c.index()].id.as_str()).collect();
                let mut messages: Vec<String> = described
                    .iter()
                    .filter(|(_, _, entities, _)| ids.iter().any(|id| mentions(entities, id)))
                    .map(|(t, kind, entities, details)| format!("{} {kind} {entities} {details}", at(*t)))
                    .collect();
                messages.drain(..messages.len().saturating_sub(TEAM_MESSAGES));
                let mut nations: Vec<_> = team.csirts.iter().map(|c| scenario.csirts[c.index()].nation).collect();
                nations.dedup();
                let local = match nations.as_slice() {
                    [one] => local_time(scenario, *one, clock),
                    many => many
                        .iter()
                        .map(|n| format!("{} {}", scenario.nations[n.index()].name, local_time(scenario, *n, clock)))
                        .collect::<Vec<_>>()
                        .join(" · "),
                };
                TeamView {
                    decision: decision
                        .as_ref()
                        .map(|(d, _)| d.clone())
                        .filter(|d| d.owner.as_deref().is_some_and(|o| ids.contains(&o))),
                    id: team.id,
                    name: team.name,
                    local_time: local,
                    injects,
                    panels,
                    messages,
                }
            })
            .collect();

        let critical = scenario
            .assets
            .iter()
            .zip(&replication.snapshot_at(clock.max(replication.now())).asset_levels)
            .filter(|(a, _)| scenario.sectors[a.sector.index()].critical)
            .map(|(a, level)| (a.name.clone(), 100.0 * level))
            .collect::<Vec<_>>();
        let mut critical = critical;
        critical.sort_by(|a, b| a.1.total_cmp(&b.1));
        // In time order, injects before the decisions they pose (stable sort).
        let mut timeline: Vec<(crate::engine::SimTime, String)> =
            delivered.iter().map(|d| (d.time, inject_line(d))).collect();
        timeline.extend(replication.decisions().iter().map(|d| {
            let decision = scenario.injects[d.inject].decision.as_ref().expect("decisions come from decisions");
            let how = if d.by_default { ", by default" } else { "" };
            (d.time, format!("{} decision {}: {}{how}", at(d.time), decision.id, decision.options[d.option].text))
        }));
        timeline.sort_by_key(|(t, _)| *t);
        let timeline = timeline.into_iter().map(|(_, line)| line).collect();

        Views {
            version,
            scenario: scenario.name.clone(),
            clock: board.clock.clone(),
            local_times: board.local_times.clone(),
            at_horizon: board.at_horizon,
            ended,
            projector: ProjectorView { latest_inject: board.latest_inject.clone(), critical, timeline },
            pace: pace.to_string(),
            controller: ControllerView {
                board,
                msel,
                decision,
                conduct,
                contingencies,
                objectives: scenario.objectives.iter().map(|o| (o.id.clone(), o.text.clone())).collect(),
                branches: session
                    .branches()
                    .iter()
                    .map(|b| (b.name.clone(), b.origin.clone(), b.history.len()))
                    .collect(),
                current_branch: session.current(),
                answered: session.branches()[session.current()]
                    .history
                    .iter()
                    .filter_map(|(_, answered)| *answered)
                    .filter_map(|i| scenario.injects[i].decision.as_ref().map(|d| d.id.clone()))
                    .collect(),
            },
            teams,
        }
    }

    /// A team's view.
    pub fn team(&self, team: TeamId) -> &TeamView {
        &self.teams[team.index()]
    }
}
