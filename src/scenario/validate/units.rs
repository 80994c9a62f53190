//! The units people write: rates and UTC offsets.

#[allow(unused_imports)]
use super::*;

/// `"9/h"`, `"12/d"`, `"1/45m"`, `"0.5/h"`: incidents per duration, as reports per second.
pub fn parse_rate(text: &str) -> Result<f64, RateError> {
    let malformed = || RateError::Malformed(text.to_string());
    let (count, per) = text.split_once('/').ok_or_else(malformed)?;
    let count: f64 = count.trim().parse().map_err(|_| malformed())?;
    let per = per.trim();
    let per_s = if per.chars().all(|c| c.is_ascii_alphabetic()) {
        parse_duration(&format!("1{per}"))
    } else {
        parse_duration(per)
    }
    .map_err(|_| malformed())?;
    if !count.is_finite() || count <= 0.0 || per_s.is_zero() {
        return Err(RateError::NotPositive(text.to_string()));
    }
    Ok(count / per_s.as_secs_f64())
}

/// Why a rate was refused, with the text as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("malformed rate \"{0}\": expected a number of incidents per duration, e.g. \"9/h\", \"12/d\", \"1/45m\"")]
    Malformed(String),
    #[error("rate \"{0}\" must be above 0 incidents per duration")]
    NotPositive(String),
}

/// `"+12:00"`, `"-05:00"`, `"+05:45"` as seconds east of UTC.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = text[1..].split_once(':')?;
    // Digits only: Rust's integer parsing would take "-1" as an hour ("+-1:00").
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let seconds = sign * (h * 3600 + m * 60);
    (m < 60 && (-12 * 3600..=14 * 3600).contains(&seconds)).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_in_people_units() {
        assert_eq!(parse_rate("9/h"), Ok(9.0 / 3600.0));
        assert_eq!(parse_rate("1/45m"), Ok(1.0 / 2700.0));
        assert_eq!(parse_rate("0.5/d"), Ok(0.5 / 86400.0));
        assert!(parse_rate("9 per hour").is_err());
        assert!(parse_rate("-1/h").is_err());
        assert!(parse_rate("0/h").is_err());
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(parse_utc_offset("+12:00"), Some(43_200));
        assert_eq!(parse_utc_offset("-05:00"), Some(-18_000));
        assert_eq!(parse_utc_offset("+05:45"), Some(20_700));
        assert_eq!(parse_utc_offset("+14:00"), Some(50_400));
        for bad in
            ["12:00", "+15:00", "+5:00", "+05:60", "", "-12:30", "+-1:00", "-+1:00", "+00:-1", "++1:00", "+1 :00"]
        {
            assert_eq!(parse_utc_offset(bad), None, "{bad}");
        }
    }
}
