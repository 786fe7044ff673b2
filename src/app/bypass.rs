//! Why a pull went to its upstream registry rather than a mirror, for the detail pane: the
//! question the explorer is opened for ("why does my build hit docker.io?") asked of one row.
//!
//! A request the mirror routes place on the upstream itself ([`Model::mirror_route`]: no
//! mirror) of a registry that has one (configured, or seen in the log) gets a `mirror` line:
//! a fallback names the mirror request that failed for the same object just before it
//! (`not used: a fallback after 127.0.0.1:5001 answered 404 Not Found (lines 74–77)`);
//! otherwise it went straight past the mirror (`not used: straight to docker.io, past
//! its mirror mirror.gcr.io`). The Mirrors view's verdict counts the same requests; this
//! names one.
//!
//! The failed mirror request is looked for among the [`LOOK_BACK`] events before this one
//! (containerd asks the next host at once), by the object path the model pairs requests by
//! (`Model::object_path`: a configured path mirror's base taken off); for a request logged
//! without a url (BuildKit ≥ v0.16, its host inferred from who answered), by its span and
//! object kind.

use crate::model::Model;
use crate::model::fetch::FetchEvent;

/// How many events before a request the failed mirror request it fell back from is looked for.
pub const LOOK_BACK: usize = 64;

/// What the detail pane's `mirror` line says of `ev`, when it went to an upstream that has a
/// mirror.
pub fn note(model: &Model, ev: &FetchEvent) -> Option<String> {
    let (upstream, None) = model.mirror_route(ev)? else {
        return None;
    };
    let mirrors = model.mirrors_of(upstream);
    if mirrors.is_empty() {
        return None;
    }
    if let Some(from) = fell_back_from(model, ev, upstream) {
        let outcome = from
            .status_text
            .as_deref()
            .or(from.error.as_deref())
            .unwrap_or("nothing");
        let mirror = model
            .mirror_route(from)
            .and_then(|(_, m)| m)
            .unwrap_or("its mirror");
        // Its lines: the `resolving` and the request, the answer, a `trying next host`.
        let at = match (from.lines.first(), from.lines.last()) {
            (Some(a), Some(b)) if a != b => format!(" (lines {a}–{b})"),
            (Some(a), _) => format!(" (line {a})"),
            _ => String::new(),
        };
        return Some(format!(
            "not used: a fallback after {mirror} answered {outcome}{at}"
        ));
    }
    let (word, names) = match mirrors.as_slice() {
        [one] => ("mirror", (*one).to_owned()),
        many => ("mirrors", many.join(", ")),
    };
    Some(format!(
        "not used: straight to {upstream}, past its {word} {names}"
    ))
}

/// The failed mirror request of `upstream` for the same path as `ev` among the
/// [`LOOK_BACK`] events before it, latest first.
fn fell_back_from<'m>(model: &'m Model, ev: &FetchEvent, upstream: &str) -> Option<&'m FetchEvent> {
    // The object path the model pairs requests by (a configured path mirror's base taken
    // off: `/v2/proxy.docker.io/library/…` is Docker Hub's `/v2/library/…`).
    let path = ev.url.as_deref().and_then(|u| model.object_path(u));
    // Without a url (BuildKit ≥ v0.16), the same span and object kind: one resolve tries each
    // host in turn (as `model::recover` pairs a url-less failure with its recovery).
    if path.is_none() && (ev.url.is_some() || ev.span_id.is_none()) {
        return None;
    }
    let same = |e: &FetchEvent| match path {
        Some(path) => e
            .url
            .as_deref()
            .and_then(|u| model.object_path(u))
            .is_some_and(|p| p == path),
        None => e.url.is_none() && e.span_id == ev.span_id && e.kind == ev.kind,
    };
    (ev.id.saturating_sub(LOOK_BACK)..ev.id)
        .rev()
        .filter_map(|id| model.event(id))
        .filter(|e| e.source == ev.source && e.failed())
        .filter(|e| same(e))
        .find(|e| {
            model
                .mirror_route(e)
                .is_some_and(|(u, m)| m.is_some() && u.eq_ignore_ascii_case(upstream))
        })
}
