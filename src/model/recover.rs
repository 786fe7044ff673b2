//! Errors a fallback got past. containerd tries a request's hosts in order, mirrors first: a
//! mirror's 404 (mirror.gcr.io holds only a cached subset of Docker Hub), 5xx or refused
//! connection sends the same request to the next host, and when that one serves the object
//! the pull goes on. The error stays an error (the mirror failed; its verdict says so), but
//! its finding is marked `recovered_by` the host that served the object, so a report can tell
//! "the build's pulls failed" from "a mirror missed and the upstream served it".
//!
//! A failed pull request (GET or HEAD with a url) is remembered by the hash of its url's path
//! for the next [`FAILED_PULLS`] failures and [`WINDOW`] requests (containerd asks the next
//! host at once); a later answer below 400 for the same path from
//! another host marks the error findings of that request among the latest
//! [`RECENT_FINDINGS`]. Auth failures are never marked: an auth failure on a mirror is a
//! mirror nobody can use, whatever the upstream did next.

use std::hash::BuildHasher;

use super::Model;
use super::intern::Shared;

/// Failed pull requests remembered for a later answer of their path.
pub(super) const FAILED_PULLS: usize = 64;

/// How many requests later (by event id) an answer can still recover a failure.
const WINDOW: usize = 256;

/// How far back among the findings a recovery looks for its request's error.
const RECENT_FINDINGS: usize = 64;

/// A pull request that failed, waiting for another host to serve its path.
#[derive(Debug, Clone)]
pub(super) struct FailedPull {
    /// Hash of the url's path (no scheme, host or query).
    path: u64,
    /// The host it failed on.
    host: Option<Shared>,
    /// Its event.
    event: usize,
}

fn path_key(path: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7265_636f_7665).hash_one(path)
}

impl Model {
    /// After event `id` completed: remember it when it is a failed pull request, or mark the
    /// errors of the failed requests for its path on other hosts when it is an answer.
    pub(super) fn note_recovery(&mut self, id: usize) {
        let Some(ev) = self.events.get(id) else {
            return;
        };
        if !ev.is_pull() || ev.is_challenge() {
            return;
        }
        let failed = ev.failed();
        // containerd asks the next host at once: a failure older than the window is not
        // recovered any more (a 429 retried on its own host stays, then goes).
        while self
            .failed_pulls
            .front()
            .is_some_and(|f| id.saturating_sub(f.event) > WINDOW)
        {
            self.failed_pulls.pop_front();
        }
        // Most answers come with no failure waiting: nothing to look up.
        if !failed && (self.failed_pulls.is_empty() || ev.status.is_none_or(|s| s >= 400)) {
            return;
        }
        let Some(path) = ev.url.as_deref().and_then(super::messages::url_path) else {
            return;
        };
        let key = path_key(path);
        if failed {
            if self.failed_pulls.len() == FAILED_PULLS {
                self.failed_pulls.pop_front();
            }
            self.failed_pulls.push_back(FailedPull {
                path: key,
                host: ev.host.clone(),
                event: id,
            });
            return;
        }
        let by = ev.host.clone();
        let other =
            |f: &FailedPull| f.path == key && f.host.is_some() && by.is_some() && f.host != by;
        if !self.failed_pulls.iter().any(other) {
            return;
        }
        let mut recovered = Vec::new();
        self.failed_pulls.retain(|f| {
            let hit = other(f);
            if hit {
                recovered.push(f.event);
            }
            !hit
        });
        let from = self.findings.len().saturating_sub(RECENT_FINDINGS);
        for f in &mut self.findings[from..] {
            if !f.kind.is_auth() && f.event.is_some_and(|e| recovered.contains(&e)) {
                f.recovered_by = by.clone();
            }
        }
    }
}
