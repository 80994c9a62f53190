//! When teams are on duty, in their nation's local time.

use crate::engine::calendar::weekday;
use crate::scenario::Shift;

const DAY: i64 = 86_400;

/// Whether a team on `shift` works at local instant `local_s` (seconds since the
/// epoch, already shifted by the nation's UTC offset).
pub fn on_duty_at(shift: &Shift, local_s: i64) -> bool {
    match shift {
        Shift::Always { .. } => true,
        Shift::Hours { .. } => occurrences(shift, local_s - DAY).any(|(start, end)| start <= local_s && local_s < end),
    }
}

/// The next local instant after `local_s` at which the team comes on or goes off
/// duty, with its state from then on. For a continuous rota, the next change of
/// people (`true`: the team stays on duty). `None` for teams always on duty
/// with nobody changing over.
pub fn next_change(shift: &Shift, local_s: i64) -> Option<(i64, bool)> {
    match shift {
        Shift::Always { changes } => {
            let today = local_s.div_euclid(DAY) * DAY;
            [today, today + DAY]
                .into_iter()
                .flat_map(|day| changes.iter().map(move |c| day + i64::from(*c)))
                .find(|t| *t > local_s)
                .map(|t| (t, true))
        }
        Shift::Hours { .. } => occurrences(shift, local_s - DAY)
            .flat_map(|(start, end)| [(start, true), (end, false)])
            .find(|(t, _)| *t > local_s),
    }
}

/// The shifts (local start, end) of an `Hours` shift starting on the days from
/// the one holding `from_s` on, for eight days: in time order, as shifts
/// last less than a day and start at one time of day.
fn occurrences(shift: &Shift, from_s: i64) -> impl Iterator<Item = (i64, i64)> + '_ {
    let first = from_s.div_euclid(DAY) * DAY;
    let (start_s, length, days) = match shift {
        Shift::Hours { from_s, days, .. } => (i64::from(*from_s), i64::from(shift.length_s()), *days),
        Shift::Always { .. } => (0, 0, [false; 7]),
    };
    (0..9)
        .map(move |d| first + d * DAY)
        .filter(move |day| days[weekday(*day) as usize])
        .map(move |day| (day + start_s, day + start_s + length))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONDAY: i64 = 1_767_571_200; // 2026-01-05T00:00
    const NINE_TO_FIVE: Shift =
        Shift::Hours { from_s: 9 * 3600, to_s: 17 * 3600, days: Shift::WEEKDAYS, on_call: None };

    #[test]
    fn business_hours_on_weekdays_only() {
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 8 * 3600));
        assert!(on_duty_at(&NINE_TO_FIVE, MONDAY + 9 * 3600));
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 17 * 3600));
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 5 * 86_400 + 10 * 3600), "Saturday");
        assert!(on_duty_at(&Shift::Always { changes: vec![] }, MONDAY + 5 * 86_400));
    }

    #[test]
    fn next_change_skips_the_weekend() {
        assert_eq!(next_change(&NINE_TO_FIVE, MONDAY), Some((MONDAY + 9 * 3600, true)));
        assert_eq!(next_change(&NINE_TO_FIVE, MONDAY + 9 * 3600), Some((MONDAY + 17 * 3600, false)));
        let friday_evening = MONDAY + 4 * 86_400 + 17 * 3600;
        assert_eq!(next_change(&NINE_TO_FIVE, friday_evening), Some((MONDAY + 7 * 86_400 + 9 * 3600, true)));
        assert_eq!(next_change(&Shift::Always { changes: vec![] }, MONDAY), None);
    }

    #[test]
    fn a_night_shift_crosses_midnight_on_its_days_only() {
        let night = Shift::Hours {
            from_s: 22 * 3600,
            to_s: 6 * 3600,
            days: [true, true, true, true, true, false, false],
            on_call: None,
        };
        assert!(!on_duty_at(&night, MONDAY + 3600), "Monday 01:00 follows Sunday, no night shift");
        assert!(on_duty_at(&night, MONDAY + 23 * 3600));
        assert!(on_duty_at(&night, MONDAY + 86_400 + 5 * 3600), "Tuesday 05:00, Monday's shift");
        assert!(!on_duty_at(&night, MONDAY + 86_400 + 6 * 3600));
        // Friday night ends Saturday 06:00; no shift starts on Saturday or Sunday.
        let friday = MONDAY + 4 * 86_400;
        assert_eq!(next_change(&night, friday + 12 * 3600), Some((friday + 22 * 3600, true)));
        assert_eq!(next_change(&night, friday + 22 * 3600), Some((friday + 86_400 + 6 * 3600, false)));
        assert_eq!(next_change(&night, friday + 86_400 + 6 * 3600), Some((MONDAY + 7 * 86_400 + 22 * 3600, true)));
    }

    #[test]
    fn a_continuous_rota_changes_at_its_times() {
        let rota = Shift::Always { changes: vec![7 * 3600, 19 * 3600] };
        assert_eq!(next_change(&rota, MONDAY), Some((MONDAY + 7 * 3600, true)));
        assert_eq!(next_change(&rota, MONDAY + 7 * 3600), Some((MONDAY + 19 * 3600, true)));
        assert_eq!(next_change(&rota, MONDAY + 19 * 3600), Some((MONDAY + 86_400 + 7 * 3600, true)));
        assert!(on_duty_at(&rota, MONDAY + 5 * 86_400));
    }
}
