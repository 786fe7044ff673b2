//! What each registry message does to the model: `do request` opens a fetch event, a
//! response completes it (server fingerprint, statistics, traces, mirror evidence, auth
//! tracking, status findings), `resolved`, a 401 challenge, a failed token fetch and `trying
//! next host` close or annotate the events they name. [`Model::ingest`](super::Model::ingest)
//! dispatches here by [`route`](fn@super::route).

use crate::parse::Entry;

use super::auth::{AuthKind, auth_kind_of_challenge, parse_challenge};
use super::classify::{error_kind_of_status, host_named_in, request_url_in_text};
use super::fetch::{FetchEvent, MSG_FETCH_FAILED, MSG_TRYING_NEXT};
use super::finding::{Answer401, Finding, FindingKind};
use super::pair::{self, PairKey, PairKeyRef};
use super::redact::Scrub;
use super::{
    Model, NO_RESPONSE, NO_STATUS, NO_STATUS_TEXT, SPARE_HEADER_LISTS, SPARE_VALUE_BYTES,
    WAITING_CHALLENGES, auth_key, context, note, push_finding, url,
};

impl Model {
    pub(super) fn on_request(&mut self, source: u32, line: u64, e: &Entry<'_>, scrub: Scrub<'_>) {
        self.counts.requests += 1;
        let mut ev = FetchEvent {
            source,
            request_headers: self.spare_headers.pop().unwrap_or_default(),
            ..FetchEvent::default()
        };
        ev.set_request(e, scrub, self.lean_headers.as_ref(), &mut self.names);
        self.repository_below_base(&mut ev);
        ev.lines.push(line);
        let claimed = self.context.claim(&ev);
        context::add_lines(&mut ev, &claimed.lines);
        ev.push_check = claimed.push_check;
        ev.first_attempt = claimed.announced;
        let key = self.pair_key(e, &ev);
        let abandoned = self.abandoned_by(&ev);
        let next_host = ev.host.clone().unwrap_or_default();
        if let Some(challenged) = self.unanswered_challenge(&ev) {
            let text = format!(
                "401 Unauthorized not answered: the same path was requested next from {next_host}"
            );
            // The evidence is this line: the request that shows the next host was tried. Its
            // `why` names the mirror's 401 and its line too (`answer_line`), for the reader
            // to jump to (see `challenge_failed`).
            self.challenge_failed(challenged, text.into_boxed_str(), line);
        }
        let id = self.events.push(ev);
        if let Some(ev) = self.events.get(id) {
            if let Some(t) = &ev.trace_id {
                // In its trace while it waits for an answer (see `trace`).
                self.traces.open(t, ev.span_id.as_deref(), id, ev.started);
            }
            // The retry of a challenge: that 401 waits for this request's answer.
            self.auth.on_request(auth_key(ev), ev);
        }
        for old in abandoned {
            self.pairer.remove(old);
            if let Some(o) = self.events.get_mut(old) {
                o.error = Some(
                    format!("{NO_RESPONSE}; the same path was requested next from {next_host}")
                        .into_boxed_str(),
                );
            }
            self.complete(old, line);
        }
        if let Some(dropped) = self.pairer.push(id, key) {
            self.complete(dropped, line);
        }
    }

    /// The repository of a request to a mirror configured with a path: the url's path below
    /// the mirror's base (`library/node`, not `proxy.docker.io/library/node`), as the upstream's
    /// request names it.
    fn repository_below_base(&mut self, ev: &mut FetchEvent) {
        if self.opts.mirrors.bases.is_empty() {
            return;
        }
        let Some(p) = ev.url.as_deref().and_then(url::split_url) else {
            return;
        };
        if let Some(rest) = self.opts.mirrors.below_base(p.host, p.path) {
            let path = format!("/v2{rest}");
            let repo = self.names.opt(url::classify_path(&path).0);
            ev.repository = repo;
        }
    }

    /// What pairs a request line with its response: its event's span id and host (shared, not
    /// copied; the event took them from this entry), the hash of the url as logged and that of
    /// the path of the url the event keeps.
    pub(super) fn pair_key(&self, e: &Entry<'_>, ev: &FetchEvent) -> PairKey {
        PairKey {
            source: ev.source,
            span: ev.span_id.clone(),
            url: note::get(e, note::URL, "url").map(|u| self.pairer.url_key(u)),
            host: ev.host.clone(),
            path: ev
                .url
                .as_deref()
                .and_then(|u| self.object_path(u))
                .map(|p| self.pairer.path_key(p)),
        }
    }

    /// Pending requests for the same object ([`Model::object_path`]) on another host, in the
    /// same source: containerd gave up on them silently and tried the next host (dockerd 20.10
    /// logs no `trying next host` while fetching). Another source is another daemon (or another
    /// piece of a rotated log): its request proves nothing of this one's, and the evidence would
    /// cite its line under this source's name.
    pub(super) fn abandoned_by(&self, ev: &FetchEvent) -> Vec<usize> {
        let (Some(url), Some(host)) = (ev.url.as_deref(), ev.host.as_deref()) else {
            return Vec::new();
        };
        let Some(p) = self.object_path(url) else {
            return Vec::new();
        };
        self.pairer
            .with_path(ev.span_id.as_deref(), self.pairer.path_key(p))
            .into_iter()
            .filter(|&id| {
                self.events.get(id).is_some_and(|o| {
                    o.source == ev.source
                        && o.span_id == ev.span_id
                        && o.host.as_deref().is_some_and(|h| h != host)
                        && o.url.as_deref().and_then(|u| self.object_path(u)) == Some(p)
                })
            })
            .collect()
    }

    /// The auth challenge the request `ev` leaves behind: a waiting challenge of the same
    /// object ([`Model::object_path`]), span and source (as [`Model::abandoned_by`]) from
    /// another host. containerd 1.6 moves on to
    /// the next host silently after a 401 it has no credentials for (a mirror behind auth
    /// without a login). The same path asked of the challenged host is its retry: that
    /// challenge waits no more.
    fn unanswered_challenge(&mut self, ev: &FetchEvent) -> Option<usize> {
        if self.challenges_waiting.is_empty() {
            return None;
        }
        let (url, host) = (ev.url.as_deref()?, ev.host.as_deref()?);
        let config = &self.opts.mirrors;
        let p = config.object_path(url)?;
        let events = &self.events;
        let i = self.challenges_waiting.iter().rposition(|&id| {
            events.get(id).is_some_and(|o| {
                o.source == ev.source
                    && o.span_id == ev.span_id
                    && o.url.as_deref().and_then(|u| config.object_path(u)) == Some(p)
            })
        })?;
        let id = self.challenges_waiting.remove(i)?;
        let left = self
            .events
            .get(id)
            .is_some_and(|o| o.is_challenge() && o.host.as_deref().is_some_and(|h| h != host));
        left.then_some(id)
    }

    /// A challenge containerd did not get past (`trying next host` after it, or the same path
    /// asked next from another host): a failure after all, counted now where its answer was
    /// not (the host's and the trace's errors, a mirror's fallback). `line` is the line that
    /// shows it, the mirror evidence's cited line; the evidence names the 401's own line too.
    fn challenge_failed(&mut self, id: usize, text: Box<str>, line: u64) {
        let Model {
            events,
            stats,
            traces,
            auth,
            mirrors,
            rules,
            ..
        } = self;
        let Some(ev) = events.get_mut(id) else {
            return;
        };
        if !ev.is_challenge() {
            return;
        }
        ev.error = Some(text);
        stats.late_failure(ev);
        if let Some(t) = &ev.trace_id {
            traces.late_failure(t);
        }
        let answered = auth.failed_later(auth_key(ev), id);
        mirrors.observe(ev, rules, None, (line, answered));
    }

    pub(super) fn on_response(&mut self, source: u32, line: u64, e: &Entry<'_>, scrub: Scrub<'_>) {
        self.counts.responses += 1;
        // The host apply_context would find: the url's, else the `host` field.
        let logged_url = note::get(e, note::URL, "url");
        let host = logged_url
            .and_then(url::split_url)
            .map(|p| p.host)
            .or_else(|| note::get(e, note::HOST, "host"));
        let key = PairKeyRef {
            source,
            span: note::get(e, note::SPAN_ID, "spanID"),
            url: logged_url,
            host,
        };
        let id = match self.pairer.answer_ref(key) {
            Some(id) if self.events.get(id).is_some() => id,
            _ => self.events.push(FetchEvent {
                source,
                ..FetchEvent::default()
            }),
        };
        if let Some(ev) = self.events.get_mut(id) {
            if ev.response_headers.capacity() == 0
                && let Some(spare) = self.spare_headers.pop()
            {
                ev.response_headers = spare;
            }
            ev.set_response(e, scrub, self.lean_headers.as_ref(), &mut self.names);
            ev.lines.push(line);
            if ev.status == Some(401)
                && let Some(h) = ev.response_header("www-authenticate")
            {
                ev.challenge = Some(Box::new(parse_challenge(h)));
            }
            if let Some(c) = &ev.challenge {
                self.challenges.insert(auth_key(ev), c);
            }
        }
        // containerd writes `response.status` on every such line: one without it was cut (a
        // review: a log cut inside its last response line said ✅ and exited 0, where the
        // line before the cut said `no-response`). What came back is unknown: a failure.
        let cut = self
            .events
            .get_mut(id)
            .filter(|ev| ev.status.is_none() && ev.error.is_none())
            .map(|ev| ev.error = Some(NO_STATUS.into()))
            .is_some();
        self.complete(id, line);
        if cut && let Some(f) = self.unanswered_finding(id, line, NO_STATUS_TEXT) {
            self.push_finding(f);
        }
    }

    /// Everything that happens once an event has its answer (or its failure).
    pub(super) fn complete(&mut self, id: usize, line: u64) {
        let ring = &(self.opts.keep_events && self.opts.max_events.is_some());
        let Model {
            rules,
            events,
            completed,
            stats,
            traces,
            mirrors,
            auth,
            findings,
            counts,
            lean,
            names,
            spare_headers,
            challenges_waiting,
            ..
        } = self;
        events.mark_done(id);
        let Some(ev) = events.get_mut(id) else {
            return;
        };
        let fp = rules.classify(
            ev.response_headers
                .iter()
                .map(|h| (&*h.name, h.value.as_str())),
        );
        if let Some(fp) = &fp {
            ev.server = rules.shared_name(fp.rule);
            ev.server_why = Some(fp.why.clone());
        }
        if completed.len() < pair::MAX_PENDING * 4 {
            completed.push(id);
        }
        if *lean && ev.size.is_none() {
            // The size a lean model keeps (below), read once here: what follows asks for it
            // through `bytes()`, which otherwise parses `content-length` again.
            ev.size = ev.bytes();
        }
        // Before the counts: whether a 401 is a challenge or a refused retry decides whether
        // it failed (`FetchEvent::is_challenge`).
        let answer = auth.on_response(auth_key(ev), ev, line);
        ev.retry_refused = matches!(answer, Some(Answer401::Refused(_)));
        let server_rule = fp.map(|f| f.rule);
        let status_kind = match ev.status {
            // "Not there yet": the push uploads it next.
            Some(404) if ev.push_check => None,
            Some(403) => Some(FindingKind::Auth(AuthKind::Denied)),
            Some(s) => error_kind_of_status(s).map(FindingKind::Error),
            None => None,
        };
        // The mirror route (`--config`), read once where something asks for it: a 401
        // challenge's finding, should nothing overcome it, names its mirror; a pull logged
        // without a host is counted on the host it places it on (`stats`), its findings name it;
        // a status finding names its mirror.
        let challenge = matches!(answer, Some(Answer401::Challenge));
        let infer = ev.host.is_none() && super::routed(ev);
        let route = if challenge || infer || status_kind.is_some() {
            mirrors
                .route_of(ev, rules, server_rule)
                .map(|(up, m)| (names.get(up), m.map(|m| names.get(m))))
        } else {
            None
        };
        if challenge && let Some((_, Some(m))) = &route {
            auth.set_mirror(auth_key(ev), ev.id, m.clone());
        }
        if ev.is_challenge() && ev.url.is_some() {
            if challenges_waiting.len() == WAITING_CHALLENGES {
                challenges_waiting.pop_front();
            }
            challenges_waiting.push_back(id);
        }
        if infer {
            ev.inferred_host = route
                .as_ref()
                .map(|(up, m)| m.as_ref().unwrap_or(up).clone());
        }
        stats.add(ev, line, ev.inferred_host.as_deref());
        if let Some(t) = &ev.trace_id {
            traces.add(
                t,
                ev.span_id.as_deref(),
                ev.id,
                ev.failed(),
                [ev.started, ev.finished],
            );
        }
        mirrors.observe(ev, rules, server_rule, (line, None));
        if let Some(Answer401::Refused(confirmed)) = answer {
            ev.auth_failed = true;
            let kind = FindingKind::Auth(confirmed.kind);
            let f = Finding::on_event(
                ev,
                line,
                kind,
                Some(401),
                confirmed.realm.as_deref(),
                "the retry with credentials was refused again (401)",
                names,
            );
            if !push_finding(findings, counts, *ring, f) {
                ev.note_omitted(kind);
            }
        }
        if let Some(kind) = status_kind {
            ev.auth_failed |= kind.is_auth();
            let text = format!(
                "{} {} → {}",
                ev.method.as_deref().unwrap_or("response to"),
                ev.url.as_deref().unwrap_or("(no url logged)"),
                ev.status_text.as_deref().unwrap_or("")
            );
            let mut f = Finding::on_event(ev, line, kind, ev.status, None, &text, names);
            f.to_mirror = route.and_then(|(_, m)| m);
            if !push_finding(findings, counts, *ring, f) {
                ev.note_omitted(kind);
            }
        }
        if *lean {
            // Nothing in the model reads a completed event's headers again; the size stays
            // (set above).
            for list in [
                std::mem::take(&mut ev.request_headers),
                std::mem::take(&mut ev.response_headers),
            ] {
                if list.capacity() > 0
                    && spare_headers.len() < SPARE_HEADER_LISTS
                    && list.iter().all(|h| h.value.capacity() <= SPARE_VALUE_BYTES)
                {
                    spare_headers.push(list);
                }
            }
        }
        self.note_recovery(id, server_rule);
    }

    /// `resolved` closes the manifest request that answered on its host (or span).
    pub(super) fn on_resolved(&mut self, source: u32, line: u64, e: &Entry<'_>) {
        let host = e.get("host");
        let span = e.span_id();
        let target = self
            .events
            .iter_recent()
            .find(|ev| {
                ev.source == source
                    && ev.kind == url::ObjectKind::Manifest
                    && (host.is_some() && ev.host.as_deref() == host
                        || host.is_none() && ev.span_id.as_deref() == span)
            })
            .map(|ev| ev.id);
        if let Some(ev) = target.and_then(|id| self.events.get_mut(id)) {
            context::add_lines(ev, &[line]);
        }
    }

    pub(super) fn on_unauthorized(&mut self, source: u32, line: u64, e: &Entry<'_>) {
        let Some(header) = e.get("header") else {
            return;
        };
        let challenge = parse_challenge(header);
        let span = e.span_id();
        let host = e.get("host");
        let target = self.events.iter_recent().find(|ev| {
            ev.source == source
                && ev.status == Some(401)
                && (span.is_some() && ev.span_id.as_deref() == span
                    || host.is_some() && ev.host.as_deref() == host
                    || span.is_none() && host.is_none())
        });
        let Some(id) = target.map(|ev| ev.id) else {
            return;
        };
        let kind = auth_kind_of_challenge(Some(&challenge));
        let realm = challenge.realm.clone();
        if let Some(ev) = self.events.get_mut(id) {
            ev.lines.push(line);
            ev.challenge.get_or_insert_with(|| Box::new(challenge));
            self.auth.set_challenge(auth_key(ev), kind, realm);
        }
    }

    pub(super) fn on_token_failed(&mut self, source: u32, line: u64, e: &Entry<'_>) {
        let status = e
            .get("status")
            .and_then(|s| s.split(' ').next()?.parse().ok());
        let body = e.get("body").unwrap_or("");
        let text = format!(
            "token request failed: {} {}",
            e.get("status").unwrap_or(""),
            body
        );
        let host = e.get("host").map(str::to_owned);
        let f = Finding {
            source,
            line,
            time: e.timestamp(),
            host: host.as_deref().map(|h| self.names.get(h)),
            inferred_host: None,
            kind: FindingKind::Auth(AuthKind::Unknown),
            status,
            realm: None,
            msg: self.names.get(&e.msg),
            text: self.scrub(&text),
            event: None,
            trace: e.trace_id().map(|t| self.names.get(t)),
            recovered_by: None,
            to_mirror: None,
            also: None,
            object: None,
        };
        self.push_finding(f);
        if let Some(h) = host {
            self.auth.explained(&h);
        }
    }

    /// containerd ≥ 2.4's `transient transport error, retrying`: the request its error names
    /// failed at the transport on the last host (a timeout, an EOF) and goes again to the same
    /// host 50 ms later (`doWithTransportRetries`, up to 5 attempts). The attempt is closed as
    /// `trying next host` closes one: a failed request of its host, with its finding; when a
    /// later attempt is served, the finding is marked recovered by that host (a retry got past
    /// it, as a fallback would), so `--fail-on unrecovered-errors` fails only a pull whose last
    /// attempt failed too.
    pub(super) fn on_transport_retry(&mut self, source: u32, line: u64, e: &Entry<'_>) {
        if let Some(id) = self.on_next_host(source, line, e) {
            self.note_retried(id);
        }
    }

    /// Closes the waiting request a `trying next host` (or `fetch failed`, or a transport
    /// retry) line is about, with its error; returns its event.
    pub(super) fn on_next_host(&mut self, source: u32, line: u64, e: &Entry<'_>) -> Option<usize> {
        let error = e.get("error");
        let host = e
            .get("host")
            .or_else(|| error.and_then(host_named_in))
            .map(str::to_owned);
        let span = e.span_id().map(str::to_owned);
        let same_span = |k_span: Option<&str>| span.is_some() && k_span == span.as_deref();
        let matches = |k_host: Option<&str>, k_url: Option<&str>, k_span: Option<&str>| match (
            &host, &span,
        ) {
            // A request logged without host and url (BuildKit >= v0.16 inside its spans) is
            // known by its span only, even when the error text names a host.
            (Some(h), _) => {
                k_host == Some(h.as_str())
                    || k_url.is_some_and(|u| u.contains(h.as_str()))
                    || k_host.is_none() && k_url.is_none() && same_span(k_span)
            }
            (None, Some(_)) => same_span(k_span),
            (None, None) => true,
        };
        // A pending request's url is the url its line logged (the key holds only its hash):
        // its event's, redacted as it is kept.
        let events = &self.events;
        // Of this source only: another file's request is another daemon's.
        let pending = self.pairer.newest(|id, k| {
            let url = k.url.and(events.get(id).and_then(|ev| ev.url.as_deref()));
            k.source == source && matches(k.host.as_deref(), url, k.span.as_deref())
        });
        let mut event = None;
        if let Some(id) = pending {
            self.pairer.remove(id);
            if let Some(ev) = self.events.get_mut(id) {
                // A request logged without its url (inside BuildKit's spans) learns it from
                // the error, which names it: the host tried, a mirror's `ns=`.
                if ev.url.is_none()
                    && let Some(url) = error.and_then(request_url_in_text)
                {
                    ev.apply_url(url, Scrub::new(self.opts.redact), &mut self.names);
                    ev.url_from_error = true;
                }
                ev.error = Some(
                    self.opts
                        .redact_text(error.unwrap_or(&e.msg))
                        .into_boxed_str(),
                );
                ev.finished = e.timestamp();
                ev.lines.push(line);
                ev.level = ev.level.max(e.level);
            }
            self.complete(id, line);
            event = Some(id);
        } else {
            let recent = self
                .events
                .iter_recent()
                .find(|ev| {
                    ev.source == source
                        && matches(ev.host.as_deref(), ev.url.as_deref(), ev.span_id.as_deref())
                })
                .map(|ev| ev.id);
            if let Some(ev) = recent.and_then(|id| self.events.get_mut(id)) {
                ev.lines.push(line);
                event = Some(ev.id);
                // An auth challenge the authorizing did not get past: containerd gave up on
                // that host. Only now is it a failure (a mirror's fallback, `failed()`).
                if ev.is_challenge() {
                    let text = self
                        .opts
                        .redact_text(error.unwrap_or(&e.msg))
                        .into_boxed_str();
                    let id = ev.id;
                    self.challenge_failed(id, text, line);
                }
            }
        }
        if let Some(id) = event
            && e.msg.starts_with(MSG_TRYING_NEXT)
        {
            self.note_moved_on(id);
        }
        if let Some(err) = error {
            // A request no event was found for (an info-level log has no `do request`).
            if event.is_none() {
                self.mirror_text(source, line, err);
            }
            self.text_finding(source, line, e, err, host, event);
        } else if event.is_none()
            && (e.msg.contains(AFTER_STATUS) || e.msg.ends_with(NOT_FOUND_WORDS))
        {
            self.status_line(source, line, e, host);
        }
        event
    }

    /// containerd's word on a host's answer when no event of the log has it (info level, its
    /// default, logs no `do request`): 2.x's `trying next host after status: 404 Not Found`,
    /// or `fetch failed after status: …` from the last host, with `host` (2.0+) and `method`
    /// and `url` (2.3+) from the resolve's context; 1.5–1.7's `trying next host - response
    /// was http.StatusNotFound`, with `host`. The request it names is mirror evidence
    /// as an error text's is (a mirror's answer is a fallback, the upstream's a direct pull).
    /// Only the last host's answer is a failure of the pull: on `trying next host` containerd
    /// goes on to the next host, whose success an info-level log does not show, so a finding
    /// there would fail `--fail-on unrecovered-errors` on every mirror miss.
    fn status_line(&mut self, source: u32, line: u64, e: &Entry<'_>, host: Option<String>) {
        let url = e.get("url").map(|u| self.opts.redact_text(u));
        let said = self.opts.redact_text(&e.msg);
        match (&url, &host) {
            (Some(u), _) => {
                let method = e.get("method").unwrap_or("HEAD");
                self.mirrors
                    .observe_text((source, line), method, u, ("a status line", &said));
            }
            (None, Some(h)) => self.mirrors.observe_host_status((source, line), h, &said),
            (None, None) => {}
        }
        if e.msg.starts_with(MSG_FETCH_FAILED) {
            let text = match (&url, e.get("method")) {
                (Some(u), Some(m)) => format!("{said}: {m} {u}"),
                (Some(u), None) => format!("{said}: {u}"),
                _ => said,
            };
            self.text_finding(source, line, e, &text, host, None);
        }
    }
}

/// What containerd 2.x puts between its words and a host's status (`trying next host after
/// status: 404 Not Found`).
const AFTER_STATUS: &str = " after status: ";

/// How containerd 1.5–1.7 ends `trying next host` when a host answered 404.
const NOT_FOUND_WORDS: &str = " - response was http.StatusNotFound";

impl Model {
    /// What one request for an object on two hosts shares: its url's path below the API base
    /// of the host it went to, a configured path mirror's base taken off
    /// ([`MirrorConfig::object_path`](super::mirror::MirrorConfig::object_path), the one
    /// place that decides it). Pairing a request with the one that left it behind, a
    /// challenge with the request after it, a failure with the answer that recovered it, and
    /// the explorer's fallback note (`app::bypass`) all compare this.
    pub fn object_path<'u>(&self, u: &'u str) -> Option<url::ObjectPath<'u>> {
        self.opts.mirrors.object_path(u)
    }
}
