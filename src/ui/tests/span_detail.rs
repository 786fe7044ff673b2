//! The detail pane on a waterfall's span row: the span's name, id, trace, counts, time and
//! hosts, where it said "nothing selected" (a span row sits between its requests, and `j`
//! through a waterfall met it every few rows).

use super::{GCR, app, row_text, view};
use crate::app::Action;
use crate::app::traces::WaterfallRow;
use crate::ui::exchange_view;

fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

#[test]
fn a_span_row_shows_the_span_in_the_detail_pane() {
    let mut a = app("mirror_gcr.log", GCR);
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    a.update(Action::SelectFirst);
    let (span, ids) = a
        .selected_span()
        .unwrap_or_else(|| panic!("row 0 is a span"));
    let WaterfallRow::Span {
        ref name, events, ..
    } = span
    else {
        panic!("{span:?}")
    };
    assert_eq!(ids.len(), events);
    let t = view(&a, 80, 10, exchange_view::render);
    let text: Vec<String> = (0..10).map(|y| row_text(&t, y)).collect();
    let all = text.join("\n");
    assert!(!all.contains("nothing selected"), "{all}");
    // The seed's lines carry span ids but no span names.
    assert_eq!(*name, None);
    assert!(all.contains("span (no name logged)"), "{all}");
    assert!(all.contains("   id ") && all.contains("trace "), "{all}");
    assert!(all.contains(&format!("asked {events} request")), "{all}");
    assert!(all.contains("from 17:47:48"), "{all}");
    snapshots(|| insta::assert_snapshot!("detail_pane_on_a_span_row", t.backend()));
    // A request row below it still shows its exchange.
    a.update(Action::SelectNext);
    assert!(a.selected_span().is_none());
    assert!(a.selected_event().is_some());
}
