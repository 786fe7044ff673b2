//! Mirror verdicts: per upstream registry and mirror, was the mirror really used?
//!
//! Evidence, in order of strength: containerd marks a mirror request with `?ns=<upstream>`; a
//! configured mirror's host in the url; the fingerprint of who answered (a response from Google
//! Cloud Storage is `mirror.gcr.io`, one with Docker Hub's rate-limit headers is not). A mirror
//! request that fails makes containerd try the next host: a fallback. Pure bookkeeping.
//!
//! A configured mirror no request reached (decided in `judge`): containerd asks the hosts in
//! config order, mirrors first, so when an earlier configured mirror of the same upstream
//! served every pull, the later one is a backup never needed: `unknown` with `not_needed` and
//! a `reason` ("not needed: 127.0.0.1:5001, before it in the config, served every pull"), and
//! `--fail-on mirror-unproven` skips it. When the upstream's pulls demonstrably went elsewhere
//! (direct, or via a mirror the config does not name or names after it) it is `unused`, its
//! evidence those pulls (kb `mirror/configured-never-used`). With no pull of the upstream at
//! all it stays `unknown`, and its `reason` says so and names the hosts that were pulled from.
//! Configured hosts are read lowercased (host names are case-insensitive). Evidence is kept
//! [`EVIDENCE_PER_REASON`] lines per reason, sorted by source and line; what the cap left out is
//! counted in `evidence_omitted`.
//!
//! An evidence line is the line that proves what it says. For most requests that is the line
//! that completed it (the answer, or the error). A 401 challenge is no failure until containerd
//! shows it gave up on it: by `trying next host`, or, in containerd 1.6 after a 401 it has no
//! credentials for, silently, by asking the next host for the same path. That later line is the
//! one cited (`line`), since it proves the next host was tried; the 401's own line, where the
//! reader sees what the mirror answered, is named too: [`Evidence::answer_line`] for scripts,
//! and the end of `why` (`… 401 Unauthorized at line 22`) for every report, which print `why`
//! as it is (decided so: one place writes it, and the `summary --json` evidence object is only
//! extended, its `line` keeping its meaning).
//!
//! A request named only in an error text counts too ([`MirrorTracker::observe_text`]): an
//! `error` field (`trying next host`, a daemon's `level=error` line) or a pasted client line
//! (`ERROR: failed to solve: …`) that names a pull request's url (`failed to do request: Head
//! "<url>": …`, `unexpected status code <url>: …`; `classify::pull_request_in_text`), when no
//! fetch event has the same host and path (an info-level log has no `do request` lines; a
//! client's error is logged by no request line). Such a text is the failure of that request,
//! so it counts as an event that failed with it would: a url on a mirror (its `ns=`, or a
//! configured mirror's host) is a fallback; a url on the upstream itself is a direct request.
//! containerd tries the hosts in order, mirrors first, and ends a resolve or a fetch on the
//! *first* error it met (`firstErr` in `remotes/docker`; a resolve's 404 sets none): a
//! client's error naming the upstream means the mirror was not tried or did not have the
//! image, and the mirror's own failure, if the log shows one, is counted from its own line, so
//! one failover is not counted twice. A text and an event with the same host and path are one
//! request, whichever comes first (a client's paste before the daemon's log): an event marks
//! the texts seen before it, and a text looks among the latest 4,096 manifest and blob
//! requests of events (containerd logs its error a few lines after the request; a longer
//! memory would cost `summary` its bounded memory on a long log). Two texts naming one url
//! (the daemon's `trying next host` and the client's error) count once.
//!
//! A mirror configured with a path (Harbor's proxy projects: `mirrors =
//! ["core.harbor.domain/proxy.docker.io"]`) is asked for the same object under a longer base:
//! BuildKit's `util/resolver` (v0.12+) makes it a host whose path is `path.Join("/v2",
//! "proxy.docker.io")`, and containerd joins that base, the repository and
//! `manifests/<ref>`; dockerd's `registry-mirrors` keep only the host up to 27, and moby's
//! `daemon/hosts.go` puts the path before `/v2` from 28 (after `/v2` before that).
//! [`MirrorConfig::object_path`] takes the configured base off, so the model pairs the
//! mirror's `/v2/proxy.docker.io/library/node/manifests/20` with Docker Hub's
//! `/v2/library/node/manifests/20`.
//!
//! Without a configuration no base is guessed. The tempting rule — a `?ns=` request whose path
//! ends with another host's path below `/v2` — cannot tell a mirror's prefix from a deeper
//! repository (`/v2/team/app/…?ns=ghcr.io` against `/v2/app/…`: two images), and dockerd's
//! logs carry no span id to confine it to one resolve; it could mark an error recovered by
//! another image's download. A path mirror's miss is then reported as it is logged, and
//! `--config` pairs it.

use std::collections::{BTreeMap, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::fetch::FetchEvent;
use super::host::ServerRules;
use super::judge;
use super::url::{
    ObjectKind, ObjectPath, canonical_registry, classify_path, mirror_host, mirror_path_segments,
    query_param, query_unescape, split_url,
};

/// Evidence lines kept per verdict and per reason.
pub const EVIDENCE_PER_REASON: usize = 4;

/// Upstreams whose direct pulls are counted before any mirror of theirs is seen.
const MAX_UNPAIRED_UPSTREAMS: usize = 256;

/// Manifest and blob requests of the latest events remembered (by host and path) to tell
/// whether an error text names one of them: containerd logs its error a few lines after the
/// request (32 KiB whatever the log's length; `summary` stays within its memory bound).
const RECENT_REQUESTS: usize = 4096;

/// Requests named only in error texts that are kept (one per host and path).
const MAX_TEXT_REQUESTS: usize = 256;

/// Mirrors configured in buildkitd.toml (`[registry."docker.io"] mirrors = [...]`) or dockerd's
/// daemon.json (`"registry-mirrors"`, which apply to docker.io).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorConfig {
    /// Upstream registry → mirror hosts, in the configured order.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Mirrors configured with a path (Harbor's proxy projects, `core.harbor.domain/proxy.docker.io`):
    /// the mirror's host and the API base its requests' paths start with instead of `/v2`
    /// (`/v2/proxy.docker.io`). See [`MirrorConfig::object_path`].
    pub bases: Vec<(String, String)>,
}

impl MirrorConfig {
    /// Reads buildkitd.toml text. The error is one line, `LINE:COLUMN: what is wrong`.
    pub fn from_buildkitd_toml(text: &str) -> Result<MirrorConfig, String> {
        let file: BuildkitdToml = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            format!("{line}:{column}: {}", one_line(e.message()))
        })?;
        let mut cfg = MirrorConfig::default();
        for (name, reg) in file.registry {
            let Some(list) = reg.mirrors else {
                continue;
            };
            let (line, column) = line_column(text, list.span().start);
            let wrong = || {
                format!(
                    "{line}:{column}: registry.\"{name}\".mirrors must be an array of strings, \
e.g. mirrors = [\"mirror.gcr.io\"]"
                )
            };
            let entries = list
                .get_ref()
                .as_array()
                .ok_or_else(wrong)?
                .iter()
                .map(|m| m.as_str().ok_or_else(wrong))
                .collect::<Result<Vec<_>, _>>()?;
            let hosts: Vec<String> = entries.iter().map(|s| config_host(s)).collect();
            for entry in entries {
                // BuildKit (util/resolver, v0.12+): `path.Join("/v2", <the entry's path>)`.
                let segments = mirror_path_segments(entry);
                if !segments.is_empty() {
                    cfg.add_base(&config_host(entry), format!("/v2/{}", segments.join("/")));
                }
            }
            if !hosts.is_empty() {
                cfg.mirrors
                    .insert(canonical_registry(&name).to_owned(), hosts);
            }
        }
        Ok(cfg)
    }

    /// Reads dockerd's daemon.json (`registry-mirrors` apply to docker.io). The error is one
    /// line, `LINE:COLUMN: what is wrong`.
    pub fn from_daemon_json(text: &str) -> Result<MirrorConfig, String> {
        // serde would read `[…]` as the struct's fields in order; daemon.json is an object.
        if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace())
            && c != '{'
        {
            let (line, column) = line_column(text, at);
            return Err(format!(
                "{line}:{column}: daemon.json must be a JSON object, e.g. {{\"registry-mirrors\": [\"https://mirror.gcr.io\"]}}"
            ));
        }
        let file: DaemonJson = serde_json::from_str(text).map_err(|e| {
            let at = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            let message = message.strip_suffix(&at).unwrap_or(&message);
            let hint = if e.is_data() {
                "; \"registry-mirrors\" must be an array of strings"
            } else {
                ""
            };
            // serde_json counts columns from 0 at the end of a line (an empty file is 1:0).
            let column = e.column().max(1);
            format!("{}:{column}: {}{hint}", e.line(), one_line(message))
        })?;
        let mut cfg = MirrorConfig::default();
        let entries = file.registry_mirrors.unwrap_or_default();
        let hosts: Vec<String> = entries.iter().map(|s| config_host(s)).collect();
        for entry in &entries {
            let mut segments = mirror_path_segments(entry);
            if segments.last() == Some(&"v2") {
                segments.pop();
            }
            if segments.is_empty() {
                continue;
            }
            // dockerd 20.10–27's builder keeps only the host; moby's daemon/hosts.go (the
            // containerd image store, 2024) joined `/v2` and the path, and from 28 the path and
            // `/v2`. Both bases: a request's path says which one it was built with.
            let path = segments.join("/");
            cfg.add_base(&config_host(entry), format!("/{path}/v2"));
            cfg.add_base(&config_host(entry), format!("/v2/{path}"));
        }
        if !hosts.is_empty() {
            cfg.mirrors.insert("docker.io".to_owned(), hosts);
        }
        Ok(cfg)
    }

    fn add_base(&mut self, host: &str, base: String) {
        let b = (host.to_owned(), base);
        if !self.bases.contains(&b) {
            self.bases.push(b);
        }
    }

    /// The one place that says which object a request's url asks for
    /// ([`ObjectPath`]): its path below the API base of the host it went to. That is `/v2`,
    /// except on a mirror configured with a path, whose base the configuration gives: with
    /// `mirrors = ["core.harbor.domain/proxy.docker.io"]` containerd asks
    /// `/v2/proxy.docker.io/library/node/manifests/20` of the mirror and
    /// `/v2/library/node/manifests/20` of Docker Hub, one object (`/library/node/manifests/20`).
    /// A url on such a host whose path is not below the configured base (an older dockerd
    /// that sent only the host) is read under `/v2`. `None` for a text that is no url.
    ///
    /// Without a configuration nothing is taken off: a mirror's extra path segments cannot be
    /// told from a deeper repository (`ghcr.io/org/team/app`), so a guess could pair one
    /// image's request with another's (see the module doc).
    pub fn object_path<'u>(&self, url: &'u str) -> Option<ObjectPath<'u>> {
        let p = split_url(url)?;
        Some(match self.below_base(p.host, p.path) {
            Some(rest) => ObjectPath { rest, api: true },
            None => ObjectPath::plain(p.path),
        })
    }

    /// `path` below the longest configured base of mirror `host` it is under, from its `/`.
    pub fn below_base<'u>(&self, host: &str, path: &'u str) -> Option<&'u str> {
        if self.bases.is_empty() {
            return None;
        }
        self.bases
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(host))
            .filter_map(|(_, base)| path.strip_prefix(base.as_str()))
            .filter(|rest| rest.starts_with('/'))
            .min_by_key(|rest| rest.len())
    }

    /// The upstream `host` is a configured mirror of.
    pub fn upstream_of(&self, host: &str) -> Option<&str> {
        self.mirrors
            .iter()
            .find(|(_, ms)| ms.iter().any(|m| m.eq_ignore_ascii_case(host)))
            .map(|(u, _)| u.as_str())
    }
}

/// A configured mirror entry's `host[:port]`, lowercased: host names are case-insensitive
/// (`https://MIRROR.GCR.IO` is the `mirror.gcr.io` a log names).
fn config_host(entry: &str) -> String {
    mirror_host(entry).to_ascii_lowercase()
}

/// The part of buildkitd.toml bkscope reads; other keys are ignored.
#[derive(Debug, Deserialize)]
struct BuildkitdToml {
    #[serde(default)]
    registry: BTreeMap<String, RegistryToml>,
}

/// `[registry."<host>"]`.
#[derive(Debug, Deserialize)]
struct RegistryToml {
    mirrors: Option<toml::Spanned<toml::Value>>,
}

/// The part of daemon.json bkscope reads; other keys are ignored.
#[derive(Debug, Deserialize)]
struct DaemonJson {
    #[serde(rename = "registry-mirrors")]
    registry_mirrors: Option<Vec<String>>,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn one_line(message: &str) -> String {
    message.trim().replace('\n', " ")
}

/// The verdict words of the `summary --json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every pull of the upstream went through the mirror.
    Used,
    /// Some pulls went through the mirror, some fell back or went direct.
    Partial,
    /// Configured or tried, but never served a pull.
    Unused,
    /// The log cannot tell.
    Unknown,
}

impl Verdict {
    /// The word, as `summary --json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Used => "used",
            Verdict::Partial => "partial",
            Verdict::Unused => "unused",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One line of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Index of the source (`summary --json`'s `sources`).
    pub source: u32,
    /// 1-based line number.
    pub line: u64,
    /// What the line shows.
    pub why: String,
    /// The line (in the same source) of the answer that failed, where the cited line is
    /// another that proves what followed it: a mirror's 401 that containerd left behind
    /// silently, cited by the next host's request. `why` names it too (`… at line 22`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_line: Option<u64>,
}

/// A verdict on one (upstream, mirror) pair.
#[derive(Debug, Clone, Serialize)]
pub struct MirrorVerdict {
    /// The upstream registry (`docker.io`).
    pub upstream: String,
    /// The mirror host.
    pub mirror: String,
    /// True when the given config names this mirror.
    pub configured: bool,
    /// Pulls the mirror served.
    pub via_mirror: u64,
    /// Pulls of the upstream that went to the upstream itself.
    pub direct: u64,
    /// Mirror requests that failed, so containerd tried the next host.
    pub fallbacks: u64,
    /// The verdict.
    pub verdict: Verdict,
    /// Lines that support it, by source and line; at most [`EVIDENCE_PER_REASON`] per reason
    /// (served, failed, direct, and for a mirror the pulls went past, each host's served).
    pub evidence: Vec<Evidence>,
    /// Lines that supported it but were not kept (the cap above): counted, never silent.
    #[serde(skip_serializing_if = "is_zero")]
    pub evidence_omitted: u64,
    /// Why, where the counts alone do not say it: an `unknown` verdict (no pull of the
    /// upstream in the log, or not needed), a configured mirror the pulls went past.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A later configured mirror an earlier configured one made unnecessary (it served every
    /// pull): `unknown`, and no reason for `--fail-on mirror-unproven` to hold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_needed: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Default, Clone)]
struct PairTally {
    via: u64,
    fallbacks: u64,
    via_ev: Vec<Evidence>,
    fallback_ev: Vec<Evidence>,
}

#[derive(Debug, Default, Clone)]
struct UpstreamTally {
    direct: u64,
    direct_ev: Vec<Evidence>,
}

/// Accumulates mirror evidence from completed events and from error texts.
#[derive(Debug, Default, Clone)]
pub struct MirrorTracker {
    config: MirrorConfig,
    pairs: BTreeMap<(String, String), PairTally>,
    upstreams: BTreeMap<String, UpstreamTally>,
    /// [`request_key`]s of the latest manifest and blob requests events accounted for.
    recent: VecDeque<u64>,
    /// Pull requests named in error texts, one per key, in the order seen; those an event
    /// accounts for (before or after the text) are marked.
    texts: Vec<TextRequest>,
}

/// A pull request an error text names ([`MirrorTracker::observe_text`]).
#[derive(Debug, Clone)]
struct TextRequest {
    source: u32,
    line: u64,
    key: u64,
    /// The url's `host[:port]`.
    host: String,
    /// Its `ns=` parameter: a mirror request of that upstream.
    ns: Option<String>,
    /// What it was: `HEAD manifest to <host> (<url>), named only in an error text: <cause>`.
    why: String,
    /// An event has the same host and path: it counted that request already.
    accounted: bool,
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

/// Why an event counts for a verdict, written out only when kept as evidence.
enum Reason<'a> {
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
    fn text(&self, method: &str, obj: &str, outcome: &str) -> String {
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

fn push_ev(
    list: &mut Vec<Evidence>,
    (source, line, answer_line): (u32, u64, Option<u64>),
    why: impl FnOnce() -> String,
) {
    if list.len() < EVIDENCE_PER_REASON {
        list.push(Evidence {
            source,
            line,
            why: why(),
            answer_line,
        });
    }
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
    /// the upstream itself); see [`route`]. What `events --config` tells per request.
    pub fn route_of<'e>(
        &'e self,
        ev: &'e FetchEvent,
        rules: &'e ServerRules,
        server_rule: Option<usize>,
    ) -> Option<(&'e str, Option<&'e str>)> {
        route(&self.config, ev, rules, server_rule).map(|(u, m, _)| (u, m))
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
    /// [`pull_request_in_text`](super::classify::pull_request_in_text) (the url redacted as
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

    /// The tallies with the texts no event accounts for folded in.
    fn tallies(
        &self,
    ) -> (
        BTreeMap<(String, String), PairTally>,
        BTreeMap<String, UpstreamTally>,
    ) {
        let mut pairs = self.pairs.clone();
        let mut upstreams = self.upstreams.clone();
        for r in self.texts.iter().filter(|r| !r.accounted) {
            let host = r.host.as_str();
            let (up, mirror) = match r.ns.as_deref().map(canonical_registry) {
                Some(up) if canonical_registry(host) != up => (up, Some(host)),
                Some(up) => (up, None),
                None => match self.config.upstream_of(host) {
                    Some(up) => (up, Some(host)),
                    None => (canonical_registry(host), None),
                },
            };
            let at = (r.source, r.line, None);
            match mirror {
                Some(m) => {
                    let t = pairs.entry((up.to_owned(), m.to_owned())).or_default();
                    t.fallbacks += 1;
                    push_ev(&mut t.fallback_ev, at, || {
                        format!("mirror failed, next host tried: {}", r.why)
                    });
                }
                None => {
                    let t = upstreams.entry(up.to_owned()).or_default();
                    t.direct += 1;
                    push_ev(&mut t.direct_ev, at, || {
                        format!("direct to the upstream: {}", r.why)
                    });
                }
            }
        }
        (pairs, upstreams)
    }

    /// One verdict per (upstream, mirror) pair seen or configured; see [`judge`] for a
    /// mirror no pull reached.
    pub fn verdicts(&self) -> Vec<MirrorVerdict> {
        let (pairs, upstreams) = self.tallies();
        let mut keys: Vec<(String, String)> = pairs.keys().cloned().collect();
        for (up, ms) in &self.config.mirrors {
            for m in ms {
                let k = (up.clone(), m.clone());
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys.sort();
        let position = |up: &str, m: &str| {
            self.config
                .mirrors
                .get(up)
                .and_then(|ms| ms.iter().position(|c| c.eq_ignore_ascii_case(m)))
        };
        let mut pulled_from: Vec<&str> = pairs
            .iter()
            .filter(|(_, t)| t.via > 0)
            .map(|((_, m), _)| m.as_str())
            .chain(
                upstreams
                    .iter()
                    .filter(|(_, t)| t.direct > 0)
                    .map(|(u, _)| u.as_str()),
            )
            .collect();
        pulled_from.sort_unstable();
        pulled_from.dedup();
        let empty = PairTally::default();
        keys.iter()
            .map(|(upstream, mirror)| {
                let t = pairs
                    .get(&(upstream.clone(), mirror.clone()))
                    .unwrap_or(&empty);
                let u = upstreams.get(upstream).cloned().unwrap_or_default();
                let at = position(upstream, mirror);
                let others = pairs
                    .iter()
                    .filter(|((up, m), _)| up == upstream && m != mirror);
                let seen = judge::Seen {
                    upstream,
                    via: t.via,
                    fallbacks: t.fallbacks,
                    direct: u.direct,
                    position: at,
                    served_elsewhere: others
                        .clone()
                        .filter(|(_, o)| o.via > 0)
                        .map(|((up, m), o)| (m.as_str(), o.via, position(up, m)))
                        .collect(),
                    failed_elsewhere: others
                        .clone()
                        .filter(|(_, o)| o.via == 0 && o.fallbacks > 0)
                        .map(|((_, m), _)| m.as_str())
                        .collect(),
                    pulled_from: pulled_from.clone(),
                };
                let j = judge::judge(&seen);
                let kept = |ev: &[Evidence], n: u64| n.saturating_sub(ev.len() as u64);
                let mut omitted = kept(&t.via_ev, t.via)
                    + kept(&t.fallback_ev, t.fallbacks)
                    + kept(&u.direct_ev, u.direct);
                let mut evidence: Vec<Evidence> = t
                    .via_ev
                    .iter()
                    .chain(&t.fallback_ev)
                    .chain(&u.direct_ev)
                    .cloned()
                    .collect();
                if j.elsewhere_is_evidence {
                    for ((up, m), o) in others.filter(|(_, o)| o.via > 0) {
                        omitted += kept(&o.via_ev, o.via);
                        // Under this mirror's heading, "served by the mirror" would read as
                        // this one: the line names the mirror that did serve it.
                        let place = at.map_or("", |at| judge::place_note(position(up, m), at));
                        evidence.extend(o.via_ev.iter().map(|e| Evidence {
                            why: served_elsewhere(&e.why, place),
                            ..e.clone()
                        }));
                    }
                }
                evidence.sort_by_key(|e| (e.source, e.line));
                MirrorVerdict {
                    upstream: upstream.clone(),
                    mirror: mirror.clone(),
                    configured: at.is_some(),
                    via_mirror: t.via,
                    direct: u.direct,
                    fallbacks: t.fallbacks,
                    verdict: j.verdict,
                    evidence,
                    evidence_omitted: omitted,
                    reason: j.reason,
                    not_needed: j.not_needed,
                }
            })
            .collect()
    }
}

/// How a mirror's own evidence of a pull it served begins.
const SERVED_BY_MIRROR: &str = "served by the mirror: ";

/// A pull another mirror served, as the evidence of a configured mirror it went past:
/// `served by another mirror (not in the config): … to <host> …` (every reason of a mirror's
/// route names its host).
fn served_elsewhere(why: &str, place: &str) -> String {
    let rest = why.strip_prefix(SERVED_BY_MIRROR).unwrap_or(why);
    format!("served by another mirror{place}: {rest}")
}

/// Which upstream a completed pull request was for, and the mirror it went to (`None`: the
/// upstream itself), with why; `None` when the log cannot tell (no url, no host, no fingerprint
/// a configured registry stands behind). What [`MirrorTracker::observe`] counts.
fn route<'e>(
    config: &'e MirrorConfig,
    ev: &'e FetchEvent,
    rules: &'e ServerRules,
    server_rule: Option<usize>,
) -> Option<(&'e str, Option<&'e str>, Reason<'e>)> {
    let host = ev.host.as_deref();
    if let Some(ns) = &ev.mirror_of {
        let up = canonical_registry(ns);
        return Some(match host {
            Some(h) if canonical_registry(h) != up => (up, Some(h), Reason::Ns { h, ns }),
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
    let asked = ev.registry.as_deref().map(canonical_registry);
    let candidate = |up: &str| asked.is_none_or(|a| a == up);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_buildkitd_toml_from_the_seed() {
        let cfg = MirrorConfig::from_buildkitd_toml(include_str!(
            "../../../tests/fixtures/seed/buildkitd.toml"
        ))
        .unwrap();
        assert_eq!(cfg.mirrors["docker.io"], vec!["mirror.gcr.io".to_owned()]);
        let full = "[registry.\"docker.io\"]\n  mirrors = [\"yourmirror.local:5000\", \"core.harbor.domain/proxy.docker.io\"]\n  http = true\n[registry.\"yourmirror.local:5000\"]\n  http = true\n";
        let cfg = MirrorConfig::from_buildkitd_toml(full).unwrap();
        assert_eq!(
            cfg.mirrors["docker.io"],
            vec![
                "yourmirror.local:5000".to_owned(),
                "core.harbor.domain".to_owned()
            ]
        );
        assert_eq!(cfg.upstream_of("core.harbor.domain"), Some("docker.io"));
    }

    #[test]
    fn a_path_mirror_base_is_taken_off_its_requests_only() {
        let cfg = MirrorConfig::from_buildkitd_toml(
            "[registry.\"docker.io\"]\n  mirrors = [\"https://Harbor.Example.com/proxy.docker.io/\", \"h2/a\", \"h2/a/b\"]\n",
        )
        .unwrap();
        assert_eq!(
            cfg.mirrors["docker.io"],
            ["harbor.example.com", "h2", "h2"].map(String::from)
        );
        let obj = |u| cfg.object_path(u).unwrap();
        let hub = obj("https://registry-1.docker.io/v2/library/node/manifests/20");
        assert_eq!(hub.rest, "/library/node/manifests/20");
        assert!(hub.api);
        assert_eq!(
            obj(
                "https://harbor.example.com/v2/proxy.docker.io/library/node/manifests/20?ns=docker.io"
            ),
            hub
        );
        // Not below the base (a dockerd that sent the host only): read under `/v2`.
        assert_eq!(
            obj("https://harbor.example.com/v2/library/node/manifests/20"),
            hub
        );
        // The base belongs to its host: elsewhere the path is another repository's.
        assert_ne!(
            obj("https://other.example.com/v2/proxy.docker.io/library/node/manifests/20"),
            hub
        );
        // The longest base the path is under.
        assert_eq!(obj("http://h2/v2/a/b/library/node/manifests/20"), hub);
        assert_eq!(obj("http://h2/v2/a/library/node/manifests/20"), hub);
        // A token endpoint is not an API path.
        assert!(!obj("https://auth.docker.io/token").api);
        assert_ne!(obj("https://a/v2/token"), obj("https://b/token"));
        assert_eq!(cfg.object_path("not a url"), None);
        // daemon.json: moby puts the path before `/v2` (28+) or after it (2024's code).
        let cfg = MirrorConfig::from_daemon_json(
            r#"{"registry-mirrors":["https://m.example/base/","https://plain.example/v2"]}"#,
        )
        .unwrap();
        let obj = |u| cfg.object_path(u).unwrap();
        assert_eq!(
            obj("https://m.example/base/v2/library/node/manifests/20"),
            hub
        );
        assert_eq!(
            obj("https://m.example/v2/base/library/node/manifests/20"),
            hub
        );
        assert_eq!(
            obj("https://plain.example/v2/library/node/manifests/20"),
            hub
        );
        assert_eq!(cfg.bases.len(), 2, "{:?}", cfg.bases);
    }

    #[test]
    fn bad_toml_says_where() {
        let err = MirrorConfig::from_buildkitd_toml("[registry.\"docker.io\"]\nmirrors = [\"a\"\n")
            .unwrap_err();
        assert!(err.starts_with("2:15: "), "{err}");
        assert!(!err.contains('\n'), "{err}");
        let err = MirrorConfig::from_buildkitd_toml("[registry.\"docker.io\"]\nmirrors = \"a\"\n")
            .unwrap_err();
        assert!(err.starts_with("2:11: ") && err.contains("array"), "{err}");
        let err = MirrorConfig::from_daemon_json("{\n\"registry-mirrors\": \"a\"\n}").unwrap_err();
        assert!(err.starts_with("2:23: ") && err.contains("array"), "{err}");
    }

    #[test]
    fn reads_daemon_json() {
        let cfg = MirrorConfig::from_daemon_json(
            r#"{"debug":true,"registry-mirrors":["http://127.0.0.1:5001"]}"#,
        )
        .unwrap();
        assert_eq!(cfg.mirrors["docker.io"], vec!["127.0.0.1:5001".to_owned()]);
    }
}
