//! Time columns on a log of whole seconds (`tests/fixtures/seed/mirror_gcr.log`, every line at
//! `2022-02-06T17:47:48Z`): `17:47:48`, no invented `.000`, the column four characters
//! narrower; opened together with a nanosecond log (`dockerd-20.10/plain_pull.log`), each
//! row as precise as its own log, the seconds aligned (`app::clock`).

use super::{GCR, PLAIN, app, row_text, view};
use crate::app::{Action, App};
use crate::ui::{events_view, trace_view};

fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

#[test]
fn events_view_of_a_whole_second_log() {
    let a = app("mirror_gcr.log", GCR);
    let t = view(&a, 100, 6, events_view::render);
    let head = row_text(&t, 0);
    assert!(head.starts_with("TIME     LVL   METH "), "{head}");
    let rows: Vec<String> = (1..4).map(|y| row_text(&t, y)).collect();
    for r in &rows {
        assert!(r.starts_with("17:47:48 "), "{r}");
        assert!(!r.contains(".000"), "{r}");
    }
    snapshots(|| insta::assert_snapshot!("events_view_whole_seconds", t.backend()));
}

/// A whole-second log and a nanosecond one open together: the column keeps room for `.mmm`,
/// the GCR rows leave it blank, the other rows keep their milliseconds, and every row's next
/// column starts at the same place. The GCR trace's FIRST stays to the second.
#[test]
fn a_whole_second_log_beside_a_nanosecond_one() {
    let mut a = App::from_logs(&[("mirror_gcr.log", GCR), ("plain_pull.log", PLAIN)]);
    a.update(Action::Layout(ratatui::layout::Rect::new(0, 1, 120, 15)));
    assert!(!a.lines.has_millis(0) && a.lines.has_millis(1));
    let t = view(&a, 120, 9, events_view::render);
    let rows: Vec<String> = (1..8).map(|y| row_text(&t, y)).collect();
    // Two years apart: dated (`YYYY-MM-DD`), 23 columns with the milliseconds.
    let gcr: Vec<&String> = rows
        .iter()
        .filter(|r| r.starts_with("2022-02-06 "))
        .collect();
    let ns: Vec<&String> = rows
        .iter()
        .filter(|r| r.starts_with("2026-11-24 "))
        .collect();
    assert_eq!((gcr.len(), ns.len()), (3, 4), "{rows:#?}");
    for r in &gcr {
        assert!(r.starts_with("2022-02-06 17:47:48     debug "), "{r}");
    }
    for r in &ns {
        let ms = &r[19..23];
        assert!(
            ms.starts_with('.') && ms[1..].bytes().all(|b| b.is_ascii_digit()),
            "{r}"
        );
        assert_eq!(&r[23..24], " ", "{r}");
    }
    snapshots(|| insta::assert_snapshot!("events_view_mixed_precision", t.backend()));
    a.update(Action::ShowTraces);
    let t = view(&a, 120, 4, trace_view::render);
    let row = row_text(&t, 1);
    assert!(row.contains(" 2022-02-06 17:47:48     1 "), "{row}");
}
