//! The scenario file as written: serde types that mirror the RON text one to one.
//!
//! Numbers that have limits are read as wide signed types and strings are kept as
//! text here, so that a bad value becomes one collected validation error (with its
//! position) rather than a parse failure that hides every later problem. Every
//! struct denies unknown fields: a typo in an optional field must not be ignored.
//! New fields are added as optional with a default, so version-1 files keep working.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct RawScenario {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub horizon: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub nations: Vec<RawNation>,
    pub csirts: Vec<RawCsirt>,
    #[serde(default)]
    pub sops: Vec<RawSop>,
    #[serde(default)]
    pub streams: Vec<RawStream>,
    #[serde(default)]
    pub injects: Vec<RawInject>,
}

fn default_seed() -> u64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Nation", deny_unknown_fields)]
pub struct RawNation {
    pub id: String,
    pub name: String,
    pub utc_offset: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename = "CsirtKind")]
pub enum CsirtKind {
    National,
    Sector,
    Organisational,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Csirt", deny_unknown_fields)]
pub struct RawCsirt {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub nation: String,
    pub kind: CsirtKind,
    pub analysts: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Sop", deny_unknown_fields)]
pub struct RawSop {
    pub id: String,
    #[serde(default)]
    pub description: String,
    pub steps: Vec<RawStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Step", deny_unknown_fields)]
pub struct RawStep {
    pub name: String,
    pub effort: RawDistribution,
}

/// Durations inside are strings in the duration syntax (`"45m"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Distribution", deny_unknown_fields)]
pub enum RawDistribution {
    Fixed(String),
    Exponential {
        mean: String,
    },
    Uniform {
        min: String,
        max: String,
    },
    Triangular {
        min: String,
        mode: String,
        max: String,
    },
    LogNormal {
        mean: String,
        sd: String,
    },
}

/// The incident types of the world model (domain.md, "how a crisis goes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename = "IncidentType")]
pub enum IncidentType {
    Malware,
    Ransomware,
    Ddos,
    Intrusion,
    Phishing,
    Vulnerability,
    PhysicalOutage,
    Other,
}

impl IncidentType {
    /// The snake_case name used in CSV and JSON outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malware => "malware",
            Self::Ransomware => "ransomware",
            Self::Ddos => "ddos",
            Self::Intrusion => "intrusion",
            Self::Phishing => "phishing",
            Self::Vulnerability => "vulnerability",
            Self::PhysicalOutage => "physical_outage",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "IncidentStream", deny_unknown_fields)]
pub struct RawStream {
    pub id: String,
    pub incident_type: IncidentType,
    pub csirt: String,
    pub sop: String,
    pub rate: String,
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Inject", deny_unknown_fields)]
pub struct RawInject {
    pub id: String,
    pub at: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub effects: Vec<RawEffect>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Effect", deny_unknown_fields)]
pub enum RawEffect {
    /// One incident is reported to a CSIRT at the inject's time.
    Report {
        incident_type: IncidentType,
        csirt: String,
        sop: String,
    },
    /// The CSIRT's analyst headcount becomes `analysts` (people leave or join).
    SetAnalysts { csirt: String, analysts: i64 },
}
