//! The line cap seen from the app: the Raw view's rows, cursor, filters, findings and reports
//! after the store dropped its oldest lines.

use ratatui::layout::Rect;

use super::{DEMO, press, type_text};
use crate::app::keymap::Keymap;
use crate::app::{Action, App, AppOptions, lines, report};
use crate::kb::KnowledgeBase;
use crate::source::SourceEvent;

fn numbered(text: &str, from: u64) -> Vec<crate::source::Line> {
    crate::test_support::numbered_lines(text.lines(), from)
}

// See: issue #7 (a 10-hour follow keeps memory bounded).
#[test]
fn issue_7_dropped_lines_leave_the_raw_view_consistent() {
    let opts = AppOptions {
        lines: lines::StoreOptions {
            max_lines: 300,
            spool_dir: None,
        },
        ..AppOptions::default()
    };
    let mut app = App::new(opts, KnowledgeBase::builtin(), Keymap::builtin());
    app.add_source(&crate::source::SourceSpec::File("big.log".into()));
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    let mut next = 1;
    let mut feed = |app: &mut App, times: usize| {
        for _ in 0..times {
            let batch = numbered(DEMO, next);
            next += batch.len() as u64;
            app.update(Action::Source(SourceEvent::Lines(batch)));
        }
    };
    feed(&mut app, 2);
    // Said once, until the next key (the header keeps counting the lines dropped).
    assert!(
        app.status_message()
            .as_deref()
            .unwrap_or("")
            .contains("older lines are being dropped")
    );
    press(&mut app, "2");
    for _ in 0..5 {
        press(&mut app, "k");
    }
    assert!(!app.following());
    let held = app.selected_line().map(|l| (l.source, l.number)).unwrap();
    let held_text = app.selected_line().unwrap().text().into_owned();
    // A little more: the held line is still kept and still selected.
    feed(&mut app, 1);
    assert!(app.lines.first() > 0, "the cap was passed");
    assert!(app.lines.len() <= 300);
    assert_eq!(app.raw_rows.len(), app.lines.len());
    if app.lines.seq_of(held.0, held.1).is_some() {
        let now = app.selected_line().unwrap();
        assert_eq!((now.source, now.number), held);
        assert_eq!(now.text(), held_text);
    }
    // Much more: the held line is gone; the cursor stays on a kept row.
    feed(&mut app, 20);
    assert!(app.lines.seq_of(held.0, held.1).is_none());
    assert!(app.raw_cursor.selected < app.raw_rows.len());
    assert!(app.selected_line().is_some());
    // A filter picks rows; dropping keeps them in step with the store.
    press(&mut app, "f");
    type_text(&mut app, "request");
    assert!(!app.raw_rows.is_every() && !app.raw_rows.is_empty());
    feed(&mut app, 5);
    let first = app.raw_rows.get(0).unwrap();
    assert!(first >= app.lines.first());
    assert!((0..app.raw_rows.len()).all(|i| {
        app.raw_rows
            .get(i)
            .and_then(|s| app.lines.get(s))
            .is_some_and(|l| l.text().to_ascii_lowercase().contains("request"))
    }));
    // Findings may point at dropped lines: the detail pane and reports carry on without them.
    let _ = app.selected_findings();
    press(&mut app, "1");
    let _ = app.selected_event().map(|e| report::event(&app, e));
}
