//! `annotate_summary` / `annotate_mirrors`: the summary's kb ids and `diagnoses`.

use super::super::{KnowledgeBase, annotate_mirrors, annotate_summary};
use crate::model::mirror::MirrorConfig;
use crate::model::{Model, ModelOptions, Summary};

fn summarize(text: &str, mirrors: MirrorConfig) -> (Model, Summary) {
    let mut m = Model::new(ModelOptions {
        mirrors,
        keep_events: false,
        ..ModelOptions::default()
    });
    m.ingest_text(0, text);
    let mut s = Summary::from_model(&m);
    annotate_summary(&KnowledgeBase::builtin(), &m, &mut s);
    (m, s)
}

#[test]
fn auth_failures_and_errors_carry_their_kb_ids() {
    let log = concat!(
        include_str!("../../../tests/fixtures/dockerd-20.10/oauth_token_401.log"),
        include_str!("../../../tests/fixtures/dockerd-20.10/oauth_token_401.client.txt")
    );
    let (_, s) = summarize(log, MirrorConfig::default());
    assert!(!s.auth_failures.is_empty());
    for a in &s.auth_failures {
        assert_eq!(
            a.kb.first().map(|k| &**k),
            Some("auth/oauth-token-401"),
            "{a:?}"
        );
    }
    assert_eq!(s.diagnoses.len(), 1, "{:?}", s.diagnoses);
    let d = &s.diagnoses[0];
    assert_eq!(d.kb, "auth/oauth-token-401");
    assert_eq!(d.count, s.auth_failures.len() as u64);
    assert_eq!(d.first_line, s.auth_failures[0].line);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["diagnoses"][0]["kb"], "auth/oauth-token-401");
    assert_eq!(json["auth_failures"][0]["kb"][0], "auth/oauth-token-401");
}

#[test]
fn diagnoses_are_ordered_by_first_line_and_count_every_match() {
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let cfg = MirrorConfig::from_daemon_json(r#"{"registry-mirrors":["http://127.0.0.1:5001"]}"#)
        .unwrap();
    let (m, s) = summarize(log, cfg);
    let kbs: Vec<(&str, u64)> = s
        .diagnoses
        .iter()
        .map(|d| (d.kb.as_str(), d.count))
        .collect();
    // Both refusals are "connection refused"; only the first is the mirror's.
    assert_eq!(
        kbs,
        [
            ("mirror/unreachable-fallback", 1),
            ("network/connection-refused", 2)
        ]
    );
    assert!(s.diagnoses[0].first_line <= s.diagnoses[1].first_line);
    assert_eq!(&*s.errors[0].kb[0], "mirror/unreachable-fallback");
    assert_eq!(ids(&s.errors[1].kb), ["network/connection-refused"]);
    // The verdict (unused, after a failed mirror request) is not "never used".
    let md = annotate_mirrors(&KnowledgeBase::builtin(), &m);
    assert_eq!(md.len(), 1);
    assert_eq!(md[0].verdict, "unused");
    assert!(md[0].kb.is_empty(), "{md:?}");
}

#[test]
fn a_configured_mirror_nobody_asked_is_diagnosed_on_verdict_and_failures() {
    let log = include_str!(
        "../../../tests/fixtures/public-issues/setup-buildx-action-232-mirror-ignored.log"
    );
    let cfg = MirrorConfig::from_buildkitd_toml(
        "[registry.\"docker.io\"]\n  mirrors = [\"mirror.example.com\"]\n",
    )
    .unwrap();
    let (_, s) = summarize(log, cfg);
    assert_eq!(
        ids(&s.errors[0].kb),
        ["mirror/configured-never-used", "network/timeout"]
    );
    // Without the config the same line is a plain timeout.
    let (_, s) = summarize(log, MirrorConfig::default());
    assert_eq!(ids(&s.errors[0].kb), ["network/timeout"]);
}

#[test]
fn healthy_captures_leave_the_kb_parts_empty() {
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_used.log");
    let cfg = MirrorConfig::from_daemon_json(r#"{"registry-mirrors":["http://127.0.0.1:5001"]}"#)
        .unwrap();
    let (m, s) = summarize(log, cfg);
    assert!(s.diagnoses.is_empty());
    assert!(
        annotate_mirrors(&KnowledgeBase::builtin(), &m)[0]
            .kb
            .is_empty()
    );
}

/// The kb ids as text, for comparing with literals.
fn ids(kb: &[crate::model::intern::Shared]) -> Vec<&str> {
    kb.iter().map(|k| &**k).collect()
}

/// The ids-only diagnosis with a memo shared over every finding of every fixture log gives
/// exactly the ids, in the order, of the full diagnosis; again on a second pass, when every
/// text is answered from the memo.
#[test]
fn memoised_ids_equal_the_full_diagnosis_on_every_fixture() {
    let kb = KnowledgeBase::builtin();
    let mut memo = super::super::MatchMemo::default();
    let mut checked = 0;
    for path in crate::test_support::fixture_logs() {
        let mut m = Model::new(ModelOptions::default());
        m.ingest_text(0, &std::fs::read_to_string(&path).unwrap());
        m.finish();
        let facts = super::super::Facts::from_model(&m);
        let open: Vec<_> = m.open_401_findings().collect();
        for pass in 0..2 {
            for f in m.sorted_findings(&open) {
                let event = f.event.and_then(|id| m.event(id));
                let full: Vec<String> = kb
                    .diagnose_with(f, event, &facts)
                    .into_iter()
                    .map(|d| d.kb)
                    .collect();
                let ids = kb.diagnose_ids_with(f, event, &facts, &mut memo);
                assert_eq!(ids, full, "{} pass {pass}: {f:?}", path.display());
                checked += usize::from(!full.is_empty());
            }
        }
    }
    assert!(checked > 20, "only {checked} findings with a diagnosis");
}
