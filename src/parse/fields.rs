//! Typed values of the fixed fields: the logrus level and RFC 3339 times.
//!
//! Pure functions on strings; no I/O. (`parse_rfc3339` keeps the last date and second it read
//! in a thread-local, which changes no answer: see its test.)

use std::cell::Cell;

use serde::Serialize;

/// A logrus level, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// `trace`, `TRAC`.
    Trace,
    /// `debug`, `DEBU`.
    Debug,
    /// `info`, `INFO`.
    Info,
    /// `warning`, `warn`, `WARN`.
    Warning,
    /// `error`, `ERRO`.
    Error,
    /// `fatal`, `FATA`.
    Fatal,
    /// `panic`, `PANI`.
    Panic,
}

impl Level {
    /// Reads a level word as logrus writes it in text, JSON (`warning`) or TTY (`WARN`) form.
    pub fn parse(word: &str) -> Option<Level> {
        // The words the text formatter writes, as written: a compare, not a copy and a fold
        // (a level is read on every line, twice on the headless path).
        match word {
            "debug" => return Some(Level::Debug),
            "info" => return Some(Level::Info),
            "warning" => return Some(Level::Warning),
            "error" => return Some(Level::Error),
            _ => {}
        }
        // Lowercased on the stack: every line has a level, and no level word is longer.
        let mut buf = [0u8; 7];
        let lower = buf.get_mut(..word.len())?;
        for (d, s) in lower.iter_mut().zip(word.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        Some(match &*lower {
            b"trace" | b"trac" => Level::Trace,
            b"debug" | b"debu" => Level::Debug,
            b"info" => Level::Info,
            b"warning" | b"warn" => Level::Warning,
            b"error" | b"erro" | b"err" => Level::Error,
            b"fatal" | b"fata" => Level::Fatal,
            b"panic" | b"pani" => Level::Panic,
            _ => return None,
        })
    }

    /// The lowercase word (`debug`, `warning`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
            Level::Fatal => "fatal",
            Level::Panic => "panic",
        }
    }
}

/// Nanoseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds from `self` to `later` (negative when `later` is earlier).
    pub fn millis_until(self, later: Timestamp) -> i64 {
        // Saturating: two times far apart (years 1700 and 2250) overflow i64 nanoseconds.
        later.0.saturating_sub(self.0) / 1_000_000
    }

    /// True for a time with no fraction of a second: buildkitd's default RFC3339 timestamps
    /// (`time="2024-01-02T03:04:05Z"`), where a difference is known to a second only.
    /// Judged from the value, not from how many digits the line wrote: Go's RFC3339Nano (the
    /// formatter of every daemon log read here) drops a fraction's trailing zeros, so a
    /// nanosecond time that falls on the second is written `…:05Z` too and cannot be told
    /// apart. A log written with a fixed `.000` fraction reads as whole seconds on that one
    /// line in a thousand (`+<1s` for `+0ms`); kept, as a flag per time would cost every
    /// event 8 bytes.
    pub fn is_whole_second(self) -> bool {
        self.0.rem_euclid(1_000_000_000) == 0
    }

    /// `2024-01-02T03:04:05.678Z` (UTC, milliseconds).
    pub fn rfc3339(self) -> String {
        let (y, m, d) = self.date();
        format!("{y:04}-{m:02}-{d:02}T{}Z", self.clock())
    }

    /// `2024-01-02T03:04:05.678901234Z` (UTC, to the nanosecond the log gave; `…:05Z` for a
    /// time on the second): what `events` writes beside its integer nanoseconds, which jq's
    /// doubles round above 2^53.
    pub fn rfc3339_nanos(self) -> String {
        let (y, m, d) = self.date();
        let secs = self.0.div_euclid(1_000_000_000);
        let nanos = self.0.rem_euclid(1_000_000_000);
        let day = secs.rem_euclid(86_400);
        let (hh, mm, ss) = (day / 3600, day / 60 % 60, day % 60);
        if nanos == 0 {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
        } else {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{nanos:09}Z")
        }
    }

    /// The UTC calendar day, as days since 1970-01-01.
    pub fn day(self) -> i64 {
        self.0.div_euclid(1_000_000_000).div_euclid(86_400)
    }

    /// The UTC date: year, month (1–12), day of the month (1–31).
    pub fn date(self) -> (i64, i64, i64) {
        civil_from_days(self.day())
    }

    /// `HH:MM:SS.mmm` in UTC, for tables.
    pub fn clock(self) -> String {
        let secs = self.0.div_euclid(1_000_000_000);
        let ms = self.0.rem_euclid(1_000_000_000) / 1_000_000;
        let day = secs.rem_euclid(86_400);
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            day / 3600,
            day / 60 % 60,
            day % 60,
            ms
        )
    }
}

/// Civil date from days since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

thread_local! {
    /// The date and time to the second (`2022-02-06T17:47:48`) last parsed on this thread, and
    /// its seconds since the epoch before any offset.
    static LAST_HEAD: Cell<([u8; 19], i64)> = const { Cell::new(([0; 19], 0)) };
}

/// Parses an RFC 3339 time (`2022-02-06T17:47:48Z`, `…48.788539962+01:00`, a space instead of `T`).
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    // At most four digits, so no overflow; no `str::parse` (a time is read on every line).
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        part.iter().try_fold(0_i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let head: [u8; 19] = *b.first_chunk()?;
    // Lines come many to the second: the seconds of the last head read are reused when this
    // head is the same (only a head that parsed is remembered; the zeros it starts with are
    // no valid head).
    let known = LAST_HEAD.with(|last| {
        let (h, secs) = last.get();
        (h == head).then_some(secs)
    });
    let local_secs = match known {
        Some(secs) => secs,
        None => {
            if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':' {
                return None;
            }
            let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
            let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
            if !(1..=12).contains(&month)
                || !(1..=31).contains(&day)
                || hour > 23
                || min > 59
                || sec > 60
            {
                return None;
            }
            let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
            LAST_HEAD.with(|last| last.set((head, secs)));
            secs
        }
    };
    let mut i = 19;
    let mut nanos: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let mut digits = 0;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            if digits < 9 {
                nanos = nanos * 10 + i64::from(d - b'0');
                digits += 1;
            }
            i += 1;
        }
        nanos *= 10_i64.pow(9 - digits);
    }
    let offset_secs = match b.get(i) {
        None | Some(b'Z') | Some(b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let h = num(i + 1..i + 3)?;
            let m = if b.get(i + 3) == Some(&b':') {
                num(i + 4..i + 6)?
            } else {
                num(i + 3..i + 5).unwrap_or(0)
            };
            let o = h * 3600 + m * 60;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    let secs = local_secs - offset_secs;
    // i64 nanoseconds span the years 1678-2262; a time outside them is not a time bkscope can use.
    secs.checked_mul(1_000_000_000)?
        .checked_add(nanos)
        .map(Timestamp)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
