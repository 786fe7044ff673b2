//! Real log lines → entries, through the same parse → model → kb path as `summary`: every entry
//! is matched by a line from a real daemon capture, the seed or a public issue, and comes first
//! for it; the healthy captures match nothing.

use std::collections::BTreeSet;

use super::super::{Diagnosis, Facts, KnowledgeBase};
use crate::model::mirror::MirrorConfig;
use crate::model::{Model, ModelOptions};

/// The seed's error line (../shared/seeds/000_a433ecbe8f43292e.txt).
const SEED_OAUTH: &str = "ERROR: failed to solve: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 401 Unauthorized";

/// The dockerd config of the dockerd-20.10 capture (tests/fixtures/SOURCES.md).
const CAPTURE_DAEMON_JSON: &str = r#"{"registry-mirrors":["http://127.0.0.1:5001"]}"#;

macro_rules! fixture {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!("../../../tests/fixtures/", $path)),
        )
    };
}

/// Entries no real line matches yet (see the report in tests/fixtures/SOURCES.md and the entry's
/// `evidence`: no posted buildkitd output with the limiter's warning was found).
const NO_REAL_LINE_YET: &[&str] = &["network/registry-connection-limit"];

fn capture_config() -> MirrorConfig {
    MirrorConfig::from_daemon_json(CAPTURE_DAEMON_JSON).unwrap()
}

fn model(text: &str, mirrors: MirrorConfig) -> Model {
    let mut m = Model::new(ModelOptions {
        mirrors,
        ..ModelOptions::default()
    });
    m.ingest_text(0, text);
    m
}

/// Diagnoses of every finding, in line order.
fn diagnose_all(kb: &KnowledgeBase, m: &Model) -> Vec<(u64, Option<String>, Vec<Diagnosis>)> {
    let facts = Facts::from_model(m);
    m.findings()
        .iter()
        .map(|f| {
            let ev = f.event.and_then(|id| m.event(id));
            (
                f.line,
                f.host.as_deref().map(str::to_owned),
                kb.diagnose_with(f, ev, &facts),
            )
        })
        .collect()
}

fn ids(d: &[Diagnosis]) -> Vec<&str> {
    d.iter().map(|d| d.kb.as_str()).collect()
}

/// (fixture, the entry its first finding must get first, mirror config of the run)
fn cases() -> Vec<((&'static str, &'static str), &'static str, MirrorConfig)> {
    let none = MirrorConfig::default;
    vec![
        // Real dockerd 20.10 captures (daemon logs, with the capture's own daemon.json).
        (
            fixture!("dockerd-20.10/oauth_token_401.log"),
            "auth/oauth-token-401",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/anonymous_token_401.log"),
            "auth/anonymous-token-401",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/basic_auth_401.log"),
            "auth/basic-auth-401",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/basic_auth_bad_creds.log"),
            "auth/basic-auth-401",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/mirror_basic_auth_no_creds.log"),
            "mirror/auth-required-fallback",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/rate_limited_429.log"),
            "ratelimit/docker-hub-429",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/rate_limited_429_head.log"),
            "ratelimit/docker-hub-429",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/not_found_404.log"),
            "registry/manifest-not-found",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/blob_not_found.log"),
            "registry/blob-not-found",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/unknown_ca.log"),
            "tls/x509-unknown-authority",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/mirror_fallback.log"),
            "mirror/unreachable-fallback",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/mirror_fallback_ok.log"),
            "mirror/unreachable-fallback",
            capture_config(),
        ),
        (
            fixture!("dockerd-20.10/mirror_miss_fallback_ok.log"),
            "mirror/not-proxied-404",
            capture_config(),
        ),
        // The same runs' client output (--progress=plain).
        (
            fixture!("dockerd-20.10/oauth_token_401.client.txt"),
            "auth/oauth-token-401",
            none(),
        ),
        (
            fixture!("dockerd-20.10/anonymous_token_401.client.txt"),
            "auth/anonymous-token-401",
            none(),
        ),
        (
            fixture!("dockerd-20.10/basic_auth_401.client.txt"),
            "auth/basic-auth-401",
            none(),
        ),
        (
            fixture!("dockerd-20.10/rate_limited_429.client.txt"),
            "ratelimit/docker-hub-429",
            none(),
        ),
        (
            fixture!("dockerd-20.10/not_found_404.client.txt"),
            "registry/manifest-not-found",
            none(),
        ),
        (
            fixture!("dockerd-20.10/blob_not_found.client.txt"),
            "registry/blob-not-found",
            none(),
        ),
        (
            fixture!("dockerd-20.10/unknown_ca.client.txt"),
            "tls/x509-unknown-authority",
            none(),
        ),
        (
            fixture!("dockerd-20.10/mirror_fallback.client.txt"),
            "mirror/unreachable-fallback",
            none(),
        ),
        // Public issues (tests/fixtures/SOURCES.md, section public-issues).
        (
            fixture!("public-issues/docker-run-action-56-hub-429.log"),
            "ratelimit/docker-hub-429",
            none(),
        ),
        (
            fixture!("public-issues/coscup-36-insufficient-scope.log"),
            "auth/access-denied",
            none(),
        ),
        (
            fixture!("public-issues/prompt-generator-20-insufficient-scope.log"),
            "auth/access-denied",
            none(),
        ),
        (
            fixture!("public-issues/ci-images-91-ghcr-push-403.log"),
            "auth/access-denied",
            none(),
        ),
        (
            fixture!("public-issues/buildkit-3179-anonymous-token.log"),
            "auth/anonymous-token-401",
            none(),
        ),
        (
            fixture!("public-issues/build-push-action-628-anonymous-403.log"),
            "auth/anonymous-token-401",
            none(),
        ),
        (
            fixture!("public-issues/buildkit-2096-http-registry.log"),
            "tls/http-response-to-https",
            none(),
        ),
        (
            fixture!("public-issues/rancher-desktop-8313-credential-helper.log"),
            "auth/credential-helper",
            none(),
        ),
        (
            fixture!("public-issues/buildx-2395-credential-helper.log"),
            "auth/credential-helper",
            none(),
        ),
        (
            fixture!("public-issues/dataverse-11239-dns-timeout.log"),
            "network/dns-lookup",
            none(),
        ),
        (
            fixture!("public-issues/setup-buildx-action-232-mirror-ignored.log"),
            "network/timeout",
            none(),
        ),
        (
            fixture!("public-issues/build-push-action-869-cache-to-gha-ref.log"),
            "cache/registry-cache-auth",
            none(),
        ),
        (
            fixture!("public-issues/buildkit-4409-gha-token.log"),
            "cache/gha-token",
            none(),
        ),
        (
            fixture!("public-issues/gitea-29584-gha-token.log"),
            "cache/gha-token",
            none(),
        ),
        (
            fixture!("public-issues/buildkit-4423-azblob-url.log"),
            "cache/azblob-auth",
            none(),
        ),
        // The issue's buildkitd-config-inline names a docker.io mirror; the error went to Docker Hub.
        (
            fixture!("public-issues/setup-buildx-action-232-mirror-ignored.log"),
            "mirror/configured-never-used",
            MirrorConfig::from_buildkitd_toml(
                "[registry.\"docker.io\"]\n  mirrors = [\"mirror.example.com\"]\n",
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn each_failing_real_log_gets_the_right_entry_first() {
    let kb = KnowledgeBase::builtin();
    let mut covered = BTreeSet::new();
    for ((name, text), want, cfg) in cases() {
        let m = model(text, cfg);
        let all = diagnose_all(&kb, &m);
        let Some((line, _, first)) = all.first() else {
            panic!("{name}: the model found no failure");
        };
        assert_eq!(
            first.first().map(|d| d.kb.as_str()),
            Some(want),
            "{name} line {line}: {:?}",
            ids(first)
        );
        assert!(!first[0].evidence.is_empty(), "{name}: evidence");
        covered.insert(want);
    }
    // A capture with two causes: the second failure (Docker Hub itself refused) has its own entry.
    let (_, text) = fixture!("dockerd-20.10/mirror_fallback.log");
    let all = diagnose_all(&kb, &model(text, capture_config()));
    let upstream = all
        .iter()
        .find(|(_, host, _)| host.as_deref() == Some("registry-1.docker.io"))
        .unwrap();
    assert_eq!(ids(&upstream.2)[0], "network/connection-refused");
    covered.insert("network/connection-refused");
    // A capture cut after its `do request` (as a log saved mid-request, or a containerd 1.6
    // fetch whose transport failed, leaves it): at the end of the input, a `no-response` error.
    let (_, text) = fixture!("dockerd-20.10/unknown_ca.log");
    let cut: Vec<&str> = text.lines().take(21).collect();
    let mut m = model(&cut.join("\n"), MirrorConfig::default());
    m.finish();
    let all = diagnose_all(&kb, &m);
    assert_eq!(all.len(), 1);
    assert_eq!(ids(&all[0].2), ["network/no-response"]);
    covered.insert("network/no-response");
    // The seed excerpt's auth error.
    let m = model(SEED_OAUTH, MirrorConfig::default());
    assert_eq!(ids(&diagnose_all(&kb, &m)[0].2)[0], "auth/oauth-token-401");
    covered.insert("auth/oauth-token-401");
    // A line the model keeps no finding for, checked on its own (BuildKit CI output, PR #4030).
    let (_, azblob) = fixture!("public-issues/buildkit-4030-azblob-auth.log");
    let rec = crate::parse::parse_line(azblob.lines().nth(1).unwrap());
    assert_eq!(kb.diagnose_record(&rec)[0].kb, "cache/azblob-auth");
    // The verdict path: plain_pull's real requests, with a config (the test's, not the
    // capture's) that names a mirror for the registry they went to.
    let (_, plain) = fixture!("dockerd-20.10/plain_pull.log");
    let cfg = MirrorConfig::from_buildkitd_toml(
        "[registry.\"127.0.0.1:5000\"]\n  mirrors = [\"127.0.0.1:5001\"]\n",
    )
    .unwrap();
    let m = model(plain, cfg);
    let v = m.mirror_verdicts();
    assert_eq!(
        ids(&kb.diagnose_verdict(&v[0])),
        ["mirror/configured-never-used"]
    );
    for e in kb.entries() {
        assert!(
            covered.contains(e.id.as_str()) || NO_REAL_LINE_YET.contains(&e.id.as_str()),
            "no real log line matches {}",
            e.id
        );
    }
}

#[test]
fn every_finding_of_a_mixed_capture_gets_its_own_entry() {
    let kb = KnowledgeBase::builtin();
    // Mirror refused, then Docker Hub refused too: two causes, two entries.
    let (_, text) = fixture!("dockerd-20.10/mirror_fallback.log");
    let all = diagnose_all(&kb, &model(text, capture_config()));
    let by_host: Vec<(&str, &str)> = all
        .iter()
        .map(|(_, h, d)| (h.as_deref().unwrap_or(""), d[0].kb.as_str()))
        .collect();
    assert_eq!(
        by_host,
        [
            ("127.0.0.1:5001", "mirror/unreachable-fallback"),
            ("registry-1.docker.io", "network/connection-refused")
        ]
    );
    // Every mirror miss in the fetch phase (404 and 500) is the mirror's, not a missing tag.
    let (_, text) = fixture!("dockerd-20.10/mirror_miss_fallback_ok.log");
    for (line, _, d) in diagnose_all(&kb, &model(text, capture_config())) {
        assert_eq!(d[0].kb, "mirror/not-proxied-404", "line {line}");
    }
    // Nor is any of them, or a blob's 404, a missing manifest or blob, the upstream served each
    // one (the sample's lines 76, 89 and 100 read `registry/manifest-not-found` second once).
    for (name, text) in [
        fixture!("dockerd-20.10/mirror_miss_fallback_ok.log"),
        fixture!("sample/demo.log"),
    ] {
        let m = model(text, capture_config());
        let recovered = m
            .findings()
            .iter()
            .filter(|f| f.recovered_by.is_some())
            .count();
        assert!(recovered >= 3, "{name}: {recovered}");
        for (line, _, d) in diagnose_all(&kb, &m) {
            for wrong in ["registry/manifest-not-found", "registry/blob-not-found"] {
                assert!(
                    !ids(&d).contains(&wrong),
                    "{name} line {line}: {:?}",
                    ids(&d)
                );
            }
        }
    }
    // A cache export refused by Docker Hub: the cache entry first, the token entry next.
    let (_, text) = fixture!("public-issues/build-push-action-869-cache-to-gha-ref.log");
    let all = diagnose_all(&kb, &model(text, MirrorConfig::default()));
    assert_eq!(
        ids(&all[0].2),
        ["cache/registry-cache-auth", "auth/oauth-token-401"]
    );
}

/// NOT real lines: the limiter's two warnings as BuildKit's source formats them
/// (util/resolver/limited/group.go: `Warnf("fetcher not closed cleanly: %s", desc.Digest)`, and
/// "writer not closed cleanly" in v0.9.0-rc2..v0.9.1), with an all-zero digest. They pin the
/// signature to the source's wording only; they cover nothing, the entry stays in
/// NO_REAL_LINE_YET until someone's posted line is found.
#[test]
fn connection_limit_signature_follows_the_source_wording() {
    let kb = KnowledgeBase::builtin();
    let zero = format!("sha256:{}", "0".repeat(64));
    for what in ["fetcher", "writer"] {
        let line = format!(
            "time=\"2021-07-15T00:00:00Z\" level=warning msg=\"{what} not closed cleanly: {zero}\""
        );
        let d = kb.diagnose_record(&crate::parse::parse_line(&line));
        assert_eq!(ids(&d), ["network/registry-connection-limit"], "{line}");
    }
}

#[test]
fn healthy_logs_match_no_entry() {
    let kb = KnowledgeBase::builtin();
    let seed_toml = include_str!("../../../tests/fixtures/seed/buildkitd.toml");
    let healthy = [
        (
            fixture!("seed/mirror_gcr.log"),
            MirrorConfig::from_buildkitd_toml(seed_toml).unwrap(),
        ),
        (fixture!("seed/mirror_gcr.log"), MirrorConfig::default()),
        (fixture!("dockerd-20.10/mirror_used.log"), capture_config()),
        (fixture!("dockerd-20.10/plain_pull.log"), capture_config()),
        (
            fixture!("dockerd-20.10/plain_pull.log"),
            MirrorConfig::default(),
        ),
        (
            fixture!("dockerd-20.10/basic_auth_ok.log"),
            capture_config(),
        ),
        (
            fixture!("public-issues/buildkit-3418-ci-sandbox.log"),
            MirrorConfig::default(),
        ),
        (
            fixture!("public-issues/buildkit-2730-wrapped.log"),
            MirrorConfig::default(),
        ),
    ];
    for ((name, text), cfg) in healthy {
        let m = model(text, cfg);
        for (line, _, d) in diagnose_all(&kb, &m) {
            assert!(d.is_empty(), "{name} line {line}: {:?}", ids(&d));
        }
        for v in m.mirror_verdicts() {
            assert!(kb.diagnose_verdict(&v).is_empty(), "{name}: {v:?}");
        }
        for (i, l) in text.lines().enumerate() {
            let d = kb.diagnose_record(&crate::parse::parse_line(l));
            assert!(d.is_empty(), "{name} line {}: {:?}", i + 1, ids(&d));
        }
    }
}

#[test]
fn evidence_says_which_field_matched_what() {
    let kb = KnowledgeBase::builtin();
    let (_, text) = fixture!("dockerd-20.10/basic_auth_401.log");
    let m = model(text, capture_config());
    let d = &diagnose_all(&kb, &m)[0].2[0];
    let fields: Vec<(&str, &str)> = d
        .evidence
        .iter()
        .map(|e| (e.field, e.value.as_str()))
        .collect();
    assert!(fields.contains(&("kind", "basic")), "{fields:?}");
    assert!(
        fields
            .iter()
            .any(|(f, v)| *f == "header" && v.starts_with("www-authenticate: Basic")),
        "{fields:?}"
    );
    let (_, text) = fixture!("dockerd-20.10/mirror_fallback.log");
    let m = model(text, capture_config());
    let d = &diagnose_all(&kb, &m)[0].2[0];
    let url = d.evidence.iter().find(|e| e.field == "url").unwrap();
    assert_eq!(url.value, "?ns=docker.io");
}

/// `mirror/auth-required-fallback` needs the 401's host to be a mirror, as the verdicts count
/// one (`?ns=`, or a configured mirror's host): a plain registry's 401 followed by the same
/// path on another host is no mirror asking for credentials. The real capture of a mirror
/// behind basic auth without a login (its requests carry `?ns=docker.io`) hits it on each of
/// the mirror's four 401s; the same lines without `?ns=` (a registry the log does not show to
/// be a mirror) hit it only when the daemon.json configures that host as a mirror. The
/// hand-written secrets/tokens.log has Docker Hub's own 401 followed by the same path from a
/// mirror: before, that 401 (line 2) got the entry, through the text its event carries.
#[test]
fn auth_required_fallback_needs_the_401_on_a_mirror() {
    const ID: &str = "mirror/auth-required-fallback";
    let kb = KnowledgeBase::builtin();
    let hits = |text: &str, cfg: MirrorConfig| -> Vec<(u64, Option<String>)> {
        diagnose_all(&kb, &model(text, cfg))
            .into_iter()
            .filter(|(_, _, d)| ids(d).contains(&ID))
            .map(|(line, host, _)| (line, host))
            .collect()
    };
    let (_, text) = fixture!("dockerd-20.10/mirror_basic_auth_no_creds.log");
    let mirror = hits(text, MirrorConfig::default());
    assert_eq!(mirror.len(), 4, "{mirror:?}");
    assert!(
        mirror
            .iter()
            .all(|(_, h)| h.as_deref() == Some("127.0.0.1:5001"))
    );
    let plain = text.replace("?ns=docker.io", "");
    assert_eq!(hits(&plain, MirrorConfig::default()), []);
    assert_eq!(hits(&plain, capture_config()), mirror);
    let (_, tokens) = fixture!("secrets/tokens.log");
    assert_eq!(hits(tokens, MirrorConfig::default()), []);
}
