//! Enter in the Raw view: the selected line's event, selected in the Events view with its
//! detail pane open; a line of no event, or of a hidden one, says so and stays.

use super::*;

/// The demo log in the Raw view, KB pane and detail pane closed, on line `number`.
fn raw_on_line(number: u64) -> App {
    let mut app = demo();
    press(&mut app, "esc");
    press(&mut app, "d");
    press(&mut app, "2");
    press(&mut app, "g");
    for _ in 1..number {
        press(&mut app, "j");
    }
    assert_eq!(app.selected_line().map(|l| l.number), Some(number));
    app
}

#[test]
fn enter_on_a_raw_line_selects_its_event_with_the_detail_pane_open() {
    let mut app = raw_on_line(22);
    assert!(
        app.selected_line()
            .is_some_and(|l| l.text().contains("fetch response received"))
    );
    assert!(!app.show_detail);
    let before = app.events.selected_event();
    let ev = app.selected_event().expect("line 22 has an event");
    let (id, method) = (ev.id, ev.method.as_deref().map(str::to_owned));
    assert_eq!(method.as_deref(), Some("HEAD"));
    assert_ne!(before, Some(id), "the Events view was elsewhere");
    press(&mut app, "enter");
    assert_eq!(app.view, View::Events);
    assert_eq!(app.selected_event().map(|e| e.id), Some(id));
    // The 13:08:35.240 HEAD, whose lines start at line 20 (`resolving`).
    let first = app.selected_event().and_then(|e| e.lines.first().copied());
    assert_eq!(first, Some(20));
    assert!(app.show_detail);
    assert!(!app.following(), "follow paused: the row stays selected");
    assert_eq!(said(&app), "line 22's fetch event");
    // Back in the Raw view it is still on line 22, not the event's first line.
    press(&mut app, "2");
    assert_eq!(app.selected_line().map(|l| l.number), Some(22));
}

#[test]
fn enter_on_a_line_of_no_event_says_so_and_stays() {
    let mut app = raw_on_line(1);
    assert!(app.selected_event().is_none());
    press(&mut app, "enter");
    assert_eq!(app.view, View::Raw);
    assert_eq!(said(&app), "line 1 belongs to no fetch event");
    assert_eq!(app.selected_line().map(|l| l.number), Some(1));
}

#[test]
fn enter_on_a_line_whose_event_the_filter_hides_says_so_and_stays() {
    let mut app = raw_on_line(22);
    // The Raw view ignores `status`: line 22 stays, its 200 event leaves the Events view.
    assert_eq!(kept(&mut app, "status>=400"), 11);
    assert_eq!(app.selected_line().map(|l| l.number), Some(22));
    press(&mut app, "enter");
    assert_eq!(app.view, View::Raw);
    assert_eq!(
        said(&app),
        "line 22's fetch event is not in the Events view: the filter hides it (esc steps back)"
    );
}
