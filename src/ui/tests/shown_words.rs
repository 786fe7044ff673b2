//! A bare filter word and a `/` search find what an Events row shows in its TIME, LVL and DUR
//! columns, as they find its host or path: counted against the rows on screen.

use super::{DEMO, screen, screen_text};
use crate::app::{Action, App, InputEdit};

/// Types `text` into the prompt `open` opens, and submits it.
fn prompt(a: &mut App, open: Action, text: &str) {
    a.update(open);
    a.update(Action::Input(InputEdit::DeleteToStart));
    for c in text.chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
}

/// The Events rows on a 120×40 screen (the 21 events of demo.log fit), lower-cased.
fn rows(a: &mut App) -> Vec<String> {
    let all = screen_text(&screen(a, 120, 40));
    let body = all.iter().skip_while(|r| !r.starts_with("TIME ")).skip(1);
    body.take_while(|r| r.starts_with("13:"))
        .map(|r| r.to_lowercase())
        .collect()
}

// The review (demo.log at 120×40): `f 13:08:58`, `f debug`, `f ms` kept 0 events and
// `/13:08:58`, `/debug` found no match, while `f alpine` kept 13.
#[test]
fn bare_words_and_search_find_time_level_and_duration_as_shown() {
    let mut a = App::from_log("demo.log", DEMO);
    a.update(Action::ShowEvents);
    a.update(Action::Back);
    a.update(Action::Back);
    let shown = rows(&mut a);
    assert_eq!(shown.len(), 21, "{shown:#?}");
    let on_screen = |w: &str| shown.iter().filter(|r| r.contains(w)).count();
    // The review's words, and parts of what the columns write.
    assert_eq!(
        ["13:08:58", "debug", "info"].map(on_screen),
        [7, 20, 1],
        "{shown:#?}"
    );
    for word in [
        "13:08:58", "13:08:5", "08:38.2", ".712", "debug", "info", "ms", "46ms", "0ms",
    ] {
        let n = on_screen(word);
        assert!(n > 0, "{word}: {shown:#?}");
        prompt(&mut a, Action::Filter, word);
        assert_eq!(a.events.rows.len(), n, "f {word}");
        prompt(&mut a, Action::Filter, "");
        prompt(&mut a, Action::Search, word);
        let found = (0..a.list_len()).filter(|&i| a.row_matches(i)).count();
        assert_eq!(found, n, "/{word}");
    }
    // A number alone is not looked for in TIME (a filter runs on every key): `429` keeps the
    // rows whose status it is, not those at a time with 429 in it.
    prompt(&mut a, Action::Filter, "429");
    assert_eq!(a.events.rows.len(), 6);
}

// The second review: `f <1s` and `f ~1s`, DUR as a log with whole seconds shows it, were read
// as an operator with no field ("unknown field ''"). A word that starts with an operator is a
// bare word.
#[test]
fn a_duration_shown_as_under_or_about_a_second_is_a_bare_word() {
    let miss = include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let mut a = App::from_log("miss.txt", miss);
    a.update(Action::ShowEvents);
    a.update(Action::Back);
    a.update(Action::Back);
    let all = screen_text(&screen(&mut a, 120, 40));
    let shown: Vec<&String> = all
        .iter()
        .skip_while(|r| !r.starts_with("TIME "))
        .skip(1)
        .take_while(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(!shown.is_empty(), "{all:#?}");
    for word in ["<1s", "~1s"] {
        let n = shown.iter().filter(|r| r.contains(word)).count();
        prompt(&mut a, Action::Filter, word);
        assert_eq!(a.events.rows.len(), n, "f {word}: {shown:#?}");
        let said = a.status_message().unwrap_or_default();
        assert!(!said.contains("not applied"), "{said}");
        prompt(&mut a, Action::Filter, "");
    }
    assert!(
        shown.iter().any(|r| r.contains("<1s") || r.contains("~1s")),
        "{shown:#?}"
    );
}
