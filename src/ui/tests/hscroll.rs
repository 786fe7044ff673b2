//! The Raw view scrolled sideways (`→`): the line numbers stay, the text starts at the column
//! the tab bar names (`→ col 50`).

use super::*;

#[test]
fn the_raw_view_scrolled_right_keeps_its_numbers_and_names_the_column() {
    let mut a = app("demo.log", DEMO);
    a.show_kb = false;
    a.show_detail = false;
    a.update(Action::ShowRaw);
    a.update(Action::SelectFirst);
    let t = screen(&mut a, 100, 12);
    assert!(!row_text(&t, 1).contains("→ col"), "{}", row_text(&t, 1));
    a.update(Action::ScrollRight);
    let t = screen(&mut a, 100, 12);
    assert!(row_text(&t, 1).contains("→ col 50"), "{}", row_text(&t, 1));
    // Line 2's text from its 51st column on, after its number.
    let line2 = DEMO.lines().nth(1).unwrap_or_default();
    let row = (0..12)
        .map(|y| row_text(&t, y))
        .find(|r| r.starts_with("     2 "))
        .unwrap_or_default();
    assert!(row["     2 ".len()..].starts_with(&line2[50..90]), "{row}");
    let mut settings = insta::Settings::clone_current();
    // In the snapshots' directory, with the other view snapshots.
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| insta::assert_snapshot!("raw_view_scrolled_right", t.backend()));
}
