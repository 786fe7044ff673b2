//! The finding-only conditions `recovered` and `not_url`, on the built-in entry that uses them
//! (`registry/manifest-not-found`): a 404 is a missing manifest only when no host served the
//! request next and it was no blob's.

use super::super::KnowledgeBase;
use super::super::matcher::{Matcher, Subject};
use crate::model::classify::ErrorKind;
use crate::model::finding::FindingKind;

fn ids(url: Option<&str>, recovered: bool) -> Vec<String> {
    let kb = KnowledgeBase::builtin();
    let m = Matcher::new(kb.entries()).unwrap_or_default();
    let s = Subject {
        msg: "fetch response received".to_owned(),
        text: "404 Not Found".to_owned(),
        status: Some(404),
        kind: Some(FindingKind::Error(ErrorKind::NotFound)),
        host: Some("registry.example".to_owned()),
        url: url.map(str::to_owned),
        recovered,
        ..Subject::default()
    };
    m.diagnose(&s).into_iter().map(|d| d.kb).collect()
}

const MISSING: &str = "registry/manifest-not-found";

#[test]
fn a_404_nothing_served_next_is_a_missing_manifest() {
    let manifest = "https://registry.example/v2/app/manifests/v1";
    assert_eq!(
        ids(Some(manifest), false).first().map(String::as_str),
        Some(MISSING)
    );
    // A log without urls (BuildKit >= v0.16): `not_url` lets it through.
    assert_eq!(ids(None, false).first().map(String::as_str), Some(MISSING));
}

#[test]
fn a_404_the_next_host_served_or_a_blobs_is_not() {
    let manifest = "https://registry.example/v2/app/manifests/v1";
    let blob = "https://registry.example/v2/app/blobs/sha256:00";
    assert!(!ids(Some(manifest), true).contains(&MISSING.to_owned()));
    assert!(!ids(None, true).contains(&MISSING.to_owned()));
    assert!(!ids(Some(blob), false).contains(&MISSING.to_owned()));
}

#[test]
fn the_evidence_quotes_both_conditions() {
    let kb = KnowledgeBase::builtin();
    let m = Matcher::new(kb.entries()).unwrap_or_default();
    let s = Subject {
        status: Some(404),
        kind: Some(FindingKind::Error(ErrorKind::NotFound)),
        ..Subject::default()
    };
    let d = m.diagnose(&s);
    let Some(first) = d.first() else {
        panic!("no diagnosis")
    };
    let quoted: Vec<(&str, &str, &str)> = first
        .evidence
        .iter()
        .map(|e| (e.field, e.pattern.as_str(), e.value.as_str()))
        .collect();
    assert!(
        quoted.contains(&("url", "not /blobs/", "(no url logged)")),
        "{quoted:?}"
    );
    assert!(
        quoted.contains(&("recovered", "recovered: false", "false")),
        "{quoted:?}"
    );
}
