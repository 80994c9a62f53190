//! The batch report: the question, the variants, one sentence per score with its
//! confidence interval, and the charts.

use super::after_action::RenderedChart;
use super::document::Block;
use crate::batch::VariantSummary;

/// Scores written in the report's answers, in order (all are in summary.csv),
/// after the headline measure. Durations are restricted means that count the
/// incidents still open (docs/scoring.md).
pub const ANSWERED: [&str; 9] = [
    "time_to_triage_rmst_h",
    "queue_wait_rmst_h",
    "time_to_contain_rmst_h",
    "time_to_recover_rmst_h",
    "incidents_still_open",
    "service_hours_lost",
    "share_warned_before_hit",
    "mean_utilisation",
    "overall_score",
];

/// Per-CSIRT scores answered for each CSIRT (`csirt.ID.NAME`).
const PER_CSIRT_ANSWERED: [&str; 3] = ["response", "time_to_triage_rmst_h", "incidents_still_open"];

/// "8 analysts instead of 4 ...": the sentence for one score of one variant.
pub fn answer(baseline: &VariantSummary, variant: &VariantSummary) -> Option<String> {
    let (b, v, d) = (baseline.stats?, variant.stats?, variant.difference?);
    let verdict = if d.n < 2 || !(d.low.is_finite() && d.high.is_finite()) {
        "too few paired replications for an interval".to_string()
    } else if d.low > 0.0 || d.high < 0.0 {
        format!("difference {:+.3}, 95% CI {:.3} to {:.3}", d.mean, d.low, d.high)
    } else {
        format!("difference {:+.3}, 95% CI {:.3} to {:.3}: not distinguishable from no change", d.mean, d.low, d.high)
    };
    Some(format!(
        "**{}** instead of **{}**: {} {:.3} against {:.3} on average ({verdict}; {} paired replications).",
        variant.variant, baseline.variant, variant.score, v.mean, b.mean, d.n
    ))
}

/// Significant paired differences only: the CI excludes 0.
fn moved(r: &VariantSummary) -> Option<f64> {
    r.difference.filter(|d| d.n > 1 && (d.low > 0.0 || d.high < 0.0)).map(|d| d.mean)
}

pub fn batch_report(
    scenario: &str,
    variants: &[String],
    replications: usize,
    seed: u64,
    summary: &[VariantSummary],
    headline: Option<&str>,
    charts: &[RenderedChart],
) -> Vec<Block> {
    let mut b = vec![Block::Heading(1, format!("Batch report: {scenario}"))];
    b.push(Block::Paragraph(format!(
        "{} variants, {replications} replications each (seeds {seed} to {}). Replication i of every variant uses the same seed, so each variant meets the same incidents (common random numbers) and differences are paired. The first variant is the baseline.",
        variants.len(),
        seed + replications.saturating_sub(1) as u64
    )));
    b.push(Block::Heading(2, "Answers".into()));
    let baseline = |score: &str| summary.iter().find(|r| r.variant == variants[0] && r.score == score);
    let mut answers = Vec::new();
    let mut constant = Vec::new();
    let mut answered: Vec<String> = headline.map(String::from).into_iter().collect();
    answered.extend(ANSWERED.iter().filter(|s| Some(**s) != headline).map(|s| s.to_string()));
    let csirts: Vec<&str> = summary
        .iter()
        .filter(|r| r.variant == variants[0])
        .filter_map(|r| r.score.strip_prefix("csirt.")?.strip_suffix(".response"))
        .collect();
    if csirts.len() > 1 {
        for c in &csirts {
            answered.extend(PER_CSIRT_ANSWERED.iter().map(|n| format!("csirt.{c}.{n}")));
        }
    }
    for score in answered.iter().map(String::as_str) {
        // A score with one value in every replication of every variant (no assets
        // to lose, say) has nothing to say: it is named once instead.
        let values = summary.iter().filter(|r| r.score == score).filter_map(|r| r.stats);
        if summary.iter().filter(|r| r.score == score).all(|r| r.stats.is_none()) {
            continue;
        }
        let mut values = values.map(|s| (s.mean, s.sd)).peekable();
        let first = values.peek().copied();
        if variants.len() > 1 && first.is_some_and(|f| f.1 == 0.0 && values.all(|v| v == f)) {
            constant.push(score);
            continue;
        }
        for r in summary.iter().filter(|r| r.score == score && r.variant != variants[0]) {
            if let Some(mut text) = baseline(score).and_then(|base| answer(base, r)) {
                if score == "overall_score" {
                    text.push_str(&components_moved(summary, &r.variant));
                }
                answers.push(text);
            }
        }
    }
    b.push(if answers.is_empty() && constant.is_empty() {
        Block::Paragraph("Only one variant: nothing to compare. Use --vary KEY=V1,V2 to compare options.".into())
    } else {
        Block::List(answers)
    });
    if !constant.is_empty() {
        b.push(Block::Paragraph(format!(
            "The same in every replication of every variant, so not compared: {}.",
            constant.join(", ")
        )));
    }
    b.push(Block::Heading(2, "Scores per variant".into()));
    let rows = summary
        .iter()
        .filter(|r| answered.contains(&r.score))
        .filter_map(|r| {
            let s = r.stats?;
            let f = |x: Option<f64>| x.map_or("-".into(), |x| format!("{x:.3}"));
            Some(vec![
                r.variant.clone(),
                r.score.clone(),
                s.n.to_string(),
                format!("{:.3}", s.mean),
                if s.n > 1 { format!("{:.3} to {:.3}", s.low, s.high) } else { "-".into() },
                f(r.p10),
                f(r.p50),
                f(r.p90),
            ])
        })
        .collect();
    b.push(Block::Table(
        ["Variant", "Score", "n", "Mean", "95% CI", "p10", "p50", "p90"].map(String::from).to_vec(),
        rows,
    ));
    b.push(Block::Heading(2, "Charts".into()));
    for c in charts {
        b.push(Block::Chart { name: c.name.clone(), title: c.title.clone(), svg: c.svg.clone() });
    }
    b.push(Block::Paragraph("Every score of every replication is in runs.csv; summary.csv holds all scores with standard deviations and paired intervals (docs/scoring.md).".into()));
    b
}

/// " Components that moved: response +12.0, workload -3.1; not applicable: coordination."
fn components_moved(summary: &[VariantSummary], variant: &str) -> String {
    let mut moved_parts = Vec::new();
    let mut absent = Vec::new();
    for c in crate::batch::COMPONENTS {
        let Some(r) = summary.iter().find(|r| r.variant == variant && r.score == format!("score.{c}")) else {
            continue;
        };
        match (r.stats, moved(r)) {
            (None, _) => absent.push(c),
            (_, Some(d)) => moved_parts.push(format!("{c} {d:+.1}")),
            _ => {}
        }
    }
    let mut text = String::new();
    if moved_parts.is_empty() {
        text.push_str(" No component moved beyond its CI.");
    } else {
        text.push_str(&format!(" Components that moved (CI excludes 0): {}.", moved_parts.join(", ")));
    }
    if !absent.is_empty() {
        text.push_str(&format!(" Not applicable, left out: {}.", absent.join(", ")));
    }
    text
}
