//! Wall-clock dates for local time: T+0 is a UTC instant, each nation adds its
//! offset. Proleptic Gregorian calendar, no leap seconds, no daylight saving (a
//! nation's offset is fixed for the scenario).

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// `"2026-03-02T08:00Z"` or `"2026-03-02T08:00:30Z"` as seconds since the epoch.
pub fn parse_utc_datetime(text: &str) -> Option<i64> {
    let body = text.strip_suffix('Z')?;
    let (date, time) = body.split_once('T')?;
    let mut d = date.split('-');
    let (year, month, day) = (d.next()?, d.next()?, d.next()?);
    // Digits only: Rust's integer parsing would take "+999" as a year, "+1" as a month.
    if d.next().is_some() || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, month, day): (i64, u32, u32) = (year.parse().ok()?, two_digits(month, 12)?, two_digits(day, 31)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let seconds = match (time.get(..5), time.get(5..6), time.get(6..)) {
        (Some(hm), None, _) => parse_clock(hm)?,
        (Some(hm), Some(":"), Some(s)) => parse_clock(hm)? + two_digits(s, 59)?,
        _ => return None,
    };
    if seconds >= 86_400 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + i64::from(seconds))
}

fn two_digits(text: &str, max: u32) -> Option<u32> {
    if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|v| *v <= max)
}

/// `"08:00"` as seconds after midnight; `"24:00"` is accepted as the end of a day.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m) = (two_digits(h, 24)?, two_digits(m, 59)?);
    (h < 24 || m == 0).then_some(h * 3_600 + m * 60)
}

/// Day of the week of an epoch instant, Monday = 0 (1970-01-01 was a Thursday).
pub fn weekday(epoch_s: i64) -> u32 {
    (epoch_s.div_euclid(86_400) + 3).rem_euclid(7) as u32
}

/// Seconds after local midnight.
pub fn time_of_day(epoch_s: i64) -> u32 {
    epoch_s.rem_euclid(86_400) as u32
}

/// "Tue 14:05": how reports and the console show a local instant.
pub fn weekday_and_time(epoch_s: i64) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let minutes = time_of_day(epoch_s) / 60;
    format!("{} {:02}:{:02}", DAYS[weekday(epoch_s) as usize], minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(parse_utc_datetime("1970-01-01T00:00Z"), Some(0));
        assert_eq!(parse_utc_datetime("2026-01-05T00:00Z"), Some(1_767_571_200));
        assert_eq!(parse_utc_datetime("2024-02-29T12:30:15Z"), Some(1_709_209_815));
        assert_eq!(weekday(1_767_571_200), 0, "2026-01-05 is a Monday");
        for bad in [
            "2026-02-29T00:00Z",
            "2026-13-01T00:00Z",
            "2026-01-05 00:00Z",
            "2026-01-05T00:00",
            "2026-01-05T25:00Z",
            "+999-01-01T00:00Z",
            "2026-+1-05T00:00Z",
            "2026-01-+5T00:00Z",
            "2026-01-05T+8:00Z",
        ] {
            assert_eq!(parse_utc_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("08:00"), Some(28_800));
        assert_eq!(parse_clock("24:00"), Some(86_400));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("8:00"), None);
    }
}
