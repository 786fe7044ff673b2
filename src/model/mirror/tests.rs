//! Tests of the mirror configuration: buildkitd.toml, daemon.json, path mirrors, errors.

use super::*;

#[test]
fn reads_buildkitd_toml_from_the_seed() {
    let cfg = MirrorConfig::from_buildkitd_toml(include_str!(
        "../../../tests/fixtures/seed/buildkitd.toml"
    ))
    .unwrap();
    assert_eq!(cfg.mirrors["docker.io"], vec!["mirror.gcr.io".to_owned()]);
    let full = "[registry.\"docker.io\"]\n  mirrors = [\"yourmirror.local:5000\", \"core.harbor.domain/proxy.docker.io\"]\n  http = true\n[registry.\"yourmirror.local:5000\"]\n  http = true\n";
    let cfg = MirrorConfig::from_buildkitd_toml(full).unwrap();
    assert_eq!(
        cfg.mirrors["docker.io"],
        vec![
            "yourmirror.local:5000".to_owned(),
            "core.harbor.domain".to_owned()
        ]
    );
    assert_eq!(cfg.upstream_of("core.harbor.domain"), Some("docker.io"));
}

#[test]
fn a_path_mirror_base_is_taken_off_its_requests_only() {
    let cfg = MirrorConfig::from_buildkitd_toml(
        "[registry.\"docker.io\"]\n  mirrors = [\"https://Harbor.Example.com/proxy.docker.io/\", \"h2/a\", \"h2/a/b\"]\n",
    )
    .unwrap();
    assert_eq!(
        cfg.mirrors["docker.io"],
        ["harbor.example.com", "h2", "h2"].map(String::from)
    );
    let obj = |u| cfg.object_path(u).unwrap();
    let hub = obj("https://registry-1.docker.io/v2/library/node/manifests/20");
    assert_eq!(hub.rest, "/library/node/manifests/20");
    assert!(hub.api);
    assert_eq!(
        obj("https://harbor.example.com/v2/proxy.docker.io/library/node/manifests/20?ns=docker.io"),
        hub
    );
    // Not below the base (a dockerd that sent the host only): read under `/v2`.
    assert_eq!(
        obj("https://harbor.example.com/v2/library/node/manifests/20"),
        hub
    );
    // The base belongs to its host: elsewhere the path is another repository's.
    assert_ne!(
        obj("https://other.example.com/v2/proxy.docker.io/library/node/manifests/20"),
        hub
    );
    // The longest base the path is under.
    assert_eq!(obj("http://h2/v2/a/b/library/node/manifests/20"), hub);
    assert_eq!(obj("http://h2/v2/a/library/node/manifests/20"), hub);
    // A token endpoint is not an API path.
    assert!(!obj("https://auth.docker.io/token").api);
    assert_ne!(obj("https://a/v2/token"), obj("https://b/token"));
    assert_eq!(cfg.object_path("not a url"), None);
    // daemon.json: moby puts the path before `/v2` (28+) or after it (2024's code).
    let cfg = MirrorConfig::from_daemon_json(
        r#"{"registry-mirrors":["https://m.example/base/","https://plain.example/v2"]}"#,
    )
    .unwrap();
    let obj = |u| cfg.object_path(u).unwrap();
    assert_eq!(
        obj("https://m.example/base/v2/library/node/manifests/20"),
        hub
    );
    assert_eq!(
        obj("https://m.example/v2/base/library/node/manifests/20"),
        hub
    );
    assert_eq!(
        obj("https://plain.example/v2/library/node/manifests/20"),
        hub
    );
    assert_eq!(cfg.bases.len(), 2, "{:?}", cfg.bases);
}

#[test]
fn bad_toml_says_where() {
    let err = MirrorConfig::from_buildkitd_toml("[registry.\"docker.io\"]\nmirrors = [\"a\"\n")
        .unwrap_err();
    assert!(err.starts_with("2:15: "), "{err}");
    assert!(!err.contains('\n'), "{err}");
    let err = MirrorConfig::from_buildkitd_toml("[registry.\"docker.io\"]\nmirrors = \"a\"\n")
        .unwrap_err();
    assert!(err.starts_with("2:11: ") && err.contains("array"), "{err}");
    let err = MirrorConfig::from_daemon_json("{\n\"registry-mirrors\": \"a\"\n}").unwrap_err();
    assert!(err.starts_with("2:23: ") && err.contains("array"), "{err}");
}

#[test]
fn reads_daemon_json() {
    let cfg = MirrorConfig::from_daemon_json(
        r#"{"debug":true,"registry-mirrors":["http://127.0.0.1:5001"]}"#,
    )
    .unwrap();
    assert_eq!(cfg.mirrors["docker.io"], vec!["127.0.0.1:5001".to_owned()]);
}
