//! [`FetchEvent`]: one registry request and its response, built from `do request` and
//! `fetch response received` entries.
//!
//! Pure: entries in, events out. Knows no files, terminals or knowledge base.

use serde::Serialize;

use super::auth::AuthChallenge;
use super::finding::FindingKind;
use super::headers::{Header, HeaderFilter, headers_into};
use super::intern::{Interner, Shared};
use super::note::{self, Side};
use super::redact::Scrub;
use super::url::{
    ObjectKind, classify_path, kind_from_accept, query_param, query_unescape, registry_of_ref,
    split_url,
};
use crate::parse::{Entry, Level, Timestamp};

/// containerd `remotes/docker/resolver.go` (1.4+), request.do.
pub const MSG_DO_REQUEST: &str = "do request";
/// containerd `remotes/docker/resolver.go` (1.4+), right after client.Do.
pub const MSG_RESPONSE: &str = "fetch response received";
/// containerd 1.5–1.7 `trying next host` (+ ` - response was http.StatusNotFound`);
/// 2.0+ also `trying next host after status: <Status>`.
pub const MSG_TRYING_NEXT: &str = "trying next host";
/// containerd 2.0+: the last host failed (`fetch failed`, `fetch failed after status: <Status>`).
pub const MSG_FETCH_FAILED: &str = "fetch failed";
/// containerd ≥ 2.4 (`doWithTransportRetries`): a request to the last host failed at the
/// transport (a timeout, an EOF) and is sent again to the same host (`error`, `attempt`).
pub const MSG_TRANSPORT_RETRY: &str = "transient transport error, retrying";
/// containerd resolver.go retryRequest on 401, field `header`.
pub const MSG_UNAUTHORIZED: &str = "Unauthorized";
/// containerd resolver.go Resolve, field `host`.
pub const MSG_RESOLVING: &str = "resolving";
/// containerd auth/fetch.go and BuildKit util/resolver/authorizer.go, fields `status`, `body`.
pub const MSG_TOKEN_FAILED: &str = "token request failed";
/// containerd pusher.go, field `url`: the HEAD that asks whether the registry has the content
/// before a push uploads it follows (a 404 there means "upload it").
pub const MSG_PUSH_CHECK: &str = "checking and pushing to";

/// The line numbers of one event: a request and its response (most events) are kept inline,
/// with no allocation of their own (32 bytes of heap per kept event as a `Vec`).
pub type LineNumbers = smallvec::SmallVec<[u64; 2]>;

/// One registry request with its response (either may be missing from the log).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchEvent {
    /// Position in the model's event sequence.
    pub id: usize,
    /// Index of the source the lines came from.
    pub source: u32,
    /// `GET`, `HEAD`, `POST`…; `None` when only the response was logged.
    pub method: Option<Shared>,
    /// The request url (redacted), when the log has it.
    pub url: Option<Box<str>>,
    /// The host contacted; `None` when the log does not say.
    pub host: Option<Shared>,
    /// For a pull logged without a host (BuildKit ≥ v0.16 inside its spans): the host the
    /// mirror routes of `--config` place it on (who answered, by its fingerprint), as its
    /// `hosts` row counts it (`mirror.gcr.io?`). Set when it completes; `None` where no route
    /// places it, and for a request whose log names its host.
    pub inferred_host: Option<Shared>,
    /// The registry asked for: the `ns=` upstream, else the span's image ref; `None` when the
    /// lines name neither (a direct request: its registry is the host's,
    /// [`canonical_registry`](super::url::canonical_registry), as `events` prints it).
    pub registry: Option<Shared>,
    /// Repository path (`library/alpine`).
    pub repository: Option<Shared>,
    /// What was fetched.
    pub kind: ObjectKind,
    /// Content digest (from the url or the `digest` field).
    pub digest: Option<Box<str>>,
    /// Media type (`mediatype` field).
    pub media_type: Option<Shared>,
    /// Size in bytes (`size` field, else the response's content-length).
    pub size: Option<u64>,
    /// HTTP status code.
    pub status: Option<u16>,
    /// Status text as logged (`200 OK`).
    pub status_text: Option<Shared>,
    /// Time of the request line.
    pub started: Option<Timestamp>,
    /// Time of the response (or failure) line.
    pub finished: Option<Timestamp>,
    /// Request headers in line order.
    pub request_headers: Vec<Header>,
    /// Response headers in line order.
    pub response_headers: Vec<Header>,
    /// `traceID`.
    pub trace_id: Option<Shared>,
    /// `spanID`.
    pub span_id: Option<Shared>,
    /// BuildKit's span name (`resolving docker.io/library/alpine:latest`, v0.16+).
    pub span: Option<Shared>,
    /// Id of the server fingerprint that matched (`google-cloud-storage`).
    pub server: Option<Shared>,
    /// Why that fingerprint matched.
    pub server_why: Option<Shared>,
    /// The upstream named by `?ns=` (a mirror request).
    pub mirror_of: Option<Shared>,
    /// The `WWW-Authenticate` challenge of a 401.
    pub challenge: Option<Box<AuthChallenge>>,
    /// A transport or resolver error attached to this request.
    pub error: Option<Box<str>>,
    /// Highest level among its lines.
    pub level: Option<Level>,
    /// A push's existence check (the HEAD after `checking and pushing to`): no pull, and its
    /// 404 is the answer "not there yet", no failure.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub push_check: bool,
    /// A 401 answering the retry of a 401 for the same path (sent after that one came back):
    /// the token or credentials were refused, no challenge.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub retry_refused: bool,
    /// Announced by a `resolving` line of its host (dockerd / containerd 1.6 log one before
    /// the first attempt of a resolve on each host, none before a retry): the first request of
    /// a pull there, so never the retry of an earlier 401 ([`super::finding`]).
    #[serde(skip)]
    pub first_attempt: bool,
    /// Its failure (not an auth failure) was got past: another host, or a retry, served its
    /// object next, as its findings' `recovered_by` say (`super::recover`). Kept on the event
    /// too: the model keeps at most `MAX_FINDINGS` findings (the explorer lets the oldest go),
    /// and a trace whose findings went still shows its `↩`.
    #[serde(skip)]
    pub recovered: bool,
    /// An auth failure's finding was made on it (a refused retry, a 403, a token fetch that
    /// failed): kept on the event for the same reason as `recovered`, so that its row still
    /// reads as an auth failure once that finding is let go.
    #[serde(skip)]
    pub auth_failed: bool,
    /// Its url came from the error that closed it (`trying next host`, a transport retry: the
    /// error names the url), not from its own lines: BuildKit ≥ v0.16 logged the request
    /// without one. Its answer (a retry's, the next host's) has none either
    /// (`super::recover`).
    #[serde(skip)]
    pub url_from_error: bool,
    /// Findings made of it past `MAX_FINDINGS`, which the model counts but does not keep (the
    /// headless commands): the first one's kind and how many (at most 255). `events` prints
    /// them as `findings_omitted`, so an event past the cap still says what failed.
    #[serde(skip)]
    pub omitted: Option<(FindingKind, u8)>,
    /// Every line number (1-based, in its source) the event was built from.
    pub lines: LineNumbers,
}

impl FetchEvent {
    /// True for 4xx/5xx or a transport error; not for an auth challenge ([`is_challenge`]).
    ///
    /// [`is_challenge`]: FetchEvent::is_challenge
    pub fn failed(&self) -> bool {
        self.error.is_some()
            || self.status.is_some_and(|s| s >= 400)
                && !self.is_challenge()
                && !(self.push_check && self.status == Some(404))
    }

    /// True for a request that reads the registry as a pull does (GET, HEAD), not a push's
    /// upload or existence check.
    pub fn is_pull(&self) -> bool {
        !self.push_check
            && self
                .method
                .as_deref()
                .is_none_or(|m| m == "GET" || m == "HEAD")
    }

    /// True for the first step of an authenticated pull: a 401 with a `Bearer` or `Basic`
    /// challenge that answered a first attempt (not [`retry_refused`]) and that nothing marked
    /// as an error. A challenge naming an error (`invalid_token`: an expired cached token) is
    /// one too on a first attempt: containerd's authorizer (`invalidAuthorization`) refuses
    /// only when the same request got such a challenge twice, and otherwise fetches a token and
    /// retries; the retry's answer decides (a second `insufficient_scope` is the refusal). containerd answers it by fetching a token, or taking the
    /// credentials, and sending the request again; a failure shows in what follows (a failed
    /// token fetch, a refused retry, `trying next host`, or nothing on the host succeeding
    /// afterwards: an auth finding), so it counts as no failure of its own: not in a host's
    /// errors, a trace's errors or a mirror's fallbacks. Every pull from Docker Hub, GHCR or
    /// Harbor starts with one, every pull from a registry (or mirror) behind basic auth too.
    ///
    /// [`retry_refused`]: FetchEvent::retry_refused
    pub fn is_challenge(&self) -> bool {
        self.status == Some(401)
            && self.error.is_none()
            && !self.retry_refused
            && self.challenge.as_ref().is_some_and(|c| {
                c.scheme.eq_ignore_ascii_case("bearer") || c.scheme.eq_ignore_ascii_case("basic")
            })
    }

    /// A finding of it was counted but not kept (past `MAX_FINDINGS`): see [`FetchEvent::omitted`].
    pub fn note_omitted(&mut self, kind: FindingKind) {
        match &mut self.omitted {
            Some((_, n)) => *n = n.saturating_add(1),
            None => self.omitted = Some((kind, 1)),
        }
    }

    /// Milliseconds from request to response.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.started?.millis_until(self.finished?))
    }

    /// Bytes of the object fetched, as far as the log says: for an answered GET the object's
    /// size (the descriptor's `size` field) or else the answer's `content-length`. None for a
    /// HEAD (its answer has no body: `content-length` is what a GET would bring), for a push's
    /// POST, PUT or PATCH (any method but GET: the `size` containerd's push handler logs is the
    /// descriptor's, the body that went out, and the answer brings none of the object), for an
    /// error answer (a 404, a 429 or a 401 challenge brings an error text, not the object
    /// asked for) and for a request that got no answer. A request logged without its method
    /// counts as a GET.
    pub fn bytes(&self) -> Option<u64> {
        if self.failed()
            || self.status.is_some_and(|s| s >= 400)
            || self.method.as_deref().is_some_and(|m| m != "GET")
        {
            return None;
        }
        self.size.or_else(|| {
            self.response_header("content-length")
                .and_then(|v| v.trim().parse().ok())
        })
    }

    /// First response header `name`.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|h| &*h.name == name)
            .map(|h| h.value.as_str())
    }

    /// First request header `name`.
    pub fn request_header(&self, name: &str) -> Option<&str> {
        self.request_headers
            .iter()
            .find(|h| &*h.name == name)
            .map(|h| h.value.as_str())
    }

    /// The host to show: the contacted host, else `unknown`.
    pub fn host_or_unknown(&self) -> &str {
        self.host.as_deref().unwrap_or("unknown")
    }

    /// Fills the request side from a `do request` entry.
    pub(super) fn set_request(
        &mut self,
        e: &Entry<'_>,
        scrub: Scrub<'_>,
        only: Option<&HeaderFilter>,
        names: &mut Interner,
    ) {
        self.method = names.opt(note::get(e, note::METHOD, "request.method"));
        self.started = e.timestamp();
        headers_into(e, Side::Request, scrub, only, &mut self.request_headers);
        self.apply_context(e, scrub, names);
        if self.kind == ObjectKind::Unknown
            && let Some(accept) = self.request_header("accept")
        {
            self.kind = kind_from_accept(accept);
        }
    }

    /// Fills the response side from a `fetch response received` entry.
    pub(super) fn set_response(
        &mut self,
        e: &Entry<'_>,
        scrub: Scrub<'_>,
        only: Option<&HeaderFilter>,
        names: &mut Interner,
    ) {
        self.finished = e.timestamp();
        // containerd ≥1.4: `response.status`; 1.2/1.3: `status` with `response.headers` as a map.
        if let Some(st) = note::get(e, note::RESPONSE_STATUS, "response.status")
            .or_else(|| note::get(e, note::STATUS, "status"))
        {
            self.status_text = Some(names.get(st));
            self.status = st.split(' ').next().and_then(|c| c.parse().ok());
        }
        headers_into(e, Side::Response, scrub, only, &mut self.response_headers);
        self.apply_context(e, scrub, names);
    }

    /// The request's url and what it says: host, repository, object kind, digest, the `ns=`
    /// upstream of a mirror request. Kept scrubbed.
    pub(super) fn apply_url(&mut self, url: &str, scrub: Scrub<'_>, names: &mut Interner) {
        if let Some(parts) = split_url(url) {
            self.host.get_or_insert_with(|| names.get(parts.host));
            let (repo, kind) = classify_path(parts.path);
            if self.repository.is_none() {
                self.repository = names.opt(repo);
            }
            if kind != ObjectKind::Unknown {
                self.kind = kind;
            }
            if let Some(ns) = query_param(parts.query, "ns") {
                self.mirror_of = Some(names.get(&query_unescape(ns)));
            }
            if self.kind == ObjectKind::Blob || self.kind == ObjectKind::Manifest {
                let last = parts.path.rsplit('/').next().unwrap_or("");
                if last.starts_with("sha256:") {
                    self.digest.get_or_insert_with(|| last.into());
                }
            }
        }
        self.url = Some(scrub.text(url).into_owned().into_boxed_str());
    }

    /// Fields containerd and BuildKit add from the context: url, host, digest, span ids.
    pub(super) fn apply_context(&mut self, e: &Entry<'_>, scrub: Scrub<'_>, names: &mut Interner) {
        let c = Context::of(e);
        if self.url.is_none()
            && let Some(url) = c.url
        {
            self.apply_url(url, scrub, names);
        }
        if self.host.is_none()
            && let Some(h) = c.host
        {
            self.host = Some(names.get(h));
        }
        if let Some(d) = c.digest {
            self.digest.get_or_insert_with(|| d.into());
        }
        if let Some(m) = c.mediatype {
            self.media_type.get_or_insert_with(|| names.get(m));
        }
        if let Some(s) = c.size.and_then(|s| s.parse().ok()) {
            self.size.get_or_insert(s);
        }
        for (slot, value) in [
            (&mut self.trace_id, c.trace_id),
            (&mut self.span_id, c.span_id),
            (&mut self.span, c.span),
        ] {
            if slot.is_none()
                && let Some(v) = value
            {
                *slot = Some(names.get(v));
            }
        }
        if self.registry.is_none() {
            self.registry = self
                .mirror_of
                .clone()
                .or_else(|| span_ref(self.span.as_deref()).map(|r| names.get(registry_of_ref(r))));
        }
        self.level = self.level.max(e.level);
    }
}

/// The context fields of an entry, the first of each as [`Entry::get`] finds it, in one pass.
#[derive(Default)]
struct Context<'e> {
    url: Option<&'e str>,
    host: Option<&'e str>,
    digest: Option<&'e str>,
    mediatype: Option<&'e str>,
    size: Option<&'e str>,
    trace_id: Option<&'e str>,
    span_id: Option<&'e str>,
    span: Option<&'e str>,
}

impl<'e> Context<'e> {
    fn of(e: &'e Entry<'_>) -> Self {
        let mut c = Context::default();
        for f in &e.fields {
            let slot = match note::named(f.note, &f.key) {
                note::URL => &mut c.url,
                note::HOST => &mut c.host,
                note::DIGEST => &mut c.digest,
                note::MEDIATYPE => &mut c.mediatype,
                note::SIZE => &mut c.size,
                note::TRACE_ID => &mut c.trace_id,
                note::SPAN_ID => &mut c.span_id,
                note::SPAN => &mut c.span,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(f.value.as_ref());
            }
        }
        c
    }
}

/// The image ref of a BuildKit span name (`resolving docker.io/library/alpine:latest`).
pub fn span_ref(span: Option<&str>) -> Option<&str> {
    let s = span?;
    let r = s
        .strip_prefix("resolving ")
        .or_else(|| s.strip_prefix("pulling "))?;
    Some(r.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_refs() {
        assert_eq!(
            span_ref(Some("resolving docker.io/library/alpine:latest")),
            Some("docker.io/library/alpine:latest")
        );
        assert_eq!(span_ref(Some("other")), None);
    }
}
