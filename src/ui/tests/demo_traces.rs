//! The reviewer's three traces on `sample/demo.log` (`test_support::traced_demo`): the Traces
//! list's FAILED column tells 404s from a 500 and marks a trace whose failures a fallback all
//! recovered (`3×404 1×500↩`), and narrows to `4 (404…)↩` before it cuts an id; the waterfall
//! of the trace that went to 127.0.0.1:5010 and 127.0.0.1:5011 names each row's host, cut
//! keeping its port where the label is narrow, and never cuts a row's status off.

use super::{app, row_text, view};
use crate::app::Action;
use crate::test_support::traced_demo;
use crate::ui::trace_view;

#[test]
fn demo_traces_list_and_two_host_waterfall() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        let mut a = app("demo.log", &traced_demo());
        a.update(Action::ShowTraces);
        insta::assert_snapshot!(
            "demo_traces_list",
            view(&a, 100, 4, trace_view::render).backend()
        );
        // At 70 columns the column narrows to the short form, the id keeps 8 digits.
        let t = view(&a, 70, 4, trace_view::render);
        assert!(
            row_text(&t, 2).contains(" 4 (404…)↩ "),
            "{}",
            row_text(&t, 2)
        );
        assert!(
            row_text(&t, 3).contains(" 7 (auth…) "),
            "{}",
            row_text(&t, 3)
        );
        a.update(Action::SelectLast);
        a.update(Action::Open);
        insta::assert_snapshot!(
            "demo_traces_waterfall_two_hosts",
            view(&a, 120, 12, trace_view::render).backend()
        );
        // Narrow: the host keeps its port, the status stays.
        let t = view(&a, 60, 12, trace_view::render);
        let row = row_text(&t, 3);
        assert!(row.contains("…:5010 ") && row.contains(" 401 "), "{row}");
        let row = row_text(&t, 11);
        assert!(row.contains("…:5011 ") && row.contains(" 429 "), "{row}");
    });
}
