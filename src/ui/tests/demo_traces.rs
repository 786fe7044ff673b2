//! The reviewer's three traces on `sample/demo.log` (`test_support::traced_demo`): the Traces
//! list's FAILED column tells 404s from a 500 and marks a trace whose failures a fallback all
//! recovered (`3×404 1×500↩`), and narrows to `4 (404…)↩` before it cuts an id; the waterfall
//! of the trace that went to 127.0.0.1:5010 and 127.0.0.1:5011 names each row's host, cut
//! keeping its port where the label is narrow, and never cuts a row's status off. Opened under
//! a filter it still draws every request, marks those the filter keeps and counts them; a `/`
//! search marks the rows it matches, their labels, leaving the first column to the filter's mark.

use super::{app, row_text, theme, view};
use crate::app::{Action, InputEdit};
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

/// The traced demo under `f status=429`.
fn filtered_429() -> crate::app::App {
    let mut a = app("demo.log", &traced_demo());
    a.update(Action::Filter);
    for c in "status=429".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    a
}

// The review: a waterfall opened under a filter drew every request of the trace and nothing
// said which of them the filter had kept. They stay (the others are the context), marked `●`
// in the search match's style, and the title counts them.
#[test]
fn a_waterfall_under_a_filter_marks_the_requests_it_keeps() {
    let mut a = filtered_429();
    a.update(Action::ShowTraces);
    assert_eq!(a.traces.rows.len(), 1, "one trace has a 429");
    a.update(Action::Open);
    let t = view(&a, 120, 12, trace_view::render);
    let title = row_text(&t, 0);
    assert!(
        title.contains("● 6 of 9 requests match filter 'status=429', 1 span, 7 failed"),
        "{title}"
    );
    // Every request is drawn; the six 429s, and only they, are marked.
    let rows: Vec<String> = (3..12).map(|y| row_text(&t, y)).collect();
    for r in &rows {
        assert_eq!(r.starts_with('●'), r.contains(" 429 "), "{r}");
    }
    assert_eq!(rows.iter().filter(|r| r.starts_with('●')).count(), 6);
    // In the theme's own filter mark colour, not the search match's (the second review: a
    // kept request read as a search match).
    let buf = t.backend().buffer();
    let (mark, found) = (theme().filter_mark.fg, theme().search_match.bg);
    assert!(mark.is_some() && mark != theme().search_match.fg);
    assert_eq!(buf[(0, 6)].fg, mark.unwrap_or_default());
    assert_ne!(buf[(0, 6)].bg, found.unwrap_or_default());
    assert_ne!(buf[(0, 3)].fg, mark.unwrap_or_default());
    // The title's `●` (after `trace <32 hex digits> `) too, as the legend of the marks.
    assert_eq!(buf[(39, 0)].symbol(), "●");
    assert_eq!(buf[(39, 0)].fg, mark.unwrap_or_default());
    assert_ne!(buf[(39, 0)].bg, found.unwrap_or_default());
    assert_ne!(buf[(40, 0)].fg, mark.unwrap_or_default());
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("demo_traces_waterfall_under_a_filter", t.backend());
    });
    // Without the filter nothing is marked and the title counts as before.
    a.update(Action::Filter);
    a.update(Action::Input(InputEdit::End));
    a.update(Action::Input(InputEdit::DeleteToStart));
    a.update(Action::Input(InputEdit::Submit));
    let t = view(&a, 120, 12, trace_view::render);
    assert!(
        row_text(&t, 0).contains(" 9 requests, 1 span"),
        "{}",
        row_text(&t, 0)
    );
    assert!((3..12).all(|y| !row_text(&t, y).starts_with('●')));
}

/// The rows of `t`, each followed by a line with `^` under its cells in the search match's
/// colours (none when it has none): what the snapshot shows of the highlight.
fn with_match_marks(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = t.backend().buffer();
    let bg = theme().search_match.bg;
    let mut out = String::new();
    for y in 0..buf.area.height {
        out.push_str(row_text(t, y).trim_end());
        out.push('\n');
        let marks: String = (0..buf.area.width)
            .map(|x| {
                if buf[(x, y)].bg == bg.unwrap_or_default() {
                    '^'
                } else {
                    ' '
                }
            })
            .collect();
        if !marks.trim().is_empty() {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
}

// The review: `/` and `n` landed on a waterfall's matching rows, but nothing marked them, as
// the Events view marks its matches. A match's label is in the search match's colours now
// (the span's whole label, a request's after its first column), the START, DUR and bar not;
// the first column stays the filter's `●`, so a row both kept and found reads `●` and its
// label, one only found keeps that column blank.
#[test]
fn a_search_in_a_waterfall_marks_the_rows_it_matches() {
    let mut a = filtered_429();
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    a.update(Action::Search);
    for c in "5011|3333cccc".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    let t = view(&a, 120, 12, trace_view::render);
    let buf = t.backend().buffer();
    let found = theme().search_match.bg.unwrap();
    // The span row (its id matches): its label from the first column, not its bar.
    assert!(row_text(&t, 2).starts_with("▾ span 3333cccc4444dddd"));
    assert_eq!(buf[(0, 2)].bg, found);
    assert_ne!(buf[(119, 2)].bg, found);
    // 127.0.0.1:5010's two HEADs: not found, not kept.
    for y in [3, 4] {
        assert!(row_text(&t, y).contains("127.0.0.1:5010"));
        assert!((0..120).all(|x| buf[(x, y)].bg != found), "row {y}");
    }
    // The HEAD to 5011 (200): found, not kept: its first column blank and unmarked.
    assert!(row_text(&t, 5).starts_with("  HEAD 127.0.0.1:5011"));
    assert_ne!(buf[(0, 5)].bg, found);
    assert_eq!(buf[(2, 5)].bg, found);
    // The 429s: kept and found, `●` (the filter's colour) then the label.
    assert!(row_text(&t, 6).starts_with("● GET 127.0.0.1:5011"));
    assert_ne!(buf[(0, 6)].bg, found);
    assert_eq!(buf[(2, 6)].bg, found);
    // Never the START, DUR and bar columns.
    assert!((3..12).all(|y| (64..120).all(|x| buf[(x, y)].bg != found)));
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("demo_traces_waterfall_search", with_match_marks(&t));
    });
}

// The review: the selected row hid which of its cells the search matches where the
// selection is drawn in reverse video (high-contrast, `--color never`): the match's colours
// were reversed with the row. A selected match keeps them, not reversed; the rest of the row
// shows the selection. In the dark theme the match shows over the selection's background.
#[test]
fn the_selected_row_of_a_waterfall_still_shows_its_search_match() {
    let mut a = filtered_429();
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    a.update(Action::Search);
    for c in "5011".chars() {
        a.update(Action::Input(InputEdit::Char(c)));
    }
    a.update(Action::Input(InputEdit::Submit));
    // On the HEAD to 5011 (found, not kept): row 3 of the waterfall, screen row 5.
    assert_eq!(a.traces.wf_cursor.selected, 3);
    assert!(
        row_text(&view(&a, 120, 12, trace_view::render), 5).starts_with("  HEAD 127.0.0.1:5011")
    );
    let reversed = ratatui::style::Modifier::REVERSED;
    for name in ["high-contrast", "dark", "light"] {
        let th = crate::ui::theme::Theme::load(Some(name), None).unwrap();
        for th in [th.clone(), th.without_colors()] {
            let mut t =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 12)).unwrap();
            t.draw(|f| trace_view::render(f, f.area(), &a, &th))
                .unwrap();
            let buf = t.backend().buffer();
            let (label, time) = (&buf[(2, 5)], &buf[(70, 5)]);
            // The label: the match's colours, not reversed.
            assert_eq!(label.bg, th.search_match.bg.unwrap_or_default(), "{name}");
            assert_eq!(label.fg, th.search_match.fg.unwrap_or_default(), "{name}");
            assert!(!label.modifier.contains(reversed), "{name}");
            // The rest of the row: the selection's.
            assert_eq!(time.bg, th.selected.bg.unwrap_or_default(), "{name}");
            assert_eq!(
                time.modifier.contains(reversed),
                th.selected.add_modifier.contains(reversed),
                "{name}"
            );
            // Without colours a match is underlined; on the selected row too.
            if th.search_match.fg.is_none() {
                assert!(
                    label
                        .modifier
                        .contains(ratatui::style::Modifier::UNDERLINED)
                );
            }
        }
    }
}
