//! [`Finding`]: one line that shows an auth failure or a fetch error, and the 401 bookkeeping
//! that tells a normal token-auth challenge from a real failure.
//!
//! A 401 with a `Bearer` or `Basic` challenge is the first step of every authenticated pull:
//! containerd sends the request again with a token or the credentials. It becomes a failure
//! only when the retry is refused again, when an auth error names its host, or when nothing on
//! that host succeeds afterwards (the pull ended there). Pure bookkeeping.
//!
//! # Which request is the retry of a 401
//!
//! containerd retries a challenged request at once (`doRequestWithRetries`: the same request,
//! to the same host, with the token or credentials fetched in between; the real captures show
//! it 0.6 to 3 ms after the 401, `tests/fixtures/dockerd-20.10/basic_auth_bad_creds.log`,
//! `insufficient_scope.log`), inside the same resolve. A later request is taken for the retry
//! of an open 401 only when all of these hold:
//!
//! - the same key (the host; the span id where BuildKit logs no host) and the same object:
//!   where both have a url, the same path; where neither has (BuildKit ≥ v0.16 inside its
//!   spans), the same object kind (from `Accept`) in the same `resolving <ref>` span, where
//!   every request asks for that one reference (containerd's `Resolve`). Outside such a span
//!   (a blob fetch may ask for several layers in one span) a url-less 401 is never taken
//!   for a refusal: both 401s stay open, failures when nothing on the span succeeds;
//! - containerd did not leave its host after it (`trying next host` about it, or the same
//!   path asked next of another host: a 401 a later request cannot retry);
//! - the same source: another input is another daemon or another run;
//! - the same span, where both lines carry a `spanID` (BuildKit v0.9 and v0.16+): a retry
//!   runs in the span of its first attempt, a new pull in a span of its own;
//! - it is not announced by a `resolving` line of its host ([`FetchEvent::first_attempt`]; of
//!   its span where BuildKit ≥ v0.16 logs the line without `host`, before each host's first
//!   attempt as well):
//!   containerd 1.6 logs one before the first attempt of a resolve on each host and none
//!   before a retry, so such a request is a new pull (a second `docker build` after a
//!   `docker login`). It also ends the open 401s of its path on its host: they belong to a
//!   pull that is over (`Open401::superseded`), so neither a refusal nor a success of the
//!   new pull is theirs, and they stay failures unless an auth error explains them;
//! - for a refusal, it was sent after the 401 came back and within [`RETRY_WINDOW_MS`] of it
//!   (where the log says when): the last resort where the log shows neither spans nor
//!   `resolving` lines (a filtered log).
//!
//! A 401 answering such a retry is a refused retry (a finding at once, `retry_refused`); any
//! other 401 is a challenge of its own. An answer below 400 to such a request overcomes the
//! 401s it could be the retry of (any path: one token serves the host); another answer (a 404,
//! a 429) those of its path.
//!
//! Such a request is taken for the retry when it is sent (`AuthTracker::on_request`): while it
//! waits for its answer its 401 is no failure (the explorer following a log counted `✖ 1 auth`
//! in the milliseconds to seconds between them), and when it fails without an answer (a reset
//! connection, a log cut before the answer) that is its own failure only: containerd got past
//! the challenge, so the 401 is not counted as an auth failure as well. Should the input end
//! with the retry's event let go unanswered, the 401 counts again (`retries_over`).

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::auth::{AuthKind, auth_kind_of_challenge};
use super::classify::ErrorKind;
use super::fetch::FetchEvent;
use super::intern::{Interner, Shared};
use super::repeat::{Also, can_take, object_of_url, objects_match, take_into};
use super::url::ObjectKind;
use crate::parse::Timestamp;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "category", content = "kind", rename_all = "lowercase")]
pub enum FindingKind {
    /// An auth failure.
    Auth(AuthKind),
    /// Another fetch error.
    Error(ErrorKind),
}

impl FindingKind {
    /// The kind's name (`oauth-token`, `connection-refused`).
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Auth(k) => k.as_str(),
            FindingKind::Error(k) => k.as_str(),
        }
    }

    /// True for auth failures.
    pub fn is_auth(self) -> bool {
        matches!(self, FindingKind::Auth(_))
    }
}

/// A line that shows something went wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Source index.
    pub source: u32,
    /// 1-based line number in that source.
    pub line: u64,
    /// Time of the line.
    pub time: Option<Timestamp>,
    /// The registry host concerned, when known.
    pub host: Option<Shared>,
    /// Without `host`: the host its request's route places it on
    /// ([`FetchEvent::inferred_host`]).
    pub inferred_host: Option<Shared>,
    /// Auth failure or error, and which.
    pub kind: FindingKind,
    /// HTTP status, when one was involved.
    pub status: Option<u16>,
    /// The token endpoint of the challenge, when known.
    pub realm: Option<Shared>,
    /// The log message (`trying next host`).
    pub msg: Shared,
    /// The error text (redacted).
    pub text: Shared,
    /// The fetch event it belongs to.
    pub event: Option<usize>,
    /// The `traceID` of its line, or of its request (BuildKit v0.9 and v0.16+; v0.10 to v0.15
    /// with a trace exporter set): the way from a failure to every request of the same build
    /// step.
    pub trace: Option<Shared>,
    /// An error a fallback got past: the same object was served next by this host (a
    /// mirror's 404 or refused connection, then the upstream's 200). Set when that answer
    /// comes; auth failures are never marked.
    pub recovered_by: Option<Shared>,
    /// The mirror its request went to, as the mirror verdicts count it (`?ns=`, a configured
    /// mirror's host, or for a request logged without url the server a configured mirror
    /// stands behind): what tells the knowledge base a 404 was a mirror's miss where the log
    /// has no url to show it. Set on a status finding of a fetch event, and on a 401 nothing
    /// overcame (`mirror/auth-required-fallback` asks for it).
    #[serde(skip)]
    pub to_mirror: Option<Shared>,
    /// Later lines that told this same failure again (a client's `#N ERROR:` and `failed to
    /// solve:` lines, dockerd's `Download failed after N attempts`), folded into it instead
    /// of counted (`model::repeat`).
    #[serde(skip)]
    pub also: Option<Box<Also>>,
    /// What its request asked for, as `model::repeat` compares failures: the url's host and
    /// path, a digest (`repeat::object_of`).
    #[serde(skip)]
    pub object: Option<Shared>,
}

impl Finding {
    /// A finding on the line that completed `ev` (its response, or its failure).
    pub fn on_event(
        ev: &FetchEvent,
        line: u64,
        kind: FindingKind,
        status: Option<u16>,
        realm: Option<&str>,
        text: &str,
        intern: &mut Interner,
    ) -> Finding {
        Finding {
            source: ev.source,
            line,
            time: ev.finished,
            host: ev.host.clone(),
            inferred_host: ev.inferred_host.clone(),
            kind,
            status,
            realm: realm.map(|r| intern.get(r)),
            msg: intern.get(super::fetch::MSG_RESPONSE),
            text: intern.get(text),
            event: Some(ev.id),
            trace: ev.trace_id.clone(),
            recovered_by: None,
            to_mirror: None,
            also: None,
            object: ev
                .url
                .as_deref()
                .and_then(object_of_url)
                .map(|o| intern.get(&o)),
        }
    }
}

/// A 401 not yet overcome.
#[derive(Debug, Clone)]
pub(super) struct Open401 {
    pub event: usize,
    pub source: u32,
    /// The host the event names (the key may be a span id where BuildKit logs no host).
    pub host: Option<Shared>,
    pub line: u64,
    pub time: Option<Timestamp>,
    pub path: Option<String>,
    pub kind: AuthKind,
    pub realm: Option<String>,
    /// It answered a retry (reported as a finding then): no longer open, but a later retry of
    /// its path is refused again too.
    pub refused: bool,
    /// A challenge (`FetchEvent::is_challenge`): not counted among its host's errors when it
    /// came, so one to count if nothing overcomes it.
    pub challenge: bool,
    /// The event's `traceID`.
    pub trace: Option<Shared>,
    /// The event's `spanID`: a retry shares it.
    pub span: Option<Shared>,
    /// A new pull asked for its path on its host since (a request announced by `resolving`):
    /// its own pull is over, nothing later is its retry. Still open, so a failure at the end
    /// unless an auth error explains it.
    pub superseded: bool,
    /// Later lines that told its failure again (`model::repeat`), folded into it.
    pub also: Option<Box<Also>>,
    /// What a url-less request inside a `resolving <ref>` span asked for (its object kind):
    /// its path there, with the span ([`retry_object`]).
    pub resolve_kind: Option<ObjectKind>,
    /// containerd left its host after it (`trying next host`, or the same path asked next
    /// of another host: [`AuthTracker::failed_later`]): nothing later is its retry.
    pub left: bool,
    /// The mirror its request went to, as the mirror verdicts count it ([`Finding::to_mirror`]):
    /// its finding's, should nothing overcome it. A plain registry's 401 left for another
    /// host is no mirror asking for credentials (`mirror/auth-required-fallback`).
    pub to_mirror: Option<Shared>,
    /// The event of its retry, sent and not answered yet ([`AuthTracker::on_request`]): no
    /// failure while it waits (containerd got a token or credentials for it); its answer
    /// decides, and an answer that never comes is that request's failure, not this one's.
    pub retry: Option<usize>,
}

/// What the finding of an open 401 says (`Model::open_401_findings`), unless a new pull of its
/// path followed it.
pub const OPEN_401_TEXT: &str = "401 Unauthorized, and nothing on this host succeeded afterwards";

/// How long after a 401 its retry is still taken for one, in milliseconds, where the log
/// gives both times. containerd sends it right after fetching a token (milliseconds in the
/// captures; a slow token server takes longer, but not this long); a 401 later than that is a
/// new challenge, not a refusal. Missing a slow refusal costs little: both 401s stay open and
/// are failures when nothing on the host succeeds.
pub const RETRY_WINDOW_MS: i64 = 10_000;

impl Open401 {
    /// `ev` (sent after this 401, on its key) can be its retry: the same source and span, no
    /// new pull since, and not itself the first attempt of a resolve. Paths and times are
    /// the caller's.
    fn may_retry(&self, ev: &FetchEvent) -> bool {
        let same_span = match (&self.span, &ev.span_id) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        self.source == ev.source && same_span && !self.superseded && !self.left && !ev.first_attempt
    }

    /// [`Open401::may_retry`], and `ev` was sent after this 401 came back, soon after (where
    /// the log says when): its retry, should it ask for the same object.
    fn retried_by(&self, ev: &FetchEvent) -> bool {
        self.may_retry(ev)
            && match (self.time, ev.started) {
                (Some(challenged), Some(sent)) => {
                    sent >= challenged && challenged.millis_until(sent) <= RETRY_WINDOW_MS
                }
                _ => true,
            }
    }

    /// It asked for what `ev` asks for ([`retry_object`] of `ev`): the same url path, or, both
    /// logged without url, the same object kind in the same `resolving <ref>` span.
    fn same_object(
        &self,
        ev: &FetchEvent,
        (path, kind): (Option<&str>, Option<ObjectKind>),
    ) -> bool {
        match (path, kind) {
            (Some(p), _) => self.path.as_deref() == Some(p),
            (None, Some(k)) => {
                self.path.is_none()
                    && self.resolve_kind == Some(k)
                    && self.span.is_some()
                    && self.span == ev.span_id
            }
            (None, None) => false,
        }
    }
}

/// What a 401 answered.
#[derive(Debug)]
pub(super) enum Answer401 {
    /// A first attempt: the challenge containerd answers with a token or credentials.
    Challenge,
    /// The retry of a 401 for the same path, sent after that one came back: refused again.
    Refused(Open401),
}

/// 401s per host key, waiting to be overcome or confirmed.
#[derive(Debug, Default)]
pub(super) struct AuthTracker {
    open: BTreeMap<String, Vec<Open401>>,
    /// Keys in the order they were opened, to let the oldest go past [`MAX_OPEN_KEYS`].
    order: VecDeque<String>,
    /// Open 401s let go past the bounds ([`MAX_OPEN_PER_HOST`], [`MAX_OPEN_KEYS`]) before
    /// anything overcame or confirmed them: neither auth failures nor overcome, unjudged
    /// (`summary --json`'s `open_401s_untracked`).
    pub let_go: u64,
}

/// Hosts whose open-401 list is capped (a log of nothing but 401s stays bounded).
const MAX_OPEN_PER_HOST: usize = 64;

/// Keys (hosts, or span ids where BuildKit logs no host) with open 401s: a log that opens a new
/// span for every 401 and never closes them stays bounded; the oldest are let go.
pub const MAX_OPEN_KEYS: usize = 4096;

impl AuthTracker {
    /// Feeds a completed event; says for a 401 what it answered. A 401 is refused again when
    /// it answers the retry of an earlier one (see the module doc: the same key, path, source
    /// and span, no new pull in between, sent after that 401 came and within
    /// [`RETRY_WINDOW_MS`]); two requests for one path sent at once, a multi-platform build's,
    /// are both challenged and both open, and each retry refused is a refusal of its own. An
    /// answer below 400 overcomes the 401s of the key it can be the retry of; another answer
    /// (a 404, a 429: findings of their own) those of its path: the authorizing got past the
    /// challenge.
    pub fn on_response(&mut self, key: &str, ev: &FetchEvent, line: u64) -> Option<Answer401> {
        let Some(status) = ev.status else {
            // A retry that failed without an answer (a reset connection, no answer before the
            // log ended): containerd got past the challenge, and the failure is that request's
            // own finding, not an auth failure as well.
            self.retry_ended(key, ev.id);
            return None;
        };
        let object = retry_object(ev);
        if ev.first_attempt
            && let Some(list) = self.open.get_mut(key)
            && object != (None, None)
        {
            // A new pull of the path on this host: the older 401s of the path are another
            // pull's, over now.
            for o in list
                .iter_mut()
                .filter(|o| o.source == ev.source && o.same_object(ev, object))
            {
                o.superseded = true;
            }
        }
        if status == 401 {
            let path = object.0.map(str::to_owned);
            let entry = Open401 {
                event: ev.id,
                source: ev.source,
                host: ev.host.clone(),
                line,
                time: ev.finished,
                path: path.clone(),
                kind: auth_kind_of_challenge(ev.challenge.as_deref()),
                realm: ev.challenge.as_ref().and_then(|c| c.realm.clone()),
                refused: false,
                challenge: ev.is_challenge(),
                trace: ev.trace_id.clone(),
                span: ev.span_id.clone(),
                superseded: false,
                also: None,
                resolve_kind: object.1,
                left: false,
                to_mirror: None,
                retry: None,
            };
            if !self.open.contains_key(key) {
                self.order.push_back(key.to_owned());
                while self.order.len() > MAX_OPEN_KEYS {
                    if let Some(old) = self.order.pop_front()
                        && let Some(list) = self.open.remove(&old)
                    {
                        self.let_go += list.iter().filter(|o| !o.refused).count() as u64;
                    }
                }
            }
            let list = self.open.entry(key.to_owned()).or_default();
            // The 401 whose retry this request was taken for when it was sent; else one sent
            // after it came back, soon after, in its source, span and pull.
            if object != (None, None)
                && let Some(i) = list
                    .iter()
                    .position(|o| o.retry == Some(ev.id))
                    .or_else(|| {
                        list.iter()
                            .position(|o| o.same_object(ev, object) && o.retried_by(ev))
                    })
            {
                // Kept, marked, in the place of the one it answered: a further retry of the
                // path is refused again as well (basic auth retries up to five times).
                list[i] = Open401 {
                    refused: true,
                    ..entry.clone()
                };
                return Some(Answer401::Refused(entry));
            }
            if list.len() < MAX_OPEN_PER_HOST {
                list.push(entry);
            } else {
                self.let_go += 1;
            }
            return Some(Answer401::Challenge);
        } else if let Some(list) = self.open.get_mut(key) {
            if status < 400 {
                list.retain(|o| !o.may_retry(ev));
            } else {
                // A 404 or 429 for the same path: the retry got past the challenge, and what it
                // asked for is missing or rate-limited. Other paths' 401s stay open. Without a
                // url (BuildKit's spans) the key is the span, and the span's answer is the
                // retry's.
                let path = path_of(ev);
                list.retain(|o| {
                    !(o.may_retry(ev) && (path.is_none() || o.path.as_deref() == path))
                });
            }
            if list.is_empty() {
                self.close(key);
            }
        }
        None
    }

    /// `ev` was just sent on `key`: where it is the retry of an open 401 (the same object, see
    /// the module doc), that 401 waits for its answer instead of counting as a failure (the
    /// explorer following a log showed `✖ 1 auth` between a challenge and its retry's
    /// answer). The newest such 401 not waiting on another retry.
    pub fn on_request(&mut self, key: &str, ev: &FetchEvent) {
        let Some(list) = self.open.get_mut(key) else {
            return;
        };
        let object = retry_object(ev);
        if object == (None, None) {
            return;
        }
        if let Some(o) = list.iter_mut().rev().find(|o| {
            !o.refused && o.retry.is_none() && o.same_object(ev, object) && o.retried_by(ev)
        }) {
            o.retry = Some(ev.id);
        }
    }

    /// The retry `event` failed without an answer: the 401 it was sent for is no failure of
    /// its own (see [`AuthTracker::on_response`]).
    fn retry_ended(&mut self, key: &str, event: usize) {
        if let Some(list) = self.open.get_mut(key) {
            list.retain(|o| o.retry != Some(event));
            if list.is_empty() {
                self.close(key);
            }
        }
    }

    /// The input ended: a retry still marked waiting (its event let go before it completed)
    /// can no longer be answered, so its 401 counts again as nothing overcame it.
    pub fn retries_over(&mut self) {
        for o in self.open.values_mut().flatten() {
            o.retry = None;
        }
    }

    /// Sets the challenge of the newest open 401 of `key` (the `Unauthorized` line follows it).
    pub fn set_challenge(&mut self, key: &str, kind: AuthKind, realm: Option<String>) {
        if let Some(o) = self.open.get_mut(key).and_then(|l| l.last_mut()) {
            o.kind = kind;
            o.realm = realm.or(o.realm.take());
        }
    }

    /// The 401 of `event`, open under `key`, went to `mirror` (the route the verdicts count).
    pub fn set_mirror(&mut self, key: &str, event: usize, mirror: Shared) {
        if let Some(o) = self
            .open
            .get_mut(key)
            .and_then(|l| l.iter_mut().rev().find(|o| o.event == event))
        {
            o.to_mirror = Some(mirror);
        }
    }

    /// The challenge of `event` failed after all and is counted so (not again at the end).
    /// Gives the line of its 401, while it is still open.
    pub fn failed_later(&mut self, key: &str, event: usize) -> Option<u64> {
        let o = self
            .open
            .get_mut(key)
            .and_then(|l| l.iter_mut().find(|o| o.event == event))?;
        o.challenge = false;
        o.left = true;
        Some(o.line)
    }

    /// An auth error named this host: its open 401s are explained by that finding.
    pub fn explained(&mut self, key: &str) {
        self.close(key);
    }

    /// Forgets `key`'s list and its place in `order`: a key opened again later is queued
    /// once, at the back (a stale place left in front let a host's new open 401s go as the
    /// oldest once 4,096 keys had been opened after its first).
    fn close(&mut self, key: &str) {
        if self.open.remove(key).is_some()
            && let Some(i) = self.order.iter().position(|k| k == key)
        {
            self.order.remove(i);
        }
    }

    /// Folds `told` (`repeat::told_lines`: an auth text's line and what it said, and the
    /// lines folded into it), naming `host` and `object` (`repeat::object_of`), into the newest
    /// open 401 of that host and path that does not hold those words already (that one was
    /// told them by another build), of any source (the client's output may be a file of its
    /// own; not of `not_of`); false when there is none (a new failure: `model::repeat`). Only the host's own list is looked at (at most
    /// [`MAX_OPEN_PER_HOST`]).
    pub fn fold(
        &mut self,
        host: &str,
        object: &str,
        told: &[((u32, u64), u64)],
        not_of: Option<u32>,
    ) -> bool {
        let Some(o) = self
            .open
            .get_mut(host)
            .into_iter()
            .flatten()
            .filter(|o| {
                !o.refused
                    && Some(o.source) != not_of
                    && o.host.as_deref() == Some(host)
                    && o.path
                        .as_deref()
                        .and_then(object_of_url)
                        .is_some_and(|p| objects_match(&p, object))
                    && can_take(o.also.as_deref(), OPEN_401_TEXT, told)
            })
            .max_by_key(|o| o.line)
        else {
            return false;
        };
        take_into(&mut o.also, told);
        true
    }

    /// 401s that nothing overcame (a refused retry is a finding already), but for those whose
    /// retry is still waiting for its answer.
    pub fn still_open(&self) -> impl Iterator<Item = &Open401> {
        self.open
            .values()
            .flatten()
            .filter(|o| !o.refused && o.retry.is_none())
    }
}

/// The url of `ev` without its query (`?ns=`): what a retry asks for again. Read only where a
/// 401 is concerned, not for every answer.
fn path_of(ev: &FetchEvent) -> Option<&str> {
    let u = ev.url.as_deref()?;
    u.split('?').next()
}

/// What a retry of `ev` asks for again: its url's path, else, for a request BuildKit ≥ v0.16
/// logged without url inside a `resolving <ref>` span (every request there asks for that one
/// reference), its object kind (`recover::resolve_object`), compared with the span.
fn retry_object(ev: &FetchEvent) -> (Option<&str>, Option<ObjectKind>) {
    match path_of(ev) {
        Some(p) => (Some(p), None),
        None => (None, super::recover::resolve_object(ev).map(|(_, k)| k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_401_keys_stay_bounded() {
        // BuildKit without host fields keys 401s by span id: a new span for every 401 that is
        // never overcome must not grow the tracker forever (the soak's slow RSS rise).
        let mut t = AuthTracker::default();
        let ev = FetchEvent {
            status: Some(401),
            url: Some("https://registry-1.docker.io/v2/library/alpine/manifests/latest".into()),
            ..FetchEvent::default()
        };
        for i in 0..MAX_OPEN_KEYS + 1000 {
            assert!(matches!(
                t.on_response(&format!("span-{i:08}"), &ev, i as u64),
                Some(Answer401::Challenge)
            ));
        }
        assert_eq!(t.open.len(), MAX_OPEN_KEYS);
        // The 1000 let go are counted, not dropped silently.
        assert_eq!(t.let_go, 1000);
        assert!(
            t.open
                .contains_key(&format!("span-{:08}", MAX_OPEN_KEYS + 999))
        );
        assert!(!t.open.contains_key("span-00000000"));
        assert!(t.order.len() <= MAX_OPEN_KEYS);
    }

    /// A host challenged, answered, then challenged again long after: its new 401 is not let
    /// go as the oldest key when 4,096 other keys open after its first challenge.
    #[test]
    fn a_key_opened_again_is_queued_at_the_back() {
        let mut t = AuthTracker::default();
        let url = "https://registry-1.docker.io/v2/library/alpine/manifests/latest";
        let answer = |status, id| FetchEvent {
            id,
            status: Some(status),
            url: Some(url.into()),
            ..FetchEvent::default()
        };
        let hub = "registry-1.docker.io";
        assert!(matches!(
            t.on_response(hub, &answer(401, 0), 1),
            Some(Answer401::Challenge)
        ));
        // The retry with a token is served: nothing is open on the host any more.
        assert!(t.on_response(hub, &answer(200, 1), 2).is_none());
        assert!(t.still_open().next().is_none());
        for i in 0..MAX_OPEN_KEYS / 2 {
            t.on_response(&format!("span-{i:08}"), &answer(401, 10 + i), 3);
        }
        // Challenged again, and this time nothing answers.
        t.on_response(hub, &answer(401, 9_000), 4);
        for i in MAX_OPEN_KEYS / 2..MAX_OPEN_KEYS + 10 {
            t.on_response(&format!("span-{i:08}"), &answer(401, 10 + i), 5);
        }
        assert!(
            t.still_open().any(|o| o.event == 9_000),
            "the host's second 401 was let go"
        );
        assert_eq!(t.order.iter().filter(|k| *k == hub).count(), 1);
        assert_eq!(t.open.len(), MAX_OPEN_KEYS);
    }
}
