//! Secrets never reach the screen: `tests/fixtures/secrets/tokens.log` read through the real
//! source, parse, model and app path, then every view drawn at every row with the detail and
//! knowledge-base panes scrolled through, the help popup, a search prompt and a filter; no cell
//! row may hold a secret, or any 10-character piece of one (a secret cut by the pane edge or
//! split by wrapping still counts). The `x` reports of every row are checked too. With
//! redaction off the same walk must draw every secret whole, so the walk reaches each one and
//! the test can fail.

use std::collections::{BTreeMap, HashMap, HashSet};

use ratatui::layout::Rect;

use super::screen;
use crate::app::keymap::Keymap;
use crate::app::{Action, App, AppOptions, Effect, InputEdit, View};
use crate::kb::KnowledgeBase;
use crate::source::{SourceEvent, SourceSpec, SourceState};

const TOKENS: &str = include_str!("../../../tests/fixtures/secrets/tokens.log");
const LIST: &str = include_str!("../../../tests/fixtures/secrets/secrets.tsv");

/// Shortest piece of a secret that counts as a leak.
const PIECE: usize = 10;

/// `(what, secret)` for every secret in tokens.log.
fn secrets() -> Vec<(&'static str, &'static str)> {
    let all: Vec<_> = LIST
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once('\t').expect("what<TAB>secret"))
        .collect();
    assert_eq!(all.len(), 38);
    all
}

/// tokens.log as a live file source delivers it: `App::from_log`, with redaction on or off.
fn tokens_app(redact: bool) -> App {
    let opts = AppOptions {
        redact,
        ..AppOptions::default()
    };
    let mut app = App::new(opts, KnowledgeBase::builtin(), Keymap::builtin());
    let n = app.add_source(&SourceSpec::File("tokens.log".into()));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Loading,
    }));
    let mut lines = Vec::new();
    let _ = crate::source::lines::read_all(n, TOKENS.as_bytes(), |b| lines.extend_from_slice(b));
    assert_eq!(lines.len(), 32);
    app.update(Action::Source(SourceEvent::Lines(lines)));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Following,
    }));
    app.update(Action::Layout(Rect::new(0, 1, 100, 15)));
    app
}

/// Everything the walk saw: each distinct screen row, and the reports `x` queued.
#[derive(Default)]
struct Seen {
    rows: HashSet<String>,
    reports: Vec<String>,
    screens: usize,
}

impl Seen {
    /// Draws the whole screen; returns its rows.
    fn draw(&mut self, app: &mut App, w: u16, h: u16) -> Vec<String> {
        let t = screen(app, w, h);
        let buf = t.backend().buffer();
        let rows: Vec<String> = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        self.rows.extend(rows.iter().cloned());
        self.screens += 1;
        rows
    }

    /// Draws the screen, then scrolls the pane the keys move (the kb pane while it is open,
    /// else the detail) down until nothing changes.
    fn draw_scrolled(&mut self, app: &mut App, w: u16, h: u16) {
        let mut last = self.draw(app, w, h);
        for _ in 0..8 {
            app.update(Action::ScrollPaneDown);
            let now = self.draw(app, w, h);
            if now == last {
                break;
            }
            last = now;
        }
    }

    fn export(&mut self, app: &mut App) {
        app.update(Action::Export);
        for e in app.take_effects() {
            if let Effect::WriteReport { text, .. } = e {
                self.reports.push(text);
            }
        }
    }
}

/// Every row of the current view, from the first: drawn with its panes scrolled, and exported.
fn walk_rows(app: &mut App, seen: &mut Seen, w: u16, h: u16) {
    if app.view == View::Mirrors {
        // There the moving keys scroll the evidence; a host is picked with a click, e or n.
        for i in 0..app.activity.hosts.len() {
            app.hosts_cursor.selected = i;
            app.update(Action::SelectFirst);
            seen.draw_scrolled(app, w, h);
        }
        return;
    }
    app.update(Action::SelectFirst);
    loop {
        seen.draw_scrolled(app, w, h);
        seen.export(app);
        let at = app.cursor().selected;
        app.update(Action::SelectNext);
        if app.cursor().selected == at {
            break;
        }
    }
}

/// Draws every view, pane, popup and prompt of `app` at two sizes.
fn walk(mut app: App) -> Seen {
    let started = std::time::Instant::now();
    let mut seen = Seen::default();
    app.update(Action::ToggleFollow);
    let (w, h) = (160, 48);
    // Long lines cut at the pane edge with the detail pane wide; then wrapped, beside the
    // knowledge-base pane.
    for (wrap, kb) in [(false, false), (true, true)] {
        if app.wrap != wrap {
            app.update(Action::ToggleWrap);
        }
        if app.show_kb != kb {
            app.update(Action::ToggleDiagnosis);
        }
        for view in [
            Action::ShowEvents,
            Action::ShowRaw,
            Action::ShowTraces,
            Action::ShowMirrors,
        ] {
            app.update(view);
            walk_rows(&mut app, &mut seen, w, h);
            if app.view == View::Traces {
                app.update(Action::SelectFirst);
                app.update(Action::Open);
                walk_rows(&mut app, &mut seen, w, h);
                app.update(Action::Back);
            }
        }
    }
    {
        // Raw view with only the registry lines.
        app.update(Action::ShowRaw);
        app.update(Action::ToggleAllLines);
        walk_rows(&mut app, &mut seen, w, h);
        app.update(Action::ToggleAllLines);
        // Help over the events view.
        app.update(Action::ShowEvents);
        app.update(Action::Help);
        seen.draw(&mut app, w, h);
        app.update(Action::Back);
        // A search prompt being typed, then its matches.
        app.update(Action::Search);
        for c in "Bearer|token|auth".chars() {
            app.update(Action::Input(InputEdit::Char(c)));
        }
        seen.draw(&mut app, w, h);
        app.update(Action::Input(InputEdit::Submit));
        for _ in 0..8 {
            seen.draw_scrolled(&mut app, w, h);
            app.update(Action::SearchNext);
        }
        app.update(Action::Back);
        // A filter prompt, then the filtered views; then the trace filter of a row.
        app.update(Action::Filter);
        for c in "status>=400".chars() {
            app.update(Action::Input(InputEdit::Char(c)));
        }
        seen.draw(&mut app, w, h);
        app.update(Action::Input(InputEdit::Submit));
        for view in [Action::ShowEvents, Action::ShowRaw, Action::ShowMirrors] {
            app.update(view);
            walk_rows(&mut app, &mut seen, w, h);
        }
        app.update(Action::ShowEvents);
        app.update(Action::Back);
        app.update(Action::SelectFirst);
        app.update(Action::FilterTrace);
        walk_rows(&mut app, &mut seen, w, h);
        app.update(Action::Back);
    }
    eprintln!(
        "{} screens, {} distinct rows, {} reports in {:?}",
        seen.screens,
        seen.rows.len(),
        seen.reports.len(),
        started.elapsed()
    );
    seen
}

/// Every [`PIECE`]-character piece of every secret, with what the secret is.
fn pieces() -> HashMap<String, &'static str> {
    let mut out = HashMap::new();
    for (what, secret) in secrets() {
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(PIECE.min(chars.len())) {
            out.insert(w.iter().collect(), what);
        }
    }
    out
}

/// The secrets of which `text` holds a piece, each with the text around it.
fn leaks_in(
    text: &str,
    pieces: &HashMap<String, &'static str>,
    out: &mut BTreeMap<&'static str, String>,
) {
    let chars: Vec<char> = text.chars().collect();
    for (i, w) in chars.windows(PIECE).enumerate() {
        let piece: String = w.iter().collect();
        if let Some(what) = pieces.get(&piece) {
            let around: String = chars[i.saturating_sub(40)..(i + PIECE + 40).min(chars.len())]
                .iter()
                .collect();
            out.entry(what)
                .or_insert_with(|| format!("'{piece}' in …{}…", around.trim()));
        }
    }
}

#[test]
fn no_secret_on_any_screen_or_in_any_report() {
    let seen = walk(tokens_app(true));
    // Pane scrolls stop at the last row (and move one pane), so a row takes fewer screens
    // than when the panes scrolled on into blank ones; the walk with redaction off below still
    // draws every secret whole.
    assert!(seen.screens > 350, "{} screens drawn", seen.screens);
    let pieces = pieces();
    let mut on_screen = BTreeMap::new();
    for row in &seen.rows {
        leaks_in(row, &pieces, &mut on_screen);
    }
    let mut in_reports = BTreeMap::new();
    for report in &seen.reports {
        leaks_in(report, &pieces, &mut in_reports);
    }
    let leaks: Vec<String> = on_screen
        .iter()
        .map(|(what, at)| format!("{what}: {at}"))
        .chain(
            in_reports
                .iter()
                .map(|(what, at)| format!("{what} (x report): {at}")),
        )
        .collect();
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    // The screens are not empty: the facts around the secrets are drawn, redacted.
    let all: String = seen.rows.iter().map(|r| format!("{r}\n")).collect();
    for shown in [
        "Bearer REDACTED",
        "REDACTED@",
        "401",
        "registry.example.com",
        "ghcr.io",
    ] {
        assert!(all.contains(shown), "'{shown}' is on no screen");
    }
    assert!(seen.reports.len() > 10, "{} reports", seen.reports.len());
}

#[test]
fn with_redaction_off_every_secret_is_on_some_screen() {
    let seen = walk(tokens_app(false));
    let missing: Vec<_> = secrets()
        .into_iter()
        .filter(|(_, s)| !seen.rows.iter().any(|r| r.contains(s)))
        .collect();
    assert!(
        missing.is_empty(),
        "the walk draws none of these, so it cannot tell whether they leak: {missing:?}"
    );
}
