//! The bottom line: the open prompt (`/` search, `f` filter; why Enter could not apply its
//! text, when it could not), else the last message (until the next
//! key: `app::Status`), else the keys that matter most. Above it, while a user file is broken, the
//! line that says which.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App, Prompt, PromptKind};

use super::text::{clean, fit_cols};
use super::theme::Theme;

/// Draws the bar into `area`; while a prompt is open the terminal's cursor is put where its
/// cursor is.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = if let Some(p) = &app.prompt {
        let (line, x) = prompt_line(p, area.width, theme);
        if area.width > 0 && area.height > 0 {
            frame.set_cursor_position((area.x + x.min(area.width - 1), area.y));
        }
        line
    } else if let Some(msg) = app.status_message_within(usize::from(area.width)) {
        Line::raw(fit_cols(&msg, usize::from(area.width)))
    } else {
        hints(app, theme, usize::from(area.width))
    };
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

/// What stands between the prompt's text and why Enter could not apply it.
const ERROR_MARK: &str = "  ✖ ";

/// The prompt as a line `width` cells wide, and the column of its cursor. The text before the
/// cursor is cut from the left (`…`) when it would push the cursor off the bar.
fn prompt_line<'a>(p: &Prompt, width: u16, theme: &Theme) -> (Line<'a>, u16) {
    let label = match p.kind {
        PromptKind::Search => "/",
        PromptKind::Filter => "filter: ",
    };
    // Each side made inert on its own: an escape shown as `\x1b` stays whole on one side.
    let before = clean(p.line.before()).into_owned();
    let after = clean(p.line.after()).into_owned();
    let room = usize::from(width)
        .saturating_sub(Span::raw(label).width())
        .saturating_sub(1);
    let before = if Span::raw(before.as_str()).width() > room {
        let mut cut = before.as_str();
        while Span::raw(cut).width() + 1 > room && !cut.is_empty() {
            let next = cut.chars().next().map_or(0, char::len_utf8);
            cut = &cut[next..];
        }
        format!("…{cut}")
    } else {
        before
    };
    let x = Span::raw(label).width() + Span::raw(before.as_str()).width();
    let hint = match p.kind {
        PromptKind::Search => "   Enter search · Esc cancel · ↑ earlier · regex, smart case",
        PromptKind::Filter => {
            "   Enter apply · Esc cancel · ↑ earlier · e.g. status>=400 host=ghcr.io level>=info"
        }
    };
    // Why the last Enter could not apply the text, in place of the hint: the long form where
    // it fits, else the short, cut at the edge.
    let tail = match p.error() {
        Some((long, short)) => {
            let used = x + Span::raw(after.as_str()).width() + Span::raw(ERROR_MARK).width();
            let room = usize::from(width).saturating_sub(used);
            let why = if crate::app::wrap::width(long) <= room {
                long
            } else {
                short
            };
            Span::styled(format!("{ERROR_MARK}{}", fit_cols(why, room)), theme.error)
        }
        None => Span::styled(hint, theme.dim),
    };
    let line = Line::from(vec![
        Span::styled(label, theme.key),
        Span::raw(before),
        Span::raw(after),
        tail,
    ]);
    (line, u16::try_from(x).unwrap_or(u16::MAX))
}

/// The first broken user file's message (file:line: what, and what is done about it, worded as
/// stderr words it: [`crate::cli::problems`]); with more, how many first (`⚠ 1 of 3, all on
/// stderr: …`), so a narrow bar cuts the message (with `…`), never the count.
pub fn render_problems(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(first) = app.problems.first() else {
        return;
    };
    let head = match app.problems.len() {
        1 => "⚠ ".to_owned(),
        n => format!("⚠ 1 of {n}, all on stderr: "),
    };
    let room = usize::from(area.width).saturating_sub(Span::raw(head.as_str()).width());
    let line = Line::styled(format!("{head}{}", fit_cols(first, room)), theme.warning);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

/// The key hints that fit in `width` columns, each whole (the last ones give way).
fn hints<'a>(app: &App, theme: &Theme, width: usize) -> Line<'a> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (a, word) in [
        (Action::Help, "help"),
        (Action::Search, "search"),
        (Action::Filter, "filter"),
        (Action::NextError, "next error"),
        (Action::FilterTrace, "trace"),
        (Action::ToggleDiagnosis, "kb"),
        (Action::Export, "export"),
        (Action::ToggleFollow, "follow"),
        (Action::Quit, "quit"),
    ] {
        if let Some(k) = app.keymap.key_of(&a) {
            let key = Span::styled(format!(" {k}"), theme.key);
            let word = Span::raw(format!(" {word}"));
            // The trailing space may fall off the edge; the words may not.
            if used + key.width() + word.width() > width {
                break;
            }
            used += key.width() + word.width() + 1;
            spans.extend([key, word, Span::raw(" ")]);
        }
    }
    Line::from(spans)
}
