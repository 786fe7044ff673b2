//! One failure told again: the lines that repeat a failure already found are folded into its
//! finding (kept as its [`Also`] lines) instead of counted again.
//!
//! A failure is told several times. The client prints it under its build step (`#3 ERROR: <e>`)
//! and again as its final error (`ERROR: failed to solve: <e>`, or the legacy builder's `failed
//! to solve with frontend dockerfile.v0: failed to create LLB definition: <e>`), where `<e>` is
//! the text the daemon logged for the request (`trying next host error="<e>"`); dockerd says
//! `Download failed after 6 attempts: … sha256:<digest> … not found` after the six 404s of that
//! blob, each already a finding. Only a finding read from a text that no request line accounts
//! for (a plain line, an error-level entry that closes no request: `event` is `None`) is
//! folded; a request's failure (a status, a transport error closing its `do request`) always
//! counts, each retry on its own, so a rebuild of a log (the log twice) counts twice.
//!
//! # When a text tells an earlier failure
//!
//! The text is compared with the newest of the last [`RECENT`] kept findings of its source that
//! it can tell, newest first, and folded into the first that is the same failure:
//!
//! - the same category (auth or error), and the same kind unless one of the two is the
//!   category's generic one (`unknown`, `other`: `pulling from host … 401 Unauthorized` names
//!   no scheme, the refused retry it repeats does);
//! - not two different hosts (where both name one);
//! - the same object, where both name one ([`object_of`]): the url's host and path (the query
//!   left out, so `?ns=` does not tell two apart), a blob or manifest digest (which a url of
//!   that digest names too), or containerd's `pulling from host <h> failed with status code
//!   [manifests <ref>]` and `<h>/<repo>:<tag>: not found`, which name a url's host and the end
//!   of its path; where either names none, the texts themselves: one ends with the other (the
//!   client's step prefix `#N ERROR: ` left out), at a `: ` of Go's error chain.
//!
//! Each way of telling a failure comes once per failure: a text the finding already holds
//! (its own, or a line folded into it, the step number `#N ` left out) is a new failure of the
//! same object, a rebuild's (the client's output twice counts twice: the second `#3 ERROR:`
//! starts a new finding, its `failed to solve` is folded into that one). An auth text the
//! window has no finding for is folded into an open 401 of the host and object it names (a 401
//! nothing got past, `AuthTracker::fold`), which the end of the input makes a finding.
//!
//! Bounded: nothing is remembered but the findings the model keeps anyway; a finding holds at
//! most [`MAX_ALSO`] folded lines (past it, a repeat is counted as a finding of its own), and
//! only the last [`RECENT`] findings are looked at. A text repeating a failure found longer ago
//! (more findings in between, or past [`MAX_FINDINGS`](super::MAX_FINDINGS) not kept) counts as
//! a finding of its own. A text is folded into a finding of its own source, or into a request's
//! finding of another (the client's output given as a file of its own, after the daemon's
//! log); given before it, `model::told_across` folds it at the end of the input. Pasted into
//! the daemon's log before the daemon's lines, it counts on its own.
//!

use std::hash::BuildHasher;

use super::Model;
use super::auth::AuthKind;
use super::classify::{ErrorKind, pull_request_in_text, request_url_in_text};
use super::finding::{Finding, FindingKind};
use super::url::split_url;

/// How many of the newest kept findings a text is compared with.
pub const RECENT: usize = 64;

/// Lines a finding holds folded at most.
pub const MAX_ALSO: usize = 16;

/// The lines folded into a finding, where each is (its source: the client's output may be a
/// file of its own), and what each said (a hash of its text, step number left out) so the same
/// words again are known as a new failure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Also {
    /// 1-based line numbers, in the order read.
    lines: Vec<u64>,
    sources: Vec<u32>,
    texts: Vec<u64>,
}

impl Also {
    /// True when `f`'s own text or one folded in says `told` (a hash from [`text_key`]).
    fn has_told(also: Option<&Also>, own: &str, told: u64) -> bool {
        text_key(own) == told || also.is_some_and(|a| a.texts.contains(&told))
    }

    /// Folds line `line` of `source` that said `told` into `also`, unless it is full.
    fn push(also: &mut Option<Box<Also>>, (source, line): (u32, u64), told: u64) -> bool {
        let a = also.get_or_insert_with(Box::default);
        if a.lines.len() >= MAX_ALSO {
            return false;
        }
        a.lines.push(line);
        a.sources.push(source);
        a.texts.push(told);
        true
    }

    /// Room for `n` more lines.
    fn has_room(also: Option<&Also>, n: usize) -> bool {
        also.map_or(0, |a| a.lines.len()) + n <= MAX_ALSO
    }
}

/// The lines of `also` in `source` (the finding's own), none when `None`.
pub fn also_lines(also: Option<&Also>, source: u32) -> Vec<u64> {
    also_where(also, |s| s == source)
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}

/// The lines of `also` in other sources than `source` (the finding's own), as (source, line):
/// a client's output read as a file of its own.
pub fn also_elsewhere(also: Option<&Also>, source: u32) -> Vec<(u32, u64)> {
    also_where(also, |s| s != source)
}

fn also_where(also: Option<&Also>, keep: impl Fn(u32) -> bool) -> Vec<(u32, u64)> {
    also.map(|a| {
        a.sources
            .iter()
            .zip(&a.lines)
            .filter(|(s, _)| keep(**s))
            .map(|(s, l)| (*s, *l))
            .collect()
    })
    .unwrap_or_default()
}

/// A text without the client's step prefix (`#3 ERROR: …` → `ERROR: …`).
fn without_step(t: &str) -> &str {
    let Some(rest) = t.strip_prefix('#') else {
        return t;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest[digits..].strip_prefix(' ') {
        Some(r) if digits > 0 => r,
        _ => t,
    }
}

/// The hash of what a line said, its step number left out.
fn text_key(t: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7265_7065_6174).hash_one(without_step(t.trim()))
}

/// The end of a failure's text that a repeat shares: without the step prefix and the client's
/// `ERROR: `.
fn core(t: &str) -> &str {
    let t = without_step(t.trim());
    t.strip_prefix("ERROR: ")
        .or_else(|| t.strip_prefix("error: "))
        .unwrap_or(t)
}

/// A text shorter than this is not compared by its words (`EOF`, `not found` say too little).
const MIN_CORE: usize = 16;

/// True when one text ends with the other at a link of Go's error chain (`<context>: <cause>`,
/// gRPC's `desc = <cause>`).
fn cores_match(a: &str, b: &str) -> bool {
    let (a, b) = (core(a), core(b));
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if short.len() < MIN_CORE || !long.ends_with(short) {
        return false;
    }
    let before = &long[..long.len() - short.len()];
    before.is_empty() || before.ends_with(": ") || before.ends_with("= ")
}

/// What a failure asked for, as [`objects_match`] compares it: `u <host><path>` for a url,
/// `d sha256:<hex>` for a digest, `h <host> <path end>` for a host and the end of a path.
pub fn object_of_url(url: &str) -> Option<String> {
    let p = split_url(url)?;
    (!p.host.is_empty()).then(|| format!("u {}{}", p.host, p.path))
}

/// The object a failure text names ([`object_of_url`]'s forms): its request's url (Go's
/// `Head "<url>"`, containerd's `unexpected status … <url>`), else a digest, else
/// containerd's `pulling from host <h> failed with status code [manifests <ref>]` or a
/// reference's `<h>/<repo>:<tag>: not found`.
pub fn object_of(text: &str) -> Option<String> {
    if let Some(url) = pull_request_in_text(text)
        .map(|(_, u)| u)
        .or_else(|| request_url_in_text(text))
        && let Some(o) = object_of_url(url)
    {
        return Some(o);
    }
    if let Some(d) = digest_in(text) {
        return Some(format!("d {d}"));
    }
    pulling_object(text).or_else(|| reference_not_found(text))
}

/// The first `sha256:<64 hex>` of a text.
fn digest_in(t: &str) -> Option<&str> {
    t.match_indices("sha256:").find_map(|(i, _)| {
        let d = t.get(i..i + 71)?;
        d[7..].bytes().all(|c| c.is_ascii_hexdigit()).then_some(d)
    })
}

/// `pulling from host 127.0.0.1:5002 failed with status code [manifests latest]: …` →
/// `h 127.0.0.1:5002 /manifests/latest`.
fn pulling_object(t: &str) -> Option<String> {
    let rest = &t[t.find("pulling from host ")? + 18..];
    let (host, rest) = rest.split_once(" failed with status code [")?;
    let parts = &rest[..rest.find(']')?];
    if host.is_empty() || host.contains([' ', '/']) || parts.is_empty() {
        return None;
    }
    let tail: String = parts.split(' ').map(|p| format!("/{p}")).collect();
    Some(format!("h {host} {tail}"))
}

/// `127.0.0.1:5000/library/alpine:does-not-exist: not found` (containerd's resolver, a tag no
/// host has) → `h 127.0.0.1:5000 /library/alpine/manifests/does-not-exist`. Only a reference
/// with a registry host (a `.` or `:` in its first part) names a host.
fn reference_not_found(t: &str) -> Option<String> {
    let head = t.strip_suffix(": not found")?;
    let reference = head.rsplit(": ").next()?.rsplit(' ').next()?;
    let (host, path) = reference.split_once('/')?;
    if !host.contains(['.', ':']) || path.contains(['@', ' ']) {
        return None;
    }
    let (repo, tag) = path.rsplit_once(':')?;
    if repo.is_empty() || tag.is_empty() || tag.contains('/') {
        return None;
    }
    Some(format!("h {host} /{repo}/manifests/{tag}"))
}

/// True when two objects ([`object_of`]'s forms) are one: equal, a url and a digest it ends
/// with, a url and a host and path end it has.
pub fn objects_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let url_has = |u: &str, other: &str| {
        let Some(u) = u.strip_prefix("u ") else {
            return false;
        };
        if let Some(d) = other.strip_prefix("d ") {
            return u.ends_with(&format!("/{d}"));
        }
        let Some(h) = other.strip_prefix("h ") else {
            return false;
        };
        let Some((host, end)) = h.split_once(' ') else {
            return false;
        };
        u.strip_prefix(host)
            .is_some_and(|path| path.starts_with('/') && path.ends_with(end))
    };
    url_has(a, b) || url_has(b, a)
}

/// Two kinds that can be one failure's: the same category, and the same kind unless one is
/// the category's generic one.
fn kinds_match(a: FindingKind, b: FindingKind) -> bool {
    match (a, b) {
        (FindingKind::Auth(x), FindingKind::Auth(y)) => {
            x == y || x == AuthKind::Unknown || y == AuthKind::Unknown
        }
        (FindingKind::Error(x), FindingKind::Error(y)) => {
            x == y || x == ErrorKind::Other || y == ErrorKind::Other
        }
        _ => false,
    }
}

/// True when the text finding `t` (object `t_obj`) tells the failure of `f`: of its source,
/// or a request's failure of another (the client's output read as a file of its own tells the
/// daemon's failures; two sources' texts alone are two builds').
pub(super) fn same_failure(t: &Finding, t_obj: Option<&str>, f: &Finding) -> bool {
    if (f.source != t.source && f.event.is_none()) || !kinds_match(t.kind, f.kind) {
        return false;
    }
    if let (Some(a), Some(b)) = (&t.host, &f.host)
        && a != b
    {
        return false;
    }
    match (t_obj, f.object.as_deref()) {
        (Some(a), Some(b)) => objects_match(a, b),
        _ => cores_match(&t.text, &f.text),
    }
}

impl Model {
    /// Pushes the finding of a text no request line accounts for, or folds it into the
    /// finding of the failure it tells again (see the module doc).
    pub(super) fn push_told(&mut self, mut t: Finding) {
        let obj = object_of(&t.text);
        let told = text_key(&t.text);
        let from = self.findings.len().saturating_sub(RECENT);
        let hit = self.findings[from..]
            .iter()
            .rposition(|f| same_failure(&t, obj.as_deref(), f));
        if let Some(i) = hit {
            let f = &mut self.findings[from + i];
            if !Also::has_told(f.also.as_deref(), &f.text, told)
                && Also::push(&mut f.also, (t.source, t.line), told)
            {
                return;
            }
        } else if t.kind.is_auth()
            && let (Some(o), Some(h)) = (obj.as_deref(), t.host.as_deref())
            && self.auth.fold(h, o, &[((t.source, t.line), told)], None)
        {
            return;
        }
        t.object = obj.as_deref().map(|o| self.names.get(o));
        self.push_finding(t);
    }
}

/// What a text finding said and every line folded into it, as [`Also`] keeps them: its own
/// line first. For moving it into another finding ([`take_into`]).
pub(super) fn told_lines(t: &Finding) -> Vec<((u32, u64), u64)> {
    let mut all = vec![((t.source, t.line), text_key(&t.text))];
    if let Some(a) = t.also.as_deref() {
        all.extend(
            a.sources
                .iter()
                .zip(&a.lines)
                .zip(&a.texts)
                .map(|((s, l), x)| ((*s, *l), *x)),
        );
    }
    all
}

/// True when `told` ([`told_lines`]) can move into `also` (own text `own`): room for them all,
/// and none of their words held already (those would be a new failure).
pub(super) fn can_take(also: Option<&Also>, own: &str, told: &[((u32, u64), u64)]) -> bool {
    Also::has_room(also, told.len()) && told.iter().all(|(_, key)| !Also::has_told(also, own, *key))
}

/// Moves `told` into `also` (checked with [`can_take`] first).
pub(super) fn take_into(also: &mut Option<Box<Also>>, told: &[((u32, u64), u64)]) {
    for (at, key) in told {
        Also::push(also, *at, *key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ModelOptions, Summary};

    /// `summary`'s model (lean, bounded, ended) of `text`.
    fn summary_of(text: &str) -> Summary {
        let mut m = Model::new(ModelOptions {
            keep_events: false,
            ..ModelOptions::default()
        });
        m.forget_completed_details();
        m.ingest_text(0, text);
        m.finish();
        Summary::from_model(&m)
    }

    /// (line, kind, also_lines) of every finding, auth failures first.
    fn listed(s: &Summary) -> Vec<(u64, &'static str, Vec<u64>)> {
        let auth = s
            .auth_failures
            .iter()
            .map(|a| (a.line, a.kind, a.also_lines.clone()));
        let errors = s
            .errors
            .iter()
            .map(|e| (e.line, e.kind, e.also_lines.clone()));
        auth.chain(errors).collect()
    }

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/dockerd-20.10/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every failure of the dockerd 20.10 captures is one finding, whether the client's output
    /// is read alone, after the daemon's log, or twice; the log read twice (a rebuild: its
    /// requests again, on other lines) counts every failure twice, the client's output twice
    /// (two builds) once per build.
    #[test]
    fn one_failure_is_one_finding_however_often_it_is_told() {
        for name in [
            "anonymous_token_401",
            "basic_auth_401",
            "basic_auth_bad_creds",
            "blob_not_found",
            "insufficient_scope",
            "mirror_fallback",
            "not_found_404",
            "oauth_token_401",
            "rate_limited_429",
            "rate_limited_429_head",
            "unknown_ca",
        ] {
            let log = fixture(&format!("{name}.log"));
            let client = fixture(&format!("{name}.client.txt"));
            let n = |s: &Summary| s.auth_failures.len() + s.errors.len();
            let alone = summary_of(&log);
            assert!(n(&alone) > 0, "{name}: the capture shows a failure");
            let lines = log.lines().count() as u64;
            let client_alone = summary_of(&client);
            assert_eq!(n(&client_alone), 1, "{name}: {:?}", listed(&client_alone));
            let with_client = summary_of(&format!("{log}{client}"));
            assert_eq!(
                n(&with_client),
                n(&alone),
                "{name}: the client's lines fold into the log's findings: {:?}",
                listed(&with_client)
            );
            // The client's two lines are kept on a finding of the log, as more evidence.
            let folded: Vec<u64> = listed(&with_client)
                .into_iter()
                .flat_map(|(_, _, also)| also)
                .filter(|l| *l > lines)
                .collect();
            assert_eq!(folded.len(), 2, "{name}: {:?}", listed(&with_client));
            let twice = summary_of(&format!("{log}{log}"));
            assert_eq!(n(&twice), 2 * n(&alone), "{name}: {:?}", listed(&twice));
            let two_builds = summary_of(&format!("{client}{client}"));
            assert_eq!(n(&two_builds), 2, "{name}: {:?}", listed(&two_builds));
        }
    }

    /// The case of the review: `unknown_ca.log` with the client's output after it lists the
    /// x509 failure once, at the daemon's line 22, the client's `#3 ERROR:` (43) and `failed to
    /// solve` (47) as its other lines.
    #[test]
    fn the_client_repeating_the_daemon_is_evidence_not_errors() {
        let log = fixture("unknown_ca.log");
        let s = summary_of(&format!("{log}{}", fixture("unknown_ca.client.txt")));
        assert_eq!(
            listed(&s),
            [(22, "tls-unknown-authority", vec![43, 47])],
            "{:?}",
            s.errors
        );
        assert_eq!(s.hosts[0].errors, 1);
        let s = summary_of(&fixture("unknown_ca.client.txt"));
        assert_eq!(listed(&s), [(13, "tls-unknown-authority", vec![17])]);
    }

    /// dockerd's `Download failed after 6 attempts` names the blob whose six 404s are findings
    /// already: folded into the last of them (its host, not `unknown`); the log twice, each
    /// copy's into its own last 404.
    #[test]
    fn download_failed_after_attempts_is_the_last_attempt() {
        let log = fixture("blob_not_found.log");
        let s = summary_of(&log);
        let found = listed(&s);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found.iter().all(|(_, kind, _)| *kind == "not-found"));
        assert_eq!(found[5], (53, "not-found", vec![54]));
        assert!(s.errors.iter().all(|e| &*e.host == "127.0.0.1:5000"));
        let lines = log.lines().count() as u64;
        let twice = listed(&summary_of(&format!("{log}{log}")));
        assert_eq!(twice.len(), 12);
        assert_eq!(twice[5].2, [54]);
        assert_eq!(twice[11], (53 + lines, "not-found", vec![54 + lines]));
    }

    /// `pulling from host … [manifests latest]: 429` (the HEAD capture) was folded only by
    /// chance (its step line did not look like a fetch error); with 401 it was counted twice.
    /// Both shapes are one finding now, and after the daemon's log the one of its last request.
    #[test]
    fn pulling_from_host_is_one_failure_with_429_and_401() {
        for (name, kind) in [
            ("rate_limited_429_head", "rate-limited"),
            ("basic_auth_401", "unknown"),
        ] {
            let client = fixture(&format!("{name}.client.txt"));
            assert_eq!(
                listed(&summary_of(&client)),
                [(13, kind, vec![17])],
                "{name}"
            );
        }
        // basic_auth_401.log's 401 nothing got past holds the client's two lines.
        let log = fixture("basic_auth_401.log");
        let lines = log.lines().count() as u64;
        let s = summary_of(&format!("{log}{}", fixture("basic_auth_401.client.txt")));
        assert_eq!(
            listed(&s),
            [(22, "basic", vec![lines + 13, lines + 17])],
            "{:?}",
            s.auth_failures
        );
    }

    #[test]
    fn objects_of_the_texts_of_one_failure_match() {
        let head = object_of(
            r#"failed to do request: Head "https://tls.bkscope.test/v2/library/alpine/manifests/latest": x509: certificate signed by unknown authority"#,
        );
        assert_eq!(
            head.as_deref(),
            Some("u tls.bkscope.test/v2/library/alpine/manifests/latest")
        );
        let blob = object_of_url(
            "http://127.0.0.1:5000/v2/library/brokenblob/blobs/sha256:9ac43b1d73226930a582685640e14ae16ce70a78282d92c5c99241395a5a0deb",
        );
        let download = object_of(
            "Download failed after 6 attempts: failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:9ac43b1d73226930a582685640e14ae16ce70a78282d92c5c99241395a5a0deb (application/vnd.docker.image.rootfs.diff.tar.gzip) from remote: not found",
        );
        assert!(objects_match(
            blob.as_deref().unwrap_or_default(),
            download.as_deref().unwrap_or_default()
        ));
        let other_blob = object_of(
            "… content descriptor sha256:0000000000000000000000000000000000000000000000000000000000000000 …",
        );
        assert!(!objects_match(
            blob.as_deref().unwrap_or_default(),
            other_blob.as_deref().unwrap_or_default()
        ));
        let manifest = object_of_url("http://127.0.0.1:5002/v2/library/alpine/manifests/latest")
            .unwrap_or_default();
        let pulling = object_of("#3 ERROR: pulling from host 127.0.0.1:5002 failed with status code [manifests latest]: 401 Unauthorized").unwrap_or_default();
        assert_eq!(pulling, "h 127.0.0.1:5002 /manifests/latest");
        assert!(objects_match(&manifest, &pulling));
        assert!(!objects_match(
            &manifest,
            "h 127.0.0.1:5002 /manifests/3.19"
        ));
        assert!(!objects_match(
            &manifest,
            "h 127.0.0.1:5011 /manifests/latest"
        ));
        let missing =
            object_of("#3 ERROR: 127.0.0.1:5000/library/alpine:does-not-exist: not found")
                .unwrap_or_default();
        assert!(objects_match(
            &object_of_url("http://127.0.0.1:5000/v2/library/alpine/manifests/does-not-exist")
                .unwrap_or_default(),
            &missing
        ));
        // A reference without a registry host names none.
        assert_eq!(object_of("ERROR: library/alpine:nope: not found"), None);
    }

    #[test]
    fn texts_match_at_a_link_of_the_error_chain() {
        let daemon = "failed to authorize: rpc error: code = Unknown desc = failed to fetch oauth token: unexpected status: 401 Unauthorized";
        let step = format!("#3 ERROR: {daemon}");
        let last = format!(
            "failed to solve with frontend dockerfile.v0: failed to create LLB definition: {daemon}"
        );
        assert!(cores_match(daemon, &step));
        assert!(cores_match(&step, &last));
        assert!(cores_match(
            "failed to fetch oauth token: unexpected status: 401 Unauthorized",
            &format!("ERROR: failed to solve: {daemon}")
        ));
        // Not in the middle of a word, and not on a few words.
        assert!(!cores_match(
            daemon,
            "xfailed to fetch oauth token: unexpected status: 401 Unauthorized"
        ));
        assert!(!cores_match("a: not found", "#4 ERROR: b: not found"));
        // The step number is no part of what was said.
        assert_eq!(text_key(&step), text_key(&format!("#12 ERROR: {daemon}")));
        assert_ne!(text_key(&step), text_key(&last));
    }
}
