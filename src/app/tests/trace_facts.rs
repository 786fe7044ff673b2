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

// The list read `4 404` for a trace of 3×404 and 1×500 that a fallback got past, and `7 auth`
// for one auth failure and six 429s.
#[test]
fn the_failed_cell_tells_kinds_apart_and_marks_a_recovered_trace() {
    use crate::test_support::{DEMO_TRACES, traced_demo};
    let app = App::from_log("demo.log", &traced_demo());
    let trace = |i: usize| app.model.traces().get(DEMO_TRACES[i]).expect("the trace");
    assert_eq!(app.failed_cell(trace(0), 12), "");
    // Every failure of the mirror pull was recovered by registry-1.docker.io.
    let mirror = trace(1);
    assert!(
        mirror
            .events
            .iter()
            .filter_map(|&id| app.model.event(id))
            .filter(|e| app.is_failure(e))
            .all(|e| app.is_recovered(e))
    );
    assert_eq!(app.failed_cell(mirror, 12), "3×404 1×500↩");
    assert_eq!(app.failed_cell(mirror, 11), "4 (404…)↩");
    // The refused token is recovered by nothing: no mark.
    assert_eq!(app.failed_cell(trace(2), 12), "1×auth 6×429");
    assert_eq!(app.failed_cell(trace(2), 9), "7 (auth…)");
}

// The waterfall of a trace that went to 127.0.0.1:5010 and 127.0.0.1:5011 named neither.
#[test]
fn a_trace_to_two_hosts_names_each_rows_host() {
    use crate::app::traces::{many_hosts, row_host};
    use crate::test_support::{DEMO_TRACES, traced_demo};
    let app = App::from_log("demo.log", &traced_demo());
    let one = app.model.traces().get(DEMO_TRACES[0]).expect("the trace");
    let two = app.model.traces().get(DEMO_TRACES[2]).expect("the trace");
    assert!(!many_hosts(&app.model, one));
    assert!(many_hosts(&app.model, two));
    let hosts: Vec<String> = two
        .events
        .iter()
        .filter_map(|&id| app.model.event(id))
        .filter_map(|e| row_host(&app.model, e, true).map(|h| h.into_owned()))
        .collect();
    assert_eq!(hosts.len(), two.events.len());
    assert_eq!(hosts[0], "127.0.0.1:5010");
    assert_eq!(hosts.last().map(String::as_str), Some("127.0.0.1:5011"));
    // One host: no row names it (the list's HOSTS column does).
    let ev = app.model.event(one.events[0]).expect("an event");
    assert_eq!(row_host(&app.model, ev, false), None);
}

// Six identical 429s gave the same diagnosis six times; `summary` groups them.
#[test]
fn the_trace_report_gives_each_diagnosis_once_with_its_lines() {
    use crate::test_support::{DEMO_TRACES, traced_demo};
    let app = App::from_log("demo.log", &traced_demo());
    let text = crate::app::report::trace(&app, DEMO_TRACES[2]);
    // Each failed request keeps its section, with its finding.
    assert_eq!(text.matches("\n## GET ").count(), 6, "{text}");
    assert_eq!(
        text.matches("diagnosis below: `ratelimit/docker-hub-429`")
            .count(),
        6,
        "{text}"
    );
    // The entry itself once, with the lines it explains, as `summary` lists a group.
    assert_eq!(
        text.matches("(`ratelimit/docker-hub-429`)").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("(`auth/oauth-token-401`)").count(),
        1,
        "{text}"
    );
    assert!(text.contains("## Diagnoses\n"), "{text}");
    assert!(
        text.contains("Explains lines 177, 179, 181 … (6 in all).\n"),
        "{text}"
    );
    assert_eq!(
        crate::app::words::lines_label(&[177, 179, 181, 183, 185, 187]),
        "lines 177, 179, 181 … (6 in all)"
    );
}

// The second review: the report of the `3×404 1×500↩` trace said `4 failed` and never that a
// fallback got past every one; the refused token's trace has nothing recovered.
#[test]
fn the_trace_report_says_what_was_recovered() {
    use crate::test_support::{DEMO_TRACES, traced_demo};
    let app = App::from_log("demo.log", &traced_demo());
    let text = crate::app::report::trace(&app, DEMO_TRACES[1]);
    assert!(
        text.contains(", 4 failed (all recovered: a fallback or a retry served them)"),
        "{text}"
    );
    assert_eq!(
        text.matches("; recovered: registry-1.docker.io served it next")
            .count(),
        4,
        "{text}"
    );
    let text = crate::app::report::trace(&app, DEMO_TRACES[2]);
    assert!(!text.contains("recovered"), "{text}");
}
