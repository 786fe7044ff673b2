//! Per-host activity for the Mirrors/Hosts view, computed from the fetch events: requests and
//! errors over time, in-flight requests over time (BuildKit allows 4 connections per registry
//! plus one for metadata), bytes and who served.
//!
//! The model keeps totals only; the time buckets and the concurrency sweep live here.

use std::collections::BTreeMap;

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
}

impl HostActivity {
    /// True when the host reached BuildKit's connection limit at some point.
    pub fn at_limit(&self) -> bool {
        self.peak >= CONNECTION_LIMIT
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
        for ev in model.events() {
            let host = ev.host_or_unknown().to_owned();
            let h = hosts.entry(host.clone()).or_insert_with(|| HostActivity {
                host: host.clone(),
                requests: vec![0; BUCKETS],
                errors: vec![0; BUCKETS],
                in_flight: vec![0; BUCKETS],
                peak: 0,
            });
            let Some(t0) = ev.started.or(ev.finished) else {
                continue;
            };
            h.requests[bucket(t0)] += 1;
            if ev.failed() {
                h.errors[bucket(ev.finished.unwrap_or(t0))] += 1;
            }
            let t1 = ev.finished.unwrap_or(t0).max(t0);
            let list = edges.entry(host).or_default();
            list.push((t0, 1));
            list.push((t1, -1));
        }
        for (host, mut list) in edges {
            // Ends before starts at the same instant: back-to-back requests are not concurrent.
            list.sort();
            let Some(h) = hosts.get_mut(&host) else {
                continue;
            };
            let mut n: i64 = 0;
            for (i, (t, d)) in list.iter().enumerate() {
                n += i64::from(*d);
                let count = u64::try_from(n).unwrap_or(0);
                h.peak = h.peak.max(count);
                let until = list.get(i + 1).map_or(*t, |(next, _)| *next);
                for b in bucket(*t)..=bucket(until) {
                    h.in_flight[b] = h.in_flight[b].max(count);
                }
            }
        }
        Activity {
            start,
            end,
            hosts: hosts.into_values().collect(),
        }
    }
}
