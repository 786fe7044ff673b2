//! A trace's waterfall (Enter on a row of the Traces list, `trace_view.rs`): spans (in the
//! error colour when a request in them failed, with their extent as a bar) and their requests
//! in request order, each with its start after the trace's first request, its duration and
//! its bar on the trace's time axis. A request that waits for its answer is drawn `░` up to
//! the newest time read, its status `…`; one that failed without an answer reads `ERR`, as in
//! the events table. Ids are shown whole, so they can be compared and typed into a filter
//! (`trace=<prefix>`). Durations are as precise as the log: between buildkitd's whole-second
//! timestamps `<1s` or `~2s`, never a `0ms` it cannot know; the trace's first request and its
//! span, the start itself, read START `+0` there. The waterfall's start carries the date when
//! the lines span more than one day, and no milliseconds where the trace's log has whole
//! seconds (`app::clock`). Opened under a filter (`f`) the waterfall keeps every request, the
//! others being the context of those it kept, which it marks [`MATCH`] in the theme's
//! `filter_mark` style and counts in its title. A row the search (`/`) matches has its label
//! in the search match's style, as the Events view has its PATH cell, the selected row too
//! (the match's colours over the selection's, not reversed by it: `Theme::match_on_selected`);
//! a request's first column is left to the filter's mark, so one both kept and found reads
//! `●` then its marked label, and one only found keeps that column blank. Its title counts and times the trace as the list's row does
//! (`trace_view.rs`, `app::trace_facts`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::traces::{WaterfallRow, many_hosts, row_host, start_rows, status_word, waits};
use crate::app::words::{count, offset};
use crate::model::trace::Trace;
use crate::parse::Timestamp;

use super::events_view::severity_style;
use super::text::{between, bytes, fit, fit_host, short_path};
use super::theme::Theme;

/// Draws trace `t`'s waterfall: its title, the START/DUR/axis heading, then its rows.
pub fn render(frame: &mut Frame, area: Rect, app: &App, t: &Trace, theme: &Theme) {
    let now = app.lines.last_time();
    let rows = app.waterfall_of(t);
    // Its first request and span read `+0`, not `+<1s` (`words::offset`).
    let starts = start_rows(&app.model, t, &rows);
    // Each request's host on its row when the trace went to more than one (`app::traces`).
    let many = many_hosts(&app.model, t);
    let facts = app.trace_facts(t);
    let (start, end) = facts.extent;
    // Half the width, at most 60 columns, but as wide as the longest span name needs
    // (`resolving docker.io/library/node:20` with its id and counts) where the bars keep
    // BAR_MIN cells.
    const BAR_MIN: usize = 24;
    let half = usize::from(area.width / 2);
    let room = usize::from(area.width).saturating_sub(1 + 2 * (TIME_W + 1) + BAR_MIN);
    let spans_w = rows
        .iter()
        .filter_map(|r| match r {
            WaterfallRow::Span {
                id,
                name,
                events,
                failed,
                ..
            } => Some(span_label(
                id,
                name.as_deref(),
                *events,
                *failed,
                usize::MAX,
            )),
            WaterfallRow::Event(_) => None,
        })
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = half.clamp(20, 60).max(spans_w.min(room));
    // START and DUR columns, then the bars.
    let bar_w = usize::from(area.width)
        .saturating_sub(label_w + 1 + 2 * (TIME_W + 1))
        .max(1);
    let total = start
        .zip(end)
        .map(|(a, b)| between(a, b))
        .unwrap_or_default();
    let scale = Scale {
        start,
        span_ns: start.zip(end).map_or(1, |(a, b)| (b.0 - a.0).max(1)),
        width: bar_w,
    };
    let failed_spans = rows
        .iter()
        .filter(|r| matches!(r, WaterfallRow::Span { failed, .. } if *failed > 0))
        .count();
    let title = format!("trace {} ", fit(&t.trace_id, 64));
    // Under a filter every request is drawn and those it keeps are marked: how many of all,
    // first, so a narrow terminal cuts the other counts rather than this.
    let marks = app.requests_matching(t);
    let requests = count(facts.requests, "request", "requests");
    let (legend, requests) = match &marks {
        Some(m) => (
            MATCH.to_string(),
            format!(
                " {} of {requests} match filter '{}'",
                m.len(),
                fit(app.filter.text(), 32)
            ),
        ),
        None => (String::new(), requests),
    };
    let mut stats = format!(
        "{}, {}, {} failed{}, {}",
        requests,
        count(facts.spans, "span", "spans"),
        facts.failed,
        if failed_spans > 0 {
            format!(" in {}", count(failed_spans, "span", "spans"))
        } else {
            String::new()
        },
        facts.duration()
    );
    // The key hint only where it fits whole (the status bar has the keys too).
    const HINT: &str = "  (Esc: back, t: only this trace)";
    let used = title.chars().count()
        + legend.chars().count()
        + stats.chars().count()
        + HINT.chars().count();
    if used <= usize::from(area.width) {
        stats.push_str(HINT);
    }
    // The axis starts at the trace's first time, dated as the other time columns are.
    let axis_start = start
        .map(|f| app.time_format().format_to(f, app.trace_has_millis(t)))
        .unwrap_or_default();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(title, theme.title),
            Span::styled(legend, theme.filter_mark),
            Span::styled(stats, theme.dim),
        ]),
        Line::styled(
            format!(
                "{:label_w$} {:>TIME_W$} {:>TIME_W$} {}{:>w$}",
                "",
                "START",
                "DUR",
                axis_start,
                format!("+{total}"),
                w = bar_w.saturating_sub(axis_start.chars().count())
            ),
            theme.table_header,
        ),
    ];
    let body = usize::from(area.height.saturating_sub(2));
    let cursor = app.traces.wf_cursor;
    let offset = cursor.visible_offset(rows.len(), body);
    for (i, row) in rows.iter().enumerate().skip(offset).take(body) {
        // A row the search matches: its label in the search match's style, as the Events
        // view marks its PATH cell, on the selected row too (over the selection, never
        // reversed with it); a request's first column stays the filter's [`MATCH`].
        let selected = i == cursor.selected;
        let found = |style: Style| {
            if !app.waterfall_row_matches(row) {
                style
            } else if selected {
                style.patch(theme.match_on_selected())
            } else {
                style.patch(theme.search_match)
            }
        };
        let mut line = match row {
            WaterfallRow::Span {
                id,
                name,
                events,
                failed,
                extent,
            } => {
                let label = span_label(id, name.as_deref(), *events, *failed, label_w);
                let style = if *failed > 0 {
                    theme.error
                } else {
                    theme.accent
                };
                Line::from(vec![
                    Span::styled(format!("{:label_w$}", fit(&label, label_w)), found(style)),
                    Span::styled(" ", style),
                    Span::styled(
                        times(start, extent.0, *extent, starts.contains(&i)),
                        theme.dim,
                    ),
                    Span::styled(scale.bar(*extent, '▬', ' '), style),
                ])
            }
            WaterfallRow::Event(id) => {
                let Some(ev) = app.model.event(*id) else {
                    continue;
                };
                let style = severity_style(app.severity(ev), theme);
                // Without a url (BuildKit >= v0.16 inside its spans) the size tells one blob
                // of a span from the next.
                let size = match (&ev.url, ev.bytes()) {
                    (None, Some(b)) => format!(" {}", bytes(b)),
                    _ => String::new(),
                };
                // No method logged (a response whose request line was not read): `-`, as
                // the Events view's METH; `?` marks an inferred host here.
                let label = request_label(
                    ev.method.as_deref().unwrap_or("-"),
                    row_host(&app.model, ev, many).as_deref(),
                    &ev.url
                        .as_deref()
                        .map_or_else(|| ev.kind.as_str().to_owned(), short_path),
                    &format!("{}{size}", status_word(ev)),
                    label_w,
                );
                let waiting = waits(ev);
                let extent = (
                    ev.started.or(ev.finished),
                    if waiting {
                        now.max(ev.started)
                    } else {
                        ev.finished.or(ev.started)
                    },
                );
                let label = format!("{:label_w$}", fit(&label, label_w));
                // A request the filter keeps: its mark in the label's blank first column.
                let marked = marks.as_ref().is_some_and(|m| m.binary_search(id).is_ok());
                let (mark, label) = match label.strip_prefix(' ') {
                    Some(rest) if marked => {
                        (Span::styled(MATCH.to_string(), theme.filter_mark), rest)
                    }
                    Some(rest) => (Span::styled(" ", style), rest),
                    None => (Span::raw(""), label.as_str()),
                };
                Line::from(vec![
                    mark,
                    Span::styled(label.to_owned(), found(style)),
                    Span::styled(" ", style),
                    // The bar starts at the answer when no request was logged (a response
                    // whose `do request` is not in the log); the DUR needs both ends, as the
                    // Events view's does, so it is blank there.
                    Span::styled(
                        times(start, extent.0, (ev.started, extent.1), starts.contains(&i)),
                        theme.dim,
                    ),
                    Span::styled(
                        scale.bar(extent, if waiting { '░' } else { '█' }, '·'),
                        if ev.failed() {
                            theme.spark_error
                        } else {
                            theme.spark
                        },
                    ),
                ])
            }
        };
        if selected {
            line = line.style(theme.selected);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// In front of a request the filter keeps, in a waterfall opened under one (and before the
/// count of them in its title): in the theme's `filter_mark` style, so it is not taken for a
/// search match.
pub const MATCH: char = '●';

/// Width of the START and DUR columns (`+1m05s`, `12.3s`).
const TIME_W: usize = 7;

/// A request's row label, `width` characters at most: `  HEAD 127.0.0.1:5011 library/alpine/
/// manifests/latest 429`. The host (when the row names one) is cut as the other host columns
/// (`fit_host`, keeping its port) to a third of the label, the path then to what is left, so
/// the status is never cut off; each part made inert.
fn request_label(
    method: &str,
    host: Option<&str>,
    what: &str,
    status: &str,
    width: usize,
) -> String {
    let head = format!("  {} ", fit(method, 8));
    let host = host
        .map(|h| {
            let w = h.chars().count().min((width / 3).max(10));
            format!("{} ", fit_host(h, w))
        })
        .unwrap_or_default();
    let tail = format!(" {}", fit(status, 16));
    let used = head.chars().count() + host.chars().count() + tail.chars().count();
    let what = fit(what, width.saturating_sub(used).max(1));
    fit(&format!("{head}{host}{what}{tail}"), width)
}

/// A span's row label, `width` characters at most: `▾ span 5b1c2d3e4f5a6b7c resolving
/// docker.io/library/node:20 (3, 1 failed)`. A name too long is cut before the counts, so a `…`
/// is the name's; where not even a few of its characters would fit beside them the counts go
/// (the row's colour still says it failed) and the name takes their room. Each part inert.
fn span_label(id: &str, name: Option<&str>, events: usize, failed: usize, width: usize) -> String {
    /// The fewest characters of a name worth keeping the counts beside.
    const NAME_MIN: usize = 10;
    let head = format!(
        "▾ span {} ",
        fit(if id.is_empty() { "(none)" } else { id }, 32)
    );
    let tail = match failed {
        0 => format!("({events})"),
        f => format!("({events}, {f} failed)"),
    };
    let Some(name) = name else {
        return fit(&format!("{head}{tail}"), width);
    };
    let (head_w, tail_w) = (head.chars().count(), tail.chars().count());
    let whole = fit(name, usize::MAX);
    if head_w + whole.chars().count() + 1 + tail_w <= width {
        return format!("{head}{whole} {tail}");
    }
    match width.checked_sub(head_w + 1 + tail_w) {
        Some(room) if room >= NAME_MIN => format!("{head}{} {tail}", fit(name, room)),
        _ => fit(&format!("{head}{whole}"), width),
    }
}

/// The START cell (`at`, from the trace's first request; `+0` on the row that is the start,
/// `is_start`) and the DUR cell (between the two ends of `dur`, blank without both).
fn times(
    start: Option<Timestamp>,
    at: Option<Timestamp>,
    (a, b): (Option<Timestamp>, Option<Timestamp>),
    is_start: bool,
) -> String {
    let off = start
        .zip(at)
        .map(|(s, a)| offset(s, a, is_start))
        .unwrap_or_default();
    let dur = a.zip(b).map(|(a, b)| between(a, b)).unwrap_or_default();
    format!("{off:>TIME_W$} {dur:>TIME_W$} ")
}

/// The trace's time axis mapped onto `width` cells.
struct Scale {
    start: Option<Timestamp>,
    span_ns: i64,
    width: usize,
}

impl Scale {
    fn cell(&self, ts: Option<Timestamp>) -> usize {
        ts.zip(self.start).map_or(0, |(x, f)| {
            usize::try_from(i128::from(x.0 - f.0) * self.width as i128 / i128::from(self.span_ns))
                .unwrap_or(0)
                .min(self.width - 1)
        })
    }

    /// `on` over the extent, `off` elsewhere.
    fn bar(&self, (a, b): (Option<Timestamp>, Option<Timestamp>), on: char, off: char) -> String {
        let x = self.cell(a.or(b));
        let y = self.cell(b.or(a)).max(x);
        (0..self.width)
            .map(|c| if c >= x && c <= y { on } else { off })
            .collect()
    }
}
