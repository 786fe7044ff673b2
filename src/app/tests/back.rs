//! Esc steps back as the help says (`pane, trace, search, filter`): the kb pane, then the
//! detail pane, then the trace, the search and the filter.

use super::*;

#[test]
fn esc_closes_the_kb_pane_then_the_detail_pane_then_search_and_filter() {
    let mut app = demo();
    press(&mut app, "f");
    type_text(&mut app, "status>=400");
    press(&mut app, "/");
    type_text(&mut app, "oauth");
    // The landing opened the kb pane on the auth failure; the detail pane is on.
    assert!(app.kb_shown() && app.detail_shown());
    press(&mut app, "esc");
    assert!(!app.kb_shown() && app.detail_shown(), "the kb pane first");
    assert_eq!(said(&app), "knowledge-base pane closed (K opens it)");
    press(&mut app, "esc");
    assert!(!app.detail_shown(), "then the detail pane");
    assert_eq!(said(&app), "detail pane closed (d opens it)");
    assert!(app.search.is_some() && !app.filter.is_empty());
    press(&mut app, "esc");
    assert_eq!(said(&app), "search cleared");
    press(&mut app, "esc");
    assert_eq!(said(&app), "filter cleared");
    press(&mut app, "d");
    assert!(app.detail_shown(), "d opens it again");
}

#[test]
fn esc_closes_the_detail_pane_in_the_raw_view_too() {
    let mut app = demo();
    press(&mut app, "esc");
    press(&mut app, "2");
    assert!(app.detail_shown());
    press(&mut app, "esc");
    assert!(!app.detail_shown());
    assert_eq!(app.view, View::Raw);
}

#[test]
fn esc_leaves_the_mirrors_views_evidence_alone() {
    let mut app = demo();
    press(&mut app, "4");
    assert!(app.evidence_shown());
    press(&mut app, "esc");
    assert!(app.evidence_shown(), "part of the view: d hides it");
}

/// The review: Esc that closed a waterfall left only the key hints, where closing the detail
/// pane said so.
#[test]
fn esc_says_it_closed_the_waterfall() {
    let mut app = App::from_log("gcr.log", GCR);
    press(&mut app, "3");
    press(&mut app, "enter");
    assert!(app.traces.open.is_some());
    while app.traces.open.is_some() && (app.kb_shown() || app.detail_shown()) {
        press(&mut app, "esc");
    }
    press(&mut app, "esc");
    assert_eq!(app.traces.open, None);
    assert_eq!(
        said(&app),
        "waterfall closed: the trace list (enter opens it again)"
    );
}

/// The third review: an Esc with nothing left to close kept the Esc before it's words, so
/// `detail pane closed (d opens it)` read as if it had closed again; the key hints come back
/// instead. Another message (a source's, a report's) still stays.
#[test]
fn an_esc_with_nothing_to_close_clears_the_last_esc_s_words() {
    let mut app = demo();
    while app.kb_shown() || app.detail_shown() {
        press(&mut app, "esc");
    }
    assert_eq!(said(&app), "detail pane closed (d opens it)");
    press(&mut app, "esc");
    assert_eq!(app.status_message(), None);
    // Not another message: a key bound to nothing leaves it, and so does Esc.
    app.say("a message of its own");
    press(&mut app, "esc");
    assert_eq!(said(&app), "a message of its own");
}

// CI (tests/e2e/tui.sh at 927eb74): Esc and `4` sent back to back were read in one read as
// Alt-4, which nothing is bound to: the search prompt stayed open and the next `q` was typed
// into it. Such a key is the two presses it was.
#[test]
fn an_esc_read_with_the_next_key_is_both_presses() {
    let mut app = demo();
    press(&mut app, "/");
    assert!(app.prompt.is_some());
    press(&mut app, "alt-4");
    assert!(app.prompt.is_none(), "the Esc closed the prompt");
    assert_eq!(app.view, View::Mirrors, "then 4 switched the view");
    // Outside a prompt too: Esc steps back (the kb pane the landing opened), then the key.
    let mut app = demo();
    assert!(app.kb_shown());
    press(&mut app, "alt-2");
    assert!(!app.kb_shown());
    assert_eq!(app.view, View::Raw);
    // A bound Alt key keeps its binding.
    let mut app = demo();
    let (keymap, problems) = crate::app::keymap::Keymap::from_sources(Some((
        std::path::Path::new("keymap.yaml"),
        "show_mirrors: [\"4\", alt-2]\n",
    )));
    assert!(problems.is_empty(), "{problems:?}");
    app.keymap = keymap;
    press(&mut app, "alt-2");
    assert_eq!(app.view, View::Mirrors);
}
