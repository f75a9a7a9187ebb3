//! Calendar dates of a synthetic export: the letters' dates and the Noark tree's.

use std::fmt;

/// The date [`Date::default`] gives, and the archive's period when it holds no dated unit.
pub(crate) const FALLBACK_DATE: Date = Date::new(2000, 1, 1);

/// A calendar date (proleptic Gregorian), written as `xs:date` `YYYY-MM-DD`.
///
/// Where the schema wants `xs:dateTime` the writer appends a fixed time of day
/// in UTC (e.g. `T09:00:00Z`) so output stays deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1000..=9999 (four digits, as `xs:date` is written here).
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=28/29/30/31.
    pub day: u8,
}

impl Default for Date {
    /// 2000-01-01: a valid placeholder so tree structs can derive `Default`.
    fn default() -> Self {
        FALLBACK_DATE
    }
}

impl Date {
    /// Builds a date without checking it; the writers reject invalid dates.
    pub const fn new(year: u16, month: u8, day: u8) -> Self {
        Date { year, month, day }
    }

    /// Whether year, month and day form a real date with a four-digit year.
    pub fn is_valid(&self) -> bool {
        (1000..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// The date `days` days later (earlier if negative).
    pub fn add_days(self, days: i64) -> Self {
        let z = days_from_civil(self.year as i64, self.month as u32, self.day as u32) + days;
        let (y, m, d) = civil_from_days(z);
        Date::new(y.clamp(0, u16::MAX as i64) as u16, m as u8, d as u8)
    }

    /// The same day `years` years later; 29 February becomes 28 February
    /// in non-leap years (used for `kassasjonsdato` = end + `bevaringstid`).
    pub fn add_years(self, years: u16) -> Self {
        let year = self.year.saturating_add(years);
        let day = self.day.min(days_in_month(year, self.month));
        Date::new(year, self.month, day)
    }

    /// Days since 1970-01-01 (negative before); handy for date ranges.
    pub fn to_days(self) -> i64 {
        days_from_civil(self.year as i64, self.month as u32, self.day as u32)
    }

    /// Inverse of [`Date::to_days`].
    pub fn from_days(days: i64) -> Self {
        Date::default().add_days(days - Date::default().to_days())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Number of days in `month` of `year` (0 for an invalid month).
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's `days_from_civil`: exact for the whole proleptic calendar.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::new(2020, 2, 29).add_years(1), Date::new(2021, 2, 28));
        assert_eq!(Date::new(2020, 12, 31).add_days(1), Date::new(2021, 1, 1));
        assert_eq!(Date::new(2021, 3, 1).add_days(-1), Date::new(2021, 2, 28));
        assert_eq!(Date::new(1970, 1, 1).to_days(), 0);
        assert_eq!(Date::from_days(19_000), Date::new(2022, 1, 8));
        assert!(!Date::new(2023, 2, 29).is_valid());
        assert!(Date::new(2024, 2, 29).is_valid());
    }
}
