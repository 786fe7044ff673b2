//! `f time…`: the Events view keeps the requests of the span of time the value names, the Raw
//! view the lines of it (each line by its own `time=`), on the bundled sample log, whose 195
//! lines fall between 13:08:35 and 13:08:59 on 2026-11-24.

use ratatui::layout::Rect;

use super::{demo, press, said, type_text};
use crate::app::{Action, App, InputEdit};

const DEMO: &str = include_str!("../../../tests/fixtures/sample/demo.log");

fn filter(app: &mut App, text: &str) {
    // A text refused before leaves its prompt open (Esc closes it, nothing applied).
    if app.prompt.is_some() {
        press(app, "esc");
    }
    press(app, "f");
    app.update(Action::Input(InputEdit::DeleteToStart));
    type_text(app, text);
}

/// Why the open prompt's text was refused (its long form), empty when it was not.
fn refused(app: &App) -> String {
    app.prompt
        .as_ref()
        .and_then(|p| p.error())
        .map(|(long, _)| long.to_owned())
        .unwrap_or_default()
}

/// The clocks (`13:08:38.123`) of the events the Events view lists.
fn clocks(app: &App) -> Vec<String> {
    app.events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id))
        .map(|e| {
            e.started
                .or(e.finished)
                .map(|t| t.clock())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_time_term_keeps_the_events_of_its_span() {
    let mut app = demo();
    let all = clocks(&app);
    assert!(all.len() > 20, "{}", all.len());
    let at_38 = all.iter().filter(|c| c.starts_with("13:08:38")).count();
    let from_54 = all.iter().filter(|c| c.as_str() >= "13:08:54").count();
    assert!(at_38 > 0 && from_54 > 0 && from_54 < all.len());

    filter(&mut app, "time=13:08:38");
    assert!(clocks(&app).iter().all(|c| c.starts_with("13:08:38")));
    assert_eq!(app.events.rows.len(), at_38);
    assert_eq!(said(&app), format!("{at_38} events match"));

    // `>=` from the start of the second, `<` before it: the two halves are all the events.
    filter(&mut app, "time>=13:08:54");
    assert_eq!(app.events.rows.len(), from_54);
    filter(&mut app, "time<13:08:54");
    assert_eq!(app.events.rows.len(), all.len() - from_54);
    // `<=` up to the end of the second it names, `>` after that end.
    filter(&mut app, "time<=13:08:38");
    let to_38 = all.iter().filter(|c| c.as_str() < "13:08:39").count();
    assert_eq!(app.events.rows.len(), to_38);
    filter(&mut app, "time>13:08:38");
    assert_eq!(app.events.rows.len(), all.len() - to_38);

    // A minute holds them all; the date pins the day, another day holds none.
    filter(&mut app, "time=13:08");
    assert_eq!(app.events.rows.len(), all.len());
    filter(&mut app, "time=2026-11-24T13:08");
    assert_eq!(app.events.rows.len(), all.len());
    // Two digits alone are the hour: 13 holds them all, the hours either side none.
    filter(&mut app, "time=13");
    assert_eq!(app.events.rows.len(), all.len());
    filter(&mut app, "time<13");
    assert_eq!(app.events.rows.len(), 0);
    filter(&mut app, "time>=14");
    assert_eq!(app.events.rows.len(), 0);
    filter(&mut app, "time=11-24T13");
    assert_eq!(app.events.rows.len(), all.len());
    filter(&mut app, "time=11-25");
    assert_eq!(app.events.rows.len(), 0);
    filter(&mut app, "time!=11-25 status>=400");
    assert!(!app.events.rows.is_empty());
}

#[test]
fn a_time_term_judges_each_raw_line_by_its_own_time() {
    let mut app = demo();
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "2");
    let at_38 = DEMO
        .lines()
        .filter(|l| l.contains("time=\"2026-11-24T13:08:38"))
        .count();
    assert_eq!(at_38, 56);
    filter(&mut app, "time=13:08:38");
    assert_eq!(app.raw_rows.len(), at_38);
    assert_eq!(said(&app), format!("{at_38} lines match"));
    // A line with no time (a client's plain output) passes only `!=`.
    let mut mixed = App::from_log(
        "mixed.log",
        "time=\"2026-11-24T13:08:38.5Z\" level=info msg=\"one\"\n#5 ERROR: no time here\n",
    );
    press(&mut mixed, "2");
    filter(&mut mixed, "time<=13:08:38");
    assert_eq!(mixed.raw_rows.len(), 1);
    filter(&mut mixed, "time!=13:08:38");
    assert_eq!(mixed.raw_rows.len(), 1);
    assert_eq!(said(&mixed), "1 line matches");
}

#[test]
fn a_bad_time_says_what_a_time_is() {
    let mut app = demo();
    let all = app.events.rows.len();
    filter(&mut app, "time>=13:8pm");
    assert_eq!(app.events.rows.len(), all, "a bad filter is not applied");
    assert!(
        refused(&app).contains("'time' needs a UTC time in 'time>=13:8pm'"),
        "{}",
        refused(&app)
    );
    filter(&mut app, "time~13:08");
    assert!(
        refused(&app).contains("'~' works on text fields"),
        "{}",
        refused(&app)
    );
    // `~` is refused before the value is read: `time~13` is no "needs a UTC time".
    filter(&mut app, "time~13");
    assert!(
        refused(&app).contains("'~' works on text fields"),
        "{}",
        refused(&app)
    );
    // Two digits each, as the columns write them; a day the calendar has.
    for bad in ["time=13:08:5", "time=13:8", "time=2026-02-30"] {
        filter(&mut app, bad);
        assert!(
            refused(&app).contains("needs a UTC time"),
            "{bad}: {}",
            refused(&app)
        );
    }
}

/// A line's own time pasted whole (nanoseconds), and a time as the TIME column writes it once
/// the lines span days (`11-24 13:08:38.236`, a space between): both are one value.
#[test]
fn a_time_pasted_from_a_line_or_the_time_column_is_one_value() {
    let mut app = demo();
    filter(&mut app, "time=2026-11-24T13:08:38.236Z");
    assert_eq!(app.events.rows.len(), 1);
    filter(&mut app, "time>=11-24 13:08:54");
    assert_eq!(said(&app), "9 events match");
    assert_eq!(app.filter.text(), "time>=11-24 13:08:54");
    filter(&mut app, "time>=2026-11-24 13:08:54 status>=400");
    let both = app.events.rows.len();
    filter(&mut app, "time>=13:08:54 status>=400");
    assert_eq!(app.events.rows.len(), both);
    // A nanosecond time picks the one line that has it.
    press(&mut app, "2");
    filter(&mut app, "time=2026-11-24T13:08:38.215774776Z");
    let want = DEMO
        .lines()
        .filter(|l| l.contains("time=\"2026-11-24T13:08:38.215774776Z\""))
        .count();
    assert_eq!(want, 1);
    assert_eq!(app.raw_rows.len(), want);
}
