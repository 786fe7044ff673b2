//! Secrets scrubbed before anything leaves the model: `Authorization`-like headers, tokens and
//! passwords in URLs, bearer/basic credentials and `docker login` config blobs in free text.
//!
//! Pure string rewriting. Every output (TUI, `summary`, `events --json`, exports) goes through
//! the model, so redaction happens once, here, unless the user opts out with `--no-redact`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

mod memo;
mod prefilter;
mod scrub;

pub use scrub::Scrub;

use prefilter::{NEEDS, Pass, WORDS, WORDS_LOWER, inert, might_hold_secret, needs};

/// What replaces a secret.
pub const MASK: &str = "REDACTED";

/// Header names whose values are secrets (lowercase).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-registry-auth",
    "x-registry-config",
    "x-amz-security-token",
];

/// Query parameters whose values are secrets (lowercase).
const SECRET_PARAMS: &[&str] = &[
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "password",
    "passwd",
    "secret",
    "client_secret",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-credential",
    "sig",
    "signature",
    "x-goog-signature",
    "x-goog-credential",
];

/// True when a header's value must not be shown.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// The header value as it may be shown.
pub fn header_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_secret_header(name) {
        // Keep the scheme word: "Bearer REDACTED" still tells what was sent.
        match value.split_once(' ') {
            Some((scheme, _))
                if scheme.len() < 16 && scheme.chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                Cow::Owned(format!("{scheme} {MASK}"))
            }
            _ => Cow::Borrowed(MASK),
        }
    } else {
        text(value)
    }
}

/// One pattern and what its match becomes, compiled the first time a text may match it: most
/// runs need few of them (a log without a url password never compiles `userinfo`), and each
/// takes a millisecond or two. `None` only if it failed to compile, which a test rules out; the
/// text is then masked whole. (`HEADER_FIELD`'s replacement is made by [`mask_header_field`].)
type Pattern = LazyLock<Option<(Regex, String)>>;

/// `re` compiled, with `replacement`.
fn pattern(re: &str, replacement: String) -> Option<(Regex, String)> {
    Some((Regex::new(re).ok()?, replacement))
}

// A secret header as a field of a raw line: `request.header.cookie="…"` or
// `response.header.set-cookie=…` (logfmt), `"request.header.authorization":"…"` (JSON). The
// value is what `header_value` would show (a cookie has no scheme word for the other patterns
// to find: the TUI's raw view showed `set-cookie` values).
static HEADER_FIELD: Pattern = LazyLock::new(|| {
    let headers = SECRET_HEADERS.join("|");
    pattern(
        &format!(
            r#"(?i)(\b(?:request|response)\.header\.(?:{headers})(?:=|"\s*:\s*))("(?:[^"\\]|\\.)*"|[^\s"\\]+)"#
        ),
        String::new(),
    )
});
// scheme://user:pass@host → scheme://REDACTED@host
static USERINFO: Pattern = LazyLock::new(|| {
    pattern(
        r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@:]+:[^/\s@]*@",
        format!("${{1}}{MASK}@"),
    )
});
// ?token=…&password=… in urls, and `password=…` as a word in plain text (an error text, a
// pasted curl); the value stops before a quote or backslash so the quoting of a raw logfmt
// line survives.
static PARAM: Pattern = LazyLock::new(|| {
    let params = SECRET_PARAMS.join("|");
    pattern(
        &format!(r#"(?i)((?:^|[?&;\s"'(,{{])(?:{params})=)[^&\s#"\\]+"#),
        format!("${{1}}{MASK}"),
    )
});
// Bearer xxx / Basic xxx as in error texts and Go map dumps: the whole word after the scheme,
// up to a space, quote, backslash, bracket, comma or semicolon (a token cut at an inner `=`
// left its tail visible: fuzz finding redact_sanitize-bearer-inner-equals).
static SCHEME_CRED: Pattern = LazyLock::new(|| {
    pattern(
        r#"(?i)\b(Bearer|Basic)\s+[^\s"'\\\]),;]{8,}"#,
        format!("$1 {MASK}"),
    )
});
// request.headers="map[Authorization:[Bearer …]]" (containerd < 1.4)
static HEADER_MAP: Pattern = LazyLock::new(|| {
    pattern(
        r"(?i)((?:Proxy-)?Authorization|Cookie|Set-Cookie|X-Registry-Auth):\[[^\]]*\]",
        format!("$1:[{MASK}]"),
    )
});
// `X-Registry-Auth: eyJ…` written out in an error text; the value stops at `&` too, so a url's
// `?X-Amz-Security-Token=…&ns=docker.io` keeps its parameters after it (`ns=` is the mirror's
// mark).
static HEADER_TEXT: Pattern = LazyLock::new(|| {
    pattern(
        r#"(?i)\b((?:X-Registry-Auth|X-Registry-Config|X-Amz-Security-Token)\s*[:=]\s*)[^\s"'\\\[\],&]+"#,
        format!("${{1}}{MASK}"),
    )
});
// a JSON Web Token standing alone in a text ("token eyJ….eyJ….sig is expired")
static JWT: Pattern = LazyLock::new(|| {
    pattern(
        r"\beyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*",
        MASK.to_owned(),
    )
});
// docker config blobs: "auth":"base64", "password":"x", "identitytoken":"x"
static JSON_SECRET: Pattern = LazyLock::new(|| {
    pattern(
        r#"(?i)(\\?"(?:auth|password|identitytoken|registrytoken|secret|token|access_token)\\?"\s*:\s*\\?")[^"\\]*"#,
        format!("${{1}}{MASK}"),
    )
});

/// Every pattern with the pass that runs it, in the order [`scrub_with`] runs them.
const PASSES: [(Pass, &Pattern); 8] = [
    (Pass::HeaderField, &HEADER_FIELD),
    (Pass::HeaderMap, &HEADER_MAP),
    (Pass::SchemeCred, &SCHEME_CRED),
    (Pass::Userinfo, &USERINFO),
    (Pass::Param, &PARAM),
    (Pass::JsonSecret, &JSON_SECRET),
    (Pass::HeaderText, &HEADER_TEXT),
    (Pass::Jwt, &JWT),
];

/// Builds the word searchers now rather than at their first use, so a thread with time to
/// spare pays for it (`summary` does it while the log is read): every value checked needs
/// them. The patterns are compiled one by one when a text first may match them.
pub fn warm_up() {
    LazyLock::force(&WORDS_LOWER);
    LazyLock::force(&NEEDS);
    LazyLock::force(&WORDS);
}

/// Scrubs secrets out of a free text (an error message, a raw line, a url).
///
/// A text the patterns leave as it is is remembered as clean like one the pre-check passes: a
/// 401's `www-authenticate` (`Bearer realm="…",scope="…"`) names a scheme word, so only the
/// full passes can clear it, and it repeats on every retry.
pub fn text(s: &str) -> Cow<'_, str> {
    if inert(s) {
        return Cow::Borrowed(s);
    }
    let mut scrubbed = None;
    let clean = memo::is_clean(s, |_| {
        if !might_hold_secret(s) {
            return true;
        }
        let out = scrub(s);
        let unchanged = matches!(out, Cow::Borrowed(_));
        scrubbed = Some(out);
        unchanged
    });
    if clean {
        return Cow::Borrowed(s);
    }
    scrubbed.unwrap_or_else(|| scrub(s))
}

/// Every pattern over `s`, until nothing changes; borrowed when nothing did.
fn scrub(s: &str) -> Cow<'_, str> {
    scrub_with(s, needs)
}

/// [`scrub`](fn@scrub), running only the patterns `may_match` says may match (a [`needs`] mask).
fn scrub_with(s: &str, may_match: fn(&str) -> u8) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(s);
    // A later pattern can uncover a match for an earlier one (a masked JSON value no longer
    // stops a url's `user:pass@`): repeat until nothing changes, which takes two rounds at most
    // on real text (fuzz finding redact_sanitize-second-pass-userinfo).
    for _ in 0..4 {
        let mut changed = false;
        let need = may_match(&out);
        for (pass, pattern) in PASSES {
            if need & (1 << pass as u8) == 0 {
                continue;
            }
            let Some((re, with)) = pattern.as_ref() else {
                return Cow::Owned(MASK.to_owned());
            };
            let new = match pass {
                Pass::HeaderField => re.replace_all(&out, mask_header_field),
                _ => re.replace_all(&out, with.as_str()),
            };
            if let Cow::Owned(new) = new
                && new != *out
            {
                out = Cow::Owned(new);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// `request.header.<secret>=<value>`: the value as [`header_value`] shows it, quotes kept.
fn mask_header_field(c: &regex::Captures<'_>) -> String {
    let value = &c[2];
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    let shown = header_value("authorization", inner);
    if inner.len() == value.len() {
        format!("{}{shown}", &c[1])
    } else {
        format!("{}\"{shown}\"", &c[1])
    }
}

#[cfg(test)]
mod tests;
