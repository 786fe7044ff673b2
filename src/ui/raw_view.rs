//! The raw log lines, redacted and made inert, coloured by level; registry lines stand out.
//! Virtualised like the events table; `w` wraps long lines under their text (a hanging indent
//! past the line number), cut into rows by `app::wrap` so the app scrolls by the same rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::lines::{LineKind, RawLine};
use crate::app::wrap::{self, CUT_MARK, RESET_MARK, RawShape};
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
        // Which of the filter, the trace filter and the registry-only toggle left no line.
        let why = clean(&app.raw_empty_reason()).into_owned();
        frame.render_widget(
            Paragraph::new(Line::styled(why, theme.dim))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let (width, rows) = (usize::from(area.width), usize::from(area.height));
    let cursor = app.raw_cursor;
    let offset = app.raw_offset(width, rows);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for row in offset..len {
        if lines.len() >= rows {
            break;
        }
        let Some(l) = app.raw_rows.get(row).and_then(|seq| app.lines.get(seq)) else {
            continue;
        };
        let mut style = line_style(app, &l, theme);
        if app.row_matches(row) {
            style = style.patch(theme.search_match);
        }
        let selected = row == cursor.selected;
        if selected {
            style = style.patch(theme.selected);
        }
        let line_style = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let num = app.raw_number(&l);
        let num_style = if num.contains(RESET_MARK) {
            theme.warning
        } else {
            theme.dim
        };
        let text = App::raw_shown(&l);
        // In front: the end of a line cut at the cap is a megabyte away, off screen.
        let cut = l.truncated.then(|| Span::styled(CUT_MARK, theme.warning));
        if !app.wrap {
            // Scrolled sideways (`→`): the number stays, the text starts further in.
            let shown = wrap::skip(&text, app.raw_col).to_owned();
            let mut spans = vec![Span::styled(num, num_style)];
            spans.extend(cut);
            spans.push(Span::styled(shown, style));
            lines.push(Line::from(spans).style(line_style));
            continue;
        }
        let shape = RawShape::new(width, wrap::width(&num), l.truncated);
        let pieces = wrap::rows(&text, shape.first, shape.rest);
        for (i, piece) in pieces.take(rows - lines.len()).enumerate() {
            let spans = if i == 0 {
                let mut s = vec![Span::styled(num.clone(), num_style)];
                s.extend(cut.clone());
                s.push(Span::styled(piece.to_owned(), style));
                s
            } else {
                vec![
                    Span::raw(" ".repeat(shape.indent)),
                    Span::styled(piece.to_owned(), style),
                ]
            };
            lines.push(Line::from(spans).style(line_style));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
