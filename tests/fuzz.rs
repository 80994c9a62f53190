//! Fuzzing that stays: structured mutations of the bundled scenarios and of the
//! hostile corpus (`tests/corpus/`), fed to the scenario loader and the override
//! parser; whatever validates is also run for a few thousand events. Nothing may
//! panic, abort or hang. The case count is small in `cargo test`; set
//! `TTX_FUZZ_CASES` for a long run (docs/testing.md).

use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use ttx::model::{NullSink, Replication};
use ttx::scenario::{Override, load_str};

/// Texts to start from: every bundled scenario and every corpus file that is text.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut texts = Vec::new();
        for dir in ["scenarios", "tests/corpus"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            paths.sort();
            texts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        }
        texts
    })
}

/// Pieces people (and broken editors) put into scenarios.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "r#",
    "r\"",
    "/*",
    "*/",
    "//",
    "\n",
    "\r",
    "\r\n",
    "\u{feff}",
    "\x0b",
    "\u{2028}",
    "\0",
    "é",
    "-",
    "+",
    "1.5",
    "0",
    "-1",
    "4294967296",
    "18446744073709551616",
    "1e308",
    "NaN",
    "inf",
    "Some(",
    "None",
    "true",
    "\"+-1:00\"",
    "\"+00:-1\"",
    "\"+999-01-01T00:00Z\"",
    "\"0s\"",
    "\"1000000000000/s\"",
    "\"106751991167300d\"",
    "Exponential(mean: \"1h\")",
    "Fixed(\"0s\")",
    "depends_on: [",
    "analysts: ",
    "Hire(",
    "{Ransomware: \"x\", Ransomware: \"y\"}",
    "[[[[[[[[[[[[[[[[",
    "]]]]]]]]]]]]]]]]",
];

/// Keys `--set` is most often given, and some that are not there.
const KEYS: &[&str] = &[
    "name",
    "horizon",
    "window",
    "seed",
    "start",
    "currency",
    "csirts.natcert.analysts",
    "csirts.kv-cert.maturity",
    "streams.reports.rate",
    "streams.reports.limit",
    "nations.kv.utc_offset",
    "sops.triage.steps.0.effort",
    "csirts.0.teams.0.shift",
    "injects.0.at",
    "assets.cable.depends_on",
    "x",
    "csirts..analysts",
    "csirts.natcert.x(",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert { at: usize, token: usize },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Replace { at: usize, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..400).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace { at, byte }),
    ]
}

/// Applies mutations at character boundaries, so the text stays a `str` (the
/// file reader's UTF-8 check is tested on its own).
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    let boundary = |t: &str, at: usize| {
        let mut at = at % (t.len() + 1);
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    // The end of a range from `at`: clamped to the text, never before `at`.
    let end_of = |t: &str, at: usize, len: usize| {
        let mut end = at.saturating_add(len).min(t.len());
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        end.max(at)
    };
    for m in mutations {
        match *m {
            Mutation::Insert { at, token } => {
                let at = boundary(&text, at);
                text.insert_str(at, TOKENS[token]);
            }
            Mutation::Delete { at, len } => {
                let at = boundary(&text, at);
                let end = end_of(&text, at, len);
                text.replace_range(at..end, "");
            }
            Mutation::Duplicate { at, len } => {
                let at = boundary(&text, at);
                let end = end_of(&text, at, len);
                let piece = text[at..end].to_string();
                text.insert_str(end, &piece);
            }
            Mutation::Replace { at, byte } => {
                let at = boundary(&text, at);
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                let c = char::from(byte % 128);
                text.replace_range(at..end, &c.to_string());
            }
        }
    }
    text
}

fn cases() -> u32 {
    std::env::var("TTX_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_and_overrides_never_panic(
        seed in 0usize..1000,
        mutations in prop::collection::vec(mutation(), 0..8),
        sets in prop::collection::vec((0..KEYS.len(), prop::collection::vec(0..TOKENS.len(), 1..4)), 0..3),
    ) {
        let texts = seeds();
        let text = mutate(&texts[seed % texts.len()], &mutations);
        let overrides: Vec<Override> = sets
            .iter()
            .map(|(k, v)| Override::new(KEYS[*k], &v.iter().map(|t| TOKENS[*t]).collect::<String>()))
            .collect();
        for set in [&[][..], &overrides[..]] {
            if let Ok(scenario) = load_str("fuzz.ron", &text, set) {
                // Whatever validates must also run (a few thousand events) without panicking.
                let mut r = Replication::new(Arc::new(scenario), 1, 5_000, NullSink);
                let _ = r.run_to_horizon();
            }
        }
        // Override parsing on its own, from raw assignments.
        for (k, v) in &sets {
            let raw = format!("{}={}", KEYS[*k], v.iter().map(|t| TOKENS[*t]).collect::<String>());
            let _ = Override::parse(&raw);
        }
    }
}
