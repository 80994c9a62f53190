//! What the people at the table did during a `ttx play` exercise (decisions with
//! their rationale, facilitator notes, contingency injects), and the exercise
//! report that sets its branches side by side.

use super::after_action::when;
use super::document::Block;
use super::numbers::money;
use crate::engine::{SimTime, format_duration};
use crate::scenario::{InjectId, Scenario};
use crate::score::RunSummary;

/// One thing the table or the facilitator did, at a simulated time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConductEntry {
    pub time: SimTime,
    pub what: Conduct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conduct {
    /// The table chose `option` for the decision posed by `inject`.
    Decision { inject: InjectId, option: usize, rationale: String },
    /// The facilitator delivered contingency inject `inject`.
    Contingency { inject: InjectId },
    /// A facilitator's note.
    Note(String),
    /// An evaluator's observation on objective `objective` (its index in the
    /// scenario), rated P, S, M or U.
    Observation { objective: usize, rating: crate::score::Rating, text: String },
}

/// (when, what, detail) rows of the conduct, in order (`what` in Markdown).
pub fn conduct_rows(scenario: &Scenario, conduct: &[ConductEntry]) -> Vec<Vec<String>> {
    conduct
        .iter()
        .map(|e| {
            let (what, detail) = match &e.what {
                Conduct::Decision { inject, option, rationale } => {
                    let decision = scenario.injects[*inject].decision.as_ref().expect("decisions come from decisions");
                    let choice = &decision.options[*option];
                    let why = if rationale.is_empty() { "no rationale given".to_string() } else { rationale.clone() };
                    (
                        format!("Decision {}: **{}**", decision.id, choice.id),
                        format!("{} Rationale: {why}", choice.text),
                    )
                }
                Conduct::Contingency { inject } => {
                    let inject = &scenario.injects[*inject];
                    (format!("Contingency inject {}", inject.id), inject.text.clone())
                }
                Conduct::Note(text) => ("Facilitator note".to_string(), text.clone()),
                Conduct::Observation { objective, rating, text } => (
                    format!("Observation on {}: **{}**", scenario.objectives[*objective].id, rating.as_str()),
                    text.clone(),
                ),
            };
            vec![when(scenario, e.time), what, detail]
        })
        .collect()
}

/// The section the after-action report of a played exercise gains.
pub fn conduct_blocks(scenario: &Scenario, conduct: &[ConductEntry]) -> Vec<Block> {
    vec![
        Block::Heading(2, "Exercise conduct: decisions, rationales, notes".into()),
        Block::Paragraph(
            "What the players decided and why, the facilitator's notes and the contingency injects delivered, as recorded at the table."
                .into(),
        ),
        Block::Table(vec!["When".into(), "What".into(), "Detail".into()], conduct_rows(scenario, conduct)),
    ]
}

/// The evaluators' observations on objective `objective`, to set beside its
/// simulated rating in the analysis of objectives: nothing when there are none.
pub fn observation_blocks(scenario: &Scenario, conduct: &[ConductEntry], objective: usize) -> Vec<Block> {
    let rows: Vec<Vec<String>> = conduct
        .iter()
        .filter_map(|e| match &e.what {
            Conduct::Observation { objective: o, rating, text } if *o == objective => {
                Some(vec![when(scenario, e.time), format!("{} ({})", rating.as_str(), rating.meaning()), text.clone()])
            }
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let ratings: Vec<&str> = rows.iter().map(|r| &r[1][..1]).collect();
    vec![
        Block::Paragraph(format!(
            "Observed at the table: {} (the evaluators' ratings, in the order given; the rating above is the simulation's).",
            ratings.join(", ")
        )),
        Block::Table(vec!["When".into(), "Observed".into(), "Observation".into()], rows),
    ]
}

/// One branch of a played exercise, finished.
pub struct BranchOutcome {
    pub name: String,
    /// Where it came from: "the start", or the branch and decision it left.
    pub origin: String,
    pub conduct: Vec<ConductEntry>,
    pub summary: RunSummary,
    /// Its report directory, relative to the exercise's.
    pub dir: String,
}

fn number(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

/// 9170263.4 as "9,170,263": costs are read, not parsed.
/// The exercise report: how the session went, each branch's conduct, and the
/// branches compared on the same scores.
pub fn exercise_report(scenario: &Scenario, seed: u64, branches: &[BranchOutcome]) -> Vec<Block> {
    let mut b = vec![Block::Heading(1, format!("Exercise report: {}", scenario.name))];
    b.push(Block::Paragraph(format!(
        "A facilitated exercise played with ttx {} (`ttx play`), seed {seed}, horizon {}. {} branch{} played; each was then run on to the horizon, decisions not taken at the table taking their default option. Each branch has its full after-action report in its own directory.",
        env!("CARGO_PKG_VERSION"),
        format_duration(scenario.horizon.since_start()),
        branches.len(),
        if branches.len() == 1 { " was" } else { "es were" },
    )));
    if !scenario.description.is_empty() {
        b.push(Block::Paragraph(scenario.description.clone()));
    }
    b.push(Block::Heading(2, "Branches compared".into()));
    let mut header = vec!["Measure".to_string()];
    header.extend(branches.iter().map(|br| br.name.clone()));
    let row = |label: &str, f: &dyn Fn(&RunSummary) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(branches.iter().map(|br| f(&br.summary)));
        r
    };
    let hours = |d: Option<crate::score::TimeMeasure>| number(d.map(|d| d.restricted_mean_s / 3_600.0), 1);
    let mut table = vec![
        row("Overall score (0-100)", &|s| number(s.overall.score, 1)),
        row("Incidents known / closed", &|s| format!("{} / {}", s.incidents.reported, s.incidents.closed)),
        row("Time to contain, restricted mean (h)", &|s| hours(s.time_to_contain_s.clone())),
        row("Time to recover, restricted mean (h)", &|s| hours(s.time_to_recover_s.clone())),
        row("Incidents still open at the end", &|s| s.incidents.open_at_end.to_string()),
        row("Service-hours lost", &|s| format!("{:.1}", s.impact.service_hours_lost)),
        row("Cost", &|s| money(scenario, s.impact.cost)),
        row("Parties warned before hit (%)", &|s| number(s.coordination.share_warned_before_hit.map(|x| 100.0 * x), 0)),
    ];
    for (k, objective) in scenario.objectives.iter().enumerate() {
        table.push(row(&format!("Objective {}", objective.id), &|s| {
            s.objectives.get(k).map_or("-".into(), |o| o.rating.as_str().to_string())
        }));
    }
    table.push(row("Decisions", &|s| {
        s.decisions
            .iter()
            .map(|d| format!("{}: {}{}", d.decision, d.option, if d.by_default { " (default)" } else { "" }))
            .collect::<Vec<_>>()
            .join("; ")
    }));
    b.push(Block::Table(header, table));
    for br in branches {
        b.push(Block::Heading(2, format!("{} ({})", br.name, br.origin)));
        b.push(Block::Paragraph(format!(
            "Full after-action report: `{}/report.html` (and report.md, tables, charts).",
            br.dir
        )));
        if br.conduct.is_empty() {
            b.push(Block::Paragraph("Nothing was decided or noted at the table on this branch.".into()));
        } else {
            b.push(Block::Table(
                vec!["When".into(), "What".into(), "Detail".into()],
                conduct_rows(scenario, &br.conduct),
            ));
        }
    }
    b
}
