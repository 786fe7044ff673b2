//! Counters over completed events: per host, per status, per server, rate limits, and the
//! slowest and largest fetches. Bounded: a top-N list, one entry per host.
//!
//! A pull BuildKit ≥ v0.16 logged without url or host counts under the host the mirror
//! verdicts infer it went to (with `--config`: who answered, against the mirrors it names;
//! `Model::mirror_route`), keyed with [`INFERRED_MARK`] after the name (`mirror.gcr.io?`) as
//! the explorer shows it, so it never adds to a logged host of the same name; what has no
//! route (no `--config`, a challenge, a token, a failure no fingerprint names) stays `unknown`.
//! The rate limit its answer carries is that row's. A handful of keys more, no per-event state.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::fetch::FetchEvent;
use super::intern::Shared;

/// What follows the name of a host inferred, not logged (`mirror.gcr.io?`): the explorer's
/// mark (`app::route`), and the key of its counters here.
pub const INFERRED_MARK: char = '?';

/// How many slowest/largest fetches are kept.
pub const TOP_N: usize = 5;

/// Counts for one host.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HostStats {
    /// Requests sent (or responses seen) to this host.
    pub requests: u64,
    /// Failed requests (4xx, 5xx, transport errors).
    pub errors: u64,
    /// Bytes of successful responses, as far as the log says.
    pub bytes: u64,
    /// Server fingerprints seen in its responses.
    pub servers: BTreeSet<String>,
    /// A host inferred for requests logged without one (its key ends in [`INFERRED_MARK`]).
    #[serde(skip)]
    pub inferred: bool,
}

/// Docker Hub style rate-limit headers seen on one host.
#[derive(Debug, Clone, Serialize)]
pub struct RateLimit {
    /// The host (without [`INFERRED_MARK`]).
    pub host: String,
    /// Extension: the host is inferred, not logged (BuildKit ≥ v0.16 logs no host inside its
    /// spans; the mirror routes of `--config` name it), as a `hosts` row's `inferred`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// `ratelimit-limit` (the number before `;w=`).
    pub limit: Option<u64>,
    /// The lowest `ratelimit-remaining` seen.
    pub lowest_remaining: Option<u64>,
    /// The line where the lowest remaining was seen.
    pub line: u64,
    /// Index of that line's source.
    pub source: u32,
    /// When it was seen (RFC 3339, UTC), if the line had a time.
    pub time: Option<String>,
}

/// A fetch in a top-N list.
#[derive(Debug, Clone, Serialize)]
pub struct Notable {
    /// Event id.
    pub event: usize,
    /// Line of the response.
    pub line: u64,
    /// Index of its source.
    pub source: u32,
    /// Host (`unknown` where the log names none).
    pub host: String,
    /// Extension: for a request logged without a host, the host the `--config` mirror routes
    /// place it on (as its `hosts` row, `"inferred": true`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_host: Option<Shared>,
    /// What was fetched (`blob sha256:…`, `manifest latest`).
    pub what: String,
    /// Milliseconds, for the slowest list.
    pub duration_ms: Option<i64>,
    /// Extension: both of its times are whole seconds (buildkitd's default timestamps), so
    /// `duration_ms` is known to the second only (`0` means under a second).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub whole_seconds: bool,
    /// Bytes, for the largest list.
    pub bytes: Option<u64>,
}

/// All counters.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Per host (`unknown` when the log does not say).
    pub hosts: BTreeMap<String, HostStats>,
    /// Per HTTP status code.
    pub status_counts: BTreeMap<u16, u64>,
    /// Responses per server fingerprint.
    pub servers: BTreeMap<String, u64>,
    /// Per host rate limits.
    pub rate_limits: BTreeMap<String, RateLimit>,
    /// Slowest fetches, slowest first.
    pub slowest: Vec<Notable>,
    /// Largest fetches, largest first.
    pub largest: Vec<Notable>,
    /// User agents seen in requests (`containerd/1.5.8+unknown`, `buildkit/v0.12`).
    pub agents: BTreeSet<String>,
    /// The key of an inferred host, built here again for each event without allocating.
    inferred_key: String,
}

fn leading_number(v: &str) -> Option<u64> {
    let v = v.trim();
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    v.get(..digits)?.parse().ok()
}

fn insert_top(list: &mut Vec<Notable>, item: Notable, key: impl Fn(&Notable) -> i128) {
    let k = key(&item);
    if list.len() >= TOP_N && list.last().is_some_and(|l| key(l) >= k) {
        return;
    }
    let pos = list.iter().position(|l| key(l) < k).unwrap_or(list.len());
    list.insert(pos, item);
    list.truncate(TOP_N);
}

impl Stats {
    /// Counts as failed an event [`Stats::add`] counted as none: an auth challenge that
    /// turned out not to be answered (it brought no bytes either).
    pub fn late_failure(&mut self, ev: &FetchEvent) {
        if let Some(h) = self.hosts.get_mut(ev.host_or_unknown()) {
            h.errors += 1;
        }
    }

    /// Counts a completed event; `line` is its last line; `inferred`: the host it went to by
    /// the mirror routes, for a request logged without one (see the module doc).
    pub fn add(&mut self, ev: &FetchEvent, line: u64, inferred: Option<&str>) {
        let mut key = std::mem::take(&mut self.inferred_key);
        let host = match inferred {
            Some(h) if ev.host.is_none() => {
                key.clear();
                key.push_str(h);
                key.push(INFERRED_MARK);
                key.as_str()
            }
            _ => ev.host_or_unknown(),
        };
        self.count(ev, line, host, inferred.is_some() && ev.host.is_none());
        self.inferred_key = key;
    }

    fn count(&mut self, ev: &FetchEvent, line: u64, host: &str, inferred: bool) {
        let failed = ev.failed();
        let bytes = ev.bytes();
        let count = |h: &mut HostStats| {
            h.requests += 1;
            if failed {
                h.errors += 1;
            } else if let Some(b) = bytes {
                h.bytes += b;
            }
            if let Some(s) = &ev.server
                && !h.servers.contains(&**s)
            {
                h.servers.insert(s.to_string());
            }
        };
        // One lookup for a known host (string compares were a third of this function).
        match self.hosts.get_mut(host) {
            Some(h) => count(h),
            None => {
                let mut h = HostStats {
                    inferred,
                    ..HostStats::default()
                };
                count(&mut h);
                self.hosts.insert(host.to_owned(), h);
            }
        }
        if let Some(s) = &ev.server {
            match self.servers.get_mut(&**s) {
                Some(n) => *n += 1,
                None => {
                    self.servers.insert(s.to_string(), 1);
                }
            }
        }
        if let Some(st) = ev.status {
            *self.status_counts.entry(st).or_default() += 1;
        }
        if let Some(ua) = ev.request_header("user-agent")
            && self.agents.len() < 32
            && !self.agents.contains(ua)
        {
            self.agents.insert(ua.to_owned());
        }
        let limit = ev
            .response_header("ratelimit-limit")
            .and_then(leading_number);
        let remaining = ev
            .response_header("ratelimit-remaining")
            .and_then(leading_number);
        if limit.is_some() || remaining.is_some() {
            if let Some(r) = self.rate_limits.get_mut(host) {
                r.limit = limit.or(r.limit);
                if let Some(rem) = remaining
                    && r.lowest_remaining.is_none_or(|low| rem < low)
                {
                    r.lowest_remaining = Some(rem);
                    r.line = line;
                    r.source = ev.source;
                    r.time = ev.finished.map(|t| t.rfc3339());
                }
            } else {
                self.rate_limits.insert(
                    host.to_owned(),
                    RateLimit {
                        host: host
                            .strip_suffix(INFERRED_MARK)
                            .filter(|_| inferred)
                            .unwrap_or(host)
                            .to_owned(),
                        inferred,
                        limit,
                        lowest_remaining: remaining,
                        line,
                        source: ev.source,
                        time: ev.finished.map(|t| t.rfc3339()),
                    },
                );
            }
        }
        let duration_ms = ev.duration_ms();
        let slow = duration_ms.is_some_and(|d| {
            would_enter(&self.slowest, i128::from(d), |n| {
                i128::from(n.duration_ms.unwrap_or(0))
            })
        });
        let large = !failed
            && bytes.is_some_and(|b| {
                would_enter(&self.largest, i128::from(b), |n| {
                    i128::from(n.bytes.unwrap_or(0))
                })
            });
        if !slow && !large {
            return;
        }
        let what = match (&ev.digest, &ev.repository) {
            (Some(d), _) => format!("{} {}", ev.kind.as_str(), short_digest(d)),
            (None, Some(r)) => format!("{} {r}", ev.kind.as_str()),
            _ => ev.kind.as_str().to_owned(),
        };
        let notable = Notable {
            event: ev.id,
            line,
            source: ev.source,
            // As logged (`unknown` without a host): the contract's `slowest` and `largest`
            // name an inferred host apart.
            host: ev.host_or_unknown().to_owned(),
            inferred_host: ev.inferred_host.clone(),
            what,
            duration_ms,
            whole_seconds: [ev.started, ev.finished]
                .iter()
                .all(|t| t.is_some_and(|t| t.is_whole_second())),
            bytes,
        };
        if slow {
            insert_top(&mut self.slowest, notable.clone(), |n| {
                i128::from(n.duration_ms.unwrap_or(0))
            });
        }
        if large {
            insert_top(&mut self.largest, notable, |n| {
                i128::from(n.bytes.unwrap_or(0))
            });
        }
    }
}

/// True when an item with key `k` would change a top-N list (see [`insert_top`]).
fn would_enter(list: &[Notable], k: i128, key: impl Fn(&Notable) -> i128) -> bool {
    !(list.len() >= TOP_N && list.last().is_some_and(|l| key(l) >= k))
}

/// `sha256:0123456789ab…` → `sha256:0123456789ab`.
pub fn short_digest(d: &str) -> &str {
    let end = d.find(':').map_or(12, |i| i + 13).min(d.len());
    d.get(..end).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_numbers_of_rate_limit_values() {
        assert_eq!(leading_number(" 100;w=21600"), Some(100));
        assert_eq!(leading_number("98"), Some(98));
        assert_eq!(leading_number(";w=1"), None);
        assert_eq!(leading_number(""), None);
        assert_eq!(leading_number("99999999999999999999999"), None);
        assert_eq!(leading_number("٣"), None);
    }

    #[test]
    fn top_lists_keep_the_biggest() {
        let mut list = Vec::new();
        for (i, ms) in [5, 1, 9, 3, 7, 8, 2].into_iter().enumerate() {
            insert_top(
                &mut list,
                Notable {
                    event: i,
                    line: 0,
                    source: 0,
                    host: String::new(),
                    inferred_host: None,
                    what: String::new(),
                    duration_ms: Some(ms),
                    whole_seconds: false,
                    bytes: None,
                },
                |n| i128::from(n.duration_ms.unwrap_or(0)),
            );
        }
        let got: Vec<_> = list.iter().map(|n| n.duration_ms.unwrap()).collect();
        assert_eq!(got, [9, 8, 7, 5, 3]);
        assert_eq!(
            short_digest("sha256:0123456789abcdef"),
            "sha256:0123456789ab"
        );
        assert_eq!(leading_number("100;w=21600"), Some(100));
    }
}
