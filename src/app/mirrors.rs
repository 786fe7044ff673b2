//! Per-host activity for the Mirrors/Hosts view, computed from the fetch events: requests and
//! errors over time, in-flight requests over time (BuildKit allows 4 connections per registry
//! plus one for metadata), bytes and who served.
//!
//! BuildKit's limit (`util/resolver/limited`) counts per registry *name of the image reference*,
//! not per host contacted: a mirror serving docker.io images shares docker.io's slots. So the
//! limit mark compares the peak of every request for the same registry name (the event's
//! `registry`: the `ns=` upstream, the span's image ref, else the host), whichever host served
//! it. A request counts as in flight from its `do request` line to its response line (one logged
//! within one instant, for that instant), and one still waiting for its answer up to the newest
//! line read; BuildKit holds the slot until the body is read, which the log does not show, so
//! the peak is a lower bound: reaching 4 means the limit was reached, staying under it does not
//! prove it was not.
//!
//! The model keeps totals only; the time buckets and the concurrency sweep live here. A mirror
//! `--config` names that no request went to has a row too, with nothing counted.
//!
//! Past `--max-events` the oldest events are dropped, but the model's per-host totals
//! (`model::stats`) count the whole input: every host they name has a row, one whose events
//! were all dropped too (before, the checked mirror could vanish from the table while its
//! verdict and the header still counted it), and REQS, ERR, BYTES and SERVED BY are those
//! totals. What only events can tell, the sparklines, PEAK and the time span, is of the kept
//! events; [`Activity::dropped`] says how many went, for the view's and the report's note.
//! Requests logged without a host count the same way: the model files each under the host it
//! inferred when the request completed (below), so their rows take the model's whole counts
//! too. A kept event the view infers to another host than the model did then (a verdict
//! learnt later) keeps its row with its own count, which the column sums then count twice.
//!
//! A request logged without a host counts under the host the mirror verdicts inferred it went
//! to, marked (`mirror.gcr.io?`, `app::route`), so Enter on that row filters `host=` to it;
//! only those with none inferred are `unknown`. The requests, errors, bytes and servers of these
//! rows are counted here ([`HostActivity::counted_here`]); the model keys its counts the same
//! way (`model::stats`: `docker.io?`, what `summary` lists as an `inferred` host), so Docker
//! Hub's rate limit is the inferred `docker.io?` row's, the model's.

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
    /// `host[:port]`, an inferred host with its mark (`mirror.gcr.io?`), or `unknown`.
    pub host: String,
    /// True for a host inferred (`app::route`), not logged.
    pub inferred: bool,
    /// For the requests logged without a host (an inferred host, `unknown`), what the model
    /// does not count by row: requests, failures, bytes and who served (`None` for a logged
    /// host: the model's totals).
    pub counted_here: Option<HostTotals>,
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

/// The totals of a row of requests logged without a host (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostTotals {
    /// Requests.
    pub requests: u64,
    /// Failed requests (challenges nothing overcame among them).
    pub errors: u64,
    /// Bytes received.
    pub bytes: u64,
    /// Who served them, by fingerprint name.
    pub servers: BTreeSet<String>,
}

impl HostActivity {
    /// The row's requests (those waiting too), failures, bytes and servers: the model's
    /// totals for a logged host, this row's own for the others.
    pub fn totals(&self, model: &Model) -> HostTotals {
        if let Some(t) = &self.counted_here {
            return t.clone();
        }
        let s = model.stats().hosts.get(&self.host);
        HostTotals {
            requests: model.host_requests(&self.host),
            errors: model.host_errors(&self.host),
            bytes: s.map_or(0, |s| s.bytes),
            servers: s.map(|s| s.servers.clone()).unwrap_or_default(),
        }
    }

    /// The host a `host=` filter takes: without an inferred host's mark.
    pub fn filter_host(&self) -> &str {
        let mark = self.inferred.then_some(super::route::MARK);
        mark.and_then(|m| self.host.strip_suffix(m))
            .unwrap_or(&self.host)
    }

    /// True for the row of a configured mirror no request went to (see the module doc).
    pub fn never_asked(&self) -> bool {
        !self.inferred && self.counted_here.as_ref().is_some_and(|t| t.requests == 0)
    }

    /// False for a logged host none of whose kept events has a time (all dropped by the cap,
    /// or logged without one): its PEAK is unknown, not 0 (`-` in the view and the report).
    pub fn peak_known(&self) -> bool {
        self.counted_here.is_some() || self.peak > 0 || self.requests.iter().any(|&n| n > 0)
    }

    /// The PEAK cell: the peak, `!` when at BuildKit's limit, `-` when not known.
    pub fn peak_text(&self) -> String {
        if !self.peak_known() {
            return "-".to_owned();
        }
        format!("{}{}", self.peak, if self.at_limit() { "!" } else { "" })
    }

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
    /// Events the cap (`--max-events`) had dropped: the sparklines, PEAK and the time span
    /// leave them out, the totals count them (see the module doc).
    pub dropped: u64,
}

impl Activity {
    /// Computes the activity of every host; `now` is the newest time read (a request still
    /// waiting is in flight up to it).
    pub fn compute(model: &Model, now: Option<Timestamp>) -> Activity {
        let times = model
            .events()
            .flat_map(|e| [e.started, e.finished])
            .flatten();
        let (mut start, mut end) = (None::<Timestamp>, None::<Timestamp>);
        for t in times {
            start = Some(start.map_or(t, |s| s.min(t)));
            end = Some(end.map_or(t, |e| e.max(t)));
        }
        let waiting: BTreeSet<usize> = model.waiting().collect();
        if !waiting.is_empty() {
            end = end.zip(now).map(|(e, n)| e.max(n)).or(end);
        }
        let dropped = model.evicted_count();
        let (Some(s), Some(e)) = (start, end) else {
            let mut hosts = BTreeMap::new();
            add_dropped_hosts(model, &mut hosts);
            add_configured_mirrors(model, &mut hosts);
            return Activity {
                hosts: hosts.into_values().collect(),
                dropped,
                ..Activity::default()
            };
        };
        let span = (e.0 - s.0).max(1) as i128 + 1;
        let bucket = |t: Timestamp| -> usize {
            let b = i128::from(t.0 - s.0) * BUCKETS as i128 / span;
            usize::try_from(b).unwrap_or(0).min(BUCKETS - 1)
        };
        let mut hosts: BTreeMap<String, HostActivity> = BTreeMap::new();
        let mut edges: BTreeMap<String, Vec<(Timestamp, Edge)>> = BTreeMap::new();
        let mut group_edges: BTreeMap<String, Vec<(Timestamp, Edge)>> = BTreeMap::new();
        let mut host_groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        // Challenges nothing overcame are failures too (the summary's host errors count them).
        let unanswered: BTreeSet<usize> = model.unanswered_challenge_events().collect();
        for ev in model.events() {
            // One route lookup per event: `shown_host` would infer it again.
            let route = super::route::inferred(model, ev);
            let inferred = route.is_some();
            let host = super::route::shown(ev, route).into_owned();
            let h = hosts.entry(host.clone()).or_insert_with(|| HostActivity {
                host: host.clone(),
                inferred,
                counted_here: ev.host.is_none().then(HostTotals::default),
                requests: vec![0; BUCKETS],
                errors: vec![0; BUCKETS],
                in_flight: vec![0; BUCKETS],
                peak: 0,
                registry_peak: 0,
            });
            let failed = ev.failed() || unanswered.contains(&ev.id);
            if let Some(t) = &mut h.counted_here {
                t.requests += 1;
                t.errors += u64::from(failed);
                t.bytes += ev.bytes().unwrap_or(0);
                t.servers.extend(ev.server.as_deref().map(str::to_owned));
            }
            // Still in flight: no end edge, so the sweep keeps it to the end of the span.
            let open = waiting.contains(&ev.id);
            let Some(t0) = ev.started.or(ev.finished) else {
                continue;
            };
            h.requests[bucket(t0)] += 1;
            if failed {
                h.errors[bucket(ev.finished.unwrap_or(t0))] += 1;
            }
            let t1 = ev.finished.unwrap_or(t0).max(t0);
            let group = ev.registry.as_deref().unwrap_or(&host).to_owned();
            for list in [
                group_edges.entry(group.clone()).or_default(),
                edges.entry(host.clone()).or_default(),
            ] {
                if open || t1 > t0 {
                    list.push((t0, Edge::Start));
                }
                if !open {
                    // A request logged within one instant (a log with whole seconds) was in
                    // flight too, for that instant.
                    list.push(if t1 > t0 {
                        (t1, Edge::End)
                    } else {
                        (t0, Edge::Instant)
                    });
                }
            }
            host_groups.entry(host).or_default().insert(group);
        }
        let group_peaks: BTreeMap<String, u64> = group_edges
            .into_iter()
            .map(|(group, mut list)| {
                let mut peak = 0;
                sweep(&mut list, e, |_, _, count| peak = peak.max(count));
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
            sweep(&mut list, e, |t, until, count| {
                h.peak = h.peak.max(count);
                for b in bucket(t)..=bucket(until) {
                    h.in_flight[b] = h.in_flight[b].max(count);
                }
            });
        }
        add_dropped_hosts(model, &mut hosts);
        add_configured_mirrors(model, &mut hosts);
        Activity {
            start,
            end,
            hosts: hosts.into_values().collect(),
            dropped,
        }
    }
}

/// A row with no activity: counts to come from the model or `counted_here`.
fn empty_row(host: &str, counted_here: Option<HostTotals>) -> HostActivity {
    HostActivity {
        host: host.to_owned(),
        inferred: false,
        counted_here,
        requests: vec![0; BUCKETS],
        errors: vec![0; BUCKETS],
        in_flight: vec![0; BUCKETS],
        peak: 0,
        registry_peak: 0,
    }
}

/// With events dropped by the cap (see the module doc): a row for each host the model counted
/// whose kept events name it no more, and for the rows of requests logged without a host
/// (inferred, `unknown`) the model's counts of the whole input in place of the kept events'.
fn add_dropped_hosts(model: &Model, hosts: &mut BTreeMap<String, HostActivity>) {
    if model.evicted_count() == 0 {
        return;
    }
    for (name, stats) in &model.stats().hosts {
        let hostless = stats.inferred || name == "unknown";
        let row = hosts.entry(name.clone()).or_insert_with(|| HostActivity {
            inferred: stats.inferred,
            ..empty_row(name, None)
        });
        if hostless {
            row.counted_here = Some(HostTotals {
                requests: model.host_requests(name),
                errors: model.host_errors(name),
                bytes: stats.bytes,
                servers: stats.servers.clone(),
            });
        }
    }
}

/// A row for each mirror `--config` names that no request went to, with nothing counted: the
/// answer to "why does my build hit docker.io?" is a row of its own (`K` there gives
/// `mirror/configured-never-used`), not hidden on the upstream's.
fn add_configured_mirrors(model: &Model, hosts: &mut BTreeMap<String, HostActivity>) {
    let configured = model.options().mirrors.mirrors.values().flatten();
    for mirror in configured {
        // A path mirror (`core.harbor.domain/proxy.docker.io`) is its host's row.
        let host = mirror.split('/').next().unwrap_or(mirror);
        let named = |row: &HostActivity| row.filter_host().eq_ignore_ascii_case(host);
        if host.is_empty() || hosts.values().any(named) {
            continue;
        }
        hosts.insert(
            host.to_owned(),
            empty_row(host, Some(HostTotals::default())),
        );
    }
}

/// A request's start or end, in the order a sweep takes them at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Edge {
    /// The end of a request that took time: before the starts of its instant, so back-to-back
    /// requests are not concurrent.
    End,
    /// A request starts.
    Start,
    /// A request that started and ended at one instant (BuildKit's seed excerpt logs whole
    /// seconds): in flight for that instant only, one more than the others then, so such a
    /// host's peak is 1, not 0, and two of them in one second are not taken as concurrent.
    Instant,
}

impl Edge {
    fn delta(self) -> i64 {
        match self {
            Edge::Start => 1,
            Edge::End => -1,
            Edge::Instant => 0,
        }
    }
}

/// Walks request start (+1) and end (-1) edges in time order, calling `step(at, until, count)`
/// with the number in flight from `at` to the next edge, from the last edge to `end` (a request
/// without an end edge is still in flight there). At one instant: the ends of requests that
/// took time, then the starts, then each request that took none, counted alone on top of the
/// others ([`Edge`]): the peak stays a lower bound.
fn sweep(
    list: &mut [(Timestamp, Edge)],
    end: Timestamp,
    mut step: impl FnMut(Timestamp, Timestamp, u64),
) {
    list.sort();
    let mut n: i64 = 0;
    for (i, (t, d)) in list.iter().enumerate() {
        if *d == Edge::Instant {
            step(*t, *t, u64::try_from(n + 1).unwrap_or(0));
        }
        n += d.delta();
        let until = list.get(i + 1).map_or((*t).max(end), |(next, _)| *next);
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
        let activity = Activity::compute(&model, None);
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

    /// A log with whole seconds (BuildKit's seed excerpt) puts a request's start and end at one
    /// instant: it was in flight all the same (its host's peak was 0), and three such requests
    /// one after another in that second are not taken as concurrent (the peak is a lower bound);
    /// a request that took time and spans the instant adds to it.
    #[test]
    fn a_request_within_one_instant_is_in_flight_for_it() {
        let instant = |digit: char| {
            let (req, resp) = lines("127.0.0.1:5001", "docker.io", digit, 10);
            (req, resp.replace("13:08:15.0Z", "13:08:10.0Z"))
        };
        let peak = |pairs: &[(String, String)]| {
            let text: Vec<String> = pairs
                .iter()
                .flat_map(|(a, b)| [a.clone(), b.clone()])
                .collect();
            let mut model = crate::model::Model::new(ModelOptions::default());
            model.ingest_text(0, &text.join("\n"));
            let activity = Activity::compute(&model, None);
            let h = activity.hosts.first().cloned().unwrap_or_default();
            assert_eq!(h.host, "127.0.0.1:5001");
            (h.peak, h.in_flight.iter().copied().max().unwrap_or(0))
        };
        let three = [instant('1'), instant('2'), instant('3')];
        assert_eq!(peak(&three), (1, 1));
        // One request from 13:08:10 to 13:08:15 (`lines`) around the three.
        let (req, resp) = lines("127.0.0.1:5001", "docker.io", '4', 10);
        let mut text = vec![req];
        text.extend(three.iter().flat_map(|(a, b)| [a.clone(), b.clone()]));
        text.push(resp);
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, &text.join("\n"));
        let h = Activity::compute(&model, None).hosts.first().cloned();
        assert_eq!(h.map(|h| h.peak), Some(2));
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
            Activity::compute(m, None)
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
        let errs: u64 = Activity::compute(&model, None)
            .hosts
            .iter()
            .flat_map(|h| h.errors.iter())
            .sum();
        assert_eq!(errs, 0);
    }

    /// The time a log line carries.
    fn time_of(line: &str) -> Option<Timestamp> {
        match crate::parse::parse_line(line) {
            crate::parse::Record::Entry(e) => e.timestamp(),
            crate::parse::Record::Unparsed(_) => None,
        }
    }

    // A request still waiting counted 0 in REQS and was not drawn in flight (its length was 0).
    #[test]
    fn a_request_still_waiting_counts_and_is_in_flight_up_to_the_newest_line() {
        // dockerd-20.10/plain_pull.log up to line 37: the layer GET is sent, its answer (38)
        // is not written yet.
        let full = include_str!("../../tests/fixtures/dockerd-20.10/plain_pull.log");
        let lines: Vec<&str> = full.lines().collect();
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, &lines[..37].join("\n"));
        let waiting: Vec<usize> = model.waiting().collect();
        assert_eq!(waiting.len(), 1, "the layer GET waits");
        let ev = model.event(waiting[0]).cloned().unwrap_or_default();
        assert_eq!(ev.lines.last(), Some(&37));
        let host = ev.host_or_unknown();

        // REQS: the completed ones the model counts, and the one waiting; as many as the whole
        // log's summary counts once every request is answered.
        let counted = model.stats().hosts.get(host).map_or(0, |s| s.requests);
        assert_eq!(model.host_requests(host), counted + 1);
        let mut whole = crate::model::Model::new(ModelOptions::default());
        whole.ingest_text(0, full);
        whole.finish();
        let all = whole.stats().hosts.get(host).map_or(0, |s| s.requests);
        assert_eq!(model.host_requests(host), all);

        // In flight from its line to the newest line read (here 37 itself, then line 40's time,
        // as when the untar lines were read before the answer): the span ends there, and it is
        // in flight in every bucket from its start to that end.
        for newest in [time_of(lines[36]), time_of(lines[39])] {
            assert!(newest >= ev.started);
            let activity = Activity::compute(&model, newest);
            assert_eq!(activity.end, newest);
            let h = activity.hosts.iter().find(|h| h.host == host).cloned();
            let h = h.unwrap_or_default();
            assert_eq!((h.peak, h.registry_peak), (1, 1));
            let from = h.requests.iter().rposition(|&n| n > 0).unwrap_or(BUCKETS);
            assert!(from < BUCKETS, "{:?}", h.requests);
            assert!(
                h.in_flight[from..].iter().all(|&n| n == 1),
                "{:?}",
                h.in_flight
            );
            assert_eq!(h.errors.iter().sum::<u64>(), 0, "waiting is no error");
        }
        // Without a request waiting the newest line changes nothing: the span is the events'.
        let later = time_of(lines[39]);
        assert_eq!(
            Activity::compute(&whole, later).end,
            Activity::compute(&whole, None).end
        );
        // The answer comes: it is counted once, in flight up to its answer only (the newest
        // line no longer matters).
        model.ingest(0, 38, &crate::parse::parse_line(lines[37]));
        assert_eq!(model.waiting().count(), 0);
        assert_eq!(model.host_requests(host), all);
        let answered = Activity::compute(&model, later);
        assert_eq!(answered, Activity::compute(&model, None));
        assert_eq!(answered.end, time_of(lines[37]));
    }

    #[test]
    fn a_lone_waiting_request_is_one_request_in_flight() {
        // The review's one-line log: before, `r.io 0 0% 0B … 0` (REQS 0, PEAK 0).
        let line = r#"time="2024-05-01T10:00:00.100Z" level=debug msg="do request" host=r.io request.method=GET url="https://r.io/v2/a/manifests/b""#;
        let mut model = crate::model::Model::new(ModelOptions::default());
        model.ingest_text(0, line);
        assert_eq!(model.host_requests("r.io"), 1);
        let now = time_of(line);
        let activity = Activity::compute(&model, now);
        let h = &activity.hosts[0];
        assert_eq!((h.host.as_str(), h.peak, h.registry_peak), ("r.io", 1, 1));
        assert_eq!(h.in_flight.iter().max(), Some(&1));
    }
}
