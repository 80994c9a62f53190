//! "What the decisions changed": the counterfactual analysis in plain words, and
//! as a tidy table (`counterfactuals.csv`).
//!
//! Only differences whose paired 95% interval excludes 0 are stated as effects;
//! the rest are named as "no clear difference", so a reader is never pointed at
//! noise. Effects read in the measure's own unit, with which way is better.

use super::RenderedChart;
use super::document::Block;
use super::numbers::money;
use crate::batch::{Better, Counterfactuals, DecisionEffect, Difference, Unit};
use crate::scenario::Scenario;

/// Most effects stated per alternative; the table has them all.
const MOST_EFFECTS: usize = 6;

/// The section's blocks; `charts` are the decisions' charts, drawn already
/// (`decision-ID`), each placed after its decision's paragraphs.
pub fn decisions_changed_blocks(scenario: &Scenario, cf: &Counterfactuals, charts: &[RenderedChart]) -> Vec<Block> {
    let mut b = vec![Block::Heading(3, "What the decisions changed".into())];
    b.push(Block::Paragraph(format!(
        "Each decision the table answered was replayed over {} seeds (seeds {} to {}, the played run first) with the option chosen and with each other option, every other decision as answered and the same random streams for all, so a difference comes from the option and not from luck. Differences are the other option minus the choice, with paired 95% confidence intervals; only those whose interval excludes zero are stated. Times are restricted means to the end of the exercise window that count the incidents still open.",
        cf.seeds,
        cf.first_seed,
        cf.first_seed + cf.seeds - 1
    )));
    for d in &cf.decisions {
        b.push(Block::Paragraph(decision_paragraph(scenario, cf, d)));
        let ranked = ranking(cf, d);
        if ranked.len() > 1 {
            b.push(Block::Paragraph(format!("Options ranked by the overall score: {}.", ranked.join(", "))));
        }
        if let Some(chart) = charts.iter().find(|c| c.name == format!("decision-{}", d.decision)) {
            b.push(Block::Chart { name: chart.name.clone(), title: chart.title.clone(), svg: chart.svg.clone() });
        }
    }
    if let Some(line) = played_line(cf) {
        b.push(Block::Paragraph(line));
    }
    b
}

fn decision_paragraph(scenario: &Scenario, cf: &Counterfactuals, d: &DecisionEffect) -> String {
    let mut sentences = vec![format!("Decision {}: the table chose {}.", d.decision, d.chosen)];
    for alt in &d.alternatives {
        let all_zero =
            alt.differences.iter().flatten().all(|x| x.mean == 0.0 && x.low == 0.0 && x.high == 0.0 && x.better == 0);
        if all_zero {
            sentences.push(format!(
                "Choosing {} instead would have changed nothing measured: every seed gives the same numbers.",
                alt.option
            ));
            continue;
        }
        let clear: Vec<(usize, &Difference)> = alt
            .differences
            .iter()
            .enumerate()
            .filter_map(|(m, x)| x.as_ref().filter(|x| x.clear()).map(|x| (m, x)))
            .collect();
        if clear.is_empty() {
            sentences.push(format!(
                "Choosing {} instead makes no clear difference: no measure's 95% interval excludes zero.",
                alt.option
            ));
            continue;
        }
        // In the measures' order: the overall score, service lost, then per CSIRT.
        let shown: Vec<String> = clear.iter().take(MOST_EFFECTS).map(|(m, x)| effect(scenario, cf, *m, x)).collect();
        let more = clear.len().saturating_sub(MOST_EFFECTS);
        let more = if more > 0 { format!(" (and {more} more in counterfactuals.csv)") } else { String::new() };
        sentences.push(format!("Choosing {} instead: {}{more}.", alt.option, shown.join("; ")));
    }
    sentences.join(" ")
}

/// "Harbour operations service-hours lost +29.5 h (worse; 95% CI +28.4 to +30.6;
/// worse in 200 of 200 seeds)".
fn effect(scenario: &Scenario, cf: &Counterfactuals, m: usize, x: &Difference) -> String {
    let measure = &cf.measures[m];
    let signed = |v: f64| {
        let sign = if v < 0.0 { "-" } else { "+" };
        match measure.unit {
            Unit::Hours => format!("{sign}{:.1}", v.abs()),
            Unit::Money => format!("{sign}{}", money(scenario, v.abs())),
            Unit::Share => format!("{sign}{:.1}", v.abs() * 100.0),
            Unit::Points => format!("{sign}{:.1}", v.abs()),
        }
    };
    let unit = match measure.unit {
        Unit::Hours => " h",
        Unit::Share | Unit::Points => " points",
        Unit::Money => "",
    };
    let good = (measure.better == Better::Higher) == (x.mean > 0.0);
    let (word, seeds) = if good { ("better", x.better) } else { ("worse", x.worse) };
    format!(
        "{} {}{unit} ({word}; 95% CI {} to {}; {word} in {seeds} of {} seeds)",
        measure.label,
        signed(x.mean),
        signed(x.low),
        signed(x.high),
        x.seeds
    )
}

/// The options from best to worst by the mean overall score, the choice at 0.
fn ranking(cf: &Counterfactuals, d: &DecisionEffect) -> Vec<String> {
    let Some(overall) = cf.measures.iter().position(|m| m.key == "overall_score") else { return Vec::new() };
    let mut options = vec![(0.0, format!("{} (chosen)", d.chosen))];
    for alt in &d.alternatives {
        let Some(x) = alt.differences[overall] else { continue };
        let note = if x.clear() { format!("{:+.1}", x.mean) } else { format!("{:+.1}, not clear", x.mean) };
        options.push((x.mean, format!("{} ({note})", alt.option)));
    }
    options.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    options.into_iter().map(|(_, o)| o).collect()
}

/// Where the played run fell among the seeds with the same choices, on the
/// overall score and on service lost.
fn played_line(cf: &Counterfactuals) -> Option<String> {
    let rank = |key: &str| {
        let m = cf.measures.iter().position(|x| x.key == key)?;
        cf.played[m].filter(|r| r.seeds > 1).map(|r| (cf.measures[m].label.clone(), r))
    };
    let parts: Vec<String> = ["overall_score", "service_hours_lost"]
        .iter()
        .filter_map(|k| rank(k))
        .map(|(label, r)| {
            let share = 100.0 * r.worse as f64 / r.seeds as f64;
            let ties = if r.ties > 1 { format!(", {} tied with it", r.ties - 1) } else { String::new() };
            if r.worse == 0 {
                format!("on the {label}, no seed of the {} did worse{ties}", r.seeds)
            } else {
                format!("on the {label}, luckier than {share:.0}% of the {} seeds{ties}", r.seeds)
            }
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "The run this report describes (seed {}) against the seeds played with the same choices: {}.",
            cf.first_seed,
            parts.join("; ")
        )
    })
}

/// One row per decision, alternative option and measure.
pub fn counterfactuals_csv(cf: &Counterfactuals) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "decision",
        "chosen",
        "option",
        "measure",
        "better",
        "seeds",
        "chosen_mean",
        "mean_difference",
        "ci_low",
        "ci_high",
        "seeds_better",
        "seeds_worse",
    ])
    .expect("memory");
    let number = |v: f64| if v.is_finite() { format!("{v:.6}") } else { String::new() };
    for d in &cf.decisions {
        for alt in &d.alternatives {
            for (m, x) in alt.differences.iter().enumerate() {
                let Some(x) = x else { continue };
                let better = match cf.measures[m].better {
                    Better::Lower => "lower",
                    Better::Higher => "higher",
                };
                w.write_record([
                    d.decision.clone(),
                    d.chosen.clone(),
                    alt.option.clone(),
                    cf.measures[m].key.clone(),
                    better.to_string(),
                    x.seeds.to_string(),
                    cf.chosen_mean[m].map_or(String::new(), number),
                    number(x.mean),
                    number(x.low),
                    number(x.high),
                    x.better.to_string(),
                    x.worse.to_string(),
                ])
                .expect("memory");
            }
        }
    }
    w.into_inner().expect("writing to memory cannot fail")
}
