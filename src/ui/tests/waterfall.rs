//! The waterfall of a trace followed live: a request waiting for its answer (`░` up to the
//! newest line, status `…`), then failed without an answer (`ERR`, its span in the error
//! colour); START and DUR columns; whole ids. The Traces list says what failed first in each
//! trace, and `/` finds a trace by what its requests show.

use super::{app, theme, view};
use crate::app::{Action, App, InputEdit};
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

// The review: on whole-second logs the trace's first row read START `+<1s`, as if its offset
// from itself were unknown. Its first request and the span opening with it read `+0`; the
// other requests of that second keep `+<1s` (they came after it, the log cannot say by how
// much).
#[test]
fn the_first_request_of_a_whole_second_trace_starts_at_plus_0() {
    let mut a = app("mirror_gcr.log", super::GCR);
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    let t = view(&a, 100, 8, trace_view::render);
    let rows: Vec<Vec<char>> = super::screen_text(&t)
        .iter()
        .map(|r| r.chars().collect())
        .collect();
    // The START cells are right-aligned under their heading, 7 columns wide.
    let end = rows[1]
        .windows(5)
        .position(|w| w == ['S', 'T', 'A', 'R', 'T']);
    let end = end.expect("the START heading") + 5;
    let start: Vec<String> = rows[2..6]
        .iter()
        .map(|r| r[end - 7..end].iter().collect::<String>().trim().to_owned())
        .collect();
    assert_eq!(start, ["+0", "+0", "+<1s", "+<1s"]);
    let rows = super::screen_text(&t);
    assert!(rows[2].starts_with("▾ span 9460e5b6e64cec91"), "{rows:#?}");
    assert!(rows[3].starts_with("  GET blob 200 1.4K"), "{rows:#?}");
}

/// The GCR seed (no failure), the traced oauth failure, and dockerd-20.10/rate_limited_429.log
/// with its registry lines (20-36) tagged as one more trace.
fn three_traces() -> App {
    let limited: Vec<String> =
        include_str!("../../../tests/fixtures/dockerd-20.10/rate_limited_429.log")
            .lines()
            .enumerate()
            .map(|(i, l)| match i + 1 {
                20..=36 => {
                    format!("{l} spanID=77d1e5a1f00dba11 traceID=0429a2d41e1644eeb6719a13161a4a31")
                }
                _ => l.to_owned(),
            })
            .collect();
    let text = format!(
        "{}\n{}\n{}",
        super::GCR,
        traced_oauth().join("\n"),
        limited.join("\n")
    );
    app("three.log", &text)
}

#[test]
fn trace_list_says_what_failed_first() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = three_traces();
        a.update(Action::ShowTraces);
        insta::assert_snapshot!(
            "trace_list_failed_column",
            view(&a, 100, 5, trace_view::render).backend()
        );
    });
}

#[test]
fn search_in_the_trace_list_finds_a_trace_by_its_requests() {
    let mut a = three_traces();
    a.update(Action::ShowTraces);
    a.update(Action::SelectFirst);
    a.update(Action::Search);
    for c in "oauth token".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    assert_eq!(a.traces.selected(), Some(crate::test_support::TRACED_TRACE));
    // A span id finds its trace too.
    a.update(Action::Search);
    for c in "77d1e5a1".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    assert_eq!(
        a.traces.selected(),
        Some("0429a2d41e1644eeb6719a13161a4a31")
    );
}

/// A log whose traceIDs are all on non-registry lines (the traced oauth fixture cut before its
/// first registry line): the empty list says so and where to look, not "no traceID".
#[test]
fn trace_list_when_only_non_registry_lines_carry_trace_ids() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = app("solver.log", &traced_oauth()[..19].join("\n"));
        a.update(Action::ShowTraces);
        insta::assert_snapshot!(
            "trace_list_ids_on_other_lines_only",
            view(&a, 100, 2, trace_view::render).backend()
        );
    });
}

/// `t` on the traced oauth failure, then the Raw view: every line of the trace, the solver's
/// too, each with its span id beside its number.
#[test]
fn raw_view_of_one_trace_shows_each_lines_span() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = app("traced.log", &traced_oauth().join("\n"));
        a.update(Action::ShowTraces);
        a.update(Action::FilterTrace);
        a.update(Action::ShowRaw);
        a.update(Action::SelectFirst);
        insta::assert_snapshot!(
            "raw_view_one_trace_with_spans",
            view(&a, 100, 13, crate::ui::raw_view::render).backend()
        );
    });
}
