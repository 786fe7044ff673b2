//! What the knowledge-base pane says in the Mirrors view (`K` there): the diagnosis of the
//! selected host. A host row has no one request to diagnose; what explains it is
//!
//! - the mirror verdicts that concern it, as the mirror or as the upstream's host
//!   (`registry-1.docker.io` for `docker.io`: a configured mirror no request went to shows only
//!   there), with the entries the knowledge base matches on the verdict itself
//!   (`mirror/configured-never-used`);
//! - the findings on its requests (a mirror's 404s and 5xx, its 401s the builder had no
//!   credentials for, refused connections, an upstream's 429s), grouped by the entry that
//!   explains them: each entry once, with the findings it explains (`mirror/not-proxied-404`,
//!   `mirror/auth-required-fallback`, `mirror/unreachable-fallback`, `ratelimit/docker-hub-429`).
//!
//! When nothing matches, [`HostDiagnosis::why_none`] says why, so the pane is never blank.
//! Reads the app's findings, their diagnoses and the verdicts' (`app/diagnosis.rs` asks the
//! knowledge base); draws nothing.

use crate::model::finding::Finding;
use crate::model::mirror::MirrorVerdict;
use crate::model::url::canonical_registry;

use super::App;
use super::diagnosis::DiagnosisView;
use super::words::count;

/// How a verdict concerns the selected host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The host is the verdict's mirror.
    Mirror,
    /// The host serves the verdict's upstream registry.
    Upstream,
    /// No host is selected (the table is empty): every verdict is shown.
    Any,
}

/// A mirror verdict that concerns the host, with the entries matched on it.
#[derive(Debug, Clone, Copy)]
pub struct VerdictDiagnosis<'a> {
    /// The verdict.
    pub verdict: &'a MirrorVerdict,
    /// How it concerns the host.
    pub role: Role,
    /// The entries the knowledge base matched on the verdict, best first.
    pub diagnoses: &'a [DiagnosisView],
}

/// One entry and the findings of the host it explains, in log order.
#[derive(Debug, Clone)]
pub struct EntryFindings<'a> {
    /// The entry.
    pub diagnosis: &'a DiagnosisView,
    /// The findings it explains (at least one).
    pub findings: Vec<&'a Finding>,
}

/// Everything the pane shows for the selected host.
#[derive(Debug, Clone)]
pub struct HostDiagnosis<'a> {
    /// The selected host (`None`: the hosts table is empty).
    pub host: Option<&'a str>,
    /// Its requests and failed requests, as the hosts table counts them.
    pub requests: u64,
    /// Failed requests (errors, and challenges nothing overcame).
    pub failed: u64,
    /// The verdicts that concern it: as the mirror first.
    pub verdicts: Vec<VerdictDiagnosis<'a>>,
    /// The entries that explain its findings, in the order their first finding came.
    pub entries: Vec<EntryFindings<'a>>,
    /// Its findings no entry explains.
    pub unexplained: Vec<&'a Finding>,
}

impl HostDiagnosis<'_> {
    /// True when no entry explains the host or a verdict about it.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.verdicts.iter().all(|v| v.diagnoses.is_empty())
    }

    /// Why no entry is shown, when none is: the pane says it instead of staying blank.
    pub fn why_none(&self) -> Option<String> {
        if !self.is_empty() {
            return None;
        }
        let Some(host) = self.host else {
            return Some(
                "No host to diagnose: no registry request has been read yet (the table fills \
                 as 'do request' lines come)."
                    .to_owned(),
            );
        };
        if !self.unexplained.is_empty() {
            let mut kinds: Vec<&str> = self.unexplained.iter().map(|f| f.kind.name()).collect();
            kinds.dedup();
            return Some(format!(
                "No knowledge-base entry matches the {} on {host} ({}) yet. 'bkscope kb list' \
                 shows the entries; add your own under <config-dir>/kb/.",
                count(self.unexplained.len(), "failure", "failures"),
                kinds.join(", ")
            ));
        }
        // A verdict's reason is the why the user asked for (a review: `K: why` on a configured
        // mirror no request went to said only "Nothing to diagnose", the reason hidden with
        // the evidence).
        let verdicts: Vec<String> = self
            .verdicts
            .iter()
            .map(|v| match &v.verdict.reason {
                Some(r) => format!(
                    "'{}' ({})",
                    v.verdict.verdict.as_str(),
                    r.trim_end_matches('.')
                ),
                None => format!("'{}'", v.verdict.verdict.as_str()),
            })
            .collect();
        let verdict = match verdicts.len() {
            0 => "no mirror verdict concerns it".to_owned(),
            1 => format!(
                "its mirror verdict is {} and no entry matches it",
                verdicts[0]
            ),
            _ => format!(
                "its mirror verdicts are {} and no entry matches them",
                verdicts.join(", ")
            ),
        };
        let requests = count(self.requests, "request", "requests");
        let failed = match (self.requests, self.failed) {
            (0, _) => "no request went to it".to_owned(),
            (_, 0) => format!("none of its {requests} failed"),
            (_, n) => format!("{n} of its {requests} failed without a finding of their own"),
        };
        Some(format!(
            "Nothing to diagnose on {host}: {failed}, and {verdict}. e / E jump to the next / \
             previous host with errors."
        ))
    }
}

impl App {
    /// `findings` grouped by the knowledge-base entry that explains them: each entry once, in
    /// the order its first finding came, with every finding it explains (six 429s are one
    /// `ratelimit/docker-hub-429`), and the findings no entry explains. The Mirrors view's
    /// pane and the trace `x` report group alike.
    pub fn by_entry<'a>(
        &'a self,
        findings: impl IntoIterator<Item = &'a Finding>,
    ) -> (Vec<EntryFindings<'a>>, Vec<&'a Finding>) {
        let mut entries: Vec<EntryFindings<'a>> = Vec::new();
        let mut unexplained = Vec::new();
        for f in findings {
            let found = self.diagnoses_of(f);
            if found.is_empty() {
                unexplained.push(f);
            }
            for d in found {
                match entries.iter_mut().find(|e| e.diagnosis.id == d.id) {
                    Some(e) => e.findings.push(f),
                    None => entries.push(EntryFindings {
                        diagnosis: d,
                        findings: vec![f],
                    }),
                }
            }
        }
        (entries, unexplained)
    }

    /// The host the Mirrors view has selected.
    pub fn selected_host(&self) -> Option<&str> {
        self.activity
            .hosts
            .get(self.hosts_cursor.selected)
            .map(|h| h.host.as_str())
    }

    /// The knowledge-base pane's content for the Mirrors view's selected host.
    pub fn host_diagnosis(&self) -> HostDiagnosis<'_> {
        let host = self.selected_host();
        let row = self.activity.hosts.get(self.hosts_cursor.selected);
        // An inferred host (`mirror.gcr.io?`, `app::route`) by its name, its failures by the
        // host inferred for their requests.
        let inferred = row.is_some_and(|h| h.inferred);
        let name = row.map(|h| h.filter_host());
        let role = |v: &MirrorVerdict| match name {
            None => Some(Role::Any),
            Some(h) if v.mirror == h => Some(Role::Mirror),
            Some(h) if v.upstream == canonical_registry(h) => Some(Role::Upstream),
            Some(_) => None,
        };
        let mut verdicts: Vec<VerdictDiagnosis<'_>> = self
            .verdicts
            .iter()
            .filter_map(|(v, d)| {
                role(v).map(|role| VerdictDiagnosis {
                    verdict: v,
                    role,
                    diagnoses: d,
                })
            })
            .collect();
        verdicts.sort_by_key(|v| v.role != Role::Mirror);
        let inferred_to = |f: &Finding| {
            let ev = self.model.event(f.event?)?;
            super::route::inferred(&self.model, ev).map(|r| r.host())
        };
        let on_host = self.findings.iter().filter(|f| match (name, inferred) {
            (Some(h), true) => f.host.is_none() && inferred_to(f) == Some(h),
            (Some(h), false) => {
                f.host.as_deref().unwrap_or("unknown") == h
                    && (h != "unknown" || inferred_to(f).is_none())
            }
            (None, _) => false,
        });
        let (entries, unexplained) = self.by_entry(on_host);
        let (requests, failed) = row.map_or((0, 0), |h| {
            let t = h.totals(&self.model);
            (t.requests, t.errors)
        });
        HostDiagnosis {
            host,
            requests,
            failed,
            verdicts,
            entries,
            unexplained,
        }
    }
}
