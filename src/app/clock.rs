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
//!
//! Milliseconds are shown only where the log has them: a log of whole seconds (buildkitd's
//! default `time="2022-02-06T17:47:48Z"`) reads `17:47:48`, not an invented `17:47:48.000`.
//! Decided per source, not per line and not per screen: precision is a property of the daemon
//! that wrote the log, and judging each line alone would take the one line in a thousand of a
//! millisecond log that falls on a whole second (`…48Z`: Go drops a zero fraction) for a
//! whole-second time. A source is known to the millisecond once one of its lines had a
//! fraction. With a whole-second log and a nanosecond one open together, the column keeps
//! room for `.mmm` and the whole-second rows leave it blank (`17:47:48    `), so the seconds
//! stay aligned; with only whole-second sources the column is four characters narrower
//! ([`TimeColumn`]). A time that may come from several sources (a trace's first request,
//! the span of the Mirrors report) has milliseconds only when all of them do.

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

    /// `t` as this format writes it, with milliseconds.
    pub fn format(self, t: Timestamp) -> String {
        self.format_to(t, true)
    }

    /// `t` as this format writes it, with milliseconds or to the second (`millis` false: the
    /// log's times are whole seconds).
    pub fn format_to(self, t: Timestamp, millis: bool) -> String {
        let (y, m, d) = t.date();
        let clock = t.clock();
        // `HH:MM:SS.mmm`: the seconds are its first eight characters.
        let clock = if millis { &clock[..] } else { &clock[..8] };
        match self {
            TimeFormat::Clock => clock.to_owned(),
            TimeFormat::MonthDay => format!("{m:02}-{d:02} {clock}"),
            TimeFormat::Date => format!("{y:04}-{m:02}-{d:02} {clock}"),
        }
    }

    /// Columns a time takes in this format with milliseconds (years 0–9999).
    pub fn width(self) -> u16 {
        match self {
            TimeFormat::Clock => 12,
            TimeFormat::MonthDay => 18,
            TimeFormat::Date => 23,
        }
    }
}

/// `.mmm`: what a time without milliseconds leaves blank in a column that has them.
const MILLIS: u16 = 4;

/// A time column: its dates and whether any of its rows has milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeColumn {
    /// The dates the lines need.
    pub format: TimeFormat,
    /// Some source's times are known to the millisecond: the column has room for `.mmm`.
    pub millis: bool,
}

impl TimeColumn {
    /// Columns the column takes.
    pub fn width(self) -> u16 {
        self.format.width() - if self.millis { 0 } else { MILLIS }
    }

    /// `t` as a cell of this column, for a row whose time has milliseconds (`millis`) or is
    /// to the second: then blank where the others' `.mmm` is, so the seconds align.
    pub fn cell(self, t: Timestamp, millis: bool) -> String {
        let millis = millis && self.millis;
        let mut s = self.format.format_to(t, millis);
        if self.millis && !millis {
            s.push_str(&" ".repeat(usize::from(MILLIS)));
        }
        s
    }
}

impl App {
    /// How the time columns write times, for the lines read so far.
    pub fn time_format(&self) -> TimeFormat {
        self.lines
            .time_range()
            .map_or(TimeFormat::Clock, |(a, b)| TimeFormat::spanning(a, b))
    }

    /// The time columns (Events view TIME, Traces list FIRST, the waterfall's start), for the
    /// lines read so far.
    pub fn time_column(&self) -> TimeColumn {
        TimeColumn {
            format: self.time_format(),
            millis: self.lines.any_millis(),
        }
    }

    /// True when the times of trace `t` are known to the millisecond: every source of its
    /// requests has milliseconds (its first time may be any of theirs).
    pub fn trace_has_millis(&self, t: &crate::model::trace::Trace) -> bool {
        // Only a mix of sources needs the trace's own: the list asks for each row it draws.
        if self.lines.all_millis() || !self.lines.any_millis() {
            return self.lines.any_millis();
        }
        let mut sources = t.events.iter().filter_map(|&e| self.model.event(e));
        let mut any = false;
        let all = sources.all(|ev| {
            any = true;
            self.lines.has_millis(ev.source)
        });
        all && any
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

    #[test]
    fn a_column_of_whole_seconds_is_four_narrower_and_aligns_in_a_mixed_one() {
        let t = at("2022-02-06T17:47:48Z");
        let seconds = TimeColumn {
            format: TimeFormat::Clock,
            millis: false,
        };
        assert_eq!(
            (seconds.width(), seconds.cell(t, false)),
            (8, "17:47:48".into())
        );
        // No source has milliseconds: none shown, whatever the row asks.
        assert_eq!(
            seconds.cell(at("2026-11-24T13:08:35.24Z"), true),
            "13:08:35"
        );
        let mixed = TimeColumn {
            format: TimeFormat::MonthDay,
            millis: true,
        };
        assert_eq!(mixed.cell(t, false), "02-06 17:47:48    ");
        assert_eq!(
            mixed.cell(at("2026-11-24T13:08:35.24Z"), true),
            "11-24 13:08:35.240"
        );
        assert_eq!(
            usize::from(mixed.width()),
            mixed.cell(t, false).chars().count()
        );
        assert_eq!(TimeFormat::Date.format_to(t, false), "2022-02-06 17:47:48");
    }
}
