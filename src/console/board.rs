//! What the console shows: the clock in every nation, the latest inject, the
//! decision waiting, each CSIRT's incident board (what it knows, not the ground
//! truth unless asked), critical services, queues and staff on shift, and the
//! messages between parties. Built from a table; drawn by the plain and the
//! terminal consoles alike.

use super::table::Table;
use crate::engine::calendar::weekday_and_time;
use crate::engine::{SimTime, format_duration};
use crate::model::LogEntry;
use crate::model::trust::TrustLevels;
use crate::report::describe_event;
use crate::scenario::{NationId, Relation, Scenario};

/// Messages kept on the board (the latest).
pub const MESSAGES_SHOWN: usize = 8;

/// Open incidents listed per CSIRT (the most severe first).
pub const INCIDENTS_SHOWN: usize = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub scenario: String,
    pub branch: String,
    pub clock: String,
    /// (nation, local weekday and time).
    pub local_times: Vec<(String, String)>,
    /// "Republic of Kavala: crisis level elevated, media pressure 2.4", for each
    /// nation with crisis levels or media pressure.
    pub nations: Vec<String>,
    pub latest_inject: Option<String>,
    /// Question, then "n id: text" per option.
    pub decision: Option<(String, Vec<String>)>,
    pub csirts: Vec<CsirtPanel>,
    /// (asset, service level in %), least served first.
    pub assets: Vec<(String, f64)>,
    pub messages: Vec<String>,
    /// Ground truth, when the facilitator shows it.
    pub truth: Option<String>,
    pub at_horizon: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CsirtPanel {
    pub name: String,
    /// "tier 1: 2 of 3 on shift, 2 busy".
    pub staff: Vec<String>,
    pub queued: usize,
    pub open: usize,
    pub closed: usize,
    /// "#12 Critical Ransomware: isolate (in progress)".
    pub incidents: Vec<String>,
    /// "warning calls: 3 started, 1 analyst on a call", once it has made one.
    pub calls: Option<String>,
    /// "trust: constituents 0.80 (0.75 at T+0), kl-cert 1.00": its relations'
    /// trust now, with where each started when it moved.
    pub trust: String,
    /// With the truth view: incidents it does not know of ("#31 medium intrusion,
    /// occurred T+1d2h, reported later" / "never reported").
    pub hidden: Vec<String>,
}

/// "Tue 14:05" in a nation at simulated time `t`.
pub fn local_time(scenario: &Scenario, nation: NationId, t: SimTime) -> String {
    weekday_and_time(scenario.local_epoch_s(nation, t))
}

pub fn is_message(kind: &str) -> bool {
    kind.starts_with("warning_")
        || kind.starts_with("takedown")
        || matches!(
            kind,
            "vendor_contacted"
                | "outbreak_detected"
                | "asset_compromised"
                | "decision_taken"
                | "trust_changed"
                | "crisis_level_changed"
                | "help_requested"
                | "decision_referred"
        )
}

/// A CSIRT's relations' trust now: its constituents', then each peer's.
fn trust_line(scenario: &Scenario, levels: &TrustLevels, csirt: crate::scenario::CsirtId) -> String {
    let show = |name: &str, l: &crate::model::trust::TrustLevel| {
        if l.changes.is_empty() {
            format!("{name} {:.2}", l.now)
        } else {
            format!("{name} {:.2} ({:.2} at T+0)", l.now, l.start)
        }
    };
    let mut parts = Vec::new();
    for (relation, level) in &levels.levels {
        match *relation {
            Relation::Constituents(c) if c == csirt => parts.insert(0, show("constituents", level)),
            Relation::Peers(a, b) if a == csirt || b == csirt => {
                let other = if a == csirt { b } else { a };
                parts.push(show(&scenario.csirts[other].id, level));
            }
            _ => {}
        }
    }
    format!("trust: {}", parts.join(", "))
}

impl Board {
    pub fn of(table: &Table<Vec<LogEntry>>, branch: &str, truth: bool) -> Self {
        let scenario = table.scenario();
        let clock = table.clock();
        let replication = table.replication();
        let snapshot = replication.snapshot_at(clock.max(replication.now()));
        let known = replication.known_incidents();
        let hidden = if truth { replication.hidden_incidents() } else { Vec::new() };
        let csirts = scenario
            .each_csirt()
            .map(|(c, csirt)| {
                let desk = &snapshot.desks[c.index()];
                let staff = desk
                    .teams
                    .iter()
                    .map(|t| format!("tier {}: {} of {} on shift, {} busy", t.tier, t.available, t.headcount, t.busy))
                    .collect();
                let mut open: Vec<_> = known.iter().filter(|i| i.csirt == c && i.closed.is_none()).collect();
                open.sort_by_key(|i| (std::cmp::Reverse(i.severity), i.number));
                let incidents = open
                    .iter()
                    .take(INCIDENTS_SHOWN)
                    .map(|i| {
                        let steps = &scenario.sops[i.sop].steps;
                        let k = i.steps.len().saturating_sub(1).min(steps.len() - 1);
                        let working = i
                            .steps
                            .last()
                            .is_some_and(|s| s.finished.is_none() && s.started.is_some_and(|t| t >= s.in_queue_since));
                        let state = format!("{} ({})", steps[k].name, if working { "in progress" } else { "waiting" });
                        format!("#{} {} {}: {state}", i.number, i.severity.as_str(), i.incident_type.as_str())
                    })
                    .collect();
                let mut unseen: Vec<_> = hidden.iter().filter(|h| h.csirt == c).collect();
                unseen.sort_by_key(|h| (std::cmp::Reverse(h.severity), h.number));
                let hidden = unseen
                    .iter()
                    .take(INCIDENTS_SHOWN)
                    .map(|h| {
                        format!(
                            "#{} {} {}, occurred T+{}, {}",
                            h.number,
                            h.severity.as_str(),
                            h.incident_type.as_str(),
                            format_duration(h.occurred.since_start()),
                            if h.will_be_known { "reported later" } else { "never reported" }
                        )
                    })
                    .collect();
                let relayed = desk.notifications_started + desk.answers_started + desk.meetings_attended;
                let calls = (desk.calls_started + relayed > 0).then(|| {
                    let plural = if desk.on_calls == 1 { "" } else { "s" };
                    let mut line = format!(
                        "warning calls: {} started, {} analyst{plural} on a call",
                        desk.calls_started, desk.on_calls
                    );
                    if relayed > 0 {
                        line.push_str(&format!(
                            "; notices {}, answers {}, meetings {} ({} busy on them)",
                            desk.notifications_started,
                            desk.answers_started,
                            desk.meetings_attended,
                            desk.on_coordination
                        ));
                    }
                    line
                });
                let trust = trust_line(scenario, replication.trust_levels(), c);
                CsirtPanel {
                    trust,
                    calls,
                    hidden,
                    name: csirt.name.clone(),
                    staff,
                    queued: desk.queued,
                    open: open.len(),
                    closed: known.iter().filter(|i| i.csirt == c && i.closed.is_some()).count(),
                    incidents,
                }
            })
            .collect();
        let mut assets: Vec<(String, f64)> = scenario
            .assets
            .iter()
            .zip(&snapshot.asset_levels)
            .map(|(a, level)| (a.name.clone(), 100.0 * level))
            .collect();
        assets.sort_by(|a, b| a.1.total_cmp(&b.1));
        let log = replication.sink();
        let messages = log
            .iter()
            .filter_map(|e| {
                let (kind, entities, details) = describe_event(scenario, &e.event);
                is_message(kind)
                    .then(|| format!("T+{} {kind} {entities} {details}", format_duration(e.time.since_start())))
            })
            .collect::<Vec<_>>();
        let messages = messages[messages.len().saturating_sub(MESSAGES_SHOWN)..].to_vec();
        let latest_inject = replication.injects_delivered().last().map(|d| {
            let inject = &scenario.injects[d.inject];
            format!("T+{} {}: {}", format_duration(d.time.since_start()), inject.id, inject.text)
        });
        let decision = table.pending_decision().map(|inject| {
            let d = scenario.injects[inject].decision.as_ref().expect("pending");
            let options = d
                .options
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    let default = if k == d.default { " (default)" } else { "" };
                    format!("{} {}{default}: {}", k + 1, o.id, o.text)
                })
                .collect();
            (format!("{}: {}", d.id, d.question), options)
        });
        let truth = truth.then(|| {
            let later = hidden.iter().filter(|h| h.will_be_known).count();
            format!(
                "ground truth: {} incidents known; {later} happened that no CSIRT knows of yet; {} that no CSIRT will learn of",
                known.len(),
                hidden.len() - later
            )
        });
        Self {
            scenario: scenario.name.clone(),
            branch: branch.to_string(),
            clock: format!("T+{}", format_duration(clock.since_start())),
            local_times: scenario
                .each_nation()
                .map(|(n, nation)| (nation.name.clone(), local_time(scenario, n, clock)))
                .collect(),
            nations: {
                let (media, levels) = (replication.media_now(), replication.crisis_levels());
                scenario
                    .each_nation()
                    .filter(|(n, nation)| !nation.crisis_levels.is_empty() || media[n.index()] >= 0.05)
                    .map(|(n, nation)| {
                        format!(
                            "{}: crisis level {}, media pressure {:.1}",
                            nation.name,
                            scenario.crisis_level_name(n, levels[n.index()]),
                            media[n.index()]
                        )
                    })
                    .collect()
            },
            latest_inject,
            decision,
            csirts,
            assets,
            messages,
            truth,
            at_horizon: table.at_horizon(),
        }
    }

    /// The board as text, for `--plain` and `show`.
    pub fn to_text(&self) -> String {
        let mut out = format!("== {} | {} | {}", self.scenario, self.branch, self.clock);
        for (nation, time) in &self.local_times {
            out.push_str(&format!(" | {nation} {time}"));
        }
        out.push('\n');
        for nation in &self.nations {
            out.push_str(&format!("{nation}\n"));
        }
        if let Some(inject) = &self.latest_inject {
            out.push_str(&format!("latest inject: {inject}\n"));
        }
        if let Some((question, options)) = &self.decision {
            out.push_str(&format!("DECISION {question}\n"));
            for o in options {
                out.push_str(&format!("  {o}\n"));
            }
        }
        for c in &self.csirts {
            out.push_str(&format!("{}: {} open, {} closed, {} steps queued\n", c.name, c.open, c.closed, c.queued));
            for s in &c.staff {
                out.push_str(&format!("  {s}\n"));
            }
            if let Some(calls) = &c.calls {
                out.push_str(&format!("  {calls}\n"));
            }
            out.push_str(&format!("  {}\n", c.trust));
            for i in &c.incidents {
                out.push_str(&format!("  {i}\n"));
            }
            for h in &c.hidden {
                out.push_str(&format!("  not known: {h}\n"));
            }
        }
        if !self.assets.is_empty() {
            let levels: Vec<String> = self.assets.iter().map(|(a, l)| format!("{a} {l:.0}%")).collect();
            out.push_str(&format!("services: {}\n", levels.join(", ")));
        }
        for m in &self.messages {
            out.push_str(&format!("message: {m}\n"));
        }
        if let Some(t) = &self.truth {
            out.push_str(&format!("{t}\n"));
        }
        out
    }
}
