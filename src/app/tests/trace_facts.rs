//! A trace reads the same in the Traces list, the waterfall and the `x` report
//! (`App::trace_facts`): a retry refused after an `invalid_token` 401 is one failure in each,
//! and a trace with a request still waiting is timed to the newest line read, marked `≥`.

use super::*;
use crate::app::traces::WaterfallRow;
use crate::test_support::review_traces;

const REFUSED: &str = "a41cbbbb111111111111111111111111";
const WAITING: &str = "cccc0000222222222222222222222222";

// The report said `2 requests in 1 span, 2 failed` (the model's `Trace::errors`) where the
// header, the list's `1 auth` and the waterfall's `1 failed in 1 span` said one.
#[test]
fn the_report_counts_a_traces_failures_as_the_waterfall_does() {
    let app = App::from_log("review.log", &review_traces());
    let t = app.model.traces().get(REFUSED).expect("the trace");
    let waterfall: usize = app
        .waterfall_of(t)
        .iter()
        .map(|r| match r {
            WaterfallRow::Span { failed, .. } => *failed,
            WaterfallRow::Event(_) => 0,
        })
        .sum();
    assert_eq!((app.trace_facts(t).failed, waterfall), (1, 1));
    let text = crate::app::report::trace(&app, REFUSED);
    assert!(
        text.contains("- 2 requests in 1 span, 1 failed, 20ms, from 2026-11-24 13:08:35.400 UTC\n"),
        "{text}"
    );
    // One failure, one section with its lines.
    assert_eq!(text.matches("\n## HEAD ").count(), 1, "{text}");
}

// The list and the report said `20ms` (to the last answer) where the waterfall's axis ran to
// the newest line, 520ms after the trace's first request.
#[test]
fn a_trace_still_waiting_is_timed_to_the_newest_line_and_marked_running() {
    let app = App::from_log("review.log", &review_traces());
    let t = app.model.traces().get(WAITING).expect("the trace");
    let facts = app.trace_facts(t);
    assert!(facts.running);
    assert_eq!(facts.duration(), "≥520ms");
    let (first, last) = facts.extent.0.zip(facts.extent.1).expect("both ends");
    assert_eq!(first.millis_until(last), 520);
    let text = crate::app::report::trace(&app, WAITING);
    assert!(
        text.contains("- 2 requests in 1 span, 0 failed, ≥520ms, from "),
        "{text}"
    );
    // Answered everywhere: no mark.
    let done = app.model.traces().get(REFUSED).expect("the trace");
    assert!(!app.trace_facts(done).running);
}
