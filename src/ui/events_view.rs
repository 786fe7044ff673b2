//! The fetch events table: one row per request, coloured by severity (auth failures in the
//! theme's error style). Virtualised: only the visible rows are built, so a million events
//! scroll as fast as ten. TIME is the clock while the lines read are of one UTC day, with the
//! date once they span more, and to the second for a source whose times are whole seconds
//! (`app::clock`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::Severity;
use crate::app::clock::TimeColumn;
use crate::app::route;
use crate::model::classify::cause_of;
use crate::model::fetch::FetchEvent;
use crate::source::SourceState;

use super::text::{between, bytes, clean, fit, fit_host, fit_left, short_path};
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
    let wide = area.width >= 120;
    let narrow = drops(wide, area.width);
    let body_rows = usize::from(area.height.saturating_sub(1));
    let len = app.events.rows.len();
    if len == 0 {
        let msg = empty_reason(app);
        frame.render_widget(
            Paragraph::new(vec![
                heading(wide, narrow, theme),
                Line::styled(msg, theme.dim),
            ]),
            area,
        );
        return;
    }
    let cursor = app.events.cursor;
    let offset = cursor.visible_offset(len, body_rows);
    let time = app.time_column();
    let host_w = host_width(app, area.width, wide, narrow);
    let widths = widths(wide, narrow, host_w, time.width());
    let fixed: u16 = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let path_w = usize::from(
        area.width
            .saturating_sub(fixed + widths.len() as u16 - 1)
            .max(8),
    );
    let rows: Vec<Row> = app.events.rows[offset..(offset + body_rows).min(len)]
        .iter()
        .enumerate()
        .filter_map(|(i, &id)| {
            let ev = app.model.event(id)?;
            let selected = offset + i == cursor.selected;
            let matched = app.row_matches(offset + i);
            Some(row(
                app,
                ev,
                (wide, narrow, host_w, path_w, time),
                selected,
                matched,
                theme,
            ))
        })
        .collect();

    let table = Table::new(rows, widths)
        .header(Row::new(columns(wide, narrow)).style(theme.table_header))
        .column_spacing(1);
    frame.render_widget(table, area);
}

/// HOST is at least this wide; wider when the terminal leaves PATH [`PATH_ROOM`] columns.
const HOST_MIN: u16 = 16;

/// Columns PATH keeps before HOST grows past [`HOST_MIN`].
const PATH_ROOM: u16 = 40;

/// HOST's width: its longest value (hosts the model counted, and an inferred host with its mark:
/// the configured mirrors and their upstreams), as far as the terminal leaves PATH
/// [`PATH_ROOM`] columns; never under [`HOST_MIN`].
fn host_width(app: &App, width: u16, wide: bool, narrow: &[usize]) -> u16 {
    let mirrors = &app.opts.mirrors.mirrors;
    let inferred = mirrors.iter().flat_map(|(up, ms)| ms.iter().chain([up]));
    let longest = app
        .model
        .stats()
        .hosts
        .keys()
        .map(|h| super::text::clean(h).chars().count())
        .chain(inferred.map(|h| super::text::clean(h).chars().count() + 1))
        .max()
        .unwrap_or(0);
    let longest = u16::try_from(longest).unwrap_or(u16::MAX);
    let time = app.time_column().width();
    let others: u16 = widths(wide, narrow, 0, time)
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let gaps = widths(wide, narrow, 0, time).len() as u16 - 1;
    let room = width.saturating_sub(others + gaps + PATH_ROOM);
    // Never wider than the table leaves it (with PATH at [`PATH_MIN`] in a tiny table): a
    // column the table shrinks is cut without the `…` and the port fit_host keeps.
    let path = if narrow == TINY_DROPS { PATH_MIN } else { 0 };
    let most = width.saturating_sub(others + gaps + path).max(HOST_TINY);
    longest.min(room).max(HOST_MIN).min(most)
}

/// PATH's least width in a tiny table before HOST gives way.
const PATH_MIN: u16 = 8;

/// HOST's least width: `127…:5001` keeps the port.
const HOST_TINY: u16 = 9;

fn heading(wide: bool, narrow: &[usize], theme: &Theme) -> Line<'static> {
    Line::styled(columns(wide, narrow).join("  "), theme.table_header)
}

/// Columns dropped from narrow tables (the KB pane open, a small terminal): KIND, SIZE, SERVED BY.
const NARROW_DROPS: [usize; 3] = [4, 7, 8];

/// Below this width the table drops [`NARROW_DROPS`].
const NARROW: u16 = 96;

/// Columns dropped from tiny tables (the KB pane open on 60 columns): METH and DUR too, so
/// HOST and PATH keep some room.
const TINY_DROPS: [usize; 5] = [1, 4, 6, 7, 8];

/// Below this width the table drops [`TINY_DROPS`].
const TINY: u16 = 40;

/// The columns a table `width` wide drops (none when `wide`).
fn drops(wide: bool, width: u16) -> &'static [usize] {
    match width {
        _ if wide => &[],
        w if w < TINY => &TINY_DROPS,
        w if w < NARROW => &NARROW_DROPS,
        _ => &[],
    }
}

fn narrowed<T>(v: Vec<T>, narrow: &[usize]) -> Vec<T> {
    v.into_iter()
        .enumerate()
        .filter(|(i, _)| !narrow.contains(i))
        .map(|(_, x)| x)
        .collect()
}

fn columns(wide: bool, narrow: &[usize]) -> Vec<&'static str> {
    let c = columns_all(wide);
    narrowed(c, narrow)
}

fn columns_all(wide: bool) -> Vec<&'static str> {
    let mut c = vec![
        "TIME",
        "METH",
        "HOST",
        "PATH",
        "KIND",
        "ST",
        "DUR",
        "SIZE",
        "SERVED BY",
    ];
    if wide {
        c.insert(1, "LVL");
        c.push("TRACE");
    }
    c
}

/// The columns' widths: TIME as wide as its format (`crate::app::clock`), HOST `host`.
fn widths(wide: bool, narrow: &[usize], host: u16, time: u16) -> Vec<Constraint> {
    narrowed(widths_all(wide, host, time), narrow)
}

fn widths_all(wide: bool, host: u16, time: u16) -> Vec<Constraint> {
    let mut w = vec![
        Constraint::Length(time),
        Constraint::Length(4),
        Constraint::Length(host),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(3),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(12),
    ];
    if wide {
        w.insert(1, Constraint::Length(5));
        w.push(Constraint::Length(8));
    }
    w
}

fn row<'a>(
    app: &App,
    ev: &FetchEvent,
    (wide, narrow, host_w, path_w, time): (bool, &[usize], u16, usize, TimeColumn),
    selected: bool,
    matched: bool,
    theme: &Theme,
) -> Row<'a> {
    let sev = app.severity(ev);
    let style = severity_style(sev, theme);
    let path = match (&ev.url, &ev.repository) {
        (Some(u), _) => short_path(u),
        (None, Some(r)) => r.to_string(),
        (None, None) => ev
            .digest
            .as_deref()
            .map(short_path)
            .unwrap_or_else(|| "-".to_owned()),
    };
    // A transport error has no path worth the room: its cause tells two failures apart
    // (`connect: connection refused`, `x509: certificate signed by unknown authority`), where
    // the start of the text (`failed to do request: Head …`) is the same for all.
    let path = match &ev.error {
        Some(e) if ev.status.is_none() => fit(&format!("✖ {}", cause_of(e)), path_w),
        _ => fit_left(&path, path_w),
    };
    let status = match (ev.status, &ev.error) {
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => "ERR".to_owned(),
        (None, None) => "…".to_owned(),
    };
    let mut cells = vec![
        Cell::new(
            ev.started
                .or(ev.finished)
                .map(|t| time.cell(t, app.lines.has_millis(ev.source)))
                .unwrap_or_default(),
        )
        .style(theme.dim),
        Cell::new(fit(ev.method.as_deref().unwrap_or("-"), 4)),
        Cell::new(fit_host(
            &route::shown_host(&app.model, ev),
            usize::from(host_w),
        ))
        .style(theme.accent.patch(style)),
        // A match on the selected row keeps the match's colours (the selection's reverse
        // video would swap them back: `Theme::match_on_selected`).
        Cell::new(path).style(match (matched, selected) {
            (true, true) => theme.match_on_selected(),
            (true, false) => theme.search_match,
            (false, _) => style,
        }),
        Cell::new(ev.kind.as_str()),
        Cell::new(status),
        Cell::new(
            ev.started
                .zip(ev.finished)
                .map(|(a, b)| between(a, b))
                .unwrap_or_default(),
        ),
        Cell::new(ev.bytes().map(bytes).unwrap_or_default()),
        Cell::new(fit(ev.server.as_deref().unwrap_or(""), 12)),
    ];
    if wide {
        cells.insert(
            1,
            Cell::new(ev.level.map(|l| fit(l.as_str(), 5)).unwrap_or_default()),
        );
        cells.push(Cell::new(fit(ev.trace_id.as_deref().unwrap_or(""), 8)).style(theme.dim));
    }
    let cells = narrowed(cells, narrow);
    let mut row_style = style;
    if selected {
        row_style = row_style.patch(theme.selected);
    }
    Row::new(cells).style(row_style)
}
