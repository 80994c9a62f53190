//! Integer simulated time and the human duration syntax (`"2h30m"`) scenarios use.

use std::fmt;

/// Seconds since the scenario start. Integer so that event order never depends on
/// floating-point rounding.
pub type SimTime = u64;

/// A span of simulated time in seconds.
pub type SimDuration = u64;

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
    Ok(total)
}

/// Formats seconds back into the scenario syntax, largest units first (`5400` ->
/// `"1h30m"`), so messages quote durations the way the user wrote them.
pub fn format_duration(seconds: SimDuration) -> String {
    if seconds == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    let mut rest = seconds;
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
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("45m"), Ok(2_700));
        assert_eq!(parse_duration("2h30m"), Ok(9_000));
        assert_eq!(parse_duration("3d"), Ok(259_200));
        assert_eq!(parse_duration("1d12h"), Ok(129_600));
        assert_eq!(parse_duration("0s"), Ok(0));
    }

    #[test]
    fn rejects_out_of_order_repeated_or_unitless() {
        for bad in ["", "10", "h", "30m2h", "1h1h", "1.5h", "2x", "-1h", "1 h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in [0, 1, 59, 60, 3_600, 5_400, 86_400, 129_601] {
            assert_eq!(parse_duration(&format_duration(s)), Ok(s));
        }
        assert_eq!(format_duration(5_400), "1h30m");
    }
}
