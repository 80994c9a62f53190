//! The scenario after validation: every reference resolved to an index, every
//! duration in seconds, every distribution checked. The model builds the world from
//! this and never sees raw text.

use crate::engine::{DurationDistribution, SimTime};
pub use crate::scenario::raw::{CsirtKind, IncidentType};

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub horizon: SimTime,
    pub seed: u64,
    pub nations: Vec<Nation>,
    pub csirts: Vec<Csirt>,
    pub sops: Vec<Sop>,
    pub streams: Vec<IncidentStream>,
    pub injects: Vec<Inject>,
}

#[derive(Debug, Clone)]
pub struct Nation {
    pub id: String,
    pub name: String,
    /// Offset of local time from UTC, in seconds (Fiji: +43,200).
    pub utc_offset_s: i32,
}

#[derive(Debug, Clone)]
pub struct Csirt {
    pub id: String,
    pub name: String,
    pub nation: usize,
    pub kind: CsirtKind,
    pub analysts: u32,
}

#[derive(Debug, Clone)]
pub struct Sop {
    pub id: String,
    pub description: String,
    pub steps: Vec<SopStep>,
}

#[derive(Debug, Clone)]
pub struct SopStep {
    pub name: String,
    /// Analyst time the step takes, sampled per incident.
    pub effort: DurationDistribution,
}

/// Background reports: a Poisson process of one incident type to one CSIRT.
#[derive(Debug, Clone)]
pub struct IncidentStream {
    pub id: String,
    pub incident_type: IncidentType,
    pub csirt: usize,
    pub sop: usize,
    /// Reports per second.
    pub rate_per_s: f64,
    /// Stop after this many reports (a run of exactly N incidents).
    pub limit: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Inject {
    pub id: String,
    pub at: SimTime,
    pub text: String,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Report {
        incident_type: IncidentType,
        csirt: usize,
        sop: usize,
    },
    SetAnalysts {
        csirt: usize,
        analysts: u32,
    },
}
