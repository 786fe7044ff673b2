//! The `?` overlay: every binding of the keymap in use (built-in merged with the user's), so it
//! never drifts from what the keys do, then the filter's forms ([`crate::app::filter_forms`]), an
//! example and what it selects per row. In two columns when one column is too tall for the terminal
//! and two fit its width; scrolled by the app ([`crate::app::help`]) with a hint in its border when
//! it still does not fit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{Action, App, filter_forms};

use super::text::clean;
use super::theme::Theme;

/// One row of the overlay: a binding's keys as written (empty on a description's
/// continuation row), and what the action does, or the part of it that fits.
type Row = (String, String);

/// How the overlay sits in the terminal.
struct Shape {
    /// Key and description widths of each column (one or two).
    columns: Vec<(usize, usize)>,
    /// Rows of bindings (per column).
    rows: usize,
    /// Rows that fit on screen.
    visible: usize,
    /// Width of the overlay with its border.
    width: usize,
}

/// The bindings, each on one row when the widest fits `area`, else with descriptions wrapped
/// at word boundaries onto continuation rows (a narrow terminal cut them).
fn rows(app: &App, area: Rect) -> Vec<Row> {
    let rows: Vec<Row> = app
        .keymap
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        // Keys come from the user's keymap file: made inert like any other text.
        .map(|(a, keys)| (clean(&keys.join(" ")).into_owned(), a.describe().to_owned()))
        .chain(filter_rows(app))
        .collect();
    let (key_w, _) = widths(&rows);
    let room = usize::from(area.width).saturating_sub(width(&[(key_w, 0)]));
    if width(&[widths(&rows)]) <= usize::from(area.width) || room < 8 {
        return rows;
    }
    let mut out = Vec::new();
    for (keys, desc) in rows {
        let mut line = String::new();
        let mut first = Some(keys);
        for word in desc.split(' ') {
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > room {
                out.push((first.take().unwrap_or_default(), std::mem::take(&mut line)));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push((first.take().unwrap_or_default(), line));
    }
    out
}

/// The filter's forms below the bindings: a heading naming the filter key in use, then each
/// example (in the key column) with what it selects.
fn filter_rows(app: &App) -> impl Iterator<Item = Row> {
    let key = app.keymap.key_of(&Action::Filter).map_or("f".into(), clean);
    std::iter::once((String::new(), filter_forms::heading(&key))).chain(
        filter_forms::FORMS
            .iter()
            .map(|(example, what)| ((*example).to_owned(), (*what).to_owned())),
    )
}

/// Widths of a column: the longest keys, the longest description.
fn widths(rows: &[Row]) -> (usize, usize) {
    let key = rows.iter().map(|(k, _)| k.chars().count()).max();
    let desc = rows.iter().map(|(_, d)| d.chars().count()).max();
    (key.unwrap_or(4), desc.unwrap_or(10))
}

/// ` keys description ` per column, the border and a space either side.
fn width(columns: &[(usize, usize)]) -> usize {
    columns.iter().map(|(k, d)| k + d + 3).sum::<usize>() + 4
}

fn shape(area: Rect, rows: &[Row]) -> Shape {
    let room = usize::from(area.height.saturating_sub(2));
    let one = vec![widths(rows)];
    let half = rows.len().div_ceil(2);
    let (left, right) = rows.split_at(half);
    let two = vec![widths(left), widths(right)];
    let (columns, n) = if rows.len() > room && width(&two) <= usize::from(area.width) {
        (two, half)
    } else {
        (one, rows.len())
    };
    Shape {
        width: width(&columns),
        columns,
        rows: n,
        visible: n.min(room),
    }
}

/// Rows of bindings and how many show in `area`: what the app scrolls by
/// ([`Action::HelpFit`]).
pub fn fit(area: Rect, app: &App) -> (u16, u16) {
    let s = shape(area, &rows(app, area));
    let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    (clamp(s.rows), clamp(s.visible))
}

/// Draws the popup centred in `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let bindings = rows(app, area);
    let s = shape(area, &bindings);
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..s.rows {
        let mut spans = Vec::new();
        for (col, &(key_w, desc_w)) in s.columns.iter().enumerate() {
            if let Some((k, d)) = bindings.get(i + col * s.rows) {
                spans.push(Span::styled(format!(" {k:>key_w$} "), theme.key));
                spans.push(Span::styled(format!("{d:<desc_w$} "), theme.text));
            }
        }
        lines.push(Line::from(spans));
    }
    let height = u16::try_from(s.visible + 2).unwrap_or(u16::MAX);
    let width = u16::try_from(s.width).unwrap_or(u16::MAX);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border);
    // The app's scroll may be a resize behind: never past the last row.
    let top = usize::from(app.help.top).min(s.rows.saturating_sub(s.visible));
    if s.rows > s.visible {
        block = block
            .title(Span::styled(
                format!(" keys {}–{} of {} ", top + 1, top + s.visible, s.rows),
                theme.title,
            ))
            .title_bottom(Span::styled(
                scroll_hint(app, usize::from(r.width).saturating_sub(2)),
                theme.key,
            ));
    } else {
        block = block.title(Span::styled(" keys (any key closes) ", theme.title));
    }
    let top = u16::try_from(top).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.bar)
            .scroll((top, 0)),
        r,
    );
}

/// ` j/k pagedown/pageup scroll · any other key closes `, with the keys in use; the paging
/// keys, then the closing words, left out when the border is too narrow for them.
fn scroll_hint(app: &App, room: usize) -> String {
    let pair = |a: Action, b: Action| match (app.keymap.key_of(&a), app.keymap.key_of(&b)) {
        (Some(x), Some(y)) => Some(format!("{}/{}", clean(x), clean(y))),
        (Some(x), None) | (None, Some(x)) => Some(clean(x).into_owned()),
        (None, None) => None,
    };
    let keys: Vec<String> = [
        pair(Action::SelectNext, Action::SelectPrev),
        pair(Action::PageDown, Action::PageUp),
    ]
    .into_iter()
    .flatten()
    .collect();
    if keys.is_empty() {
        return " any key closes ".to_owned();
    }
    [
        format!(" {} scroll · any other key closes ", keys.join(" ")),
        format!(" {} scroll · other keys close ", keys[0]),
        format!(" {} scroll ", keys[0]),
    ]
    .into_iter()
    .find(|h| h.chars().count() <= room)
    .unwrap_or_default()
}
