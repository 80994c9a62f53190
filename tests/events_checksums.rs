//! Pins events.csv of every bundled scenario at two seeds: a refactoring of the
//! model (the ECS redesign) must leave every row byte-identical. A change here
//! is a change of behaviour: it needs a documented reason, and the table is then
//! updated with the new checksums (run with `TTX_PRINT_CHECKSUMS=1` to print them).
//!
//! Changes since the table was first pinned (before the ECS redesign):
//! - the steps a team hands over at the end of its shift are handed over in
//!   their queue order, not in the order of their `Entity` ids (which depend on
//!   how the World reuses ids): the `step_handed_over` rows of one shift change
//!   come in another order in education-phishing, island-cable-cut and
//!   staff-exodus; every row, summary.json and incidents.csv are unchanged
//!   (a hand-over requeues a step at its old place, whatever the order).
//! - warning calls are work on the caller's desk (coordination issue): each
//!   call is queued, started and finished by an analyst (`call_queued`,
//!   `call_started`, `call_finished` rows) and the warning is sent when it
//!   ends, so in new-csirt-services a call waits behind SOP steps and every
//!   later row moves; worm-time-zones gained the report flood of its infected
//!   constituents (`reports_per_infection`) and a call-order decision, so most
//!   of its rows are new. The other scenarios have no outbreak: unchanged.
//! - trust is state (trust issue): a warning acted on before its recipient
//!   noticed the outbreak raises the two CSIRTs' trust, logged as one
//!   `trust_changed` row in new-csirt-services and worm-time-zones at each
//!   seed. No other row changes: no draw depends on trust's value, and the
//!   raised trust is read by no later warning in these runs.
//! - media and crisis levels (escalation issue): island-cable-cut marks its
//!   payments, harbour and tourism public, gives Kavala two crisis levels
//!   (alert at the cable cut, the national crisis cell at the port
//!   ransomware, which brings two surge analysts and delays the regional-help
//!   decision an hour) and ties kv-cert's calls abroad to the cable: new
//!   `media_pressure_changed`, `crisis_level_changed` and `decision_referred`
//!   rows, and every row after day 2 moves with the larger team.
//! - pacific-regional is new (pinned when added).
//! - pick-one-service is new (staffing issue, services; pinned when added).
//! - staff-exodus trains its constituents and keeps an artifact lab up (two
//!   programmes in the Medium lane: fewer incidents, faster analysis, so a
//!   smaller log) and has a regional neighbour, mr-cert, for its variants.
//! - pick-one-service again: training is one programme of several, logged
//!   `programme_done` with `service=` and `effect=` instead of `training_done`
//!   (the same sessions at the same times; only the rows' text changed).
//! - passing a warning on is desk work (coordination issue, second part):
//!   every recipient's notice to its constituents is a job of `notify_effort`
//!   (default 30 min) on its desk, logged `constituents_notified`, and
//!   protection starts when it is sent, so in new-csirt-services and
//!   worm-time-zones protection comes later and later rows move;
//!   worm-time-zones also has requests for details (`answer_effort`: new
//!   `details_requested` / `details_answered` rows, the origin's desk busier)
//!   and pacific-regional requests, meetings (`meeting_held`, `trust_changed`
//!   cause `meeting`) and a crisis cell with authority; their later
//!   protection means more infections and more flood reports (pacific-regional's
//!   log about doubles). island-cable-cut: a tip from Marau to kv-cert now
//!   runs over the cable (its latency read when the tip is sent), which
//!   schedules it as its own event (new sequence numbers), and at each seed
//!   one tip sent during the cut (incident 33 at seed 1, 29 at seed 2) now
//!   arrives after the 4 h fallback instead of the channel's hour.
//! - staff-exodus (staffing issue): its background reports (`Other`) follow a
//!   two-step SOP (triage, close) instead of the four-step one with tier-2
//!   containment, so the desk is not overloaded before the exodus: every row
//!   of those incidents changes.
//! - on call as a resource (staffing issue, part 2): a called-out analyst
//!   works through what waits without a new call-out delay for each job;
//!   reading a warning is desk work (`read_effort`, default 10 min; the
//!   `warning_received` and `warning_doubted` rows gain `waited_s` and come
//!   when it is read, after a call-out at night or at the next shift); an
//!   outbreak noticed at night by an on-call analyst is noticed after the
//!   call-out delay. Every scenario with on-call teams or outbreaks changes
//!   (education-phishing, island-cable-cut, new-csirt-services,
//!   pacific-regional, staff-exodus, worm-time-zones); triage-desk and
//!   sop-comparison, with neither, are unchanged.
//! - knowledge loss (staffing issue, part 3): with ten of its twelve
//!   experienced people gone, staff-exodus's CERT falls from maturity 2 to 1
//!   (`rules.knowledge_levels`, a new `maturity_changed` row), so later
//!   incidents take longer and are redone more often. No other bundled
//!   scenario loses enough experienced people to lose a level: unchanged.
//! - island-cable-cut (staffing issue, scenarios that show what they claim):
//!   kv-cert handles phishing reports and booking intrusions with their own
//!   short SOPs (`sop=phishing`, `sop=intrusion` rows) instead of the
//!   four-phase generic one, so its quiet week copes and the crisis drives
//!   the findings: every kv-cert step row after the first report changes.
//!   The new inject `to`/`expect` and decision `owner`/`expect` fields are for
//!   `ttx serve` and change no row.

use crate::common;

use common::ttx;

/// (scenario, seed, FNV-1a 64 of events.csv, its length in bytes).
const PINNED: &[(&str, u64, u64, usize)] = &[
    ("education-phishing", 1, 0x768fbcc2bfce2588, 217926),
    ("education-phishing", 2, 0xe546be05dc147bf1, 199370),
    ("island-cable-cut", 1, 0x177dc622ebdd9bd7, 110606),
    ("island-cable-cut", 2, 0xcdec1bbf8a3dbb8e, 121567),
    ("new-csirt-services", 1, 0xbe20b8757b8025bf, 112278),
    ("new-csirt-services", 2, 0x60ec41e60b6f4541, 113629),
    ("pick-one-service", 1, 0xed6499793e5cd9ce, 3281336),
    ("pick-one-service", 2, 0xb2d63a346913f5ac, 3246452),
    ("pacific-regional", 1, 0x9c7b66a4b96d2c33, 400065),
    ("pacific-regional", 2, 0x3bcdd437c1e057ed, 409624),
    ("sop-comparison", 1, 0xfebaf8b8a1db1511, 998265),
    ("sop-comparison", 2, 0x8958f7a6088b83af, 971971),
    ("staff-exodus", 1, 0x5ef60e8fa3bba1cc, 724774),
    ("staff-exodus", 2, 0xdd4fcb78136611fe, 798906),
    ("triage-desk", 1, 0x23f32ad1d3a01b4e, 3294141),
    ("triage-desk", 2, 0x9f4ceb90fbc3e471, 3323030),
    ("worm-time-zones", 1, 0x79d7128a599e334d, 160707),
    ("worm-time-zones", 2, 0x9865a485ff5faab0, 176839),
];

/// FNV-1a, 64 bits: enough to tell any change of a file apart, no dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[test]
fn every_bundled_scenario_logs_the_pinned_events() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut bundled: Vec<String> = std::fs::read_dir("scenarios")
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| p.file_stem().expect("a name").to_string_lossy().into_owned())
        .collect();
    bundled.sort();
    let pinned: Vec<&str> = PINNED.iter().map(|p| p.0).collect();
    for name in &bundled {
        assert!(pinned.contains(&name.as_str()), "scenarios/{name}.ron has no pinned checksum");
    }
    let mut mismatches = Vec::new();
    for &(name, seed, checksum, length) in PINNED {
        let out = dir.path().join(format!("{name}-{seed}"));
        let file = format!("scenarios/{name}.ron");
        let seed_text = seed.to_string();
        let args = ["run", &file, "--seed", &seed_text, "--counterfactuals", "0", "--out", out.to_str().unwrap()];
        let output = ttx(&args);
        assert!(output.status.success(), "{name} seed {seed}: {}", String::from_utf8_lossy(&output.stderr));
        let bytes = std::fs::read(out.join("events.csv")).expect("events.csv");
        let got = (fnv1a(&bytes), bytes.len());
        if std::env::var_os("TTX_PRINT_CHECKSUMS").is_some() {
            println!("    (\"{name}\", {seed}, {:#018x}, {}),", got.0, got.1);
        }
        if got != (checksum, length) {
            mismatches.push(format!(
                "{name} seed {seed}: {:#018x} ({} bytes), pinned {checksum:#018x} ({length})",
                got.0, got.1
            ));
        }
    }
    assert!(mismatches.is_empty(), "events.csv changed:\n{}", mismatches.join("\n"));
}
