//! Every integration test, as one test binary: one link instead of one per
//! file, which keeps a clean `cargo test` (and CI) fast. Each file below is a
//! module named after it; run one with `cargo test --test integration serve::`
//! (or `cargo nextest run -E 'test(/^serve::/)'`). `common` holds the helpers
//! they share.

mod common;

mod bad_scenarios;
mod batch;
mod bundled_scenarios;
mod channels;
mod coordination_work;
mod counterfactuals;
mod decisions;
mod detection_reporting;
mod escalation;
mod events_checksums;
mod events_csv;
mod fuzz;
mod hardening;
mod incidents_csv;
mod infrastructure;
mod kernel_properties;
mod learning;
mod measures;
mod model_mechanics;
mod on_call;
mod outbreaks;
mod output_safety;
mod pick_one_service;
mod play;
mod programmes;
mod queueing_validation;
mod report_files;
mod rotas;
mod run_command;
mod scores;
mod serve;
mod services;
mod staff_and_shifts;
mod staff_exodus;
mod trust;
mod vulnerability;
