//! Auth challenges (`WWW-Authenticate`) and the kinds of auth failure.
//!
//! Pure: header values and error texts in, typed values out.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AuthChallenge {
    /// `Bearer` or `Basic` (as written).
    pub scheme: String,
    /// The token endpoint (`realm=`).
    pub realm: Option<String>,
    /// `service=`.
    pub service: Option<String>,
    /// `scope=`.
    pub scope: Option<String>,
    /// `error=` (`insufficient_scope`, `invalid_token`).
    pub error: Option<String>,
}

/// Challenges remembered per host (or span), for errors that name no realm: the most recent
/// [`RecentChallenges::KEEP`] keys, so a long log of distinct spans stays bounded.
#[derive(Debug, Default)]
pub(super) struct RecentChallenges {
    map: BTreeMap<String, AuthChallenge>,
    order: VecDeque<String>,
}

impl RecentChallenges {
    /// Keys kept; an error follows its 401 within a few lines.
    pub const KEEP: usize = 1024;

    /// Remembers the challenge of `key` (replacing an older one).
    pub fn insert(&mut self, key: &str, c: &AuthChallenge) {
        if let Some(old) = self.map.get_mut(key) {
            old.clone_from(c);
            return;
        }
        self.map.insert(key.to_owned(), c.clone());
        self.order.push_back(key.to_owned());
        if self.order.len() > Self::KEEP
            && let Some(oldest) = self.order.pop_front()
        {
            self.map.remove(&oldest);
        }
    }

    /// The challenge of `key`.
    pub fn get(&self, key: &str) -> Option<&AuthChallenge> {
        self.map.get(key)
    }
}

/// Parses `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"`.
/// Never fails: missing parts stay `None`.
pub fn parse_challenge(header: &str) -> AuthChallenge {
    let header = header.trim();
    let (scheme, params) = header.split_once(' ').unwrap_or((header, ""));
    let mut c = AuthChallenge {
        scheme: scheme.to_owned(),
        ..AuthChallenge::default()
    };
    let b = params.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && matches!(b[i], b' ' | b',') {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && b[i] != b',' {
            i += 1;
        }
        let key = params[key_start..i].trim().to_ascii_lowercase();
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        let value = if b.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            let v = params
                .get(start..i.min(b.len()))
                .unwrap_or("")
                .replace("\\\"", "\"");
            i += 1;
            v
        } else {
            let start = i;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
            params[start..i].trim().to_owned()
        };
        match key.as_str() {
            "realm" => c.realm = Some(value),
            "service" => c.service = Some(value),
            "scope" => c.scope = Some(value),
            "error" => c.error = Some(value),
            _ => {}
        }
    }
    c
}

/// What kind of auth failure a line shows. The names are the `summary --json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum AuthKind {
    /// `failed to fetch oauth token`: credentials were sent to the token endpoint and refused.
    OauthToken,
    /// `failed to fetch anonymous token`: no credentials, and the anonymous token was refused.
    AnonymousToken,
    /// Basic auth refused or missing (`no basic auth credentials`, a `Basic` 401 that stays).
    Basic,
    /// `insufficient_scope`: the token lacks pull/push rights on the repository.
    InsufficientScope,
    /// 403 / `denied`.
    Denied,
    /// The client's credential helper (`docker-credential-<name>`) failed or is missing:
    /// `error getting credentials - err: …`. No credentials reach the registry.
    CredentialHelper,
    /// An auth failure of another kind.
    Unknown,
}

impl AuthKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::OauthToken => "oauth-token",
            AuthKind::AnonymousToken => "anonymous-token",
            AuthKind::Basic => "basic",
            AuthKind::InsufficientScope => "insufficient-scope",
            AuthKind::Denied => "denied",
            AuthKind::CredentialHelper => "credential-helper",
            AuthKind::Unknown => "unknown",
        }
    }
}

/// The auth failure an error text names, if any.
pub fn auth_kind_of_text(text: &str) -> Option<AuthKind> {
    let t = text;
    if t.contains("failed to fetch oauth token") {
        Some(AuthKind::OauthToken)
    } else if t.contains("failed to fetch anonymous token") {
        Some(AuthKind::AnonymousToken)
    } else if t.contains("insufficient_scope") {
        Some(AuthKind::InsufficientScope)
    } else if t.contains("error getting credentials - err: ")
        || t.contains("error listing credentials - err: ")
    {
        // The kb's `auth/credential-helper` (a review: `--fail-on auth` passed such a build,
        // its finding an error of kind `other`).
        Some(AuthKind::CredentialHelper)
    } else if t.contains("no basic auth credentials") {
        Some(AuthKind::Basic)
    } else if t.contains("denied: ")
        || t.contains("403 Forbidden")
        || t.contains("requested access to the resource is denied")
    {
        Some(AuthKind::Denied)
    } else if t.contains("pull access denied")
        || t.contains("authorization failed")
        || t.contains("failed to authorize")
        || t.contains("unauthorized: ")
        || t.contains("401 Unauthorized")
        || t.contains("failed to find supported auth scheme")
    {
        Some(AuthKind::Unknown)
    } else {
        None
    }
}

/// The auth failure a challenge implies for a 401 that was not overcome.
pub fn auth_kind_of_challenge(c: Option<&AuthChallenge>) -> AuthKind {
    match c {
        Some(c) if c.error.as_deref() == Some("insufficient_scope") => AuthKind::InsufficientScope,
        Some(c) if c.scheme.eq_ignore_ascii_case("basic") => AuthKind::Basic,
        _ => AuthKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_hub_challenge() {
        let c = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull",error="insufficient_scope""#,
        );
        assert_eq!(c.scheme, "Bearer");
        assert_eq!(c.realm.as_deref(), Some("https://auth.docker.io/token"));
        assert_eq!(c.service.as_deref(), Some("registry.docker.io"));
        assert_eq!(c.scope.as_deref(), Some("repository:library/alpine:pull"));
        assert_eq!(c.error.as_deref(), Some("insufficient_scope"));
        assert_eq!(
            auth_kind_of_challenge(Some(&c)),
            AuthKind::InsufficientScope
        );
    }

    #[test]
    fn parses_basic_and_broken_challenges() {
        let c = parse_challenge(r#"Basic realm="Registry Realm""#);
        assert_eq!(c.scheme, "Basic");
        assert_eq!(c.realm.as_deref(), Some("Registry Realm"));
        assert_eq!(auth_kind_of_challenge(Some(&c)), AuthKind::Basic);
        for broken in [
            "",
            "Bearer",
            "Bearer realm=\"unterminated",
            "Bearer ,,,=,=\"",
            "Bearer realm=***,service=\"x\"",
        ] {
            let _ = parse_challenge(broken);
        }
        assert_eq!(
            parse_challenge("Bearer realm=***,service=\"x\"")
                .service
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn classifies_auth_texts() {
        let cases = [
            (
                "failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 401 Unauthorized",
                AuthKind::OauthToken,
            ),
            (
                "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                AuthKind::AnonymousToken,
            ),
            (
                "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
                AuthKind::InsufficientScope,
            ),
            (
                "failed to authorize: no basic auth credentials",
                AuthKind::Basic,
            ),
            (
                "unexpected status code https://x/v2/a/manifests/b: 403 Forbidden",
                AuthKind::Denied,
            ),
            (
                "pull access denied, repository does not exist or may require authorization: authorization failed",
                AuthKind::Unknown,
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(auth_kind_of_text(text), Some(kind), "{text}");
        }
        assert_eq!(
            auth_kind_of_text("dial tcp 127.0.0.1:5001: connect: connection refused"),
            None
        );
    }

    /// A credential helper that failed is an auth failure (the real client lines of
    /// `tests/fixtures/public-issues/*credential-helper.log`): `--fail-on auth` holds.
    #[test]
    fn a_failed_credential_helper_is_an_auth_failure() {
        for log in [
            include_str!("../../tests/fixtures/public-issues/buildx-2395-credential-helper.log"),
            include_str!(
                "../../tests/fixtures/public-issues/rancher-desktop-8313-credential-helper.log"
            ),
        ] {
            let mut m = super::super::Model::new(super::super::ModelOptions::default());
            m.ingest_text(0, log);
            m.finish();
            let s = super::super::Summary::from_model(&m);
            let kinds: Vec<&str> = s.auth_failures.iter().map(|a| a.kind).collect();
            assert_eq!(kinds, ["credential-helper"], "{log}");
            assert!(s.errors.is_empty(), "{:?}", s.errors);
        }
        assert_eq!(
            auth_kind_of_text("error getting credentials - err: exit status 1, out: ``"),
            Some(AuthKind::CredentialHelper)
        );
    }
}
