//! Learning and turnover: a hire's newcomers learn (their effort multiplier
//! falls linearly from `rules.new_starter_effort` to 1 over `learning`),
//! interns leave at the end of their `term`, and a CSIRT that loses its
//! experienced people loses maturity (`rules.knowledge_levels`). Expected
//! values worked out by hand from the formulas in docs/model.md.

use crate::common;

use std::sync::Arc;
use ttx::model::{LogEntry, LogEvent};
use ttx::scenario::Scenario;

const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;

/// One CSIRT (maturity `maturity`, or none) with one team of `analysts`
/// always on duty, a one-step SOP of 1 h, `injects` and `rules`.
fn csirt(maturity: &str, analysts: u32, injects: &[String], rules: &str) -> Arc<Scenario> {
    common::load_text(
        "learning.ron",
        &format!(
            r#"Scenario(
                version: 1, name: "learning", horizon: "30d",
                nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+00:00")],
                csirts: [Csirt(id: "cert", nation: "kv", kind: National, {maturity} teams: [Team(analysts: {analysts})])],
                sops: [Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("1h"))])],
                injects: [{}],
                {rules}
            )"#,
            injects.join(", ")
        ),
    )
}

fn inject(id: &str, at: &str, effect: &str) -> String {
    format!(r#"Inject(id: "{id}", at: "{at}", effects: [{effect}])"#)
}

fn report(id: &str, at: &str) -> String {
    inject(id, at, r#"Report(incident_type: Malware, csirt: "cert", sop: "sop")"#)
}

/// The analyst time of each step finished, in seconds, in log order.
fn efforts(log: &[LogEntry]) -> Vec<u64> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::StepFinished { effort, .. } => Some(effort.as_secs()),
            _ => None,
        })
        .collect()
}

/// (time, from, to) of each change of headcount.
fn staff(log: &[LogEntry]) -> Vec<(u64, u32, u32)> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::StaffChanged { from, to, .. } => Some((e.time.as_secs(), *from, *to)),
            _ => None,
        })
        .collect()
}

/// (time, from, to) of each change of maturity.
fn maturity(log: &[LogEntry]) -> Vec<(u64, u8, u8)> {
    log.iter()
        .filter_map(|e| match &e.event {
            LogEvent::MaturityChanged { from, to, .. } => Some((e.time.as_secs(), *from, *to)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_newcomers_effort_falls_linearly_to_one_over_the_learning_time() {
    // Everyone leaves on day 1 and one newcomer joins, learning for 10 days
    // from twice the effort: m(t) = 2 - t / 10d. A 1 h step started on
    // joining takes 2 h, 2.5 days in 1 h 45 min, 5 days in 1 h 30 min, after
    // 10 days 1 h.
    let injects = [
        inject("exodus", "1d", r#"SetAnalysts(csirt: "cert", analysts: 0)"#),
        inject("hire", "1d", r#"Hire(csirt: "cert", analysts: 1, learning: "10d")"#),
        report("r0", "1d"),
        report("r1", "3d12h"),
        report("r2", "6d"),
        report("r3", "12d"),
    ];
    let (_, log) = common::replicate_logged(&csirt("", 1, &injects, ""), 1);
    assert_eq!(efforts(&log), [2 * HOUR, HOUR + 45 * 60, HOUR + 30 * 60, HOUR]);
    // A steeper start (`rules.new_starter_effort: 3.0`): m(5d) = 3 - 2 x 0.5 = 2.
    let (_, log) = common::replicate_logged(&csirt("", 1, &injects, "rules: Rules(new_starter_effort: 3.0),"), 1);
    assert_eq!(efforts(&log)[2], 2 * HOUR);
}

#[test]
fn a_team_shares_its_work_so_its_multiplier_is_the_mean_of_its_people() {
    // One experienced analyst and one newcomer 5 days into 10 days of
    // learning (1.5): (1 + 1.5) / 2 = 1.25, so a 1 h step takes 1 h 15 min.
    let injects = [inject("hire", "1d", r#"Hire(csirt: "cert", analysts: 1, learning: "10d")"#), report("r", "6d")];
    let (_, log) = common::replicate_logged(&csirt("", 1, &injects, ""), 1);
    assert_eq!(efforts(&log), [HOUR + 15 * 60]);
}

#[test]
fn interns_join_after_the_ramp_up_and_leave_at_the_end_of_their_term() {
    // Two interns hired on day 2, joining 1 day later, for a 10-day term.
    let injects = [inject("interns", "2d", r#"Hire(csirt: "cert", analysts: 2, ramp_up: "1d", term: "10d")"#)];
    let (_, log) = common::replicate_logged(&csirt("", 3, &injects, ""), 1);
    assert_eq!(staff(&log), [(3 * DAY, 3, 5), (13 * DAY, 5, 3)]);
    // A cut in between takes the experienced first: from 5 to 2 leaves the two
    // interns, who still leave at the end of the term (to 0).
    let cut = [injects[0].clone(), inject("cut", "5d", r#"SetAnalysts(csirt: "cert", analysts: 2)"#)];
    let (_, log) = common::replicate_logged(&csirt("", 3, &cut, ""), 1);
    assert_eq!(staff(&log), [(3 * DAY, 3, 5), (5 * DAY, 5, 2), (13 * DAY, 2, 0)]);
}

#[test]
fn losing_experienced_people_costs_maturity_until_newcomers_have_learned() {
    // Maturity 2 with four people. Two leave on day 1: half the experience
    // gone, floor(0.5 x 2) = 1 level lost, maturity 1 (efforts x 1.25). Two
    // newcomers join on day 2, learning for 5 days: still learning, they do
    // not count; on day 7 they do, and maturity is 2 again.
    let injects = [
        inject("leave", "1d", r#"SetAnalysts(csirt: "cert", analysts: 2)"#),
        inject("hire", "2d", r#"Hire(csirt: "cert", analysts: 2, learning: "5d")"#),
        report("before", "12h"),
        report("after", "1d12h"),
        report("learned", "8d"),
    ];
    let never_redone = r#"rules: Rules(rework_by_maturity: [0.0, 0.0, 0.0, 0.0, 0.0]),"#;
    let (_, log) = common::replicate_logged(&csirt("maturity: 2,", 4, &injects, never_redone), 1);
    assert_eq!(maturity(&log), [(DAY, 2, 1), (7 * DAY, 1, 2)]);
    assert_eq!(efforts(&log), [HOUR, HOUR + 15 * 60, HOUR]);
    // With `knowledge_levels: 0` experience is not modelled: nothing changes.
    let rules = r#"rules: Rules(rework_by_maturity: [0.0, 0.0, 0.0, 0.0, 0.0], knowledge_levels: 0.0),"#;
    let (_, log) = common::replicate_logged(&csirt("maturity: 2,", 4, &injects, rules), 1);
    assert!(maturity(&log).is_empty());
    assert_eq!(efforts(&log), [HOUR, HOUR, HOUR]);
    // Three of four gone: floor(0.75 x 2) = 1 level; all four: 2 levels.
    let all = [inject("leave", "1d", r#"SetAnalysts(csirt: "cert", analysts: 0)"#)];
    let (_, log) = common::replicate_logged(&csirt("maturity: 3,", 4, &all, never_redone), 1);
    assert_eq!(maturity(&log), [(DAY, 3, 1)]);
    let three = [inject("leave", "1d", r#"SetAnalysts(csirt: "cert", analysts: 1)"#)];
    let (_, log) = common::replicate_logged(&csirt("maturity: 3,", 4, &three, never_redone), 1);
    assert_eq!(maturity(&log), [(DAY, 3, 2)]);
}

#[test]
fn learning_and_term_are_checked_at_their_position() {
    let injects = [inject("hire", "1d", r#"Hire(csirt: "cert", analysts: 1, term: "0s")"#)];
    let text = format!(
        r#"Scenario(version: 1, name: "l", horizon: "30d",
    nations: [Nation(id: "kv", name: "Kavala", utc_offset: "+00:00")],
    csirts: [Csirt(id: "cert", nation: "kv", kind: National, analysts: 1)],
    sops: [Sop(id: "sop", steps: [Step(name: "triage", effort: Fixed("1h"))])],
    injects: [{}])"#,
        injects.join(", ")
    );
    let e = ttx::scenario::load_str("l.ron", &text, &[]).unwrap_err().to_string();
    assert!(e.contains("hires analysts for a term of 0s; give a term of at least 1s, or none"), "{e}");
    let bad = text.replace(r#"term: "0s""#, r#"learning: "ten days""#);
    let e = ttx::scenario::load_str("l.ron", &bad, &[]).unwrap_err().to_string();
    assert!(e.contains("l.ron:5:"), "{e}");
    let rules = text.replace("injects: [", "rules: Rules(new_starter_effort: 0.5), injects: [");
    let e = ttx::scenario::load_str("l.ron", &rules, &[]).unwrap_err().to_string();
    assert!(e.contains("the rule `new_starter_effort` must be 1 to 10, found 0.5"), "{e}");
}
