//! Mirror verdicts: per upstream registry and mirror, was the mirror really used?
//!
//! Evidence, in order of strength: containerd marks a mirror request with `?ns=<upstream>`; a
//! configured mirror's host in the url; the fingerprint of who answered (a response from Google
//! Cloud Storage is `mirror.gcr.io`, one with Docker Hub's rate-limit headers is not). A mirror
//! request that fails makes containerd try the next host: a fallback. Pure bookkeeping.
//!
//! A configured mirror no request reached (decided in `judge`): containerd asks the hosts in
//! config order, mirrors first, so when an earlier configured mirror of the same upstream
//! served every pull, the later one is a backup never needed: `unknown` with `not_needed` and
//! a `reason` ("not needed: 127.0.0.1:5001, before it in the config, served every pull"), and
//! `--fail-on mirror-unproven` skips it. When the upstream's pulls demonstrably went elsewhere
//! (direct, or via a mirror the config does not name or names after it) it is `unused`, its
//! evidence those pulls (kb `mirror/configured-never-used`). With no pull of the upstream at
//! all it stays `unknown`, and its `reason` says so and names the hosts that were pulled from.
//! Configured hosts are read lowercased (host names are case-insensitive). Evidence is kept
//! [`EVIDENCE_PER_REASON`] lines per reason, sorted by source and line; what the cap left out is
//! counted in `evidence_omitted`.
//!
//! An evidence line is the line that proves what it says. For most requests that is the line
//! that completed it (the answer, or the error). A 401 challenge is no failure until containerd
//! shows it gave up on it: by `trying next host`, or, in containerd 1.6 after a 401 it has no
//! credentials for, silently, by asking the next host for the same path. That later line is the
//! one cited (`line`), since it proves the next host was tried; the 401's own line, where the
//! reader sees what the mirror answered, is named too: [`Evidence::answer_line`] for scripts,
//! and the end of `why` (`… 401 Unauthorized at line 22`) for every report, which print `why`
//! as it is (decided so: one place writes it, and the `summary --json` evidence object is only
//! extended, its `line` keeping its meaning).
//!
//! A request named only in an error text counts too ([`MirrorTracker::observe_text`]): an
//! `error` field (`trying next host`, a daemon's `level=error` line) or a pasted client line
//! (`ERROR: failed to solve: …`) that names a pull request's url (`failed to do request: Head
//! "<url>": …`, `unexpected status code <url>: …`; `classify::pull_request_in_text`), when no
//! fetch event has the same host and path (an info-level log has no `do request` lines; a
//! client's error is logged by no request line). Such a text is the failure of that request,
//! so it counts as an event that failed with it would: a url on a mirror (its `ns=`, or a
//! configured mirror's host) is a fallback; a url on the upstream itself is a direct request.
//! containerd tries the hosts in order, mirrors first, and ends a resolve or a fetch on the
//! *first* error it met (`firstErr` in `remotes/docker`; a resolve's 404 sets none): a
//! client's error naming the upstream means the mirror was not tried or did not have the
//! image, and the mirror's own failure, if the log shows one, is counted from its own line, so
//! one failover is not counted twice. A text and an event with the same host and path are one
//! request, whichever comes first (a client's paste before the daemon's log): an event marks
//! the texts seen before it, and a text looks among the latest 4,096 manifest and blob
//! requests of events (containerd logs its error a few lines after the request; a longer
//! memory would cost `summary` its bounded memory on a long log). Two texts naming one url
//! (the daemon's `trying next host` and the client's error) count once.
//!
//! A mirror configured with a path (Harbor's proxy projects: `mirrors =
//! ["core.harbor.domain/proxy.docker.io"]`) is asked for the same object under a longer base:
//! BuildKit's `util/resolver` (v0.12+) makes it a host whose path is `path.Join("/v2",
//! "proxy.docker.io")`, and containerd joins that base, the repository and
//! `manifests/<ref>`; dockerd's `registry-mirrors` keep only the host up to 27, and moby's
//! `daemon/hosts.go` puts the path before `/v2` from 28 (after `/v2` before that).
//! [`MirrorConfig::object_path`] takes the configured base off, so the model pairs the
//! mirror's `/v2/proxy.docker.io/library/node/manifests/20` with Docker Hub's
//! `/v2/library/node/manifests/20`.
//!
//! Without a configuration no base is guessed. The tempting rule — a `?ns=` request whose path
//! ends with another host's path below `/v2` — cannot tell a mirror's prefix from a deeper
//! repository (`/v2/team/app/…?ns=ghcr.io` against `/v2/app/…`: two images), and dockerd's
//! logs carry no span id to confine it to one resolve; it could mark an error recovered by
//! another image's download. A path mirror's miss is then reported as it is logged, and
//! `--config` pairs it.

mod config;
mod route;
mod tracker;
mod verdict;

pub use config::MirrorConfig;
pub use tracker::MirrorTracker;
pub use verdict::{EVIDENCE_PER_REASON, Evidence, MirrorVerdict, Verdict};

#[cfg(test)]
mod tests;
