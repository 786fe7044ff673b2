//! The fetch events table: one row per request, coloured by severity (auth failures in the
//! theme's error style). Virtualised: only the visible rows are built, so a million events
//! scroll as fast as ten. TIME is the clock while the lines read are of one UTC day, with the
//! date once they span more, and to the second for a source whose times are whole seconds
//! (`app::clock`).
//!
//! Columns (decided after a review found HOST and PATH cut beside an all-empty TRACE): one no
//! row of the view has a value in is not drawn (PATH too, in a log without urls: SERVED BY and
//! TRACE take its room, and HOST shows a search's match); while HOST whole and `PATH_ROOM` columns of
//! PATH do not fit, columns go in `DROP_ORDER` (TRACE, LVL; KIND, SIZE, SERVED BY; METH,
//! DUR), as the README says; HOST is cut only where PATH would be left under `PATH_SHORT`,
//! and PATH goes under `PATH_LEAST`, its room to HOST: TIME and ST are never cut.
//! A cut PATH keeps the image name and the reference (`super::text::fit_path`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::app::App;
use crate::app::Severity;
use crate::app::clock::TimeColumn;
use crate::app::route;
use crate::model::classify::cause_of;
use crate::model::fetch::{FetchEvent, span_ref};
use crate::model::url::ObjectKind;
use crate::source::SourceState;

use super::text::{between, bytes, clean, fit, fit_host, fit_path, fit_path_from, short_path};
use super::theme::Theme;

/// The style of a row of this severity.
pub fn severity_style(s: Severity, theme: &Theme) -> Style {
    match s {
        Severity::Auth => theme.error,
        Severity::Error => theme.warning,
        Severity::Challenge => theme.challenge,
        Severity::Pending => theme.pending,
        Severity::Ok => theme.text,
    }
}

/// Why the table is empty: a filter, a source that failed or ended, or nothing yet.
fn empty_reason(app: &App) -> String {
    if app.model.event_count() > 0 {
        return "no event passes the filter (Esc clears it)".to_owned();
    }
    let states = || app.sources.iter().map(|s| &s.state);
    let failed: Vec<&str> = states()
        .filter_map(|s| match s {
            SourceState::Error(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    let settled = states().all(|s| matches!(s, SourceState::Error(_) | SourceState::Ended(_)));
    if !app.sources.is_empty() && settled && failed.len() == app.sources.len() {
        let restart = if app.sources.iter().any(|s| s.restartable) {
            "; r restarts it"
        } else {
            ""
        };
        let why = clean(&failed.join("; ")).into_owned();
        format!("no fetch events: nothing could be read ({why}{restart})")
    } else if !app.sources.is_empty() && settled {
        format!(
            "no fetch events: the input ended without a 'do request' line{}",
            found_in_raw(app)
        )
    } else {
        format!(
            "no fetch events yet (waiting for 'do request' lines){}",
            found_in_raw(app)
        )
    }
}

/// A log without request lines can still show failures (containerd's info-level `fetch failed
/// after status: 401 Unauthorized`, a client's pasted error): where they are and how to reach
/// them, since this table has no row for them.
fn found_in_raw(app: &App) -> String {
    match app.findings.len() {
        0 => String::new(),
        1 => "; e shows the one failure found, in the raw lines".to_owned(),
        n => format!("; e shows the {n} failures found, in the raw lines"),
    }
}

/// Draws the table into `area` (first row: column headings).
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let time = app.time_column();
    let mut layout = layout(app, area.width, time.width());
    let body_rows = usize::from(area.height.saturating_sub(1));
    let len = app.events.rows.len();
    if len == 0 {
        // The reason wraps: at 80 columns its pointer to the failures found ran off the edge.
        let [head, body] =
            ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Min(0)])
                .areas(area);
        frame.render_widget(Paragraph::new(heading(&layout, theme)), head);
        frame.render_widget(
            Paragraph::new(Line::styled(empty_reason(app), theme.dim)).wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let cursor = app.events.cursor;
    let offset = cursor.visible_offset(len, body_rows);
    // The rows in view with their PATH text, worked out once: the cut form they share is
    // read from them before any row is drawn.
    let in_view: Vec<(usize, &FetchEvent, String)> = app.events.rows
        [offset..(offset + body_rows).min(len)]
        .iter()
        .enumerate()
        .filter_map(|(i, &id)| {
            app.model
                .event(id)
                .map(|ev| (offset + i, ev, path_text(ev)))
        })
        .collect();
    let path_w = layout.width(Col::Path);
    layout.path_form = in_view
        .iter()
        .filter(|(_, ev, _)| !(ev.error.is_some() && ev.status.is_none()))
        .map(|(_, _, path)| fit_path_from(path, path_w, 0).1)
        .max()
        .unwrap_or(0);
    let rows: Vec<Row> = in_view
        .into_iter()
        .map(|(at, ev, path)| {
            let selected = at == cursor.selected;
            let matched = app.row_matches(at);
            row(app, (ev, path), (&layout, time), selected, matched, theme)
        })
        .collect();
    let widths: Vec<Constraint> = layout
        .cols
        .iter()
        .map(|&(_, w)| Constraint::Length(w))
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(layout.cols.iter().map(|(c, _)| c.title())).style(theme.table_header))
        .column_spacing(1);
    frame.render_widget(table, area);
}

/// A column of the table, in the order drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Time,
    Lvl,
    Meth,
    Host,
    Path,
    Kind,
    St,
    Dur,
    Size,
    Served,
    Trace,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Time => "TIME",
            Col::Lvl => "LVL",
            Col::Meth => "METH",
            Col::Host => "HOST",
            Col::Path => "PATH",
            Col::Kind => "KIND",
            Col::St => "ST",
            Col::Dur => "DUR",
            Col::Size => "SIZE",
            Col::Served => "SERVED BY",
            Col::Trace => "TRACE",
        }
    }

    /// Its width, for a column of fixed width (all but HOST and PATH).
    fn fixed(self, time: u16) -> u16 {
        match self {
            Col::Time => time,
            Col::Lvl => 5,
            Col::Meth => 4,
            Col::Kind => 8,
            Col::St => 3,
            Col::Dur | Col::Size => 6,
            Col::Served => 12,
            Col::Trace => 8,
            Col::Host | Col::Path => 0,
        }
    }

    /// True when `ev` has a value in this column (TIME, HOST and ST always do; PATH where the
    /// log names a url, repository, digest or error: a BuildKit >= v0.16 log names none).
    fn has_value(self, ev: &FetchEvent) -> bool {
        match self {
            Col::Lvl => ev.level.is_some(),
            Col::Meth => ev.method.is_some(),
            Col::Kind => ev.kind != ObjectKind::Unknown,
            Col::Dur => ev.started.is_some() && ev.finished.is_some(),
            Col::Size => ev.bytes().is_some(),
            Col::Served => ev.server.is_some(),
            Col::Trace => ev.trace_id.is_some(),
            Col::Path => names_a_path(ev) || span_ref(ev.span.as_deref()).is_some(),
            Col::Time | Col::Host | Col::St => true,
        }
    }
}

/// Every column, in the order drawn.
const ALL: [Col; 11] = [
    Col::Time,
    Col::Lvl,
    Col::Meth,
    Col::Host,
    Col::Path,
    Col::Kind,
    Col::St,
    Col::Dur,
    Col::Size,
    Col::Served,
    Col::Trace,
];

/// The columns a narrow table drops, first to last (the README's order): TRACE and LVL, then
/// KIND, SIZE, SERVED BY, then METH and DUR; only then is HOST cut.
const DROP_ORDER: [Col; 7] = [
    Col::Trace,
    Col::Lvl,
    Col::Kind,
    Col::Size,
    Col::Served,
    Col::Meth,
    Col::Dur,
];

/// PATH's room before a column is dropped: enough for `…/busybox/…/sha256:96628e451247`.
const PATH_ROOM: u16 = 30;

/// PATH's least room before HOST is cut: `…/busybox@96628e451247`.
const PATH_SHORT: u16 = 20;

/// From this PATH width a failure with no answer shows its object before its cause.
const ERR_WITH_PATH: usize = 48;

/// PATH's least width: narrower, the column is not drawn.
const PATH_LEAST: u16 = 10;

/// HOST's least width: `127…:5001` keeps the port.
const HOST_TINY: u16 = 9;

/// Without a PATH column, what SERVED BY and TRACE widen to at most: a fingerprint name
/// (`google-cloud-storage`) and a whole trace id.
const SERVED_WIDE: u16 = 24;
const TRACE_WIDE: u16 = 32;

/// The table's columns and their widths.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Layout {
    cols: Vec<(Col, u16)>,
    /// The cut form every cut PATH in view takes: the deepest any of them needs
    /// (`text::fit_path_from`), so one object reads one way on the mirror's row and the
    /// upstream's.
    path_form: u8,
}

/// True when the log names what `ev` asked for by its url (or a repository, a digest, an
/// error's cause): a PATH that needs its room. A span's image ref alone (BuildKit >= v0.16)
/// takes only what SERVED BY and TRACE leave.
fn names_a_path(ev: &FetchEvent) -> bool {
    ev.url.is_some() || ev.repository.is_some() || ev.digest.is_some() || ev.error.is_some()
}

/// What PATH says of `ev` before it is cut: the url's path, else the repository; BuildKit >=
/// v0.16 logs no url inside its spans: the span's image ref (`docker.io/library/node:20`), a
/// digest where there is one.
fn path_text(ev: &FetchEvent) -> String {
    match (&ev.url, &ev.repository) {
        (Some(u), _) => short_path(u),
        (None, Some(r)) => r.to_string(),
        (None, None) => match (ev.digest.as_deref(), span_ref(ev.span.as_deref())) {
            (Some(d), _) => short_path(d),
            (None, Some(r)) => r.to_owned(),
            (None, None) => "-".to_owned(),
        },
    }
}

impl Layout {
    fn width(&self, col: Col) -> usize {
        self.cols
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(0, |&(_, w)| usize::from(w))
    }
}

/// The columns a table `width` wide shows, and their widths:
/// - a column no row of the view has a value in is not drawn (TRACE on a log without traces);
/// - HOST is as wide as its longest value (the hosts the model counted, and an inferred host
///   with its mark: the configured mirrors and their upstreams);
/// - while HOST whole and PATH `PATH_ROOM` columns do not fit, columns go in
///   `DROP_ORDER`;
/// - HOST is cut (keeping its port, never under [`HOST_TINY`]) only where PATH would have less
///   than `PATH_SHORT`; PATH takes what is left.
fn layout(app: &App, width: u16, time: u16) -> Layout {
    let mut shown: Vec<Col> = ALL
        .into_iter()
        .filter(|c| {
            matches!(c, Col::Time | Col::Host | Col::St)
                || app
                    .events
                    .rows
                    .iter()
                    .filter_map(|&id| app.model.event(id))
                    .any(|ev| c.has_value(ev))
        })
        .collect();
    let host = host_width(app);
    let others = |shown: &[Col]| -> u16 {
        let fixed: u16 = shown.iter().map(|c| c.fixed(time)).sum();
        fixed + u16::try_from(shown.len().saturating_sub(1)).unwrap_or(u16::MAX)
    };
    // A log without urls (BuildKit >= v0.16) has no PATH to keep room for: where its spans
    // name an image ref, PATH shows it in the room SERVED BY and TRACE leave.
    let urls = shown.contains(&Col::Path)
        && app
            .events
            .rows
            .iter()
            .filter_map(|&id| app.model.event(id))
            .any(names_a_path);
    let (room, short) = if urls {
        (PATH_ROOM, PATH_SHORT)
    } else {
        (0, 0)
    };
    for drop in DROP_ORDER {
        if others(&shown) + host + room <= width {
            break;
        }
        shown.retain(|c| *c != drop);
    }
    let mut left = width.saturating_sub(others(&shown));
    // A PATH narrower than `PATH_LEAST` (`…t`) says nothing: it goes, its room to HOST.
    if urls && left.saturating_sub(HOST_TINY.min(host)) < PATH_LEAST {
        shown.retain(|c| *c != Col::Path);
        left = width.saturating_sub(others(&shown));
    }
    let urls = urls && shown.contains(&Col::Path);
    let short = if urls { short } else { 0 };
    // HOST never pushes TIME or ST off the edge (a cut `429` reads `42`): under its least
    // width it takes what is left.
    let host = host
        .min(left.saturating_sub(short))
        .max(HOST_TINY.min(host))
        .min(left);
    let mut spare = left.saturating_sub(host);
    let mut widen = |c: Col, wide: u16| {
        if urls || !shown.contains(&c) {
            return c.fixed(time);
        }
        let w = (c.fixed(time) + spare).min(wide.max(c.fixed(time)));
        spare -= w - c.fixed(time);
        w
    };
    let served = widen(Col::Served, SERVED_WIDE);
    let trace = widen(Col::Trace, TRACE_WIDE);
    // What is left is PATH's; a ref-only PATH under `PATH_LEAST` goes.
    let path = spare;
    if !urls && path < PATH_LEAST {
        shown.retain(|c| *c != Col::Path);
    }
    let cols = shown
        .into_iter()
        .map(|c| {
            let w = match c {
                Col::Host => host,
                Col::Path => path,
                Col::Served => served,
                Col::Trace => trace,
                c => c.fixed(time),
            };
            (c, w)
        })
        .collect();
    Layout { cols, path_form: 0 }
}

/// HOST's width whole: its longest value (hosts the model counted, and an inferred host with
/// its mark: the configured mirrors and their upstreams), at least its title's.
fn host_width(app: &App) -> u16 {
    let mirrors = &app.opts.mirrors.mirrors;
    let inferred = mirrors.iter().flat_map(|(up, ms)| ms.iter().chain([up]));
    // Requests still waiting have no place in the stats yet: their hosts count too (a review:
    // the row being watched while following a build read `registry-1.do…`).
    let waiting = app
        .model
        .waiting()
        .filter_map(|id| app.model.event(id))
        .map(|ev| super::text::clean(ev.host_or_unknown()).chars().count());
    let longest = app
        .model
        .stats()
        .hosts
        .keys()
        .map(|h| super::text::clean(h).chars().count())
        .chain(waiting)
        .chain(inferred.map(|h| super::text::clean(h).chars().count() + 1))
        .max()
        .unwrap_or(0)
        .max(Col::Host.title().len());
    u16::try_from(longest).unwrap_or(u16::MAX)
}

fn heading(layout: &Layout, theme: &Theme) -> Line<'static> {
    let titles: Vec<&str> = layout.cols.iter().map(|(c, _)| c.title()).collect();
    Line::styled(titles.join("  "), theme.table_header)
}

fn row<'a>(
    app: &App,
    (ev, path): (&FetchEvent, String),
    (layout, time): (&Layout, TimeColumn),
    selected: bool,
    matched: bool,
    theme: &Theme,
) -> Row<'a> {
    let sev = app.severity(ev);
    let style = severity_style(sev, theme);
    let path_w = layout.width(Col::Path);
    // A failure with no answer shows its cause, which tells two failures apart (`connect:
    // connection refused`, `x509: certificate signed by unknown authority`) where the start of
    // the text (`failed to do request: Head …`) is the same for all; with room for both, the
    // object first (a review saw six `✖ net/http: timeout awaiting response hea…` rows and
    // could not tell which image each was for).
    let path = match &ev.error {
        Some(e) if ev.status.is_none() => {
            let cause = format!("✖ {}", cause_of(e));
            if path_w >= ERR_WITH_PATH && path != "-" {
                let object = fit_path(&path, (path_w * 2 / 5).max(usize::from(PATH_SHORT)));
                let left = path_w.saturating_sub(object.chars().count() + 1);
                format!("{object} {}", fit(&cause, left))
            } else {
                fit(&cause, path_w)
            }
        }
        _ => fit_path_from(&path, path_w, layout.path_form).0,
    };
    let status = match (ev.status, &ev.error) {
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => "ERR".to_owned(),
        (None, None) => "…".to_owned(),
    };
    // A match on the selected row keeps the match's colours (the selection's reverse video
    // would swap them back: `Theme::match_on_selected`).
    let match_style = |plain: Style| match (matched, selected) {
        (true, true) => theme.match_on_selected(),
        (true, false) => theme.search_match,
        (false, _) => plain,
    };
    let cell = |c: Col| match c {
        Col::Time => Cell::new(
            ev.started
                .or(ev.finished)
                .map(|t| time.cell(t, app.lines.has_millis(ev.source)))
                .unwrap_or_default(),
        )
        .style(theme.dim),
        Col::Lvl => Cell::new(ev.level.map(|l| fit(l.as_str(), 5)).unwrap_or_default()),
        Col::Meth => Cell::new(fit(ev.method.as_deref().unwrap_or("-"), 4)),
        // Without a PATH column (a log without urls) HOST shows a search's match.
        Col::Host => Cell::new(fit_host(
            &route::shown_host(&app.model, ev),
            layout.width(Col::Host),
        ))
        .style(if layout.width(Col::Path) == 0 {
            match_style(theme.accent.patch(style))
        } else {
            theme.accent.patch(style)
        }),
        Col::Path => Cell::new(path.clone()).style(match_style(style)),
        Col::Kind => Cell::new(ev.kind.as_str()),
        Col::St => Cell::new(status.clone()),
        Col::Dur => Cell::new(
            ev.started
                .zip(ev.finished)
                .map(|(a, b)| between(a, b))
                .unwrap_or_default(),
        ),
        Col::Size => Cell::new(ev.bytes().map(bytes).unwrap_or_default()),
        Col::Served => Cell::new(fit(
            ev.server.as_deref().unwrap_or(""),
            layout.width(Col::Served),
        )),
        Col::Trace => Cell::new(fit(
            ev.trace_id.as_deref().unwrap_or(""),
            layout.width(Col::Trace),
        ))
        .style(theme.dim),
    };
    let cells: Vec<Cell> = layout.cols.iter().map(|&(c, _)| cell(c)).collect();
    let mut row_style = style;
    if selected {
        row_style = row_style.patch(theme.selected);
    }
    Row::new(cells).style(row_style)
}
