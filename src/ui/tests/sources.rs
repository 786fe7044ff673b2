//! Several sources in the Raw view: the index in front of each line's number padded to the
//! widest, and the selected line's file named in the tab bar (the review's MANY, 21 sources).

use super::{row_text, screen};
use crate::app::Action;
use crate::test_support::app_with_many_sources;

// The review: `9:    1 ERROR…` above `10:    1 ERROR…` (the text column moved at two digits),
// and nothing on screen said which file `10:` was.
#[test]
fn raw_view_aligns_the_source_index_and_names_the_selected_lines_file() {
    let mut app = app_with_many_sources();
    // It opened on demo.log's auth failure with the diagnosis; the lines get the width here.
    assert!(app.show_kb);
    app.update(Action::ToggleDiagnosis);
    app.update(Action::ShowRaw);
    app.update(Action::SelectFirst);
    let t = screen(&mut app, 120, 40);
    let rows: Vec<String> = (2..38).map(|y| row_text(&t, y)).collect();
    let nine = rows.iter().find(|r| r.starts_with(" 9:")).cloned();
    let ten = rows.iter().find(|r| r.starts_with("10:")).cloned();
    let (Some(nine), Some(ten)) = (nine, ten) else {
        panic!("no rows of sources 9 and 10: {rows:#?}");
    };
    // The text starts in the same column.
    assert_eq!(&nine[3..10], "    1 E", "{nine:?}");
    assert_eq!(&ten[3..10], "    1 E", "{ten:?}");
    let top = (1..24)
        .map(|y| row_text(&t, y))
        .collect::<Vec<_>>()
        .join("\n");
    let tabs = row_text(&t, 1);
    assert!(
        tabs.contains("│ 0: build-push-action-628-anonymous-403.log"),
        "{tabs:?}"
    );
    app.update(Action::SelectLast);
    let t = screen(&mut app, 120, 40);
    let tabs = row_text(&t, 1);
    assert!(tabs.contains("│ 20: demo.log"), "{tabs:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        insta::assert_snapshot!("raw_view_many_sources_top", top);
        insta::assert_snapshot!(
            "raw_view_many_sources",
            (1..8)
                .map(|y| row_text(&t, y))
                .collect::<Vec<_>>()
                .join("\n")
        );
    });
}
