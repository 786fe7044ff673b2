//! What a recovery must not cross: another registry's pull of the same path, a later pull of
//! the same object (another build of a long-lived builder), a failure on the upstream itself
//! that a mirror answers later. A CI review found each marked `recovered_by`, so `--fail-on
//! unrecovered-errors` passed logs whose pulls had failed. On the real demo capture
//! (`tests/fixtures/sample/demo.log`), its lines moved in time or host as the review did.

use super::*;

const DEMO: &str = include_str!("../../tests/fixtures/sample/demo.log");

fn model(text: &str) -> Model {
    let mut m = Model::new(ModelOptions::default());
    m.ingest_text(0, text);
    m
}

/// The hosts each error finding was marked recovered by, in order (`-`: none).
fn recovered(m: &Model) -> Vec<String> {
    m.findings()
        .iter()
        .filter(|f| !f.kind.is_auth())
        .map(|f| f.recovered_by.as_deref().unwrap_or("-").to_owned())
        .collect()
}

/// `log` with every `time="2026-11-24T13:…"` moved `hours` later.
fn later(log: &str, hours: u32) -> String {
    log.replace(
        "time=\"2026-11-24T13:",
        &format!("time=\"2026-11-24T{}:", 13 + hours),
    )
}

#[test]
fn demo_alone_recovers_its_mirror_misses_and_not_its_429s() {
    let m = model(DEMO);
    let r = recovered(&m);
    // The mirror's 404s and 500 the upstream served next; the 429s nobody got past.
    assert_eq!(
        r.iter().filter(|h| *h == "registry-1.docker.io").count(),
        4,
        "{r:?}"
    );
    assert_eq!(r.iter().filter(|h| *h == "-").count(), 6, "{r:?}");
}

// The review's demo_2builds.log: the demo, then the same builds two hours later. The first
// build's 429s on 127.0.0.1:5011 (no mirror: no `?ns=`) were marked recovered by the second
// build's mirror 127.0.0.1:5001 answering the same path for docker.io.
#[test]
fn a_later_build_recovers_nothing_of_an_earlier_one() {
    let two = format!("{DEMO}{}", later(DEMO, 2));
    let r = recovered(&model(&two));
    assert_eq!(r.len(), 20, "{r:?}");
    assert_eq!(r.iter().filter(|h| *h == "-").count(), 12, "{r:?}");
    assert_eq!(r[..10], r[10..], "each build recovers its own, as alone");
    // Even with the same times (a log pasted twice): another registry's answer is no
    // fallback of a 429 on 127.0.0.1:5011.
    let twice = format!("{DEMO}{DEMO}");
    let r = recovered(&model(&twice));
    assert_eq!(r.iter().filter(|h| *h == "-").count(), 12, "{r:?}");
}

// The review's cross.log: a failure for one registry, then another registry's 200 for the
// same path: `recovered: quay.io served the same object next`. Here the demo's mirror misses
// for docker.io, its upstream's answers moved to quay.io (the same paths).
#[test]
fn another_registrys_answer_for_the_same_path_recovers_nothing() {
    let log = DEMO.replace("registry-1.docker.io", "quay.io");
    let r = recovered(&model(&log));
    assert!(r.iter().all(|h| h == "-"), "{r:?}");
    assert_eq!(r.len(), 10, "{r:?}");
}

// A failure on the upstream itself is no mirror's miss: containerd tries mirrors first, so a
// mirror answering the same path later is another pull. (The review's twobuilds.log: Docker
// Hub's 429, then an hour later mirror.gcr.io's 200.)
#[test]
fn a_mirror_answering_after_the_upstream_failed_recovers_nothing() {
    // The demo's 404s on its mirror made the upstream's: the mirror's host and `?ns=` moved
    // to registry-1.docker.io's own requests, the upstream's answers to the mirror's.
    let log = DEMO
        .replace("127.0.0.1:5001", "HOST_A")
        .replace("registry-1.docker.io", "127.0.0.1:5001")
        .replace("HOST_A", "registry-1.docker.io")
        .replace("?ns=docker.io", "");
    let m = model(&log);
    let r = recovered(&m);
    assert!(
        r.iter().all(|h| h != "127.0.0.1:5001"),
        "the mirror after the upstream: {r:?}"
    );
}

// The review: `summary a.log b.log` of two copies of the demo marked a.log's 429s recovered by
// b.log's mirror answer, where the README says a fallback pairs only within its source.
#[test]
fn another_source_recovers_nothing() {
    let mut m = Model::new(ModelOptions::default());
    m.ingest_text(0, DEMO);
    m.ingest_text(1, DEMO);
    let by_source = |s: u32| -> Vec<String> {
        m.findings()
            .iter()
            .filter(|f| !f.kind.is_auth() && f.source == s)
            .map(|f| f.recovered_by.as_deref().unwrap_or("-").to_owned())
            .collect()
    };
    assert_eq!(
        by_source(0),
        by_source(1),
        "each file recovers its own, as alone"
    );
    assert_eq!(by_source(0), recovered(&model(DEMO)));
}
