//! The inferred route of a request logged without host (`app::route`), on the real url-less
//! logs: with `--config` the Events table's HOST, the detail pane, the Traces list and the
//! waterfall write the inferred host marked `?`, and the detail pane says what it was inferred
//! from; without `--config` the rows stay `unknown`.

use super::{screen, screen_text};
use crate::app::{Action, App};

const MISS: &str =
    include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
const GCR: &str = include_str!("../../../tests/fixtures/seed/mirror_gcr.log");

/// In the snapshots' directory, with the other view snapshots.
fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

fn app_of(label: &str, text: &str, config: bool) -> App {
    crate::test_support::app_with_seed_config(label, text, config)
}

/// The screen's rows, joined.
fn text(a: &mut App, w: u16, h: u16) -> String {
    screen_text(&screen(a, w, h)).join("\n")
}

// The review: every row read `HEAD unknown - manifest 404 … google-clou…` and the detail pane
// only `registry docker.io`, while `events --config` routed each request.
#[test]
fn events_and_detail_show_the_inferred_host() {
    snapshots(|| {
        let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
        a.update(Action::ShowEvents);
        let all = text(&mut a, 120, 30);
        assert!(all.contains("HEAD mirror.gcr.io?"), "{all}");
        assert!(all.contains("HEAD docker.io?"), "{all}");
        assert!(
            all.contains("HEAD unknown"),
            "the challenge has no route: {all}"
        );
        insta::assert_snapshot!(
            "routes_events_with_config",
            screen(&mut a, 120, 30).backend()
        );
        // On the mirror's 404: the header and the route line with what it was inferred from.
        let at = a
            .events
            .rows
            .iter()
            .position(|&id| a.model.event(id).is_some_and(|e| e.status == Some(404)));
        let Some(at) = at else {
            panic!("no 404 row: {all}");
        };
        a.events.cursor.select(at, a.events.rows.len(), 10);
        let all = text(&mut a, 120, 30);
        assert!(all.contains("HEAD mirror.gcr.io? → 404 Not Found"), "{all}");
        assert!(
            all.contains("route docker.io via mirror.gcr.io (inferred, no host logged:"),
            "{all}"
        );
        insta::assert_snapshot!(
            "routes_detail_mirror_404",
            screen(&mut a, 120, 30).backend()
        );
    });
}

#[test]
fn without_config_the_rows_stay_unknown() {
    snapshots(|| {
        let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, false);
        a.update(Action::ShowEvents);
        let all = text(&mut a, 120, 30);
        assert!(!all.contains('?') || !all.contains(".io?"), "{all}");
        assert!(!all.contains(" route "), "{all}");
        insta::assert_snapshot!(
            "routes_events_without_config",
            screen(&mut a, 120, 30).backend()
        );
        let mut a = app_of("mirror_gcr.log", GCR, false);
        a.update(Action::ShowEvents);
        let all = text(&mut a, 120, 30);
        assert!(!all.contains("mirror.gcr.io?"), "{all}");
    });
}

// The review: the waterfall's rows had no host at all.
#[test]
fn traces_and_waterfall_show_the_inferred_host() {
    snapshots(|| {
        let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
        a.update(Action::ShowTraces);
        let all = text(&mut a, 120, 20);
        assert!(all.contains("docker.io? mirror.gcr.io? unknown"), "{all}");
        a.update(Action::Open);
        let all = text(&mut a, 120, 20);
        assert!(all.contains("HEAD mirror.gcr.io? manifest 404"), "{all}");
        assert!(all.contains("HEAD docker.io? manifest 200"), "{all}");
        insta::assert_snapshot!("routes_waterfall", screen(&mut a, 120, 20).backend());

        // The seed's real excerpt: every blob GET through the mirror.
        let mut a = app_of("mirror_gcr.log", GCR, true);
        a.update(Action::ShowTraces);
        a.update(Action::Open);
        let all = text(&mut a, 120, 20);
        assert!(all.contains("GET mirror.gcr.io? blob"), "{all}");
    });
}

#[test]
fn mirrors_view_gives_each_inferred_host_its_row() {
    snapshots(|| {
        let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
        a.update(Action::ShowMirrors);
        let all = text(&mut a, 140, 24);
        assert!(all.contains("mirror.gcr.io? 1"), "{all}");
        insta::assert_snapshot!("routes_mirrors", screen(&mut a, 140, 24).backend());
    });
}

// The review: the knowledge-base pane on this trace said `HEAD mirror.gcr.io? → 404 Not Found
// (line 2)` with several files open, where line 2 could be any of them. With one file the
// line number alone. The line is the 404's (line 3), as the evidence below it cites, not the
// request's (line 2: a second review).
#[test]
fn the_trace_kb_pane_names_the_file_of_the_line_when_several_are_open() {
    let demo = include_str!("../../../tests/fixtures/sample/demo.log");
    let files = [("buildkit-v0.26-mirror-miss.txt", MISS), ("demo.log", demo)];
    let mut a = crate::test_support::files_with_seed_config(&files, true);
    a.update(Action::ShowTraces);
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    assert!(a.show_kb);
    let all = text(&mut a, 240, 30);
    assert!(
        all.contains(
            "HEAD mirror.gcr.io? → 404 Not Found  (buildkit-v0.26-mirror-miss.txt line 3)"
        ),
        "{all}"
    );
    // The second review: the evidence under it said `line 3` alone, and so did the detail
    // pane's finding, where line 3 of the other file is another request.
    assert!(
        all.contains("buildkit-v0.26-mirror-miss.txt line 3 "),
        "the evidence names the file: {all}"
    );
    let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
    a.update(Action::ShowTraces);
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    let all = text(&mut a, 240, 30);
    assert!(
        all.contains("HEAD mirror.gcr.io? → 404 Not Found  (line 3)"),
        "{all}"
    );
    assert!(
        !all.contains(".txt line 3"),
        "one file: the line alone: {all}"
    );
}

/// The detail pane's finding and the Mirrors view's KB pane name the file of a line when
/// several are open (the second review: `✖ auth failure (oauth-token) line 25` where line 25
/// of the other file was a 200).
#[test]
fn the_detail_and_host_panes_name_the_file_of_a_line_when_several_are_open() {
    let demo = include_str!("../../../tests/fixtures/sample/demo.log");
    let files = [("buildkit-v0.26-mirror-miss.txt", MISS), ("demo.log", demo)];
    let mut a = crate::test_support::files_with_seed_config(&files, true);
    a.update(Action::ShowEvents);
    let Some(oauth) = a
        .findings
        .iter()
        .find(|f| f.kind.is_auth() && f.event.is_some())
        .cloned()
    else {
        panic!("the demo has an auth failure")
    };
    let row = a
        .events
        .rows
        .iter()
        .position(|&id| Some(id) == oauth.event)
        .unwrap_or(0);
    a.update(Action::SelectFirst);
    for _ in 0..row {
        a.update(Action::SelectNext);
    }
    a.show_detail = true;
    let all = text(&mut a, 240, 40);
    let want = format!("demo.log line {}: ", oauth.line);
    assert!(all.contains(&want), "{want}: {all}");
    // The Mirrors view's KB pane on the mirror of the other file's 404.
    a.update(Action::ShowMirrors);
    // `e`: each host with errors in turn, its KB pane open.
    let all = (0..6)
        .map(|_| {
            a.update(Action::NextError);
            a.show_kb = true;
            text(&mut a, 240, 40)
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        all.contains("of mirror.gcr.io?: buildkit-v0.26-mirror-miss.txt line 3"),
        "{all}"
    );
    assert!(
        all.contains("of 127.0.0.1:5001: demo.log lines 76, "),
        "{all}"
    );
}

// The review: `▾ span 5b1c2d3e4f5a6b7c resolving docker.io/library/node:20…` at 120 and 200
// columns, though the log's span name is exactly `resolving docker.io/library/node:20`: the
// label was cut at 60 columns whatever the width, and the `…` took the counts after the name.
#[test]
fn a_span_row_cuts_its_name_not_its_counts_and_is_whole_when_wide() {
    let mut a = app_of("buildkit-v0.26-mirror-miss.txt", MISS, true);
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    let span = |a: &mut App, w: u16| -> String {
        let rows = screen_text(&screen(a, w, 20));
        rows.into_iter()
            .find(|r| r.contains("▾ span"))
            .unwrap_or_default()
    };
    for w in [120, 200] {
        let row = span(&mut a, w);
        assert!(
            row.contains(
                "▾ span 5b1c2d3e4f5a6b7c resolving docker.io/library/node:20 (3, 1 failed) "
            ),
            "{w}: {row}"
        );
        assert!(!row.contains('…'), "{w}: {row}");
    }
    // Where it does not fit, the name is cut (its `…`) and the counts stay.
    let narrow = span(&mut a, 100);
    assert!(
        narrow.contains("▾ span 5b1c2d3e4f5a6b7c resolving docker.io/… (3, 1 failed) "),
        "{narrow}"
    );
    // Narrower, a few characters of the name beside the counts would say little: the name
    // takes their room (the row's colour says it failed).
    let narrower = span(&mut a, 70);
    assert!(
        narrower.starts_with("▾ span 5b1c2d3e4f5a6b7c resolving …"),
        "{narrower}"
    );
}

// A review: in a BuildKit >= v0.16 log (no url) the Events view never said which image a row
// was for, with 90 columns free; the span's image ref is known. PATH shows it in the room
// SERVED BY and TRACE leave, a bare filter word and `/` find it.
#[test]
fn a_url_less_row_shows_its_spans_image_ref() {
    let mut a = app_of("miss.log", MISS, false);
    let r: Vec<String> = text(&mut a, 200, 12).lines().map(str::to_owned).collect();
    let all = r.join("\n");
    assert!(r[2].contains(" PATH "), "{all}");
    assert!(
        r[3..6]
            .iter()
            .all(|l| l.contains("docker.io/library/node:20")),
        "{all}"
    );
    // SERVED BY and TRACE keep their room: the fingerprint is the evidence here.
    assert!(all.contains("google-cloud-storage"), "{all}");
    a.update(Action::ShowEvents);
    a.update(Action::Filter);
    for c in "node:20".chars() {
        a.update(Action::Input(crate::app::InputEdit::Char(c)));
    }
    a.update(Action::Input(crate::app::InputEdit::Submit));
    assert_eq!(a.filter.text(), "node:20");
    assert_eq!(a.events.rows.len(), a.model.events().len());
}
