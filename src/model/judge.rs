//! Why a mirror verdict is what it is, for a mirror no pull reached: `unknown` when the log
//! has no pull of its upstream, or when an earlier configured mirror served them all (a backup
//! never needed), `unused` when the upstream's pulls demonstrably went elsewhere; and for a
//! mirror asked that served nothing (`unused`), how many of its requests failed and where the
//! upstream's pulls went.
//!
//! containerd asks the hosts of a registry in order: the configured mirrors in config order,
//! then the upstream. A later mirror is asked only after every earlier one failed, so silence
//! from it while an earlier configured mirror served every pull proves nothing about it: it is
//! `unknown`, `not_needed`, and `--fail-on mirror-unproven` skips it. A configured mirror that
//! got nothing while the upstream was pulled directly, or through a mirror the config does not
//! name (or one after it in the config), is `unused`: the builder that ran the build does not
//! have this configuration (`mirror/configured-never-used`).

use super::mirror::Verdict;

/// What the log shows about one (upstream, mirror) pair and its neighbours.
pub(super) struct Seen<'a> {
    pub upstream: &'a str,
    pub via: u64,
    pub fallbacks: u64,
    pub direct: u64,
    /// The mirror's place among its upstream's configured mirrors; `None`: not configured.
    pub position: Option<usize>,
    /// The upstream's other mirrors that served pulls: host, pulls, configured place.
    pub served_elsewhere: Vec<(&'a str, u64, Option<usize>)>,
    /// The upstream's other mirrors that were asked but served nothing.
    pub failed_elsewhere: Vec<&'a str>,
    /// Every host that served a pull in the log (upstreams and mirrors), sorted.
    pub pulled_from: Vec<&'a str>,
}

/// A verdict with why, when the counts alone do not say it.
pub(super) struct Judged {
    pub verdict: Verdict,
    pub reason: Option<String>,
    /// A later configured mirror an earlier one made unnecessary.
    pub not_needed: bool,
    /// The served-elsewhere lines are its evidence (the pulls that went past it).
    pub elsewhere_is_evidence: bool,
}

/// Hosts named in a reason before `…`.
const HOSTS_NAMED: usize = 3;

pub(super) fn judge(s: &Seen) -> Judged {
    let plain = |verdict| Judged {
        verdict,
        reason: None,
        not_needed: false,
        elsewhere_is_evidence: false,
    };
    match (s.via, s.fallbacks, s.direct) {
        (0, 0, direct) => quiet(s, direct),
        (0, fallbacks, direct) => Judged {
            verdict: Verdict::Unused,
            reason: Some(failed_only(s, fallbacks, direct)),
            not_needed: false,
            elsewhere_is_evidence: false,
        },
        (_, 0, 0) => plain(Verdict::Used),
        _ => plain(Verdict::Partial),
    }
}

/// A mirror no request reached.
fn quiet(s: &Seen, direct: u64) -> Judged {
    let up = s.upstream;
    let unknown = |reason: String, not_needed| Judged {
        verdict: Verdict::Unknown,
        reason: Some(reason),
        not_needed,
        elsewhere_is_evidence: false,
    };
    if direct == 0 && s.served_elsewhere.is_empty() {
        if !s.failed_elsewhere.is_empty() {
            return unknown(
                format!(
                    "no {up} pull served in this log: only failed requests to {} (none reached this mirror or the upstream after them)",
                    names(&s.failed_elsewhere)
                ),
                false,
            );
        }
        // With pulls of other registries in it, debug logging is on and the log is the
        // builder's: what is left is that no image came from this registry.
        let reason = if s.pulled_from.is_empty() {
            format!(
                "no {up} pull in this log (no pull of any registry): debug logging off, everything cached, or another builder's log?"
            )
        } else {
            format!(
                "no {up} pull in this log (pulls only from {}): the build used no {up} image, or had them cached",
                names(&s.pulled_from)
            )
        };
        return unknown(reason, false);
    }
    let Some(at) = s.position else {
        // An unconfigured mirror exists only by its requests; none is a log it is not in.
        return unknown(format!("no {up} pull reached it in this log"), false);
    };
    let earlier = |p: &Option<usize>| p.is_some_and(|p| p < at);
    if direct == 0 && s.served_elsewhere.iter().all(|(_, _, p)| earlier(p)) {
        let hosts: Vec<&str> = s.served_elsewhere.iter().map(|(h, _, _)| *h).collect();
        return unknown(
            format!(
                "not needed: {}, before it in the config, served every pull",
                names(&hosts)
            ),
            true,
        );
    }
    let went = went_elsewhere(s, direct, |p| place_note(p, at));
    Judged {
        verdict: Verdict::Unused,
        reason: Some(format!(
            "configured, yet no request reached it while {up} was pulled elsewhere: {}",
            went.join(", ")
        )),
        not_needed: false,
        elsewhere_is_evidence: true,
    }
}

/// A mirror asked that served nothing: its requests failed, and where the pulls went.
fn failed_only(s: &Seen, fallbacks: u64, direct: u64) -> String {
    let went = went_elsewhere(s, direct, |_| "");
    let plural = if fallbacks == 1 { "" } else { "s" };
    let failed = format!("asked, served nothing: {fallbacks} request{plural} to it failed");
    if went.is_empty() {
        format!(
            "{failed}, and no {} pull was served in this log",
            s.upstream
        )
    } else {
        format!(
            "{failed}; {} was pulled elsewhere: {}",
            s.upstream,
            went.join(", ")
        )
    }
}

/// Where the upstream's pulls went: `N direct to the upstream`, then `N via <host><place>` for
/// each other mirror that served some, `place` saying where that mirror stands in the config.
fn went_elsewhere(
    s: &Seen,
    direct: u64,
    place: impl Fn(Option<usize>) -> &'static str,
) -> Vec<String> {
    let mut went = Vec::new();
    if direct > 0 {
        went.push(format!("{direct} direct to the upstream"));
    }
    for (h, n, p) in &s.served_elsewhere {
        went.push(format!("{n} via {h}{}", place(*p)));
    }
    went
}

/// Where another mirror stands in the config against the one judged (at `at`), as a reason
/// and its evidence say it.
pub(super) fn place_note(other: Option<usize>, at: usize) -> &'static str {
    match other {
        None => " (not in the config)",
        Some(p) if p > at => " (after it in the config)",
        Some(_) => "",
    }
}

fn names(hosts: &[&str]) -> String {
    let mut s = hosts
        .iter()
        .take(HOSTS_NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if hosts.len() > HOSTS_NAMED {
        s.push_str(&format!(" and {} more", hosts.len() - HOSTS_NAMED));
    }
    s
}
