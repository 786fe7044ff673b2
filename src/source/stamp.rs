//! A cheap sniff of a line's timestamp, used only to merge several sources by time.
//!
//! The source layer sits below `parse` and must not import it, so this is deliberately small:
//! an RFC 3339 time at the very start of the line (`docker logs -t`), else after `time="`
//! (logrus text and TTY-less output) or `"time":"` (logrus JSON) within the first
//! [`SNIFF_BYTES`] bytes. Anything else has no time here; the parser remains the authority on
//! what a line says.

/// How far into a line the sniff looks.
pub(crate) const SNIFF_BYTES: usize = 192;

/// Keys after which logrus writes its time, in the formats BuildKit uses.
const TIME_KEYS: [&[u8]; 2] = [b"time=\"", b"\"time\":\""];

/// The line's time as nanoseconds since the Unix epoch, if it carries one where expected.
pub(crate) fn sniff(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(t) = rfc3339(head) {
        return Some(t);
    }
    TIME_KEYS.iter().find_map(|key| {
        memchr::memmem::find(head, key).and_then(|i| rfc3339(&head[i + key.len()..]))
    })
}

/// The time `docker logs --timestamps` put before a line (`2026-12-01T07:09:42.754102020Z `):
/// nanoseconds since the epoch and the prefix's length with its space; `None` when the line
/// does not start with one.
pub(crate) fn docker_prefix(text: &str) -> Option<(i64, usize)> {
    let head = &text.as_bytes()[..text.len().min(48)];
    let space = memchr::memchr(b' ', head)?;
    // The whole first word must be the time (a bare `2026-12-01T07:09:42` followed by more
    // text with no space is no prefix).
    let word = &head[..space];
    let t = rfc3339(word)?;
    word.iter()
        .all(|c| c.is_ascii_digit() || b"-:.TZ+".contains(c))
        .then_some((t, space + 1))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH:MM]` at the start of `b`; no zone means UTC.
fn rfc3339(b: &[u8]) -> Option<i64> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0i64;
    if rest.first() == Some(&b'.') {
        let frac: Vec<u8> = rest[1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .copied()
            .collect();
        if frac.is_empty() {
            return None;
        }
        for i in 0..9 {
            nanos = nanos * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'));
        }
        rest = &rest[1 + frac.len()..];
    }
    let offset = match rest.first() {
        Some(sign @ (b'+' | b'-')) if rest.len() >= 6 && rest[3] == b':' => {
            let minutes = digits(&rest[1..3])? * 60 + digits(&rest[4..6])?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => 0,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
    secs.checked_mul(1_000_000_000)?.checked_add(nanos)
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i64 = 1_000_000_000;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(sniff("1970-01-01T00:00:00Z x"), Some(0));
        // 2024-03-01 is 19783 days after the epoch (leap year February passed).
        assert_eq!(
            sniff("2024-03-01T00:00:01Z"),
            Some((19_783 * 86_400 + 1) * SEC)
        );
    }

    #[test]
    fn docker_prefix_logrus_text_and_json_agree() {
        let t = sniff("2023-10-05T12:34:56.123456789Z time=\"ignored\"").unwrap();
        let text = sniff("time=\"2023-10-05T12:34:56.123456789Z\" level=debug msg=\"do request\"");
        let json =
            sniff(r#"{"level":"debug","msg":"x","time":"2023-10-05T14:34:56.123456789+02:00"}"#);
        assert_eq!(text, Some(t));
        assert_eq!(json, Some(t));
        assert_eq!(t % SEC, 123_456_789);
    }

    #[test]
    fn fractions_are_padded_and_extra_digits_ignored() {
        let a = sniff("2023-10-05T12:34:56.5Z").unwrap();
        let b = sniff("2023-10-05T12:34:56.5000000001Z").unwrap();
        assert_eq!(a % SEC, 500_000_000);
        assert_eq!(a, b);
    }

    #[test]
    fn lines_without_a_time_have_none() {
        for line in [
            "",
            "INFO[0001] resolving",
            "time=\"not a time\"",
            "2023-13-05T12:34:56Z month 13",
            "2023-10-05T12:34",
            "2023-10-05T1é:34:56Z",
        ] {
            assert_eq!(sniff(line), None, "{line:?}");
        }
    }

    #[test]
    fn a_docker_prefix_is_the_whole_first_word() {
        let line = "2026-12-01T07:09:42.754102020Z time=\"2026-11-24T13:08:35Z\" level=debug";
        let (t, len) = docker_prefix(line).unwrap();
        assert_eq!(&line[len..], "time=\"2026-11-24T13:08:35Z\" level=debug");
        assert_eq!(t % SEC, 754_102_020);
        assert_eq!(
            docker_prefix("2026-12-01T08:09:42.5+01:00 x").map(|p| p.0),
            Some(t - 254_102_020)
        );
        for no in [
            "",
            "hello world",
            "2026-12-01T07:09:42Zx y",
            "Error: No such container: x",
            "2026-12-01T07:09:42.754102020Z",
        ] {
            assert_eq!(docker_prefix(no), None, "{no:?}");
        }
    }

    #[test]
    fn time_beyond_the_sniff_window_is_not_seen() {
        let line = format!("{} time=\"2023-10-05T12:34:56Z\"", "x".repeat(SNIFF_BYTES));
        assert_eq!(sniff(&line), None);
    }
}
