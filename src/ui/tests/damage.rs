//! Hostile line content from a source (issue 7): a 50 MB line is kept up to the cap and marked
//! `[cut]`, invalid UTF-8 is shown lossily; both are counted in the header. Bytes go through the
//! real line splitter, the app and the whole screen.

use super::screen;
use crate::app::{Action, App, AppOptions};
use crate::source::lines::{MAX_LINE, read_all};
use crate::source::{SourceEvent, SourceSpec};

/// An app that read `bytes` as one file, as a live source delivers them.
fn app_of_bytes(bytes: &[u8]) -> App {
    let mut app = App::new(
        AppOptions::default(),
        crate::kb::KnowledgeBase::builtin(),
        crate::app::keymap::Keymap::builtin(),
    );
    let n = app.add_source(&SourceSpec::File("hostile.log".into()));
    let _ = read_all(n, bytes, |b| {
        app.update(Action::Source(SourceEvent::Lines(b.to_vec())));
    });
    app
}

fn text(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

// See: issue 7, "a 50 MB line arrives (kept up to a cap, marked truncated), invalid UTF-8
// (shown lossily, counted)".
#[test]
fn issue_7_a_50_mb_line_is_marked_cut_and_invalid_utf8_is_shown_and_counted() {
    let mut bytes = b"time=\"2024-01-01T00:00:00Z\" level=info msg=\"".to_vec();
    bytes.resize(50 * 1024 * 1024, b'x');
    bytes.extend_from_slice(b"\nbad \xff\xfe bytes\nstill \xc3 bad\nafter\n");
    let mut a = app_of_bytes(&bytes);
    drop(bytes);
    assert_eq!(a.lines.len(), 4);
    assert_eq!((a.damage.lossy, a.damage.cut), (2, 1));
    let first = a.lines.get(0).expect("the long line");
    assert!(first.truncated);
    assert!(first.text().len() <= MAX_LINE);
    a.update(Action::ShowRaw);
    a.update(Action::SelectFirst);
    let shown = text(&screen(&mut a, 160, 30));
    assert!(shown.contains("⚠ 2 not UTF-8"), "{shown}");
    assert!(shown.contains("⚠ 1 cut at 1 MiB"), "{shown}");
    assert!(shown.contains("bad \u{fffd}\u{fffd} bytes"), "{shown}");
    assert!(shown.contains("still \u{fffd} bad"), "{shown}");
    assert!(shown.contains("after"), "{shown}");
    let long = shown
        .lines()
        .find(|l| l.contains("xxxx"))
        .expect("the cut line is shown");
    assert!(long.contains("     1 [cut] time="), "{long}");
}
