//! `K` and `d` in the Mirrors view, on real captures: the knowledge-base pane diagnoses the
//! selected host (the mirror verdicts about it, the entries that explain its failed requests)
//! and says why when nothing applies; `d` hides and shows the evidence under the hosts.

use super::{DEMO, app, screen, screen_text};
use crate::app::{Action, App};

/// In the snapshots' directory, with the other view snapshots.
fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

/// The Mirrors view with `host` selected.
fn on_host(mut a: App, host: &str) -> App {
    a.update(Action::ShowMirrors);
    let i = a
        .activity
        .hosts
        .iter()
        .position(|h| h.host == host)
        .unwrap_or_else(|| panic!("{host} in the hosts table"));
    let len = a.activity.hosts.len();
    a.hosts_cursor.select(i, len, 10);
    a
}

#[test]
fn k_on_a_mirror_shows_what_explains_its_fallbacks() {
    snapshots(|| {
        let mut a = on_host(app("demo.log", DEMO), "127.0.0.1:5001");
        a.update(Action::ToggleDiagnosis);
        let t = screen(&mut a, 120, 40);
        insta::assert_snapshot!("mirrors_kb_pane_on_the_mirror", t.backend());
        let shown = screen_text(&t).join("\n");
        assert!(shown.contains("Knowledge base"), "{shown}");
        assert!(shown.contains("Mirror of docker.io: PARTIAL"), "{shown}");
        assert!(shown.contains("mirror/not-proxied-404"), "{shown}");
    });
}

#[test]
fn k_on_a_healthy_host_says_why_there_is_no_entry() {
    snapshots(|| {
        let mut a = on_host(app("demo.log", DEMO), "registry-1.docker.io");
        a.update(Action::ToggleDiagnosis);
        let t = screen(&mut a, 120, 30);
        insta::assert_snapshot!("mirrors_kb_pane_nothing_to_diagnose", t.backend());
        let shown = screen_text(&t).join("\n");
        assert!(shown.contains("Nothing to diagnose on"), "{shown}");
    });
}

#[test]
fn d_hides_the_evidence_and_gives_the_hosts_the_room() {
    snapshots(|| {
        let mut a = on_host(app("demo.log", DEMO), "127.0.0.1:5001");
        let before = screen_text(&screen(&mut a, 100, 20)).join("\n");
        assert!(
            before.contains("evidence: docker.io → 127.0.0.1:5001"),
            "{before}"
        );
        a.update(Action::ToggleDetail);
        let t = screen(&mut a, 100, 20);
        insta::assert_snapshot!("mirrors_evidence_hidden", t.backend());
        let after = screen_text(&t).join("\n");
        assert!(!after.contains("evidence: docker.io"), "{after}");
        assert!(
            after.contains("evidence hidden"),
            "the status bar says what d did: {after}"
        );
    });
}

// The review: `K: why` on a configured mirror no request went to said "Nothing to diagnose
// on mirror.gcr.io: none of its 0 requests failed", the verdict's reason hidden with the
// evidence. The real plain_pull capture (pulls only from 127.0.0.1:5000) with the seed's
// buildkitd.toml (mirror.gcr.io for docker.io).
#[test]
fn k_on_a_mirror_no_request_went_to_gives_the_verdicts_reason() {
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/plain_pull.log");
    let a = crate::test_support::app_with_seed_config("plain_pull.log", log, true);
    let mut a = on_host(a, "mirror.gcr.io");
    a.update(Action::ToggleDiagnosis);
    let shown = screen_text(&screen(&mut a, 120, 40))
        .iter()
        .map(|r| r.split('│').nth(1).unwrap_or_default().trim().to_owned())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("Nothing to diagnose on mirror.gcr.io: no request went to it, and its mirror verdict is 'unknown' (no docker.io pull in this log"),
        "{shown}"
    );
    assert!(!shown.contains("none of its 0 requests"), "{shown}");
}
