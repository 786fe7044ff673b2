//! Lines that belong to a fetch event without being its request or response: `resolving`
//! (before the requests to a host), `fetch` (the handler announcing a digest before its
//! request) and `resolved` (after the manifest answer). They are attached to their event so the
//! event's raw lines tell the whole story, by requests of the same source only (another file's
//! `fetch` of the same digest announced another daemon's request). Bounded queues; pure
//! bookkeeping.

use std::collections::VecDeque;

use super::fetch::FetchEvent;
use crate::parse::Timestamp;

/// Unclaimed context lines kept per kind.
const MAX_WAITING: usize = 256;

/// How long a context line waits for its request, in milliseconds. containerd logs `fetch`
/// and `resolving` right before the requests they announce (microseconds to milliseconds, a
/// little more under load); a `fetch` for content already in the store announces none, and
/// without this bound a later pull of the same digest took it as its own.
const CLAIM_WINDOW_MS: i64 = 10_000;

/// containerd remotes/handlers.go FetchHandler (1.x and 2.x), fields digest, mediatype, size.
pub const MSG_FETCH: &str = "fetch";
/// containerd resolver.go Resolve, end: field desc.digest (and host in 1.6).
pub const MSG_RESOLVED: &str = "resolved";

/// One waiting context line: its key (a digest or a host), source, number and time.
type Waiting = (String, u32, u64, Option<Timestamp>);

/// Context lines waiting for the request they announce.
#[derive(Debug, Default)]
pub(super) struct ContextLines {
    by_digest: VecDeque<Waiting>,
    by_host: VecDeque<Waiting>,
    /// `checking and pushing to` lines, by url.
    by_push_url: VecDeque<Waiting>,
}

/// Where a context line was logged: its source, number and time.
pub(super) type At = (u32, u64, Option<Timestamp>);

fn push_bounded(q: &mut VecDeque<Waiting>, key: &str, (source, line, time): At) {
    if q.len() >= MAX_WAITING {
        q.pop_front();
    }
    q.push_back((key.to_owned(), source, line, time));
}

impl ContextLines {
    /// A `resolving` line for `host`, logged `at`.
    pub fn resolving(&mut self, host: &str, at: At) {
        push_bounded(&mut self.by_host, host, at);
    }

    /// A `fetch` line for `digest`, logged `at`.
    pub fn fetch(&mut self, digest: &str, at: At) {
        push_bounded(&mut self.by_digest, digest, at);
    }

    /// A `checking and pushing to` line for `url` (the HEAD that follows asks whether the
    /// content is there), logged `at`.
    pub fn push_check(&mut self, url: &str, at: At) {
        push_bounded(&mut self.by_push_url, url, at);
    }

    /// Takes the waiting lines a new request claims: `fetch` lines of its digest, `resolving`
    /// lines of its host, the `checking and pushing to` line of a HEAD's url, logged at most
    /// [`CLAIM_WINDOW_MS`] before it (where both times are known); and says whether it claimed
    /// the latter (the request is a push's existence check) and whether it claimed a
    /// `resolving` line (the first attempt of a resolve on its host, never a retry). Lines of
    /// its key that waited longer are dropped: they announced nothing.
    pub fn claim(&mut self, ev: &FetchEvent) -> Claimed {
        let mut lines = Vec::new();
        // By url as logged: the event keeps it redacted, which leaves a url without secrets
        // (a push's) as it is.
        let push_url = (ev.method.as_deref() == Some("HEAD"))
            .then_some(ev.url.as_deref())
            .flatten();
        let mut push_check = false;
        let mut announced = false;
        for (q, key, what) in [
            (&mut self.by_digest, ev.digest.as_deref(), Kind::Fetch),
            (&mut self.by_host, resolving_key(ev), Kind::Resolving),
            (&mut self.by_push_url, push_url, Kind::PushCheck),
        ] {
            let Some(key) = key else { continue };
            q.retain(|(k, source, l, t)| {
                if k != key || *source != ev.source {
                    return true;
                }
                let recent = match (*t, ev.started) {
                    (Some(t), Some(started)) => t.millis_until(started) <= CLAIM_WINDOW_MS,
                    _ => true,
                };
                if recent {
                    lines.push(*l);
                    push_check |= what == Kind::PushCheck;
                    announced |= what == Kind::Resolving;
                }
                false
            });
        }
        Claimed {
            lines,
            push_check,
            announced,
        }
    }
}

/// What a request's `resolving` line is keyed by: its host, or for a request BuildKit ≥ v0.16
/// logged without url or host (inside its span) its span id, as `Model::ingest` keys a
/// `resolving` line without `host`.
fn resolving_key(ev: &FetchEvent) -> Option<&str> {
    ev.host
        .as_deref()
        .or_else(|| ev.url.is_none().then_some(ev.span_id.as_deref()).flatten())
}

/// The queue a context line waits in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fetch,
    Resolving,
    PushCheck,
}

/// What a new request claimed ([`ContextLines::claim`]).
#[derive(Debug, Default)]
pub(super) struct Claimed {
    /// The context lines it claimed.
    pub lines: Vec<u64>,
    /// It claimed a `checking and pushing to` line: a push's existence check.
    pub push_check: bool,
    /// It claimed a `resolving` line of its host: the first attempt of a resolve there.
    pub announced: bool,
}

/// Adds lines to an event, keeping its line list sorted and free of repeats.
pub(super) fn add_lines(ev: &mut FetchEvent, lines: &[u64]) {
    if lines.is_empty() {
        return;
    }
    ev.lines.extend_from_slice(lines);
    ev.lines.sort_unstable();
    ev.lines.dedup();
}
