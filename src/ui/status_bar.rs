//! The bottom line: the open prompt (`/` search, `f` filter), else the last message, else the
//! keys that matter most. Above it, while a user file is broken, the line that says which.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App, PromptKind};

use super::text::clean;
use super::theme::Theme;

/// Draws the bar into `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = if let Some(p) = &app.prompt {
        let label = match p.kind {
            PromptKind::Search => "/",
            PromptKind::Filter => "filter: ",
        };
        Line::from(vec![
            Span::styled(label, theme.key),
            Span::raw(clean(&p.text).into_owned()),
            Span::styled("█", theme.key),
            Span::styled(
                match p.kind {
                    PromptKind::Search => "   Enter search · Esc cancel · regex, smart case",
                    PromptKind::Filter => {
                        "   Enter apply · Esc cancel · e.g. status>=400 host=ghcr.io level>=info"
                    }
                },
                theme.dim,
            ),
        ])
    } else if let Some(msg) = &app.status {
        Line::raw(clean(msg).into_owned())
    } else {
        hints(app, theme)
    };
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

/// The first broken user file's message (file:line: what), and how many more stderr listed.
pub fn render_problems(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(first) = app.problems.first() else {
        return;
    };
    let more = match app.problems.len() - 1 {
        0 => String::new(),
        n => format!("; {n} more on stderr"),
    };
    let line = Line::styled(
        format!("⚠ {} (using the default){more}", clean(first)),
        theme.warning,
    );
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

fn hints<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
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
            spans.push(Span::styled(format!(" {k}"), theme.key));
            spans.push(Span::raw(format!(" {word} ")));
        }
    }
    Line::from(spans)
}
