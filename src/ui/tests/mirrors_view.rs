//! The Mirrors/Hosts view: evidence scrolled and never cut silently, whole counts and rates,
//! fingerprint explanations wrapped, every host kept past `--max-events`, requests in flight.

use super::*;

// At 80×24 on demo.log only L22–L91 fit and no key scrolled the evidence; evidence lines were
// cut before their result (`… with ns=docker.io:`), and hosts, server names and column titles
// were cut with no ellipsis (`registry-1.docker.i`, `distri`, `REQUES`).
#[test]
fn mirrors_view_scrolls_its_evidence_and_cuts_nothing_silently() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let rows = screen_text(&screen(&mut a, 80, 24));
    let all = rows.join("\n");
    assert!(all.contains("registry-1.docker.io "), "{all}");
    for title in ["HOST", "REQS", "SERVED BY", "REQUESTS"] {
        assert!(all.contains(title), "{title}: {all}");
    }
    assert!(all.contains(" distribution "), "{all}");
    // Each evidence line ends with its result, on the row or wrapped under it.
    let evidence_at = rows
        .iter()
        .position(|r| r.starts_with("evidence: docker.io"))
        .expect("the evidence");
    assert!(rows[evidence_at + 1].contains("L22 served by the mirror"));
    assert!(
        rows[evidence_at + 1].trim_end().ends_with("200 OK")
            || rows[evidence_at + 2].trim_end().ends_with("200 OK"),
        "{all}"
    );
    assert!(!all.contains("L102"), "the last lines are below");
    // The moving keys scroll the evidence to its end, and back.
    a.update(Action::SelectLast);
    let rows = screen_text(&screen(&mut a, 80, 24));
    let all = rows.join("\n");
    assert!(all.contains("L102 direct to the upstream"), "{all}");
    assert!(all.contains("25/25"), "the position: {all}");
    a.update(Action::SelectPrev);
    a.update(Action::PageUp);
    a.update(Action::SelectFirst);
    let rows = screen_text(&screen(&mut a, 80, 24));
    assert!(rows.iter().any(|r| r.starts_with("evidence: docker.io")));
    a.update(Action::SelectNext);
    let rows = screen_text(&screen(&mut a, 80, 24));
    assert!(!rows.iter().any(|r| r.starts_with("evidence: docker.io")));
    // The host selection stays where it was: the keys moved the evidence only.
    assert_eq!(a.hosts_cursor.selected, 0);
}

// On the 200 MiB corpus the counts were cut to 10 columns (`0/24915/22` for 2,280 fallbacks),
// hosts' error rates rounded down (`85%` for 6 of 7, `0%` for 180 of 24,915), and at 15 rows
// the hosts table took the whole view, the evidence none.
#[test]
fn mirrors_view_shows_whole_counts_rates_and_evidence_on_a_short_screen() {
    let _snapshots = shared_snapshots();
    let miss = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log");
    let mut a = app("many.log", &miss.repeat(300));
    a.update(Action::ShowMirrors);
    let v = &a.model.mirror_verdicts()[0];
    let counts = format!("{}/{}/{}", v.via_mirror, v.direct, v.fallbacks);
    assert!(counts.len() > 10, "{counts}");
    let all = screen_text(&screen(&mut a, 120, 15)).join("\n");
    assert!(all.contains(&format!(" {counts} ")), "{counts}: {all}");
    assert!(all.contains("evidence: docker.io"), "{all}");
    // 6 of 7 failed on the rate-limited host of the demo: 86%, not 85%.
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let all = screen_text(&screen(&mut a, 160, 40)).join("\n");
    let row = all
        .lines()
        .find(|r| r.starts_with("127.0.0.1:5011"))
        .expect("the rate-limited host");
    assert!(row.contains(" 86% "), "{row}");
}

#[test]
fn error_rates_round_but_never_hide_an_error_or_a_success() {
    let _snapshots = shared_snapshots();
    use crate::app::words::error_rate;
    assert_eq!(error_rate(0, 7), "0%");
    assert_eq!(error_rate(6, 7), "86%");
    assert_eq!(error_rate(180, 24_915), "1%");
    assert_eq!(error_rate(100, 24_915), "<1%");
    assert_eq!(error_rate(24_914, 24_915), ">99%");
    assert_eq!(error_rate(5, 5), "100%");
    assert_eq!(error_rate(0, 0), "–");
}

// A fingerprint's explanation is long: it wraps under its line number, whole.
#[test]
fn mirrors_view_wraps_a_fingerprint_explanation() {
    let _snapshots = shared_snapshots();
    let opts = crate::app::AppOptions {
        mirrors: crate::model::mirror::MirrorConfig::from_daemon_json(
            r#"{"registry-mirrors": ["https://mirror.gcr.io"]}"#,
        )
        .unwrap(),
        ..crate::app::AppOptions::default()
    };
    let mut a = App::from_log_with(opts, "mirror_gcr.log", GCR);
    a.update(Action::ShowMirrors);
    let why = a
        .model
        .mirror_verdicts()
        .iter()
        .flat_map(|v| v.evidence.iter().map(|e| e.why.clone()))
        .find(|w| w.contains("the server behind"))
        .expect("a served-behind evidence line");
    let rows = screen_text(&screen(&mut a, 80, 30));
    let shown: String = rows
        .iter()
        .skip_while(|r| !(r.trim_start().starts_with('L') && r.contains(&why[..20])))
        .take_while(|r| !r.starts_with('─'))
        .map(|r| r.trim().to_owned())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(shown.contains(&why), "'{why}' is not whole in: {shown}");
}

#[test]
fn mirrors_and_hosts_view_demo() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let t = view(&a, 100, 16, |f, area, app, th| {
        let [top, rest] = Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(area);
        mirror_view::render_verdicts(f, top, app, th);
        mirror_view::render_hosts(f, rest, app, th);
    });
    insta::assert_snapshot!(t.backend());
}

// With `--max-events 10` the mirror 127.0.0.1:5001 (8 requests, 4 failed; all its events
// dropped) was missing from the hosts table under its own PARTIAL verdict: it has its row, and
// a note under the table says what the counts are of.
#[test]
fn mirrors_view_keeps_every_host_past_max_events_and_says_so() {
    let _snapshots = shared_snapshots();
    let opts = crate::app::AppOptions {
        max_events: Some(10),
        ..crate::app::AppOptions::default()
    };
    let mut a = App::from_log_with(opts, "demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let dropped = a.model.evicted_count();
    assert_eq!(dropped, 11);
    let t = view(&a, 100, 12, mirror_view::render_hosts);
    let rows = screen_text(&t);
    let mirror = rows.iter().find(|r| r.starts_with("127.0.0.1:5001 "));
    let mirror = mirror.map(|r| r.split_whitespace().take(3).collect::<Vec<_>>());
    assert_eq!(
        mirror,
        Some(vec!["127.0.0.1:5001", "8", "50%"]),
        "{rows:#?}"
    );
    // The note right under the last host.
    let last = rows
        .iter()
        .rposition(|r| r.starts_with("registry-1.docker.io "));
    let note = last
        .and_then(|i| rows.get(i + 1))
        .cloned()
        .unwrap_or_default();
    assert!(
        note.starts_with("events past the cap: 11 dropped; counts are of the whole input"),
        "{rows:#?}"
    );
    insta::assert_snapshot!(t.backend());
    // Without a cap, no note.
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let rows = screen_text(&view(&a, 100, 12, mirror_view::render_hosts));
    assert!(!rows.join("\n").contains("past the cap"), "{rows:#?}");
}

// A request still waiting showed `REQS 0`, `PEAK 0` and no in-flight bar for its host.
#[test]
fn mirrors_view_counts_a_request_still_waiting_in_flight() {
    let _snapshots = shared_snapshots();
    // dockerd-20.10/plain_pull.log up to line 37: the layer GET waits for its answer (38).
    let lines: Vec<&str> = PLAIN.lines().take(37).collect();
    let mut a = app("plain_pull.log", &lines.join("\n"));
    a.update(Action::ShowMirrors);
    let host = &a.activity.hosts[0];
    let counted = a
        .model
        .stats()
        .hosts
        .get(&host.host)
        .map_or(0, |s| s.requests);
    assert_eq!(a.model.host_requests(&host.host), counted + 1);
    assert_eq!(host.peak, 1);
    let t = view(&a, 100, 8, mirror_view::render_hosts);
    insta::assert_snapshot!(t.backend());
}
