//! Calendar dates as days since 1970-01-01, enough to compare allow-list expiries with today.
//!
//! A date crate would be heavier than the two conversions needed here.

use std::time::{SystemTime, UNIX_EPOCH};

/// A day, counted from 1970-01-01 (day 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(i64);

impl Day {
    /// Today in UTC, from the system clock; `None` when the clock reads before 1970 (a broken clock, on
    /// which no expiry can be trusted: the allow-list then fails closed).
    pub fn today() -> Option<Day> {
        Day::from_clock(SystemTime::now())
    }

    /// The day a clock reading falls on; `None` before 1970.
    pub fn from_clock(now: SystemTime) -> Option<Day> {
        let seconds = i64::try_from(now.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
        Some(Day(seconds.div_euclid(86_400)))
    }

    /// Parses `YYYY-MM-DD`, checking the month and the day of the month.
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// `YYYY-MM-DD`.
    pub fn format(self) -> String {
        let (year, month, day) = civil_from_days(self.0);
        format!("{year:04}-{month:02}-{day:02}")
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's well-known algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{Day, UNIX_EPOCH};

    #[test]
    fn round_trips_and_orders() {
        for text in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-08-21", "2100-03-01"] {
            assert_eq!(Day::parse(text).map(Day::format).as_deref(), Some(text));
        }
        assert_eq!(Day::parse("1970-01-02"), Some(Day(1)));
        assert!(Day::parse("2024-01-01") < Day::parse("2024-01-02"));
        assert!(Day::today().unwrap() > Day::parse("2025-01-01").unwrap());
        let before_1970 = UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert_eq!(Day::from_clock(before_1970), None);
        assert_eq!(Day::from_clock(UNIX_EPOCH), Day::parse("1970-01-01"));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01x", "2024-01-00", "abcd-ef-gh", ""] {
            assert_eq!(Day::parse(text), None, "{text}");
        }
    }
}
