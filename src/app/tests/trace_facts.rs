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

// The review: the v0.26 mirror miss repeated 20,000 times (fresh trace and span ids per copy)
// showed `1 404` with no `↩` on each early trace, while the same trace alone showed `1 404↩`
// and `summary` said its 404s were recovered: the explorer keeps at most MAX_FINDINGS
// findings and lets the oldest eighth go, and a failure judged by its findings alone lost its
// mark with them. The model now marks the event too.
#[test]
fn a_trace_keeps_its_recovered_mark_when_its_findings_were_let_go() {
    const MISS: &str =
        include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    const TRACE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const SPAN: &str = "5b1c2d3e4f5a6b7c";
    // One 404 finding per copy: one past the cap lets the oldest eighth go.
    let copies = crate::model::MAX_FINDINGS + 1;
    let mut text = String::with_capacity(MISS.len() * copies);
    for i in 0..copies {
        let copy = MISS
            .replace(
                TRACE,
                &format!("{:032x}", 0xabc0_0000_0000_0000_u64 + i as u64),
            )
            .replace(
                SPAN,
                &format!("{:016x}", 0x5b00_0000_0000_0000_u64 + i as u64),
            );
        text.push_str(&copy);
    }
    let mut app = crate::test_support::app_with_seed_config("big.log", &text, true);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    assert_eq!(app.traces.rows.len(), copies);
    let cell = |app: &App, row: usize| -> String {
        let id = &app.traces.rows[row];
        let t = app.model.traces().get(id).expect("a listed trace");
        app.failed_cell(t, 20)
    };
    // The first trace's finding was let go; the last one's is kept. Both were recovered.
    let first = app.traces.rows[0].clone();
    let ev = app.model.traces().get(&first).and_then(|t| {
        t.events
            .iter()
            .find_map(|&id| app.model.event(id).filter(|e| e.status == Some(404)))
    });
    let Some(ev) = ev else {
        panic!("no 404 in the first trace");
    };
    assert_eq!(app.findings_of_event(ev.id).count(), 0, "let go");
    assert_eq!(cell(&app, 0), "1 404↩");
    assert_eq!(cell(&app, copies - 1), "1 404↩");
    // The report's count says so too.
    let report = crate::app::report::trace(&app, &first);
    assert!(report.contains("1 failed (all recovered"), "{report}");
}

// The review: past the findings cap the Traces list read `1×ERR 6×429` for the demo's auth
// pull, where it read `1×auth 6×429` while the oauth failure's finding was kept, and the
// request's row lost the auth colour in the waterfall and the Events view. The model now
// marks the event too (`auth_failed`), as it marks `recovered`.
#[test]
fn a_trace_keeps_its_auth_failure_when_its_finding_was_let_go() {
    use crate::app::navigate::Severity;
    use crate::test_support::{DEMO_TRACES, traced_demo};
    // The client's words for a missing tag (one error finding a line) after the demo, as many
    // as the explorer keeps findings: the demo's own findings are the oldest, let go first.
    const MISSING: &str = "#3 ERROR: 127.0.0.1:5000/library/alpine:does-not-exist: not found";
    assert!(
        include_str!("../../../tests/fixtures/dockerd-20.10/not_found_404.client.txt")
            .contains(MISSING)
    );
    let mut text = traced_demo();
    for _ in 0..crate::model::MAX_FINDINGS {
        text.push('\n');
        text.push_str(MISSING);
    }
    let mut app = App::from_log("demo.log", &text);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let t = app.model.traces().get(DEMO_TRACES[2]).expect("the trace");
    let ev = app.first_failure_of(t).expect("the refused oauth token");
    assert!(app.model.counts().findings_let_go > 0);
    assert_eq!(app.findings_of_event(ev.id).count(), 0, "let go");
    // The FAILED cell, the row's colour (the Events view's and the waterfall's) and `e`'s word.
    assert_eq!(app.failed_cell(t, 12), "1×auth 6×429");
    assert_eq!(app.severity(ev), Severity::Auth);
    assert!(!app.is_recovered(ev));
    let id = ev.id;
    press(&mut app, "3");
    let row = app.traces.rows.iter().position(|r| r == DEMO_TRACES[2]);
    app.traces
        .cursor
        .select(row.expect("listed"), app.traces.rows.len(), 10);
    press(&mut app, "enter");
    let waterfall = app.waterfall_of(app.open_trace().expect("open"));
    let at = waterfall
        .iter()
        .position(|r| matches!(r, WaterfallRow::Event(e) if *e == id))
        .expect("its row");
    assert!(app.row_is_auth(at));
    // The 429s beside it were let go too and stay errors, not auth failures.
    let n429 = waterfall
        .iter()
        .enumerate()
        .filter(|(i, r)| matches!(r, WaterfallRow::Event(_)) && app.row_is_error(*i))
        .filter(|(i, _)| !app.row_is_auth(*i))
        .count();
    assert_eq!(n429, 6);
}

// A review: a trace still running on a whole-second log read `≥<1s` in the Traces list and
// the waterfall's title: the bound says nothing, `running` is what is known (the v0.26 miss,
// cut after its first request).
#[test]
fn a_running_trace_under_a_second_reads_running() {
    let miss = include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let cut: String = miss.lines().take(2).map(|l| format!("{l}\n")).collect();
    let app = App::from_log("w.log", &cut);
    let t = app.model.traces().iter().next().expect("its trace");
    let facts = app.trace_facts(t);
    assert!(facts.running);
    assert_eq!(facts.duration(), "running");
    // A known lower bound keeps its mark; an ended trace its duration.
    let waiting = App::from_log("review.log", &review_traces());
    let w = waiting.model.traces().get(WAITING).expect("the trace");
    assert!(waiting.trace_facts(w).duration().starts_with('≥'));
    let mut ended = App::from_log("w.log", miss);
    ended.update(Action::Frame);
    let t = ended.model.traces().iter().next().expect("its trace");
    assert!(!ended.trace_facts(t).running);
    assert_ne!(ended.trace_facts(t).duration(), "running");
}
