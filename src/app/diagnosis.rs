//! What the knowledge-base pane shows for a finding, adapted from the `kb` layer's diagnoses:
//! title, root cause, the evidence that matched, workarounds best first (by measured success
//! rate, then the entry's order), dead ends, the version table and doc links, in English or
//! Chinese. Mirror verdicts are diagnosed too, for the Mirrors view's pane
//! (`app/host_diagnosis.rs` picks what concerns a host).
//!
//! The one place that knows the `kb` API; the pane draws only [`DiagnosisView`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::kb::entry::Entry;
use crate::kb::matcher::Diagnosis;
use crate::kb::{Facts, KnowledgeBase};
use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;
use crate::model::mirror::MirrorVerdict;

/// One workaround.
#[derive(Debug, Clone, PartialEq)]
pub struct Workaround {
    /// What to do.
    pub text: String,
    /// Commands or config lines to run or paste.
    pub commands: Vec<String>,
    /// Share of reports it fixed, 0–100, when known.
    pub success_rate: Option<u8>,
}

/// One row of the version table.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRow {
    /// `BuildKit`, `containerd`, `Docker Engine`.
    pub tool: String,
    /// `affected`, `fixed`, `changed`, `added`.
    pub status: String,
    /// The versions it applies to (`v0.11 – v0.12`, `≥ 1.7`).
    pub range: String,
    /// What changed.
    pub notes: Option<String>,
}

/// What an entry says whichever finding it explains (root cause, ranked workarounds, dead
/// ends, versions, docs): built once per entry and shared by every diagnosis that names it, so
/// 10,000 findings of one failure hold one copy of the text, not 10,000.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntryText {
    /// Root cause, in the chosen language.
    pub root_cause: String,
    /// Workarounds, best first.
    pub workarounds: Vec<Workaround>,
    /// Things that look like fixes but are not.
    pub dead_ends: Vec<String>,
    /// Versions affected and fixed.
    pub versions: Vec<VersionRow>,
    /// Documentation and issue links.
    pub docs: Vec<String>,
}

impl EntryText {
    /// Sorts workarounds by success rate, unknown rates last, keeping the entry's order on ties.
    pub fn rank(mut self) -> EntryText {
        self.workarounds
            .sort_by_key(|w| std::cmp::Reverse(w.success_rate.map_or(-1, i16::from)));
        self
    }
}

/// A diagnosis ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagnosisView {
    /// Entry id (`cicd/buildkit-oauth-token-401`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The facts of the log that matched (this finding's own).
    pub evidence: Vec<String>,
    /// The entry's text, shared.
    pub text: Arc<EntryText>,
}

/// Entry texts already built, by entry id and language (`zh`; the user can switch).
pub type EntryTexts = HashMap<(String, bool), Arc<EntryText>>;

/// The knowledge base's diagnoses of a finding, best first. `zh` picks Chinese text where the
/// entry has it; `facts` are what the whole model knows (configured mirrors never tried);
/// `texts` keeps each entry's text once.
pub fn diagnose(
    kb: &KnowledgeBase,
    finding: &Finding,
    event: Option<&FetchEvent>,
    facts: &Facts,
    zh: bool,
    texts: &mut EntryTexts,
) -> Vec<DiagnosisView> {
    views(kb, &kb.diagnose_with(finding, event, facts), zh, texts)
}

/// The knowledge base's diagnoses of a mirror verdict (`mirror/configured-never-used` for a
/// configured mirror no request went to), best first; `texts` as in [`diagnose`].
pub fn diagnose_verdict(
    kb: &KnowledgeBase,
    verdict: &MirrorVerdict,
    zh: bool,
    texts: &mut EntryTexts,
) -> Vec<DiagnosisView> {
    views(kb, &kb.diagnose_verdict(verdict), zh, texts)
}

/// The pane's views of matched entries, each entry's text made once per language.
fn views(
    kb: &KnowledgeBase,
    found: &[Diagnosis],
    zh: bool,
    texts: &mut EntryTexts,
) -> Vec<DiagnosisView> {
    found
        .iter()
        .filter_map(|d| {
            let e = kb.get(&d.kb)?;
            let text = texts
                .entry((e.id.clone(), zh))
                .or_insert_with(|| Arc::new(entry_text(e, zh)))
                .clone();
            Some(view(e, d, zh, text))
        })
        .collect()
}

/// One matched entry as the pane shows it, with the entry's shared text.
pub fn view(e: &Entry, d: &Diagnosis, zh: bool, text: Arc<EntryText>) -> DiagnosisView {
    DiagnosisView {
        id: e.id.clone(),
        title: e.title(zh).to_owned(),
        evidence: d
            .evidence
            .iter()
            .map(|m| {
                // The field is the entry's schema key (`text`, `url`), the same in both.
                let matched = if zh { "匹配" } else { "matched" };
                if m.value == m.pattern || m.value.is_empty() {
                    format!("{} {matched} '{}'", m.field, m.pattern)
                } else {
                    format!("{} '{}' {matched} '{}'", m.field, m.value, m.pattern)
                }
            })
            .collect(),
        text,
    }
}

/// What entry `e` says, in the chosen language, workarounds ranked.
pub fn entry_text(e: &Entry, zh: bool) -> EntryText {
    EntryText {
        root_cause: e.root_cause.get(zh).trim().to_owned(),
        workarounds: e
            .workarounds
            .iter()
            .map(|w| Workaround {
                text: w.text.get(zh).trim().to_owned(),
                commands: w.commands.clone(),
                success_rate: w.success_rate,
            })
            .collect(),
        dead_ends: e
            .dead_ends
            .iter()
            .map(|x| format!("{} — {}", x.what.trim(), x.why.get(zh).trim()))
            .collect(),
        versions: e
            .versions
            .iter()
            .map(|v| VersionRow {
                tool: v.tool.clone(),
                status: v.status.clone(),
                range: match (&v.introduced, &v.deprecated) {
                    (Some(a), Some(b)) => format!("{a} – {b}"),
                    (Some(a), None) => format!("≥ {a}"),
                    (None, Some(b)) => format!("< {b}"),
                    (None, None) => String::new(),
                },
                notes: v.notes.clone(),
            })
            .collect(),
        docs: e.docs.clone(),
    }
    .rank()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workarounds_rank_by_success_rate() {
        let w = |t: &str, r: Option<u8>| Workaround {
            text: t.to_owned(),
            commands: Vec::new(),
            success_rate: r,
        };
        let t = EntryText {
            workarounds: vec![w("a", None), w("b", Some(40)), w("c", Some(90))],
            ..EntryText::default()
        }
        .rank();
        let order: Vec<_> = t.workarounds.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }
}
