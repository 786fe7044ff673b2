//! `K`, `d`, `e` and Esc in the Mirrors view, on real captures: the knowledge-base pane
//! diagnoses the selected host (its verdicts, the entries explaining its failed requests);
//! `d` hides the evidence, and the moving keys then move the host selection.

use super::*;
use crate::model::mirror::MirrorConfig;

const BASIC_NO_CREDS: &str =
    include_str!("../../../tests/fixtures/dockerd-20.10/mirror_basic_auth_no_creds.log");
const FALLBACK: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log");

/// The Mirrors view with `host` selected (as a click would select it).
fn on_host(app: &mut App, host: &str) {
    press(app, "4");
    let i = app
        .activity
        .hosts
        .iter()
        .position(|h| h.host == host)
        .unwrap_or_else(|| panic!("{host} in the hosts table"));
    let len = app.activity.hosts.len();
    app.hosts_cursor.select(i, len, 10);
}

#[test]
fn k_diagnoses_the_selected_host_from_its_verdict_or_its_failures() {
    // plain_pull's real requests with a config (the test's) naming a mirror for their registry
    // that no request went to, as src/kb/tests/real_lines.rs reads it.
    let never_asked = AppOptions {
        mirrors: MirrorConfig::from_buildkitd_toml(
            "[registry.\"127.0.0.1:5000\"]\n  mirrors = [\"127.0.0.1:5001\"]\n",
        )
        .expect("a valid config"),
        ..AppOptions::default()
    };
    let cases = [
        (
            AppOptions::default(),
            "demo.log",
            DEMO,
            "127.0.0.1:5001",
            "mirror/not-proxied-404",
        ),
        (
            AppOptions::default(),
            "no_creds.log",
            BASIC_NO_CREDS,
            "127.0.0.1:5001",
            "mirror/auth-required-fallback",
        ),
        (
            AppOptions::default(),
            "fallback.log",
            FALLBACK,
            "127.0.0.1:5001",
            "mirror/unreachable-fallback",
        ),
        (
            AppOptions::default(),
            "demo.log",
            DEMO,
            "127.0.0.1:5011",
            "ratelimit/docker-hub-429",
        ),
        (
            AppOptions::default(),
            "demo.log",
            DEMO,
            "127.0.0.1:5010",
            "auth/oauth-token-401",
        ),
        (
            never_asked,
            "plain_pull.log",
            PLAIN,
            "127.0.0.1:5000",
            "mirror/configured-never-used",
        ),
    ];
    for (opts, name, log, host, entry) in cases {
        let mut app = App::from_log_with(opts, name, log);
        let events_kb = app.show_kb;
        on_host(&mut app, host);
        assert!(
            !app.kb_shown(),
            "{name}: the Mirrors view opens without the pane"
        );
        press(&mut app, "K");
        assert!(app.kb_shown(), "{name} {host}");
        assert_eq!(
            app.show_kb, events_kb,
            "the other views' pane is left alone"
        );
        let hd = app.host_diagnosis();
        assert_eq!(hd.host, Some(host));
        let from_verdicts = hd
            .verdicts
            .iter()
            .flat_map(|v| v.diagnoses.iter().map(|d| d.id.as_str()));
        let from_findings = hd.entries.iter().map(|e| e.diagnosis.id.as_str());
        let ids: Vec<&str> = from_verdicts.chain(from_findings).collect();
        assert_eq!(ids.first().copied(), Some(entry), "{name} {host}: {ids:?}");
        assert!(hd.why_none().is_none());
        // Every finding of the host is accounted for: explained by an entry, or listed as not.
        let mut on_host: Vec<u64> = app
            .findings
            .iter()
            .filter(|f| f.host.as_deref() == Some(host))
            .map(|f| f.line)
            .collect();
        let mut listed: Vec<u64> = hd
            .entries
            .iter()
            .flat_map(|e| e.findings.iter().map(|f| f.line))
            .chain(hd.unexplained.iter().map(|f| f.line))
            .collect();
        on_host.sort_unstable();
        listed.sort_unstable();
        listed.dedup();
        assert_eq!(listed, on_host, "{name} {host}");
        press(&mut app, "esc");
        assert!(!app.kb_shown(), "{name}: Esc closes the host's pane");
    }
}

#[test]
fn k_on_a_host_with_nothing_to_explain_says_why() {
    let mut app = App::from_log("demo.log", DEMO);
    on_host(&mut app, "registry-1.docker.io");
    press(&mut app, "K");
    let hd = app.host_diagnosis();
    assert!(hd.is_empty());
    assert_eq!(app.model.host_errors("registry-1.docker.io"), 0);
    let why = hd.why_none().unwrap_or_default();
    let requests = app
        .model
        .stats()
        .hosts
        .get("registry-1.docker.io")
        .map_or(0, |s| s.requests);
    assert!(requests > 0);
    assert!(
        why.contains(&format!("none of its {requests} requests failed")),
        "{why}"
    );
    assert!(
        why.contains("'partial'"),
        "the verdict about its upstream: {why}"
    );
}

#[test]
fn d_toggles_the_evidence_and_the_moving_keys_follow_it() {
    let mut app = demo();
    let detail = app.show_detail;
    on_host(&mut app, "127.0.0.1:5001");
    app.update(Action::Extents(crate::app::scroll::Extents {
        evidence: crate::app::scroll::Extent {
            rows: 30,
            height: 10,
        },
        ..Default::default()
    }));
    // Shown: j scrolls the evidence, the host stays.
    press(&mut app, "j");
    assert_eq!((app.hosts_cursor.selected, app.scrolls.evidence), (0, 1));
    press(&mut app, "d");
    assert!(!app.evidence_shown());
    assert_eq!(
        app.show_detail, detail,
        "the Events view's detail pane is its own"
    );
    assert!(
        app.status_message()
            .is_some_and(|m| m.contains("evidence hidden")),
        "{:?}",
        app.status_message()
    );
    // Hidden: j moves the host selection.
    press(&mut app, "j");
    assert_eq!(app.hosts_cursor.selected, 1);
    press(&mut app, "d");
    assert!(app.evidence_shown());
    assert!(
        app.status_message()
            .is_some_and(|m| m.contains("evidence shown"))
    );
    press(&mut app, "j");
    assert_eq!(app.hosts_cursor.selected, 1);
}

#[test]
fn e_in_the_mirrors_view_opens_the_pane_on_a_diagnosed_host() {
    let mut app = demo();
    press(&mut app, "esc");
    on_host(&mut app, "registry-1.docker.io");
    press(&mut app, "e");
    let host = app.selected_host().map(str::to_owned);
    assert!(
        host.as_deref()
            .is_some_and(|h| app.model.host_errors(h) > 0),
        "{host:?}"
    );
    assert!(app.kb_shown());
    assert!(!app.host_diagnosis().is_empty());
}
