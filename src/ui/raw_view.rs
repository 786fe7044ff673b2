//! The raw log lines, redacted and made inert, coloured by level; registry lines stand out.
//! Virtualised like the events table; `w` wraps long lines.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::lines::{LineKind, RawLine};
use crate::parse::Level;

use super::text::clean;
use super::theme::Theme;

fn line_style(app: &App, l: &RawLine<'_>, theme: &Theme) -> Style {
    if let Some(f) = app.finding_of_line(l.source, l.number) {
        return if f.kind.is_auth() {
            theme.error
        } else {
            theme.warning
        };
    }
    match (l.level, l.kind) {
        (Some(v), _) if v >= Level::Error => theme.warning,
        (_, LineKind::Request | LineKind::Response) => theme.text,
        (_, LineKind::Resolver) => theme.accent,
        _ => theme.dim,
    }
}

/// Draws the visible lines into `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let len = app.raw_rows.len();
    if len == 0 {
        frame.render_widget(
            Paragraph::new(Line::styled("no lines yet", theme.dim)),
            area,
        );
        return;
    }
    let rows = usize::from(area.height);
    let cursor = app.raw_cursor;
    let offset = cursor.visible_offset(len, rows);
    let many_sources = app.sources.len() > 1;
    let lines: Vec<Line> = (offset..(offset + rows).min(len))
        .enumerate()
        .filter_map(|(i, row)| {
            let l = app.lines.get(app.raw_rows.get(row)?)?;
            let mut style = line_style(app, &l, theme);
            if app.row_matches(offset + i) {
                style = style.patch(theme.search_match);
            }
            if offset + i == cursor.selected {
                style = style.patch(theme.selected);
            }
            let num = if many_sources {
                format!("{}:{:>5} ", l.source, l.number)
            } else {
                format!("{:>6} ", l.number)
            };
            let mut spans = vec![Span::styled(num, theme.dim)];
            // In front: the end of a line cut at the cap is a megabyte away, off screen.
            if l.truncated {
                spans.push(Span::styled("[cut] ", theme.warning));
            }
            spans.push(Span::styled(clean(&l.text()).into_owned(), style));
            Some(Line::from(spans).style(if offset + i == cursor.selected {
                theme.selected
            } else {
                Style::default()
            }))
        })
        .collect();
    let mut p = Paragraph::new(lines);
    if app.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    frame.render_widget(p, area);
}
