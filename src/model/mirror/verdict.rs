//! The verdicts: [`Verdict`], [`Evidence`] and [`MirrorVerdict`] (the `summary --json`
//! contract), and [`MirrorTracker::verdicts`], which makes them from the tracker's tallies.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::tracker::{MirrorTracker, PairTally, UpstreamTally};
use crate::model::judge;
use crate::model::url::registry_key;

/// Evidence lines kept per verdict and per reason.
pub const EVIDENCE_PER_REASON: usize = 4;

/// The verdict words of the `summary --json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every pull of the upstream went through the mirror.
    Used,
    /// Some pulls went through the mirror, some fell back or went direct.
    Partial,
    /// Configured or tried, but never served a pull.
    Unused,
    /// The log cannot tell.
    Unknown,
}

impl Verdict {
    /// The word, as `summary --json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Used => "used",
            Verdict::Partial => "partial",
            Verdict::Unused => "unused",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One line of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Index of the source (`summary --json`'s `sources`).
    pub source: u32,
    /// 1-based line number.
    pub line: u64,
    /// What the line shows.
    pub why: String,
    /// The line (in the same source) of the answer that failed, where the cited line is
    /// another that proves what followed it: a mirror's 401 that containerd left behind
    /// silently, cited by the next host's request. `why` names it too (`… at line 22`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_line: Option<u64>,
}

/// A verdict on one (upstream, mirror) pair.
#[derive(Debug, Clone, Serialize)]
pub struct MirrorVerdict {
    /// The upstream registry (`docker.io`).
    pub upstream: String,
    /// The mirror host.
    pub mirror: String,
    /// True when the given config names this mirror.
    pub configured: bool,
    /// Pulls the mirror served.
    pub via_mirror: u64,
    /// Pulls of the upstream that went to the upstream itself.
    pub direct: u64,
    /// Mirror requests that failed, so containerd tried the next host.
    pub fallbacks: u64,
    /// The verdict.
    pub verdict: Verdict,
    /// Lines that support it, by source and line; at most [`EVIDENCE_PER_REASON`] per reason
    /// (served, failed, direct, and for a mirror the pulls went past, each host's served).
    pub evidence: Vec<Evidence>,
    /// Lines that supported it but were not kept (the cap above): counted, never silent.
    #[serde(skip_serializing_if = "is_zero")]
    pub evidence_omitted: u64,
    /// Why, where the counts alone do not say it: an `unknown` verdict (no pull of the
    /// upstream in the log, or not needed), a configured mirror the pulls went past.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A later configured mirror an earlier configured one made unnecessary (it served every
    /// pull): `unknown`, and no reason for `--fail-on mirror-unproven` to hold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_needed: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

pub(super) fn push_ev(
    list: &mut Vec<Evidence>,
    (source, line, answer_line): (u32, u64, Option<u64>),
    why: impl FnOnce() -> String,
) {
    if list.len() < EVIDENCE_PER_REASON {
        list.push(Evidence {
            source,
            line,
            why: why(),
            answer_line,
        });
    }
}

impl MirrorTracker {
    /// The tallies with the texts no event accounts for folded in.
    fn tallies(
        &self,
    ) -> (
        BTreeMap<(String, String), PairTally>,
        BTreeMap<String, UpstreamTally>,
    ) {
        let mut pairs = self.pairs.clone();
        let mut upstreams = self.upstreams.clone();
        for r in self.texts.iter().filter(|r| !r.accounted) {
            let host = registry_key(&r.host);
            let (up, mirror) = match r.ns.as_deref().map(registry_key) {
                Some(up) if host != up => (up, Some(host)),
                Some(up) => (up, None),
                None => match self.config.upstream_of(&host) {
                    Some(up) => (Cow::Borrowed(up), Some(host)),
                    None => (host, None),
                },
            };
            let at = (r.source, r.line, None);
            match mirror {
                Some(m) => {
                    let t = pairs.entry((up.into_owned(), m.into_owned())).or_default();
                    t.fallbacks += 1;
                    push_ev(&mut t.fallback_ev, at, || {
                        format!("mirror failed, next host tried: {}", r.why)
                    });
                }
                None => {
                    let t = upstreams.entry(up.into_owned()).or_default();
                    t.direct += 1;
                    push_ev(&mut t.direct_ev, at, || {
                        format!("direct to the upstream: {}", r.why)
                    });
                }
            }
        }
        (pairs, upstreams)
    }

    /// One verdict per (upstream, mirror) pair seen or configured; see `judge` for a
    /// mirror no pull reached.
    pub fn verdicts(&self) -> Vec<MirrorVerdict> {
        let (pairs, upstreams) = self.tallies();
        let mut keys: Vec<(String, String)> = pairs.keys().cloned().collect();
        for (up, ms) in &self.config.mirrors {
            for m in ms {
                let k = (up.clone(), m.clone());
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys.sort();
        let position = |up: &str, m: &str| {
            self.config
                .mirrors
                .get(up)
                .and_then(|ms| ms.iter().position(|c| c.eq_ignore_ascii_case(m)))
        };
        let mut pulled_from: Vec<&str> = pairs
            .iter()
            .filter(|(_, t)| t.via > 0)
            .map(|((_, m), _)| m.as_str())
            .chain(
                upstreams
                    .iter()
                    .filter(|(_, t)| t.direct > 0)
                    .map(|(u, _)| u.as_str()),
            )
            .collect();
        pulled_from.sort_unstable();
        pulled_from.dedup();
        let empty = PairTally::default();
        keys.iter()
            .map(|(upstream, mirror)| {
                let t = pairs
                    .get(&(upstream.clone(), mirror.clone()))
                    .unwrap_or(&empty);
                let u = upstreams.get(upstream).cloned().unwrap_or_default();
                let at = position(upstream, mirror);
                let others = pairs
                    .iter()
                    .filter(|((up, m), _)| up == upstream && m != mirror);
                let seen = judge::Seen {
                    upstream,
                    via: t.via,
                    fallbacks: t.fallbacks,
                    direct: u.direct,
                    position: at,
                    served_elsewhere: others
                        .clone()
                        .filter(|(_, o)| o.via > 0)
                        .map(|((up, m), o)| (m.as_str(), o.via, position(up, m)))
                        .collect(),
                    failed_elsewhere: others
                        .clone()
                        .filter(|(_, o)| o.via == 0 && o.fallbacks > 0)
                        .map(|((_, m), _)| m.as_str())
                        .collect(),
                    pulled_from: pulled_from.clone(),
                };
                let j = judge::judge(&seen);
                let kept = |ev: &[Evidence], n: u64| n.saturating_sub(ev.len() as u64);
                let mut omitted = kept(&t.via_ev, t.via)
                    + kept(&t.fallback_ev, t.fallbacks)
                    + kept(&u.direct_ev, u.direct);
                let mut evidence: Vec<Evidence> = t
                    .via_ev
                    .iter()
                    .chain(&t.fallback_ev)
                    .chain(&u.direct_ev)
                    .cloned()
                    .collect();
                if j.elsewhere_is_evidence {
                    for ((up, m), o) in others.filter(|(_, o)| o.via > 0) {
                        omitted += kept(&o.via_ev, o.via);
                        // Under this mirror's heading, "served by the mirror" would read as
                        // this one: the line names the mirror that did serve it.
                        let place = at.map_or("", |at| judge::place_note(position(up, m), at));
                        evidence.extend(o.via_ev.iter().map(|e| Evidence {
                            why: served_elsewhere(&e.why, place),
                            ..e.clone()
                        }));
                    }
                }
                evidence.sort_by_key(|e| (e.source, e.line));
                MirrorVerdict {
                    upstream: upstream.clone(),
                    mirror: mirror.clone(),
                    configured: at.is_some(),
                    via_mirror: t.via,
                    direct: u.direct,
                    fallbacks: t.fallbacks,
                    verdict: j.verdict,
                    evidence,
                    evidence_omitted: omitted,
                    reason: j.reason,
                    not_needed: j.not_needed,
                }
            })
            .collect()
    }
}

/// How a mirror's own evidence of a pull it served begins.
pub(super) const SERVED_BY_MIRROR: &str = "served by the mirror: ";

/// A pull another mirror served, as the evidence of a configured mirror it went past:
/// `served by another mirror (not in the config): … to <host> …` (every reason of a mirror's
/// route names its host).
fn served_elsewhere(why: &str, place: &str) -> String {
    let rest = why.strip_prefix(SERVED_BY_MIRROR).unwrap_or(why);
    format!("served by another mirror{place}: {rest}")
}
