//! What the knowledge-base pane shows for a finding, adapted from the `kb` layer's diagnoses:
//! title, root cause, the evidence that matched, workarounds ranked by success rate, dead
//! ends, the version table and doc links, in English or Chinese.
//!
//! The one place that knows the `kb` API; the pane draws only [`DiagnosisView`].

use crate::kb::KnowledgeBase;
use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;

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
    /// `buildkit`, `containerd`, `docker`.
    pub component: String,
    /// Affected versions.
    pub affected: String,
    /// First fixed version, when there is one.
    pub fixed: Option<String>,
}

/// A diagnosis ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagnosisView {
    /// Entry id (`cicd/buildkit-oauth-token-401`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Root cause, in the chosen language.
    pub root_cause: String,
    /// The facts of the log that matched.
    pub evidence: Vec<String>,
    /// Workarounds, best first.
    pub workarounds: Vec<Workaround>,
    /// Things that look like fixes but are not.
    pub dead_ends: Vec<String>,
    /// Versions affected and fixed.
    pub versions: Vec<VersionRow>,
    /// Documentation and issue links.
    pub docs: Vec<String>,
}

impl DiagnosisView {
    /// Sorts workarounds by success rate, unknown rates last, keeping the entry's order on ties.
    pub fn rank(mut self) -> DiagnosisView {
        self.workarounds
            .sort_by_key(|w| std::cmp::Reverse(w.success_rate.map_or(-1, i16::from)));
        self
    }
}

/// The knowledge base's diagnoses of a finding, best first. `zh` picks Chinese text where the
/// entry has it.
pub fn diagnose(
    kb: &KnowledgeBase,
    finding: &Finding,
    event: Option<&FetchEvent>,
    zh: bool,
) -> Vec<DiagnosisView> {
    // The kb layer's matcher lands with issue 5; until then the placeholder has no entries and
    // nothing matches. Point this at `kb.diagnose(finding, event)` and map each `Entry` here.
    // Each result goes through `DiagnosisView::rank`.
    let _ = (kb, finding, event, zh);
    Vec::new()
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
        let d = DiagnosisView {
            workarounds: vec![w("a", None), w("b", Some(40)), w("c", Some(90))],
            ..DiagnosisView::default()
        }
        .rank();
        let order: Vec<_> = d.workarounds.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }
}
