//! Errors a fallback got past. containerd tries a request's hosts in order, mirrors first: a
//! mirror's 404 (mirror.gcr.io holds only a cached subset of Docker Hub), 5xx or refused
//! connection sends the same request to the next host, and when that one serves the object
//! the pull goes on. The error stays an error (the mirror failed; its verdict says so), but
//! its finding is marked `recovered_by` the host that served the object, so a report can tell
//! "the build's pulls failed" from "a mirror missed and the upstream served it".
//!
//! A failed pull request (GET or HEAD with a url) is remembered by the hash of its object path
//! (the url's path below the host's API base: a path mirror's `/v2/proxy.docker.io` and Docker
//! Hub's `/v2` name one object, `Model::object_path`) for the next [`FAILED_PULLS`] failures
//! and [`WINDOW`] requests (containerd asks the next host at once); a later answer below 400
//! for the same object from another host marks the error findings of that request among the
//! latest [`RECENT_FINDINGS`], where one pull can have done both: the same source, within
//! [`TIME_WINDOW_MS`], the same registry (the mirror routes' upstream), and from another host
//! only after a mirror's failure (containerd asks mirrors first, the upstream last). A CI
//! review found a ghcr.io 429 "recovered" by quay.io serving the same path, and a build's 429s
//! by the next build's mirror. An answer containerd sends again to the same host (a 408 or 429,
//! a HEAD's 405: [`retried_on_its_host`]) is recovered by that host's later answer too. Auth
//! failures are never marked: an auth failure on a mirror is a mirror nobody can use, whatever
//! the upstream did next.
//!
//! A request BuildKit ≥ v0.16 logged without url or host (inside its spans) has no path; it is
//! recovered only inside a `resolving <ref>` span, where every request asks for that one
//! reference (containerd's `Resolve` tries `manifests/<ref>` on each host in turn, then, for a
//! digest, `blobs/<digest>`), by a later answer below 400 of the same span and object kind
//! (from the `Accept` header), and only when the log shows that the answer came from another
//! host: containerd said `trying next host` about the failed request (it retries a 401, 405,
//! 408 or 429 on the same host without a word, and then the same host may answer), or the
//! mirror routes ([`MirrorTracker::route_of`](super::mirror::MirrorTracker::route_of): who
//! answered, with `--config`) put the two on different hosts. `recovered_by` is then where the
//! route says the answer came from (the mirror, or the upstream registry by its name,
//! `docker.io`), else `unknown`, as the log names no host. containerd ≥ 2.4's transport retry
//! (`transient transport error, retrying`) is the other sign: it sends the request again to the
//! same host, so an answer of the span and kind recovers the retried attempts, by the host
//! their error named (a retry, [`is_retry`]), unless an attempt of the span was left for
//! another host since (`trying next host`: then a fallback, as above). The error of a
//! url-less request names its url (`failed to do request: Head "https://…"`), which the event
//! learns ([`FetchEvent::url_from_error`]); it is still matched as url-less, since its answer
//! has no url to compare. A url-less request outside such a span (a blob fetch may ask for
//! several layers in one span, and the log says neither which nor where) is never recovered,
//! whatever its error names: a refused connection or a transport retry there stays an
//! unrecovered error.

use std::hash::BuildHasher;

use super::Model;
use super::fetch::FetchEvent;
use super::intern::Shared;
use super::url::{ObjectKind, ObjectPath, registry_key};

/// Failed pull requests remembered for a later answer of their path.
pub(super) const FAILED_PULLS: usize = 64;

/// How many requests later (by event id) an answer can still recover a failure.
const WINDOW: usize = 256;

/// How far back among the findings a recovery looks for its request's error.
const RECENT_FINDINGS: usize = 64;

/// What `recovered_by` says when only the log's order tells that another host answered (the
/// `summary --json` contract's value, which scripts read: it stays so).
const UNKNOWN_HOST: &str = "unknown";

/// How a report names the host in `recovered by` (`<host> served the same object next`): the
/// host, or "another host" where the log named none (`UNKNOWN_HOST`), which is what is
/// known then. The readable report, the Markdown and the detail pane all word it so; the JSON
/// keeps `recovered_by` as it is.
pub fn recovering_host(recovered_by: &str) -> &str {
    if recovered_by == UNKNOWN_HOST {
        "another host"
    } else {
        recovered_by
    }
}

/// True when `recovered_by` names the host the error `host` failed on: a later attempt on the
/// same host was served (containerd's retry), not another host (a fallback). A recovery whose
/// host the log did not name (`UNKNOWN_HOST`, a url-less request's) is a fallback: it is
/// made only where the log shows another host answered, and the failed request's own host is
/// `unknown` too, which is no sign of the same host. Every report counts recoveries by this.
pub fn is_retry(host: &str, recovered_by: &str) -> bool {
    recovered_by != UNKNOWN_HOST && recovered_by == host
}

/// True when containerd sends a request that got this answer again to the same host
/// (`retryRequest` in remotes/docker/resolver.go: a 408 or 429, up to five times; a HEAD
/// answered 405 as a GET), so that host's later answer for the object recovers it (a review:
/// a 429 its retry got past stayed an unrecovered error and failed `--fail-on
/// unrecovered-errors`; the real `rate_limited_429.log` shows the retries, 0.1 ms apart).
fn retried_on_its_host(ev: &FetchEvent) -> bool {
    match ev.status {
        Some(408 | 429) => true,
        Some(405) => ev.method.as_deref() == Some("HEAD"),
        _ => false,
    }
}

/// How long after a failure an answer can still recover it: containerd asks the next host at
/// once and retries a 429 after a short backoff; a later pull of the same object (another
/// build of a long-lived builder) is no recovery.
const TIME_WINDOW_MS: i64 = 60_000;

/// A pull request that failed, waiting for another host to serve its object.
#[derive(Debug, Clone)]
pub(super) struct FailedPull {
    /// What it asked for.
    object: Object,
    /// The host it failed on.
    host: Option<Shared>,
    /// The registry it was a pull of (`docker.io` for a mirror's `?ns=docker.io`), lowercased,
    /// and whether it went to a mirror of it: only a mirror's failure is one containerd moves
    /// on from to another host (mirrors first, the upstream last); the upstream's own only a
    /// retry on it gets past.
    route: Option<(Box<str>, bool)>,
    /// When it failed.
    at: Option<crate::parse::Timestamp>,
    /// Its source: another file is another daemon's log (or another day's), where the same
    /// path or span id proves nothing.
    source: u32,
    /// containerd sends it again to the same host (a transient transport error, 2.4+): an
    /// answer from that host recovers it too.
    retried: bool,
    /// Its event.
    event: usize,
}

/// What a failed request asked for.
#[derive(Debug, Clone)]
enum Object {
    /// Hash of the url's object path ([`Model::object_path`]).
    Path(u64),
    /// A request logged without url inside a `resolving <ref>` span: the span's reference.
    InResolve {
        span: Shared,
        kind: ObjectKind,
        /// Where the mirror routes put it (a mirror's host, or the upstream's name).
        to: Option<Box<str>>,
        /// containerd logged `trying next host` about it.
        moved_on: bool,
    },
}

fn path_key(path: ObjectPath<'_>) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7265_636f_7665).hash_one(path)
}

/// The span id of a url-less request inside a `resolving <ref>` span, and its object kind:
/// what a url-less failure and its recovery share. A request whose url only its error named
/// ([`FetchEvent::url_from_error`]) is one too: its lines had none, nor has its answer.
pub(super) fn resolve_object(ev: &FetchEvent) -> Option<(&Shared, ObjectKind)> {
    let in_resolve = ev
        .span
        .as_deref()
        .is_some_and(|s| s.starts_with("resolving "));
    let known = matches!(ev.kind, ObjectKind::Manifest | ObjectKind::Blob);
    let url_less = ev.url.is_none() || ev.url_from_error;
    (url_less && in_resolve && known).then_some((ev.span_id.as_ref()?, ev.kind))
}

impl Model {
    /// After event `id` completed (`server_rule`: the fingerprint rule of its answer): remember
    /// it when it is a failed pull request, or mark the errors of the failed requests for its
    /// object on other hosts when it is an answer.
    pub(super) fn note_recovery(&mut self, id: usize, server_rule: Option<usize>) {
        let Some(ev) = self.events.get(id) else {
            return;
        };
        if !ev.is_pull() || ev.is_challenge() {
            return;
        }
        let failed = ev.failed();
        // containerd asks the next host at once: a failure older than the window is not
        // recovered any more (a 429 retried on its own host stays, then goes).
        while self
            .failed_pulls
            .front()
            .is_some_and(|f| id.saturating_sub(f.event) > WINDOW)
        {
            self.failed_pulls.pop_front();
        }
        // Most answers come with no failure waiting: nothing to look up.
        if !failed && (self.failed_pulls.is_empty() || ev.status.is_none_or(|s| s >= 400)) {
            return;
        }
        // Where the mirror routes put a url-less request (only those need it).
        let to = |ev: &FetchEvent| -> Option<Box<str>> {
            let (up, mirror) = self.mirrors.route_of(ev, &self.rules, server_rule)?;
            Some(mirror.unwrap_or(up).into())
        };
        let object = match resolve_object(ev) {
            None => match ev.url.as_deref().and_then(|u| self.object_path(u)) {
                Some(path) => Object::Path(path_key(path)),
                None => return,
            },
            Some((span, kind)) => {
                // The route is read for a failure, and for an answer only when a failure of
                // its span and kind waits (else nothing below can match).
                let waits = || {
                    self.failed_pulls.iter().any(|f| {
                        matches!(&f.object, Object::InResolve { span: s, kind: k, .. }
                            if s == span && *k == kind)
                    })
                };
                Object::InResolve {
                    span: span.clone(),
                    kind,
                    to: if failed || waits() { to(ev) } else { None },
                    moved_on: false,
                }
            }
        };
        // The registry a url'd request was a pull of, and whether through a mirror.
        let route_of = |ev: &FetchEvent| -> Option<(Box<str>, bool)> {
            let (up, mirror) = self.mirrors.route_of(ev, &self.rules, server_rule)?;
            Some((registry_key(up).into(), mirror.is_some()))
        };
        let at = ev.finished.or(ev.started);
        if failed {
            let route = match object {
                Object::Path(_) => route_of(ev),
                Object::InResolve { .. } => None,
            };
            if self.failed_pulls.len() == FAILED_PULLS {
                self.failed_pulls.pop_front();
            }
            self.failed_pulls.push_back(FailedPull {
                object,
                host: ev.host.clone(),
                route,
                at,
                source: ev.source,
                event: id,
                retried: retried_on_its_host(ev),
            });
            return;
        }
        let answer_host = ev.host.clone();
        // Read only when a failure of the same path waits.
        let answer_route = match object {
            Object::Path(b) => self
                .failed_pulls
                .iter()
                .any(|f| matches!(f.object, Object::Path(a) if a == b))
                .then(|| route_of(ev))
                .flatten(),
            Object::InResolve { .. } => None,
        };
        // Within the time a fallback or a retry takes, where both lines have a time.
        let soon = |f: &FailedPull| match (f.at, at) {
            (Some(a), Some(b)) => a.millis_until(b) <= TIME_WINDOW_MS,
            _ => true,
        };
        let source = ev.source;
        let other = |f: &FailedPull| {
            f.source == source
                && match (&f.object, &object) {
                    (Object::Path(a), Object::Path(b)) => {
                        let same_registry = match (&f.route, &answer_route) {
                            (Some((x, _)), Some((y, _))) => x == y,
                            _ => false,
                        };
                        let from_a_mirror = matches!(f.route, Some((_, true)));
                        a == b
                            && f.host.is_some()
                            && answer_host.is_some()
                            && same_registry
                            && soon(f)
                            && if f.host != answer_host {
                                from_a_mirror
                            } else {
                                f.retried
                            }
                    }
                    (
                        Object::InResolve {
                            span,
                            kind,
                            to,
                            moved_on,
                        },
                        Object::InResolve {
                            span: s,
                            kind: k,
                            to: t,
                            ..
                        },
                    ) => {
                        let elsewhere = matches!((to, t), (Some(a), Some(b)) if a != b);
                        span == s && kind == k && (*moved_on || f.retried || elsewhere)
                    }
                    _ => false,
                }
        };
        if !self.failed_pulls.iter().any(other) {
            return;
        }
        let mut recovered = Vec::new();
        let mut moved_on = false;
        let mut retried_on = None;
        self.failed_pulls.retain(|f| {
            let hit = other(f);
            if hit {
                recovered.push(f.event);
                match &f.object {
                    Object::InResolve { moved_on: true, .. } => moved_on = true,
                    _ if f.retried => retried_on = retried_on.take().or(f.host.clone()),
                    _ => {}
                }
            }
            !hit
        });
        let by = match &object {
            Object::Path(_) => answer_host,
            // Only attempts containerd sent again to their own host (a transport retry, whose
            // error named the host) and none it moved on from: the answer is that host's.
            Object::InResolve { .. } if !moved_on && retried_on.is_some() => retried_on,
            Object::InResolve { to, .. } => {
                Some(self.names.get(to.as_deref().unwrap_or(UNKNOWN_HOST)))
            }
        };
        // On the event too, whether or not its findings are still kept (an auth failure is
        // never recovered: a 403, or a 401 refusing the credentials).
        for &e in &recovered {
            if let Some(ev) = self.events.get_mut(e)
                && !(ev.retry_refused || ev.status == Some(403))
            {
                ev.recovered = true;
            }
        }
        let from = self.findings.len().saturating_sub(RECENT_FINDINGS);
        for f in &mut self.findings[from..] {
            if !f.kind.is_auth() && f.event.is_some_and(|e| recovered.contains(&e)) {
                f.recovered_by = by.clone();
            }
        }
    }

    /// containerd sends the failed request of event `id` again to the same host (a transient
    /// transport error): a later answer from that host recovers it.
    pub(super) fn note_retried(&mut self, id: usize) {
        for f in self.failed_pulls.iter_mut().rev().filter(|f| f.event == id) {
            f.retried = true;
        }
    }

    /// containerd said `trying next host` about the failed request of event `id`: the next
    /// request of its resolve goes to another host.
    pub(super) fn note_moved_on(&mut self, id: usize) {
        for f in self.failed_pulls.iter_mut().rev().filter(|f| f.event == id) {
            if let Object::InResolve { moved_on, .. } = &mut f.object {
                *moved_on = true;
            }
        }
    }
}
