//! The builder picker: several buildx builders run, the user picks the one to follow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::Picker;

use super::text::fit;
use super::theme::Theme;

/// Draws the picker centred in `area`.
pub fn render(frame: &mut Frame, area: Rect, p: &Picker, theme: &Theme) {
    let width = p
        .names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(10)
        .max(44) as u16
        + 6;
    let height = p.names.len() as u16 + 4;
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    let mut lines: Vec<Line> = p
        .names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let style = if i == p.cursor {
                theme.selected
            } else {
                theme.text
            };
            Line::styled(format!(" {} ", fit(n, usize::from(width) - 4)), style)
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" j/k ", theme.key),
        Span::raw("move  "),
        Span::styled("Enter ", theme.key),
        Span::raw("follow  "),
        Span::styled("q ", theme.key),
        Span::raw("quit"),
    ]));
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            " several builders run: follow which? ",
            theme.title,
        ));
    frame.render_widget(Paragraph::new(lines).block(block).style(theme.bar), r);
}
