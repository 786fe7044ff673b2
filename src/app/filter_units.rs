//! The numbers a filter's `dur` and `size` terms take: what the tables write (DUR `20ms`,
//! `1.2s`, `2m05s`, `~3s`; SIZE `512B`, `1.0K`, `1.5M`) and what people type (`0.005s`,
//! `1KiB`, `1KB`). A bare number is milliseconds or bytes. `K`, `KB` and `KiB` alike are 1024
//! bytes, as the SIZE column counts them. Fractions are exact (no float): `0.005s` is 5ms.
//! Each field's error names its units ([`expected`]).

/// What a `dur`, `size` or `status` term takes, for its error message.
pub fn expected(field: &str) -> &'static str {
    match field {
        "dur" | "duration" | "ms" => "a duration: 20 (milliseconds), 20ms, 0.005s, 1.2s, 2m05s, 1h",
        "size" | "bytes" => "a size: 512 (bytes), 512B, 1.5K, 1.0K, 1KiB, 1KB, 10M, 2G (K = 1024)",
        _ => "a number: 404, or 4xx, failed or err with = or !=",
    }
}

/// Milliseconds in `v`: one or more `<number><unit>` parts (`ms`, `s`, `m`, `h`), summed
/// (`2m05s`), or a bare number of milliseconds; a leading `~` (the DUR column's "about") is
/// read as the number after it.
pub fn millis(v: &str) -> Option<i64> {
    let v = v.strip_prefix('~').unwrap_or(v).to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    if let Some(n) = exact(&v, 1) {
        return Some(n);
    }
    let mut total: i64 = 0;
    let mut rest = v.as_str();
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&n| n > 0)?;
        let (num, after) = rest.split_at(n);
        let unit = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let scale = match &after[..unit] {
            "ms" => 1,
            "s" => 1000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total = total.checked_add(exact(num, scale)?)?;
        rest = &after[unit..];
    }
    Some(total)
}

/// Bytes in `v`: a number with no unit or `B`, or with `K`/`M`/`G`/`T` (also `KB`, `KiB`),
/// each 1024 times the one before.
pub fn bytes(v: &str) -> Option<i64> {
    let lower = v.to_ascii_lowercase();
    let s = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, scale) = match s.char_indices().last() {
        Some((i, c)) if !(c.is_ascii_digit() || c == '.') => {
            let power = "kmgt".find(c)? + 1;
            (&s[..i], 1024_i64.checked_pow(u32::try_from(power).ok()?)?)
        }
        // `1KiB` less `iB` is `1k`; `1iB` or `iB` alone is no size.
        _ if lower.ends_with("ib") => return None,
        _ => (s, 1),
    };
    exact(num, scale)
}

/// `num` (digits, at most one `.`) times `scale`, rounded to a whole number; `None` for
/// anything else or an overflow.
fn exact(num: &str, scale: i64) -> Option<i64> {
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || frac.len() > 9
    {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let den = 10_i128.pow(u32::try_from(frac.len()).ok()?);
    let frac: i128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let n = (whole.checked_mul(den)? + frac).checked_mul(i128::from(scale))?;
    i64::try_from((n + den / 2) / den).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_dur_column_and_people_write_them() {
        for (v, ms) in [
            ("20", 20),
            ("20ms", 20),
            ("0.005s", 5),
            ("1.2s", 1200),
            ("1.2S", 1200),
            ("2m05s", 125_000),
            ("~3s", 3000),
            ("1h", 3_600_000),
            (".5s", 500),
        ] {
            assert_eq!(millis(v), Some(ms), "{v}");
        }
        for v in [
            "",
            "~",
            "s",
            "1x",
            "1.2.3s",
            "-1s",
            "1e3",
            "ms5",
            "99999999999999999999h",
        ] {
            assert_eq!(millis(v), None, "{v}");
        }
    }

    #[test]
    fn sizes_as_the_size_column_and_people_write_them() {
        for (v, b) in [
            ("512", 512),
            ("512B", 512),
            ("1K", 1024),
            ("1.0K", 1024),
            ("1KiB", 1024),
            ("1kb", 1024),
            ("1.5M", 1_572_864),
            ("2G", 2 << 30),
            ("1T", 1 << 40),
        ] {
            assert_eq!(bytes(v), Some(b), "{v}");
        }
        for v in [
            "",
            "K",
            "iB",
            "1iB",
            "1X",
            "1.5.5K",
            "1KK",
            "-1K",
            "99999999999T",
        ] {
            assert_eq!(bytes(v), None, "{v}");
        }
    }
}
