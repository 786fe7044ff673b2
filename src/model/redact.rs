//! Secrets scrubbed before anything leaves the model: `Authorization`-like headers (by name: a
//! header whose name holds a credential word as one of its segments, see
//! [`is_secret_header`]); query parameters, `NAME=value` words, JSON keys and `Name: value`
//! labels by the same name rule (`api_key=`, `GITHUB_TOKEN=`, `"refresh_token":`,
//! `Password: …`, a Go map's `NPM_TOKEN:…`; the rule and its readable exceptions are in
//! `names`), also as parameters of a percent-encoded url inside a url; `user:pass@` in URLs
//! and before a host without a scheme (`git clone user:pw@host/repo`); tokens known by their
//! shape (`ghp_…`, `glpat-…`, `AKIA…`, `xoxb-…`, `sk-…`, `AIza…`; `shapes`); bearer/basic
//! credentials, JWTs, `docker login` config blobs, `--password`/`-p` values (and wget's
//! `--http-password`) and the password of `curl -u user:password` in free text.
//!
//! Pure string rewriting. Every output (TUI, `summary`, `events --json`, exports) goes through
//! the model, so redaction happens once, here, unless the user opts out with `--no-redact`.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

mod memo;
mod names;
mod prefilter;
mod scrub;
mod shapes;

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

/// Words that may make a header's name a secret one (lowercase, matched ASCII
/// case-insensitively): the patterns and the prefilter look for them anywhere in a name, and
/// [`names::has_credential_segment`] decides where they stand (`X-Auth-Token` is secret,
/// `author` is not). containerd's `hosts.toml` lets users send any header, so an
/// Artifactory `X-JFrog-Art-Api`, a GitLab `Private-Token`, an `X-Api-Key` or an
/// `X-Auth-Token` shows up as `request.header.<name>=` like `Authorization` does; `key` takes
/// an Azure API Management `Ocp-Apim-Subscription-Key` and an `X-Access-Key` (the second
/// review) along with every `api-key` spelling. `pass`, `pwd`, `pw`, `creds` and `pat`
/// (`DB_PASS`, `--pass`, `MYSQL_PWD`, `REGISTRY_PW`, `DEPLOY_CREDS`, `CR_PAT`; `passphrase`
/// holds `pass`) count only as a name's last segment, so `PATH` and `credsStore` stay readable.
const SECRET_HEADER_WORDS: &[&str] = &[
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "key",
    "cookie",
    "credential",
    "x-jfrog-art-api",
    "pass",
    "pwd",
    "pw",
    "creds",
    "pat",
];

/// Headers whose names hold a credential word but whose values the model reads and shows:
/// challenges (the realm, service and scope a 401 asked for), not credentials.
const READABLE_HEADERS: &[&str] = &["www-authenticate", "proxy-authenticate"];

/// True when a header's value must not be shown: a name of `SECRET_HEADERS`, or one with a
/// credential word as a segment (`names::has_credential_segment`: `x-api-key`,
/// `private-token`, `x-auth-token`, not `author` or `keyring`), but not the challenges of
/// `READABLE_HEADERS`. A `.1` repeat suffix does not matter.
pub fn is_secret_header(name: &str) -> bool {
    if SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        return true;
    }
    // Most names hold none of the words: one automaton walk says so before any splitting.
    let has_word = match SECRET_NAME.as_ref() {
        Some(words) => words.is_match(name),
        // Not built (a test rules it out): the same words, the slow way.
        None => {
            let lower = name.to_ascii_lowercase();
            SECRET_HEADER_WORDS.iter().any(|w| lower.contains(w))
        }
    };
    has_word
        && names::has_credential_segment(name)
        && !READABLE_HEADERS.iter().any(|h| {
            name.get(..h.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(h))
                && name
                    .get(h.len()..)
                    .is_some_and(|rest| rest.is_empty() || is_repeat_suffix(rest))
        })
}

/// `.1`, `.12`: containerd's suffix on a repeated header's field name.
fn is_repeat_suffix(s: &str) -> bool {
    s.strip_prefix('.')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// [`SECRET_HEADER_WORDS`], ASCII case-insensitive: one automaton walk over a header name
/// (they are short; this runs for every header kept).
static SECRET_NAME: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(SECRET_HEADER_WORDS)
        .ok()
});

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
// `response.header.set-cookie=…` (logfmt), `"request.header.authorization":"…"` (JSON),
// `request.header.x-api-key=…` (any name with a credential word). The value is what
// `header_value` would show (a cookie has no scheme word for the other patterns to find: the
// TUI's raw view showed `set-cookie` values). The pattern finds every name holding a word;
// [`mask_header_field`] leaves a readable one (`www-authenticate`) as it is.
static HEADER_FIELD: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(
            r#"(?i)(\b(?:request|response)\.header\.([\w.!#$%&'*+^`|~-]*?(?:{names})[\w.!#$%&'*+^`|~-]*)(?:=|"\s*:\s*))("(?:[^"\\]|\\.)*"|[^\s"\\]+)"#
        ),
        String::new(),
    )
});
/// The words a secret header's name may hold, as a regex alternation: the exact names and the
/// credential words.
fn header_name_words() -> String {
    SECRET_HEADERS
        .iter()
        .chain(SECRET_HEADER_WORDS)
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}
// scheme://user:pass@host → scheme://REDACTED@host
static USERINFO: Pattern = LazyLock::new(|| {
    pattern(
        r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@:]+:[^/\s@]*@",
        format!("${{1}}{MASK}@"),
    )
});
// `?api_key=…&token=…` in urls, `GITHUB_TOKEN=…` or `password=…` as a word in plain text (an
// error text, a pasted curl, an environment dump): the pattern finds every name holding a
// credential word (or a signed url's) and its `=`; [`names::mask_params`] masks the value of
// those [`names::is_secret_name`] calls secret. A bare value stops before a quote or
// backslash so the quoting of a raw logfmt line survives, and at `&` and `#` (a url's next
// parameter, its fragment). A quoted one (`"…"`, `\"…\"`, `'…'`) is masked inside its quotes
// up to the first space: a quote after `name=` may close the text around it instead
// (`msg="set password=" user=…`), and a match across it would step over the next field's own
// secret. A value of `=` alone is the padding of a base64 word that holds a credential word
// (`md5=…key1…==`).
static PARAM: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    let signed = names::SIGNED_PARAMS.join("|");
    pattern(
        &format!(
            r#"(?i)(^|[?&;\s"'(,{{\[#])([A-Za-z0-9_\-]*?(?:{names})[A-Za-z0-9_\-]*|{signed})="#
        ),
        String::new(),
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
// request.headers="map[Authorization:[Bearer …]]" (containerd < 1.4): every `Name:[…]` whose
// name holds a credential word; [`mask_header_map`] masks it when [`is_secret_header`] says so.
static HEADER_MAP: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(r"(?i)([\w.!#$%&'*+^`|~-]*?(?:{names})[\w.!#$%&'*+^`|~-]*):\[[^\]]*\]"),
        String::new(),
    )
});
// `docker login … --password VALUE` (or `--password=VALUE`) pasted into a message, wget's
// `--http-password`, `--proxy-password` and `--ftp-password`, and `--pass VALUE` (regctl's
// `registry login --pass`): the value, bare, single- or double-quoted, or double-quoted inside
// a logfmt or JSON value (`\"…\"`). `--password-stdin` and `--pass-stdin` are not matched
// (no `=` or space after the word), nor wget's `--ask-password` (a flag without a value).
static CLI_PASSWORD: Pattern = LazyLock::new(|| {
    pattern(
        &format!(r"(?i)(--(?:http-|proxy-|ftp-)?pass(?:word)?(?:=|\s+)){CLI_VALUE}"),
        format!("${{1}}{MASK}"),
    )
});
// `curl … -u USER:PASSWORD` (also `-uUSER:PASSWORD`, `--user USER:PASSWORD`, and the proxy's
// `-U`/`--proxy-user`): the password after the first colon, the user kept. Only after `curl`
// in the same command (up to a newline, `;`, `|` or `&&`): `-u` of other commands is a user id
// (`docker run -u 1000:1000`, `useradd -u 1001`). curl's short flags glue into one word
// (`-fsSLu USER:PASSWORD`): the first `u` of a word of letters after one `-` takes the value.
// And `--creds USER:PASSWORD` (`=` or a space; `--src-creds`, `--dest-creds`, `--from-creds`)
// of skopeo, podman and buildah, after any command: no other tool's `--creds` takes a
// user id. A value with no colon, or nothing after it, is a user alone (the tool asks for the
// password) and stays; [`mask_curl_user`] decides.
static CURL_USER: Pattern = LazyLock::new(|| {
    pattern(
        &format!(
            r"(?i)(\bcurl\s+(?:(?:[^\n;|&]|&[^&\n])*?\s)?(?:-[a-z]*?u\s*|--user(?:=|\s+)|--proxy-user(?:=|\s+))|(?:^|\s)--(?:src-|dest-|from-)?creds(?:=|\s+)){CLI_VALUE}"
        ),
        String::new(),
    )
});
/// A command-line value: `'…'`, `"…"`, `\"…\"` (its quotes escaped in a logfmt or JSON value,
/// spaces and all) or a bare word.
const CLI_VALUE: &str = r#"('[^'\\]*'|"[^"\\]*"|\\"(?:[^"\\]|\\[^"])*\\"|[^\s"'\\]+)"#;
// `docker login … -p VALUE` (or `-p=VALUE`, `-pVALUE`): `-p` only after a registry client's
// login command in the same quoted text (elsewhere `-p` is a port, a parents flag, …):
// `docker`, `podman`, `buildah`, `skopeo`, `nerdctl`, `finch` and `oras login`, `helm registry
// login`, `crane auth login`, `regctl registry login`; each takes `-p` for the password.
static LOGIN_P: Pattern = LazyLock::new(|| {
    pattern(
        &format!(
            r#"(?i)(\b(?:(?:docker|podman|buildah|skopeo|nerdctl|finch|oras)\s+login|helm\s+registry\s+login|crane\s+auth\s+login|regctl\s+registry\s+login)\b[^"\n]*?\s-p(?:=|\s+)?){CLI_VALUE}"#
        ),
        format!("${{1}}{MASK}"),
    )
});
// A secret header written out in a text: `X-Registry-Auth: eyJ…` (or `=`) in an error text, and
// any header whose name holds a credential word with a hyphen in it (`X-Api-Key: …`,
// `Private-Token: …`, `X-Auth-Token: Bearer …`: a pasted `curl -v`, a proxy's error page). The
// hyphen keeps prose out (`failed to fetch oauth token: unexpected status` names no header);
// [`mask_header_text`] leaves a readable one (`WWW-Authenticate: Bearer realm=…`) as it is. The
// value stops at `&` too, so a url's `?X-Amz-Security-Token=…&ns=docker.io` keeps its
// parameters after it (`ns=` is the mirror's mark).
static HEADER_TEXT: Pattern = LazyLock::new(|| {
    let words = header_name_words();
    // A hyphen before the word, after it, or in it (`x-jfrog-art-api`).
    let hyphenated = SECRET_HEADERS
        .iter()
        .chain(SECRET_HEADER_WORDS)
        .filter(|w| w.contains('-'))
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    let name = format!(
        r"(?:[a-z0-9]+-)+[a-z0-9]*?(?:{words})[a-z0-9-]*|[a-z0-9]*?(?:{words})[a-z0-9]*(?:-[a-z0-9]+)+|[a-z0-9-]*?(?:{hyphenated})[a-z0-9-]*"
    );
    pattern(
        &format!(
            r#"(?i)\b(?:((?:X-Registry-Auth|X-Registry-Config|X-Amz-Security-Token)\s*[:=]\s*)|(({name})[ \t]*:[ \t]*))((?:Bearer|Basic|Token)[ \t]+)?[^\s"'\\\[\]),;&]+"#
        ),
        String::new(),
    )
});
// a JSON Web Token standing alone in a text ("token eyJ….eyJ….sig is expired")
static JWT: Pattern = LazyLock::new(|| {
    pattern(
        r"\beyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*",
        MASK.to_owned(),
    )
});
// JSON keys by the same name rule: docker config blobs (`"auth":"base64"`, `"identitytoken"`),
// token responses (`"access_token"`, `"refresh_token"`), `"password"`, `"api_key"`, bare or
// with their quotes escaped in a logfmt value (`\"refresh_token\":\"…\"`);
// [`names::mask_json_key`] leaves a readable one (`"key"`, `"token_type"`) as it is.
static JSON_SECRET: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(r#"(?i)(\\?"([A-Za-z0-9_\-]*?(?:{names})[A-Za-z0-9_\-]*)\\?"\s*:\s*\\?")[^"\\]*"#),
        String::new(),
    )
});
// Tokens known by their shape ([`shapes`]), named or not: `ghp_…`, `glpat-…`, `AKIA…`.
static TOKEN_SHAPE: Pattern = LazyLock::new(|| pattern(shapes::PATTERN, String::new()));
// JSON keys by the name rule in percent-encoded JSON (a url's value): dockerd logs its API
// calls at debug level, build arguments and all (`Calling POST /v1.41/build?buildargs=
// %7B%22NPM_TOKEN%22%3A%22npm_…%22%7D`), where CI jobs pass their tokens. The value runs to
// the next encoded quote (`%22`); [`names::mask_json_key`] leaves a readable name as it is.
static ENCODED_JSON: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(
            r#"(?i)(%22([A-Za-z0-9_\-]*?(?:{names})[A-Za-z0-9_\-]*)%22(?:%20|\+)*%3A(?:%20|\+)*%22)(?:[^%\s"]|%(?:[013-9a-f][0-9a-f]|2[013-9a-f]))*"#
        ),
        String::new(),
    )
});

// A label in free text or a Go value printed with `%v`: a name holding a credential word, then
// a colon (`Password: hunter2`, `password:hunter2`, `api_key : xyz`, `map[NPM_TOKEN:abc]`) or
// a spaced `=` (`token = abc123def`); [`names::mask_labels`] reads the value and decides
// (prose such as `oauth token: unexpected status` and image references such as
// `oauth2-proxy:v7` stay; see [`names`]).
static LABEL: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(
            r#"(?i)(^|[\s"'(,{{\[;])([A-Za-z0-9_\-]*?(?:{names})[A-Za-z0-9_\-]*)([ \t]*:[ \t]*|[ \t]+=[ \t]*|=[ \t]+)"#
        ),
        String::new(),
    )
});
// `user:pass@host` without a scheme (`git clone user:pw@git.example.com/repo`, `registry
// user:pw@10.0.0.1:5000`): a user and a password that start a word, then `@` and a host;
// [`mask_bare_userinfo`] leaves an image reference's `name:tag@sha256:…` and a `mailto:` as
// they are. An email address has no colon before its `@`, `host:port` no `@`.
static BARE_USERINFO: Pattern = LazyLock::new(|| {
    pattern(
        r#"(^|[\s"'(=\[,;])([A-Za-z0-9._~%+\-]+):([^\s/@"'\\]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*)(:?)"#,
        String::new(),
    )
});
// A query parameter of a percent-encoded url inside a url's value (an OAuth `?next=`/
// `redirect_uri=`): `%3Ftoken%3Dabc123` (`?token=abc123`), `%2526token%253Dabc` encoded twice.
// The value runs to the next encoded `&` or `#` (or a real one, a space, a quote);
// [`names::mask_encoded_param`] masks it when the name is secret as a query parameter's.
static ENCODED_PARAM: Pattern = LazyLock::new(|| {
    let names = header_name_words();
    pattern(
        &format!(
            r#"(?i)(%(?:25)?(?:3F|26|3B|23)([A-Za-z0-9_\-]*?(?:{names})[A-Za-z0-9_\-]*)%(?:25)?3D)(?:[^%&#\s"'\\]|%25(?:[013-9a-f][0-9a-f]|2[0-247-9a-f])|%(?:[013-9a-f][0-9a-f]|2[0-247-9a-f]))*"#
        ),
        String::new(),
    )
});

/// Every pattern with the pass that runs it, in the order [`scrub_with`] runs them.
/// A label runs after the token shapes, so `token: ghp_…` keeps its `ghp_` (a value that ends
/// in the mask is left as it is).
const PASSES: [(Pass, &Pattern); 16] = [
    (Pass::HeaderField, &HEADER_FIELD),
    (Pass::HeaderMap, &HEADER_MAP),
    (Pass::SchemeCred, &SCHEME_CRED),
    (Pass::Userinfo, &USERINFO),
    (Pass::BareUserinfo, &BARE_USERINFO),
    (Pass::Param, &PARAM),
    (Pass::JsonSecret, &JSON_SECRET),
    (Pass::HeaderText, &HEADER_TEXT),
    (Pass::Jwt, &JWT),
    (Pass::CliPassword, &CLI_PASSWORD),
    (Pass::LoginP, &LOGIN_P),
    (Pass::CurlUser, &CURL_USER),
    (Pass::TokenShape, &TOKEN_SHAPE),
    (Pass::Label, &LABEL),
    (Pass::EncodedJson, &ENCODED_JSON),
    (Pass::EncodedParam, &ENCODED_PARAM),
];

/// Builds the word searchers now rather than at their first use, so a thread with time to
/// spare pays for it (`summary` does it while the log is read): every value checked needs
/// them. The patterns are compiled one by one when a text first may match them.
pub fn warm_up() {
    LazyLock::force(&WORDS_LOWER);
    LazyLock::force(&NEEDS);
    LazyLock::force(&WORDS);
    LazyLock::force(&SECRET_NAME);
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
fn scrub_with(s: &str, may_match: fn(&str) -> u16) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(s);
    // A later pattern can uncover a match for an earlier one (a masked JSON value no longer
    // stops a url's `user:pass@`): repeat until nothing changes, which takes two rounds at most
    // on real text (fuzz finding redact_sanitize-second-pass-userinfo).
    for _ in 0..4 {
        let mut changed = false;
        let need = may_match(&out);
        for (pass, pattern) in PASSES {
            if need & (1 << pass as u16) == 0 {
                continue;
            }
            let Some((re, with)) = pattern.as_ref() else {
                return Cow::Owned(MASK.to_owned());
            };
            let new = match pass {
                Pass::HeaderField => re.replace_all(&out, mask_header_field),
                Pass::HeaderMap => re.replace_all(&out, mask_header_map),
                Pass::HeaderText => re.replace_all(&out, mask_header_text),
                Pass::Param => names::mask_params(re, &out),
                Pass::Label => names::mask_labels(re, &out),
                Pass::BareUserinfo => re.replace_all(&out, mask_bare_userinfo),
                Pass::EncodedParam => re.replace_all(&out, names::mask_encoded_param),
                Pass::JsonSecret | Pass::EncodedJson => re.replace_all(&out, names::mask_json_key),
                Pass::TokenShape => re.replace_all(&out, shapes::mask),
                Pass::CurlUser => re.replace_all(&out, mask_curl_user),
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

/// `request.header.<secret>=<value>`: the value as [`header_value`] shows it, quotes kept; a
/// readable header (the name holds a word but [`is_secret_header`] says no) as it is.
fn mask_header_field(c: &regex::Captures<'_>) -> String {
    if !is_secret_header(&c[2]) {
        return c[0].to_owned();
    }
    let value = &c[3];
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

/// `user:pass@host` without a scheme: `REDACTED@host`, the lead kept; an image reference's
/// `name:tag@sha256:…` (a digest's algorithm where the host would be) and a `mailto:` address as
/// they are.
fn mask_bare_userinfo(c: &regex::Captures<'_>) -> String {
    let host = &c[4];
    let digest = !c[5].is_empty()
        && ["sha256", "sha384", "sha512"]
            .iter()
            .any(|a| host.eq_ignore_ascii_case(a));
    if digest || c[2].eq_ignore_ascii_case("mailto") {
        c[0].to_owned()
    } else {
        format!("{}{MASK}@{host}{}", &c[1], &c[5])
    }
}

/// `curl … -u user:password`: the password masked, the user, the flag and the value's quotes
/// kept (`-u ci-bot:REDACTED`, `--user 'deploy:REDACTED'`); a user alone (no colon, or nothing
/// after it) and a password masked already as they are.
fn mask_curl_user(c: &regex::Captures<'_>) -> String {
    let (lead, value) = (&c[1], &c[2]);
    let open = ["\\\"", "\"", "'"]
        .into_iter()
        .find(|q| value.len() >= 2 * q.len() && value.starts_with(q) && value.ends_with(q))
        .unwrap_or("");
    let inner = value
        .get(open.len()..value.len() - open.len())
        .unwrap_or_default();
    match inner.split_once(':') {
        Some((user, password)) if !password.is_empty() && password != MASK => {
            format!("{lead}{open}{user}:{MASK}{open}")
        }
        _ => c[0].to_owned(),
    }
}

/// `Name:[…]` of a Go header map: `Name:[REDACTED]` for a secret header, else as it is.
fn mask_header_map(c: &regex::Captures<'_>) -> String {
    if is_secret_header(&c[1]) {
        format!("{}:[{MASK}]", &c[1])
    } else {
        c[0].to_owned()
    }
}

/// A secret header written out: `Name: REDACTED` (its scheme word kept, `Bearer REDACTED`); a
/// readable header (`WWW-Authenticate: …`) as it is.
fn mask_header_text(c: &regex::Captures<'_>) -> String {
    let scheme = c.get(4).map_or("", |m| m.as_str());
    if let Some(named) = c.get(1) {
        return format!("{}{scheme}{MASK}", named.as_str());
    }
    match (c.get(2), c.get(3)) {
        (Some(prefix), Some(name)) if secret_header_text(prefix.as_str(), name.as_str()) => {
            format!("{}{scheme}{MASK}", prefix.as_str())
        }
        _ => c[0].to_owned(),
    }
}

/// True when a header written out (`prefix` is its name and colon, with any spaces) is a
/// secret's: [`is_secret_header`], and with no space around the colon, a label's stricter rule
/// too ([`names::is_secret_label`]): `oauth2-proxy:v7.4.0` is an image reference, not a header.
fn secret_header_text(prefix: &str, name: &str) -> bool {
    let tight = !prefix.bytes().any(names::is_space);
    is_secret_header(name) && (!tight || names::is_secret_label(name))
}

#[cfg(test)]
mod tests;
