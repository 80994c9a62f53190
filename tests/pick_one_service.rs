//! The "pick one service" scenario answers its question with paired CIs: a
//! five-person CERT's first year under each of its three choices.

use crate::common;

#[test]
fn each_choice_buys_what_the_scenario_says_over_a_year() {
    let rows = common::batch_summary("scenarios/pick-one-service.ron", "40");
    let get = |variant: &str, measure: &str| rows[&(variant.to_string(), measure.to_string())];
    let (handling, alerts) = ("incident handling", "alerts and warnings");
    // Paired against awareness and training (the baseline): both other
    // choices score lower overall, each CI wholly below 0.
    for variant in [handling, alerts] {
        let row = get(variant, "overall_score");
        let (diff, (low, high)) = (row.diff, row.ci.expect("a paired CI"));
        assert!(high < 0.0, "{variant}: overall {diff:?} ({low} to {high})");
        // Without outreach fewer victims report: detection falls.
        assert!(get(variant, "score.detection").ci.expect("a paired CI").1 < 0.0, "{variant}: detection");
    }
    // Incident handling restores services itself: the least service lost,
    // by about a thousand criticality-weighted hours.
    let row = get(handling, "weighted_service_hours_lost");
    let (diff, (low, high)) = (row.diff, row.ci.expect("a paired CI"));
    assert!(high < 0.0 && (-1_500.0..-700.0).contains(&diff.unwrap()), "{diff:?} ({low} to {high})");
    // Alerts and warnings alone: advisories speed patching of the two
    // disclosed flaws, but victims recover alone and report less.
    let ci = get(alerts, "weighted_service_hours_lost").ci;
    assert!(ci.expect("a paired CI").0 > 0.0, "alerts lose more service than awareness and training");
    // Services compete for the same five people: handling is the busiest desk.
    let busy = |v: &str| get(v, "csirt.ml-cert.utilisation").mean;
    assert!(busy(handling) > 2.0 * busy("awareness and training") && busy(alerts) < busy("awareness and training"));
}
