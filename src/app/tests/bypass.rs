//! The detail pane's `mirror` line on a pull that reached the upstream: a review selected the
//! `registry-1.docker.io … 200` row of demo.log, the one that answers "why does my build hit
//! docker.io?", and nothing on it said it was a fallback; only the Mirrors view's evidence did.

use super::*;

/// The `mirror` note of every event whose url has `path` in it, in order.
fn notes(app: &App, path: &str) -> Vec<(String, Option<String>)> {
    app.model
        .events()
        .filter(|e| e.url.as_deref().is_some_and(|u| u.contains(path)))
        .map(|e| {
            (
                e.host.as_deref().unwrap_or("").to_owned(),
                crate::app::bypass::note(&app.model, e),
            )
        })
        .collect()
}

#[test]
fn an_upstream_pull_after_a_mirror_miss_says_it_fell_back() {
    let app = demo();
    // busybox's tag: the mirror answered 404 (lines 74-77), the upstream served it.
    let tag = notes(&app, "/busybox/manifests/latest");
    assert_eq!(tag.len(), 2, "{tag:?}");
    assert_eq!(
        tag[0],
        ("127.0.0.1:5001".to_owned(), None),
        "the mirror's own row"
    );
    assert_eq!(
        tag[1],
        (
            "registry-1.docker.io".to_owned(),
            Some(
                "not used: a fallback after 127.0.0.1:5001 answered 404 Not Found (lines 74–77)"
                    .to_owned()
            )
        )
    );
    // Its manifest by digest: a 500 this time.
    let by_digest = notes(&app, "/busybox/manifests/sha256:96628e45");
    assert!(
        by_digest[1]
            .1
            .as_deref()
            .is_some_and(|n| n.contains("answered 500 Internal Server Error")),
        "{by_digest:?}"
    );
    // alpine's blobs the mirror served: no note on them.
    assert!(
        notes(&app, "/alpine/blobs/")
            .iter()
            .all(|(_, n)| n.is_none())
    );
}

#[test]
fn an_upstream_pull_with_no_mirror_asked_says_it_went_straight_past_it() {
    // demo.log without its mirror's lines: busybox pulled straight from Docker Hub, while the
    // seed's buildkitd.toml names mirror.gcr.io.
    let log: String = DEMO
        .lines()
        .filter(|l| !l.contains("127.0.0.1:5001"))
        .map(|l| format!("{l}\n"))
        .collect();
    let log = log.as_str();
    let with = crate::test_support::app_with_seed_config("plain.log", log, true);
    let straight = notes(&with, "registry-1.docker.io");
    assert!(!straight.is_empty());
    for (_, n) in &straight {
        assert_eq!(
            n.as_deref(),
            Some("not used: straight to docker.io, past its mirror mirror.gcr.io"),
            "{straight:?}"
        );
    }
    // With no mirror configured or seen, a direct pull is just a pull: no note.
    let without = crate::test_support::app_with_seed_config("plain.log", log, false);
    assert!(
        notes(&without, "registry-1.docker.io")
            .iter()
            .all(|(_, n)| n.is_none())
    );
}

/// The `x` report of that row says it too.
#[test]
fn the_event_report_names_the_fallback() {
    let app = demo();
    let ev = app
        .model
        .events()
        .find(|e| {
            e.host.as_deref() == Some("registry-1.docker.io")
                && e.url
                    .as_deref()
                    .is_some_and(|u| u.ends_with("/busybox/manifests/latest"))
        })
        .expect("the upstream request");
    let text = crate::app::report::event(&app, ev);
    assert!(
        text.contains(
            r"- mirror: not used: a fallback after 127.0.0.1:5001 answered 404 Not Found \(lines 74–77\)"
        ),
        "{text}"
    );
}

/// BuildKit ≥ v0.16 logs no url: the host is inferred from who answered (`--config`), and the
/// mirror's failure is found by the span and object kind. Without them the note said
/// "straight to docker.io, past its mirror" of a pull that had asked mirror.gcr.io first.
#[test]
fn a_url_less_fallback_is_found_by_its_span() {
    let log = include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let app = crate::test_support::app_with_seed_config("miss.log", log, true);
    let said: Vec<String> = app
        .model
        .events()
        .filter_map(|e| crate::app::bypass::note(&app.model, e))
        .collect();
    assert_eq!(
        said,
        ["not used: a fallback after mirror.gcr.io answered 404 Not Found (lines 1–4)"]
    );
}

/// A mirror configured with a path (`harbor.example.com/proxy.docker.io`) asks for
/// `/v2/proxy.docker.io/library/…` where Docker Hub has `/v2/library/…`: the same object by the
/// model's object path, so the upstream's answer after the mirror's 404 is a fallback too. On
/// the real `mirror_miss_fallback_ok` capture, its mirror renamed as `model::tests` does.
#[test]
fn a_path_mirrors_miss_is_named_by_the_models_object_path() {
    let log: String =
        include_str!("../../../tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log")
            .lines()
            .map(|l| {
                l.replace(
                    "http://127.0.0.1:5001/v2/",
                    "http://harbor.example.com/v2/proxy.docker.io/",
                )
                .replace("\"127.0.0.1:5001\"", "harbor.example.com")
                    + "\n"
            })
            .collect();
    let toml = "[registry.\"docker.io\"]\n  mirrors = [\"harbor.example.com/proxy.docker.io\"]\n";
    let opts = AppOptions {
        mirrors: crate::model::mirror::MirrorConfig::from_buildkitd_toml(toml).expect("a config"),
        ..AppOptions::default()
    };
    let app = App::from_log_with(opts, "path.log", &log);
    let said: Vec<String> = app
        .model
        .events()
        .filter(|e| e.host.as_deref() == Some("registry-1.docker.io"))
        .filter_map(|e| crate::app::bypass::note(&app.model, e))
        .collect();
    assert_eq!(said.len(), 4, "{said:?}");
    assert!(
        said.iter()
            .all(|n| n.starts_with("not used: a fallback after harbor.example.com answered ")),
        "{said:?}"
    );
    assert_eq!(
        said[0],
        "not used: a fallback after harbor.example.com answered 404 Not Found (lines 20–23)"
    );
}
