//! Integer simulated time and the human duration syntax (`"2h30m"`) scenarios use.
//!
//! [`SimTime`] (an instant) and [`SimDuration`] (a span) are distinct types so that
//! the compiler refuses the mistakes a bare `u64` lets through: adding two instants,
//! passing a duration where a deadline is expected, or subtracting the wrong way
//! round. Their arithmetic is checked in every build: an overflow or a negative
//! span is a bug in ttx, and it stops the run with a message instead of wrapping
//! into a plausible-looking wrong time.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub, SubAssign};

use serde::{Deserialize, Serialize};

/// Seconds since the scenario start. Integer so that event order never depends on
/// floating-point rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(u64);

/// A span of simulated time in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimDuration(u64);

impl SimTime {
    /// The scenario start.
    pub const ZERO: SimTime = SimTime(0);
    /// Later than any scheduled event; used for "no deadline".
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_secs(seconds: u64) -> Self {
        SimTime(seconds)
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// Hours since the start, for reports and charts (never for ordering).
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / 3_600.0
    }

    /// Seconds since the start as a float, for statistics (never for ordering).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64
    }

    /// The span from the scenario start to this instant.
    pub const fn since_start(self) -> SimDuration {
        SimDuration(self.0)
    }

    pub fn checked_add(self, span: SimDuration) -> Option<SimTime> {
        self.0.checked_add(span.0).map(SimTime)
    }

    /// `self + span`, or [`SimTime::MAX`] when that is beyond any representable time
    /// (a deadline "never").
    pub fn saturating_add(self, span: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(span.0))
    }

    /// `self - span`, or the scenario start if that is before it.
    pub fn saturating_sub(self, span: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(span.0))
    }

    /// The span from `earlier` to `self`, or `None` if `earlier` is later.
    pub fn checked_since(self, earlier: SimTime) -> Option<SimDuration> {
        self.0.checked_sub(earlier.0).map(SimDuration)
    }

    /// The span from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    pub const MAX: SimDuration = SimDuration(u64::MAX);
    pub const SECOND: SimDuration = SimDuration(1);
    pub const HOUR: SimDuration = SimDuration(3_600);
    pub const DAY: SimDuration = SimDuration(86_400);

    pub const fn from_secs(seconds: u64) -> Self {
        SimDuration(seconds)
    }

    pub const fn from_hours(hours: u64) -> Self {
        SimDuration(hours * 3_600)
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The span in hours, for reports and charts (never for ordering).
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / 3_600.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64
    }

    /// The nearest whole second to `seconds`; negative or NaN give zero, and
    /// anything beyond `u64` gives [`SimDuration::MAX`] (Rust's float casts saturate).
    pub fn from_secs_f64_rounded(seconds: f64) -> Self {
        SimDuration(seconds.round() as u64)
    }

    /// This span times `factor`, to the nearest whole second (efforts scaled by an
    /// inject or a warning, a patch schedule hastened by a vendor).
    pub fn scaled(self, factor: f64) -> Self {
        Self::from_secs_f64_rounded(self.0 as f64 * factor)
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The instant this long after the scenario start.
    pub const fn after_start(self) -> SimTime {
        SimTime(self.0)
    }

    pub fn checked_add(self, other: SimDuration) -> Option<SimDuration> {
        self.0.checked_add(other.0).map(SimDuration)
    }

    pub fn checked_mul(self, times: u64) -> Option<SimDuration> {
        self.0.checked_mul(times).map(SimDuration)
    }

    pub fn saturating_add(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(other.0))
    }

    pub fn saturating_sub(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(other.0))
    }
}

fn overflow(what: &str) -> ! {
    panic!("simulated time arithmetic out of range: {what} (a bug in ttx: validation bounds every time)")
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, span: SimDuration) -> SimTime {
        self.checked_add(span).unwrap_or_else(|| overflow("instant + span"))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, span: SimDuration) {
        *self = *self + span;
    }
}

impl Sub<SimDuration> for SimTime {
    type Output = SimTime;
    fn sub(self, span: SimDuration) -> SimTime {
        self.0.checked_sub(span.0).map(SimTime).unwrap_or_else(|| overflow("instant - span before the start"))
    }
}

/// `later - earlier`: the span between two instants. Panics if `earlier` is the
/// later one; use [`SimTime::saturating_since`] where that can legitimately happen.
impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, earlier: SimTime) -> SimDuration {
        self.checked_since(earlier).unwrap_or_else(|| overflow("earlier instant - later instant"))
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, other: SimDuration) -> SimDuration {
        self.checked_add(other).unwrap_or_else(|| overflow("span + span"))
    }
}

impl AddAssign for SimDuration {
    fn add_assign(&mut self, other: SimDuration) {
        *self = *self + other;
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, other: SimDuration) -> SimDuration {
        self.0.checked_sub(other.0).map(SimDuration).unwrap_or_else(|| overflow("shorter span - longer span"))
    }
}

impl SubAssign for SimDuration {
    fn sub_assign(&mut self, other: SimDuration) {
        *self = *self - other;
    }
}

impl Mul<u64> for SimDuration {
    type Output = SimDuration;
    fn mul(self, times: u64) -> SimDuration {
        self.checked_mul(times).unwrap_or_else(|| overflow("span * count"))
    }
}

/// Whole divisions of a span (e.g. a week into days); rounds down.
impl Div<u64> for SimDuration {
    type Output = SimDuration;
    fn div(self, parts: u64) -> SimDuration {
        SimDuration(self.0 / parts)
    }
}

/// How many whole `other` fit in `self`.
impl Div for SimDuration {
    type Output = u64;
    fn div(self, other: SimDuration) -> u64 {
        self.0 / other.0
    }
}

impl Sum for SimDuration {
    fn sum<I: Iterator<Item = SimDuration>>(iter: I) -> SimDuration {
        iter.fold(SimDuration::ZERO, |a, b| a + b)
    }
}

// No `Display`: a time printed with `{}` would silently change a CSV column
// from seconds to text. Say which you mean: `as_secs()` for files,
// `format_duration` for people.

const UNITS: [(char, u64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

/// Why a duration string was rejected; the text is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationParseError(pub String);

impl fmt::Display for DurationParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses durations the way people write them: `"90s"`, `"45m"`, `"2h30m"`, `"3d"`,
/// `"1d12h"`. Units go from largest to smallest, each at most once; every number
/// is a whole number.
pub fn parse_duration(text: &str) -> Result<SimDuration, DurationParseError> {
    let malformed = || {
        DurationParseError(format!(
            "malformed duration \"{text}\": expected whole numbers each followed by a unit d, h, m or s, largest first, e.g. \"90s\", \"45m\", \"2h30m\", \"3d\""
        ))
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(malformed());
    }
    let mut total: u64 = 0;
    let mut next_unit = 0; // index into UNITS of the smallest unit still allowed
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(malformed());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| malformed())?;
        let unit = rest[digits..].chars().next().ok_or_else(malformed)?;
        let position = UNITS[next_unit..].iter().position(|(u, _)| *u == unit).ok_or_else(malformed)?;
        let seconds = UNITS[next_unit + position].1;
        total = number
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| DurationParseError(format!("duration \"{text}\" is too long")))?;
        next_unit += position + 1;
        rest = &rest[digits + unit.len_utf8()..];
    }
    Ok(SimDuration(total))
}

/// Formats seconds back into the scenario syntax, largest units first (`5400` ->
/// `"1h30m"`), so messages quote durations the way the user wrote them.
pub fn format_duration(span: SimDuration) -> String {
    if span.0 == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    let mut rest = span.0;
    for (unit, size) in UNITS {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_write() {
        let secs = |text| parse_duration(text).map(SimDuration::as_secs);
        assert_eq!(secs("90s"), Ok(90));
        assert_eq!(secs("45m"), Ok(2_700));
        assert_eq!(secs("2h30m"), Ok(9_000));
        assert_eq!(secs("3d"), Ok(259_200));
        assert_eq!(secs("1d12h"), Ok(129_600));
        assert_eq!(secs("0s"), Ok(0));
    }

    #[test]
    fn rejects_out_of_order_repeated_or_unitless() {
        for bad in ["", "10", "h", "30m2h", "1h1h", "1.5h", "2x", "-1h", "1 h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in [0, 1, 59, 60, 3_600, 5_400, 86_400, 129_601].map(SimDuration::from_secs) {
            assert_eq!(parse_duration(&format_duration(s)), Ok(s));
        }
        assert_eq!(format_duration(SimDuration::from_secs(5_400)), "1h30m");
    }

    #[test]
    fn instants_and_spans_combine_only_the_meaningful_ways() {
        let start = SimTime::from_secs(3_600);
        let span = SimDuration::from_secs(90);
        assert_eq!((start + span).as_secs(), 3_690);
        assert_eq!((start + span) - start, span);
        assert_eq!(start.checked_since(start + span), None);
        assert_eq!(start.saturating_since(start + span), SimDuration::ZERO);
        assert_eq!(SimTime::MAX.checked_add(span), None);
        assert_eq!(SimTime::MAX.saturating_add(span), SimTime::MAX);
        assert_eq!(SimDuration::DAY / SimDuration::HOUR, 24);
        assert_eq!([span, span, span].into_iter().sum::<SimDuration>(), span * 3);
    }

    #[test]
    #[should_panic(expected = "earlier instant - later instant")]
    fn a_negative_span_stops_the_run_instead_of_wrapping() {
        let _ = SimTime::from_secs(10) - SimTime::from_secs(11);
    }

    #[test]
    #[should_panic(expected = "instant + span")]
    fn an_overflowing_instant_stops_the_run_instead_of_wrapping() {
        let _ = SimTime::MAX + SimDuration::SECOND;
    }
}
