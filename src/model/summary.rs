//! [`Summary`]: the model condensed for `summary --json` and the TUI header.
//!
//! The field names and shapes below are a contract that CI scripts depend on: extend, never
//! rename or remove. Pure: built from a `&Model`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Model;
use super::finding::{Finding, FindingKind};
use super::intern::Shared;
use super::mirror::MirrorVerdict;
use super::repeat::{also_elsewhere, also_lines};
use super::stats::{Notable, RateLimit};

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One host's counts.
#[derive(Debug, Clone, Serialize)]
pub struct HostSummary {
    /// `host[:port]`, or `unknown`.
    pub host: String,
    /// Extension: `host` is inferred, not logged: the requests BuildKit ≥ v0.16 logged without
    /// url or host that the mirror routes of `--config` put there (who answered, against the
    /// mirrors it names), as the explorer shows `mirror.gcr.io?`. Such a row is apart from a
    /// logged host of the same name; the requests left without a route stay `unknown`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// Requests.
    pub requests: u64,
    /// Failed requests.
    pub errors: u64,
    /// Bytes of successful responses.
    pub bytes: u64,
    /// Server fingerprints seen.
    pub servers: Vec<String>,
}

impl HostSummary {
    /// The host as a report writes it: an inferred one with the explorer's mark after it
    /// (`mirror.gcr.io?`).
    pub fn shown(&self) -> String {
        shown_host(&self.host, self.inferred)
    }
}

/// `host`, with the explorer's mark after it when `inferred` (`mirror.gcr.io?`): how the
/// readable report and the Markdown write a `hosts` row's or a rate limit's host.
pub fn shown_host(host: &str, inferred: bool) -> String {
    if inferred {
        format!("{host}{}", super::stats::INFERRED_MARK)
    } else {
        host.to_owned()
    }
}

/// A finding's or a fetch's host as a report writes it: `host`, or where the log named none
/// and a mirror route placed it, that host with the explorer's mark (`mirror.gcr.io?`).
pub fn shown_host_of(host: &str, inferred_host: Option<&str>) -> String {
    match inferred_host {
        Some(h) => shown_host(h, true),
        None => host.to_owned(),
    }
}

/// Responses per server fingerprint.
#[derive(Debug, Clone, Serialize)]
pub struct ServerSummary {
    /// Fingerprint id.
    pub name: String,
    /// Responses it matched.
    pub responses: u64,
}

/// An auth failure line.
#[derive(Debug, Clone, Serialize)]
pub struct AuthFailure {
    /// 1-based line number.
    pub line: u64,
    /// Registry host, or `unknown`.
    pub host: Shared,
    /// HTTP status, when known.
    pub status: Option<u16>,
    /// Token endpoint, when known.
    pub realm: Option<Shared>,
    /// `oauth-token|anonymous-token|basic|insufficient-scope|denied|credential-helper|unknown`.
    pub kind: &'static str,
    /// Index of the source (0 for the first).
    pub source: u32,
    /// The error text, redacted.
    pub text: Shared,
    /// Extension: the `traceID` of its line or its request, when BuildKit logged one (follow
    /// it with `trace=<id>` in the explorer, or `events --json | jq 'select(.trace_id==…)'`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<Shared>,
    /// Extension: where `host` is `unknown` (a request logged without one), the host the
    /// `--config` mirror routes place it on, as its `hosts` row (`"inferred": true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_host: Option<Shared>,
    /// Extension: later lines that told this same failure again, folded into it instead of
    /// listed (a client's `#N ERROR:` and `failed to solve:` lines, dockerd's `Download failed
    /// after N attempts`; `model::repeat`); absent when none did. Lines of its own source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_lines: Vec<u64>,
    /// Extension: the lines of other sources folded into it the same way (the client's output
    /// given as a file of its own; `model::told_across`); absent when none were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_elsewhere: Vec<ToldAt>,
    /// Knowledge-base entries that diagnose it, best first (filled by the `kb` layer).
    pub kb: Vec<Shared>,
}

/// A line of another source that told a finding's failure again (`also_elsewhere`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ToldAt {
    /// Index of the source.
    pub source: u32,
    /// 1-based line number in it.
    pub line: u64,
}

impl ToldAt {
    fn elsewhere(f: &Finding) -> Vec<ToldAt> {
        also_elsewhere(f.also.as_deref(), f.source)
            .into_iter()
            .map(|(source, line)| ToldAt { source, line })
            .collect()
    }
}

/// An error line.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorSummary {
    /// 1-based line number.
    pub line: u64,
    /// Registry host, or `unknown`.
    pub host: Shared,
    /// `connection-refused|dns|tls-unknown-authority|http-to-https|timeout|rate-limited|not-found|no-response|other`.
    pub kind: &'static str,
    /// HTTP status, when known.
    pub status: Option<u16>,
    /// Index of the source.
    pub source: u32,
    /// The error text, redacted.
    pub text: Shared,
    /// Extension: the `traceID` of its line or its request, when BuildKit logged one (follow
    /// it with `trace=<id>` in the explorer, or `events --json | jq 'select(.trace_id==…)'`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<Shared>,
    /// Extension: where `host` is `unknown` (a request logged without one), the host the
    /// `--config` mirror routes place it on, as its `hosts` row (`"inferred": true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_host: Option<Shared>,
    /// Extension: the host that served the same object next, when a fallback got past this
    /// error (a mirror's 404 or refused connection, then the upstream's 200; `model::recover`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_by: Option<Shared>,
    /// Extension: later lines that told this same failure again, folded into it instead of
    /// listed (a client's `#N ERROR:` and `failed to solve:` lines, dockerd's `Download failed
    /// after N attempts`; `model::repeat`); absent when none did. Lines of its own source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_lines: Vec<u64>,
    /// Extension: the lines of other sources folded into it the same way (the client's output
    /// given as a file of its own; `model::told_across`); absent when none were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_elsewhere: Vec<ToldAt>,
    /// Knowledge-base entries that diagnose it, best first (filled by the `kb` layer).
    pub kb: Vec<Shared>,
}

/// Something the log cannot show, and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Hint {
    /// `debug-off`, `docker-error`, `not-text`, `no-hosts`, `mirror-config`, `empty-input`.
    pub kind: String,
    /// What to do.
    pub text: String,
}

/// How often a knowledge-base entry matched (filled by the `kb` layer).
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosisCount {
    /// Entry id.
    pub kb: String,
    /// Findings it matched.
    pub count: u64,
    /// First matching line.
    pub first_line: u64,
}

/// The summary of a log. See the module doc: a contract.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Lines that parsed as log entries.
    pub records: u64,
    /// Lines that did not.
    pub unparsed: u64,
    /// `do request` lines.
    pub requests: u64,
    /// `fetch response received` lines.
    pub responses: u64,
    /// Distinct trace ids.
    pub traces: u64,
    /// Responses per HTTP status.
    pub status_counts: BTreeMap<String, u64>,
    /// Per host.
    pub hosts: Vec<HostSummary>,
    /// Per server fingerprint.
    pub servers: Vec<ServerSummary>,
    /// Mirror verdicts.
    pub mirrors: Vec<MirrorVerdict>,
    /// Auth failures.
    pub auth_failures: Vec<AuthFailure>,
    /// Other errors.
    pub errors: Vec<ErrorSummary>,
    /// Docker Hub rate limits.
    pub rate_limits: Vec<RateLimit>,
    /// What the log cannot show.
    pub hints: Vec<Hint>,
    /// Knowledge-base entries that matched (filled by the `kb` layer).
    pub diagnoses: Vec<DiagnosisCount>,
    /// Extension: fetch events built.
    pub events: u64,
    /// Extension: damaged lines parsed as far as they went.
    pub damaged: u64,
    /// Extension: lines that were not valid UTF-8, read with U+FFFD in place of the bad bytes.
    /// The reader counts them, not the model: 0 until the caller fills it in (`summary` does).
    pub not_utf8: u64,
    /// Extension: lines longer than the 1 MiB cap, read up to it. Filled in like `not_utf8`.
    pub cut: u64,
    /// Extension: `traces` is an estimate (±1 % or so): more distinct trace ids than `summary`
    /// counts exactly in its bounded memory (see `model::distinct`).
    pub traces_estimated: bool,
    /// Extension: slowest fetches.
    pub slowest: Vec<Notable>,
    /// Extension: largest fetches.
    pub largest: Vec<Notable>,
    /// Extension: user agents seen (daemon and containerd versions).
    pub agents: Vec<String>,
    /// Extension: the sources read, as named on the command line (`-` for stdin), in the order
    /// every `source` index counts them. Filled in by the command, which knows the names.
    pub sources: Vec<String>,
    /// Extension: auth failures and errors found but not listed in `auth_failures` and
    /// `errors`: only the first [`super::MAX_FINDINGS`] found are kept (0 when all are).
    pub findings_omitted: u64,
    /// Extension: 401s let go unjudged past the auth tracker's bounds (64 per host or span,
    /// 4,096 hosts or spans): whether a retry got past them is not known, so they are neither
    /// auth failures nor overcome (absent when 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub open_401s_untracked: u64,
    /// Auth failures found, listed or not: the reports' headings (not in the JSON).
    #[serde(skip)]
    pub auth_failures_found: u64,
    /// Errors found, listed or not: the reports' headings (not in the JSON).
    #[serde(skip)]
    pub errors_found: u64,
    /// A mirror configuration was given (`--config`), whether or not it names a mirror: not in
    /// the JSON; the reports say "the config names no mirror" rather than "pass --config".
    #[serde(skip)]
    pub config_given: bool,
}

/// The fix printed when a log has no `do request` line.
pub const DEBUG_OFF_FIX: &str = "no 'do request' line in this log: BuildKit debug logging looks off. \
Set 'debug = true' in buildkitd.toml (or [log] level = \"debug\"), or create the builder with \
docker buildx create --buildkitd-flags '--debug'; for dockerd's embedded BuildKit set \"debug\": true in daemon.json.";

/// The hint printed when the input had no line at all.
pub const EMPTY_INPUT_FIX: &str = "the input had no lines, so nothing was checked: usually a wrong container or \
builder name (docker logs buildx_buildkit_<builder>0; see docker buildx ls), logs sent elsewhere (a logging driver \
docker logs cannot read), or docker logs of a recreated builder (its log starts empty).";

/// True when half or more of `lines` were not UTF-8 (`not_utf8`): a binary file (an image,
/// an archive, a compressed log of a format not recognised), not a daemon log, so debug
/// logging is not why no request shows (two reviews fed `/dev/urandom` and `/bin/ls` and were
/// told to turn it on).
pub fn not_text(lines: u64, not_utf8: u64) -> bool {
    lines > 0 && not_utf8.saturating_mul(2) >= lines
}

/// The `not-text` hint's text.
pub fn not_text_fix(lines: u64, not_utf8: u64) -> String {
    format!(
        "{not_utf8} of {lines} lines are not UTF-8: the input looks like a binary file, not a \
daemon log (a compressed log: read it through zcat, xzcat or zstdcat; an archive: extract the \
log first); nothing was checked"
    )
}

/// [`input_hints`]'s `debug-off` hint made `not-text` where the input was mostly not UTF-8
/// ([`not_text`]), which only the reader counts.
pub fn with_not_text(hints: &mut [Hint], lines: u64, not_utf8: u64) {
    if !not_text(lines, not_utf8) {
        return;
    }
    for h in hints.iter_mut().filter(|h| h.kind == "debug-off") {
        h.kind = "not-text".to_owned();
        h.text = not_text_fix(lines, not_utf8);
    }
}

/// The hints on the input itself, before anything in it is judged: `empty-input` (no line),
/// `debug-off` (lines, but no registry request or response) or `docker-error` (the docker CLI's
/// error in place of the log). `events` writes them on stderr, `summary` in its report.
pub fn input_hints(m: &Model) -> Vec<Hint> {
    let c = m.counts();
    let mut hints = Vec::new();
    if c.lines == 0 {
        hints.push(Hint {
            kind: "empty-input".to_owned(),
            text: EMPTY_INPUT_FIX.to_owned(),
        });
    }
    if c.lines > 0 && c.requests == 0 && c.responses == 0 {
        // The docker CLI's error in place of the log: debug logging is not the reason.
        hints.push(match m.docker_error() {
            Some(d) => Hint {
                kind: "docker-error".to_owned(),
                text: format!(
                    "line {}: the input is the docker CLI's error, not a daemon log ({}): {}; \
nothing was checked",
                    d.line, d.text, d.fix
                ),
            },
            None => Hint {
                kind: "debug-off".to_owned(),
                text: DEBUG_OFF_FIX.to_owned(),
            },
        });
    }
    hints
}

impl Summary {
    /// Says that a mirror configuration was given (`--config`), naming a mirror or not
    /// (`names_mirror`): the reports and the `mirror-config` hint then speak of a config that
    /// names no mirror, not of passing one. One that names none while the log shows a mirror
    /// gets the hint too (a CI review passed a daemon.json with a misspelt key, and an empty
    /// file, and was told nothing: the verdict said `used`, unpinned to the config).
    pub fn config_was_given(&mut self, names_mirror: bool) {
        self.config_given = true;
        for h in self.hints.iter_mut().filter(|h| h.kind == "mirror-config") {
            h.text = "responses without a url were fingerprinted (see servers), and the config \
names no mirror: add the mirror (buildkitd.toml: mirrors = [...] under [registry.\"docker.io\"]; \
daemon.json: \"registry-mirrors\") so bkscope can tell whether they came from it"
                .to_owned();
        }
        let hinted = self.hints.iter().any(|h| h.kind == "mirror-config");
        if !names_mirror && !hinted && !self.mirrors.is_empty() {
            self.hints.push(Hint {
                kind: "mirror-config".to_owned(),
                text: "the config given names no registry mirror, so no verdict is about a \
configured one: check its keys (buildkitd.toml: mirrors = [...] under [registry.\"docker.io\"]; \
daemon.json: \"registry-mirrors\")"
                    .to_owned(),
            });
        }
    }

    /// Condenses a model.
    pub fn from_model(m: &Model) -> Summary {
        let c = m.counts();
        let s = m.stats();
        let open: Vec<Finding> = m.open_401_findings().collect();
        let (auth, errs): (Vec<&Finding>, Vec<&Finding>) = m
            .sorted_findings(&open)
            .into_iter()
            .partition(|f| f.kind.is_auth());
        let unknown = Shared::from("unknown");
        let host = |f: &Finding| f.host.clone().unwrap_or_else(|| unknown.clone());
        let inferred_host = |f: &Finding| f.inferred_host.clone().filter(|_| f.host.is_none());
        let mut hints = input_hints(m);
        let inferred = s.hosts.values().any(|h| h.inferred);
        let unknown = s.hosts.contains_key("unknown");
        if unknown || inferred {
            let how = match (inferred, unknown) {
                (false, _) => {
                    "their host shows as 'unknown', and who served them is told from \
response headers"
                }
                (true, false) => {
                    "their host is inferred from who answered and the --config mirrors \
(marked inferred)"
                }
                (true, true) => {
                    "their host is inferred from who answered and the --config mirrors \
(marked inferred) where a route names one, else shown as 'unknown'"
                }
            };
            hints.push(Hint {
                kind: "no-hosts".to_owned(),
                text: format!(
                    "some requests carry no url or host field (buildkitd logs them without it \
inside its spans); {how}"
                ),
            });
        }
        // Responses without a url (host `unknown`) that a fingerprint named: only a configured
        // mirror can say whether they came through it.
        if m.options().mirrors.mirrors.is_empty()
            && m.mirror_verdicts().is_empty()
            && s.hosts
                .get("unknown")
                .is_some_and(|h| !h.servers.is_empty())
        {
            hints.push(Hint {
                kind: "mirror-config".to_owned(),
                text: "responses without a url were fingerprinted (see servers); pass --config buildkitd.toml \
(or daemon.json) so bkscope can tell whether they came from a configured mirror"
                    .to_owned(),
            });
        }
        let found = m.finding_totals();
        let listed = (auth.len() + errs.len()) as u64;
        Summary {
            findings_omitted: (found.auth + found.errors).saturating_sub(listed),
            open_401s_untracked: m.open_401s_untracked(),
            auth_failures_found: found.auth.max(auth.len() as u64),
            errors_found: found.errors.max(errs.len() as u64),
            lines: c.lines,
            records: c.records,
            unparsed: c.unparsed,
            requests: c.requests,
            responses: c.responses,
            traces: m.traces().len() as u64,
            status_counts: s
                .status_counts
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            hosts: s
                .hosts
                .iter()
                .map(|(h, st)| HostSummary {
                    host: h
                        .strip_suffix(super::stats::INFERRED_MARK)
                        .filter(|_| st.inferred)
                        .unwrap_or(h)
                        .to_owned(),
                    inferred: st.inferred,
                    requests: st.requests,
                    errors: m.host_errors(h),
                    bytes: st.bytes,
                    servers: st.servers.iter().cloned().collect(),
                })
                .collect(),
            servers: s
                .servers
                .iter()
                .map(|(n, r)| ServerSummary {
                    name: n.clone(),
                    responses: *r,
                })
                .collect(),
            mirrors: m.mirror_verdicts(),
            auth_failures: auth
                .iter()
                .map(|f| AuthFailure {
                    line: f.line,
                    host: host(f),
                    status: f.status,
                    realm: f.realm.clone(),
                    kind: f.kind.name(),
                    source: f.source,
                    text: f.text.clone(),
                    trace_id: f.trace.clone(),
                    inferred_host: inferred_host(f),
                    also_lines: also_lines(f.also.as_deref(), f.source),
                    also_elsewhere: ToldAt::elsewhere(f),
                    kb: Vec::new(),
                })
                .collect(),
            errors: errs
                .iter()
                .map(|f| ErrorSummary {
                    line: f.line,
                    host: host(f),
                    kind: match f.kind {
                        FindingKind::Error(k) => k.as_str(),
                        FindingKind::Auth(k) => k.as_str(),
                    },
                    status: f.status,
                    source: f.source,
                    text: f.text.clone(),
                    trace_id: f.trace.clone(),
                    inferred_host: inferred_host(f),
                    recovered_by: f.recovered_by.clone(),
                    also_lines: also_lines(f.also.as_deref(), f.source),
                    also_elsewhere: ToldAt::elsewhere(f),
                    kb: Vec::new(),
                })
                .collect(),
            rate_limits: s.rate_limits.values().cloned().collect(),
            hints,
            diagnoses: Vec::new(),
            events: m.event_count() as u64,
            damaged: c.damaged,
            not_utf8: 0,
            cut: 0,
            traces_estimated: m.traces().len_is_estimate(),
            slowest: s.slowest.clone(),
            largest: s.largest.clone(),
            agents: s.agents.iter().cloned().collect(),
            sources: Vec::new(),
            config_given: false,
        }
    }
}
