//! Pins events.csv of every bundled scenario at two seeds: a refactoring of the
//! model (the ECS redesign) must leave every row byte-identical. A change here
//! is a change of behaviour: it needs a documented reason, and the table is then
//! updated with the new checksums (run with `TTX_PRINT_CHECKSUMS=1` to print them).

mod common;

use common::ttx;

/// (scenario, seed, FNV-1a 64 of events.csv, its length in bytes).
const PINNED: &[(&str, u64, u64, usize)] = &[
    ("education-phishing", 1, 0xf7b23d6c2c40a40e, 207144),
    ("education-phishing", 2, 0x5f3dede97d9cee50, 195386),
    ("island-cable-cut", 1, 0xafb3562db9f0cbb0, 100284),
    ("island-cable-cut", 2, 0x5e80361c805937bd, 119484),
    ("new-csirt-services", 1, 0xb01660da7eb5633d, 111613),
    ("new-csirt-services", 2, 0xa208e97251498769, 113001),
    ("sop-comparison", 1, 0xfebaf8b8a1db1511, 998265),
    ("sop-comparison", 2, 0x8958f7a6088b83af, 971971),
    ("staff-exodus", 1, 0x3c7e62a2a1d10e6b, 855414),
    ("staff-exodus", 2, 0x6269193dc0f18ee0, 878792),
    ("triage-desk", 1, 0x23f32ad1d3a01b4e, 3294141),
    ("triage-desk", 2, 0x9f4ceb90fbc3e471, 3323030),
    ("worm-time-zones", 1, 0xec5372b99f854118, 9247),
    ("worm-time-zones", 2, 0xf80c7eab9e95dcd2, 7675),
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
