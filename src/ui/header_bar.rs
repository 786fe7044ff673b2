//! The two header lines: sources with their state (and a gauge while one loads), counters with
//! the auth-failure and error totals (over everything read, as `summary` counts them, the
//! findings of events `--max-events` dropped too) and the lines not UTF-8 or cut at the cap,
//! the view's follow state;
//! then the view tabs with the filter, trace filter and search in force. A third line says when
//! debug logging looks off, and how to turn it on (or that the input is the docker CLI's error).
//!
//! The first line is laid out by priority for its width, never cut by the terminal's edge: the
//! follow state (`▶ follow tail` / `‖ paused`, the view's) and the auth/error counters always
//! show; then the damage warnings, the event and line counts (the events alone where both do
//! not fit), the sources' state glyphs (`■`, `● 20 ✖ 1`) and what the caps dropped; then
//! the sources in the room left (`● live`: read as it grows), their names and error messages
//! cut to share it, or, when several do not fit, summarised (`3 sources: ● 2 live, ✖ 1
//! error`); the title last.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use crate::app::words::count;
use crate::app::{App, View};
use crate::source::SourceState;

use crate::app::wrap;

use super::text::{clean, fit, fit_cols};
use super::theme::Theme;

/// What the hint line says when no `do request` line was seen (the long form is
/// `summary::DEBUG_OFF_FIX`).
pub const DEBUG_OFF_HINT: &str = "⚠ BuildKit debug logging looks off: no 'do request' line yet. Turn it on: \
'debug = true' in buildkitd.toml, or 'docker buildx create --buildkitd-flags --debug', or \
\"debug\": true in dockerd's daemon.json.";

/// What the hint line says, as `summary`'s input hints judge the input
/// (`model::summary::input_hints`): lines but no registry request or response, and either 20
/// of them (a live log that has said that much would have shown one) or every source's
/// history read (a one-line client error saved from CI gets it too). The docker CLI's error
/// in place of the log says so instead: debug logging is not the reason.
pub fn input_hint(app: &App) -> Option<Cow<'static, str>> {
    let c = app.model.counts();
    if c.lines == 0 || c.requests > 0 || c.responses > 0 {
        return None;
    }
    let read = !app.sources.is_empty()
        && app
            .sources
            .iter()
            .all(|s| !matches!(s.state, SourceState::Starting | SourceState::Loading));
    if c.lines < 20 && !read {
        return None;
    }
    let not_utf8 = app.damage.lossy;
    Some(match app.model.docker_error() {
        Some(d) => Cow::Owned(format!(
            "⚠ line {}: the input is the docker CLI's error, not a daemon log: {}",
            d.line, d.fix
        )),
        None if crate::model::summary::not_text(c.lines, not_utf8) => Cow::Owned(format!(
            "⚠ {}",
            crate::model::summary::not_text_fix(c.lines, not_utf8)
        )),
        None => Cow::Borrowed(DEBUG_OFF_HINT),
    })
}

/// How many rows the hint `text` takes on a screen of `size`: all it needs to be read
/// whole (three at 80 columns, where two cut off the daemon.json fix), at most 4 and a quarter
/// of the height, so the list keeps its room on a short terminal.
pub fn hint_rows(size: Rect, text: &str) -> u16 {
    let needed = Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .line_count(size.width.max(1));
    u16::try_from(needed)
        .unwrap_or(u16::MAX)
        .min(4)
        .min(size.height / 4)
}

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
        Paragraph::new(first_line(app, theme, usize::from(left.width))).style(theme.bar),
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
    frame.render_widget(
        Paragraph::new(tab_line(app, theme, tabs.width)).style(theme.bar),
        tabs,
    );
    if let Some(h) = hint
        && let Some(text) = input_hint(app)
    {
        frame.render_widget(
            Paragraph::new(Line::styled(clean(&text).into_owned(), theme.hint))
                .style(theme.hint)
                .wrap(Wrap { trim: true }),
            h,
        );
    }
}

/// A piece of the first line and the columns it takes.
struct Part<'a> {
    spans: Vec<Span<'a>>,
    width: usize,
}

impl<'a> Part<'a> {
    fn new(spans: Vec<Span<'a>>) -> Part<'a> {
        let width = spans.iter().map(Span::width).sum();
        Part { spans, width }
    }

    fn empty() -> Part<'a> {
        Part::new(Vec::new())
    }
}

/// The first of `options` that fits in `room` (which it then takes), or an empty part.
fn take<'a>(room: &mut usize, options: impl IntoIterator<Item = Part<'a>>) -> Part<'a> {
    for p in options {
        if p.width <= *room {
            *room -= p.width;
            return p;
        }
    }
    Part::empty()
}

/// The first line, laid out for `width` columns by priority: the follow state and the
/// auth/error counters always; then the damage warnings, the event and line counts and what
/// was dropped, each as it fits; then the sources in the room left (names cut to share it, or
/// summarised as `3 sources: 2 live, 1 error`); the title last.
fn first_line<'a>(app: &App, theme: &Theme, width: usize) -> Line<'a> {
    // The view's state, not the sources': `▶ follow tail` keeps the newest row selected.
    let follow = Part::new(vec![if app.following() {
        Span::styled(" ▶ follow tail ", theme.ok)
    } else {
        Span::styled(" ‖ paused ", theme.warning)
    }]);
    // Totals over everything read, as `summary` counts them: past `--max-events` the
    // findings of dropped events are no longer in `app.findings`, but they were found.
    let (auth, errors) = (app.finding_totals.auth, app.finding_totals.errors);
    let counters = Part::new(vec![
        Span::styled(
            format!(" ✖ {auth} auth "),
            if auth > 0 { theme.error } else { theme.dim },
        ),
        Span::styled(
            format!(" {} ", count(errors, "error", "errors")),
            if errors > 0 { theme.warning } else { theme.dim },
        ),
    ]);
    let sep = || Span::styled("│", theme.dim);
    let mut room = width.saturating_sub(follow.width + counters.width + 2);

    let mut damage = Vec::new();
    if app.damage.lossy > 0 {
        damage.push(Span::styled(
            format!(" ⚠ {} not UTF-8 ", app.damage.lossy),
            theme.warning,
        ));
    }
    if app.damage.cut > 0 {
        damage.push(Span::styled(
            format!(
                " ⚠ {} cut at {} MiB ",
                app.damage.cut,
                crate::source::lines::MAX_LINE >> 20
            ),
            theme.warning,
        ));
    }
    let damage = take(&mut room, [Part::new(damage)]);
    // The events alone where both counts do not fit (45–50 columns), before the title; the
    // sources' state glyphs (` ■ `: a stdin that ended, at 60 columns) kept room for after
    // the events, taken back below for the sources.
    let events = count(app.model.event_count(), "event", "events");
    let long = Part::new(vec![Span::raw(format!(
        " {events}  {} ",
        count(app.lines.end(), "line", "lines")
    ))]);
    let short = Part::new(vec![Span::raw(format!(" {events} "))]);
    let glyphs = glyphs_part(app, theme).width;
    let (counts, reserved) = if long.width + glyphs <= room {
        (long, glyphs)
    } else if short.width + glyphs <= room {
        (short, glyphs)
    } else if short.width <= room {
        (short, 0)
    } else {
        (Part::empty(), glyphs.min(room))
    };
    room -= counts.width + reserved;
    let dropped = take(&mut room, dropped_parts(app, theme));
    // The sources' state glyphs were kept room for (taken back below): at 60 columns a
    // stdin that ended still shows `■`.
    room += reserved;
    let sources = sources_part(app, theme, room);
    room -= sources.width.min(room);
    let title = take(
        &mut room,
        [Part::new(vec![Span::styled(" bkscope ", theme.title)])],
    );

    let mut spans = title.spans;
    spans.extend(sources.spans);
    if !spans.is_empty() {
        spans.push(sep());
    }
    spans.extend(counts.spans);
    spans.extend(dropped.spans);
    spans.extend(counters.spans);
    spans.extend(damage.spans);
    spans.push(sep());
    spans.extend(follow.spans);
    Line::from(spans)
}

/// What the caps dropped, long then short; the first that fits is shown.
fn dropped_parts<'a>(app: &App, theme: &Theme) -> [Part<'a>; 2] {
    let (events, lines) = (app.model.evicted_count(), app.lines.first());
    let part = |older: &str| {
        let mut spans = Vec::new();
        if events > 0 {
            spans.push(Span::styled(
                format!(
                    "({} dropped) ",
                    count(events, &format!("{older}event"), &format!("{older}events"))
                ),
                theme.warning,
            ));
        }
        if lines > 0 {
            spans.push(Span::styled(
                format!(
                    "({} dropped) ",
                    count(lines, &format!("{older}line"), &format!("{older}lines"))
                ),
                theme.warning,
            ));
        }
        Part::new(spans)
    };
    [part("older "), part("")]
}

/// A source as the header names it: its label, and its state's glyph, word and detail (an
/// error's message, which may be cut; an exit code).
struct Shown<'s> {
    label: &'s str,
    glyph: &'static str,
    word: &'static str,
    code: String,
    message: Cow<'s, str>,
    /// Why its content last started again (`truncated`), for the several-source summary.
    seam: Option<&'s str>,
    style: ratatui::style::Style,
}

impl Shown<'_> {
    /// The columns it takes besides its label and message.
    fn fixed(&self) -> usize {
        // " label " + "glyph word code" + message + " "
        2 + Span::raw(self.glyph).width() + 1 + self.word.len() + self.code.len() + 1
    }

    fn spans<'a>(&self, label: usize, message: usize) -> Vec<Span<'a>> {
        let mut spans = Vec::new();
        if label > 0 {
            spans.push(Span::raw(format!(" {} ", fit_cols(self.label, label))));
        } else {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(
            format!(
                "{} {}{}{} ",
                self.glyph,
                self.word,
                self.code,
                fit_cols(&self.message, message)
            ),
            self.style,
        ));
        spans
    }
}

/// ` (truncated at line 1234)`: where the source's content last started again, said for as
/// long as it is read (the status message is gone at the next key); empty when it never did.
/// A message, so cut before the source's name and state give way.
fn seam(s: &crate::app::SourceInfo) -> Cow<'_, str> {
    match &s.reset {
        Some((why, first)) => Cow::Owned(format!(" ({} at line {first})", clean(why))),
        None => Cow::Borrowed(""),
    }
}

fn shown<'s>(s: &'s crate::app::SourceInfo, theme: &Theme) -> Shown<'s> {
    let (glyph, word, code, message, style) = match &s.state {
        SourceState::Starting => ("◌", "starting", String::new(), "".into(), theme.dim),
        SourceState::Loading => ("◐", "loading", String::new(), seam(s), theme.accent),
        // The source is read as it grows (a file tailed, `docker logs -f`); whether the view
        // sticks to the newest row is the follow state at the end of the line.
        SourceState::Following => ("●", "live", String::new(), seam(s), theme.ok),
        SourceState::Ended(Some(c)) => ("■", "ended", format!(" ({c})"), "".into(), theme.warning),
        SourceState::Ended(None) => ("■", "ended", String::new(), "".into(), theme.dim),
        SourceState::Error(e) => (
            "✖",
            "error: ",
            String::new(),
            e.as_str().into(),
            theme.error,
        ),
        // A rotation's gap or a file not created yet: watched, no failure (a review: a routine
        // `mv` rotation showed the error glyph and colour).
        SourceState::Waiting(e) => (
            "◌",
            "waiting: ",
            String::new(),
            e.as_str().into(),
            theme.warning,
        ),
    };
    Shown {
        label: &s.label,
        glyph,
        word,
        code,
        message,
        seam: s.reset.as_ref().map(|(why, _)| why.as_str()),
        style,
    }
}

/// Labels and error messages are cut no shorter than this (or their length) before several
/// sources are summarised instead.
const MIN_CUT: usize = 12;

/// The sources in at most `room` columns: each in full; else the longest names and messages
/// cut to share the room; else (several sources) a summary, `3 sources: ● 2 live, ✖ 1 error`; else
/// (one source) its state without its name.
fn sources_part<'a>(app: &App, theme: &Theme, room: usize) -> Part<'a> {
    let shown: Vec<Shown> = app.sources.iter().map(|s| shown(s, theme)).collect();
    if shown.is_empty() {
        return Part::empty();
    }
    let fixed: usize = shown.iter().map(Shown::fixed).sum();
    let mut wants = Vec::new();
    for s in &shown {
        wants.push(wrap::width(&clean(s.label)));
        wants.push(wrap::width(&clean(&s.message)));
    }
    if let Some(cols) = room
        .checked_sub(fixed)
        .and_then(|left| share(&wants, MIN_CUT, left))
    {
        let spans = shown
            .iter()
            .zip(cols.chunks(2))
            .flat_map(|(s, c)| s.spans(c[0], c[1]))
            .collect();
        return Part::new(spans);
    }
    if let [one] = shown.as_slice() {
        // Its state matters more than its name.
        let bare = one.fixed() - 1;
        let message = room.saturating_sub(bare);
        let p = Part::new(one.spans(0, message));
        if p.width <= room {
            return p;
        }
    } else if let Some(p) = summaries(&shown).into_iter().find(|p| p.width <= room) {
        return p;
    }
    let p = glyphs_part(app, theme);
    if p.width <= room { p } else { Part::empty() }
}

/// The sources' states at their shortest, the glyphs in their colours (` ■ `, ` ● 20 ✖ 1 `):
/// what the first line keeps room for before the counts.
fn glyphs_part<'a>(app: &App, theme: &Theme) -> Part<'a> {
    let shown: Vec<Shown> = app.sources.iter().map(|s| shown(s, theme)).collect();
    match shown.as_slice() {
        [] => return Part::empty(),
        [one] => return Part::new(vec![Span::styled(format!(" {} ", one.glyph), one.style)]),
        _ => {}
    }
    let mut tally: Vec<(&str, ratatui::style::Style, usize)> = Vec::new();
    for s in &shown {
        match tally.iter_mut().find(|t| t.0 == s.glyph) {
            Some(t) => t.2 += 1,
            None => tally.push((s.glyph, s.style, 1)),
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (glyph, style, n) in tally {
        spans.push(Span::styled(format!("{glyph} {n} "), style));
    }
    Part::new(spans)
}

/// `3 sources: ● 2 live, ✖ 1 error`, then without the words (`3 sources: ● 2 ✖ 1`, the
/// glyphs in their states' colours), then `3 sources`.
fn summaries<'a>(shown: &[Shown]) -> [Part<'a>; 3] {
    // Each state once, in the order the sources first show it, with its glyph and colour.
    let mut tally: Vec<(&str, &str, ratatui::style::Style, usize)> = Vec::new();
    for s in shown {
        let word = s.word.trim_end_matches([':', ' ']);
        match tally.iter_mut().find(|t| t.0 == word) {
            Some(t) => t.3 += 1,
            None => tally.push((word, s.glyph, s.style, 1)),
        }
    }
    let head = format!(" {} sources: ", shown.len());
    let mut long = vec![Span::raw(head.clone())];
    let mut short = vec![Span::raw(head)];
    for (i, (word, glyph, style, n)) in tally.iter().enumerate() {
        let comma = if i + 1 < tally.len() { "," } else { "" };
        long.push(Span::styled(format!("{glyph} {n} {word}{comma} "), *style));
        short.push(Span::styled(format!("{glyph} {n} "), *style));
    }
    // Content that started again stays said: `(1 truncated)`, `(2 started again)` when the
    // reasons differ.
    let seams: Vec<&str> = shown.iter().filter_map(|s| s.seam).collect();
    if let Some(first) = seams.first() {
        let why = if seams.iter().all(|w| w == first) {
            clean(first).into_owned()
        } else {
            "started again".to_owned()
        };
        long.push(Span::raw(format!("({} {why}) ", seams.len())));
    }
    [
        Part::new(long),
        Part::new(short),
        Part::new(vec![Span::raw(format!(" {} sources ", shown.len()))]),
    ]
}

/// Widths for strings wanting `wants` columns in `room` columns in all: each kept whole when
/// they all fit, else the longest cut first, none below `min` (or its own width); `None`
/// when even that does not fit.
fn share(wants: &[usize], min: usize, room: usize) -> Option<Vec<usize>> {
    let floor: usize = wants.iter().map(|&w| w.min(min)).sum();
    if floor > room {
        return None;
    }
    let mut cols = wants.to_vec();
    let mut over = cols.iter().sum::<usize>().saturating_sub(room);
    while over > 0 {
        // Cut the widest down towards the next widest, at least one column at a time.
        let Some((i, &top)) = cols.iter().enumerate().max_by_key(|(_, w)| **w) else {
            break;
        };
        let next = cols
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, &w)| w)
            .max()
            .unwrap_or(0)
            .max(min.min(wants[i]));
        let cut = (top - next).max(1).min(over);
        cols[i] -= cut;
        over -= cut;
    }
    Some(cols)
}

/// The tab line `width` cells wide: trace ids whole where the line fits them, else their
/// first 16 characters (a review saw `trace: 0f1e2d3c4b5a697…` with 100 free columns).
fn tab_line<'a>(app: &App, theme: &Theme, width: u16) -> Line<'a> {
    let whole = tab_line_with(app, theme, TRACE_ID_WHOLE);
    if whole.width() <= usize::from(width) {
        return whole;
    }
    tab_line_with(app, theme, 16)
}

/// Longer than any trace or span id BuildKit writes (32 and 16 hex digits).
const TRACE_ID_WHOLE: usize = 64;

fn tab_line_with<'a>(app: &App, theme: &Theme, id_width: usize) -> Line<'a> {
    let mut spans = Vec::new();
    for v in View::ALL {
        let style = if v == app.view {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(
            format!(" {} ", v.tab_title(app.short_tabs())),
            style,
        ));
        spans.push(Span::styled("│", theme.dim));
    }
    let tabs_end = spans.len();
    if app.view == View::Traces
        && let Some(t) = &app.traces.open
    {
        spans.push(Span::styled(
            format!(" waterfall {} ", fit(t, id_width)),
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
        spans.push(Span::styled(fit(t, id_width), theme.key));
    }
    if let Some(re) = &app.search {
        spans.push(Span::styled(" /", theme.dim));
        spans.push(Span::styled(clean(re.as_str()).into_owned(), theme.key));
    }
    if app.view == View::Raw && !app.all_lines {
        // Set apart from a filter's text, which it would read as part of.
        spans.push(Span::styled(" · ", theme.dim));
        spans.push(Span::styled("registry lines only", theme.key));
    }
    // Only the Raw view wraps (the panes always do): the label shows where it does something.
    if app.wrap && app.view == View::Raw {
        spans.push(Span::styled(" wrap", theme.dim));
    }
    // Scrolled sideways: from which column the cut lines show.
    if !app.wrap && app.view == View::Raw && app.raw_col > 0 {
        spans.push(Span::styled(format!(" → col {}", app.raw_col), theme.key));
    }
    // The legend of the lines' `10:` prefix: the selected line's file.
    if let Some((n, label)) = app.selected_line_source() {
        let bar = if spans.len() > tabs_end { " │ " } else { " " };
        spans.push(Span::styled(bar, theme.dim));
        spans.push(Span::styled(format!("{n}:"), theme.key));
        spans.push(Span::styled(format!(" {}", clean(label)), theme.text));
    }
    Line::from(spans)
}
