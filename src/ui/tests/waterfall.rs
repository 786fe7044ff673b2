//! The waterfall of a trace followed live: a request waiting for its answer (`░` up to the
//! newest line, status `…`), then failed without an answer (`ERR`, its span in the error
//! colour); START and DUR columns; whole ids.

use super::{app, theme, view};
use crate::app::Action;
use crate::source::SourceEvent;
use crate::test_support::{numbered_lines, traced_oauth};
use crate::ui::trace_view;

#[test]
fn waterfall_of_a_trace_while_its_retry_waits_then_fails() {
    // With the other view snapshots, in src/ui/snapshots/.
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(waterfall_while_followed);
}

fn waterfall_while_followed() {
    let lines = traced_oauth();
    let mut a = app("traced.log", &lines[..24].join("\n"));
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    insta::assert_snapshot!(
        "waterfall_retry_waiting",
        view(&a, 100, 8, trace_view::render).backend()
    );
    let more = numbered_lines(lines[24..].iter().map(String::as_str), 25);
    a.update(Action::Source(SourceEvent::Lines(more)));
    let t = view(&a, 100, 8, trace_view::render);
    insta::assert_snapshot!("waterfall_retry_failed", t.backend());
    // The span of the failed request is drawn in the error colour.
    assert_eq!(t.backend().buffer()[(0, 2)].fg, theme().error.fg.unwrap());
}
