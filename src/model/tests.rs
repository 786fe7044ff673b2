//! Model tests on real lines: the seed excerpt and synthetic-but-real-format cases.

use super::mirror::{MirrorConfig, Verdict};
use super::*;

const SEED: &str = include_str!("../../tests/fixtures/seed/mirror_gcr.log");
const SEED_TOML: &str = include_str!("../../tests/fixtures/seed/buildkitd.toml");

fn model_with(text: &str, mirrors: MirrorConfig) -> Model {
    let mut m = Model::new(ModelOptions {
        mirrors,
        ..ModelOptions::default()
    });
    m.ingest_text(0, text);
    m
}

#[test]
fn seed_events_are_gcs_and_one_trace() {
    let m = model_with(SEED, MirrorConfig::default());
    let c = m.counts();
    assert_eq!((c.lines, c.records, c.unparsed), (9, 9, 0));
    assert_eq!((c.requests, c.responses), (2, 3));
    let events: Vec<_> = m.events().collect();
    assert_eq!(events.len(), 3);
    for ev in &events {
        assert_eq!(ev.server.as_deref(), Some("google-cloud-storage"));
        assert_eq!(ev.status, Some(200));
        assert_eq!(
            ev.host, None,
            "the seed logs no host; the model must not invent one"
        );
        assert_eq!(
            ev.trace_id.as_deref(),
            Some("b162d3040ddf86d6614e79c66a01a577")
        );
    }
    // First request pairs with the first response; the layer request with the last one.
    assert_eq!(events[0].lines[..], [1, 2]);
    assert_eq!(events[0].method.as_deref(), Some("GET"));
    assert_eq!(events[0].kind, url::ObjectKind::Blob);
    assert_eq!(events[1].lines[..], [3]);
    assert_eq!(events[1].method, None);
    assert_eq!(events[2].lines[..], [8, 9]);
    assert_eq!(events[2].bytes(), Some(2_818_413));
    assert_eq!(m.traces().len(), 1);
    let t = m.traces().get("b162d3040ddf86d6614e79c66a01a577").unwrap();
    assert_eq!(t.events.len(), 3);
    assert_eq!(t.spans["9460e5b6e64cec91"].len(), 3);
}

#[test]
fn seed_with_its_config_says_mirror_used() {
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let m = model_with(SEED, cfg);
    let v = m.mirror_verdicts();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].upstream, "docker.io");
    assert_eq!(v[0].mirror, "mirror.gcr.io");
    assert!(v[0].configured);
    assert_eq!((v[0].via_mirror, v[0].direct, v[0].fallbacks), (3, 0, 0));
    assert_eq!(v[0].verdict, Verdict::Used);
    assert_eq!(v[0].evidence[0].line, 2);
    assert!(
        v[0].evidence[0].why.contains("google-cloud-storage"),
        "{:?}",
        v[0].evidence
    );
    let s = Summary::from_model(&m);
    assert!(s.auth_failures.is_empty() && s.errors.is_empty());
    assert_eq!(s.status_counts["200"], 3);
    // Logged without host, inferred (the answers' Google Cloud Storage fingerprint, the
    // configured mirror behind it), as the explorer shows `mirror.gcr.io?`.
    let hosts: Vec<(&str, bool, u64)> = s
        .hosts
        .iter()
        .map(|h| (h.host.as_str(), h.inferred, h.requests))
        .collect();
    assert_eq!(hosts, [("mirror.gcr.io", true, 3)]);
    // Each request, and each fetch the slowest list names, carries the host it was placed on.
    assert_eq!(m.events().count(), 3);
    assert!(
        m.events()
            .all(|e| e.host.is_none() && e.inferred_host.as_deref() == Some("mirror.gcr.io"))
    );
    assert!(!s.slowest.is_empty());
    assert!(
        s.slowest
            .iter()
            .all(|n| n.host == "unknown" && n.inferred_host.as_deref() == Some("mirror.gcr.io"))
    );
    // Without --config no route places them.
    let plain = model_with(SEED, MirrorConfig::default());
    assert!(plain.events().all(|e| e.inferred_host.is_none()));
}

#[test]
fn mirror_with_ns_and_fallback_is_partial() {
    let log = r#"time="2024-01-01T00:00:00.000Z" level=debug msg="do request" host="127.0.0.1:5001" request.method=HEAD url="http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:00.010Z" level=debug msg="fetch response received" host="127.0.0.1:5001" response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:01.000Z" level=debug msg="do request" host="127.0.0.1:5001" request.method=GET url="http://127.0.0.1:5001/v2/library/alpine/blobs/sha256:aa?ns=docker.io"
time="2024-01-01T00:00:01.100Z" level=info msg="trying next host" error="failed to do request: Get \"http://127.0.0.1:5001/v2/library/alpine/blobs/sha256:aa?ns=docker.io\": dial tcp 127.0.0.1:5001: connect: connection refused" host="127.0.0.1:5001"
time="2024-01-01T00:00:01.200Z" level=debug msg="do request" host=registry-1.docker.io request.method=GET url="https://registry-1.docker.io/v2/library/alpine/blobs/sha256:aa"
time="2024-01-01T00:00:01.500Z" level=debug msg="fetch response received" host=registry-1.docker.io response.header.docker-ratelimit-source=1.2.3.4 response.header.ratelimit-limit="100;w=21600" response.header.ratelimit-remaining="42;w=21600" response.status="200 OK" url="https://registry-1.docker.io/v2/library/alpine/blobs/sha256:aa""#;
    let m = model_with(log, MirrorConfig::default());
    let v = m.mirror_verdicts();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].upstream.as_str(), v[0].mirror.as_str()),
        ("docker.io", "127.0.0.1:5001")
    );
    assert!(!v[0].configured);
    assert_eq!((v[0].via_mirror, v[0].direct, v[0].fallbacks), (1, 1, 1));
    assert_eq!(v[0].verdict, Verdict::Partial);
    let lines: Vec<u64> = v[0].evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 4, 6]);
    let s = Summary::from_model(&m);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].kind, "connection-refused");
    assert_eq!(&*s.errors[0].host, "127.0.0.1:5001");
    assert_eq!(s.rate_limits[0].lowest_remaining, Some(42));
    assert_eq!(s.rate_limits[0].limit, Some(100));
    let failed = m.events().find(|e| e.error.is_some()).unwrap();
    assert_eq!(failed.lines[..], [3, 4]);
    assert_eq!(failed.duration_ms(), Some(100));
}

/// containerd writes `?ns=` with Go's `url.Values.Encode`: the colon of an upstream with a port
/// comes as `%3A`. The mirror's requests count for that upstream, the one the configuration
/// names, and a direct pull of it makes the verdict partial, not unused.
#[test]
fn an_upstream_with_a_port_is_read_from_its_escaped_ns() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="mirror.local:5001" request.method=HEAD url="http://mirror.local:5001/v2/team/app/manifests/v1?ns=registry.corp%3A5000"
time="2024-01-01T00:00:01Z" level=debug msg="fetch response received" host="mirror.local:5001" response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="http://mirror.local:5001/v2/team/app/manifests/v1?ns=registry.corp%3A5000"
time="2024-01-01T00:00:02Z" level=debug msg="do request" host="registry.corp:5000" request.method=GET url="https://registry.corp:5000/v2/team/app/blobs/sha256:aa"
time="2024-01-01T00:00:03Z" level=debug msg="fetch response received" host="registry.corp:5000" response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="https://registry.corp:5000/v2/team/app/blobs/sha256:aa""#;
    let toml = "[registry.\"registry.corp:5000\"]\nmirrors = [\"mirror.local:5001\"]\n";
    let m = model_with(log, MirrorConfig::from_buildkitd_toml(toml).unwrap());
    let v = m.mirror_verdicts();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (
            v[0].upstream.as_str(),
            v[0].mirror.as_str(),
            v[0].configured
        ),
        ("registry.corp:5000", "mirror.local:5001", true)
    );
    assert_eq!((v[0].via_mirror, v[0].direct), (1, 1));
    assert_eq!(v[0].verdict, Verdict::Partial);
    assert!(
        v[0].evidence[0].why.contains("ns=registry.corp:5000"),
        "{:?}",
        v[0].evidence
    );
    let first = m.events().next().unwrap();
    assert_eq!(first.mirror_of.as_deref(), Some("registry.corp:5000"));
}

/// A mirror configured with credentials in its URL is the host behind them: matched with the
/// host the log shows, and the password is in no output.
#[test]
fn a_configured_mirror_with_credentials_is_its_host_and_the_password_stays_out() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="127.0.0.1:5001" request.method=HEAD url="http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:01Z" level=debug msg="fetch response received" host="127.0.0.1:5001" response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io""#;
    let json = r#"{"registry-mirrors": ["http://user:MirrorPwSEC@127.0.0.1:5001"]}"#;
    let m = model_with(log, MirrorConfig::from_daemon_json(json).unwrap());
    let v = m.mirror_verdicts();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (
            v[0].upstream.as_str(),
            v[0].mirror.as_str(),
            v[0].configured
        ),
        ("docker.io", "127.0.0.1:5001", true)
    );
    assert_eq!(v[0].verdict, Verdict::Used);
    let out = serde_json::to_string(&Summary::from_model(&m)).unwrap();
    assert!(!out.contains("MirrorPwSEC"), "{out}");
}

/// The bytes of an event are those of the object fetched: a HEAD's `content-length` and an
/// error answer's body are not, and neither counts in a host's bytes.
#[test]
fn bytes_are_the_object_fetched_not_a_head_or_an_error_body() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="r.example" request.method=HEAD url="https://r.example/v2/a/manifests/1"
time="2024-01-01T00:00:00.1Z" level=debug msg="fetch response received" host="r.example" response.header.content-length=523 response.status="200 OK" url="https://r.example/v2/a/manifests/1"
time="2024-01-01T00:00:01Z" level=debug msg="do request" digest="sha256:aa" host="r.example" request.method=GET size=905 url="https://r.example/v2/a/blobs/sha256:aa"
time="2024-01-01T00:00:01.1Z" level=debug msg="fetch response received" digest="sha256:aa" host="r.example" response.header.content-length=157 response.status="404 Not Found" size=905 url="https://r.example/v2/a/blobs/sha256:aa"
time="2024-01-01T00:00:02Z" level=debug msg="do request" digest="sha256:bb" host="r.example" request.method=GET size=1000 url="https://r.example/v2/a/blobs/sha256:bb"
time="2024-01-01T00:00:02.1Z" level=debug msg="fetch response received" digest="sha256:bb" host="r.example" response.header.content-length=1000 response.status="200 OK" size=1000 url="https://r.example/v2/a/blobs/sha256:bb"
time="2024-01-01T00:00:03Z" level=debug msg="do request" host="r.example" request.method=GET url="https://r.example/v2/a/manifests/2"
time="2024-01-01T00:00:03.1Z" level=debug msg="fetch response received" host="r.example" response.header.content-length=77 response.status="200 OK" url="https://r.example/v2/a/manifests/2""#;
    let m = model_with(log, MirrorConfig::default());
    let bytes: Vec<Option<u64>> = m.events().map(|e| e.bytes()).collect();
    assert_eq!(bytes, [None, None, Some(1000), Some(77)]);
    let s = Summary::from_model(&m);
    assert_eq!(s.hosts[0].bytes, 1077);
    let largest: Vec<u64> = s.largest.iter().filter_map(|n| n.bytes).collect();
    assert_eq!(largest, [1000, 77]);
}

/// A mirror with token auth answers the first request with a 401 challenge, then the
/// authorized retry: that is a mirror used, not a fallback (it read PARTIAL, "mirror failed,
/// next host tried", and failed `--fail-on mirror-unused`). A challenge the authorizing does
/// not get past, followed by `trying next host`, is a fallback.
#[test]
fn an_auth_challenge_from_a_mirror_is_no_fallback_until_the_next_host_is_tried() {
    let challenge = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="mirror.local:5001" request.method=HEAD url="http://mirror.local:5001/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:00.1Z" level=debug msg="fetch response received" host="mirror.local:5001" response.header.docker-distribution-api-version=registry/2.0 response.header.www-authenticate="Bearer realm=\"http://mirror.local:5001/token\",service=\"m\",scope=\"repository:library/alpine:pull\"" response.status="401 Unauthorized" url="http://mirror.local:5001/v2/library/alpine/manifests/latest?ns=docker.io"
"#;
    let retried = r#"time="2024-01-01T00:00:00.4Z" level=debug msg="do request" host="mirror.local:5001" request.method=HEAD url="http://mirror.local:5001/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:00.5Z" level=debug msg="fetch response received" host="mirror.local:5001" response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="http://mirror.local:5001/v2/library/alpine/manifests/latest?ns=docker.io""#;
    let m = model_with(&format!("{challenge}{retried}"), MirrorConfig::default());
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].fallbacks, v[0].verdict),
        (1, 0, 0, Verdict::Used),
        "{v:?}"
    );
    let s = Summary::from_model(&m);
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (2, 0));
    assert!(s.auth_failures.is_empty() && s.errors.is_empty());

    let gave_up = r#"time="2024-01-01T00:00:00.2Z" level=info msg="trying next host" error="pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials" host="mirror.local:5001"
time="2024-01-01T00:00:00.3Z" level=debug msg="do request" host=registry-1.docker.io request.method=HEAD url="https://registry-1.docker.io/v2/library/alpine/manifests/latest"
time="2024-01-01T00:00:00.4Z" level=debug msg="fetch response received" host=registry-1.docker.io response.header.docker-distribution-api-version=registry/2.0 response.status="200 OK" url="https://registry-1.docker.io/v2/library/alpine/manifests/latest""#;
    let m = model_with(&format!("{challenge}{gave_up}"), MirrorConfig::default());
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].fallbacks, v[0].verdict),
        (0, 1, 1, Verdict::Unused),
        "{v:?}"
    );
    assert!(m.events().next().is_some_and(FetchEvent::failed));
}

/// A cached token that expired mid-build: the mirror answers the first attempt with a Bearer
/// challenge naming `invalid_token`; containerd fetches a new token and retries, and the retry
/// is served. containerd's authorizer refuses only a second such challenge for the same
/// request (`invalidAuthorization`), so the first is a challenge like any other: no error of
/// the mirror, no fallback, no auth failure. Two refusals in a row stay a failure.
#[test]
fn an_expired_token_challenge_the_retry_got_past_is_no_failure() {
    let request = |t: &str| {
        format!(
            "time=\"2024-01-01T00:00:0{t}Z\" level=debug msg=\"do request\" host=\"mirror.local:5001\" request.header.authorization=\"Bearer old\" request.method=GET url=\"http://mirror.local:5001/v2/library/alpine/blobs/sha256:aa11?ns=docker.io\"\n"
        )
    };
    let answer = |t: &str, status: &str, challenge: &str| {
        format!(
            "time=\"2024-01-01T00:00:0{t}Z\" level=debug msg=\"fetch response received\" host=\"mirror.local:5001\" response.header.docker-distribution-api-version=registry/2.0{challenge} response.status=\"{status}\" url=\"http://mirror.local:5001/v2/library/alpine/blobs/sha256:aa11?ns=docker.io\"\n"
        )
    };
    let expired = r#" response.header.www-authenticate="Bearer realm=\"http://mirror.local:5001/token\",service=\"m\",scope=\"repository:library/alpine:pull\",error=\"invalid_token\"""#;
    let log = [
        request("0.0"),
        answer("0.1", "401 Unauthorized", expired),
        request("0.2"),
        answer("0.3", "200 OK", ""),
    ]
    .concat();
    let m = model_with(&log, MirrorConfig::default());
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].via_mirror, v[0].fallbacks, v[0].verdict),
        (1, 0, Verdict::Used),
        "{v:?}"
    );
    let s = Summary::from_model(&m);
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (2, 0));
    assert!(s.auth_failures.is_empty() && s.errors.is_empty(), "{s:?}");

    // Refused again: the retry's 401 is the failure.
    let refused = [
        request("0.0"),
        answer("0.1", "401 Unauthorized", expired),
        request("0.2"),
        answer("0.3", "401 Unauthorized", expired),
    ]
    .concat();
    let s = Summary::from_model(&model_with(&refused, MirrorConfig::default()));
    assert_eq!(s.auth_failures.len(), 1, "{s:?}");
    assert_eq!(s.auth_failures[0].line, 4);
}

/// Lines without a url (BuildKit ≥ v0.16) whose span names the image: a blob served from
/// Google Cloud Storage is mirror.gcr.io's only for a docker.io image; gcr.io answers from GCS
/// too, and a pull of gcr.io/distroless is no pull of docker.io through the mirror.
#[test]
fn a_url_less_fetch_counts_for_the_mirror_of_the_registry_its_span_names() {
    let pull = |image: &str| {
        format!(
            r#"time="2025-01-01T00:00:02Z" level=debug msg="do request" request.header.accept="application/vnd.oci.image.layer.v1.tar+gzip, */*" request.header.user-agent=containerd/2.0.2 request.method=GET span="pulling {image}" spanID=3333333333333333 traceID=22222222222222222222222222222222
time="2025-01-01T00:00:03Z" level=debug msg="fetch response received" response.header.content-length=1469 response.header.server=UploadServer response.header.x-goog-generation=1637788077652182 response.header.x-goog-hash="crc32c=V3DSrg==" response.header.x-goog-storage-class=STANDARD response.status="200 OK" span="pulling {image}" spanID=3333333333333333 traceID=22222222222222222222222222222222
"#
        )
    };
    let cfg = || MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let m = model_with(&pull("gcr.io/distroless/static:nonroot"), cfg());
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].upstream.as_str(), v[0].via_mirror),
        ("docker.io", 0),
        "{v:?}"
    );
    assert_eq!(v[0].verdict, Verdict::Unknown);
    let m = model_with(&pull("docker.io/library/alpine:3.20"), cfg());
    let v = m.mirror_verdicts();
    assert_eq!((v[0].via_mirror, v[0].verdict), (1, Verdict::Used), "{v:?}");
}

/// A Bearer 401 the retry got past is no auth failure, whatever the retry's answer (a 429 rate
/// limit, a 404 for a mistyped tag: findings of their own), and two requests for one path sent
/// at once are both challenged without the second being "refused again". A retry sent after
/// its 401 came back and refused again is a failure.
#[test]
fn a_challenge_the_retry_got_past_or_a_concurrent_one_is_no_auth_failure() {
    let req = |t: &str| {
        format!(
            r#"time="2024-05-01T10:00:{t}Z" level=debug msg="do request" host=registry-1.docker.io request.method=HEAD url="https://registry-1.docker.io/v2/library/golang/manifests/1.22""#
        )
    };
    let resp = |t: &str, status: &str| {
        let challenge = if status.starts_with("401") {
            r#" response.header.www-authenticate="Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/golang:pull\"""#
        } else {
            ""
        };
        format!(
            r#"time="2024-05-01T10:00:{t}Z" level=debug msg="fetch response received" host=registry-1.docker.io{challenge} response.status="{status}" url="https://registry-1.docker.io/v2/library/golang/manifests/1.22""#
        )
    };
    let auth = |lines: &[String]| {
        let m = model_with(&lines.join("\n"), MirrorConfig::default());
        let s = Summary::from_model(&m);
        (s.auth_failures.len(), s.errors.len())
    };
    // 401, retry, 429: rate limited, not an auth failure.
    let rate_limited = [
        req("00.1"),
        resp("00.2", "401 Unauthorized"),
        req("00.5"),
        resp("00.6", "429 Too Many Requests"),
    ];
    assert_eq!(auth(&rate_limited), (0, 1));
    // Two at once, both challenged, both retried, both served.
    let concurrent = [
        req("00.10"),
        req("00.11"),
        resp("00.30", "401 Unauthorized"),
        resp("00.31", "401 Unauthorized"),
        req("00.50"),
        req("00.51"),
        resp("00.70", "200 OK"),
        resp("00.71", "200 OK"),
    ];
    assert_eq!(auth(&concurrent), (0, 0));
    // The retry, sent after the challenge, refused again.
    let refused = [
        req("00.1"),
        resp("00.2", "401 Unauthorized"),
        req("00.5"),
        resp("00.6", "401 Unauthorized"),
    ];
    assert_eq!(auth(&refused), (1, 0));
}

/// Without urls (BuildKit's spans), a 429 in the span of a challenged request is its retry's
/// answer: no auth failure; a 401 on another path of a host stays open after a 404 elsewhere.
#[test]
fn a_retry_answer_overcomes_the_401s_of_its_span_or_its_path_only() {
    let span = |status: &str, t: &str| {
        let challenge = if status.starts_with("401") {
            r#"response.header.www-authenticate="Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"" "#
        } else {
            ""
        };
        format!(
            r#"time="2025-01-01T00:00:0{t}Z" level=debug msg="do request" request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-01-01T00:00:0{t}.5Z" level=debug msg="fetch response received" {challenge}response.status="{status}" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222"#
        )
    };
    let log = format!(
        "{}\n{}",
        span("401 Unauthorized", "1"),
        span("429 Too Many Requests", "2")
    );
    let s = Summary::from_model(&model_with(&log, MirrorConfig::default()));
    assert_eq!((s.auth_failures.len(), s.errors.len()), (0, 1));
    let path = |p: &str, status: &str, t: &str| {
        format!(
            r#"time="2024-01-01T00:00:0{t}Z" level=debug msg="do request" host=r.example request.method=GET url="https://r.example/v2/{p}"
time="2024-01-01T00:00:0{t}.5Z" level=debug msg="fetch response received" host=r.example response.header.www-authenticate="Basic realm=\"r\"" response.status="{status}" url="https://r.example/v2/{p}""#
        )
    };
    let log = format!(
        "{}\n{}",
        path("a/manifests/1", "401 Unauthorized", "1"),
        path("b/manifests/1", "404 Not Found", "2")
    );
    let s = Summary::from_model(&model_with(&log, MirrorConfig::default()));
    assert_eq!(s.auth_failures.len(), 1, "{:?}", s.auth_failures);
}

/// Where BuildKit logs no host, open 401s are kept by span id; the finding's host is then
/// `unknown`, never the span id.
#[test]
fn an_open_401_keyed_by_span_names_no_host() {
    let log = r#"time="2025-01-01T00:00:00Z" level=debug msg="do request" request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-01-01T00:00:01Z" level=debug msg="fetch response received" response.header.www-authenticate="Basic realm=\"r\"" response.status="401 Unauthorized" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222"#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.auth_failures.len(), 1, "{:?}", s.auth_failures);
    assert_eq!(&*s.auth_failures[0].host, "unknown");
}

/// A push after a pull through the mirror: its existence check (the HEAD after `checking and
/// pushing to`) answered 404 means "upload it", and its uploads go to the upstream whatever
/// the mirrors (BuildKit gives a mirror pull and resolve only). Neither is a pull bypassing the
/// mirror nor an error: the verdict stays USED, nothing fails.
#[test]
fn a_push_is_no_pull_bypassing_the_mirror_and_its_existence_check_no_error() {
    let log = r#"time="2024-05-01T10:00:00Z" level=debug msg="do request" host=mirror.gcr.io request.method=HEAD url="https://mirror.gcr.io/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-05-01T10:00:00.1Z" level=debug msg="fetch response received" host=mirror.gcr.io response.status="200 OK" url="https://mirror.gcr.io/v2/library/alpine/manifests/latest?ns=docker.io"
time="2024-05-01T10:00:05Z" level=debug msg="checking and pushing to" digest="sha256:cccc" size=100 url="https://registry-1.docker.io/v2/myorg/app/blobs/sha256:cccc"
time="2024-05-01T10:00:05.1Z" level=debug msg="do request" digest="sha256:cccc" request.method=HEAD size=100 url="https://registry-1.docker.io/v2/myorg/app/blobs/sha256:cccc"
time="2024-05-01T10:00:05.2Z" level=debug msg="fetch response received" digest="sha256:cccc" response.header.content-length=157 response.status="404 Not Found" size=100 url="https://registry-1.docker.io/v2/myorg/app/blobs/sha256:cccc"
time="2024-05-01T10:00:05.3Z" level=debug msg="do request" digest="sha256:cccc" request.method=POST size=100 url="https://registry-1.docker.io/v2/myorg/app/blobs/uploads/"
time="2024-05-01T10:00:05.4Z" level=debug msg="fetch response received" digest="sha256:cccc" response.status="202 Accepted" size=100 url="https://registry-1.docker.io/v2/myorg/app/blobs/uploads/"
time="2024-05-01T10:00:06Z" level=debug msg="do request" digest="sha256:dddd" request.method=PUT size=500 url="https://registry-1.docker.io/v2/myorg/app/manifests/latest"
time="2024-05-01T10:00:06.1Z" level=debug msg="fetch response received" digest="sha256:dddd" response.status="201 Created" size=500 url="https://registry-1.docker.io/v2/myorg/app/manifests/latest""#;
    let m = model_with(log, MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap());
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].fallbacks, v[0].verdict),
        (1, 0, 0, Verdict::Used),
        "{v:?}"
    );
    let s = Summary::from_model(&m);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let check = m.events().find(|e| e.status == Some(404)).unwrap();
    assert!(check.push_check && !check.failed());
    assert!(
        check.lines.contains(&3),
        "the check line joins its HEAD: {:?}",
        check.lines
    );
    assert!(s.hosts.iter().all(|h| h.errors == 0), "{:?}", s.hosts);
    // The review: the POST's and the PUT's `size` (100 + 500, the descriptors' sizes: bodies
    // that went out) were counted as bytes that came.
    assert!(s.hosts.iter().all(|h| h.bytes == 0), "{:?}", s.hosts);
    assert!(s.largest.is_empty(), "{:?}", s.largest);
}

/// The verdict does not depend on the order of the lines: a direct pull logged before the
/// first mirror request (a log cut by `docker logs --since`) counts as one after it does.
#[test]
fn a_direct_pull_before_the_first_mirror_request_still_counts() {
    let direct = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host=registry-1.docker.io request.method=HEAD url="https://registry-1.docker.io/v2/library/alpine/manifests/latest"
time="2024-01-01T00:00:00.1Z" level=debug msg="fetch response received" host=registry-1.docker.io response.status="200 OK" url="https://registry-1.docker.io/v2/library/alpine/manifests/latest""#;
    let mirrored = r#"time="2024-01-01T00:00:01Z" level=debug msg="do request" host=mirror.gcr.io request.method=HEAD url="https://mirror.gcr.io/v2/library/busybox/manifests/latest?ns=docker.io"
time="2024-01-01T00:00:01.1Z" level=debug msg="fetch response received" host=mirror.gcr.io response.status="200 OK" url="https://mirror.gcr.io/v2/library/busybox/manifests/latest?ns=docker.io""#;
    for log in [
        format!("{direct}\n{mirrored}"),
        format!("{mirrored}\n{direct}"),
    ] {
        let v = model_with(&log, MirrorConfig::default()).mirror_verdicts();
        assert_eq!(
            (v[0].via_mirror, v[0].direct, v[0].verdict),
            (1, 1, Verdict::Partial),
            "{log}"
        );
    }
}

/// BuildKit >= v0.16 logs requests without url or host; when the mirror times out, `trying
/// next host` names the mirror in its error only. It closes the request of its span (not the
/// next one, which the 200 answers), which learns its url from the error: a fallback.
#[test]
fn a_url_less_mirror_timeout_closes_its_own_request_and_counts_as_a_fallback() {
    let log = r#"time="2025-03-01T10:00:00Z" level=debug msg="do request" request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-03-01T10:00:30Z" level=info msg="trying next host" error="failed to do request: Head \"https://mirror.gcr.io/v2/library/alpine/manifests/latest?ns=docker.io\": dial tcp 142.250.1.82:443: i/o timeout" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-03-01T10:00:30.1Z" level=debug msg="do request" request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-03-01T10:00:30.4Z" level=debug msg="fetch response received" response.header.docker-ratelimit-source=1.2.3.4 response.header.ratelimit-limit="100;w=21600" response.status="200 OK" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222"#;
    let m = model_with(log, MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap());
    let evs: Vec<&FetchEvent> = m.events().collect();
    assert_eq!(evs[0].lines[..], [1, 2]);
    assert!(evs[0].failed());
    assert_eq!(evs[0].host.as_deref(), Some("mirror.gcr.io"));
    assert_eq!(
        (evs[1].lines[..].to_vec(), evs[1].status),
        (vec![3, 4], Some(200))
    );
    let v = m.mirror_verdicts();
    assert_eq!((v[0].via_mirror, v[0].fallbacks), (0, 1), "{v:?}");
}

/// `trying next host` finds its pending request by a host named anywhere in the request's url
/// as logged (here the mirror's `ns=` query), not only by the request's host: the pending
/// request keeps only a hash of its url, so this reads the event's url.
#[test]
fn trying_next_host_finds_a_request_by_its_url_text() {
    let log = r#"time="2024-01-01T00:00:00.000Z" level=debug msg="do request" host="127.0.0.1:5001" request.method=GET url="http://127.0.0.1:5001/v2/library/alpine/blobs/sha256:aa?ns=docker.io"
time="2024-01-01T00:00:00.010Z" level=debug msg="do request" host="127.0.0.1:5002" request.method=GET url="http://127.0.0.1:5002/v2/o/r/blobs/sha256:bb"
time="2024-01-01T00:00:00.100Z" level=info msg="trying next host" error="failed to do request: EOF" host=docker.io
time="2024-01-01T00:00:00.200Z" level=debug msg="fetch response received" host="127.0.0.1:5002" response.status="200 OK" url="http://127.0.0.1:5002/v2/o/r/blobs/sha256:bb""#;
    let m = model_with(log, MirrorConfig::default());
    let failed: Vec<_> = m.events().filter(|e| e.error.is_some()).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].host.as_deref(), Some("127.0.0.1:5001"));
    assert_eq!(failed[0].lines[..], [1, 3]);
    let ok = m.events().find(|e| e.status == Some(200)).unwrap();
    assert_eq!(ok.lines[..], [2, 4]);
}

#[test]
fn normal_token_challenge_is_not_a_failure() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host=ghcr.io request.method=HEAD url="https://ghcr.io/v2/o/r/manifests/1"
time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host=ghcr.io response.header.www-authenticate="Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:o/r:pull\"" response.status="401 Unauthorized" url="https://ghcr.io/v2/o/r/manifests/1"
time="2024-01-01T00:00:00Z" level=debug msg=Unauthorized header="Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:o/r:pull\"" host=ghcr.io
time="2024-01-01T00:00:00Z" level=debug msg="do request" host=ghcr.io request.method=HEAD url="https://ghcr.io/v2/o/r/manifests/1"
time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host=ghcr.io response.status="200 OK" url="https://ghcr.io/v2/o/r/manifests/1""#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert!(s.auth_failures.is_empty(), "{:?}", s.auth_failures);
    assert_eq!(s.status_counts["401"], 1);
}

/// The daemon's `trying next host` and the client's `failed to solve` after it tell one token
/// failure: one finding, classified once, with the client's line as more evidence
/// (`model::repeat`).
#[test]
fn oauth_token_failure_is_classified_once_per_line() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host=ghcr.io request.method=HEAD url="https://ghcr.io/v2/o/r/manifests/1"
time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host=ghcr.io response.header.www-authenticate="Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\"" response.status="401 Unauthorized" url="https://ghcr.io/v2/o/r/manifests/1"
time="2024-01-01T00:00:00Z" level=info msg="trying next host" error="failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 401 Unauthorized" host=ghcr.io
ERROR: failed to solve: ghcr.io/o/r:1: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 401 Unauthorized"#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    let kinds: Vec<_> = s
        .auth_failures
        .iter()
        .map(|a| (a.line, a.kind, &*a.host))
        .collect();
    assert_eq!(kinds, [(3, "oauth-token", "ghcr.io")]);
    assert_eq!(s.auth_failures[0].also_lines, [4]);
    assert_eq!(
        s.auth_failures[0].realm.as_deref(),
        Some("https://ghcr.io/token")
    );
    assert_eq!(s.auth_failures[0].status, Some(401));
}

#[test]
fn basic_401_that_stays_is_a_failure() {
    let log = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="127.0.0.1:5002" request.method=HEAD url="http://127.0.0.1:5002/v2/x/manifests/1"
time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host="127.0.0.1:5002" response.header.www-authenticate="Basic realm=\"Registry Realm\"" response.status="401 Unauthorized" url="http://127.0.0.1:5002/v2/x/manifests/1""#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.auth_failures.len(), 1);
    assert_eq!(s.auth_failures[0].kind, "basic");
    assert_eq!(s.auth_failures[0].realm.as_deref(), Some("Registry Realm"));
}

#[test]
fn debug_off_log_gets_the_hint() {
    let log = "time=\"2024-01-01T00:00:00Z\" level=info msg=\"running server on /run/buildkit/buildkitd.sock\"\n";
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.hints[0].kind, "debug-off");
    assert!(s.hints[0].text.contains("debug = true"));
}

#[test]
fn secrets_never_reach_the_model() {
    let log = r#"time="2019-01-14T11:27:10.788539962+01:00" level=debug msg="do request" request.headers="map[Accept:[*/*] Authorization:[Bearer eyJhbGciOiJSUzI1NiJ9.secretpayload.sig] User-Agent:[docker/18.09.1]]" request.method=GET url="https://user:hunter2@registry.example.com/v2/a/manifests/b?token=abc123secret"
time="2019-01-14T11:27:10.9+01:00" level=info msg="trying next host" error="failed to do request: Get https://user:hunter2@registry.example.com/v2/: dial tcp: lookup registry.example.com: no such host""#;
    let m = model_with(log, MirrorConfig::default());
    let dump = format!(
        "{:?}{}",
        m.events().collect::<Vec<_>>(),
        serde_json::to_string(&Summary::from_model(&m)).unwrap()
    );
    for secret in ["hunter2", "secretpayload", "abc123secret"] {
        assert!(!dump.contains(secret), "{secret} leaked: {dump}");
    }
    let ev = m.events().next().unwrap();
    assert_eq!(ev.request_header("authorization"), Some("Bearer REDACTED"));
    assert_eq!(ev.host.as_deref(), Some("registry.example.com"));
    assert_eq!(
        ev.error.as_deref().map(|e| e.contains("no such host")),
        Some(true)
    );
    // --no-redact keeps them.
    let mut raw = Model::new(ModelOptions {
        redact: false,
        ..ModelOptions::default()
    });
    raw.ingest_text(0, log);
    assert!(format!("{:?}", raw.events().collect::<Vec<_>>()).contains("hunter2"));
}

#[test]
fn summary_mode_is_bounded() {
    let mut m = Model::new(ModelOptions {
        keep_events: false,
        ..ModelOptions::default()
    });
    let req = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host=h request.method=GET url="http://h/v2/a/blobs/sha256:1""#;
    let resp = r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host=h response.status="200 OK" response.header.content-length=10 url="http://h/v2/a/blobs/sha256:1""#;
    for i in 0..20_000u64 {
        m.ingest(0, 2 * i + 1, &crate::parse::parse_line(req));
        m.ingest(0, 2 * i + 2, &crate::parse::parse_line(resp));
    }
    assert_eq!(m.event_count(), 20_000);
    assert!(m.events().len() < 6_000);
    assert_eq!(m.stats().hosts["h"].bytes, 200_000);
}

#[test]
fn a_cap_on_kept_events_drops_the_oldest_completed_never_a_pending_one() {
    let mut m = Model::new(ModelOptions {
        max_events: Some(50),
        ..ModelOptions::default()
    });
    m.forget_completed_details();
    let line = |msg: &str, path: &str, extra: &str| {
        format!(
            r#"time="2024-01-01T00:00:00Z" level=debug msg="{msg}" host=h {extra} url="http://h/v2/a/blobs/sha256:{path}" traceID=b162d3040ddf86d6614e79c66a01a577 spanID=9460e5b6e64cec91"#
        )
    };
    let waiting = line("do request", "0", "request.method=GET");
    m.ingest(0, 1, &crate::parse::parse_line(&waiting));
    for i in 1..=300u64 {
        let path = i.to_string();
        let req = line("do request", &path, "request.method=GET");
        let resp = line(
            "fetch response received",
            &path,
            r#"response.status="200 OK""#,
        );
        m.ingest(0, 2 * i, &crate::parse::parse_line(&req));
        m.ingest(0, 2 * i + 1, &crate::parse::parse_line(&resp));
    }
    assert_eq!(m.event_count(), 301);
    assert_eq!(m.events().len(), 50);
    assert_eq!(m.evicted_count(), 251);
    assert!(m.event(0).is_some(), "a pending request is never dropped");
    let gone = m.take_evicted();
    assert_eq!(gone.len(), 251);
    assert!(gone.windows(2).all(|w| w[0].id < w[1].id));
    assert!(gone.iter().all(|g| m.event(g.id).is_none()));
    assert_eq!((gone[0].id, gone[0].lines.to_vec()), (1, vec![2, 3]));
    // The kept ones are the newest, unchanged, and the trace holds exactly them (the pending
    // request too: it is in its trace from its `do request` line on).
    let kept: Vec<usize> = m.events().map(|e| e.id).collect();
    assert_eq!(kept[0], 0);
    assert_eq!(kept[1..], (252..=300).collect::<Vec<_>>()[..]);
    let t = m.traces().get("b162d3040ddf86d6614e79c66a01a577").unwrap();
    assert_eq!(t.events, kept);
    assert_eq!(m.event(300).and_then(|e| e.status), Some(200));
    // Once answered (here: given up), the old request can go too.
    m.finish();
    m.ingest(0, 9999, &crate::parse::parse_line(&waiting));
    assert!(m.event(0).is_none());
    assert_eq!(m.evicted_count(), 252);
}

#[test]
fn public_issue_ci_log_with_prefixes_and_spans() {
    // See: moby/buildkit#3418 (tests/fixtures/SOURCES.md)
    let log = include_str!("../../tests/fixtures/public-issues/buildkit-3418-ci-sandbox.log");
    let m = model_with(log, MirrorConfig::default());
    assert_eq!((m.counts().records, m.counts().unparsed), (3, 0));
    let ev = m.events().next().unwrap();
    assert_eq!(ev.host.as_deref(), Some("localhost:34889"));
    assert_eq!(ev.mirror_of.as_deref(), Some("docker.io"));
    assert_eq!(ev.repository.as_deref(), Some("library/busybox"));
    assert_eq!(ev.span_id.as_deref(), Some("4f3aa339bc59d753"));
    assert_eq!(ev.server.as_deref(), Some("distribution"));
    let v = m.mirror_verdicts();
    assert_eq!(
        (v[0].mirror.as_str(), v[0].verdict),
        ("localhost:34889", Verdict::Used)
    );
    assert_eq!(m.traces().len(), 1);
}

#[test]
fn public_issue_wrapped_line_parses_as_far_as_it_goes() {
    // See: moby/buildkit#2730 (tests/fixtures/SOURCES.md)
    let log = include_str!("../../tests/fixtures/public-issues/buildkit-2730-wrapped.log");
    let m = model_with(log, MirrorConfig::default());
    let c = m.counts();
    assert_eq!((c.lines, c.records, c.unparsed, c.damaged), (2, 1, 1, 1));
    let ev = m.events().next().unwrap();
    assert_eq!(ev.status, Some(200));
    assert_eq!(ev.server.as_deref(), Some("docker-hub"));
    assert_eq!(ev.host.as_deref(), Some("registry-1.docker.io"));
    assert_eq!(ev.size, Some(525));
    assert_eq!(
        ev.trace_id.as_deref(),
        Some("a75aeb14789018fac284c5341a2132bd")
    );
}

/// BuildKit ≥ v0.16 inside a `resolving` span: no url, no host; pairing by spanID order and the
/// registry from the span's ref (format per ../shared/log-catalog.md §1, "field-loss gotcha").
#[test]
fn modern_span_lines_without_url_pair_by_span_order() {
    let log = r#"time="2025-06-01T10:00:00Z" level=debug msg="do request" request.header.user-agent=buildkit/v0.26 request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
time="2025-06-01T10:00:00Z" level=debug msg="do request" request.method=HEAD span="resolving ghcr.io/o/r:1" spanID=2222222222222222 traceID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
time="2025-06-01T10:00:01Z" level=debug msg="fetch response received" response.header.www-authenticate="Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\"" response.status="401 Unauthorized" span="resolving ghcr.io/o/r:1" spanID=2222222222222222 traceID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
time="2025-06-01T10:00:02Z" level=debug msg="fetch response received" response.header.docker-ratelimit-source=x response.status="200 OK" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
time="2025-06-01T10:00:03Z" level=info msg="fetch failed after status: 404 Not Found" spanID=2222222222222222 traceID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"#;
    let m = model_with(log, MirrorConfig::default());
    let evs: Vec<_> = m.events().collect();
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[0].lines[..], [1, 4]);
    assert_eq!(evs[0].registry.as_deref(), Some("docker.io"));
    assert_eq!(evs[0].duration_ms(), Some(2000));
    assert_eq!(evs[0].server.as_deref(), Some("docker-hub"));
    assert_eq!(evs[1].lines[..], [2, 3, 5]);
    assert_eq!(evs[1].registry.as_deref(), Some("ghcr.io"));
    assert_eq!(evs[1].host, None);
    assert_eq!(
        evs[1].challenge.as_ref().and_then(|c| c.realm.as_deref()),
        Some("https://ghcr.io/token")
    );
    let t = m.traces().get("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap();
    assert_eq!(t.spans.len(), 2);
    // The 401 was never overcome on that span: the pull ended there.
    let s = Summary::from_model(&m);
    assert_eq!(s.auth_failures.len(), 1, "{:?}", s.auth_failures);
    assert_eq!(
        s.auth_failures[0].realm.as_deref(),
        Some("https://ghcr.io/token")
    );
}

/// containerd ≥ 2.3 sanitises urls (`REDACTED` query values except `ns`) and says `fetch failed`.
#[test]
fn containerd_2_sanitised_urls_and_fetch_failed() {
    let log = r#"time="2026-01-01T00:00:00Z" level=debug msg="do request" host=registry-1.docker.io request.method=GET url="https://registry-1.docker.io/v2/library/alpine/blobs/sha256:ab?X-Amz-Signature=REDACTED&ns=docker.io"
time="2026-01-01T00:00:01Z" level=info msg="fetch failed" error="failed to do request: Get \"https://registry-1.docker.io/v2/library/alpine/blobs/sha256:ab\": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: server misbehaving" host=registry-1.docker.io"#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.errors.len(), 1);
    assert_eq!(
        (s.errors[0].kind, &*s.errors[0].host),
        ("dns", "registry-1.docker.io")
    );
    assert_eq!(s.hosts[0].errors, 1);
}

#[test]
fn resolving_fetch_and_resolved_lines_join_their_events() {
    let log = include_str!("../../tests/fixtures/dockerd-20.10/plain_pull.log");
    let m = model_with(log, MirrorConfig::default());
    let text: Vec<&str> = log.lines().collect();
    let msg_of = |n: u64| text[n as usize - 1];
    for ev in m.events() {
        let msgs: Vec<&str> = ev.lines.iter().map(|&n| msg_of(n)).collect();
        assert!(
            msgs.iter().any(|l| l.contains("msg=\"do request\"")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|l| l.contains("msg=\"fetch response received\""))
        );
        assert!(ev.lines.windows(2).all(|w| w[0] < w[1]));
        if ev.method.as_deref() == Some("HEAD") {
            assert!(msgs[0].contains("msg=resolving"), "{msgs:?}");
            assert!(msgs.last().unwrap().contains("msg=resolved"), "{msgs:?}");
        }
        if ev.method.as_deref() == Some("GET") && ev.media_type.is_some() {
            assert!(
                msgs[0].contains("msg=fetch "),
                "the handler's fetch line comes first: {msgs:?}"
            );
        }
    }
}

/// A `fetch` line for content already in the store announces no request: a pull of the same
/// digest a minute later (demo.log, lines 30 and 35, then 176) does not take it as its own.
#[test]
fn a_stale_fetch_line_is_not_claimed_by_a_later_request() {
    let log = include_str!("../../tests/fixtures/sample/demo.log");
    let m = model_with(log, MirrorConfig::default());
    let text: Vec<&str> = log.lines().collect();
    let late = m
        .events()
        .find(|e| e.lines.contains(&176))
        .expect("the request of line 176");
    assert_eq!(late.lines[..], [175, 176, 177]);
    assert!(text[174].contains("msg=fetch "), "{}", text[174]);
    assert!(
        m.events()
            .all(|e| !e.lines.contains(&30) && !e.lines.contains(&35))
    );
}

#[test]
fn capped_follow_keeps_the_newest_findings_not_the_first() {
    // The real 429 capture, appended to itself many times: a long follow of a failing build.
    let one = include_str!("../../tests/fixtures/dockerd-20.10/rate_limited_429.log");
    let text = one.repeat(300);
    let mut m = Model::new(ModelOptions {
        keep_events: true,
        max_events: Some(100),
        ..ModelOptions::default()
    });
    m.ingest_text(0, &text);
    let findings = m.findings();
    let total = m.counts().auth_failures + m.counts().errors;
    assert!(total > 1000, "{total} findings in all");
    assert!(
        findings.len() < 1000,
        "{} findings kept with 100 events kept",
        findings.len()
    );
    // The newest failure is among them (findings of dropped events go in batches).
    let last_line = text.lines().count() as u64;
    let newest = findings.iter().map(|f| f.line).max().unwrap_or(0);
    assert!(
        newest + one.lines().count() as u64 > last_line,
        "newest finding on line {newest} of {last_line}"
    );
}

/// A lean headless model keeps the values of the headers something reads (sizes, rate limits,
/// challenges, agents, fingerprints by value) and only the names of those fingerprinted by
/// name; the explorer's lean model keeps every kept header's value (it may show them).
#[test]
fn lean_headless_models_keep_names_only_where_values_are_unread() {
    let bare = |keep_events: bool| {
        let mut m = Model::new(ModelOptions {
            keep_events,
            ..ModelOptions::default()
        });
        m.forget_completed_details();
        let f = m.lean_headers.clone().unwrap();
        [
            "x-goog-hash",
            "server",
            "content-length",
            "www-authenticate",
            "accept",
        ]
        .map(|n| f.find(n).and_then(|i| f.bare.get(i).copied()))
    };
    assert_eq!(
        bare(false),
        [
            Some(true),
            Some(false),
            Some(false),
            Some(false),
            Some(false)
        ]
    );
    assert_eq!(bare(true), [Some(false); 5]);
}

/// A lean model keeps the header lists of completed events for reuse, but not one that holds a
/// huge value: memory stays bounded whatever a line carries.
#[test]
fn spare_header_lists_are_bounded_and_hold_no_huge_value() {
    let mut m = Model::new(ModelOptions {
        keep_events: false,
        ..ModelOptions::default()
    });
    m.forget_completed_details();
    let huge = "a".repeat(64 * 1024);
    for i in 0..40 {
        let agent = if i % 2 == 0 { "containerd/1.7" } else { &huge };
        let url = format!("https://reg.example/v2/x/blobs/sha256:{i:064x}");
        m.ingest_text(
            0,
            &format!(
                "time=\"2024-01-01T00:00:00Z\" level=debug msg=\"do request\" request.header.user-agent=\"{agent}\" request.method=GET url=\"{url}\"\n\
                 time=\"2024-01-01T00:00:01Z\" level=debug msg=\"fetch response received\" response.header.content-length=10 response.status=\"200 OK\" url=\"{url}\"\n"
            ),
        );
    }
    assert!(!m.spare_headers.is_empty(), "no list was kept for reuse");
    assert!(m.spare_headers.len() <= SPARE_HEADER_LISTS);
    for list in &m.spare_headers {
        for h in list {
            assert!(
                h.value.capacity() <= SPARE_VALUE_BYTES,
                "{}",
                h.value.capacity()
            );
        }
    }
    assert_eq!(m.counts().requests, 40);
    assert_eq!(m.stats().hosts.len(), 1);
}

/// Basic auth works like token auth: the first request of a path is challenged (401 Basic)
/// and sent again with the credentials. A mirror behind basic auth (captured from a real
/// dockerd through a pull-through registry with htpasswd) is used, its challenge no fallback
/// and no error; with wrong credentials every retry is refused, and each refusal counts.
#[test]
fn a_basic_challenge_is_the_first_step_and_each_refused_retry_a_failure() {
    let log = include_str!("../../tests/fixtures/dockerd-20.10/mirror_basic_auth_ok.log");
    let m = model_with(log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    let v = &s.mirrors[0];
    assert_eq!(
        (v.verdict, v.via_mirror, v.fallbacks, v.direct),
        (Verdict::Used, 4, 0, 0),
        "{v:?}"
    );
    assert!(s.auth_failures.is_empty() && s.errors.is_empty(), "{s:?}");
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (5, 0));
    let challenged: Vec<_> = m.events().filter(|e| e.status == Some(401)).collect();
    assert_eq!(challenged.len(), 1);
    assert!(challenged[0].is_challenge() && !challenged[0].failed());

    let log = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_bad_creds.log");
    let m = model_with(log, MirrorConfig::default());
    let refused: Vec<bool> = m
        .events()
        .filter(|e| e.status == Some(401))
        .map(|e| e.retry_refused)
        .collect();
    assert_eq!(refused, [false, true, true, true, true, true]);
    // Each refusal's event keeps its mark, whether or not its finding is kept (the explorer
    // lets the oldest go past MAX_FINDINGS).
    let marked: Vec<bool> = m
        .events()
        .filter(|e| e.status == Some(401))
        .map(|e| e.auth_failed)
        .collect();
    assert_eq!(marked, refused);
    let s = Summary::from_model(&m);
    assert_eq!(s.auth_failures.len(), 5, "{:?}", s.auth_failures);
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (6, 5));

    // A mirror behind basic auth without a login: containerd asks the upstream next, silently.
    // Each challenge is then a fallback and the mirror's error, counted once, with no bytes.
    let log = include_str!("../../tests/fixtures/dockerd-20.10/mirror_basic_auth_no_creds.log");
    let m = model_with(log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    let v = &s.mirrors[0];
    assert_eq!(
        (v.verdict, v.via_mirror, v.fallbacks, v.direct),
        (Verdict::Unused, 0, 4, 4),
        "{v:?}"
    );
    // Each fallback is cited by the upstream's request that proves it, and names the 401.
    let fallbacks: Vec<(u64, Option<u64>)> = v
        .evidence
        .iter()
        .filter(|e| e.why.starts_with("mirror failed"))
        .map(|e| (e.line, e.answer_line))
        .collect();
    assert_eq!(
        fallbacks,
        [
            (25, Some(22)),
            (32, Some(30)),
            (38, Some(36)),
            (50, Some(48))
        ]
    );
    assert!(
        v.evidence
            .iter()
            .filter(|e| e.why.starts_with("direct"))
            .all(|e| e.answer_line.is_none())
    );
    let mirror = s.hosts.iter().find(|h| h.host == "127.0.0.1:5001");
    assert_eq!(
        mirror.map(|h| (h.requests, h.errors, h.bytes)),
        Some((4, 4, 0))
    );
    assert_eq!(s.auth_failures.len(), 4, "{:?}", s.auth_failures);
    assert!(
        m.events()
            .filter(|e| e.status == Some(401))
            .all(FetchEvent::failed)
    );

    // Without credentials nothing answers the challenge: an auth failure, and its host's error.
    let log = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_401.log");
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.auth_failures.len(), 1);
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (1, 1));
}

/// A failed pull, then a new pull of the same image on the same host after a login (the real
/// captures basic_auth_401 and basic_auth_ok one after the other): the second pull's challenge
/// follows its own `resolving` line, so it is a fresh challenge, not the refused retry of the
/// first one, and its success does not overcome the first pull's 401, which nothing retried.
/// The same with the two captures as two sources. Either way, what each capture alone says.
#[test]
fn a_new_pull_after_a_failed_one_is_a_fresh_challenge_not_a_refused_retry() {
    let failed = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_401.log");
    let ok = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_ok.log");
    let check = |m: &Model| {
        let s = Summary::from_model(m);
        let got: Vec<_> = s
            .auth_failures
            .iter()
            .map(|f| (f.source, f.line, f.kind))
            .collect();
        assert_eq!(got, [(0, 22, "basic")], "{:?}", s.auth_failures);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (6, 1));
        assert!(m.events().all(|e| !e.retry_refused));
        let first = m.event(0).unwrap();
        assert_eq!(first.status, Some(401));
        assert!(first.is_challenge() && first.first_attempt);
        assert_eq!(m.unanswered_challenge_events().collect::<Vec<_>>(), [0]);
    };
    check(&model_with(
        &format!("{failed}{ok}"),
        MirrorConfig::default(),
    ));
    let mut m = Model::new(ModelOptions::default());
    m.ingest_text(0, failed);
    m.ingest_text(1, ok);
    check(&m);

    // The other way round: the pull that worked, then the one without credentials. Only the
    // second pull's challenge is a failure (the first's retry got past its own).
    let s = Summary::from_model(&model_with(
        &format!("{ok}{failed}"),
        MirrorConfig::default(),
    ));
    let ok_lines = ok.lines().count() as u64;
    let got: Vec<_> = s.auth_failures.iter().map(|f| f.line).collect();
    assert_eq!(got, [ok_lines + 22], "{:?}", s.auth_failures);
}

/// Where the log has no `resolving` line, a retry is still told from a new pull: a 401 on the
/// same host and path in another span (BuildKit logs `spanID` with the host) or long after the
/// first is a challenge of its own; in the same span, soon after, it is a refused retry.
#[test]
fn a_401_in_another_span_or_long_after_is_no_refused_retry() {
    let pair = |t: &str, span: &str| {
        let span = if span.is_empty() {
            String::new()
        } else {
            format!(" spanID={span}")
        };
        format!(
            r#"time="2024-05-01T10:{t}Z" level=debug msg="do request" host=r.example request.method=HEAD{span} url="https://r.example/v2/a/manifests/1"
time="2024-05-01T10:{t}1Z" level=debug msg="fetch response received" host=r.example response.header.www-authenticate="Basic realm=\"r\"" response.status="401 Unauthorized"{span} url="https://r.example/v2/a/manifests/1""#
        )
    };
    let refused = |log: String| {
        let m = model_with(&log, MirrorConfig::default());
        let s = Summary::from_model(&m);
        let refused: Vec<bool> = m.events().map(|e| e.retry_refused).collect();
        (refused, s.auth_failures.len())
    };
    // Same span, 0.5 s later: refused again (one finding for the refusal, the first challenge
    // is not counted again).
    let same = format!("{}\n{}", pair("00:00.0", "aaaa"), pair("00:00.5", "aaaa"));
    assert_eq!(refused(same), (vec![false, true], 1));
    // Another span: two pulls, each challenged, neither retried.
    let other = format!("{}\n{}", pair("00:00.0", "aaaa"), pair("00:00.5", "bbbb"));
    assert_eq!(refused(other), (vec![false, false], 2));
    // No spans, a minute apart: two challenges.
    let late = format!("{}\n{}", pair("00:00.0", ""), pair("01:00.0", ""));
    assert_eq!(refused(late), (vec![false, false], 2));
    // No spans, soon after: refused.
    let soon = format!("{}\n{}", pair("00:00.0", ""), pair("00:00.5", ""));
    assert_eq!(refused(soon), (vec![false, true], 1));
}

/// A failure names its trace (the line's `traceID`, else its request's), so a summary leads to
/// every request of that build step; a log without ids gives none.
#[test]
fn a_finding_names_its_trace() {
    use crate::test_support::{TRACED_TRACE, traced_oauth};
    let s = Summary::from_model(&model_with(
        &traced_oauth().join("\n"),
        MirrorConfig::default(),
    ));
    assert_eq!(s.auth_failures.len(), 1, "{:?}", s.auth_failures);
    assert_eq!(s.auth_failures[0].trace_id.as_deref(), Some(TRACED_TRACE));
    // The same failure from a log without ids.
    let log = include_str!("../../tests/fixtures/dockerd-20.10/oauth_token_401.log");
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(s.auth_failures[0].trace_id, None);
    // A finding on a response (a 401 nothing overcame) takes its request's trace.
    let log = r#"time="2025-01-01T00:00:00Z" level=debug msg="do request" request.method=HEAD span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222
time="2025-01-01T00:00:01Z" level=debug msg="fetch response received" response.header.www-authenticate="Basic realm=\"r\"" response.status="401 Unauthorized" span="resolving docker.io/library/alpine:latest" spanID=1111111111111111 traceID=22222222222222222222222222222222"#;
    let s = Summary::from_model(&model_with(log, MirrorConfig::default()));
    assert_eq!(
        s.auth_failures[0].trace_id.as_deref(),
        Some("22222222222222222222222222222222")
    );
}

/// Docker Hub's "pull access denied" (real capture): the refused retry is a finding as soon as
/// its 401 comes; containerd's explanation two lines later takes its place, so a live follow
/// shows one failure before and after, in the end told in containerd's words.
#[test]
fn a_refusal_and_its_explanation_are_one_failure_as_lines_arrive() {
    let log = include_str!("../../tests/fixtures/dockerd-20.10/insufficient_scope.log");
    let lines: Vec<&str> = log.lines().collect();
    let explained = lines
        .iter()
        .position(|l| l.contains("msg=\"trying next host\"") && l.contains("insufficient_scope"))
        .expect("the capture has containerd's explanation");
    let mut m = Model::new(ModelOptions::default());
    feed(&mut m, &lines[..explained], 1);
    let before = m.findings();
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(
        &*before[0].text,
        "the retry with credentials was refused again (401)"
    );
    assert_eq!(m.counts().auth_failures, 1);
    feed(&mut m, &lines[explained..], explained as u64 + 1);
    let after = m.findings();
    assert_eq!(after.len(), 1, "{after:?}");
    let f = &after[0];
    assert_eq!(f.line, explained as u64 + 1);
    assert!(f.text.contains("pull access denied"), "{}", f.text);
    assert_eq!(f.kind, FindingKind::Auth(auth::AuthKind::InsufficientScope));
    assert_eq!((f.status, f.event), (Some(401), before[0].event));
    assert!(f.realm.as_deref().is_some_and(|r| r.ends_with("/token")));
    assert_eq!(m.counts().auth_failures, 1);
}

/// The client's error of setup-buildx-action#232 names a HEAD to registry-1.docker.io with the
/// seed's mirror.gcr.io configured: a request to the upstream no event accounts for, so the
/// verdict is `unused` with that line as its evidence, not `unknown` with none.
#[test]
fn a_request_to_the_upstream_named_only_in_an_error_is_direct() {
    let log = include_str!(
        "../../tests/fixtures/public-issues/setup-buildx-action-232-mirror-ignored.log"
    );
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let v = model_with(log, cfg.clone()).mirror_verdicts();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].fallbacks, v[0].verdict),
        (0, 1, 0, Verdict::Unused),
        "{v:?}"
    );
    assert_eq!(v[0].evidence.len(), 1);
    assert_eq!(v[0].evidence[0].line, 1);
    let why = &v[0].evidence[0].why;
    assert!(
        why.starts_with("direct to the upstream: HEAD manifest to registry-1.docker.io")
            && why.contains("/v2/library/centos/manifests/8.3.2011")
            && why.ends_with("i/o timeout"),
        "{why}"
    );
    // Without a mirror configured or seen, a direct request proves nothing about one.
    assert!(
        model_with(log, MirrorConfig::default())
            .mirror_verdicts()
            .is_empty()
    );
}

/// An info-level log has no `do request` lines: the `trying next host` errors of the real
/// mirror_fallback.log are all that is left, and they say what its events say (the mirror
/// failed, the upstream was tried), in either order of the lines.
#[test]
fn trying_next_host_without_events_counts_as_the_events_would() {
    let full = include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let tally = |log: &str| {
        model_with(log, MirrorConfig::default())
            .mirror_verdicts()
            .iter()
            .map(|v| {
                (
                    v.mirror.clone(),
                    v.via_mirror,
                    v.direct,
                    v.fallbacks,
                    v.verdict,
                )
            })
            .collect::<Vec<_>>()
    };
    let expected = vec![("127.0.0.1:5001".to_owned(), 0, 1, 1, Verdict::Unused)];
    assert_eq!(tally(full), expected);
    let info: Vec<&str> = full
        .lines()
        .filter(|l| !l.contains("level=debug"))
        .collect();
    assert_eq!(
        info.iter()
            .filter(|l| l.contains("trying next host"))
            .count(),
        2
    );
    assert_eq!(tally(&info.join("\n")), expected);
    let reversed: Vec<&str> = info.iter().rev().copied().collect();
    assert_eq!(tally(&reversed.join("\n")), expected);
    let v = model_with(&info.join("\n"), MirrorConfig::default()).mirror_verdicts();
    assert!(
        v[0].evidence[0].why.starts_with(
            "mirror failed, next host tried: HEAD manifest to 127.0.0.1:5001 with ns=docker.io"
        ),
        "{v:?}"
    );
}

/// containerd's info-level word on a host's answer, with no `do request` line in the log: the
/// real mirror_miss_fallback.log's info lines (1.6's `trying next host - response was
/// http.StatusNotFound host=…`), and the same line in containerd 2.3+'s words (`trying next
/// host after status: 404 Not Found` with `host`, `method` and `url` from the resolve's
/// context, core/remotes/docker/resolver.go at 301026e): the mirror answered 404 and the next
/// host was tried, a fallback. A host alone says whose mirror only through the config; the
/// url's `ns=` says it itself. No finding: containerd went on to the next host.
#[test]
fn a_status_line_without_events_is_a_fallback() {
    let full = include_str!("../../tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log");
    let info: Vec<&str> = full
        .lines()
        .filter(|l| !l.contains("level=debug"))
        .collect();
    let cfg = MirrorConfig::from_daemon_json(r#"{"registry-mirrors": ["http://127.0.0.1:5001"]}"#)
        .unwrap();
    let tally = |m: &Model| {
        m.mirror_verdicts()
            .iter()
            .map(|v| (v.mirror.clone(), v.via_mirror, v.fallbacks, v.verdict))
            .collect::<Vec<_>>()
    };
    let one_fallback = vec![("127.0.0.1:5001".to_owned(), 0, 1, Verdict::Unused)];
    let m = model_with(&info.join("\n"), cfg.clone());
    assert_eq!(tally(&m), one_fallback);
    let v = m.mirror_verdicts();
    let at = info.iter().position(|l| l.contains("trying next host"));
    assert_eq!(Some(v[0].evidence[0].line as usize), at.map(|i| i + 1));
    assert_eq!(
        v[0].evidence[0].why,
        "mirror failed, next host tried: a request to 127.0.0.1:5001, url not logged: trying \
next host - response was http.StatusNotFound"
    );
    assert!(Summary::from_model(&m).errors.is_empty());
    // Without the config, a host alone names no upstream.
    assert!(
        model_with(&info.join("\n"), MirrorConfig::default())
            .mirror_verdicts()
            .is_empty()
    );

    let modern: Vec<String> = info
        .iter()
        .map(|l| {
            l.replace(
                "msg=\"trying next host - response was http.StatusNotFound\" host=\"127.0.0.1:5001\"",
                "msg=\"trying next host after status: 404 Not Found\" host=\"127.0.0.1:5001\" \
method=HEAD url=\"http://127.0.0.1:5001/v2/library/busybox/manifests/latest?ns=docker.io\"",
            )
        })
        .collect();
    assert_ne!(modern, info);
    let m = model_with(&modern.join("\n"), MirrorConfig::default());
    assert_eq!(tally(&m), one_fallback);
    assert!(
        m.mirror_verdicts()[0].evidence[0].why.starts_with(
            "mirror failed, next host tried: HEAD manifest to 127.0.0.1:5001 with ns=docker.io \
(http://127.0.0.1:5001/v2/library/busybox/manifests/latest?ns=docker.io), named only in a \
status line: trying next host after status: 404 Not Found"
        ),
        "{:?}",
        m.mirror_verdicts()
    );
    assert!(Summary::from_model(&m).errors.is_empty());

    // With the debug lines, the event has the answer: the status line adds nothing.
    let full_modern = full.replace(
        "msg=\"trying next host - response was http.StatusNotFound\" host=\"127.0.0.1:5001\"",
        "msg=\"trying next host after status: 404 Not Found\" host=\"127.0.0.1:5001\" \
method=HEAD url=\"http://127.0.0.1:5001/v2/library/busybox/manifests/latest?ns=docker.io\"",
    );
    assert_ne!(full_modern, full);
    let debug = tally(&model_with(full, cfg.clone()));
    assert_eq!(tally(&model_with(&full_modern, cfg.clone())), debug);
    assert_eq!(
        tally(&model_with(&full_modern, MirrorConfig::default())),
        debug
    );
}

/// The last host's answer (`fetch failed after status: 401 Unauthorized`, containerd 2.x at
/// info level) is the pull's failure: an auth failure on that host, which `--fail-on auth`
/// fails on, and a direct pull of the upstream.
#[test]
fn the_last_hosts_status_line_is_a_failure() {
    let log = r#"time="2026-01-01T00:00:00Z" level=info msg="fetch failed after status: 401 Unauthorized" host=registry-1.docker.io method=HEAD url="https://registry-1.docker.io/v2/library/busybox/manifests/1.37"
time="2026-01-01T00:00:01Z" level=info msg="fetch failed after status: 404 Not Found" host=ghcr.io"#;
    let m = model_with(log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    assert_eq!(s.auth_failures.len(), 1, "{:?}", s.auth_failures);
    let a = &s.auth_failures[0];
    assert_eq!(
        (a.line, a.status, &*a.host),
        (1, Some(401), "registry-1.docker.io")
    );
    assert!(
        a.text.ends_with(
            "401 Unauthorized: HEAD https://registry-1.docker.io/v2/library/busybox/manifests/1.37"
        ),
        "{}",
        a.text
    );
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(
        (s.errors[0].kind, &*s.errors[0].host, s.errors[0].line),
        ("not-found", "ghcr.io", 2)
    );
    let v = m.mirror_verdicts();
    assert!(v.is_empty(), "the upstream alone is no mirror: {v:?}");
}

/// A text that repeats what an event already holds counts once: `trying next host` closing a
/// logged request, the client's error pasted after (or before) the daemon's log, a daemon's
/// `level=error` line naming the same url, and two texts naming one url.
#[test]
fn a_text_that_repeats_an_event_is_not_counted_again() {
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let tally = |log: &str| {
        model_with(log, cfg.clone())
            .mirror_verdicts()
            .iter()
            .map(|v| (v.mirror.clone(), v.via_mirror, v.direct, v.fallbacks))
            .collect::<Vec<_>>()
    };
    for (log, client) in [
        (
            include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log"),
            include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.client.txt"),
        ),
        (
            include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback_ok.log"),
            include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback_ok.client.txt"),
        ),
        (
            include_str!("../../tests/fixtures/dockerd-20.10/unknown_ca.log"),
            include_str!("../../tests/fixtures/dockerd-20.10/unknown_ca.client.txt"),
        ),
    ] {
        let alone = tally(log);
        assert_eq!(tally(&format!("{log}\n{client}")), alone);
        assert_eq!(tally(&format!("{client}\n{log}")), alone);
    }
    // The upstream's HEAD of mirror_fallback.log, named again by a daemon error line and by a
    // client line: its event counts, the texts do not.
    let log = include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let again = r#"time="2026-11-24T13:08:42Z" level=error msg="/moby.buildkit.v1.Control/Solve returned error: rpc error: code = Unknown desc = failed to do request: Head \"https://registry-1.docker.io/v2/library/alpine/manifests/latest\": dial tcp 127.0.0.3:443: connect: connection refused"
ERROR: failed to solve: alpine: failed to do request: Head "https://registry-1.docker.io/v2/library/alpine/manifests/latest": dial tcp 127.0.0.3:443: connect: connection refused"#;
    assert_eq!(tally(&format!("{log}\n{again}")), tally(log));
    // Two texts naming one url no event has: one request.
    let twice = format!(
        "{}\n{}",
        again.lines().next().unwrap_or(""),
        again.lines().nth(1).unwrap_or("")
    );
    assert_eq!(tally(&twice), vec![("mirror.gcr.io".to_owned(), 0, 1, 0)]);
}

/// A push goes to the upstream whatever the mirrors, and a token or `/v2/` url is no pull: an
/// error naming one is no evidence about a mirror.
#[test]
fn a_push_or_token_error_is_no_mirror_evidence() {
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    for text in [
        r#"ERROR: failed to solve: failed to push docker.io/me/app:1: failed to do request: Head "https://registry-1.docker.io/v2/me/app/blobs/sha256:aa": i/o timeout"#,
        "ERROR: failed to solve: alpine: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.docker.io/token?scope=repository%3Alibrary%2Falpine%3Apull&service=registry.docker.io: 503 Service Unavailable",
        r#"ERROR: failed to solve: alpine: failed to do request: Head "https://registry-1.docker.io/v2/": i/o timeout"#,
    ] {
        let v = model_with(text, cfg.clone()).mirror_verdicts();
        assert_eq!(
            (v[0].direct, v[0].fallbacks, v[0].verdict),
            (0, 0, Verdict::Unknown),
            "{text}"
        );
    }
}

/// A url-less response (BuildKit >= v0.16, the seed's shape) answered by Cloudflare: the
/// header set is a real one (moby/buildkit#1227, a Docker Hub layer served from
/// production.cloudflare.docker.com, url dropped as such logs drop it). Cloudflare fronts
/// Docker Hub's blobs and many self-hosted mirrors, so with mirror.example.com configured it
/// proves neither: `unknown`, no evidence (it read UNUSED, "the upstream's own server").
/// Docker Hub's own headers on the same shape still prove a direct pull.
const CLOUDFLARE_URLLESS: &str = r#"time="2019-10-27T15:20:50Z" level=debug msg="do request" request.header.accept="application/vnd.docker.image.rootfs.diff.tar.gzip, */*" request.header.user-agent=containerd/1.7.13 request.method=GET spanID=52c5a81a0fb2e00b traceID=89d9c30c1d48bac627e5c6cb0d1ed1ee
time="2019-10-27T15:20:54Z" level=debug msg="fetch response received" response.header.accept-ranges=bytes response.header.age=509991 response.header.cache-control="public, max-age=14400" response.header.cf-cache-status=HIT response.header.cf-ray=52c5a81a0fb2e00b-FRA response.header.content-length=2787134 response.header.content-type=application/octet-stream response.header.date="Sun, 27 Oct 2019 15:20:54 GMT" response.header.etag="\"f7ba517d3c317c56c7610139b971709b\"" response.header.expires="Sun, 27 Oct 2019 19:20:54 GMT" response.header.last-modified="Mon, 21 Oct 2019 17:22:48 GMT" response.header.server=cloudflare response.header.vary=Accept-Encoding response.header.x-amz-id-2="Dt2czhGSrSTFBLRkRxc/rfqoVR1CpXLsmI2rUUQEkYqU0Ytlda7+Li5LU2uYmLIv1mEoqlMOxBM=" response.header.x-amz-request-id=16759AB27ABCF9FC response.status="200 OK" spanID=52c5a81a0fb2e00b traceID=89d9c30c1d48bac627e5c6cb0d1ed1ee"#;

#[test]
fn a_cloudflare_answer_without_a_url_proves_no_mirror_and_no_upstream() {
    let cfg = MirrorConfig::from_buildkitd_toml(
        "[registry.\"docker.io\"]\n  mirrors = [\"mirror.example.com\"]\n",
    )
    .unwrap();
    let m = model_with(CLOUDFLARE_URLLESS, cfg.clone());
    let ev = m.events().next().unwrap();
    assert_eq!((ev.host.as_deref(), ev.url.as_deref()), (None, None));
    assert_eq!(ev.server.as_deref(), Some("cloudflare"));
    let v = m.mirror_verdicts();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].mirror, "mirror.example.com");
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].fallbacks, v[0].verdict),
        (0, 0, 0, Verdict::Unknown),
        "{v:?}"
    );
    assert!(v[0].evidence.is_empty(), "{v:?}");
    // Docker Hub's own answer (its rate-limit headers) on the same shape is the upstream's.
    let hub = CLOUDFLARE_URLLESS.replace(
        "response.header.server=cloudflare",
        "response.header.docker-ratelimit-source=52.191.252.221",
    );
    let hub = hub.replace("response.header.cf-ray=52c5a81a0fb2e00b-FRA ", "");
    let v = model_with(&hub, cfg).mirror_verdicts();
    assert_eq!(
        (v[0].via_mirror, v[0].direct, v[0].verdict),
        (0, 1, Verdict::Unused),
        "{v:?}"
    );
    assert!(
        v[0].evidence[0].why.contains("served by docker-hub"),
        "{v:?}"
    );
}

const UNKNOWN_CA: &str = include_str!("../../tests/fixtures/dockerd-20.10/unknown_ca.log");
const MIRROR_FALLBACK_OK: &str =
    include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback_ok.log");

/// The first `n` lines of a real capture: the log as saved while its last request was in
/// flight (or as a containerd 1.6 daemon leaves it when the fetch's transport fails).
fn cut_after(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// The real `not_found_404.log` cut inside its response line, before `response.status` (a
/// log cut to a size): the answer is unknown, a `no-response` error on the response's line,
/// so `--fail-on errors` holds (a review: it said ✅ and exited 0, where the log cut one line
/// earlier said `no-response`); the whole line gives the 404 as before.
#[test]
fn a_response_line_cut_before_its_status_is_a_failure() {
    let full = include_str!("../../tests/fixtures/dockerd-20.10/not_found_404.log");
    let at = full
        .lines()
        .position(|l| l.contains("fetch response received"))
        .unwrap_or(0);
    let line = full.lines().nth(at).unwrap_or_default();
    let cut_at = line.find(" response.status=").unwrap_or(line.len());
    let cut = format!("{}\n{}", cut_after(full, at), &line[..cut_at]);
    let mut m = model_with(&cut, MirrorConfig::default());
    m.finish();
    let s = Summary::from_model(&m);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    let e = &s.errors[0];
    assert_eq!((e.line, e.kind), (at as u64 + 1, "no-response"));
    assert!(e.text.ends_with("its response line has no status: the line was cut before response.status, so what the registry answered is not in the log"), "{}", e.text);
    let mut whole = model_with(&cut_after(full, at + 1), MirrorConfig::default());
    whole.finish();
    let s = Summary::from_model(&whole);
    assert_eq!(
        s.errors.iter().map(|e| e.kind).collect::<Vec<_>>(),
        ["not-found"]
    );
}

/// `unknown_ca.log` cut after its `do request` (line 21): the x509 error of line 22 is what
/// the client alone would see. At `finish` the request is a failed fetch of its host and an
/// error finding of kind `no-response`, so `--fail-on errors` holds; the host's count and the
/// listed errors agree.
#[test]
fn a_request_left_unanswered_at_the_end_is_a_no_response_error() {
    let mut m = model_with(&cut_after(UNKNOWN_CA, 21), MirrorConfig::default());
    assert!(m.findings().is_empty(), "nothing failed before the end");
    m.finish();
    let s = Summary::from_model(&m);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    let e = &s.errors[0];
    assert_eq!(
        (e.line, e.kind, &*e.host),
        (21, "no-response", "tls.bkscope.test")
    );
    assert!(
        e.text.starts_with(
            "HEAD https://tls.bkscope.test/v2/library/alpine/manifests/latest: no response logged before the input ended"
        ),
        "{}",
        e.text
    );
    let h = s
        .hosts
        .iter()
        .find(|h| h.host == "tls.bkscope.test")
        .unwrap();
    assert_eq!((h.requests, h.errors), (1, 1));
    // The whole capture: `trying next host` closed the request with its x509 error, the one
    // finding; no second one for the same request.
    let mut m = model_with(UNKNOWN_CA, MirrorConfig::default());
    m.finish();
    let kinds: Vec<&str> = Summary::from_model(&m)
        .errors
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["tls-unknown-authority"]);
}

/// A later error line that names the request's host says why it failed: the client's
/// `ERROR: failed to solve` for the same url (its wording, as buildx prints containerd's
/// error, appended to the cut capture) is the finding, and the request is not listed twice.
#[test]
fn an_unanswered_request_an_error_line_names_is_that_lines_finding() {
    let text = format!(
        "{}\nERROR: failed to solve: tls.bkscope.test/library/alpine: failed to do request: Head \"https://tls.bkscope.test/v2/library/alpine/manifests/latest\": x509: certificate signed by unknown authority",
        cut_after(UNKNOWN_CA, 21)
    );
    let mut m = model_with(&text, MirrorConfig::default());
    m.finish();
    let s = Summary::from_model(&m);
    let kinds: Vec<(u64, &str)> = s.errors.iter().map(|e| (e.line, e.kind)).collect();
    assert_eq!(kinds, [(22, "tls-unknown-authority")]);
    let h = s
        .hosts
        .iter()
        .find(|h| h.host == "tls.bkscope.test")
        .unwrap();
    assert_eq!((h.requests, h.errors), (1, 1));
}

/// The mirror's requests left behind for registry-1.docker.io (containerd's silent fallback
/// in the fetch phase) stay mirror evidence and the mirror's failed requests, not findings:
/// `finish` has nothing left to turn into one.
#[test]
fn a_silent_mirror_fallback_is_no_no_response_finding() {
    let mut m = model_with(MIRROR_FALLBACK_OK, MirrorConfig::default());
    m.finish();
    let s = Summary::from_model(&m);
    assert!(
        s.errors.iter().all(|e| e.kind != "no-response"),
        "{:?}",
        s.errors
    );
    let abandoned = m
        .events()
        .filter(|e| {
            e.error
                .as_deref()
                .is_some_and(|t| t.starts_with("no response logged; the same path"))
        })
        .count();
    assert_eq!(abandoned, 3);
    assert!(s.mirrors.iter().any(|v| v.fallbacks > 0), "{:?}", s.mirrors);
}

/// No fixture ends with a request nothing answered or explained: `no-response` changes no
/// fixture's summary.
#[test]
fn no_fixture_has_a_no_response_finding() {
    for path in crate::test_support::fixture_logs() {
        let bytes = std::fs::read(&path).unwrap();
        let mut m = model_with(&String::from_utf8_lossy(&bytes), MirrorConfig::default());
        m.finish();
        let lone: Vec<u64> = m
            .findings()
            .iter()
            .filter(|f| f.kind == FindingKind::Error(classify::ErrorKind::NoResponse))
            .map(|f| f.line)
            .collect();
        assert!(lone.is_empty(), "{}: {lone:?}", path.display());
    }
}

/// A mirror's misses the upstream then served (real capture): each error is marked with the
/// host that served the object, once that answer comes and not before; where the upstream
/// failed too (mirror_fallback.log) nothing is marked.
#[test]
fn a_mirror_miss_the_upstream_served_is_a_recovered_error() {
    let log = include_str!("../../tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log");
    let lines: Vec<&str> = log.lines().collect();
    let mut m = Model::new(ModelOptions::default());
    let mut seen_unrecovered = false;
    for (i, l) in lines.iter().enumerate() {
        m.ingest(0, i as u64 + 1, &crate::parse::parse_line(l));
        let f = m.findings();
        // Right after the mirror's 404 its error stands, not yet recovered.
        if f.last().is_some_and(|f| f.line == i as u64 + 1) {
            assert_eq!(f.last().and_then(|f| f.recovered_by.clone()), None);
            seen_unrecovered = true;
        }
    }
    assert!(seen_unrecovered);
    let errors = m.findings();
    assert_eq!(errors.len(), 4, "{errors:?}");
    for f in &errors {
        assert_eq!(f.host.as_deref(), Some("127.0.0.1:5001"), "{f:?}");
        assert_eq!(
            f.recovered_by.as_deref(),
            Some("registry-1.docker.io"),
            "{f:?}"
        );
    }
    let log = include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let m = model_with(log, MirrorConfig::default());
    let errors = m.findings();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|f| f.recovered_by.is_none()),
        "{errors:?}"
    );
}

/// A request that got no answer (a transport failure containerd 1.6 does not log), then the
/// same request again, answered (real plain_pull.log with its first `do request` repeated):
/// the answer is the second one's, and the end of the input reports the first as unanswered,
/// not the one that was served.
#[test]
fn an_answer_belongs_to_the_newest_request_for_its_url() {
    let log = include_str!("../../tests/fixtures/dockerd-20.10/plain_pull.log");
    let lines: Vec<&str> = log.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("msg=\"do request\""))
        .expect("a request");
    let mut doubled: Vec<&str> = lines[..=first].to_vec();
    doubled.push(lines[first]);
    doubled.extend_from_slice(&lines[first + 1..]);
    let mut m = Model::new(ModelOptions::default());
    feed(&mut m, &doubled, 1);
    m.finish();
    let (older, newer) = (first as u64 + 1, first as u64 + 2);
    let of = |n: u64| {
        m.events()
            .find(|e| e.lines.first() == Some(&n) || e.lines.contains(&n))
    };
    let newer_ev = of(newer).expect("the second request's event");
    assert_eq!(newer_ev.status, Some(200), "{newer_ev:?}");
    let older_ev = of(older).expect("the first request's event");
    assert_eq!(older_ev.status, None);
    let f = m.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].event, f[0].kind.name()),
        (Some(older_ev.id), "no-response")
    );
}

/// Feeds `lines` to `m` as lines `first`, `first + 1`, … of source 0, one at a time (as a
/// follow reads them).
fn feed(m: &mut Model, lines: &[&str], first: u64) {
    for (n, l) in (first..).zip(lines) {
        m.ingest(0, n, &crate::parse::parse_line(l));
    }
}

/// The real mirror_miss_fallback_ok.log as a path mirror would have logged it: every url on
/// the mirror (`127.0.0.1:5001`) gets the Harbor proxy project's base,
/// `harbor.example.com/v2/proxy.docker.io/…`. `drop` leaves out the lines with those numbers.
fn path_mirror_log(drop: &[usize]) -> String {
    include_str!("../../tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log")
        .lines()
        .enumerate()
        .filter(|(i, _)| !drop.contains(&(i + 1)))
        .map(|(_, l)| {
            l.replace(
                "http://127.0.0.1:5001/v2/",
                "http://harbor.example.com/v2/proxy.docker.io/",
            )
            .replace("\"127.0.0.1:5001\"", "harbor.example.com")
                + "\n"
        })
        .collect()
}

const PATH_MIRROR_TOML: &str =
    "[registry.\"docker.io\"]\n  mirrors = [\"harbor.example.com/proxy.docker.io\"]\n";

/// A path mirror's misses the upstream then served are recovered once the configuration names
/// the mirror with its path; without it they stay unrecovered (no base is guessed).
#[test]
fn a_path_mirror_miss_the_upstream_served_is_recovered_with_its_config() {
    let log = path_mirror_log(&[]);
    let cfg = MirrorConfig::from_buildkitd_toml(PATH_MIRROR_TOML).unwrap();
    let m = model_with(&log, cfg);
    let errors = m.findings();
    assert_eq!(errors.len(), 4, "{errors:?}");
    for f in &errors {
        assert_eq!(f.host.as_deref(), Some("harbor.example.com"), "{f:?}");
        assert_eq!(
            f.recovered_by.as_deref(),
            Some("registry-1.docker.io"),
            "{f:?}"
        );
    }
    // The mirror's requests name the upstream's repository, not the project's path.
    let repos: Vec<_> = m
        .events()
        .filter(|e| e.host.as_deref() == Some("harbor.example.com"))
        .map(|e| e.repository.as_deref().unwrap_or("").to_owned())
        .collect();
    assert!(!repos.is_empty());
    assert!(repos.iter().all(|r| r == "library/busybox"), "{repos:?}");
    let m = model_with(&log, MirrorConfig::default());
    let errors = m.findings();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors.iter().all(|f| f.recovered_by.is_none()),
        "{errors:?}"
    );
}

/// A path mirror's blob request left without an answer (its 404 response, line 35, cut, and
/// the log cut after Docker Hub's answer to the same blob): the same blob asked next of
/// Docker Hub leaves it behind, a fallback and no `no-response`.
#[test]
fn a_path_mirror_request_left_behind_is_a_fallback_not_unanswered() {
    let log: String = path_mirror_log(&[35])
        .lines()
        .take(36)
        .map(|l| format!("{l}\n"))
        .collect();
    let cfg = MirrorConfig::from_buildkitd_toml(PATH_MIRROR_TOML).unwrap();
    let mut m = model_with(&log, cfg);
    m.finish();
    let left = m
        .events()
        .find(|e| {
            e.host.as_deref() == Some("harbor.example.com")
                && e.url
                    .as_deref()
                    .is_some_and(|u| u.contains("/blobs/sha256:c9efb"))
        })
        .expect("the mirror's blob request");
    assert_eq!(
        left.error.as_deref(),
        Some("no response logged; the same path was requested next from registry-1.docker.io")
    );
    let errors = m.findings();
    assert!(
        errors
            .iter()
            .all(|f| f.kind != FindingKind::Error(classify::ErrorKind::NoResponse)),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().all(|f| f.recovered_by.is_some()),
        "{errors:?}"
    );
    // Without the config the path is another object's: the request is reported unanswered.
    let mut m = model_with(&log, MirrorConfig::default());
    m.finish();
    assert!(
        m.findings()
            .iter()
            .any(|f| f.kind == FindingKind::Error(classify::ErrorKind::NoResponse)),
        "{:?}",
        m.findings()
    );
}

/// The hand-written BuildKit v0.26 log (tests/fixtures/SOURCES.md, hand-written): one
/// `resolving` span, mirror.gcr.io's 404, `trying next host after status`, Docker Hub's 401 and
/// 200, no url or host anywhere.
const V026_MIRROR_MISS: &str =
    include_str!("../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");

/// A url-less mirror 404 in a resolve, then the upstream's 200 in the same span: recovered,
/// with `--config` by the upstream the route names and known as the mirror's request; without
/// it, by a host the log does not name (`trying next host` says containerd moved on).
#[test]
fn a_url_less_mirror_miss_in_a_resolve_is_recovered() {
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let m = model_with(V026_MIRROR_MISS, cfg);
    let errors = m.findings();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 3);
    assert_eq!(errors[0].status, Some(404));
    assert_eq!(errors[0].recovered_by.as_deref(), Some("docker.io"));
    assert_eq!(errors[0].to_mirror.as_deref(), Some("mirror.gcr.io"));
    let m = model_with(V026_MIRROR_MISS, MirrorConfig::default());
    let errors = m.findings();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].recovered_by.as_deref(), Some("unknown"));
    assert_eq!(errors[0].to_mirror, None);
}

/// Where the log does not show another host answered, a url-less failure stays unrecovered:
/// no `trying next host` and no route (containerd retries a 429 on the same host without a
/// word), another span, or a span that is no resolve.
#[test]
fn a_url_less_failure_without_another_host_stays_unrecovered() {
    let no_next: String = V026_MIRROR_MISS
        .lines()
        .filter(|l| !l.contains("trying next host"))
        .map(|l| format!("{l}\n"))
        .collect();
    let other_span =
        V026_MIRROR_MISS.replacen("spanID=5b1c2d3e4f5a6b7c", "spanID=0000000000000001", 3);
    let not_resolve =
        V026_MIRROR_MISS.replace("span=\"resolving docker.io", "span=\"pulling docker.io");
    for (what, log) in [
        ("no trying next host", &no_next),
        ("another span", &other_span),
        ("no resolve span", &not_resolve),
    ] {
        let m = model_with(log, MirrorConfig::default());
        let errors = m.findings();
        assert_eq!(errors.len(), 1, "{what}: {errors:?}");
        assert_eq!(errors[0].recovered_by, None, "{what}: {errors:?}");
    }
    // The route alone says two hosts: the mirror's 404 (Google Cloud Storage), Docker Hub's 200.
    let cfg = MirrorConfig::from_buildkitd_toml(SEED_TOML).unwrap();
    let m = model_with(&no_next, cfg);
    assert_eq!(
        m.findings()[0].recovered_by.as_deref(),
        Some("docker.io"),
        "{:?}",
        m.findings()
    );
}

/// containerd ≥ 2.4 sends a request that failed at the transport to the last host again
/// (`transient transport error, retrying`, up to 5 attempts). tests/fixtures/hand-written/
/// containerd-2.4-transport-retry.txt: one manifest served on its third attempt (a timeout,
/// then an EOF), one whose five attempts all time out (`fetch failed` closes the last). Each
/// failed attempt is an error of its host; the first pull's two are recovered by that host,
/// the second pull's five are not. Before, the retries were text findings no answer could
/// recover, and `--fail-on unrecovered-errors` failed a pull that was served.
#[test]
fn a_transport_retry_that_is_served_recovers_its_failed_attempts() {
    let log = include_str!("../../tests/fixtures/hand-written/containerd-2.4-transport-retry.txt");
    let m = model_with(log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    assert_eq!((s.requests, s.responses), (8, 1));
    assert_eq!((s.hosts[0].requests, s.hosts[0].errors), (8, 7));
    let recovered: Vec<(u64, &str)> = s
        .errors
        .iter()
        .filter_map(|e| Some((e.line, e.recovered_by.as_deref()?)))
        .collect();
    assert_eq!(
        recovered,
        [(3, "registry.example.com"), (5, "registry.example.com")]
    );
    let unrecovered: Vec<(u64, &str)> = s
        .errors
        .iter()
        .filter(|e| e.recovered_by.is_none())
        .map(|e| (e.line, e.kind))
        .collect();
    assert_eq!(
        unrecovered,
        [10, 12, 14, 16, 18].map(|l| (l, "timeout")),
        "{:?}",
        s.errors
    );
    // Each attempt is its own request, closed by the line that said it failed.
    let first: Vec<_> = m
        .events()
        .take(3)
        .map(|ev| (ev.failed(), ev.lines.to_vec()))
        .collect();
    assert_eq!(
        first,
        [
            (true, vec![1, 2, 3]),
            (true, vec![4, 5]),
            (false, vec![6, 7])
        ]
    );
}

/// An auth failure's event carries the mark the explorer reads once the finding is let go
/// (`MAX_FINDINGS`): a 403, a refused token (its text names the event); a challenge, a 404 or a
/// connection refused does not.
#[test]
fn an_auth_failures_event_is_marked_so_and_no_other() {
    let log = include_str!("../../tests/fixtures/secrets/tokens.log");
    let m = model_with(log, MirrorConfig::default());
    let forbidden = m.events().find(|e| e.status == Some(403));
    assert_eq!(forbidden.map(|e| e.auth_failed), Some(true));
    let log = include_str!("../../tests/fixtures/dockerd-20.10/oauth_token_401.log");
    let m = model_with(log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    let auth: Vec<usize> = m.events().filter(|e| e.auth_failed).map(|e| e.id).collect();
    let found: Vec<usize> = m
        .kept_findings()
        .iter()
        .filter(|f| f.kind.is_auth())
        .filter_map(|f| f.event)
        .collect();
    assert_eq!(auth, found, "{:?}", s.auth_failures);
    assert_eq!(auth.len(), 1);
    for fixture in [
        include_str!("../../tests/fixtures/dockerd-20.10/not_found_404.log"),
        include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log"),
        include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_ok.log"),
    ] {
        let m = model_with(fixture, MirrorConfig::default());
        assert!(m.events().all(|e| !e.auth_failed));
    }
}

/// Lines `from..=to` (1-based) of a real capture as BuildKit ≥ v0.16 logs them inside a
/// `resolving <ref>` span (log-catalog.md, the field-loss note): containerd's context fields
/// (`host`, `method`, `url`, `digest`, `mediatype`, `size`) gone, `span`, `spanID` and
/// `traceID` added (logrus sorts them last, after the `response.*` fields). Everything else,
/// the `error` text naming the url included, stays as captured.
fn url_less(capture: &str, (from, to): (usize, usize), span: &str, span_id: &str) -> String {
    let context =
        regex::Regex::new(r#" (host|method|url|digest|mediatype|size)=("(?:[^"\\]|\\.)*"|\S+)"#)
            .unwrap();
    capture
        .lines()
        .skip(from - 1)
        .take(to + 1 - from)
        .map(|l| {
            format!(
                "{} span=\"{span}\" spanID={span_id} traceID=0f1e2d3c4b5a69788796a5b4c3d2e1f0\n",
                context.replace_all(l, "")
            )
        })
        .collect()
}

/// A 401 answering the retry of a url-less 401 in its resolve is refused, as with urls: the
/// real capture of wrong basic-auth credentials (dockerd-20.10/basic_auth_bad_creds.log,
/// lines 20 to 37: one `resolving`, then 401, `Unauthorized`, retry, six times) made url-less
/// gives the url-carrying capture's answer (a challenge, then five refusals, each an auth
/// failure). Before, every url-less 401 stayed open: two findings 'nothing on this host
/// succeeded afterwards', the first of kind `unknown`, the refusals never said. A `resolving`
/// line before a request announces a first attempt (another host's, or a new pull): no retry.
#[test]
fn a_url_less_retry_refused_again_is_a_refused_retry() {
    let capture = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_bad_creds.log");
    let log = url_less(
        capture,
        (20, 37),
        "resolving 127.0.0.1:5002/library/alpine:latest",
        "5b1c2d3e4f5a6b7c",
    );
    let m = model_with(&log, MirrorConfig::default());
    let refused: Vec<bool> = m
        .events()
        .filter(|e| e.status == Some(401))
        .map(|e| e.retry_refused)
        .collect();
    assert_eq!(refused, [false, true, true, true, true, true]);
    let s = Summary::from_model(&m);
    let found: Vec<(u64, &str)> = s.auth_failures.iter().map(|a| (a.line, &*a.text)).collect();
    let refusal = "the retry with credentials was refused again (401)";
    assert_eq!(
        found,
        [6, 9, 12, 15, 18].map(|l| (l, refusal)),
        "{:?}",
        s.auth_failures
    );
    assert_eq!(
        (
            s.hosts[0].host.as_str(),
            s.hosts[0].requests,
            s.hosts[0].errors
        ),
        ("unknown", 6, 5)
    );

    // Each attempt announced by a `resolving` line of the span: first attempts, no refusal.
    let announced: String = log
        .lines()
        .flat_map(|l| {
            let first = l
                .contains("msg=\"do request\"")
                .then(|| log.lines().next().unwrap_or(""));
            first.into_iter().chain([l])
        })
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    let m = model_with(&announced, MirrorConfig::default());
    assert!(
        m.events().all(|e| !e.retry_refused),
        "{:?}",
        m.events().collect::<Vec<_>>()
    );
    // Another span is another pull.
    let mut other_span = String::new();
    for (i, l) in log.lines().enumerate() {
        let span = if i < 4 {
            "5b1c2d3e4f5a6b7c"
        } else {
            "0000000000000001"
        };
        other_span += &format!("{}\n", l.replace("5b1c2d3e4f5a6b7c", span));
    }
    let m = model_with(&other_span, MirrorConfig::default());
    let refused: Vec<bool> = m.events().map(|e| e.retry_refused).collect();
    assert_eq!(refused, [false, false, true, true, true, true]);
}

/// A mirror's refused connection on a url-less log (the real capture
/// dockerd-20.10/mirror_fallback_ok.log, lines 20 to 25, made url-less: `trying next host`
/// names the mirror's url in its error only, then Docker Hub's request in the same resolve is
/// served): recovered, as the url-carrying capture's is, by a host the log does not name
/// (`unknown`; with `--config` the route's upstream). Before, the failure had learned its
/// url from the error and waited for an answer by path, which the url-less 200 has not.
#[test]
fn a_url_less_refused_connection_the_next_host_got_past_is_recovered() {
    let capture = include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback_ok.log");
    let with_urls = model_with(&cut_after(capture, 25), MirrorConfig::default());
    assert_eq!(
        with_urls.findings()[0].recovered_by.as_deref(),
        Some("registry-1.docker.io")
    );
    let log = url_less(
        capture,
        (20, 25),
        "resolving docker.io/library/alpine:latest",
        "5b1c2d3e4f5a6b7c",
    );
    let m = model_with(&log, MirrorConfig::default());
    let errors = m.findings();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].kind,
        FindingKind::Error(classify::ErrorKind::ConnectionRefused)
    );
    assert_eq!(errors[0].host.as_deref(), Some("127.0.0.1:5001"));
    assert_eq!(errors[0].recovered_by.as_deref(), Some("unknown"));
    assert!(!is_retry("127.0.0.1:5001", "unknown"));
    // Without `trying next host` (no word that another host answered) it stays unrecovered.
    let cut: String = log
        .lines()
        .map(|l| format!("{l}\n"))
        .map(|l| l.replace("msg=\"trying next host\"", "msg=\"fetch failed\""))
        .collect();
    let m = model_with(&cut, MirrorConfig::default());
    assert_eq!(m.findings()[0].recovered_by, None, "{:?}", m.findings());
}

/// containerd ≥ 2.4's transport retries on a url-less log: the hand-written
/// containerd-2.4-transport-retry.txt made url-less (its first pull, lines 1 to 7, in one
/// `resolving` span, its second, lines 8 to 18, in another). The retry lines name the url in
/// their error only; the served third attempt of the first pull has none. Its two failed
/// attempts are recovered by their host, a retry (`is_retry`), as with urls; the second
/// pull's five are not. Before, none was.
#[test]
fn a_url_less_transport_retry_that_is_served_recovers_its_failed_attempts() {
    let capture =
        include_str!("../../tests/fixtures/hand-written/containerd-2.4-transport-retry.txt");
    let log = url_less(
        capture,
        (1, 7),
        "resolving registry.example.com/team/app:v1",
        "1111111111111111",
    ) + &url_less(
        capture,
        (8, 18),
        "resolving registry.example.com/team/tool:v2",
        "2222222222222222",
    );
    let m = model_with(&log, MirrorConfig::default());
    let s = Summary::from_model(&m);
    let errors: Vec<(u64, Option<&str>)> = s
        .errors
        .iter()
        .map(|e| (e.line, e.recovered_by.as_deref()))
        .collect();
    let host = Some("registry.example.com");
    assert_eq!(
        errors,
        [
            (3, host),
            (5, host),
            (10, None),
            (12, None),
            (14, None),
            (16, None),
            (18, None)
        ]
    );
    assert!(is_retry("registry.example.com", "registry.example.com"));
}
