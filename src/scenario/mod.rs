//! The scenario format, version 1: RON text -> raw serde types -> validated
//! [`Scenario`]. `docs/scenario-format.md` is the user's reference for every field.

mod diagnostic;
mod ids;
mod load;
mod overrides;
pub mod raw;
mod syntax_tree;
mod validate;
mod validated;

pub use diagnostic::{Diagnostic, Diagnostics, Origin, closest};
pub use ids::{AssetId, CsirtId, InjectId, NationId, OutbreakId, SectorId, SopId, StreamId, VendorId};
pub use load::{load_decisions, load_file, load_str};
pub use overrides::{MalformedOverride, Override};
pub use validate::{DEFAULT_START_UTC_S, FORMAT_VERSION, RateError, parse_rate, parse_utc_offset};
pub use validated::{
    Asset, CallOrder, Channel, Choice, Coordination, CrisisLevel, Csirt, CsirtKind, Decision, Dependency, Detection,
    Effect, IncidentFilter, IncidentStream, IncidentType, Inject, Link, Mandate, Measure, Media, Nation, Objective,
    OnCall, Outbreak, Outreach, PeerDetection, Phase, Population, Programme, ProgrammeEffect, Relation, Rules,
    Scenario, ScenarioVariant, ScoreWeights, Sector, Service, Severity, Shift, Sop, SopStep, Structure, Target, Team,
    TeamGroup, Tlp, TrustRules, Vendor,
};
