//! The selected row still shows which of its cells the search matches, in every theme: in
//! the Events view its PATH cell (the waterfall's labels: `demo_traces.rs`). High-contrast
//! and `--color never` draw the selection in reverse video, which swapped the match's colours
//! back with the row.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use super::{DEMO, app, row_text, selected_rows, view};
use crate::app::{Action, InputEdit};
use crate::ui::events_view;
use crate::ui::theme::Theme;

#[test]
fn the_selected_row_of_the_events_view_still_shows_its_search_match() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowEvents);
    a.update(Action::Search);
    for c in "alpine".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    let at = a.events.cursor.selected;
    assert!(a.row_matches(at), "the search selected a match");
    // The selected row on screen, and its PATH cell (after TIME and HOST).
    let t = view(&a, 100, 16, events_view::render);
    let [y] = selected_rows(&t)[..] else {
        panic!("one selected row")
    };
    let x = u16::try_from(row_text(&t, 0).find("PATH").expect("a PATH column")).unwrap_or(0);
    for name in ["high-contrast", "dark", "light"] {
        let th = Theme::load(Some(name), None).unwrap();
        for th in [th.clone(), th.without_colors()] {
            let mut t = Terminal::new(TestBackend::new(100, 16)).unwrap();
            t.draw(|f| events_view::render(f, f.area(), &a, &th))
                .unwrap();
            let buf = t.backend().buffer();
            let (path, time) = (&buf[(x, y)], &buf[(0, y)]);
            assert_eq!(path.bg, th.search_match.bg.unwrap_or_default(), "{name}");
            assert!(!path.modifier.contains(Modifier::REVERSED), "{name}");
            assert_eq!(
                time.modifier.contains(Modifier::REVERSED),
                th.selected.add_modifier.contains(Modifier::REVERSED),
                "{name}"
            );
        }
    }
}
