//! How the time columns read (the Events view's TIME, the Traces list's FIRST, the waterfall's
//! start): `13:00:01.234` while every line read so far is of one UTC day, as now; with the
//! date once the lines span more than one (a CI log, a follow of a builder across midnight),
//! so rows of different days do not read the same: `11-29 13:00:01.234`, and
//! `2025-11-29 13:00:01.234` when they span more than one year. Days are UTC, as the log
//! writes its times; the narrowest form that tells every row apart is chosen, and once dated
//! a follow stays dated (the column does not jump back when old lines are dropped).
//!
//! Decided from the lines, not from the events: a log whose requests all fall on one day but
//! whose lines cross midnight is dated too, as its Raw view's times already are.

use crate::parse::Timestamp;

use super::App;

/// How a time column writes a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// `HH:MM:SS.mmm`: every line of one UTC day.
    Clock,
    /// `MM-DD HH:MM:SS.mmm`: several days of one year.
    MonthDay,
    /// `YYYY-MM-DD HH:MM:SS.mmm`: several years.
    Date,
}

impl TimeFormat {
    /// The narrowest format that tells apart the times from `first` to `last`.
    pub fn spanning(first: Timestamp, last: Timestamp) -> TimeFormat {
        if first.day() == last.day() {
            TimeFormat::Clock
        } else if first.date().0 == last.date().0 {
            TimeFormat::MonthDay
        } else {
            TimeFormat::Date
        }
    }

    /// `t` as this format writes it.
    pub fn format(self, t: Timestamp) -> String {
        let (y, m, d) = t.date();
        match self {
            TimeFormat::Clock => t.clock(),
            TimeFormat::MonthDay => format!("{m:02}-{d:02} {}", t.clock()),
            TimeFormat::Date => format!("{y:04}-{m:02}-{d:02} {}", t.clock()),
        }
    }

    /// Columns a time takes in this format (years 0–9999).
    pub fn width(self) -> u16 {
        match self {
            TimeFormat::Clock => 12,
            TimeFormat::MonthDay => 18,
            TimeFormat::Date => 23,
        }
    }
}

impl App {
    /// How the time columns write times, for the lines read so far.
    pub fn time_format(&self) -> TimeFormat {
        self.lines
            .time_range()
            .map_or(TimeFormat::Clock, |(a, b)| TimeFormat::spanning(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_rfc3339;

    fn at(s: &str) -> Timestamp {
        parse_rfc3339(s).expect("a valid time")
    }

    #[test]
    fn the_narrowest_format_that_tells_the_days_apart() {
        let f = TimeFormat::spanning(at("2026-11-24T00:00:00Z"), at("2026-11-24T23:59:59.999Z"));
        assert_eq!(f, TimeFormat::Clock);
        let (before, after) = (at("2026-11-24T23:59:59.5Z"), at("2026-11-25T00:00:00.25Z"));
        let f = TimeFormat::spanning(before, after);
        assert_eq!(f, TimeFormat::MonthDay);
        assert_eq!(f.format(before), "11-24 23:59:59.500");
        assert_eq!(f.format(after), "11-25 00:00:00.250");
        let f = TimeFormat::spanning(at("2025-12-31T23:00:00Z"), after);
        assert_eq!(f, TimeFormat::Date);
        assert_eq!(f.format(after), "2026-11-25 00:00:00.250");
        for f in [TimeFormat::Clock, TimeFormat::MonthDay, TimeFormat::Date] {
            assert_eq!(usize::from(f.width()), f.format(after).chars().count());
        }
    }
}
