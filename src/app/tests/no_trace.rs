//! `t` where it finds no trace to keep says what is true, in the empty Traces list's words
//! (review: `3` then `t` on demo.log, a log with no traceID, said `this row has no traceID`
//! though the list had no row).

use super::{DEMO, GCR, kept, press, said};
use crate::app::no_trace::TAGGED;
use crate::app::{Action, App, View};
use ratatui::layout::Rect;

fn app(name: &str, text: &str) -> App {
    let mut app = App::from_log(name, text);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app
}

#[test]
fn t_in_an_empty_traces_list_says_the_log_has_no_trace_id() {
    let mut app = app("demo.log", DEMO);
    press(&mut app, "3");
    assert!(app.traces.rows.is_empty());
    press(&mut app, "t");
    assert_eq!(
        said(&app),
        format!("no trace to show: no traceID in this log ({TAGGED})")
    );
    // The list says the same in its place.
    assert_eq!(
        app.no_traces().whole(),
        format!("no traceID in this log ({TAGGED})")
    );
    // A narrow bar keeps what is true.
    assert_eq!(
        app.status_message_within(60).as_deref(),
        Some("no trace to show: no traceID in this log")
    );
    assert!(app.trace_filter.is_none());
    assert_eq!(app.view, View::Traces);
    // On a real row of that log the row is what has no traceID.
    press(&mut app, "1");
    assert!(app.events.selected_event().is_some());
    press(&mut app, "t");
    assert_eq!(said(&app), "this row has no traceID");
}

/// A log with traces, all hidden by the filter: `t` says the filter did it, not the log.
#[test]
fn t_where_the_filter_hides_every_trace_says_so() {
    let mut app = app("gcr.log", GCR);
    assert_eq!(kept(&mut app, "host=nowhere.example"), 0);
    press(&mut app, "t");
    assert_eq!(said(&app), "no row to take a trace from: the view is empty");
    press(&mut app, "3");
    assert!(app.traces.rows.is_empty());
    press(&mut app, "t");
    assert_eq!(
        said(&app),
        "no trace to show: no trace passes the filter (Esc clears it)"
    );
    assert!(app.trace_filter.is_none());
}

/// The Mirrors view's rows are hosts: `t` says where it works.
#[test]
fn t_in_the_mirrors_view_says_its_rows_are_hosts() {
    let mut app = app("gcr.log", GCR);
    press(&mut app, "4");
    press(&mut app, "t");
    assert_eq!(
        said(&app),
        "t keeps the trace of an event (1), a line (2) or a trace (3): the Mirrors view's rows \
are hosts"
    );
    assert!(app.trace_filter.is_none());
}
