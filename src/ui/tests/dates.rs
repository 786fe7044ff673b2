//! The Events view's TIME and the Traces list's FIRST on a log of two days
//! (`tests/fixtures/sample/across_days.log`): dated, so rows of different days read apart; the
//! one-day snapshots elsewhere keep the clock alone.

use super::{app, view};
use crate::app::Action;
use crate::ui::{events_view, trace_view};

const ACROSS: &str = include_str!("../../../tests/fixtures/sample/across_days.log");

/// In the snapshots' directory, with the other view snapshots.
fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

#[test]
fn events_view_of_two_days() {
    snapshots(|| {
        let a = app("across_days.log", ACROSS);
        let t = view(&a, 100, 12, events_view::render);
        insta::assert_snapshot!("events_view_across_days", t.backend());
    });
}

#[test]
fn trace_list_of_two_days() {
    // The captures carry no traceID: each one's registry lines tagged as one trace, as
    // BuildKit >= v0.16 tags them (tests/fixtures/SOURCES.md).
    let text: Vec<String> = ACROSS
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            20..=38 => {
                format!("{l} spanID=0d1a0d1a0d1a0d1a traceID=0d1a0d1a0d1a0d1a0d1a0d1a0d1a0d1a")
            }
            74..=95 => {
                format!("{l} spanID=0d2b0d2b0d2b0d2b traceID=0d2b0d2b0d2b0d2b0d2b0d2b0d2b0d2b")
            }
            _ => l.to_owned(),
        })
        .collect();
    snapshots(|| {
        let mut a = app("across_days.log", &text.join("\n"));
        a.update(Action::ShowTraces);
        let t = view(&a, 100, 4, trace_view::render);
        insta::assert_snapshot!("trace_list_across_days", t.backend());
        // The waterfall's time axis starts at the trace's first request, dated too.
        a.update(Action::SelectLast);
        a.update(Action::Open);
        let t = view(&a, 100, 6, trace_view::render);
        insta::assert_snapshot!("waterfall_across_days", t.backend());
    });
}
