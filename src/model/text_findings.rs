//! Findings read from text: an entry's `error` field or error level, and plain lines (a
//! client's `ERROR: failed to solve: …` pasted along), classified as auth failures or errors
//! with the host, status and realm the text names; a pull request such a text names is mirror
//! evidence (`mirror`'s module doc says when). A text no request line accounts for that tells
//! a failure found already (the client's `#3 ERROR:` and `failed to solve:` after the daemon's
//! `trying next host`, dockerd's `Download failed after 6 attempts` after the blob's 404s) is
//! folded into that finding, not counted again (`repeat`'s module doc says when).

use crate::parse::Entry;

use super::auth::auth_kind_of_text;
use super::classify::{
    ErrorKind, cause_of, error_kind_of_text, host_named_in, pull_request_in_text,
};
use super::finding::{Finding, FindingKind};
use super::url::{ObjectKind, classify_path, split_url};
use super::{Model, auth_key, redact, repeat};

impl Model {
    pub(super) fn scan_error_fields(&mut self, source: u32, line: u64, e: &Entry<'_>) {
        let err = e.get("error");
        let is_error_level = e.level.is_some_and(|l| l >= crate::parse::Level::Error);
        if err.is_none() && !is_error_level {
            return;
        }
        let text = match err {
            Some(err) => format!("{}: {err}", e.msg),
            None => e.msg.to_string(),
        };
        if !is_fetch_related(&text) {
            return;
        }
        let host = e
            .get("host")
            .or_else(|| host_named_in(&text))
            .map(str::to_owned);
        self.mirror_text(source, line, &text);
        self.text_finding(source, line, e, &text, host, None);
    }

    /// The pull request an error text names, as mirror evidence ([`MirrorTracker::observe_text`]
    /// decides whether an event accounts for it). A push's text is none: pushes go to the
    /// upstream whatever the mirrors.
    ///
    /// [`MirrorTracker::observe_text`]: super::mirror::MirrorTracker::observe_text
    pub(super) fn mirror_text(&mut self, source: u32, line: u64, text: &str) {
        if text.contains("push") || text.contains("Push") {
            return;
        }
        let Some((method, url)) = pull_request_in_text(text) else {
            return;
        };
        let url = self.opts.redact_text(url);
        let cause = self.opts.redact_text(cause_of(text));
        self.mirrors
            .observe_text((source, line), method, &url, ("an error text", &cause));
    }

    /// Plain text lines (a client's `ERROR: failed to solve: …` pasted along) can show failures too.
    pub(super) fn scan_plain_text(&mut self, source: u32, line: u64, raw: &str) {
        if raw.len() > 64 * 1024 || !is_fetch_related(raw) {
            return;
        }
        let kind = match auth_kind_of_text(raw) {
            Some(k) => FindingKind::Auth(k),
            None => FindingKind::Error(error_kind_of_text(raw)),
        };
        self.mirror_text(source, line, raw);
        let host = host_named_in(raw);
        let f = Finding {
            source,
            line,
            time: None,
            host: host.map(|h| self.names.get(h)),
            inferred_host: None,
            kind,
            status: status_in_text(raw),
            realm: realm_in_text(raw).map(|r| self.names.get(&r)),
            msg: self.names.get(""),
            text: self.scrub(raw.trim()),
            event: None,
            trace: None,
            recovered_by: None,
            to_mirror: None,
            also: None,
            object: None,
        };
        self.push_told(f);
    }

    pub(super) fn text_finding(
        &mut self,
        source: u32,
        line: u64,
        e: &Entry<'_>,
        text: &str,
        host: Option<String>,
        event: Option<usize>,
    ) {
        let mut kind = match auth_kind_of_text(text) {
            Some(k) => FindingKind::Auth(k),
            None => FindingKind::Error(error_kind_of_text(text)),
        };
        // containerd's words for a refused retry (`pull access denied … insufficient_scope`
        // on `trying next host` or `fetch failed`) explain the finding the refusal made: one
        // failure, told in those words (the knowledge base matches them), not two.
        let refused = kind
            .is_auth()
            .then(|| self.take_refusal_finding(event?))
            .flatten();
        if let Some(r) = &refused
            && kind == FindingKind::Auth(super::auth::AuthKind::Unknown)
        {
            kind = r.kind;
        }
        if kind.is_auth() {
            if let Some(h) = &host {
                self.auth.explained(h);
            }
            if let Some(k) = event.and_then(|id| self.events.get(id)).map(auth_key) {
                self.auth.explained(k);
            }
        }
        let realm = realm_in_text(text)
            .or_else(|| {
                event
                    .and_then(|id| self.events.get(id))
                    .and_then(|ev| ev.challenge.as_ref()?.realm.clone())
            })
            .or_else(|| {
                let key = host
                    .as_deref()
                    .or_else(|| event.and_then(|id| self.events.get(id)).map(auth_key))?;
                self.challenges.get(key)?.realm.clone()
            })
            .filter(|_| kind.is_auth());
        let f = Finding {
            source,
            line,
            time: e.timestamp(),
            host: host
                .as_deref()
                .map(|h| self.names.get(h))
                .or_else(|| refused.as_ref()?.host.clone()),
            inferred_host: None,
            kind,
            status: status_in_text(text).or(refused.as_ref().and_then(|r| r.status)),
            realm: realm
                .as_deref()
                .map(|r| self.names.get(r))
                .or_else(|| refused.as_ref()?.realm.clone()),
            msg: self.names.get(&e.msg),
            text: self.scrub(text),
            event,
            trace: e
                .trace_id()
                .map(|t| self.names.get(t))
                .or_else(|| event.and_then(|id| self.events.get(id)?.trace_id.clone())),
            recovered_by: None,
            to_mirror: None,
            also: None,
            object: None,
        };
        // A text no request line accounts for may tell a failure found already
        // (`model::repeat`); a request's own failure always counts.
        if event.is_none() {
            self.push_told(f);
        } else {
            let object = repeat::object_of(&f.text).map(|o| self.names.get(&o));
            self.push_finding(Finding { object, ..f });
        }
    }

    /// Takes back the finding a refused retry of event `id` made (`complete`), if it is among
    /// the last few kept, uncounting it: the text that explains it replaces it.
    fn take_refusal_finding(&mut self, id: usize) -> Option<Finding> {
        if !self.events.get(id)?.retry_refused {
            return None;
        }
        let from = self.findings.len().saturating_sub(RECENT_FINDINGS);
        let pos = self.findings[from..]
            .iter()
            .rposition(|f| f.event == Some(id) && f.kind.is_auth() && f.status == Some(401))?;
        self.counts.auth_failures = self.counts.auth_failures.saturating_sub(1);
        Some(self.findings.remove(from + pos))
    }
}

/// How far back a text's explanation looks for the refusal finding it explains: containerd
/// logs it right after the 401 (a line or two; a few with other pulls in between).
const RECENT_FINDINGS: usize = 16;

/// True when an error text is about fetching from a registry (not some other daemon error,
/// nor a build step that failed: [`BUILD_STEP_FAILURES`]).
fn is_fetch_related(t: &str) -> bool {
    if is_build_step_failure(t) {
        return false;
    }
    auth_kind_of_text(t).is_some()
        || error_kind_of_text(t) != ErrorKind::Other
            && (t.contains("failed to")
                // containerd's `pulling from host <h> failed with status code [manifests
                // <ref>]: 429 Too Many Requests`, as the client's step line shows it.
                || t.contains(" failed with status code ")
                || t.contains("unexpected status")
                || t.contains("dial tcp")
                || t.contains("not found"))
        || t.contains("failed to solve")
        || t.contains("failed to resolve")
        || t.contains("failed to do request")
        || t.contains("unexpected status")
}

/// What BuildKit says when a build step failed rather than a fetch: a `RUN` that exited
/// non-zero (`process "/bin/sh -c npm test" did not complete successfully: exit code: 1`, the
/// legacy `executor failed running [...]`), a `COPY` source that is not there (`failed to
/// compute cache key: failed to calculate checksum of ref …: "/app/package.json": not found`),
/// a Dockerfile that does not parse. The client prints them as `ERROR: failed to solve: …`
/// like a registry failure; they are no registry traffic, so no fetch error (a review: a
/// failed test step made `--fail-on errors` blame the registry, and a `curl` url in the
/// step's command became the error's host).
const BUILD_STEP_FAILURES: [&str; 8] = [
    "did not complete successfully: exit code",
    "executor failed running [",
    "failed to calculate checksum of ref",
    "dockerfile parse error",
    "Dockerfile parse error",
    "failed to read dockerfile",
    "failed to read Dockerfile",
    "unknown instruction: ",
];

fn is_build_step_failure(t: &str) -> bool {
    BUILD_STEP_FAILURES.iter().any(|w| t.contains(w))
}

/// `… 401 Unauthorized` → 401.
fn status_in_text(t: &str) -> Option<u16> {
    for (code, word) in [
        (401, "401 Unauthorized"),
        (403, "403 Forbidden"),
        (404, "404 Not Found"),
        (429, "429 Too Many Requests"),
    ] {
        if t.contains(word) {
            return Some(code);
        }
    }
    None
}

/// The token endpoint named by `unexpected status from POST request to <url>:`, when that url
/// is one: the same words name a registry url when a push or a HEAD is refused
/// (`… from POST request to https://ghcr.io/v2/o/r/blobs/uploads/: 403 Forbidden`), which is
/// no realm.
fn realm_in_text(t: &str) -> Option<String> {
    let i = t.find(" request to ")?;
    let rest = &t[i + 12..];
    let end = rest.find(": ").unwrap_or(rest.len());
    let url = &rest[..end];
    let url = url.split('?').next().unwrap_or(url);
    let token_url = split_url(url).is_some_and(|p| classify_path(p.path).1 == ObjectKind::Token);
    let token_fetch = t.contains("fetch oauth token") || t.contains("fetch anonymous token");
    (url.contains("://") && (token_url || token_fetch)).then(|| redact::text(url).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The url after `request to` is a realm when it is a token endpoint or the text is about
    /// fetching a token; a refused push or HEAD names a registry url, which is none.
    #[test]
    fn a_realm_is_a_token_endpoint_not_any_url() {
        let oauth = "failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.docker.io/token: 401 Unauthorized";
        assert_eq!(
            realm_in_text(oauth).as_deref(),
            Some("https://auth.docker.io/token")
        );
        let gitlab = "failed to fetch anonymous token: unexpected status from GET request to https://gitlab.example/jwt/auth?scope=x: 403 Forbidden";
        assert_eq!(
            realm_in_text(gitlab).as_deref(),
            Some("https://gitlab.example/jwt/auth")
        );
        let gcr = "unexpected status from GET request to https://gcr.io/v2/token?scope=x: 401 Unauthorized";
        assert_eq!(
            realm_in_text(gcr).as_deref(),
            Some("https://gcr.io/v2/token")
        );
        let push = "failed to push ghcr.io/o/r:1: unexpected status from POST request to https://ghcr.io/v2/o/r/blobs/uploads/: 403 Forbidden";
        assert_eq!(realm_in_text(push), None);
        let head = "unexpected status from HEAD request to https://r.example/v2/o/r/manifests/1: 401 Unauthorized";
        assert_eq!(realm_in_text(head), None);
    }

    /// A build step that failed is no fetch error, in the client's words as BuildKit writes
    /// them (a review's repro: a `RUN` that exited 1, a `COPY` source missing, a Dockerfile
    /// typo, a `curl` in a step whose url became the error's host); a registry failure under
    /// the same `failed to solve:` still is (the real client line of
    /// `tests/fixtures/public-issues/dataverse-11239-dns-timeout.log`, and the real 404 of
    /// `dockerd-20.10/not_found_404.client.txt`).
    #[test]
    fn a_failed_build_step_is_no_fetch_error_and_a_registry_failure_still_is() {
        for step in [
            r#"ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref x::y: "/app/package.json": not found"#,
            r#"ERROR: failed to solve: process "/bin/sh -c npm test" did not complete successfully: exit code: 1"#,
            r#"ERROR: failed to build: failed to solve: process "/bin/sh -c curl -fsSL https://artifactory.corp.example/x" did not complete successfully: exit code: 22"#,
            "failed to solve with frontend dockerfile.v0: failed to build LLB: executor failed running [/bin/sh -c make]: exit code: 2",
            "ERROR: failed to solve: dockerfile parse error on line 3: unknown instruction: RUNN",
            "failed to solve with frontend dockerfile.v0: failed to read dockerfile: open Dockerfile: no such file or directory",
        ] {
            assert!(!is_fetch_related(step), "{step}");
            let mut m = Model::new(super::super::ModelOptions::default());
            m.ingest_text(0, &format!("{step}\n"));
            m.finish();
            assert!(m.findings().is_empty(), "{step}: {:?}", m.findings());
        }
        let dns =
            include_str!("../../tests/fixtures/public-issues/dataverse-11239-dns-timeout.log");
        let client = include_str!("../../tests/fixtures/dockerd-20.10/not_found_404.client.txt");
        for (what, log) in [("dns", dns), ("404", client)] {
            let mut m = Model::new(super::super::ModelOptions::default());
            m.ingest_text(0, log);
            m.finish();
            assert!(!m.findings().is_empty(), "{what}");
        }
    }
}
