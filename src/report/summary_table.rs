//! The short table `ttx run` prints.

use crate::engine::format_duration;
use crate::score::{RunSummary, TimeMeasure};
use std::fmt::Write;

fn distribution_row(out: &mut String, label: &str, d: &Option<TimeMeasure>) {
    let _ = match d {
        Some(d) => writeln!(
            out,
            "  {label:<18} {:>10} {:>10} {:>12}  {}",
            d.median_text(),
            d.p90_text(),
            d.restricted_mean_text(),
            d.open_text()
        ),
        None => writeln!(out, "  {label:<18} {:>10}", "-"),
    };
}

/// A plain-text summary meant for a terminal: totals, waits, and each CSIRT's load.
pub fn summary_table(summary: &RunSummary) -> String {
    let mut out = String::new();
    let i = &summary.incidents;
    let _ = writeln!(
        out,
        "{} (seed {}): {} incidents reported, {} closed, {} open at the end of the window T+{}",
        summary.scenario,
        summary.seed,
        i.reported,
        i.closed,
        i.open_at_end,
        format_duration(summary.window_s.since_start())
    );
    if i.unknown_to_csirts > 0 || i.anonymous > 0 || i.found_by_feeds > 0 {
        let _ = writeln!(
            out,
            "  ground truth: {} occurred, {} never known to a CSIRT, {} found by CSIRT feeds, {} reported anonymously",
            i.occurred, i.unknown_to_csirts, i.found_by_feeds, i.anonymous
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<18} {:>10} {:>10} {:>12}  (Kaplan-Meier; open incidents count)",
        "", "median", "p90", "restr. mean"
    );
    if summary.incidents.occurred > summary.incidents.reported
        || summary.time_to_report_s.as_ref().is_some_and(|d| d.restricted_mean_s > 0.0)
    {
        distribution_row(&mut out, "time to detect", &summary.time_to_detect_s);
        distribution_row(&mut out, "time to report", &summary.time_to_report_s);
    }
    distribution_row(&mut out, "time to triage", &summary.time_to_triage_s);
    distribution_row(&mut out, "queue wait", &summary.queue_wait_s);
    distribution_row(&mut out, "time to contain", &summary.time_to_contain_s);
    distribution_row(&mut out, "time to recover", &summary.time_to_recover_s);
    distribution_row(&mut out, "time to close", &summary.time_to_close_s);
    let _ = writeln!(
        out,
        "\n  {:<18} {:>9} {:>11} {:>7} {:>10} {:>10} {:>8} {:>6} {:>9}",
        "CSIRT", "analysts", "utilisation", "behind", "mean queue", "max queue", "closed", "open", "response"
    );
    for c in &summary.csirts {
        let staff = if c.analysts_at_start == c.analysts_at_end {
            c.analysts_at_start.to_string()
        } else {
            format!("{}->{}", c.analysts_at_start, c.analysts_at_end)
        };
        let utilisation = c.utilisation.map_or("-".to_string(), |u| format!("{:.1}%", u * 100.0));
        let _ = writeln!(
            out,
            "  {:<18} {:>9} {:>11} {:>6.0}% {:>10.2} {:>10} {:>8} {:>6} {:>9}",
            c.id,
            staff,
            utilisation,
            c.share_behind * 100.0,
            c.mean_queue_length,
            c.max_queue_length,
            c.incidents_closed,
            c.still_open,
            c.response.map_or("-".into(), |r| format!("{r:.0}"))
        );
    }
    if !summary.assets.is_empty() {
        let _ = writeln!(
            out,
            "\n  {:<18} {:>9} {:>15} {:>14} {:>12}",
            "asset", "lowest", "hours degraded", "service-h lost", "cost"
        );
        for a in &summary.assets {
            let _ = writeln!(
                out,
                "  {:<18} {:>8.0}% {:>15.1} {:>14.1} {:>12}",
                a.id,
                a.min_level * 100.0,
                a.hours_degraded,
                a.service_hours_lost,
                crate::report::thousands(a.cost)
            );
        }
    }
    for d in &summary.decisions {
        let how = if d.by_default { "default" } else { "chosen" };
        let _ = writeln!(
            out,
            "\n  decision {} at T+{}: {} ({how})",
            d.decision,
            format_duration(d.time_s.since_start()),
            d.option
        );
    }
    if !summary.objectives.is_empty() {
        let _ = writeln!(out, "\n  objective                 rating  evidence");
        for o in &summary.objectives {
            let _ = writeln!(out, "  {:<25} {:^6}  {}", o.id, o.rating.as_str(), o.evidence);
        }
    }
    let components: Vec<String> =
        summary.overall.components.iter().filter_map(|c| c.score.map(|s| format!("{} {s:.0}", c.name))).collect();
    let absent: Vec<&str> = summary.overall.components.iter().filter(|c| c.score.is_none()).map(|c| c.name).collect();
    if let Some(score) = summary.overall.score {
        let absent = if absent.is_empty() { String::new() } else { format!("; not applicable: {}", absent.join(", ")) };
        let _ = writeln!(out, "\n  overall score {score:.0}/100 ({}{absent})", components.join(", "));
    }
    out
}
