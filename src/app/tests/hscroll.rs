//! `→` `l` / `←` `h` / `0` scroll the Raw view's cut lines sideways by half the list's width,
//! up to where the longest line on screen ends; wrapped lines and the other views say why
//! nothing moves.

use super::*;

/// The demo log's Raw view from its top, the list 100 columns wide, the kb pane closed.
fn raw_top() -> App {
    let mut app = demo();
    press(&mut app, "esc");
    press(&mut app, "2");
    press(&mut app, "g");
    app
}

#[test]
fn right_and_left_scroll_by_half_the_list_width_and_0_goes_back() {
    let mut app = raw_top();
    assert_eq!(app.raw_col, 0);
    press(&mut app, "right");
    assert_eq!(app.raw_col, 50);
    press(&mut app, "l");
    assert_eq!(app.raw_col, 100);
    press(&mut app, "left");
    assert_eq!(app.raw_col, 50);
    press(&mut app, "h");
    assert_eq!(app.raw_col, 0);
    press(&mut app, "h");
    assert_eq!((app.raw_col, said(&app).as_str()), (0, "at column 0"));
    press(&mut app, "l");
    press(&mut app, "l");
    press(&mut app, "0");
    assert_eq!(app.raw_col, 0);
}

#[test]
fn right_stops_where_the_longest_line_on_screen_ends() {
    let mut app = raw_top();
    let end = app.raw_scroll_end();
    // Line 2 of demo.log, the build request's long query string, is on screen.
    assert!(end > 300, "{end}");
    for _ in 0..end / 50 + 3 {
        press(&mut app, "l");
    }
    assert_eq!(app.raw_col, end);
    assert_eq!(said(&app), "the longest line on screen ends here");
    // The selection moves: the column stays.
    press(&mut app, "j");
    assert_eq!(app.raw_col, end);
}

#[test]
fn wrapped_lines_and_other_views_say_nothing_scrolls() {
    let mut app = raw_top();
    press(&mut app, "w");
    press(&mut app, "right");
    assert_eq!(app.raw_col, 0);
    assert_eq!(
        said(&app),
        "wrap is on: nothing to scroll sideways (w cuts the lines)"
    );
    press(&mut app, "1");
    press(&mut app, "l");
    assert_eq!(app.raw_col, 0);
    assert_eq!(
        said(&app),
        "only the Raw view scrolls sideways (2 shows it)"
    );
}
