//! `ttx validate`: check files, list every problem, change nothing.

use super::Failure;
use super::args::ValidateArgs;
use super::run_plan::parse_overrides;
use crate::batch::scenario_variants;
use crate::engine::format_duration;
use crate::scenario::{Diagnostics, Scenario, load_file};

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn validate(args: &ValidateArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.overrides)?;
    let mut problems = Vec::new();
    let mut invalid_files = 0;
    for file in &args.files {
        match load_file(file, &overrides) {
            Ok(s) if !s.variants.is_empty() => {
                // Each variant must load too: its assignments are overrides.
                let before = problems.len();
                for v in scenario_variants(&file.display().to_string(), &s.variants) {
                    let all: Vec<_> = overrides.iter().cloned().chain(v.overrides).collect();
                    if let Err(d) = load_file(file, &all) {
                        problems.extend(d.0);
                    }
                }
                if problems.len() > before {
                    invalid_files += 1;
                } else {
                    outln!("{}: ok ({}; {} variants for ttx batch)", file.display(), counts(&s), s.variants.len());
                    super::print_warnings(&s);
                }
            }
            Ok(s) => {
                outln!("{}: ok ({})", file.display(), counts(&s));
                super::print_warnings(&s);
            }
            Err(d) => {
                invalid_files += 1;
                problems.extend(d.0);
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    if args.files.len() > 1 {
        eprintln!("{} of {} files are invalid", invalid_files, args.files.len());
    }
    Err(Failure::Scenario(Diagnostics(problems)))
}

fn counts(s: &Scenario) -> String {
    let window = if s.window == s.horizon {
        String::new()
    } else {
        format!(", scored over {}", format_duration(s.window.since_start()))
    };
    format!(
        "{}, {}, {}, {}, {}; horizon {}{window}",
        plural(s.nations.len(), "nation"),
        plural(s.csirts.len(), "CSIRT"),
        plural(s.sops.len(), "SOP"),
        plural(s.streams.len(), "incident stream"),
        plural(s.injects.len(), "inject"),
        format_duration(s.horizon.since_start())
    )
}
