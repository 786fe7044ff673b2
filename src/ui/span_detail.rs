//! The detail pane on a span row of a trace's waterfall: the span's name and id, its trace,
//! how many requests it made and how many failed, when it ran, and the hosts it
//! asked, so a span row is no dead end ("nothing selected") between its requests.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::traces::WaterfallRow;

use super::text::{between, clean};
use super::theme::Theme;

/// The pane's lines for `span`, whose requests are the events `ids`.
pub fn lines<'a>(app: &App, span: &WaterfallRow, ids: &[usize], theme: &Theme) -> Vec<Line<'a>> {
    let WaterfallRow::Span {
        id,
        name,
        events,
        failed,
        extent,
    } = span
    else {
        return Vec::new();
    };
    let mut out = vec![Line::from(vec![
        Span::styled(" span ", theme.dim),
        Span::styled(
            name.as_deref()
                .map_or_else(|| "(no name logged)".to_owned(), |n| clean(n).into_owned()),
            theme.title,
        ),
    ])];
    let id = if id.is_empty() { "(none logged)" } else { id };
    out.push(Line::styled(format!("   id {}", clean(id)), theme.dim));
    if let Some(t) = app.traces.open.as_deref() {
        out.push(Line::styled(format!("trace {}", clean(t)), theme.dim));
    }
    let requests = if *events == 1 { "request" } else { "requests" };
    let mut counts = vec![
        Span::styled("asked ", theme.dim),
        Span::raw(format!("{events} {requests}")),
    ];
    if *failed > 0 {
        counts.push(Span::raw(", "));
        counts.push(Span::styled(format!("{failed} failed"), theme.error));
        // As the Traces list's `↩`: a fallback or retry got past them (`summary`'s
        // `recovered_by`).
        let recovered = ids
            .iter()
            .filter_map(|&i| app.model.event(i))
            .filter(|ev| app.is_failure(ev) && app.is_recovered(ev))
            .count();
        if recovered > 0 {
            let which = if recovered == *failed {
                "all recovered ↩".to_owned()
            } else {
                format!("{recovered} recovered ↩")
            };
            counts.push(Span::styled(format!(" ({which})"), theme.ok));
        }
    }
    out.push(Line::from(counts));
    if let (Some(a), b) = *extent {
        let format = app.time_format();
        let mut when = format.format_to(a, app.lines.any_millis());
        if let Some(b) = b {
            when.push_str(&format!(" for {}", between(a, b)));
        }
        out.push(Line::from(vec![
            Span::styled(" from ", theme.dim),
            Span::raw(when),
        ]));
    }
    let mut hosts: Vec<String> = Vec::new();
    for ev in ids.iter().filter_map(|&i| app.model.event(i)) {
        let host = crate::app::route::shown_host(&app.model, ev);
        if !hosts.iter().any(|h| *h == host) {
            hosts.push(host.into_owned());
        }
    }
    if !hosts.is_empty() {
        out.push(Line::from(vec![
            Span::styled("hosts ", theme.dim),
            Span::raw(clean(&hosts.join(", ")).into_owned()),
        ]));
    }
    out.push(Line::styled(
        "j / k select one of its requests for its exchange",
        theme.dim,
    ));
    out
}
