//! Traces: one row per traceID (spans, requests, how many failed and how, duration,
//! hosts); Enter opens its waterfall (`waterfall_view.rs`). Ids are shown whole, so they can
//! be compared and typed into a filter (`trace=<prefix>`). FIRST carries the date when the
//! lines span more than one day, and no milliseconds where the trace's log has whole seconds
//! (`app::clock`).
//!
//! The list's row, the waterfall's title and the `x` report count and time a trace alike
//! (`app::trace_facts`): failures as the rows are coloured, and the duration along the
//! waterfall's axis. While a request of the trace waits for its answer that axis runs to the
//! newest line read, so the duration is a lower bound, and it is written `≥520ms` (decided:
//! a leading `≥`, read "at least"; a trailing `+` would read as the `+12ms` offsets of the
//! START column). It grows as the log is followed and loses the `≥` once every request is
//! answered. The list has no order by duration (it is in the order of the traces' first
//! requests); one added would sort a running trace by what it has lasted so far
//! (`TraceFacts::extent`), as its row reads.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::app::App;
use crate::app::route;
use crate::app::trace_facts::FailedForms;

use super::text::fit;
use super::theme::Theme;
use super::trace_columns::{Columns, FAILED_WIDE, first_cell};

/// Draws the list, or the open trace's waterfall.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    match app.open_trace() {
        Some(t) => super::waterfall_view::render(frame, area, app, t, theme),
        None => render_list(frame, area, app, theme),
    }
}

fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let len = app.traces.rows.len();
    if len == 0 {
        let msg = app.no_traces().whole();
        frame.render_widget(
            Paragraph::new(Line::styled(msg, theme.dim)).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let body = usize::from(area.height.saturating_sub(1));
    let cursor = app.traces.cursor;
    let offset = cursor.visible_offset(len, body);
    let time = app.time_column();
    let shown = &app.traces.rows[offset..(offset + body).min(len)];
    // FAILED as wide as its longest cell in view asks, where that fits (`trace_columns`); each
    // row's forms worked out once, for the width and then the cell.
    let failed: Vec<FailedForms> = shown
        .iter()
        .map(|id| {
            app.model
                .traces()
                .get(id)
                .map(|t| app.failed_forms(t))
                .unwrap_or_default()
        })
        .collect();
    let asked = failed
        .iter()
        .map(|f| f.width_at(usize::from(FAILED_WIDE)))
        .max()
        .unwrap_or(0);
    // Each row's HOSTS cell, worked out once: its width is asked for before the id grows.
    let hosts: Vec<String> = shown
        .iter()
        .map(|id| {
            let Some(t) = app.model.traces().get(id) else {
                return String::new();
            };
            let mut hosts: Vec<std::borrow::Cow<str>> = t
                .events
                .iter()
                .filter_map(|&e| {
                    app.model
                        .event(e)
                        .map(|ev| route::shown_host(&app.model, ev))
                })
                .collect();
            hosts.sort_unstable();
            hosts.dedup();
            hosts.join(" ")
        })
        .collect();
    let hosts_asked = hosts.iter().map(|h| h.chars().count()).max().unwrap_or(0);
    let cols = Columns::fit(
        area.width,
        (time.width(), time.millis),
        u16::try_from(asked).unwrap_or(FAILED_WIDE),
        u16::try_from(hosts_asked).unwrap_or(u16::MAX),
    );
    let rows: Vec<Row> = shown
        .iter()
        .zip(failed)
        .zip(hosts)
        .enumerate()
        .filter_map(|(i, ((id, failed), hosts))| {
            let t = app.model.traces().get(id)?;
            let facts = app.trace_facts(t);
            let mut style = if app.first_failure_of(t).is_some() {
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
            let mut cells = vec![Cell::new(fit(id, usize::from(cols.trace)))];
            if let Some((_, millis)) = cols.first {
                let first = t
                    .first
                    .map(|f| time.cell(f, app.trace_has_millis(t)))
                    .unwrap_or_default();
                cells.push(Cell::new(first_cell(first, millis)).style(theme.dim));
            }
            cells.extend([
                Cell::new(facts.spans.to_string()),
                Cell::new(facts.requests.to_string()),
                Cell::new(fit(
                    &failed.fit(usize::from(cols.failed)),
                    usize::from(cols.failed),
                )),
                Cell::new(facts.duration()),
                Cell::new(fit(&hosts, usize::from(cols.hosts))).style(theme.accent),
            ]);
            Some(Row::new(cells).style(style))
        })
        .collect();
    // Widths of our own (`trace_columns`): ratatui would cut a time or an id without a mark.
    let widths = cols.widths().into_iter().map(Constraint::Length);
    let table = Table::new(rows, widths)
        .header(Row::new(cols.headings()).style(theme.table_header))
        .column_spacing(1);
    frame.render_widget(table, area);
}
