//! Where a jump landed, said as lnav and lazygit say it: `e` / `E` name the error row and how
//! many there are (`error 3 of 10`), the Raw view's search counts its matches (in bounded steps,
//! `match 2 of 9`), and a status compare that hid failures with no HTTP status says so.

use ratatui::layout::Rect;

use super::{DEMO, PLAIN, demo, press, said, search_cycles, type_text};
use crate::app::{Action, App, View};
use crate::source::{Line, SourceEvent};

/// What demo.log's 11 error rows are made of (the header's `✖ 1 auth  10 errors`).
const SPLIT: &str = " (failures: 1 auth, 10 errors)";

// After `e` the status bar went back to the key hints: no word of which error of how many.
#[test]
fn e_says_which_error_of_how_many_and_when_it_went_round() {
    let mut app = demo();
    press(&mut app, "esc");
    let errors: Vec<usize> = (0..app.list_len())
        .filter(|&i| app.selected_is_error_at(i))
        .collect();
    let total = errors.len();
    assert!(total >= 2, "{total}");
    press(&mut app, "g");
    press(&mut app, "e");
    assert_eq!(app.cursor().selected, errors[0]);
    assert_eq!(said(&app), format!("error 1 of {total}{SPLIT}"));
    press(&mut app, "e");
    assert_eq!(said(&app), format!("error 2 of {total}{SPLIT}"));
    press(&mut app, "E");
    press(&mut app, "E");
    assert_eq!(
        said(&app),
        format!("error {total} of {total}{SPLIT} (went round: from the bottom)")
    );
    press(&mut app, "e");
    assert_eq!(
        said(&app),
        format!("error 1 of {total}{SPLIT} (went round: from the top)")
    );
    // Each view names its own rows.
    press(&mut app, "2");
    press(&mut app, "g");
    press(&mut app, "e");
    assert!(said(&app).starts_with("error line 1 of "), "{}", said(&app));
    press(&mut app, "4");
    press(&mut app, "e");
    assert!(
        said(&app).starts_with("host with errors ") && said(&app).contains(" of "),
        "{}",
        said(&app)
    );
}

impl App {
    /// True when row `i` of the current list is one `e` stops at.
    fn selected_is_error_at(&self, i: usize) -> bool {
        self.error_rows().contains(&i)
    }
}

// In the Raw view `/oauth` then Enter said nothing of how many lines match.
#[test]
fn the_raw_view_search_counts_its_matches() {
    let mut app = demo();
    press(&mut app, "2");
    // A small log is counted at once: the first `match 1 of M` has no `≥` nor `counting…`.
    search_cycles(&mut app, "manifests/sha256");
    assert!(!app.scanning());
}

/// `n` lines, a needle on an error line every thousand (the 8th of each thousand).
fn big(n: usize) -> App {
    let mut app = App::from_log_text("");
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let text: Vec<String> = (0..n)
        .map(|i| {
            let (level, word) = if i % 1000 == 7 {
                ("error", "needle")
            } else {
                ("debug", "hay")
            };
            format!("level={level} msg=\"line {i}\" {word}")
        })
        .collect();
    let lines: Vec<Line> = crate::test_support::numbered_lines(text.iter().map(String::as_str), 1);
    for chunk in lines.chunks(2048) {
        app.update(Action::Source(SourceEvent::Lines(chunk.to_vec())));
    }
    app.update(Action::ShowRaw);
    app
}

// On a long log the count runs in steps, one a frame: the keys are answered meanwhile, and the
// status says how far it got until the count is done.
#[test]
fn a_long_raw_count_runs_in_steps_and_a_key_ends_it() {
    let n = 200_000;
    let mut app = big(n);
    app.update(Action::SelectFirst);
    press(&mut app, "/");
    type_text(&mut app, "needle");
    let mut ticks = 0;
    while app.scanning() {
        let now = said(&app);
        assert!(
            now.starts_with("match ") && now.contains("(counting… "),
            "{now}"
        );
        app.update(Action::Tick);
        ticks += 1;
        assert!(ticks < 10_000, "the count never ends");
    }
    assert_eq!(said(&app), format!("match 1 of {}", n / 1000));
    // `e` counts the error lines the same way.
    press(&mut app, "g");
    press(&mut app, "e");
    press(&mut app, "e");
    let mut ticks = 0;
    while app.scanning() {
        assert!(said(&app).contains("(counting… "), "{}", said(&app));
        app.update(Action::Tick);
        ticks += 1;
        assert!(ticks < 10_000, "the count never ends");
    }
    assert_eq!(said(&app), format!("error line 2 of {}", n / 1000));
    // A key ends a count under way, quietly: its words went with the status.
    press(&mut app, "n");
    press(&mut app, "j");
    assert!(!app.scanning());
    assert_eq!(app.status_message(), None);
}

// `f status>=400` hid the auth failure the header counts (an ERR row: no HTTP status), and said
// only `11 events match`.
#[test]
fn a_status_compare_says_what_failures_without_a_status_it_hid() {
    let mut app = demo();
    press(&mut app, "f");
    type_text(&mut app, "status>=400");
    let n = app.events.rows.len();
    assert_eq!(
        said(&app),
        format!("{n} events match (1 failure without an HTTP status not shown: status=failed)")
    );
    // It keeps up with a growing log, as the count does.
    let next = app.lines.end() as u64 + 1;
    let more = crate::test_support::numbered_lines(DEMO.lines(), next);
    app.update(Action::Source(SourceEvent::Lines(more)));
    let n = app.events.rows.len();
    assert_eq!(
        said(&app),
        format!("{n} events match (2 failures without an HTTP status not shown: status=failed)")
    );
    // The Traces view says it beside its events (the filter given again there).
    press(&mut app, "3");
    press(&mut app, "f");
    app.update(Action::Input(crate::app::InputEdit::Submit));
    assert!(
        said(&app).ends_with("; 2 failures without an HTTP status not shown: status=failed)"),
        "{}",
        said(&app)
    );
    // A filter that shows them, or has no status compare, says nothing more.
    press(&mut app, "1");
    for f in ["status=failed", "host=127.0.0.1:5010", "status!=200"] {
        press(&mut app, "f");
        app.update(Action::Input(crate::app::InputEdit::DeleteToStart));
        type_text(&mut app, f);
        assert!(!said(&app).contains("not shown"), "{f}: {}", said(&app));
    }
    assert_eq!(app.view, View::Events);
}

// The review: with `--max-events 5` the header said `(16 older events dropped) ✖ 1 auth 10
// errors` while `e` said only `error 2 of 5`: `e` now says how many findings went with the
// dropped events.
#[test]
fn e_says_which_findings_it_cannot_reach_past_max_events() {
    let opts = crate::app::AppOptions {
        max_events: Some(5),
        ..crate::app::AppOptions::default()
    };
    let mut app = App::from_log_with(opts, "demo.log", DEMO);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let dropped = app.model.evicted_count();
    assert!(dropped > 0);
    let t = app.finding_totals;
    assert_eq!((t.auth, t.errors), (1, 10));
    // The findings whose event is still kept: those `e` reaches in the Events view.
    let reached = app
        .findings
        .iter()
        .filter(|f| f.event.is_some_and(|id| app.model.event(id).is_some()))
        .count();
    let gone = 11 - reached;
    assert!(gone > 0);
    press(&mut app, "1");
    press(&mut app, "esc");
    press(&mut app, "g");
    press(&mut app, "e");
    let msg = said(&app);
    let rows = (0..app.list_len())
        .filter(|&i| app.selected_is_error_at(i))
        .count();
    assert!(msg.starts_with("error "), "{msg}");
    assert!(
        msg.ends_with(&format!(
            " of {rows}; {gone} findings went with the {dropped} older events dropped"
        )),
        "{msg}"
    );
    // The Raw view still holds every line: each finding is reached there, no note.
    press(&mut app, "2");
    press(&mut app, "g");
    press(&mut app, "e");
    let msg = said(&app);
    assert!(!msg.contains(';'), "{msg}");
}

/// A review: with one error row, already selected, `e` said `error 1 of 1 (went round: from
/// the top)` and `E` `(… from the bottom)`; landing back on the row it started from is no going
/// round. From elsewhere, reaching it past the end still is.
#[test]
fn the_only_error_selected_again_did_not_go_round() {
    let text = include_str!("../../../tests/fixtures/dockerd-20.10/not_found_404.log");
    let mut app = App::from_logs(&[("plain.log", PLAIN), ("not_found_404.log", text)]);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app.update(Action::ShowEvents);
    press(&mut app, "g");
    press(&mut app, "e");
    assert_eq!(said(&app), "error 1 of 1");
    let at = app.events.cursor.selected;
    press(&mut app, "e");
    assert_eq!(said(&app), "error 1 of 1");
    press(&mut app, "E");
    assert_eq!(said(&app), "error 1 of 1");
    assert_eq!(app.events.cursor.selected, at);
    // Elsewhere, `e` going past the end to it goes round.
    assert!(app.events.rows.len() > 1);
    let other = if at == 0 { "G" } else { "g" };
    press(&mut app, other);
    press(&mut app, if at == 0 { "e" } else { "E" });
    assert!(
        said(&app).starts_with("error 1 of 1 (went round: from the "),
        "{}",
        said(&app)
    );
}
