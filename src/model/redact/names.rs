//! Secret by name: which `name=value` words, query parameters, JSON keys and `Name: value`
//! labels hold a secret, and how their values are masked. The secret headers follow the same
//! rule ([`super::is_secret_header`]).
//!
//! A name is read as its segments: split at every byte that is not a letter or a digit (`_`,
//! `-`, `.`), at a camelCase step (`apiKey`, `XAuthToken`, `APIKey` → `API`, `Key`) and between
//! letters and digits (`cookie2`, `oauth2`). It is secret when a segment is a credential word
//! ([`credential_at`]), in any case:
//! - a segment that is, or ends with, `token`, `secret`, `password`, `passwd`, `passphrase`,
//!   `credential`, `cookie` (their plurals too) or `auth`, or with a glued `apikey`,
//!   `accesskey`, `secretkey`, `privatekey`, `authkey`, `masterkey`, `accountkey` ([`GLUED`]):
//!   `GITHUB_TOKEN`, `identitytoken`, `x-registry-auth`, `oauth`, `PGPASSWORD`, `x-apikey`;
//! - a segment that is `key` or `keys` (`api_key`, `secret_key`, `private_key`, `access_key`,
//!   `Ocp-Apim-Subscription-Key`), but not after `public`/`pub` (`public_key`, `ssh_pub_key`:
//!   published by design) nor before `id`, `ids`, `ring`, `fingerprint` (`key_id`,
//!   `aws_access_key_id`, `key_ring`, `keyFingerprint`: which key, not the key);
//! - a segment that is `authorization`, `authentication`, `authenticate`, `authn` or `authz`
//!   ([`WHOLE`]);
//! - `pass`, `pwd`, `pw`, `creds` or `pat` as the last segment (digits aside): `--pass`,
//!   `DB_PASS`, `SMTP_PASS2`, `pwd`, `MYSQL_PWD`, `REGISTRY_PW`, `DEPLOY_CREDS`, `DOCKERHUB_PAT`,
//!   GitHub's `CR_PAT`, `PAT`; not `pass_through`, `bypass`, `OLDPWD`, `credsStore` (docker's
//!   `config.json` names its credential helper so), nor `PATH`, `SPAN_PATH`, `patch` or
//!   `pat_count` (a segment is `pat` whole, and last).
//!
//! So a credential word inside another word is no longer one (the user review's over-masking):
//! `author`, `authority`, `authorized`, `authored_by`, `keyring`, `keyboard`, `monkey`,
//! `turkey`, `hockey` and `tokenizer` (a word that only starts with `token`) are readable.
//! `x-jfrog-art-api` (Artifactory's API key header) is secret by that exact run of words.
//!
//! A signed url's signature is secret by its exact name too ([`SIGNED_PARAMS`]: `sig`,
//! `signature`, `X-Amz-Signature`, `X-Goog-Signature`, and Docker Hub's Cloudflare `verify`).
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
//! - by its value ([`readable_value`]): a content digest under any name, and a directory under a
//!   `pwd` name: the shell's `PWD=/home/user` (a value that starts with `/`) is where a command
//!   ran, while `pwd=hunter2` is a password.
//!
//! A name is the whole run of `[A-Za-z0-9_-]` before the `=` (or between a JSON key's quotes):
//! a dotted logfmt key (`request.header.authorization=`) is a header field, masked by the header
//! rule; the run must start the text or follow a space, a quote, `?`, `&`, `;`, `(`, `,`, `{` or
//! `[` (`Env:[GITHUB_TOKEN=…]`), so a base64 value holding `key` (`md5=…key1…==`) is no name.
//!
//! Labels ([`mask_labels`]): a name, then a colon or a spaced `=`, in free text or a Go value
//! printed with `%v` (`Password: hunter2`, `password:hunter2`, `token = abc123def`,
//! `api_key : xyz`, `map[NPM_TOKEN:abc123 PATH:/usr/bin]`, `{Username:bob Password:hunter2}`).
//! Go error texts chain their causes with `: ` (`failed to fetch oauth token: unexpected
//! status`), and image references are `name:tag`, so a label is read more strictly:
//! - `name:value` (no space around the colon) needs a credential word as the name's last
//!   segment ([`is_secret_label`]: `oauth2-proxy:v7.4.0` is an image, `NPM_TOKEN:…` a secret;
//!   a hyphenated header written out so, `X-Api-Key:…`, follows the same rule), and a port
//!   (`auth:5001`, five digits at most) stays;
//! - `name: value` with a plain lowercase word for the name (`token`, `password`), standing
//!   after another word (`oauth token: unexpected status`), is prose: its value is masked only
//!   when it holds both a letter and a digit (`login failed password: hunter2`); a name that
//!   starts the text or follows punctuation, one with a capital (`Password:`), an underscore, a
//!   hyphen or a digit is a label;
//! - a value that is itself the next field (`Auth: ServerAddress:ghcr.io` of an empty Go struct
//!   field, `x509:` of a Go error chain) is not taken, nor one that says there is none (`none`,
//!   `null`, `nil`, `<nil>`, `true`, `false`, `-`: `[authorization: none; …]` in a request log).

use std::borrow::Cow;

use super::{MASK, SECRET_HEADERS, is_secret_header};

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
    let location = LOCATION_ENDS.iter().any(|end| ends_with_ci(name, end));
    is_secret_header(name)
        && !location
        && !READABLE_NAMES.iter().any(|r| name.eq_ignore_ascii_case(r))
}

/// True when `name` followed by a colon and no space (`password:hunter2`, a Go map's
/// `NPM_TOKEN:abc123`) is a label of a secret: [`is_secret_name`], and its last segment (digits
/// aside) a credential word, so an image reference such as `oauth2-proxy:v7.4.0` is none.
pub(super) fn is_secret_label(name: &str) -> bool {
    if !is_secret_name(name, false) {
        return false;
    }
    if SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) || holds_jfrog(name) {
        return true;
    }
    let segs = segments(name);
    segs.iter()
        .rposition(|s| !s.bytes().all(|b| b.is_ascii_digit()))
        .is_some_and(|last| credential_at(&segs, last))
}

/// Credential words a segment may be or end with (lowercase; [`credential_at`]).
const GLUED: &[&str] = &[
    "token",
    "tokens",
    "secret",
    "secrets",
    "password",
    "passwords",
    "passwd",
    "passphrase",
    "credential",
    "credentials",
    "cookie",
    "cookies",
    "auth",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "authkey",
    "masterkey",
    "accountkey",
];

/// Credential words a segment must be, whole (lowercase).
const WHOLE: &[&str] = &[
    "authorization",
    "authorisation",
    "authentication",
    "authenticate",
    "authn",
    "authz",
];

/// Credential words that count only as a name's last segment, digits aside (lowercase): short
/// words a longer word or a name's first part would hold (`bypass`, `PATH`, `credsStore`).
/// `pat` is a personal access token (GitHub's `CR_PAT`, `GH_PAT`).
const LAST: &[&str] = &["pass", "pwd", "pw", "creds", "pat"];

/// A segment before `key` that makes it readable: a public key is published by design.
const KEY_READABLE_BEFORE: &[&str] = &["public", "pub"];
/// A segment after `key` that makes it readable: it names which key, not the key.
const KEY_READABLE_AFTER: &[&str] = &["id", "ids", "ring", "fingerprint"];

/// The segments of a name: its runs of letters and digits, split again at a camelCase step
/// (`apiKey`, `XAuthToken` → `X`, `Auth`, `Token`; `APIKey` → `API`, `Key`) and between
/// letters and digits (`cookie2`).
pub(super) fn segments(name: &str) -> Vec<&str> {
    let b = name.as_bytes();
    let mut segs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                segs.push(name.get(s..i).unwrap_or_default());
            }
            continue;
        }
        let Some(s) = start else {
            start = Some(i);
            continue;
        };
        let prev = b.get(i.wrapping_sub(1)).copied().unwrap_or(b' ');
        let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let step = prev.is_ascii_lowercase() && c.is_ascii_uppercase()
            || prev.is_ascii_digit() != c.is_ascii_digit()
            || prev.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower;
        if step {
            segs.push(name.get(s..i).unwrap_or_default());
            start = Some(i);
        }
    }
    if let Some(s) = start {
        segs.push(name.get(s..).unwrap_or_default());
    }
    segs
}

/// True when `segs[i]` is a credential word where it stands (the rule in the module doc).
pub(super) fn credential_at(segs: &[&str], i: usize) -> bool {
    let Some(seg) = segs.get(i) else {
        return false;
    };
    let is = |words: &[&str], s: Option<&&str>| {
        s.is_some_and(|s| words.iter().any(|w| s.eq_ignore_ascii_case(w)))
    };
    if GLUED.iter().any(|w| ends_with_ci(seg, w)) || is(WHOLE, Some(seg)) {
        return true;
    }
    if is(&["key", "keys"], Some(seg)) {
        let before = i.checked_sub(1).and_then(|p| segs.get(p));
        return !is(KEY_READABLE_BEFORE, before) && !is(KEY_READABLE_AFTER, segs.get(i + 1));
    }
    is(LAST, Some(seg))
        && segs
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .all(|s| s.bytes().all(|b| b.is_ascii_digit()))
}

/// True when a segment of `name` is a credential word ([`credential_at`]), or the name holds
/// `x-jfrog-art-api`.
pub(super) fn has_credential_segment(name: &str) -> bool {
    let segs = segments(name);
    (0..segs.len()).any(|i| credential_at(&segs, i)) || holds_jfrog(name)
}

/// True when `name` holds [`JFROG`], ASCII case-insensitively.
fn holds_jfrog(name: &str) -> bool {
    name.as_bytes()
        .windows(JFROG.len())
        .any(|w| w.eq_ignore_ascii_case(JFROG.as_bytes()))
}

/// Artifactory's API key header: secret by its whole name (its words are no credential words).
const JFROG: &str = "x-jfrog-art-api";

/// True when `s` ends with `end`, ASCII case-insensitively.
fn ends_with_ci(s: &str, end: &str) -> bool {
    s.len()
        .checked_sub(end.len())
        .and_then(|at| s.get(at..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(end))
}

/// True when the value under a secret name is readable all the same: a content digest
/// ([`is_digest`]), or a directory under a `pwd` name (the shell's `PWD=/home/user`: a value
/// starting with `/`).
pub(super) fn readable_value(name: &str, value: &str) -> bool {
    let v = value.trim_start_matches(['"', '\\', '\'']);
    is_digest(value)
        || v.starts_with('/')
            && segments(name)
                .iter()
                .rev()
                .find(|s| !s.bytes().all(|b| b.is_ascii_digit()))
                .is_some_and(|s| s.eq_ignore_ascii_case("pwd"))
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
        if readable_value(name.as_str(), value) {
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

/// How many bytes of `rest` (what follows a name's `=`) are its value: a quoted value
/// ([`quoted_len`]), else a bare word up to a space, `&`, `#`, a double quote or a backslash; a
/// bare value of `=` alone is none (a base64 word's padding). 0 when there is no value.
pub(super) fn value_len(rest: &str) -> usize {
    let n = quoted_len(rest);
    if n > 0 {
        return n;
    }
    let stop = |c: char| matches!(c, '&' | '#' | '"' | '\\') || c.is_whitespace();
    let pad = rest.len() - rest.trim_start_matches('=').len();
    let word = rest.get(pad..).unwrap_or_default();
    match word.chars().next() {
        Some(c) if !stop(c) => pad + word.find(stop).unwrap_or(word.len()),
        _ => 0,
    }
}

/// How far a quoted value's closing quote is looked for: a secret is shorter, and a text of
/// many `password="…` without their closing quotes costs no more than this per name.
const QUOTED_MAX: usize = 256;

/// How many bytes of `rest` are a quoted value: `\"…\"`, `"…"` or `'…'`, the closing quote
/// with it. A value with spaces (`password="correct horse battery staple"`) is taken whole when
/// its closing quote comes within [`QUOTED_MAX`] bytes on the same line and ends a word (the
/// text ends or a space, `,`, `;`, `)`, `]`, `}`, `&`, a quote or a backslash follows); else
/// up to its first space or quote. A quote followed by a space is taken for the closing quote
/// of the text around it (`msg="set password=" user=…`): no value (0), so the next field's own
/// secret is still found.
pub(super) fn quoted_len(rest: &str) -> usize {
    for (open, quote) in [("\\\"", '"'), ("\"", '"'), ("'", '\'')] {
        let Some(inner) = rest.strip_prefix(open) else {
            continue;
        };
        let run = inner
            .find(|c: char| c == quote || c == '\\' || c.is_whitespace())
            .unwrap_or(inner.len());
        if run == 0 {
            return 0;
        }
        let after = inner.get(run..).unwrap_or_default();
        if after.starts_with(open) {
            return open.len() + run + open.len();
        }
        if after.starts_with([' ', '\t'])
            && let Some(close) = whole_quoted(inner, open)
        {
            return open.len() + close + open.len();
        }
        return open.len() + run;
    }
    0
}

/// Where `inner` (a quoted value after its opening quote, with a space in it) closes with
/// `open` ending a word, within [`QUOTED_MAX`] bytes and on the line: its length, else `None`.
fn whole_quoted(inner: &str, open: &str) -> Option<usize> {
    let mut end = inner.len().min(QUOTED_MAX);
    while !inner.is_char_boundary(end) {
        end -= 1;
    }
    let window = inner.get(..end).unwrap_or_default();
    let close = window.find(open)?;
    let body = inner.get(..close)?;
    if body.contains(['\n', '\r']) || open == "\"" && body.contains('\\') {
        return None;
    }
    let next = inner.get(close + open.len()..)?.chars().next();
    let ends_word = next.is_none_or(|c| {
        c.is_whitespace() || matches!(c, ',' | ';' | ')' | ']' | '}' | '&' | '"' | '\'' | '\\')
    });
    ends_word.then_some(close)
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

/// [`LABEL`](super) over `s`: the value after every secret label (`Password: …`,
/// `password:…`, `token = …`, a Go map's `NPM_TOKEN:…`) masked, its quotes kept, a scheme word
/// before it kept (`token: Bearer REDACTED`); borrowed when nothing was. The rules that keep
/// prose, image references and the next field of a Go struct readable are in the module doc.
pub(super) fn mask_labels<'a>(re: &regex::Regex, s: &'a str) -> Cow<'a, str> {
    let mut out = String::new();
    let (mut done, mut at) = (0, 0);
    while let Some(c) = re.captures_at(s, at) {
        let (Some(all), Some(name), Some(sep)) = (c.get(0), c.get(2), c.get(3)) else {
            break;
        };
        let value_at = all.end();
        at = value_at;
        let colon = sep.as_str().contains(':');
        let spaced = sep.as_str().bytes().any(is_space);
        let rest = s.get(value_at..).unwrap_or_default();
        let Some((from, len)) = label_value(s, name.start(), name.as_str(), rest, colon, spaced)
        else {
            continue;
        };
        let value = rest.get(from..from + len).unwrap_or_default();
        out.push_str(s.get(done..value_at + from).unwrap_or_default());
        out.push_str(&masked(value));
        done = value_at + from + len;
        at = done;
    }
    if done == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(s.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

/// Where the secret value of the label `name` (at `name_at` in `text`, `rest` after its
/// separator) starts in `rest` and how long it is; `None` when the name is no secret's, the
/// label reads as prose or as an image reference, or the value is none, masked already or
/// readable.
fn label_value(
    text: &str,
    name_at: usize,
    name: &str,
    rest: &str,
    colon: bool,
    spaced: bool,
) -> Option<(usize, usize)> {
    let tight = colon && !spaced;
    let prose = colon && spaced && is_prose(text, name_at, name);
    let secret = if tight {
        is_secret_label(name)
    } else {
        is_secret_name(name, false)
    };
    if !secret {
        return None;
    }
    let measure = |r: &str| if colon { label_len(r) } else { value_len(r) };
    let mut from = 0;
    let mut len = measure(rest);
    let first = rest.get(..len).unwrap_or_default();
    // `Token: Bearer abc`: the scheme word stays, the word after it is the value.
    if ["bearer", "basic", "token", "digest"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
    {
        let after = rest.get(len..).unwrap_or_default();
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        if gap == 0 {
            return None;
        }
        from = len + gap;
        len = measure(after.get(gap..).unwrap_or_default());
    }
    let value = rest.get(from..from + len).unwrap_or_default();
    let bare = value.trim_matches(['"', '\'', '\\']);
    let next_field = value.ends_with(':')
        || spaced
            && value.starts_with(|c: char| c.is_ascii_uppercase())
            && value
                .bytes()
                .find(|b| !is_name_byte(*b))
                .is_some_and(|b| b == b':');
    let port =
        tight && !bare.is_empty() && bare.len() <= 5 && bare.bytes().all(|b| b.is_ascii_digit());
    let plain = prose
        && !(bare.bytes().any(|b| b.is_ascii_digit())
            && bare.bytes().any(|b| b.is_ascii_alphabetic()));
    let skip = len == 0
        || bare.is_empty()
        || bare.ends_with(MASK)
        || NO_VALUE.iter().any(|w| bare.eq_ignore_ascii_case(w))
        || value.starts_with('[')
        || next_field
        || port
        || plain
        || tight && value.starts_with("//")
        || readable_value(name, value);
    (!skip).then_some((from, len))
}

/// What a label shows for no credential (`authorization: none`, a Go struct's `Auth:<nil>`,
/// `insecure_token: false`): left as it is.
const NO_VALUE: &[&str] = &[
    "none", "null", "nil", "<nil>", "<none>", "-", "true", "false",
];

/// True when `name` (at `at` in `text`) reads as a word of prose before a colon rather than a
/// label: a plain lowercase word (`token`, `password`) after another word (`oauth token:`).
fn is_prose(text: &str, at: usize, name: &str) -> bool {
    if !name.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let before = text.get(..at).unwrap_or_default().as_bytes();
    let Some((&lead, head)) = before.split_last() else {
        return false;
    };
    if lead != b' ' && lead != b'\t' {
        return false;
    }
    head.iter()
        .rev()
        .find(|b| !is_space(**b))
        .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// How many bytes of `rest` (what follows a label's colon) are its value: a quoted value
/// ([`quoted_len`]), else a bare word up to a space, a quote, a backslash, `]`, `}`, `)`, `,`,
/// `;` or `&` (a Go map or struct printed with `%v` ends its value there).
pub(super) fn label_len(rest: &str) -> usize {
    let n = quoted_len(rest);
    if n > 0 {
        return n;
    }
    let stop = |c: char| {
        matches!(c, '"' | '\'' | '\\' | ']' | '}' | ')' | ',' | ';' | '&') || c.is_whitespace()
    };
    rest.find(stop).unwrap_or(rest.len())
}

/// What may stand before a label's name (the [`LABEL`](super) pattern's lead): a space, a quote,
/// `(`, `,`, `{`, `[` or `;`.
pub(super) fn is_label_lead(b: u8) -> bool {
    is_space(b) || matches!(b, b'"' | b'\'' | b'(' | b',' | b'{' | b'[' | b';')
}

/// True when the name run `text[from..to]` may be a label's name to the [`LABEL`](super)
/// pattern: it starts the text or follows a label lead, and a colon (after spaces or tabs), a
/// `=` after spaces or tabs, or a `=` and a space or tab follow it. A necessary condition.
pub(super) fn may_be_label(text: &[u8], from: usize, to: usize) -> bool {
    let lead = from.checked_sub(1).and_then(|i| text.get(i)).copied();
    if !lead.is_none_or(is_label_lead) {
        return false;
    }
    let rest = text.get(to..).unwrap_or_default();
    let gap = rest
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    match rest.get(gap) {
        Some(b':') => true,
        Some(b'=') => gap > 0 || rest.get(gap + 1).is_some_and(|b| matches!(b, b' ' | b'\t')),
        _ => false,
    }
}

/// True when the label pass would mask the value after the name run `text[from..to]`: it may
/// be a label's name ([`may_be_label`]) and the label's rules take its value
/// ([`label_value`]). Exact, so the prefilter sends no Go error chain (`failed to authorize:
/// …`, `oauth token: unexpected status`) through the full passes; the separator is read as the
/// [`LABEL`](super) pattern reads it.
pub(super) fn label_masks(text: &str, from: usize, to: usize) -> bool {
    let b = text.as_bytes();
    if !may_be_label(b, from, to) {
        return false;
    }
    let rest = b.get(to..).unwrap_or_default();
    let blank = |r: &[u8]| r.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    let gap = blank(rest);
    let colon = rest.get(gap) == Some(&b':');
    let after = gap + 1 + blank(rest.get(gap + 1..).unwrap_or_default());
    let spaced = after > gap + 1 || gap > 0;
    let (Some(name), Some(value)) = (text.get(from..to), text.get(to + after..)) else {
        return false;
    };
    label_value(text, from, name, value, colon, spaced).is_some()
}

/// [`ENCODED_PARAM`](super)'s match (everything up to the value, the name, the value): a
/// query parameter of a percent-encoded url inside a url (`?next=https%3A%2F%2Fx%2Fcb%3Ftoken
/// %3Dabc`, once or twice encoded), masked when its name is secret as a query parameter's.
pub(super) fn mask_encoded_param(c: &regex::Captures<'_>) -> String {
    let value = c[0].get(c[1].len()..).unwrap_or_default();
    if !value.is_empty() && is_secret_name(&c[2], true) && !readable_value(&c[2], value) {
        format!("{}{MASK}", &c[1])
    } else {
        c[0].to_owned()
    }
}

/// `"name":"value` (the [`JSON_SECRET`](super) pattern: everything up to the value, the name, the
/// value): the value masked when the name is secret.
pub(super) fn mask_json_key(c: &regex::Captures<'_>) -> String {
    let value = c[0].get(c[1].len()..).unwrap_or_default();
    if is_secret_name(&c[2], false) && !readable_value(&c[2], value) {
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
            // The fourth review: `pass`, `pwd`, `passphrase`.
            "--pass",
            "DB_PASS",
            "smtp_pass2",
            "pwd",
            "MYSQL_PWD",
            "passphrase",
            "SSH_PASSPHRASE",
            "secretKey",
            "private_key",
            "x-auth-token",
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
            // The fourth review's over-masking: a word inside another word, a public key, a
            // key's id.
            "author",
            "authority",
            "authorized",
            "authored_by",
            "public_key",
            "ssh_pub_key",
            "key_id",
            "keyId",
            "keyring",
            "keyboard",
            "monkey",
            "turkey",
            "hockey",
            "tokenizer",
            "pass_through",
            "bypass",
            "OLDPWD",
        ] {
            assert!(!is_secret_name(readable, false), "{readable}");
        }
        assert!(is_secret_name("key", true));
        assert!(is_secret_name("KEY", true));
        assert!(!is_secret_name("offline_token", true));
    }

    #[test]
    fn names_split_into_segments() {
        for (name, want) in [
            ("api_key", vec!["api", "key"]),
            ("apiKey", vec!["api", "Key"]),
            ("XAuthToken", vec!["X", "Auth", "Token"]),
            ("APIKey", vec!["API", "Key"]),
            ("GITHUB_TOKEN", vec!["GITHUB", "TOKEN"]),
            ("set-cookie2", vec!["set", "cookie", "2"]),
            ("x-auth-token.1", vec!["x", "auth", "token", "1"]),
            ("--pass", vec!["pass"]),
            ("", vec![]),
        ] {
            assert_eq!(segments(name), want, "{name}");
        }
        // A `pwd` name's directory is readable, its password not.
        assert!(readable_value("PWD", "/home/user"));
        assert!(readable_value("pwd", "\"/srv\""));
        assert!(!readable_value("pwd", "hunter2"));
        assert!(!readable_value("DB_PASS", "/x"));
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
            // A quoted value with spaces is taken whole (the review: `password="a b c"`
            // showed `b c`); not when its quote does not close a word.
            ("\\\"q3 q4\\\"", 9),
            ("\\\"q3 q4\\\"x", 4),
            ("\\\"\\\"", 0),
            ("\"q\" x", 3),
            ("\"q r\"", 5),
            ("\"q r\", x", 5),
            ("\"q r", 2),
            ("'a b c' d", 7),
            ("\" user=bob", 0),
            ("'q'x", 3),
            ("''x", 3),
            ("ab\u{a0}c", 2),
        ] {
            assert_eq!(value_len(rest), len, "{rest:?}");
        }
    }
}
