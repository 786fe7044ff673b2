//! The `?` help tells the filter's forms, not only the `f` key: a user who pressed `?` learns
//! `trace=` (a trace or span id, or its first digits), `span=`, `status=failed` and the rest.

use super::{DEMO, app, screen, screen_text};
use crate::app::Action;

/// Every screen of the help on an 80×24 terminal, scrolled to its end.
fn whole_help(w: u16, h: u16) -> String {
    let mut a = app("demo.log", DEMO);
    a.update(Action::Help);
    let mut seen = String::new();
    for _ in 0..80 {
        let t = screen(&mut a, w, h);
        seen.push_str(&screen_text(&t).join("\n"));
        seen.push('\n');
        a.update(Action::SelectNext);
    }
    seen
}

#[test]
fn the_help_lists_the_filter_forms() {
    let seen = whole_help(80, 24);
    for form in [
        "filter terms (f), all must hold",
        "trace=a41c trace or span id, or its first digits",
        "span=9460 span ids only",
        "status=failed every failure",
        "host~mirror",
        "level>=info",
    ] {
        assert!(seen.contains(form), "{form}: {seen}");
    }
}

/// On a small terminal the forms are reached by scrolling, as the bindings are, and the
/// overlay never grows past the screen.
#[test]
fn the_filter_forms_scroll_into_view_on_a_small_terminal() {
    let seen = whole_help(50, 15);
    assert!(seen.contains("span ids only"), "{seen}");
    assert!(seen.contains("bare word"), "{seen}");
}
