//! Per-host activity for the Mirrors/Hosts view, computed from the fetch events: requests and
//! errors over time, in-flight requests over time (BuildKit allows 4 connections per registry
//! plus one for metadata), bytes and who served.
//!
//! BuildKit's limit (`util/resolver/limited`) counts per registry *name of the image reference*,
//! not per host contacted: a mirror serving docker.io images shares docker.io's slots. So the
//! limit mark compares the peak of every request for the same registry name (the event's
//! `registry`: the `ns=` upstream, the span's image ref, else the host), whichever host served
//! it. A request counts as in flight from its `do request` line to its response line; BuildKit
//! holds the slot until the body is read, which the log does not show, so the peak is a lower
//! bound: reaching 4 means the limit was reached, staying under it does not prove it was not.
//!
//! The model keeps totals only; the time buckets and the concurrency sweep live here.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Model;
use crate::parse::Timestamp;

/// Time buckets per sparkline.
pub const BUCKETS: usize = 48;

/// In-flight requests per registry at which BuildKit queues the next one.
pub const CONNECTION_LIMIT: u64 = 4;

/// One host's activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostActivity {
    /// `host[:port]` or `unknown`.
    pub host: String,
    /// Requests started per bucket.
    pub requests: Vec<u64>,
    /// Failed requests per bucket.
    pub errors: Vec<u64>,
    /// Highest number of requests in flight per bucket.
    pub in_flight: Vec<u64>,
    /// Highest number in flight overall.
    pub peak: u64,
    /// Highest number in flight at once, on any host, for a registry name this host served
    /// (BuildKit's limiter key; see the module doc).
    pub registry_peak: u64,
}

impl HostActivity {
    /// True when a registry this host served reached BuildKit's connection limit at some point.
    pub fn at_limit(&self) -> bool {
        self.registry_peak >= CONNECTION_LIMIT
    }
}

/// Activity of every host over the log's time span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// Start of the first bucket.
    pub start: Option<Timestamp>,
    /// End of the last bucket.
    pub end: Option<Timestamp>,
    /// Per host, by name.
    pub hosts: Vec<HostActivity>,
}

impl Activity {
    /// Computes the activity of every host.
    pub fn compute(model: &Model) -> Activity {
        let times = model
            .events()
            .flat_map(|e| [e.started, e.finished])
            .flatten();
        let (mut start, mut end) = (None::<Timestamp>, None::<Timestamp>);
        for t in times {
            start = Some(start.map_or(t, |s| s.min(t)));
            end = Some(end.map_or(t, |e| e.max(t)));
        }
        let (Some(s), Some(e)) = (start, end) else {
            return Activity::default();
        };
        let span = (e.0 - s.0).max(1) as i128 + 1;
        let bucket = |t: Timestamp| -> usize {
            let b = i128::from(t.0 - s.0) * BUCKETS as i128 / span;
            usize::try_from(b).unwrap_or(0).min(BUCKETS - 1)
        };
        let mut hosts: BTreeMap<String, HostActivity> = BTreeMap::new();
        let mut edges: BTreeMap<String, Vec<(Timestamp, i8)>> = BTreeMap::new();
        let mut group_edges: BTreeMap<String, Vec<(Timestamp, i8)>> = BTreeMap::new();
        let mut host_groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        // Challenges nothing overcame are failures too (the summary's host errors count them).
        let unanswered: BTreeSet<usize> = model.unanswered_challenge_events().collect();
        for ev in model.events() {
            let host = ev.host_or_unknown().to_owned();
            let h = hosts.entry(host.clone()).or_insert_with(|| HostActivity {
                host: host.clone(),
                requests: vec![0; BUCKETS],
                errors: vec![0; BUCKETS],
                in_flight: vec![0; BUCKETS],
                peak: 0,
                registry_peak: 0,
            });
            let Some(t0) = ev.started.or(ev.finished) else {
                continue;
            };
            h.requests[bucket(t0)] += 1;
            if ev.failed() || unanswered.contains(&ev.id) {
                h.errors[bucket(ev.finished.unwrap_or(t0))] += 1;
            }
            let t1 = ev.finished.unwrap_or(t0).max(t0);
            let group = ev.registry.as_deref().unwrap_or(&host).to_owned();
            let list = group_edges.entry(group.clone()).or_default();
            list.push((t0, 1));
            list.push((t1, -1));
            host_groups.entry(host.clone()).or_default().insert(group);
            let list = edges.entry(host).or_default();
            list.push((t0, 1));
            list.push((t1, -1));
        }
        let group_peaks: BTreeMap<String, u64> = group_edges
            .into_iter()
            .map(|(group, mut list)| {
                let mut peak = 0;
                sweep(&mut list, |_, _, count| peak = peak.max(count));
                (group, peak)
            })
            .collect();
        for (host, groups) in host_groups {
            if let Some(h) = hosts.get_mut(&host) {
                h.registry_peak = groups
                    .iter()
                    .filter_map(|g| group_peaks.get(g))
                    .copied()
                    .max()
                    .unwrap_or(0);
            }
        }
        for (host, mut list) in edges {
            let Some(h) = hosts.get_mut(&host) else {
                continue;
            };
            sweep(&mut list, |t, until, count| {
                h.peak = h.peak.max(count);
                for b in bucket(t)..=bucket(until) {
                    h.in_flight[b] = h.in_flight[b].max(count);
                }
            });
        }
        Activity {
            start,
            end,
            hosts: hosts.into_values().collect(),
        }
    }
}

/// Walks request start (+1) and end (-1) edges in time order, calling `step(at, until, count)`
/// with the number in flight from `at` to the next edge. Ends sort before starts at the same
/// instant: back-to-back requests are not concurrent.
fn sweep(list: &mut [(Timestamp, i8)], mut step: impl FnMut(Timestamp, Timestamp, u64)) {
    list.sort();
    let mut n: i64 = 0;
    for (i, (t, d)) in list.iter().enumerate() {
        n += i64::from(*d);
        let until = list.get(i + 1).map_or(*t, |(next, _)| *next);
        step(*t, until, u64::try_from(n).unwrap_or(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelOptions;

    /// A dockerd-format `do request` / response pair for a blob on `host` for upstream `ns`.
    fn lines(host: &str, ns: &str, digit: char, second: u32) -> (String, String) {
        let url = format!(
            "http://{host}/v2/library/alpine/blobs/sha256:{}?ns={ns}",
            digit.to_string().repeat(64)
        );
        (
            format!(
                r#"time="2026-11-24T13:08:{second:02}.0Z" level=debug msg="do request" host="{host}" request.method=GET url="{url}""#
            ),
            format!(
                r#"time="2026-11-24T13:08:{:02}.0Z" level=debug msg="fetch response received" host="{host}" response.status="200 OK" url="{url}""#,
                second + 5
            ),
        )
    }

    #[test]
    fn limit_counts_per_registry_name_across_hosts() {
        // Two mirrors of docker.io with two blobs in flight each (4 at once for docker.io), and
        // a mirror of ghcr.io with two: only the docker.io hosts reach BuildKit's limit.
        let pairs = [
            lines("127.0.0.1:5001", "docker.io", '1', 10),
            lines("127.0.0.1:5001", "docker.io", '2', 10),
            lines("127.0.0.1:5002", "docker.io", '3', 11),
            lines("127.0.0.1:5002", "docker.io", '4', 11),
            lines("127.0.0.1:5003", "ghcr.io", '5', 10),
            lines("127.0.0.1:5003", "ghcr.io", '6', 10),
        ];
        let mut text: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
        text.extend(pairs.iter().map(|p| p.1.clone()));
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, &text.join("\n"));
        let activity = Activity::compute(&model);
        let host = |name: &str| {
            activity
                .hosts
                .iter()
                .find(|h| h.host == name)
                .cloned()
                .unwrap_or_default()
        };
        for name in ["127.0.0.1:5001", "127.0.0.1:5002"] {
            let h = host(name);
            assert_eq!((h.peak, h.registry_peak), (2, 4), "{name}");
            assert!(h.at_limit(), "{name}");
        }
        let ghcr = host("127.0.0.1:5003");
        assert_eq!((ghcr.peak, ghcr.registry_peak), (2, 2));
        assert!(!ghcr.at_limit());
    }

    #[test]
    fn a_challenge_nothing_answered_is_an_error_until_a_retry_overcomes_it() {
        // Real capture: a registry behind htpasswd, no login; the pull ends on its 401.
        let log = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_401.log");
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, log);
        let host = "127.0.0.1:5002";
        assert_eq!(model.host_errors(host), 1);
        let errors = |m: &crate::model::Model| -> u64 {
            Activity::compute(m)
                .hosts
                .iter()
                .filter(|h| h.host == host)
                .flat_map(|h| h.errors.iter())
                .sum()
        };
        assert_eq!(errors(&model), 1);

        // The same 401 answered by a retry that succeeds (basic_auth_ok): not an error.
        let ok = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_ok.log");
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, ok);
        let challenged = model.events().filter(|e| e.status == Some(401)).count();
        assert!(challenged > 0, "basic_auth_ok has its challenge");
        let ok_host = model.events().find_map(|e| e.host.clone());
        let ok_host = ok_host.as_deref().unwrap_or("unknown");
        assert_eq!(model.host_errors(ok_host), 0);
        let errs: u64 = Activity::compute(&model)
            .hosts
            .iter()
            .flat_map(|h| h.errors.iter())
            .sum();
        assert_eq!(errs, 0);
    }
}
