//! The model: parsed records in, fetch events, traces, mirror verdicts and findings out.
//!
//! Incremental (one record at a time, so a followed log updates it live) and bounded when asked
//! not to keep every event (the headless `summary`). Pure: knows no files, terminals or
//! knowledge base; the TUI and `summary` both read it, so they cannot disagree.
//!
//! Here: the model's state, [`Model::ingest`]'s dispatch and the queries. What each registry
//! message does is in `messages.rs`; findings read from error fields and plain text in
//! `text_findings.rs`, and when such a text only tells a failure found already in `repeat.rs`;
//! which messages and fields are read at all in `route.rs`.

pub mod auth;
pub mod classify;
pub mod context;
pub mod distinct;
pub mod exchange;
pub mod fetch;
pub mod finding;
pub mod headers;
pub mod host;
pub mod intern;
mod judge;
mod messages;
pub mod mirror;
mod note;
pub mod pair;
mod recover;
pub mod repeat;
mod told_across;
pub use recover::{is_retry, recovering_host};
pub mod redact;
mod route;
pub mod sanitize;
pub mod stats;
pub mod summary;
mod text_findings;
pub mod trace;
pub mod url;

mod store;

#[cfg(test)]
mod recover_tests;
#[cfg(test)]
mod retry_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod verdict_tests;

use crate::parse::Record;

use fetch::{FetchEvent, LineNumbers, MSG_RESPONSE};
use finding::{AuthTracker, Finding, FindingKind};
use host::ServerRules;
use intern::Shared;
use mirror::{MirrorConfig, MirrorTracker};
use pair::Pairer;
use redact::Scrub;
use route::{Route, route};
use stats::Stats;
use store::EventStore;
use trace::TraceIndex;

pub use headers::Header;
pub use route::{FieldUse, Look, UnreadFields};
pub use summary::Summary;

/// The error of a request whose response never appeared in the log.
pub const NO_RESPONSE: &str = "no response logged";

/// The error of a request whose response line has no status: the line was cut (a log cut to
/// a size, a disk full) before `response.status`, which containerd writes on every one.
pub const NO_STATUS: &str = "response line without a status";

/// What the `no-response` finding of such a request says after it.
pub const NO_STATUS_TEXT: &str = "its response line has no status: the line was cut before \
response.status, so what the registry answered is not in the log";

/// What a [`classify::ErrorKind::NoResponse`] finding says after its request.
pub const NO_RESPONSE_TEXT: &str = "no response logged before the input ended: the transport failed \
(the client's output names why: connection refused, x509, timeout) or the log was cut mid-request";

/// Headers the model itself reads, besides the ones the server fingerprints name. In lean mode
/// (`summary`) no other header is kept, so a header the model starts reading must be listed
/// here (`cli::input`'s fast-path test compares lean and full models on every fixture).
const READ_HEADERS: &[&str] = &[
    "accept",
    "content-length",
    "ratelimit-limit",
    "ratelimit-remaining",
    "user-agent",
    "www-authenticate",
];

/// Findings kept in memory; past this they are only counted.
pub const MAX_FINDINGS: usize = 10_000;

/// How the model is built.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Scrub secrets from everything stored (default on; `--no-redact` turns it off).
    pub redact: bool,
    /// Keep every event (the TUI); off, only a recent window is kept (`summary`).
    pub keep_events: bool,
    /// Mirrors the user's buildkitd.toml / daemon.json configures.
    pub mirrors: MirrorConfig,
    /// With `keep_events`, the most events kept: past it the oldest completed ones are dropped
    /// (counted in [`Model::evicted_count`], handed out by [`Model::take_evicted`]). `None`
    /// keeps every event.
    pub max_events: Option<usize>,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            redact: true,
            keep_events: true,
            mirrors: MirrorConfig::default(),
            max_events: None,
        }
    }
}

/// Line, record and message counters.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Lines seen.
    pub lines: u64,
    /// Lines that parsed as log entries.
    pub records: u64,
    /// Lines that did not.
    pub unparsed: u64,
    /// Entries parsed from damaged lines.
    pub damaged: u64,
    /// `do request` lines.
    pub requests: u64,
    /// `fetch response received` lines.
    pub responses: u64,
    /// Auth failures found (also past [`MAX_FINDINGS`]).
    pub auth_failures: u64,
    /// Errors found.
    pub errors: u64,
    /// Findings counted but not kept for [`MAX_FINDINGS`]: past it (`summary`), or the oldest
    /// let go to make room (the explorer with a cap on kept events).
    pub findings_let_go: u64,
}

/// How many auth failures and errors were found, kept or not ([`Model::finding_totals`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingTotals {
    /// Auth failures.
    pub auth: u64,
    /// Errors.
    pub errors: u64,
}

/// A line of the docker CLI's own (`Error: No such container: b`, `Cannot connect to the
/// Docker daemon …`) where the daemon's log was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerError {
    /// Source index.
    pub source: u32,
    /// 1-based line number.
    pub line: u64,
    /// The line, redacted and made inert, at most 300 characters.
    pub text: String,
    /// What to do.
    pub fix: &'static str,
}

/// A kept event the cap dropped: enough for a view to forget what it held about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evicted {
    /// Its id (no longer found by [`Model::event`]).
    pub id: usize,
    /// The source of its lines.
    pub source: u32,
    /// The lines it was built from.
    pub lines: LineNumbers,
}

/// Everything bkscope knows about a log so far.
#[derive(Debug)]
pub struct Model {
    opts: ModelOptions,
    rules: ServerRules,
    events: EventStore,
    pairer: Pairer,
    auth: AuthTracker,
    mirrors: MirrorTracker,
    stats: Stats,
    traces: TraceIndex,
    findings: Vec<Finding>,
    counts: Counts,
    completed: Vec<usize>,
    evicted: Vec<Evicted>,
    /// Events evicted since findings of evicted events were last let go.
    evicted_since_trim: usize,
    challenges: auth::RecentChallenges,
    context: context::ContextLines,
    lean: bool,
    /// In lean mode, the only headers built: those the model reads.
    lean_headers: Option<headers::HeaderFilter>,
    /// Texts events share (hosts, ids, …).
    names: intern::Interner,
    /// In lean mode, the header lists of completed events, handed to new events to be
    /// overwritten (`headers::headers_into`) instead of allocated again; at most
    /// [`SPARE_HEADER_LISTS`].
    spare_headers: Vec<Vec<Header>>,
    /// Auth challenges whose path was not asked again yet, newest last, at most
    /// [`WAITING_CHALLENGES`]: the next request for the path says whether it was answered
    /// (the retry, same host) or left behind (another host). Empty most of the time, so a
    /// request looks at nothing.
    challenges_waiting: std::collections::VecDeque<usize>,
    /// Pull requests that failed lately, newest last, at most
    /// [`FAILED_PULLS`](recover::FAILED_PULLS): a later answer for the same path from another
    /// host recovers their findings (`recover::on_complete`).
    failed_pulls: std::collections::VecDeque<recover::FailedPull>,
    /// The first line that is the docker CLI's error, not the daemon's log
    /// ([`classify::docker_cli_error`]), while no request was seen.
    docker_error: Option<DockerError>,
}

/// Challenges kept waiting for the next request of their path.
const WAITING_CHALLENGES: usize = 32;

/// Header lists a lean model keeps for reuse: two per event in flight is plenty, since an
/// event's lists come back when it completes.
const SPARE_HEADER_LISTS: usize = 16;

/// A list with a value buffer larger than this is let go instead of kept for reuse, so a
/// hostile log (a 1 MiB header value) cannot park megabytes in the spare lists.
const SPARE_VALUE_BYTES: usize = 1024;

impl Model {
    /// An empty model.
    pub fn new(opts: ModelOptions) -> Model {
        Model {
            rules: ServerRules::builtin().clone(),
            events: EventStore::new(opts.keep_events),
            pairer: Pairer::default(),
            auth: AuthTracker::default(),
            mirrors: MirrorTracker::new(opts.mirrors.clone()),
            stats: Stats::default(),
            traces: TraceIndex::new(opts.keep_events),
            findings: Vec::new(),
            counts: Counts::default(),
            completed: Vec::new(),
            evicted: Vec::new(),
            evicted_since_trim: 0,
            challenges: auth::RecentChallenges::default(),
            context: context::ContextLines::default(),
            lean: false,
            lean_headers: None,
            names: intern::Interner::default(),
            spare_headers: Vec::new(),
            challenges_waiting: std::collections::VecDeque::new(),
            failed_pulls: std::collections::VecDeque::new(),
            docker_error: None,
            opts,
        }
    }

    /// Feeds one parsed line. `line` is 1-based within `source`.
    pub fn ingest(&mut self, source: u32, line: u64, rec: &Record<'_>) {
        self.ingest_scrubbed(source, line, rec, Scrub::new(self.opts.redact));
    }

    /// [`Model::ingest`] of a line `text` whose `clean` ranges (`(offset, length)`, in order)
    /// another thread found free of secrets ([`redact::text`] leaves them as they are): the
    /// values at exactly those ranges are kept without a second check (see [`Scrub`]).
    pub fn ingest_known_clean(
        &mut self,
        source: u32,
        line: u64,
        rec: &Record<'_>,
        text: &str,
        clean: &[(u32, u32)],
    ) {
        let scrub = Scrub::new(self.opts.redact).knowing(text, clean);
        self.ingest_scrubbed(source, line, rec, scrub);
    }

    fn ingest_scrubbed(&mut self, source: u32, line: u64, rec: &Record<'_>, scrub: Scrub<'_>) {
        self.counts.lines += 1;
        let e = match rec {
            Record::Entry(e) => e,
            Record::Unparsed(raw) => {
                self.counts.unparsed += 1;
                if self.docker_error.is_none() && self.counts.requests == 0 {
                    self.note_docker_error(source, line, raw);
                }
                self.scan_plain_text(source, line, raw);
                return;
            }
        };
        self.counts.records += 1;
        self.counts.damaged += u64::from(e.damaged);
        match route(e.msg.as_ref()) {
            Route::Request => self.on_request(source, line, e, scrub),
            Route::Response => self.on_response(source, line, e, scrub),
            Route::Unauthorized => self.on_unauthorized(source, line, e),
            Route::TokenFailed => self.on_token_failed(source, line, e),
            Route::NextHost => {
                self.on_next_host(source, line, e);
            }
            Route::TransportRetry => self.on_transport_retry(source, line, e),
            Route::Resolving => {
                // BuildKit >= v0.16 logs it without `host` inside its span (one before the
                // first attempt on each host, as containerd 1.6 logs one with it): keyed by
                // the span id then, as the span's url-less requests claim it.
                if let Some(key) = e.get("host").or_else(|| e.span_id()) {
                    self.context.resolving(key, (source, line, e.timestamp()));
                }
            }
            Route::Fetch => {
                if let Some(d) = e.get("digest") {
                    self.context.fetch(d, (source, line, e.timestamp()));
                }
            }
            Route::Resolved => self.on_resolved(source, line, e),
            Route::PushCheck => {
                if let Some(u) = e.get("url") {
                    self.context.push_check(u, (source, line, e.timestamp()));
                }
            }
            Route::Other => self.scan_error_fields(source, line, e),
        }
        if let Some(max) = self.opts.max_events
            && self.opts.keep_events
            && self.events.iter().len() > max
        {
            self.evict(max);
        }
    }

    /// Drops the oldest completed events past `max` and takes them out of their traces.
    fn evict(&mut self, max: usize) {
        for ev in self.events.evict(max) {
            self.evicted_since_trim += 1;
            if let Some(t) = &ev.trace_id {
                self.traces
                    .remove(t, ev.span_id.as_deref(), ev.id, ev.failed());
            }
            if self.evicted.len() < pair::MAX_PENDING * 4 {
                self.evicted.push(Evicted {
                    id: ev.id,
                    source: ev.source,
                    lines: ev.lines,
                });
            }
        }
        // The findings of dropped events go too (in batches, not on every line): a long follow
        // keeps the findings of the history it still shows, not the first 10,000 ever seen.
        if self.evicted_since_trim >= (max / 8).max(256) {
            self.evicted_since_trim = 0;
            let events = &self.events;
            self.findings
                .retain(|f| f.event.is_none_or(|id| events.get(id).is_some()));
        }
    }

    /// Events the cap ([`ModelOptions::max_events`]) dropped since the last call, oldest first.
    pub fn take_evicted(&mut self) -> Vec<Evicted> {
        std::mem::take(&mut self.evicted)
    }

    /// Events the cap has dropped so far.
    pub fn evicted_count(&self) -> u64 {
        self.events.evicted()
    }

    /// Parses and feeds a text line by line (tests, small fixtures).
    pub fn ingest_text(&mut self, source: u32, text: &str) {
        for (i, l) in text.lines().enumerate() {
            self.ingest(source, i as u64 + 1, &crate::parse::parse_line(l));
        }
    }

    /// Ends the input: requests still waiting for a response are completed without one, each
    /// a failure of its host (`errors` counts it). One that a later error line names (its host
    /// or its trace: `failed to do request: … connection refused` logged at error level, a
    /// pasted client error) is that finding's; any other becomes a [`ErrorKind::NoResponse`]
    /// finding of its own, so every failed request the host counts is listed. containerd 1.6
    /// logs no transport failure of the fetch phase after `do request`; only the client saw
    /// why. A request left behind for another host (a silent mirror fallback) or closed by
    /// `trying next host` is not waiting any more by now.
    ///
    /// Only for an input that has ended (`summary`, `events`): the explorer following a log
    /// never calls it, so a request in flight stays in flight there.
    ///
    /// [`ErrorKind::NoResponse`]: classify::ErrorKind::NoResponse
    pub fn finish(&mut self) {
        let waiting: Vec<usize> = self.pairer.waiting().collect();
        for id in waiting {
            self.pairer.remove(id);
            if let Some(ev) = self.events.get_mut(id) {
                ev.error.get_or_insert_with(|| NO_RESPONSE.into());
            }
            let line = self
                .events
                .get(id)
                .and_then(|e| e.lines.last().copied())
                .unwrap_or(0);
            self.complete(id, line);
            if let Some(f) = self.no_response_finding(id, line) {
                self.push_finding(f);
            }
        }
        self.auth.retries_over();
        self.fold_told_across();
    }

    /// The finding of a request completed at [`Model::finish`] without an answer, unless a
    /// finding after its line names its host or its trace (that line says why it failed).
    fn no_response_finding(&mut self, id: usize, line: u64) -> Option<Finding> {
        let ev = self.events.get(id)?;
        let explained = self.findings.iter().any(|f| {
            f.source == ev.source
                && f.line > line
                && (f.host.is_some() && f.host == ev.host
                    || f.trace.is_some() && f.trace == ev.trace_id)
        });
        if explained {
            return None;
        }
        self.unanswered_finding(id, line, NO_RESPONSE_TEXT)
    }

    /// A finding of kind `no-response` on event `id`'s request: `said` after its method and
    /// url (a request nothing answered, or whose answer's line was cut before its status).
    fn unanswered_finding(&mut self, id: usize, line: u64, said: &str) -> Option<Finding> {
        let ev = self.events.get(id)?;
        // The url as the event keeps it: redacted already.
        let text = format!(
            "{} {}: {said}",
            ev.method.as_deref().unwrap_or("request"),
            ev.url.as_deref().unwrap_or("(no url logged)")
        );
        let (source, time, host, trace) =
            (ev.source, ev.started, ev.host.clone(), ev.trace_id.clone());
        let inferred_host = ev.inferred_host.clone();
        Some(Finding {
            source,
            line,
            time,
            host,
            inferred_host,
            kind: FindingKind::Error(classify::ErrorKind::NoResponse),
            status: None,
            realm: None,
            msg: self.names.get(fetch::MSG_DO_REQUEST),
            text: self.names.get(&text),
            event: Some(id),
            trace,
            recovered_by: None,
            to_mirror: None,
            also: None,
            object: None,
        })
    }

    /// From now on an event holds only the headers the model reads (fingerprints, sizes, rate
    /// limits, challenges, user agent) and none once completed, so each event costs little.
    /// Without `keep_events` (`summary`), an event is also forgotten once completed and older
    /// than the look-back of late lines, so the window stays small; with it (the TUI), events
    /// are kept and whoever shows headers re-reads them from the event's lines
    /// ([`exchange::headers_of`]).
    ///
    /// Without `keep_events` (nothing shows an event's headers then), a header the model reads
    /// only for being there (a fingerprint by header name alone) is kept with an empty value: its
    /// value is neither checked for secrets nor copied.
    pub fn forget_completed_details(&mut self) {
        self.lean = true;
        self.events.forget_done();
        let mut names: Vec<String> = READ_HEADERS.iter().map(|h| (*h).to_owned()).collect();
        for rule in self.rules.rules() {
            names.extend(rule.when.iter().map(|c| c.header.to_ascii_lowercase()));
        }
        names.sort();
        names.dedup();
        let mut filter = headers::HeaderFilter::new(names.iter().cloned());
        if !self.opts.keep_events {
            let conditions = || self.rules.rules().iter().flat_map(|r| &r.when);
            let bare = names.into_iter().filter(|n| {
                !READ_HEADERS.contains(&n.as_str())
                    && conditions()
                        .filter(|c| c.header.eq_ignore_ascii_case(n))
                        .all(|c| c.equals.is_none() && c.contains.is_none())
            });
            filter = filter.without_values(bare);
        }
        self.lean_headers = Some(filter);
    }

    /// Ids of events completed since the last call, in completion order.
    pub fn take_completed(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.completed)
    }

    /// The options it was built with.
    pub fn options(&self) -> &ModelOptions {
        &self.opts
    }

    /// Counters.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// The docker CLI's error the input held instead of a daemon log, if any.
    pub fn docker_error(&self) -> Option<&DockerError> {
        self.docker_error.as_ref()
    }

    fn note_docker_error(&mut self, source: u32, line: u64, raw: &str) {
        if let Some(fix) = classify::docker_cli_error(raw) {
            let text: String = sanitize::inert(&self.opts.redact_text(raw.trim()))
                .chars()
                .take(300)
                .collect();
            self.docker_error = Some(DockerError {
                source,
                line,
                text,
                fix,
            });
        }
    }

    /// Events kept (all of them with `keep_events`).
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &FetchEvent> + ExactSizeIterator {
        self.events.iter()
    }

    /// One event by id, while it is kept.
    pub fn event(&self, id: usize) -> Option<&FetchEvent> {
        self.events.get(id)
    }

    /// Requests still waiting for their answer, oldest first: not completed, so [`Stats`]
    /// counts none of them yet ([`Model::finish`] completes them when the input ends).
    pub fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        self.pairer.waiting()
    }

    /// Number of events ever created.
    pub fn event_count(&self) -> usize {
        self.events.total()
    }

    /// Auth failures and errors found so far, all of them: those the event cap
    /// ([`ModelOptions::max_events`]) let go with their events and those past
    /// [`MAX_FINDINGS`] too, plus the 401s nothing has overcome yet, as [`Model::findings`]
    /// counts them. On the same lines these are the counts of `summary` (whose lists keep
    /// every finding of a log under [`MAX_FINDINGS`]), whatever the explorer still keeps.
    pub fn finding_totals(&self) -> FindingTotals {
        let open = self.auth.still_open().count() as u64;
        FindingTotals {
            auth: self.counts.auth_failures + open,
            errors: self.counts.errors,
        }
    }

    /// True when a full findings list lets its oldest go to make room (the explorer with a cap
    /// on kept events), false when findings past [`MAX_FINDINGS`] are not kept (`summary`).
    pub fn keeps_newest_findings(&self) -> bool {
        self.opts.keep_events && self.opts.max_events.is_some()
    }

    /// The findings kept so far, in the order they were found, borrowed (no open 401s, and
    /// none added past [`MAX_FINDINGS`]): `events` reads the newest for the events it prints.
    pub fn kept_findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Findings so far (up to [`MAX_FINDINGS`]), plus 401s nothing has overcome yet.
    pub fn findings(&self) -> Vec<Finding> {
        let open: Vec<Finding> = self.open_401_findings().collect();
        self.sorted_findings(&open).into_iter().cloned().collect()
    }

    /// The kept findings and `open` (from [`Model::open_401_findings`]), borrowed, in the order
    /// of [`Model::findings`]: a long log's findings are not copied to be summarised.
    pub(crate) fn sorted_findings<'a>(&'a self, open: &'a [Finding]) -> Vec<&'a Finding> {
        let mut all: Vec<&Finding> = self.findings.iter().chain(open).collect();
        all.sort_by_key(|f| (f.source, f.line));
        all
    }

    /// The trace index.
    pub fn traces(&self) -> &TraceIndex {
        &self.traces
    }

    /// Counters per host, status, server.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The server fingerprint rules in use.
    pub fn rules(&self) -> &ServerRules {
        &self.rules
    }

    /// Mirror verdicts so far.
    /// The upstream a completed pull request was for and the mirror it went to (`None`: the
    /// upstream itself), as the verdicts count it; `None` when the log cannot tell, or for
    /// what no verdict counts (a ping, a token, a push, an auth challenge). Reads the
    /// response headers again for a request logged without url or host; a completed event
    /// whose headers a lean model dropped ([`Model::forget_completed_details`], the explorer)
    /// is taken by the fingerprint it was given then (`server`).
    pub fn mirror_route<'e>(&'e self, ev: &'e FetchEvent) -> Option<(&'e str, Option<&'e str>)> {
        if !routed(ev) {
            return None;
        }
        let rule = self
            .rules
            .classify(
                ev.response_headers
                    .iter()
                    .map(|h| (&*h.name, h.value.as_str())),
            )
            .map(|fp| fp.rule)
            .or_else(|| {
                let server = ev.server.as_deref()?;
                self.rules.rules().iter().position(|r| r.name == server)
            });
        self.mirrors.route_of(ev, &self.rules, rule)
    }

    /// The mirrors of `upstream` (`docker.io`, as [`Model::mirror_route`] names it): configured
    /// ones first, then those seen in the log.
    pub fn mirrors_of(&self, upstream: &str) -> Vec<&str> {
        self.mirrors.mirrors_of(&url::registry_key(upstream))
    }

    pub fn mirror_verdicts(&self) -> Vec<mirror::MirrorVerdict> {
        self.mirrors.verdicts()
    }

    /// The hosts (`unknown` where none is logged) of the auth challenges nothing overcame, one
    /// per challenge: failures after all, which their host's `errors` did not count when they
    /// came (`FetchEvent::is_challenge`).
    pub fn unanswered_challenge_hosts(&self) -> impl Iterator<Item = &str> + '_ {
        self.auth
            .still_open()
            .filter(|o| o.challenge)
            .map(|o| o.host.as_deref().unwrap_or("unknown"))
    }

    /// Open 401s let go past the auth tracker's bounds (64 per host or span, 4,096 hosts or
    /// spans) before anything overcame or confirmed them: counted nowhere else.
    pub fn open_401s_untracked(&self) -> u64 {
        self.auth.let_go
    }

    /// The ids of the events behind [`Model::unanswered_challenge_hosts`]: challenges that are
    /// failures after all, so far (a later retry or success can still overcome them).
    pub fn unanswered_challenge_events(&self) -> impl Iterator<Item = usize> + '_ {
        self.auth
            .still_open()
            .filter(|o| o.challenge)
            .map(|o| o.event)
    }

    /// The ids of the open challenges a new pull of their path on their host has followed
    /// (their own pull is over): failures that nothing later can overcome. `events` prints
    /// them as failed at once instead of holding them.
    pub fn settled_challenge_events(&self) -> impl Iterator<Item = usize> + '_ {
        self.auth
            .still_open()
            .filter(|o| o.challenge && o.superseded)
            .map(|o| o.event)
    }

    /// Failed requests of `host` so far: its counted errors plus the challenges on it nothing
    /// overcame. The summary and the explorer's Hosts view both count this way.
    pub fn host_errors(&self, host: &str) -> u64 {
        let counted = self.stats.hosts.get(host).map_or(0, |s| s.errors);
        counted
            + self
                .unanswered_challenge_hosts()
                .filter(|u| *u == host)
                .count() as u64
    }

    /// Requests sent to `host`: those completed (what [`Stats`] counts, and `summary` reports)
    /// and those still waiting for their answer, which the explorer following a log shows.
    pub fn host_requests(&self, host: &str) -> u64 {
        let counted = self.stats.hosts.get(host).map_or(0, |s| s.requests);
        let waiting = self
            .pairer
            .waiting()
            .filter_map(|id| self.events.get(id))
            .filter(|e| e.host_or_unknown() == host)
            .count();
        counted + waiting as u64
    }

    pub(crate) fn open_401_findings(&self) -> impl Iterator<Item = Finding> + '_ {
        self.auth.still_open().map(|o| Finding {
            source: o.source,
            line: o.line,
            time: o.time,
            host: o.host.clone(),
            inferred_host: None,
            kind: FindingKind::Auth(o.kind),
            status: Some(401),
            realm: o.realm.as_deref().map(Shared::from),
            msg: Shared::from(MSG_RESPONSE),
            text: Shared::from(if o.superseded {
                "401 Unauthorized, and no retry got past it before a new pull of the same path began"
            } else {
                finding::OPEN_401_TEXT
            }),
            event: Some(o.event),
            trace: o.trace.clone(),
            recovered_by: None,
            to_mirror: o.to_mirror.clone(),
            also: o.also.clone(),
            object: None,
        })
    }

    fn push_finding(&mut self, f: Finding) {
        let (event, kind) = (f.event, f.kind);
        if kind.is_auth()
            && let Some(ev) = event.and_then(|id| self.events.get_mut(id))
        {
            ev.auth_failed = true;
        }
        let ring = self.opts.keep_events && self.opts.max_events.is_some();
        if !push_finding(&mut self.findings, &mut self.counts, ring, f)
            && let Some(ev) = event.and_then(|id| self.events.get_mut(id))
        {
            ev.note_omitted(kind);
        }
    }

    /// The redacted text, shared with earlier findings that said the same.
    fn scrub(&mut self, s: &str) -> Shared {
        if self.opts.redact {
            self.names.get(&redact::text(s))
        } else {
            self.names.get(s)
        }
    }
}

impl ModelOptions {
    fn redact_text(&self, s: &str) -> String {
        if self.redact {
            redact::text(s).into_owned()
        } else {
            s.to_owned()
        }
    }
}

/// Counts a finding and keeps it while fewer than [`MAX_FINDINGS`] are kept. With `ring` (the
/// TUI with a cap on kept events) a full list lets its oldest eighth go instead, so findings
/// keep appearing in a follow of any length. An auth failure's event is marked
/// ([`FetchEvent::auth_failed`]) by the caller, which holds it.
/// Returns whether it was kept: one not kept is noted on its event by the caller
/// ([`FetchEvent::note_omitted`]), so `events` still tells what kind of failure it was.
#[must_use]
fn push_finding(findings: &mut Vec<Finding>, counts: &mut Counts, ring: bool, f: Finding) -> bool {
    if f.kind.is_auth() {
        counts.auth_failures += 1;
    } else {
        counts.errors += 1;
    }
    if ring && findings.len() >= MAX_FINDINGS {
        findings.drain(..MAX_FINDINGS / 8);
        counts.findings_let_go += (MAX_FINDINGS / 8) as u64;
    }
    if findings.len() >= MAX_FINDINGS {
        counts.findings_let_go += 1;
        false
    } else {
        if findings.len() == findings.capacity() {
            // Grow towards the cap, never past it.
            let room = findings.capacity().clamp(16, MAX_FINDINGS - findings.len());
            findings.reserve_exact(room);
        }
        findings.push(f);
        true
    }
}

/// True for what a mirror route is told for ([`Model::mirror_route`]): a pull request, not a
/// ping, a token, a push or an auth challenge.
fn routed(ev: &FetchEvent) -> bool {
    !(matches!(ev.kind, url::ObjectKind::Ping | url::ObjectKind::Token)
        || ev.is_challenge()
        || !ev.is_pull())
}

/// The key 401s are tracked under: the host, else the span, else `unknown`.
fn auth_key(ev: &FetchEvent) -> &str {
    ev.host
        .as_deref()
        .or(ev.span_id.as_deref())
        .unwrap_or("unknown")
}
