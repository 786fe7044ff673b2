//! The two header lines: sources with their state (and a gauge while one loads), counters with
//! the auth-failure count and the lines not UTF-8 or cut at the cap, follow state; then the view tabs with the filter, trace filter and
//! search in force. A third line says when debug logging looks off, and how to turn it on.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use crate::app::words::count;
use crate::app::{App, View};
use crate::source::SourceState;

use super::text::{clean, fit};
use super::theme::Theme;

/// What the hint line says when no `do request` line was seen (the long form is
/// `summary::DEBUG_OFF_FIX`).
pub const DEBUG_OFF_HINT: &str = "⚠ BuildKit debug logging looks off: no 'do request' line yet. Turn it on: \
'debug = true' in buildkitd.toml, or 'docker buildx create --buildkitd-flags --debug', or \
\"debug\": true in dockerd's daemon.json.";

/// Draws the header into its rows.
pub fn render(
    frame: &mut Frame,
    header: Rect,
    tabs: Rect,
    hint: Option<Rect>,
    app: &App,
    theme: &Theme,
) {
    let loading = app
        .sources
        .iter()
        .filter_map(|s| s.progress)
        .fold((0u64, 0u64), |(r, t), (a, b)| (r + a, t + b));
    let (left, gauge) = if loading.1 > 0 && header.width > 60 {
        let [l, g] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(24)]).areas(header);
        (l, Some(g))
    } else {
        (header, None)
    };
    frame.render_widget(
        Paragraph::new(first_line(app, theme)).style(theme.bar),
        left,
    );
    if let Some(g) = gauge {
        let ratio = (loading.0 as f64 / loading.1.max(1) as f64).clamp(0.0, 1.0);
        frame.render_widget(
            Gauge::default()
                .gauge_style(theme.gauge)
                .ratio(ratio)
                .label(format!("loading {:.0}%", ratio * 100.0)),
            g,
        );
    }
    frame.render_widget(Paragraph::new(tab_line(app, theme)).style(theme.bar), tabs);
    if let Some(h) = hint {
        frame.render_widget(
            Paragraph::new(Line::styled(DEBUG_OFF_HINT, theme.hint))
                .style(theme.hint)
                .wrap(Wrap { trim: true }),
            h,
        );
    }
}

fn first_line<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(" bkscope ", theme.title)];
    for s in &app.sources {
        let (glyph, word, style) = match &s.state {
            SourceState::Starting => ("◌", "starting".to_owned(), theme.dim),
            SourceState::Loading => ("◐", "loading".to_owned(), theme.accent),
            SourceState::Following => ("●", "following".to_owned(), theme.ok),
            SourceState::Ended(Some(c)) => ("■", format!("ended ({c})"), theme.warning),
            SourceState::Ended(None) => ("■", "ended".to_owned(), theme.dim),
            SourceState::Error(e) => ("✖", format!("error: {}", fit(e, 40)), theme.error),
        };
        spans.push(Span::raw(format!(" {} ", fit(&s.label, 28))));
        spans.push(Span::styled(format!("{glyph} {word} "), style));
    }
    let auth = app.findings.iter().filter(|f| f.kind.is_auth()).count();
    let errors = app.findings.len() - auth;
    spans.push(Span::styled("│", theme.dim));
    spans.push(Span::raw(format!(
        " {}  {} ",
        count(app.model.event_count(), "event", "events"),
        count(app.lines.end(), "line", "lines")
    )));
    let dropped = app.model.evicted_count();
    if dropped > 0 {
        spans.push(Span::styled(
            format!(
                "({} dropped) ",
                count(dropped, "older event", "older events")
            ),
            theme.warning,
        ));
    }
    if app.lines.first() > 0 {
        spans.push(Span::styled(
            format!(
                "({} dropped) ",
                count(app.lines.first(), "older line", "older lines")
            ),
            theme.warning,
        ));
    }
    spans.push(Span::styled(
        format!(" ✖ {auth} auth "),
        if auth > 0 { theme.error } else { theme.dim },
    ));
    spans.push(Span::styled(
        format!(" {} ", count(errors, "error", "errors")),
        if errors > 0 { theme.warning } else { theme.dim },
    ));
    if app.damage.lossy > 0 {
        spans.push(Span::styled(
            format!(" ⚠ {} not UTF-8 ", app.damage.lossy),
            theme.warning,
        ));
    }
    if app.damage.cut > 0 {
        spans.push(Span::styled(
            format!(
                " ⚠ {} cut at {} MiB ",
                app.damage.cut,
                crate::source::lines::MAX_LINE >> 20
            ),
            theme.warning,
        ));
    }
    spans.push(Span::styled("│", theme.dim));
    spans.push(if app.following() {
        Span::styled(" ▶ follow ", theme.ok)
    } else {
        Span::styled(" ‖ paused ", theme.warning)
    });
    Line::from(spans)
}

fn tab_line<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for v in View::ALL {
        let style = if v == app.view {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(format!(" {} ", v.title()), style));
        spans.push(Span::styled("│", theme.dim));
    }
    if app.view == View::Traces
        && let Some(t) = &app.traces.open
    {
        spans.push(Span::styled(
            format!(" waterfall {} ", fit(t, 16)),
            theme.accent,
        ));
    }
    if !app.filter.is_empty() {
        spans.push(Span::styled(" filter: ", theme.dim));
        spans.push(Span::styled(
            clean(app.filter.text()).into_owned(),
            theme.key,
        ));
    }
    if let Some(t) = &app.trace_filter {
        spans.push(Span::styled(" trace: ", theme.dim));
        spans.push(Span::styled(fit(t, 16), theme.key));
    }
    if let Some(re) = &app.search {
        spans.push(Span::styled(" /", theme.dim));
        spans.push(Span::styled(clean(re.as_str()).into_owned(), theme.key));
    }
    if app.view == View::Raw && !app.all_lines {
        spans.push(Span::styled(" registry lines", theme.key));
    }
    // Only the Raw view wraps (the panes always do): the label shows where it does something.
    if app.wrap && app.view == View::Raw {
        spans.push(Span::styled(" wrap", theme.dim));
    }
    Line::from(spans)
}
