//! Secret by name: which `name=value` words, query parameters and JSON keys hold a secret, and
//! how their values are masked. The rule is the secret headers' rule ([`super::is_secret_header`]):
//! a name is secret when it holds a credential word (`auth`, `token`, `secret`, `password`,
//! `passwd`, `key`, `cookie`, `credential`), in any case and wherever it stands in the name, with
//! `_` or `-` between its parts or none: `api_key`, `apiKey`, `X-Api-Key`, `private_token`,
//! `client_secret`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `"refresh_token"`. A signed url's
//! signature is secret by its exact name too ([`SIGNED_PARAMS`]: `sig`, `signature`,
//! `X-Amz-Signature`, `X-Goog-Signature`, and Docker Hub's Cloudflare `verify`).
//!
//! Kept readable, because the logs carry them and a reader needs them:
//! - `key` alone as a word or a JSON key: containerd's content store and snapshotter log the
//!   digest or snapshot they work on as `key="sha256:…"` (`"key":"…"` in JSON). As a query
//!   parameter (`?key=…`, `&key=…`) it is an API key (Google's) and masked.
//! - the [`READABLE_NAMES`], flags and types rather than secrets: `offline_token`
//!   (`offline_token=true` in every Docker Hub token request) and `token_type`
//!   (`"token_type":"Bearer"` in an OAuth2 token response).
//! - a name ending in `path`, `file` or `sock` ([`LOCATION_ENDS`]): where a secret is kept, not
//!   the secret (dockerd's `"deprecated-key-path":"…/key.json"`, the `MYSQL_PASSWORD_FILE=` of
//!   Docker secrets, `SSH_AUTH_SOCK=` beside a build's `--ssh`), which a reader debugging the
//!   setup needs.
//! - the challenges `www-authenticate` and `proxy-authenticate`, as for headers.
//!
//! A name is the whole run of `[A-Za-z0-9_-]` before the `=` (or between a JSON key's quotes):
//! a dotted logfmt key (`request.header.authorization=`) is a header field, masked by the header
//! rule; the run must start the text or follow a space, a quote, `?`, `&`, `;`, `(`, `,`, `{` or
//! `[` (`Env:[GITHUB_TOKEN=…]`), so a base64 value holding `key` (`md5=…key1…==`) is no name.

use std::borrow::Cow;

use super::{MASK, is_secret_header};

/// Query parameters secret by their exact name: a signed url's signature (lowercase, matched
/// ASCII case-insensitively). Names with a credential word need no entry.
pub(super) const SIGNED_PARAMS: &[&str] = &[
    "sig",
    "signature",
    "x-amz-signature",
    "x-goog-signature",
    // Docker Hub's blobs redirect to Cloudflare with a signed `?verify=<expiry>-<signature>`.
    "verify",
];

/// Names holding a credential word whose values are flags or types, not secrets.
pub(super) const READABLE_NAMES: &[&str] = &["offline_token", "token_type"];

/// How the name of a secret's location or kind ends (a path, a file, a socket; a url, an
/// endpoint, a server; a type or a name): the value says where the secret is, or which, or of
/// what kind (`token_url`, `auth_server`, `tokenEndpoint`, `auth_type`, `secretName`), what a
/// reader debugging auth needs, so it stays readable.
pub(super) const LOCATION_ENDS: &[&str] = &[
    "path", "file", "sock", "url", "uri", "endpoint", "server", "type", "name",
];

/// True when the value of `name` (a `name=value` word, a query parameter when `in_query`, or a
/// JSON key) must not be shown.
pub(super) fn is_secret_name(name: &str, in_query: bool) -> bool {
    if SIGNED_PARAMS.iter().any(|p| name.eq_ignore_ascii_case(p)) {
        return true;
    }
    if name.eq_ignore_ascii_case("key") {
        return in_query;
    }
    let location = LOCATION_ENDS.iter().any(|end| {
        name.len()
            .checked_sub(end.len())
            .and_then(|at| name.get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(end))
    });
    is_secret_header(name)
        && !location
        && !READABLE_NAMES.iter().any(|r| name.eq_ignore_ascii_case(r))
}

/// True for a content digest (`sha256:` and 64 hex digits, `sha512:` and 128), quoted or not:
/// content addressing, never a credential, whatever its name says (containerd's
/// `cacheKey="sha256:…"`, a `"key":"sha256:…"`).
pub(super) fn is_digest(value: &str) -> bool {
    let v = value.trim_matches(|c| c == '"' || c == '\'' || c == '\\');
    let hex = |h: &str, n: usize| h.len() == n && h.bytes().all(|b| b.is_ascii_hexdigit());
    match v.split_once(':') {
        Some(("sha256", h)) => hex(h, 64),
        Some(("sha512", h)) => hex(h, 128),
        _ => false,
    }
}

/// A byte of a name: `[A-Za-z0-9_-]`.
pub(super) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// What may stand before a `name=` (the [`PARAM`](super) pattern's lead): a space, a quote,
/// `?`, `&`, `;`, `(`, `,`, `{` or `[`.
pub(super) fn is_lead_byte(b: u8) -> bool {
    is_space(b)
        || matches!(
            b,
            b'?' | b'&' | b';' | b'"' | b'\'' | b'(' | b',' | b'{' | b'[' | b'#'
        )
}

/// ASCII whitespace as the patterns' `\s` sees it (with the vertical tab).
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The run of name bytes around `text[start..end]` (a credential word found there).
pub(super) fn name_run(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let before = text.get(..start).unwrap_or_default();
    let from = before
        .iter()
        .rposition(|&b| !is_name_byte(b))
        .map_or(0, |i| i + 1);
    let after = text.get(end..).unwrap_or_default();
    let to = end
        + after
            .iter()
            .position(|&b| !is_name_byte(b))
            .unwrap_or(after.len());
    (from, to)
}

/// True when the name run `text[from..to]` may be a secret's name to a pattern: the name of a
/// `name=` word (it starts the text or follows a lead byte, and `=` follows it), or a JSON key
/// (`"name": "` or `\"name\":\"`). A necessary condition for the [`PARAM`](super) and
/// [`JSON_SECRET`](super) patterns, not a sufficient one.
pub(super) fn may_be_secret_name(text: &[u8], from: usize, to: usize) -> bool {
    let lead = from.checked_sub(1).and_then(|i| text.get(i)).copied();
    let rest = text.get(to..).unwrap_or_default();
    if rest.first() == Some(&b'=') && lead.is_none_or(is_lead_byte) {
        return true;
    }
    lead == Some(b'"') && json_key_follows(rest)
}

/// True when `rest` (what follows a JSON key's name) is `"` or `\"`, a colon between spaces,
/// then an opening `"` or `\"`.
fn json_key_follows(rest: &[u8]) -> bool {
    let rest = rest.strip_prefix(b"\\").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(b"\"") else {
        return false;
    };
    let rest = skip_spaces(rest);
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let rest = skip_spaces(rest);
    let rest = rest.strip_prefix(b"\\").unwrap_or(rest);
    rest.first() == Some(&b'"')
}

fn skip_spaces(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|&c| !is_space(c)).unwrap_or(b.len());
    b.get(n..).unwrap_or_default()
}

/// [`PARAM`](super) over `s`: the value after every secret name's `=` masked ([`value_len`]
/// says where it ends), its quotes kept; borrowed when nothing was.
///
/// The pattern finds a name and its `=` (after a lead byte or at the start of the text); the
/// value is read here. A readable name's value is searched as a text of its own, from its
/// first byte (`key=api_token=…`: the value holds a secret name of its own), so the pattern
/// never consumes a value it does not mask and a long chain of readable names costs one pass.
pub(super) fn mask_params<'a>(re: &regex::Regex, s: &'a str) -> Cow<'a, str> {
    let mut out = String::new();
    // `s[..done]` is written to `out`; the next search starts at `at`, a text start to the
    // pattern's `^` (the start of a readable name's value, or the end of a masked one, whose
    // next byte is no name byte).
    let (mut done, mut at) = (0, 0);
    while let Some(c) = s.get(at..).and_then(|rest| re.captures(rest)) {
        let (Some(all), Some(lead), Some(name)) = (c.get(0), c.get(1), c.get(2)) else {
            break;
        };
        let value_at = at + all.end();
        let in_query = matches!(lead.as_str(), "?" | "&" | ";");
        // A readable name's value is not measured: that would walk it once per name before it.
        if !is_secret_name(name.as_str(), in_query) {
            at = value_at;
            continue;
        }
        let rest = s.get(value_at..).unwrap_or_default();
        let len = value_len(rest);
        if len == 0 {
            at = value_at;
            continue;
        }
        let value = rest.get(..len).unwrap_or_default();
        if is_digest(value) {
            at = value_at + len;
            continue;
        }
        out.push_str(s.get(done..value_at).unwrap_or_default());
        out.push_str(&masked(value));
        done = value_at + len;
        at = done;
    }
    if done == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(s.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

/// How many bytes of `rest` (what follows a name's `=`) are its value: `\"…`, `"…` or `'…`
/// up to the first space or quote (the closing quote with it), else a bare word up to a
/// space, `&`, `#`, a double quote or a backslash; a bare value of `=` alone is none (a base64
/// word's padding). 0 when there is no value.
pub(super) fn value_len(rest: &str) -> usize {
    let quoted = |open: &str, quote: char| -> usize {
        let Some(inner) = rest.strip_prefix(open) else {
            return 0;
        };
        let run = inner
            .find(|c: char| c == quote || c == '\\' || c.is_whitespace())
            .unwrap_or(inner.len());
        if run == 0 {
            return 0;
        }
        let closed = inner
            .get(run..)
            .is_some_and(|after| after.starts_with(open));
        open.len() + run + if closed { open.len() } else { 0 }
    };
    for (open, quote) in [("\\\"", '"'), ("\"", '"'), ("'", '\'')] {
        let n = quoted(open, quote);
        if n > 0 {
            return n;
        }
    }
    let stop = |c: char| matches!(c, '&' | '#' | '"' | '\\') || c.is_whitespace();
    let pad = rest.len() - rest.trim_start_matches('=').len();
    let word = rest.get(pad..).unwrap_or_default();
    match word.chars().next() {
        Some(c) if !stop(c) => pad + word.find(stop).unwrap_or(word.len()),
        _ => 0,
    }
}

/// A value as it may be shown: [`MASK`] in the value's quotes (the closing one only when the
/// value had it).
fn masked(value: &str) -> String {
    let open = ["\\\"", "\"", "'"]
        .into_iter()
        .find(|q| value.starts_with(q))
        .unwrap_or("");
    let close = if !open.is_empty() && value.len() > 2 * open.len() && value.ends_with(open) {
        open
    } else {
        ""
    };
    format!("{open}{MASK}{close}")
}

/// `"name":"value` (the [`JSON_SECRET`](super) pattern: everything up to the value, the name, the
/// value): the value masked when the name is secret.
pub(super) fn mask_json_key(c: &regex::Captures<'_>) -> String {
    let value = c[0].get(c[1].len()..).unwrap_or_default();
    if is_secret_name(&c[2], false) && !is_digest(value) {
        format!("{}{MASK}", &c[1])
    } else {
        c[0].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_credential_word_and_their_exceptions() {
        for secret in [
            "api_key",
            "apikey",
            "apiKey",
            "api-key",
            "access_key",
            "private_token",
            "client_secret",
            "refresh_token",
            "id_token",
            "auth",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "DB_PASSWORD",
            "x-amz-credential",
            "X-Amz-Signature",
            "sig",
            "verify",
        ] {
            assert!(is_secret_name(secret, false), "{secret}");
            assert!(is_secret_name(secret, true), "{secret}");
        }
        for readable in [
            "key",
            "offline_token",
            "Token_Type",
            "www-authenticate",
            "scope",
            "service",
            "digest",
            "ns",
            "grant_type",
            "client_id",
            "signed",
            "deprecated-key-path",
            "MYSQL_PASSWORD_FILE",
            "tls_key_file",
            "SSH_AUTH_SOCK",
        ] {
            assert!(!is_secret_name(readable, false), "{readable}");
        }
        assert!(is_secret_name("key", true));
        assert!(is_secret_name("KEY", true));
        assert!(!is_secret_name("offline_token", true));
    }

    #[test]
    fn name_runs_and_what_follows_them() {
        let t = b"x=1 api_key=v md5=abkey1==";
        let (from, to) = name_run(t, 8, 11);
        assert_eq!(&t[from..to], b"api_key");
        assert!(may_be_secret_name(t, from, to));
        // A base64 value holding `key` follows `=`: no name.
        let at = t.windows(3).rposition(|w| w == b"key").unwrap_or(0);
        let (from, to) = name_run(t, at, at + 3);
        assert_eq!(&t[from..to], b"abkey1");
        assert!(!may_be_secret_name(t, from, to));
        let j = br#"{\"refresh_token\": \"v\"}"#;
        let (from, to) = name_run(j, 11, 16);
        assert_eq!(&j[from..to], b"refresh_token");
        assert!(may_be_secret_name(j, from, to));
        assert!(!may_be_secret_name(br#""token","x""#, 1, 6));
        assert!(may_be_secret_name(b"token=", 0, 5));
    }

    #[test]
    fn values_end_where_the_pattern_ended_them() {
        for (rest, len) in [
            ("abc&x=1", 3),
            ("abc def", 3),
            ("abc\\\" x", 3),
            ("=abc==", 6),
            ("==", 0),
            ("", 0),
            ("&x", 0),
            ("\\\"q1\\\" x", 6),
            ("\\\"q3 q4\\\"", 4),
            ("\\\"\\\"", 0),
            ("\"q\" x", 3),
            ("\"q r\"", 2),
            ("\" user=bob", 0),
            ("'q'x", 3),
            ("''x", 3),
            ("ab\u{a0}c", 2),
        ] {
            assert_eq!(value_len(rest), len, "{rest:?}");
        }
    }
}
