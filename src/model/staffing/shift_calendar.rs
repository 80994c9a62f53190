//! When teams are on duty, in their nation's local time.

use crate::engine::calendar::{time_of_day, weekday};
use crate::scenario::Shift;

/// Whether a team on `shift` works at local instant `local_s` (seconds since the
/// epoch, already shifted by the nation's UTC offset). Business hours run Monday
/// to Friday.
pub fn on_duty_at(shift: &Shift, local_s: i64) -> bool {
    match *shift {
        Shift::Always => true,
        Shift::BusinessHours { from_s, to_s, .. } => {
            let tod = time_of_day(local_s);
            weekday(local_s) < 5 && tod >= from_s && tod < to_s
        }
    }
}

/// The next local instant after `local_s` at which the team comes on or goes off
/// duty, with its state from then on. `None` for teams always on duty.
pub fn next_change(shift: &Shift, local_s: i64) -> Option<(i64, bool)> {
    let Shift::BusinessHours { from_s, to_s, .. } = *shift else {
        return None;
    };
    let today = local_s.div_euclid(86_400) * 86_400;
    (0..8)
        .map(|d| today + d * 86_400)
        .filter(|day| weekday(*day) < 5)
        .flat_map(|day| [(day + i64::from(from_s), true), (day + i64::from(to_s), false)])
        .find(|(t, _)| *t > local_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONDAY: i64 = 1_767_571_200; // 2026-01-05T00:00
    const NINE_TO_FIVE: Shift = Shift::BusinessHours { from_s: 9 * 3600, to_s: 17 * 3600, on_call: None };

    #[test]
    fn business_hours_on_weekdays_only() {
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 8 * 3600));
        assert!(on_duty_at(&NINE_TO_FIVE, MONDAY + 9 * 3600));
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 17 * 3600));
        assert!(!on_duty_at(&NINE_TO_FIVE, MONDAY + 5 * 86_400 + 10 * 3600), "Saturday");
        assert!(on_duty_at(&Shift::Always, MONDAY + 5 * 86_400));
    }

    #[test]
    fn next_change_skips_the_weekend() {
        assert_eq!(next_change(&NINE_TO_FIVE, MONDAY), Some((MONDAY + 9 * 3600, true)));
        assert_eq!(next_change(&NINE_TO_FIVE, MONDAY + 9 * 3600), Some((MONDAY + 17 * 3600, false)));
        let friday_evening = MONDAY + 4 * 86_400 + 17 * 3600;
        assert_eq!(next_change(&NINE_TO_FIVE, friday_evening), Some((MONDAY + 7 * 86_400 + 9 * 3600, true)));
        assert_eq!(next_change(&Shift::Always, MONDAY), None);
    }
}
