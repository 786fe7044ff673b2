//! Secrets never reach the screen: `tests/fixtures/secrets/tokens.log`, `review.log` (the
//! shapes a user review found: secret by name, tokens by shape) and `client.log` (client error
//! texts: `curl -u user:password`, `REGISTRY_PW=`, `CR_PAT=`) read through the real
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

/// A log of secrets and the list of them (`what<TAB>secret` lines), with how many secrets and
/// lines each holds.
struct Fixture {
    name: &'static str,
    log: &'static str,
    list: &'static str,
    secrets: usize,
    lines: usize,
}

const TOKENS: Fixture = Fixture {
    name: "tokens.log",
    log: include_str!("../../../tests/fixtures/secrets/tokens.log"),
    list: include_str!("../../../tests/fixtures/secrets/secrets.tsv"),
    secrets: 38,
    lines: 32,
};

const REVIEW: Fixture = Fixture {
    name: "review.log",
    log: include_str!("../../../tests/fixtures/secrets/review.log"),
    list: include_str!("../../../tests/fixtures/secrets/review.tsv"),
    secrets: 58,
    lines: 24,
};

const CLIENT: Fixture = Fixture {
    name: "client.log",
    log: include_str!("../../../tests/fixtures/secrets/client.log"),
    list: include_str!("../../../tests/fixtures/secrets/client.tsv"),
    secrets: 17,
    lines: 11,
};

/// Shortest piece of a secret that counts as a leak.
const PIECE: usize = 10;

/// `(what, secret)` for every secret in the fixture.
fn secrets(f: &Fixture) -> Vec<(&'static str, &'static str)> {
    let all: Vec<_> = f
        .list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once('\t').expect("what<TAB>secret"))
        .collect();
    assert_eq!(all.len(), f.secrets, "{}", f.name);
    all
}

/// The fixture as a live file source delivers it: `App::from_log`, with redaction on or off.
fn fixture_app(f: &Fixture, redact: bool) -> App {
    let opts = AppOptions {
        redact,
        ..AppOptions::default()
    };
    let mut app = App::new(opts, KnowledgeBase::builtin(), Keymap::builtin());
    let n = app.add_source(&SourceSpec::File(f.name.into()));
    app.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Loading,
    }));
    let mut lines = Vec::new();
    let _ = crate::source::lines::read_all(n, f.log.as_bytes(), |b| lines.extend_from_slice(b));
    assert_eq!(lines.len(), f.lines, "{}", f.name);
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
fn pieces(f: &Fixture) -> HashMap<String, &'static str> {
    let mut out = HashMap::new();
    for (what, secret) in secrets(f) {
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

/// The screens and reports of a walk over `f` with redaction on, checked for leaks.
fn walk_redacted(f: &Fixture) -> Seen {
    let seen = walk(fixture_app(f, true));
    let pieces = pieces(f);
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
        "{}: {} leaks:\n{}",
        f.name,
        leaks.len(),
        leaks.join("\n")
    );
    seen
}

#[test]
fn no_secret_on_any_screen_or_in_any_report() {
    let seen = walk_redacted(&TOKENS);
    // Pane scrolls stop at the last row (and move one pane), so a row takes fewer screens
    // than when the panes scrolled on into blank ones; the walk with redaction off below still
    // draws every secret whole.
    assert!(seen.screens > 350, "{} screens drawn", seen.screens);
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

/// The review's shapes: no secret on a screen or in a report, the names drawn beside their
/// masks, and the names that hold a credential word but no secret drawn with their values
/// (the Raw view shows containerd's content `key`).
#[test]
fn no_secret_by_name_or_shape_on_any_screen_or_in_any_report() {
    let seen = walk_redacted(&REVIEW);
    assert!(seen.screens > 150, "{} screens drawn", seen.screens);
    let all: String = seen.rows.iter().map(|r| format!("{r}\n")).collect();
    for shown in [
        "api_key=REDACTED",
        "apiKey=REDACTED",
        "GITHUB_TOKEN=REDACTED",
        "ghp_REDACTED",
        "AKIAREDACTED",
        "offline_token=true",
        "key=\"sha256:86147dd5caace3d2e2d7f3f6add2cf569efbbf1246699729bc6a2fa1f8e07da0\"",
        // The fourth review's forms and their readable look-alikes.
        "Password: REDACTED",
        "PWD=/home/builder",
        "author=bob",
        "REDACTED@git.example.com",
        "map[NPM_TOKEN:REDACTED PATH:/usr/bin]",
        "xoxb-REDACTED",
    ] {
        assert!(all.contains(shown), "'{shown}' is on no screen");
    }
    let reports = seen.reports.concat();
    assert!(reports.contains("api_key=REDACTED"), "{reports}");
}

/// Client error texts (the RUN step's command of `failed to solve: process "…"`): the Raw
/// view and the detail pane draw them with the passwords masked, the users, names and the
/// `-u` of other commands than curl kept.
#[test]
fn no_client_error_secret_on_any_screen_or_in_any_report() {
    let seen = walk_redacted(&CLIENT);
    let all: String = seen.rows.iter().map(|r| format!("{r}\n")).collect();
    for shown in [
        "-u ci-bot:REDACTED",
        "REGISTRY_PW=REDACTED",
        "DOCKERHUB_PAT=REDACTED",
        "--http-password REDACTED",
        "SPAN_PATH=/var/spans",
        "docker run -u 1000:1000",
    ] {
        assert!(all.contains(shown), "'{shown}' is on no screen");
    }
}

#[test]
fn with_redaction_off_every_secret_is_on_some_screen() {
    for f in [&TOKENS, &REVIEW, &CLIENT] {
        let seen = walk(fixture_app(f, false));
        let missing: Vec<_> = secrets(f)
            .into_iter()
            .filter(|(_, s)| !seen.rows.iter().any(|r| r.contains(s)))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: the walk draws none of these, so it cannot tell whether they leak: {missing:?}",
            f.name
        );
    }
}
