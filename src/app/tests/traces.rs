//! Following one trace: a request still waiting is in its trace, the waterfall keeps request
//! order, `t` keeps every line of the trace (solver lines too), `trace=<prefix>` finds it.

use super::*;
use crate::app::traces::{WaterfallRow, waits};

use crate::test_support::{TRACED_SPAN as SPAN, TRACED_TRACE as TRACE, traced_oauth};

fn rows(app: &App) -> Vec<WaterfallRow> {
    let t = app.model.traces().get(TRACE).expect("the trace");
    app.waterfall_of(t).to_vec()
}

#[test]
fn a_request_waiting_for_its_answer_is_in_its_trace_while_the_log_is_followed() {
    let lines = traced_oauth();
    // Up to the retried HEAD (line 24): its answer, `trying next host`, is not written yet.
    let mut app = App::from_log("traced.log", &lines[..24].join("\n"));
    press(&mut app, "3");
    assert_eq!(app.traces.rows, vec![TRACE.to_owned()]);
    press(&mut app, "enter");
    let r = rows(&app);
    assert_eq!(r.len(), 3, "{r:?}");
    let WaterfallRow::Event(retry) = r[2] else {
        panic!("{r:?}")
    };
    assert!(app.model.event(retry).is_some_and(waits));
    // The answer comes: the same request fails, once, and its span says so.
    let more = crate::test_support::numbered_lines(lines[24..].iter().map(String::as_str), 25);
    app.update(Action::Source(SourceEvent::Lines(more)));
    let r = rows(&app);
    assert_eq!(r.len(), 3, "no request twice: {r:?}");
    assert_eq!(r[2], WaterfallRow::Event(retry));
    assert!(matches!(&r[0], WaterfallRow::Span { id, failed: 1, events: 2, .. } if id == SPAN));
    let t = app.model.traces().get(TRACE).unwrap();
    assert_eq!((t.events.len(), t.errors), (2, 1));
}

#[test]
fn answers_in_another_order_keep_the_waterfall_in_request_order() {
    // dockerd-20.10/plain_pull.log lines 20-38, tagged, with the config GET (28, answered
    // on 29) still waiting when the layer GET (37) is sent and answered (38), as BuildKit's
    // parallel blob fetches do.
    let plain: Vec<&str> = PLAIN.lines().collect();
    let order = (20..=28).chain([37, 38, 29]).chain(30..=36);
    let text: Vec<String> = order
        .map(|n| format!("{} spanID={SPAN} traceID={TRACE}", plain[n - 1]))
        .collect();
    let app = App::from_log("parallel.log", &text.join("\n"));
    let t = app.model.traces().get(TRACE).unwrap();
    assert_eq!(t.events, vec![0, 1, 2, 3], "the trace lists requests by id");
    let starts: Vec<_> = rows(&app)
        .iter()
        .filter_map(|r| match r {
            WaterfallRow::Event(id) => app.model.event(*id).and_then(|e| e.started),
            WaterfallRow::Span { .. } => None,
        })
        .collect();
    assert_eq!(starts.len(), 4);
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
}

#[test]
fn t_keeps_every_line_of_the_trace_in_the_raw_view_in_order() {
    let mut app = App::from_log("traced.log", &traced_oauth().join("\n"));
    press(&mut app, "3");
    press(&mut app, "t");
    assert_eq!(app.trace_filter.as_deref(), Some(TRACE));
    press(&mut app, "2");
    let shown: Vec<u64> = (0..app.raw_rows.len())
        .filter_map(|i| app.raw_rows.get(i))
        .filter_map(|seq| app.lines.get(seq).map(|l| l.number))
        .collect();
    assert_eq!(
        shown,
        (14..=25).collect::<Vec<u64>>(),
        "solver lines too, none else"
    );
    // Esc steps back: the kb pane the landing opened on the auth failure, the detail pane,
    // then the trace.
    assert!(app.show_kb && app.show_detail);
    press(&mut app, "esc");
    press(&mut app, "esc");
    assert!(!app.show_kb && !app.show_detail);
    assert!(app.trace_filter.is_some());
    press(&mut app, "esc");
    assert!(app.trace_filter.is_none());
    assert!(app.raw_rows.len() > 25);
}

#[test]
fn trace_equals_an_id_prefix_finds_the_trace_in_every_view() {
    // The GCR seed's trace first, then the traced oauth failure: two traces.
    let text = format!("{GCR}\n{}", traced_oauth().join("\n"));
    let mut app = App::from_log("two.log", &text);
    press(&mut app, "esc"); // the kb pane the landing opened
    press(&mut app, "f");
    type_text(&mut app, "trace=A41CA2D4");
    let ids: Vec<_> = app
        .events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id)?.trace_id.as_deref().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        vec![TRACE.to_owned(); 2],
        "both requests of the trace, no other"
    );
    press(&mut app, "3");
    assert_eq!(app.traces.rows, vec![TRACE.to_owned()]);
    press(&mut app, "2");
    assert_eq!(
        app.raw_rows.len(),
        12,
        "its 12 lines, the solver's among them"
    );
    // A span prefix in the events; a prefix that is no id's start finds nothing.
    for (f, n) in [
        (&format!("span={}", &SPAN[..6]), 2),
        (&"trace=6719a1".to_owned(), 0),
    ] {
        press(&mut app, "1");
        press(&mut app, "f");
        app.update(Action::Input(InputEdit::DeleteToStart));
        type_text(&mut app, f);
        assert_eq!(app.events.rows.len(), n, "{f}");
    }
}

#[test]
fn a_trace_report_names_every_request_its_span_and_lines() {
    let text = format!("{GCR}\n{}", traced_oauth().join("\n"));
    let app = App::from_log("two.log", &text);
    // The seed's requests carry no url (BuildKit logged none): host and object instead.
    let gcr = crate::app::report::trace(&app, "b162d3040ddf86d6614e79c66a01a577");
    assert!(
        gcr.contains("| 17:47:48.000 | 9460e5b6e64cec91 | GET | unknown blob (no url logged) | 200 OK | <1s | google-cloud-storage | 1, 2 |"),
        "{gcr}"
    );
    assert!(!gcr.contains("|  |  |  |"), "no blank request cells: {gcr}");
    // Whole-second times (buildkitd's default): the trace's and each request's duration in the
    // views' words, never `0 ms`; the response whose request is not in the excerpt (line 3)
    // has no duration, as in the Events view.
    assert!(
        gcr.contains("- 3 requests in 1 span, 0 failed, <1s, from 2022-02-06 17:47:48.000 UTC\n"),
        "{gcr}"
    );
    assert!(!gcr.contains(" ms"), "{gcr}");
    let lone = gcr.lines().find(|l| l.ends_with("| 3 |")).unwrap();
    assert!(
        lone.contains("| 200 OK |  | google-cloud-storage |"),
        "{lone}"
    );
    let first = app.model.events().next().unwrap();
    let one = crate::app::report::event(&app, first);
    // Dated: the report is read away from the log.
    assert!(
        one.contains("- started 2022-02-06 17:47:48.000 UTC, <1s\n"),
        "{one}"
    );
    let oauth = crate::app::report::trace(&app, TRACE);
    assert!(
        oauth.contains(&format!("| 13:08:54.257 | {SPAN} | HEAD | http://127.0.0.1:5010/v2/library/alpine/manifests/latest | failed to authorize:")),
        "{oauth}"
    );
    assert!(oauth.contains("| 34, 35 |"), "{oauth}");
}

#[test]
fn esc_after_t_in_the_waterfall_comes_back_to_the_waterfall() {
    let mut app = App::from_log("traced.log", &traced_oauth().join("\n"));
    app.show_kb = false;
    press(&mut app, "3");
    press(&mut app, "enter");
    press(&mut app, "j");
    press(&mut app, "t");
    assert_eq!(
        (app.view, app.trace_filter.as_deref()),
        (View::Events, Some(TRACE))
    );
    app.show_detail = false;
    press(&mut app, "esc");
    assert_eq!(app.view, View::Traces);
    assert_eq!(
        app.traces.open.as_deref(),
        Some(TRACE),
        "the waterfall it left"
    );
    assert!(app.trace_filter.is_none());
    // From the Raw view, Esc stays in the Raw view.
    press(&mut app, "t");
    press(&mut app, "2");
    press(&mut app, "esc");
    assert_eq!((app.view, app.trace_filter.as_deref()), (View::Raw, None));
}

#[test]
fn the_waterfall_selection_stays_on_its_request_when_rows_come_in_above_it() {
    // dockerd-20.10/plain_pull.log: the resolve and manifest (lines 20-26) and, later, the
    // layer GET (37-38) in one span; the config GET (28-29) in a second span of the trace.
    let plain: Vec<&str> = PLAIN.lines().collect();
    let tag = |n: usize| {
        let span = if (28..=29).contains(&n) {
            "5eed5eed5eed5eed"
        } else {
            SPAN
        };
        format!("{} spanID={span} traceID={TRACE}", plain[n - 1])
    };
    let first: Vec<String> = (20..=29).map(tag).collect();
    let mut app = App::from_log("spans.log", &first.join("\n"));
    app.update(Action::Layout(Rect::new(0, 3, 100, 20)));
    press(&mut app, "3");
    press(&mut app, "enter");
    press(&mut app, "G");
    let config = app
        .selected_event()
        .map(|e| e.id)
        .expect("the config GET, last row");
    assert_eq!(
        app.model.event(config).and_then(|e| e.span_id.as_deref()),
        Some("5eed5eed5eed5eed")
    );
    let at = app.traces.wf_cursor.selected;
    let layer: Vec<String> = (37..=38).map(tag).collect();
    let more = crate::test_support::numbered_lines(layer.iter().map(String::as_str), 100);
    app.update(Action::Source(SourceEvent::Lines(more)));
    assert_eq!(
        app.selected_event().map(|e| e.id),
        Some(config),
        "still the config GET"
    );
    assert_eq!(
        app.traces.wf_cursor.selected,
        at + 1,
        "one row came in above it"
    );
}

#[test]
fn a_lines_span_id_is_read_from_text_and_json_lines_and_nothing_else_comes_along() {
    use crate::app::traces::span_in_line;
    let lines = traced_oauth();
    assert_eq!(
        span_in_line(&lines[13]),
        Some(crate::test_support::TRACED_SOLVER_SPAN)
    );
    assert_eq!(span_in_line(&lines[23]), Some(SPAN));
    assert_eq!(span_in_line(&lines[0]), None);
    let json = r#"{"level":"debug","msg":"fetch","spanID":"9460e5b6e64cec91","traceID":"b162d3040ddf86d6614e79c66a01a577"}"#;
    assert_eq!(span_in_line(json), Some("9460e5b6e64cec91"));
    assert_eq!(span_in_line("spanID=ab\u{1b}[2Jcd"), Some("ab"));
    assert_eq!(span_in_line("spanID=\u{1b}[2J"), None);
}

#[test]
fn a_401_the_log_ends_on_counts_as_the_traces_failure_everywhere() {
    // Up to `Unauthorized` (line 23): the Bearer 401 is all there is, an auth failure the
    // views colour, though no failed request by FetchEvent::failed.
    let app = App::from_log("ends.log", &traced_oauth()[..23].join("\n"));
    let t = app.model.traces().get(TRACE).unwrap();
    let ev = app.model.event(t.events[0]).unwrap();
    assert!(
        app.is_auth_failure(ev.id) && !ev.failed(),
        "the case this test is about"
    );
    assert_eq!(app.failures_of(t).count(), 1);
    assert!(matches!(
        rows(&app)[0],
        WaterfallRow::Span { failed: 1, .. }
    ));
}

#[test]
fn e_in_the_traces_list_skips_an_overcome_401_and_stops_on_a_401_the_log_ends_on() {
    // dockerd-20.10/basic_auth_ok.log's registry lines (20-41) as one trace: a Basic 401, then
    // the retry with credentials succeeds. Then the traced oauth fixture cut at its 401.
    let basic: Vec<String> =
        include_str!("../../../tests/fixtures/dockerd-20.10/basic_auth_ok.log")
            .lines()
            .enumerate()
            .map(|(i, l)| match i + 1 {
                20..=41 => {
                    format!("{l} spanID=ba51cba51cba51c0 traceID=0ba51c0ba51c0ba51c0ba51c0ba51c00")
                }
                _ => l.to_owned(),
            })
            .collect();
    let text = format!("{}\n{}", basic.join("\n"), traced_oauth()[..23].join("\n"));
    let mut app = App::from_log("two.log", &text);
    app.show_kb = false;
    press(&mut app, "3");
    press(&mut app, "g");
    assert_eq!(
        app.traces.selected(),
        Some("0ba51c0ba51c0ba51c0ba51c0ba51c00")
    );
    assert!(
        app.trace_failure().is_none(),
        "the 401 the retry overcame is no failure"
    );
    press(&mut app, "e");
    assert_eq!(app.traces.selected(), Some(TRACE));
    assert!(app.trace_failure().is_some_and(|e| e.status == Some(401)));
}

#[test]
fn traces_of_the_same_second_are_listed_in_the_order_the_log_sent_them() {
    // The GCR seed: every line at 17:47:48Z. Its first request and answers (lines 1-3) in a
    // trace 'ff…', the layer request and answer (8-9) in a trace '00…' that comes later.
    let text: Vec<String> = GCR
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let id = if i < 7 { "ff" } else { "00" };
            l.replace("b162d3040ddf86d6614e79c66a01a577", &id.repeat(16))
        })
        .collect();
    let mut app = App::from_log("same-second.log", &text.join("\n"));
    press(&mut app, "3");
    assert_eq!(app.traces.rows, vec!["ff".repeat(16), "00".repeat(16)]);
}

/// The hand-written modern log with one trace; [`with_trace`] makes it another.
const MISS: &str =
    include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
const MISS_TRACE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// `MISS` as trace `id` (32 hex digits) would log it.
fn with_trace(id: &str) -> String {
    MISS.replace(MISS_TRACE, id)
}

/// `MISS` as trace `id`, appended to the one file `app` reads, as a followed file grows.
fn append(app: &mut App, id: &str) {
    let next = app.lines.end() as u64 + 1;
    let more = with_trace(id);
    app.update(Action::Source(SourceEvent::Lines(
        crate::test_support::numbered_lines(more.lines(), next),
    )));
}

/// The review: the Traces list said `▶ follow tail` with its oldest trace selected, and a new
/// trace arriving was not selected; `k` and `F` changed nothing but the words.
#[test]
fn the_traces_list_follows_its_newest_trace() {
    let (a, b, c) = (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "cccccccccccccccccccccccccccccccc",
    );
    let mut app = App::from_log("two.log", &format!("{}\n{}", with_trace(a), with_trace(b)));
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    assert_eq!(app.traces.rows, [a, b]);
    assert!(app.following());
    assert_eq!(app.traces.selected(), Some(b), "the newest trace");
    // A trace arrives: the selection moves to it.
    append(&mut app, c);
    assert_eq!(app.traces.selected(), Some(c));
    // `k` leaves the tail: paused, and the next trace does not move it.
    press(&mut app, "k");
    assert!(!app.following());
    assert_eq!(app.traces.selected(), Some(b));
    append(&mut app, "dddddddddddddddddddddddddddddddd");
    assert_eq!(app.traces.selected(), Some(b));
    // `F` follows again, on the newest.
    press(&mut app, "F");
    assert!(app.following());
    assert_eq!(
        app.traces.selected(),
        Some("dddddddddddddddddddddddddddddddd")
    );
    // The events table's follow is its own: pausing it leaves the list following.
    press(&mut app, "1");
    press(&mut app, "g");
    assert!(!app.following());
    press(&mut app, "3");
    assert!(app.following());
    // Enter opens the newest and pauses the list, so Esc comes back to that trace; a
    // waterfall has no tail, `F` there says so and changes nothing.
    press(&mut app, "enter");
    assert_eq!(
        app.traces.open.as_deref(),
        Some("dddddddddddddddddddddddddddddddd")
    );
    assert!(!app.following());
    press(&mut app, "F");
    assert!(said(&app).contains("has no tail"), "{}", said(&app));
    assert!(!app.following());
    append(&mut app, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    // Esc closes the panes first (the detail pane opens under a waterfall), then the waterfall.
    for _ in 0..3 {
        if app.traces.open.is_some() {
            press(&mut app, "esc");
        }
    }
    assert_eq!(app.traces.open, None);
    assert_eq!(
        app.traces.selected(),
        Some("dddddddddddddddddddddddddddddddd")
    );
    press(&mut app, "G");
    assert!(app.following());
    assert_eq!(
        app.traces.selected(),
        Some("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
    );
}
