//! Which upstream a completed pull request was for and the mirror it went to ([`route`]), and
//! why ([`Reason`], written out only when kept as evidence).

use super::config::MirrorConfig;
use crate::model::fetch::FetchEvent;
use crate::model::host::ServerRules;
use crate::model::url::{canonical_registry, registry_key};

/// Why an event counts for a verdict, written out only when kept as evidence.
pub(super) enum Reason<'a> {
    Ns {
        h: &'a str,
        ns: &'a str,
    },
    UpstreamItself,
    Configured {
        h: &'a str,
    },
    Straight {
        h: &'a str,
    },
    ServedBehind {
        server: &'a str,
        why: &'a str,
        m: &'a str,
    },
    ServedUpstream {
        server: &'a str,
    },
}

impl Reason<'_> {
    pub(super) fn text(&self, method: &str, obj: &str, outcome: &str) -> String {
        match self {
            Reason::Ns { h, ns } => format!("{method} {obj} to {h} with ns={ns}: {outcome}"),
            Reason::UpstreamItself => format!("{method} {obj} to the upstream itself: {outcome}"),
            Reason::Configured { h } => {
                format!("{method} {obj} to configured mirror {h}: {outcome}")
            }
            Reason::Straight { h } => format!("{method} {obj} straight to {h}: {outcome}"),
            Reason::ServedBehind { server, why, m } => format!(
                "{method} {obj} {outcome}, served by {server} ({why}), the server behind {m}"
            ),
            Reason::ServedUpstream { server } => {
                format!("{method} {obj} {outcome}, served by {server}, the upstream's own server")
            }
        }
    }
}

/// Which upstream a completed pull request was for, and the mirror it went to (`None`: the
/// upstream itself), with why; `None` when the log cannot tell (no url, no host, no fingerprint
/// a configured registry stands behind). What [`MirrorTracker::observe`] counts.
///
/// [`MirrorTracker::observe`]: super::MirrorTracker::observe
pub(super) fn route<'e>(
    config: &'e MirrorConfig,
    ev: &'e FetchEvent,
    rules: &'e ServerRules,
    server_rule: Option<usize>,
) -> Option<(&'e str, Option<&'e str>, Reason<'e>)> {
    let host = ev.host.as_deref();
    if let Some(ns) = &ev.mirror_of {
        let up = canonical_registry(ns);
        return Some(match host {
            Some(h) if registry_key(h) != registry_key(up) => (up, Some(h), Reason::Ns { h, ns }),
            _ => (up, None, Reason::UpstreamItself),
        });
    }
    if let Some(h) = host {
        return Some(match config.upstream_of(h) {
            Some(up) => (up, Some(h), Reason::Configured { h }),
            None => (canonical_registry(h), None, Reason::Straight { h }),
        });
    }
    // No url, no host: who answered is the only evidence. When the span names the image
    // (`resolving gcr.io/distroless/static`), only that registry's mirrors are candidates:
    // gcr.io answers from Google Cloud Storage as mirror.gcr.io does, and is no pull of
    // docker.io through it.
    let rule = server_rule?;
    let server = rules.rule(rule).map_or("?", |r| r.name.as_str());
    let asked = ev.registry.as_deref().map(registry_key);
    let candidate = |up: &str| asked.as_deref().is_none_or(|a| a == up);
    let hit = config
        .mirrors
        .iter()
        .filter(|(up, _)| candidate(up))
        .find_map(|(up, ms)| {
            ms.iter()
                .find(|m| rules.serves(rule, m))
                .map(|m| (up.as_str(), m.as_str()))
        });
    match hit {
        Some((up, m)) => {
            let why = ev.server_why.as_deref().unwrap_or("");
            Some((up, Some(m), Reason::ServedBehind { server, why, m }))
        }
        None => {
            let up = config
                .mirrors
                .keys()
                .find(|u| candidate(u) && rules.serves(rule, u))?;
            Some((up.as_str(), None, Reason::ServedUpstream { server }))
        }
    }
}
