//! Prefixes that logs pick up on the way to the user, stripped before the logrus part is parsed:
//! `docker logs -t` and CI step timestamps (RFC 3339), journald (`Feb  6 17:47:48 host dockerd[812]: `,
//! month possibly localised), `kubectl logs --prefix` (`[pod/name/container] `), `cat -n` line
//! numbers, Go test harness (`sandbox.go:263: `) and leading indentation.
//!
//! Pure: returns slices of the line.

use std::sync::LazyLock;

use regex::Regex;

use super::fields::parse_rfc3339;

static JOURNALD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\p{L}{3,5}\.?\s{1,2}\d{1,2} \d{2}:\d{2}:\d{2} \S+ [\w.\-/@]+(?:\[\d+\])?: ").ok()
});
static GO_TEST: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[\w\-]+\.go:\d+: ").ok());

/// Splits a line into the time of a timestamp prefix (if any) and the body after all prefixes.
pub(super) fn strip(line: &str) -> (Option<&str>, &str) {
    let mut body = line;
    let mut time = None;
    for _ in 0..6 {
        body = body.trim_start_matches([' ', '\t']);
        if looks_like_body(body) {
            break;
        }
        if let Some(rest) = strip_line_number(body) {
            body = rest;
        } else if let Some((t, rest)) = strip_timestamp(body) {
            time.get_or_insert(t);
            body = rest;
        } else if let Some(rest) = strip_kubectl(body) {
            body = rest;
        } else if let Some(m) = JOURNALD.as_ref().and_then(|re| re.find(body)) {
            body = &body[m.end()..];
        } else if let Some(m) = GO_TEST.as_ref().and_then(|re| re.find(body)) {
            body = &body[m.end()..];
        } else {
            break;
        }
    }
    (time, body)
}

fn looks_like_body(s: &str) -> bool {
    s.starts_with("time=") || s.starts_with("level=") || s.starts_with('{') || s.starts_with('\x1b')
}

/// `cat -n`: spaces, digits, a tab.
fn strip_line_number(s: &str) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && s.as_bytes().get(digits) == Some(&b'\t')).then(|| &s[digits + 1..])
}

/// An RFC 3339 token followed by a space.
fn strip_timestamp(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    if b.len() < 20 || !b[0].is_ascii_digit() || b[4] != b'-' {
        return None;
    }
    let end = s.find(' ')?;
    let token = &s[..end];
    parse_rfc3339(token)?;
    Some((token, &s[end + 1..]))
}

/// `[pod/name/container] `.
fn strip_kubectl(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("[pod/")?;
    let close = rest.find("] ")?;
    Some(&rest[close + 2..])
}
