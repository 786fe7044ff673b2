//! The `?` overlay: every binding of the keymap in use (built-in merged with the user's), so
//! it never drifts from what the keys do.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::App;

use super::theme::Theme;

/// Draws the popup centred in `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let bindings: Vec<(String, &str)> = app
        .keymap
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(a, keys)| (keys.join(" "), a.describe()))
        .collect();
    let key_w = bindings
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4);
    let desc_w = bindings
        .iter()
        .map(|(_, d)| d.chars().count())
        .max()
        .unwrap_or(10);
    let col_w = key_w + desc_w + 3;
    let two = usize::from(area.width) >= col_w * 2 + 4
        && bindings.len() > usize::from(area.height.saturating_sub(4));
    let per_col = if two {
        bindings.len().div_ceil(2)
    } else {
        bindings.len()
    };
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..per_col {
        let mut spans = Vec::new();
        for col in 0..(if two { 2 } else { 1 }) {
            if let Some((k, d)) = bindings.get(i + col * per_col) {
                spans.push(Span::styled(format!(" {k:>key_w$} "), theme.key));
                spans.push(Span::styled(format!("{d:<desc_w$} "), theme.text));
            }
        }
        lines.push(Line::from(spans));
    }
    let width = (if two { col_w * 2 } else { col_w }) as u16 + 4;
    let height = per_col as u16 + 2;
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" keys (any key closes) ", theme.title));
    frame.render_widget(Paragraph::new(lines).block(block).style(theme.bar), r);
}
