//! The scenario after validation: every reference resolved to an index, every
//! duration in seconds, every distribution checked. The model builds the world from
//! this and never sees raw text.

use super::ids::{AssetId, CsirtId, NationId, OutbreakId, SectorId, SopId, StreamId, VendorId};
use crate::engine::{DurationDistribution, SimDuration, SimTime};
pub use crate::scenario::raw::{CsirtKind, IncidentType, Mandate, Phase, Service, Severity, Structure, Tlp};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub horizon: SimTime,
    /// End of the exercise window, at most the horizon: every score is measured
    /// over [0, window], so play after it changes none.
    pub window: SimTime,
    /// Written before costs in reports ("USD 8,525"); empty for plain numbers.
    pub currency: String,
    /// T+0 as seconds since 1970-01-01T00:00Z: local clocks and shifts derive from it.
    pub start_utc_s: i64,
    pub seed: u64,
    pub nations: Vec<Nation>,
    pub csirts: Vec<Csirt>,
    pub sectors: Vec<Sector>,
    /// The dependency graph has no cycle (checked by validation).
    pub assets: Vec<Asset>,
    pub sops: Vec<Sop>,
    pub streams: Vec<IncidentStream>,
    /// Scheduled injects, then the contingency injects (`at` is `None`).
    pub injects: Vec<Inject>,
    pub outbreaks: Vec<Outbreak>,
    pub coordination: Coordination,
    pub vendors: Vec<Vendor>,
    pub objectives: Vec<Objective>,
    /// Teams of several CSIRTs in `ttx serve` (each CSIRT in at most one).
    pub team_groups: Vec<TeamGroup>,
    pub score_weights: ScoreWeights,
    /// The options `ttx batch` compares by default; the first is the baseline.
    pub variants: Vec<ScenarioVariant>,
    pub trust: TrustRules,
    pub media: Media,
    pub rules: Rules,
    /// What the loader found valid but probably not meant, each at its position
    /// in the file; the commands print them, nothing is refused for them.
    pub warnings: Vec<super::Diagnostic>,
}

/// A named batch option: `--set`-style assignments applied on top of the scenario
/// (checked when the batch loads it, like any override).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioVariant {
    pub name: String,
    /// (key, value) in key order.
    pub set: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: String,
    pub text: String,
    pub measure: Measure,
    pub target: f64,
    pub some: f64,
    pub major: f64,
    /// Fewest assessable cases a rating needs (else "not enough evidence").
    pub min_cases: usize,
}

/// Players who sit as one team for several CSIRTs in `ttx serve`: they see
/// what each of those CSIRTs knows and answer the decisions each owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamGroup {
    pub id: String,
    pub name: String,
    pub csirts: Vec<CsirtId>,
}

/// Fewest cases an objective needs for a rating unless it says otherwise. A
/// judgement: three cases can still all fall one way by chance, but a tabletop
/// exercise rarely has more of one kind; one case is an anecdote.
pub const DEFAULT_MIN_CASES: usize = 3;

/// Which cases an incident measure counts: every given condition must hold.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct IncidentFilter {
    /// Handled by this CSIRT (an incident's remit).
    pub csirt: Option<CsirtId>,
    /// At least this severe.
    pub severity: Option<Severity>,
    pub incident_type: Option<IncidentType>,
    /// Came from this incident stream.
    pub stream: Option<StreamId>,
    /// Degrades this asset.
    pub asset: Option<AssetId>,
    /// Degrades an asset of this sector.
    pub sector: Option<SectorId>,
    /// In the remit of a CSIRT of this nation.
    pub nation: Option<NationId>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Reported { within: SimDuration, filter: IncidentFilter },
    Triaged { within: SimDuration, filter: IncidentFilter },
    Contained { within: SimDuration, filter: IncidentFilter },
    Recovered { within: SimDuration, filter: IncidentFilter },
    Warned { within: SimDuration },
    ServiceKept { asset: AssetId, level: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreWeights {
    pub objectives: f64,
    pub detection: f64,
    pub response: f64,
    pub impact: f64,
    pub coordination: f64,
    pub workload: f64,
}

/// A way to reach another party: how long a message takes, and the probability
/// the other side acts on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Channel {
    pub latency: SimDuration,
    pub trust: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    /// Multiplies the vendor's patch delay when it acts on a CSIRT's report.
    pub patch_factor: f64,
}

/// Channels between CSIRTs and the value of a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Coordination {
    pub direct: SimDuration,
    /// `None`: CSIRTs that cannot find each other cannot be reached.
    pub indirect: Option<SimDuration>,
    pub call_effort: SimDuration,
    pub call_order: CallOrder,
    pub call_priority: Severity,
    pub warning_protection: f64,
    pub preparation: SimDuration,
    pub warning_tlp: Tlp,
    pub warned_containment_factor: f64,
    pub constituent_latency: SimDuration,
    pub notify_effort: SimDuration,
    /// Analyst time to read an arriving warning (desk work).
    pub read_effort: SimDuration,
    pub answer_effort: Option<SimDuration>,
    pub meetings: Option<Meetings>,
    pub constituent_trust: f64,
    pub regional_trust: f64,
    pub first_trust: f64,
    pub indirect_trust: f64,
}

/// Coordination meetings (see [`crate::scenario::raw::RawMeetings`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meetings {
    pub every: SimDuration,
    pub effort: SimDuration,
    pub gain: f64,
}

/// Whom a warning CSIRT calls first (see [`crate::scenario::raw::RawCallOrder`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOrder {
    LargestExposure,
    RegionalFirst,
    ByTrust,
    AwakeFirst,
    List(Vec<CsirtId>),
}

impl CallOrder {
    /// The name events.csv and the report use.
    pub fn name(&self) -> &'static str {
        match self {
            CallOrder::LargestExposure => "largest_exposure",
            CallOrder::RegionalFirst => "regional_first",
            CallOrder::ByTrust => "by_trust",
            CallOrder::AwakeFirst => "awake_first",
            CallOrder::List(_) => "list",
        }
    }
}

impl Coordination {
    /// Share of a CSIRT's constituents who act on its warnings: all of them when a
    /// mandate backs it, else `constituent_trust` moved by as much as their
    /// trust in the CSIRT has moved since T+0 (`trust_moved`).
    pub fn heed(&self, csirt: &Csirt, trust_moved: f64) -> f64 {
        if csirt.mandate == Mandate::NoMandate { (self.constituent_trust + trust_moved).clamp(0.0, 1.0) } else { 1.0 }
    }

    /// The channel from CSIRT `a` to CSIRT `b`: direct when both share a regional
    /// body (with its trust) or are both FIRST members, else through an
    /// intermediary (or none at all).
    pub fn channel(&self, a: &Csirt, b: &Csirt) -> Option<Channel> {
        if a.regions.iter().any(|r| b.regions.contains(r)) {
            Some(Channel { latency: self.direct, trust: self.regional_trust })
        } else if a.first_member && b.first_member {
            Some(Channel { latency: self.direct, trust: self.first_trust })
        } else {
            self.indirect.map(|latency| Channel { latency, trust: self.indirect_trust })
        }
    }
}

/// A worm outbreak (random constant spread model, per-nation populations).
#[derive(Debug, Clone)]
pub struct Outbreak {
    pub id: String,
    pub origin: NationId,
    pub start: SimTime,
    pub initial_infected: u64,
    /// K, per second.
    pub contact_rate_per_s: f64,
    pub local_preference: f64,
    pub tick: SimDuration,
    pub populations: Vec<Population>,
    pub detection_threshold: f64,
    /// Assets that are vulnerable hosts themselves: compromised like any other.
    pub exposed_assets: Vec<Target>,
    /// Per exposed asset, the national CSIRT its compromise is reported to.
    pub report_to: Vec<CsirtId>,
    pub warn_others: bool,
    /// Expected reports per newly infected host to its nation's national CSIRT.
    pub reports_per_infection: f64,
    /// (delay after the origin notices, factor on K).
    pub takedown: Option<(SimDuration, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    pub nation: NationId,
    pub vulnerable: u64,
}

impl Scenario {
    /// Local wall-clock time of instant `t` in `nation`, in seconds since the Unix
    /// epoch: T+0 is a UTC instant and each nation adds its fixed offset. Shifts,
    /// the console's clock and the report's "Tue 14:00" all come from here, so they
    /// can never disagree.
    pub fn local_epoch_s(&self, nation: NationId, t: SimTime) -> i64 {
        // Validation bounds the horizon (MAX_HORIZON), so this cannot overflow.
        self.start_utc_s + i64::from(self.nations[nation].utc_offset_s) + t.as_secs() as i64
    }

    /// The nation reports are written for: the first CSIRT's (their local time is
    /// the report's clock), or the first nation when no CSIRT is declared.
    pub fn home_nation(&self) -> NationId {
        self.csirts.first().map_or(NationId::new(0), |c| c.nation)
    }

    /// The national CSIRT of a nation: the first CSIRT of kind National it has.
    /// Warnings abroad go to it, and compromises in the nation are reported to it.
    pub fn national_csirt(&self, nation: NationId) -> Option<CsirtId> {
        self.csirts.iter().position(|c| c.nation == nation && c.kind == CsirtKind::National).map(CsirtId::new)
    }
}

#[derive(Debug, Clone)]
pub struct Nation {
    pub id: String,
    pub name: String,
    /// Offset of local time from UTC, in seconds (Fiji: +43,200).
    pub utc_offset_s: i32,
    pub mandatory_reporting: bool,
    /// Its law-enforcement cyber unit, as reached from its CSIRTs.
    pub law_enforcement: Option<Channel>,
    /// Above the implicit normal level (0): level k is `crisis_levels[k - 1]`.
    pub crisis_levels: Vec<CrisisLevel>,
}

/// A nation's crisis level (see [`crate::scenario::raw::RawCrisisLevel`]).
#[derive(Debug, Clone)]
pub struct CrisisLevel {
    pub name: String,
    pub media_above: Option<f64>,
    pub sectors_hit: Option<u32>,
    pub impact_above: Option<f64>,
    pub decision_delay: SimDuration,
    pub mandatory_reporting: bool,
    pub authority: bool,
    pub effects: Vec<Effect>,
}

/// How media pressure on a nation grows and decays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Media {
    pub half_life: SimDuration,
    pub public_outage: f64,
    pub leak: f64,
    pub statement_relief: f64,
}

#[derive(Debug, Clone)]
pub struct Sector {
    pub id: String,
    pub name: String,
    pub nation: NationId,
    pub critical: bool,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub id: String,
    pub name: String,
    pub sector: SectorId,
    pub criticality: u8,
    pub cost_per_hour: f64,
    pub depends_on: Vec<Dependency>,
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// Index of the provider asset.
    pub asset: AssetId,
    pub weight: f64,
    pub buffer: SimDuration,
    pub recovery_delay: SimDuration,
}

/// Which asset an incident hits and how hard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub asset: AssetId,
    /// The asset's own service level while the incident lasts (0 to 1).
    pub level: f64,
}

#[derive(Debug, Clone)]
pub struct Csirt {
    pub id: String,
    pub name: String,
    pub nation: NationId,
    pub kind: CsirtKind,
    /// At most one team per tier, in increasing tier order.
    pub teams: Vec<Team>,
    pub structure: Structure,
    /// 0 to 4 (SIM3 scale); scales effort and the chance a step must be redone.
    /// `None`: not modelled (efforts as written, nothing redone).
    pub maturity: Option<u8>,
    pub handover: SimDuration,
    /// SOP used for incident types without their own (or for all, when
    /// `per_type_sops` is off).
    pub sop: Option<SopId>,
    pub sops_by_type: BTreeMap<IncidentType, SopId>,
    pub per_type_sops: bool,
    pub first_member: bool,
    pub regions: Vec<String>,
    pub services: BTreeSet<Service>,
    pub unassisted_recovery: SimDuration,
    pub tlp_discipline: f64,
    pub mandate: Mandate,
    pub trust: f64,
    pub regulator_reluctance: f64,
    pub legal_review: DurationDistribution,
    pub reporting_deadline: Option<SimDuration>,
    pub anonymous_share: f64,
    pub international_link: Option<Link>,
    pub outreach: Option<Outreach>,
    /// Proactive services run as programmes of desk sessions, one per
    /// service, in service order (training, from `training`, is one).
    pub programmes: Vec<Programme>,
    pub office: Option<AssetId>,
}

/// The asset a CSIRT's channels abroad depend on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub asset: AssetId,
    /// Latency of a call abroad while the asset is down; `None`: no call.
    pub fallback: Option<SimDuration>,
}

impl Csirt {
    pub fn analysts(&self) -> u32 {
        self.teams.iter().map(|t| t.analysts).sum()
    }

    /// The SOP this CSIRT applies to an incident type: the switch between one SOP
    /// for everything and one per type.
    pub fn sop_for(&self, incident_type: IncidentType) -> Option<SopId> {
        if self.per_type_sops
            && let Some(sop) = self.sops_by_type.get(&incident_type)
        {
            return Some(*sop);
        }
        self.sop
    }

    /// Probability that a victim reports an incident it has noticed to this CSIRT:
    /// `compliance` (the rule `mandated_compliance`) under mandatory reporting (`mandatory`: the
    /// nation's law, or a crisis level in force) backed by a mandate, else
    /// the constituents' `trust` now (the scenario's `trust` at T+0), reduced by
    /// `regulator_reluctance` when the CSIRT is also the regulator.
    pub fn report_probability(&self, mandatory: bool, trust: f64, compliance: f64) -> f64 {
        if mandatory && self.mandate != Mandate::NoMandate {
            return compliance;
        }
        let reluctance = if self.mandate == Mandate::Regulator { self.regulator_reluctance } else { 0.0 };
        trust * (1.0 - reluctance)
    }

    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    /// Its programme of `service`, if it runs one.
    pub fn programme(&self, service: Service) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.service == service)
    }

    /// Whether this CSIRT does SOP steps of `phase` itself: containment and
    /// recovery need the incident handling service.
    pub fn performs(&self, phase: Phase) -> bool {
        !matches!(phase, Phase::Containment | Phase::Recovery) || self.offers(Service::IncidentHandling)
    }

    pub fn team_index(&self, tier: u8) -> Option<usize> {
        self.teams.iter().position(|t| t.tier == tier)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// The scenario's `name`, or "tier N" when it gives none.
    pub name: String,
    pub tier: u8,
    /// People (headcount) at T+0.
    pub analysts: u32,
    /// With a rota: how many of them are on duty at once during the team's
    /// hours. `None`: all of them, whenever the team is on duty.
    pub seats: Option<u32>,
    /// Share of contracted time absent (leave and sickness), with a rota.
    pub absence: f64,
    pub shift: Shift,
    /// Departures per analyst per second, if people leave at random.
    pub attrition_per_s: Option<f64>,
    /// With attrition: a leaver's replacement joins this long after.
    pub replaced_after: Option<SimDuration>,
}

impl Team {
    /// Seats the team must fill while on duty: its `seats`, or (without a
    /// rota) its whole headcount at T+0.
    pub fn seats_to_fill(&self) -> u32 {
        self.seats.unwrap_or(self.analysts)
    }

    /// Full-time people needed to fill its seats over a week of its shifts,
    /// each working `hours_per_week`, after absences: seats x hours on duty a
    /// week / (hours_per_week x (1 - absence)). A 24/7 seat at 40 hours with
    /// 16% absence needs 5.0.
    pub fn fte_needed(&self, hours_per_week: f64) -> f64 {
        let weekly = f64::from(self.seats_to_fill()) * self.shift.hours_on_duty_a_week();
        weekly / (hours_per_week * (1.0 - self.absence))
    }
}

/// One analyst of a team reachable off duty: woken after `delay`, at most
/// `per_night` times in each 24 hours off duty, resting `rest` after the
/// night's last call-out before working again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnCall {
    pub delay: SimDuration,
    pub per_night: Option<u32>,
    pub rest: Option<SimDuration>,
}

/// When a team works, in its nation's local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shift {
    /// On duty around the clock; a rota changes people at `changes` (seconds
    /// after local midnight, ascending; empty: nobody changes over).
    Always { changes: Vec<u32> },
    /// On each day of `days` (Monday first) from `from_s` to `to_s` seconds
    /// after local midnight, ending the next day when `to_s <= from_s`;
    /// outside, reachable through `on_call` if set.
    Hours { from_s: u32, to_s: u32, days: [bool; 7], on_call: Option<OnCall> },
}

impl Shift {
    /// Monday to Friday.
    pub const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

    /// The length of one shift in seconds (a day for a team always on duty
    /// without changes, the time between changes otherwise: the longest gap).
    pub fn length_s(&self) -> u32 {
        match self {
            Shift::Always { changes } if changes.len() <= 1 => 86_400,
            Shift::Always { changes } => {
                let wrap = 86_400 - changes[changes.len() - 1] + changes[0];
                changes.windows(2).map(|w| w[1] - w[0]).chain([wrap]).max().unwrap_or(86_400)
            }
            Shift::Hours { from_s, to_s, .. } if to_s > from_s => to_s - from_s,
            Shift::Hours { from_s, to_s, .. } => 86_400 - from_s + to_s,
        }
    }

    /// Hours on duty in a week.
    pub fn hours_on_duty_a_week(&self) -> f64 {
        match self {
            Shift::Always { .. } => 168.0,
            Shift::Hours { days, .. } => {
                days.iter().filter(|d| **d).count() as f64 * f64::from(self.length_s()) / 3600.0
            }
        }
    }

    pub fn on_call(&self) -> Option<OnCall> {
        match self {
            Shift::Always { .. } => None,
            Shift::Hours { on_call, .. } => *on_call,
        }
    }
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
    /// Analyst time the step takes at maturity 2, sampled per incident.
    pub effort: DurationDistribution,
    pub tier: u8,
    pub phase: Phase,
    /// The crisis level (by name) its CSIRT's nation is raised to when it is done.
    pub escalate: Option<String>,
}

/// Background reports: a Poisson process of one incident type to one CSIRT.
#[derive(Debug, Clone)]
pub struct IncidentStream {
    pub id: String,
    pub incident_type: IncidentType,
    pub severity: Severity,
    pub csirt: CsirtId,
    pub sop: SopId,
    /// Reports per second.
    pub rate_per_s: f64,
    /// Stop after this many reports (a run of exactly N incidents).
    pub limit: Option<u64>,
    /// What each incident hits (empty: nothing in the infrastructure).
    pub targets: Vec<Target>,
    pub detection: Option<Detection>,
}

/// Delays from occurrence to each party noticing an incident.
#[derive(Debug, Clone)]
pub struct Detection {
    pub victim: DurationDistribution,
    pub sector_team: Option<DurationDistribution>,
    pub feeds: Option<DurationDistribution>,
    pub feed_quality: f64,
    pub peer_abroad: Option<PeerDetection>,
}

#[derive(Debug, Clone)]
pub struct PeerDetection {
    /// A CSIRT in another nation than the victim's CSIRT.
    pub csirt: CsirtId,
    pub delay: DurationDistribution,
}

#[derive(Debug, Clone)]
pub struct Inject {
    pub id: String,
    /// When it is delivered; `None` for a contingency inject, delivered only when
    /// a facilitator chooses to (`ttx play`).
    pub at: Option<SimTime>,
    pub text: String,
    pub effects: Vec<Effect>,
    pub decision: Option<Decision>,
    /// The CSIRTs whose teams receive it in `ttx serve`; empty: every team.
    pub to: Vec<CsirtId>,
    /// The expected player action, for the controller and evaluators.
    pub expect: Option<String>,
}

/// A decision point: the run stops here for the table (or a policy) to choose.
#[derive(Debug, Clone)]
pub struct Decision {
    pub id: String,
    pub question: String,
    pub options: Vec<Choice>,
    /// Index of the option taken when nobody decides.
    pub default: usize,
    /// Whose crisis cell delays it.
    pub nation: Option<NationId>,
    /// The CSIRT whose team answers it in `ttx serve`; None: the controller.
    pub owner: Option<CsirtId>,
    pub expect: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub text: String,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Report {
        incident_type: IncidentType,
        severity: Severity,
        csirt: CsirtId,
        sop: SopId,
        targets: Vec<Target>,
    },
    Outage {
        asset: AssetId,
        level: f64,
        duration: SimDuration,
    },
    /// A vulnerability disclosed without a patch (see docs/model.md).
    Disclosure {
        csirt: CsirtId,
        sop: SopId,
        assets: Vec<Target>,
        vendor_patch: DurationDistribution,
        patching: DurationDistribution,
        exploitation_per_s: f64,
        vendor: Option<VendorId>,
    },
    SetAnalysts {
        csirt: CsirtId,
        team: usize,
        analysts: u32,
    },
    /// `analysts` join `team` after `ramp_up`, learn for `learning`, and
    /// leave `term` after joining, if set.
    Hire {
        csirt: CsirtId,
        team: usize,
        analysts: u32,
        ramp_up: SimDuration,
        learning: SimDuration,
        term: Option<SimDuration>,
    },
    /// Warning calls follow `order` from the next call on.
    SetCallOrder {
        order: CallOrder,
    },
    /// Warnings arriving from now on carry `tlp`.
    SetWarningTlp {
        tlp: Tlp,
    },
    ChangeTrust {
        relation: Relation,
        by: f64,
    },
    /// Every two of `members` (at least two) exercise together.
    RegionalExercise {
        region: String,
        members: Vec<CsirtId>,
    },
    FalseWarning {
        csirt: CsirtId,
    },
    /// `csirt` is a regulator.
    Enforcement {
        csirt: CsirtId,
    },
    PressLeak {
        nation: NationId,
    },
    PublicStatement {
        csirt: CsirtId,
        names_victim: bool,
    },
    /// The outbreak has a takedown.
    ReferToPolice {
        outbreak: OutbreakId,
    },
    /// `helpers`: the region's other members, in scenario order.
    RequestHelp {
        csirt: CsirtId,
        helpers: Vec<CsirtId>,
        analysts: u32,
        arrives: SimDuration,
        stays: SimDuration,
    },
    /// `level` 0 is normal, k is the nation's `crisis_levels[k - 1]`.
    SetCrisisLevel {
        nation: NationId,
        level: u8,
    },
    /// `csirt` runs a programme of `service`.
    StopProgramme {
        csirt: CsirtId,
        service: Service,
    },
}

/// A relation whose trust a run tracks. Its value (0 to 1) starts at the
/// probability the scenario states for it and moves by the [`TrustRules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// A CSIRT and its constituents: their reporting share and their uptake of its warnings.
    Constituents(CsirtId),
    /// Two CSIRTs of different nations, the lower index first: whether each acts
    /// on the other's warnings and tips.
    Peers(CsirtId, CsirtId),
    /// A vendor and the CSIRTs reporting flaws to it: whether it engages.
    Vendor(VendorId),
    /// A nation's CSIRTs and its law enforcement: whether it acts on a referral.
    Police(NationId),
}

impl Relation {
    /// Two CSIRTs' relation, whichever is named first.
    pub fn peers(a: CsirtId, b: CsirtId) -> Self {
        Relation::Peers(a.min(b), a.max(b))
    }

    /// The kind of relation, as output files name it.
    pub fn kind(self) -> &'static str {
        match self {
            Relation::Constituents(_) => "constituents",
            Relation::Peers(..) => "peers",
            Relation::Vendor(_) => "vendor",
            Relation::Police(_) => "police",
        }
    }
}

impl Scenario {
    /// A nation's crisis level by number: "normal" for 0, else its name.
    pub fn crisis_level_name(&self, nation: NationId, level: u8) -> &str {
        match level {
            0 => "normal",
            k => &self.nations[nation].crisis_levels[usize::from(k) - 1].name,
        }
    }

    /// The relation as output files write it: `constituents:natcert`,
    /// `peers:fj-cert+ws-cert`, `vendor:acme`, `police:fiji`.
    pub fn relation_label(&self, relation: Relation) -> String {
        let parties = match relation {
            Relation::Constituents(c) => self.csirts[c].id.clone(),
            Relation::Peers(a, b) => format!("{}+{}", self.csirts[a].id, self.csirts[b].id),
            Relation::Vendor(v) => self.vendors[v].id.clone(),
            Relation::Police(n) => self.nations[n].id.clone(),
        };
        format!("{}:{parties}", relation.kind())
    }
}

/// The model's judgement constants (see [`crate::scenario::raw::RawRules`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub effort_by_maturity: [f64; 5],
    pub rework_by_maturity: [f64; 5],
    pub escalate_from: Severity,
    pub mandated_compliance: f64,
    pub unsensed_detection_factor: f64,
    pub link_down_below: f64,
    pub office_down_below: f64,
    pub hours_per_week: f64,
    pub min_rest: SimDuration,
    /// A newcomer's effort multiplier when they join (>= 1).
    pub new_starter_effort: f64,
    /// Maturity levels lost with all experienced people gone (>= 0).
    pub knowledge_levels: f64,
}

impl Rules {
    /// A CSIRT's step effort multiplier: 1 when its maturity is not stated.
    pub fn effort_factor(&self, maturity: Option<u8>) -> f64 {
        maturity.map_or(1.0, |m| self.effort_by_maturity[usize::from(m)])
    }

    /// A CSIRT's rework rate: 0 when its maturity is not stated.
    pub fn rework_rate(&self, maturity: Option<u8>) -> f64 {
        maturity.map_or(0.0, |m| self.rework_by_maturity[usize::from(m)])
    }
}

/// By how much each kind of happening moves the trust of its relation (see
/// [`crate::scenario::raw::RawTrustRules`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrustRules {
    pub useful_warning: f64,
    pub tlp_breach: f64,
    pub false_warning: f64,
    pub enforcement: f64,
    pub exercise: f64,
    pub statement: f64,
    pub named_victim: f64,
}

/// A proactive service as a programme of sessions on a CSIRT's desk: each
/// session done multiplies what the service acts on ([`ProgrammeEffect`]) by
/// `1 - step`, down to `floor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Programme {
    pub service: Service,
    pub effect: ProgrammeEffect,
    pub every: SimDuration,
    pub effort: SimDuration,
    pub step: f64,
    pub floor: f64,
    /// The desk lane its sessions wait in.
    pub priority: Severity,
}

/// What a programme's factor multiplies, at the CSIRT's constituents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeEffect {
    /// The rate of incidents of every background stream to the CSIRT
    /// (EducationTraining).
    IncidentRate,
    /// The share of an outbreak's vulnerable hosts in the CSIRT's nation
    /// still exploitable (SecurityAudits, RiskAnalysis).
    Exploitable,
    /// The infected share at which the CSIRT notices an outbreak
    /// (TechnologyWatch).
    NoticeThreshold,
    /// Recovery delays at the constituents: a dependency edge's into an
    /// asset of the nation, and a victim's recovery on its own
    /// (BusinessContinuity).
    RecoveryDelay,
    /// The effort of the CSIRT's Analysis steps (ArtifactHandling).
    AnalysisEffort,
    /// The constituents who neither report an incident they noticed nor act
    /// on a warning, as a share of those who would not without the programme
    /// (Announcements, InformationDissemination).
    Unheeded,
}

impl ProgrammeEffect {
    /// Every effect, in order: a CSIRT's factors are an array indexed by it.
    pub const ALL: [ProgrammeEffect; 6] = [
        ProgrammeEffect::IncidentRate,
        ProgrammeEffect::Exploitable,
        ProgrammeEffect::NoticeThreshold,
        ProgrammeEffect::RecoveryDelay,
        ProgrammeEffect::AnalysisEffort,
        ProgrammeEffect::Unheeded,
    ];

    /// The effect of a programme of `service`; `None`: the service is not
    /// run as a programme (docs/model.md says what it does instead, or why
    /// it is out of scope).
    pub fn of(service: Service) -> Option<ProgrammeEffect> {
        Some(match service {
            Service::EducationTraining => ProgrammeEffect::IncidentRate,
            Service::SecurityAudits | Service::RiskAnalysis => ProgrammeEffect::Exploitable,
            Service::TechnologyWatch => ProgrammeEffect::NoticeThreshold,
            Service::BusinessContinuity => ProgrammeEffect::RecoveryDelay,
            Service::ArtifactHandling => ProgrammeEffect::AnalysisEffort,
            Service::Announcements | Service::InformationDissemination => ProgrammeEffect::Unheeded,
            _ => return None,
        })
    }

    /// Its name in events.csv and summary.json.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeEffect::IncidentRate => "incident_rate",
            ProgrammeEffect::Exploitable => "exploitable",
            ProgrammeEffect::NoticeThreshold => "notice_threshold",
            ProgrammeEffect::RecoveryDelay => "recovery_delay",
            ProgrammeEffect::AnalysisEffort => "analysis_effort",
            ProgrammeEffect::Unheeded => "unheeded",
        }
    }

    /// What the factor multiplies, in a reader's words (the after-action report).
    pub fn describe(self) -> &'static str {
        match self {
            ProgrammeEffect::IncidentRate => "the incident rate at its constituents",
            ProgrammeEffect::Exploitable => "the exploitable share of vulnerable hosts",
            ProgrammeEffect::NoticeThreshold => "the spread at which it notices an outbreak",
            ProgrammeEffect::RecoveryDelay => "recovery delays",
            ProgrammeEffect::AnalysisEffort => "analysis effort",
            ProgrammeEffect::Unheeded => "the share of constituents who ignore it",
        }
    }

    /// The services that run as programmes, for error messages.
    pub const SERVICES: &'static str = "EducationTraining, SecurityAudits, RiskAnalysis, TechnologyWatch, \
        BusinessContinuity, ArtifactHandling, Announcements, InformationDissemination";
}

/// Outreach sessions a CSIRT holds for its constituents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outreach {
    pub every: SimDuration,
    pub effort: SimDuration,
    pub gain: f64,
}
