//! Signatures compiled once into one [`RegexSet`] per field, and the match of a [`Subject`] (a
//! finding with its event, a mirror verdict, a raw line) against all of them at once.
//!
//! Each field's set runs once per subject; the single regexes run only for signatures that
//! matched, to quote what matched as evidence. Pure: no I/O, no model state.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use serde::Serialize;

use super::entry::{Entry, KindName, Signature, VerdictName};
use crate::model::finding::FindingKind;
use crate::model::mirror::Verdict;

/// What is matched: the facts of one finding (with its event), one mirror verdict or one line.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    /// Log message (`trying next host`); empty for pasted text.
    pub msg: String,
    /// Error texts (the finding's text, the event's error), one per line.
    pub text: String,
    /// HTTP status.
    pub status: Option<u16>,
    /// The model's classification.
    pub kind: Option<FindingKind>,
    /// Registry host (a verdict: the mirror).
    pub host: Option<String>,
    /// Request url.
    pub url: Option<String>,
    /// Response headers, `name: value` per line.
    pub headers: String,
    /// A mirror verdict, when the subject is one.
    pub verdict: Option<Verdict>,
    /// A verdict: some request to the mirror failed.
    pub mirror_failed: bool,
    /// A finding: its registry has a configured mirror that no request went to.
    pub mirror_untried: bool,
    /// A finding: its request went to a mirror (the mirror routes say so).
    pub to_mirror: bool,
    /// A finding: the next host served its request (`recovered_by`).
    pub recovered: bool,
}

/// One condition that held, quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchEvidence {
    /// `text`, `msg`, `status`, `header`, `kind`, `host`, `url`, `verdict`, `mirror`,
    /// `recovered`.
    pub field: &'static str,
    /// The condition as the entry writes it.
    pub pattern: String,
    /// What in the subject satisfied it.
    pub value: String,
}

/// An entry that matched a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// Entry id.
    pub kb: String,
    /// Entry title.
    pub title: String,
    /// Higher is more specific; diagnoses come best first.
    pub score: i32,
    /// Index (0-based) of the signature that matched.
    pub signature: usize,
    /// Which field matched what.
    pub evidence: Vec<MatchEvidence>,
}

/// Score of each condition kind: an error text says more than a status code.
const SCORE_TEXT: i32 = 4;
const SCORE_HEADER: i32 = 3;
const SCORE_URL: i32 = 2;
const SCORE_KIND: i32 = 2;
const SCORE_STATUS: i32 = 2;
const SCORE_MSG: i32 = 1;
const SCORE_HOST: i32 = 1;
const SCORE_VERDICT: i32 = 4;
const SCORE_MIRROR_FACT: i32 = 5;

#[derive(Debug, Clone, Default)]
struct Field {
    set: Option<RegexSet>,
    /// Each pattern alone, compiled the first time a match of it is quoted: the set answers
    /// which matched, and most patterns never do in a run (compiling them all was a sixth of
    /// the knowledge base's start-up, docs/performance.md).
    one: Vec<OnceLock<Option<Regex>>>,
    source: Vec<String>,
}

impl Field {
    fn add(&mut self, pattern: String) -> usize {
        self.source.push(pattern);
        self.source.len() - 1
    }

    fn compile(&mut self) -> Result<(), regex::Error> {
        self.set = Some(RegexSet::new(&self.source)?);
        self.one = self.source.iter().map(|_| OnceLock::new()).collect();
        Ok(())
    }

    fn matches(&self, hay: &str) -> Vec<bool> {
        let mut hit = vec![false; self.source.len()];
        if let Some(set) = &self.set {
            for i in set.matches(hay).iter() {
                hit[i] = true;
            }
        }
        hit
    }

    /// [`Field::matches`], answered from `memo` when this text was matched before.
    fn matches_memo(&self, hay: &str, memo: Option<&mut HashMap<String, Vec<bool>>>) -> Vec<bool> {
        let Some(memo) = memo else {
            return self.matches(hay);
        };
        if let Some(hit) = memo.get(hay) {
            return hit.clone();
        }
        let hit = self.matches(hay);
        if memo.len() < MatchMemo::MAX_TEXTS && hay.len() <= MatchMemo::MAX_LEN {
            memo.insert(hay.to_owned(), hit.clone());
        }
        hit
    }

    fn quote(&self, i: usize, hay: &str) -> String {
        let (Some(cell), Some(pattern)) = (self.one.get(i), self.source.get(i)) else {
            return String::new();
        };
        cell.get_or_init(|| Regex::new(pattern).ok())
            .as_ref()
            .and_then(|r| r.find(hay))
            .map_or_else(String::new, |m| m.as_str().to_owned())
    }
}

#[derive(Debug, Clone)]
struct Compiled {
    entry: usize,
    index: usize,
    msg: Option<usize>,
    text: Option<usize>,
    host: Option<usize>,
    url: Option<usize>,
    not_url: Option<usize>,
    header: Option<usize>,
    sig: Signature,
}

/// The field matches of earlier subjects, by text: a summary diagnoses thousands of findings
/// that repeat their message, host, headers and error text, and each such text is then matched
/// once. The answers are the same as without it (a field's matches depend on its text alone).
/// Urls are not remembered: each names its own blob. Bounded: at most 256 texts of at most
/// 1 KiB per field, so `summary` stays within its memory budget.
#[derive(Debug, Default)]
pub struct MatchMemo {
    /// msg, text, host, header.
    seen: [HashMap<String, Vec<bool>>; 4],
}

impl MatchMemo {
    /// Texts remembered per field; past this, new texts are matched but not remembered.
    const MAX_TEXTS: usize = 256;
    /// Longer texts are not remembered.
    const MAX_LEN: usize = 1024;
}

/// All signatures of a knowledge base, compiled.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    msg: Field,
    text: Field,
    host: Field,
    url: Field,
    header: Field,
    sigs: Vec<Compiled>,
    titles: Vec<(String, String)>,
}

impl Matcher {
    /// Compiles the signatures of `entries` (already validated one by one).
    pub fn new(entries: &[Entry]) -> Result<Matcher, regex::Error> {
        let mut m = Matcher::default();
        for (e, entry) in entries.iter().enumerate() {
            m.titles.push((entry.id.clone(), entry.title.clone()));
            for (index, sig) in entry.signatures.iter().enumerate() {
                let header = sig.header.as_ref().map(|h| {
                    let name = regex::escape(&h.name.to_ascii_lowercase());
                    m.header.add(match &h.value {
                        // The value regex is anchored at the start of the value.
                        Some(v) => format!("(?m)^{name}: (?:{})", v.0.trim_start_matches('^')),
                        None => format!("(?m)^{name}: "),
                    })
                });
                m.sigs.push(Compiled {
                    entry: e,
                    index,
                    msg: sig.msg.as_ref().map(|p| m.msg.add(p.0.clone())),
                    text: sig.text.as_ref().map(|p| m.text.add(p.0.clone())),
                    host: sig.host.as_ref().map(|p| m.host.add(p.0.clone())),
                    url: sig.url.as_ref().map(|p| m.url.add(p.0.clone())),
                    not_url: sig.not_url.as_ref().map(|p| m.url.add(p.0.clone())),
                    header,
                    sig: sig.clone(),
                });
            }
        }
        for f in [
            &mut m.msg,
            &mut m.text,
            &mut m.host,
            &mut m.url,
            &mut m.header,
        ] {
            f.compile()?;
        }
        Ok(m)
    }

    /// The entries whose signatures match, best first, one diagnosis per entry.
    pub fn diagnose(&self, s: &Subject) -> Vec<Diagnosis> {
        let hits = self.hits(s, None);
        self.ranked(s, &hits)
            .into_iter()
            .map(|(score, c)| Diagnosis {
                kb: self.titles[c.entry].0.clone(),
                title: self.titles[c.entry].1.clone(),
                score,
                signature: c.index,
                evidence: self.evidence(c, s),
            })
            .collect()
    }

    /// The ids of the entries [`Matcher::diagnose`] gives, in its order, without quoting the
    /// evidence; texts matched before are answered from `memo`.
    pub fn diagnose_ids(&self, s: &Subject, memo: &mut MatchMemo) -> Vec<String> {
        let hits = self.hits(s, Some(memo));
        self.ranked(s, &hits)
            .into_iter()
            .map(|(_, c)| self.titles[c.entry].0.clone())
            .collect()
    }

    /// Which patterns of each field match the subject.
    fn hits(&self, s: &Subject, memo: Option<&mut MatchMemo>) -> Hits {
        let [mut msg, mut text, mut host, mut header] = match memo {
            Some(m) => m.seen.each_mut().map(Some),
            None => [None, None, None, None],
        };
        Hits {
            msg: self.msg.matches_memo(&s.msg, msg.take()),
            text: self.text.matches_memo(&s.text, text.take()),
            host: match s.host.as_deref() {
                Some(h) => self.host.matches_memo(h, host.take()),
                None => vec![false; self.host.source.len()],
            },
            url: match s.url.as_deref() {
                Some(u) => self.url.matches(u),
                None => vec![false; self.url.source.len()],
            },
            header: self.header.matches_memo(&s.headers, header.take()),
        }
    }

    /// The best signature of each matching entry with its score, best first (equal scores in
    /// the knowledge base's order).
    fn ranked(&self, s: &Subject, hits: &Hits) -> Vec<(i32, &Compiled)> {
        let mut best: Vec<Option<(i32, &Compiled)>> = vec![None; self.titles.len()];
        for c in &self.sigs {
            if let Some(score) = self.score(c, s, hits)
                && best[c.entry].is_none_or(|(b, _)| score > b)
            {
                best[c.entry] = Some((score, c));
            }
        }
        let mut out: Vec<(i32, &Compiled)> = best.into_iter().flatten().collect();
        // Stable: equal scores keep the knowledge base's order.
        out.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        out
    }

    fn score(&self, c: &Compiled, s: &Subject, h: &Hits) -> Option<i32> {
        let sig = &c.sig;
        if sig.is_verdict() != s.verdict.is_some() {
            return None;
        }
        let mut score = sig.weight;
        let mut need = |cond: Option<bool>, points: i32| -> Option<()> {
            match cond {
                Some(true) => {
                    score += points;
                    Some(())
                }
                Some(false) => None,
                None => Some(()),
            }
        };
        need(c.msg.map(|i| h.msg[i]), SCORE_MSG)?;
        need(c.text.map(|i| h.text[i]), SCORE_TEXT)?;
        need(c.host.map(|i| h.host[i]), SCORE_HOST)?;
        need(c.url.map(|i| h.url[i]), SCORE_URL)?;
        // Narrows, adds nothing: a url-less finding passes.
        need(c.not_url.map(|i| !h.url[i]), 0)?;
        need(c.header.map(|i| h.header[i]), SCORE_HEADER)?;
        need(
            (!sig.status.is_empty()).then(|| s.status.is_some_and(|st| sig.status.contains(&st))),
            SCORE_STATUS,
        )?;
        need(
            (!sig.kind.is_empty()).then(|| s.kind.is_some_and(|k| any_covers(&sig.kind, k))),
            SCORE_KIND,
        )?;
        need(
            (!sig.verdict.is_empty()).then(|| {
                s.verdict
                    .is_some_and(|v| sig.verdict.iter().any(|n| n.is(v)))
            }),
            SCORE_VERDICT,
        )?;
        need(
            sig.mirror_failed.map(|want| want == s.mirror_failed),
            SCORE_HOST,
        )?;
        need(
            sig.mirror_untried.map(|want| want == s.mirror_untried),
            SCORE_MIRROR_FACT,
        )?;
        // As strong as the `?ns=` mark in a url, which it stands for where the log has none.
        need(sig.to_mirror.map(|want| want == s.to_mirror), SCORE_URL)?;
        need(sig.recovered.map(|want| want == s.recovered), SCORE_MSG)?;
        Some(score)
    }

    fn evidence(&self, c: &Compiled, s: &Subject) -> Vec<MatchEvidence> {
        let mut ev = Vec::new();
        let mut push = |field, pattern: &str, value: String| {
            ev.push(MatchEvidence {
                field,
                pattern: pattern.to_owned(),
                value,
            })
        };
        let host = s.host.as_deref().unwrap_or("");
        let url = s.url.as_deref().unwrap_or("");
        for (field, idx, f, hay) in [
            ("msg", c.msg, &self.msg, s.msg.as_str()),
            ("text", c.text, &self.text, s.text.as_str()),
            ("host", c.host, &self.host, host),
            ("url", c.url, &self.url, url),
            ("header", c.header, &self.header, s.headers.as_str()),
        ] {
            if let Some(i) = idx {
                push(field, &f.source[i], f.quote(i, hay));
            }
        }
        if let Some(i) = c.not_url {
            let value = s
                .url
                .clone()
                .unwrap_or_else(|| "(no url logged)".to_owned());
            push("url", &format!("not {}", self.url.source[i]), value);
        }
        let sig = &c.sig;
        if let (false, Some(st)) = (sig.status.is_empty(), s.status) {
            push("status", &join(&sig.status), st.to_string());
        }
        if let (false, Some(k)) = (sig.kind.is_empty(), s.kind) {
            push("kind", &kinds(&sig.kind), k.name().to_owned());
        }
        if let (false, Some(v)) = (sig.verdict.is_empty(), s.verdict) {
            push("verdict", &verdicts(&sig.verdict), v.as_str().to_owned());
        }
        if let Some(want) = sig.mirror_failed {
            push(
                "mirror",
                &format!("mirror_failed: {want}"),
                s.mirror_failed.to_string(),
            );
        }
        if let Some(want) = sig.mirror_untried {
            push(
                "mirror",
                &format!("mirror_untried: {want}"),
                s.mirror_untried.to_string(),
            );
        }
        if let Some(want) = sig.to_mirror {
            push(
                "mirror",
                &format!("to_mirror: {want}"),
                s.to_mirror.to_string(),
            );
        }
        if let Some(want) = sig.recovered {
            push(
                "recovered",
                &format!("recovered: {want}"),
                s.recovered.to_string(),
            );
        }
        ev
    }
}

struct Hits {
    msg: Vec<bool>,
    text: Vec<bool>,
    host: Vec<bool>,
    url: Vec<bool>,
    header: Vec<bool>,
}

fn any_covers(names: &[KindName], k: FindingKind) -> bool {
    names.iter().any(|n| n.covers(k))
}

fn join(statuses: &[u16]) -> String {
    statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join("|")
}

fn kinds(names: &[KindName]) -> String {
    names
        .iter()
        .map(|n| {
            serde_json::to_value(n)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
        })
        .map(Option::unwrap_or_default)
        .collect::<Vec<_>>()
        .join("|")
}

fn verdicts(names: &[VerdictName]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}").to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("|")
}
