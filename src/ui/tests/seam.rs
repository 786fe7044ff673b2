//! A followed file truncated (or rotated, or `docker logs` restarted) as the user meets it: the
//! first line of the new content is marked `↺` after its number in the Raw view, and the header
//! says where the content started again for as long as the source is read, not only in the
//! status message the next key replaces.

use super::{PLAIN, row_text, screen, screen_text};
use crate::app::{Action, App, AppOptions, View};
use crate::kb::KnowledgeBase;
use crate::source::{SourceEvent, SourceSpec, SourceState};

/// Feeds the first `n` lines of `text`, numbered from `from`; the next number.
fn fed(app: &mut App, text: &str, n: usize, from: u64) -> u64 {
    let batch = crate::test_support::numbered_lines(text.lines().take(n), from);
    let next = from + batch.len() as u64;
    app.update(Action::Source(SourceEvent::Lines(batch)));
    next
}

/// An explorer with no source yet.
fn empty_app() -> App {
    App::new(
        AppOptions::default(),
        KnowledgeBase::builtin(),
        crate::app::keymap::Keymap::builtin(),
    )
}

/// Source `source` is followed now.
fn live(app: &mut App, source: u32) {
    app.update(Action::Source(SourceEvent::State {
        source,
        state: SourceState::Following,
    }));
}

/// Source `source`'s content starts again, for `why`.
fn reset(app: &mut App, source: u32, why: &str) {
    app.update(Action::Source(SourceEvent::Reset {
        source,
        why: why.into(),
    }));
}

// Before: `: > build.log` said `build.log: truncated; following the new content` until the
// next key, and then nothing told the old content from the new.
#[test]
fn truncation_is_marked_where_the_new_content_starts() {
    let mut app = empty_app();
    app.add_source(&SourceSpec::File("build.log".into()));
    let next = fed(&mut app, PLAIN, 5, 1);
    live(&mut app, 0);
    reset(&mut app, 0, "truncated");
    assert_eq!(
        app.status_message().as_deref(),
        Some(format!("build.log: truncated; following the new content from line {next}").as_str())
    );
    fed(&mut app, PLAIN, 4, next);
    assert!(app.starts_again(0, next));
    assert!(!app.starts_again(0, next - 1) && !app.starts_again(0, next + 1));
    assert_eq!(app.sources[0].reset, Some(("truncated".to_owned(), next)));

    app.update(Action::ShowRaw);
    assert_eq!(app.view, View::Raw);
    // Nine lines: the seam in view, the last old line and the first new one.
    let t = screen(&mut app, 120, 14);
    let rows = screen_text(&t);
    let marked: Vec<&String> = rows.iter().filter(|r| r.contains('↺')).collect();
    assert_eq!(marked.len(), 1, "{rows:#?}");
    assert!(
        marked[0].starts_with(&format!("{next:>6}↺")),
        "{:?}",
        marked[0]
    );
    let old = format!("{:>6} ", next - 1);
    assert!(rows.iter().any(|r| r.starts_with(&old)), "{rows:#?}");
    // The status message is gone after a key; the header still says it.
    let header = row_text(&t, 0);
    assert!(
        header.contains(&format!("live (truncated at line {next})")),
        "{header:?}"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| insta::assert_snapshot!("raw_seam_after_truncation", rows.join("\n")));
}

// The second review: at 80 columns the note took the source's whole part away (`bkscope │
// 27 events …`, no `● live`), and three sources summarised as `3 sources: ● 3 live` said
// nothing of the one truncated. Now the note is cut first, and the summary counts it.
#[test]
fn the_note_gives_way_before_the_source_and_stays_in_a_summary() {
    let mut app = empty_app();
    app.add_source(&SourceSpec::File("live.log".into()));
    let next = fed(&mut app, PLAIN, 40, 1);
    live(&mut app, 0);
    reset(&mut app, 0, "rotated");
    fed(&mut app, PLAIN, 5, next);
    let wide = row_text(&screen(&mut app, 140, 14), 0);
    assert!(
        wide.contains(&format!("live.log ● live (rotated at line {next})")),
        "{wide:?}"
    );
    let narrow = row_text(&screen(&mut app, 80, 14), 0);
    assert!(narrow.contains("● live"), "{narrow:?}");
    assert!(narrow.contains("(rotated"), "{narrow:?}");
    assert!(
        narrow.trim_end().ends_with("paused") || narrow.contains("follow"),
        "{narrow:?}"
    );

    // Three sources, one truncated: summarised, the note counted.
    let mut app = empty_app();
    for (i, name) in ["first-source.log", "second-source.log", "third-source.log"]
        .iter()
        .enumerate()
    {
        app.add_source(&SourceSpec::File((*name).into()));
        live(&mut app, i as u32);
    }
    fed(&mut app, PLAIN, 5, 1);
    reset(&mut app, 1, "truncated");
    let top = row_text(&screen(&mut app, 100, 14), 0);
    assert!(top.contains("3 sources: ● 3 live (1 truncated)"), "{top:?}");
}
