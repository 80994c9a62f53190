//! The scenario file as written: serde types that mirror the RON text one to one.
//!
//! Numbers that have limits are read as wide signed types and strings are kept as
//! text here, so that a bad value becomes one collected validation error (with its
//! position) rather than a parse failure that hides every later problem. Every
//! struct denies unknown fields: a typo in an optional field must not be ignored.
//! New fields are added as optional with a default, so version-1 files keep working.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct RawScenario {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub horizon: String,
    /// The exercise window over which every score is measured (from T+0); the
    /// horizon by default. Play past it changes no score: a quiet tail cannot drift them.
    #[serde(default)]
    pub window: Option<String>,
    /// The currency costs are in (`cost_per_hour` of assets), as written in
    /// reports: "USD", "EUR", "FJD". None: costs are plain numbers.
    #[serde(default)]
    pub currency: Option<String>,
    /// UTC date and time of T+0, `"2026-03-02T08:00Z"`; shifts follow local time from it.
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub nations: Vec<RawNation>,
    pub csirts: Vec<RawCsirt>,
    #[serde(default)]
    pub sectors: Vec<RawSector>,
    #[serde(default)]
    pub assets: Vec<RawAsset>,
    #[serde(default)]
    pub sops: Vec<RawSop>,
    #[serde(default)]
    pub streams: Vec<RawStream>,
    #[serde(default)]
    pub injects: Vec<RawInject>,
    #[serde(default)]
    pub outbreaks: Vec<RawOutbreak>,
    #[serde(default)]
    pub coordination: RawCoordination,
    /// Vendors a CSIRT can call about a vulnerability in their products.
    #[serde(default)]
    pub vendors: Vec<RawVendor>,
    /// What the exercise sets out to show, HSEEP style: each rated P, S, M or U.
    #[serde(default)]
    pub objectives: Vec<RawObjective>,
    /// Players who sit as one team in `ttx serve` for several CSIRTs (a
    /// regional cell, a ministry with its sector teams): one view and one URL.
    #[serde(default)]
    pub team_groups: Vec<RawTeamGroup>,
    /// Weights of the components of the overall score.
    #[serde(default)]
    pub score_weights: RawScoreWeights,
    /// Injects the facilitator may deliver during `ttx play` to redirect play
    /// (HSEEP contingency injects); never delivered otherwise.
    #[serde(default)]
    pub contingencies: Vec<RawInject>,
    /// Options `ttx batch` compares when no `--vary` is given; the first is the baseline.
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    /// How much each happening moves trust between parties.
    #[serde(default)]
    pub trust: RawTrustRules,
    /// How media pressure grows and decays.
    #[serde(default)]
    pub media: RawMedia,
    /// The model's judgement constants, each with a documented default.
    #[serde(default)]
    pub rules: RawRules,
}

/// The judgement behind several mechanics, stated as data so that a team can
/// put its own numbers in (docs/model.md says where each is used).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Rules", deny_unknown_fields)]
pub struct RawRules {
    /// Multiplies every SOP step's effort, by the CSIRT's maturity 0 to 4.
    #[serde(default = "default_effort_by_maturity")]
    pub effort_by_maturity: Vec<f64>,
    /// Chance that a step must be redone (once), by maturity 0 to 4.
    #[serde(default = "default_rework_by_maturity")]
    pub rework_by_maturity: Vec<f64>,
    /// On a tiered desk, incidents of this severity or worse go to tier 2.
    #[serde(default = "default_escalate_from")]
    pub escalate_from: Severity,
    /// Share of victims who report when the law obliges them to (to a CSIRT
    /// with a mandate).
    #[serde(default = "default_mandated_compliance")]
    pub mandated_compliance: f64,
    /// A CSIRT without IntrusionDetection notices an outbreak only when it is
    /// this many times more widespread than the outbreak's detection threshold.
    #[serde(default = "default_unsensed_detection_factor")]
    pub unsensed_detection_factor: f64,
    /// A CSIRT's link abroad is down below this service level of its asset.
    #[serde(default = "default_half")]
    pub link_down_below: f64,
    /// A CSIRT's office is down below this service level of its asset.
    #[serde(default = "default_half")]
    pub office_down_below: f64,
    /// Contracted hours of one full-time analyst a week: the most a rota may
    /// give one person (an FTE).
    #[serde(default = "default_hours_per_week")]
    pub hours_per_week: f64,
    /// Least time off between the end of one shift (or call-out) and the start
    /// of the next for the same person.
    #[serde(default = "default_min_rest")]
    pub min_rest: String,
    /// A new analyst's effort multiplier on the day they join (at least 1); it
    /// falls linearly to 1 over their `learning` time.
    #[serde(default = "default_new_starter_effort")]
    pub new_starter_effort: f64,
    /// Maturity levels a CSIRT loses when all its experienced people have
    /// left (proportionally, rounded down: half of them gone costs half as
    /// many); regained as newcomers finish learning.
    #[serde(default = "default_knowledge_levels")]
    pub knowledge_levels: f64,
}

impl Default for RawRules {
    fn default() -> Self {
        Self {
            effort_by_maturity: default_effort_by_maturity(),
            rework_by_maturity: default_rework_by_maturity(),
            escalate_from: default_escalate_from(),
            mandated_compliance: default_mandated_compliance(),
            unsensed_detection_factor: default_unsensed_detection_factor(),
            link_down_below: default_half(),
            office_down_below: default_half(),
            hours_per_week: default_hours_per_week(),
            min_rest: default_min_rest(),
            new_starter_effort: default_new_starter_effort(),
            knowledge_levels: default_knowledge_levels(),
        }
    }
}

fn default_effort_by_maturity() -> Vec<f64> {
    vec![1.5, 1.25, 1.0, 0.9, 0.8]
}
fn default_rework_by_maturity() -> Vec<f64> {
    vec![0.20, 0.12, 0.06, 0.03, 0.01]
}
fn default_escalate_from() -> Severity {
    Severity::High
}
fn default_mandated_compliance() -> f64 {
    0.95
}
fn default_unsensed_detection_factor() -> f64 {
    10.0
}
fn default_half() -> f64 {
    0.5
}
fn default_hours_per_week() -> f64 {
    40.0
}
fn default_min_rest() -> String {
    "11h".into()
}
fn default_new_starter_effort() -> f64 {
    2.0
}
fn default_knowledge_levels() -> f64 {
    2.0
}

/// The trust rules: by how much (on the 0-1 scale) each kind of happening
/// raises or lowers the trust of the relation it concerns. The defaults are
/// judgement (docs/model.md, "Trust").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "TrustRules", deny_unknown_fields)]
pub struct RawTrustRules {
    /// A warning acted on before the recipient's nation had any infection:
    /// the two CSIRTs' trust rises.
    #[serde(default = "default_useful_warning")]
    pub useful_warning: f64,
    /// A recipient passed a warning on against its TLP label: the two CSIRTs' trust falls.
    #[serde(default = "default_tlp_breach")]
    pub tlp_breach: f64,
    /// A CSIRT's warning proved false (effect `FalseWarning`): its constituents'
    /// and its peers' trust in it falls.
    #[serde(default = "default_false_warning")]
    pub false_warning: f64,
    /// A regulator CSIRT sanctions a constituent (effect `Enforcement`): its
    /// constituents' trust falls.
    #[serde(default = "default_enforcement")]
    pub enforcement: f64,
    /// A regional exercise (effect `RegionalExercise`): every two members' trust rises.
    #[serde(default = "default_exercise")]
    pub exercise: f64,
    /// A public statement that names no victim: its CSIRT's constituents' trust rises.
    #[serde(default = "default_statement")]
    pub statement: f64,
    /// A public statement that names a victim: its CSIRT's constituents' trust falls.
    #[serde(default = "default_named_victim")]
    pub named_victim: f64,
}

fn default_statement() -> f64 {
    0.02
}

fn default_named_victim() -> f64 {
    0.15
}

impl Default for RawTrustRules {
    fn default() -> Self {
        Self {
            useful_warning: default_useful_warning(),
            tlp_breach: default_tlp_breach(),
            false_warning: default_false_warning(),
            enforcement: default_enforcement(),
            exercise: default_exercise(),
            statement: default_statement(),
            named_victim: default_named_victim(),
        }
    }
}

fn default_useful_warning() -> f64 {
    0.05
}

fn default_tlp_breach() -> f64 {
    0.15
}

fn default_false_warning() -> f64 {
    0.10
}

fn default_enforcement() -> f64 {
    0.10
}

fn default_exercise() -> f64 {
    0.05
}

/// A relation whose trust ttx tracks, named by the parties' ids.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename = "Relation")]
pub enum RawRelation {
    /// A CSIRT (id) and its constituents.
    Constituents(String),
    /// Two CSIRTs (ids) of different nations.
    Peers(String, String),
    /// A vendor (id) and the CSIRTs that report flaws to it.
    Vendor(String),
    /// A nation (id)'s CSIRTs and its law enforcement.
    Police(String),
}

/// Outreach to constituents (briefings, visits, a newsletter): sessions of
/// analyst time on the desk, each raising the constituents' trust.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Outreach", deny_unknown_fields)]
pub struct RawOutreach {
    /// A session is due this often (the first at T+0).
    pub every: String,
    /// Analyst time a session takes.
    pub effort: String,
    /// Trust gained when a session is done.
    pub gain: f64,
}

/// Training sessions a CSIRT gives its constituents.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Training", deny_unknown_fields)]
pub struct RawTraining {
    /// A session is due this often (the first at T+0).
    pub every: String,
    /// Analyst time a session takes.
    pub effort: String,
    /// Share by which each session done lowers the rate of incidents at the
    /// CSIRT's constituents.
    pub reduction: f64,
    /// The lowest the rate can fall to, as a share of the scenario's.
    #[serde(default = "default_training_floor")]
    pub floor: f64,
}

fn default_training_floor() -> f64 {
    0.5
}

/// A proactive service run as a programme of sessions on the desk: each
/// session done multiplies the thing the service acts on (see docs/model.md's
/// services table) by `1 - step`, down to `floor`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Programme", deny_unknown_fields)]
pub struct RawProgramme {
    /// The SEI service the programme delivers; the CSIRT must offer it.
    pub service: Service,
    /// A session is due this often (the first at T+0).
    pub every: String,
    /// Analyst time a session takes.
    pub effort: String,
    /// Share by which each session done lowers what the service acts on.
    pub step: f64,
    /// The lowest that can fall to, as a share of the scenario's.
    #[serde(default = "default_training_floor")]
    pub floor: f64,
    /// The desk lane its sessions wait in: `Low` (the default) puts them
    /// behind every incident; a higher one makes them a commitment kept
    /// before the incidents below it.
    #[serde(default = "default_programme_priority")]
    pub priority: Severity,
}

fn default_programme_priority() -> Severity {
    Severity::Low
}

/// A named option for batch comparisons: overrides in the `--set` key syntax,
/// values written as on the command line.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Variant", deny_unknown_fields)]
pub struct RawVariant {
    pub name: String,
    #[serde(default)]
    pub set: std::collections::BTreeMap<String, String>,
}

/// One exercise team for several CSIRTs in `ttx serve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "TeamGroup", deny_unknown_fields)]
pub struct RawTeamGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub csirts: Vec<String>,
}

/// An exercise objective: a measure, the share of cases that must meet it, and
/// the thresholds (as shares of the target) below which it is rated lower.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Objective", deny_unknown_fields)]
pub struct RawObjective {
    pub id: String,
    #[serde(default)]
    pub text: String,
    pub measure: RawMeasure,
    /// Share of cases (0 to 1] that must meet the measure for a P rating.
    #[serde(default = "full_trust")]
    pub target: f64,
    /// Reaching this share of the target still rates S.
    #[serde(default = "default_some_challenges")]
    pub some: f64,
    /// Reaching this share of the target still rates M; below it, U.
    #[serde(default = "default_major_challenges")]
    pub major: f64,
    /// Fewest cases a rating needs; with fewer the objective is rated "not
    /// enough evidence" instead of P to U.
    #[serde(default)]
    pub min_cases: Option<i64>,
}

fn default_some_challenges() -> f64 {
    0.8
}

fn default_major_challenges() -> f64 {
    0.5
}

/// What an objective counts. Time limits run from the start of each case.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Measure", deny_unknown_fields)]
pub enum RawMeasure {
    /// Incidents that occurred (known or not) and became known to a CSIRT within `within`.
    Reported {
        within: String,
        #[serde(default)]
        csirt: Option<String>,
        #[serde(default)]
        severity: Option<Severity>,
        #[serde(default)]
        incident_type: Option<IncidentType>,
        #[serde(default)]
        stream: Option<String>,
        #[serde(default)]
        asset: Option<String>,
        #[serde(default)]
        sector: Option<String>,
        #[serde(default)]
        nation: Option<String>,
    },
    /// Known incidents whose triage started within `within` of the report.
    Triaged {
        within: String,
        #[serde(default)]
        csirt: Option<String>,
        #[serde(default)]
        severity: Option<Severity>,
        #[serde(default)]
        incident_type: Option<IncidentType>,
        #[serde(default)]
        stream: Option<String>,
        #[serde(default)]
        asset: Option<String>,
        #[serde(default)]
        sector: Option<String>,
        #[serde(default)]
        nation: Option<String>,
    },
    /// Known incidents contained within `within` of the report.
    Contained {
        within: String,
        #[serde(default)]
        csirt: Option<String>,
        #[serde(default)]
        severity: Option<Severity>,
        #[serde(default)]
        incident_type: Option<IncidentType>,
        #[serde(default)]
        stream: Option<String>,
        #[serde(default)]
        asset: Option<String>,
        #[serde(default)]
        sector: Option<String>,
        #[serde(default)]
        nation: Option<String>,
    },
    /// Known incidents recovered within `within` of the report.
    Recovered {
        within: String,
        #[serde(default)]
        csirt: Option<String>,
        #[serde(default)]
        severity: Option<Severity>,
        #[serde(default)]
        incident_type: Option<IncidentType>,
        #[serde(default)]
        stream: Option<String>,
        #[serde(default)]
        asset: Option<String>,
        #[serde(default)]
        sector: Option<String>,
        #[serde(default)]
        nation: Option<String>,
    },
    /// Nations at risk in an outbreak warned within `within` of its first detection.
    Warned { within: String },
    /// Share of the run an asset stays at or above `level`.
    ServiceKept { asset: String, level: f64 },
}

impl RawMeasure {
    /// The time limit as written (`ServiceKept` has none: an empty text, never read).
    pub fn within(&self) -> &str {
        match self {
            RawMeasure::Reported { within, .. }
            | RawMeasure::Triaged { within, .. }
            | RawMeasure::Contained { within, .. }
            | RawMeasure::Recovered { within, .. }
            | RawMeasure::Warned { within } => within,
            RawMeasure::ServiceKept { .. } => "",
        }
    }
}

/// Weights of the overall score's components; a component that does not apply
/// to a run (no outbreak: no coordination) is left out and the rest renormalised.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "ScoreWeights", deny_unknown_fields)]
pub struct RawScoreWeights {
    #[serde(default = "default_objectives_weight")]
    pub objectives: f64,
    #[serde(default = "full_trust")]
    pub detection: f64,
    #[serde(default = "full_trust")]
    pub response: f64,
    #[serde(default = "full_trust")]
    pub impact: f64,
    #[serde(default = "full_trust")]
    pub coordination: f64,
    #[serde(default = "full_trust")]
    pub workload: f64,
}

fn default_objectives_weight() -> f64 {
    2.0
}

impl Default for RawScoreWeights {
    fn default() -> Self {
        Self {
            objectives: default_objectives_weight(),
            detection: 1.0,
            response: 1.0,
            impact: 1.0,
            coordination: 1.0,
            workload: 1.0,
        }
    }
}

/// A vendor's product security team, as a channel: how long to reach it, how
/// likely it acts on a CSIRT's report, and how much faster its patch then comes.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Vendor", deny_unknown_fields)]
pub struct RawVendor {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default = "default_vendor_latency")]
    pub latency: String,
    #[serde(default = "full_trust")]
    pub trust: f64,
    #[serde(default = "default_patch_factor")]
    pub patch_factor: f64,
}

fn default_vendor_latency() -> String {
    "1d".into()
}

fn default_patch_factor() -> f64 {
    0.7
}

/// Channels work unless a scenario says otherwise.
fn full_trust() -> f64 {
    1.0
}

/// A nation's law-enforcement cyber unit, as a channel from its CSIRTs: taking
/// down an attack's source in the nation goes through it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "LawEnforcement", deny_unknown_fields)]
pub struct RawLawEnforcement {
    /// From the CSIRT's referral to the unit acting.
    pub latency: String,
    /// Probability the unit acts on a CSIRT's referral.
    #[serde(default = "full_trust")]
    pub trust: f64,
}

/// How CSIRTs reach each other and what a warning buys.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Coordination", deny_unknown_fields)]
pub struct RawCoordination {
    /// Latency of a call between CSIRTs that can find each other (both FIRST
    /// members, or members of one regional body).
    #[serde(default = "default_direct")]
    pub direct: String,
    /// Latency through an intermediary otherwise; `None`: they cannot be reached.
    #[serde(default = "default_indirect")]
    pub indirect: Option<String>,
    /// Analyst time each warning call takes on the caller's desk; calls are made
    /// one after another.
    #[serde(default = "default_call_effort")]
    pub call_effort: String,
    /// Whom the first CSIRT to notice an outbreak calls first.
    #[serde(default)]
    pub call_order: RawCallOrder,
    /// The queue lane of warning calls on the caller's desk: they wait behind
    /// SOP steps of higher severity and ahead of lower ones.
    #[serde(default = "default_call_priority")]
    pub call_priority: Severity,
    /// Share of a warned nation's vulnerable hosts protected once it has prepared.
    #[serde(default = "default_warning_protection")]
    pub warning_protection: f64,
    /// Time from receiving a warning to having the protection in place.
    #[serde(default = "default_preparation")]
    pub preparation: String,
    /// TLP 2.0 label on outbreak warnings.
    #[serde(default)]
    pub warning_tlp: Tlp,
    /// Multiplies the containment effort of a compromise in a nation warned before it.
    #[serde(default = "default_warned_containment_factor")]
    pub warned_containment_factor: f64,
    /// Time for a CSIRT's notification to reach its constituents (sector teams,
    /// asset owners) once an analyst has sent it.
    #[serde(default = "default_constituent_latency")]
    pub constituent_latency: String,
    /// Analyst time a CSIRT spends passing a warning on to its constituents
    /// (writing the notice, sending it to its contact lists): desk work in the
    /// call lane on the recipient's desk.
    #[serde(default = "default_notify_effort")]
    pub notify_effort: String,
    /// Analyst time to read a warning that arrives and decide what to do with
    /// it: desk work in the call lane on the recipient's desk, so at night it
    /// waits for the on-call analyst's call-out, or for the next shift.
    #[serde(default = "default_read_effort")]
    pub read_effort: String,
    /// When set, a CSIRT that will pass a warning on first asks its sender for
    /// the details its constituents need (indicators, patches); the sender's
    /// answer takes this analyst time on its desk, and the notification waits
    /// for it. Unset: the call carries everything.
    #[serde(default)]
    pub answer_effort: Option<String>,
    /// Coordination meetings among the CSIRTs that know of an outbreak.
    #[serde(default)]
    pub meetings: Option<RawMeetings>,
    /// Share of constituents who act on a warning from a CSIRT without a mandate
    /// (with one, they must answer the phone: all do).
    #[serde(default = "default_constituent_trust")]
    pub constituent_trust: f64,
    /// Share of warnings and tips from a CSIRT abroad acted upon when both belong
    /// to one regional body.
    #[serde(default = "full_trust")]
    pub regional_trust: f64,
    /// ... when both are FIRST members but share no regional body.
    #[serde(default = "full_trust")]
    pub first_trust: f64,
    /// ... when they reach each other only through an intermediary.
    #[serde(default = "full_trust")]
    pub indirect_trust: f64,
}

/// Whom a CSIRT warning about an outbreak calls first. Ties, and everyone a
/// rule does not rank, follow the largest vulnerable population, then
/// scenario order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename = "CallOrder")]
pub enum RawCallOrder {
    /// The largest vulnerable population first (most at stake).
    #[default]
    LargestExposure,
    /// CSIRTs sharing a regional body with the caller first, then FIRST
    /// members, then those reached through an intermediary.
    RegionalFirst,
    /// The channels the caller trusts most first.
    ByTrust,
    /// CSIRTs with someone on duty or on call at the time of the call first.
    AwakeFirst,
    /// These CSIRTs (ids) in this order, then the others.
    List(Vec<String>),
}

fn default_call_priority() -> Severity {
    Severity::High
}

fn default_constituent_latency() -> String {
    "0s".into()
}

fn default_read_effort() -> String {
    "10m".into()
}

fn default_notify_effort() -> String {
    "30m".into()
}

/// Coordination meetings: while an outbreak goes on, every `every` from its
/// first detection, the CSIRTs that know of it meet; each joins with one
/// analyst free at that moment or misses it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Meetings", deny_unknown_fields)]
pub struct RawMeetings {
    pub every: String,
    /// How long a meeting holds its analyst at each CSIRT.
    pub effort: String,
    /// Trust gained between each two CSIRTs that both attend.
    pub gain: f64,
}

fn default_constituent_trust() -> f64 {
    1.0
}

fn default_warned_containment_factor() -> f64 {
    0.5
}

/// Traffic Light Protocol 2.0: how far shared information may travel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename = "Tlp")]
pub enum Tlp {
    /// No limit.
    Clear,
    /// The community, not public channels.
    Green,
    /// The recipient's organisation and its clients, on a need-to-know basis.
    #[default]
    Amber,
    /// The recipient's organisation only.
    AmberStrict,
    /// Named recipients only.
    Red,
}

impl Tlp {
    /// Whether a CSIRT receiving information under this label may pass it on to its
    /// constituents (its clients).
    pub fn allows_constituents(self) -> bool {
        matches!(self, Tlp::Clear | Tlp::Green | Tlp::Amber)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }
}

impl Default for RawCoordination {
    fn default() -> Self {
        Self {
            direct: default_direct(),
            indirect: default_indirect(),
            call_effort: default_call_effort(),
            call_order: RawCallOrder::default(),
            call_priority: default_call_priority(),
            warning_protection: default_warning_protection(),
            preparation: default_preparation(),
            warning_tlp: Tlp::default(),
            warned_containment_factor: default_warned_containment_factor(),
            constituent_latency: default_constituent_latency(),
            notify_effort: default_notify_effort(),
            read_effort: default_read_effort(),
            answer_effort: None,
            meetings: None,
            constituent_trust: default_constituent_trust(),
            regional_trust: full_trust(),
            first_trust: full_trust(),
            indirect_trust: full_trust(),
        }
    }
}

fn default_direct() -> String {
    "1h".into()
}
fn default_indirect() -> Option<String> {
    Some("1d".into())
}
fn default_call_effort() -> String {
    "20m".into()
}
fn default_warning_protection() -> f64 {
    0.5
}
fn default_preparation() -> String {
    "6h".into()
}

/// A self-propagating worm following the random constant spread model.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Outbreak", deny_unknown_fields)]
pub struct RawOutbreak {
    pub id: String,
    /// Nation where the first hosts are infected.
    pub origin: String,
    /// When the first hosts are infected.
    pub start: String,
    #[serde(default = "default_initial_infected")]
    pub initial_infected: i64,
    /// K of the model, as a rate: `"1.8/h"` (Code Red).
    pub contact_rate: String,
    /// Share of a host's scans aimed at its own nation (0: uniform random scanning).
    #[serde(default)]
    pub local_preference: f64,
    /// Step of the simulation of spread.
    #[serde(default = "default_tick")]
    pub tick: String,
    pub populations: Vec<RawPopulation>,
    /// Infected share of a nation's vulnerable hosts at which its national CSIRT notices.
    #[serde(default = "default_detection_threshold")]
    pub detection_threshold: f64,
    #[serde(default)]
    pub exposed_assets: Vec<RawTarget>,
    /// Whether the national CSIRT that first notices warns the others.
    #[serde(default = "default_true")]
    pub warn_others: bool,
    /// Expected reports to its national CSIRT per newly infected host: the
    /// constituents' report flood (0: none).
    #[serde(default)]
    pub reports_per_infection: f64,
    /// The origin's national CSIRT acts on the source once it has noticed.
    #[serde(default)]
    pub takedown: Option<RawTakedown>,
}

/// Taking down the worm's sources (scanners, hosting, C2) in the origin country.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Takedown", deny_unknown_fields)]
pub struct RawTakedown {
    /// From the origin's detection to the takedown.
    pub delay: String,
    /// Multiplies K from then on (0: spread stops; 1: no effect).
    pub factor: f64,
}

fn default_true() -> bool {
    true
}

fn default_initial_infected() -> i64 {
    1
}

fn default_tick() -> String {
    "1m".into()
}

fn default_detection_threshold() -> f64 {
    0.001
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Population", deny_unknown_fields)]
pub struct RawPopulation {
    pub nation: String,
    /// Vulnerable hosts in the nation: the technology mix makes it differ.
    pub vulnerable: i64,
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
    /// The law obliges entities to report incidents to the national CSIRT.
    #[serde(default)]
    pub mandatory_reporting: bool,
    #[serde(default)]
    pub law_enforcement: Option<RawLawEnforcement>,
    /// Its crisis levels, lowest first (above the implicit normal level).
    #[serde(default)]
    pub crisis_levels: Vec<RawCrisisLevel>,
}

/// A nation's crisis level: entered when any of its triggers holds (or an
/// effect sets it), with the effects of entering it. Levels only rise by
/// their triggers; `SetCrisisLevel` may set any level.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "CrisisLevel", deny_unknown_fields)]
pub struct RawCrisisLevel {
    pub name: String,
    /// Entered when the nation's media pressure reaches this.
    #[serde(default)]
    pub media_above: Option<f64>,
    /// ... when this many of its sectors have an asset below full service at once.
    #[serde(default)]
    pub sectors_hit: Option<i64>,
    /// ... when the criticality-weighted service lost now (sum over its assets
    /// of criticality x (1 - level)) reaches this.
    #[serde(default)]
    pub impact_above: Option<f64>,
    /// A crisis cell: decisions of this nation take effect this much later
    /// while it is at this level or above.
    #[serde(default)]
    pub decision_delay: Option<String>,
    /// From entering it, victims must report to their national CSIRT (as
    /// `mandatory_reporting` on the nation).
    #[serde(default)]
    pub mandatory_reporting: bool,
    /// Its crisis cell has the authority to direct operators: from entering it,
    /// every constituent in the nation acts on the warnings its national CSIRT
    /// passes on, as if the CSIRT had a mandate.
    #[serde(default)]
    pub authority: bool,
    /// What happens on entering it (any inject effect: surge staff, a statement...).
    #[serde(default)]
    pub effects: Vec<RawEffect>,
}

/// How media pressure on a nation grows and decays.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Media", deny_unknown_fields)]
pub struct RawMedia {
    /// Pressure halves in this time when nothing feeds it.
    #[serde(default = "default_media_half_life")]
    pub half_life: String,
    /// Added when a public asset's service falls below half.
    #[serde(default = "default_public_outage")]
    pub public_outage: f64,
    /// Added by a `PressLeak`.
    #[serde(default = "default_leak")]
    pub leak: f64,
    /// Taken off by a `PublicStatement` (not below 0).
    #[serde(default = "default_statement_relief")]
    pub statement_relief: f64,
}

impl Default for RawMedia {
    fn default() -> Self {
        Self {
            half_life: default_media_half_life(),
            public_outage: default_public_outage(),
            leak: default_leak(),
            statement_relief: default_statement_relief(),
        }
    }
}

fn default_media_half_life() -> String {
    "12h".into()
}

fn default_public_outage() -> f64 {
    1.0
}

fn default_leak() -> f64 {
    3.0
}

fn default_statement_relief() -> f64 {
    2.0
}

/// A sector a nation declares critical (or not): harbour, tourism, education...
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Sector", deny_unknown_fields)]
pub struct RawSector {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub nation: String,
    #[serde(default)]
    pub critical: bool,
}

/// Something that delivers a service, with what it depends on.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Asset", deny_unknown_fields)]
pub struct RawAsset {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub sector: String,
    /// 1 (minor) to 5 (vital): weights lost service in scores.
    #[serde(default = "default_criticality")]
    pub criticality: i64,
    /// Cost of one hour of fully lost service.
    #[serde(default)]
    pub cost_per_hour: f64,
    #[serde(default)]
    pub depends_on: Vec<RawDependency>,
    /// The public sees its outages (a ferry, the power, card payments): a fall
    /// below half service adds media pressure on its nation.
    #[serde(default)]
    pub public: bool,
}

fn default_criticality() -> i64 {
    3
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Dependency", deny_unknown_fields)]
pub struct RawDependency {
    pub asset: String,
    /// Share of the dependant's service that needs this provider (0 to 1).
    pub weight: f64,
    /// How long the dependant rides out a provider outage (a generator's fuel).
    #[serde(default)]
    pub buffer: Option<String>,
    /// How long the dependant takes to come back after the provider recovers.
    #[serde(default)]
    pub recovery_delay: Option<String>,
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
    /// Shorthand for one tier-1 team on duty around the clock.
    #[serde(default)]
    pub analysts: Option<i64>,
    #[serde(default)]
    pub teams: Vec<RawTeam>,
    #[serde(default)]
    pub structure: Structure,
    /// SIM3-style maturity, 0 to 4; left out, maturity is not modelled.
    #[serde(default)]
    pub maturity: Option<i64>,
    /// Extra analyst time when a step changes hands at the end of a shift.
    #[serde(default = "default_handover")]
    pub handover: String,
    /// The SOP for every incident type (unless a stream names its own).
    #[serde(default)]
    pub sop: Option<String>,
    /// SOPs by incident type, used when `per_type_sops` is on.
    #[serde(default)]
    pub sops_by_type: BTreeMap<IncidentType, String>,
    /// The switch between one SOP for everything and one per incident type.
    #[serde(default)]
    pub per_type_sops: bool,
    /// Listed in FIRST's member directory: peers abroad can find and call it.
    #[serde(default)]
    pub first_member: bool,
    /// Regional bodies it belongs to (e.g. "apcert", "africacert").
    #[serde(default)]
    pub regions: Vec<String>,
    /// Services offered (SEI list); left out: the reactive services and intrusion detection.
    #[serde(default)]
    pub services: Option<Vec<Service>>,
    /// Without incident handling, how long a victim takes to recover on its own.
    #[serde(default = "default_unassisted_recovery")]
    pub unassisted_recovery: String,
    /// Probability that it respects a TLP label that forbids passing information on.
    #[serde(default = "default_tlp_discipline")]
    pub tlp_discipline: f64,
    #[serde(default)]
    pub mandate: Mandate,
    /// Probability that a victim who owes nothing reports to it.
    #[serde(default = "default_trust")]
    pub trust: f64,
    /// How much less a victim reports to a CSIRT that is also its regulator.
    #[serde(default = "default_regulator_reluctance")]
    pub regulator_reluctance: f64,
    /// Time a victim's lawyers take before a report goes out.
    #[serde(default = "default_legal_review")]
    pub legal_review: RawDistribution,
    /// Under mandatory reporting, the latest a report may come after detection.
    #[serde(default)]
    pub reporting_deadline: Option<String>,
    /// Share of reports that withhold the victim's identity.
    #[serde(default)]
    pub anonymous_share: f64,
    /// The asset its channels abroad run over (a submarine cable): while that
    /// asset is down, calls abroad take `fallback` or cannot be made.
    #[serde(default)]
    pub international_link: Option<RawLink>,
    /// Outreach to its constituents (needs the AwarenessBuilding service).
    #[serde(default)]
    pub outreach: Option<RawOutreach>,
    /// Training for its constituents (needs the EducationTraining service):
    /// each session done makes their incidents rarer.
    #[serde(default)]
    pub training: Option<RawTraining>,
    /// Other proactive services run as programmes of desk sessions
    /// (SecurityAudits, RiskAnalysis, TechnologyWatch, BusinessContinuity,
    /// ArtifactHandling, Announcements, InformationDissemination).
    #[serde(default)]
    pub programmes: Vec<RawProgramme>,
    /// The asset its office runs on (its power): while that asset is below
    /// half service nobody at the desk can work. A generator is a dependency
    /// buffer of that asset.
    #[serde(default)]
    pub office: Option<String>,
}

/// A CSIRT's link abroad and what is left when it is down.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Link", deny_unknown_fields)]
pub struct RawLink {
    pub asset: String,
    /// Latency of a call abroad over the fallback (a satellite phone);
    /// `None`: no call abroad while the link is down.
    #[serde(default)]
    pub fallback: Option<String>,
}

fn default_trust() -> f64 {
    0.6
}
fn default_regulator_reluctance() -> f64 {
    0.5
}
fn default_legal_review() -> RawDistribution {
    RawDistribution::Exponential { mean: "1d".into() }
}

/// What backs a CSIRT: nothing, a law, or the law and the regulator's role too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename = "Mandate")]
pub enum Mandate {
    #[default]
    NoMandate,
    Legal,
    Regulator,
}

fn default_tlp_discipline() -> f64 {
    1.0
}

fn default_unassisted_recovery() -> String {
    "3d".into()
}

/// CSIRT services of the SEI model (reactive, proactive, security quality
/// management); docs/model.md maps each to the FIRST Services Framework and says
/// what it does in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename = "Service")]
pub enum Service {
    AlertsAndWarnings,
    IncidentHandling,
    VulnerabilityHandling,
    ArtifactHandling,
    Announcements,
    TechnologyWatch,
    SecurityAudits,
    SecurityToolConfiguration,
    SecurityToolDevelopment,
    IntrusionDetection,
    InformationDissemination,
    RiskAnalysis,
    BusinessContinuity,
    SecurityConsulting,
    AwarenessBuilding,
    EducationTraining,
    ProductEvaluation,
}

impl Service {
    /// How many services there are: per-service tallies are arrays of this size.
    pub const COUNT: usize = 17;

    /// Every service, in declaration order ([`Service::index`]).
    pub const ALL: [Service; Service::COUNT] = [
        Service::AlertsAndWarnings,
        Service::IncidentHandling,
        Service::VulnerabilityHandling,
        Service::ArtifactHandling,
        Service::Announcements,
        Service::TechnologyWatch,
        Service::SecurityAudits,
        Service::SecurityToolConfiguration,
        Service::SecurityToolDevelopment,
        Service::IntrusionDetection,
        Service::InformationDissemination,
        Service::RiskAnalysis,
        Service::BusinessContinuity,
        Service::SecurityConsulting,
        Service::AwarenessBuilding,
        Service::EducationTraining,
        Service::ProductEvaluation,
    ];

    /// Its place in [`Service::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// What a CSIRT offers when its scenario does not say.
    pub const DEFAULT: [Service; 5] = [
        Service::AlertsAndWarnings,
        Service::IncidentHandling,
        Service::VulnerabilityHandling,
        Service::ArtifactHandling,
        Service::IntrusionDetection,
    ];
}

fn default_handover() -> String {
    "15m".into()
}

/// Flat teams: anyone takes anything. Tiered: a step needs an analyst of at least
/// its tier, and severe incidents escalate to tier 2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename = "Structure")]
pub enum Structure {
    #[default]
    Flat,
    Tiered,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Team", deny_unknown_fields)]
pub struct RawTeam {
    /// A name for the team ("day", "night duty"), needed when a CSIRT has
    /// several teams of one tier; injects name a team by it.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "default_tier")]
    pub tier: i64,
    /// People in the team (headcount). Without `seats`, all of them work
    /// whenever the team is on duty (seats always filled); with `seats`, they
    /// take turns on a rota.
    pub analysts: i64,
    /// Analysts the team puts on duty at once during its hours, rostered from
    /// its `analysts` within `rules.hours_per_week` and `rules.min_rest`.
    #[serde(default)]
    pub seats: Option<i64>,
    /// Share of contracted time on leave (0 to 1; needs `seats`).
    #[serde(default)]
    pub leave: f64,
    /// Share of contracted time off sick (0 to 1; needs `seats`).
    #[serde(default)]
    pub sickness: f64,
    #[serde(default)]
    pub shift: RawShift,
    /// Rate at which each analyst leaves, e.g. `"1/365d"`: people quit at random.
    #[serde(default)]
    pub attrition: Option<String>,
    /// With attrition: each analyst who quits is replaced by a new one this
    /// long later (recruiting and getting up to speed). Unset: nobody is.
    #[serde(default)]
    pub replaced_after: Option<String>,
}

fn default_tier() -> i64 {
    1
}

/// A day of the week, for shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename = "Day")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const WEEK: [Day; 7] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun];
}

/// When a team works, in its nation's local time.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename = "Shift", deny_unknown_fields)]
pub enum RawShift {
    /// On duty around the clock, nobody changing over.
    #[default]
    Always,
    /// Monday to Friday, `from` to `to` local time ("08:00"); outside those hours,
    /// reachable after `on_call` if given, else not at all.
    BusinessHours {
        from: String,
        to: String,
        #[serde(default)]
        on_call: Option<String>,
        /// With `on_call`: call-outs the on-call analyst takes per night (each
        /// 24 hours off duty); later work waits for the shift. Unset: no limit.
        #[serde(default)]
        call_outs: Option<i64>,
        /// With `on_call`: after a night's last call-out, the analyst rests this
        /// long before working again (missing from the next shift meanwhile).
        #[serde(default)]
        call_out_rest: Option<String>,
    },
    /// From `from` to `to` local time on each of `days` (every day if not
    /// given); a shift whose `to` is not after its `from` ends the next day
    /// ("22:00" to "06:00"). Outside, reachable after `on_call` if given.
    Hours {
        from: String,
        to: String,
        #[serde(default)]
        days: Option<Vec<Day>>,
        #[serde(default)]
        on_call: Option<String>,
        /// As for `BusinessHours`.
        #[serde(default)]
        call_outs: Option<i64>,
        /// As for `BusinessHours`.
        #[serde(default)]
        call_out_rest: Option<String>,
    },
    /// On duty around the clock, the people on duty changing at each of
    /// `changes` ("07:00", "19:00") every day: a 24/7 rota.
    Continuous { changes: Vec<String> },
}

/// How urgent an incident is; higher severities are served first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename = "Severity")]
pub enum Severity {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// NIST SP 800-61 phase a SOP step belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename = "Phase")]
pub enum Phase {
    #[default]
    Analysis,
    Containment,
    Recovery,
    PostIncident,
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
    #[serde(default = "default_tier")]
    pub tier: i64,
    #[serde(default)]
    pub phase: Phase,
    /// An escalation step: when it is done, the CSIRT's nation is raised to
    /// at least this crisis level (a name of its `crisis_levels`).
    #[serde(default)]
    pub escalate: Option<String>,
}

/// Durations inside are strings in the duration syntax (`"45m"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Distribution", deny_unknown_fields)]
pub enum RawDistribution {
    Fixed(String),
    Exponential { mean: String },
    Uniform { min: String, max: String },
    Triangular { min: String, mode: String, max: String },
    LogNormal { mean: String, sd: String },
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
    pub const ALL: [IncidentType; 8] = [
        Self::Malware,
        Self::Ransomware,
        Self::Ddos,
        Self::Intrusion,
        Self::Phishing,
        Self::Vulnerability,
        Self::PhysicalOutage,
        Self::Other,
    ];

    /// The type named `name` in outputs ([`Self::as_str`]).
    pub fn from_output_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

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
    /// Defaults to what the CSIRT uses for this incident type.
    #[serde(default)]
    pub sop: Option<String>,
    pub rate: String,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub severity: Severity,
    /// The asset these incidents hit, with its service level while they last.
    #[serde(default)]
    pub target: Option<RawTarget>,
    /// Who notices an incident and when; left out, each arrival is a report to the CSIRT.
    #[serde(default)]
    pub detection: Option<RawDetection>,
}

/// Delays from an incident's occurrence to each party noticing it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Detection", deny_unknown_fields)]
pub struct RawDetection {
    pub victim: RawDistribution,
    #[serde(default)]
    pub sector_team: Option<RawDistribution>,
    /// The national CSIRT's own sensors and feeds (needs intrusion detection).
    #[serde(default)]
    pub feeds: Option<RawDistribution>,
    /// Probability that the feeds catch an incident at all.
    #[serde(default = "default_feed_quality")]
    pub feed_quality: f64,
    /// A CSIRT abroad that may see the incident first (e.g. attack traffic on its
    /// networks) and tip off the victim's CSIRT over their channel.
    #[serde(default)]
    pub peer_abroad: Option<RawPeerDetection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Peer", deny_unknown_fields)]
pub struct RawPeerDetection {
    pub csirt: String,
    /// From occurrence to the peer noticing.
    pub delay: RawDistribution,
}

fn default_feed_quality() -> f64 {
    0.5
}

/// An incident's effect on what it hits: the own service level of each asset drops
/// to `level` until the incident is recovered. Exactly one of `asset`, `sector`
/// (every asset of the sector) or `nation` (every asset in the nation) is named.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Target", deny_unknown_fields)]
pub struct RawTarget {
    #[serde(default)]
    pub asset: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub nation: Option<String>,
    pub level: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Inject", deny_unknown_fields)]
pub struct RawInject {
    pub id: String,
    /// When it is delivered; contingency injects have none (the facilitator delivers them).
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub effects: Vec<RawEffect>,
    /// A question the players must answer when the inject is delivered.
    #[serde(default)]
    pub decision: Option<RawDecision>,
    /// The CSIRTs (ids) whose teams receive it in `ttx serve`; empty: every team.
    #[serde(default)]
    pub to: Vec<String>,
    /// What the players are expected to do, for the controller's events list
    /// and the evaluators (HSEEP's "expected player action").
    #[serde(default)]
    pub expect: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Decision", deny_unknown_fields)]
pub struct RawDecision {
    pub id: String,
    pub question: String,
    pub options: Vec<RawChoice>,
    /// The nation whose authorities take it: its crisis cell's `decision_delay`
    /// applies. None: taken at the table at once.
    #[serde(default)]
    pub nation: Option<String>,
    /// The CSIRT (id) whose team answers it in `ttx serve`; None: the controller.
    #[serde(default)]
    pub owner: Option<String>,
    /// What a good answer weighs, for the controller and the evaluators.
    #[serde(default)]
    pub expect: Option<String>,
}

/// One answer to a decision, with what it does to the world.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Choice", deny_unknown_fields)]
pub struct RawChoice {
    pub id: String,
    #[serde(default)]
    pub text: String,
    /// The option `ttx run` takes when nobody decides.
    #[serde(default)]
    pub default: bool,
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
        #[serde(default)]
        sop: Option<String>,
        #[serde(default)]
        severity: Severity,
        #[serde(default)]
        target: Option<RawTarget>,
    },
    /// A vulnerability is disclosed with no patch yet: the listed assets are exposed
    /// until the vendor's patch and their own patching; exploitation attempts hit
    /// each exposed asset at `exploitation` (a rate); a hit is an intrusion
    /// reported to `csirt`.
    Disclosure {
        csirt: String,
        assets: Vec<RawTarget>,
        vendor_patch: RawDistribution,
        patching: RawDistribution,
        exploitation: String,
        /// The vendor the coordinating CSIRT calls (needs vulnerability handling).
        #[serde(default)]
        vendor: Option<String>,
    },
    /// A physical outage (cable cut, power failure): the asset's own service level
    /// is `level` for `duration`, then restored by repair.
    Outage { asset: String, level: f64, duration: String },
    /// The headcount of the CSIRT's team of `tier` becomes `analysts` (people leave).
    SetAnalysts {
        csirt: String,
        analysts: i64,
        /// The team's tier (1 when neither it nor `team` is given).
        #[serde(default)]
        tier: Option<i64>,
        /// The team's `name`, when the CSIRT has several teams of one tier.
        #[serde(default)]
        team: Option<String>,
    },
    /// `analysts` join the team of `tier` after `ramp_up` (recruiting,
    /// clearance), then learn for `learning` (their effort falls from
    /// `rules.new_starter_effort` to 1), and leave after `term` if given
    /// (interns).
    Hire {
        csirt: String,
        analysts: i64,
        #[serde(default)]
        tier: Option<i64>,
        #[serde(default)]
        team: Option<String>,
        #[serde(default)]
        ramp_up: Option<String>,
        #[serde(default)]
        learning: Option<String>,
        #[serde(default)]
        term: Option<String>,
    },
    /// From the next warning call on, calls follow this order.
    SetCallOrder { order: RawCallOrder },
    /// Warnings arriving from now on carry this TLP label (the scenario's
    /// `coordination.warning_tlp` until then).
    SetWarningTlp { tlp: Tlp },
    /// The relation's trust changes by `by` (-1 to 1; the value stays within 0 to 1).
    ChangeTrust { relation: RawRelation, by: f64 },
    /// The members of a regional body exercise together: every two members'
    /// trust rises by the rules' `exercise`.
    RegionalExercise { region: String },
    /// A warning the CSIRT sent proves false: its constituents' and peers'
    /// trust falls by the rules' `false_warning`.
    FalseWarning { csirt: String },
    /// The CSIRT, as regulator, sanctions a constituent: its constituents'
    /// trust falls by the rules' `enforcement`.
    Enforcement { csirt: String },
    /// The press learns of the crisis: media pressure on the nation rises by
    /// `media.leak`.
    PressLeak { nation: String },
    /// The CSIRT speaks in public: media pressure on its nation falls by
    /// `media.statement_relief`; its constituents' trust rises by
    /// `trust.statement`, or falls by `trust.named_victim` when the statement
    /// names a victim.
    PublicStatement {
        csirt: String,
        #[serde(default)]
        names_victim: bool,
    },
    /// The nation's crisis level becomes `level` (a name of its `crisis_levels`,
    /// or "normal").
    SetCrisisLevel { nation: String, level: String },
    /// The outbreak's sources are referred to the origin's law enforcement now
    /// (before the origin notices, say, on a partner's word): it acts with its
    /// trust, and the takedown follows as when the origin refers it itself.
    ReferToPolice { outbreak: String },
    /// The CSIRT asks its regional body for `analysts` responders: the member
    /// with the largest first team lends them, if it trusts the requester
    /// enough (the two CSIRTs' trust); they join `arrives` later and go home
    /// after `stays`.
    RequestHelp { csirt: String, region: String, analysts: i64, arrives: String, stays: String },
    /// The CSIRT stops its programme of `service` (to free its people for
    /// incident handling): no session is due from now on; one queued or in
    /// hand is finished, and what the sessions done achieved stays.
    StopProgramme { csirt: String, service: Service },
}
