//! The Traces list on a reviewer's excerpt (`test_support::review_traces`): its counts and
//! durations agree with the waterfall's (a retry refused after `invalid_token` is `1 auth`, a
//! trace with a request still waiting reads `≥520ms` in the list and in its waterfall), and at
//! a narrow width nothing is cut without a mark: FIRST drops its milliseconds whole, a cut id
//! ends in `…`. A log with no traceID says which BuildKit versions write them.

use super::{app, row_text, view};
use crate::app::Action;
use crate::test_support::review_traces;
use crate::ui::trace_view;

#[test]
fn trace_list_agrees_with_the_waterfall() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = app("review.log", &review_traces());
        a.update(Action::ShowTraces);
        insta::assert_snapshot!(
            "trace_list_running_and_refused",
            view(&a, 100, 5, trace_view::render).backend()
        );
        // The waiting trace's waterfall says the same duration.
        a.update(Action::SelectLast);
        a.update(Action::Open);
        let t = view(&a, 100, 6, trace_view::render);
        assert!(
            row_text(&t, 0).contains("0 failed, ≥520ms"),
            "{}",
            row_text(&t, 0)
        );
    });
}

// At 60 columns `.400` and `.425` both read `35.4` (ratatui cut FIRST) and ids were cut bare.
#[test]
fn a_narrow_trace_list_cuts_no_time_and_marks_cut_ids() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = app("review.log", &review_traces());
        a.update(Action::ShowTraces);
        let t = view(&a, 60, 5, trace_view::render);
        insta::assert_snapshot!("trace_list_narrow", t.backend());
        for y in 1..4 {
            let row = row_text(&t, y);
            assert!(row.contains("… 13:08:35 "), "{row}");
            assert!(!row.contains("35.4"), "{row}");
        }
    });
}

#[test]
fn an_empty_trace_list_says_which_buildkit_versions_write_ids() {
    let mut a = app("plain_pull.log", super::PLAIN);
    a.update(Action::ShowTraces);
    let t = view(&a, 100, 3, trace_view::render);
    let text: String = (0..3)
        .map(|y| row_text(&t, y))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!text.contains("from v0.16"), "{text}");
    assert!(text.contains("v0.9 and v0.16+"), "{text}");
    assert!(text.contains("trace exporter"), "{text}");
}
