//! The knowledge-base pane's doc links: each on a row of its own, a url wider than the pane
//! wrapped at its edge and, with `--hyperlinks`, every cell of it an OSC 8 link to the whole
//! url; the screen's text the same with links on or off. A user's kb entry whose docs carry
//! ESC, BEL or another scheme gets no link and no raw escape (`tests/fixtures/hostile_kb`).

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::screen;
use crate::app::keymap::Keymap;
use crate::app::{Action, App, AppOptions};
use crate::kb::KnowledgeBase;
use crate::source::{SourceEvent, SourceSpec, SourceState};
use crate::ui::hyperlink::shown;

const RATE_LIMITED: &str =
    include_str!("../../../tests/fixtures/dockerd-20.10/rate_limited_429.log");
const CONFIGURE: &str = "https://docs.docker.com/build/buildkit/configure/#registry-mirror";

/// rate_limited_429.log read by an app with `kb`, links on or off, on its first 429 with the
/// knowledge-base pane open and scrolled to its end (the docs).
fn on_the_429(kb: KnowledgeBase, hyperlinks: bool, w: u16, h: u16) -> (App, Terminal<TestBackend>) {
    let opts = AppOptions {
        hyperlinks,
        ..AppOptions::default()
    };
    let mut app = App::new(opts, kb, Keymap::builtin());
    let n = app.add_source(&SourceSpec::File("rate_limited_429.log".into()));
    let mut lines = Vec::new();
    let _ = crate::source::lines::read_all(n, RATE_LIMITED.as_bytes(), |b| {
        lines.extend_from_slice(b);
    });
    app.update(Action::Source(SourceEvent::Lines(lines)));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Following,
    }));
    app.update(Action::SelectFirst);
    app.update(Action::NextError);
    assert!(app.kb_shown(), "e opens the pane on the 429");
    let _ = screen(&mut app, w, h);
    for _ in 0..80 {
        app.update(Action::ScrollPaneDown);
    }
    let t = screen(&mut app, w, h);
    (app, t)
}

/// Each row as the terminal shows it: OSC 8 sequences taken out.
fn shown_rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| shown(buf[(x, y)].symbol()))
                .collect()
        })
        .collect()
}

/// At 120 columns the pane is 50 wide, 49 inside its border: the registry-mirror url (65
/// characters) takes two rows of its own, and with links on every one of its cells opens the
/// whole url — the text on screen stays what it is without them.
#[test]
fn a_doc_url_wider_than_the_pane_is_one_link_on_each_of_its_rows() {
    let (_, on) = on_the_429(KnowledgeBase::builtin(), true, 120, 40);
    let (_, off) = on_the_429(KnowledgeBase::builtin(), false, 120, 40);
    let rows = shown_rows(&on);
    assert_eq!(rows, shown_rows(&off), "links change no text on screen");
    let pane_x = rows
        .iter()
        .find_map(|r| r.find("│Docs").map(|i| r[..i].chars().count() as u16 + 1))
        .expect("the Docs heading in view");
    let y = rows
        .iter()
        .position(|r| r.contains("│https://docs.docker.com/build/buildkit/configure/"))
        .expect("the url's first row") as u16;
    let pane: Vec<String> = rows
        .iter()
        .map(|r| r.chars().skip(usize::from(pane_x)).collect())
        .collect();
    assert_eq!(pane[usize::from(y)].trim_end(), &CONFIGURE[..49]);
    assert_eq!(pane[usize::from(y) + 1].trim_end(), &CONFIGURE[49..]);
    let buf = on.backend().buffer();
    let link = format!(";{CONFIGURE}\x1b\\");
    for (dx, dy) in [(0, 0), (48, 0), (0, 1), (15, 1)] {
        let cell = &buf[(pane_x + dx, y + dy)];
        assert!(
            cell.symbol().contains(&link),
            "({dx},{dy}): {:?}",
            cell.symbol()
        );
    }
    assert_eq!(buf[(pane_x + 16, y + 1)].symbol(), " ");
    let usage = rows
        .iter()
        .position(|r| r.contains("https://docs.docker.com/docker-hub/usage/"))
        .expect("the usage url") as u16;
    assert!(
        buf[(pane_x, usage)]
            .symbol()
            .contains(";https://docs.docker.com/docker-hub/usage/\x1b\\")
    );
    // Off: plain cells, one character each.
    let plain = off.backend().buffer();
    assert_eq!(plain[(pane_x, y)].symbol(), "h");
    let top = pane
        .iter()
        .position(|r| r.contains("Knowledge base"))
        .expect("the pane's title");
    let body = &pane[top..pane.len() - 1];
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("kb_pane_doc_links_120", body.join("\n"));
    });
}

/// A user's entry with hostile docs: only the plain https url is a link; the others are drawn
/// inert, their ESC and BEL as text, and no cell writes an escape that is not our own link.
#[test]
fn a_hostile_doc_url_is_neither_linked_nor_written_raw() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile_kb");
    let (kb, problems) = KnowledgeBase::load(Some(&dir));
    assert!(problems.is_empty(), "{problems:?}");
    let (app, t) = on_the_429(kb, true, 160, 50);
    let ids: Vec<&str> = app
        .selected_diagnoses()
        .iter()
        .map(|(_, d)| d.id.as_str())
        .collect();
    assert!(ids.contains(&"ratelimit/docker-hub-429"), "{ids:?}");
    let buf = t.backend().buffer();
    let mut links = 0;
    for cell in buf.content() {
        let s = cell.symbol();
        if s.contains('\x1b') {
            let url = "https://docs.docker.com/docker-hub/usage/";
            assert_eq!(
                s.strip_prefix("\x1b]8;id=")
                    .and_then(|r| r.split_once(';'))
                    .map(|(_, r)| r),
                Some(format!("{url}\x1b\\{}\x1b]8;;\x1b\\", shown(s)).as_str()),
                "only the plain url is linked: {s:?}"
            );
            links += 1;
        }
        assert!(!s.contains('\x07') && !s.contains('\u{9b}'), "{s:?}");
    }
    assert_eq!(links, "https://docs.docker.com/docker-hub/usage/".len());
    let rows = shown_rows(&t).join("\n");
    assert!(
        rows.contains(r"https://evil.example/\x1b]8;;https://other.example/\x1b\click"),
        "{rows}"
    );
    assert!(rows.contains(r"https://evil.example/\x07]8;;x"), "{rows}");
    assert!(rows.contains("javascript:alert(1)"), "{rows}");
}
