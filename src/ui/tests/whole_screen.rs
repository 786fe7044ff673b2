//! Whole screens: the demo, the kb pane, Mirrors, the help popup (scrolled at 80×24, wrapped
//! when narrow, two columns when wide), prompts and the terminal cursor, singular counts, the
//! debug-off hint, the loading gauge, the builder picker.

use super::*;

#[test]
fn whole_screen_demo() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn whole_screen_with_kb_pane() {
    let _snapshots = shared_snapshots();
    let mut a = with_diagnosis(app("demo.log", DEMO));
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn whole_screen_mirrors() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn whole_screen_help() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::Help);
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn whole_screen_help_at_80x24_scrolls() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::Help);
    let t = screen(&mut a, 80, 24);
    let shown = screen_text(&t).join("\n");
    assert!(shown.contains("keys 1–22 of 47"), "{shown}");
    assert!(
        shown.contains("j/k pagedown/pageup scroll · any other key closes"),
        "{shown}"
    );
    insta::assert_snapshot!(t.backend());
    // The rows below `f filter`, and the filter forms after the bindings, are reached by
    // scrolling to the end.
    a.update(Action::SelectLast);
    let t = screen(&mut a, 80, 24);
    let shown = screen_text(&t).join("\n");
    assert!(shown.contains("keys 26–47 of 47"), "{shown}");
    for row in [
        "0 raw view: back to column 0",
        "q ctrl-c quit",
        "grpc a bare word: anywhere in the row",
    ] {
        assert!(shown.contains(row), "{row}: {shown}");
    }
    insta::assert_snapshot!(t.backend());
}

/// On a terminal narrower than the longest description, descriptions wrap at words onto
/// continuation rows (they were cut at the border), and the scroll reaches the last one.
#[test]
fn help_wraps_its_descriptions_on_a_narrow_terminal() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::Help);
    let mut seen = String::new();
    for _ in 0..70 {
        let t = screen(&mut a, 50, 15);
        seen.push_str(&screen_text(&t).join("\n"));
        seen.push('\n');
        a.update(Action::SelectNext);
    }
    for (first, rest) in [
        ("enter open: waterfall,", "detail, a host's events"),
        ("f filter (status>=400", "host=ghcr.io level>=info)"),
    ] {
        // Some screen shows the row with its continuation below it.
        let wrapped = seen.match_indices(first).any(|(at, _)| {
            let next_rows = seen[at..]
                .lines()
                .skip(1)
                .take(2)
                .collect::<String>()
                .replace('│', " ");
            let words: Vec<&str> = next_rows.split_whitespace().collect();
            words.join(" ").contains(rest)
        });
        assert!(wrapped, "{rest} after {first}: {seen}");
    }
    assert!(seen.contains("q ctrl-c quit"), "{seen}");
    // The scroll hint fits the border (it read `… any other key clos┘`).
    assert!(seen.contains("└ j/k scroll · other keys close ─"), "{seen}");
    insta::assert_snapshot!(screen(&mut a, 50, 15).backend());
}

#[test]
fn whole_screen_help_in_two_columns_when_wide() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::Help);
    // 26 rows: the 47 rows of bindings and filter forms in two columns of 24.
    let t = screen(&mut a, 130, 26);
    let shown = screen_text(&t).join("\n");
    assert!(shown.contains("keys (any key closes)"), "{shown}");
    assert!(!shown.contains("scroll ·"), "{shown}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn whole_screen_trace_filter_and_filter_prompt() {
    let _snapshots = shared_snapshots();
    let mut a = app("both.log", &format!("{GCR}{DEMO}"));
    a.update(Action::SelectFirst);
    a.update(Action::FilterTrace);
    a.update(Action::Filter);
    for c in "status>=200".chars() {
        a.update(Action::Input(crate::app::InputEdit::Char(c)));
    }
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn the_terminal_cursor_sits_at_the_prompt_cursor() {
    let _snapshots = shared_snapshots();
    let mut a = app("demo.log", DEMO);
    a.update(Action::Filter);
    for c in "status>=200".chars() {
        a.update(Action::Input(crate::app::InputEdit::Char(c)));
    }
    for _ in 0..3 {
        a.update(Action::Input(crate::app::InputEdit::Left));
    }
    let mut t = screen(&mut a, 120, 40);
    assert!(t.backend().cursor_visible());
    // `filter: ` is 8 cells, `status>=` 8 more: the cursor is on the `2`.
    t.backend_mut().assert_cursor_position((16, 39));
    let bottom = screen_text(&t).pop().unwrap_or_default();
    assert!(
        bottom.starts_with("filter: status>=200   Enter apply"),
        "{bottom}"
    );
    // A text longer than the bar: cut from the left, the cursor stays on screen.
    a.update(Action::Input(crate::app::InputEdit::End));
    for _ in 0..30 {
        a.update(Action::Input(crate::app::InputEdit::Char('x')));
    }
    let mut t = screen(&mut a, 20, 10);
    t.backend_mut().assert_cursor_position((19, 9));
    let bottom = screen_text(&t).pop().unwrap_or_default();
    assert!(bottom.starts_with("filter: …xxxxxxxxxx"), "{bottom}");
    // No prompt, no cursor.
    a.update(Action::Input(crate::app::InputEdit::Cancel));
    let t = screen(&mut a, 120, 40);
    assert!(!t.backend().cursor_visible());
}

#[test]
fn counts_of_one_are_singular_on_screen() {
    let _snapshots = shared_snapshots();
    let mut a = app("mirror_fallback.log", FALLBACK);
    a.update(Action::ShowMirrors);
    let shown = screen_text(&screen(&mut a, 120, 40)).join("\n");
    assert!(shown.contains(" 2 events  "), "{shown}");
    assert!(shown.contains(", 1 fallback)"), "{shown}");
    let mut a = app("mirror_gcr.log", GCR);
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    let shown = screen_text(&screen(&mut a, 120, 40)).join("\n");
    assert!(shown.contains("3 requests, 1 span, 0 failed"), "{shown}");
    let mut a = app(
        "unknown_ca.log",
        include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log"),
    );
    let shown = screen_text(&screen(&mut a, 120, 40)).join("\n");
    assert!(shown.contains(" 1 event  "), "{shown}");
    assert!(shown.contains(" 1 error "), "{shown}");
}

#[test]
fn whole_screen_debug_logging_off_hint() {
    let _snapshots = shared_snapshots();
    // The real lines of a capture without its request/response lines: what a builder without
    // --debug logs.
    let quiet: String = PLAIN
        .lines()
        .filter(|l| !l.contains("msg=\"do request\"") && !l.contains("msg=\"fetch response"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut a = app("buildkitd.log", &quiet);
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}

#[test]
fn header_gauge_while_a_file_loads() {
    let _snapshots = shared_snapshots();
    use crate::source::{SourceEvent, SourceSpec, SourceState};
    let mut a = App::new(
        crate::app::AppOptions::default(),
        crate::kb::KnowledgeBase::default(),
        crate::app::keymap::Keymap::builtin(),
    );
    let n = a.add_source(&SourceSpec::File("huge.log".into()));
    let c = a.add_source(&SourceSpec::Container {
        name: "buildx_buildkit_b0".into(),
        tail: Some(5000),
    });
    a.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Loading,
    }));
    a.update(Action::Source(SourceEvent::Progress {
        source: n,
        read: 3 << 20,
        total: 8 << 20,
    }));
    a.update(Action::Source(SourceEvent::State {
        source: c,
        state: SourceState::Ended(Some(1)),
    }));
    let t = screen(&mut a, 160, 40);
    let top = row_text(&t, 0);
    assert!(top.contains("huge.log ◐ loading"), "{top}");
    assert!(top.contains("buildx_buildkit_b0 ■ ended (1)"), "{top}");
    assert!(top.contains("loading 38%"), "{top}");
    // Beside the gauge at 120 columns the two do not fit: they are summarised.
    let t = screen(&mut a, 120, 40);
    let top = row_text(&t, 0);
    assert!(
        top.starts_with(" 2 sources: ◐ 1 loading, ■ 1 ended │"),
        "{top}"
    );
    assert!(top.contains("loading 38%"), "{top}");
}

#[test]
fn whole_screen_builder_picker() {
    let _snapshots = shared_snapshots();
    let mut a = App::new(
        crate::app::AppOptions::default(),
        crate::kb::KnowledgeBase::default(),
        crate::app::keymap::Keymap::builtin(),
    );
    a.open_picker(
        vec![
            "buildx_buildkit_ci0".into(),
            "buildx_buildkit_mirror-test0".into(),
        ],
        Some(5000),
    );
    a.update(Action::SelectNext);
    insta::assert_snapshot!(screen(&mut a, 120, 40).backend());
}
