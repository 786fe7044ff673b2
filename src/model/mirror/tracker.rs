//! [`MirrorTracker`]: what it counts, per (upstream, mirror) pair and per upstream, from completed
//! fetch events and from the pull requests error texts name.

use std::collections::{BTreeMap, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};

use super::config::MirrorConfig;
use super::route::{Reason, route};
use super::verdict::{Evidence, SERVED_BY_MIRROR, push_ev};
use crate::model::fetch::FetchEvent;
use crate::model::host::ServerRules;
use crate::model::url::{
    ObjectKind, classify_path, mirror_key, query_param, query_unescape, registry_key, split_url,
};

/// Upstreams whose direct pulls are counted before any mirror of theirs is seen.
const MAX_UNPAIRED_UPSTREAMS: usize = 256;

/// Manifest and blob requests of the latest events remembered (by host and path) to tell
/// whether an error text names one of them: containerd logs its error a few lines after the
/// request (32 KiB whatever the log's length; `summary` stays within its memory bound).
const RECENT_REQUESTS: usize = 4096;

/// Requests named only in error texts that are kept (one per host and path).
const MAX_TEXT_REQUESTS: usize = 256;

#[derive(Debug, Default, Clone)]
pub(super) struct PairTally {
    pub(super) via: u64,
    pub(super) fallbacks: u64,
    pub(super) via_ev: Vec<Evidence>,
    pub(super) fallback_ev: Vec<Evidence>,
}

#[derive(Debug, Default, Clone)]
pub(super) struct UpstreamTally {
    pub(super) direct: u64,
    pub(super) direct_ev: Vec<Evidence>,
}

/// Accumulates mirror evidence from completed events and from error texts.
#[derive(Debug, Default, Clone)]
pub struct MirrorTracker {
    pub(super) config: MirrorConfig,
    pub(super) pairs: BTreeMap<(String, String), PairTally>,
    pub(super) upstreams: BTreeMap<String, UpstreamTally>,
    /// [`request_key`]s of the latest manifest and blob requests events accounted for.
    recent: VecDeque<u64>,
    /// Pull requests named in error texts, one per key, in the order seen; those an event
    /// accounts for (before or after the text) are marked.
    pub(super) texts: Vec<TextRequest>,
}

/// A pull request an error text names ([`MirrorTracker::observe_text`]).
#[derive(Debug, Clone)]
pub(super) struct TextRequest {
    pub(super) source: u32,
    pub(super) line: u64,
    key: u64,
    /// The url's `host[:port]`.
    pub(super) host: String,
    /// Its `ns=` parameter: a mirror request of that upstream.
    pub(super) ns: Option<String>,
    /// What it was: `HEAD manifest to <host> (<url>), named only in an error text: <cause>`.
    pub(super) why: String,
    /// An event has the same host and path: it counted that request already.
    pub(super) accounted: bool,
}

/// The key one request shares with its events and texts: host (any case) and path.
fn request_key(host: &str, path: &str) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x6b73_636f_7065).build_hasher();
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        host.to_ascii_lowercase().hash(&mut h);
    } else {
        host.hash(&mut h);
    }
    path.hash(&mut h);
    h.finish()
}

impl MirrorTracker {
    /// A tracker that knows the configured mirrors.
    pub fn new(config: MirrorConfig) -> Self {
        MirrorTracker {
            config,
            ..Self::default()
        }
    }

    /// Feeds one completed event; `line` is the line that completed it, and `answered` the
    /// line of its answer where that is another (a challenge found failed later: the line
    /// cited shows the next host was tried, the evidence names the answer's line too).
    pub fn observe(
        &mut self,
        ev: &FetchEvent,
        rules: &ServerRules,
        server_rule: Option<usize>,
        (line, answered): (u64, Option<u64>),
    ) {
        self.note_request(ev);
        // An auth challenge is neither served nor a fallback: the retry's answer, or `trying
        // next host`, says which it was (`FetchEvent::is_challenge`).
        // A push (its uploads, its existence checks) goes to the upstream whatever the mirrors:
        // BuildKit gives a mirror pull and resolve only. It is no pull bypassing them.
        if matches!(ev.kind, ObjectKind::Ping | ObjectKind::Token)
            || ev.is_challenge()
            || !ev.is_pull()
        {
            return;
        }
        // A request the input ended before answering (a log cut mid-request, the first of two
        // files split there): nothing says whether its host served it or the next host was
        // tried, so it counts neither way (the explorer, still waiting for its answer, does
        // not count it either). Its `no-response` finding reports it.
        if ev.status.is_none() && ev.error.as_deref() == Some(crate::model::NO_RESPONSE) {
            return;
        }
        let outcome = ev
            .status_text
            .as_deref()
            .or(ev.error.as_deref())
            .unwrap_or("no answer");
        let method = ev.method.as_deref().unwrap_or("response to");
        let obj = ev.kind.as_str();
        let Some((upstream, mirror, reason)) = route(&self.config, ev, rules, server_rule) else {
            return;
        };
        // One pair whatever case the log spells a host in (the configuration is lowercased).
        let upstream = &*registry_key(upstream);
        let mirror = mirror.map(mirror_key);
        let mirror = mirror.as_deref();
        if matches!(reason, Reason::Straight { .. }) && !self.upstreams.contains_key(upstream) {
            // Kept for any upstream, not only one with a mirror seen so far: a mirror request
            // may come after the direct ones (a log cut by `--since`), and the verdict must not
            // depend on the order. Bounded: a log of endless hosts keeps the first
            // [`MAX_UNPAIRED_UPSTREAMS`] that no mirror names.
            let paired = self.config.mirrors.contains_key(upstream)
                || self.pairs.keys().any(|(u, _)| u == upstream);
            if !paired && self.upstreams.len() >= MAX_UNPAIRED_UPSTREAMS {
                return;
            }
        }
        let answered = answered.filter(|&a| a != line);
        let reason = || match answered {
            Some(a) => reason.text(method, obj, &format!("{outcome} at line {a}")),
            None => reason.text(method, obj, outcome),
        };
        let at = (ev.source, line, answered);
        match mirror {
            Some(m) => {
                let is_key = |(u, mm): &(String, String)| u == upstream && mm == m;
                if !self.pairs.keys().any(is_key) {
                    self.pairs
                        .insert((upstream.to_owned(), m.to_owned()), PairTally::default());
                }
                let Some(t) = self
                    .pairs
                    .iter_mut()
                    .find_map(|(k, t)| is_key(k).then_some(t))
                else {
                    return;
                };
                if ev.failed() {
                    t.fallbacks += 1;
                    push_ev(&mut t.fallback_ev, at, || {
                        format!("mirror failed, next host tried: {}", reason())
                    });
                } else {
                    t.via += 1;
                    push_ev(&mut t.via_ev, at, || {
                        format!("{SERVED_BY_MIRROR}{}", reason())
                    });
                }
            }
            None => {
                if !self.upstreams.contains_key(upstream) {
                    self.upstreams
                        .insert(upstream.to_owned(), UpstreamTally::default());
                }
                if let Some(t) = self.upstreams.get_mut(upstream) {
                    t.direct += 1;
                    push_ev(&mut t.direct_ev, at, || {
                        format!("direct to the upstream: {}", reason())
                    });
                }
            }
        }
    }

    /// Which upstream a completed pull request was for, and the mirror it went to (`None`:
    /// the upstream itself); see `route`. What `events --config` tells per request.
    pub fn route_of<'e>(
        &'e self,
        ev: &'e FetchEvent,
        rules: &'e ServerRules,
        server_rule: Option<usize>,
    ) -> Option<(&'e str, Option<&'e str>)> {
        route(&self.config, ev, rules, server_rule).map(|(u, m, _)| (u, m))
    }

    /// The mirrors of `upstream` (as the verdicts key it, `docker.io`): those the configuration
    /// names, in its order, then those the log showed serving or failing for it.
    pub fn mirrors_of(&self, upstream: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .config
            .mirrors
            .get(upstream)
            .map(|m| m.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for (_, m) in self.pairs.keys().filter(|(u, _)| u == upstream) {
            if !out.contains(&m.as_str()) {
                out.push(m);
            }
        }
        out
    }

    /// Remembers the host and path of a manifest or blob request an event accounts for, so
    /// that an error text naming it is not counted again.
    fn note_request(&mut self, ev: &FetchEvent) {
        if !matches!(ev.kind, ObjectKind::Manifest | ObjectKind::Blob) {
            return;
        }
        let Some(p) = ev.url.as_deref().and_then(split_url) else {
            return;
        };
        let key = request_key(p.host, p.path);
        for t in self.texts.iter_mut().filter(|t| t.key == key) {
            t.accounted = true;
        }
        if self.recent.len() == RECENT_REQUESTS {
            self.recent.pop_front();
        }
        self.recent.push_back(key);
    }

    /// Feeds a pull request an error text names (see the module doc): `method` and `url` from
    /// [`pull_request_in_text`](crate::model::classify::pull_request_in_text) (the url redacted as
    /// it is shown), `said_in` what named it (`an error text`, `a status line`) and `cause`
    /// the text's telling end. Only a manifest or blob request counts;
    /// whether an event accounts for it is decided now and by the events after it.
    pub fn observe_text(
        &mut self,
        (source, line): (u32, u64),
        method: &str,
        url: &str,
        (said_in, cause): (&str, &str),
    ) {
        let Some(p) = split_url(url) else {
            return;
        };
        let kind = classify_path(p.path).1;
        if !matches!(kind, ObjectKind::Manifest | ObjectKind::Blob) || p.host.is_empty() {
            return;
        }
        let key = request_key(p.host, p.path);
        if self.texts.len() >= MAX_TEXT_REQUESTS || self.texts.iter().any(|t| t.key == key) {
            return;
        }
        let ns = query_param(p.query, "ns").map(|n| query_unescape(n).into_owned());
        let obj = kind.as_str();
        let to = match &ns {
            Some(ns) => format!("to {} with ns={ns}", p.host),
            None => format!("to {}", p.host),
        };
        self.texts.push(TextRequest {
            source,
            line,
            key,
            host: p.host.to_owned(),
            ns,
            why: format!("{method} {obj} {to} ({url}), named only in {said_in}: {cause}"),
            accounted: self.recent.contains(&key),
        });
    }

    /// Feeds a host's answer that containerd 2.0–2.2 logs without its url (`trying next host
    /// after status: 404 Not Found host=<mirror>`, info level): with no path, only a host the
    /// configuration names as a mirror says whose pull it was. Each such line is one request.
    pub fn observe_host_status(&mut self, (source, line): (u32, u64), host: &str, said: &str) {
        if self.config.upstream_of(host).is_none() || self.texts.len() >= MAX_TEXT_REQUESTS {
            return;
        }
        self.texts.push(TextRequest {
            source,
            line,
            key: request_key(host, &format!("#line {source}:{line}")),
            host: host.to_owned(),
            ns: None,
            why: format!("a request to {host}, url not logged: {said}"),
            accounted: false,
        });
    }
}
