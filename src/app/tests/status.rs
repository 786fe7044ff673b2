//! The status bar's message lasts until the next key (then the key hints come back), and a
//! count that grows with the log is counted when drawn, not frozen into the message.

use ratatui::layout::Rect;

use super::{DEMO, demo, press, said, search_cycles, type_text};
use crate::app::{Action, App, View};
use crate::source::{Line, SourceEvent};

/// `text` as lines of source 0 numbered from `from`.
fn numbered(text: &str, from: u64) -> Vec<Line> {
    crate::test_support::numbered_lines(text.lines(), from)
}

// The landing message stayed after dozens of keys and view switches, in place of the key hints.
#[test]
fn a_message_lasts_until_the_next_key() {
    let mut app = demo();
    assert!(said(&app).contains("first auth failure"), "{}", said(&app));
    // A key bound to nothing does nothing, and leaves it.
    press(&mut app, "z");
    assert!(said(&app).contains("first auth failure"));
    // Lines arriving are no key either.
    app.update(Action::Source(SourceEvent::Lines(numbered(
        "level=info msg=\"more\"",
        1000,
    ))));
    assert!(said(&app).contains("first auth failure"));
    press(&mut app, "j");
    assert_eq!(app.status_message(), None);
    // A key that says something says it until the key after.
    press(&mut app, "2");
    press(&mut app, "w");
    assert_eq!(said(&app), "wrap on");
    for k in ["k", "3", "4", "1", "tab"] {
        press(&mut app, k);
        assert_eq!(app.status_message(), None, "after {k}");
    }
    // A message from outside (a report written) waits for a key too.
    app.update(Action::Status("wrote ./bkscope-event-3.md".into()));
    app.update(Action::Tick);
    assert_eq!(said(&app), "wrote ./bkscope-event-3.md");
    press(&mut app, "g");
    assert_eq!(app.status_message(), None);
    // An Esc with nothing left to step back from clears what the last one said (the third
    // review: it read as if the filter had been cleared again); the key hints come back.
    if app.show_kb {
        press(&mut app, "K");
    }
    press(&mut app, "d");
    assert!(!app.show_detail);
    press(&mut app, "f");
    type_text(&mut app, "status>=400");
    press(&mut app, "esc");
    assert_eq!(said(&app), "filter cleared");
    press(&mut app, "esc");
    assert_eq!(app.status_message(), None);
}

// After `G` the header said `▶ follow` while the status line still said `paused`.
#[test]
fn g_after_a_pause_leaves_no_stale_paused() {
    let mut app = demo();
    press(&mut app, "G");
    press(&mut app, "F");
    assert!(!app.following());
    assert!(said(&app).starts_with("‖ paused"), "{}", said(&app));
    press(&mut app, "G");
    assert!(app.following());
    assert_eq!(app.status_message(), None);
    press(&mut app, "F");
    press(&mut app, "F");
    assert!(app.following());
    assert!(
        said(&app).starts_with("▶ following the tail"),
        "{}",
        said(&app)
    );
}

// A review: in the Mirrors view `F` said "the newest row stays selected" and then "(G follows
// the tail)", where G moves among the hosts: the view shows the Events view's follow.
#[test]
fn f_in_the_mirrors_view_says_whose_follow_it_is() {
    let mut app = demo();
    press(&mut app, "4");
    let was = app.following();
    press(&mut app, "F");
    assert_eq!(app.following(), !was);
    let first = said(&app);
    press(&mut app, "F");
    let second = said(&app);
    let (on, off) = if was {
        (second, first)
    } else {
        (first, second)
    };
    assert_eq!(
        on,
        "▶ following the tail: the Events view's newest row stays selected"
    );
    assert_eq!(
        off,
        "‖ paused: the Events view's selection stays where it is (F follows the tail again)"
    );
    // And it is the Events view's: paused there too.
    if !app.following() {
        press(&mut app, "1");
        assert!(!app.following());
    }
}

// With a filter on a growing file the status said `4 events match` after it grew to 10.
#[test]
fn the_filter_count_keeps_up_with_a_growing_log() {
    let mut app = demo();
    press(&mut app, "f");
    type_text(&mut app, "status>=400");
    let before = app.events.rows.len();
    // (With a word on the failure with no HTTP status it hides: positions.rs.)
    assert!(said(&app).starts_with(&format!("{before} events match (")));
    let next = app.lines.end() as u64 + 1;
    app.update(Action::Source(SourceEvent::Lines(numbered(DEMO, next))));
    let after = app.events.rows.len();
    assert!(after > before, "{before} -> {after}");
    assert!(said(&app).starts_with(&format!("{after} events match (")));
    // In the Raw view the same filter counts lines.
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app.view = View::Raw;
    assert_eq!(said(&app), format!("{} lines match", app.raw_rows.len()));
}

// `n` moved to the next match without saying which of how many, nor that it went round.
#[test]
fn a_search_says_which_match_of_how_many_and_when_it_went_round() {
    let mut app = demo();
    press(&mut app, "esc");
    search_cycles(&mut app, "5011");
    assert_eq!(app.view, View::Events);
}

// In the Traces list `f status=429` said `4 events match` over two trace rows.
#[test]
fn the_traces_list_counts_the_traces_that_match_and_their_events() {
    // dockerd-20.10/rate_limited_429.log, its requests tagged as BuildKit (v0.16+) tags them:
    // the manifest and two retries of the config blob in one trace, the other retries in another.
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/rate_limited_429.log");
    let text: Vec<String> = log
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            21..=28 => format!("{l} spanID=1111111111111111 traceID={}", "a".repeat(32)),
            29..=36 => format!("{l} spanID=2222222222222222 traceID={}", "b".repeat(32)),
            _ => l.to_owned(),
        })
        .collect();
    let mut app = App::from_log("rate_limited_429.log", &text.join("\n"));
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    press(&mut app, "f");
    type_text(&mut app, "status=429");
    let traces = app.traces.rows.len();
    let events = app.events.rows.len();
    // Every listed trace holds a matching event, and each matching event's trace is listed.
    let mut ids: Vec<&str> = app
        .events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id)?.trace_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut listed: Vec<&str> = app.traces.rows.iter().map(String::as_str).collect();
    listed.sort_unstable();
    assert_eq!(ids, listed);
    assert!(
        traces == 2 && events > traces,
        "{traces} traces, {events} events"
    );
    // Of the listed traces' 7 requests, those that match (the 200 that ended the retries not).
    assert_eq!(
        said(&app),
        format!("2 traces match ({events} of their 7 events)")
    );
    // The Events view keeps its words for the same filter.
    press(&mut app, "1");
    press(&mut app, "f");
    press(&mut app, "enter");
    assert_eq!(said(&app), format!("{events} events match"));
}

// `3 f status=failed` said `1 trace matches (12 events)` over the v0.26 mirror miss and
// demo.log: the 12 were the filter's matches over every event (demo.log's rows, no trace),
// while the one trace listed has 3 requests and 1 failure.
#[test]
fn the_traces_list_counts_the_listed_traces_own_matching_events() {
    const MISS: &str =
        include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let mut app = App::from_logs(&[("mirror-miss.txt", MISS), ("demo.log", DEMO)]);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    press(&mut app, "f");
    type_text(&mut app, "status=failed");
    assert_eq!(app.traces.rows.len(), 1);
    assert!(app.events.rows.len() > 1, "{}", app.events.rows.len());
    assert_eq!(said(&app), "1 trace matches (1 of its 3 events)");
    // Every event of the listed traces matching: their count alone.
    press(&mut app, "f");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "method=HEAD");
    assert_eq!(said(&app), "1 trace matches (3 events)");
}
