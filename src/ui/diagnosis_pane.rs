//! The knowledge-base side pane: for the selected error, each matching entry's title, root
//! cause, the evidence that matched, workarounds best first (by measured success rate, then
//! the entry's order), dead ends, the version table and doc links. In the Traces list it
//! diagnoses the selected trace's first failed request, named first (Enter opens the
//! waterfall on it), on a waterfall's span row the span's; in the Mirrors view, the selected
//! host's (`host_diagnosis_pane.rs`).
//!
//! An entry's text is cut into rows here (`reflow.rs`), at spaces and between CJK characters,
//! so Chinese text (`L`) fills the pane's width. A doc link is a line of its own, never joined
//! to other text; a url wider than the pane wraps at its edge (it has no space to break at),
//! and where `--hyperlinks` allows, every cell of it is an OSC 8 link to the whole url
//! (`hyperlink.rs`), so a click on any row opens it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::app::diagnosis::DiagnosisView;
use crate::app::scroll::{Extent, Pane};
use crate::app::traces::WaterfallPick;
use crate::app::{App, View};
use crate::kb::labels::Labels;
use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;

use super::hyperlink::{Link, target};
use super::reflow::reflow;
use super::text::clean;
use super::theme::Theme;
use crate::app::wrap;

/// Draws the pane into `area`; returns how tall its content is (its scroll stops there).
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Extent {
    let block = Block::default()
        .borders(Borders::LEFT | Borders::TOP)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", Labels::new(app.opts.zh).pane),
            theme.title,
        ));
    let mut links = Vec::new();
    if app.view == View::Mirrors {
        let lines = super::host_diagnosis_pane::lines(app, area.width, &mut links, theme);
        return super::scrolled(frame, area, block, lines, &links, app, Pane::Kb, theme);
    }
    // The open waterfall's selection, its waterfall built once for this draw: the findings
    // and the span's first failure both come from it.
    let pick = app.waterfall_pick();
    let findings = app.findings_of_pick(pick.as_ref());
    let found = app.diagnoses_of_findings(&findings);
    let mut lines = Vec::new();
    let traces_list = app.view == View::Traces && app.traces.open.is_none();
    if traces_list {
        let none = if app.traces.selected().is_some() {
            "No failed request in this trace (e / E jump to the next / previous trace with one)."
        } else {
            "No trace to diagnose: the list is empty (K closes this pane)."
        };
        let heading = "First failed request of this trace (Enter opens the waterfall on it):";
        first_failure(&mut lines, app, app.trace_failure(), (heading, none), theme);
    }
    // On a waterfall's span row, its first failed request, as the list names the trace's.
    let span = match &pick {
        Some(WaterfallPick::Span(_, ids)) => Some(ids),
        _ => None,
    };
    let span_row = span.is_some();
    if let Some(ids) = span {
        let none = "No failed request in this span (e / E jump to the next / previous failed \
request).";
        let heading = "First failed request of this span:";
        first_failure(
            &mut lines,
            app,
            app.span_failure_of(ids),
            (heading, none),
            theme,
        );
    }
    if found.is_empty() {
        match findings.first() {
            Some(f) => {
                lines.push(evidence_line(app, f, theme));
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    format!(
                        "No knowledge-base entry matches this {} ({}) yet.",
                        if f.kind.is_auth() {
                            "auth failure"
                        } else {
                            "error"
                        },
                        f.kind.name()
                    ),
                    theme.dim,
                ));
                lines.push(Line::styled(
                    "'bkscope kb list' shows the entries; add your own under <config-dir>/kb/.",
                    theme.dim,
                ));
            }
            None if traces_list || span_row => {}
            None => lines.push(Line::styled(
                "Select an error row (e / E jump to the next / previous) to see its diagnosis.",
                theme.dim,
            )),
        }
    }
    for (i, (f, d)) in found.iter().enumerate() {
        if i > 0 {
            lines.push(rule(area.width, theme));
        }
        diagnosis_lines(
            &mut lines,
            &mut links,
            vec![evidence_line(app, f, theme)],
            d,
            // Inside the pane's left border.
            (app.opts.zh, area.width.saturating_sub(1)),
            theme,
        );
    }
    super::scrolled(frame, area, block, lines, &links, app, Pane::Kb, theme)
}

/// The first failed request of the trace or span the selection is on, under `heading`, then a
/// blank line; the `none` sentence where it has none.
fn first_failure<'a>(
    lines: &mut Vec<Line<'a>>,
    app: &App,
    failure: Option<&FetchEvent>,
    (heading, none): (&str, &str),
    theme: &Theme,
) {
    match failure {
        Some(ev) => {
            lines.push(Line::styled(heading.to_owned(), theme.dim));
            lines.push(request_line(app, ev, theme));
            lines.push(Line::raw(""));
        }
        None => lines.push(Line::styled(none.to_owned(), theme.dim)),
    }
}

pub(super) fn rule<'a>(width: u16, theme: &Theme) -> Line<'a> {
    Line::styled("─".repeat(usize::from(width)), theme.border)
}

/// `HEAD https://host/v2/… → 401 Unauthorized  (line 22)`, the line of that answer, with several
/// sources open `(demo.log line 22)`.
fn request_line<'a>(app: &App, ev: &FetchEvent, theme: &Theme) -> Line<'a> {
    let outcome = ev
        .status_text
        .as_deref()
        .or(ev.status.is_none().then_some("failed"))
        .unwrap_or("?");
    let mut spans = vec![
        Span::styled(
            format!("{} ", clean(ev.method.as_deref().unwrap_or("?"))),
            theme.title,
        ),
        Span::raw(match ev.url.as_deref() {
            Some(u) => clean(u).into_owned(),
            None => clean(&crate::app::route::shown_host(&app.model, ev)).into_owned(),
        }),
        Span::styled(format!(" → {}", clean(outcome)), theme.error),
    ];
    // The line of the answer the arrow names, as the evidence below cites it: the request's
    // first finding, else its last line (its response); with several sources open, the file
    // too: `line 2` alone could be any of them.
    let answer = app.findings_of_event(ev.id).next().map(|f| f.line);
    if let Some(n) = answer.or_else(|| ev.lines.last().copied()) {
        let at = match app.source_if_several(ev.source) {
            Some(label) => format!("  ({} line {n})", clean(label)),
            None => format!("  (line {n})"),
        };
        spans.push(Span::styled(at, theme.dim));
    }
    Line::from(spans)
}

pub(super) fn evidence_line<'a>(app: &App, f: &Finding, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(
            format!("{} ", clean(&app.line_ref(f.source, f.line))),
            theme.dim,
        ),
        Span::styled(
            clean(&f.text).into_owned(),
            if f.kind.is_auth() {
                theme.error
            } else {
                theme.warning
            },
        ),
    ])
}

/// A workaround's command, one screen line per line of it (a config snippet spans several),
/// each made inert on its own: a newline is a line break here, not a `\x0a`. A line wider
/// than the pane (`width` columns inside its border) is cut here (at spaces), its further
/// rows two columns deeper than its text ([`CONTINUED`]), so a long `docker login …` reads as
/// one command and not as a snippet's next line at the pane's left edge.
fn command_lines<'a>(out: &mut Vec<Line<'a>>, command: &str, width: u16, theme: &Theme) {
    let width = usize::from(width);
    let text = width.saturating_sub(LEAD.len()).max(8);
    for (j, line) in command.lines().enumerate() {
        let lead = if j == 0 { "     $ " } else { LEAD };
        let line = clean(line);
        for (k, row) in wrap::rows(&line, text, text.saturating_sub(2)).enumerate() {
            let lead = if k == 0 { lead } else { CONTINUED };
            out.push(Line::styled(
                format!("{lead}{}", row.trim_end()),
                theme.accent,
            ));
        }
    }
}

/// The columns in front of a command's text: `     $ ` on its first line.
const LEAD: &str = "       ";

/// In front of the further rows of a command line wider than the pane.
const CONTINUED: &str = "         ";

pub(super) fn section<'a>(title: &str, theme: &Theme) -> Line<'a> {
    Line::styled(title.to_owned(), theme.table_header)
}

/// One entry: its title, id, root cause, `evidence` (what of the log it explains) and the
/// matched conditions, workarounds, dead ends, versions, docs; the headings in Chinese when
/// the text is (`zh`, key `L`). Each doc url that may be a hyperlink is noted in `links`.
pub(super) fn diagnosis_lines<'a>(
    out: &mut Vec<Line<'a>>,
    links: &mut Vec<Link>,
    evidence: Vec<Line<'a>>,
    d: &DiagnosisView,
    (zh, width): (bool, u16),
    theme: &Theme,
) {
    let l = Labels::new(zh);
    // Every row but the commands (cut with their own indent) and the doc links (one line
    // each, for their hyperlinks) is cut here, at spaces and between CJK characters.
    let put = |out: &mut Vec<Line<'a>>, line: Line<'a>| out.extend(reflow(line, width));
    put(out, Line::styled(clean(&d.title).into_owned(), theme.title));
    put(out, Line::styled(clean(&d.id).into_owned(), theme.dim));
    put(out, section(l.cause, theme));
    put(out, Line::raw(clean(&d.text.root_cause).into_owned()));
    put(out, section(l.evidence, theme));
    for e in evidence {
        put(out, e);
    }
    for e in &d.evidence {
        put(out, Line::raw(format!("• {}", clean(e))));
    }
    if !d.text.workarounds.is_empty() {
        put(out, section(l.workarounds, theme));
    }
    for (i, w) in d.text.workarounds.iter().enumerate() {
        let mut spans = vec![Span::styled(format!("{}. ", i + 1), theme.key)];
        // An unknown rate is not shown at all: `[  ?%]` read as a broken number.
        if let Some(r) = w.success_rate {
            spans.push(Span::styled(format!("[{r:>3}%] "), theme.ok));
        }
        spans.push(Span::raw(clean(&w.text).into_owned()));
        put(out, Line::from(spans));
        for c in &w.commands {
            command_lines(out, c, width, theme);
        }
    }
    if !d.text.dead_ends.is_empty() {
        put(out, section(l.dead, theme));
    }
    for x in &d.text.dead_ends {
        put(
            out,
            Line::from(vec![
                Span::styled("✗ ", theme.warning),
                Span::styled(clean(x).into_owned(), theme.dim),
            ]),
        );
    }
    if !d.text.versions.is_empty() {
        put(out, section(l.versions, theme));
    }
    for v in &d.text.versions {
        put(
            out,
            Line::from(vec![
                Span::styled(
                    format!(
                        "{:<14} {:<9} {:<16} ",
                        clean(&v.tool),
                        clean(&v.status),
                        clean(&v.range)
                    ),
                    theme.text,
                ),
                Span::styled(
                    clean(v.notes.as_deref().unwrap_or("")).into_owned(),
                    theme.dim,
                ),
            ]),
        );
    }
    if !d.text.docs.is_empty() {
        out.push(section(l.docs, theme));
    }
    for doc in &d.text.docs {
        if let Some(url) = target(doc) {
            links.push(Link {
                line: out.len(),
                url: url.to_owned(),
            });
        }
        out.push(Line::styled(clean(doc).into_owned(), theme.accent));
    }
}
