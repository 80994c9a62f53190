//! A CSIRT's work desk: teams of analysts by tier, the queue of SOP steps waiting
//! for one (most severe first, then first come), and the time-weighted totals that
//! utilisation and queue lengths come from.

use super::work_queue::WorkQueue;
use crate::engine::{SimDuration, SimTime};
use crate::scenario::{Csirt, CsirtId, OnCall, OutbreakId, Service, Severity, Structure};
use bevy_ecs::component::Component;
use bevy_ecs::entity::Entity;

/// What an analyst does: a SOP step of an incident, a coordination call (a
/// warning about an outbreak to another CSIRT) or an outreach session for the
/// CSIRT's constituents. All take analyst time on the same desk and queue
/// together, so coordination and outreach compete with handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Step {
        incident: Entity,
        step: usize,
    },
    /// A warning call about `outbreak` to the national CSIRT of population `callee`.
    Call {
        outbreak: OutbreakId,
        callee: usize,
    },
    /// An outreach session for the desk's constituents (one at a time).
    Outreach,
    /// A session of the desk's programme of a proactive service (one at a
    /// time per service).
    Programme(Service),
    /// Passing a warning about `outbreak` on to the constituents of population
    /// `population` (the desk's own).
    Notify {
        outbreak: OutbreakId,
        population: usize,
    },
    /// Answering the request for details about `outbreak` from the national
    /// CSIRT of population `population`.
    Answer {
        outbreak: OutbreakId,
        population: usize,
    },
    /// Reading a warning about `outbreak` that reached the desk's own
    /// population `population`, and deciding what to do with it.
    Read {
        outbreak: OutbreakId,
        population: usize,
    },
    /// A coordination meeting about `outbreak` (never queued: an analyst free
    /// when it starts joins it).
    Meeting {
        outbreak: OutbreakId,
    },
}

/// Whose work an analyst holds: an incident's current step, or an outbreak's
/// current warning call (its caller makes one call at a time). What a release
/// or a hand-over names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Incident(Entity),
    Calls(OutbreakId),
    Outreach,
    Programme(Service),
    Notify(OutbreakId, usize),
    Answer(OutbreakId, usize),
    Read(OutbreakId, usize),
    Meeting(OutbreakId),
}

impl Holder {
    /// Coordination work other than warning calls (notifications, answers,
    /// meetings), counted together in `coordination_busy_s`.
    fn other_coordination(self) -> bool {
        matches!(self, Holder::Notify(..) | Holder::Answer(..) | Holder::Read(..) | Holder::Meeting(_))
    }
}

impl Work {
    pub fn holder(self) -> Holder {
        match self {
            Work::Step { incident, .. } => Holder::Incident(incident),
            Work::Call { outbreak, .. } => Holder::Calls(outbreak),
            Work::Outreach => Holder::Outreach,
            Work::Programme(s) => Holder::Programme(s),
            Work::Notify { outbreak, population } => Holder::Notify(outbreak, population),
            Work::Answer { outbreak, population } => Holder::Answer(outbreak, population),
            Work::Read { outbreak, population } => Holder::Read(outbreak, population),
            Work::Meeting { outbreak } => Holder::Meeting(outbreak),
        }
    }
}

/// Work waiting for an analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub work: Work,
    /// Lowest analyst tier that may take it.
    pub tier: u8,
    /// Analyst time still needed: the step's effort, or what is left after a hand-over.
    pub effort: SimDuration,
}

/// Integrals over the exercise window of the desk's state, in unit-seconds;
/// divided by the window they give mean analysts busy, mean queue length and so
/// on. Time after the window is not integrated, so a quiet tail changes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DeskTotals {
    pub busy_s: f64,
    pub staffed_s: f64,
    pub queue_s: f64,
    pub open_incidents_s: f64,
    /// Time during which some step waited for an analyst: the desk was behind
    /// (all who could take it busy, or nobody on shift). Erlang C's P(wait) as a
    /// share of time.
    pub waiting_s: f64,
    /// Time during which some step waited and nobody was on shift to take any.
    pub waiting_unstaffed_s: f64,
    pub max_queue: usize,
    pub steps_started: u64,
    /// Coordination calls started (not counted in `steps_started`).
    pub calls_started: u64,
    /// Analyst-seconds on coordination calls (part of `busy_s`).
    pub calls_busy_s: f64,
    /// Outreach sessions started.
    pub outreach_started: u64,
    /// Analyst-seconds on outreach (part of `busy_s`).
    pub outreach_busy_s: f64,
    /// Per service ([`Service::index`]): programme sessions started within
    /// the window, and their analyst-seconds in it (part of `busy_s`).
    pub programme_started: [u64; Service::COUNT],
    pub programme_busy_s: [f64; Service::COUNT],
    /// Notifications to constituents started.
    pub notifications_started: u64,
    /// Answers to peers' requests started.
    pub answers_started: u64,
    /// Warnings picked up to read.
    pub warnings_read: u64,
    /// Coordination meetings joined.
    pub meetings_attended: u64,
    /// Times an on-call analyst was woken (for desk work or an alert) within
    /// the exercise window.
    pub call_outs: u64,
    /// Analyst-seconds on notifications, answers and meetings (part of
    /// `busy_s`; warning calls are `calls_busy_s`).
    pub coordination_busy_s: f64,
}

/// People who joined by a hire and are still learning, or will leave at the
/// end of a term (interns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Newcomer {
    /// The hire they came with (a term ends for all of them at once).
    pub hire: u64,
    pub joined: SimTime,
    pub learning: SimDuration,
    /// Effort multiplier on joining (`rules.new_starter_effort`).
    pub start: f64,
    /// They leave at the end of a term.
    pub leaves: bool,
}

impl Newcomer {
    /// Effort multiplier at `now`: `start` on joining, falling linearly to 1
    /// at the end of `learning`, 1 after.
    pub fn effort_factor(&self, now: SimTime) -> f64 {
        let done = now.saturating_since(self.joined).as_secs_f64();
        let span = self.learning.as_secs_f64();
        if span <= 0.0 || done >= span { 1.0 } else { self.start - (self.start - 1.0) * done / span }
    }

    /// Still learning at `now`: not yet experienced.
    pub fn learning_at(&self, now: SimTime) -> bool {
        now < self.joined + self.learning
    }
}

/// One team: a tier of analysts on one shift pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamState {
    pub tier: u8,
    pub headcount: u32,
    /// Within the team's working hours.
    pub on_duty: bool,
    /// Off duty: the analyst on call, if any.
    pub on_call: Option<OnCall>,
    /// The on-call analyst is up (called out and not yet back to sleep): more
    /// work is taken without a new call-out.
    pub awake: bool,
    /// Call-outs so far this night (reset each 24 hours off duty and at the
    /// start of the shift).
    pub call_outs: u32,
    /// When the night's call-out work last ended, for the rest rule.
    pub night_end: Option<SimTime>,
    /// On duty: the analyst who was called out rests until then, missing from
    /// the shift.
    pub resting_until: Option<SimTime>,
    pub busy: u32,
    pub busy_s: f64,
    pub staffed_s: f64,
    /// `busy_s` and `staffed_s` over the exercise window only.
    pub window_busy_s: f64,
    pub window_staffed_s: f64,
    /// The CSIRT's office is down (no power): nobody can work, on duty or not.
    pub halted: bool,
    /// With a rota: the people on the current shift (all of the headcount
    /// without one).
    pub rostered: Option<u32>,
    /// Seats to fill while on duty (the rota's seats; without a rota, the
    /// headcount at T+0).
    pub seats: u32,
    /// Over the exercise window: seat-seconds the team should have filled
    /// (seats x time on duty) and those it did (people on duty, at most the
    /// seats). Their ratio is the team's coverage.
    pub window_seat_s: f64,
    pub window_filled_s: f64,
    /// Of the headcount, those who joined by a hire and are learning or on a
    /// term; oldest first. The rest are experienced.
    pub newcomers: Vec<Newcomer>,
}

impl TeamState {
    /// The effort multiplier of work this team takes at `now`: its people's
    /// multipliers averaged (work is shared evenly among them; experienced
    /// people count 1).
    pub fn effort_factor(&self, now: SimTime) -> f64 {
        if self.newcomers.is_empty() || self.headcount == 0 {
            return 1.0;
        }
        let experienced = self.headcount.saturating_sub(self.newcomers.len() as u32);
        let learners: f64 = self.newcomers.iter().map(|n| n.effort_factor(now)).sum();
        (f64::from(experienced) + learners) / f64::from(self.headcount)
    }

    /// People not learning at `now`.
    pub fn experienced(&self, now: SimTime) -> u32 {
        let learning = self.newcomers.iter().filter(|n| n.learning_at(now)).count() as u32;
        self.headcount.saturating_sub(learning)
    }

    /// Analysts who can be working now: everyone present on duty; off duty,
    /// one on call while awake or while the night's call-outs allow another;
    /// nobody while the office is down.
    pub fn capacity(&self) -> u32 {
        if self.halted {
            return 0;
        }
        match (self.on_duty, self.on_call) {
            (true, _) => self.present(),
            (false, Some(on_call)) if self.awake || on_call.per_night.is_none_or(|n| self.call_outs < n) => {
                self.headcount.min(1)
            }
            (false, _) => 0,
        }
    }

    /// People on the shift who may work now: those on it, less the one
    /// resting after a night's call-outs.
    pub fn present(&self) -> u32 {
        self.on_shift().saturating_sub(u32::from(self.resting_until.is_some()))
    }
}

impl TeamState {
    /// People on the current shift, whatever the office's state: the rostered
    /// ones (never more than the headcount, as leavers go at once from the
    /// count), or the whole headcount without a rota.
    pub fn on_shift(&self) -> u32 {
        self.rostered.map_or(self.headcount, |r| r.min(self.headcount))
    }
}

/// One team at an instant, for time series (staff.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSnapshot {
    pub tier: u8,
    pub headcount: u32,
    /// Analysts who could be working now (on duty, or one on call).
    pub available: u32,
    pub busy: u32,
    /// Cumulative busy analyst-seconds since T+0.
    pub busy_s: f64,
    /// Cumulative staffed analyst-seconds since T+0.
    pub staffed_s: f64,
    /// Steps waiting for this tier (a flat desk: every waiting step).
    pub queued: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeskSnapshot {
    pub teams: Vec<TeamSnapshot>,
    pub queued: usize,
    pub open_incidents: u32,
    /// Analysts on a warning call now, and the calls started so far.
    pub on_calls: u32,
    pub calls_started: u64,
    /// Analysts notifying constituents, answering a peer or in a meeting now,
    /// and those pieces of work started so far.
    pub on_coordination: u32,
    pub notifications_started: u64,
    pub answers_started: u64,
    pub meetings_attended: u64,
}

/// Who takes a job, and after what delay (a call-out at night).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub job: Job,
    pub team: usize,
    /// The team's tier.
    pub tier: u8,
    pub delay: SimDuration,
}

/// A step in an analyst's hands.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Working {
    team: usize,
    key: (Severity, u64),
    job: Job,
    /// When the work itself began (after any call-out).
    work_starts: SimTime,
    /// Taken by the on-call analyst off duty.
    call_out: bool,
    /// The team's effort multiplier when it was taken (`job.effort` is scaled by it).
    factor: f64,
}

/// The CSIRT's desk component.
#[derive(Component, Debug, Clone)]
pub struct Desk {
    pub csirt: CsirtId,
    pub structure: Structure,
    pub teams: Vec<TeamState>,
    /// Keyed by (most severe first, then order of queueing).
    queue: WorkQueue,
    next_ticket: u64,
    /// Work in hand, by holder: kept so a hand-over can put it back.
    /// A short list (at most the analysts on the desk): a scan beats a map.
    in_progress: Vec<(Holder, Working)>,
    /// Of the analysts busy, those on a coordination call.
    busy_on_calls: u32,
    /// Of the analysts busy, the one on an outreach session (0 or 1).
    busy_on_outreach: u32,
    /// Per service, of the analysts busy, the one on its programme (0 or 1).
    busy_on_programme: [u32; Service::COUNT],
    /// Of the analysts busy, those notifying, answering or in a meeting.
    busy_on_coordination: u32,
    pub open_incidents: u32,
    pub totals: DeskTotals,
    /// Rests begun (team, until) that the desk's caller must schedule the end of.
    pending_rests: Vec<(usize, SimTime)>,
    /// The CSIRT's maturity now: its scenario maturity less the levels lost
    /// with experienced people gone.
    /// `None`: maturity not modelled (as in the scenario).
    pub maturity: Option<u8>,
    base_maturity: Option<u8>,
    /// People at T+0 (all experienced), and maturity levels lost with all of
    /// them gone (`rules.knowledge_levels`).
    baseline_people: u32,
    knowledge_levels: f64,
    last_update: SimTime,
    /// End of the exercise window: `totals` stop there.
    window_end: SimTime,
}

impl Desk {
    /// `on_duty[i]` says whether team i works at T+0.
    pub fn new(
        csirt_index: CsirtId,
        csirt: &Csirt,
        on_duty: &[bool],
        window_end: SimTime,
        knowledge_levels: f64,
    ) -> Self {
        let teams = csirt
            .teams
            .iter()
            .zip(on_duty)
            .map(|(t, on)| TeamState {
                tier: t.tier,
                headcount: t.analysts,
                on_duty: *on,
                on_call: t.shift.on_call(),
                awake: false,
                call_outs: 0,
                night_end: None,
                resting_until: None,
                busy: 0,
                busy_s: 0.0,
                staffed_s: 0.0,
                window_busy_s: 0.0,
                window_staffed_s: 0.0,
                halted: false,
                rostered: t.seats.map(|_| 0),
                seats: t.seats_to_fill(),
                window_seat_s: 0.0,
                window_filled_s: 0.0,
                newcomers: Vec::new(),
            })
            .collect();
        Self {
            csirt: csirt_index,
            structure: csirt.structure,
            teams,
            queue: WorkQueue::default(),
            next_ticket: 0,
            in_progress: Vec::new(),
            busy_on_calls: 0,
            busy_on_outreach: 0,
            busy_on_programme: [0; Service::COUNT],
            busy_on_coordination: 0,
            open_incidents: 0,
            totals: DeskTotals::default(),
            pending_rests: Vec::new(),
            maturity: csirt.maturity,
            base_maturity: csirt.maturity,
            baseline_people: csirt.teams.iter().map(|t| t.analysts).sum(),
            knowledge_levels,
            last_update: SimTime::ZERO,
            window_end,
        }
    }

    /// Adds the state since the last change to the integrals. Called before every
    /// change of staffing, work, the queue or the open incidents.
    pub fn advance(&mut self, now: SimTime) {
        let dt = now.saturating_since(self.last_update).as_secs_f64();
        let in_window = now.min(self.window_end).saturating_since(self.last_update.min(self.window_end)).as_secs_f64();
        if dt > 0.0 {
            let mut staffed_now = false;
            for team in &mut self.teams {
                let staffed = f64::from(team.capacity().max(team.busy));
                staffed_now |= team.on_duty && team.present() > 0 && !team.halted;
                if team.on_duty {
                    team.window_seat_s += f64::from(team.seats) * in_window;
                    team.window_filled_s += f64::from(team.present().min(team.seats)) * in_window;
                }
                team.busy_s += f64::from(team.busy) * dt;
                team.staffed_s += staffed * dt;
                team.window_busy_s += f64::from(team.busy) * in_window;
                team.window_staffed_s += staffed * in_window;
                self.totals.busy_s += f64::from(team.busy) * in_window;
                self.totals.staffed_s += staffed * in_window;
            }
            self.totals.calls_busy_s += f64::from(self.busy_on_calls) * in_window;
            self.totals.outreach_busy_s += f64::from(self.busy_on_outreach) * in_window;
            // Most desks run no programme most of the time: skip the 17 zeros
            // (adding 0.0 would leave every total as it is).
            if self.busy_on_programme.iter().any(|b| *b > 0) {
                for (total, busy) in self.totals.programme_busy_s.iter_mut().zip(self.busy_on_programme) {
                    *total += f64::from(busy) * in_window;
                }
            }
            self.totals.coordination_busy_s += f64::from(self.busy_on_coordination) * in_window;
            self.totals.queue_s += self.queue.len() as f64 * in_window;
            self.totals.open_incidents_s += f64::from(self.open_incidents) * in_window;
            if !self.queue.is_empty() {
                self.totals.waiting_s += in_window;
                if !staffed_now {
                    self.totals.waiting_unstaffed_s += in_window;
                }
            }
        }
        self.last_update = now;
    }

    pub fn open_incident(&mut self, now: SimTime) {
        self.advance(now);
        self.open_incidents += 1;
    }

    pub fn close_incident(&mut self, now: SimTime) {
        self.advance(now);
        self.open_incidents -= 1;
    }

    /// Changes a team's headcount; returns the previous one. A cut takes effect as
    /// analysts finish: nobody is pulled off a step mid-way.
    /// Experienced people leave first: newcomers stay unless there are more
    /// of them than the new headcount.
    pub fn set_headcount(&mut self, now: SimTime, team: usize, analysts: u32) -> u32 {
        self.advance(now);
        let t = &mut self.teams[team];
        t.newcomers.truncate(analysts as usize);
        std::mem::replace(&mut t.headcount, analysts)
    }

    /// `n` of the team's headcount joined now by hire `hire`: they learn for
    /// `learning`, starting at `start` times the effort, and leave at the end
    /// of a term if `leaves`.
    pub fn add_newcomers(&mut self, now: SimTime, team: usize, n: u32, newcomer: Newcomer) {
        self.advance(now);
        let t = &mut self.teams[team];
        let room = (t.headcount as usize).saturating_sub(t.newcomers.len());
        t.newcomers.extend(std::iter::repeat_n(Newcomer { joined: now, ..newcomer }, (n as usize).min(room)));
    }

    /// Hire `hire`'s people who are still in the team: their number, now
    /// removed from the newcomers (the caller lowers the headcount).
    pub fn remove_hire(&mut self, team: usize, hire: u64) -> u32 {
        let t = &mut self.teams[team];
        let before = t.newcomers.len();
        t.newcomers.retain(|n| n.hire != hire);
        (before - t.newcomers.len()) as u32
    }

    /// Hire `hire`'s people have finished learning: those without a term are
    /// experienced now.
    pub fn finish_learning(&mut self, now: SimTime, team: usize, hire: u64) {
        self.advance(now);
        self.teams[team].newcomers.retain(|n| n.hire != hire || n.leaves);
    }

    /// Recomputes the maturity from the experienced people now: with a share
    /// `e` of the T+0 headcount experienced (at most 1), the CSIRT is
    /// `floor((1 - e) x knowledge_levels)` levels below its scenario maturity.
    /// Returns (from, to) when it changed.
    pub fn update_maturity(&mut self, now: SimTime) -> Option<(u8, u8)> {
        let experienced: u32 = self.teams.iter().map(|t| t.experienced(now)).sum();
        let share = if self.baseline_people == 0 {
            1.0
        } else {
            (f64::from(experienced) / f64::from(self.baseline_people)).min(1.0)
        };
        let lost = ((1.0 - share) * self.knowledge_levels + 1e-9).floor() as u8;
        let maturity = self.base_maturity.map(|m| m.saturating_sub(lost));
        let from = std::mem::replace(&mut self.maturity, maturity);
        match (from, maturity) {
            (Some(from), Some(to)) if from != to => Some((from, to)),
            _ => None,
        }
    }

    /// A team comes on or goes off duty; with a rota, `rostered` people are
    /// on the new shift. The night's on-call count starts again; a shift
    /// starting within the rest after the night's last call-out starts one
    /// person short until the rest is over.
    pub fn set_on_duty(&mut self, now: SimTime, team: usize, on_duty: bool, rostered: Option<u32>) {
        self.advance(now);
        let t = &mut self.teams[team];
        let rest_until = match (on_duty, t.night_end, t.on_call.and_then(|o| o.rest)) {
            (true, Some(end), Some(rest)) if end + rest > now => Some(end + rest),
            _ => None,
        };
        t.on_duty = on_duty;
        t.awake = false;
        t.call_outs = 0;
        t.night_end = None;
        t.resting_until = rest_until;
        if let Some(until) = rest_until {
            self.pending_rests.push((team, until));
        }
        if t.rostered.is_some() {
            t.rostered = Some(rostered.unwrap_or(0));
        }
    }

    /// Another 24 hours off duty begin: the on-call analyst may be called out
    /// `per_night` more times.
    pub fn new_night(&mut self, now: SimTime, team: usize) {
        self.advance(now);
        self.teams[team].call_outs = 0;
    }

    /// The rest begun for `until` is over (stale if another began since).
    pub fn end_rest(&mut self, now: SimTime, team: usize, until: SimTime) {
        if self.teams[team].resting_until == Some(until) {
            self.advance(now);
            self.teams[team].resting_until = None;
        }
    }

    /// Rests begun since the last call, for the caller to schedule their end.
    pub fn take_rests(&mut self) -> Vec<(usize, SimTime)> {
        std::mem::take(&mut self.pending_rests)
    }

    /// Someone must be awake for an alert (noticing an outbreak): a team on
    /// duty at once, else the on-call analyst after the call-out delay (a
    /// call-out, unless already up); `None` when nobody can be reached. Returns
    /// the team and the delay; [`Desk::wake`] when the analyst is up.
    pub fn page(&mut self, now: SimTime) -> Option<(usize, SimDuration)> {
        let on_duty = self.teams.iter().position(|t| t.on_duty && t.capacity() > 0);
        if let Some(team) = on_duty {
            return Some((team, SimDuration::ZERO));
        }
        let team = (0..self.teams.len())
            .filter(|i| self.teams[*i].capacity() > 0)
            .min_by_key(|i| (!self.teams[*i].awake, self.teams[*i].tier))?;
        if self.teams[team].awake {
            return Some((team, SimDuration::ZERO));
        }
        self.advance(now);
        self.totals.call_outs += u64::from(now <= self.window_end);
        let t = &mut self.teams[team];
        t.call_outs += 1;
        Some((team, t.on_call.map_or(SimDuration::ZERO, |o| o.delay)))
    }

    /// The paged on-call analyst of `team` is up: work queued now is taken
    /// without another call-out.
    pub fn wake(&mut self, now: SimTime, team: usize) {
        self.advance(now);
        let t = &mut self.teams[team];
        t.awake |= !t.on_duty;
    }

    /// After the desk has started what it can: an on-call analyst with no
    /// work in hand goes back to sleep (the next work is a new call-out).
    pub fn settle(&mut self, now: SimTime) {
        if !self.teams.iter().any(|t| !t.on_duty && t.awake && t.busy == 0) {
            return;
        }
        self.advance(now);
        for t in &mut self.teams {
            if !t.on_duty && t.awake && t.busy == 0 {
                t.awake = false;
                t.night_end = Some(t.night_end.map_or(now, |e| e.max(now)));
            }
        }
    }

    /// The people on a rota team's current shift change (a leaver was on it).
    pub fn set_rostered(&mut self, now: SimTime, team: usize, rostered: u32) {
        self.advance(now);
        self.teams[team].rostered = Some(rostered);
    }

    /// The office goes down (`true`) or comes back: every team stops or resumes.
    pub fn set_halted(&mut self, now: SimTime, halted: bool) {
        self.advance(now);
        for team in &mut self.teams {
            team.halted = halted;
        }
    }

    /// Whether the office is down.
    pub fn halted(&self) -> bool {
        self.teams.first().is_some_and(|t| t.halted)
    }

    /// Queues a job with a new place in line.
    pub fn enqueue(&mut self, now: SimTime, severity: Severity, job: Job) {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.requeue(now, (severity, ticket), job);
    }

    /// Queues a job at a given place in line (a hand-over keeps its place).
    fn requeue(&mut self, now: SimTime, (severity, ticket): (Severity, u64), job: Job) {
        self.advance(now);
        self.queue.insert(severity, ticket, job);
        self.totals.max_queue = self.totals.max_queue.max(self.queue.len());
    }

    fn may_take(&self, team: &TeamState, job: &Job) -> bool {
        self.structure == Structure::Flat || team.tier >= job.tier
    }

    /// The next job an analyst can start now, if any: the first job in queue order
    /// that some available team may take; among those teams, one on duty before
    /// one on call, then the lowest tier (keeping seniors free for escalations).
    pub fn take_next(&mut self, now: SimTime) -> Option<Assignment> {
        // Most calls find the queue empty (the dispatch loop's last look).
        if self.queue.is_empty() {
            return None;
        }
        // Some free analyst may take a job of at most this tier (any job on a flat desk).
        let free_tier = self.teams.iter().filter(|t| t.busy < t.capacity()).map(|t| t.tier).max()?;
        let max_tier = if self.structure == Structure::Flat { u8::MAX } else { free_tier };
        let (severity, ticket, job) = self.queue.first_within(max_tier)?;
        let (team, _) = self
            .teams
            .iter()
            .enumerate()
            .filter(|(_, t)| t.busy < t.capacity() && self.may_take(t, &job))
            .min_by_key(|(_, t)| (!t.on_duty, t.tier))
            .expect("a free team of a fitting tier exists");
        self.advance(now);
        self.queue.remove(severity, job.tier, ticket);
        let key = (severity, ticket);
        let t = &mut self.teams[team];
        t.busy += 1;
        match job.work {
            Work::Step { .. } => self.totals.steps_started += 1,
            Work::Call { .. } => {
                self.totals.calls_started += 1;
                self.busy_on_calls += 1;
            }
            Work::Outreach => {
                self.totals.outreach_started += 1;
                self.busy_on_outreach += 1;
            }
            Work::Programme(service) => {
                // Counted in the window, as its hours are.
                self.totals.programme_started[service.index()] += u64::from(now < self.window_end);
                self.busy_on_programme[service.index()] += 1;
            }
            Work::Notify { .. } => {
                self.totals.notifications_started += 1;
                self.busy_on_coordination += 1;
            }
            Work::Answer { .. } => {
                self.totals.answers_started += 1;
                self.busy_on_coordination += 1;
            }
            Work::Read { .. } => {
                self.totals.warnings_read += 1;
                self.busy_on_coordination += 1;
            }
            Work::Meeting { .. } => unreachable!("meetings are joined, never queued"),
        }
        let call_out = !t.on_duty;
        let delay = if call_out && !t.awake {
            t.call_outs += 1;
            self.totals.call_outs += u64::from(now <= self.window_end);
            t.on_call.map_or(SimDuration::ZERO, |o| o.delay)
        } else {
            SimDuration::ZERO
        };
        t.awake |= call_out;
        let tier = t.tier;
        let factor = t.effort_factor(now);
        let job = if factor == 1.0 { job } else { Job { effort: job.effort.scaled(factor), ..job } };
        let working = Working { team, key, job, work_starts: now + delay, call_out, factor };
        self.in_progress.push((job.work.holder(), working));
        Some(Assignment { job, team, tier, delay })
    }

    /// The analyst working for `holder` is done; returns when the work began
    /// (after any call-out), so the caller can log the time it really took.
    pub fn release(&mut self, now: SimTime, holder: Holder) -> Option<SimTime> {
        let w = self.stop_working(holder)?;
        self.advance(now);
        self.teams[w.team].busy -= 1;
        self.call_out_ended(now, &w);
        self.busy_on_calls -= u32::from(matches!(holder, Holder::Calls(_)));
        self.busy_on_outreach -= u32::from(holder == Holder::Outreach);
        if let Holder::Programme(service) = holder {
            self.busy_on_programme[service.index()] -= 1;
        }
        self.busy_on_coordination -= u32::from(holder.other_coordination());
        Some(w.work_starts)
    }

    /// An analyst on duty and free now joins a meeting for `effort` (the
    /// lowest tier free, keeping seniors for escalations); `false` when nobody
    /// on duty is free (an analyst on call is not woken for a meeting).
    pub fn join_now(&mut self, now: SimTime, outbreak: OutbreakId, effort: SimDuration) -> bool {
        let Some(team) = self
            .teams
            .iter()
            .enumerate()
            .filter(|(_, t)| t.on_duty && t.busy < t.capacity())
            .min_by_key(|(_, t)| t.tier)
            .map(|(i, _)| i)
        else {
            return false;
        };
        self.advance(now);
        self.teams[team].busy += 1;
        self.busy_on_coordination += 1;
        self.totals.meetings_attended += 1;
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        let job = Job { work: Work::Meeting { outbreak }, tier: self.teams[team].tier, effort };
        let working =
            Working { team, key: (Severity::Critical, ticket), job, work_starts: now, call_out: false, factor: 1.0 };
        self.in_progress.push((Holder::Meeting(outbreak), working));
        true
    }

    /// Puts an interrupted step back in line at its old place, needing what is
    /// left of it plus `handover`; returns that remaining effort.
    pub fn hand_over(&mut self, now: SimTime, holder: Holder, handover: SimDuration) -> Option<SimDuration> {
        let w = self.stop_working(holder)?;
        self.advance(now);
        self.teams[w.team].busy -= 1;
        self.call_out_ended(now, &w);
        self.busy_on_calls -= u32::from(matches!(holder, Holder::Calls(_)));
        self.busy_on_outreach -= u32::from(holder == Holder::Outreach);
        if let Holder::Programme(service) = holder {
            self.busy_on_programme[service.index()] -= 1;
        }
        self.busy_on_coordination -= u32::from(holder.other_coordination());
        let done = now.saturating_since(w.work_starts);
        // What is left, in an experienced analyst's time.
        let left = w.job.effort.saturating_sub(done);
        let left = if w.factor == 1.0 { left } else { left.scaled(1.0 / w.factor) };
        let remaining = left + handover;
        self.requeue(now, w.key, Job { effort: remaining, ..w.job });
        Some(remaining)
    }

    /// Whether a job of `tier` finds nobody on duty who may take it (only on-call
    /// cover or nobody at all): it waits for want of an analyst on shift.
    pub fn nobody_on_shift_for(&self, tier: u8) -> bool {
        let job_tier = if self.structure == Structure::Flat { 0 } else { tier };
        !self.teams.iter().any(|t| t.on_duty && t.present() > 0 && !t.halted && t.tier >= job_tier)
    }

    /// The desk as it stands at `now`, without changing it: cumulative busy and
    /// staffed analyst-seconds integrated up to `now`, and the queue by tier.
    pub fn snapshot(&self, now: SimTime) -> DeskSnapshot {
        let dt = now.saturating_since(self.last_update).as_secs_f64();
        let teams = self
            .teams
            .iter()
            .map(|t| TeamSnapshot {
                tier: t.tier,
                headcount: t.headcount,
                available: t.capacity(),
                busy: t.busy,
                busy_s: t.busy_s + f64::from(t.busy) * dt,
                staffed_s: t.staffed_s + f64::from(t.capacity().max(t.busy)) * dt,
                queued: match self.structure {
                    Structure::Flat => self.queue.len(),
                    Structure::Tiered => self.queue.len_of_tier(t.tier),
                },
            })
            .collect();
        DeskSnapshot {
            teams,
            queued: self.queue.len(),
            open_incidents: self.open_incidents,
            on_calls: self.busy_on_calls,
            calls_started: self.totals.calls_started,
            on_coordination: self.busy_on_coordination,
            notifications_started: self.totals.notifications_started,
            answers_started: self.totals.answers_started,
            meetings_attended: self.totals.meetings_attended,
        }
    }

    /// Holders of the work `team` has in hand, in their order in the queue
    /// (most severe first, then first queued): a model order, never the
    /// `Entity` order, which depends on how the World reuses ids.
    pub fn working_in(&self, team: usize) -> Vec<Holder> {
        let mut working: Vec<(Severity, u64, Holder)> =
            self.in_progress.iter().filter(|(_, w)| w.team == team).map(|(e, w)| (w.key.0, w.key.1, *e)).collect();
        working.sort_unstable_by_key(|(severity, ticket, _)| (std::cmp::Reverse(*severity), *ticket));
        working.into_iter().map(|(_, _, e)| e).collect()
    }

    /// Work the on-call analyst took at night ends: the night's work ends
    /// here; if the shift has started meanwhile, the analyst's rest starts now.
    fn call_out_ended(&mut self, now: SimTime, w: &Working) {
        if !w.call_out {
            return;
        }
        let t = &mut self.teams[w.team];
        if !t.on_duty {
            t.night_end = Some(t.night_end.map_or(now, |e| e.max(now)));
        } else if let Some(rest) = t.on_call.and_then(|o| o.rest) {
            t.resting_until = Some(now + rest);
            self.pending_rests.push((w.team, now + rest));
        }
    }

    fn stop_working(&mut self, holder: Holder) -> Option<Working> {
        let at = self.in_progress.iter().position(|(h, _)| *h == holder)?;
        Some(self.in_progress.swap_remove(at).1)
    }
}
