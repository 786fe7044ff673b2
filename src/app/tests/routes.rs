//! The inferred route of a request logged without host (`app::route`) in filters and the
//! Mirrors view: on the real url-less logs `host=` / `host~` keep the requests inferred to have
//! gone to a host with `--config`, none without it, and Enter on an inferred host's row in the
//! Mirrors view filters to its requests.

use ratatui::layout::Rect;

use super::{DEMO, kept, press, type_text};
use crate::app::{Action, App, View};

const MISS: &str =
    include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
const GCR: &str = include_str!("../../../tests/fixtures/seed/mirror_gcr.log");

fn events_of(label: &str, text: &str, config: bool) -> App {
    let mut app = crate::test_support::app_with_seed_config(label, text, config);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "1");
    app
}

// The review: `f host~mirror` matched 0 events on a BuildKit v0.26 log with --config, while
// `events --config` routed its 404 to mirror.gcr.io.
#[test]
fn host_keeps_the_requests_inferred_to_have_gone_there() {
    let mut app = events_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
    assert_eq!(app.model.events().count(), 3);
    assert!(app.model.events().all(|e| e.host.is_none()));
    // The 404 went to the mirror, the 200 to Docker Hub; the 401 challenge has no route.
    assert_eq!(kept(&mut app, "host~mirror"), 1);
    assert_eq!(kept(&mut app, "host=mirror.gcr.io"), 1);
    assert_eq!(
        kept(&mut app, "host=mirror.gcr.io?"),
        1,
        "copied with its mark"
    );
    assert_eq!(kept(&mut app, "host=docker.io"), 1);
    assert_eq!(kept(&mut app, "host=unknown"), 1);
    assert_eq!(kept(&mut app, "host!=unknown"), 2);
    assert_eq!(kept(&mut app, "host~mirror status=404"), 1);
    // The Traces view filters alike: the one trace has a request routed to the mirror.
    press(&mut app, "3");
    assert_eq!(app.traces.rows.len(), 1);
    press(&mut app, "1");
    assert_eq!(kept(&mut app, "host=ghcr.io"), 0);
    press(&mut app, "3");
    assert!(app.traces.rows.is_empty());

    // The seed's real BuildKit excerpt: every request answered by Google Cloud Storage.
    let mut app = events_of("mirror_gcr.log", GCR, true);
    let all = app.model.events().count();
    assert!(all > 0);
    assert_eq!(kept(&mut app, "host~mirror"), all);
    assert_eq!(kept(&mut app, "host=docker.io"), 0);
}

// What the HOST column shows is found as a logged host is: a bare filter word and a `/`
// search look in the inferred host too (no row of the v0.26 log logs `mirror.gcr.io`).
#[test]
fn bare_words_and_search_find_the_inferred_host() {
    let mut app = events_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
    assert_eq!(kept(&mut app, "mirror.gcr.io"), 1);
    // Every row's PATH shows its span's ref, `docker.io/library/node:20`; HOST names
    // `docker.io?` on one.
    assert_eq!(kept(&mut app, "docker.io"), 3);
    assert_eq!(kept(&mut app, "host=docker.io"), 1);
    app.show_detail = false;
    press(&mut app, "esc");
    assert_eq!(app.events.rows.len(), 3);
    press(&mut app, "g");
    press(&mut app, "/");
    type_text(&mut app, "gcr");
    let at = app.events.cursor.selected;
    assert!(app.row_matches(at));
    let ev = app.events.rows.get(at).and_then(|&id| app.model.event(id));
    assert_eq!(ev.map(|e| e.status), Some(Some(404)), "the mirror's 404");
    assert_eq!(
        (0..3).filter(|&i| app.row_matches(i)).count(),
        1,
        "only the request inferred to have gone to mirror.gcr.io"
    );
    // Without --config nothing is inferred, so nothing names the mirror.
    let mut app = events_of("buildkit-v0.26-mirror-miss.txt", MISS, false);
    assert_eq!(kept(&mut app, "mirror.gcr.io"), 0);
}

// Without --config no mirror is known: nothing is inferred, every row stays `unknown`.
#[test]
fn without_config_nothing_is_inferred() {
    for (label, text) in [("miss", MISS), ("gcr", GCR)] {
        let mut app = events_of(label, text, false);
        let all = app.model.events().count();
        assert_eq!(kept(&mut app, "host~mirror"), 0, "{label}");
        assert_eq!(kept(&mut app, "host=unknown"), all, "{label}");
        let ev = app.model.events().next().cloned().unwrap_or_default();
        assert_eq!(crate::app::route::shown_host(&app.model, &ev), "unknown");
    }
}

// The review: Enter on the Mirrors view's row said `'unknown' names no logged host: every
// event shown`. Now the url-less requests have a row per inferred host, and Enter filters to it.
#[test]
fn enter_on_an_inferred_host_filters_to_its_requests() {
    let mut app = events_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
    press(&mut app, "4");
    let hosts: Vec<String> = app.activity.hosts.iter().map(|h| h.host.clone()).collect();
    assert_eq!(hosts, ["docker.io?", "mirror.gcr.io?", "unknown"]);
    // Each row counts its own requests, not the model's `unknown` total of 3.
    let reqs: Vec<u64> = app
        .activity
        .hosts
        .iter()
        .map(|h| h.totals(&app.model).requests)
        .collect();
    assert_eq!(reqs, [1, 1, 1]);
    // `j` scrolls the evidence here; the selection as a click sets it.
    app.hosts_cursor.select(1, hosts.len(), 10);
    // The kb pane on that row: the mirror's verdict and its own failure, by the inferred host.
    let hd = app.host_diagnosis();
    assert_eq!(hd.host, Some("mirror.gcr.io?"));
    assert_eq!((hd.requests, hd.failed), (1, 1));
    assert!(!hd.verdicts.is_empty());
    let lines: std::collections::BTreeSet<u64> = hd
        .entries
        .iter()
        .flat_map(|e| e.findings.iter().map(|f| f.line))
        .chain(hd.unexplained.iter().map(|f| f.line))
        .collect();
    assert_eq!(lines.into_iter().collect::<Vec<_>>(), [3]);
    press(&mut app, "enter");
    assert_eq!(app.view, View::Events);
    assert_eq!(app.filter.text(), "host=mirror.gcr.io");
    assert_eq!(app.events.rows.len(), 1);
    let ev = app.selected_event().cloned().unwrap_or_default();
    assert_eq!(ev.status, Some(404));
}

// `registry=` counts a request as the verdicts do: with `--config` naming mirror.gcr.io a
// mirror of docker.io, a pull straight from the mirror's host (no `?ns=`: `FROM
// mirror.gcr.io/library/busybox`) is a docker.io pull; without `--config` it is the mirror's.
#[test]
fn registry_reads_the_config_as_the_verdicts_do() {
    let log = concat!(
        "time=\"2026-01-02T10:00:00Z\" level=debug msg=\"do request\" host=mirror.gcr.io ",
        "request.header.user-agent=containerd/1.7.0 request.method=GET ",
        "url=\"https://mirror.gcr.io/v2/library/busybox/manifests/latest\"\n",
        "time=\"2026-01-02T10:00:00Z\" level=debug msg=\"fetch response received\" ",
        "host=mirror.gcr.io response.header.content-length=527 ",
        "response.header.content-type=application/vnd.oci.image.index.v1+json ",
        "response.status=\"200 OK\" ",
        "url=\"https://mirror.gcr.io/v2/library/busybox/manifests/latest\"\n",
        "time=\"2026-01-02T10:00:01Z\" level=debug msg=\"do request\" host=ghcr.io ",
        "request.header.user-agent=containerd/1.7.0 request.method=GET ",
        "url=\"https://ghcr.io/v2/o/a/manifests/v1\"\n",
        "time=\"2026-01-02T10:00:01Z\" level=debug msg=\"fetch response received\" ",
        "host=ghcr.io response.header.content-length=527 response.status=\"200 OK\" ",
        "url=\"https://ghcr.io/v2/o/a/manifests/v1\"\n",
    );
    let mut app = events_of("direct-mirror.log", log, true);
    assert_eq!(app.model.events().count(), 2);
    assert_eq!(kept(&mut app, "registry=docker.io"), 1);
    assert_eq!(kept(&mut app, "registry=registry-1.docker.io"), 1);
    assert_eq!(kept(&mut app, "registry=mirror.gcr.io"), 0);
    assert_eq!(kept(&mut app, "registry!=docker.io"), 1);
    assert_eq!(kept(&mut app, "registry=ghcr.io"), 1);
    // The host stays the one logged.
    assert_eq!(kept(&mut app, "host=mirror.gcr.io registry=docker.io"), 1);

    let mut app = events_of("direct-mirror.log", log, false);
    assert_eq!(kept(&mut app, "registry=docker.io"), 0);
    assert_eq!(kept(&mut app, "registry=mirror.gcr.io"), 1);
}

// The review: the configured mirror no request went to had no row to select; its diagnosis was
// on the upstream's row only, where a user had to guess to look. Now it has a row of its own.
#[test]
fn a_configured_mirror_never_asked_has_a_row_with_its_diagnosis() {
    let mut app = events_of("demo.log", DEMO, true);
    press(&mut app, "4");
    let hosts: Vec<&str> = app.activity.hosts.iter().map(|h| h.host.as_str()).collect();
    let i = hosts
        .iter()
        .position(|h| *h == "mirror.gcr.io")
        .unwrap_or_else(|| panic!("no mirror.gcr.io row in {hosts:?}"));
    let row = &app.activity.hosts[i];
    assert!(row.never_asked());
    assert_eq!(row.totals(&app.model).requests, 0);
    app.hosts_cursor.select(i, hosts.len(), 10);
    let hd = app.host_diagnosis();
    assert_eq!(hd.host, Some("mirror.gcr.io"));
    let ids: Vec<&str> = hd
        .verdicts
        .iter()
        .flat_map(|v| v.diagnoses.iter().map(|d| d.id.as_str()))
        .collect();
    assert!(ids.contains(&"mirror/configured-never-used"), "{ids:?}");
    // Enter has no requests to show: it says so and stays.
    press(&mut app, "enter");
    assert_eq!(app.view, View::Mirrors);
    assert!(app.filter.text().is_empty());
    // Without --config no such row.
    let mut plain = events_of("demo.log", DEMO, false);
    press(&mut plain, "4");
    assert!(
        plain
            .activity
            .hosts
            .iter()
            .all(|h| h.host != "mirror.gcr.io")
    );
}

/// The trace of the v0.26 mirror miss.
const MISS_TRACE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

// The review: `x` on this trace wrote `| HEAD | unknown manifest (no url logged) | 404 …` and
// `## HEAD unknown → 404 Not Found` while the waterfall showed `HEAD mirror.gcr.io? manifest
// 404`, and said `lines 2, 3, 4` with no file among several. Each request's lines begin with
// the `resolving` line of its span before it (BuildKit >= v0.16 logs it without host).
#[test]
fn a_trace_report_names_the_host_the_screen_shows_and_its_source() {
    let demo = include_str!("../../../tests/fixtures/sample/demo.log");
    let files = [("buildkit-v0.26-mirror-miss.txt", MISS), ("demo.log", demo)];
    let app = crate::test_support::files_with_seed_config(&files, true);
    let text = crate::app::report::trace(&app, MISS_TRACE);
    for row in [
        "| HEAD | mirror.gcr.io? manifest (no url logged) | 404 Not Found |",
        "| HEAD | unknown manifest (no url logged) | 401 Unauthorized |",
        "| HEAD | docker.io? manifest (no url logged) | 200 OK |",
        "## HEAD mirror.gcr.io? → 404 Not Found\n",
        "- source: buildkit-v0.26-mirror-miss.txt\n",
        "| 1, 2, 3, 4 |\n",
    ] {
        assert!(text.contains(row), "{row:?} in {text}");
    }
    assert!(!text.contains("## HEAD unknown"), "{text}");
    // Without --config nothing is inferred: the log names no host.
    let app = crate::test_support::files_with_seed_config(&files, false);
    let text = crate::app::report::trace(&app, MISS_TRACE);
    assert!(text.contains("## HEAD unknown → 404 Not Found"), "{text}");
    assert!(!text.contains(".io?"), "{text}");
}

// A trace whose lines are in two files (the log rotated mid-pull: the 404 in the first, the
// retries in the second) names both, and each row's and each failure's lines their file.
#[test]
fn a_trace_in_two_files_names_each_rows_file() {
    let (before, after): (Vec<&str>, Vec<&str>) = {
        let all: Vec<&str> = MISS.lines().collect();
        (all[..4].to_vec(), all[4..].to_vec())
    };
    let (a, b) = (before.join("\n"), after.join("\n"));
    let app = crate::test_support::files_with_seed_config(&[("a.log", &a), ("b.log", &b)], true);
    let text = crate::app::report::trace(&app, MISS_TRACE);
    for part in [
        "- sources: a.log, b.log\n",
        "| a.log 1, 2, 3, 4 |\n",
        "| b.log 1, 2, 3, 4 |\n",
        "| b.log 5, 6 |\n",
        "## Log lines of a.log (redacted)\n",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
}

// The review: `summary --config` listed the url-less requests under one `unknown` row (and
// Docker Hub's rate limit on it) where the Mirrors view shows `mirror.gcr.io?` and `docker.io?`.
// The summary now has the explorer's rows: the same hosts, inferred ones `inferred: true` and
// written with the mark, the same totals, and the rate limit on the inferred Docker Hub row.
// Without --config nothing is inferred, on either side.
#[test]
fn summary_lists_the_hosts_the_mirrors_view_infers() {
    for (name, text) in [
        ("buildkit-v0.26-mirror-miss.txt", MISS),
        ("mirror_gcr.log", GCR),
    ] {
        for config in [true, false] {
            let mut app = events_of(name, text, config);
            press(&mut app, "4"); // the Mirrors view, which computes the rows
            let s = crate::model::Summary::from_model(&app.model);
            let summary: Vec<(String, bool, u64, u64, u64)> = s
                .hosts
                .iter()
                .map(|h| (h.shown(), h.inferred, h.requests, h.errors, h.bytes))
                .collect();
            let explorer: Vec<(String, bool, u64, u64, u64)> = app
                .activity
                .hosts
                .iter()
                .filter(|h| !h.never_asked())
                .map(|h| {
                    let t = h.totals(&app.model);
                    (h.host.clone(), h.inferred, t.requests, t.errors, t.bytes)
                })
                .collect();
            assert_eq!(summary, explorer, "{name} config {config}");
            assert_eq!(
                summary.iter().any(|h| h.1),
                config,
                "{name} config {config}: {summary:?}"
            );
        }
    }
    let app = crate::test_support::app_with_seed_config("v0.26", MISS, true);
    let s = crate::model::Summary::from_model(&app.model);
    let limits: Vec<(&str, bool, Option<u64>)> = s
        .rate_limits
        .iter()
        .map(|r| (r.host.as_str(), r.inferred, r.lowest_remaining))
        .collect();
    assert_eq!(limits, [("docker.io", true, Some(99))]);
    let json = serde_json::to_value(&s).unwrap_or_default();
    assert_eq!(json["hosts"][0]["host"], "docker.io");
    assert_eq!(json["hosts"][0]["inferred"], true);
    assert_eq!(json["hosts"][2]["host"], "unknown");
    assert!(json["hosts"][2].get("inferred").is_none());
}
