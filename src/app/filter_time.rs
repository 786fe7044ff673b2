//! The times a filter's `time` term takes, as the time columns write them (UTC, as the log
//! writes its times): a time of day (`time>=13:08`, `13:08:35`, `13:08:35.240`, or `13`, the
//! hour), a day of the
//! year with or without a time (`11-24`, `11-24T13:08`: the TIME column's `11-24 13:08:35.240`
//! once the lines span days, a `T` for its space, since a space ends a term), or a whole date
//! (`2026-11-24`, `2026-11-24T13:08:35Z`).
//!
//! A value is the span of time its digits name, not an instant: `time=13:08` is the whole
//! minute, `time<=13:08` keeps 13:08:59.9 too, `time>13:08` starts at 13:09, and `time>=13:08`
//! at 13:08:00 — as a person reads "up to 13:08" in a table that writes minutes. A time of day
//! is compared with each row's time of day, so on a log of several days it holds on each of
//! them (the date forms pin a day); a day of the year with the row's own year.

use crate::parse::{Timestamp, days_from_civil};

/// Nanoseconds in a day.
const DAY: i64 = 86_400 * 1_000_000_000;

/// What a time value is compared with: the row's time of day, its day of the year and time
/// of day, or the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    OfDay,
    OfYear,
    Instant,
}

/// A time value: the span `lo..hi` its digits name, in its scope's terms ([`key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub scope: Scope,
    pub lo: i64,
    pub hi: i64,
}

/// The forms a `time` term takes, for its error message.
pub const FORMS: &str = "13, 13:08, 13:08:35.240, 11-24T13:08, 2026-11-24";

/// True for a word that is a date as the time columns write it (`11-24`, `2026-11-24`): the
/// filter joins it with a clock after it (`time=11-24 13:08:35.240`, pasted from the TIME
/// column) into one value, `11-24T13:08:35.240`.
pub fn is_date(v: &str) -> bool {
    !v.contains(['T', 't', ':']) && parse(v).is_some_and(|s| s.scope != Scope::OfDay)
}

/// True for a word that is a clock (`13:08`, `13:08:35.240`).
pub fn is_clock(v: &str) -> bool {
    !v.contains(['T', 't', '-']) && v.contains(':') && parse(v).is_some()
}

/// The span a value names, or `None` when it is no time of the forms above.
pub fn parse(v: &str) -> Option<Span> {
    let v = v
        .strip_suffix('Z')
        .or_else(|| v.strip_suffix('z'))
        .unwrap_or(v);
    let (date, clock) = match v.split_once(['T', 't']) {
        Some((d, c)) => (Some(d), Some(c)),
        // `13`: the hour, as `13:08` is the minute.
        None if v.contains(':') || two(v).is_some() => (None, Some(v)),
        None => (Some(v), None),
    };
    let (of_day, width) = match clock {
        Some(c) => clock_span(c)?,
        None => (0, DAY),
    };
    let Some(date) = date else {
        return Some(Span {
            scope: Scope::OfDay,
            lo: of_day,
            hi: of_day + width,
        });
    };
    let parts: Vec<&str> = date.split('-').collect();
    let (scope, base) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (digits(y, 4)?, two(m)?, two(d)?);
            (Scope::Instant, calendar_day(y, m, d)?.checked_mul(DAY)?)
        }
        // A day of any year: February 29th is one (a leap year's).
        [m, d] => {
            let (m, d) = (two(m)?, two(d)?);
            calendar_day(2000, m, d)?;
            (Scope::OfYear, year_key(m, d))
        }
        _ => return None,
    };
    let lo = base.checked_add(of_day)?;
    Some(Span {
        scope,
        lo,
        hi: lo.checked_add(width)?,
    })
}

/// Where a row's time falls in a scope's terms, comparable with a [`Span`] of that scope.
pub fn key(t: Timestamp, scope: Scope) -> i64 {
    let of_day = t.0.rem_euclid(DAY);
    match scope {
        Scope::OfDay => of_day,
        Scope::OfYear => {
            let (_, m, d) = t.date();
            year_key(m, d) + of_day
        }
        Scope::Instant => t.0,
    }
}

/// A day of the year as a number that orders as the days do (a month is 32 days wide).
fn year_key(month: i64, day: i64) -> i64 {
    (month * 32 + day) * DAY
}

/// `HH`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f…`: nanoseconds since midnight and the width its
/// last digit names (an hour, a minute, a second, a millisecond for `.240`).
fn clock_span(c: &str) -> Option<(i64, i64)> {
    let (hms, frac) = match c.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (c, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let (h, m, s, width) = match parts.as_slice() {
        [h] if frac.is_none() => (*h, "00", "00", 3_600_000_000_000),
        [h, m] if frac.is_none() => (*h, *m, "00", 60_000_000_000),
        [h, m, s] => (*h, *m, *s, 1_000_000_000),
        _ => return None,
    };
    // Two digits each, as the columns write them: `13:08:5` is no 13:08:05, nor 13:08:50–59.
    let (h, m, s) = (two(h)?, two(m)?, two(s)?);
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    let mut ns = ((h * 60 + m) * 60 + s) * 1_000_000_000;
    let mut width = width;
    if let Some(f) = frac {
        // Up to nanoseconds, as the log writes them (`13:08:38.215774776`).
        let n = digits(f, 9)?;
        width = 10_i64.pow(9 - f.len() as u32);
        ns += n * width;
    }
    Some((ns, width))
}

/// One to `max` ASCII digits.
fn digits(s: &str, max: usize) -> Option<i64> {
    if s.is_empty() || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Exactly two ASCII digits.
fn two(s: &str) -> Option<i64> {
    digits(s, 2).filter(|_| s.len() == 2)
}

/// Days since 1970-01-01 of a date the calendar has (not February 30th).
fn calendar_day(y: i64, m: i64, d: i64) -> Option<i64> {
    let days = days_from_civil(y, m, d);
    (Timestamp(days * DAY).date() == (y, m, d)).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_rfc3339;

    fn at(s: &str) -> Timestamp {
        parse_rfc3339(s).unwrap_or(Timestamp(i64::MIN))
    }

    fn within(value: &str, time: &str) -> bool {
        let span = parse(value).unwrap_or(Span {
            scope: Scope::Instant,
            lo: 0,
            hi: 0,
        });
        let k = key(at(time), span.scope);
        span.lo <= k && k < span.hi
    }

    #[test]
    fn a_value_is_the_span_its_digits_name() {
        assert!(within("13:08", "2026-11-24T13:08:59.999Z"));
        assert!(!within("13:08", "2026-11-24T13:09:00Z"));
        assert!(within("13:08:35", "2026-11-24T13:08:35.999Z"));
        assert!(!within("13:08:35", "2026-11-24T13:08:36Z"));
        assert!(within("13:08:35.240", "2026-11-24T13:08:35.240999Z"));
        assert!(!within("13:08:35.240", "2026-11-24T13:08:35.241Z"));
        assert!(within("13:08:35.2", "2026-11-24T13:08:35.299Z"));
        // A line's own time, pasted whole: nanoseconds.
        assert!(within(
            "2026-11-24T13:08:38.215774776Z",
            "2026-11-24T13:08:38.215774776Z"
        ));
        assert!(!within(
            "2026-11-24T13:08:38.215774776Z",
            "2026-11-24T13:08:38.215774777Z"
        ));
        assert!(within("13:08:38.21577", "2026-11-24T13:08:38.215779999Z"));
        assert!(within("02-29", "2024-02-29T10:00:00Z"));
        // Two digits alone: the hour.
        assert!(within("13", "2026-11-24T13:00:00Z"));
        assert!(within("13", "2026-11-24T13:59:59.999Z"));
        assert!(!within("13", "2026-11-24T14:00:00Z"));
        assert!(!within("13", "2026-11-24T12:59:59.999Z"));
        assert!(within("11-24T13", "2026-11-24T13:30:00Z"));
        assert!(!within("11-24T13", "2026-11-25T13:30:00Z"));
    }

    #[test]
    fn a_time_of_day_holds_on_every_day_a_date_on_one() {
        assert!(within("13:08", "2026-11-25T13:08:10Z"));
        assert!(within("11-24T13:08", "2026-11-24T13:08:10Z"));
        assert!(within("11-24T13:08", "2025-11-24T13:08:10Z"));
        assert!(!within("11-24T13:08", "2026-11-25T13:08:10Z"));
        assert!(within("2026-11-24T13:08:10Z", "2026-11-24T13:08:10.5Z"));
        assert!(!within("2026-11-24T13:08:10Z", "2025-11-24T13:08:10Z"));
        assert!(within("2026-11-24", "2026-11-24T23:59:59Z"));
        assert!(!within("2026-11-24", "2026-11-25T00:00:00Z"));
        assert!(within("11-24", "2026-11-24T00:00:00Z"));
    }

    #[test]
    fn days_of_the_year_order_as_the_calendar() {
        let span = |v| parse(v).map(|s| s.lo).unwrap_or(0);
        assert!(span("01-31") < span("02-01"));
        assert!(span("11-30") < span("12-01"));
        assert!(span("11-24T23:59") < span("11-25T00:00"));
    }

    #[test]
    fn what_is_no_time_is_refused() {
        for bad in [
            "",
            "1",
            "130",
            "24",
            "13.5",
            "24:00",
            "13:60",
            "13:08:60",
            "13:08.5",
            "1:2:3:4",
            "13:08:35.",
            "2026-13-01",
            "2026-11-32",
            "11-24T",
            "T13:08",
            "abc",
            "13:08:35.1234567890",
            "2026-11-24T13:08+01:00",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
