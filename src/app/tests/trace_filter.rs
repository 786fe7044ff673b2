//! `f trace=<id>` takes a trace id or a span id, or its first digits, in the Events, Raw and
//! Traces views (README: "a trace or span id, or its first digits, as git takes a short
//! hash"), and a prefix two traces share is said on the status line.

use super::{GCR, press, said, type_text};
use crate::app::{Action, App, View};
use ratatui::layout::Rect;

const SPAN: &str = "9460e5b6e64cec91";
const TRACE: &str = "b162d3040ddf86d6614e79c66a01a577";
/// The second build: its own span, and a trace id sharing `b162` with the first.
const SPAN2: &str = "77aa00000000beef";
const TRACE2: &str = "b162ffff0ddf86d6614e79c66a01a577";

/// The seed capture (one trace, one span) and, with `second`, the same pull again in another
/// trace and span.
fn app(second: bool) -> App {
    let mut text = GCR.to_owned();
    if second {
        text.push_str(&GCR.replace(SPAN, SPAN2).replace(TRACE, TRACE2));
    }
    let mut app = App::from_log("gcr.log", &text);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app
}

fn filter(app: &mut App, expr: &str) {
    press(app, "f");
    // `f` opens on the filter in force: clear it first (Ctrl-U).
    press(app, "ctrl-u");
    type_text(app, expr);
}

/// The span ids of the Events view's rows.
fn spans(app: &App) -> Vec<String> {
    app.events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id)?.span_id.as_deref().map(str::to_owned))
        .collect()
}

// Reviewer's repro: `f trace=<first 8 of a span id>` gave `0 events match`, and the Raw view
// `no line matches the filter`: the term was compared with the trace id only.
#[test]
fn trace_takes_a_span_id_prefix_in_events_and_raw_lines() {
    let mut app = app(false);
    let all = app.events.rows.len();
    assert!(all >= 2, "{all} events");
    filter(&mut app, &format!("trace={}", &SPAN[..8]));
    assert_eq!(app.events.rows.len(), all, "{}", said(&app));
    assert_eq!(said(&app), format!("{all} events match"));
    press(&mut app, "2");
    assert_eq!(app.view, View::Raw);
    // Every line of the capture carries the span.
    assert_eq!(app.raw_rows.len(), GCR.lines().count(), "{}", said(&app));
    // The trace id's digits still work, and `span=` takes span ids only.
    filter(&mut app, &format!("trace={}", &TRACE[..8]));
    assert_eq!(app.raw_rows.len(), GCR.lines().count());
    filter(&mut app, &format!("span={}", &TRACE[..8]));
    assert_eq!(app.raw_rows.len(), 0);
    press(&mut app, "1");
    assert_eq!(app.events.rows.len(), 0);
    filter(&mut app, &format!("span={}", &SPAN[..4]));
    assert_eq!(app.events.rows.len(), all);
}

#[test]
fn a_span_prefix_picks_its_own_build_and_negation_the_other() {
    let mut app = app(true);
    let all = app.events.rows.len();
    filter(&mut app, &format!("trace={}", &SPAN2[..8]));
    let picked = spans(&app);
    assert_eq!(picked.len() * 2, all, "{picked:?}");
    assert!(picked.iter().all(|s| s == SPAN2), "{picked:?}");
    // One trace: no note.
    assert!(!said(&app).contains("matches"), "{}", said(&app));
    press(&mut app, "2");
    assert_eq!(app.raw_rows.len(), GCR.lines().count());
    assert!((0..app.raw_rows.len()).all(|i| {
        app.raw_rows
            .get(i)
            .and_then(|s| app.lines.get(s))
            .is_some_and(|l| l.text().contains(SPAN2))
    }));
    filter(&mut app, &format!("trace!={}", &SPAN2[..8]));
    assert_eq!(app.raw_rows.len(), GCR.lines().count());
    press(&mut app, "1");
    assert!(spans(&app).iter().all(|s| s == SPAN), "{:?}", spans(&app));
    assert_eq!(app.events.rows.len() * 2, all);
}

// A prefix two traces share showed both, silently.
#[test]
fn a_prefix_two_traces_share_is_said() {
    let mut app = app(true);
    let all = app.events.rows.len();
    filter(&mut app, "trace=b162");
    assert_eq!(app.events.rows.len(), all);
    assert_eq!(
        said(&app),
        format!("{all} events match; trace=b162 matches 2 traces (more digits pick one)")
    );
    // The Traces view lists both, and says it too.
    press(&mut app, "3");
    assert_eq!(app.traces.rows.len(), 2);
    filter(&mut app, "trace=b162");
    assert_eq!(
        said(&app),
        format!(
            "2 traces match ({all} events); trace=b162 matches 2 traces (more digits pick one)"
        )
    );
    // More digits: one trace, no note.
    filter(&mut app, &format!("trace={}", &TRACE[..8]));
    assert_eq!(app.traces.rows.len(), 1);
    assert_eq!(said(&app), format!("1 trace matches ({} events)", all / 2));
}
