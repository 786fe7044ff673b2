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

/// A hand-written modern BuildKit log with named spans: a mirror's 404, Docker Hub served it.
const MISS: &str =
    include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");

/// The app on `log`, its first trace's waterfall open on its first row (a span).
fn on_first_span(log: &str) -> crate::app::App {
    first_span_of(app("log", log))
}

/// `a`'s first trace's waterfall open on its first row (a span).
fn first_span_of(mut a: crate::app::App) -> crate::app::App {
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    a.update(Action::SelectFirst);
    a
}

#[test]
fn a_span_row_shows_the_span_in_the_detail_pane() {
    let mut a = on_first_span(GCR);
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

/// A span whose failed request a fallback got past says so, as the Traces list's `↩` does
/// (`hand-written/buildkit-v0.26-mirror-miss.txt`: the mirror's 404, then Docker Hub served it).
#[test]
fn a_span_says_its_failures_were_recovered() {
    let a = on_first_span(MISS);
    let Some((WaterfallRow::Span { failed, .. }, _)) = a.selected_span() else {
        panic!("row 0 is no span");
    };
    assert_eq!(failed, 1);
    let t = view(&a, 80, 10, exchange_view::render);
    let all: Vec<String> = (0..10).map(|y| row_text(&t, y)).collect();
    let all = all.join("\n");
    assert!(all.contains("1 failed (all recovered ↩)"), "{all}");
    assert!(all.contains(" span resolving "), "{all}");
}

/// `K` on a span row diagnoses the span's first failed request, as the Traces list does its
/// trace's (it said "Select an error row").
#[test]
fn the_kb_pane_on_a_span_row_diagnoses_its_first_failure() {
    // With the seed's config the 404 is a mirror's miss (`mirror/not-proxied-404`); without
    // it, nothing the log says explains a 404 that another host then served.
    let mut a = first_span_of(crate::test_support::app_with_seed_config("log", MISS, true));
    let failed = a
        .selected_span()
        .and_then(|(_, ids)| a.span_failure_of(&ids).map(|e| e.id));
    assert!(failed.is_some());
    assert!(!a.selected_diagnoses().is_empty());
    let t = view(&a, 80, 24, crate::ui::diagnosis_pane::render);
    let all: Vec<String> = (0..24).map(|y| row_text(&t, y)).collect();
    let all = all.join("\n");
    assert!(all.contains("First failed request of this span:"), "{all}");
    assert!(!all.contains("Select an error row"), "{all}");
    // Its request row shows the same diagnosis.
    let ids = a.selected_span().map(|(_, ids)| ids).unwrap_or_default();
    let at = ids.iter().position(|&i| Some(i) == failed).unwrap_or(0);
    for _ in 0..=at {
        a.update(Action::SelectNext);
    }
    assert_eq!(a.selected_event().map(|e| e.id), failed);
    assert!(!a.selected_diagnoses().is_empty());
}

// The detail pane reads its row from one build of the waterfall (`App::waterfall_pick`), where
// it built it twice on a span row (`selected_event`, then `selected_span`): on every row of a
// waterfall the pick says what those two say.
#[test]
fn the_waterfall_pick_is_what_selected_event_and_selected_span_say() {
    use crate::app::traces::WaterfallPick;
    let mut a = on_first_span(MISS);
    let rows = a
        .waterfall_of(a.open_trace().expect("a trace is open"))
        .len();
    assert!(rows > 2, "{rows}");
    for _ in 0..rows {
        match a.waterfall_pick() {
            Some(WaterfallPick::Span(span, ids)) => {
                assert_eq!(a.selected_span(), Some((span, ids)));
                assert!(a.selected_event().is_none());
            }
            Some(WaterfallPick::Event(ev)) => {
                assert_eq!(a.selected_event().map(|e| e.id), Some(ev.id));
                assert!(a.selected_span().is_none());
            }
            None => panic!("row {} picks nothing", a.traces.wf_cursor.selected),
        }
        a.update(Action::SelectNext);
    }
    a.update(Action::ShowEvents);
    assert!(a.waterfall_pick().is_none());
}

// The knowledge-base pane reads the selection's findings and its span from one build of the
// waterfall (`App::findings_of_pick` on `App::waterfall_pick`), where it built it three times
// a draw on a span row (`selected_diagnoses`, `selected_span`, `selected_findings`): on every
// row they are the findings of the row's request, or of the span's first failed request.
#[test]
fn the_kb_panes_findings_from_one_pick_are_the_rows() {
    use crate::app::traces::WaterfallPick;
    use crate::model::finding::Finding;
    let at = |found: &[&Finding]| found.iter().map(|f| (f.source, f.line)).collect::<Vec<_>>();
    let mut a = first_span_of(crate::test_support::app_with_seed_config("log", MISS, true));
    let rows = a
        .waterfall_of(a.open_trace().expect("a trace is open"))
        .len();
    let (mut spans, mut diagnosed) = (0, 0);
    for _ in 0..rows {
        let pick = a.waterfall_pick();
        let failure = match &pick {
            Some(WaterfallPick::Span(_, ids)) => {
                spans += 1;
                a.span_failure_of(ids)
            }
            Some(WaterfallPick::Event(ev)) => Some(*ev),
            None => panic!("row {} picks nothing", a.traces.wf_cursor.selected),
        };
        let want: Vec<&Finding> = failure
            .map(|ev| a.findings_of_event(ev.id).collect())
            .unwrap_or_default();
        let got = a.findings_of_pick(pick.as_ref());
        assert_eq!(at(&got), at(&want));
        assert_eq!(at(&a.selected_findings()), at(&got));
        let found = a.diagnoses_of_findings(&got);
        assert_eq!(found.len(), a.selected_diagnoses().len());
        diagnosed += usize::from(!found.is_empty());
        a.update(Action::SelectNext);
    }
    // The span row and its failed request both carry the 404's diagnosis.
    assert!(
        spans >= 1 && diagnosed >= 2,
        "{spans} spans, {diagnosed} diagnosed"
    );
}

// The review: a frame on an open waterfall built its rows three times (the waterfall, the
// detail pane, the knowledge-base pane). Once now after the data changed, not at all when it
// did not.
#[test]
fn a_frame_builds_the_waterfall_once_at_most() {
    let mut a = on_first_span(GCR);
    if !a.kb_shown() {
        a.update(Action::ToggleDiagnosis);
    }
    assert!(a.show_detail && a.kb_shown());
    a.update(Action::SelectNext);
    let frame = |a: &mut crate::app::App| {
        let before = a.waterfall_builds();
        let t = super::screen(a, 120, 30);
        (
            a.waterfall_builds() - before,
            super::screen_text(&t).join("\n"),
        )
    };
    a.waterfall_data_changed();
    let (builds, text) = frame(&mut a);
    assert_eq!(builds, 1, "{text}");
    // All three drew from them: the waterfall's span row, the detail pane's request.
    assert!(
        text.contains("▾ span ") && text.contains(" Detail "),
        "{text}"
    );
    assert!(text.contains("Knowledge base"), "{text}");
    assert_eq!(frame(&mut a).0, 0);
}
