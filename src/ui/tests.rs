//! View snapshots (TestBackend, fixed sizes, no wall clock) from real fixtures through the real
//! parse and model path; the colour of an auth-failure row; hostile escape sequences in every view.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Constraint, Layout, Rect};

use super::*;
use crate::app::diagnosis::{DiagnosisView, EntryText, VersionRow, Workaround};
use crate::app::{Action, App};

mod damage;
mod dates;
mod demo_traces;
mod doc_links;
mod header;
mod help_filter;
mod hscroll;
mod kb_pane;
mod kb_zh;
mod mirror_marks;
mod mirrors_kb;
mod mirrors_view;
mod narrow;
mod problems;
mod recovered;
mod routes;
mod seam;
mod seconds;
mod secrets;
mod selected_match;
mod shown_words;
mod sizes;
mod sources;
mod span_detail;
mod trace_kb;
mod trace_list;
mod waterfall;
mod whole_screen;

const DEMO: &str = include_str!("../../tests/fixtures/sample/demo.log");
const OAUTH: &str = include_str!("../../tests/fixtures/dockerd-20.10/oauth_token_401.log");
const GCR: &str = include_str!("../../tests/fixtures/seed/mirror_gcr.log");
const FALLBACK: &str = include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
const PLAIN: &str = include_str!("../../tests/fixtures/dockerd-20.10/plain_pull.log");

fn app(label: &str, text: &str) -> App {
    let mut app = App::from_log(label, text);
    app.update(Action::Layout(Rect::new(0, 1, 100, 15)));
    app
}

/// Binds insta to `src/ui/snapshots` for the rest of a test of a submodule (their files are in
/// `src/ui/tests/`, where insta would look by default).
fn shared_snapshots() -> impl Sized {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.bind_to_scope()
}

fn theme() -> Theme {
    Theme::builtin_default()
}

/// Renders one view with `f` into a `w`×`h` test terminal.
fn view<R>(
    app: &App,
    w: u16,
    h: u16,
    f: impl Fn(&mut ratatui::Frame, Rect, &App, &Theme) -> R,
) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let th = theme();
    t.draw(|fr| {
        f(fr, fr.area(), app, &th);
    })
    .unwrap();
    t
}

/// Renders the whole screen as the event loop does (layout first, then draw, then the panes'
/// extents back to the app).
fn screen(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    for a in fit_actions(Rect::new(0, 0, w, h), app) {
        app.update(a);
    }
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let th = theme();
    let mut extents = None;
    t.draw(|fr| extents = Some(draw(fr, app, &th))).unwrap();
    if let Some(e) = extents {
        app.update(Action::Extents(e));
    }
    t
}

/// A diagnosis shaped like a knowledge-base entry (the kb layer fills real ones).
fn sample_diagnosis() -> DiagnosisView {
    DiagnosisView {
        id: "cicd/buildkit-oauth-token-401".into(),
        title: "BuildKit's OAuth token request is refused (401)".into(),
        evidence: vec!["challenge realm http://127.0.0.1:5010/token".into()],
        text: std::sync::Arc::new(EntryText {
            root_cause:
                "The registry's token endpoint rejected the credentials BuildKit sent with \
grant_type=password; the login stored for this registry is wrong or expired."
                    .into(),
            workarounds: vec![
                Workaround {
                    text: "Log in again so the builder gets fresh credentials".into(),
                    commands: vec!["docker login 127.0.0.1:5010".into()],
                    success_rate: Some(80),
                },
                Workaround {
                    text: "Pass the credentials to a docker-container builder".into(),
                    commands: vec![],
                    success_rate: None,
                },
                Workaround {
                    text: "Use a token with pull scope".into(),
                    commands: vec![],
                    success_rate: Some(95),
                },
            ],
            dead_ends: vec!["Restarting the builder does not refresh the stored login".into()],
            versions: vec![VersionRow {
                tool: "BuildKit".into(),
                status: "fixed".into(),
                range: "≥ v0.11.0".into(),
                notes: Some("token fetch falls back to GET".into()),
            }],
            docs: vec!["https://docs.docker.com/build/buildkit/".into()],
        }),
    }
}

fn with_diagnosis(mut app: App) -> App {
    let f = app
        .findings
        .iter()
        .find(|f| f.kind.is_auth())
        .cloned()
        .expect("an auth finding");
    app.set_diagnoses(f.source, f.line, vec![sample_diagnosis()]);
    app.show_kb = true;
    app
}

#[test]
fn events_view_demo() {
    let a = app("demo.log", DEMO);
    insta::assert_snapshot!(view(&a, 100, 16, events_view::render).backend());
}

#[test]
fn events_view_oauth_401() {
    let a = app("oauth_token_401.log", OAUTH);
    insta::assert_snapshot!(view(&a, 100, 16, events_view::render).backend());
}

#[test]
fn events_view_transport_errors() {
    let a = app("mirror_fallback.log", FALLBACK);
    insta::assert_snapshot!(view(&a, 100, 16, events_view::render).backend());
}

#[test]
fn raw_view_demo() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowRaw);
    insta::assert_snapshot!(view(&a, 100, 16, raw_view::render).backend());
}

/// The text of screen row `y`.
fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// The screen rows whose first cell has the selected row's background.
fn selected_rows(t: &Terminal<TestBackend>) -> Vec<u16> {
    let buf = t.backend().buffer();
    let bg = theme().selected.bg;
    (0..buf.area.height)
        .filter(|&y| bg.is_some() && buf[(0, y)].bg == bg.unwrap_or_default())
        .collect()
}

// The reviewer's keys at 80×24: K 2 w G. The header said follow and the detail pane line 195,
// but the list showed lines 184–185 wrapped and no row highlighted: the scroll offset counted
// lines, not the rows they wrap into.
#[test]
fn wrapped_raw_view_keeps_the_selection_and_the_tail_on_screen() {
    let mut a = app("demo.log", DEMO);
    for act in [
        Action::ToggleDiagnosis,
        Action::ShowRaw,
        Action::ToggleWrap,
        Action::SelectLast,
    ] {
        a.update(act);
    }
    let last = a.selected_line().map(|l| l.number).unwrap_or(0);
    let t = screen(&mut a, 80, 24);
    let sel = selected_rows(&t);
    assert!(!sel.is_empty(), "a row is highlighted");
    assert!(
        row_text(&t, sel[0]).starts_with(&format!("{last:>6} ")),
        "{}",
        row_text(&t, sel[0])
    );
    // Following: new lines keep the tail on screen.
    let more: Vec<crate::source::Line> =
        crate::test_support::numbered_lines(DEMO.lines().take(30), 1000);
    a.update(Action::Source(crate::source::SourceEvent::Lines(more)));
    let t = screen(&mut a, 80, 24);
    let sel = selected_rows(&t);
    assert!(
        sel.first()
            .is_some_and(|&y| row_text(&t, y).starts_with("  1029 ")),
        "{sel:?}"
    );
    // At 160×45 a page moves a screenful of rows and the selection stays on screen: g then
    // space moved the selection ~22 lines but scrolled the view by one line.
    a.update(Action::SelectFirst);
    let mut firsts = Vec::new();
    for _ in 0..3 {
        a.update(Action::PageDown);
        let t = screen(&mut a, 160, 45);
        let sel = selected_rows(&t);
        let number = a.selected_line().map(|l| l.number).unwrap_or(0);
        assert!(
            sel.first()
                .is_some_and(|&y| row_text(&t, y).starts_with(&format!("{number:>6} "))),
            "line {number} is not the highlighted row {sel:?}"
        );
        firsts.push(row_text(&t, 2)[..6].trim().parse::<u64>().unwrap_or(0));
    }
    // The view scrolls by about a screen per page, not by a line.
    assert!(firsts[2] >= firsts[1] + 10, "{firsts:?}");
    a.update(Action::PageUp);
    let t = screen(&mut a, 160, 45);
    assert!(!selected_rows(&t).is_empty());
}

// `a` in the Raw view changed the rows silently: now the tab bar says so while only the
// registry lines show, and the status bar says what the key did.
#[test]
fn registry_lines_only_is_labelled_in_the_tab_bar() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowRaw);
    let t = screen(&mut a, 120, 40);
    assert!(!row_text(&t, 1).contains("registry lines"));
    a.update(Action::ToggleAllLines);
    let t = screen(&mut a, 120, 40);
    assert!(
        row_text(&t, 1).contains("registry lines"),
        "{}",
        row_text(&t, 1)
    );
    let status = row_text(&t, 39);
    assert!(
        status.contains("raw view: registry lines only")
            && status.contains(&format!("{} of them", a.raw_rows.len())),
        "{status}"
    );
    // Only the Raw view is changed by it.
    a.update(Action::ShowEvents);
    let t = screen(&mut a, 120, 40);
    assert!(!row_text(&t, 1).contains("registry lines"));
    a.update(Action::ShowRaw);
    a.update(Action::ToggleAllLines);
    let t = screen(&mut a, 120, 40);
    assert!(!row_text(&t, 1).contains("registry lines"));
    assert!(row_text(&t, 39).contains("raw view: every line"));
}

// `f grpc` with registry lines only showed `no lines yet` beside 33 lines: the empty Raw view
// now says which filter left no line, and the tab bar sets the toggle apart from the filter.
#[test]
fn an_empty_raw_view_says_what_left_no_line() {
    let mut a = app("mirror_fallback.log", FALLBACK);
    a.update(Action::ShowRaw);
    a.update(Action::ToggleAllLines);
    a.update(Action::Filter);
    for c in "grpc".chars() {
        a.update(Action::Input(crate::app::InputEdit::Char(c)));
    }
    a.update(Action::Input(crate::app::InputEdit::Submit));
    let t = screen(&mut a, 120, 40);
    assert_eq!(
        row_text(&t, 1).trim_end(),
        " 1 Events │ 2 Raw │ 3 Traces │ 4 Mirrors/Hosts │ filter: grpc · registry lines only"
    );
    assert!(
        row_text(&t, 2).starts_with(
            "no registry line matches the filter 'grpc' (f to change it, Esc to clear it; a \
shows every line)"
        ),
        "{}",
        row_text(&t, 2)
    );
    assert!(row_text(&t, 39).starts_with("0 registry lines match (a shows every line)"));
}

// `f trace=b162` on two builds whose trace ids share `b162` showed both, silently: the status
// line says the prefix matched two traces.
#[test]
fn a_trace_prefix_two_traces_share_is_said_on_the_status_line() {
    let second = GCR.replace("9460e5b6e64cec91", "77aa00000000beef").replace(
        "b162d3040ddf86d6614e79c66a01a577",
        "b162ffff0ddf86d6614e79c66a01a577",
    );
    let mut a = app("gcr.log", &format!("{GCR}{second}"));
    a.update(Action::Filter);
    for c in "trace=b162".chars() {
        a.update(Action::Input(crate::app::InputEdit::Char(c)));
    }
    a.update(Action::Input(crate::app::InputEdit::Submit));
    let t = screen(&mut a, 120, 12);
    insta::assert_snapshot!(format!("{}\n{}", row_text(&t, 1), row_text(&t, 11)));
}

// At 220–250 columns HOST stayed 16 wide (`registry-1.dock…`) beside a PATH with 80 empty
// columns, and every transport error read `✖ failed to do request: Head …`, hiding the cause.
#[test]
fn events_table_gives_host_room_and_shows_each_errors_cause() {
    let unknown_ca = include_str!("../../tests/fixtures/dockerd-20.10/unknown_ca.log");
    let a = app("two.log", &format!("{FALLBACK}{unknown_ca}"));
    let t = view(&a, 230, 6, events_view::render);
    let rows: Vec<String> = (0..6).map(|y| row_text(&t, y)).collect();
    let all = rows.join("\n");
    assert!(all.contains("registry-1.docker.io "), "{all}");
    assert!(!all.contains("registry-1.dock…"), "{all}");
    assert!(all.contains("✖ connect: connection refused "), "{all}");
    assert!(
        all.contains("✖ x509: certificate signed by unknown authority "),
        "{all}"
    );
    // PATH starts where HOST's longest value ends (plus the column gap).
    let head = &rows[0];
    let host_at = head.find("HOST").unwrap_or(0);
    let path_at = head.find("PATH").unwrap_or(0);
    assert_eq!(
        path_at - host_at,
        "registry-1.docker.io".len() + 1,
        "{head}"
    );
    // At 100 columns too HOST is whole (it was cut to 16 beside PATH's 40).
    let t = view(&a, 100, 6, events_view::render);
    let head = row_text(&t, 0);
    assert_eq!(
        head.find("PATH").unwrap_or(0) - head.find("HOST").unwrap_or(0),
        "registry-1.docker.io".len() + 1,
        "{head}"
    );
}

/// The Events table's heading and rows at `w` columns (`h` rows), panes closed.
fn events_rows(a: &App, w: u16, h: u16) -> Vec<String> {
    let t = view(a, w, h, events_view::render);
    (0..h)
        .map(|y| row_text(&t, y).trim_end().to_owned())
        .collect()
}

// The review (demo.log): at 60 columns HOST read `registry-1.dock…` and every mirror row's
// PATH `…?ns=docker.io` while METH and DUR stayed; at 120 HOST and PATH were cut beside an
// all-empty TRACE column; with the KB pane open at 80×24 PATH was gone. Columns go in the
// README's order (TRACE, LVL; KIND, SIZE, SERVED BY; then METH and DUR) before HOST is cut,
// an empty column is not drawn, and a cut PATH keeps the image name and its digest or tag.
#[test]
fn events_table_drops_columns_in_the_documented_order() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::SelectFirst);
    let heads = |w: u16| -> String {
        let r = events_rows(&a, w, 2);
        r[0].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert_eq!(
        heads(160),
        "TIME LVL METH HOST PATH KIND ST DUR SIZE SERVED BY"
    );
    assert_eq!(
        heads(120),
        "TIME LVL METH HOST PATH KIND ST DUR SIZE SERVED BY"
    );
    assert_eq!(heads(100), "TIME METH HOST PATH ST DUR SIZE SERVED BY");
    assert_eq!(heads(80), "TIME METH HOST PATH ST DUR");
    assert_eq!(heads(60), "TIME HOST PATH ST");
    for w in [60, 80, 120] {
        let rows = events_rows(&a, w, 22);
        let all = rows.join("\n");
        // HOST is whole, and no PATH is only the query (each mirror row names its blob).
        assert!(all.contains("registry-1.docker.io "), "{w}: {all}");
        assert!(!all.contains("registry-1.dock…"), "{w}: {all}");
        assert!(!all.contains("…?ns="), "{w}: {all}");
        for digest in [
            "6c496c4fa32c",
            "0b63d9a3b522",
            "86147dd5caac",
            "e846066f0da5",
        ] {
            assert!(all.contains(digest), "{w} {digest}: {all}");
        }
        insta::assert_snapshot!(format!("events_columns_{w}"), all);
    }
    // The KB pane open at 80×24: PATH stays (HOST gives way first, keeping its port).
    let mut a = with_diagnosis(app("demo.log", DEMO));
    let rows = screen_text(&screen(&mut a, 80, 24));
    assert!(a.kb_shown());
    let head = rows
        .iter()
        .find(|r| r.starts_with("TIME "))
        .cloned()
        .unwrap_or_default();
    assert!(head.contains(" PATH "), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains("…:5001 …")), "{rows:#?}");
}

// `w` added a `wrap` label in the Events view, where it changes nothing.
#[test]
fn the_wrap_label_shows_in_the_raw_view_only() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ToggleWrap);
    let t = screen(&mut a, 120, 40);
    assert!(!row_text(&t, 1).contains("wrap"), "{}", row_text(&t, 1));
    assert!(row_text(&t, 39).contains("wraps the Raw view"));
    a.update(Action::ShowRaw);
    let t = screen(&mut a, 120, 40);
    assert!(row_text(&t, 1).contains(" wrap"), "{}", row_text(&t, 1));
}

// 120 presses of J blanked both panes (no upper limit), 120 more were needed to come back,
// and the detail and kb panes always scrolled together.
#[test]
fn side_panes_scroll_one_at_a_time_and_stop_at_their_last_row() {
    let mut a = with_diagnosis(app("demo.log", DEMO));
    let t = screen(&mut a, 120, 30);
    let kb_top = (0..30)
        .find(|&y| row_text(&t, y).contains("Knowledge base"))
        .expect("the kb pane");
    let head = row_text(&t, kb_top);
    assert!(head.contains(" 1-"), "the kb pane overflows: {head}");
    for _ in 0..120 {
        a.update(Action::ScrollPaneDown);
        screen(&mut a, 120, 30);
    }
    let t = screen(&mut a, 120, 30);
    let kb: String = (kb_top..29).map(|y| row_text(&t, y)).collect();
    // The kb pane's last line is on screen and the pane is not blank.
    assert!(
        kb.contains("https://docs.docker.com/build/buildkit/"),
        "{kb}"
    );
    let head = row_text(&t, kb_top);
    let at = head
        .split_whitespace()
        .find(|w| w.contains('/') && w.contains('-'))
        .unwrap_or_default()
        .to_owned();
    let (shown, total) = at.split_once('/').unwrap_or_default();
    assert_eq!(
        shown.split_once('-').map(|(_, last)| last),
        Some(total),
        "{head}"
    );
    // The detail pane did not move: its first line is still on screen.
    let detail_top = (0..30)
        .find(|&y| row_text(&t, y).contains(" Detail "))
        .expect("the detail pane");
    assert!(row_text(&t, detail_top + 1).contains("HEAD http://127.0.0.1:5010"));
    // One press back scrolls back.
    a.update(Action::ScrollPaneUp);
    let t = screen(&mut a, 120, 30);
    assert_ne!(row_text(&t, kb_top), head);
}

/// Every screen row, as text.
fn screen_text(t: &Terminal<TestBackend>) -> Vec<String> {
    (0..t.backend().buffer().area.height)
        .map(|y| row_text(t, y))
        .collect()
}

#[test]
fn exchange_view_auth_failure() {
    let a = app("demo.log", DEMO);
    insta::assert_snapshot!(view(&a, 100, 16, exchange_view::render).backend());
}

#[test]
fn exchange_view_served_by_fingerprint() {
    let mut a = app("mirror_gcr.log", GCR);
    a.update(Action::SelectFirst);
    insta::assert_snapshot!(view(&a, 100, 16, exchange_view::render).backend());
}

#[test]
fn trace_list_gcr() {
    let mut a = app("mirror_gcr.log", GCR);
    a.update(Action::ShowTraces);
    insta::assert_snapshot!(view(&a, 100, 16, trace_view::render).backend());
}

#[test]
fn trace_waterfall_gcr() {
    let mut a = app("mirror_gcr.log", GCR);
    a.update(Action::ShowTraces);
    a.update(Action::Open);
    insta::assert_snapshot!(view(&a, 100, 16, trace_view::render).backend());
}

#[test]
fn auth_failure_row_has_the_theme_error_colour() {
    let th = theme();
    let mut a = app("oauth_token_401.log", OAUTH);
    a.update(Action::SelectFirst);
    let t = view(&a, 100, 16, events_view::render);
    let buf = t.backend().buffer();
    let row = (1..16)
        .find(|&y| {
            let line: String = (0..100).map(|x| buf[(x, y)].symbol()).collect();
            line.contains(" ERR ")
        })
        .expect("the failed HEAD row");
    // The PATH column starts after TIME, METH and HOST.
    let x = 12 + 1 + 4 + 1 + 16 + 1;
    assert_eq!(buf[(x, row)].fg, th.error.fg.unwrap());
    assert_ne!(th.error.fg, th.text.fg);
}

const HOSTILE: &str = concat!(
    "time=\"2024-01-01T00:00:00Z\" level=debug msg=\"do request\" request.header.user-agent=\"evil\\x1b]52;c;ZWNobyBwd25lZA==\\x07\" request.method=GET url=\"https://evil.example/v2/x\\x1b]0;owned\\x1b\\\\/manifests/latest\" traceID=t\\x1b[2J spanID=s1\n",
    "time=\"2024-01-01T00:00:01Z\" level=debug msg=\"fetch response received\" response.header.server=\"\\x1b[2J\\x1b[H\" response.header.www-authenticate=\"Bearer realm=\\\"http://x/\\x1b]52;c;QQ==\\x07\\\"\" response.status=\"401 Unauthorized\\x1b[2J\" url=\"https://evil.example/v2/x\\x1b]0;owned\\x1b\\\\/manifests/latest\" traceID=t\\x1b[2J spanID=s1\n",
    "plain text \u{1b}]52;c;AAAA\u{7} with a raw clear \u{1b}[2J\u{1b}[H and a title \u{1b}]0;pwned\u{7}\n",
    // ratatui drops C0/C1 controls from cells by itself, not format characters: a bidi override
    // reaches the terminal unless bkscope makes it inert.
    "bidi \u{202e}txt.exe\u{202c} isolate \u{2066}x\u{2069} mark \u{200f} C1 \u{9b}2J\n",
    "time=\"2024-01-01T00:00:02Z\" level=error msg=\"failed to solve: \\x1b]0;title\\x07 failed to fetch oauth token: unexpected status: 401 Unauthorized\" host=\"evil.example\"\n",
);

fn assert_inert(t: &Terminal<TestBackend>, what: &str) {
    for cell in t.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(
                !crate::model::sanitize::is_unsafe(c),
                "{what}: {c:?} reached the terminal"
            );
        }
    }
}

#[test]
fn hostile_escape_sequences_are_inert_in_every_view() {
    let mut a = app("evil.log", HOSTILE);
    let f = a.findings.first().cloned().expect("a finding");
    let mut d = sample_diagnosis();
    d.title = "t\u{1b}]52;c;QQ==\u{7}".into();
    std::sync::Arc::make_mut(&mut d.text).root_cause = "\u{1b}[2J".into();
    a.set_diagnoses(f.source, f.line, vec![d]);
    a.show_kb = true;
    a.update(Action::SelectFirst);
    assert!(!a.events.rows.is_empty());
    assert_inert(&view(&a, 100, 16, events_view::render), "events");
    assert_inert(&view(&a, 100, 16, exchange_view::render), "detail");
    assert_inert(&view(&a, 100, 16, diagnosis_pane::render), "kb pane");
    for action in [
        Action::ShowEvents,
        Action::ShowRaw,
        Action::ShowTraces,
        Action::Open,
        Action::ShowMirrors,
        Action::Help,
    ] {
        a.update(action.clone());
        assert_inert(&screen(&mut a, 120, 40), &format!("{action:?}"));
        assert_inert(&screen(&mut a, 100, 16), &format!("{action:?} small"));
    }
    a.update(Action::Back); // closes the help (any key does, and is not applied)
    a.update(Action::ShowRaw);
    a.update(Action::SelectFirst);
    a.update(Action::ToggleWrap);
    let t = screen(&mut a, 120, 40);
    assert_inert(&t, "raw wrapped");
    // Shown as text, not dropped: the user sees what the log tried.
    let shown: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(shown.contains("\\x1b]52;c;AAAA"), "{shown}");
}

#[test]
fn the_header_counts_events_dropped_by_the_cap() {
    let opts = crate::app::AppOptions {
        max_events: Some(5),
        ..crate::app::AppOptions::default()
    };
    let mut capped = App::from_log_with(opts, "demo.log", DEMO);
    let dropped = capped.model.evicted_count();
    assert!(dropped > 0);
    let t = screen(&mut capped, 120, 40);
    let top: String = (0..120)
        .map(|x| t.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    assert!(
        top.contains(&format!("({dropped} older events dropped)")),
        "{top}"
    );
    let mut all = app("demo.log", DEMO);
    let t = screen(&mut all, 120, 40);
    let top: String = (0..120)
        .map(|x| t.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    assert!(!top.contains("dropped"), "{top}");
}

/// `--color never`: no cell of any view has a colour, and the selected row is still told apart
/// (reversed). With the theme as it is the same screens have colours (the check can fail).
#[test]
fn without_colours_no_cell_is_coloured_and_the_selection_shows() {
    use ratatui::style::{Color, Modifier};
    let plain = theme().without_colors();
    // demo.log has no trace ids: the Traces view is shown on mirror_gcr.log's.
    for (text, v) in [
        (DEMO, Action::ShowEvents),
        (DEMO, Action::ShowRaw),
        (GCR, Action::ShowTraces),
        (DEMO, Action::ShowMirrors),
    ] {
        let mut app = app("test.log", text);
        app.update(v.clone());
        for a in fit_actions(Rect::new(0, 0, 100, 24), &app) {
            app.update(a);
        }
        let draw_with = |th: &Theme| {
            let mut t = Terminal::new(TestBackend::new(100, 24)).unwrap();
            t.draw(|fr| {
                draw(fr, &app, th);
            })
            .unwrap();
            t
        };
        let coloured = |t: &Terminal<TestBackend>| {
            t.backend()
                .buffer()
                .content()
                .iter()
                .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
                .count()
        };
        assert!(
            coloured(&draw_with(&theme())) > 0,
            "{v:?}: the theme colours"
        );
        let t = draw_with(&plain);
        assert_eq!(coloured(&t), 0, "{v:?}: a cell has a colour");
        let buf = t.backend().buffer();
        let reversed: Vec<u16> = (0..buf.area.height)
            .filter(|&y| {
                (0..buf.area.width)
                    .filter(|&x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
                    .count()
                    >= 40
            })
            .collect();
        assert!(!reversed.is_empty(), "{v:?}: no row is drawn reversed");
    }
}
