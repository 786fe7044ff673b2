//! Fills the knowledge-base parts of a [`Summary`]: the kb ids of each auth failure and error,
//! and `diagnoses` (how often each entry matched, and where first); plus the diagnoses of mirror
//! verdicts, which the summary's model-owned verdict type has no room for.
//!
//! Reads the model and the knowledge base; writes only the summary it is given.

use std::collections::BTreeMap;

use serde::Serialize;

use super::KnowledgeBase;
use super::matcher::MatchMemo;
use super::subject::Facts;
use crate::model::finding::Finding;
use crate::model::intern::Interner;
use crate::model::summary::DiagnosisCount;
use crate::model::{Model, Summary};

/// Knowledge-base entries that explain one mirror verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorDiagnosis {
    /// The upstream registry (`docker.io`).
    pub upstream: String,
    /// The mirror host.
    pub mirror: String,
    /// `used|partial|unused|unknown`.
    pub verdict: &'static str,
    /// Matching entries, best first.
    pub kb: Vec<String>,
}

/// Fills `summary.diagnoses` and the `kb` ids of every auth failure and error; mirror verdicts'
/// diagnoses count in `diagnoses` too (see [`annotate_mirrors`] for them one by one).
pub fn annotate_summary(kb: &KnowledgeBase, model: &Model, summary: &mut Summary) {
    let facts = Facts::from_model(model);
    let mut tally: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut count = |ids: &[String], line: u64| {
        for id in ids {
            let t = tally.entry(id.clone()).or_insert((0, line));
            t.0 += 1;
            t.1 = t.1.min(line);
        }
    };
    // The summary lists the same findings in the same order (`Model::sorted_findings`, split
    // into auth failures and the rest): walk them side by side, borrowing, instead of copying
    // every finding and its text into a lookup table.
    let open: Vec<Finding> = model.open_401_findings().collect();
    let mut shared = Interner::default();
    let (mut auth, mut errs) = (summary.auth_failures.iter_mut(), summary.errors.iter_mut());
    let mut memo = MatchMemo::default();
    for f in model.sorted_findings(&open) {
        let event = f.event.and_then(|id| model.event(id));
        let ids = kb.diagnose_ids_with(f, event, &facts, &mut memo);
        count(&ids, f.line);
        let slot = if f.kind.is_auth() {
            auth.next()
                .filter(|a| (a.source, a.line) == (f.source, f.line))
                .map(|a| &mut a.kb)
        } else {
            errs.next()
                .filter(|e| (e.source, e.line) == (f.source, f.line))
                .map(|e| &mut e.kb)
        };
        if let Some(kb_ids) = slot {
            *kb_ids = ids.iter().map(|id| shared.get(id)).collect();
        }
    }
    for v in model.mirror_verdicts() {
        let ids: Vec<String> = kb.diagnose_verdict(&v).into_iter().map(|d| d.kb).collect();
        count(&ids, v.evidence.first().map_or(0, |e| e.line));
    }
    let mut diagnoses: Vec<DiagnosisCount> = tally
        .into_iter()
        .map(|(kb, (count, first_line))| DiagnosisCount {
            kb,
            count,
            first_line,
        })
        .collect();
    diagnoses.sort_by(|a, b| a.first_line.cmp(&b.first_line).then(a.kb.cmp(&b.kb)));
    summary.diagnoses = diagnoses;
}

/// The diagnoses of every mirror verdict of the model.
pub fn annotate_mirrors(kb: &KnowledgeBase, model: &Model) -> Vec<MirrorDiagnosis> {
    model
        .mirror_verdicts()
        .iter()
        .map(|v| MirrorDiagnosis {
            upstream: v.upstream.clone(),
            mirror: v.mirror.clone(),
            verdict: v.verdict.as_str(),
            kb: kb.diagnose_verdict(v).into_iter().map(|d| d.kb).collect(),
        })
        .collect()
}
