//! Model facts → [`Subject`]s: a finding with its fetch event, a mirror verdict, a raw log line;
//! and [`Facts`], what the whole model knows that one finding does not (which configured
//! mirrors no request ever went to).
//!
//! Reads the model; never changes it.

use std::collections::BTreeSet;

use super::matcher::Subject;
use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;
use crate::model::mirror::MirrorVerdict;
use crate::model::url::canonical_registry;
use crate::model::{Model, classify};
use crate::parse::Record;

/// Model-wide facts a single finding cannot carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Upstream registries (`docker.io`) with a configured mirror that no request went to.
    pub untried_mirrors: BTreeSet<String>,
}

impl Facts {
    /// Collects them from the model's mirror verdicts.
    pub fn from_model(model: &Model) -> Facts {
        Facts::from_verdicts(&model.mirror_verdicts())
    }

    /// Collects them from mirror verdicts.
    pub fn from_verdicts(verdicts: &[MirrorVerdict]) -> Facts {
        let mut untried: BTreeSet<String> = verdicts
            .iter()
            .filter(|v| v.configured && v.via_mirror == 0 && v.fallbacks == 0)
            .map(|v| v.upstream.clone())
            .collect();
        // An upstream with another mirror that was tried is not "never tried".
        for v in verdicts {
            if v.via_mirror > 0 || v.fallbacks > 0 {
                untried.remove(&v.upstream);
            }
        }
        Facts {
            untried_mirrors: untried,
        }
    }

    fn untried(&self, host: Option<&str>) -> bool {
        host.is_some_and(|h| self.untried_mirrors.contains(canonical_registry(h)))
    }
}

/// A finding and, when the model still holds it, its fetch event.
pub fn of_finding(f: &Finding, event: Option<&FetchEvent>, facts: &Facts) -> Subject {
    let mut text = f.text.to_string();
    if let Some(err) = event.and_then(|e| e.error.as_deref())
        && !text.contains(err)
    {
        text.push('\n');
        text.push_str(err);
    }
    let host = f
        .host
        .as_deref()
        .map(str::to_owned)
        .or_else(|| event.and_then(|e| e.host.as_deref().map(str::to_owned)));
    let url = event
        .and_then(|e| e.url.as_deref().map(str::to_owned))
        .or_else(|| url_in(&f.text));
    let headers = event.map_or_else(String::new, |e| {
        e.response_headers
            .iter()
            .map(|h| format!("{}: {}\n", h.name, h.value))
            .collect()
    });
    Subject {
        msg: f.msg.to_string(),
        mirror_untried: facts.untried(host.as_deref()),
        text,
        status: f.status.or_else(|| event.and_then(|e| e.status)),
        kind: Some(f.kind),
        host,
        url,
        headers,
        verdict: None,
        mirror_failed: false,
        to_mirror: f.to_mirror.is_some(),
        recovered: f.recovered_by.is_some(),
    }
}

/// A mirror verdict.
pub fn of_verdict(v: &MirrorVerdict) -> Subject {
    Subject {
        host: Some(v.mirror.clone()),
        text: v
            .evidence
            .iter()
            .map(|e| e.why.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        verdict: Some(v.verdict),
        mirror_failed: v.fallbacks > 0,
        ..Subject::default()
    }
}

/// One parsed line on its own (a warning the model does not turn into a finding, pasted text).
pub fn of_record(rec: &Record<'_>) -> Subject {
    match rec {
        Record::Entry(e) => {
            let text = match e.get("error") {
                Some(err) => format!("{}: {err}", e.msg),
                None => e.msg.to_string(),
            };
            Subject {
                msg: e.msg.to_string(),
                host: e
                    .get("host")
                    .map(str::to_owned)
                    .or_else(|| classify::host_in_text(&text).map(str::to_owned)),
                url: e.get("url").map(str::to_owned).or_else(|| url_in(&text)),
                status: e
                    .get("response.status")
                    .and_then(|s| s.split(' ').next())
                    .and_then(|c| c.parse().ok()),
                text,
                ..Subject::default()
            }
        }
        Record::Unparsed(raw) => Subject {
            host: classify::host_in_text(raw).map(str::to_owned),
            url: url_in(raw),
            text: raw.trim().to_owned(),
            ..Subject::default()
        },
    }
}

/// The first `http(s)://…` url of a free text, up to a quote or a space.
fn url_in(t: &str) -> Option<String> {
    let start = t.find("https://").or_else(|| t.find("http://"))?;
    let rest = &t[start..];
    let end = rest.find(['"', ' ', '\'', '\\']).unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches([':', ',']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_error_texts() {
        assert_eq!(
            url_in(r#"failed to do request: Head "http://127.0.0.1:5001/v2/x/manifests/latest?ns=docker.io": dial tcp"#)
                .as_deref(),
            Some("http://127.0.0.1:5001/v2/x/manifests/latest?ns=docker.io")
        );
        assert_eq!(
            url_in(
                "unexpected status code https://h/v2/a/manifests/sha256:1: 429 Too Many Requests"
            )
            .as_deref(),
            Some("https://h/v2/a/manifests/sha256:1")
        );
        assert_eq!(url_in("no url"), None);
    }
}
