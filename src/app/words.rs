//! Counted nouns for headers, status messages and reports: `1 event`, `2 events`, with a verb
//! that agrees when the words carry one (`1 event matches`, `6 events match`); durations as
//! precisely as the log's timestamps say them (`12ms`, `<1s`, `~3s`, `+0` at a trace's very
//! start), the same in the views,
//! the `x` export and `summary`; byte sizes and error rates as the Mirrors view's hosts table
//! writes them, there and in its `x` report; the lines a grouped finding stands for.

use std::fmt::Display;

use crate::parse::Timestamp;

/// `n` and `one` when it is 1, else `n` and `many`: `count(1, "span", "spans")` is `1 span`.
pub fn count<N: Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let words = if n == N::from(1) { one } else { many };
    format!("{n} {words}")
}

/// Milliseconds, compact: `12ms`, `3.4s`, `2m05s`.
pub fn millis(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        format!("{}m{:02}s", ms / 60_000, ms / 1000 % 60)
    }
}

/// The time from `a` to `b` as precisely as the log says it: [`millis`] when a time carries a
/// fraction of a second; between two whole-second times (buildkitd's default timestamps)
/// `<1s` for the same second, else `~Ns`, never a `0ms` the log cannot know.
pub fn between(a: Timestamp, b: Timestamp) -> String {
    duration(
        a.millis_until(b),
        a.is_whole_second() && b.is_whole_second(),
    )
}

/// `ms` as [`between`] words it: [`millis`], or `<1s` / `~Ns` when both times were whole
/// seconds (`whole_seconds`).
pub fn duration(ms: i64, whole_seconds: bool) -> String {
    match (whole_seconds, ms) {
        (false, _) => millis(ms),
        (true, 0) => "<1s".to_owned(),
        (true, _) => format!("~{}s", ms / 1000),
    }
}

/// `at` after `start`, as [`between`] words it, with a `+` (`+12ms`, `+<1s`, `+~3s`).
pub fn after(start: Timestamp, at: Timestamp) -> String {
    format!("+{}", between(start, at))
}

/// The START cell of a waterfall row: `at` after `start` ([`after`]), but `+0` on the row that
/// is the trace's start itself (`is_start`: its first request, and the span that opens with
/// it) where the log has whole seconds: there `+<1s` read as an offset the log could not
/// time, where it is zero by definition. The other rows of that second keep `+<1s`.
pub fn offset(start: Timestamp, at: Timestamp, is_start: bool) -> String {
    if is_start && at == start && start.is_whole_second() {
        "+0".to_owned()
    } else {
        after(start, at)
    }
}

/// `b` in its largest binary unit of at most a thousand and twenty-four: the value and the
/// unit's index (0 bytes, 1 KiB, … 4 TiB), for [`bytes`] and [`human_bytes`].
pub fn scaled_bytes(b: u64) -> (f64, usize) {
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u < 4 {
        v /= 1024.0;
        u += 1;
    }
    (v, u)
}

/// `1536` → `1.5 KiB`, `0` → `0 B`: the reports' form (`summary`, text and Markdown, and
/// the explorer's `x` reports), one formatter for all of them.
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (v, u) = scaled_bytes(b);
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// `1536` → `1.5K`, compact for the views' columns.
pub fn bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "K", "M", "G", "T"];
    let (v, u) = scaled_bytes(b);
    if u == 0 {
        format!("{b}B")
    } else if v < 10.0 {
        format!("{v:.1}{}", UNITS[u])
    } else {
        format!("{v:.0}{}", UNITS[u])
    }
}

/// A host's share of failed requests, rounded, but never `0%` with an error nor `100%`
/// with a success among them: `<1%`, `>99%`.
pub fn error_rate(errors: u64, requests: u64) -> String {
    let Some(rate) = (errors * 100 + requests / 2).checked_div(requests) else {
        return if errors > 0 { "?".into() } else { "–".into() };
    };
    match rate {
        0 if errors > 0 => "<1%".into(),
        100.. if errors < requests => ">99%".into(),
        r => format!("{r}%"),
    }
}

/// `line 4`, `lines 4, 6, 8`, `lines 4, 6, 8 … (12 in all)`: the lines a grouped finding or
/// diagnosis stands for, as `summary` and the trace `x` report list them.
pub fn lines_label(lines: &[u64]) -> String {
    match lines {
        [one] => format!("line {one}"),
        _ if lines.len() <= 4 => format!(
            "lines {}",
            lines
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!(
            "lines {} … ({} in all)",
            lines[..3]
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            lines.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(
            count(1_usize, "event matches", "events match"),
            "1 event matches"
        );
        assert_eq!(
            count(6_usize, "event matches", "events match"),
            "6 events match"
        );
        assert_eq!(count(0_u64, "fallback", "fallbacks"), "0 fallbacks");
        assert_eq!(count(1_u32, "span", "spans"), "1 span");
    }

    #[test]
    fn only_the_start_itself_is_plus_0_and_only_on_whole_seconds() {
        let t = |s: &str| crate::parse::parse_rfc3339(s).expect("a time");
        // seed/mirror_gcr.log: its three requests all at 17:47:48Z.
        let whole = t("2022-02-06T17:47:48Z");
        assert_eq!(offset(whole, whole, true), "+0");
        assert_eq!(offset(whole, whole, false), "+<1s");
        assert_eq!(offset(whole, t("2022-02-06T17:47:50Z"), false), "+~2s");
        // With fractions the offset is known: the start reads `+0ms` as before.
        let ms = t("2026-11-24T13:08:54.254309228Z");
        assert_eq!(offset(ms, ms, true), "+0ms");
        assert_eq!(
            offset(ms, t("2026-11-24T13:08:54.303699422Z"), false),
            "+49ms"
        );
    }
}
