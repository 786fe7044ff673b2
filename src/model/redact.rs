//! Secrets scrubbed before anything leaves the model: `Authorization`-like headers, tokens and
//! passwords in URLs, bearer/basic credentials and `docker login` config blobs in free text.
//!
//! Pure string rewriting. Every output (TUI, `summary`, `events --json`, exports) goes through
//! the model, so redaction happens once, here, unless the user opts out with `--no-redact`.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

mod memo;
mod scrub;

pub use scrub::Scrub;

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

struct Patterns {
    header_field: Regex,
    userinfo: Regex,
    param: Regex,
    scheme_cred: Regex,
    header_map: Regex,
    header_text: Regex,
    json_secret: Regex,
    jwt: Regex,
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    let params = SECRET_PARAMS.join("|");
    let headers = SECRET_HEADERS.join("|");
    Some(Patterns {
        // A secret header as a field of a raw line: `request.header.cookie="…"` or
        // `response.header.set-cookie=…` (logfmt), `"request.header.authorization":"…"` (JSON).
        // The value is what `header_value` would show (a cookie has no scheme word for the
        // other patterns to find: the TUI's raw view showed `set-cookie` values).
        header_field: Regex::new(&format!(
            r#"(?i)(\b(?:request|response)\.header\.(?:{headers})(?:=|"\s*:\s*))("(?:[^"\\]|\\.)*"|[^\s"\\]+)"#
        ))
        .ok()?,
        // scheme://user:pass@host → scheme://REDACTED@host
        userinfo: Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@:]+:[^/\s@]*@").ok()?,
        // ?token=…&password=… in urls, and `password=…` as a word in plain text (an error
        // text, a pasted curl); the value stops before a quote or backslash so the quoting of
        // a raw logfmt line survives.
        param: Regex::new(&format!(
            r#"(?i)((?:^|[?&;\s"'(,{{])(?:{params})=)[^&\s#"\\]+"#
        ))
        .ok()?,
        // Bearer xxx / Basic xxx as in error texts and Go map dumps: the whole word after the
        // scheme, up to a space, quote, backslash, bracket, comma or semicolon (a token cut at
        // an inner `=` left its tail visible: fuzz finding redact_sanitize-bearer-inner-equals).
        scheme_cred: Regex::new(r#"(?i)\b(Bearer|Basic)\s+[^\s"'\\\]),;]{8,}"#).ok()?,
        // request.headers="map[Authorization:[Bearer …]]" (containerd < 1.4)
        header_map: Regex::new(r"(?i)((?:Proxy-)?Authorization|Cookie|Set-Cookie|X-Registry-Auth):\[[^\]]*\]").ok()?,
        // `X-Registry-Auth: eyJ…` written out in an error text
        header_text: Regex::new(r#"(?i)\b((?:X-Registry-Auth|X-Registry-Config|X-Amz-Security-Token)\s*[:=]\s*)[^\s"'\\\[\],]+"#).ok()?,
        // a JSON Web Token standing alone in a text ("token eyJ….eyJ….sig is expired")
        jwt: Regex::new(r"\beyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*").ok()?,
        // docker config blobs: "auth":"base64", "password":"x", "identitytoken":"x"
        json_secret: Regex::new(r#"(?i)(\\?"(?:auth|password|identitytoken|registrytoken|secret|token|access_token)\\?"\s*:\s*\\?")[^"\\]*"#).ok()?,
    })
});

/// Compiles the patterns now rather than at their first use, so a thread with time to spare
/// pays for it (`summary` does it while the log is read; it takes some 5 ms).
pub fn warm_up() {
    // The word searchers first: every value checked needs them, while the patterns are
    // needed only for the few that may hold a secret.
    LazyLock::force(&WORDS_LOWER);
    LazyLock::force(&NEEDS);
    LazyLock::force(&WORDS);
    LazyLock::force(&REPLACEMENTS);
    LazyLock::force(&PATTERNS);
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

/// [`scrub`], running only the patterns `may_match` says may match (a [`needs`] mask).
fn scrub_with(s: &str, may_match: fn(&str) -> u8) -> Cow<'_, str> {
    let (Some(p), Some(with)) = (PATTERNS.as_ref(), REPLACEMENTS.as_ref()) else {
        return Cow::Owned(MASK.to_owned());
    };
    let passes = [
        (Pass::HeaderMap, &p.header_map, &with.header_map),
        (Pass::SchemeCred, &p.scheme_cred, &with.scheme_cred),
        (Pass::Userinfo, &p.userinfo, &with.userinfo),
        (Pass::Param, &p.param, &with.param),
        (Pass::JsonSecret, &p.json_secret, &with.json_secret),
        (Pass::HeaderText, &p.header_text, &with.header_text),
        (Pass::Jwt, &p.jwt, &with.jwt),
    ];
    let mut out = Cow::Borrowed(s);
    // A later pattern can uncover a match for an earlier one (a masked JSON value no longer
    // stops a url's `user:pass@`): repeat until nothing changes, which takes two rounds at most
    // on real text (fuzz finding redact_sanitize-second-pass-userinfo).
    for _ in 0..4 {
        let mut changed = false;
        let need = may_match(&out);
        let needed = |pass: Pass| need & (1 << pass as u8) != 0;
        if needed(Pass::HeaderField)
            && let Cow::Owned(new) = p.header_field.replace_all(&out, mask_header_field)
            && new != *out
        {
            out = Cow::Owned(new);
            changed = true;
        }
        for (pass, re, rep) in &passes {
            if needed(*pass)
                && let Cow::Owned(new) = re.replace_all(&out, rep.as_str())
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

/// The patterns of [`scrub`], as bits of a [`needs`] mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    HeaderField,
    HeaderMap,
    SchemeCred,
    Userinfo,
    Param,
    JsonSecret,
    HeaderText,
    Jwt,
}

/// Every pass.
const ALL_PASSES: u8 = u8::MAX;

/// Which patterns may match `s` (bit `Pass as u8` for each): those whose required words occur
/// in it, so a line of many `response.header.*` fields is not searched by eight patterns in
/// turn (`header_field`'s `.header.` search went back and forth across the line at every
/// field; docs/performance.md, "Redacting whole lines"). Every pattern needs its words:
/// `.header.` and a secret header's name; `:[`; `bearer` or `basic`; `://` and `@`; a secret
/// parameter's name and `=`; a JSON word and its closing quote; a secret header's name written
/// out; `eyj` (the jwt pattern needs `eyJ`, which this finds too). The words are ASCII, found
/// ASCII case folded as the patterns' `(?i)` folds ASCII text; a text that is not ASCII may
/// match through the folds of `ſ` or the Kelvin sign, so it needs every pattern.
fn needs(s: &str) -> u8 {
    if !s.is_ascii() {
        return ALL_PASSES;
    }
    let Some(words) = NEEDS.as_ref() else {
        return ALL_PASSES;
    };
    // userinfo needs `://` and an `@` after it: one in every url, the other rare, so they are
    // not words (the walk would run for every url).
    let b = s.as_bytes();
    let mut need = 0u8;
    if memchr::memchr(b'@', b).is_some() && memchr::memmem::find(b, b"://").is_some() {
        need |= 1 << Pass::Userinfo as u8;
    }
    // Most lines hold none of the words: a SIMD search of a lowercased copy says so at a
    // fraction of the walk's cost, and only a line that has one is walked. A short text (a
    // header value, a url) is walked at once: there the copy and the search cost more than
    // they save (3 % more instructions on `summary`'s reader thread).
    if s.len() > LOWERED_MAX
        && words
            .any
            .as_ref()
            .is_some_and(|any| !any_in_lowered(any, s))
    {
        return need;
    }
    for m in words.which.find_overlapping_iter(s) {
        if let Some(pass) = words.pass_of.get(m.pattern().as_usize()) {
            need |= 1 << *pass as u8;
        }
    }
    need
}

/// True when `s`, lowercased, holds a word of `any` or `:[`; true also when the thread's
/// buffer is not at hand (then the walk decides).
fn any_in_lowered(any: &aho_corasick::packed::Searcher, s: &str) -> bool {
    with_lowered(s.as_bytes(), |lower| holds_a_word(lower, any)).unwrap_or(true)
}

/// True when lowercased text holds a word of `any` (a SIMD searcher built without `:[`) or
/// `:[`, the one two-byte word, searched apart: with it the SIMD searcher compares fewer bytes
/// a position and stops at far more places in a url.
fn holds_a_word(lower: &[u8], any: &aho_corasick::packed::Searcher) -> bool {
    any.find(lower).is_some()
        || memchr::memmem::find(lower, WORD_TEXT[Word::MapOpen as usize].as_bytes()).is_some()
}

/// `f` of `text` lowercased (ASCII), in a buffer the thread keeps; `None` when the buffer is
/// not at hand (the thread is ending, or `f` itself asked for it).
fn with_lowered<R>(text: &[u8], f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    thread_local! {
        static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LOWERED
        .try_with(|buf| {
            let mut buf = buf.try_borrow_mut().ok()?;
            buf.clear();
            buf.extend_from_slice(text);
            buf.make_ascii_lowercase();
            let r = f(&buf);
            // A very long line once must not keep its buffer for the thread's life.
            if buf.capacity() > 64 * 1024 {
                *buf = Vec::new();
            }
            Some(r)
        })
        .ok()
        .flatten()
}

/// [`needs`]'s words: a case-sensitive SIMD searcher for lowercased text that says whether any
/// occurs (none when the CPU has no such searcher), the automaton that says which, and the
/// pattern each word is needed by.
struct NeedWords {
    any: Option<aho_corasick::packed::Searcher>,
    which: AhoCorasick,
    pass_of: Vec<Pass>,
}

/// The words of [`needs`], each with the pattern that needs it.
static NEEDS: LazyLock<Option<NeedWords>> = LazyLock::new(|| {
    let mut words: Vec<(String, Pass)> = Vec::new();
    for h in SECRET_HEADERS {
        words.push((format!(".header.{h}"), Pass::HeaderField));
    }
    words.push((":[".to_owned(), Pass::HeaderMap));
    for w in ["bearer", "basic"] {
        words.push((w.to_owned(), Pass::SchemeCred));
    }
    for p in SECRET_PARAMS {
        words.push((format!("{p}="), Pass::Param));
    }
    // Every JSON key json_secret names ends in one of these, then `"` or `\"`.
    for w in ["auth", "password", "token", "secret"] {
        words.push((format!("{w}\""), Pass::JsonSecret));
        words.push((format!("{w}\\\""), Pass::JsonSecret));
    }
    for h in [
        "x-registry-auth",
        "x-registry-config",
        "x-amz-security-token",
    ] {
        words.push((h.to_owned(), Pass::HeaderText));
    }
    words.push(("eyj".to_owned(), Pass::Jwt));
    let which = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(words.iter().map(|(w, _)| w))
        .ok()?;
    let any = aho_corasick::packed::Config::new()
        .builder()
        .extend(
            words
                .iter()
                .filter(|(w, _)| w != ":[")
                .map(|(w, _)| w.to_ascii_lowercase()),
        )
        .build();
    Some(NeedWords {
        any,
        which,
        pass_of: words.into_iter().map(|(_, p)| p).collect(),
    })
});

/// What each pattern's match becomes (`header_field`'s is [`mask_header_field`]), made once.
struct Replacements {
    header_map: String,
    scheme_cred: String,
    userinfo: String,
    param: String,
    json_secret: String,
    header_text: String,
    jwt: String,
}

static REPLACEMENTS: LazyLock<Option<Replacements>> = LazyLock::new(|| {
    Some(Replacements {
        header_map: format!("$1:[{MASK}]"),
        scheme_cred: format!("$1 {MASK}"),
        userinfo: format!("${{1}}{MASK}@"),
        param: format!("${{1}}{MASK}"),
        json_secret: format!("${{1}}{MASK}"),
        header_text: format!("${{1}}{MASK}"),
        jwt: MASK.to_owned(),
    })
});

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

/// True for ASCII text without a letter or a colon (a `content-length`, a date's digits): every
/// pattern needs one of those, and every word [`could_match`] looks for holds one. Such values
/// are unique per response, so the memo would only churn on them.
fn inert(s: &str) -> bool {
    !s.bytes()
        .any(|c| c.is_ascii_alphabetic() || c == b':' || !c.is_ascii())
}

/// Cheap pre-check so clean lines are not run through the regexes: a necessary condition for
/// at least one pattern to match (so most values with a `=`, such as `max-age=3600`,
/// `crc32c=…` or `?ns=docker.io`, skip them), and the historical test, kept as it was so
/// outputs do not change.
fn might_hold_secret(s: &str) -> bool {
    if !could_match(s) {
        return false;
    }
    let b = s.as_bytes();
    memchr::memchr(b'@', b).is_some()
        || memchr::memchr(b'=', b).is_some()
        || memchr::memmem::find(b, b"earer").is_some()
        || memchr::memmem::find(b, b"EARER").is_some()
        || memchr::memmem::find(b, b"eyJ").is_some()
        || memchr::memmem::find(b, b"-Auth").is_some()
        || memchr::memmem::find(b, b"-auth").is_some()
        || memchr::memmem::find(b, b"asic ").is_some()
        || memchr::memmem::find(b, b"\":").is_some()
        || memchr::memmem::find(b, b"uthorization").is_some()
        || memchr::memmem::find(b, b"UTHORIZATION").is_some()
        || memchr::memmem::find(b, b"ookie").is_some()
}

/// True unless no pattern can match: `(?i)` folds a few non-ASCII letters onto ASCII ones
/// (`ſ` on `s`, the Kelvin sign on `k`), so any non-ASCII text counts as a possible match.
///
/// One Aho-Corasick pass (ASCII case-insensitive) finds which of the patterns' required words
/// occur; a dozen `memchr` scans per header value, one per word, were a tenth of `summary`.
fn could_match(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.is_ascii() {
        return true;
    }
    let Some(words) = WORDS.as_ref() else {
        return true;
    };
    // Most texts hold none of the words: one plain search says so, and only a text that has
    // one pays for the overlapping walk that says which. The text is lowercased first (on
    // the stack when it is short, as most values are; else in the thread's buffer), so the
    // plain search can be a case-sensitive SIMD searcher (Teddy, which ASCII case folding
    // rules out) that skips most of a url instead of walking it byte by byte
    // (docs/performance.md, "Secrets in a url", evening of 2026-11-30).
    let lowered = WORDS_LOWER.as_ref().and_then(|(any, which)| {
        let mut buf = [0u8; LOWERED_MAX];
        match buf.get_mut(..b.len()) {
            Some(lower) => {
                lower.copy_from_slice(b);
                lower.make_ascii_lowercase();
                Some(seen_in_lowered(lower, any, which))
            }
            None => with_lowered(b, |lower| seen_in_lowered(lower, any, which)),
        }
    });
    // No buffer at hand: the case-insensitive automaton on the text as it is.
    let seen = lowered.unwrap_or_else(|| {
        if words.is_match(b) {
            words_seen(words, b)
        } else {
            Some(0)
        }
    });
    let Some(seen) = seen else {
        return true;
    };
    let has = |w: Word| seen & (1 << w as u32) != 0;
    let byte = |c: u8| memchr::memchr(c, b).is_some();
    // header_field needs `.header.`; header_map `:[`; userinfo `://` and `@` (not a word:
    // every url has a `://`, so it would send every url through the overlapping walk);
    // scheme_cred a scheme word.
    if has(Word::Header)
        || has(Word::MapOpen)
        || byte(b'@') && memchr::memmem::find(b, b"://").is_some()
        || has(Word::Bearer)
        || has(Word::Basic)
    {
        return true;
    }
    // json_secret needs a quote and a colon around one of its words.
    if (has(Word::Auth) || has(Word::Password) || has(Word::Token) || has(Word::Secret))
        && byte(b'"')
        && byte(b':')
    {
        return true;
    }
    // jwt needs `eyJ` (case matters); header_text one of its header names.
    if has(Word::XRegistry) || has(Word::SecurityToken) {
        return true;
    }
    if has(Word::Jwt) && memchr::memmem::find(b, b"eyJ").is_some() {
        return true;
    }
    // param needs `<secret name>=` (after `?&;`, a space, a quote or a bracket).
    seen >> PARAMS_FROM != 0
}

/// The words of a lowercased text ([`could_match`]'s bits), `None` as soon as one that alone
/// decides is found.
fn seen_in_lowered(
    lower: &[u8],
    any: &aho_corasick::packed::Searcher,
    which: &AhoCorasick,
) -> Option<u64> {
    if holds_a_word(lower, any) {
        words_seen(which, lower)
    } else {
        Some(0)
    }
}

/// The words `words` finds in `text` (overlapping), as [`could_match`]'s bits; `None` as soon
/// as one that alone decides is found.
fn words_seen(words: &AhoCorasick, text: &[u8]) -> Option<u64> {
    let mut seen = 0u64;
    for m in words.find_overlapping_iter(text) {
        seen |= 1 << m.pattern().as_usize();
        if seen & SUFFICIENT != 0 {
            return None;
        }
    }
    Some(seen)
}

/// The words [`could_match`] looks for, by pattern id; the secret parameters (each with its
/// `=`) follow from [`PARAMS_FROM`].
#[derive(Clone, Copy)]
enum Word {
    Header,
    MapOpen,
    Bearer,
    Basic,
    Auth,
    Password,
    Token,
    Secret,
    Jwt,
    XRegistry,
    SecurityToken,
}

const WORD_TEXT: [&str; 11] = [
    ".header.",
    ":[",
    "bearer",
    "basic",
    "auth",
    "password",
    "token",
    "secret",
    "eyj",
    "x-registry-",
    "security-token",
];
const PARAMS_FROM: u32 = WORD_TEXT.len() as u32;

/// The words whose presence alone makes [`could_match`] true (see its tests below the walk):
/// the walk stops at the first of them instead of going on to the end of a long line.
const SUFFICIENT: u64 = 1 << Word::Header as u32
    | 1 << Word::MapOpen as u32
    | 1 << Word::Bearer as u32
    | 1 << Word::Basic as u32
    | 1 << Word::XRegistry as u32
    | 1 << Word::SecurityToken as u32
    | !0 << PARAMS_FROM;

/// The words and secret parameters, lowercase, by pattern id (as [`Word`] numbers them).
fn word_patterns() -> Vec<String> {
    let params = SECRET_PARAMS.iter().map(|p| format!("{p}="));
    WORD_TEXT
        .iter()
        .map(|w| (*w).to_owned())
        .chain(params)
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// [`word_patterns`], ASCII case-insensitive: for a text when no lowercased copy can be made
/// (longer than [`LOWERED_MAX`] and the thread's buffer not at hand).
static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(word_patterns())
        .ok()
});

/// [`word_patterns`] as they are, searched in a lowercased copy of the text: a SIMD searcher
/// (Teddy) says whether any but `:[` occurs, the automaton which.
static WORDS_LOWER: LazyLock<Option<(aho_corasick::packed::Searcher, AhoCorasick)>> =
    LazyLock::new(|| {
        let map_open = WORD_TEXT[Word::MapOpen as usize];
        let searcher = aho_corasick::packed::Config::new()
            .builder()
            .extend(word_patterns().into_iter().filter(|w| w != map_open))
            .build()?;
        let which = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(word_patterns())
            .ok()?;
        Some((searcher, which))
    });

/// The longest text [`could_match`] lowercases on the stack (a url, a header value); longer
/// ones (whole lines) go to the thread's buffer.
const LOWERED_MAX: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(
            header_value("Authorization", "Bearer abc.def.ghi"),
            "Bearer REDACTED"
        );
        assert_eq!(header_value("cookie", "sid=1"), "REDACTED");
        assert_eq!(header_value("accept", "*/*"), "*/*");
    }

    /// The memo keeps what the full passes cleared, never what they changed: a challenge
    /// (scheme word, no credential) stays as it is every time, a credential is masked every time.
    #[test]
    fn texts_the_passes_clear_are_remembered_and_secrets_are_not() {
        let challenge = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#;
        let secret = "Bearer abcdefgh12345678";
        for _ in 0..3 {
            assert!(matches!(text(challenge), Cow::Borrowed(c) if c == challenge));
            assert_eq!(text(secret), format!("Bearer {MASK}"));
        }
    }

    #[test]
    fn texts() {
        let cases = [
            (
                "https://user:hunter2@reg.example/v2/",
                "https://REDACTED@reg.example/v2/",
            ),
            (
                "https://auth.docker.io/token?scope=x&token=abc123&service=y",
                "https://auth.docker.io/token?scope=x&token=REDACTED&service=y",
            ),
            (
                "GET /v2/?access_token=zzz",
                "GET /v2/?access_token=REDACTED",
            ),
            (
                "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig",
                "Authorization: Bearer REDACTED",
            ),
            (
                "request.headers=\"map[Accept:[*/*] Authorization:[Bearer eyJ0eXAi.x.y] User-Agent:[containerd/1.2.0]]\"",
                "request.headers=\"map[Accept:[*/*] Authorization:[REDACTED] User-Agent:[containerd/1.2.0]]\"",
            ),
            (
                r#"{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}"#,
                r#"{"auths":{"ghcr.io":{"auth":"REDACTED"}}}"#,
            ),
            (
                "error=\"login failed: password=hunter2 token=tok123\"",
                "error=\"login failed: password=REDACTED token=REDACTED\"",
            ),
            (
                r#"url="https://x/v2/?ns=docker.io&token=hunter2""#,
                r#"url="https://x/v2/?ns=docker.io&token=REDACTED""#,
            ),
            (
                "unexpected status (Authorization: Bearer hunter2tok)",
                "unexpected status (Authorization: Bearer REDACTED)",
            ),
            (
                "token eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.hunter2sig is expired",
                "token REDACTED is expired",
            ),
            (
                "rejected X-Registry-Auth: eyJodW50ZXIyIjoxfQ== for ghcr.io",
                "rejected X-Registry-Auth: REDACTED for ghcr.io",
            ),
            (
                "Authorization: Bearer eyJhbGciOi.eyJzd=hunter2.c rest",
                "Authorization: Bearer REDACTED rest",
            ),
            (
                r#"www-authenticate="Basic realm=\"Registry Realm\"""#,
                r#"www-authenticate="Basic realm=\"Registry Realm\"""#,
            ),
            (
                r#"msg="{\"password\":\"hunter2\"}""#,
                r#"msg="{\"password\":\"REDACTED\"}""#,
            ),
            // Secret headers as fields of a raw line: found by the TUI secrets test, the raw
            // view showed the cookie of `response.header.set-cookie`.
            (
                r#"response.header.set-cookie="session=hunter2; Path=/; HttpOnly" response.status="401 Unauthorized""#,
                r#"response.header.set-cookie="REDACTED" response.status="401 Unauthorized""#,
            ),
            (
                "request.header.cookie=sid=hunter2 request.method=GET",
                "request.header.cookie=REDACTED request.method=GET",
            ),
            (
                r#"request.header.authorization="Token hunter2" x=1"#,
                r#"request.header.authorization="Token REDACTED" x=1"#,
            ),
            (
                r#"{"Response.Header.Set-Cookie":"a=hunter2; \"q\"","x":1}"#,
                r#"{"Response.Header.Set-Cookie":"REDACTED","x":1}"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(text(input), want, "{input}");
            assert!(!text(input).contains("hunter2"));
        }
        // Values with `=` that hold no secret skip the regexes; near misses still match.
        for clean in [
            "max-age=3600",
            "crc32c=V3DSrg==",
            "http://m:5000/v2/x?ns=docker.io",
        ] {
            assert!(!might_hold_secret(clean), "{clean}");
        }
        assert_eq!(text("x?ns=a&Token=abc"), "x?ns=a&Token=REDACTED");
        assert_eq!(text("x;sig=abc"), "x;sig=REDACTED");
        // Clean text is not copied.
        assert!(matches!(text("do request"), Cow::Borrowed(_)));
        assert_eq!(
            text("registry-1.docker.io service=registry.docker.io"),
            "registry-1.docker.io service=registry.docker.io"
        );
    }

    /// The byte-array version `could_match` replaced, to check it against.
    /// True unless no pattern can match: `(?i)` folds a few non-ASCII letters onto ASCII ones
    /// (`ſ` on `s`, the Kelvin sign on `k`), so any non-ASCII text counts as a possible match.
    fn could_match_reference(s: &str) -> bool {
        // One pass over the bytes notes which of the few that matter occur.
        let (mut seen, mut non_ascii) = ([false; 128], false);
        for &b in s.as_bytes() {
            match seen.get_mut(usize::from(b)) {
                Some(x) => *x = true,
                None => non_ascii = true,
            }
        }
        if non_ascii {
            return true;
        }
        let has = |c: u8| seen[usize::from(c)];
        let b = s.as_bytes();
        let at_ci = |i: usize, word: &[u8]| {
            b.get(i..i + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        };
        let contains_ci = |word: &[u8]| {
            let (lo, up) = (word[0], word[0].to_ascii_uppercase());
            (has(lo) || has(up)) && memchr::memchr2_iter(lo, up, b).any(|i| at_ci(i, word))
        };
        // header_field needs `.header.`; header_map `:[`; userinfo `://` and `@`; scheme_cred a
        // scheme word.
        if contains_ci(b".header.")
            || has(b':') && has(b'[') && memchr::memmem::find(b, b":[").is_some()
            || has(b'@') && has(b':') && memchr::memmem::find(b, b"://").is_some()
            || contains_ci(b"bearer")
            || contains_ci(b"basic")
        {
            return true;
        }
        // json_secret needs a quote and a colon around one of its words.
        if has(b'"')
            && has(b':')
            && (contains_ci(b"auth")
                || contains_ci(b"password")
                || contains_ci(b"token")
                || contains_ci(b"secret"))
        {
            return true;
        }
        // jwt needs `eyJ`; header_text one of its header names.
        if memchr::memmem::find(b, b"eyJ").is_some()
            || contains_ci(b"x-registry-")
            || contains_ci(b"security-token")
        {
            return true;
        }
        // param needs `<secret name>=` (after `?&;`, a space, a quote or a bracket).
        has(b'=')
            && memchr::memchr_iter(b'=', b).any(|eq| {
                SECRET_PARAMS.iter().any(|p| {
                    eq >= p.len() && b[eq - p.len()..eq].eq_ignore_ascii_case(p.as_bytes())
                })
            })
    }

    /// One of each list, in order: a text shaped like one pattern's match, each part right or
    /// near-right.
    fn shaped(parts: Vec<Vec<&'static str>>) -> proptest::strategy::BoxedStrategy<String> {
        use proptest::strategy::Strategy;
        parts
            .into_iter()
            .map(proptest::sample::select)
            .collect::<Vec<_>>()
            .prop_map(|chosen| chosen.concat())
            .boxed()
    }

    /// Texts shaped like the patterns' matches, in any case, with the non-ASCII letters `(?i)`
    /// folds onto ASCII ones, one to three of them between other pieces.
    fn secret_texts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let value = || vec!["abcdefghijk", "x", "", "\"v w\"", "\\", "a@b", " "];
        let ws = || vec!["", " ", "\t", "  "];
        let shapes = proptest::strategy::Union::new([
            shaped(vec![
                vec!["request", "response", "RESPONSE", "x", ""],
                vec![".header.", ".HEADER.", ".Header.", ".header", "header."],
                vec![
                    "authorization",
                    "Proxy-Authorization",
                    "cookie",
                    "set-COOKIE",
                    "x-registry-auth",
                    "x-registry-config",
                    "x-amz-security-token",
                    "coo\u{212a}ie",
                    "x-amz-\u{17f}ecurity-token",
                    "accept",
                ],
                vec!["=", "\":", "\" : ", ":", " "],
                value(),
            ]),
            shaped(vec![
                vec![
                    "Authorization",
                    "proxy-authorization",
                    "Cookie",
                    "Set-Cookie",
                    "X-Registry-Auth",
                    "coo\u{212a}ie",
                    "Accept",
                ],
                vec![":[", ":", "[", ": ["],
                value(),
                vec!["]", ""],
            ]),
            shaped(vec![
                vec!["Bearer", "BEARER", "basic", "Ba\u{17f}ic", "bearer-"],
                vec![" ", "\t", "", "  "],
                value(),
            ]),
            shaped(vec![
                vec!["https", "h", "git+ssh", "1x", ""],
                vec!["://", ":/", "//"],
                vec!["user", "", "u/x"],
                vec![":", ""],
                vec!["pass", "", "p@"],
                vec!["@", ""],
                vec!["host/v2/", ""],
            ]),
            shaped(vec![
                vec!["?", "&", ";", " ", "\"", "(", "x", ""],
                vec![
                    "token",
                    "ACCESS_TOKEN",
                    "x-amz-signature",
                    "sig",
                    "passwd",
                    "client_\u{17f}ecret",
                    "to\u{212a}en",
                    "ns",
                ],
                vec!["=", "", " ="],
                value(),
            ]),
            shaped(vec![
                vec!["\"", "\\\"", ""],
                vec![
                    "auth",
                    "PASSWORD",
                    "identitytoken",
                    "registrytoken",
                    "secret",
                    "token",
                    "access_token",
                    "\u{17f}ecret",
                    "to\u{212a}en",
                    "user",
                ],
                vec!["\"", "\\\"", ""],
                ws(),
                vec![":", ""],
                ws(),
                vec!["\"", "\\\"", ""],
                value(),
            ]),
            shaped(vec![
                vec![
                    "X-Registry-Auth",
                    "x-registry-config",
                    "X-Amz-Security-Token",
                    "x-amz-\u{17f}ecurity-token",
                    "X-Registry",
                ],
                ws(),
                vec![":", "=", ""],
                ws(),
                value(),
            ]),
            shaped(vec![
                vec!["eyJ", "EYJ", "eyj", "xeyJ", "ey"],
                vec!["hbGciOi", "a", ""],
                vec![".", ""],
                vec!["eyJzdWIi", "b", ""],
                vec![".", ""],
                vec!["sig", ""],
            ]),
        ]);
        let filler = proptest::sample::select(vec![
            " ", "abc", "=", ":", "\"", "\u{e9}", ".header.", "://",
        ]);
        proptest::collection::vec((filler, shapes), 1..4).prop_map(|v| {
            v.into_iter()
                .map(|(f, s)| format!("{f}{s}"))
                .collect::<String>()
        })
    }

    /// Every pattern with the pass that runs it.
    fn patterns_by_pass() -> [(Pass, &'static Regex); 8] {
        let p = PATTERNS.as_ref().unwrap();
        [
            (Pass::HeaderField, &p.header_field),
            (Pass::HeaderMap, &p.header_map),
            (Pass::SchemeCred, &p.scheme_cred),
            (Pass::Userinfo, &p.userinfo),
            (Pass::Param, &p.param),
            (Pass::JsonSecret, &p.json_secret),
            (Pass::HeaderText, &p.header_text),
            (Pass::Jwt, &p.jwt),
        ]
    }

    proptest::proptest! {
        /// `needs` is a necessary condition: a pattern that matches a text is always needed.
        #[test]
        fn needs_never_skips_a_matching_pattern(s in secret_texts()) {
            for (pass, re) in patterns_by_pass() {
                if re.is_match(&s) {
                    proptest::prop_assert!(needs(&s) & (1 << pass as u8) != 0, "{pass:?} {s:?}");
                }
            }
        }

        /// Redacting with `needs` gives what running every pattern gives.
        #[test]
        fn scrub_with_needs_is_scrub_with_every_pattern(s in secret_texts()) {
            proptest::prop_assert_eq!(scrub_with(&s, needs), scrub_with(&s, |_| ALL_PASSES));
        }

        /// `could_match` stops at the first word that decides; the answer is the reference's.
        #[test]
        fn could_match_on_secret_texts_is_the_reference(s in secret_texts()) {
            proptest::prop_assert_eq!(could_match(&s), could_match_reference(&s));
        }
    }

    /// Without the thread's buffer (here: asked for from inside its own use) `could_match`
    /// and `needs` fall back to the case-insensitive automata, with the same answers.
    #[test]
    fn without_the_buffer_the_answers_are_the_same() {
        let texts = [
            "https://registry-1.docker.io/v2/library/alpine/manifests/latest",
            "request.header.Authorization=\"Bearer abc\"",
            "https://u:p@h/v2/?X-Amz-Signature=abc",
            "{\"password\":\"x\"}",
            "response.header.content-type=a response.header.x-goog-hash=\"crc32c=AAA\"",
            "Cookie:[a]",
            "",
        ];
        for t in texts {
            let (with, inside) = (
                (could_match(t), needs(t)),
                with_lowered(b"busy", |_| (could_match(t), needs(t))),
            );
            assert_eq!(Some(with), inside, "{t}");
            assert_eq!(with.0, could_match_reference(t), "{t}");
        }
        // Inside, the buffer is busy: the fallback really ran.
        assert_eq!(
            with_lowered(b"a", |_| with_lowered(b"b", |_| ())),
            Some(None)
        );
    }

    /// Each pattern's own cases need it; a line of other headers needs none.
    #[test]
    fn needs_examples() {
        let cases = [
            (
                r#"request.header.authorization="Bearer x""#,
                Pass::HeaderField,
            ),
            ("response.HEADER.Set-Cookie=a", Pass::HeaderField),
            ("Authorization:[Basic eA==]", Pass::HeaderMap),
            ("BEARER abcdefghij", Pass::SchemeCred),
            ("https://u:p@h/v2/", Pass::Userinfo),
            ("?X-Amz-Signature=abc", Pass::Param),
            (r#"{"password":"x"}"#, Pass::JsonSecret),
            (r#"{\"auth\":\"x\"}"#, Pass::JsonSecret),
            ("X-Registry-Auth: abc", Pass::HeaderText),
            ("eyJa.eyJb.c", Pass::Jwt),
        ];
        for (text, pass) in cases {
            assert!(needs(text) & (1 << pass as u8) != 0, "{pass:?} {text}");
        }
        assert_eq!(
            needs("request.header.x-amz-\u{17f}ecurity-token=v"),
            ALL_PASSES
        );
        assert_eq!(
            needs(r#"response.header.content-type=a response.header.x-goog-hash="crc32c=AAA""#),
            0
        );
    }

    proptest::proptest! {
        #[test]
        fn could_match_is_the_reference(s in "[a-zA-Z.:\\[@/\"=:{}?&; xyjJ\u{17f}-]{0,40}") {
            proptest::prop_assert_eq!(could_match(&s), could_match_reference(&s));
        }

        /// Long texts (urls, whole lines) give the reference's answers too.
        #[test]
        fn long_texts_could_match_is_the_reference(
            s in "[a-zA-Z.:\\[@/\"=:{}?&; xyjJ-]{0,40}",
            pad in 0usize..600,
        ) {
            let long = format!("{}{s}", "v2/library/golang/".repeat(pad / 18 + 1));
            proptest::prop_assert_eq!(could_match(&long), could_match_reference(&long));
        }
    }

    proptest::proptest! {
        /// `inert` text is left alone by every pattern, not only by `could_match`.
        #[test]
        fn inert_text_matches_no_pattern(s in "[0-9 .\\[\\]@/\"=,;{}?&*+%_\\\\-]{0,60}") {
            proptest::prop_assert!(inert(&s));
            proptest::prop_assert!(!could_match(&s));
            let p = PATTERNS.as_ref().unwrap();
            for re in [&p.header_field, &p.userinfo, &p.param, &p.scheme_cred, &p.header_map,
                       &p.header_text, &p.json_secret, &p.jwt] {
                proptest::prop_assert!(!re.is_match(&s), "{re}");
            }
        }
    }

    #[test]
    fn inert_needs_no_letter_no_colon_ascii() {
        assert!(inert("55307229"));
        assert!(inert(""));
        assert!(!inert("1955a"));
        assert!(!inert("12:30"));
        assert!(!inert("١٢"));
    }

    #[test]
    fn could_match_agrees_on_every_fixture_value() {
        for path in crate::test_support::fixture_logs() {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                for part in line.split(['=', ' ']).chain([line]) {
                    assert_eq!(could_match(part), could_match_reference(part), "{part}");
                }
            }
        }
    }
}
