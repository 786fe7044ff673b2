//! A filter in the Raw view judges lines (their level, trace and text), the status bar counts
//! lines there, and an empty Raw view says which of the filter, the trace filter and the
//! registry-only toggle left no line.

use ratatui::layout::Rect;

use super::{press, said, type_text};
use crate::app::{Action, App, InputEdit};
use crate::parse::Level;

const FALLBACK: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log");

fn fallback() -> App {
    let mut app = App::from_log("mirror_fallback.log", FALLBACK);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "2");
    app
}

fn filter(app: &mut App, text: &str) {
    press(app, "f");
    app.update(Action::Input(InputEdit::DeleteToStart));
    type_text(app, text);
}

// On mirror_fallback.log the reviewer saw `no lines yet` and `0 events match` for `f grpc`,
// and 2 lines for `f level>=info`: what the registry-only toggle (`a`) leaves of them.
#[test]
fn a_raw_view_filter_judges_lines_and_says_what_it_left() {
    let mut app = fallback();
    let grpc = FALLBACK.lines().filter(|l| l.contains("grpc")).count();
    filter(&mut app, "grpc");
    assert_eq!(app.raw_rows.len(), grpc);
    assert_eq!(said(&app), format!("{grpc} lines match"));
    // level>=info keeps every line at info or above, by the line's own level.
    filter(&mut app, "level>=info");
    let info = FALLBACK
        .lines()
        .filter(|l| {
            let rec = crate::parse::parse_line(l);
            crate::app::lines::LineFacts::of_record(&rec)
                .level
                .is_some_and(|v| v >= Level::Info)
        })
        .count();
    assert_eq!(info, 20);
    assert_eq!(app.raw_rows.len(), info);
    assert_eq!(said(&app), "20 lines match");
    // With registry lines only: the two `trying next host` lines, and the count says of which.
    press(&mut app, "a");
    assert_eq!(app.raw_rows.len(), 2);
    assert_eq!(said(&app), "2 registry lines match (a shows every line)");
    filter(&mut app, "grpc");
    assert_eq!(app.raw_rows.len(), 0);
    assert_eq!(said(&app), "0 registry lines match (a shows every line)");
    assert_eq!(
        app.raw_empty_reason(),
        "no registry line matches the filter 'grpc' (f to change it, Esc to clear it; a shows \
every line)"
    );
    press(&mut app, "a");
    filter(&mut app, "nowhere-at-all");
    assert_eq!(
        app.raw_empty_reason(),
        "no line matches the filter 'nowhere-at-all' (f to change it, Esc to clear it)"
    );
    // Without a filter: registry lines only, none yet.
    let mut empty = App::from_log("plain.log", "level=info msg=\"hello\"\n");
    press(&mut empty, "2");
    press(&mut empty, "a");
    assert_eq!(
        empty.raw_empty_reason(),
        "no registry line yet (a shows every line)"
    );
    let none = App::from_log("none.log", "");
    assert_eq!(none.raw_empty_reason(), "no lines yet");
}
