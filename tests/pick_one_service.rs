//! The "pick one service" scenario answers its question with paired CIs: a
//! five-person CERT's first year under each of its three choices.

mod common;

use std::collections::BTreeMap;

/// (mean, paired difference from the baseline, its 95% CI) by (variant, measure).
type Row = (f64, Option<f64>, Option<(f64, f64)>);

fn batch(runs: &str) -> BTreeMap<(String, String), Row> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("batch");
    let args = ["batch", "scenarios/pick-one-service.ron", "--runs", runs, "--quiet", "--out", out.to_str().unwrap()];
    let output = common::ttx(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_path(out.join("summary.csv")).expect("summary.csv");
    let mut rows = BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("a row");
        let number = |i: usize| row.get(i).filter(|v| !v.is_empty()).map(|v| v.parse::<f64>().expect("a number"));
        if let Some(mean) = number(3) {
            rows.insert((row[0].to_string(), row[1].to_string()), (mean, number(10), number(11).zip(number(12))));
        }
    }
    rows
}

#[test]
fn each_choice_buys_what_the_scenario_says_over_a_year() {
    let rows = batch("40");
    let get = |variant: &str, measure: &str| rows[&(variant.to_string(), measure.to_string())];
    let (handling, alerts) = ("incident handling", "alerts and warnings");
    // Paired against awareness and training (the baseline): both other
    // choices score lower overall, each CI wholly below 0.
    for variant in [handling, alerts] {
        let (_, diff, ci) = get(variant, "overall_score");
        let (low, high) = ci.expect("a paired CI");
        assert!(high < 0.0, "{variant}: overall {diff:?} ({low} to {high})");
        // Without outreach fewer victims report: detection falls.
        let (_, _, ci) = get(variant, "score.detection");
        assert!(ci.expect("a paired CI").1 < 0.0, "{variant}: detection");
    }
    // Incident handling restores services itself: the least service lost,
    // by about a thousand criticality-weighted hours.
    let (_, diff, ci) = get(handling, "weighted_service_hours_lost");
    let (low, high) = ci.expect("a paired CI");
    assert!(high < 0.0 && (-1_500.0..-700.0).contains(&diff.unwrap()), "{diff:?} ({low} to {high})");
    // Alerts and warnings alone: advisories speed patching of the two
    // disclosed flaws, but victims recover alone and report less.
    let (_, _, ci) = get(alerts, "weighted_service_hours_lost");
    assert!(ci.expect("a paired CI").0 > 0.0, "alerts lose more service than awareness and training");
    // Services compete for the same five people: handling is the busiest desk.
    let busy = |v: &str| get(v, "csirt.ml-cert.utilisation").0;
    assert!(busy(handling) > 2.0 * busy("awareness and training") && busy(alerts) < busy("awareness and training"));
}
