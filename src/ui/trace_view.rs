//! Traces: one row per traceID (spans, requests, errors, duration, hosts); Enter opens its
//! waterfall: spans and their requests as bars on the trace's time axis.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::traces::{WaterfallRow, waterfall};
use crate::app::words::count;
use crate::model::trace::Trace;

use super::events_view::severity_style;
use super::text::{fit, millis, short_path};
use super::theme::Theme;

/// Draws the list, or the open trace's waterfall.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    match app.open_trace() {
        Some(t) => render_waterfall(frame, area, app, t, theme),
        None => render_list(frame, area, app, theme),
    }
}

fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let len = app.traces.rows.len();
    if len == 0 {
        let msg = if app.model.traces().is_empty() {
            "no traceID in this log (BuildKit tags its lines with traceID/spanID from v0.16)"
        } else {
            "no trace passes the filter (Esc clears it)"
        };
        frame.render_widget(Paragraph::new(Line::styled(msg, theme.dim)), area);
        return;
    }
    let body = usize::from(area.height.saturating_sub(1));
    let cursor = app.traces.cursor;
    let offset = cursor.visible_offset(len, body);
    let rows: Vec<Row> = app.traces.rows[offset..(offset + body).min(len)]
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let t = app.model.traces().get(id)?;
            let mut hosts: Vec<&str> = t
                .events
                .iter()
                .filter_map(|&e| app.model.event(e).map(|ev| ev.host_or_unknown()))
                .collect();
            hosts.sort_unstable();
            hosts.dedup();
            let mut style = if t.errors > 0 {
                theme.error
            } else {
                theme.text
            };
            if app.row_matches(offset + i) {
                style = style.patch(theme.search_match);
            }
            if offset + i == cursor.selected {
                style = style.patch(theme.selected);
            }
            Some(
                Row::new(vec![
                    Cell::new(fit(id, 32)),
                    Cell::new(t.first.map(|f| f.clock()).unwrap_or_default()).style(theme.dim),
                    Cell::new(t.spans.len().to_string()),
                    Cell::new(t.events.len().to_string()),
                    Cell::new(t.errors.to_string()),
                    Cell::new(t.duration_ms().map(millis).unwrap_or_default()),
                    Cell::new(fit(&hosts.join(" "), 60)).style(theme.accent),
                ])
                .style(style),
            )
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(32),
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new(["TRACE", "FIRST", "SPANS", "REQS", "ERRS", "DUR", "HOSTS"])
            .style(theme.table_header),
    )
    .column_spacing(1);
    frame.render_widget(table, area);
}

fn render_waterfall(frame: &mut Frame, area: Rect, app: &App, t: &Trace, theme: &Theme) {
    let rows = waterfall(&app.model, t);
    let label_w = usize::from(area.width / 2).clamp(20, 60);
    let bar_w = usize::from(area.width).saturating_sub(label_w + 1).max(1);
    let span_ns = t.first.zip(t.last).map_or(1, |(a, b)| (b.0 - a.0).max(1));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("trace {} ", fit(&t.trace_id, 32)), theme.title),
            Span::styled(
                format!(
                    "{}, {}, {} failed, {}  (Esc: back, t: only this trace)",
                    count(t.events.len(), "request", "requests"),
                    count(t.spans.len(), "span", "spans"),
                    t.errors,
                    t.duration_ms().map(millis).unwrap_or_default()
                ),
                theme.dim,
            ),
        ]),
        Line::styled(
            format!(
                "{:label_w$} {}{:>w$}",
                "",
                t.first.map(|f| f.clock()).unwrap_or_default(),
                format!("+{}", t.duration_ms().map(millis).unwrap_or_default()),
                w = bar_w.saturating_sub(12)
            ),
            theme.table_header,
        ),
    ];
    let body = usize::from(area.height.saturating_sub(2));
    let cursor = app.traces.wf_cursor;
    let offset = cursor.visible_offset(rows.len(), body);
    for (i, row) in rows.iter().enumerate().skip(offset).take(body) {
        let selected = i == cursor.selected;
        let mut line = match row {
            WaterfallRow::Span { id, name, events } => Line::styled(
                fit(
                    &format!(
                        "▾ span {} {} ({events})",
                        if id.is_empty() { "(none)" } else { id },
                        name.as_deref().unwrap_or("")
                    ),
                    label_w + bar_w,
                ),
                theme.accent,
            ),
            WaterfallRow::Event(id) => {
                let Some(ev) = app.model.event(*id) else {
                    continue;
                };
                let style = severity_style(app.severity(ev), theme);
                let label = format!(
                    "  {} {} {}",
                    ev.method.as_deref().unwrap_or("?"),
                    ev.url
                        .as_deref()
                        .map_or_else(|| ev.kind.as_str().to_owned(), short_path),
                    ev.status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "…".into())
                );
                let pos = |ts: Option<crate::parse::Timestamp>| {
                    ts.zip(t.first).map_or(0, |(x, f)| {
                        usize::try_from(i128::from(x.0 - f.0) * bar_w as i128 / i128::from(span_ns))
                            .unwrap_or(0)
                            .min(bar_w - 1)
                    })
                };
                let a = pos(ev.started.or(ev.finished));
                let b = pos(ev.finished.or(ev.started)).max(a);
                let bar: String = (0..bar_w)
                    .map(|c| if c >= a && c <= b { '█' } else { '·' })
                    .collect();
                Line::from(vec![
                    Span::styled(format!("{:label_w$} ", fit(&label, label_w)), style),
                    Span::styled(
                        bar,
                        if ev.failed() {
                            theme.spark_error
                        } else {
                            theme.spark
                        },
                    ),
                ])
            }
        };
        if selected {
            line = line.style(theme.selected);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
