//! Lines that belong to a fetch event without being its request or response: `resolving`
//! (before the requests to a host), `fetch` (the handler announcing a digest before its
//! request) and `resolved` (after the manifest answer). They are attached to their event so the
//! event's raw lines tell the whole story. Bounded queues; pure bookkeeping.

use std::collections::VecDeque;

use super::fetch::FetchEvent;

/// Unclaimed context lines kept per kind.
const MAX_WAITING: usize = 256;

/// containerd remotes/handlers.go FetchHandler (1.x and 2.x), fields digest, mediatype, size.
pub const MSG_FETCH: &str = "fetch";
/// containerd resolver.go Resolve, end: field desc.digest (and host in 1.6).
pub const MSG_RESOLVED: &str = "resolved";

/// Context lines waiting for the request they announce.
#[derive(Debug, Default)]
pub(super) struct ContextLines {
    by_digest: VecDeque<(String, u64)>,
    by_host: VecDeque<(String, u64)>,
}

fn push_bounded(q: &mut VecDeque<(String, u64)>, key: &str, line: u64) {
    if q.len() >= MAX_WAITING {
        q.pop_front();
    }
    q.push_back((key.to_owned(), line));
}

impl ContextLines {
    /// A `resolving` line for `host`.
    pub fn resolving(&mut self, host: &str, line: u64) {
        push_bounded(&mut self.by_host, host, line);
    }

    /// A `fetch` line for `digest`.
    pub fn fetch(&mut self, digest: &str, line: u64) {
        push_bounded(&mut self.by_digest, digest, line);
    }

    /// Takes the waiting lines a new request claims: `fetch` lines of its digest, `resolving`
    /// lines of its host.
    pub fn claim(&mut self, ev: &FetchEvent) -> Vec<u64> {
        let mut lines = Vec::new();
        for (q, key) in [
            (&mut self.by_digest, ev.digest.as_deref()),
            (&mut self.by_host, ev.host.as_deref()),
        ] {
            let Some(key) = key else { continue };
            q.retain(|(k, l)| {
                let mine = k == key;
                if mine {
                    lines.push(*l);
                }
                !mine
            });
        }
        lines
    }
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
