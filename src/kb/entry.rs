//! [`Entry`]: one knowledge-base entry as written in `kb/entries/**/*.yaml` — what a failure looks
//! like in the log (signatures), why it happens, the ranked fixes, the dead ends, versions, docs.
//!
//! Pure data and its validation. The schema is documented for users in `kb/README.md`; every
//! struct refuses unknown keys, and a bad regex is refused while the file is read, so both come
//! back with a line and column.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::model::auth::AuthKind;
use crate::model::classify::ErrorKind;
use crate::model::finding::FindingKind;
use crate::model::mirror::Verdict;

/// The prefix of the serde error a bad regex raises; `kb::load` turns it into `KbError::BadRegex`.
pub(super) const BAD_REGEX: &str = "bad regex";

/// A regular expression (Rust `regex` syntax), checked when the file is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Pattern(pub String);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match regex::Regex::new(&s) {
            Ok(_) => Ok(Pattern(s)),
            Err(e) => Err(de::Error::custom(format!(
                "{BAD_REGEX} '{s}': {}",
                first_line(&e.to_string())
            ))),
        }
    }
}

fn first_line(s: &str) -> String {
    // regex errors are multi-line (the pattern, a caret, the reason); keep the reason.
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

/// English text with an optional Chinese translation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(default)]
    pub zh: Option<String>,
}

impl Text {
    /// The Chinese text when asked for and present, else the English.
    pub fn get(&self, zh: bool) -> &str {
        match (&self.zh, zh) {
            (Some(z), true) if !z.trim().is_empty() => z,
            _ => &self.en,
        }
    }
}

/// A finding kind as a signature names it: a model kind name, or `auth` / `error` for any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindName {
    /// Any auth failure.
    Auth,
    /// Any other error.
    Error,
    /// `failed to fetch oauth token`.
    OauthToken,
    /// `failed to fetch anonymous token`.
    AnonymousToken,
    /// A `Basic` 401 that stays.
    Basic,
    /// `insufficient_scope`.
    InsufficientScope,
    /// 403 / `denied`.
    Denied,
    /// Another auth failure.
    Unknown,
    /// `connection refused`.
    ConnectionRefused,
    /// Name resolution failed.
    Dns,
    /// `x509: certificate signed by unknown authority`.
    TlsUnknownAuthority,
    /// `server gave HTTP response to HTTPS client`.
    HttpToHttps,
    /// Timeouts.
    Timeout,
    /// 429.
    RateLimited,
    /// 404.
    NotFound,
    /// No response logged by the end of the input.
    NoResponse,
    /// Any other error.
    Other,
}

impl KindName {
    /// True when a finding of kind `k` is one this name stands for.
    pub fn covers(self, k: FindingKind) -> bool {
        match (self, k) {
            (KindName::Auth, FindingKind::Auth(_)) | (KindName::Error, FindingKind::Error(_)) => {
                true
            }
            (n, FindingKind::Auth(a)) => n.auth() == Some(a),
            (n, FindingKind::Error(e)) => n.error() == Some(e),
        }
    }

    fn auth(self) -> Option<AuthKind> {
        Some(match self {
            KindName::OauthToken => AuthKind::OauthToken,
            KindName::AnonymousToken => AuthKind::AnonymousToken,
            KindName::Basic => AuthKind::Basic,
            KindName::InsufficientScope => AuthKind::InsufficientScope,
            KindName::Denied => AuthKind::Denied,
            KindName::Unknown => AuthKind::Unknown,
            _ => return None,
        })
    }

    fn error(self) -> Option<ErrorKind> {
        Some(match self {
            KindName::ConnectionRefused => ErrorKind::ConnectionRefused,
            KindName::Dns => ErrorKind::Dns,
            KindName::TlsUnknownAuthority => ErrorKind::TlsUnknownAuthority,
            KindName::HttpToHttps => ErrorKind::HttpToHttps,
            KindName::Timeout => ErrorKind::Timeout,
            KindName::RateLimited => ErrorKind::RateLimited,
            KindName::NotFound => ErrorKind::NotFound,
            KindName::NoResponse => ErrorKind::NoResponse,
            KindName::Other => ErrorKind::Other,
            _ => return None,
        })
    }
}

/// A mirror verdict word as a signature names it (the `summary --json` words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictName {
    /// Every pull went through the mirror.
    Used,
    /// Some did.
    Partial,
    /// None did.
    Unused,
    /// The log cannot tell.
    Unknown,
}

impl VerdictName {
    /// True for the model's verdict `v`.
    pub fn is(self, v: Verdict) -> bool {
        matches!(
            (self, v),
            (VerdictName::Used, Verdict::Used)
                | (VerdictName::Partial, Verdict::Partial)
                | (VerdictName::Unused, Verdict::Unused)
                | (VerdictName::Unknown, Verdict::Unknown)
        )
    }
}

/// A response header a signature asks for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSig {
    /// Header name, any case (logged lowercase).
    pub name: String,
    /// Regex matched from the start of the value (lead with `.*` to search); absent means "the
    /// header is present".
    #[serde(default)]
    pub value: Option<Pattern>,
}

/// What must hold for an entry to match: every condition given (an AND); an entry matches when
/// any of its signatures does (an OR).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Regex on the log message (`trying next host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<Pattern>,
    /// Regex on the error text (the `error=` field, a pasted client error, the status text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Pattern>,
    /// HTTP status, any of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<u16>,
    /// A response header of the request the finding belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderSig>,
    /// The model's classification, any of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<KindName>,
    /// Regex on the registry host (for a verdict: the mirror host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Pattern>,
    /// Regex on the request url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Pattern>,
    /// Regex the request url must not match; a finding without a url passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_url: Option<Pattern>,
    /// Mirror verdict, any of; a signature with a verdict matches mirror verdicts only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdict: Vec<VerdictName>,
    /// For a verdict: whether any request to the mirror failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_failed: Option<bool>,
    /// For a finding: whether its registry has a configured mirror that no request went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_untried: Option<bool>,
    /// For a finding: whether its request went to a mirror, as the mirror verdicts count it
    /// (`?ns=`, a configured mirror's host, or where the log has no url the server a
    /// configured mirror stands behind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_mirror: Option<bool>,
    /// For a finding: whether the next host served its request (`recovered_by`: a mirror's
    /// miss the upstream answered), so the pull did not fail on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<bool>,
    /// Added to the match score (ties and deliberate precedence).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub weight: i32,
}

fn is_zero(w: &i32) -> bool {
    *w == 0
}

impl Signature {
    /// True when the signature is about mirror verdicts rather than findings.
    pub fn is_verdict(&self) -> bool {
        !self.verdict.is_empty() || self.mirror_failed.is_some()
    }

    /// Why the signature cannot be used, if it cannot.
    pub fn problem(&self) -> Option<&'static str> {
        let finding_conditions = self.msg.is_some()
            || self.text.is_some()
            || !self.status.is_empty()
            || self.header.is_some()
            || !self.kind.is_empty()
            || self.url.is_some()
            || self.not_url.is_some()
            || self.mirror_untried.is_some()
            || self.to_mirror.is_some()
            || self.recovered.is_some();
        if self.is_verdict() && finding_conditions {
            Some(
                "a signature with 'verdict' or 'mirror_failed' matches mirror verdicts and may only add 'host' and 'weight'",
            )
        } else if !self.is_verdict() && !finding_conditions && self.host.is_none() {
            Some("a signature needs at least one condition")
        } else if !self.is_verdict() && !finding_conditions {
            Some("a signature with only 'host' would match every failure on that host")
        } else {
            None
        }
    }
}

/// A tool version line of the compatibility table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// `BuildKit`, `buildx`, `Docker Engine`, `containerd`, `docker/cli`.
    pub tool: String,
    /// `affected`, `fixed`, `changed`, `added`.
    pub status: String,
    /// First version it applies to.
    #[serde(default)]
    pub introduced: Option<String>,
    /// Version it stopped applying.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// What changed.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A fix, best first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Workaround {
    /// What to do.
    pub text: Text,
    /// Commands or config to apply, verbatim.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Measured share of users it fixed (percent); unset when nobody measured it.
    #[serde(default)]
    pub success_rate: Option<u8>,
}

/// Something people try that does not fix it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeadEnd {
    /// What is tried.
    pub what: String,
    /// Why it does not work.
    pub why: Text,
    /// Measured share of attempts that fail (percent); unset when nobody measured it.
    #[serde(default)]
    pub fail_rate: Option<u8>,
}

/// A source that backs the entry: a fixture, an issue, a source file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// A path in this repository or a URL.
    pub source: String,
    /// What it shows.
    pub note: String,
}

/// One knowledge-base entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `category/name`, lowercase, unique.
    pub id: String,
    /// Other ids that resolve to this entry (older names, the seed's).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line.
    pub title: String,
    /// The title in Chinese.
    #[serde(default)]
    pub title_zh: Option<String>,
    /// `auth`, `mirror`, `network`, `tls`, `registry`, `cache`, `ratelimit`.
    pub category: String,
    /// When it matches.
    pub signatures: Vec<Signature>,
    /// Why it happens.
    pub root_cause: Text,
    /// Which versions it concerns.
    #[serde(default)]
    pub versions: Vec<Version>,
    /// Fixes, best first; the first one must fix the problem.
    pub workarounds: Vec<Workaround>,
    /// What does not work, and why.
    #[serde(default)]
    pub dead_ends: Vec<DeadEnd>,
    /// Documentation links.
    #[serde(default)]
    pub docs: Vec<String>,
    /// Measured share of cases the first workaround fixed (percent); unset when not measured.
    #[serde(default)]
    pub fix_rate: Option<u8>,
    /// How sure the entry is of its root cause when a signature matches (percent, editorial).
    pub confidence: u8,
    /// Sources backing it.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Date of the earliest report it is based on (`YYYY-MM-DD`).
    #[serde(default)]
    pub first_seen: Option<String>,
}

impl Entry {
    /// The title in the language asked for.
    pub fn title(&self, zh: bool) -> &str {
        match (&self.title_zh, zh) {
            (Some(t), true) if !t.trim().is_empty() => t,
            _ => &self.title,
        }
    }

    /// Problems serde cannot see, each with the key it concerns.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !valid_id(&self.id) {
            out.push((
                "id",
                format!(
                    "id '{}' must be lowercase words joined by '-', grouped with '/' (like 'auth/oauth-token-401')",
                    self.id
                ),
            ));
        }
        for a in &self.aliases {
            if !valid_id(a) {
                out.push(("aliases", format!("alias '{a}' is not a valid id")));
            }
        }
        if self.title.trim().is_empty() {
            out.push(("title", "title is empty".to_owned()));
        }
        if self.signatures.is_empty() {
            out.push((
                "signatures",
                "an entry needs at least one signature".to_owned(),
            ));
        }
        for (i, s) in self.signatures.iter().enumerate() {
            if let Some(p) = s.problem() {
                out.push(("signatures", format!("signature {}: {p}", i + 1)));
            }
        }
        if self.root_cause.en.trim().is_empty() {
            out.push(("root_cause", "root_cause.en is empty".to_owned()));
        }
        if self.workarounds.is_empty() {
            out.push((
                "workarounds",
                "an entry needs at least one workaround".to_owned(),
            ));
        }
        let rates = self
            .workarounds
            .iter()
            .map(|w| w.success_rate)
            .chain(self.dead_ends.iter().map(|d| d.fail_rate))
            .chain([self.fix_rate, Some(self.confidence)]);
        if rates.flatten().any(|r| r > 100) {
            out.push(("confidence", "rates are percentages: 0 to 100".to_owned()));
        }
        if let Some(d) = &self.first_seen
            && !valid_date(d)
        {
            out.push((
                "first_seen",
                format!("first_seen '{d}' is not a YYYY-MM-DD date"),
            ));
        }
        out
    }
}

/// `auth/oauth-token-401`: lowercase ascii words of `[a-z0-9]` joined by `-`, `.` or `_`, grouped by `/`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
                && part
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric())
        })
}

fn valid_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
