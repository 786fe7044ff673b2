//! `/` and `n` / `N` in a waterfall: they land on the rows the search matches (a request by
//! its text, a span by its id), in order, and count them, on the reviewer's two-host trace of
//! `sample/demo.log` (`test_support::traced_demo`).

use super::*;
use crate::app::traces::WaterfallRow;
use crate::test_support::{DEMO_TRACES, traced_demo};

/// The demo's third trace (127.0.0.1:5010 then 127.0.0.1:5011) open in its waterfall.
fn two_host_waterfall() -> App {
    let mut app = App::from_log("demo.log", &traced_demo());
    app.update(Action::Layout(Rect::new(0, 3, 100, 14)));
    press(&mut app, "3");
    press(&mut app, "G");
    press(&mut app, "enter");
    assert_eq!(
        app.open_trace().map(|t| t.trace_id.as_str()),
        Some(DEMO_TRACES[2])
    );
    app
}

#[test]
fn n_in_a_waterfall_lands_on_the_rows_that_match() {
    let mut app = two_host_waterfall();
    let rows = app.waterfall_of(app.open_trace().expect("open"));
    // The requests sent to 127.0.0.1:5011, told by their own host field, not by the search:
    // the HEAD answered 200 and the six GETs refused 429.
    let to_5011: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            WaterfallRow::Event(id) => app
                .model
                .event(*id)
                .filter(|e| e.host.as_deref() == Some("127.0.0.1:5011"))
                .map(|_| i),
            WaterfallRow::Span { .. } => None,
        })
        .collect();
    assert_eq!(to_5011, (3..=9).collect::<Vec<_>>());
    // `match 1 of 7`, `n`, `N`, round both ways.
    assert_eq!(search_cycles(&mut app, "5011"), to_5011.len());
    // From the span row on top, `n` visits each of them in order, then goes round.
    press(&mut app, "g");
    for (k, &want) in to_5011.iter().enumerate() {
        press(&mut app, "n");
        assert_eq!(app.traces.wf_cursor.selected, want);
        let ev = app.selected_event().expect("a request row");
        assert_eq!(ev.host.as_deref(), Some("127.0.0.1:5011"));
        assert_eq!(said(&app), format!("match {} of 7", k + 1));
    }
    press(&mut app, "n");
    assert_eq!(app.traces.wf_cursor.selected, 3);
    assert_eq!(said(&app), "match 1 of 7 (went round: from the top)");
    assert!(app.traces.open.is_some(), "the waterfall stays open");
    // A span by its id: the search lands on its row, past the last request.
    press(&mut app, "G");
    press(&mut app, "/");
    type_text(&mut app, "3333cccc");
    assert_eq!(app.traces.wf_cursor.selected, 0);
    assert!(app.selected_span().is_some());
    assert_eq!(said(&app), "match 1 of 1 (went round: from the top)");
    // Nothing matches: the selection stays.
    press(&mut app, "/");
    type_text(&mut app, "no-such-host");
    assert_eq!(app.traces.wf_cursor.selected, 0);
    assert_eq!(said(&app), "no match in this view");
}

/// The third review: on a log without urls (BuildKit ≥ v0.16) every row reads `HEAD manifest`,
/// yet `/manifest` found nothing, in the Events view as in the waterfall: the KIND column's
/// word is searched (and a bare filter word finds it too).
#[test]
fn the_kind_a_row_shows_is_found() {
    const MISS: &str =
        include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let mut app = App::from_log("miss.txt", MISS);
    app.update(Action::Layout(Rect::new(0, 3, 100, 14)));
    assert!(app.model.events().all(|e| e.url.is_none()));
    let manifests = app.model.events().count();
    press(&mut app, "g");
    press(&mut app, "/");
    type_text(&mut app, "manifest");
    assert!(
        said(&app).ends_with(&format!("of {manifests}")),
        "{}",
        said(&app)
    );
    press(&mut app, "3");
    press(&mut app, "enter");
    press(&mut app, "/");
    type_text(&mut app, "manifest");
    assert!(said(&app).starts_with("match "), "{}", said(&app));
    press(&mut app, "/");
    type_text(&mut app, "blob");
    assert_eq!(said(&app), "no match in this view");
}

// The review: `e` in a waterfall built its rows six times (the error rows, the auth and the
// no-finding counts, the noun twice, the list's length), `n` twice (the matches, then the
// list's length). Each key now builds them once after the data changed, and not at all when
// it did not (`waterfall_cache.rs`).
#[test]
fn a_key_in_a_waterfall_builds_its_rows_once_at_most() {
    let mut app = two_host_waterfall();
    press(&mut app, "/");
    type_text(&mut app, "5011");
    for key in ["e", "E", "n", "N", "j", "k"] {
        // As a batch of lines or a refresh of the findings does.
        app.waterfall_data_changed();
        let before = app.waterfall_builds();
        press(&mut app, key);
        assert_eq!(app.waterfall_builds() - before, 1, "{key} after a change");
        let before = app.waterfall_builds();
        press(&mut app, key);
        assert_eq!(app.waterfall_builds() - before, 0, "{key} again");
    }
    // `e` still names the row and counts the failures from those rows.
    press(&mut app, "g");
    app.waterfall_data_changed();
    press(&mut app, "e");
    assert_eq!(
        said(&app),
        "auth failure 1 of 7 (failures: 1 auth, 6 errors)"
    );
}
