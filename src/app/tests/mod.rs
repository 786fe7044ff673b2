//! App tests: every key binding's effect on state, driven through the built-in keymap, on real
//! fixtures through the real parse and model path.

use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
use ratatui::layout::Rect;

use super::keymap::parse_key;
use super::*;
use crate::source::SourceEvent;

mod back;
mod bypass;
mod clock;
mod error_words;
mod host_filter;
mod host_kb;
mod hscroll;
mod mirror_report;
mod no_trace;
mod open_line;
mod positions;
mod raw_filter;
mod reach;
mod report;
mod retention;
mod routes;
mod status;
mod time_filter;
mod told_across;
mod trace_facts;
mod trace_filter;
mod traces;
mod waterfall_search;

const DEMO: &str = include_str!("../../../tests/fixtures/sample/demo.log");
const OAUTH: &str = include_str!("../../../tests/fixtures/dockerd-20.10/oauth_token_401.log");
const GCR: &str = include_str!("../../../tests/fixtures/seed/mirror_gcr.log");
const PLAIN: &str = include_str!("../../../tests/fixtures/dockerd-20.10/plain_pull.log");

/// Presses a key as written in the keymap (`j`, `G`, `ctrl-c`, `esc`), as the event loop
/// does: through [`App::key_action`].
fn press(app: &mut App, key: &str) {
    let k = parse_key(key).expect("a key");
    let ev = KeyEvent {
        code: k.code,
        modifiers: k.mods,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    };
    app.on_key(&ev);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Input(InputEdit::Char(c)));
    }
    app.update(Action::Input(InputEdit::Submit));
}

fn demo() -> App {
    let mut app = App::from_log("demo.log", DEMO);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app
}

/// What the status bar says now.
fn said(app: &App) -> String {
    app.status_message().unwrap_or_default()
}

/// The events `expr` keeps in the Events view (typed into the filter prompt, replacing it).
fn kept(app: &mut App, expr: &str) -> usize {
    press(app, "f");
    app.update(Action::Input(InputEdit::DeleteToStart));
    type_text(app, expr);
    assert_eq!(app.filter.text(), expr);
    app.events.rows.len()
}

/// Searches `query` from the top of the current view and checks what the status bar says as
/// `n` and `N` cycle: `match 1 of M`, `match 2 of M`, going round both ways, and again on a
/// second search from a matching row. Returns M, counted by [`App::row_matches`].
fn search_cycles(app: &mut App, query: &str) -> usize {
    press(app, "g");
    press(app, "/");
    type_text(app, query);
    let total = (0..app.list_len()).filter(|&i| app.row_matches(i)).count();
    assert!(total >= 3, "{total}");
    assert_eq!(said(app), format!("match 1 of {total}"));
    press(app, "n");
    assert_eq!(said(app), format!("match 2 of {total}"));
    press(app, "N");
    press(app, "N");
    assert_eq!(
        said(app),
        format!("match {total} of {total} (went round: from the bottom)")
    );
    press(app, "n");
    assert_eq!(
        said(app),
        format!("match 1 of {total} (went round: from the top)")
    );
    // Searching again where the row already matches says where it is too.
    press(app, "/");
    type_text(app, query);
    assert_eq!(said(app), format!("match 1 of {total}"));
    total
}

#[test]
fn opens_on_the_first_auth_failure() {
    let app = demo();
    let ev = app.selected_event().expect("a selection");
    assert!(app.is_auth_failure(ev.id));
    assert_eq!(ev.host.as_deref(), Some("127.0.0.1:5010"));
    assert!(!app.following());
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("first auth failure")
    );
}

#[test]
fn j_k_arrows_move_and_g_capital_g_jump() {
    let mut app = demo();
    press(&mut app, "g");
    assert_eq!(app.events.cursor.selected, 0);
    press(&mut app, "j");
    press(&mut app, "down");
    assert_eq!(app.events.cursor.selected, 2);
    press(&mut app, "k");
    press(&mut app, "up");
    assert_eq!(app.events.cursor.selected, 0);
    press(&mut app, "G");
    assert_eq!(app.events.cursor.selected, app.events.rows.len() - 1);
    assert!(app.following(), "G follows the tail again");
    press(&mut app, "k");
    assert!(!app.following(), "leaving the last row pauses");
}

#[test]
fn page_keys_move_by_the_list_height() {
    let mut app = demo();
    press(&mut app, "g");
    press(&mut app, "pagedown");
    assert_eq!(app.events.cursor.selected, 10);
    assert_eq!(app.events.cursor.offset, 1);
    press(&mut app, "pageup");
    assert_eq!(app.events.cursor.selected, 0);
}

#[test]
fn tab_and_numbers_switch_views() {
    let mut app = demo();
    press(&mut app, "tab");
    assert_eq!(app.view, View::Raw);
    press(&mut app, "backtab");
    assert_eq!(app.view, View::Events);
    for (k, v) in [
        ("2", View::Raw),
        ("3", View::Traces),
        ("4", View::Mirrors),
        ("1", View::Events),
    ] {
        press(&mut app, k);
        assert_eq!(app.view, v, "key {k}");
    }
    press(&mut app, "4");
    assert!(
        !app.activity.hosts.is_empty(),
        "mirrors view computes host activity"
    );
}

#[test]
fn raw_view_opens_on_the_selected_events_line() {
    let mut app = demo();
    let first = app.selected_event().map(|e| e.lines[0]);
    press(&mut app, "2");
    assert_eq!(app.selected_line().map(|l| l.number), first);
}

#[test]
fn following_survives_view_switches() {
    // The reviewer's keys: 2 G (Raw follows), 1, 2. Raw came back on the auth failure's line,
    // paused, because it jumped to the events table's selection again.
    let mut app = demo();
    let last = app.raw_rows.len() - 1;
    press(&mut app, "2");
    press(&mut app, "G");
    assert!(app.following());
    press(&mut app, "1");
    assert!(
        !app.following(),
        "the events table is still where the landing put it"
    );
    press(&mut app, "2");
    assert!(app.following(), "the Raw view still follows");
    assert_eq!(app.raw_cursor.selected, last);
    // New lines: the Raw view moves to them, the paused events table does not.
    let held = app.events.cursor.selected;
    let more: Vec<_> = crate::test_support::numbered_lines(OAUTH.lines(), 10_000);
    app.update(Action::Source(SourceEvent::Lines(more)));
    assert_eq!(app.raw_cursor.selected, app.raw_rows.len() - 1);
    assert_eq!(app.events.cursor.selected, held);
    // Each view keeps its own: following the events table leaves Raw's follow alone, and the
    // Traces list follows its newest trace (`traces.rs`).
    press(&mut app, "1");
    press(&mut app, "G");
    press(&mut app, "3");
    assert!(app.following());
    press(&mut app, "2");
    assert!(app.following());
    press(&mut app, "k");
    assert!(!app.following());
    press(&mut app, "1");
    assert!(
        app.following(),
        "moving in Raw leaves the events table following"
    );
}

#[test]
fn the_raw_view_opens_on_a_newly_selected_event_and_keeps_its_place_otherwise() {
    let mut app = demo();
    press(&mut app, "2");
    press(&mut app, "g");
    press(&mut app, "j");
    let place = app.raw_cursor.selected;
    press(&mut app, "1");
    press(&mut app, "2");
    assert_eq!(
        app.raw_cursor.selected, place,
        "same event: Raw keeps its place"
    );
    press(&mut app, "1");
    press(&mut app, "g");
    let first = app.selected_event().map(|e| e.lines[0]);
    press(&mut app, "2");
    assert_eq!(app.selected_line().map(|l| l.number), first);
    assert!(!app.following());
}

#[test]
fn e_and_capital_e_jump_between_errors() {
    let mut app = demo();
    press(&mut app, "g");
    press(&mut app, "e");
    let first = app.selected_event().map(|e| e.id);
    assert!(app.selected_event().is_some_and(|e| e.failed()));
    press(&mut app, "e");
    assert_ne!(app.selected_event().map(|e| e.id), first);
    press(&mut app, "E");
    assert_eq!(app.selected_event().map(|e| e.id), first);
}

/// A failure read from text has no event row: `e` in the events view finds it among the raw
/// lines instead of saying there is none while the header counts it.
#[test]
fn e_finds_a_failure_without_an_event_among_the_raw_lines() {
    let log = concat!(
        "#1 [internal] load metadata for ghcr.io/o/r:1\n",
        "ERROR: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized\n",
    );
    let mut app = App::from_log("ci.log", log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app.view = View::Events;
    app.status = None;
    press(&mut app, "e");
    assert_eq!(app.view, View::Raw);
    assert_eq!(app.raw_cursor.selected, 1);
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("raw lines"),
        "{:?}",
        app.status
    );
}

/// A log whose only auth failure is read from text (a CI job's output, the client's error
/// pasted along) opened on an empty Events view, the failure and its diagnosis one `e` away:
/// it opens on that line in the Raw view with the diagnosis beside it, as a log with a
/// request row opens on the row.
#[test]
fn opens_on_a_failure_without_an_event_in_the_raw_lines() {
    let log = concat!(
        "#1 [internal] load metadata for ghcr.io/o/r:1\n",
        "#1 DONE 0.1s\n",
        "ERROR: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized\n",
        "Error: buildx failed with: exit code 1\n",
    );
    let app = App::from_log("ci.log", log);
    assert_eq!(app.view, View::Raw);
    assert_eq!(app.raw_cursor.selected, 2);
    assert!(!app.following(), "the landing pauses the follow");
    assert!(app.show_kb, "its diagnosis is shown");
    let ids: Vec<&str> = app
        .selected_diagnoses()
        .iter()
        .map(|(_, d)| d.id.as_str())
        .collect();
    assert!(ids.contains(&"auth/anonymous-token-401"), "{ids:?}");
    assert!(said(&app).contains("first auth failure"), "{}", said(&app));
    // A log with a request row for its failure still opens on the row (the Events view).
    let app = App::from_log("oauth.log", OAUTH);
    assert_eq!(app.view, View::Events);
    assert!(
        app.selected_event()
            .is_some_and(|e| app.is_auth_failure(e.id))
    );
    // No auth failure, nothing to land on: the Events view, following.
    let app = App::from_log("ok.log", PLAIN);
    assert_eq!(app.view, View::Events);
    assert!(app.following());
}

#[test]
fn k_capital_toggles_the_kb_pane_and_d_the_detail() {
    let mut app = demo();
    let before = app.show_kb;
    press(&mut app, "K");
    assert_eq!(app.show_kb, !before);
    press(&mut app, "d");
    assert!(!app.show_detail);
}

#[test]
fn pane_keys_scroll_one_pane_within_its_content() {
    use super::scroll::{Extent, Extents};
    let mut app = demo();
    app.show_detail = true;
    app.show_kb = true;
    // As a frame drew them: the detail 40 rows in 10, the kb pane 12 rows in 10.
    app.update(Action::Extents(Extents {
        detail: Extent {
            rows: 40,
            height: 10,
        },
        kb: Extent {
            rows: 12,
            height: 10,
        },
        ..Extents::default()
    }));
    // The kb pane while it is open, no further than its last row; the detail stays.
    for _ in 0..120 {
        press(&mut app, "J");
    }
    assert_eq!((app.scrolls.kb, app.scrolls.detail), (2, 0));
    press(&mut app, "ctrl-u");
    assert_eq!(app.scrolls.kb, 0, "one press back, not 120");
    // The detail pane once the kb pane is closed.
    press(&mut app, "esc");
    assert!(!app.show_kb);
    for _ in 0..120 {
        press(&mut app, "ctrl-d");
    }
    assert_eq!((app.scrolls.kb, app.scrolls.detail), (0, 30));
    press(&mut app, "ctrl-u");
    assert_eq!(app.scrolls.detail, 25);
    // A frame with less content pulls the scroll back; another row resets it.
    app.update(Action::Extents(Extents {
        detail: Extent {
            rows: 20,
            height: 10,
        },
        ..Extents::default()
    }));
    assert_eq!(app.scrolls.detail, 10);
    press(&mut app, "j");
    assert_eq!(app.scrolls.detail, 0);
}

#[test]
fn kb_pane_opens_on_an_error_row_with_a_diagnosis() {
    let mut app = App::from_log_text(OAUTH);
    let f = app
        .findings
        .iter()
        .find(|f| f.kind.is_auth())
        .cloned()
        .expect("an auth finding");
    app.set_diagnoses(f.source, f.line, vec![diagnosis::DiagnosisView::default()]);
    app.show_kb = false;
    press(&mut app, "g");
    press(&mut app, "e");
    assert!(app.show_kb);
}

#[test]
fn slash_searches_and_n_capital_n_cycle() {
    let mut app = demo();
    press(&mut app, "g");
    press(&mut app, "/");
    assert_eq!(
        app.prompt.as_ref().map(|p| p.kind),
        Some(PromptKind::Search)
    );
    type_text(&mut app, "5011");
    assert!(app.prompt.is_none());
    let first = app.events.cursor.selected;
    assert!(app.row_matches(first));
    press(&mut app, "n");
    assert!(app.events.cursor.selected > first);
    press(&mut app, "N");
    assert_eq!(app.events.cursor.selected, first);
    press(&mut app, "/");
    type_text(&mut app, "([");
    // The prompt stays open on the text, saying why.
    let p = app.prompt.as_ref().expect("the prompt stays open");
    assert_eq!(p.line.text(), "([");
    assert!(
        p.error()
            .is_some_and(|(long, _)| long.starts_with("bad regex"))
    );
}

/// A review: `f`, `time>=13:08:5`, Enter said why it was not applied and closed the prompt, so
/// the keys typed next to fix it (Ctrl-U, `statuz=404`, Enter) ran as commands: `4` switched
/// to the Mirrors view and Enter filtered a host. The prompt now stays open on the text with
/// the reason, the keys edit it, and Enter applies the fixed text.
#[test]
fn a_filter_enter_cannot_apply_keeps_the_prompt_open_for_the_fix() {
    let mut app = demo();
    press(&mut app, "esc");
    let view = app.view;
    press(&mut app, "f");
    type_text(&mut app, "time>=13:08:5");
    let p = app.prompt.as_ref().expect("the prompt stays open");
    assert_eq!(p.kind, PromptKind::Filter);
    assert_eq!(p.line.text(), "time>=13:08:5");
    let (long, short) = p.error().expect("why it was not applied");
    assert!(long.contains("'time' needs a UTC time"), "{long}");
    assert!(
        short.starts_with("'time' needs a UTC time (") && !short.contains("13:08:5'"),
        "{short}"
    );
    assert!(app.filter.is_empty(), "nothing applied");
    // The next keys edit the text, not the views.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "status=404");
    assert_eq!(app.view, view, "4 was typed, not pressed");
    assert!(app.prompt.is_none(), "applied and closed");
    assert_eq!(app.filter.text(), "status=404");
    assert!(
        app.events
            .rows
            .iter()
            .all(|&id| app.model.event(id).is_some_and(|e| e.status == Some(404)))
    );
    // Esc after a refused text closes the prompt with nothing applied.
    press(&mut app, "f");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "nosuchfield=1");
    assert!(app.prompt.as_ref().is_some_and(|p| p.error().is_some()));
    press(&mut app, "esc");
    assert!(app.prompt.is_none());
    assert_eq!(app.filter.text(), "status=404", "the filter in force stays");
}

/// `^` anchors where the row begins as the Events view draws it, its TIME cell (a review's
/// `/^13` matched by other fields' starts, `^GET` by the method): `^13:08:58` finds the rows
/// of that second and no other; `^GET` and `^127` find none, though `GET` and `127` do.
#[test]
fn a_caret_anchors_the_search_at_the_rows_time() {
    let mut app = demo();
    press(&mut app, "esc");
    let drawn: Vec<String> = app
        .events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id))
        .map(|e| {
            e.started
                .or(e.finished)
                .map(|t| app.time_column().cell(t, app.lines.has_millis(e.source)))
                .unwrap_or_default()
        })
        .collect();
    let second = drawn.iter().filter(|c| c.starts_with("13:08:58")).count();
    assert!(second >= 3 && second < drawn.len(), "{drawn:?}");
    assert_eq!(search_cycles(&mut app, "^13:08:58"), second);
    for (anchored, plain) in [("^GET", "GET"), ("^127", "127")] {
        press(&mut app, "/");
        type_text(&mut app, plain);
        assert!(said(&app).starts_with("match "), "{}", said(&app));
        press(&mut app, "/");
        type_text(&mut app, anchored);
        assert_eq!(said(&app), "no match in this view", "{anchored}");
    }
}

/// The open prompt's text with `|` at its cursor.
fn prompt_shown(app: &App) -> String {
    let p = app.prompt.as_ref().expect("an open prompt");
    format!("{}|{}", p.line.before(), p.line.after())
}

#[test]
fn slash_opens_empty_after_a_search_and_up_brings_the_last_back() {
    let mut app = demo();
    press(&mut app, "g");
    press(&mut app, "/");
    type_text(&mut app, "5011");
    let first = app.events.cursor.selected;
    press(&mut app, "/");
    assert_eq!(prompt_shown(&app), "|", "a new search starts empty");
    app.update(Action::Input(InputEdit::Cancel));
    // Cancelling keeps the search in force: n still cycles it.
    press(&mut app, "n");
    assert!(app.events.cursor.selected > first);
    assert!(app.row_matches(app.events.cursor.selected));
    press(&mut app, "/");
    type_text(&mut app, "manifests");
    press(&mut app, "/");
    app.update(Action::Input(InputEdit::Char('x')));
    app.update(Action::Input(InputEdit::Older));
    assert_eq!(prompt_shown(&app), "manifests|");
    app.update(Action::Input(InputEdit::Older));
    assert_eq!(prompt_shown(&app), "5011|");
    app.update(Action::Input(InputEdit::Older));
    assert_eq!(prompt_shown(&app), "5011|", "nothing older");
    app.update(Action::Input(InputEdit::Newer));
    assert_eq!(prompt_shown(&app), "manifests|");
    app.update(Action::Input(InputEdit::Newer));
    assert_eq!(prompt_shown(&app), "x|", "back to what was typed");
}

#[test]
fn the_filter_prompt_edits_the_filter_in_force_at_the_cursor() {
    let mut app = demo();
    press(&mut app, "f");
    type_text(&mut app, "status>=400 host=127.0.0.1:5011");
    assert_eq!(app.events.rows.len(), 6);
    press(&mut app, "f");
    assert_eq!(prompt_shown(&app), "status>=400 host=127.0.0.1:5011|");
    // 400 becomes 200: Home, right past `status>=`, Delete, type 2.
    app.update(Action::Input(InputEdit::Home));
    for _ in 0.."status>=".len() {
        app.update(Action::Input(InputEdit::Right));
    }
    app.update(Action::Input(InputEdit::Delete));
    app.update(Action::Input(InputEdit::Char('2')));
    assert_eq!(prompt_shown(&app), "status>=2|00 host=127.0.0.1:5011");
    app.update(Action::Input(InputEdit::End));
    app.update(Action::Input(InputEdit::DeleteWord));
    assert_eq!(prompt_shown(&app), "status>=200 |");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.filter.text(), "status>=200");
    assert!(app.events.rows.len() > 6);
}

#[test]
fn f_filters_by_expression_and_esc_clears() {
    let mut app = demo();
    let all = app.events.rows.len();
    press(&mut app, "f");
    type_text(&mut app, "status>=400 host=127.0.0.1:5011 level>=debug");
    assert_eq!(app.events.rows.len(), 6);
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("6 events match")
    );
    press(&mut app, "f");
    app.update(Action::Input(InputEdit::DeleteToStart));
    type_text(&mut app, "colour=red");
    assert_eq!(app.events.rows.len(), 6, "a bad filter is not applied");
    assert!(
        app.prompt
            .as_ref()
            .and_then(|p| p.error())
            .is_some_and(|(long, _)| long.contains("unknown field 'colour'"))
    );
    // Esc closes the refused prompt, the filter in force stays.
    press(&mut app, "esc");
    assert!(app.prompt.is_none());
    assert_eq!(app.events.rows.len(), 6);
    app.show_kb = false;
    // Esc closes the detail pane first, then clears the filter.
    press(&mut app, "esc");
    assert!(!app.show_detail);
    assert_eq!(app.events.rows.len(), 6);
    press(&mut app, "esc");
    assert_eq!(app.events.rows.len(), all);
}

#[test]
fn t_follows_one_trace_and_esc_goes_back() {
    let mut app = App::from_log_text(&format!("{GCR}{PLAIN}"));
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let all = app.events.rows.len();
    press(&mut app, "g");
    press(&mut app, "t");
    let trace = app
        .trace_filter
        .clone()
        .expect("the first row has a traceID");
    assert!(app.events.rows.len() < all);
    assert!(app.events.rows.iter().all(
        |&id| app.model.event(id).and_then(|e| e.trace_id.as_deref()) == Some(trace.as_str())
    ));
    app.show_kb = false;
    app.show_detail = false;
    press(&mut app, "esc");
    assert!(app.trace_filter.is_none());
    assert_eq!(app.events.rows.len(), all);
    press(&mut app, "G");
    press(&mut app, "t");
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("no traceID")
    );
}

#[test]
fn enter_opens_the_waterfall_and_esc_closes_it() {
    let mut app = App::from_log_text(GCR);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    assert_eq!(app.traces.rows.len(), 1);
    press(&mut app, "enter");
    assert!(app.traces.open.is_some());
    assert!(app.list_len() > 1);
    press(&mut app, "j");
    assert!(
        app.selected_event().is_some(),
        "the second waterfall row is a request"
    );
    // The detail pane under the waterfall first, then the waterfall.
    press(&mut app, "esc");
    assert!(!app.detail_shown());
    assert!(app.traces.open.is_some());
    press(&mut app, "esc");
    assert!(app.traces.open.is_none());
    press(&mut app, "t");
    assert_eq!(app.view, View::Events);
    assert!(app.trace_filter.is_some());
}

#[test]
fn capital_f_w_a_l_toggle() {
    let mut app = demo();
    press(&mut app, "F");
    assert!(app.following());
    assert_eq!(app.events.cursor.selected, app.events.rows.len() - 1);
    press(&mut app, "F");
    assert!(!app.following());
    press(&mut app, "w");
    assert!(app.wrap);
    let lines = app.raw_rows.len();
    press(&mut app, "a");
    assert!(!app.all_lines && app.raw_rows.len() < lines);
    press(&mut app, "L");
    assert!(app.opts.zh);
}

#[test]
fn x_queues_a_redacted_report_and_r_has_nothing_to_restart() {
    let mut app = demo();
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [
            Effect::WriteReport {
                path,
                text,
                clipboard,
                note,
            },
        ] => {
            assert_eq!(*note, None, "an event's report is what its name says");
            assert!(path.ends_with(format!(
                "bkscope-event-{}.md",
                app.selected_event().map_or(0, |e| e.id)
            )));
            assert!(text.contains("oauth-token"));
            assert!(text.contains("## Log lines (redacted)"));
            assert!(text.contains("containerd/1.6.20"));
            assert!(!clipboard);
        }
        other => panic!("{other:?}"),
    }
    press(&mut app, "r");
    assert!(app.take_effects().is_empty());
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("no docker logs source")
    );
}

/// The report `x` writes for the first error of `unknown_ca.log` (x509, unknown authority).
fn unknown_ca_report() -> String {
    let mut app = App::from_log(
        "unknown_ca.log",
        include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log"),
    );
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "g");
    press(&mut app, "e");
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_multi_line_kb_command_is_a_fenced_block_in_the_report() {
    let text = unknown_ca_report();
    assert!(text.contains("tls/x509-unknown-authority"), "{text}");
    // The buildkitd.toml snippet keeps its three lines, inside a fence under its workaround.
    assert!(
        text.contains(concat!(
            "\n   ```\n",
            "   # buildkitd.toml\n",
            "   [registry.\"myregistry.example:5000\"]\n",
            "     ca = [\"/etc/certs/myregistry-ca.pem\"]\n",
            "   ```\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("   ```\n   docker buildx create --name mybuilder"),
        "{text}"
    );
    assert!(
        !text.contains("\\x0a"),
        "a newline written as an escape: {text}"
    );
}

/// Backticks in a log line (here a url) cannot close the report's log-lines block early: the
/// fence is longer than any run of them, and the line stays whole inside it.
#[test]
fn backticks_in_a_log_line_stay_inside_the_reports_block() {
    let log = concat!(
        r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host="r.example" request.method=GET url="https://r.example/v2/a/manifests/```b""#,
        "\n",
        r#"time="2024-01-01T00:00:01Z" level=debug msg="fetch response received" host="r.example" response.status="404 Not Found" url="https://r.example/v2/a/manifests/```b""#,
        "\n",
    );
    let mut app = App::from_log("bt.log", log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "g");
    press(&mut app, "x");
    let text = match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    let block = text
        .split("## Log lines (redacted)\n\n")
        .nth(1)
        .expect("the log lines");
    assert!(block.starts_with("````\n1: time="), "{block}");
    assert!(block.contains("manifests/```b\"\n````\n"), "{block}");
}

#[test]
fn a_fence_outlasts_the_backticks_inside_it() {
    let mut out = String::new();
    super::report::fenced(&mut out, "", "echo ```x``` \x1b[2J\nsecond");
    assert_eq!(out, "````\necho ```x``` \\x1b[2J\nsecond\n````\n");
}

#[test]
fn question_mark_shows_help_and_any_key_closes_it() {
    let mut app = demo();
    // The help fits the terminal: nothing to scroll, so every key closes it.
    app.update(Action::HelpFit {
        rows: 34,
        visible: 34,
    });
    press(&mut app, "?");
    assert!(app.show_help);
    press(&mut app, "j");
    assert!(!app.show_help);
    assert_eq!(app.events.cursor.selected, demo().events.cursor.selected);
    press(&mut app, "f1");
    assert!(app.show_help);
    press(&mut app, "q");
    assert!(
        !app.show_help && !app.should_quit(),
        "q closes the help only"
    );
}

#[test]
fn help_that_does_not_fit_scrolls_and_other_keys_close_it() {
    let mut app = demo();
    // 80x24: 34 rows, 22 on screen (what ui::help_popup::fit says).
    app.update(Action::HelpFit {
        rows: 34,
        visible: 22,
    });
    let selected = app.events.cursor.selected;
    press(&mut app, "?");
    press(&mut app, "j");
    press(&mut app, "down");
    assert_eq!((app.show_help, app.help.top), (true, 2));
    press(&mut app, "k");
    assert_eq!(app.help.top, 1);
    press(&mut app, "pagedown");
    assert_eq!(app.help.top, 12, "a page down stops at the last row");
    press(&mut app, "pageup");
    assert_eq!(app.help.top, 0);
    press(&mut app, "G");
    assert_eq!(app.help.top, 12);
    press(&mut app, "g");
    assert_eq!(app.help.top, 0);
    app.update(Action::Scroll(3));
    assert_eq!(app.help.top, 3);
    assert_eq!(
        app.events.cursor.selected, selected,
        "the list did not move"
    );
    // A status message (a report written) does not close it.
    app.update(Action::Status("wrote x.md".into()));
    assert!(app.show_help);
    press(&mut app, "q");
    assert!(
        !app.show_help && !app.should_quit(),
        "q closes the help only"
    );
    // It opens again at its top; ctrl-c and keys bound to nothing close it too.
    press(&mut app, "?");
    assert_eq!(app.help.top, 0);
    press(&mut app, "ctrl-c");
    assert!(!app.show_help && !app.should_quit());
    press(&mut app, "?");
    press(&mut app, "f");
    assert!(
        !app.show_help && app.prompt.is_none(),
        "f closed it, no prompt"
    );
    // A key bound to nothing closes it too.
    press(&mut app, "?");
    press(&mut app, "z");
    assert!(!app.show_help);
    press(&mut app, "?");
    press(&mut app, "f7");
    assert!(!app.show_help && !app.should_quit());
}

#[test]
fn the_prompt_takes_the_keys_while_open() {
    let mut app = demo();
    press(&mut app, "/");
    for k in [
        "q", "ctrl-a", "x", "ctrl-e", "ctrl-w", "j", "left", "ctrl-h", "ctrl-k",
    ] {
        press(&mut app, k);
    }
    // q, then x typed before it; Ctrl-W deleted "xq", j typed, Left, Ctrl-H found nothing
    // before the cursor, Ctrl-K deleted the j after it. No key left the prompt.
    assert_eq!(prompt_shown(&app), "|");
    assert!(!app.should_quit() && app.take_effects().is_empty());
    press(&mut app, "ctrl-c");
    assert!(app.prompt.is_none() && !app.should_quit());
}

#[test]
fn ctrl_z_suspends_and_q_quits() {
    let mut app = demo();
    press(&mut app, "ctrl-z");
    assert_eq!(app.take_effects(), [Effect::Suspend]);
    assert!(!app.should_quit());
    press(&mut app, "q");
    assert!(app.should_quit());
    let mut app = demo();
    press(&mut app, "ctrl-c");
    assert!(app.should_quit());
}

#[test]
fn mouse_wheel_scrolls_and_click_selects_or_switches_tab() {
    let mut app = demo();
    press(&mut app, "g");
    app.update(Action::Scroll(3));
    assert_eq!(app.events.cursor.offset, 3);
    assert_eq!(app.events.cursor.selected, 3);
    app.update(Action::Click { column: 10, row: 5 });
    assert_eq!(app.events.cursor.selected, 5);
    let x = View::Events.title().len() as u16 + 4;
    app.update(Action::Click { column: x, row: 1 });
    assert_eq!(app.view, View::Raw);
}

#[test]
fn appended_lines_extend_the_rows_while_following() {
    let mut app = App::from_log_text(PLAIN);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let before = app.events.rows.len();
    let lines: Vec<_> = crate::test_support::numbered_lines(OAUTH.lines(), 1000);
    assert!(app.following());
    app.update(Action::Source(SourceEvent::Lines(lines)));
    assert!(app.events.rows.len() > before);
    assert_eq!(app.events.cursor.selected, app.events.rows.len() - 1);
    assert!(app.take_dirty());
}

#[test]
fn source_states_progress_and_resets_reach_the_header_state() {
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::default(),
        keymap::Keymap::builtin(),
    );
    let n = app.add_source(&crate::source::SourceSpec::Container {
        name: "buildx_buildkit_b0".into(),
        tail: Some(10),
    });
    app.update(Action::Source(SourceEvent::Progress {
        source: n,
        read: 5,
        total: 10,
    }));
    assert_eq!(app.sources[0].progress, Some((5, 10)));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: crate::source::SourceState::Ended(Some(1)),
    }));
    assert_eq!(
        app.sources[0].state,
        crate::source::SourceState::Ended(Some(1))
    );
    assert_eq!(app.sources[0].progress, None);
    assert_eq!(
        app.status_message().as_deref(),
        Some(
            "buildx_buildkit_b0: docker logs ended (the container stopped or is gone); \
             r follows it again"
        )
    );
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: crate::source::SourceState::Error("no container 'buildx_buildkit_b0'".into()),
    }));
    assert_eq!(
        app.status_message().as_deref(),
        Some("buildx_buildkit_b0: no container 'buildx_buildkit_b0'; r tries again"),
        "the whole error, which the header may cut"
    );
    app.update(Action::Restart);
    assert_eq!(app.take_effects(), [Effect::Restart(0)]);
    app.update(Action::Source(SourceEvent::Reset {
        source: n,
        why: "rotated".into(),
    }));
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("rotated")
    );
}

#[test]
fn raw_lines_are_redacted() {
    let app = App::from_log_text(
        "time=\"2024-01-01T00:00:00Z\" level=debug msg=\"do request\" request.header.authorization=\"Bearer sekrit-token-123\" url=\"https://r.example/v2/?token=abc123\"\n",
    );
    let l = app.lines.get(0).expect("a line");
    assert!(!l.text().contains("sekrit-token-123"), "{}", l.text());
    assert!(!l.text().contains("abc123"), "{}", l.text());
}

#[test]
fn the_builder_picker_takes_j_k_enter_and_starts_the_pick() {
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::default(),
        keymap::Keymap::builtin(),
    );
    app.open_picker(
        vec!["buildx_buildkit_a0".into(), "buildx_buildkit_b0".into()],
        Some(100),
    );
    press(&mut app, "j");
    press(&mut app, "j");
    assert_eq!(app.picker.as_ref().map(|p| p.cursor), Some(1));
    press(&mut app, "3");
    assert_eq!(
        app.view,
        View::Events,
        "other keys wait until a builder is picked"
    );
    press(&mut app, "enter");
    assert!(app.picker.is_none());
    let spec = crate::source::SourceSpec::Container {
        name: "buildx_buildkit_b0".into(),
        tail: Some(100),
    };
    assert_eq!(app.take_effects(), [Effect::Start { source: 0, spec }]);
    assert_eq!(app.sources[0].label, "buildx_buildkit_b0");
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::default(),
        keymap::Keymap::builtin(),
    );
    app.open_picker(vec!["x".into(), "y".into()], None);
    press(&mut app, "esc");
    assert!(
        app.should_quit(),
        "leaving the picker with nothing followed quits"
    );
}

#[test]
fn findings_of_one_entry_share_its_text() {
    // The real rate-limit capture: several 429 findings, all diagnosed by the same entry.
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/rate_limited_429.log");
    let app = App::from_log("rate_limited_429.log", log);
    let views: Vec<&diagnosis::DiagnosisView> = app
        .findings
        .iter()
        .filter_map(|f| app.diagnoses_of(f).first())
        .collect();
    assert!(views.len() >= 2, "{} diagnosed findings", views.len());
    let first = views[0];
    let same: Vec<_> = views.iter().filter(|v| v.id == first.id).collect();
    assert!(same.len() >= 2, "{} findings of {}", same.len(), first.id);
    assert!(!first.text.root_cause.is_empty());
    for v in same {
        assert!(
            Arc::ptr_eq(&v.text, &first.text),
            "{} holds its own copy",
            v.id
        );
    }
}

/// The store keeps the same facts of a line whether it was parsed or only glanced at (the
/// ingest fast path), on every line of every fixture; and the glance path is taken.
#[test]
fn glanced_lines_keep_the_facts_of_parsed_ones() {
    let (mut glanced, mut total) = (0, 0);
    for path in crate::test_support::fixture_logs() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            total += 1;
            if let Some(g) = crate::model::Model::plain_glance(line) {
                glanced += 1;
                let rec = crate::parse::parse_line(line);
                assert_eq!(
                    super::lines::LineFacts::of_glance(&g),
                    super::lines::LineFacts::of_record(&rec),
                    "{}: {line}",
                    path.display()
                );
            }
        }
    }
    assert!(
        glanced > 100 && glanced < total,
        "{glanced} of {total} lines glanced"
    );
}

#[test]
fn counts_of_one_are_singular_in_status_and_reports() {
    let mut app = demo();
    press(&mut app, "f");
    type_text(&mut app, "status=500");
    assert_eq!(app.events.rows.len(), 1);
    // (It hides the failure with no HTTP status, and says so: positions.rs.)
    assert!(
        app.status_message()
            .unwrap_or_default()
            .starts_with("1 event matches (1 failure without"),
        "{:?}",
        app.status_message()
    );
    // A trace of three requests in one span, exported from the Traces view.
    let mut app = App::from_log("gcr.log", GCR);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => {
            assert!(text.contains("- 3 requests in 1 span, 0 failed"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    // One fallback.
    let mut app = App::from_log(
        "mirror_fallback.log",
        include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log"),
    );
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "g");
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => {
            assert!(text.contains(", 1 fallback)"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

// Enter in the Mirrors view did nothing: the host's requests were a filter to type away.
#[test]
fn enter_on_a_host_shows_its_requests_and_esc_comes_back() {
    let mut a = App::from_log("demo.log", DEMO);
    press(&mut a, "esc"); // the kb pane opened on the first auth failure (the Mirrors view has its own)
    press(&mut a, "4");
    let hosts: Vec<String> = a.activity.hosts.iter().map(|h| h.host.clone()).collect();
    let i = hosts
        .iter()
        .position(|h| h == "127.0.0.1:5010")
        .expect("the token registry");
    a.hosts_cursor.select(i, hosts.len(), 10);
    press(&mut a, "enter");
    assert_eq!(a.view, View::Events);
    assert_eq!(a.filter.text(), "host=127.0.0.1:5010");
    assert!(!a.events.rows.is_empty());
    for id in &a.events.rows {
        let host = a.model.event(*id).and_then(|e| e.host.as_deref());
        assert_eq!(host, Some("127.0.0.1:5010"));
    }
    // `f` opens on it, as if typed.
    press(&mut a, "f");
    assert_eq!(
        a.prompt.as_ref().map(|p| p.line.text()),
        Some("host=127.0.0.1:5010")
    );
    press(&mut a, "esc");
    press(&mut a, "esc");
    assert_eq!(said(&a), "detail pane closed (d opens it)");
    press(&mut a, "esc");
    assert_eq!(a.view, View::Mirrors);
    assert!(a.filter.is_empty());
    assert_eq!(a.hosts_cursor.selected, i);
    // A filter changed since stays in the Events view when cleared.
    press(&mut a, "enter");
    press(&mut a, "f");
    type_text(&mut a, " status>=400");
    press(&mut a, "esc");
    assert_eq!(a.view, View::Events);

    // Requests logged without a host are `unknown` in the Hosts table: no filter names them.
    let mut a = App::from_log("mirror_gcr.log", GCR);
    press(&mut a, "4");
    assert_eq!(
        a.activity.hosts.first().map(|h| h.host.as_str()),
        Some("unknown")
    );
    press(&mut a, "enter");
    assert_eq!(a.view, View::Events);
    assert!(a.filter.is_empty());
}

// `cat demo.log | bkscope -` opened on the tail with no knowledge-base pane, where
// `bkscope demo.log` opened on the oauth-token failure with its diagnosis: a pipe follows at
// once, with no history to land after.
#[test]
fn a_saved_log_piped_in_opens_on_its_first_auth_failure_once_it_ends() {
    let piped_from = |spec: crate::source::SourceSpec, touch: bool| {
        let mut app = App::new(
            AppOptions::default(),
            crate::kb::KnowledgeBase::builtin(),
            keymap::Keymap::builtin(),
        );
        let n = app.add_source(&spec);
        app.update(Action::Source(SourceEvent::State {
            source: n,
            state: crate::source::SourceState::Following,
        }));
        let mut lines = Vec::new();
        let _ = crate::source::lines::read_all(n, DEMO.as_bytes(), |b| lines.extend_from_slice(b));
        app.update(Action::Source(SourceEvent::Lines(lines)));
        assert!(!app.show_kb, "still following: nothing moved yet");
        if touch {
            press(&mut app, "k");
        }
        let before = app.events.cursor.selected;
        app.update(Action::Source(SourceEvent::State {
            source: n,
            state: crate::source::SourceState::Ended(None),
        }));
        (app, before)
    };
    let piped = |touch: bool| piped_from(crate::source::SourceSpec::Stdin, touch);
    let (app, _) = piped(false);
    let file = App::from_log("demo.log", DEMO);
    assert_eq!(app.events.cursor.selected, file.events.cursor.selected);
    assert!(app.show_kb);
    assert!(
        app.selected_event()
            .is_some_and(|e| app.is_auth_failure(e.id))
    );
    // Where the user has moved already, the end of the input leaves the selection alone.
    let (app, before) = piped(true);
    assert_eq!(app.events.cursor.selected, before);
    assert!(!app.show_kb);
    // A builder's `docker logs` that ended was watched live: the selection stays, and the
    // status says why it ended.
    let (app, before) = piped_from(
        crate::source::SourceSpec::Container {
            name: "buildx_buildkit_b0".into(),
            tail: None,
        },
        false,
    );
    assert_eq!(app.events.cursor.selected, before);
    assert!(
        app.status_message()
            .is_some_and(|m| m.contains("docker logs ended")),
        "{:?}",
        app.status_message()
    );
}

/// A piped input that ended can answer nothing more: a request still waiting then failed, as
/// `summary` says of the same lines (its `no-response` finding, its host's error, the header's
/// count), and the explorer and a CI job that failed on it agree.
#[test]
fn a_request_still_waiting_when_every_source_ended_failed() {
    let text: Vec<&str> = include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log")
        .lines()
        .take(21)
        .collect();
    let text = text.join("\n");
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::builtin(),
        keymap::Keymap::builtin(),
    );
    let n = app.add_source(&crate::source::SourceSpec::Stdin);
    let mut lines = Vec::new();
    let _ = crate::source::lines::read_all(n, text.as_bytes(), |b| lines.extend_from_slice(b));
    app.update(Action::Source(SourceEvent::Lines(lines)));
    assert_eq!(
        app.model.counts().errors,
        0,
        "in flight while stdin is open"
    );
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: crate::source::SourceState::Ended(None),
    }));
    let mut headless = Model::new(crate::model::ModelOptions::default());
    headless.ingest_text(0, &text);
    headless.finish();
    assert_eq!(app.model.counts().errors, 1);
    assert_eq!(app.model.counts().errors, headless.counts().errors);
    assert_eq!(app.model.host_errors("tls.bkscope.test"), 1);
    let kinds = |m: &Model| -> Vec<String> {
        m.findings()
            .iter()
            .map(|f| format!("{:?} {}", f.kind, f.text))
            .collect()
    };
    assert_eq!(kinds(&app.model), kinds(&headless));
    assert!(
        app.findings
            .iter()
            .any(|f| f.text.contains(crate::model::NO_RESPONSE_TEXT)),
        "{:?}",
        app.findings
    );
    // The row shows it failed, and `e` finds it.
    let ev = app.model.events().next().expect("one event");
    assert!(!crate::app::traces::waits(ev), "{:?}", ev.error);
    press(&mut app, "g");
    press(&mut app, "e");
    assert!(app.selected_event().is_some_and(|e| e.failed()));
    // Ending twice finishes once.
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: crate::source::SourceState::Ended(None),
    }));
    assert_eq!(app.model.counts().errors, 1);
}

/// The explorer reads a file and keeps following it: a request whose answer has not come yet
/// is in flight, not a failure. Nothing there calls `Model::finish`, so the `no-response`
/// finding `summary` makes of the same cut capture does not appear.
#[test]
fn a_request_in_flight_stays_in_flight_in_the_explorer() {
    let text: Vec<&str> = include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log")
        .lines()
        .take(21)
        .collect();
    let app = App::from_log_text(&text.join("\n"));
    let events: Vec<_> = app.model.events().collect();
    assert_eq!(events.len(), 1);
    assert!(
        crate::app::traces::waits(events[0]),
        "{:?}",
        events[0].error
    );
    assert!(app.model.findings().is_empty());
    assert_eq!(app.model.host_errors("tls.bkscope.test"), 0);
    assert_eq!(app.model.counts().errors, 0);
}

/// A burst appended to a file already followed: its batches are full (over `TRICKLE` lines),
/// so the findings wait, and no source state change comes to read them. The header's counts
/// reach those of the whole log once a frame passes without lines, not only with the next
/// small write.
#[test]
fn a_burst_into_a_followed_file_reaches_the_header_counts_once_it_stops() {
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::builtin(),
        keymap::Keymap::builtin(),
    );
    let n = app.add_source(&crate::source::SourceSpec::File("g.log".into()));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: crate::source::SourceState::Following,
    }));
    let all: Vec<&str> = std::iter::repeat_n(DEMO.lines(), 6).flatten().collect();
    let lines = crate::test_support::numbered_lines(all.iter().copied(), 1);
    let one = DEMO.lines().count();
    assert!(
        5 * one > super::feed::MAX_BATCH / 4,
        "the burst is no trickle"
    );
    // One small write, then the burst in the feed's batches, then nothing.
    app.update(Action::Source(SourceEvent::Lines(lines[..one].to_vec())));
    assert_eq!(
        (app.finding_totals.auth, app.finding_totals.errors),
        (1, 10)
    );
    for chunk in lines[one..].chunks(super::feed::MAX_BATCH) {
        app.update(Action::Source(SourceEvent::Lines(chunk.to_vec())));
    }
    // The frame in which the burst arrived, then a quiet one.
    app.update(Action::Frame);
    app.take_dirty();
    app.update(Action::Frame);
    assert!(app.take_dirty(), "the new counts are drawn");
    // `bkscope summary` of the six copies: 6 auth failures, 60 errors.
    let whole = App::from_log("g.log", &all.join("\n"));
    assert_eq!(whole.finding_totals, app.model.finding_totals());
    assert_eq!(
        (app.finding_totals.auth, app.finding_totals.errors),
        (6, 60)
    );
    assert_eq!(app.findings.len(), whole.findings.len());
    // A quiet app is not redrawn every frame.
    app.update(Action::Frame);
    assert!(!app.take_dirty());
}
