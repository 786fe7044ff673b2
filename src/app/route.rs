//! The host a request logged without url or host went to, as the mirror verdicts inferred it.
//!
//! BuildKit ≥ v0.16 logs its requests inside spans with neither url nor host, so the log
//! names no host for them (`unknown`). The model still counts each such pull in a mirror
//! verdict ([`Model::mirror_route`]): the fingerprint of who answered (kb `servers.yaml`:
//! Google Cloud Storage answers for `mirror.gcr.io`, Docker Hub's rate-limit headers for
//! `docker.io`) against the mirrors `--config` names for the registry the span asks for. Without
//! `--config` no mirror is known and no route is inferred; a challenge, a token or a ping has
//! none either.
//!
//! Wherever the explorer shows a host, an inferred one is written host + [`MARK`]
//! (`mirror.gcr.io?`, `docker.io?`): "went there, by inference", never logged. A cut keeps the
//! mark (`ui::text::fit_host` cuts the name before it). Not an arrow: `→` already joins an
//! upstream to its mirror and a request to its status. The `host` filter field matches the
//! inferred host too (`app::filter`).

use std::borrow::Cow;

use crate::model::Model;
use crate::model::fetch::FetchEvent;

/// What an inferred host is written with, after it (the model keys its counts of an inferred
/// host with it too: `model::stats::INFERRED_MARK`).
pub const MARK: char = crate::model::stats::INFERRED_MARK;

/// Where a request logged without a host went, by inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inferred<'e> {
    /// The registry the pull was for (`docker.io`).
    pub upstream: &'e str,
    /// The mirror it went to; `None`: the upstream itself.
    pub mirror: Option<&'e str>,
}

impl<'e> Inferred<'e> {
    /// The host the request went to: the mirror, else the upstream.
    pub fn host(&self) -> &'e str {
        self.mirror.unwrap_or(self.upstream)
    }

    /// As a host column shows it: `mirror.gcr.io?` (not yet made inert).
    pub fn marked(&self) -> String {
        format!("{}{MARK}", self.host())
    }
}

/// The inferred route of `ev`: only for a request whose host the log did not give.
pub fn inferred<'e>(model: &'e Model, ev: &'e FetchEvent) -> Option<Inferred<'e>> {
    if ev.host.is_some() {
        return None;
    }
    of(model, ev)
}

/// The route of any pull request as the mirror verdicts count it ([`Model::mirror_route`]):
/// by `?ns=`, by a `--config` mirror's host, else (no host logged) by who answered. What the
/// `registry` filter field reads, so that with `--config` a request to a configured mirror
/// without `?ns=` is its upstream's, as the verdicts count it.
pub fn of<'e>(model: &'e Model, ev: &'e FetchEvent) -> Option<Inferred<'e>> {
    let (upstream, mirror) = model.mirror_route(ev)?;
    Some(Inferred { upstream, mirror })
}

/// The host `ev` went to for the `host` filter field: the logged one, else the inferred one
/// (unmarked); `None` when neither is known.
pub fn host_of<'e>(model: &'e Model, ev: &'e FetchEvent) -> Option<&'e str> {
    ev.host
        .as_deref()
        .or_else(|| inferred(model, ev).map(|r| r.host()))
}

/// The host as the explorer shows it: the logged one, else the inferred one and `?`, else
/// `unknown`. Not yet made inert: the caller cleans it as any log text.
pub fn shown_host<'e>(model: &'e Model, ev: &'e FetchEvent) -> Cow<'e, str> {
    shown(ev, inferred(model, ev))
}

/// [`shown_host`] with the route already looked up ([`inferred`]).
pub fn shown<'e>(ev: &'e FetchEvent, route: Option<Inferred<'_>>) -> Cow<'e, str> {
    match (&ev.host, route) {
        (Some(h), _) => Cow::Borrowed(h),
        (None, Some(r)) => Cow::Owned(r.marked()),
        (None, None) => Cow::Borrowed("unknown"),
    }
}

/// The detail pane's `route` line: `docker.io via mirror.gcr.io (inferred, no host logged: …)`
/// with what it was inferred from, the answer's fingerprint and the `--config` mirrors.
pub fn detail(ev: &FetchEvent, r: &Inferred<'_>) -> String {
    let server = ev.server.as_deref().unwrap_or("?");
    let why = ev
        .server_why
        .as_deref()
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    let up = r.upstream;
    match r.mirror {
        Some(m) => format!(
            "{up} via {m} (inferred, no host logged: answered by {server}{why}, the server \
             behind {m}, a --config mirror of {up})"
        ),
        None => format!(
            "{up} directly (inferred, no host logged: answered by {server}{why}, {up}'s own \
             server)"
        ),
    }
}
