//! The detail pane: one request and its response — what was asked, who answered and why we
//! think so, the auth challenge, the error, both header lists, and the raw lines it was built
//! from (redacted). In the Raw view, a line without an event shows the line itself; on a
//! waterfall's span row, the span (`span_detail.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::app::route;
use crate::app::scroll::{Extent, Pane};
use crate::app::traces::WaterfallPick;
use crate::app::{App, View};
use crate::model::fetch::FetchEvent;
use crate::model::{Header, recovering_host};

use super::events_view::severity_style;
use super::text::{between, bytes, clean, source_label};
use super::theme::Theme;

/// Draws the pane into `area`; returns how tall its content is (its scroll stops there).
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Extent {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border)
        .title(Span::styled(" Detail ", theme.title));
    let waterfall = app.view == View::Traces && app.traces.open.is_some();
    let lines = if waterfall {
        // The waterfall built once: its row is a request or a span.
        match app.waterfall_pick() {
            Some(WaterfallPick::Event(ev)) => event_lines(app, ev, theme),
            Some(WaterfallPick::Span(span, ids)) => {
                super::span_detail::lines(app, &span, &ids, theme)
            }
            None => vec![Line::styled("nothing selected", theme.dim)],
        }
    } else {
        match app.selected_event() {
            Some(ev) => event_lines(app, ev, theme),
            None => match app.selected_line() {
                Some(l) if app.view == View::Raw => {
                    let mut out = vec![Line::styled(
                        format!("line {} of {}", l.number, source_label(app, l.source)),
                        theme.dim,
                    )];
                    if let Some(f) = app.finding_of_line(l.source, l.number) {
                        out.push(finding_line(app, f, theme));
                    }
                    out.push(Line::raw(clean(&l.text()).into_owned()));
                    out
                }
                _ if app.view == View::Events && app.events.rows.is_empty() => {
                    empty_events_lines(app, theme)
                }
                _ => vec![Line::styled("nothing selected", theme.dim)],
            },
        }
    };
    super::scrolled(frame, area, block, lines, &[], app, Pane::Detail, theme)
}

/// With no row in the Events view: the failures found without a request line (an info-level
/// log's `fetch failed after status: 401 Unauthorized`), each with its line, rather than
/// "nothing selected" beside a header that counts them; the list above says why it is empty.
fn empty_events_lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    const SHOWN: usize = 20;
    let head = match app.findings.len() {
        0 => return vec![Line::styled("no request to show yet", theme.dim)],
        1 => "1 failure found with no request row (e goes to its line in the Raw view):".to_owned(),
        n => format!(
            "{n} failures found with no request row (e steps through them in the Raw view):"
        ),
    };
    let mut out = vec![Line::styled(head, theme.dim)];
    out.extend(
        app.findings
            .iter()
            .take(SHOWN)
            .map(|f| finding_line(app, f, theme)),
    );
    if app.findings.len() > SHOWN {
        out.push(Line::styled(
            format!("… and {} more", app.findings.len() - SHOWN),
            theme.dim,
        ));
    }
    out
}

fn finding_line<'a>(app: &App, f: &crate::model::finding::Finding, theme: &Theme) -> Line<'a> {
    let style = if f.kind.is_auth() {
        theme.error
    } else {
        theme.warning
    };
    let what = if f.kind.is_auth() {
        "auth failure"
    } else {
        "error"
    };
    let mut spans = vec![
        Span::styled(format!("✖ {what} ({}) ", f.kind.name()), style),
        Span::styled(
            format!("{}: ", clean(&app.line_ref(f.source, f.line))),
            theme.dim,
        ),
        Span::raw(clean(&f.text).into_owned()),
    ];
    if let Some(by) = &f.recovered_by {
        spans.push(Span::styled(
            format!(
                " (recovered: {} served the same object next)",
                clean(recovering_host(by))
            ),
            theme.dim,
        ));
    }
    Line::from(spans)
}

fn kv<'a>(k: &str, v: &str, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{k:>10} "), theme.dim),
        Span::raw(clean(v).into_owned()),
    ])
}

fn event_lines<'a>(app: &App, ev: &FetchEvent, theme: &Theme) -> Vec<Line<'a>> {
    let sev = severity_style(app.severity(ev), theme);
    let status = ev
        .status_text
        .as_deref()
        .map(str::to_owned)
        .or_else(|| ev.error.as_ref().map(|_| "failed".to_owned()))
        .unwrap_or_else(|| "no response yet".to_owned());
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("{} ", clean(ev.method.as_deref().unwrap_or("?"))),
            theme.title,
        ),
        Span::raw(match ev.url.as_deref() {
            Some(u) => clean(u).into_owned(),
            None => clean(&route::shown_host(&app.model, ev)).into_owned(),
        }),
        Span::styled(format!(" → {}", clean(&status)), sev),
        Span::styled(
            format!(
                "  {}  {}",
                ev.started
                    .zip(ev.finished)
                    .map(|(a, b)| between(a, b))
                    .unwrap_or_default(),
                ev.bytes().map(bytes).unwrap_or_default()
            ),
            theme.dim,
        ),
    ])];
    for f in app.findings_of_event(ev.id) {
        out.push(finding_line(app, f, theme));
    }
    // The realm an auth failure failed against (the pull's challenge, on an earlier row: a
    // review found it only by moving to the 401), as `summary` names it.
    if ev.challenge.is_none()
        && let Some(realm) = app
            .findings_of_event(ev.id)
            .find_map(|f| f.realm.as_deref().filter(|_| f.kind.is_auth()))
    {
        out.push(kv("realm", realm, theme));
    }
    if let Some(s) = &ev.server {
        let why = ev.server_why.as_deref().unwrap_or("");
        out.push(kv("served by", &format!("{s} ({why})"), theme));
    }
    if let Some(r) = route::inferred(&app.model, ev) {
        out.push(kv("route", &route::detail(ev, &r), theme));
    }
    // A pull that reached the upstream of a registry with a mirror: why (`app::bypass`).
    if let Some(note) = crate::app::bypass::note(&app.model, ev) {
        out.push(kv("mirror", &note, theme));
    }
    for (k, v) in [
        ("mirror of", ev.mirror_of.as_deref()),
        ("registry", ev.registry.as_deref()),
        ("object", Some(ev.kind.as_str())),
        ("digest", ev.digest.as_deref()),
        ("error", ev.error.as_deref()),
        ("trace", ev.trace_id.as_deref()),
        ("span", ev.span_id.as_deref()),
        ("span name", ev.span.as_deref()),
    ] {
        if let Some(v) = v {
            out.push(kv(k, v, theme));
        }
    }
    if let Some(c) = &ev.challenge {
        let text = format!(
            "{} realm={} service={} scope={}{}",
            c.scheme,
            c.realm.as_deref().unwrap_or("-"),
            c.service.as_deref().unwrap_or("-"),
            c.scope.as_deref().unwrap_or("-"),
            c.error
                .as_deref()
                .map(|e| format!(" error={e}"))
                .unwrap_or_default()
        );
        out.push(kv("challenge", &text, theme));
    }
    let (request, response) = app.exchange_headers(ev);
    headers(&mut out, "request headers", &request, theme);
    headers(&mut out, "response headers", &response, theme);
    out.push(Line::styled(
        format!("── log lines ({}) ──", source_label(app, ev.source)),
        theme.table_header,
    ));
    for &n in &ev.lines {
        let text = app.lines.find(ev.source, n).map_or_else(
            || "(line not kept)".to_owned(),
            |l| clean(&l.text()).into_owned(),
        );
        out.push(Line::from(vec![
            Span::styled(format!("{n:>6} "), theme.dim),
            Span::raw(text),
        ]));
    }
    out
}

fn headers<'a>(out: &mut Vec<Line<'a>>, title: &str, list: &[Header], theme: &Theme) {
    if list.is_empty() {
        return;
    }
    out.push(Line::styled(format!("── {title} ──"), theme.table_header));
    for h in list {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", clean(&h.name)), theme.accent),
            Span::raw(clean(&h.value).into_owned()),
        ]));
    }
}
